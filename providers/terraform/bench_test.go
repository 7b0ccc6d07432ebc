package terraform

import (
	"context"
	"flag"
	"testing"

	"github.com/casascan/casascan/providers/terraform/gentree"
)

var benchTree = flag.String("benchtree", "", "write the benchmark's generated tree to this directory and stop")

// TestWriteBenchTree writes the generated tree for comparisons with other
// scanners: go test ./providers/terraform -run TestWriteBenchTree -benchtree DIR
func TestWriteBenchTree(t *testing.T) {
	if *benchTree == "" {
		t.Skip("no -benchtree directory given")
	}
	if err := gentree.Write(*benchTree, gentree.Default); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkLoad loads a generated tree of about 1,000 files: modules called
// with for_each, dynamic blocks, references across modules.
func BenchmarkLoad(b *testing.B) {
	dir := b.TempDir()
	if err := gentree.Write(dir, gentree.Default); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	var resources int
	for b.Loop() {
		g, err := Load(context.Background(), dir, Options{})
		if err != nil {
			b.Fatal(err)
		}
		resources = len(g.Resources)
	}
	b.ReportMetric(float64(gentree.Default.Files()), "files")
	b.ReportMetric(float64(resources), "resources")
}
