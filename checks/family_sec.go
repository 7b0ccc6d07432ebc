package checks

import "github.com/casascan/casascan/scanner"

// sec lists the GCP-SEC-* checks (M3).
var sec = []*scanner.Check{gcpSEC001, gcpSEC002, gcpSEC003, gcpSEC004}
