package plan

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casascan/casascan/scanner"
	"github.com/google/go-cmp/cmp"
)

// loadFixture loads a fixture's plan or state without its source.
func loadFixture(t *testing.T, name string) *scanner.Graph {
	t.Helper()
	dir := filepath.Join(fixtures, name)
	g, err := Load(context.Background(), fixtureFile(t, dir), Options{Base: dir})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func mustLookup(t *testing.T, g *scanner.Graph, addr string) *scanner.Resource {
	t.Helper()
	r := g.Lookup(addr)
	if r == nil {
		t.Fatalf("%s is not in the graph", addr)
	}
	return r
}

func addresses(rs []*scanner.Resource) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Address)
	}
	return out
}

// TestUnknownKeyIsNotMissing: a bucket whose key is created in the same plan
// has an unknown key name that counts as set and leads to the key; a bucket
// without encryption has no key name at all.
func TestUnknownKeyIsNotMissing(t *testing.T) {
	g := loadFixture(t, "unknowns")
	mail := mustLookup(t, g, "google_storage_bucket.mail")
	a := mail.Get("encryption.default_kms_key_name")
	if a == nil || a.Known() || !a.Set() {
		t.Fatalf("encryption.default_kms_key_name = %#v, want an unknown value that counts as set", a)
	}
	if got := addresses(g.Follow(mail, "encryption.default_kms_key_name", "google_kms_crypto_key")); !cmp.Equal(got, []string{"google_kms_crypto_key.mail"}) {
		t.Errorf("Follow = %v, want the key created in the plan", got)
	}
	logs := mustLookup(t, g, "google_storage_bucket.logs")
	if a := logs.Get("encryption.default_kms_key_name"); a.Set() {
		t.Errorf("bucket without encryption has a key name: %#v", a)
	}
	if a := mustLookup(t, g, "google_pubsub_topic.events").Get("kms_key_name"); a == nil || a.Known() {
		t.Errorf("topic kms_key_name = %#v, want unknown (set in the configuration from the new key)", a)
	}
	// Left out by the configuration and computed by the provider: judged by
	// the provider's default, as on the source.
	if a := logs.Get("public_access_prevention"); a != nil {
		t.Errorf("public_access_prevention = %#v, want it left out (the configuration does not set it)", a)
	}
}

func TestModules(t *testing.T) {
	g := loadFixture(t, "modules")
	wantAddrs := []string{
		`google_kms_crypto_key.per_env["dev"]`, `google_kms_crypto_key.per_env["prod"]`,
		`google_pubsub_topic.counted[0]`, `google_pubsub_topic.counted[1]`,
		`google_pubsub_topic.per_env["dev"]`, `google_pubsub_topic.per_env["prod"]`,
		`module.app["eu"].google_storage_bucket.data`,
		`module.app["eu"].module.inner.google_storage_bucket_iam_member.reader`,
		`module.app["us"].google_storage_bucket.data`,
		`module.app["us"].module.inner.google_storage_bucket_iam_member.reader`,
		`module.archive[0].google_storage_bucket.b`, `module.archive[1].google_storage_bucket.b`,
		`module.kms.google_kms_crypto_key.key`, `module.kms.google_kms_key_ring.ring`,
	}
	if diff := cmp.Diff(wantAddrs, addresses(g.Resources)); diff != "" {
		t.Errorf("addresses (-want +got); the deleted bucket must not be there:\n%s", diff)
	}
	r := mustLookup(t, g, `module.app["us"].module.inner.google_storage_bucket_iam_member.reader`)
	if r.Type != "google_storage_bucket_iam_member" || r.Name != "reader" || r.Mode != scanner.Managed || r.Source != scanner.SourcePlan {
		t.Errorf("resource = %s %s %v %s", r.Type, r.Name, r.Mode, r.Source)
	}
	var calls []string
	for _, c := range r.Calls {
		calls = append(calls, c.Address+" "+c.Source)
	}
	if diff := cmp.Diff([]string{`module.app["us"] ./modules/app`, `module.app["us"].module.inner ./inner`}, calls); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	follows := []struct{ from, path, to string }{
		{`module.app["eu"].google_storage_bucket.data`, "encryption.default_kms_key_name", "module.kms.google_kms_crypto_key.key"},
		{`module.app["us"].module.inner.google_storage_bucket_iam_member.reader`, "bucket", `module.app["us"].google_storage_bucket.data`},
		{`google_kms_crypto_key.per_env["dev"]`, "key_ring", "module.kms.google_kms_key_ring.ring"},
		{`google_pubsub_topic.per_env["dev"]`, "kms_key_name", `google_kms_crypto_key.per_env["dev"]`},
		{`google_pubsub_topic.counted[0]`, "kms_key_name", `google_kms_crypto_key.per_env["prod"]`},
	}
	for _, f := range follows {
		t.Run(f.from+"/"+f.path, func(t *testing.T) {
			got := addresses(g.Follow(mustLookup(t, g, f.from), f.path))
			if !cmp.Equal(got, []string{f.to}) {
				t.Errorf("Follow = %v, want [%s]", got, f.to)
			}
		})
	}
}

