package checks

import (
	"path/filepath"
	"slices"
	"testing"

	"github.com/casascan/casascan/providers/link"
	"github.com/casascan/casascan/scanner"
)

// TestDriftTypesAreLinked: a type the drift check compares must be one that
// providers/link can link, or its resources could never drift.
func TestDriftTypesAreLinked(t *testing.T) {
	linked := link.Types()
	for _, typ := range gcpDFT001.Types {
		if !slices.Contains(linked, typ) {
			t.Errorf("%s is compared by GCP-DFT-001 but providers/link does not link it", typ)
		}
	}
}

// TestDriftMessage pins the message of the HSM fixture: both values, shown
// through scanner.Display, and the declaring resource as related.
func TestDriftMessage(t *testing.T) {
	dir := filepath.Join(fixtureRoot, "GCP-DFT-001", "fail", "hsm_declared_software_live")
	graphs, _ := loadCase(t, dir)
	res := scanner.Run([]*scanner.Check{&gcpDFT001}, graphs, scanner.Options{})
	fails := res.Failures()
	if len(fails) != 1 {
		t.Fatalf("got %d failures, want 1:\n%s", len(fails), describe(res))
	}
	f := fails[0]
	want := "//cloudkms.googleapis.com/projects/acme-prod/locations/us/keyRings/casa/cryptoKeys/mail-hsm: " +
		"Terraform declares protection_level HSM, live is SOFTWARE"
	if f.Message != want {
		t.Errorf("message = %q, want %q", f.Message, want)
	}
	if f.Attribute != "version_template.protection_level" || f.Source != scanner.SourceExport {
		t.Errorf("attribute %q source %s, want version_template.protection_level from export", f.Attribute, f.Source)
	}
	if len(f.Related) != 1 || f.Related[0].Address != "google_kms_crypto_key.mail" {
		t.Errorf("related = %+v, want google_kms_crypto_key.mail", f.Related)
	}
}

func TestDriftSameValue(t *testing.T) {
	tests := []struct {
		a, b string
		name bool
		want bool
	}{
		{"HSM", "hsm", false, true},
		{"HSM", "SOFTWARE", false, false},
		{"true", "false", false, false},
		{"", "", false, true},
		{"projects/p/locations/us/keyRings/r/cryptoKeys/k", "projects/p/locations/us/keyRings/r/cryptoKeys/k/cryptoKeyVersions/3", true, true},
		{"projects/p/locations/us/keyRings/r/cryptoKeys/k", "projects/p/locations/us/keyRings/r/cryptoKeys/k2", true, false},
		{"https://www.googleapis.com/compute/v1/projects/p/global/sslPolicies/x", "global/sslPolicies/x", true, true},
		{"https://www.googleapis.com/compute/v1/projects/p/global/sslPolicies/x", "global/sslPolicies/y", true, false},
		{"projects/p/global/sslPolicies/x", "", true, false},
		// Read by scanner.ParseName and Name.Match:
		{"//cloudkms.googleapis.com/projects/p/locations/us/keyRings/r/cryptoKeys/k", "projects/p/locations/us/keyRings/r/cryptoKeys/k", true, true},
		{"https://cloudkms.googleapis.com/v1/projects/p/locations/us/keyRings/r/cryptoKeys/k", "//cloudkms.googleapis.com/projects/p/locations/us/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1", true, true},
		{"projects/123/locations/us/keyRings/r/cryptoKeys/k", "projects/acme/locations/us/keyRings/r/cryptoKeys/k", true, true}, // number and ID: not told apart, no drift claimed
		{"projects/p/locations/us/keyRings/r/cryptoKeys/k", "projects/q/locations/us/keyRings/r/cryptoKeys/k", true, false},
		{"//cloudkms.googleapis.com/projects/p/locations/us/keyRings/r/cryptoKeys/k", "//pubsub.googleapis.com/projects/p/locations/us/keyRings/r/cryptoKeys/k", true, false},
		{"projects/p/global/sslPolicies/x", "x", true, true},
		{"projects/p/locations/us/keyRings/r/cryptoKeys/k/", "projects/p/locations/us/keyRings/r/cryptoKeys/k", true, true},
	}
	for _, tc := range tests {
		t.Run(tc.a+"|"+tc.b, func(t *testing.T) {
			if got := sameValue(tc.a, tc.b, tc.name); got != tc.want {
				t.Errorf("sameValue(%q, %q, %v) = %v, want %v", tc.a, tc.b, tc.name, got, tc.want)
			}
		})
	}
}

// TestDriftDefaultsFromTable: the defaults drift compares an absent
// attribute with come from scanner's one table, as they did when they were
// literals here.
func TestDriftDefaultsFromTable(t *testing.T) {
	for _, c := range []struct{ typ, path, want string }{
		{"google_kms_crypto_key", "version_template.protection_level", "SOFTWARE"},
		{"google_storage_bucket", "uniform_bucket_level_access", "false"},
		{"google_storage_bucket", "public_access_prevention", "inherited"},
		{"google_sql_database_instance", "settings.ip_configuration.ipv4_enabled", "true"},
		{"google_compute_ssl_policy", "min_tls_version", "TLS_1_0"},
		{"google_compute_region_ssl_policy", "profile", "COMPATIBLE"},
		{"google_redis_instance", "transit_encryption_mode", "DISABLED"},
		{"google_redis_instance", "auth_enabled", "false"},
		{"google_container_cluster", "enable_legacy_abac", "false"},
		{"google_storage_bucket", "encryption.default_kms_key_name", ""},
	} {
		if got, _ := driftDefault(c.typ, c.path); got != c.want {
			t.Errorf("%s.%s: default %q, want %q", c.typ, c.path, got, c.want)
		}
	}
	if _, inBlock := driftDefault("google_kms_crypto_key", "version_template.protection_level"); !inBlock {
		t.Error("protection_level's default should apply only inside version_template")
	}
}
