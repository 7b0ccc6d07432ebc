package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// rawState is a terraform.tfstate (format version 4) of one resource.
func rawState(t *testing.T, typ string, attrs map[string]any, sensitive any) string {
	t.Helper()
	st := map[string]any{
		"version": 4, "terraform_version": "1.9.8", "serial": 1, "lineage": "hostile",
		"resources": []any{map[string]any{
			"mode": "managed", "type": typ, "name": "x", "provider": `provider["registry.terraform.io/hashicorp/google"]`,
			"instances": []any{map[string]any{"schema_version": 0, "attributes": attrs, "sensitive_attributes": sensitive}},
		}},
	}
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestHostileRawState: a raw terraform.tfstate is read through the tree's
// file system like a plan: one over the size limit, a link leaving the
// tree or a FIFO is refused naming the file; a sensitive path with a huge
// index marks the instance sensitive instead of growing a mask, and no
// sensitive value of the state is ever shown.
func TestHostileRawState(t *testing.T) {
	ws, tree := hostileWorkspace(t)
	secret := hostileMarker + "_STATE_SECRET"
	writeTree(t, ws, map[string]hostileFile{
		"outside/terraform.tfstate": {Data: rawState(t, "google_storage_bucket", map[string]any{"name": hostileMarker}, []any{})},
	})
	writeTree(t, tree, map[string]hostileFile{
		"big/terraform.tfstate": {Data: rawState(t, "google_storage_bucket", map[string]any{"name": "big", "labels": map[string]any{"pad": strings.Repeat("x", 3<<20)}}, []any{})},
		"out/terraform.tfstate": {Link: filepath.Join(ws, "outside", "terraform.tfstate")},
		"huge/terraform.tfstate": {Data: rawState(t, "google_sql_user", map[string]any{"name": "app", "instance": "db", "password": secret},
			[]any{[]any{map[string]any{"type": "get_attr", "value": "password"}, map[string]any{"type": "index", "value": map[string]any{"value": 1_000_000_000, "type": "number"}}}})},
		"plain/terraform.tfstate": {Data: rawState(t, "google_sql_user", map[string]any{"name": "app", "instance": "db", "password": secret},
			[]any{[]any{map[string]any{"type": "get_attr", "value": "password"}}})},
	})
	res := runHostile(t, tree, readCaseLimits, "scan", "big/terraform.tfstate", "--max-file-size", "2MiB")
	assertExit(t, res, exitUsage)
	assertStderr(t, res, "reading big/terraform.tfstate: larger than the file size limit (2 MiB; raise it with --max-file-size)")

	res = runHostile(t, tree, readCaseLimits, "scan", "out/terraform.tfstate")
	assertExit(t, res, exitUsage)
	assertStderr(t, res, "reading out/terraform.tfstate: outside the scanned tree")
	assertNotShown(t, res, hostileMarker)

	for _, input := range []string{"huge/terraform.tfstate", "plain/terraform.tfstate"} {
		for format, res := range runHostileFormats(t, tree, readCaseLimits, "scan", input) {
			if res.Code != 0 && res.Code != exitFindings {
				t.Errorf("%s as %s: exit %d\n%s", input, format, res.Code, clip(res.Stderr))
			}
			assertNotShown(t, res, secret)
		}
	}
}
