package scanner

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseSteps(t *testing.T) {
	tests := []struct {
		ref  string
		want []RefStep
		ok   bool
	}{
		{"google_kms_crypto_key.k.id", []RefStep{{Name: "google_kms_crypto_key"}, {Name: "k"}, {Name: "id"}}, true},
		{"google_kms_crypto_key.k[0]", []RefStep{{Name: "google_kms_crypto_key"}, {Name: "k", Key: IntKey(0), Indexed: true}}, true},
		{`module.kms["a.b]"].key_id`, []RefStep{{Name: "module"}, {Name: "kms", Key: StringKey("a.b]"), Indexed: true}, {Name: "key_id"}}, true},
		{"data.google_iam_policy.p.policy_data", []RefStep{{Name: "data"}, {Name: "google_iam_policy"}, {Name: "p"}, {Name: "policy_data"}}, true},
		{"x.y[1][2].z", []RefStep{{Name: "x"}, {Name: "y", Key: IntKey(1), Indexed: true}, {Name: "z"}}, true},
		{"x.y[1e+10]", []RefStep{{Name: "x"}, {Name: "y", Indexed: true}}, true},
		{"count.index", []RefStep{{Name: "count"}, {Name: "index"}}, true},
		// A splat or an index that is not static is one of the instances.
		{"google_kms_crypto_key.k[*].id", []RefStep{{Name: "google_kms_crypto_key"}, {Name: "k", Indexed: true}, {Name: "id"}}, true},
		{"x.y[each.key].id", []RefStep{{Name: "x"}, {Name: "y", Indexed: true}, {Name: "id"}}, true},
		// Changed shape: brackets nest and quotes hide brackets inside a
		// dynamic index (plan's copy stopped at the first ']').
		{`x.y[local.m["a]"]].id`, []RefStep{{Name: "x"}, {Name: "y", Indexed: true}, {Name: "id"}}, true},
		{"", nil, false},
		{".x", nil, false},
		{"x.", nil, false},
		{"x..y", nil, false},
		{`x.y["open`, nil, false},
		{"x.y[0", nil, false},
		{"x.y[0]z", nil, false},
		// Changed shape: an empty index is no traversal (plan's copy read it
		// as no key; ParseAddress refused it).
		{"x.y[]", nil, false},
		{"x.y]", nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.ref, func(t *testing.T) {
			got, ok := ParseSteps(tc.ref)
			if ok != tc.ok {
				t.Fatalf("ParseSteps ok = %v, want %v", ok, tc.ok)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ParseSteps (-want +got):\n%s", diff)
			}
		})
	}
}

// TestInstancesPick: a source that resolves before its graph exists picks
// instances by static key, by the referring instance's own key, or all.
func TestInstancesPick(t *testing.T) {
	var addrs []Address
	for _, s := range []string{
		`google_kms_crypto_key.k["a"]`, `google_kms_crypto_key.k["b"]`, `google_kms_crypto_key.one`,
		`module.m[0].google_kms_crypto_key.k`, `module.m[1].google_kms_crypto_key.k`,
	} {
		a, err := ParseAddress(s)
		if err != nil {
			t.Fatal(err)
		}
		addrs = append(addrs, a)
	}
	ix := NewInstances(len(addrs), func(i int) (Address, string) { return addrs[i], addrs[i].String() })
	tests := []struct {
		name  string
		typ   string
		block string
		p     Pick
		want  []string
		exact bool
	}{
		{"static key", "google_kms_crypto_key", "k", Pick{Keys: []Key{nil, StringKey("b"), StringKey("b")}}, []string{`google_kms_crypto_key.k["b"]`}, true},
		{"missing key", "google_kms_crypto_key", "k", Pick{Keys: []Key{StringKey("c")}}, nil, false},
		{"own key", "google_kms_crypto_key", "k", Pick{Keys: []Key{nil}, Self: StringKey("a"), PerKey: true}, []string{`google_kms_crypto_key.k["a"]`}, true},
		{"own key not used", "google_kms_crypto_key", "k", Pick{Self: StringKey("a")}, []string{`google_kms_crypto_key.k["a"]`, `google_kms_crypto_key.k["b"]`}, false},
		{"no key", "google_kms_crypto_key", "one", Pick{}, []string{`google_kms_crypto_key.one`}, true},
		{"no block", "google_storage_bucket", "k", Pick{}, nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ix.Resource(nil, Managed, tc.typ, tc.block, tc.p)
			if diff := cmp.Diff(tc.want, got.Addrs); diff != "" || got.Exact != tc.exact {
				t.Errorf("Resource = %v exact %v, want exact %v (-want +got):\n%s", got.Addrs, got.Exact, tc.exact, diff)
			}
		})
	}
	calls, exact := ix.Calls(nil, "m", Pick{})
	if len(calls) != 2 || exact || ModulePath(calls[1]) != "module.m[1]" {
		t.Errorf("Calls = %v (exact %v), want both instances of module.m", calls, exact)
	}
	calls, exact = ix.Calls(nil, "m", Pick{Keys: []Key{IntKey(1)}})
	if len(calls) != 1 || !exact {
		t.Errorf("Calls[1] = %v (exact %v), want module.m[1]", calls, exact)
	}
	in := ix.Resource(calls[0], Managed, "google_kms_crypto_key", "k", Pick{})
	if diff := cmp.Diff([]string{`module.m[1].google_kms_crypto_key.k`}, in.Addrs); diff != "" || !in.Exact {
		t.Errorf("in module.m[1]: %v", in)
	}
}

// FuzzParse: no input panics the lexer, the reference parser or the name
// reader, and an address that parses renders back to one that parses to
// the same address.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`module.a["x"].google_kms_crypto_key.k[0].id`, `google_kms_crypto_key.k[*].id`, `x.y[local.m["a]"]].id`,
		`//cloudkms.googleapis.com/projects/p/locations/l/keyRings/r/cryptoKeys/k`, "global/sslPolicies/x",
		"https://www.googleapis.com/compute/v1/projects/p/zones/z/instances/vm", `x.y["\u00e9"]`, "[[[[", `x["]`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ParseSteps(s)
		if n, ok := ParseName(s); ok && (len(n.Segs) == 0 || n.Own() == "") {
			t.Errorf("ParseName(%q) = %v: a name without its own segment", s, n)
		}
		a, err := ParseAddress(s)
		if err != nil {
			return
		}
		b, err := ParseAddress(a.String())
		if err != nil || b.String() != a.String() {
			t.Errorf("ParseAddress(%q) renders %q, which parses to %q (%v)", s, a.String(), b.String(), err)
		}
	})
}
