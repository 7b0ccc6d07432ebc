// Package treefs reads the scanned tree. Every file casascan reads from a
// tree it scans (configuration files, tfvars, module manifests, the
// configuration file, baselines, plans and exports named inside it, and the
// files Terraform's file functions read) goes through an FS, which is
// rooted at the tree's top with os.Root: a path with "..", an absolute path
// or a symbolic link that leaves the tree is refused, whoever asks. Only
// regular files are read (a FIFO, a device or a link to /dev/zero named
// main.tf is an error, not an endless read), and each file's size is
// capped.
//
// Errors name files relative to the tree, never by their absolute path on
// the machine, so messages are the same in every checkout.
package treefs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// DefaultMaxFileSize is the largest file read unless the user raises it
// (--max-file-size): far above any real configuration file, far below what
// would exhaust a CI runner.
const DefaultMaxFileSize int64 = 50 << 20

// The reasons a read is refused. Errors wrap them in an *fs.PathError
// naming the file relative to the tree.
var (
	ErrOutside    = errors.New("outside the scanned tree")
	ErrNotRegular = errors.New("not a regular file")
	ErrTooLarge   = errors.New("larger than the file size limit")
)

// FS is a scanned tree. It is safe for concurrent use.
type FS struct {
	root *os.Root
	dir  string // absolute and clean, as given (symbolic links not resolved)
	max  int64
}

// Open roots an FS at dir. maxFileSize <= 0 means DefaultMaxFileSize.
func Open(dir string, maxFileSize int64) (*FS, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(abs)
	if err != nil {
		return nil, stripPath(err)
	}
	if maxFileSize <= 0 {
		maxFileSize = DefaultMaxFileSize
	}
	return &FS{root: root, dir: abs, max: maxFileSize}, nil
}

// Close releases the tree's directory handle.
func (f *FS) Close() error { return f.root.Close() }

// Dir is the tree's top, absolute.
func (f *FS) Dir() string { return f.dir }

// MaxFileSize is the size limit of one file.
func (f *FS) MaxFileSize() int64 { return f.max }

// Rel returns name (absolute, or relative to the tree's top) relative to
// the tree's top with forward slashes, and whether it lies inside the tree
// as written (symbolic links are judged when the file is opened).
func (f *FS) Rel(name string) (string, bool) {
	local, err := f.local(name)
	if err != nil {
		return "", false
	}
	return filepath.ToSlash(local), true
}

// Contains reports whether name lies inside the tree as written.
func (f *FS) Contains(name string) bool {
	_, ok := f.Rel(name)
	return ok
}

// Within reports whether the path p lies in (or is) dir, as written: no
// symbolic link is followed.
func Within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && (rel == "." || filepath.IsLocal(rel))
}

// Abs returns the absolute path of name, a path relative to the tree's top
// (forward slashes allowed) or already absolute.
func (f *FS) Abs(name string) string {
	if filepath.IsAbs(name) {
		return filepath.Clean(name)
	}
	return filepath.Join(f.dir, filepath.FromSlash(name))
}

// local turns name into a path relative to the top for os.Root.
func (f *FS) local(name string) (string, error) {
	if name == "" {
		return "", &fs.PathError{Op: "reading", Path: name, Err: fs.ErrInvalid}
	}
	var rel string
	if filepath.IsAbs(name) {
		r, err := filepath.Rel(f.dir, filepath.Clean(name))
		if err != nil {
			return "", &fs.PathError{Op: "reading", Path: filepath.Base(name), Err: ErrOutside}
		}
		rel = r
	} else {
		rel = filepath.Clean(filepath.FromSlash(name))
	}
	if rel != "." && !filepath.IsLocal(rel) {
		return "", &fs.PathError{Op: "reading", Path: filepath.ToSlash(rel), Err: ErrOutside}
	}
	return rel, nil
}

// ReadFile reads the regular file name (absolute, or relative to the top).
func (f *FS) ReadFile(name string) ([]byte, error) {
	rel, err := f.local(name)
	if err != nil {
		return nil, err
	}
	shown := filepath.ToSlash(rel)
	file, err := f.open(rel, shown)
	if err != nil {
		return nil, err
	}
	defer file.Close()
	return readBounded(file, shown, f.max)
}

// Stat returns what name is, following symbolic links inside the tree.
func (f *FS) Stat(name string) (fs.FileInfo, error) {
	rel, err := f.local(name)
	if err != nil {
		return nil, err
	}
	fi, err := f.root.Stat(rel)
	if err != nil {
		return nil, f.pathErr("reading", filepath.ToSlash(rel), err)
	}
	return fi, nil
}

// IsDir reports whether name is a directory of the tree (through links
// that stay inside it).
func (f *FS) IsDir(name string) bool {
	fi, err := f.Stat(name)
	return err == nil && fi.IsDir()
}

// IsFile reports whether name is a regular file of the tree.
func (f *FS) IsFile(name string) bool {
	fi, err := f.Stat(name)
	return err == nil && fi.Mode().IsRegular()
}

