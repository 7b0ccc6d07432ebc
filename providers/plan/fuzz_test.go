package plan

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/scannertest"
)

// FuzzLoadPlan feeds arbitrary bytes to Detect and to the loader (decode and
// build, as Load does after reading the file): nothing may panic, and a
// graph that loads has parseable addresses and only edges to its own
// resources. The seeds are the fixtures, several kilobytes each; run it with
// a short -fuzzminimizetime (go test -fuzz FuzzLoadPlan -fuzztime 10s
// -fuzzminimizetime 1s), since minimizing such inputs takes minutes.
func FuzzLoadPlan(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(fixtures, "*", "*.json"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(refsPlan))
	f.Add([]byte(sensitiveKeysPlan))
	// Fail-closed and not-judged cases: an unreadable mask, a duplicate
	// root_module, a bad address, a truncated file.
	f.Add([]byte(`{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":"google_storage_bucket.b","mode":"managed","type":"google_storage_bucket","name":"b","values":{"name":"n"},"sensitive_values":"yes"}]}},"resource_changes":[{"address":"google_storage_bucket.b","change":{"actions":["create"],"after":{"name":"n"},"after_sensitive":7}}]}`))
	f.Add([]byte("{\"format_version\":\"1.2\",\"planned_values\":{\"root_module\":{\"resources\":[{\"address\":\"google_storage_bucket.b\",\"values\":{}}]},\n\"root_module\":{}}}"))
	f.Add([]byte(`{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":"not an address","values":{}}]}}}`))
	f.Add([]byte(`{"format_version":"1.2","planned_values":{"root_module":{"resources":[{"address":"google_storage_bucket.b","values":{"name":"n"`))
	f.Add([]byte(`{"format_version":"1.0","values":{"root_module":{"resources":[{"address":"x.y[\"a\"]","values":{"a":[{"b":{"c":[1,2,null]}}]},"sensitive_values":{"a":true}}]}}}`))
	// Hostile shapes, small: deep nesting in values and in the sensitive
	// mask.
	f.Add([]byte(`{"format_version":"1.0","values":{"root_module":{"resources":[{"address":"x.y","values":{"a":` + strings.Repeat("[", 300) + strings.Repeat("]", 300) + `},"sensitive_values":{"a":` + strings.Repeat("[", 300) + strings.Repeat("]", 300) + `}}]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = Detect(data)
		doc, err := decode(data)
		if err != nil {
			return
		}
		g, _ := build(doc, "plan.json")
		g.Index()
		for _, r := range g.Resources {
			if _, err := scanner.ParseAddress(r.Address); err != nil {
				t.Fatalf("resource address %q does not parse: %v", r.Address, err)
			}
			checkEdges(t, g, r.Address, r.Body, 0)
		}
		_ = scannertest.Dump(g)
	})
}

func checkEdges(t *testing.T, g *scanner.Graph, addr string, b *scanner.Body, depth int) {
	if depth > maxValueDepth+1 {
		t.Fatalf("%s: bodies nested deeper than %d", addr, maxValueDepth)
	}
	for name, a := range b.Attrs {
		for _, ref := range a.Refs {
			if g.Lookup(ref) == nil {
				t.Fatalf("%s.%s refers to %q, which is not in the graph", addr, name, ref)
			}
		}
	}
	for _, blk := range b.Blocks {
		checkEdges(t, g, addr, blk.Body, depth+1)
	}
}
