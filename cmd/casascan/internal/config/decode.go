package config

import (
	"fmt"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/casascan/casascan/internal/yamlerr"
	"github.com/casascan/casascan/scanner"
	"gopkg.in/yaml.v3"
)

// Error is one problem in a configuration file, at a line (0 when the
// problem has no line, such as an empty document of the wrong kind).
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	// Messages quote the untrusted file (a key, a tag); control characters
	// in it must not break the one-line-per-error form or reach a terminal.
	msg := strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '?'
		}
		return r
	}, e.Msg)
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, msg)
	}
	return fmt.Sprintf("%s: %s", e.File, msg)
}

// decoder walks the yaml.Node tree rather than unmarshalling into a struct:
// only the node tree knows each key's line, and yaml.v3's struct decoding
// silently drops unknown keys (KnownFields reports one without a
// suggestion) and coerces "yes" into strings.
type decoder struct {
	file string
	errs []error
}

// field decodes one key's value; path is the dotted key for messages.
type field func(path string, v *yaml.Node)

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	line := 0
	if n != nil {
		line = n.Line
	}
	d.errs = append(d.errs, &Error{File: d.file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

func (d *decoder) decode(src []byte, c *Config) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		line, msg := yamlerr.Split(err)
		d.errs = append(d.errs, &Error{File: d.file, Line: line, Msg: "not valid YAML: " + msg})
		return
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return // an empty file: every default
	}
	root := doc.Content[0]
	if isNull(root) {
		return
	}
	if root.Kind != yaml.MappingNode {
		d.errorf(root, "want a mapping of settings (key: value), found %s", kindName(root))
		return
	}
	d.mapping(root, "", topFields(d, c))
}

// topFields are the file's top-level keys.
func topFields(d *decoder, c *Config) map[string]field {
	return map[string]field{
		"checks":      func(p string, v *yaml.Node) { c.Checks = d.checkIDs(p, v, c) },
		"skip-checks": func(p string, v *yaml.Node) { c.SkipChecks = d.checkIDs(p, v, c) },
		"severity":    func(p string, v *yaml.Node) { c.Severity = d.severities(p, v) },
		"var-files": func(p string, v *yaml.Node) {
			c.VarFiles = d.stringList(p, v, func(item *yaml.Node) {
				if err := validateVarFile(item.Value); err != nil {
					d.errorf(item, "%s: %v", p, err)
				}
			})
		},
		"custom-checks": func(p string, v *yaml.Node) {
			c.CustomChecks = d.stringList(p, v, func(item *yaml.Node) {
				if err := validateCustomChecks(item.Value); err != nil {
					d.errorf(item, "%s: %v", p, err)
				}
			})
		},
		"exclude": func(p string, v *yaml.Node) {
			c.Exclude = d.stringList(p, v, func(item *yaml.Node) {
				if err := ValidatePattern(item.Value); err != nil {
					d.errorf(item, "%s: %v", p, err)
				}
			})
		},
		"scan-downloaded-modules": func(p string, v *yaml.Node) { d.bool(p, v, &c.ScanDownloadedModules) },
		"scope-labels":            func(p string, v *yaml.Node) { c.ScopeLabels = d.labels(p, v) },
		"ignores": func(p string, v *yaml.Node) {
			d.mapping(v, p+".", map[string]field{
				"require-reason": func(p string, v *yaml.Node) { d.bool(p, v, &c.Ignores.RequireReason) },
				"inline-ignores": func(p string, v *yaml.Node) { d.bool(p, v, &c.Ignores.InlineIgnores) },
			})
		},
		"ignore": func(p string, v *yaml.Node) { c.Ignore = d.ignoreList(p, v) },
		"sarif": func(p string, v *yaml.Node) {
			d.mapping(v, p+".", map[string]field{
				"category":        func(p string, v *yaml.Node) { d.str(p, v, &c.SARIF.Category) },
				"include-unknown": func(p string, v *yaml.Node) { d.bool(p, v, &c.SARIF.IncludeUnknown) },
			})
		},
		"exit-code": func(p string, v *yaml.Node) { d.exitCode(p, v, &c.ExitCode) },
	}
}

// mapping decodes a mapping node through fields. A null value leaves the
// default; unknown and repeated keys are errors.
func (d *decoder) mapping(n *yaml.Node, prefix string, fields map[string]field) {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s: want a mapping (key: value), found %s", strings.TrimSuffix(prefix, "."), kindName(n))
		return
	}
	seen := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, "%skeys must be plain names, found %s", prefix, kindName(k))
			continue
		}
		name := k.Value
		if first, dup := seen[name]; dup {
			d.errorf(k, "key %q is set twice (first on line %d)", prefix+name, first)
			continue
		}
		seen[name] = k.Line
		f, ok := fields[name]
		if !ok {
			d.errorf(k, "unknown key %q%s", prefix+name, suggest(prefix, name, fields))
			continue
		}
		if v.Kind == yaml.AliasNode {
			d.errorf(v, "%s: YAML aliases are not supported; write the value out", prefix+name)
			continue
		}
		if isNull(v) {
			continue
		}
		f(prefix+name, v)
	}
}

