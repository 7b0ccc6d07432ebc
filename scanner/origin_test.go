package scanner

import (
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// TestResourceOrigins: one rule gives every attribute its provenance: the
// origins the source recorded, then the resources it refers to (a data
// source told from a managed resource by its address), else a literal's
// own expression, else the record of a plan, export or live resource.
func TestResourceOrigins(t *testing.T) {
	expr := hcl.Range{Filename: "main.tf", Start: hcl.Pos{Line: 4, Column: 22}, End: hcl.Pos{Line: 4, Column: 31}}
	tfvars := Origin{Kind: OriginTFVars, Name: "var.p", File: "terraform.tfvars", Line: 1}
	tf := &Resource{Address: "google_x.a", Source: SourceTerraform}
	live := &Resource{Address: "//storage.googleapis.com/b", Source: SourceLive}
	tests := []struct {
		name string
		r    *Resource
		a    *Attr
		want []Origin
	}{
		{"literal", tf, &Attr{Value: cty.StringVal("x"), ExprRange: expr},
			[]Origin{{Kind: OriginLiteral, File: "main.tf", Line: 4}}},
		{"variable", tf, &Attr{Value: cty.StringVal("x"), ExprRange: expr, Origins: []Origin{tfvars}}, []Origin{tfvars}},
		{"references", tf, &Attr{Value: cty.DynamicVal, ExprRange: expr,
			Refs: []string{"module.m.data.google_y.d", "module.data.google_z.z"}, Origins: []Origin{tfvars}},
			[]Origin{tfvars, {Kind: OriginComputed, Name: "module.data.google_z.z"}, {Kind: OriginDataSource, Name: "module.m.data.google_y.d"}}},
		{"live record", live, &Attr{Value: cty.StringVal("x")}, []Origin{{Kind: OriginRecord, Name: "//storage.googleapis.com/b"}}},
		{"nil", tf, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, tc.r.Origins(tc.a)); diff != "" {
				t.Errorf("Origins (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSortOrigins: nearest place first, duplicates once, and a value
// built from many variables names a few and counts the rest.
func TestSortOrigins(t *testing.T) {
	def := Origin{Kind: OriginVarDefault, Name: "var.d", File: "v.tf", Line: 2}
	arg := Origin{Kind: OriginModuleArg, Name: "var.a", Module: "module.m", File: "main.tf", Line: 7}
	if diff := cmp.Diff([]Origin{arg, def}, SortOrigins([]Origin{def, arg, def})); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	var many []Origin
	for _, n := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		many = append(many, Origin{Kind: OriginVarFlag, Name: "var." + n})
	}
	got := SortOrigins(many)
	if len(got) != maxOrigins || got[len(got)-1] != (Origin{Kind: OriginMore, Name: "3 more"}) {
		t.Errorf("SortOrigins of 8 = %v", got)
	}
}

func TestOriginString(t *testing.T) {
	tests := []struct {
		o    Origin
		want string
	}{
		{Origin{Kind: OriginTFVars, Name: "var.protection", File: "envs/prod/terraform.tfvars", Line: 3}, "var.protection, set in envs/prod/terraform.tfvars:3"},
		{Origin{Kind: OriginVarFile, Name: "var.p", File: "/etc/prod.tfvars", Line: 2}, "var.p, set in /etc/prod.tfvars:2 (--var-file)"},
		{Origin{Kind: OriginVarFlag, Name: "var.p"}, "var.p, set by --var"},
		{Origin{Kind: OriginEnv, Name: "var.p"}, "var.p, set by TF_VAR_p"},
		{Origin{Kind: OriginVarDefault, Name: "var.p", Module: "module.kms", File: "kms/main.tf", Line: 3}, "var.p of module.kms, its default at kms/main.tf:3"},
		{Origin{Kind: OriginModuleArg, Name: "var.p", Module: "module.kms", File: "main.tf", Line: 7}, "var.p of module.kms, the module argument at main.tf:7"},
		{Origin{Kind: OriginComputed, Name: "google_kms_crypto_key.k", File: "kms.tf", Line: 1}, "an attribute of google_kms_crypto_key.k declared at kms.tf:1"},
		{Origin{Kind: OriginDataSource, Name: "data.google_x.d"}, "the data source data.google_x.d"},
		{Origin{Kind: OriginProviderDefault}, "the provider default"},
		{Origin{Kind: OriginLiteral, File: "main.tf", Line: 4}, "written at main.tf:4"},
		{Origin{Kind: OriginUnset, Name: "var.role", File: "variables.tf", Line: 2}, "var.role, which has no value (declared at variables.tf:2)"},
		{Origin{Kind: OriginAbsentBlock, Name: "version_template", File: "kms.tf", Line: 1}, "no version_template block written in the resource at kms.tf:1"},
		{Origin{Kind: OriginRecord, Name: "//storage.googleapis.com/b", File: "export.ndjson", Line: 8}, "the record of //storage.googleapis.com/b in export.ndjson:8"},
	}
	for _, tc := range tests {
		if got := tc.o.String(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.o, got, tc.want)
		}
	}
}

// TestRunProvenance: a finding carries the judged value (redacted for a
// secret: a sensitive value, a check about secrets, an attribute named
// like a credential) and its provenance, with a referenced resource placed
// at its block.
func TestRunProvenance(t *testing.T) {
	tfvars := Origin{Kind: OriginTFVars, Name: "var.level", File: "envs/prod/terraform.tfvars", Line: 3}
	key := &Resource{Address: "google_kms_crypto_key.k", Type: "google_kms_crypto_key", Body: NewBody(), Source: SourceTerraform,
		DefRange: hcl.Range{Filename: "kms.tf", Start: hcl.Pos{Line: 9, Column: 1}}}
	b := bucket("google_storage_bucket.a", 1, nil)
	b.Body.Attrs["level"] = &Attr{Name: "level", Value: cty.StringVal("SOFTWARE"), Origins: []Origin{tfvars}}
	b.Body.Attrs["key"] = &Attr{Name: "key", Value: cty.UnknownVal(cty.String), Refs: []string{key.Address}}
	b.Body.Attrs["password"] = &Attr{Name: "password", Value: cty.StringVal("hunter2"), Origins: []Origin{tfvars}}
	b.Body.Attrs["token"] = &Attr{Name: "token", Value: cty.StringVal("x"), Sensitive: true, Origins: []Origin{{Kind: OriginEnv, Name: "var.t"}}}
	g := &Graph{Resources: []*Resource{b, key}}
	g.Index()
	check := func(measure Measure) *Check {
		return &Check{ID: "GCP-KMS-001", Title: "t", Severity: High, CWE: 320, Measures: []Measure{measure},
			Types: []string{"google_storage_bucket"},
			Test: func(*Graph, *Resource) []Problem {
				return []Problem{Fail("level", "bad"), Fail("key", "bad"), Fail("password", "bad"), Fail("token", "bad"), Fail("missing", "bad")}
			}}
	}
	res := Run([]*Check{check(M4)}, []*Graph{g}, Options{})
	pol := &Resource{Address: "google_compute_ssl_policy.p", Type: "google_compute_ssl_policy", Body: NewBody(), Source: SourceTerraform}
	pg := &Graph{Resources: []*Resource{pol}}
	pg.Index()
	dflt := Run([]*Check{{ID: "GCP-TLS-001", Title: "t", Severity: High, CWE: 326, Measures: []Measure{M2},
		Types: []string{"google_compute_ssl_policy"},
		Test:  func(*Graph, *Resource) []Problem { return []Problem{Fail("min_tls_version", "bad")} }}}, []*Graph{pg}, Options{})
	d, _ := DefaultOf("google_compute_ssl_policy", "min_tls_version")
	wantDefault := &Provenance{"TLS_1_0", []Origin{{Kind: OriginProviderDefault, Name: d.Doc}}}
	if len(dflt.List()) != 1 || !cmp.Equal(dflt.List()[0].Provenance, wantDefault) {
		t.Errorf("a defaulted attribute's provenance: got %+v, want %+v", dflt.List(), wantDefault)
	}
	if s := wantDefault.Origins[0].String(); !strings.HasPrefix(s, "the provider default (min_tls_version: ") {
		t.Errorf("provider default origin reads %q", s)
	}
	byAttr := map[string]*Provenance{}
	for _, f := range res.List() {
		byAttr[f.Attribute] = f.Provenance
	}
	want := map[string]*Provenance{
		"level":    {"SOFTWARE", []Origin{tfvars}},
		"key":      {"(known after apply)", []Origin{{Kind: OriginComputed, Name: key.Address, File: "kms.tf", Line: 9}}},
		"password": {Redacted, []Origin{tfvars}},
		"token":    {Redacted, []Origin{{Kind: OriginEnv, Name: "var.t"}}},
		"missing":  nil,
	}
	if diff := cmp.Diff(want, byAttr); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	for _, f := range Run([]*Check{check(M3)}, []*Graph{g}, Options{}).List() {
		if f.Attribute == "level" && f.Provenance.Value != Redacted {
			t.Errorf("a check about secrets shows the value %q", f.Provenance.Value)
		}
	}
}

// TestProvenanceDefaultOnlyWhereTerraformApplies: "the provider default"
// is a finding's provenance, and "(the provider default)" its message's
// wording, only for an attribute left out of a block that is written in
// Terraform; a block not written is named as such, and a field an export
// or live record leaves out is the record's (the API's default).
func TestProvenanceDefaultOnlyWhereTerraformApplies(t *testing.T) {
	const path = "version_template.protection_level"
	key := func(name string, src Source, block bool) *Resource {
		r := &Resource{Address: "google_kms_crypto_key." + name, Name: name, Type: "google_kms_crypto_key", Body: NewBody(), Source: src,
			DefRange: hcl.Range{Filename: "kms.tf", Start: hcl.Pos{Line: 3, Column: 1}}}
		if block {
			r.Body.Blocks = append(r.Body.Blocks, &Block{Type: "version_template", Body: NewBody()})
		}
		return r
	}
	written, absent, exported := key("written", SourceTerraform, true), key("absent", SourceTerraform, false), key("exported", SourceExport, true)
	exported.Record = &Origin{Kind: OriginRecord, Name: "//cloudkms.googleapis.com/k", File: "export.json", Line: 2}
	g := &Graph{Resources: []*Resource{written, absent, exported}}
	g.Index()
	var mu sync.Mutex
	shown := map[string]string{}
	res := Run([]*Check{{ID: "GCP-KMS-001", Title: "t", Severity: High, CWE: 320, Measures: []Measure{M4},
		Types: []string{"google_kms_crypto_key"},
		Test: func(_ *Graph, r *Resource) []Problem {
			mu.Lock()
			shown[r.Name] = r.Slot(path).Show()
			mu.Unlock()
			return []Problem{Fail(path, "bad")}
		}}}, []*Graph{g}, Options{})
	d, _ := DefaultOf("google_kms_crypto_key", path)
	apiDefault := *exported.Record
	apiDefault.Kind = OriginAPIDefault
	want := map[string]*Provenance{
		written.Address:  {"SOFTWARE", []Origin{{Kind: OriginProviderDefault, Name: d.Doc}}},
		absent.Address:   {"(not set)", []Origin{{Kind: OriginAbsentBlock, Name: "version_template"}}},
		exported.Address: {"SOFTWARE", []Origin{apiDefault}},
	}
	got := map[string]*Provenance{}
	for _, f := range res.List() {
		got[f.Resource] = f.Provenance
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("provenance (-want +got):\n%s", diff)
	}
	wantShown := map[string]string{
		"written":  "SOFTWARE (the provider default)",
		"absent":   "SOFTWARE (version_template is not written: the API's default)",
		"exported": "SOFTWARE (absent from the record: the API's default)",
	}
	if diff := cmp.Diff(wantShown, shown); diff != "" {
		t.Errorf("Slot.Show (-want +got):\n%s", diff)
	}
}
