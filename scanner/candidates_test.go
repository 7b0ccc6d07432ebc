package scanner

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/casascan/casascan/scanner/judge"
)

// TestCandidateNames: candidates that are every instance of one resource
// block read TYPE.NAME[*]; some instances, or instances of several blocks,
// are listed; past a few names the rest are counted.
func TestCandidateNames(t *testing.T) {
	g := &Graph{}
	for _, a := range []string{
		`google_kms_crypto_key.k["a"]`, `google_kms_crypto_key.k["b"]`, `google_kms_crypto_key.k["c"]`,
		`google_kms_crypto_key.n[0]`, `google_kms_crypto_key.n[1]`,
		`module.m.google_kms_crypto_key.k["a"]`, `module.m.google_kms_crypto_key.k["b"]`,
		`google_kms_crypto_key.one`, `google_kms_crypto_key.two`, `google_kms_crypto_key.three`,
	} {
		g.Resources = append(g.Resources, &Resource{Address: a, Type: "google_kms_crypto_key",
			DefRange: hcl.Range{Filename: "kms.tf", Start: hcl.Pos{Line: 12}}})
	}
	g.Index()
	tests := []struct {
		name  string
		addrs []string
		want  string
	}{
		{"all of one block", []string{`google_kms_crypto_key.k["b"]`, `google_kms_crypto_key.k["a"]`, `google_kms_crypto_key.k["c"]`},
			`google_kms_crypto_key.k[*]`},
		{"all of a counted block", []string{`google_kms_crypto_key.n[0]`, `google_kms_crypto_key.n[1]`}, `google_kms_crypto_key.n[*]`},
		{"all in a module", []string{`module.m.google_kms_crypto_key.k["a"]`, `module.m.google_kms_crypto_key.k["b"]`},
			`module.m.google_kms_crypto_key.k[*]`},
		{"some instances", []string{`google_kms_crypto_key.k["a"]`, `google_kms_crypto_key.k["b"]`},
			`google_kms_crypto_key.k["a"], google_kms_crypto_key.k["b"]`},
		{"mixed blocks", []string{`google_kms_crypto_key.n[0]`, `google_kms_crypto_key.one`, `google_kms_crypto_key.n[1]`},
			`google_kms_crypto_key.n[*], google_kms_crypto_key.one`},
		{"one", []string{`google_kms_crypto_key.one`}, `google_kms_crypto_key.one`},
		{"capped", []string{`google_kms_crypto_key.one`, `google_kms_crypto_key.two`, `google_kms_crypto_key.three`,
			`google_kms_crypto_key.k["a"]`, `google_kms_crypto_key.n[0]`},
			`google_kms_crypto_key.one, google_kms_crypto_key.two, google_kms_crypto_key.three, 2 more`},
		{"not in the graph", []string{`google_x.y[0]`, `google_x.y[1]`}, `google_x.y[0], google_x.y[1]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := g.CandidateNames(tc.addrs); got != tc.want {
				t.Errorf("CandidateNames = %s, want %s", got, tc.want)
			}
		})
	}

	// Provenance groups the instances of one block into one origin at the
	// block, and leaves a single reference as it is.
	r := &Resource{Address: "google_storage_bucket.b", Source: SourceTerraform}
	a := &Attr{Refs: []string{`google_kms_crypto_key.k["a"]`, `google_kms_crypto_key.k["b"]`, `google_kms_crypto_key.k["c"]`, "random_id.s"}}
	want := []Origin{
		{Kind: OriginOneOf, Name: "google_kms_crypto_key.k[*]", File: "kms.tf", Line: 12},
		{Kind: OriginComputed, Name: "random_id.s"},
	}
	got := r.originsIn(g, a)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("originsIn (-want +got):\n%s", diff)
	}
	if s := got[0].String(); s != "one of google_kms_crypto_key.k[*] (kms.tf:12)" {
		t.Errorf("String = %q", s)
	}
}

// TestCandidatesOneOf: a closed candidate set is judged as judge.OneOf
// judges it; an open one (the value may be something no candidate is)
// is Unknown whatever the candidates' verdicts, and every candidate is
// still judged.
func TestCandidatesOneOf(t *testing.T) {
	a := &Resource{Address: "google_kms_crypto_key.a", Type: "google_kms_crypto_key", Body: NewBody()}
	b := &Resource{Address: "google_kms_crypto_key.b", Type: "google_kms_crypto_key", Body: NewBody()}
	g := &Graph{Resources: []*Resource{a, b}}
	g.Index()
	for _, tc := range []struct {
		open bool
		v    judge.Verdict
		want judge.Verdict
	}{
		{false, judge.Fail, judge.Fail}, {false, judge.Pass, judge.Pass},
		{true, judge.Fail, judge.Unknown}, {true, judge.Pass, judge.Unknown},
	} {
		attr := &Attr{Name: "k", Value: cty.UnknownVal(cty.String), Refs: []string{a.Address, b.Address, "google_pubsub_topic.t"}, RefsOpen: tc.open}
		c := g.Candidates(attr, "google_kms_crypto_key")
		if len(c.Resources) != 2 || c.Open != tc.open {
			t.Fatalf("Candidates = %+v, want a and b, open %v", c, tc.open)
		}
		if c.Exact() {
			t.Errorf("two candidates: Exact")
		}
		if one := g.Candidates(&Attr{Name: "k", Refs: []string{a.Address}, RefsOpen: tc.open}); one.Exact() == tc.open {
			t.Errorf("one candidate, open %v: Exact = %v", tc.open, one.Exact())
		}
		judged := 0
		if got := c.OneOf(func(*Resource) judge.Verdict { judged++; return tc.v }); got != tc.want || judged != 2 {
			t.Errorf("open %v, every candidate %v: OneOf = %v after %d candidates, want %v after 2", tc.open, tc.v, got, judged, tc.want)
		}
	}
	if c := g.Candidates(nil); c.Open || len(c.Resources) != 0 {
		t.Errorf("Candidates(nil) = %+v", c)
	}
}