// items returns a sequence's scalar entries, reporting anything else.
func (d *decoder) items(path string, v *yaml.Node, example string) []*yaml.Node {
	if v.Kind != yaml.SequenceNode {
		d.errorf(v, "%s: want a list, for example %s; found %s", path, example, kindName(v))
		return nil
	}
	var out []*yaml.Node
	for i, it := range v.Content {
		if it.Kind != yaml.ScalarNode || isNull(it) || it.Tag != "!!str" {
			d.errorf(it, "%s[%d]: want a string, found %s", path, i, kindName(it))
			continue
		}
		out = append(out, it)
	}
	return out
}

func (d *decoder) stringList(path string, v *yaml.Node, validate func(*yaml.Node)) []string {
	out := []string{}
	for _, it := range d.items(path, v, `["a", "b"]`) {
		if strings.TrimSpace(it.Value) == "" {
			d.errorf(it, "%s: empty entry", path)
			continue
		}
		if validate != nil {
			validate(it)
		}
		out = append(out, it.Value)
	}
	return out
}

// checkIDs reads a list of check IDs, upper-cased as scanner.Select wants,
// and records each entry's line for ValidateChecks.
func (d *decoder) checkIDs(path string, v *yaml.Node, c *Config) []string {
	out := []string{}
	for _, it := range d.items(path, v, "[GCP-ENC-001, GCP-KMS-001]") {
		id := strings.ToUpper(strings.TrimSpace(it.Value))
		if id == "" {
			d.errorf(it, "%s: empty check ID", path)
			continue
		}
		c.lines[fmt.Sprintf("%s.%d", path, len(out))] = it.Line
		out = append(out, id)
	}
	return out
}

// ignoreList reads the ignore: entries; each is a mapping with a required
// id and optional path, resource, exp and reason.
func (d *decoder) ignoreList(path string, v *yaml.Node) []IgnoreEntry {
	if v.Kind != yaml.SequenceNode {
		d.errorf(v, "%s: want a list of entries, for example [{id: GCP-ENC-001, path: \"vendor/**\", reason: why}]; found %s", path, kindName(v))
		return nil
	}
	out := []IgnoreEntry{}
	for i, it := range v.Content {
		p := fmt.Sprintf("%s[%d]", path, i)
		if it.Kind != yaml.MappingNode {
			d.errorf(it, "%s: want a mapping with id and optional path, resource, exp and reason; found %s", p, kindName(it))
			continue
		}
		e := IgnoreEntry{Line: it.Line}
		errs := len(d.errs)
		d.mapping(it, p+".", map[string]field{
			"id": func(p string, v *yaml.Node) {
				d.str(p, v, &e.ID)
				e.ID = strings.ToUpper(strings.TrimSpace(e.ID))
			},
			"path": func(p string, v *yaml.Node) {
				d.str(p, v, &e.Path)
				if err := ValidatePattern(e.Path); err != nil {
					d.errorf(v, "%s: %v", p, err)
				}
			},
			"resource": func(p string, v *yaml.Node) {
				d.str(p, v, &e.Resource)
				if strings.TrimSpace(e.Resource) == "" {
					d.errorf(v, "%s: empty pattern (leave the key out to match every resource)", p)
				}
			},
			"exp": func(p string, v *yaml.Node) {
				// YAML reads 2026-12-31 as a timestamp; the text is what counts.
				if v.Kind != yaml.ScalarNode || (v.Tag != "!!str" && v.Tag != "!!timestamp") {
					d.errorf(v, "%s: want a date YYYY-MM-DD, found %s", p, kindName(v))
					return
				}
				if _, err := time.Parse("2006-01-02", v.Value); err != nil {
					d.errorf(v, "%s: %q is not a date YYYY-MM-DD", p, v.Value)
					return
				}
				e.Expires = v.Value
			},
			"reason": func(p string, v *yaml.Node) { d.str(p, v, &e.Reason) },
		})
		if e.ID == "" && len(d.errs) == errs {
			d.errorf(it, "%s: id is required (a check ID, or \"*\" for every check)", p)
			continue
		}
		out = append(out, e)
	}
	return out
}

