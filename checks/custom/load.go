// Package custom loads custom checks: YAML files whose fails_when is a CEL
// expression over a resource's attributes (docs/custom-checks.md). Each file
// becomes a scanner.Check, judged by scanner.Run like a built-in one, so
// ignores, baselines, filters, scope labels, provenance and every output
// format treat the two alike.
//
// A check file comes from the scanned tree or a path the user named, so it
// is untrusted input: it is read through internal/treefs with a size cap,
// decoded strictly (an unknown field is an error naming file:line:col), its
// text fields may hold no control characters, and its expression is parsed
// with size and nesting limits, type-checked once, refused when its
// statically estimated cost is over the limit in every case, and run with
// a cost limit.
//
// Values are three-valued as in the built-in checks: a value not known
// before apply is a CEL unknown carried in the activation, so an expression
// whose outcome depends on it evaluates to unknown (UNKNOWN, naming the
// attribute) whatever the order of && and ||; only true is FAIL and only
// false is PASS.
package custom

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/casascan/casascan/internal/yamlerr"
	"github.com/casascan/casascan/scanner"
	"gopkg.in/yaml.v3"
)

// Limits on what a check file may hold.
const (
	// MaxFileSize bounds one check file.
	MaxFileSize = 64 << 10
	// MaxFiles bounds the check files of one scan.
	MaxFiles = 1000
	// maxExprSize bounds fails_when, in code points.
	maxExprSize = 8 << 10
	// maxText bounds title and message; maxLongText why, remediation, fix.
	maxText     = 300
	maxLongText = 16 << 10
)

// DirName is where a scan root keeps its custom checks.
const DirName = ".casascan/checks"

