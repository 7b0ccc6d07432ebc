package checks

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/casascan/casascan/scanner"
	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"
)

// The hb* helpers build graphs by hand, for testing check logic without the
// Terraform loader.

// hbBody builds a body from name/value pairs. A cty.Value or *scanner.Attr
// value is an attribute; a *scanner.Body is one nested block of that name; a
// []*scanner.Body is several.
func hbBody(kv ...any) *scanner.Body {
	b := scanner.NewBody()
	for i := 0; i+1 < len(kv); i += 2 {
		name := kv[i].(string)
		switch v := kv[i+1].(type) {
		case cty.Value:
			b.Attrs[name] = &scanner.Attr{Name: name, Value: v}
		case *scanner.Attr:
			v.Name = name
			b.Attrs[name] = v
		case *scanner.Body:
			b.Blocks = append(b.Blocks, &scanner.Block{Type: name, Body: v})
		case []*scanner.Body:
			for _, blk := range v {
				b.Blocks = append(b.Blocks, &scanner.Block{Type: name, Body: blk})
			}
		default:
			panic(fmt.Sprintf("hbBody: %s: unsupported %T", name, v))
		}
	}
	return b
}

// hbRef is an attribute whose value is not known before apply and that refers
// to the resources at addrs.
func hbRef(addrs ...string) *scanner.Attr {
	return &scanner.Attr{Value: cty.UnknownVal(cty.String), Refs: addrs}
}

// hbRes builds a managed resource from its address, or a data source when the
// address starts with "data.".
func hbRes(addr string, body *scanner.Body) *scanner.Resource {
	a, err := scanner.ParseAddress(addr)
	if err != nil {
		panic(err)
	}
	return &scanner.Resource{Address: addr, Mode: a.Mode, Type: a.Type, Name: a.Name, Body: body, Source: scanner.SourceTerraform}
}

func hbGraph(rs ...*scanner.Resource) *scanner.Graph {
	g := &scanner.Graph{Resources: rs}
	g.Index()
	return g
}

func strs(ss ...string) cty.Value {
	vs := make([]cty.Value, len(ss))
	for i, s := range ss {
		vs[i] = cty.StringVal(s)
	}
	return cty.ListVal(vs)
}

var (
	str     = cty.StringVal
	unknown = cty.UnknownVal(cty.String)
)

