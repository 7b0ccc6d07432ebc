package config

import (
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
	res := &scanner.Result{
		Findings: []scanner.Finding{
			{CheckID: "GCP-ENC-001", Location: loc("main.tf")},
			{CheckID: "GCP-ENC-001", Location: loc("legacy/main.tf")},
			{CheckID: "GCP-ENC-002", Location: loc("modules/db/examples/x/main.tf")},
			{CheckID: "GCP-ENC-003", Location: loc("gcp/storage.googleapis.com/b")},
		},
		Diagnostics: []scanner.Diagnostic{
			{Summary: "kept", File: "main.tf"},
			{Summary: "dropped", File: "legacy/broken.tf"},
			{Summary: "no file", Subject: "project p"},
		},
	}
	if n := c.DropExcluded(res); n != 2 {
		t.Errorf("DropExcluded = %d, want 2", n)
	}
	var files []string
	for _, f := range res.Findings {
		files = append(files, f.Location.File)
	}
	if len(files) != 2 || files[0] != "main.tf" || files[1] != "gcp/storage.googleapis.com/b" {
		t.Errorf("kept findings %v", files)
	}
	if len(res.Diagnostics) != 2 || res.Diagnostics[0].Summary != "kept" || res.Diagnostics[1].Summary != "no file" {
		t.Errorf("kept diagnostics %v", res.Diagnostics)
	}
	if n := (&Config{}).DropExcluded(res); n != 0 || len(res.Findings) != 2 {
		t.Errorf("no patterns dropped %d", n)
	}
}
