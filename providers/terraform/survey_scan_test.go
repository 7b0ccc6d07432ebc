package terraform

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// parsedCalls is what the full parse (parseFile's hclsyntax.ParseConfig,
// then buildModule) makes of one .tf file alone: its module calls'
// "name=source" sorted, the blocks the survey counts, and whether the
// parse had errors.
func parsedCalls(src []byte) (calls []string, blocks int, parseErrs []error) {
	f, diags := hclsyntax.ParseConfig(src, "main.tf", hcl.InitialPos)
	pf := &parsedFile{abs: "/m/main.tf", rel: "main.tf", src: src, body: hcl.EmptyBody(), diags: diags}
	if f != nil && f.Body != nil {
		pf.body = f.Body
	}
	m, _ := buildModule("/m", []*parsedFile{pf})
	for _, c := range m.calls {
		calls = append(calls, c.name+"="+c.source)
	}
	slices.Sort(calls)
	return calls, len(m.resources) + len(m.calls), diags.Errs()
}

func scannedCalls(src []byte) ([]string, int, bool) {
	cs, blocks, ok := scanFile(src)
	var calls []string
	for _, c := range cs {
		calls = append(calls, c.name+"="+c.source)
	}
	slices.Sort(calls)
	return calls, blocks, ok
}

// checkScanAgrees fails t when scanFile accepts src and the full parse
// disagrees with it, or (strict) has errors. It reports whether scanFile
// accepted. scanFile does not judge expressions: a file with an error in
// one (`a = {0}`) may be accepted; what the survey needs, and the fuzz
// target checks, is that the parse, errors and all, finds the same calls
// and blocks. The parse's diagnostics are reported by the root's load.
func checkScanAgrees(t *testing.T, name string, src []byte, strict bool) bool {
	t.Helper()
	calls, blocks, ok := scannedCalls(src)
	if !ok {
		return false
	}
	// scanCalls is scanFile without the names.
	sources, n, ok2 := scanCalls(src)
	if !ok2 || n != blocks || len(sources) != len(calls) {
		t.Errorf("%s: scanCalls = %q, %d, %v; scanFile = %q, %d", name, sources, n, ok2, calls, blocks)
	}
	if preScan(src, name, false) != nil {
		return true // the survey parses such a file: nothing to compare
	}
	want, wantBlocks, errs := parsedCalls(src)
	if strict && len(errs) > 0 {
		t.Errorf("%s: scanFile accepts a file the parse rejects: %v\n%s", name, errs, src)
	}
	if !slices.Equal(calls, want) || blocks != wantBlocks {
		t.Errorf("%s: scanFile = %q, %d blocks; the parse = %q, %d blocks\n%s", name, calls, blocks, want, wantBlocks, src)
	}
	return true
}

