package report

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/casascan/casascan/scanner"
)

// shardResults splits a result's findings and diagnostics between n results
// with pick (finding index → shard), as n shards of one scan would report
// them; every shard also raises one diagnostic that all of them share.
func shardResults(res *scanner.Result, n int, pick func(i int) int) []*scanner.Result {
	shared := scanner.Diagnostic{Severity: scanner.DiagWarning, Summary: "shared warning", Subject: "every shard"}
	fs := make([][]scanner.Finding, n)
	diags := make([][]scanner.Diagnostic, n)
	for i := range n {
		fs[i], diags[i] = []scanner.Finding{}, []scanner.Diagnostic{shared}
	}
	for i, f := range res.List() {
		fs[pick(i)] = append(fs[pick(i)], f)
	}
	for i, d := range res.Diagnostics {
		diags[(i+1)%n] = append(diags[(i+1)%n], d)
	}
	out := make([]*scanner.Result, n)
	for i := range out {
		scanner.SortDiagnostics(diags[i])
		out[i] = scanner.NewResult(res.Tool, res.Checks, fs[i], diags[i])
	}
	return out
}

// withShared is res with the diagnostic every shard raises, once.
func withShared(res *scanner.Result) *scanner.Result {
	diags := append(append([]scanner.Diagnostic(nil), res.Diagnostics...),
		scanner.Diagnostic{Severity: scanner.DiagWarning, Summary: "shared warning", Subject: "every shard"})
	scanner.SortDiagnostics(diags)
	return scanner.NewResult(res.Tool, res.Checks, res.List(), diags)
}

func mergeShards(t *testing.T, shards []*scanner.Result, opts func(i int) Options) []byte {
	t.Helper()
	var inputs []io.Reader
	for i, s := range shards {
		inputs = append(inputs, bytes.NewReader(render(t, "sarif", s, opts(i))))
	}
	var out bytes.Buffer
	if err := MergeSARIF(&out, inputs...); err != nil {
		t.Fatalf("MergeSARIF: %v", err)
	}
	return out.Bytes()
}

func TestMergeSARIFEqualsOneRun(t *testing.T) {
	const n = 3
	splits := map[string]func(i int) int{
		"round robin": func(i int) int { return i % n },
		"blocks":      func(i int) int { return i * n / testResult().Len() },
		"one shard":   func(int) int { return 1 },
	}
	for name, pick := range splits {
		for _, unknown := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/unknown=%v", name, unknown), func(t *testing.T) {
				whole := render(t, "sarif", withShared(testResult()),
					Options{Root: "organizations/271828182845", IncludeUnknown: unknown})
				merged := mergeShards(t, shardResults(testResult(), n, pick), func(i int) Options {
					return Options{Root: fmt.Sprintf("organizations/271828182845,shard-%d-of-%d", i, n), IncludeUnknown: unknown}
				})
				validateSARIF(t, merged)
				if !bytes.Equal(whole, merged) {
					t.Errorf("merged SARIF differs from one run's:\n%s", lineDiff(string(whole), string(merged)))
				}
			})
		}
	}
}

// TestMergeSARIFOverLimit: a merge that goes over GitHub's limit keeps the
// results one run over the limit keeps, and says so once.
func TestMergeSARIFOverLimit(t *testing.T) {
	defer func(n int) { sarifMaxResults = n }(sarifMaxResults)
	sarifMaxResults = 4
	const n = 3
	pick := func(i int) int { return i % n }
	whole := render(t, "sarif", withShared(testResult()), Options{Root: "."})
	if !bytes.Contains(whole, []byte("results were left out")) {
		t.Fatal("the whole run is not over the lowered limit; the test proves nothing")
	}
	merged := mergeShards(t, shardResults(testResult(), n, pick), func(int) Options { return Options{Root: "."} })
	validateSARIF(t, merged)
	if !bytes.Equal(whole, merged) {
		t.Errorf("merged SARIF differs from one run's:\n%s", lineDiff(string(whole), string(merged)))
	}
}

func TestMergeSARIFOrderAndRepeats(t *testing.T) {
	shards := shardResults(testResult(), 3, func(i int) int { return i % 3 })
	opts := func(int) Options { return Options{Root: "."} }
	forward := mergeShards(t, shards, opts)
	backward := mergeShards(t, []*scanner.Result{shards[2], shards[1], shards[0]}, opts)
	if !bytes.Equal(forward, backward) {
		t.Errorf("merge depends on the order of its inputs:\n%s", lineDiff(string(forward), string(backward)))
	}
	// The same file given twice adds nothing.
	twice := mergeShards(t, []*scanner.Result{shards[0], shards[1], shards[2], shards[1]}, opts)
	if !bytes.Equal(forward, twice) {
		t.Errorf("a repeated input changed the merge:\n%s", lineDiff(string(forward), string(twice)))
	}
}

