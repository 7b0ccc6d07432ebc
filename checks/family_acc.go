package checks

import "github.com/casascan/casascan/scanner"

// acc lists the GCP-ACC-* checks (M5).
var acc = []*scanner.Check{}