func TestDataSources(t *testing.T) {
	g := loadFixture(t, "data_sources")
	policy := mustLookup(t, g, "data.google_iam_policy.admins")
	if policy.Mode != scanner.Data {
		t.Errorf("%s mode = %v, want Data", policy.Address, policy.Mode)
	}
	if got := len(policy.All("binding")); got != 1 {
		t.Errorf("binding blocks = %d, want 1 (read while planning, from prior_state)", got)
	}
	iam := mustLookup(t, g, "google_storage_bucket_iam_policy.mail")
	if got := addresses(g.Follow(iam, "policy_data")); !cmp.Equal(got, []string{"data.google_iam_policy.admins"}) {
		t.Errorf("policy_data follows %v", got)
	}
	// A data source read during apply keeps its unknowns: they are results of
	// the read, not provider defaults.
	v := mustLookup(t, g, "data.google_kms_crypto_key_version.new")
	if a := v.Get("protection_level"); a == nil || a.Known() {
		t.Errorf("deferred data source protection_level = %#v, want unknown", a)
	}
	if got := addresses(g.Follow(mustLookup(t, g, "google_storage_bucket.mail"), "encryption.default_kms_key_name")); !cmp.Equal(got, []string{"data.google_kms_crypto_key.existing"}) {
		t.Errorf("bucket key follows %v", got)
	}
}

// TestState: a state has no configuration; its edges come from values that
// equal another resource's id.
func TestState(t *testing.T) {
	g := loadFixture(t, "state")
	if len(g.Resources) != 8 {
		t.Errorf("%d resources, want 8", len(g.Resources))
	}
	follows := []struct{ from, path, to string }{
		{"google_storage_bucket.mail", "encryption.default_kms_key_name", "google_kms_crypto_key.mail"},
		{"google_kms_crypto_key.mail", "key_ring", "google_kms_key_ring.mail"},
		{"google_storage_bucket_iam_member.reader", "bucket", "google_storage_bucket.mail"},
		{"module.db.google_sql_user.app", "instance", "module.db.google_sql_database_instance.main"},
	}
	for _, f := range follows {
		t.Run(f.from+"/"+f.path, func(t *testing.T) {
			got := addresses(g.Follow(mustLookup(t, g, f.from), f.path))
			if !cmp.Equal(got, []string{f.to}) {
				t.Errorf("Follow = %v, want [%s]", got, f.to)
			}
		})
	}
	if a := mustLookup(t, g, "google_storage_bucket.mail").Get("name"); len(a.Refs) != 0 {
		t.Errorf("name refs = %v; a bucket's name equals its own id and must not point at itself", a.Refs)
	}
	if s, ok := mustLookup(t, g, "google_kms_crypto_key.mail").Get("version_template.protection_level").Str(); !ok || s != "HSM" {
		t.Errorf("version_template.protection_level = %q, %v", s, ok)
	}
	if p := mustLookup(t, g, "module.db.google_sql_database_instance.main").Project; p != "acme-prod" {
		t.Errorf("project = %q", p)
	}
}

