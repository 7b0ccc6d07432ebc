package treefs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// layout makes ws/tree and ws/outside and returns both.
func layout(t *testing.T) (tree, outside string) {
	t.Helper()
	ws := t.TempDir()
	tree, outside = filepath.Join(ws, "tree"), filepath.Join(ws, "outside")
	for _, d := range []string{tree + "/mod/sub", outside} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	write := func(p, s string) {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(tree, "main.tf"), "inside")
	write(filepath.Join(tree, "mod", "sub", "x.tf"), "deep")
	write(filepath.Join(outside, "secret.tf"), "SECRET")
	link := func(target, name string) {
		if err := os.Symlink(target, filepath.Join(tree, name)); err != nil {
			t.Fatal(err)
		}
	}
	link("../outside/secret.tf", "out.tf")              // a file link out of the tree
	link("../outside", "outdir")                        // a directory link out of the tree
	link(filepath.Join(outside, "secret.tf"), "abs.tf") // an absolute link out
	link("main.tf", "alias.tf")                         // a link that stays inside
	link("mod", "modlink")                              // a directory link that stays inside
	link("/dev/zero", "zero.tf")
	return tree, outside
}

func TestReadFileContained(t *testing.T) {
	tree, outside := layout(t)
	f, err := Open(tree, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, name := range []string{"main.tf", "alias.tf", "modlink/sub/x.tf", filepath.Join(tree, "mod/sub/x.tf"), "mod/../main.tf"} {
		if _, err := f.ReadFile(name); err != nil {
			t.Errorf("ReadFile(%s): %v", name, err)
		}
	}
	for _, name := range []string{"out.tf", "outdir/secret.tf", "abs.tf", "../outside/secret.tf",
		filepath.Join(outside, "secret.tf"), "mod/../../outside/secret.tf", "zero.tf",
		strings.Repeat("../", 40) + outside + "/secret.tf"} {
		data, err := f.ReadFile(name)
		if err == nil {
			t.Errorf("ReadFile(%s) read %q; want a refusal", name, data)
			continue
		}
		if !IsOutside(err) {
			t.Errorf("ReadFile(%s): %v; want %v", name, err, ErrOutside)
		}
		if !strings.Contains(name, outside) && strings.Contains(err.Error(), filepath.Dir(tree)) {
			t.Errorf("ReadFile(%s): the error %q names an absolute path", name, err)
		}
	}
}

func TestNotRegular(t *testing.T) {
	tree, _ := layout(t)
	if err := syscall.Mkfifo(filepath.Join(tree, "fifo.tf"), 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	if err := os.Symlink("fifo.tf", filepath.Join(tree, "tofifo.tf")); err != nil {
		t.Fatal(err)
	}
	f, err := Open(tree, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, name := range []string{"fifo.tf", "tofifo.tf", "mod"} {
		if _, err := f.ReadFile(name); !errors.Is(err, ErrNotRegular) {
			t.Errorf("ReadFile(%s): %v; want %v", name, err, ErrNotRegular)
		}
	}
}

func TestSizeLimit(t *testing.T) {
	tree, outside := layout(t)
	f, err := Open(tree, 5)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.ReadFile("main.tf"); !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "--max-file-size") {
		t.Errorf("ReadFile of 6 bytes with a limit of 5: %v", err)
	}
	if data, err := f.ReadFile("mod/sub/x.tf"); err != nil || string(data) != "deep" {
		t.Errorf("ReadFile of 4 bytes: %q, %v", data, err)
	}
	if _, err := ReadRegular(filepath.Join(outside, "secret.tf"), "secret.tf", 3); !errors.Is(err, ErrTooLarge) {
		t.Errorf("ReadRegular over the limit: %v", err)
	}
}

func TestReadArg(t *testing.T) {
	tree, outside := layout(t)
	f, err := Open(tree, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// A file named on the command line outside the tree is the user's own.
	if data, err := f.ReadArg(filepath.Join(outside, "secret.tf"), "../outside/secret.tf"); err != nil || string(data) != "SECRET" {
		t.Errorf("ReadArg outside the tree: %q, %v", data, err)
	}
	// One inside the tree is read through it: a link out is refused.
	if _, err := f.ReadArg(filepath.Join(tree, "out.tf"), "out.tf"); !IsOutside(err) {
		t.Errorf("ReadArg of a link out of the tree: %v", err)
	}
	if data, err := f.ReadArg(filepath.Join(tree, "alias.tf"), "alias.tf"); err != nil || string(data) != "inside" {
		t.Errorf("ReadArg inside: %q, %v", data, err)
	}
	if _, err := ReadRegular(filepath.Join(tree, "mod"), "mod", 0); !errors.Is(err, ErrNotRegular) {
		t.Errorf("ReadRegular of a directory: %v", err)
	}
}

func TestWalkAndDirs(t *testing.T) {
	tree, _ := layout(t)
	f, err := Open(tree, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var seen []string
	err = f.WalkDir(tree, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, ok := f.Rel(p)
		if !ok {
			t.Errorf("walk gave %s, outside the tree", p)
		}
		seen = append(seen, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(seen, " ")
	if !strings.Contains(got, "mod/sub/x.tf") || strings.Contains(got, "outdir/secret.tf") || strings.Contains(got, "modlink/sub") {
		t.Errorf("walk saw %s; want the tree's own files, no links followed", got)
	}
	if !f.IsDir("modlink") || f.IsDir("outdir") || !f.IsFile("alias.tf") || f.IsFile("out.tf") {
		t.Error("IsDir/IsFile do not follow links inside the tree only")
	}
	if !f.SameFile("modlink", "mod") || f.SameFile("mod", "mod/sub") {
		t.Error("SameFile does not see through links")
	}
	if _, err := f.ReadDir("outdir"); !IsOutside(err) {
		t.Errorf("ReadDir through a link out of the tree: %v", err)
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"50MiB": 50 << 20, "50mb": 50 << 20, "2G": 2 << 30, "1048576": 1 << 20, "3 KiB": 3 << 10} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "-1", "lots", "1.5GB", "99999999999999999999G"} {
		if _, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) accepted", in)
		}
	}
	if FormatSize(50<<20) != "50 MiB" || FormatSize(1000) != "1000 bytes" {
		t.Error("FormatSize")
	}
}
