package main

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/casascan/casascan/providers/terraform/gentree"
)

// BenchmarkScanRSS builds casascan and scans the generated monorepo of 200
// root modules (gentree.Roots200; BenchmarkScanRSS2000 ten times as many)
// in each format, as a user runs it: the built binary in a child process,
// with main's settings. It reports each scan's wall time (ns/op) and the
// child's peak resident set (peak-RSS-MiB, from the kernel's rusage); it
// is skipped where the rusage has no peak (maxRSS 0). BenchmarkScan
// (checks) gives the time and -benchmem allocations of the same pipeline
// in process.
//
//	go test ./cmd/casascan -run '^$' -bench BenchmarkScanRSS -benchtime 1x
func BenchmarkScanRSS(b *testing.B) { benchScanRSS(b, gentree.Roots200) }

// BenchmarkScanRSS2000 is BenchmarkScanRSS on 2,000 root modules (about
// 16,000 files): peak memory must stay within 1.5 times the 200-root
// figure, and time grow at most linearly.
func BenchmarkScanRSS2000(b *testing.B) { benchScanRSS(b, gentree.Roots2000) }

// BenchmarkScanProfile runs the scans of BenchmarkScanRSS on the 200-root
// tree in this process, every format in turn: the workload that
// default.pgo, the profile release builds are optimized with, is made
// from (README, "Profile-guided optimization"):
//
//	go test ./cmd/casascan -run '^$' -bench BenchmarkScanProfile -benchtime 4x -cpuprofile cmd/casascan/default.pgo
func BenchmarkScanProfile(b *testing.B) {
	dir := b.TempDir()
	tree := filepath.Join(dir, "tree")
	if err := gentree.WriteRoots(tree, gentree.Roots200); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		for _, format := range []string{"text", "json", "sarif", "csv", "markdown"} {
			out := filepath.Join(dir, "report."+format)
			if code := run(context.Background(), []string{"scan", tree, "--format", format, "--soft-fail", "--output", out}, io.Discard, io.Discard); code != 0 {
				b.Fatalf("casascan scan --format %s exited %d", format, code)
			}
		}
	}
}

func benchScanRSS(b *testing.B, shape gentree.Roots) {
	dir := b.TempDir()
	tree := filepath.Join(dir, "tree")
	if err := gentree.WriteRoots(tree, shape); err != nil {
		b.Fatal(err)
	}
	bin := filepath.Join(dir, "casascan")
	build := exec.Command("go", "build", "-tags", "disable_grpc_modules", "-o", bin, ".") // as released
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	for _, format := range []string{"text", "json", "sarif", "csv", "markdown"} {
		b.Run(format, func(b *testing.B) {
			var peak int64
			for b.Loop() {
				cmd := exec.Command(bin, "scan", ".", "--format", format, "--soft-fail", "--output", filepath.Join(dir, "report."+format))
				cmd.Dir = tree
				cmd.Env = append(os.Environ(), "NO_COLOR=1")
				if out, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("casascan: %v\n%s", err, out)
				}
				if rss := maxRSS(cmd.ProcessState); rss == 0 {
					b.Skip("no peak resident set from the kernel here")
				} else {
					peak = max(peak, rss)
				}
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MiB")
			b.ReportMetric(float64(shape.Files()), "files")
		})
	}
}
