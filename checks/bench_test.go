package checks

import (
	"context"
	"testing"
	"time"

	"github.com/casascan/casascan/providers/terraform"
	"github.com/casascan/casascan/providers/terraform/gentree"
	"github.com/casascan/casascan/scanner"
)

// BenchmarkScan loads the generated tree of BenchmarkLoad
// (providers/terraform) and runs the whole catalog over it: the difference
// between the two is what the checks cost.
func BenchmarkScan(b *testing.B) {
	dir := b.TempDir()
	if err := gentree.Write(dir, gentree.Default); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var findings int
	for b.Loop() {
		gs, err := terraform.LoadTree(context.Background(), dir, terraform.Options{})
		if err != nil {
			b.Fatal(err)
		}
		findings = len(scanner.Run(All(), gs, scanner.Options{Now: time.Unix(0, 0)}).Findings)
	}
	b.ReportMetric(float64(findings), "results")
}
