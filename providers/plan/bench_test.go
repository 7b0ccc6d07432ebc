package plan

import (
	"encoding/json"
	"fmt"
	"testing"
)

// largePlan generates a plan of n for_each keys and n buckets, each bucket
// encrypted with the key of its own instance key: the x.y[each.key] pattern
// that must resolve by lookup, not by scanning every instance.
func largePlan(n int) []byte {
	var res, changes []any
	for i := 0; i < n; i++ {
		k := fmt.Sprintf("k%d", i)
		res = append(res,
			map[string]any{"address": fmt.Sprintf(`google_kms_crypto_key.k[%q]`, k), "mode": "managed", "type": "google_kms_crypto_key", "name": "k", "index": k,
				"values": map[string]any{"name": k, "version_template": []any{map[string]any{"protection_level": "HSM"}}}},
			map[string]any{"address": fmt.Sprintf(`google_storage_bucket.b[%q]`, k), "mode": "managed", "type": "google_storage_bucket", "name": "b", "index": k,
				"values": map[string]any{"name": "acme-" + k, "encryption": []any{map[string]any{}}}})
		changes = append(changes, map[string]any{"address": fmt.Sprintf(`google_storage_bucket.b[%q]`, k),
			"change": map[string]any{"actions": []any{"create"}, "after_unknown": map[string]any{"encryption": []any{map[string]any{"default_kms_key_name": true}}}}})
	}
	bucket := map[string]any{"address": "google_storage_bucket.b", "mode": "managed", "type": "google_storage_bucket", "name": "b",
		"for_each_expression": map[string]any{"references": []any{"var.keys"}},
		"expressions":         map[string]any{"encryption": []any{map[string]any{"default_kms_key_name": map[string]any{"references": []any{"google_kms_crypto_key.k", "each.key"}}}}}}
	doc := map[string]any{"format_version": "1.2",
		"planned_values":   map[string]any{"root_module": map[string]any{"resources": res}},
		"resource_changes": changes,
		"configuration":    map[string]any{"root_module": map[string]any{"resources": []any{bucket}}}}
	b, err := json.Marshal(doc)
	if err != nil {
		panic(err)
	}
	return b
}

// BenchmarkLoadPlan decodes and builds a plan of 4,000 resources.
func BenchmarkLoadPlan(b *testing.B) {
	data := largePlan(2000)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		doc, err := decode(data)
		if err != nil {
			b.Fatal(err)
		}
		g, _ := build(doc, "plan.json")
		g.Index()
		if refs := g.Lookup(`google_storage_bucket.b["k7"]`).Get("encryption.default_kms_key_name").Refs; len(refs) != 1 {
			b.Fatalf("refs = %v, want the key of the same instance", refs)
		}
	}
}
