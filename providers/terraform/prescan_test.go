package terraform

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty"
)

// TestPreScanHostile: every input that would overflow HCL's stack or make
// its template merging quadratic is refused, with the line where the limit
// is crossed.
func TestPreScanHostile(t *testing.T) {
	deep := 100_000
	cases := []struct {
		name, src string
		json      bool
		summary   string
		line      int
	}{
		{"parens", "a = 1\nb = " + strings.Repeat("(", deep) + "1" + strings.Repeat(")", deep) + "\n", false, "nested too deeply", 2},
		{"brackets", "b = " + strings.Repeat("[", deep) + strings.Repeat("]", deep) + "\n", false, "nested too deeply", 1},
		{"objects", "b = " + strings.Repeat("{a=", deep) + "1" + strings.Repeat("}", deep) + "\n", false, "nested too deeply", 1},
		{"interpolations", `b = ` + strings.Repeat(`"${`, deep) + "1" + strings.Repeat(`}"`, deep) + "\n", false, "nested too deeply", 1},
		{"directives", "b = <<EOT\n" + strings.Repeat("%{ if true }\n", deep) + strings.Repeat("%{ endif }\n", deep) + "EOT\n", false, "nested too deeply", 1 + maxParseNesting/2},
		{"blocks", "\n\n" + strings.Repeat("a {\n", deep) + strings.Repeat("}\n", deep), false, "nested too deeply", 2 + maxParseNesting},
		{"plus", "b = 1" + strings.Repeat("+1", 1_000_000) + "\n", false, "expression too long", 1},
		{"and", "b = (x\n" + strings.Repeat("&& x\n", deep) + ")\n", false, "expression too long", maxParseNesting},
		{"ternary", "b = " + strings.Repeat("x ? 1 : ", deep) + "1\n", false, "expression too long", 1},
		{"not", "b = " + strings.Repeat("!", deep) + "true\n", false, "expression too long", 1},
		{"index", "b = x" + strings.Repeat("[y]", deep) + "\n", false, "expression too long", 1},
		{"splat", "b = x" + strings.Repeat("[*].y", deep) + "\n", false, "expression too long", 1},
		{"chain of parens", "b = " + strings.Repeat("(", 600) + strings.Repeat("1+1)", 600) + "\n", false, "expression too long", 1},
		{"heredoc", "b = <<EOT\n" + strings.Repeat("line\n", 64_000) + "EOT\n", false, "template too large", 64_002},
		{"unterminated heredoc", "b = <<EOT\n" + strings.Repeat("line\n", 64_000), false, "template too large", 64_002},
		{"escaped interpolations", `b = "` + strings.Repeat("x$${", 20_000) + `"` + "\n", false, "template too large", 1},
		{"json arrays", "{\"a\":\n" + strings.Repeat("[", 1_000_000) + strings.Repeat("]", 1_000_000) + "}", true, "nested too deeply", 2},
		{"json template", `{"a": "` + strings.Repeat("${(", deep) + `"}`, true, "nested too deeply", 1},
		{"json escaped template", `{"a": "` + strings.Repeat(`\u0024{`, deep) + `"}`, true, "nested too deeply", 1},
		{"nul", "a = 1\nb = \"\x00\"\n", false, "not a text file", 2},
		{"binary", "a = 1\n" + strings.Repeat("\xff\xfe", 1000), false, "not a text file", 2},
		{"json nul", "{}\x00", true, "not a text file", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := preScan([]byte(c.src), "dir/x.tf", c.json)
			if d == nil {
				t.Fatal("not refused")
			}
			if d.Summary != c.summary || d.File != "dir/x.tf" || d.Line != c.line || !d.Skipped || d.Severity != "error" {
				t.Errorf("got %+v, want %q at line %d, skipped error", *d, c.summary, c.line)
			}
		})
	}
}

