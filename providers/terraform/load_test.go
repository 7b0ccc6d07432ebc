package terraform

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/casascan/casascan/providers/terraform/gentree"
	"github.com/casascan/casascan/scanner/scannertest"
	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite graph.golden files")

const fixtureRoot = "../../fixtures/terraform"

// fixtureOptions are the command-line inputs some fixtures exercise.
var fixtureOptions = map[string]Options{
	"variables": {
		VarFiles: []string{filepath.Join(fixtureRoot, "variables", "extra.tfvars")},
		Vars:     []string{"from_cli=cli wins", `cli_list=["x","y"]`},
		Env:      []string{"TF_VAR_from_env=env value", "TF_VAR_from_cli=env loses", "HOME=/root"},
	},
	"workspace_env": {Env: []string{"TF_WORKSPACE=staging"}},
	"var_order": {VarArgs: []VarArg{
		{Value: "location=ASIA"},
		{File: true, Value: filepath.Join(fixtureRoot, "var_order", "override.tfvars")},
		{Value: "name=from-var"},
	}},
}

// TestLoadFixtures loads every tree under fixtures/terraform and compares
// the graph with its graph.golden; -update rewrites the goldens.
func TestLoadFixtures(t *testing.T) {
	entries, err := os.ReadDir(fixtureRoot)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		name := e.Name()
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(fixtureRoot, name)
			opts := fixtureOptions[name]
			opts.Base = dir
			g, err := Load(context.Background(), dir, opts)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			scannertest.Golden(t, filepath.Join(dir, "graph.golden"), scannertest.Dump(g), *update)
		})
	}
}

// TestParallelEvaluation loads every fixture tree, and a generated tree,
// with one worker and with several: the graphs, diagnostics included, must
// be the same, whichever goroutine evaluated which module instance. Run
// with -race, it also proves the workers share nothing unguarded.
func TestParallelEvaluation(t *testing.T) {
	dirs := []string{}
	entries, err := os.ReadDir(fixtureRoot)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			dirs = append(dirs, filepath.Join(fixtureRoot, e.Name()))
		}
	}
	gen := t.TempDir()
	if err := gentree.Write(gen, gentree.Shape{RootFiles: 6, Modules: 5, ModuleFiles: 3, Instances: 3}); err != nil {
		t.Fatal(err)
	}
	dirs = append(dirs, gen)
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			load := func(workers int) string {
				opts := fixtureOptions[filepath.Base(dir)]
				opts.Base, opts.workers = dir, workers
				g, err := Load(context.Background(), dir, opts)
				if err != nil {
					t.Fatalf("Load: %v", err)
				}
				return scannertest.Dump(g)
			}
			want := load(1)
			for range 3 {
				if diff := cmp.Diff(want, load(8)); diff != "" {
					t.Fatalf("8 workers differ from 1 (-one +eight):\n%s", diff)
				}
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	if _, err := Load(context.Background(), "does/not/exist", Options{}); err == nil {
		t.Error("Load of a missing directory: want an error")
	}
	f := filepath.Join(t.TempDir(), "main.tf")
	if err := os.WriteFile(f, []byte(`resource "x" "y" {}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(context.Background(), f, Options{}); err == nil {
		t.Error("Load of a file: want an error")
	}
}

// TestLoadTree finds every root module of a repository: directories no other
// directory calls; a shared module is scanned through its callers only.
func TestLoadTree(t *testing.T) {
	graphs, err := LoadTree(context.Background(), "../../fixtures/tree", Options{Base: "../../fixtures/tree"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, g := range graphs {
		for _, r := range g.Resources {
			name, _ := r.Get("name").Str()
			got = append(got, r.Address+" "+name+" "+r.DefRange.Filename)
		}
	}
	want := []string{
		"module.store.google_storage_bucket.b prod-mail modules/store/main.tf",
		"module.store.google_storage_bucket.b staging-mail modules/store/main.tf",
		"google_pubsub_topic.t standalone standalone/main.tf",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("LoadTree (-want +got):\n%s", diff)
	}
}

// TestVarFileDataReadOnce: a --var-file whose content the caller has read
// already (VarArg.Data) is not read again: the content given is used, so a
// file that no longer exists, or says otherwise on disk, changes nothing.
func TestVarFileDataReadOnce(t *testing.T) {
	dir := filepath.Join(fixtureRoot, "var_order")
	gone := filepath.Join(t.TempDir(), "gone.tfvars")
	g, err := Load(context.Background(), dir, Options{VarArgs: []VarArg{
		{Value: "name=from-var"},
		{File: true, Value: gone, Data: []byte("location = \"US\"\n")},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range g.Diagnostics {
		t.Errorf("diagnostic: %s: %s", d.Summary, d.Detail)
	}
	b := g.Lookup("google_storage_bucket.ordered")
	if b == nil {
		t.Fatal("no bucket")
	}
	if s, _ := b.Get("location").Str(); s != "US" {
		t.Errorf("location = %q, want US (the content given)", s)
	}
}
