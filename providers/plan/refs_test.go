package plan

import (
	"strings"
	"testing"

	"github.com/casascan/casascan/scanner"
	"github.com/google/go-cmp/cmp"
)

// refsPlan is a plan whose configuration exercises every kind of reference:
// count and for_each instances, indexed and unindexed references, each.value
// over a resource, module outputs and variables, and a module output cycle.
const refsPlan = `{
  "format_version": "1.2",
  "planned_values": {"root_module": {
    "resources": [
      {"address": "google_kms_crypto_key.k[0]", "mode": "managed", "type": "google_kms_crypto_key", "name": "k", "index": 0, "values": {"name": "k0"}},
      {"address": "google_kms_crypto_key.k[1]", "mode": "managed", "type": "google_kms_crypto_key", "name": "k", "index": 1, "values": {"name": "k1"}},
      {"address": "google_pubsub_topic.all[0]", "mode": "managed", "type": "google_pubsub_topic", "name": "all", "index": 0, "values": {"name": "a0"}},
      {"address": "google_pubsub_topic.same[0]", "mode": "managed", "type": "google_pubsub_topic", "name": "same", "index": 0, "values": {"name": "s0"}},
      {"address": "google_pubsub_topic.same[1]", "mode": "managed", "type": "google_pubsub_topic", "name": "same", "index": 1, "values": {"name": "s1"}},
      {"address": "google_pubsub_topic.fixed", "mode": "managed", "type": "google_pubsub_topic", "name": "fixed", "values": {"name": "f"}},
      {"address": "google_pubsub_topic.each_value[0]", "mode": "managed", "type": "google_pubsub_topic", "name": "each_value", "index": 0, "values": {"name": "e0"}},
      {"address": "google_pubsub_topic.each_value[1]", "mode": "managed", "type": "google_pubsub_topic", "name": "each_value", "index": 1, "values": {"name": "e1"}},
      {"address": "google_pubsub_topic.via_module", "mode": "managed", "type": "google_pubsub_topic", "name": "via_module", "values": {"name": "m"}},
      {"address": "google_pubsub_topic.whole_module", "mode": "managed", "type": "google_pubsub_topic", "name": "whole_module", "values": {"name": "w"}},
      {"address": "google_pubsub_topic.cycle", "mode": "managed", "type": "google_pubsub_topic", "name": "cycle", "values": {"name": "c"}}
    ],
    "child_modules": [
      {"address": "module.m[\"a\"]", "resources": [
        {"address": "module.m[\"a\"].google_kms_crypto_key.inner", "mode": "managed", "type": "google_kms_crypto_key", "name": "inner", "values": {"name": "ia"}},
        {"address": "module.m[\"a\"].google_storage_bucket.b", "mode": "managed", "type": "google_storage_bucket", "name": "b", "values": {"name": "ba", "encryption": [{}]},
         "sensitive_values": {}}]},
      {"address": "module.m[\"b\"]", "resources": [
        {"address": "module.m[\"b\"].google_kms_crypto_key.inner", "mode": "managed", "type": "google_kms_crypto_key", "name": "inner", "values": {"name": "ib"}},
        {"address": "module.m[\"b\"].google_storage_bucket.b", "mode": "managed", "type": "google_storage_bucket", "name": "b", "values": {"name": "bb", "encryption": [{}]}}]}
    ]}},
  "resource_changes": [
    {"address": "module.m[\"a\"].google_storage_bucket.b", "change": {"actions": ["create"], "after_unknown": {"encryption": [{"default_kms_key_name": true}]}}},
    {"address": "module.m[\"b\"].google_storage_bucket.b", "change": {"actions": ["create"], "after_unknown": {"encryption": [{"default_kms_key_name": true}]}}}
  ],
  "configuration": {"root_module": {
    "resources": [
      {"address": "google_kms_crypto_key.k", "mode": "managed", "type": "google_kms_crypto_key", "name": "k", "count_expression": {"constant_value": 2},
       "expressions": {"name": {"references": ["count.index"]}}},
      {"address": "google_pubsub_topic.all", "mode": "managed", "type": "google_pubsub_topic", "name": "all", "count_expression": {"constant_value": 1},
       "expressions": {"name": {"references": ["google_kms_crypto_key.k"]}}},
      {"address": "google_pubsub_topic.same", "mode": "managed", "type": "google_pubsub_topic", "name": "same", "count_expression": {"constant_value": 2},
       "expressions": {"name": {"references": ["google_kms_crypto_key.k", "count.index"]}}},
      {"address": "google_pubsub_topic.fixed", "mode": "managed", "type": "google_pubsub_topic", "name": "fixed",
       "expressions": {"name": {"references": ["google_kms_crypto_key.k[1].id", "google_kms_crypto_key.k[1]", "google_kms_crypto_key.k"]}}},
      {"address": "google_pubsub_topic.each_value", "mode": "managed", "type": "google_pubsub_topic", "name": "each_value",
       "for_each_expression": {"references": ["google_kms_crypto_key.k"]},
       "expressions": {"name": {"references": ["each.value.id", "each.value"]}}},
      {"address": "google_pubsub_topic.via_module", "mode": "managed", "type": "google_pubsub_topic", "name": "via_module",
       "expressions": {"name": {"references": ["module.m[\"b\"].key", "module.m[\"b\"]", "module.m"]}}},
      {"address": "google_pubsub_topic.whole_module", "mode": "managed", "type": "google_pubsub_topic", "name": "whole_module",
       "expressions": {"name": {"references": ["module.m"]}}},
      {"address": "google_pubsub_topic.cycle", "mode": "managed", "type": "google_pubsub_topic", "name": "cycle",
       "expressions": {"name": {"references": ["module.m[\"a\"].loop", "module.m[\"a\"]"]}}}
    ],
    "module_calls": {"m": {
      "source": "./m",
      "for_each_expression": {"constant_value": {"a": "A", "b": "B"}},
      "expressions": {"key": {"references": ["google_kms_crypto_key.k[0].id", "google_kms_crypto_key.k[0]", "google_kms_crypto_key.k"]}},
      "module": {
        "outputs": {
          "key": {"expression": {"references": ["google_kms_crypto_key.inner.id", "google_kms_crypto_key.inner"]}},
          "loop": {"expression": {"references": ["module.self_loop_is_not_a_module.x", "var.key"]}}
        },
        "resources": [
          {"address": "google_kms_crypto_key.inner", "mode": "managed", "type": "google_kms_crypto_key", "name": "inner", "expressions": {"name": {"constant_value": "i"}}},
          {"address": "google_storage_bucket.b", "mode": "managed", "type": "google_storage_bucket", "name": "b",
           "expressions": {"encryption": [{"default_kms_key_name": {"references": ["var.key"]}}], "labels": {"references": ["local.labels"]}}}
        ]}}}}}
}`

