package plan

import (
	"strings"
	"testing"

	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/scannertest"
)

// sensitiveKeysPlan has instance keys equal to the values of a sensitive
// variable (keys of a sensitive map, elements of a sensitive list), as a
// plan file may hold them.
const sensitiveKeysPlan = `{
  "format_version": "1.2",
  "variables": {
    "tokens": {"value": {"tok-s3cret-map-key": "tok-s3cret-map-value"}},
    "names": {"value": ["s3cret-list-elem"]},
    "plain": {"value": "public-name"}
  },
  "planned_values": {"root_module": {
    "resources": [
      {"address": "google_storage_bucket.b[\"tok-s3cret-map-key\"]", "mode": "managed", "type": "google_storage_bucket", "name": "b", "index": "tok-s3cret-map-key", "values": {"name": "x"}},
      {"address": "google_storage_bucket.b[\"public-name\"]", "mode": "managed", "type": "google_storage_bucket", "name": "b", "index": "public-name", "values": {"name": "y"}}
    ],
    "child_modules": [{"address": "module.m[\"s3cret-list-elem\"]", "resources": [
      {"address": "module.m[\"s3cret-list-elem\"].google_pubsub_topic.t", "mode": "managed", "type": "google_pubsub_topic", "name": "t", "values": {"name": "z"}}
    ]}]
  }},
  "resource_changes": [
    {"address": "google_storage_bucket.b[\"tok-s3cret-map-key\"]", "mode": "managed", "type": "google_storage_bucket", "name": "b", "index": "tok-s3cret-map-key",
     "change": {"actions": ["create"], "after": {"name": "x"}, "after_unknown": {"self_link": true}, "after_sensitive": {"name": true}}}
  ],
  "configuration": {"root_module": {
    "variables": {"tokens": {"sensitive": true}, "names": {"sensitive": true}, "plain": {}}
  }}
}`

func TestPlanSensitiveKeysRedacted(t *testing.T) {
	g := loadString(t, sensitiveKeysPlan)
	dump := scannertest.Dump(g)
	for _, s := range []string{"tok-s3cret-map-key", "tok-s3cret-map-value", "s3cret-list-elem"} {
		if strings.Contains(dump, s) {
			t.Errorf("the graph shows %q:\n%s", s, dump)
		}
	}
	want := []string{
		`google_storage_bucket.b["` + scanner.RedactedKey("tok-s3cret-map-key") + `"]`,
		`google_storage_bucket.b["public-name"]`,
		`module.m["` + scanner.RedactedKey("s3cret-list-elem") + `"].google_pubsub_topic.t`,
	}
	for _, addr := range want {
		r := g.Lookup(addr)
		if r == nil {
			t.Errorf("no resource %s in:\n%s", addr, dump)
			continue
		}
		if len(r.Calls) > 0 && strings.Contains(r.Calls[0].Address, "s3cret") {
			t.Errorf("module call address shows the key: %s", r.Calls[0].Address)
		}
	}
	// The change (after_sensitive) still pairs with the redacted instance.
	if r := g.Lookup(want[0]); r != nil && !r.Get("name").Sensitive {
		t.Errorf("after_sensitive of the redacted instance was lost: %s", dump)
	}
	if len(g.Resources) != 3 {
		t.Errorf("%d resources, want 3:\n%s", len(g.Resources), dump)
	}
}
