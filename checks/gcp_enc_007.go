package checks

import (
	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/judge"
)

var gcpENC007 = scanner.Check{
	ID:       "GCP-ENC-007",
	Title:    "GKE secrets not encrypted at application layer",
	Severity: scanner.High,
	CWE:      311,
	ASVS:     []string{"6.4.1"},
	Measures: []scanner.Measure{scanner.M1, scanner.M3},
	Types:    []string{"google_container_cluster"},
	Why: `Kubernetes Secrets on GKE hold the app's OAuth client secret, database passwords and ` +
		`sometimes users' tokens. By default they sit in etcd encrypted only at the storage layer, so ` +
		`anyone who obtains an etcd backup or a control-plane disk reads them. Application-layer ` +
		`secrets encryption wraps each Secret with a Cloud KMS key you control, which is what the ` +
		`policy's "credentials encrypted at rest" asks for.`,
	Remediation: `Add a database_encryption block with state = "ENCRYPTED" and key_name set to a Cloud ` +
		`KMS key in the cluster's region, and grant the GKE service agent ` +
		`(service-PROJECT_NUMBER@container-engine-robot.iam.gserviceaccount.com) ` +
		`roles/cloudkms.cryptoKeyEncrypterDecrypter on the key.`,
	Fix: fixKey + `
resource "google_container_cluster" "app" {
  name                     = "app"
  location                 = "us-central1"
  remove_default_node_pool = true
  initial_node_count       = 1

  database_encryption {
    state    = "ENCRYPTED"
    key_name = google_kms_crypto_key.data.id
  }
}
`,
	Test: testENC007,
}

// testENC007 requires database_encryption with state ENCRYPTED and a key.
func testENC007(_ *scanner.Graph, r *scanner.Resource) []scanner.Problem {
	state, key := r.Slot("database_encryption.state"), r.Slot("database_encryption.key_name")
	if state.Whole {
		return []scanner.Problem{scanner.Unknown("database_encryption", "database_encryption is not known before apply")}
	}
	if state.Block == nil {
		return []scanner.Problem{scanner.Fail("database_encryption",
			"no database_encryption block: Kubernetes Secrets are stored in etcd without application-layer encryption")}
	}
	encrypted := state.StrIn("ENCRYPTED")
	hasKey := key.Required(keySet)
	var out []scanner.Problem
	switch {
	case state.Attr.Null() && !state.MaybeMissing:
		out = append(out, scanner.Fail("database_encryption.state", "database_encryption.state is not set; Secrets are not encrypted at the application layer"))
	case encrypted == judge.Fail:
		return []scanner.Problem{scanner.Fail("database_encryption.state",
			"database_encryption.state is %s, not ENCRYPTED: Secrets are not encrypted at the application layer", state.Show())} // a key is meaningless while decrypted
	case encrypted == judge.Unknown:
		out = append(out, scanner.Unknown("database_encryption.state", "database_encryption.state is not known before apply%s", mayNotExist(state)))
	}
	switch hasKey {
	case judge.Fail:
		out = append(out, scanner.Fail("database_encryption.key_name",
			"database_encryption.key_name is not set: Secrets are not encrypted with a Cloud KMS key"))
	case judge.Unknown:
		if encrypted != judge.Unknown {
			out = append(out, scanner.Unknown("database_encryption.key_name", "database_encryption.key_name is not known before apply%s", mayNotExist(key)))
		}
	}
	return out
}

// mayNotExist says, for a message, that a slot's block comes from a dynamic
// block whose for_each is not known ("" otherwise).
func mayNotExist(s scanner.Slot) string {
	if maybeAbsent(s) {
		return " (its block comes from a dynamic block whose for_each is not known, so it may not exist, or take its value from an element not known)"
	}
	return ""
}