// TestScanFileAgreesWithParse runs scanFile on every .tf file of the
// repository's fixtures and test data and compares what it accepts with
// the full parse.
func TestScanFileAgreesWithParse(t *testing.T) {
	root := filepath.Join("..", "..")
	accepted, files, withCalls := 0, 0, 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".git" {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".tf") {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files++
		if checkScanAgrees(t, p, src, true) {
			accepted++
			if cs, _, _ := scanFile(src); len(cs) > 0 {
				withCalls++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d .tf files, %d accepted by scanFile, %d of them with module calls", files, accepted, withCalls)
	// The fixtures are ordinary Terraform: most must be accepted, or the
	// survey saves nothing.
	if files < 100 || accepted < files/2 || withCalls == 0 {
		t.Errorf("%d .tf files, only %d accepted (%d with calls)", files, accepted, withCalls)
	}
}

func TestScanFile(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		ok        bool
		calls     []string // name=source, sorted
		blocks    int
	}{
		{name: "empty", src: "", ok: true},
		{name: "comments only", src: "# a\n// b\n/* c\n d */\n", ok: true},
		{name: "resources and data", src: "resource \"a\" \"b\" {\n  x = 1\n}\n\ndata \"c\" \"d\" {\n}\nvariable \"v\" {}\nlocals {\n  l = 2\n}\n", ok: true, blocks: 2},
		{name: "ident labels", src: "resource a b {\n}\n", ok: true, blocks: 1},
		{name: "module", src: "module \"m\" {\n  source = \"./m\" # here\n  x = \"${var.a}\"\n}\n", ok: true, calls: []string{"m=./m"}, blocks: 1},
		{name: "module without source", src: "module \"m\" {\n  x = 1\n}\n", ok: true, calls: []string{"m="}, blocks: 1},
		{name: "empty module", src: "module \"m\" {}\n", ok: true, calls: []string{"m="}, blocks: 1},
		{name: "remote module", src: "module \"m\" {\n  source  = \"terraform-google-modules/network/google\"\n  version = \"~> 9.0\"\n}\n", ok: true, calls: []string{"m=terraform-google-modules/network/google"}, blocks: 1},
		{name: "eof without newline", src: "resource \"a\" \"b\" {\n}", ok: true, blocks: 1},
		{name: "nested blocks", src: "resource \"a\" \"b\" {\n  dynamic \"d\" {\n    for_each = [1]\n    content {\n      y = 2\n    }\n  }\n  lifecycle {}\n}\n", ok: true, blocks: 1},
		{name: "module inside a block", src: "resource \"a\" \"b\" {\n  module \"x\" {\n    source = \"./x\"\n  }\n}\n", ok: true, blocks: 1},
		{name: "heredoc with braces", src: "resource \"a\" \"b\" {\n  p = <<EOF\n{ \"a\": \"}\"\n}}}\n  EOF\n  q = <<-EOT\n  ${var.x} }\n  EOT\n}\nmodule \"m\" {\n  source = \"./m\"\n}\n", ok: true, calls: []string{"m=./m"}, blocks: 2},
		{name: "string with brace", src: "resource \"a\" \"b\" {\n  x = \"}\"\n  y = \"${\"}\"}\"\n  z = \"$${x}\"\n  w = \"a\\\"}\"\n}\n", ok: true, blocks: 1},
		{name: "object on one line", src: "locals {\n  x = { a = 1, b = [2, 3] }\n  y = {\n    c = \"d\"\n  }\n}\n", ok: true},
		{name: "comment with a module", src: "# module \"x\" {\n/* module \"y\" {\n  source = \"./y\"\n} */\nresource \"a\" \"b\" {\n  // }\n}\n", ok: true, blocks: 1},
		{name: "duplicate resources count twice", src: "resource \"a\" \"b\" {\n}\nresource \"a\" \"b\" {\n}\n", ok: true, blocks: 2},
		{name: "unknown block type", src: "foo \"x\" \"y\" \"z\" {\n}\n", ok: true},

		{name: "json", src: "{\"module\": {\"m\": {\"source\": \"./m\"}}}"},
		{name: "top-level attribute", src: "x = 1\n"},
		{name: "unbalanced", src: "resource \"a\" \"b\" {\n  x = [1\n}\n"},
		{name: "unclosed block", src: "resource \"a\" \"b\" {\n  x = 1\n"},
		{name: "extra close", src: "resource \"a\" \"b\" {\n}\n}\n"},
		{name: "brace after argument", src: "resource \"a\" \"b\" {\n  x = 1 }\nresource \"c\" \"d\" {\n}\n"},
		{name: "single-line block with content", src: "variable \"x\" { default = 1 }\n"},
		{name: "nested single-line block with content", src: "resource \"a\" \"b\" {\n  lifecycle { x = [1 2] }\n}\nresource \"c\" \"d\" {\n}\n"},
		{name: "unterminated string", src: "resource \"a\" \"b\" {\n  x = \"abc\n}\n"},
		{name: "unterminated heredoc", src: "resource \"a\" \"b\" {\n  x = <<EOF\nabc\n}\n"},
		{name: "unterminated comment", src: "resource \"a\" \"b\" {\n}\n/* x\n"},
		{name: "heredoc in brackets", src: "resource \"a\" \"b\" {\n  x = [<<EOF\nabc\nEOF\n  ]\n}\n"},
		{name: "interpolated source", src: "module \"m\" {\n  source = \"./${var.x}\"\n}\n"},
		{name: "escaped source", src: "module \"m\" {\n  source = \"./a\\\\b\"\n}\n"},
		{name: "directive source", src: "module \"m\" {\n  source = \"%{if true}./a%{endif}\"\n}\n"},
		{name: "source expression", src: "module \"m\" {\n  source = \"./a\" + \"\"\n}\n"},
		{name: "two sources", src: "module \"m\" {\n  source = \"./a\"\n  source = \"./b\"\n}\n"},
		{name: "duplicate module", src: "module \"m\" {\n  source = \"./a\"\n}\nmodule \"m\" {\n  source = \"./b\"\n}\n"},
		{name: "wrong label count", src: "resource \"a\" {\n}\n"},
		{name: "module without name", src: "module {\n  source = \"./a\"\n}\n"},
		{name: "label with template", src: "resource \"a\" \"${b}\" {\n}\n"},
		{name: "crlf", src: "resource \"a\" \"b\" {\r\n}\r\n"},
		{name: "bom", src: "\ufeffresource \"a\" \"b\" {\n}\n"},
		{name: "nul", src: "resource \"a\" \"b\" {\n  x = 1\x00\n}\n"},
		{name: "not utf-8", src: "resource \"a\" \"b\" {\n  x = \"\xff\"\n}\n"},
		{name: "unicode identifier", src: "resource \"a\" \"b\" {\n  é = 1\n}\n"},
		{name: "unicode block type", src: "ré \"a\" {\n}\n"},
		{name: "template directive", src: "resource \"a\" \"b\" {\n  x = \"%{ if true }}%{ endif }\"\n}\n"},
		{name: "interpolation over lines", src: "resource \"a\" \"b\" {\n  x = \"${\n1}\"\n}\n"},
		{name: "tilde outside template", src: "resource \"a\" \"b\" {\n  x = { a = 1 ~}\n}\n"},
		{name: "dollar outside string", src: "resource \"a\" \"b\" {\n  x = ${a}\n}\n"},
		{name: "single quote", src: "resource \"a\" \"b\" {\n  x = 'a'\n}\n"},
		{name: "empty expression", src: "resource \"a\" \"b\" {\n  x =\n}\n"},
		{name: "comma after argument", src: "resource \"a\" \"b\" {\n  x = 1,\n}\n"},
		{name: "block header over lines", src: "resource \"a\" \"b\"\n{\n}\n"},
		{name: "two blocks on a line", src: "variable \"a\" {} variable \"b\" {}\n"},
		{name: "comment after brace", src: "resource \"a\" \"b\" {\n} /* x\n*/ resource \"c\" \"d\" {\n}\n"},
		{name: "close brace after comment", src: "resource \"a\" \"b\" {\n  x = 1\n  /* c */ }\n"},
		{name: "heredoc marker with text after", src: "resource \"a\" \"b\" {\n  x = <<EOF + 1\nEOF\n}\n"},
		{name: "blocks nested too deep", src: strings.Repeat("a {\n", maxScanDepth+2) + strings.Repeat("}\n", maxScanDepth+2)},
		{name: "blocks nested deep", src: strings.Repeat("a {\n", maxScanDepth) + strings.Repeat("}\n", maxScanDepth), ok: true},
		{name: "too large", src: "locals {\n  x = \"" + strings.Repeat("a", maxScanSize) + "\"\n}\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls, blocks, ok := scannedCalls([]byte(tc.src))
			if ok != tc.ok || ok && (!slices.Equal(calls, tc.calls) || blocks != tc.blocks) {
				t.Errorf("scanFile = %q, %d, %v; want %q, %d, %v", calls, blocks, ok, tc.calls, tc.blocks, tc.ok)
			}
			checkScanAgrees(t, tc.name, []byte(tc.src), true)
		})
	}
}

// FuzzScanCalls: whatever the input, scanFile does not panic, and when it
// accepts a file the full parse finds the same calls and blocks (errors in
// expressions allowed: checkScanAgrees).
func FuzzScanCalls(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("..", "..", "fixtures", "checks", "*", "*", "*.tf"))
	for i, p := range seeds {
		if i%8 != 0 {
			continue
		}
		if src, err := os.ReadFile(p); err == nil {
			f.Add(src)
		}
	}
	f.Add([]byte("module \"m\" {\n  source = \"./m\"\n}\nresource \"a\" \"b\" {\n  x = <<EOF\n${a}\nEOF\n  y = \"${\"}\"}\"\n}\n"))
	f.Add([]byte("resource \"a\" \"b\" {\n  dynamic \"d\" {\n    for_each = { for k, v in x : k => v }\n    content {}\n  }\n}\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		checkScanAgrees(t, "fuzz.tf", src, false)
	})
}

