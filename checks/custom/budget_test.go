package custom

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/casascan/casascan/checks/checktest"
	"github.com/casascan/casascan/internal/treefs"
	"github.com/casascan/casascan/scanner"
)

// loadDir writes check files into a directory and loads them together.
func loadDir(t *testing.T, files map[string]string, opts Options) []*scanner.Check {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tree, err := treefs.Open(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tree.Close() })
	cs, err := Load([]Source{{Tree: tree, Path: dir, Shown: "checks"}}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func manyBuckets(n int, name string) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "resource \"google_storage_bucket\" \"b%d\" {\n  name = %q\n  location = \"EU\"\n}\n", i, name)
	}
	return b.String()
}

// TestBudgetSharedByLoadedChecks: the checks loaded together share one
// budget over every resource; once it is spent, each resource left is not
// judged, says why, and the scan is incomplete.
func TestBudgetSharedByLoadedChecks(t *testing.T) {
	check := "id: ACME-B-00%d\ntitle: B\nseverity: LOW\ntypes: [google_storage_bucket]\nmessage: m\nfails_when: resource.name == \"x\"\n"
	cs := loadDir(t, map[string]string{"a.yaml": fmt.Sprintf(check, 1), "b.yaml": fmt.Sprintf(check, 2)}, Options{Budget: 1})
	g := checktest.HCL(t, manyBuckets(5, "x"))
	res := scanner.Run(cs, []*scanner.Graph{g}, scanner.Options{})
	judged, stopped := 0, 0
	for _, f := range res.List() {
		switch {
		case f.Status == scanner.StatusFail || f.Status == scanner.StatusPass:
			judged++
		case f.Status == scanner.StatusUnknown && strings.Contains(f.Reason, "total cost budget of 1 "):
			stopped++
		default:
			t.Errorf("%s %s: %s %s", f.CheckID, f.Resource, f.Status, f.Reason)
		}
	}
	// The two checks run side by side: each may start one evaluation
	// before the other's spends the budget, so one or two are judged
	// (one per check running when it ran out), and every other is stopped.
	if judged < 1 || judged > min(2, runtime.GOMAXPROCS(0)) || judged+stopped != 10 {
		t.Errorf("%d judged, %d stopped by the budget; want 1 (2 when both checks started together) judged and the rest of 10 stopped", judged, stopped)
	}
	if !res.Incomplete() {
		t.Error("a scan whose budget ran out is not incomplete")
	}
}

// TestBudgetBoundsCostlyScan: a check that costs much on every resource
// stops the scan's custom checks once the budget is spent, not after
// resources × the cost limit.
func TestBudgetBoundsCostlyScan(t *testing.T) {
	check := "id: ACME-C-001\ntitle: C\nseverity: LOW\ntypes: [google_storage_bucket]\nmessage: m\n" +
		"fails_when: resource.name.split(\"\").exists(a, resource.name.split(\"\").exists(b, a + b == \"!\"))\n"
	cs := loadDir(t, map[string]string{"c.yaml": check}, Options{Budget: 200_000})
	g := checktest.HCL(t, manyBuckets(40, strings.Repeat("a", 100)))
	res := scanner.Run(cs, []*scanner.Graph{g}, scanner.Options{})
	judged, budget := 0, 0
	for _, f := range res.List() {
		switch {
		case f.Status == scanner.StatusPass:
			judged++
		case strings.Contains(f.Reason, "total cost budget of 200000 "):
			budget++
		default:
			t.Errorf("%s: %s %s", f.Resource, f.Status, f.Reason)
		}
	}
	if judged < 1 || judged > 5 || judged+budget != 40 {
		t.Errorf("%d resources judged, %d stopped by the budget; want 1 to 5 and the rest", judged, budget)
	}
}

// TestLoadRefusesLargeFile: a check file over MaxFileSize is an error
// naming it, refused by its size before it is read.
func TestLoadRefusesLargeFile(t *testing.T) {
	dir := t.TempDir()
	big := "id: ACME-B-001\n# " + strings.Repeat("x", MaxFileSize) + "\n"
	if err := os.WriteFile(filepath.Join(dir, "big.yaml"), []byte(big), 0o644); err != nil {
		t.Fatal(err)
	}
	tree, err := treefs.Open(dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer tree.Close()
	_, err = Load([]Source{{Tree: tree, Path: dir, Shown: "checks"}}, Options{})
	if err == nil || !strings.Contains(err.Error(), "checks/big.yaml: larger than 64 KiB") {
		t.Fatalf("got %v", err)
	}
}
