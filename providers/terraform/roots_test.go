package terraform

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/casascan/casascan/providers/terraform/gentree"
	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/scannertest"
)

// TestLoadTreeManyRoots loads a monorepo of more roots than the survey
// parses at once, sharing modules, one of which has a file that does not
// parse: one graph per root, in order; the shared module's error once in
// all, with every root still judged; an ignore comment of a root file
// given to the graphs; and the same graphs, diagnostics included, whether
// the roots are loaded one at a time or several in parallel.
func TestLoadTreeManyRoots(t *testing.T) {
	dir := t.TempDir()
	shape := gentree.Roots{Roots: 3 * surveyChunk, RootFiles: 2, Calls: 1, Modules: 3, ModuleFiles: 2, Instances: 2}
	if err := gentree.WriteRoots(dir, shape); err != nil {
		t.Fatal(err)
	}
	write := func(rel, data string) {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(rel)), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("modules/m01/broken.tf", "resource \"google_storage_bucket\" \"x\" {\n  name = \n}\n")
	write("envs/e0007/ignored.tf", "# casascan:ignore:GCP-ENC-001 -- test data\nresource \"google_storage_bucket\" \"ig\" {\n  name = \"ig\"\n}\n")
	load := func(workers int) []*scanner.Graph {
		var gs []*scanner.Graph
		err := LoadTreeFunc(context.Background(), dir, Options{workers: workers}, func(g *scanner.Graph) error {
			gs = append(gs, g)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return gs
	}
	one := load(1)
	if len(one) != shape.Roots {
		t.Fatalf("%d graphs, want one per root (%d)", len(one), shape.Roots)
	}
	broken := 0
	for i, g := range one {
		if !strings.HasPrefix(g.RootModule, "envs/e") {
			t.Errorf("graph %d: root module %q, want a directory under envs", i, g.RootModule)
		}
		if i > 0 && g.RootModule <= one[i-1].RootModule {
			t.Errorf("graph %d: root %s after %s: not in order", i, g.RootModule, one[i-1].RootModule)
		}
		if len(g.Resources) == 0 {
			t.Errorf("root %s: no resources", g.RootModule)
		}
		for _, d := range g.Diagnostics {
			if d.File == "modules/m01/broken.tf" && d.NotJudged() {
				broken++
			}
		}
		if !containsIgnore(g.Ignores, "envs/e0007/ignored.tf") {
			t.Errorf("root %s: the ignore comment of envs/e0007/ignored.tf is not among its graph's ignores", g.RootModule)
		}
	}
	if broken != 1 {
		t.Errorf("the shared module's parse error is reported %d times, want once", broken)
	}
	dump := func(gs []*scanner.Graph) []string {
		var out []string
		for _, g := range gs {
			out = append(out, g.RootModule+"\n"+scannertest.Dump(g))
		}
		return out
	}
	if diff := cmp.Diff(dump(one), dump(load(4))); diff != "" {
		t.Errorf("four roots at a time differ from one (-one +four):\n%s", diff)
	}
	all, err := LoadTree(context.Background(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(one) || len(all[0].Diagnostics) == 0 {
		t.Errorf("LoadTree: %d graphs, %d diagnostics on the first; want %d graphs and the tree's diagnostics on the first", len(all), len(all[0].Diagnostics), len(one))
	}
}

func containsIgnore(igs []scanner.Ignore, file string) bool {
	for _, ig := range igs {
		if ig.File == file {
			return true
		}
	}
	return false
}

// TestFunctionTablesLentPerRoot: the roots of a tree borrow their function
// tables in turn; each root's file() reads from its own directory, and
// what one root's functions report is reported once.
func TestFunctionTablesLentPerRoot(t *testing.T) {
	files := map[string]string{}
	for _, r := range []string{"a", "b", "c", "d"} {
		files["envs/"+r+"/x.txt"] = "from-" + r
		body := `resource "google_storage_bucket" "b" { name = file("x.txt") }` + "\n"
		switch r {
		case "b":
			body += `resource "google_storage_bucket" "c" { name = nosuchfunc("x") }` + "\n"
		case "c":
			body += `resource "google_storage_bucket" "c" { name = file("../../../outside.txt") }` + "\n"
		}
		files["envs/"+r+"/main.tf"] = body
	}
	dir := writeFiles(t, files)
	for _, workers := range []int{1, 2} {
		var got []string
		var warned []string
		err := LoadTreeFunc(context.Background(), dir, Options{workers: workers}, func(g *scanner.Graph) error {
			for _, r := range g.Resources {
				if r.Address == "google_storage_bucket.b" {
					name, _ := r.Get("name").Str()
					got = append(got, g.RootModule+"="+name)
				}
			}
			for _, d := range g.Diagnostics {
				warned = append(warned, g.RootModule+": "+d.Summary)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"envs/a=from-a", "envs/b=from-b", "envs/c=from-c", "envs/d=from-d"}
		if !slices.Equal(got, want) {
			t.Errorf("workers %d: names %v, want %v", workers, got, want)
		}
		joined := strings.Join(warned, "\n")
		if strings.Count(joined, `unsupported function "nosuchfunc"`) != 1 || strings.Count(joined, "file outside the scanned tree") != 1 {
			t.Errorf("workers %d: the unknown function and the refused read are each reported once:\n%s", workers, joined)
		}
	}
}