// TestSurveyScansRoots: on a tree larger than a chunk, the survey parses
// the modules the roots call and none of the roots, and finds the same
// roots and blocks as when it parses everything.
func TestSurveyScansRoots(t *testing.T) {
	dir := t.TempDir()
	write := func(p, s string) {
		p = filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("modules/m/main.tf", "resource \"google_storage_bucket\" \"b\" {\n  name = var.n\n}\nvariable \"n\" {}\n")
	for i := range 2 * surveyChunk {
		write(filepath.Join("envs", string(rune('a'+i/10)), string(rune('a'+i%10)), "main.tf"),
			"module \"m\" {\n  source = \"../../../modules/m\"\n  n      = \"x\"\n}\nresource \"google_storage_bucket\" \"c\" {\n  name = \"y\"\n}\n")
	}
	// One root the scan gives up on: parsed by the survey as before.
	write("envs/z/main.tf", "variable \"v\" { default = 1 }\nmodule \"m\" {\n  source = \"../../modules/m\"\n}\n")
	tr, top, err := newTree(t.Context(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.close()
	dirs, err := tr.configDirs(top)
	if err != nil {
		t.Fatal(err)
	}
	sv, err := tr.survey(dirs)
	if err != nil {
		t.Fatal(err)
	}
	var parsed []string
	for d := range tr.mods {
		parsed = append(parsed, tr.rel(d))
	}
	slices.Sort(parsed)
	if !slices.Equal(parsed, []string{"modules/m"}) || len(sv.called) != 1 {
		t.Errorf("the survey parsed %q, called %v; want only modules/m", parsed, sv.called)
	}
	// The blocks of every directory parsed.
	full, _, err := newTree(t.Context(), dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer full.close()
	if err := full.parseDirs(dirs, false); err != nil {
		t.Fatal(err)
	}
	blocks := 0
	for _, m := range full.mods {
		blocks += len(m.resources) + len(m.calls)
	}
	if sv.blocks != blocks || blocks != 2*surveyChunk*2+2 {
		t.Errorf("the survey counted %d blocks, the parse %d", sv.blocks, blocks)
	}
	if len(sv.surveyed) != 2*surveyChunk+2 {
		t.Errorf("%d files surveyed for ignore comments, want %d", len(sv.surveyed), 2*surveyChunk+2)
	}
}
