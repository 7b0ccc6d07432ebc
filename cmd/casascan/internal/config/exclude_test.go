package config

import (
	"path"
	"strings"
	"testing"

	"github.com/casascan/casascan/scanner"
)

func TestMatch(t *testing.T) {
	tests := []struct {
		pattern, name string
		want          bool
	}{
		{"legacy", "legacy/main.tf", true},
		{"legacy/**", "legacy/main.tf", true},
		{"legacy/**", "legacy", true},
		{"legacy/", "legacy/a/b.tf", true},
		{"./legacy", "legacy/main.tf", true},
		{"/legacy", "legacy/main.tf", true},
		{"legacy", "legacyish/main.tf", false},
		{"legacy", "envs/legacy/main.tf", false}, // anchored at the root
		{"**/legacy", "envs/legacy/main.tf", true},
		{"**/legacy/**", "legacy/main.tf", true},
		{"**/examples/**", "modules/net/examples/basic/main.tf", true},
		{"**/examples/**", "modules/net/example/main.tf", false},
		{"main.tf", "main.tf", true},
		{"main.tf", "envs/main.tf", false},
		{"**/main.tf", "envs/dev/main.tf", true},
		{"**/main.tf", "main.tf", true},
		{"*.tf", "a.tf", true},
		{"*.tf", "dir/a.tf", false}, // * never crosses a slash
		{"envs/*/main.tf", "envs/dev/main.tf", true},
		{"envs/*/main.tf", "envs/dev/eu/main.tf", false},
		{"envs/**/main.tf", "envs/dev/eu/main.tf", true},
		{"envs/**/**/main.tf", "envs/main.tf", true},
		{"env?/x.tf", "envs/x.tf", true},
		{"[a-c]*", "bucket.tf", true},
		{"[a-c]*", "dns.tf", false},
		{".terraform/**", ".terraform/modules/net/main.tf", true},
		{"envs/dev", `envs\dev\main.tf`, true}, // Windows separators in the path
		{"bad[", "bad[", false},                // malformed matches nothing
		{"", "main.tf", false},
		{"**", "anything/at/all.tf", true},
	}
	for _, tt := range tests {
		t.Run(tt.pattern+" ~ "+tt.name, func(t *testing.T) {
			if got := Match(tt.pattern, tt.name); got != tt.want {
				t.Errorf("Match(%q, %q) = %v, want %v", tt.pattern, tt.name, got, tt.want)
			}
		})
	}
}

func TestValidatePattern(t *testing.T) {
	for _, p := range []string{"a/**", "**/x/*.tf", "[abc]", "./a"} {
		if err := ValidatePattern(p); err != nil {
			t.Errorf("ValidatePattern(%q) = %v", p, err)
		}
	}
	for _, p := range []string{"", "/", "bad[", "a/[z-a", "../x", "a/../../b"} {
		if err := ValidatePattern(p); err == nil {
			t.Errorf("ValidatePattern(%q) accepted it", p)
		}
	}
}

func TestDropExcluded(t *testing.T) {
	c := &Config{Exclude: []string{"legacy/**", "**/examples/**"}}
	loc := func(f string) scanner.Location { return scanner.Location{File: f, StartLine: 1} }
	res := scanner.NewResult(scanner.Tool{}, nil,
		[]scanner.Finding{
			{CheckID: "GCP-ENC-001", Location: loc("main.tf")},
			{CheckID: "GCP-ENC-001", Location: loc("legacy/main.tf")},
			{CheckID: "GCP-ENC-002", Location: loc("modules/db/examples/x/main.tf")},
			{CheckID: "GCP-ENC-003", Location: loc("gcp/storage.googleapis.com/b")},
		},
		[]scanner.Diagnostic{
			{Summary: "kept", File: "main.tf"},
			{Summary: "dropped", File: "legacy/broken.tf"},
			{Summary: "no file", Subject: "project p"},
		},
	)
	if n := c.DropExcluded(res); n != 2 {
		t.Errorf("DropExcluded = %d, want 2", n)
	}
	var files []string
	for _, f := range res.List() {
		files = append(files, f.Location.File)
	}
	if len(files) != 2 || files[0] != "main.tf" || files[1] != "gcp/storage.googleapis.com/b" {
		t.Errorf("kept findings %v", files)
	}
	if len(res.Diagnostics) != 2 || res.Diagnostics[0].Summary != "kept" || res.Diagnostics[1].Summary != "no file" {
		t.Errorf("kept diagnostics %v", res.Diagnostics)
	}
	if n := (&Config{}).DropExcluded(res); n != 0 || res.Len() != 2 {
		t.Errorf("no patterns dropped %d", n)
	}
}

// backtrack is the former exponential matcher, kept as the oracle.
func backtrack(ps, ns []string) bool {
	for len(ps) > 0 {
		if ps[0] == "**" {
			for skip := 0; skip <= len(ns); skip++ {
				if backtrack(ps[1:], ns[skip:]) {
					return true
				}
			}
			return false
		}
		if len(ns) == 0 {
			return false
		}
		if ok, err := path.Match(ps[0], ns[0]); err != nil || !ok {
			return false
		}
		ps, ns = ps[1:], ns[1:]
	}
	return len(ns) == 0
}

// TestMatchAgreesWithBacktracking: the table matcher gives the answer of
// the backtracking one on every small pattern and path.
func TestMatchAgreesWithBacktracking(t *testing.T) {
	segs := []string{"**", "*", "a", "b*", "?"}
	names := []string{"a", "b", "bb"}
	var patterns [][]string
	var gen func(p []string)
	gen = func(p []string) {
		if len(p) > 0 {
			patterns = append(patterns, append([]string{}, p...))
		}
		if len(p) < 4 {
			for _, s := range segs {
				gen(append(p, s))
			}
		}
	}
	gen(nil)
	var paths [][]string
	var genPath func(n []string)
	genPath = func(n []string) {
		if len(n) > 0 {
			paths = append(paths, append([]string{}, n...))
		}
		if len(n) < 4 {
			for _, s := range names {
				genPath(append(n, s))
			}
		}
	}
	genPath(nil)
	for _, p := range patterns {
		for _, n := range paths {
			want := false
			for k := 1; k <= len(n); k++ {
				want = want || backtrack(p, n[:k])
			}
			if got := Match(strings.Join(p, "/"), strings.Join(n, "/")); got != want {
				t.Fatalf("Match(%q, %q) = %v, want %v", strings.Join(p, "/"), strings.Join(n, "/"), got, want)
			}
		}
	}
}

// TestMatchManyDoubleStars: the pattern that made the backtracking matcher
// exponential answers, and right.
func TestMatchManyDoubleStars(t *testing.T) {
	deep := strings.Repeat("d/", 40) + "main.tf"
	if Match(strings.Repeat("**/*/", 10)+"x", deep) {
		t.Error("matched a path without x")
	}
	if !Match(strings.Repeat("**/*/", 10)+"main.tf", deep) {
		t.Error("did not match")
	}
}
