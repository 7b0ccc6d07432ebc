package plan

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	tfjson "github.com/hashicorp/terraform-json"
)

func TestVarArgs(t *testing.T) {
	vars := map[string]*tfjson.PlanVariable{
		"name":    {Value: "acme-${env}"},
		"count":   {Value: json.Number("3")},
		"ratio":   {Value: 0.5},
		"enabled": {Value: true},
		"unset":   {Value: nil},
		"nil":     nil,
		"buckets": {Value: map[string]any{"mail": "acme-mail", "tpl": "x-${y}-%{z}"}},
		"zones":   {Value: []any{"a", "b"}},
	}
	want := []string{
		`buckets={"mail":"acme-mail","tpl":"x-$${y}-%%{z}"}`,
		"count=3",
		"enabled=true",
		"name=acme-${env}",
		"ratio=0.5",
		`zones=["a","b"]`,
	}
	if diff := cmp.Diff(want, varArgs(vars)); diff != "" {
		t.Errorf("varArgs (-want +got):\n%s", diff)
	}
}

func TestLooseKey(t *testing.T) {
	tests := map[string]string{
		`module.a["x"].module.b[0].google_storage_bucket.c["k"]`: "module.a.module.b.google_storage_bucket.c",
		`data.google_iam_policy.p[2]`:                            "data.google_iam_policy.p",
		`google_storage_bucket.c`:                                "google_storage_bucket.c",
		`not an address`:                                         "not an address",
	}
	for in, want := range tests {
		t.Run(in, func(t *testing.T) {
			if got := looseKey(in); got != want {
				t.Errorf("looseKey = %q, want %q", got, want)
			}
		})
	}
}

// TestReadData: content given in Options.Data is used as the file's; the
// path only names it (here it does not exist).
func TestReadData(t *testing.T) {
	p, err := Read(context.Background(), filepath.Join(t.TempDir(), "gone.json"), Options{Data: []byte(refsPlan)})
	if err != nil {
		t.Fatal(err)
	}
	if g := p.Graph(); g.Lookup("google_pubsub_topic.fixed") == nil {
		t.Errorf("resources %d, want the plan's", len(g.Resources))
	}
}
