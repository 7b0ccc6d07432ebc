package terraform

import (
	"context"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/casascan/casascan/providers/terraform/gentree"
)

var (
	benchTree  = flag.String("benchtree", "", "write the benchmark's generated tree to this directory and stop")
	benchRoots = flag.Int("benchroots", 0, "with -benchtree: write a monorepo of this many root modules (gentree.Roots200 resized) instead of the one-root tree")
)

// TestWriteBenchTree writes the generated tree for comparisons with other
// scanners: go test ./providers/terraform -run TestWriteBenchTree -benchtree DIR
// (one root of 1,001 files), with -benchroots 200 (or 2000) a monorepo of
// that many root modules.
func TestWriteBenchTree(t *testing.T) {
	if *benchTree == "" {
		t.Skip("no -benchtree directory given")
	}
	if *benchRoots > 0 {
		r := gentree.Roots200
		r.Roots = *benchRoots
		if err := gentree.WriteRoots(*benchTree, r); err != nil {
			t.Fatal(err)
		}
		return
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

// BenchmarkPreScan measures the pre-scan over the generated tree's files,
// and BenchmarkParseOnly HCL's parse of the same files: the pre-scan must
// cost a small fraction of the parse.
func BenchmarkPreScan(b *testing.B) {
	benchFiles(b, func(src []byte, name string) { preScan(src, name, false) })
}
func BenchmarkParseOnly(b *testing.B) {
	benchFiles(b, func(src []byte, name string) { hclsyntax.ParseConfig(src, name, hcl.InitialPos) })
}

func benchFiles(b *testing.B, f func(src []byte, name string)) {
	dir := b.TempDir()
	if err := gentree.Write(dir, gentree.Default); err != nil {
		b.Fatal(err)
	}
	var srcs [][]byte
	var names []string
	var size int64
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".tf") {
			if data, err := os.ReadFile(p); err == nil {
				srcs, names = append(srcs, data), append(names, p)
				size += int64(len(data))
			}
		}
		return nil
	})
	b.SetBytes(size)
	b.ResetTimer()
	for b.Loop() {
		for i, src := range srcs {
			f(src, names[i])
		}
	}
}
