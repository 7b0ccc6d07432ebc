package terraform

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzLoad feeds arbitrary file contents to the loader as main.tf or
// main.tf.json beside a small module: whatever the input, Load must return
// (a graph and diagnostics) and never panic or hang.
func FuzzLoad(f *testing.F) {
	_ = filepath.WalkDir(fixtureRoot, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if strings.HasSuffix(p, ".tf") || strings.HasSuffix(p, ".tf.json") {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data, strings.HasSuffix(p, ".json"))
			}
		}
		return nil
	})
	f.Add([]byte(`module "m" { source = "./mod"  for_each = { a = 1 }  x = each.value }`), false)
	f.Add([]byte("variable \"k\" {\n sensitive = true\n default = [\"s3cret\"]\n}\nmodule \"m\" {\n source = \"./mod\"\n for_each = toset(var.k)\n x = each.key\n}\nresource \"google_pubsub_topic\" \"t\" {\n for_each = toset([sensitive(\"k\")])\n name = each.key\n}\n"), false)
	f.Add([]byte("resource \"google_pubsub_topic\" \"t\" {\n for_each = { \"AIzaSyFAKE-casascan-test-key-0123456789\" = 1 }\n name = file(\"a\\n::error::x\")\n}\n"), false)
	// Not-judged cases: a repeated resource, an invalid count, a syntax error.
	f.Add([]byte("resource \"google_storage_bucket\" \"b\" {\n  name = \"one\"\n}\nresource \"google_storage_bucket\" \"b\" {\n  name = \"two\"\n}\n"), false)
	f.Add([]byte("resource \"google_storage_bucket\" \"n\" {\n  count = \"many\"\n}\nlocals {\n  x = \n"), false)
	// Hostile shapes, small: past the pre-scan's limits, and just under.
	for _, n := range []int{maxParseNesting - 5, maxParseNesting + 5} {
		f.Add([]byte("locals {\n  x = "+strings.Repeat("(", n)+"1"+strings.Repeat(")", n)+"\n}\n"), false)
		f.Add([]byte("locals {\n  x = 1"+strings.Repeat("+1", n)+"\n  y = "+strings.Repeat(`"${`, n/2)+"\n}\n"), false)
		f.Add([]byte(`{"locals": {"x": `+strings.Repeat("[", n)+strings.Repeat("]", n)+`, "y": "`+strings.Repeat("${[", n/3)+`"}}`), true)
	}
	f.Add([]byte("locals {\n  x = <<EOT\n%{ if true }${a}$${b}%%{c}\nEOT\n  y = <<-X\n  X\n}\n"), false)
	f.Add([]byte("a = \"\x00\"\n"), false)
	f.Add([]byte("# caf\xe9\na = \"\xff\"\n/* \"${ */ b = 1 // ((\n"), false)
	// Evaluation bombs, small: the budget makes each an unknown value.
	for _, seed := range []string{
		`locals { x = [for a in range(1024) : [for b in range(1024) : [for c in range(1024) : c]]] }`,
		`locals { s0 = "ab"  s1 = "${local.s0}${local.s0}"  s2 = "${local.s1}${local.s1}" }`,
		`locals { r = replace(replace("aaaa", "a", "aaaaaaaaaaaaaaaa"), "/a/", "$0$0$0$0") }`,
		`locals { x = toset(flatten([for a in range(64) : [for b in range(64) : "${a}-${b}"]])) }`,
		`locals { x = distinct([for a in range(1000) : a % 7]) }`,
		`locals { x = templatestring("%%{for a in range(100)}%%{for b in range(100)}x%%{endfor}%%{endfor}", {}) }`,
		`resource "a" "b" { x = tostring(1e99999999)  y = "n${-1e-99999999}" }`,
		`resource "a" "b" {
  dynamic "d" {
    for_each = range(1000)
    content {
      dynamic "e" {
        for_each = range(1000)
        content { x = 1 }
      }
    }
  }
}`,
		`module "m" {
  source = "./mod"
  count  = 10000
  x      = count.index
}`,
	} {
		f.Add([]byte(seed), false)
	}
	f.Fuzz(func(t *testing.T, src []byte, isJSON bool) {
		dir := t.TempDir()
		name := "main.tf"
		if isJSON {
			name = "main.tf.json"
		}
		if err := os.WriteFile(filepath.Join(dir, name), src, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dir, "mod"), 0o755); err != nil {
			t.Fatal(err)
		}
		mod := []byte("variable \"x\" {}\nresource \"google_pubsub_topic\" \"t\" { name = var.x }\noutput \"o\" { value = var.x }\n")
		if err := os.WriteFile(filepath.Join(dir, "mod", "main.tf"), mod, 0o644); err != nil {
			t.Fatal(err)
		}
		g, err := Load(context.Background(), dir, Options{})
		if err != nil {
			t.Fatalf("Load of a readable directory returned an error: %v", err)
		}
		if g == nil {
			t.Fatal("nil graph")
		}
	})
}
