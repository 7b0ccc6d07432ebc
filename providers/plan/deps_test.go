package plan

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const modulePath = "github.com/casascan/casascan"

// moduleDeps returns the packages of this module that pkg (a directory
// relative to the module root) depends on, directly or not, and the
// other imports they make, read from the import declarations of their
// non-test Go files.
func moduleDeps(t *testing.T, root, pkg string) (own, other map[string]bool) {
	t.Helper()
	own, other = map[string]bool{}, map[string]bool{}
	todo := []string{pkg}
	for len(todo) > 0 {
		dir := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		entries, err := os.ReadDir(filepath.Join(root, dir))
		if err != nil {
			t.Fatalf("reading %s: %v", dir, err)
		}
		for _, e := range entries {
			name := e.Name()
			if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), filepath.Join(root, dir, name), nil, parser.ImportsOnly)
			if err != nil {
				t.Fatal(err)
			}
			for _, imp := range f.Imports {
				path, err := strconv.Unquote(imp.Path.Value)
				if err != nil {
					t.Fatal(err)
				}
				rel, ok := strings.CutPrefix(path, modulePath+"/")
				if !ok {
					other[path] = true
					continue
				}
				if !own[rel] {
					own[rel] = true
					todo = append(todo, rel)
				}
			}
		}
	}
	return own, other
}

// TestArchitecture holds issue 9 §6's layering: providers/plan reads plans
// without providers/terraform (what both need is below them, in scanner),
// providers/link and scanner depend on no provider, and the configuration
// file code (YAML) lives on the CLI side, not in scanner.
func TestArchitecture(t *testing.T) {
	root := filepath.Join("..", "..")
	for _, tc := range []struct {
		pkg       string
		forbidden []string // module packages, and prefixes of other imports
	}{
		{"providers/plan", []string{"providers/terraform", "providers/gcp", "cmd/"}},
		{"providers/link", []string{"providers/terraform", "providers/plan", "cmd/"}},
		{"scanner", []string{"providers/", "checks", "cmd/", "gopkg.in/yaml", "sigs.k8s.io/yaml", "github.com/goccy/go-yaml"}},
	} {
		own, other := moduleDeps(t, root, tc.pkg)
		var bad []string
		for _, f := range tc.forbidden {
			for dep := range own {
				if strings.HasPrefix(dep, f) {
					bad = append(bad, dep)
				}
			}
			for dep := range other {
				if strings.HasPrefix(dep, f) {
					bad = append(bad, dep)
				}
			}
		}
		sort.Strings(bad)
		if len(bad) > 0 {
			t.Errorf("%s depends on %v", tc.pkg, bad)
		}
	}
}
