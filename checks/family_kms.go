package checks

import "github.com/casascan/casascan/scanner"

// kms lists the GCP-KMS-* checks (M4).
var kms = []*scanner.Check{}
