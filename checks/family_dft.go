package checks

import "github.com/casascan/casascan/scanner"

// dft lists the GCP-DFT-* checks: casascan's own additions beyond the
// policy's catalog (checks.md), which compare a live or exported resource
// with the Terraform resource that declares it. They judge only resources
// that providers/link has linked (scanner.Resource.Declared): an unlinked
// live resource passes, and Terraform and plan resources get no result.
var dft = []*scanner.Check{
	&gcpDFT001,
}
