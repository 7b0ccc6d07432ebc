package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestDemo keeps fixtures/demo honest: the README promises that scanning it
// shows real findings of several families, a module, a for_each, dynamic
// blocks and an ignore comment. Every non-passing result is compared with
// fixtures/cli/demo.golden; -update rewrites it (review the diff).
func TestDemo(t *testing.T) {
	root := filepath.Join("..", "..")
	c, stdout, stderr := newTestCLI(mustAbs(t, root), nil, testNow)
	code := c.run(context.Background(), []string{"scan", "fixtures/demo", "--format", "json"})
	if code != exitFindings {
		t.Fatalf("exit code %d, want %d; stderr:\n%s", code, exitFindings, stderr)
	}
	if stderr.Len() > 0 {
		t.Errorf("the demo raises diagnostics:\n%s", stderr)
	}
	lines, passes := demoResults(t, stdout.Bytes())
	got := strings.Join(lines, "\n") + "\n"
	golden := filepath.Join(root, "fixtures", "cli", "demo.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("reading %s: %v (run go test ./cmd/casascan -run TestDemo -update)", golden, err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("demo results changed (-want +got):\n%s", diff)
	}
	if passes == 0 {
		t.Error("the demo has no compliant resource")
	}
	families := map[string]bool{}
	for _, l := range lines {
		if f := strings.Fields(l); f[0] == "FAIL" {
			families[f[1][:len("GCP-XXX")]] = true
		}
	}
	for _, fam := range []string{"GCP-ENC", "GCP-KMS", "GCP-TLS", "GCP-SEC", "GCP-ACC"} {
		if !families[fam] {
			t.Errorf("the demo has no %s finding", fam)
		}
	}
}

// demoResults lists the non-passing results of a JSON report, one line
// each, sorted, and counts the passes.
func demoResults(t *testing.T, report []byte) (lines []string, passes int) {
	t.Helper()
	var doc struct {
		Findings []struct {
			CheckID  string `json:"check_id"`
			Status   string `json:"status"`
			Resource string `json:"resource"`
			Location struct {
				File string `json:"file"`
				Line int    `json:"start_line"`
			} `json:"location"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(report, &doc); err != nil {
		t.Fatalf("decoding the JSON report: %v", err)
	}
	for _, f := range doc.Findings {
		if f.Status == "PASS" {
			passes++
			continue
		}
		lines = append(lines, fmt.Sprintf("%-8s %s %s %s:%d", f.Status, f.CheckID, f.Resource, f.Location.File, f.Location.Line))
	}
	sort.Strings(lines)
	return lines, passes
}

func mustAbs(t *testing.T, p string) string {
	t.Helper()
	abs, err := filepath.Abs(p)
	if err != nil {
		t.Fatal(err)
	}
	return abs
}
