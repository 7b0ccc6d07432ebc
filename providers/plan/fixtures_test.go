package plan

import (
	"testing"

	"github.com/casascan/casascan/scanner/scannertest"
)

const fixtures = "../../fixtures/plan"

// fixtureFile returns the plan or state file of a fixture directory.
func fixtureFile(t *testing.T, dir string) string { return scannertest.PlanFile(t, dir) }
