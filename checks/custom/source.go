package custom

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"

	"github.com/casascan/casascan/internal/treefs"
	"github.com/casascan/casascan/scanner"
)

// IsCheckFile reports whether a file name is a check file's.
func IsCheckFile(name string) bool {
	return strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")
}

// Source is where check files come from: one file or a directory of
// them (not recursive), read through a tree.
type Source struct {
	Tree *treefs.FS
	// Path is absolute; Shown names it in messages.
	Path, Shown string
	// Optional is true for the scan root's .casascan/checks, which may
	// not exist.
	Optional bool
}

// Files lists the check files a source names, with the names to show.
func (s Source) Files() (paths, shown []string, err error) {
	fi, err := s.Tree.Stat(s.Path)
	switch {
	case err != nil && s.Optional && errors.Is(err, fs.ErrNotExist) && !treefs.IsOutside(err):
		return nil, nil, nil
	case err != nil:
		return nil, nil, fmt.Errorf("%s: %w", s.Shown, err)
	case fi.Mode().IsRegular():
		return []string{s.Path}, []string{s.Shown}, nil
	case !fi.IsDir():
		return nil, nil, fmt.Errorf("%s: not a check file or a directory of them", s.Shown)
	}
	entries, err := s.Tree.ReadDir(s.Path)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", s.Shown, err)
	}
	for _, e := range entries {
		if e.IsDir() || !IsCheckFile(e.Name()) {
			continue
		}
		paths = append(paths, filepath.Join(s.Path, e.Name()))
		shown = append(shown, filepath.ToSlash(filepath.Join(s.Shown, e.Name())))
	}
	return paths, shown, nil
}

// Load reads, validates and compiles the check files of sources. builtin
// are the IDs already taken. Any problem is an error (every problem found,
// joined), and no check is returned: a scan must not judge anything with a
// check set the user did not mean.
func Load(sources []Source, builtin []string) ([]*scanner.Check, error) {
	taken := map[string]string{}
	for _, id := range builtin {
		taken[id] = "a built-in check"
	}
	var errs []error
	var out []*scanner.Check
	files := 0
	seenFile := map[string]bool{}
	for _, src := range sources {
		paths, shown, err := src.Files()
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for i, p := range paths {
			if seenFile[p] {
				continue // named twice (a --check-dir that is also .casascan/checks)
			}
			seenFile[p] = true
			if files++; files > MaxFiles {
				errs = append(errs, fmt.Errorf("%s: more than %d custom check files", src.Shown, MaxFiles))
				break
			}
			b, err := src.Tree.ReadFile(p)
			if err == nil && len(b) > MaxFileSize {
				err = fmt.Errorf("larger than %d KiB", MaxFileSize>>10)
			}
			if err != nil {
				errs = append(errs, &Error{File: shown[i], Msg: err.Error()})
				continue
			}
			spec, err := Parse(shown[i], b)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			if by, dup := taken[spec.ID]; dup {
				errs = append(errs, &Error{File: spec.File, Line: spec.idLine, Col: spec.idCol,
					Msg: fmt.Sprintf("id %s is already taken by %s", spec.ID, by)})
				continue
			}
			taken[spec.ID] = spec.File
			c, err := Compile(spec)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			out = append(out, c)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}
