package gcp

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/casascan/casascan/checks"
	"github.com/casascan/casascan/scanner"
)

const fixtures = "../../fixtures/gcp/export"

func TestDetectExport(t *testing.T) {
	plan, err := os.ReadFile("../../fixtures/gcp/export/acme-prod.ndjson")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		data string
		want bool
	}{
		{"export snake_case", `{"name":"//storage.googleapis.com/b","asset_type":"storage.googleapis.com/Bucket","resource":{}}`, true},
		{"export camelCase", "\n  {\"name\":\"//x\",\"assetType\":\"t\",\"iamPolicy\":{}}\n", true},
		{"asset array", `[{"name":"//x","assetType":"t","resource":{"data":{}}}]`, true},
		{"search results", `[ {"name":"//x","assetType":"t","project":"projects/1","displayName":"x"} ]`, true},
		{"IAM policy search", `[{"resource":"//x","assetType":"t","policy":{"bindings":[]}}]`, true},
		{"empty array", " [ ] ", true},
		{"assets.list API response", `{"readTime":"2026-05-04T10:00:00Z","assets":[{"name":"//x","assetType":"t","resource":{}}]}`, true},
		{"searchAllResources API response", `{"results":[{"name":"//x","assetType":"t","project":"projects/1"}],"nextPageToken":""}`, true},
		{"results of something else", `{"results":[{"id":1}]}`, false},
		{"nested arrays", `[[{"name":"//x","assetType":"t"}]]`, false},
		{"pretty-printed object", "{\n  \"name\": \"//x\",\n  \"asset_type\": \"t\"\n}", true},
		{"byte order mark", "\ufeff{\"name\":\"//x\",\"assetType\":\"t\"}", true},
		{"head of a file cut mid-line", string(plan[:300]), true},
		{"plan JSON", `{"format_version":"1.2","terraform_version":"1.9.0","planned_values":{"root_module":{}}}`, false},
		{"terraform .tf.json", `{"resource":{"google_storage_bucket":{"b":{"name":"b"}}}}`, false},
		{"array of numbers", `[1,2,3]`, false},
		{"NDJSON with a damaged first line", "{\"name\":\"//x\",\"asset\n{\"name\":\"//y\",\"asset_type\":\"t\",\"resource\":{}}\n", true},
		{"NDJSON after a stray line", "exported 2026-05-04\n{\"name\":\"//y\",\"asset_type\":\"t\",\"resource\":{}}\n", true},
		{"gcloud YAML", "---\nname: //x\nassetType: t\nproject: projects/1\n---\nname: //y\n", true},
		{"other YAML", "name: x\nversion: 2\n", false},
		{"HCL", `resource "google_storage_bucket" "b" {}`, false},
		{"empty", "   ", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := DetectExport([]byte(tc.data)); got != tc.want {
				t.Errorf("DetectExport = %v, want %v", got, tc.want)
			}
		})
	}
}

func load(t *testing.T, path string) *scanner.Graph {
	t.Helper()
	g, err := LoadExport(context.Background(), path, filepath.Dir(path))
	if err != nil {
		t.Fatalf("LoadExport: %v", err)
	}
	return g
}

