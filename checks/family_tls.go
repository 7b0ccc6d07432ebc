package checks

import "github.com/casascan/casascan/scanner"

// tls lists the GCP-TLS-* checks (M2).
var tls = []*scanner.Check{}
