package checks

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/casascan/casascan/providers/terraform"
	"github.com/casascan/casascan/providers/terraform/gentree"
	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/report"
)

// coreChecks are the checks of the scanning core's issue; BenchmarkScanCore
// runs them, BenchmarkScan runs the whole catalog, over the same tree: the
// catalog must not cost more than a fifth more than the core.
var coreChecks = []string{"GCP-ENC-001", "GCP-ENC-002", "GCP-ENC-003", "GCP-ENC-006", "GCP-ENC-020",
	"GCP-KMS-001", "GCP-KMS-002", "GCP-KMS-003", "GCP-KMS-006", "GCP-TLS-001", "GCP-TLS-002",
	"GCP-TLS-004", "GCP-SEC-001", "GCP-ACC-001"}

// BenchmarkScan loads the generated tree of BenchmarkLoad
// (providers/terraform), runs the whole catalog over it and writes SARIF.
func BenchmarkScan(b *testing.B) { benchScan(b, All()) }

// BenchmarkScanCore is BenchmarkScan with the core issue's checks only.
func BenchmarkScanCore(b *testing.B) {
	cs, err := scanner.Select(All(), coreChecks, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	benchScan(b, cs)
}

func benchScan(b *testing.B, cs []*scanner.Check) {
	dir := b.TempDir()
	if err := gentree.Write(dir, gentree.Default); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var results int
	for b.Loop() {
		gs, err := terraform.LoadTree(context.Background(), dir, terraform.Options{})
		if err != nil {
			b.Fatal(err)
		}
		res := scanner.Run(cs, gs, scanner.Options{Now: time.Unix(0, 0)})
		if err := report.Write(io.Discard, "sarif", res, report.Options{}); err != nil {
			b.Fatal(err)
		}
		results = res.Len()
	}
	b.ReportMetric(float64(results), "results")
}

// BenchmarkScanRoots loads the generated monorepo of 200 root modules
// (gentree.Roots200) one root at a time into a session, as the command
// does, and writes SARIF: the time and -benchmem allocations beside
// BenchmarkScanRSS's peak memory (cmd/casascan) on the same tree.
func BenchmarkScanRoots(b *testing.B) {
	dir := b.TempDir()
	if err := gentree.WriteRoots(dir, gentree.Roots200); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var results int
	for b.Loop() {
		s := scanner.NewSession(All(), scanner.Options{Now: time.Unix(0, 0)})
		err := terraform.LoadTreeFunc(context.Background(), dir, terraform.Options{}, func(g *scanner.Graph) error {
			s.Add(g)
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		res := s.Result()
		if _, err := report.Stream(io.Discard, "sarif", res, report.Options{}); err != nil {
			b.Fatal(err)
		}
		results = res.Len()
	}
	b.ReportMetric(float64(results), "results")
	b.ReportMetric(float64(gentree.Roots200.Files()), "files")
}
