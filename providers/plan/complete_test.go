package plan

import (
	"strings"
	"testing"

	"github.com/casascan/casascan/scanner"
)

// TestUnreadableMaskIsAllSensitive: a sensitive_values or after_sensitive
// mask that cannot be read marks every value of the resource sensitive,
// never none; a readable mask marks only what it says.
func TestUnreadableMaskIsAllSensitive(t *testing.T) {
	for _, tc := range []struct {
		name, resource, change string
		all                    bool
	}{
		{"readable mask", `"sensitive_values":{"name":true}`, `"after_sensitive":{}`, false},
		{"sensitive_values not an object", `"sensitive_values":"yes"`, `"after_sensitive":{}`, true},
		{"sensitive_values with a number", `"sensitive_values":{"name":1}`, `"after_sensitive":{}`, true},
		{"after_sensitive a string", `"sensitive_values":{}`, `"after_sensitive":"everything"`, true},
		{"after_sensitive nested too deep", `"sensitive_values":{}`, `"after_sensitive":{"x":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}`, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := loadString(t, `{"format_version":"1.2","planned_values":{"root_module":{"resources":[
				{"address":"google_storage_bucket.b","mode":"managed","type":"google_storage_bucket","name":"b",
				 "values":{"name":"n","location":"EU"},`+tc.resource+`}]}},
				"resource_changes":[{"address":"google_storage_bucket.b","mode":"managed","type":"google_storage_bucket","name":"b",
				 "change":{"actions":["create"],"after":{"name":"n","location":"EU"},`+tc.change+`}}]}`)
			r := mustLookup(t, g, "google_storage_bucket.b")
			if !r.Body.Attrs["name"].Sensitive {
				t.Error("name is not sensitive")
			}
			if got := r.Body.Attrs["location"].Sensitive; got != tc.all {
				t.Errorf("location sensitive = %v, want %v", got, tc.all)
			}
		})
	}
}

// TestDuplicateRootModule: a second, empty root_module (encoding/json keeps
// the last) is a not-judged diagnostic at its line, never a silent clean
// plan.
func TestDuplicateRootModule(t *testing.T) {
	g := loadString(t, `{"format_version":"1.2","planned_values":{
"root_module":{"resources":[{"address":"google_storage_bucket.b","mode":"managed","type":"google_storage_bucket","name":"b","values":{"name":"n"}}]},
"root_module":{}}}`)
	var found bool
	for _, d := range g.Diagnostics {
		if d.NotJudged() && d.File == "plan.json" && d.Line == 3 && strings.Contains(d.Summary, `duplicate key "root_module"`) {
			found = true
		}
	}
	if !found {
		t.Errorf("no not-judged diagnostic at plan.json:3 for the duplicate root_module: %v", g.Diagnostics)
	}
}

func TestEmptyPlanSaysSo(t *testing.T) {
	g := loadString(t, `{"format_version":"1.2","planned_values":{"root_module":{}}}`)
	if len(g.Diagnostics) != 1 || !strings.Contains(g.Diagnostics[0].Summary, "no resources") {
		t.Errorf("diagnostics = %v, want one saying there are no resources", g.Diagnostics)
	}
}

func TestDuplicateKeys(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []dupKey
	}{
		{`{"a":1,"b":{"a":2}}`, nil},
		{`{"a":1,` + "\n" + `"a":2}`, []dupKey{{"a", 2}}},
		{`{"a\u0062":1,"ab":2}`, []dupKey{{"ab", 1}}},
		{`[{"x":"\"x\":","x":1}]`, []dupKey{{"x", 1}}},
		{`{"s":"{\"k\":1,\"k\":2}"}`, nil}, // inside a string: not keys
	} {
		got := duplicateKeys([]byte(tc.in))
		if len(got) != len(tc.want) || (len(got) > 0 && got[0] != tc.want[0]) {
			t.Errorf("duplicateKeys(%s) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestBadAddressHasFileAndLine(t *testing.T) {
	g := loadString(t, `{"format_version":"1.2","planned_values":{"root_module":{"resources":[
{"address":"google_storage_bucket.ok","mode":"managed","type":"google_storage_bucket","name":"ok","values":{}},
{"address":"bad address","mode":"managed","type":"x","name":"y","values":{}}]}}}`)
	want := scanner.Diagnostic{Severity: scanner.DiagError, File: "plan.json", Line: 3, Subject: "bad address", Skipped: true}
	for _, d := range g.Diagnostics {
		if d.Subject == "bad address" {
			if d.File != want.File || d.Line != want.Line || !d.NotJudged() {
				t.Errorf("diagnostic = %+v, want at plan.json:3, not judged", d)
			}
			return
		}
	}
	t.Errorf("no diagnostic for the bad address: %v", g.Diagnostics)
}
