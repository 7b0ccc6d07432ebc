package checks

import (
	"net/netip"
	"strings"

	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/judge"
)

var gcpACC004 = &scanner.Check{
	ID:       "GCP-ACC-004",
	Title:    "Cloud SQL open to the internet",
	Severity: scanner.Critical,
	CWE:      284,
	ASVS:     []string{"1.4.1"},
	Measures: []scanner.Measure{scanner.M5},
	Types:    []string{"google_sql_database_instance"},
	Why: "An authorized network of 0.0.0.0/0 (or ::/0) lets every address on the internet " +
		"reach the database's public IP. The database password is then the only thing " +
		"between attackers and users' stored data; it can be brute-forced, leaked or reused, " +
		"and exploits for the engine itself need no password at all.",
	Remediation: "Remove 0.0.0.0/0 and ::/0 from authorized_networks. Prefer private IP " +
		"(ipv4_enabled = false with private_network) and the Cloud SQL Auth Proxy or " +
		"connectors, which authenticate with IAM; list only specific office or NAT ranges " +
		"when a public IP is unavoidable.",
	Fix: `resource "google_sql_database_instance" "db" {
  name             = "mail-db"
  database_version = "POSTGRES_16"
  region           = "europe-west1"

  settings {
    tier = "db-custom-2-7680"
    ip_configuration {
      ipv4_enabled = true
      ssl_mode     = "ENCRYPTED_ONLY"
      authorized_networks {
        name  = "office"
        value = "203.0.113.0/24"
      }
    }
  }
}`,
	Test: func(_ *scanner.Graph, r *scanner.Resource) []scanner.Problem {
		var out []scanner.Problem
		for _, n := range r.Lookup("settings.ip_configuration.authorized_networks.*.value").Slots {
			if n.Whole {
				out = append(out, scanner.Unknown(n.Path, "the authorized networks are not known before apply"))
				continue
			}
			switch n.StrIs(isAnyAddress) {
			case judge.Unknown:
				out = append(out, scanner.Unknown(n.Path, "an authorized network is not known before apply"))
			case judge.Pass:
				out = append(out, scanner.Fail(n.Path, "authorized network %s admits every address on the internet", scanner.Display(n.Attr)))
			}
		}
		return out
	},
}

// isAnyAddress reports whether a CIDR covers the whole IPv4 or IPv6 space
// (a prefix length of 0: 0.0.0.0/0, ::/0).
func isAnyAddress(cidr string) bool {
	p, err := netip.ParsePrefix(strings.TrimSpace(cidr))
	return err == nil && p.Bits() == 0
}
