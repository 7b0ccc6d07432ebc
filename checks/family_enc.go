package checks

import "github.com/casascan/casascan/scanner"

// enc lists the GCP-ENC-* checks (M1).
var enc = []*scanner.Check{}