// TestPreScanOrdinary: ordinary configurations, near the limits but under
// them, are parsed.
func TestPreScanOrdinary(t *testing.T) {
	cases := map[string]string{
		"deep but allowed":   "b = " + strings.Repeat("(", maxParseNesting-10) + "1" + strings.Repeat(")", maxParseNesting-10) + "\n",
		"many lines":         strings.Repeat("a = 1 + 2 + 3 + 4 + 5 + var.x.y.z[0]\n", 50_000),
		"long list":          "a = [" + strings.Repeat("x.y + 1, ", 50_000) + "]\n",
		"long object":        "a = {\n" + strings.Repeat("  k = x.y && z.w || !v\n", 50_000) + "}\n",
		"5k-line heredoc":    "a = <<-EOT\n" + strings.Repeat("  line ${x} with %{ if y }text%{ endif }\n", 2000) + strings.Repeat("  plain line of text, some 40 bytes long\n", 3000) + "  EOT\nb = 1\n",
		"heredocs in a row":  strings.Repeat("a = <<EOT\n"+strings.Repeat("x\n", 500)+"EOT\n", 100),
		"comments":           "# ((((((( \"${ \n// [[[[[[ \n/* {{{{{ \n ((((( */\na = 1\n" + strings.Repeat("# "+strings.Repeat("(", 2000)+"\n", 10),
		"brackets in string": `a = "` + strings.Repeat("((([[[{{{", 1000) + `"` + "\n",
		"escaped quote":      `a = "x\"${1}\"" ` + "\nb = \"\\\\\"\n",
		"latin-1 comment":    "# caf\xe9\na = 1\n",
		"dashes":             "a = " + strings.Repeat("x-y-z-w ", 1) + "\nb = [" + strings.Repeat("my-name, ", 5000) + "]\n",
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			if d := preScan([]byte(src), "x.tf", false); d != nil {
				t.Errorf("refused: %v", *d)
			}
		})
	}
	json := map[string]string{
		"json":          `{"resource": {"a": {"b": {"x": "${var.y + 1}", "l": [[1, 2], [3]]}}}}`,
		"json brackets": `{"a": "` + strings.Repeat("((([[[", 1000) + `"}`,
		"json escapes":  `{"a": "` + strings.Repeat(`\"x\"`, 20000) + `"}`,
	}
	for name, src := range json {
		t.Run(name, func(t *testing.T) {
			if d := preScan([]byte(src), "x.tf.json", true); d != nil {
				t.Errorf("refused: %v", *d)
			}
		})
	}
}