// TestExportFormatsAgree reads the same assets as snake_case NDJSON with
// separate IAM lines, as a camelCase JSON array, and with its lines shuffled:
// the graphs are identical.
func TestExportFormatsAgree(t *testing.T) {
	want := dumpGraph(load(t, filepath.Join(fixtures, "acme-prod.ndjson")))
	if !strings.Contains(want, "//storage.googleapis.com/acme-mail google_storage_bucket project=acme-prod source=export file=gcp/storage.googleapis.com/acme-mail") {
		t.Fatalf("unexpected graph:\n%s", want)
	}
	if got := dumpGraph(load(t, filepath.Join(fixtures, "acme-prod.list.json"))); got != want {
		t.Errorf("JSON array differs from NDJSON:\n%s", diffLines(want, got))
	}
	data, err := os.ReadFile(filepath.Join(fixtures, "acme-prod.ndjson"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	slices.Reverse(lines)
	shuffled := filepath.Join(t.TempDir(), "shuffled.ndjson")
	if err := os.WriteFile(shuffled, []byte(strings.Join(lines, "\r\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := dumpGraph(load(t, shuffled)); got != want {
		t.Errorf("reversed CRLF NDJSON differs:\n%s", diffLines(want, got))
	}
}

func diffLines(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	var out []string
	for i := 0; i < max(len(al), len(bl)); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			out = append(out, "- "+x, "+ "+y)
		}
		if len(out) > 20 {
			break
		}
	}
	return strings.Join(out, "\n")
}

func TestLoadExportMalformed(t *testing.T) {
	g := load(t, filepath.Join(fixtures, "malformed.ndjson"))
	var got []string
	for _, d := range g.Diagnostics {
		if d.Severity == scanner.DiagError {
			got = append(got, d.File+":"+strconv.Itoa(d.Line))
		}
	}
	want := []string{"malformed.ndjson:2", "malformed.ndjson:3", "malformed.ndjson:4", "malformed.ndjson:5", "malformed.ndjson:6"}
	if !slices.Equal(got, want) {
		t.Errorf("diagnostics at %v, want %v", got, want)
	}
	var addrs []string
	for _, r := range g.Resources {
		addrs = append(addrs, r.Address)
	}
	wantAddrs := []string{
		"//cloudresourcemanager.googleapis.com/projects/123456789012",
		"//storage.googleapis.com/acme-public-assets",
		"//storage.googleapis.com/acme-public-assets/iam/roles/storage.legacyBucketOwner/projectOwner:acme-prod",
		"//storage.googleapis.com/acme-public-assets/iam/roles/storage.objectViewer/allUsers",
	}
	if !slices.Equal(addrs, wantAddrs) {
		t.Errorf("resources %v, want %v", addrs, wantAddrs)
	}
}

func TestLoadExportArrayErrors(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bad.json")
	data := "[\n" +
		`{"name":"//storage.googleapis.com/ok","assetType":"storage.googleapis.com/Bucket","resource":{"data":{"name":"ok"}}},` + "\n" +
		`{"assetType":"storage.googleapis.com/Bucket","resource":{"data":{}}},` + "\n" +
		`{"name":"//storage.googleapis.com/cut","assetType":` + "\n"
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	g := load(t, path)
	if len(g.Resources) != 1 || g.Resources[0].Address != "//storage.googleapis.com/ok" {
		t.Errorf("resources: %s", dumpGraph(g))
	}
	var lines []int
	for _, d := range g.Diagnostics {
		if d.File != "bad.json" {
			t.Errorf("diagnostic names %q, want bad.json", d.File)
		}
		lines = append(lines, d.Line)
	}
	if !slices.Equal(lines, []int{3, 4}) {
		t.Errorf("diagnostic lines %v, want [3 4]", lines)
	}
}

// TestLoadAPIResponses reads saved REST responses of assets.list and
// searchAllResources, whose records sit in an assets or results list.
func TestLoadAPIResponses(t *testing.T) {
	data := `{"readTime":"2026-05-04T10:00:00Z","assets":[
  {"name":"//storage.googleapis.com/a","assetType":"storage.googleapis.com/Bucket","resource":{"data":{"name":"a"}}},
  {"assetType":"storage.googleapis.com/Bucket"}]}
{"results":[{"name":"//storage.googleapis.com/b","assetType":"storage.googleapis.com/Bucket","project":"projects/1","displayName":"b"}]}
`
	path := filepath.Join(t.TempDir(), "responses.json")
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	g := load(t, path)
	if g.Lookup("//storage.googleapis.com/a") == nil || g.Lookup("//storage.googleapis.com/b") == nil {
		t.Errorf("want buckets a and b:\n%s", dumpGraph(g))
	}
	if len(g.Diagnostics) != 1 || g.Diagnostics[0].Line != 1 {
		t.Errorf("diagnostics %v, want one for the element without a name, at the response's line 1", g.Diagnostics)
	}
}

// TestLoadYAML reads gcloud's default YAML output.
func TestLoadYAML(t *testing.T) {
	data := `---
assetType: storage.googleapis.com/Bucket
displayName: yb
kmsKeys:
- projects/p/locations/us/keyRings/r/cryptoKeys/k
location: us
name: //storage.googleapis.com/yb
project: projects/42
---
assetType: storage.googleapis.com/Bucket
name: //storage.googleapis.com/yc
resource:
  data:
    name: yc
    iamConfiguration:
      publicAccessPrevention: enforced
      uniformBucketLevelAccess:
        enabled: true
---
name: [unclosed
`
	path := filepath.Join(t.TempDir(), "assets.yaml")
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	g := load(t, path)
	yb, yc := g.Lookup("//storage.googleapis.com/yb"), g.Lookup("//storage.googleapis.com/yc")
	if yb == nil || yc == nil {
		t.Fatalf("want buckets yb and yc:\n%s", dumpGraph(g))
	}
	if got := render(yb.Get("encryption.default_kms_key_name")); got != hsmKey {
		t.Errorf("yb key = %s", got)
	}
	if got := render(yc.Get("uniform_bucket_level_access")); got != "true" {
		t.Errorf("yc uniform access = %s", got)
	}
	if len(g.Diagnostics) != 1 || g.Diagnostics[0].Line != 19 {
		t.Errorf("diagnostics %v, want one at line 19", g.Diagnostics)
	}
}

func TestLoadExportUnreadable(t *testing.T) {
	_, err := LoadExport(context.Background(), filepath.Join(t.TempDir(), "missing.ndjson"), "")
	if err == nil || !strings.Contains(err.Error(), "reading asset export") {
		t.Errorf("err = %v, want a reading error", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := LoadExport(ctx, filepath.Join(fixtures, "acme-prod.ndjson"), ""); err == nil {
		t.Error("cancelled context: want an error")
	}
}

// TestMergeKeepsNewest keeps the latest resource content of a name and the
// IAM policy from its own line.
func TestMergeKeepsNewest(t *testing.T) {
	lines := []string{
		`{"name":"//storage.googleapis.com/b","asset_type":"storage.googleapis.com/Bucket","update_time":"2026-01-02T00:00:00Z","resource":{"data":{"name":"b","iamConfiguration":{"publicAccessPrevention":"enforced"}}}}`,
		`{"name":"//storage.googleapis.com/b","asset_type":"storage.googleapis.com/Bucket","update_time":"2026-01-01T00:00:00Z","resource":{"data":{"name":"b","iamConfiguration":{"publicAccessPrevention":"inherited"}}}}`,
		`{"name":"//storage.googleapis.com/b","asset_type":"storage.googleapis.com/Bucket","iam_policy":{"bindings":[{"role":"roles/storage.admin","members":["allUsers"]}]}}`,
		`{"name":"//storage.googleapis.com/b","asset_type":"storage.googleapis.com/Bucket","org_policy":[{"constraint":"x"}]}`,
	}
	path := filepath.Join(t.TempDir(), "dup.ndjson")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	g := load(t, path)
	b := g.Lookup("//storage.googleapis.com/b")
	if b == nil || render(b.Get("public_access_prevention")) != "enforced" {
		t.Errorf("want the newest content (enforced):\n%s", dumpGraph(g))
	}
	if g.Lookup("//storage.googleapis.com/b/iam/roles/storage.admin/allUsers") == nil || len(g.Diagnostics) != 0 {
		t.Errorf("want the IAM binding and no diagnostics:\n%s", dumpGraph(g))
	}
}

// TestSearchResults maps search-all-resources output: a result with
// versioned resources is full data; without, what it lacks is unknown, except
// its CMEK keys, which a search result lists.
func TestSearchResults(t *testing.T) {
	g := load(t, filepath.Join(fixtures, "acme-search.json"))
	cmek := g.Lookup("//storage.googleapis.com/acme-search-cmek")
	plain := g.Lookup("//storage.googleapis.com/acme-search-plain")
	key := g.Lookup("//cloudkms.googleapis.com/projects/acme-prod/locations/us/keyRings/casa/cryptoKeys/search-soft")
	if cmek == nil || plain == nil || key == nil {
		t.Fatalf("missing resources:\n%s", dumpGraph(g))
	}
	checks := []struct {
		r          *scanner.Resource
		path, want string
	}{
		{cmek, "encryption.default_kms_key_name", "projects/acme-prod/locations/us/keyRings/casa/cryptoKeys/mail-hsm"},
		{cmek, "uniform_bucket_level_access", "<unknown>"},
		{cmek, "name", "acme-search-cmek"},
		{cmek, "labels.data", "restricted"},
		{plain, "encryption.default_kms_key_name", "<absent>"},
		{plain, "public_access_prevention", "<unknown>"},
		{plain, "retention_policy.is_locked", "<unknown>"},
		{key, "version_template.protection_level", "SOFTWARE"},
		{key, "rotation_period", "7776000s"},
	}
	for _, c := range checks {
		if got := render(c.r.Get(c.path)); got != c.want {
			t.Errorf("%s %s = %s, want %s", c.r.Address, c.path, got, c.want)
		}
	}
	if refs := cmek.Get("encryption.default_kms_key_name").Refs; len(refs) != 1 || !strings.HasSuffix(refs[0], "/cryptoKeys/mail-hsm") {
		t.Errorf("refs = %v", refs)
	}
	if cmek.Project != "123456789012" {
		t.Errorf("project = %s, want the number from the result", cmek.Project)
	}

	iam := load(t, filepath.Join(fixtures, "acme-iam-search.json"))
	b := iam.Lookup("//storage.googleapis.com/acme-search-plain/iam/roles/storage.objectViewer/allUsers")
	if b == nil || render(b.Get("member")) != "allUsers" || b.Type != "google_storage_bucket_iam_member" ||
		b.Reported() != "//storage.googleapis.com/acme-search-plain" {
		t.Errorf("IAM search result:\n%s", dumpGraph(iam))
	}
}

// seedHead keeps the first lines of a fixture, up to about 4 KiB: small
// seeds keep the fuzzer fast.
func seedHead(data []byte) []byte {
	const limit = 4096
	if len(data) <= limit {
		return data
	}
	if i := strings.LastIndexByte(string(data[:limit]), '\n'); i > 0 {
		return data[:i+1]
	}
	return data[:limit]
}

// FuzzLoadExport feeds arbitrary files: LoadExport never panics and never
// fails on a readable file, the graph is the same on a second read, and the
// checks can judge it.
func FuzzLoadExport(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join(fixtures, "*"))
	sort.Strings(paths)
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(seedHead(data))
	}
	f.Add([]byte(`[{"name":"//storage.googleapis.com/b","assetType":"storage.googleapis.com/Bucket","project":"projects/1","kmsKeys":[]}]`))
	f.Add([]byte(`{"name":"//x","assetType":"storage.googleapis.com/Bucket","resource":{"data":{"lifecycle":{"rule":[null,{"condition":[]}]}}}}`))
	// A truncated export: its last record is not judged.
	f.Add([]byte(`{"name":"//storage.googleapis.com/b","assetType":"storage.googleapis.com/Bucket","resource":{"data":{"name":"b"}}}` + "\n" + `{"name":"//storage.googleapis.com/c","assetType":"storage.goo`))
	// Hostile shapes, small: deep nesting, a record per line with a bad one.
	f.Add([]byte(`[{"name":"//x","assetType":"storage.googleapis.com/Bucket","resource":{"data":` + strings.Repeat("[", 200) + strings.Repeat("]", 200) + `}}]`))
	f.Add([]byte(strings.Repeat(`{"name":"//storage.googleapis.com/b","assetType":"storage.googleapis.com/Bucket"}`+"\n", 20) + "{\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		DetectExport(data)
		path := filepath.Join(t.TempDir(), "f.json")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		g1, err := LoadExport(context.Background(), path, "")
		if err != nil {
			t.Fatalf("readable file: %v", err)
		}
		g2, _ := LoadExport(context.Background(), path, "")
		if dumpGraph(g1) != dumpGraph(g2) {
			t.Fatal("two reads differ")
		}
		// Every check judges whatever the mapping makes of the input.
		scanner.Run(checks.All(), []*scanner.Graph{g1}, scanner.Options{})
	})
}

// TestLineCounter: the line of each offset, asked in order and then out of
// order, is one plus the newlines before it.
func TestLineCounter(t *testing.T) {
	data := []byte("a\nbb\n\nccc\n")
	c := &lineCounter{data: data}
	for _, off := range []int{0, 1, 2, 5, 6, 7, 9, 10, 99, 3, -1, 8, 4} {
		want := bytes.Count(data[:min(max(off, 0), len(data))], []byte("\n")) + 1
		if got := c.at(off); got != want {
			t.Errorf("at(%d) = %d, want %d", off, got, want)
		}
	}
}