func TestIsPublicMember(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"allUsers", true},
		{"allAuthenticatedUsers", true},
		{" allUsers ", true},
		{"allusers", false},
		{"user:alice@example.com", false},
		{"group:allUsers@example.com", false},
		{"", false},
	} {
		t.Run(tc.in, func(t *testing.T) {
			if got := isPublicMember(tc.in); got != tc.want {
				t.Errorf("isPublicMember(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestPublicMembers(t *testing.T) {
	policyDS := hbRes("data.google_iam_policy.p", hbBody(
		"binding", []*scanner.Body{
			hbBody("role", str("roles/cloudkms.viewer"), "members", strs("user:a@example.com")),
			hbBody("role", str("roles/cloudkms.cryptoKeyDecrypter"), "members", strs("allAuthenticatedUsers", "allUsers")),
		}))
	privateDS := hbRes("data.google_iam_policy.private", hbBody(
		"binding", hbBody("role", str("roles/viewer"), "members", strs("user:a@example.com"))))
	unknownDS := hbRes("data.google_iam_policy.unknown", hbBody(
		"binding", hbBody("role", str("roles/viewer"), "members", cty.UnknownVal(cty.List(cty.String)))))
	for _, tc := range []struct {
		name        string
		res         *scanner.Resource
		wantMembers []string
		wantPath    string
		wantUnknown bool
	}{
		{"member public", hbRes("google_kms_crypto_key_iam_member.m", hbBody("role", str("roles/viewer"), "member", str("allUsers"))),
			[]string{"allUsers"}, "member", false},
		{"member private", hbRes("google_kms_crypto_key_iam_member.m", hbBody("member", str("user:a@example.com"))),
			nil, "member", false},
		{"member unknown", hbRes("google_kms_crypto_key_iam_member.m", hbBody("member", unknown)),
			nil, "member", true},
		{"binding list", hbRes("google_kms_key_ring_iam_binding.b", hbBody("members", strs("user:a@example.com", "allAuthenticatedUsers"))),
			[]string{"allAuthenticatedUsers"}, "members", false},
		{"binding set", hbRes("google_kms_key_ring_iam_binding.b", hbBody("members", cty.SetVal([]cty.Value{str("allUsers"), str("allUsers")}))),
			[]string{"allUsers"}, "members", false},
		{"binding dynamic with unknown element", hbRes("google_storage_bucket_iam_binding.b",
			hbBody("members", cty.TupleVal([]cty.Value{str("allUsers"), unknown}))),
			[]string{"allUsers"}, "members", true},
		{"binding wholly unknown", hbRes("google_storage_bucket_iam_binding.b", hbBody("members", cty.UnknownVal(cty.Set(cty.String)))),
			nil, "members", true},
		{"policy json", hbRes("google_kms_crypto_key_iam_policy.p", hbBody("policy_data",
			str(`{"bindings":[{"role":"roles/a","members":["user:a@example.com","allUsers"]},{"role":"roles/b","members":["allAuthenticatedUsers"]}]}`))),
			[]string{"allAuthenticatedUsers", "allUsers"}, "policy_data", false},
		{"policy json private", hbRes("google_kms_crypto_key_iam_policy.p", hbBody("policy_data",
			str(`{"bindings":[{"role":"roles/a","members":["user:a@example.com"]}]}`))),
			nil, "policy_data", false},
		{"policy json invalid", hbRes("google_kms_crypto_key_iam_policy.p", hbBody("policy_data", str(`{"bindings":`))),
			nil, "policy_data", true},
		{"policy from data source", hbRes("google_kms_crypto_key_iam_policy.p", hbBody("policy_data", hbRef("data.google_iam_policy.p"))),
			[]string{"allAuthenticatedUsers", "allUsers"}, "policy_data", false},
		{"policy from private data source", hbRes("google_kms_crypto_key_iam_policy.p", hbBody("policy_data", hbRef("data.google_iam_policy.private"))),
			nil, "policy_data", false},
		{"policy from data source with unknown members", hbRes("google_kms_crypto_key_iam_policy.p", hbBody("policy_data", hbRef("data.google_iam_policy.unknown"))),
			nil, "policy_data", true},
		{"policy unknown without data source", hbRes("google_kms_crypto_key_iam_policy.p", hbBody("policy_data", hbRef("google_kms_crypto_key.k"))),
			nil, "policy_data", true},
		{"not iam", hbRes("google_storage_bucket.b", hbBody("name", str("allUsers"))),
			nil, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := hbGraph(policyDS, privateDS, unknownDS, tc.res)
			members, path, unk := publicMembers(g, tc.res)
			if diff := cmp.Diff(tc.wantMembers, members); diff != "" {
				t.Errorf("members (-want +got):\n%s", diff)
			}
			if path != tc.wantPath || unk != tc.wantUnknown {
				t.Errorf("path, unknown = %q, %v; want %q, %v", path, unk, tc.wantPath, tc.wantUnknown)
			}
		})
	}
}

func TestIAMBindingsRoles(t *testing.T) {
	r := hbRes("google_project_iam_policy.p", hbBody("policy_data",
		str(`{"bindings":[{"role":"roles/cloudkms.admin","members":["user:b@example.com","user:a@example.com"]}]}`)))
	bs, _, unk := iamBindings(hbGraph(r), r)
	want := []iamBinding{{Role: "roles/cloudkms.admin", Members: []string{"user:a@example.com", "user:b@example.com"}}}
	if diff := cmp.Diff(want, bs); diff != "" || unk {
		t.Errorf("iamBindings unknown=%v (-want +got):\n%s", unk, diff)
	}
	m := hbRes("google_project_iam_member.m", hbBody("role", unknown, "member", str("user:a@example.com")))
	bs, _, _ = iamBindings(hbGraph(m), m)
	if len(bs) != 1 || bs[0].Role != "" || bs[0].Partial {
		t.Errorf("unknown role: got %+v, want Role \"\" and not Partial", bs)
	}
}

type slotView struct {
	Check, Path string
	Set         bool
	HasAttr     bool
}

func viewSlots(r *scanner.Resource) []slotView {
	var out []slotView
	for _, s := range cmekSlots(r) {
		out = append(out, slotView{s.Check, s.Path, s.Attr.Set(), s.Attr != nil})
	}
	return out
}

func TestCMEKSlots(t *testing.T) {
	for _, tc := range []struct {
		name string
		res  *scanner.Resource
		want []slotView
	}{
		{"bucket without encryption block", hbRes("google_storage_bucket.b", hbBody("name", str("b"))),
			[]slotView{{"GCP-ENC-001", "encryption.default_kms_key_name", false, false}}},
		{"bucket with key", hbRes("google_storage_bucket.b", hbBody("encryption", hbBody("default_kms_key_name", str("k")))),
			[]slotView{{"GCP-ENC-001", "encryption.default_kms_key_name", true, true}}},
		{"bucket with unknown encryption object", hbRes("google_storage_bucket.b", hbBody("encryption", cty.UnknownVal(cty.DynamicPseudoType))),
			[]slotView{{"GCP-ENC-001", "encryption", true, true}}},
		{"instance with every attached disk", hbRes("google_compute_instance.vm", hbBody(
			"boot_disk", hbBody("kms_key_self_link", str("k")),
			"attached_disk", []*scanner.Body{
				hbBody("source", str("d1"), "kms_key_self_link", str("k")),
				hbBody("source", str("d2")),
				hbBody("source", str("d3"), "kms_key_self_link", str("")),
			})),
			[]slotView{
				{"GCP-ENC-004", "boot_disk.kms_key_self_link", true, true},
				{"GCP-ENC-004", "attached_disk.0.kms_key_self_link", true, true},
				{"GCP-ENC-004", "attached_disk.1.kms_key_self_link", false, false},
				{"GCP-ENC-004", "attached_disk.2.kms_key_self_link", false, true},
			}},
		{"region disk accepts kms_key_name", hbRes("google_compute_region_disk.d", hbBody("disk_encryption_key", hbBody("kms_key_name", str("k")))),
			[]slotView{{"GCP-ENC-004", "disk_encryption_key.kms_key_name", true, true}}},
		{"region disk missing reports kms_key_name", hbRes("google_compute_region_disk.d", hbBody("disk_encryption_key", hbBody())),
			[]slotView{{"GCP-ENC-004", "disk_encryption_key.kms_key_name", false, false}}},
		{"secret with replicas", hbRes("google_secret_manager_secret.s", hbBody(
			"replication", hbBody("user_managed", hbBody("replicas", []*scanner.Body{
				hbBody("location", str("us-east1"), "customer_managed_encryption", hbBody("kms_key_name", str("k"))),
				hbBody("location", str("us-west1")),
			})))),
			[]slotView{
				{"GCP-ENC-006", "replication.user_managed.replicas.0.customer_managed_encryption.kms_key_name", true, true},
				{"GCP-ENC-006", "replication.user_managed.replicas.1.customer_managed_encryption.kms_key_name", false, false},
			}},
		{"secret auto", hbRes("google_secret_manager_secret.s", hbBody("replication", hbBody("auto", hbBody()))),
			[]slotView{{"GCP-ENC-006", "replication.auto.0.customer_managed_encryption.kms_key_name", false, false}}},
		{"bigtable clusters", hbRes("google_bigtable_instance.i", hbBody("cluster", []*scanner.Body{
			hbBody("cluster_id", str("a"), "kms_key_name", unknown),
			hbBody("cluster_id", str("b")),
		})),
			[]slotView{
				{"GCP-ENC-009", "cluster.0.kms_key_name", true, true},
				{"GCP-ENC-009", "cluster.1.kms_key_name", false, false},
			}},
		{"spanner kms_key_names", hbRes("google_spanner_database.d", hbBody("encryption_config", hbBody("kms_key_names", strs("a", "b")))),
			[]slotView{{"GCP-ENC-008", "encryption_config.kms_key_names", true, true}}},
		{"type without cmek", hbRes("google_kms_key_ring.r", hbBody()), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, viewSlots(tc.res)); diff != "" {
				t.Errorf("cmekSlots (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCMEKPathsAreWellFormed(t *testing.T) {
	for typ, paths := range cmekPaths {
		for _, p := range paths {
			if !regexp.MustCompile(`^GCP-ENC-\d{3}$`).MatchString(p.Check) {
				t.Errorf("%s: %q names no check ID", typ, p.Check)
			}
			segs := strings.Split(p.Path, ".")
			if segs[0] == "*" || segs[len(segs)-1] == "*" {
				t.Errorf("%s: %q: a * must follow a block name and precede an attribute", typ, p.Path)
			}
		}
	}
}

func TestKeyIsSoftware(t *testing.T) {
	for _, tc := range []struct {
		name          string
		body          *scanner.Body
		soft, isKnown bool
	}{
		{"no version_template", hbBody(), true, true},
		{"no protection_level", hbBody("version_template", hbBody("algorithm", str("GOOGLE_SYMMETRIC_ENCRYPTION"))), true, true},
		{"SOFTWARE", hbBody("version_template", hbBody("protection_level", str("SOFTWARE"))), true, true},
		{"empty", hbBody("version_template", hbBody("protection_level", str(""))), true, true},
		{"null", hbBody("version_template", hbBody("protection_level", cty.NullVal(cty.String))), true, true},
		{"HSM", hbBody("version_template", hbBody("protection_level", str("HSM"))), false, true},
		{"HSM_SINGLE_TENANT", hbBody("version_template", hbBody("protection_level", str("HSM_SINGLE_TENANT"))), false, true},
		{"EXTERNAL", hbBody("version_template", hbBody("protection_level", str("EXTERNAL"))), false, true},
		{"EXTERNAL_VPC", hbBody("version_template", hbBody("protection_level", str("EXTERNAL_VPC"))), false, true},
		{"unknown", hbBody("version_template", hbBody("protection_level", unknown)), false, false},
		{"unknown template object", hbBody("version_template", cty.UnknownVal(cty.DynamicPseudoType)), false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			soft, known := keyIsSoftware(hbRes("google_kms_crypto_key.k", tc.body))
			if soft != tc.soft || known != tc.isKnown {
				t.Errorf("keyIsSoftware = %v, %v; want %v, %v", soft, known, tc.soft, tc.isKnown)
			}
		})
	}
}

func TestGetAttr(t *testing.T) {
	b := hbBody(
		"settings", hbBody("tier", str("db")),
		"disk", []*scanner.Body{hbBody("size", str("10")), hbBody("size", str("20"))},
		"later", cty.UnknownVal(cty.DynamicPseudoType),
	)
	for _, tc := range []struct {
		path string
		want string // Display of the result
	}{
		{"settings.tier", "db"},
		{"disk.size", "10"},
		{"disk.1.size", "20"},
		{"disk.2.size", "(not set)"},
		{"missing.x", "(not set)"},
		{"later.x.y", "(known after apply)"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			if got := scanner.Display(getAttr(b, tc.path)); got != tc.want {
				t.Errorf("getAttr(%q) = %s, want %s", tc.path, got, tc.want)
			}
		})
	}
}
