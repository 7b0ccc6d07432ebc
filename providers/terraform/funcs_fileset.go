package terraform

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/casascan/casascan/internal/treefs"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// maxFilesetEntries bounds the directory entries one fileset call visits.
const maxFilesetEntries = 200_000

// fileSetFunc lists the regular files under a directory whose paths match a
// glob (*, **, ?, [class], {a,b}), relative to that directory and with
// forward slashes. The walk starts at the pattern's literal leading
// directories (so "../x/*" works as in Terraform) and never leaves the
// scanned tree: it does not follow directory symlinks, and lists a file
// symlink only when its target is a regular file inside the tree.
func fileSetFunc(fc funcContext) function.Function {
	return newFunc(function.Spec{
		Params: []function.Parameter{
			{Name: "path", Type: cty.String},
			{Name: "pattern", Type: cty.String},
		},
		Type: function.StaticReturnType(cty.Set(cty.String)),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			dir, pattern := args[0].AsString(), filepath.ToSlash(args[1].AsString())
			lit, rest := splitLiteral(pattern)
			re, err := globRegexp(rest)
			if err != nil {
				return cty.NilVal, function.NewArgErrorf(1, "invalid pattern %q: %s", pattern, err)
			}
			start := filepath.Join(dir, filepath.FromSlash(lit))
			abs, inside := fc.resolve(start)
			if !inside {
				fc.warn(warnOutside, start)
				return cty.UnknownVal(cty.Set(cty.String)).RefineNotNull(), nil
			}
			info, err := fc.FS.Stat(abs)
			switch {
			case treefs.IsOutside(err):
				fc.warn(warnOutside, start)
				return cty.UnknownVal(cty.Set(cty.String)).RefineNotNull(), nil
			case err != nil || !info.IsDir():
				return cty.SetValEmpty(cty.String), nil // nothing there to match
			}
			names, err := fc.walkMatches(abs, re)
			if err != nil {
				return cty.NilVal, fmt.Errorf("listing %s: %w", start, err)
			}
			return setOfPaths(dir, start, names)
		},
	})
}

// walkMatches returns the paths, relative to base, of the regular files under
// base that match re. base may be a link to a directory of the tree; the
// walk below it follows no links into directories, and lists a file link
// only when it leads to a regular file inside the tree.
func (fc funcContext) walkMatches(base string, re *regexp.Regexp) ([]string, error) {
	var names []string
	visited := 0
	start := base
	err := fc.FS.WalkDir(start, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // unreadable entries are skipped, as a glob would
		}
		if visited++; visited > maxFilesetEntries {
			return errors.New("too many files")
		}
		rel, _ := filepath.Rel(start, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() || !re.MatchString(rel) || !fc.FS.IsFile(p) {
			return nil
		}
		names = append(names, rel)
		return nil
	})
	return names, err
}

// setOfPaths turns names relative to start into paths relative to dir.
func setOfPaths(dir, start string, names []string) (cty.Value, error) {
	if len(names) == 0 {
		return cty.SetValEmpty(cty.String), nil
	}
	vals := make([]cty.Value, len(names))
	for i, n := range names {
		rel, err := filepath.Rel(dir, filepath.Join(start, filepath.FromSlash(n)))
		if err != nil {
			return cty.NilVal, err
		}
		vals[i] = cty.StringVal(filepath.ToSlash(rel))
	}
	return cty.SetVal(vals), nil
}

// splitLiteral splits a slash-separated pattern into its leading directories
// free of glob syntax, and the rest.
func splitLiteral(pattern string) (lit, rest string) {
	parts := strings.Split(pattern, "/")
	i := 0
	for i < len(parts)-1 && !strings.ContainsAny(parts[i], `*?[]{}\`) {
		i++
	}
	return path.Join(parts[:i]...), strings.Join(parts[i:], "/")
}

// globRegexp translates a glob into an anchored regular expression over
// slash-separated relative paths. "**" as a whole path component matches any
// number of directories; elsewhere it behaves as "*".
func globRegexp(glob string) (*regexp.Regexp, error) {
	comps, err := splitComponents(glob)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	b.WriteString("^")
	sep := false
	for i, c := range comps {
		if c == "**" {
			if i == len(comps)-1 {
				if sep {
					b.WriteString("/")
				}
				b.WriteString(".*")
			} else {
				if sep {
					b.WriteString("/")
				}
				b.WriteString("(?:[^/]*/)*")
				sep = false
				continue
			}
			sep = true
			continue
		}
		if sep {
			b.WriteString("/")
		}
		if err := translateComponent(&b, c); err != nil {
			return nil, err
		}
		sep = true
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}

// splitComponents splits a glob at slashes outside braces and brackets.
func splitComponents(glob string) ([]string, error) {
	var comps []string
	depth, start := 0, 0
	inClass := false
	for i := 0; i < len(glob); i++ {
		switch c := glob[i]; {
		case c == '\\':
			i++
		case inClass:
			inClass = c != ']'
		case c == '[':
			inClass = true
		case c == '{':
			depth++
		case c == '}':
			depth--
		case c == '/' && depth == 0:
			comps = append(comps, glob[start:i])
			start = i + 1
		}
	}
	if depth != 0 || inClass {
		return nil, errors.New("unbalanced brackets or braces")
	}
	return append(comps, glob[start:]), nil
}

// translateComponent writes the regular expression for one glob component.
func translateComponent(b *strings.Builder, c string) error {
	for i := 0; i < len(c); i++ {
		switch ch := c[i]; ch {
		case '*':
			for i+1 < len(c) && c[i+1] == '*' {
				i++
			}
			b.WriteString("[^/]*")
		case '?':
			b.WriteString("[^/]")
		case '\\':
			if i+1 >= len(c) {
				return errors.New("trailing backslash")
			}
			i++
			b.WriteString(regexp.QuoteMeta(c[i : i+1]))
		case '[':
			n, err := translateClass(b, c[i:])
			if err != nil {
				return err
			}
			i += n - 1
		case '{':
			n, err := translateAlternatives(b, c[i:])
			if err != nil {
				return err
			}
			i += n - 1
		default:
			b.WriteString(regexp.QuoteMeta(c[i : i+1]))
		}
	}
	return nil
}

// translateClass writes a [class] (negated by ^ or !) and returns its length.
func translateClass(b *strings.Builder, s string) (int, error) {
	end := strings.IndexByte(s[1:], ']')
	if end < 0 {
		return 0, errors.New("unterminated character class")
	}
	body := s[1 : end+1]
	if body == "" || body == "^" || body == "!" {
		return 0, errors.New("empty character class")
	}
	b.WriteString("[")
	if body[0] == '!' || body[0] == '^' {
		b.WriteString("^/")
		body = body[1:]
	}
	for _, r := range body {
		if r == '\\' || r == '[' || r == ']' {
			b.WriteString(`\`)
		}
		b.WriteRune(r)
	}
	b.WriteString("]")
	return end + 2, nil
}

// translateAlternatives writes a {a,b} group and returns its length.
func translateAlternatives(b *strings.Builder, s string) (int, error) {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '{':
			depth++
		case '}':
			if depth--; depth == 0 {
				b.WriteString("(?:")
				for j, alt := range splitTop(s[1:i]) {
					if j > 0 {
						b.WriteString("|")
					}
					if err := translateComponent(b, alt); err != nil {
						return 0, err
					}
				}
				b.WriteString(")")
				return i + 1, nil
			}
		}
	}
	return 0, errors.New("unterminated alternatives")
}

// splitTop splits s at commas outside nested braces.
func splitTop(s string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '{':
			depth++
		case '}':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}
