package gcp

import (
	"context"
	"testing"
	"time"

	"github.com/casascan/casascan/providers/gcp/internal/fake"
)

// BenchmarkLiveScan scans a synthetic organization through the fakes: 50
// projects under one folder, 10,000 buckets and 2,000 keys, each with an IAM
// policy, plus Asset Inventory resources. It reports API calls per scan:
// they grow with the pages listed and the policies read, never with the
// number of checks (checks read the graph, not the APIs).
func BenchmarkLiveScan(b *testing.B) {
	w := fake.Generate(fake.Spec{Projects: 50, Buckets: 10000, Keys: 2000, Assets: true})
	srv := fake.Start(b, w)
	opts := fakeOptions(srv)
	opts.Folders = []string{fake.Folder}
	opts.Concurrency = 0 // the default, as the CLI runs
	opts.retry = retryPolicy{}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	before := srv.TotalCalls()
	resources := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		g, err := Load(ctx, opts)
		if err != nil {
			b.Fatal(err)
		}
		if d := skipped(g); len(d) > 0 {
			b.Fatalf("skipped: %v", d)
		}
		resources = len(g.Resources)
	}
	b.StopTimer()
	b.ReportMetric(float64(srv.TotalCalls()-before)/float64(b.N), "calls/op")
	b.ReportMetric(float64(resources), "resources")
	for m, n := range srv.CallCounts() {
		b.Logf("%s: %d calls per scan", m, n/b.N)
	}
}
