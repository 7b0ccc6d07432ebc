package checks

import "github.com/casascan/casascan/scanner"

// tls lists the GCP-TLS-* checks (M2).
var tls = []*scanner.Check{
	gcpTLS001, gcpTLS002, gcpTLS003, gcpTLS004, gcpTLS005,
	gcpTLS006, gcpTLS007, gcpTLS008, gcpTLS009,
}