func TestResolve(t *testing.T) {
	g := loadString(t, refsPlan)
	tests := []struct {
		address, path string
		want          []string
	}{
		{"google_pubsub_topic.all[0]", "name", []string{"google_kms_crypto_key.k[0]", "google_kms_crypto_key.k[1]"}},
		{"google_pubsub_topic.same[1]", "name", []string{"google_kms_crypto_key.k[1]"}},
		{"google_pubsub_topic.fixed", "name", []string{"google_kms_crypto_key.k[1]"}},
		{"google_pubsub_topic.each_value[0]", "name", []string{"google_kms_crypto_key.k[0]"}},
		{"google_pubsub_topic.each_value[1]", "name", []string{"google_kms_crypto_key.k[1]"}},
		{"google_pubsub_topic.via_module", "name", []string{`module.m["b"].google_kms_crypto_key.inner`}},
		{"google_pubsub_topic.whole_module", "name", []string{"google_kms_crypto_key.k[0]",
			`module.m["a"].google_kms_crypto_key.inner`, `module.m["b"].google_kms_crypto_key.inner`}},
		{"google_pubsub_topic.cycle", "name", []string{"google_kms_crypto_key.k[0]"}},
		{`module.m["a"].google_storage_bucket.b`, "encryption.default_kms_key_name", []string{"google_kms_crypto_key.k[0]"}},
		{`module.m["b"].google_storage_bucket.b`, "encryption.default_kms_key_name", []string{"google_kms_crypto_key.k[0]"}},
		{"google_kms_crypto_key.k[0]", "name", nil},
	}
	for _, tc := range tests {
		t.Run(tc.address+"/"+tc.path, func(t *testing.T) {
			r := g.Lookup(tc.address)
			if r == nil {
				t.Fatalf("%s is not in the graph", tc.address)
			}
			var got []string
			for _, x := range g.Follow(r, tc.path) {
				got = append(got, x.Address)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Follow(%s) (-want +got):\n%s", tc.path, diff)
			}
		})
	}
}

// TestResolveTerminates follows a malformed configuration where a module's
// variable is its own output (Terraform would refuse it): the references
// resolve to nothing, without looping.
func TestResolveTerminates(t *testing.T) {
	src := strings.Replace(refsPlan,
		`"key": {"references": ["google_kms_crypto_key.k[0].id", "google_kms_crypto_key.k[0]", "google_kms_crypto_key.k"]}`,
		`"key": {"references": ["module.m.loop", "module.m"]}`, 1)
	if src == refsPlan {
		t.Fatal("the test plan no longer has the module argument to replace")
	}
	g := loadString(t, src)
	for _, addr := range []string{"google_pubsub_topic.cycle", `module.m["a"].google_storage_bucket.b`} {
		r := g.Lookup(addr)
		var got []string
		for _, a := range []*scanner.Attr{r.Get("name"), r.Get("encryption.default_kms_key_name")} {
			if a != nil {
				got = append(got, a.Refs...)
			}
		}
		if len(got) != 0 {
			t.Errorf("%s refs = %v, want none", addr, got)
		}
	}
}
