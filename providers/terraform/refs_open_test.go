package terraform

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestRefsOpen: a value that is one of several alternatives not known
// before apply has an open candidate set when one alternative refers to a
// resource and another to none, and a closed one when every alternative
// refers to a resource.
func TestRefsOpen(t *testing.T) {
	dir := t.TempDir()
	src := `variable "unset" {
  type = string
}
variable "cond" {
  type = bool
}
variable "known" {
  default = "projects/p/locations/us/keyRings/r/cryptoKeys/hsm"
}
resource "random_id" "s" {
  byte_length = 2
}
resource "google_kms_crypto_key" "a" {
  name     = "a"
  key_ring = "r"
}
resource "google_kms_crypto_key" "b" {
  name     = "b"
  key_ring = "r"
}
locals {
  mixed  = { a = google_kms_crypto_key.a.id, lit = "projects/p/locations/us/keyRings/r/cryptoKeys/x" }
  both   = { a = google_kms_crypto_key.a.id, b = google_kms_crypto_key.b.id }
  nested = { a = { k = google_kms_crypto_key.a.id }, lit = { k = "x" } }
}
resource "google_pubsub_topic" "coalesce_unset" {
  kms_key_name = coalesce(var.unset, google_kms_crypto_key.a.id)
}
resource "google_pubsub_topic" "coalesce_refs" {
  kms_key_name = coalesce(google_kms_crypto_key.a.id, google_kms_crypto_key.b.id)
}
resource "google_pubsub_topic" "coalesce_known" {
  kms_key_name = coalesce(var.known, google_kms_crypto_key.a.id)
}
resource "google_pubsub_topic" "cond_var" {
  kms_key_name = var.cond ? google_kms_crypto_key.a.id : var.unset
}
resource "google_pubsub_topic" "cond_null" {
  kms_key_name = var.cond ? google_kms_crypto_key.a.id : null
}
resource "google_pubsub_topic" "cond_refs" {
  kms_key_name = var.cond ? google_kms_crypto_key.a.id : google_kms_crypto_key.b.id
}
resource "google_pubsub_topic" "index_mixed" {
  kms_key_name = local.mixed[random_id.s.hex]
}
resource "google_pubsub_topic" "lookup_mixed" {
  kms_key_name = lookup(local.mixed, random_id.s.hex)
}
resource "google_pubsub_topic" "lookup_refs" {
  kms_key_name = lookup(local.both, random_id.s.hex)
}
resource "google_pubsub_topic" "lookup_default" {
  kms_key_name = lookup(local.both, random_id.s.hex, var.unset)
}
resource "google_pubsub_topic" "nested_cond_var" {
  kms_key_name = lower(var.cond ? google_kms_crypto_key.a.id : var.unset)
}
resource "google_pubsub_topic" "nested_cond_refs" {
  kms_key_name = lower(var.cond ? google_kms_crypto_key.a.id : google_kms_crypto_key.b.id)
}
resource "google_pubsub_topic" "nested_in_condition" {
  kms_key_name = length(var.cond ? [google_kms_crypto_key.b.id] : []) > 0 ? google_kms_crypto_key.a.id : google_kms_crypto_key.b.id
}
resource "google_pubsub_topic" "index_refs" {
  kms_key_name = local.both[random_id.s.hex]
}
resource "google_pubsub_topic" "index_nested_mixed" {
  kms_key_name = local.nested[random_id.s.hex].k
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	g, err := Load(context.Background(), dir, Options{Base: dir})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]bool{
		"coalesce_unset": true, "coalesce_refs": false, "coalesce_known": false,
		"cond_var": true, "cond_null": false, "cond_refs": false,
		"index_mixed": true, "index_refs": false, "index_nested_mixed": true,
		"nested_cond_var": true, "nested_cond_refs": false, "nested_in_condition": false,
		"lookup_mixed": true, "lookup_refs": false, "lookup_default": true,
	} {
		r := g.Lookup("google_pubsub_topic." + name)
		if r == nil {
			t.Errorf("%s: no resource", name)
			continue
		}
		a := r.Get("kms_key_name")
		if a == nil {
			t.Errorf("%s: no attribute", name)
			continue
		}
		if name != "coalesce_known" && !slices.Contains(a.Refs, "google_kms_crypto_key.a") {
			t.Errorf("%s: refs %v, want google_kms_crypto_key.a among them", name, a.Refs)
		}
		if a.RefsOpen != want {
			t.Errorf("%s: RefsOpen = %v, want %v (refs %v)", name, a.RefsOpen, want, a.Refs)
		}
	}
}

// TestRefsOpenNestedConditionalsStayLinear: conditionals not known before
// apply nested inside functions, each branch judged once, not once per
// level: forty levels load within the default budget, with no evaluation
// limit reached; with every branch a reference the set is closed, and one
// unset variable at the bottom opens it.
func TestRefsOpenNestedConditionalsStayLinear(t *testing.T) {
	for _, bottom := range []string{"google_kms_crypto_key.a.id", "var.unset"} {
		expr := bottom
		for i := 0; i < 40; i++ {
			expr = "lower(var.cond ? " + expr + " : google_kms_crypto_key.a.id)"
		}
		testNestedConditionals(t, expr, bottom == "var.unset")
	}
}

func testNestedConditionals(t *testing.T, expr string, open bool) {
	t.Helper()
	dir := t.TempDir()
	src := `variable "cond" {
  type = bool
}
variable "unset" {
  type = string
}
resource "google_kms_crypto_key" "a" {
  name     = "a"
  key_ring = "r"
}
resource "google_pubsub_topic" "t" {
  kms_key_name = ` + expr + `
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	g, err := Load(context.Background(), dir, Options{Base: dir})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range g.Diagnostics {
		t.Errorf("unexpected diagnostic: %v", d)
	}
	a := g.Lookup("google_pubsub_topic.t").Get("kms_key_name")
	if a == nil || a.RefsOpen != open {
		t.Errorf("nested conditionals: %+v, want RefsOpen %v", a, open)
	}
}

// TestRefsHidden: an index with a key not known before apply below the top
// of an expression (inside a function) keeps the references of every
// element it may be, and try() over an argument not known is one of it and
// the later arguments, open when one of them refers to no resource.
func TestRefsHidden(t *testing.T) {
	dir := t.TempDir()
	src := `variable "unset" {
  type = string
}
resource "random_id" "s" {
  byte_length = 2
}
resource "google_kms_crypto_key" "a" {
  name     = "a"
  key_ring = "r"
}
resource "google_kms_crypto_key" "b" {
  name     = "b"
  key_ring = "r"
}
locals {
  both  = { a = google_kms_crypto_key.a.id, b = google_kms_crypto_key.b.id }
  mixed = { a = google_kms_crypto_key.a.id, lit = "projects/p/locations/us/keyRings/r/cryptoKeys/x" }
}
resource "google_pubsub_topic" "lower_index_refs" {
  kms_key_name = lower(local.both[random_id.s.hex])
}
resource "google_pubsub_topic" "lower_index_mixed" {
  kms_key_name = lower(local.mixed[random_id.s.hex])
}
resource "google_pubsub_topic" "template_index_refs" {
  kms_key_name = "${local.both[random_id.s.hex]}"
}
resource "google_pubsub_topic" "try_unset" {
  kms_key_name = try(google_kms_crypto_key.a.id, var.unset)
}
resource "google_pubsub_topic" "try_refs" {
  kms_key_name = try(google_kms_crypto_key.a.id, google_kms_crypto_key.b.id)
}
resource "google_pubsub_topic" "try_index_unset" {
  kms_key_name = try(local.both[random_id.s.hex], var.unset)
}
resource "google_pubsub_topic" "lower_try_unset" {
  kms_key_name = lower(try(google_kms_crypto_key.a.id, var.unset))
}
resource "google_pubsub_topic" "try_known_first" {
  kms_key_name = try("projects/p/locations/us/keyRings/r/cryptoKeys/x", google_kms_crypto_key.a.id)
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	g, err := Load(context.Background(), dir, Options{Base: dir})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range g.Diagnostics {
		t.Errorf("diagnostic: %s: %s (%s:%d)", d.Summary, d.Detail, d.File, d.Line)
	}
	for name, want := range map[string]struct {
		refs []string
		open bool
	}{
		"lower_index_refs":    {[]string{"google_kms_crypto_key.a", "google_kms_crypto_key.b", "random_id.s"}, false}, // the key's own references too, as at the top
		"lower_index_mixed":   {[]string{"google_kms_crypto_key.a", "random_id.s"}, true},
		"template_index_refs": {[]string{"google_kms_crypto_key.a", "google_kms_crypto_key.b", "random_id.s"}, false},
		"try_unset":           {[]string{"google_kms_crypto_key.a"}, true},
		"try_refs":            {[]string{"google_kms_crypto_key.a", "google_kms_crypto_key.b"}, false},
		"try_index_unset":     {[]string{"google_kms_crypto_key.a", "google_kms_crypto_key.b", "random_id.s"}, true},
		"lower_try_unset":     {[]string{"google_kms_crypto_key.a"}, true},
		"try_known_first":     {nil, false},
	} {
		a := g.Lookup("google_pubsub_topic." + name).Get("kms_key_name")
		if a == nil {
			t.Errorf("%s: no attribute", name)
			continue
		}
		refs := slices.Clone(a.Refs)
		slices.Sort(refs)
		if !slices.Equal(refs, want.refs) || a.RefsOpen != want.open {
			t.Errorf("%s: refs %v open %v, want %v open %v", name, refs, a.RefsOpen, want.refs, want.open)
		}
	}
}