// ReadDir lists the directory name, sorted by file name.
func (f *FS) ReadDir(name string) ([]fs.DirEntry, error) {
	rel, err := f.local(name)
	if err != nil {
		return nil, err
	}
	entries, err := fs.ReadDir(f.root.FS(), filepath.ToSlash(rel))
	if err != nil {
		return nil, f.pathErr("reading", filepath.ToSlash(rel), err)
	}
	return entries, nil
}

// WalkDir walks the tree from name as fs.WalkDir does, calling fn with
// absolute paths. Symbolic links are not followed into directories.
func (f *FS) WalkDir(name string, fn fs.WalkDirFunc) error {
	rel, err := f.local(name)
	if err != nil {
		return err
	}
	return fs.WalkDir(f.root.FS(), filepath.ToSlash(rel), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			err = f.pathErr("reading", p, err)
		}
		return fn(f.Abs(p), d, err)
	})
}

// SameFile reports whether a and b (absolute, or relative to the top) are
// the same file or directory of the tree, whatever links lead to them.
func (f *FS) SameFile(a, b string) bool {
	fa, err := f.Stat(a)
	if err != nil {
		return false
	}
	fb, err := f.Stat(b)
	if err != nil {
		return false
	}
	return os.SameFile(fa, fb)
}

// ReadArg reads a file the user named on the command line (a plan, an
// export, a --var-file, a baseline): through the tree when it lies inside
// it, so that a link placed in the tree cannot lead out of it, otherwise as
// an ordinary file. Either way only a regular file within the size limit
// is read. The error names the file as shown.
func (f *FS) ReadArg(abs, shown string) ([]byte, error) {
	if f != nil && f.Contains(abs) {
		data, err := f.ReadFile(abs)
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				pe.Path = shown
			}
		}
		return data, err
	}
	max := DefaultMaxFileSize
	if f != nil {
		max = f.max
	}
	return ReadRegular(abs, shown, max)
}

// ReadRegular reads the regular file at path, an ordinary path outside any
// tree, refusing anything else and anything over max bytes. Errors name
// the file as shown.
func ReadRegular(path, shown string, max int64) ([]byte, error) {
	if max <= 0 {
		max = DefaultMaxFileSize
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, &fs.PathError{Op: "reading", Path: shown, Err: stripPath(err)}
	}
	if err := readable(shown, fi, max); err != nil {
		return nil, err
	}
	file, err := os.Open(path)
	if err != nil {
		return nil, &fs.PathError{Op: "reading", Path: shown, Err: stripPath(err)}
	}
	defer file.Close()
	return readBounded(file, shown, max)
}

// readable refuses what is not a regular file or is larger than max.
func readable(shown string, fi fs.FileInfo, max int64) error {
	if !fi.Mode().IsRegular() {
		return &fs.PathError{Op: "reading", Path: shown, Err: ErrNotRegular}
	}
	if fi.Size() > max {
		return tooLarge(shown, max)
	}
	return nil
}

// readBounded reads an open file, checking again (the file may have been
// swapped since it was looked at) that it is regular and within max.
func readBounded(file *os.File, shown string, max int64) ([]byte, error) {
	fi, err := file.Stat()
	if err != nil {
		return nil, &fs.PathError{Op: "reading", Path: shown, Err: stripPath(err)}
	}
	if err := readable(shown, fi, max); err != nil {
		return nil, err
	}
	buf := make([]byte, 0, fi.Size()+1)
	for {
		if int64(len(buf)) > max {
			return nil, tooLarge(shown, max)
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := file.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, &fs.PathError{Op: "reading", Path: shown, Err: stripPath(err)}
		}
	}
	if int64(len(buf)) > max {
		return nil, tooLarge(shown, max)
	}
	return buf, nil
}

func tooLarge(shown string, max int64) error {
	return &fs.PathError{Op: "reading", Path: shown, Err: fmt.Errorf("%w (%s; raise it with --max-file-size)", ErrTooLarge, FormatSize(max))}
}

// pathErr names a failed access relative to the tree and says plainly when
// os.Root refused a path that leaves it.
func (f *FS) pathErr(op, shown string, err error) error {
	err = stripPath(err)
	if isEscape(err) {
		err = ErrOutside
	}
	return &fs.PathError{Op: op, Path: shown, Err: err}
}

// isEscape recognises os.Root's refusal of a path or link that leaves the
// root; the standard library does not export that error.
func isEscape(err error) bool {
	return err != nil && strings.Contains(err.Error(), "path escapes from parent")
}

// stripPath drops the path an *fs.PathError or *os.LinkError carries: it
// may be absolute.
func stripPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// IsOutside reports whether err is a refusal to leave the tree.
func IsOutside(err error) bool { return errors.Is(err, ErrOutside) }

// FormatSize writes a byte count the way --max-file-size takes it.
func FormatSize(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// ParseSize reads a size such as "50MiB", "50MB", "2G" or "1048576".
// Units are powers of 1024, whichever way they are written.
func ParseSize(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GIB", 1 << 30}, {"MIB", 1 << 20}, {"KIB", 1 << 10}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	var n int64
	if _, err := fmt.Sscanf(t, "%d", &n); err != nil || n <= 0 || fmt.Sprint(n) != t || n > (1<<62)/mult {
		return 0, fmt.Errorf("%q is not a size: want a number of bytes, or one with KiB, MiB or GiB, for example 200MiB", s)
	}
	return n * mult, nil
}
