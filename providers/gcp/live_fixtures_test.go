package gcp

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casascan/casascan/providers/gcp/internal/fake"
	"github.com/casascan/casascan/scanner"
	"github.com/google/go-cmp/cmp"
)

// updateLive rewrites the goldens of fixtures/gcp/live (the flag name
// leaves "-update" to other tests of the package).
var updateLive = flag.Bool("update-live", false, "rewrite fixtures/gcp/live/*/scan.golden")

// TestLiveFixtures serves each fixtures/gcp/live/<case>/world.json (API
// responses as the APIs write them) from the fakes, scans it with the scopes
// of scan.json, runs every check and compares resources, findings that are
// not passes, and diagnostics with scan.golden.
func TestLiveFixtures(t *testing.T) {
	worlds, err := filepath.Glob(filepath.Join("..", "..", "fixtures", "gcp", "live", "*", "world.json"))
	if err != nil || len(worlds) == 0 {
		t.Fatalf("no fixtures (%v)", err)
	}
	for _, world := range worlds {
		dir := filepath.Dir(world)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			data, err := os.ReadFile(world)
			if err != nil {
				t.Fatal(err)
			}
			w, err := fake.ReadWorld(data)
			if err != nil {
				t.Fatal(err)
			}
			var scope struct{ Projects, Folders, Organizations []string }
			if err := readJSON(filepath.Join(dir, "scan.json"), &scope); err != nil {
				t.Fatal(err)
			}
			g, _ := loadFake(t, w, func(_ *fake.Server, o *Options) {
				o.Projects, o.Folders, o.Organizations = scope.Projects, scope.Folders, scope.Organizations
			})
			got := renderScan(g, runChecks(g))
			golden := filepath.Join(dir, "scan.golden")
			if *updateLive {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update-live to create it)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("scan of %s (-want +got):\n%s", dir, diff)
			}
		})
	}
}

func readJSON(path string, v any) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}

// renderScan writes what a live scan found, in a reviewable text form.
func renderScan(g *scanner.Graph, res *scanner.Result) string {
	var b strings.Builder
	b.WriteString("# resources\n")
	for _, r := range g.Resources {
		fmt.Fprintf(&b, "%s %s project=%s\n", r.Type, r.Address, r.Project)
	}
	b.WriteString("# findings (passes left out)\n")
	for _, f := range res.List() {
		if f.Status == scanner.StatusPass {
			continue
		}
		fmt.Fprintf(&b, "%s %s %s %s\n", f.CheckID, f.Status, f.Resource, f.Attribute)
	}
	b.WriteString("# diagnostics\n")
	for _, d := range res.Diagnostics {
		fmt.Fprintln(&b, d.String())
	}
	return b.String()
}
