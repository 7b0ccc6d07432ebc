package terraform

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/casascan/casascan/internal/treefs"
	"github.com/zclconf/go-cty/cty"
)

// secretContent is in the file outside the scanned tree; it must never reach
// a result or an error.
const secretContent = "SECRET-OUTSIDE-THE-TREE"

// fileTree builds, under a temporary directory,
//
//	tree/                       the scanned tree (Root)
//	  hello.txt  bin.dat  link_in -> hello.txt
//	  link_out -> ../outside/secret.txt   dirlink_out -> ../outside
//	  modules/a/local.txt  modules/a/tpl/*.tftpl
//	outside/secret.txt
//
// and returns the tree's root and the warnings recorder.
func fileTree(t *testing.T) (root string, warns *[]string) {
	t.Helper()
	base := t.TempDir()
	root = filepath.Join(base, "tree")
	files := map[string]string{
		"tree/hello.txt":                    "Hello World",
		"tree/bin.dat":                      "\xff\xfe\x00binary",
		"tree/modules/a/local.txt":          "module-local",
		"tree/modules/a/tpl/backends.tftpl": "%{ for addr in ip_addrs ~}\nbackend ${addr}:${port}\n%{ endfor ~}\n",
		"tree/modules/a/tpl/nested.tftpl":   "local says ${file(\"local.txt\")}",
		"tree/modules/a/tpl/recurse.tftpl":  "${templatefile(\"tpl/nested.tftpl\", {})}",
		"tree/modules/a/tpl/missing.tftpl":  "${nope}",
		"tree/modules/a/tpl/value.tftpl":    "${ports}",
		"tree/modules/a/tpl/escape.tftpl":   "${file(\"../../../outside/secret.txt\")}",
		"outside/secret.txt":                secretContent,
	}
	for name, content := range files {
		p := filepath.Join(base, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	links := map[string]string{
		"tree/link_in":     "hello.txt",
		"tree/link_out":    "../outside/secret.txt",
		"tree/dirlink_out": "../outside",
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(base, name)); err != nil {
			t.Skipf("symlinks not supported: %v", err)
		}
	}
	warns = new([]string)
	return root, warns
}

// treeContext is the function context of the module dir (relative to root).
func treeContext(t testing.TB, root, dir string, warns *[]string) funcContext {
	return funcContext{
		ModuleDir: filepath.Join(root, filepath.FromSlash(dir)),
		FS:        openTree(t, root),
		Warn: func(summary, detail string) {
			*warns = append(*warns, summary+": "+detail)
		},
	}
}

func hexOf(sum []byte) cty.Value    { return cty.StringVal(hex.EncodeToString(sum)) }
func base64Of(sum []byte) cty.Value { return cty.StringVal(base64.StdEncoding.EncodeToString(sum)) }

func TestFuncFileReads(t *testing.T) {
	root, warns := fileTree(t)
	hello := []byte("Hello World")
	s1, s256, s512 := sha1.Sum(hello), sha256.Sum256(hello), sha512.Sum512(hello)
	m5 := md5.Sum(hello)
	abs := filepath.ToSlash(filepath.Join(root, "hello.txt"))
	runCases(t, treeContext(t, root, ".", warns), []funcCase{
		{expr: `file("hello.txt")`, want: cty.StringVal("Hello World")},
		{expr: `file("` + abs + `")`, want: cty.StringVal("Hello World")},
		{expr: `file("link_in")`, want: cty.StringVal("Hello World")},
		{expr: `file("modules/a/../../hello.txt")`, want: cty.StringVal("Hello World")},
		{expr: `file("missing.txt")`, err: "no file exists at missing.txt"},
		{expr: `file("modules")`, err: "modules is not a regular file"},
		{expr: `file("bin.dat")`, err: "not valid UTF-8"},
		{expr: `filebase64("bin.dat")`, want: cty.StringVal(base64.StdEncoding.EncodeToString([]byte("\xff\xfe\x00binary")))},
		{expr: `filemd5("hello.txt")`, want: hexOf(m5[:])},
		{expr: `filesha1("hello.txt")`, want: hexOf(s1[:])},
		{expr: `filesha256("hello.txt")`, want: hexOf(s256[:])},
		{expr: `filesha512("hello.txt")`, want: hexOf(s512[:])},
		{expr: `filebase64sha256("hello.txt")`, want: base64Of(s256[:])},
		{expr: `filebase64sha512("hello.txt")`, want: base64Of(s512[:])},
		{expr: `fileexists("hello.txt")`, want: cty.True},
		{expr: `fileexists("nope.txt")`, want: cty.False},
		{expr: `fileexists("modules")`, err: "not a regular file"},
		{expr: `file(u)`, want: cty.UnknownVal(cty.String)},
		{expr: `abspath("hello.txt")`, want: cty.StringVal(abs)},
		{expr: `basename("foo/bar/baz.txt")`, want: cty.StringVal("baz.txt")},
		{expr: `dirname("foo/bar/baz.txt")`, want: cty.StringVal("foo/bar")},
		{expr: `pathexpand("/etc/hosts")`, want: cty.StringVal("/etc/hosts")},
	})
	if len(*warns) != 0 {
		t.Errorf("unexpected warnings: %q", *warns)
	}
}

// TestFuncFileConfinement proves that no file function reads outside the
// scanned tree, however the path gets there: each call gives an unknown value
// of the function's type and one warning naming the path as written.
func TestFuncFileConfinement(t *testing.T) {
	root, _ := fileTree(t)
	secret := filepath.ToSlash(filepath.Join(filepath.Dir(root), "outside", "secret.txt"))
	paths := []string{
		"../outside/secret.txt",
		secret,
		"link_out",
		"dirlink_out/secret.txt",
		"dirlink_out/missing.txt",
		"modules/a/../../../outside/secret.txt",
		"~/.ssh/id_rsa",
	}
	fns := map[string]cty.Type{
		"file": cty.String, "filebase64": cty.String, "filemd5": cty.String, "filesha1": cty.String,
		"filesha256": cty.String, "filesha512": cty.String, "filebase64sha256": cty.String,
		"filebase64sha512": cty.String, "fileexists": cty.Bool,
	}
	for _, p := range paths {
		for fn, ty := range fns {
			t.Run(fn+"("+p+")", func(t *testing.T) {
				var warns []string
				fc := treeContext(t, root, ".", &warns)
				got, diags := evalWith(t, fc, fn+`("`+p+`")`)
				if diags.HasErrors() {
					t.Fatalf("unexpected error: %s", diags.Error())
				}
				if got.IsKnown() || !got.Type().Equals(ty) {
					t.Fatalf("got %#v, want an unknown %s", got, ty.FriendlyName())
				}
				if want := []string{warnOutside + ": " + p}; !slices.Equal(warns, want) {
					t.Fatalf("warnings %q, want %q", warns, want)
				}
			})
		}
	}
	t.Run("no root", func(t *testing.T) {
		got, diags := evalWith(t, funcContext{ModuleDir: root}, `file("hello.txt")`)
		if diags.HasErrors() || got.IsKnown() {
			t.Fatalf("with no Root, got %#v %v; want unknown", got, diags)
		}
	})
	t.Run("template", func(t *testing.T) {
		var warns []string
		got, diags := evalWith(t, treeContext(t, root, "modules/a", &warns), `templatefile("tpl/escape.tftpl", {})`)
		if diags.HasErrors() || got.IsKnown() || strings.Contains(got.GoString(), secretContent) {
			t.Fatalf("got %#v %v; want unknown", got, diags)
		}
		if len(warns) != 1 {
			t.Fatalf("warnings %q, want one", warns)
		}
	})
	t.Run("pathexpand", func(t *testing.T) {
		var warns []string
		got, diags := evalWith(t, treeContext(t, root, ".", &warns), `pathexpand("~/.ssh/id_rsa")`)
		if diags.HasErrors() || got.IsKnown() || len(warns) != 1 {
			t.Fatalf("got %#v %v, warnings %q; want unknown and one warning", got, diags, warns)
		}
	})
}

func TestFuncFileset(t *testing.T) {
	root, warns := fileTree(t)
	set := func(ss ...string) cty.Value { return cty.SetVal(strs(ss...)) }
	runCases(t, treeContext(t, root, ".", warns), []funcCase{
		{expr: `fileset(".", "*.txt")`, want: set("hello.txt")},
		{expr: `fileset(".", "*")`, want: set("bin.dat", "hello.txt", "link_in")},
		{expr: `fileset(".", "**/*.txt")`, want: set("hello.txt", "modules/a/local.txt")},
		{expr: `fileset("modules", "**/*.tftpl")`, want: set("a/tpl/backends.tftpl", "a/tpl/escape.tftpl",
			"a/tpl/missing.tftpl", "a/tpl/nested.tftpl", "a/tpl/recurse.tftpl", "a/tpl/value.tftpl")},
		{expr: `fileset("modules/a/tpl", "{back,nest}*.tftpl")`, want: set("backends.tftpl", "nested.tftpl")},
		{expr: `fileset("modules/a/tpl", "[bn]???ed.tftpl")`, want: set("nested.tftpl")},
		{expr: `fileset("modules/a", "../a/*.txt")`, want: set("local.txt")},
		{expr: `fileset("modules/a/tpl", "../*.txt")`, want: set("../local.txt")},
		{expr: `fileset("modules", "a/**")`, want: set("a/local.txt", "a/tpl/backends.tftpl", "a/tpl/escape.tftpl",
			"a/tpl/missing.tftpl", "a/tpl/nested.tftpl", "a/tpl/recurse.tftpl", "a/tpl/value.tftpl")},
		{expr: `fileset(".", "nowhere/*")`, want: cty.SetValEmpty(cty.String)},
		{expr: `fileset(".", "[")`, err: "invalid pattern"},
		{expr: `fileset("..", "*")`, want: cty.UnknownVal(cty.Set(cty.String))},
		{expr: `fileset(".", "dirlink_out/*")`, want: cty.UnknownVal(cty.Set(cty.String))},
	})
	if want := []string{warnOutside + ": ..", warnOutside + ": dirlink_out"}; !slices.Equal(*warns, want) {
		t.Errorf("warnings %q, want %q", *warns, want)
	}
}

func TestFuncTemplates(t *testing.T) {
	root, warns := fileTree(t)
	runCases(t, treeContext(t, root, "modules/a", warns), []funcCase{
		{expr: `templatefile("tpl/backends.tftpl", {port = 8080, ip_addrs = ["10.0.0.1", "10.0.0.2"]})`,
			want: cty.StringVal("backend 10.0.0.1:8080\nbackend 10.0.0.2:8080\n")},
		{expr: `templatefile("tpl/nested.tftpl", {})`, want: cty.StringVal("local says module-local")},
		{expr: `templatefile("tpl/value.tftpl", {ports = [80, 443]})`, want: cty.TupleVal(nums(80, 443))},
		{expr: `templatefile("tpl/backends.tftpl", {port = u, ip_addrs = ["10.0.0.1"]})`, want: cty.UnknownVal(cty.String)},
		{expr: `templatefile("tpl/recurse.tftpl", {})`, err: "cannot call templatefile from inside a template"},
		{expr: `templatefile("tpl/missing.tftpl", {})`, err: `vars map does not contain key "nope"`},
		{expr: `templatefile("tpl/nested.tftpl", {"not valid" = 1})`, err: "invalid template variable name"},
		{expr: `templatefile("tpl/nested.tftpl", "x")`, err: "must be a map"},
		{expr: `templatefile("tpl/absent.tftpl", {})`, err: "no file exists at tpl/absent.tftpl"},
		{expr: `templatestring("Hello, $${name}!", {name = "Ander"})`, want: cty.StringVal("Hello, Ander!")},
		{expr: `templatestring("$${", {})`, err: "parsing template"},
	})
	if len(*warns) != 0 {
		t.Errorf("unexpected warnings: %q", *warns)
	}
}

// openTree opens the scanned tree at root for the test's duration.
func openTree(t testing.TB, root string) *treefs.FS {
	t.Helper()
	fs, err := treefs.Open(root, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fs.Close() })
	return fs
}