// Error is a problem in a check file, at a line and column (0 when the
// problem is the file as a whole).
type Error struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *Error) Error() string {
	switch {
	case e.Line > 0 && e.Col > 0:
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// Spec is a check file as written.
type Spec struct {
	File        string // as shown in messages
	ID          string
	Title       string
	Severity    scanner.Severity
	Measures    []scanner.Measure
	CWE         int
	ASVS, CASA  []string
	Types       []string
	FailsWhen   string
	Message     string
	Why         string
	Remediation string
	Fix         string

	exprLine, exprCol int // where fails_when's value starts
	idLine, idCol     int
	block             bool // fails_when written as a block scalar (| or >)
	blockIndent       int  // its content's indentation, for a block scalar
	flowIndent        int  // the indentation of its continuation lines
	quoted            int  // 1 when written in quotes
}

var (
	idPattern      = regexp.MustCompile(`^[A-Z][A-Z0-9]*(?:[-_][A-Z0-9]+)+$`)
	typePattern    = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	sectionPattern = regexp.MustCompile(`^[0-9]+(?:\.[0-9]+)*$`)
)

// Parse decodes and validates one check file (src, shown as file); it
// does not compile fails_when (Compile does). Every problem found is
// returned, joined.
func Parse(file string, src []byte) (*Spec, error) { return parse(file, src, nil) }

// parse is Parse, refusing the IDs reserved names (Options.Reserved).
func parse(file string, src []byte, reserved func(string) string) (*Spec, error) {
	d := &decoder{file: file, reserved: reserved}
	s := &Spec{File: file}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, d.yamlError(err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, &Error{File: file, Msg: "empty check file: want a mapping with id, title, severity, types, fails_when and message"}
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		d.errorf(root, "want a mapping with id, title, severity, types, fails_when and message; found %s", kindName(root))
		return nil, d.err()
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if seen[k.Value] {
			d.errorf(k, "field %q given twice", k.Value)
			continue
		}
		seen[k.Value] = true
		switch k.Value {
		case "id":
			s.ID = d.str(k.Value, v)
			s.idLine, s.idCol = v.Line, v.Column
			d.checkID(v, s.ID)
		case "title":
			s.Title = d.text(k.Value, v, maxText, false)
		case "severity":
			name := d.str(k.Value, v)
			if name == "" {
				break
			}
			sev, err := scanner.ParseSeverity(name)
			if err != nil || name != strings.ToUpper(name) {
				d.errorf(v, "severity %s: want LOW, MEDIUM, HIGH or CRITICAL", strconv.Quote(name))
			}
			s.Severity = sev
		case "measures":
			for _, it := range d.list(k.Value, v) {
				m := scanner.Measure(it.Value)
				if _, ok := scanner.MeasureTitle[m]; !ok {
					d.errorf(it, "measures: %s is not a measure: want M1 to M7", strconv.Quote(it.Value))
					continue
				}
				s.Measures = append(s.Measures, m)
			}
		case "cwe":
			n, err := strconv.Atoi(d.str(k.Value, v))
			if err != nil || n <= 0 || n > 100000 {
				d.errorf(v, "cwe: want a CWE number, for example 311")
			}
			s.CWE = n
		case "asvs", "casa":
			var out []string
			for _, it := range d.list(k.Value, v) {
				if !sectionPattern.MatchString(it.Value) || len(it.Value) > 20 {
					d.errorf(it, "%s: %s is not a requirement number like \"6.1.1\"", k.Value, strconv.Quote(it.Value))
					continue
				}
				out = append(out, it.Value)
			}
			if k.Value == "asvs" {
				s.ASVS = out
			} else {
				s.CASA = out
			}
		case "types":
			for _, it := range d.list(k.Value, v) {
				if !typePattern.MatchString(it.Value) || len(it.Value) > 100 {
					d.errorf(it, "types: %s is not a Terraform resource type like google_storage_bucket", strconv.Quote(it.Value))
					continue
				}
				s.Types = append(s.Types, it.Value)
			}
		case "fails_when":
			s.FailsWhen = d.text(k.Value, v, maxExprSize, true)
			s.exprLine, s.exprCol = v.Line, v.Column
			s.block = v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0
			if v.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 {
				s.quoted = 1
			}
			s.blockIndent, s.flowIndent = indentAfter(src, v.Line), indentAfter(src, v.Line)
		case "message":
			s.Message = d.text(k.Value, v, maxText, false)
		case "why":
			s.Why = d.text(k.Value, v, maxLongText, true)
		case "remediation":
			s.Remediation = d.text(k.Value, v, maxLongText, true)
		case "fix":
			s.Fix = d.text(k.Value, v, maxLongText, true)
		default:
			d.errorf(k, "unknown field %s (want id, title, severity, measures, cwe, asvs, casa, types, fails_when, message, why, remediation, fix)", strconv.Quote(k.Value))
		}
	}
	for _, req := range []struct {
		name string
		set  bool
	}{{"id", s.ID != ""}, {"title", s.Title != ""}, {"severity", seen["severity"]}, {"types", len(s.Types) > 0},
		{"fails_when", strings.TrimSpace(s.FailsWhen) != ""}, {"message", s.Message != ""}} {
		if !req.set {
			d.errs = append(d.errs, &Error{File: file, Line: root.Line, Col: root.Column, Msg: "missing required field " + req.name})
		}
	}
	sort.Strings(s.Types)
	s.Types = dedupe(s.Types)
	if err := d.err(); err != nil {
		return nil, err
	}
	return s, nil
}

// indentAfter is the indentation of the first non-blank line after line
// (1-based) of src.
func indentAfter(src []byte, line int) int {
	lines := strings.Split(string(src), "\n")
	for i := line; i < len(lines); i++ {
		l := strings.TrimRight(lines[i], "\r")
		if strings.TrimSpace(l) == "" {
			continue
		}
		return len(l) - len(strings.TrimLeft(l, " "))
	}
	return 0
}

func dedupe(ss []string) []string {
	out := ss[:0]
	for i, s := range ss {
		if i == 0 || s != ss[i-1] {
			out = append(out, s)
		}
	}
	return out
}

type decoder struct {
	file     string
	errs     []error
	reserved func(id string) string
}

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	d.errs = append(d.errs, &Error{File: d.file, Line: n.Line, Col: n.Column, Msg: fmt.Sprintf(format, args...)})
}

func (d *decoder) err() error {
	if len(d.errs) == 0 {
		return nil
	}
	return errors.Join(d.errs...)
}

func (d *decoder) yamlError(err error) error {
	line, msg := yamlerr.Split(err)
	return &Error{File: d.file, Line: line, Msg: "not valid YAML: " + msg}
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	return "a scalar"
}

// str reads a scalar.
func (d *decoder) str(name string, v *yaml.Node) string {
	if v.Kind != yaml.ScalarNode {
		d.errorf(v, "%s: want a single value, found %s", name, kindName(v))
		return ""
	}
	return v.Value
}

// text reads a string field: bounded, no control characters but (when
// multiline) newlines and tabs.
func (d *decoder) text(name string, v *yaml.Node, max int, multiline bool) string {
	s := d.str(name, v)
	if len(s) > max {
		d.errorf(v, "%s: longer than %d bytes", name, max)
		return ""
	}
	for _, r := range s {
		if (r == '\n' || r == '\t') && multiline {
			continue
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r) {
			d.errorf(v, "%s: holds a control character (%U)", name, r)
			return ""
		}
	}
	if !multiline {
		s = strings.TrimSpace(s)
	}
	return s
}

// list reads a list of scalars; a single scalar is a list of one.
func (d *decoder) list(name string, v *yaml.Node) []*yaml.Node {
	switch v.Kind {
	case yaml.ScalarNode:
		return []*yaml.Node{v}
	case yaml.SequenceNode:
		var out []*yaml.Node
		for _, it := range v.Content {
			if it.Kind != yaml.ScalarNode {
				d.errorf(it, "%s: want a list of values, found %s in it", name, kindName(it))
				continue
			}
			out = append(out, it)
		}
		return out
	}
	d.errorf(v, "%s: want a list, found %s", name, kindName(v))
	return nil
}

func (d *decoder) checkID(v *yaml.Node, id string) {
	switch {
	case id == "":
	case strings.HasPrefix(strings.ToUpper(id), "GCP-"):
		d.errorf(v, "id %s: IDs starting with GCP- belong to casascan's own checks; use your organization's prefix, for example ACME-KMS-001", strconv.Quote(id))
	case d.reserved != nil && d.reserved(id) != "":
		d.errorf(v, "id %s is taken: it is %s; use your organization's prefix, for example ACME-KMS-001", strconv.Quote(id), d.reserved(id))
	case len(id) > 64 || !idPattern.MatchString(id):
		d.errorf(v, "id %s: want upper-case letters and digits in parts joined by - (for example ACME-KMS-001)", strconv.Quote(id))
	}
}
