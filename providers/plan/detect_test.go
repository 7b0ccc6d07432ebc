package plan

import (
	"context"
	"encoding/binary"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
)

func TestDetect(t *testing.T) {
	read := func(name string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(fixtures, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	tests := []struct {
		name string
		data string
		want bool
	}{
		{"plan fixture", read("unknowns/plan.json"), true},
		{"state fixture (one line, as terraform writes it)", read("state/state.json"), true},
		{"minimal plan", `{"format_version":"1.2","planned_values":{}}`, true},
		{"plan with only resource_changes", `{"format_version":"1.0","resource_changes":[]}`, true},
		{"plan with only prior_state", `{"format_version":"1.0","prior_state":{}}`, true},
		{"format_version after the values", `{"values":{"root_module":{}},"format_version":"1.0"}`, true},
		{"empty state of a new workspace", `{"format_version":"1.0","values":null}`, true},
		{"no format_version", `{"planned_values":{},"resource_changes":[]}`, false},
		{"format_version alone", `{"format_version":"1.0","terraform_version":"1.9.5"}`, false},
		{"format_version not a string", `{"format_version":1,"values":{}}`, false},
		{"validate output", `{"format_version":"1.0","valid":true,"error_count":0,"diagnostics":[]}`, false},
		{"asset export NDJSON", `{"name":"//storage.googleapis.com/acme-mail","asset_type":"storage.googleapis.com/Bucket","resource":{"version":"v1","data":{"name":"acme-mail"}}}
{"name":"//cloudkms.googleapis.com/projects/p/locations/us/keyRings/r","asset_type":"cloudkms.googleapis.com/KeyRing"}
`, false},
		{"asset search JSON array", `[{"name":"//storage.googleapis.com/acme-mail","assetType":"storage.googleapis.com/Bucket"}]`, false},
		{"UTF-8 byte order mark", "\xEF\xBB\xBF" + `{"format_version":"1.2","planned_values":{}}`, true},
		{"UTF-16LE from Windows PowerShell", utf16LE(`{"format_version":"1.2","planned_values":{}}`), true},
		{"UTF-16LE without format_version", utf16LE(`{"planned_values":{}}`), false},
		{"empty", ``, false},
		{"not JSON", `resource "google_storage_bucket" "b" {}`, false},
		{"truncated before the values", `{"format_version":"1.2",`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Detect([]byte(tc.data)); got != tc.want {
				t.Errorf("Detect = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name string
		path string
		want []string // substrings of the error
	}{
		{"malformed JSON names the file and line", write("broken.json", "{\n  \"format_version\": \"1.2\",\n  \"planned_values\": {,\n}"),
			[]string{"broken.json", "line 3"}},
		{"wrong type names the file", write("wrongtype.json", `{"format_version":"1.2","resource_changes":{"a":1}}`),
			[]string{"wrongtype.json", "line 1"}},
		{"no format_version", write("nover.json", `{"planned_values":{}}`),
			[]string{"nover.json", "format_version"}},
		{"unsupported major version", write("v2.json", `{"format_version":"2.0","planned_values":{}}`),
			[]string{"v2.json", "2.0"}},
		{"trailing data", write("two.json", `{"format_version":"1.0","values":{}} {"x":1}`),
			[]string{"two.json", "after the JSON object"}},
		{"missing file", filepath.Join(dir, "absent.json"), []string{"absent.json"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g, err := Load(context.Background(), tc.path, Options{Base: dir})
			if err == nil {
				t.Fatalf("Load succeeded with %d resources; want an error", len(g.Resources))
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
	t.Run("missing file is fs.ErrNotExist", func(t *testing.T) {
		_, err := Load(context.Background(), filepath.Join(dir, "absent.json"), Options{})
		if !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("error %v does not wrap fs.ErrNotExist", err)
		}
	})
	t.Run("cancelled context", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := Load(ctx, filepath.Join(fixtures, "unknowns/plan.json"), Options{})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("error %v, want context.Canceled", err)
		}
	})
}

// utf16LE encodes s as Windows PowerShell's ">" writes it: UTF-16LE with a
// byte order mark.
func utf16LE(s string) string {
	b := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return string(b)
}

func TestLoadUTF16(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(fixtures, "unknowns", "plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "plan.json")
	if err := os.WriteFile(p, []byte(utf16LE(string(data))), 0o644); err != nil {
		t.Fatal(err)
	}
	g, err := Load(context.Background(), p, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if g.Lookup("google_storage_bucket.mail") == nil || len(g.Resources) != 5 {
		t.Errorf("loaded %d resources from the UTF-16 plan, want the fixture's 5", len(g.Resources))
	}
}
