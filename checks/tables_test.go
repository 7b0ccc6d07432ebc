package checks

import (
	"testing"

	"github.com/casascan/casascan/checks/checktest"
	"github.com/casascan/casascan/scanner"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// tfCase is one row of a check's table: Terraform in (main.tf, or a
// txtar-like archive of files, see checktest.Files) and the findings that are
// not a PASS, as checktest.Judge renders them ("ADDRESS ATTRIBUTE STATUS").
type tfCase struct {
	name string
	src  string
	want []string
}

// runTF loads each case through the real evaluator and runs c over it;
// secrets are values no message may show. A case that gives c nothing to
// judge fails (checktest.Run).
func runTF(t *testing.T, c *scanner.Check, cases []tfCase, secrets ...string) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := checktest.HCL(t, tc.src)
			got := checktest.Lines(checktest.Run(t, c, []*scanner.Graph{g}, secrets...), c.ID, false)
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s findings (-want +got):\n%s", c.ID, diff)
			}
		})
	}
}

// loadRes loads src (see checktest.HCL) and returns the graph and the
// resource at addr, failing the test when the loader produced none there.
func loadRes(t *testing.T, src, addr string) (*scanner.Graph, *scanner.Resource) {
	t.Helper()
	g := checktest.HCL(t, src)
	r := g.Lookup(addr)
	if r == nil {
		t.Fatalf("the loaded graph holds no %s", addr)
	}
	return g, r
}