// TestSensitive: values Terraform marks sensitive are flagged on their
// top-level attribute and never displayed.
func TestSensitive(t *testing.T) {
	g := loadFixture(t, "sensitive")
	tests := []struct {
		address, path string
		sensitive     bool
		secret        string // must not appear in Display
	}{
		{"google_secret_manager_secret_version.refresh", "secret_data", true, "1//0gFAKE"},
		{"google_sql_user.app", "password", true, "hunter2"},
		{"google_container_cluster.mail", "master_auth.client_key", true, "LS0tLS1CRUdJTiBSU0Eg"},
		{"google_container_cluster.mail", "master_auth", true, "LS0tLS1CRUdJTiBSU0Eg"},
		{"google_sql_user.app", "name", false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.address+"/"+tc.path, func(t *testing.T) {
			a := mustLookup(t, g, tc.address).Get(tc.path)
			if a == nil {
				t.Fatal("attribute missing")
			}
			if a.Sensitive != tc.sensitive {
				t.Errorf("Sensitive = %v, want %v", a.Sensitive, tc.sensitive)
			}
			d := scanner.Display(a)
			if tc.secret != "" && (strings.Contains(d, tc.secret) || d != scanner.Redacted) {
				t.Errorf("Display = %q, want %q", d, scanner.Redacted)
			}
		})
	}
	env := mustLookup(t, g, "google_cloud_run_v2_service.api").All("template.containers.env")
	if len(env) != 2 || !env[0].Body.Attrs["value"].Literal {
		t.Fatalf("env blocks = %d; want 2 with a literal value", len(env))
	}
}

func TestDiagnostics(t *testing.T) {
	g := loadString(t, `{"format_version":"1.2","errored":true,"planned_values":{"root_module":{"resources":[
		{"address":"google_storage_bucket.ok","mode":"managed","type":"google_storage_bucket","name":"ok","values":{"name":"a"}},
		{"address":"not an address","mode":"managed","type":"x","name":"y","values":{}}]}}}`)
	if got := addresses(g.Resources); !cmp.Equal(got, []string{"google_storage_bucket.ok"}) {
		t.Errorf("resources %v", got)
	}
	var got []string
	for _, d := range g.Diagnostics {
		got = append(got, d.String())
	}
	want := []string{
		"error: plan.json:3: resource address cannot be read; the resource is not scanned; parsing address \"not an address\": want TYPE.NAME",
		"warning: plan.json: terraform reported errors while planning; the plan may be missing resources",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

// TestResourceChangesWithoutPlannedValues reads a plan that has only
// resource_changes (older or hand-made files): "after" stands in.
func TestResourceChangesWithoutPlannedValues(t *testing.T) {
	g := loadString(t, `{"format_version":"0.1","resource_changes":[
		{"address":"google_storage_bucket.b","mode":"managed","type":"google_storage_bucket","name":"b",
		 "change":{"actions":["create"],"after":{"name":"b","encryption":[{}]},"after_unknown":{"encryption":[{"default_kms_key_name":true}]}}},
		{"address":"google_storage_bucket.gone","change":{"actions":["delete"],"before":{"name":"g"},"after":null}},
		{"address":"google_storage_bucket.b","deposed":"00000001","change":{"actions":["delete"],"before":{"name":"old"},"after":null}}]}`)
	if got := addresses(g.Resources); !cmp.Equal(got, []string{"google_storage_bucket.b"}) {
		t.Fatalf("resources %v", got)
	}
	if a := g.Lookup("google_storage_bucket.b").Get("encryption.default_kms_key_name"); a == nil || a.Known() {
		t.Errorf("default_kms_key_name = %#v, want unknown", a)
	}
}
