package checks

import "github.com/casascan/casascan/scanner"

// acc lists the GCP-ACC-* checks (M5).
var acc = []*scanner.Check{gcpACC001, gcpACC002, gcpACC003, gcpACC004, gcpACC005, gcpACC006, gcpACC007, gcpACC008}
