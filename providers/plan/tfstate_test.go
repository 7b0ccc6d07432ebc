package plan

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestRawStateDetect: a raw terraform.tfstate is told from terraform show
// -json output (which has format_version) and from other JSON.
func TestRawStateDetect(t *testing.T) {
	for _, tc := range []struct {
		data string
		want bool
	}{
		{`{"version": 4, "terraform_version": "1.9.8", "serial": 1, "lineage": "x", "resources": []}`, true},
		{`{"version": 4, "resources": []}`, true},
		{`{"version": 3, "serial": 1, "modules": []}`, true}, // recognised, then refused by version
		{`{"format_version": "1.0", "values": {}}`, true},    // show -json state: detect's own case
		{`{"version": 4}`, false},
		{`{"name": "//storage.googleapis.com/b", "assetType": "storage.googleapis.com/Bucket"}`, false},
		{`[]`, false},
	} {
		if got := Detect([]byte(tc.data)); got != tc.want {
			t.Errorf("Detect(%s) = %v, want %v", tc.data, got, tc.want)
		}
	}
	if _, err := decode([]byte(`{"version": 3, "serial": 1, "lineage": "x", "modules": []}`)); err == nil || !strings.Contains(err.Error(), "version 3 is not supported") {
		t.Errorf("a version 3 state: err = %v, want it refused naming the version", err)
	}
}

// TestRawStateGraph: every current instance of a raw state is a resource at
// its address (modules, count and for_each keys), deposed objects are left
// out as terraform show does, an instance with only flat attributes is a
// diagnostic, and sensitive_attributes mark their values sensitive.
func TestRawStateGraph(t *testing.T) {
	g, err := Load(context.Background(), filepath.Join(fixtures, "tfstate", "terraform.tfstate"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var addrs []string
	for _, r := range g.Resources {
		addrs = append(addrs, r.Address)
	}
	want := []string{
		"data.google_project.this",
		"google_cloud_run_v2_service.api",
		`google_sql_user.app`,
		`google_storage_bucket.data["drive"]`,
		`google_storage_bucket.data["mail"]`,
		"google_storage_bucket.logs",
		"module.archive[0].google_storage_bucket_iam_member.reader",
	}
	slices.Sort(addrs)
	if !slices.Equal(addrs, want) {
		t.Errorf("resources %q, want %q", addrs, want)
	}
	if len(g.Diagnostics) != 1 || !g.Diagnostics[0].NotJudged() || g.Diagnostics[0].File != "terraform.tfstate" ||
		!strings.Contains(g.Diagnostics[0].String(), "google_storage_bucket.legacy") {
		t.Errorf("diagnostics %v, want the legacy instance not judged, named", g.Diagnostics)
	}
	if a := g.Lookup("google_sql_user.app").Get("password"); a == nil || !a.Sensitive {
		t.Errorf("password %+v, want sensitive", a)
	}
	run := g.Lookup("google_cloud_run_v2_service.api")
	if a := run.Get("template.containers.env.value"); a == nil || !a.Sensitive {
		t.Errorf("env value %+v, want sensitive", a)
	}
	// The package marks a top-level attribute holding a sensitive part
	// sensitive as a whole; another stays shown.
	if a := run.Get("location"); a == nil || a.Sensitive {
		t.Errorf("location %+v, want not sensitive", a)
	}
	if s, _ := g.Lookup(`google_storage_bucket.data["mail"]`).Get("encryption.default_kms_key_name").Str(); s == "" {
		t.Error("the mail bucket's key is not read")
	}
}

func TestSensitiveMask(t *testing.T) {
	for _, tc := range []struct{ paths, want string }{
		{`[]`, `{}`},
		{`null`, ``},
		{`[[{"type":"get_attr","value":"password"}]]`, `{"password":true}`},
		{`[[{"type":"get_attr","value":"a"},{"type":"index","value":{"value":2,"type":"number"}},{"type":"get_attr","value":"b"}],
		   [{"type":"get_attr","value":"m"},{"type":"index","value":{"value":"k","type":"string"}}]]`,
			`{"a":[false,false,{"b":true}],"m":{"k":true}}`},
		{`[[{"type":"get_attr","value":"a"}],[{"type":"get_attr","value":"a"},{"type":"get_attr","value":"b"}]]`, `{"a":true}`},
		{`[[]]`, `true`},
		// Unreadable: every value of the instance is sensitive.
		{`[[{"type":"get_attr","value":"a"},{"type":"index","value":{"value":1000000000,"type":"number"}}]]`, string(unreadableMask)},
		{`[[{"type":"get_attr","value":"a"}],[{"type":"get_attr","value":"a"},{"type":"index","value":{"value":0,"type":"number"}}]]`, `{"a":true}`},
		{`[[{"type":"get_attr","value":"a"},{"type":"get_attr","value":"b"}],[{"type":"get_attr","value":"a"},{"type":"index","value":{"value":0,"type":"number"}}]]`, string(unreadableMask)},
		{`[[{"type":"weird","value":"a"}]]`, string(unreadableMask)},
		{`{"not":"a list"}`, string(unreadableMask)},
	} {
		got := string(sensitiveMask(json.RawMessage(tc.paths)))
		if got != tc.want {
			t.Errorf("sensitiveMask(%s) = %s, want %s", tc.paths, got, tc.want)
		}
	}
	var m any
	if err := json.Unmarshal(sensitiveMask(json.RawMessage(`[[{"type":"get_attr","value":"a"},{"type":"index","value":{"value":1,"type":"number"}}]]`)), &m); err != nil || !validMask(m, 0) {
		t.Errorf("mask %v is not one the collector reads (%v)", m, err)
	}
}
