package plan

import (
	"testing"
)

// TestRefsOpenPlan: a plan's candidate set is open when an expression also
// names something that is no resource instance of the plan (a root
// variable, a local, a module argument written as a literal, an index
// given by a variable), and closed
// when every reference gives instances (count.index and each.* only pick
// among them).
func TestRefsOpenPlan(t *testing.T) {
	topic := func(name, refs string) string {
		return `{"address":"google_pubsub_topic.` + name + `","mode":"managed","type":"google_pubsub_topic","name":"` + name + `",
			"expressions":{"kms_key_name":{"references":[` + refs + `]}}}`
	}
	value := func(name string) string {
		return `{"address":"google_pubsub_topic.` + name + `","mode":"managed","type":"google_pubsub_topic","name":"` + name + `","values":{"name":"` + name + `","kms_key_name":"key"}}`
	}
	g := loadString(t, `{"format_version":"1.2",
		"planned_values":{"root_module":{
			"resources":[
				{"address":"google_kms_crypto_key.k","mode":"managed","type":"google_kms_crypto_key","name":"k","values":{"name":"k"}},
				`+value("exact")+`,`+value("root_var")+`,`+value("local")+`,`+value("self_key")+`,`+value("missing")+`,`+value("unknown_index")+`],
			"child_modules":[{"address":"module.m","resources":[
				{"address":"module.m.google_pubsub_topic.lit","mode":"managed","type":"google_pubsub_topic","name":"lit","values":{"name":"lit","kms_key_name":"key"}},
				{"address":"module.m.google_pubsub_topic.ref","mode":"managed","type":"google_pubsub_topic","name":"ref","values":{"name":"ref","kms_key_name":"key"}}]}]}},
		"resource_changes":[],
		"configuration":{"root_module":{
			"resources":[
				`+topic("exact", `"google_kms_crypto_key.k.id","google_kms_crypto_key.k"`)+`,
				`+topic("root_var", `"var.hsm_key","google_kms_crypto_key.k.id","google_kms_crypto_key.k"`)+`,
				`+topic("local", `"local.other","google_kms_crypto_key.k.id","google_kms_crypto_key.k"`)+`,
				`+topic("self_key", `"google_kms_crypto_key.k","count.index"`)+`,
				`+topic("missing", `"google_kms_crypto_key.gone.id","google_kms_crypto_key.k.id"`)+`,
				`+topic("unknown_index", `"google_kms_crypto_key.k","var.i"`)+`],
			"module_calls":{"m":{"source":"./m",
				"expressions":{"lit":{"constant_value":"projects/p/locations/l/keyRings/r/cryptoKeys/x"},"ref":{"references":["google_kms_crypto_key.k.id","google_kms_crypto_key.k"]}},
				"module":{"resources":[
					{"address":"google_pubsub_topic.lit","mode":"managed","type":"google_pubsub_topic","name":"lit",
					 "expressions":{"kms_key_name":{"references":["var.lit","var.ref"]}}},
					{"address":"google_pubsub_topic.ref","mode":"managed","type":"google_pubsub_topic","name":"ref",
					 "expressions":{"kms_key_name":{"references":["var.ref"]}}}]}}}}}}`)
	for _, tc := range []struct {
		addr string
		open bool
	}{
		{"google_pubsub_topic.exact", false},
		{"google_pubsub_topic.root_var", true},
		{"google_pubsub_topic.local", true},
		{"google_pubsub_topic.self_key", false},
		{"google_pubsub_topic.missing", true},
		{"google_pubsub_topic.unknown_index", true}, // k[var.i]: the plan does not say the index stays among k's keys
		{"module.m.google_pubsub_topic.lit", true},
		{"module.m.google_pubsub_topic.ref", false},
	} {
		t.Run(tc.addr, func(t *testing.T) {
			a := mustLookup(t, g, tc.addr).Get("kms_key_name")
			if a == nil {
				t.Fatal("no kms_key_name")
			}
			if len(a.Refs) != 1 || a.Refs[0] != "google_kms_crypto_key.k" {
				t.Errorf("refs = %v, want [google_kms_crypto_key.k]", a.Refs)
			}
			if a.RefsOpen != tc.open {
				t.Errorf("RefsOpen = %v, want %v", a.RefsOpen, tc.open)
			}
		})
	}
}
