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

// Source is where check files come from: one file, or a directory and
// its subdirectories (a check per directory, with its pass/ and fail/
// fixtures beside it, is the layout casascan checks test runs), read
// through a tree.
type Source struct {
	Tree *treefs.FS
	// Path is absolute; Shown names it in messages.
	Path, Shown string
	// Optional is true for the scan root's .casascan/checks, which may
	// not exist.
	Optional bool
}

// Files lists the check files a source names, with the names to show: the
// file, or the check files under the directory, sorted, leaving out
// pass/ and fail/ fixtures and hidden directories (but .casascan).
// Directories linked to are not followed.
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
	err = s.Tree.WalkDir(s.Path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != s.Path && (name == "pass" || name == "fail" || (strings.HasPrefix(name, ".") && name != ".casascan")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !IsCheckFile(name) {
			return nil
		}
		if len(paths) >= MaxFiles {
			return fmt.Errorf("more than %d custom check files", MaxFiles)
		}
		rel, err := filepath.Rel(s.Path, p)
		if err != nil {
			return err
		}
		paths = append(paths, p)
		shown = append(shown, filepath.ToSlash(filepath.Join(s.Shown, rel)))
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", s.Shown, err)
	}
	return paths, shown, nil
}

// Options are what Load needs besides the files.
type Options struct {
	// Reserved says what an ID already names, or "" when a custom check
	// may take it: casascan's own check IDs and the tfsec/trivy IDs that
	// map to them (checks.MapIgnoreID), whose ignore comments would
	// otherwise suppress two checks at once. nil reserves nothing but the
	// GCP- prefix, which Parse refuses.
	Reserved func(id string) string
	// Budget bounds the cost of every evaluation of the checks loaded
	// together (one scan), over all resources; 0 is DefaultBudget.
	Budget uint64
}

// Loaded is a compiled check and the file it came from.
type Loaded struct {
	Check *scanner.Check
	// Tree is the tree the file was read through; Path is the file's
	// path in it, and Shown names it.
	Tree        *treefs.FS
	Path, Shown string
}

// Load reads, validates and compiles the check files of sources. Any
// problem is an error (every problem found, joined), and no check is
// returned: a scan must not judge anything with a check set the user did
// not mean. The checks are sorted by ID and share one cost budget.
func Load(sources []Source, opts Options) ([]*scanner.Check, error) {
	ls, err := LoadFiles(sources, opts)
	if err != nil {
		return nil, err
	}
	out := make([]*scanner.Check, len(ls))
	for i, l := range ls {
		out[i] = l.Check
	}
	return out, nil
}

// LoadFiles is Load, keeping the file each check came from (casascan
// checks test runs a check on the fixtures beside its file).
func LoadFiles(sources []Source, opts Options) ([]Loaded, error) {
	taken := map[string]string{}
	budget := newBudget(opts.Budget)
	var errs []error
	var out []Loaded
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
			// Sized before it is read: the tree's own cap is far larger.
			var b []byte
			fi, err := src.Tree.Stat(p)
			if err == nil && fi.Size() > MaxFileSize {
				err = fmt.Errorf("larger than %d KiB", MaxFileSize>>10)
			}
			if err == nil {
				b, err = src.Tree.ReadFile(p)
			}
			if err == nil && len(b) > MaxFileSize {
				err = fmt.Errorf("larger than %d KiB", MaxFileSize>>10)
			}
			if err != nil {
				errs = append(errs, &Error{File: shown[i], Msg: err.Error()})
				continue
			}
			spec, err := parse(shown[i], b, opts.Reserved)
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
			c, err := compileIn(spec, budget)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			out = append(out, Loaded{Check: c, Tree: src.Tree, Path: p, Shown: shown[i]})
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Check.ID < out[j].Check.ID })
	return out, nil
}
