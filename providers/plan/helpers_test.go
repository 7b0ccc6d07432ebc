package plan

import (
	"testing"

	"github.com/casascan/casascan/scanner"
)

// loadString builds the graph of plan or state JSON held in a string, as
// Load does without a file or source.
func loadString(t *testing.T, s string) *scanner.Graph {
	t.Helper()
	doc, err := decode([]byte(s))
	if err != nil {
		t.Fatalf("decoding the test plan: %v", err)
	}
	g, _ := build(doc, "plan.json")
	g.Index()
	return g
}
