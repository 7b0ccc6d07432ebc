package checks

import "github.com/casascan/casascan/scanner"

// logs lists the GCP-LOG-* checks (M7).
var logs = []*scanner.Check{gcpLOG001}
