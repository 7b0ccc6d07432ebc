package checks

import "github.com/casascan/casascan/scanner"

// del lists the GCP-DEL-* checks (M6).
var del = []*scanner.Check{gcpDEL001, gcpDEL002}
