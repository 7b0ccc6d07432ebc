package plan

import (
	"os"
	"path/filepath"
	"testing"
)

const fixtures = "../../fixtures/plan"

// fixtureFile returns the plan or state file of a fixture directory.
func fixtureFile(t *testing.T, dir string) string {
	t.Helper()
	for _, name := range []string{"plan.json", "state.json"} {
		if p := filepath.Join(dir, name); fileExists(p) {
			return p
		}
	}
	t.Fatalf("%s has no plan.json or state.json", dir)
	return ""
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}
