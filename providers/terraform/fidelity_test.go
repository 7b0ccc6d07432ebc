package terraform

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casascan/casascan/scanner/scannertest"
)

// TestWorkspaceIgnoresProcessEnv: terraform.workspace comes from the run's
// environment (Options.Env), never from the process's.
func TestWorkspaceIgnoresProcessEnv(t *testing.T) {
	t.Setenv("TF_WORKSPACE", "from-process")
	dir := filepath.Join(fixtureRoot, "workspace_env")
	g, err := Load(context.Background(), dir, Options{Base: dir})
	if err != nil {
		t.Fatal(err)
	}
	dump := scannertest.Dump(g)
	if !strings.Contains(dump, `name = "acme-default"`) || strings.Contains(dump, "from-process") {
		t.Errorf("want the default workspace, got:\n%s", dump)
	}
}