func (d *decoder) severities(path string, v *yaml.Node) []scanner.Severity {
	out := []scanner.Severity{}
	for _, it := range d.items(path, v, "[HIGH, CRITICAL]") {
		s, err := scanner.ParseSeverity(it.Value)
		if err != nil {
			d.errorf(it, "%s: %v", path, err)
			continue
		}
		out = append(out, s)
	}
	return out
}

func (d *decoder) labels(path string, v *yaml.Node) map[string]string {
	if v.Kind != yaml.MappingNode {
		d.errorf(v, "%s: want a mapping of label keys to values, for example {data: gmail}; found %s", path, kindName(v))
		return nil
	}
	out := map[string]string{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		if k.Kind != yaml.ScalarNode || strings.TrimSpace(k.Value) == "" {
			d.errorf(k, "%s: label keys must be non-empty names", path)
			continue
		}
		if _, dup := out[k.Value]; dup {
			d.errorf(k, "%s: label %q is set twice", path, k.Value)
			continue
		}
		if val.Kind != yaml.ScalarNode || isNull(val) {
			d.errorf(val, "%s.%s: want a label value, found %s", path, k.Value, kindName(val))
			continue
		}
		out[k.Value] = val.Value
	}
	return out
}

func (d *decoder) bool(path string, v *yaml.Node, dst *bool) {
	if v.Kind != yaml.ScalarNode || v.Tag != "!!bool" {
		d.errorf(v, "%s: want true or false, found %s", path, kindName(v))
		return
	}
	if err := v.Decode(dst); err != nil {
		d.errorf(v, "%s: %v", path, err)
	}
}

func (d *decoder) str(path string, v *yaml.Node, dst *string) {
	if v.Kind != yaml.ScalarNode || v.Tag != "!!str" {
		d.errorf(v, "%s: want a string, found %s", path, kindName(v))
		return
	}
	*dst = v.Value
}

func (d *decoder) exitCode(path string, v *yaml.Node, dst *int) {
	var n int
	if v.Kind != yaml.ScalarNode || v.Tag != "!!int" || v.Decode(&n) != nil {
		d.errorf(v, "%s: want a whole number from 0 to 125, found %s", path, kindName(v))
		return
	}
	if n < 0 || n > 125 {
		d.errorf(v, "%s: %d is out of range: want 0 to 125", path, n)
		return
	}
	*dst = n
}

// validateVarFile keeps a var file named by the configuration inside the
// directory of the configuration file. The file comes from the scanned tree,
// which in CI is a pull request: it must not make casascan read the runner's
// files (a var file's content can reach diagnostics). A path outside the
// tree can still be given with --var-file, which the pipeline's author
// writes.
func validateVarFile(p string) error {
	slash := filepath.ToSlash(p)
	if filepath.IsAbs(p) || path.IsAbs(slash) || filepath.VolumeName(p) != "" {
		return fmt.Errorf("%q is absolute: name var files relative to the configuration file (give others with --var-file)", p)
	}
	if c := path.Clean(slash); c == ".." || strings.HasPrefix(c, "../") {
		return fmt.Errorf("%q leaves the configuration file's directory (give it with --var-file instead)", p)
	}
	return nil
}

// validateCustomChecks keeps custom-checks: entries inside the
// configuration file's directory, as var files are.
func validateCustomChecks(p string) error {
	slash := filepath.ToSlash(p)
	if filepath.IsAbs(p) || path.IsAbs(slash) || filepath.VolumeName(p) != "" {
		return fmt.Errorf("%q is absolute: name check files or directories relative to the configuration file (give others with --check-dir)", p)
	}
	if c := path.Clean(slash); c == ".." || strings.HasPrefix(c, "../") {
		return fmt.Errorf("%q leaves the configuration file's directory (give it with --check-dir instead)", p)
	}
	return nil
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// kindName describes a node for "found ..." in messages, without echoing
// long values.
func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return "nothing"
		case "!!bool":
			return "a boolean"
		case "!!int":
			return "a number"
		case "!!float":
			return "a number"
		case "!!str":
			if len(n.Value) > 40 {
				return "a string"
			}
			return strconv.Quote(n.Value)
		}
		return "a " + strings.TrimPrefix(n.Tag, "!!")
	}
	return "an empty document"
}

// suggest returns ` (did you mean "x"?)` for the known key closest to name,
// or "" when none is close: within a third of the name's length in edits,
// at least one.
func suggest(prefix, name string, fields map[string]field) string {
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	best, bestDist := "", max(1, len(name)/3)+1
	for _, k := range keys {
		if dist := scanner.EditDistance(strings.ToLower(name), k); dist < bestDist {
			best, bestDist = k, dist
		}
	}
	if best == "" {
		return fmt.Sprintf(" (known keys: %s)", strings.Join(keys, ", "))
	}
	return fmt.Sprintf(" (did you mean %q?)", prefix+best)
}