func TestMergeSARIFCategory(t *testing.T) {
	tests := []struct {
		name  string
		roots []string
		want  string
	}{
		{"shards of one scan", []string{"projects/a,shard-0-of-2", "projects/a,shard-1-of-2"}, `"id": "casascan/projects/a/"`},
		{"only a shard", []string{"shard-0-of-2", "shard-1-of-2"}, `"id": "casascan/"`},
		{"same category", []string{"infra", "infra"}, `"id": "casascan/infra/"`},
		{"different scans", []string{"infra/prod", "infra/dev"}, `"id": "casascan/merged/"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			shards := shardResults(testResult(), len(tc.roots), func(i int) int { return i % len(tc.roots) })
			out := mergeShards(t, shards, func(i int) Options { return Options{Root: tc.roots[i]} })
			if !bytes.Contains(out, []byte(tc.want)) {
				t.Errorf("merged automationDetails lacks %s", tc.want)
			}
		})
	}
}

func TestMergeSARIFRejects(t *testing.T) {
	good := string(render(t, "sarif", testResult(), Options{Root: "."}))
	other := strings.Replace(good, `"semanticVersion": "1.2.3"`, `"semanticVersion": "1.3.0"`, 1)
	tests := []struct {
		name, input, want string
	}{
		{"not JSON", "casascan found 3 problems", "input 2: not a SARIF log"},
		{"other SARIF version", strings.Replace(good, `"version": "2.1.0"`, `"version": "2.0.0"`, 1), `input 2: SARIF version "2.0.0"`},
		{"other tool", strings.Replace(good, `"name": "casascan"`, `"name": "tflint"`, 1), "input 2: not written by casascan"},
		{"no run", `{"version": "2.1.0", "runs": []}`, "input 2: 0 runs"},
		{"other casascan version", other, `input 2 was written by casascan "1.3.0", input 1 by "1.2.3"`},
		{"a result of no rule", strings.Replace(good, `"ruleId": "GCP-KMS-001"`, `"ruleId": "GCP-XXX-999"`, 1), "input 2: result of rule GCP-XXX-999"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			err := MergeSARIF(&out, strings.NewReader(good), strings.NewReader(tc.input))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want it to say %q", err, tc.want)
			}
		})
	}
	t.Run("names a file input", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "shard-1.sarif")
		if err := os.WriteFile(path, []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		err = MergeSARIF(io.Discard, strings.NewReader(good), f)
		if err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("error = %v, want it to name %s", err, path)
		}
	})
	if err := MergeSARIF(io.Discard); err == nil {
		t.Error("no input: no error")
	}
}

// lineDiff shows the first differing line of two texts.
func lineDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("lengths differ: %d and %d lines", len(al), len(bl))
}

// TestMergeSARIFTooDeep: an input nested deeper than casascan's SARIF ever
// is (properties 9,000 levels deep, which decode but would be written out
// in quadratic space) is refused with its name and line; the same input
// with shallow properties merges.
func TestMergeSARIFTooDeep(t *testing.T) {
	whole := render(t, "sarif", testResult(), Options{Root: "."})
	for _, tc := range []struct {
		depth int
		ok    bool
	}{{9000, false}, {maxMergeDepth, false}, {3, true}} {
		props := []byte(`"properties": {"x": ` + strings.Repeat(`{"a\"{[": `, tc.depth) + "1" + strings.Repeat("}", tc.depth) + "},\n")
		deep := bytes.Replace(whole, []byte(`"ruleId"`), append(props, []byte(`"ruleId"`)...), 1)
		deep = bytes.Replace(deep, []byte(`"results": [`), []byte(`"results": [`+"\n"), 1)
		if bytes.Equal(deep, whole) {
			t.Fatal("no result to put properties in")
		}
		var out bytes.Buffer
		err := MergeSARIF(&out, namedBytes{bytes.NewReader(deep), "shard-1.sarif"})
		if tc.ok {
			if err != nil {
				t.Errorf("depth %d: %v", tc.depth, err)
			}
			continue
		}
		if err == nil || !regexp.MustCompile(`^reading shard-1\.sarif:[1-9][0-9]+: nested more than 64 levels deep`).MatchString(err.Error()) {
			t.Errorf("depth %d: error %v", tc.depth, err)
		}
		if out.Len() != 0 {
			t.Errorf("depth %d: %d bytes written", tc.depth, out.Len())
		}
	}
}

type namedBytes struct {
	*bytes.Reader
	name string
}

func (n namedBytes) Name() string { return n.name }