// TestPreScanFixtures: no fixture of the repository trips the pre-scan.
func TestPreScanFixtures(t *testing.T) {
	n := 0
	err := filepath.WalkDir(fixtureRoot, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		isJSON := strings.HasSuffix(p, ".tf.json") || strings.HasSuffix(p, ".tfvars.json")
		if !isJSON && !strings.HasSuffix(p, ".tf") && !strings.HasSuffix(p, ".tfvars") {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		n++
		if d := preScan(src, p, isJSON); d != nil {
			t.Errorf("%v", *d)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 10 {
		t.Fatalf("only %d fixture files found", n)
	}
}

// TestPreScanLimitIsSafe: the deepest input of each kind the pre-scan lets
// through parses, walks and evaluates in HCL with a small stack, so the
// limit leaves a wide margin below the stack that would overflow.
func TestPreScanLimitIsSafe(t *testing.T) {
	defer debug.SetMaxStack(debug.SetMaxStack(32 << 20))
	gens := map[string]func(n int) string{
		"parens":  func(n int) string { return "b = " + strings.Repeat("(", n) + "1" + strings.Repeat(")", n) + "\n" },
		"objects": func(n int) string { return "b = " + strings.Repeat("{a=", n) + "1" + strings.Repeat("}", n) + "\n" },
		"interps": func(n int) string { return "b = " + strings.Repeat(`"${`, n) + "1" + strings.Repeat(`}"`, n) + "\n" },
		"directives": func(n int) string {
			return "b = <<EOT\n" + strings.Repeat("%{ if true }\n", n) + strings.Repeat("%{ endif }\n", n) + "EOT\n"
		},
		"blocks":  func(n int) string { return strings.Repeat("a {\n", n) + strings.Repeat("}\n", n) },
		"plus":    func(n int) string { return "b = 1" + strings.Repeat("+1", n) + "\n" },
		"ternary": func(n int) string { return "b = " + strings.Repeat("true ? 1 : ", n) + "1\n" },
		"not":     func(n int) string { return "b = " + strings.Repeat("!", n) + "true\n" },
		"index":   func(n int) string { return "b = [[1]]" + strings.Repeat("[0]", n) + "\n" },
		"splat":   func(n int) string { return "b = [1]" + strings.Repeat("[*]", n) + "\n" },
		"mixed":   func(n int) string { return "b = " + strings.Repeat("(1+", n) + "1" + strings.Repeat(")", n) + "\n" },
	}
	for name, gen := range gens {
		t.Run(name, func(t *testing.T) {
			n := maxParseNesting
			for n > 0 && preScan([]byte(gen(n)), "x.tf", false) != nil {
				n--
			}
			if n < maxParseNesting/4 {
				t.Fatalf("only %d levels accepted", n)
			}
			if preScan([]byte(gen(n+1)), "x.tf", false) == nil || preScan([]byte(gen(100*n)), "x.tf", false) == nil {
				t.Fatal("no limit")
			}
			f, _ := hclsyntax.ParseConfig([]byte(gen(n)), "x.tf", hcl.InitialPos)
			content, _, _ := f.Body.PartialContent(&hcl.BodySchema{Attributes: []hcl.AttributeSchema{{Name: "b"}}})
			if a := content.Attributes["b"]; a != nil {
				_ = a.Expr.Variables()
				_, _ = a.Expr.Value(&hcl.EvalContext{})
			}
		})
	}
}

// TestLoadSkipsHostileFiles: a file the pre-scan refuses is one skipped
// error diagnostic at its file and line; the rest of the module is loaded.
func TestLoadSkipsHostileFiles(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"main.tf":            "variable \"v\" {}\nresource \"google_pubsub_topic\" \"t\" { name = var.v }\n",
		"deep.tf":            "locals {\n  x = " + strings.Repeat("(", 100_000) + "1" + strings.Repeat(")", 100_000) + "\n}\n",
		"arrays.tf.json":     strings.Repeat("[", 1_000_000),
		"nul.tf":             strings.Repeat("\x00", 1<<20),
		"terraform.tfvars":   "v = " + strings.Repeat("[", 5000) + "\n",
		"z.auto.tfvars.json": `{"v": "` + strings.Repeat("${", 5000) + `"}`,
		"good.auto.tfvars":   "v = \"kept\"\n",
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	g, err := Load(t.Context(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"deep.tf:2": "nested too deeply", "arrays.tf.json:1": "nested too deeply",
		"nul.tf:1": "not a text file", "terraform.tfvars:1": "nested too deeply", "z.auto.tfvars.json:1": "nested too deeply"}
	for _, d := range g.Diagnostics {
		key := d.File + ":" + strconv.Itoa(d.Line)
		if want[key] == d.Summary && d.Skipped && d.Severity == "error" {
			delete(want, key)
		}
	}
	for k, v := range want {
		t.Errorf("no skipped diagnostic %s: %s in %v", k, v, g.Diagnostics)
	}
	if len(g.Diagnostics) != 5 {
		t.Errorf("%d diagnostics, want 5: %v", len(g.Diagnostics), g.Diagnostics)
	}
	if len(g.Resources) != 1 {
		t.Fatalf("resources %d, want the topic of main.tf", len(g.Resources))
	}
	if a := g.Resources[0].Body.Get("name"); a == nil || !a.Value.IsKnown() || a.Value.AsString() != "kept" {
		t.Errorf("name = %v, want the value of good.auto.tfvars", a)
	}
}

// FuzzPreScan: the pre-scan never panics, and what it lets through parses
// and evaluates in HCL within a 64 MB stack (an overflow kills the run).
func FuzzPreScan(f *testing.F) {
	f.Add([]byte("a = (((1)))\nb = \"${x}\"\nc = <<EOT\n%{ if y }z%{ endif }\nEOT\n"), false)
	f.Add([]byte(`{"a": "${[[1]]}", "b": [[{"c": "\u0024{x}"}]]}`), true)
	f.Add([]byte("b = "+strings.Repeat("(", maxParseNesting)+"1"+strings.Repeat(")", maxParseNesting)), false)
	f.Add([]byte("b = x"+strings.Repeat("[0]", maxParseNesting)), false)
	f.Fuzz(func(t *testing.T, src []byte, isJSON bool) {
		defer debug.SetMaxStack(debug.SetMaxStack(64 << 20))
		if preScan(src, "x.tf", isJSON) != nil {
			return
		}
		var file *hcl.File
		if isJSON {
			file, _ = hcljson.Parse(src, "x.tf.json")
		} else {
			file, _ = hclsyntax.ParseConfig(src, "x.tf", hcl.InitialPos)
		}
		if file == nil || file.Body == nil {
			return
		}
		attrs, _ := file.Body.JustAttributes()
		for _, a := range attrs {
			_ = a.Expr.Variables()
			_, _ = a.Expr.Value(&hcl.EvalContext{})
		}
	})
}

// TestTemplateFilePreScan: templatefile and templatestring refuse a
// template nested too deeply (or too long) with an error naming it, before
// HCL parses it.
func TestTemplateFilePreScan(t *testing.T) {
	for src, want := range map[string]string{
		"ok\n" + strings.Repeat("${(", 100_000):       "t.tpl:2: nested too deeply",
		strings.Repeat("%{ if true }", 100_000):       "t.tpl:1: nested too deeply",
		strings.Repeat("line\n", 30_000) + "${1}":     "t.tpl:30001: template too large",
		"${1" + strings.Repeat(" + 1", 100_000) + "}": "t.tpl:1: expression too long",
	} {
		_, err := renderTemplate([]byte(src), "t.tpl", cty.EmptyObjectVal, nil)
		if err == nil || err.Error() != want {
			t.Errorf("error %v, want %q", err, want)
		}
	}
	if v, err := renderTemplate([]byte("a${x}b"), "t.tpl", cty.ObjectVal(map[string]cty.Value{"x": cty.StringVal("-")}), nil); err != nil || v.AsString() != "a-b" {
		t.Errorf("an ordinary template: %v, %v", v, err)
	}
}
