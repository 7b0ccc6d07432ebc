package checks

import (
	"sort"
	"strings"
	"testing"

	"github.com/casascan/casascan/scanner"
	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"
)

// hbJudge runs a check over a hand-built graph and renders its problems as
// "STATUS ADDRESS PATH" (plus " -> RELATED" per related resource), sorted.
func hbJudge(c *scanner.Check, g *scanner.Graph) []string {
	var ps []scanner.Problem
	if c.TestGraph != nil {
		ps = c.TestGraph(g)
	}
	for _, typ := range c.Types {
		for _, r := range g.OfType(typ) {
			if r.Mode != scanner.Managed {
				continue
			}
			for _, p := range c.Test(g, r) {
				p.Resource = r
				ps = append(ps, p)
			}
		}
	}
	var out []string
	for _, p := range ps {
		s := "FAIL "
		if p.Unknown {
			s = "UNKNOWN "
		}
		s += p.Resource.Address + " " + p.Path
		for _, r := range p.Related {
			s += " -> " + r.Address
		}
		out = append(out, s)
	}
	return sortedUnique(out)
}

func key(addr string, kv ...any) *scanner.Resource { return hbRes(addr, hbBody(kv...)) }

func TestKMS002Rotation(t *testing.T) {
	const k = "google_kms_crypto_key.k"
	for _, tc := range []struct {
		name string
		body []any
		want []string
	}{
		{"missing", nil, []string{"FAIL " + k + " rotation_period"}},
		{"empty", []any{"rotation_period", str("")}, []string{"FAIL " + k + " rotation_period"}},
		{"90 days", []any{"rotation_period", str("7776000s")}, nil},
		{"fractional under", []any{"rotation_period", str("7775999.5s")}, nil},
		{"a second over", []any{"rotation_period", str("7776001s")}, []string{"FAIL " + k + " rotation_period"}},
		{"not a duration", []any{"rotation_period", str("90d")}, []string{"UNKNOWN " + k + " rotation_period"}},
		{"unknown", []any{"rotation_period", unknown}, []string{"UNKNOWN " + k + " rotation_period"}},
		{"explicit ENCRYPT_DECRYPT", []any{"purpose", str("ENCRYPT_DECRYPT")}, []string{"FAIL " + k + " rotation_period"}},
		{"ASYMMETRIC_SIGN", []any{"purpose", str("ASYMMETRIC_SIGN")}, nil},
		{"RAW_ENCRYPT_DECRYPT", []any{"purpose", str("RAW_ENCRYPT_DECRYPT")}, nil},
		{"unknown purpose", []any{"purpose", unknown}, []string{"UNKNOWN " + k + " purpose"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := hbJudge(&gcpKMS002, hbGraph(key(k, tc.body...)))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestKMS004Sources runs through scanner.Run, which applies the check's
// Sources: a live key gets no result at all, a plan key without its source
// is unknown, configuration is judged.
func TestKMS004Sources(t *testing.T) {
	live := key("google_kms_crypto_key.live")
	live.Address, live.Source = "//cloudkms.googleapis.com/projects/p/locations/us/keyRings/r/cryptoKeys/k", scanner.SourceLive
	plan := key("google_kms_crypto_key.planned")
	plan.Source = scanner.SourcePlan
	g := hbGraph(live, plan,
		key("google_kms_crypto_key.kept", "lifecycle", hbBody("prevent_destroy", cty.True)),
		key("google_kms_crypto_key.bare"),
		key("google_kms_crypto_key.unknown", "lifecycle", hbBody("prevent_destroy", cty.UnknownVal(cty.Bool))),
	)
	var got []string
	for _, f := range scanner.Run([]*scanner.Check{&gcpKMS004}, []*scanner.Graph{g}, scanner.Options{}).Findings {
		got = append(got, string(f.Status)+" "+f.Resource)
	}
	sort.Strings(got)
	want := []string{
		"FAIL google_kms_crypto_key.bare",
		"PASS google_kms_crypto_key.kept",
		"UNKNOWN google_kms_crypto_key.planned",
		"UNKNOWN google_kms_crypto_key.unknown",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func iamMember(addr, project, role, member string) *scanner.Resource {
	return hbRes(addr, hbBody("project", str(project), "role", str(role), "member", str(member)))
}

func TestKMS005Separation(t *testing.T) {
	const admin, decrypter = "roles/cloudkms.admin", "roles/cloudkms.cryptoKeyDecrypter"
	for _, tc := range []struct {
		name string
		rs   []*scanner.Resource
		want []string
	}{
		{"both roles, one project", []*scanner.Resource{
			iamMember("google_project_iam_member.a", "p", admin, "user:ops@example.com"),
			iamMember("google_project_iam_member.b", "p", decrypter, "user:OPS@example.com"),
			iamMember("google_project_iam_member.c", "p", "roles/viewer", "user:ops@example.com"),
		}, []string{
			"FAIL google_project_iam_member.a member -> google_project_iam_member.b",
			"FAIL google_project_iam_member.b member -> google_project_iam_member.a",
		}},
		{"other projects", []*scanner.Resource{
			iamMember("google_project_iam_member.a", "p", admin, "user:ops@example.com"),
			iamMember("google_project_iam_member.b", "q", decrypter, "user:ops@example.com"),
		}, nil},
		{"one binding holds both in a policy", []*scanner.Resource{
			hbRes("google_project_iam_policy.p", hbBody("project", str("p"), "policy_data", str(
				`{"bindings":[{"role":"roles/cloudkms.admin","members":["user:a@example.com"]},`+
					`{"role":"roles/cloudkms.cryptoKeyEncrypter","members":["user:a@example.com"]}]}`))),
		}, []string{"FAIL google_project_iam_policy.p policy_data"}},
		{"projects not known", []*scanner.Resource{
			hbRes("google_project_iam_member.a", hbBody("project", hbRef("google_project.app"), "role", str(admin), "member", str("user:a@example.com"))),
			hbRes("google_project_iam_member.b", hbBody("project", hbRef("google_project.app"), "role", str(decrypter), "member", str("user:a@example.com"))),
		}, []string{
			"UNKNOWN google_project_iam_member.a member -> google_project_iam_member.b",
			"UNKNOWN google_project_iam_member.b member -> google_project_iam_member.a",
		}},
		{"members not known", []*scanner.Resource{
			hbRes("google_project_iam_binding.admins", hbBody("project", str("p"), "role", str(admin), "members", cty.UnknownVal(cty.Set(cty.String)))),
			iamMember("google_project_iam_member.b", "p", decrypter, "user:a@example.com"),
		}, []string{"UNKNOWN google_project_iam_binding.admins members"}},
		{"policy not known", []*scanner.Resource{
			hbRes("google_project_iam_policy.p", hbBody("project", str("p"), "policy_data", cty.UnknownVal(cty.String))),
		}, []string{"UNKNOWN google_project_iam_policy.p policy_data"}},
		{"policy not JSON", []*scanner.Resource{
			hbRes("google_project_iam_policy.p", hbBody("project", str("p"), "policy_data", str("{not json"))),
			iamMember("google_project_iam_member.a", "p", admin, "user:a@example.com"),
		}, []string{"UNKNOWN google_project_iam_policy.p policy_data"}},
		{"members not known, no other role", []*scanner.Resource{
			hbRes("google_project_iam_binding.admins", hbBody("project", str("p"), "role", str(admin), "members", cty.UnknownVal(cty.Set(cty.String)))),
		}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, hbJudge(&gcpKMS005, hbGraph(tc.rs...))); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestKMS006FollowsKeys(t *testing.T) {
	soft := key("module.kms.google_kms_crypto_key.soft")
	hsm := key("google_kms_crypto_key.hsm", "version_template", hbBody("protection_level", str("HSM")))
	later := key("google_kms_crypto_key.later", "version_template", hbBody("protection_level", unknown))
	dataKey := key("data.google_kms_crypto_key.shared")
	g := hbGraph(soft, hsm, later, dataKey,
		hbRes("module.store.google_storage_bucket.b", hbBody("encryption", hbBody("default_kms_key_name", hbRef("module.kms.google_kms_crypto_key.soft")))),
		hbRes("google_sql_database_instance.db", hbBody("encryption_key_name", hbRef("google_kms_crypto_key.hsm"))),
		hbRes("google_pubsub_topic.t", hbBody("kms_key_name", hbRef("google_kms_crypto_key.later"))),
		hbRes("google_redis_instance.r", hbBody("customer_managed_key", hbRef("data.google_kms_crypto_key.shared"))),
		hbRes("google_bigtable_instance.bt", hbBody("cluster", []*scanner.Body{
			hbBody("kms_key_name", hbRef("google_kms_crypto_key.hsm")),
			hbBody("kms_key_name", hbRef("module.kms.google_kms_crypto_key.soft")),
		})),
	)
	want := []string{
		"FAIL google_bigtable_instance.bt cluster.1.kms_key_name -> module.kms.google_kms_crypto_key.soft",
		"FAIL module.store.google_storage_bucket.b encryption.default_kms_key_name -> module.kms.google_kms_crypto_key.soft",
		"UNKNOWN google_pubsub_topic.t kms_key_name -> google_kms_crypto_key.later",
	}
	if diff := cmp.Diff(want, hbJudge(&gcpKMS006, g)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestKMS003LiveBinding judges the live shape: one *_iam_binding per role
// binding, addressed by full resource name.
func TestKMS003LiveBinding(t *testing.T) {
	b := hbRes("google_kms_crypto_key_iam_binding.x", hbBody(
		"crypto_key_id", str("projects/p/locations/us/keyRings/r/cryptoKeys/k"),
		"role", str("roles/cloudkms.cryptoKeyDecrypter"), "members", strs("allUsers")))
	b.Address, b.Source = "//cloudkms.googleapis.com/projects/p/locations/us/keyRings/r/cryptoKeys/k#roles/cloudkms.cryptoKeyDecrypter", scanner.SourceLive
	got := hbJudge(&gcpKMS003, hbGraph(b))
	if len(got) != 1 || !strings.HasPrefix(got[0], "FAIL //cloudkms.googleapis.com/") || !strings.HasSuffix(got[0], " members") {
		t.Errorf("got %v, want one FAIL on members", got)
	}
	p := gcpKMS003.Test(hbGraph(b), b)
	if msg := p[0].Message; !strings.Contains(msg, "allUsers") || !strings.Contains(msg, "roles/cloudkms.cryptoKeyDecrypter") {
		t.Errorf("message %q should name the member and the role", msg)
	}
}

func TestKMS007Algorithms(t *testing.T) {
	for _, tc := range []struct {
		alg  cty.Value
		want string
	}{
		{cty.NullVal(cty.String), ""},
		{str("GOOGLE_SYMMETRIC_ENCRYPTION"), ""},
		{str("RSA_SIGN_PKCS1_2048_SHA256"), ""},
		{str("RSA_SIGN_RAW_PKCS1_4096"), "FAIL"},
		{str("RSA_DECRYPT_OAEP_4096_SHA1"), "FAIL"},
		{str("HMAC_SHA1"), "FAIL"},
		{str("HMAC_SHA256"), ""},
		{unknown, "UNKNOWN"},
	} {
		t.Run(tc.alg.GoString(), func(t *testing.T) {
			got := hbJudge(&gcpKMS007, hbGraph(key("google_kms_crypto_key.k", "version_template", hbBody("algorithm", tc.alg))))
			status := ""
			if len(got) > 0 {
				status, _, _ = strings.Cut(got[0], " ")
			}
			if status != tc.want || len(got) > 1 {
				t.Errorf("got %v, want status %q", got, tc.want)
			}
		})
	}
}
