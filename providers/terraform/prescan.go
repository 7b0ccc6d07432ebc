package terraform

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"

	"github.com/casascan/casascan/scanner"
)

// The limits of what casascan hands to HCL's parser. HCL parses and
// evaluates recursively, so a file nested deep enough overflows the Go
// stack, which is a fatal error no recover() catches; and it joins the
// literal parts of a template in quadratic time. preScan measures a file
// in one linear pass before HCL sees it, and refuses those that go past a
// limit: the file is skipped with one diagnostic, the rest of the tree is
// scanned.
const (
	// maxParseNesting bounds the depth of an expression or a file: brackets,
	// braces, parentheses, blocks, strings, interpolations and template
	// directives, plus the operators, indexes and attribute steps of one
	// expression (each of which is one level of HCL's syntax tree).
	maxParseNesting = 1000
	// maxTemplateParts bounds the literal parts (lines, $${ and %%{
	// escapes) of one string template or heredoc, which HCL joins one by
	// one.
	maxTemplateParts = 20000
	// maxTemplateCost bounds, over a file, the sum of each template's
	// literal parts times (its bytes + 16 × its parts and interpolations):
	// what HCL's joining of literal parts copies (a 5,000-line heredoc of
	// 80-byte lines costs 2.4e9, parsed in about a second).
	maxTemplateCost = 8_000_000_000
	// maxInvalidUTF8 is how many invalid UTF-8 sequences make a file not
	// text (a few stray Latin-1 bytes in comments are tolerated; HCL
	// reports those in strings itself).
	maxInvalidUTF8 = 64
)

// preScan checks the bytes of a configuration, tfvars or template file
// before HCL parses them. name is the file's display name (relative to the
// scanned root); isJSON selects JSON syntax (.tf.json, .tfvars.json), in
// whose strings templates are measured too. It returns nil when the file
// may be parsed, else the one diagnostic that skips it.
func preScan(src []byte, name string, isJSON bool) *scanner.Diagnostic {
	return preScanMode(src, name, modeFor(isJSON))
}

// preScanTemplate checks a template file (templatefile).
func preScanTemplate(src []byte, name string) *scanner.Diagnostic {
	return preScanMode(src, name, scanTemplate)
}

type scanMode int

const (
	scanConfig scanMode = iota
	scanJSON
	scanTemplate
)

func modeFor(isJSON bool) scanMode {
	if isJSON {
		return scanJSON
	}
	return scanConfig
}

func preScanMode(src []byte, name string, mode scanMode) *scanner.Diagnostic {
	if line, ok := binaryAt(src); ok {
		return skipDiag(name, line, 0, "not a text file",
			"it holds NUL bytes or is not UTF-8 text; the file is not scanned")
	}
	s := &prescanner{src: src, line: 1, stack: make([]frame, 0, 8)}
	switch mode {
	case scanJSON:
		s.scanJSON()
	case scanTemplate:
		s.push(fTmplRoot)
		s.run(len(src))
	default:
		s.push(fTop)
		s.run(len(src))
	}
	for len(s.stack) > 0 && s.fail == nil { // what is left open ends here
		s.pop()
	}
	if s.fail == nil {
		return nil
	}
	f := s.fail
	return skipDiag(name, f.line, f.col, f.summary, f.detail)
}

func skipDiag(name string, line, col int, summary, detail string) *scanner.Diagnostic {
	return &scanner.Diagnostic{Severity: scanner.DiagError, Summary: summary, Detail: detail,
		File: name, Line: line, Column: col, Skipped: true}
}

// binaryAt reports whether src is not text: it holds a NUL byte, or more
// than maxInvalidUTF8 invalid UTF-8 sequences. line is where the first
// offending byte is.
func binaryAt(src []byte) (int, bool) {
	if i := bytes.IndexByte(src, 0); i >= 0 {
		return bytes.Count(src[:i], []byte("\n")) + 1, true
	}
	if utf8.Valid(src) {
		return 0, false
	}
	bad, first := 0, -1
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && n <= 1 {
			if first < 0 {
				first = i
			}
			if bad++; bad > maxInvalidUTF8 {
				return bytes.Count(src[:first], []byte("\n")) + 1, true
			}
		}
		i += max(n, 1)
	}
	return 0, false
}

// frameKind is what an open construct is.
type frameKind uint8

const (
	fTop       frameKind = iota // a configuration file's body: newline-separated
	fBrace                      // { } a block body or object: newline- or comma-separated
	fParen                      // ( )
	fBrack                      // [ ]
	fInterp                     // ${ }
	fCtrl                       // %{ }
	fQuote                      // "…" a quoted template
	fHeredoc                    // <<EOT … EOT
	fTmplRoot                   // a template file, or a JSON string's template: ends at its end
	fDirective                  // the body of %{ if } or %{ for }, up to its %{ end… }
	fJSON                       // a JSON array or object
)

func (k frameKind) template() bool {
	return k == fQuote || k == fHeredoc || k == fTmplRoot || k == fDirective
}

// frame is one open construct. ops counts the operators of its current
// element (reset at a separator), child is the deepest construct closed
// in that element: their sum plus one bounds the element's depth in HCL's
// syntax tree.
type frame struct {
	kind   frameKind
	ops    int
	child  int
	max    int    // deepest element so far
	marker []byte // heredoc end marker
	ctrl   []byte // a %{ }'s keyword
	// Template frames: start offset, literal parts and interpolations so
	// far.
	start, parts, interps int
}

func (f *frame) cur() int { return f.ops + f.child }

type prescanFail struct {
	line, col       int
	summary, detail string
}

type prescanner struct {
	src       []byte
	i         int
	line      int
	lineStart int
	stack     []frame
	depth     int // Σ over open frames of 1 + ops + child
	cost      int // Σ template parts × bytes
	fail      *prescanFail
	// afterTerm is set after an operand (a name, a number, a closing
	// bracket or string), where "[" is an index rather than a list.
	afterTerm bool
	// fixedLine, when set, is reported for every failure (a JSON string's
	// template, whose own lines are not the file's).
	fixedLine, fixedCol int
}

func (s *prescanner) failAt(summary, detail string) {
	if s.fail != nil {
		return
	}
	line, col := s.line, s.i-s.lineStart+1
	if s.fixedLine > 0 {
		line, col = s.fixedLine, s.fixedCol
	}
	s.fail = &prescanFail{line: line, col: col, summary: summary, detail: detail}
}

// checkDepth fails when the depth is over the limit: "nested too deeply"
// when open constructs make most of it, "expression too long" when
// operators do.
func (s *prescanner) checkDepth(op bool) {
	if s.depth <= maxParseNesting {
		return
	}
	if op || 2*len(s.stack) <= s.depth {
		s.failAt("expression too long", fmt.Sprintf("more than %d operators, indexes and nesting levels in one expression; the file is not scanned", maxParseNesting))
		return
	}
	s.failAt("nested too deeply", fmt.Sprintf("more than %d levels of brackets, blocks, strings or templates; the file is not scanned", maxParseNesting))
}

func (s *prescanner) push(k frameKind) *frame {
	s.stack = append(s.stack, frame{kind: k, start: s.i})
	s.depth++
	s.checkDepth(false)
	return &s.stack[len(s.stack)-1]
}

func (s *prescanner) top() *frame { return &s.stack[len(s.stack)-1] }

// pop closes the innermost frame and gives its depth to the enclosing one.
func (s *prescanner) pop() {
	f := s.top()
	d := max(f.max, f.cur()) + 1
	s.depth -= 1 + f.cur()
	if f.kind == fQuote || f.kind == fHeredoc || f.kind == fTmplRoot {
		s.templateDone(f)
	}
	s.stack = s.stack[:len(s.stack)-1]
	if len(s.stack) == 0 {
		return
	}
	p := s.top()
	if d > p.child {
		s.depth += d - p.child
		p.child = d
	}
	s.checkDepth(false)
}

// separate ends the current element of the innermost frame.
func (s *prescanner) separate() {
	f := s.top()
	f.max = max(f.max, f.cur())
	s.depth -= f.cur()
	f.ops, f.child = 0, 0
}

func (s *prescanner) op() {
	s.top().ops++
	s.depth++
	s.checkDepth(true)
}

func (s *prescanner) templateDone(f *frame) {
	parts := f.parts + 1
	if parts > maxTemplateParts {
		s.failAt("template too large", fmt.Sprintf("a string or heredoc of more than %d lines, which HCL parses in quadratic time; the file is not scanned", maxTemplateParts))
		return
	}
	s.cost += parts * (s.i - f.start + 16*(parts+f.interps))
	if s.cost > maxTemplateCost {
		s.failAt("template too large", "its strings and heredocs are too long for HCL, which parses each in quadratic time; the file is not scanned")
	}
}

func (s *prescanner) newline() {
	s.line++
	s.lineStart = s.i + 1
}

// run scans up to end, or until a limit is crossed.
func (s *prescanner) run(end int) {
	for s.i < end && s.fail == nil && len(s.stack) > 0 {
		if s.top().kind.template() {
			s.templateByte(end)
		} else {
			s.exprByte(end)
		}
	}
}

// templateOwner is the innermost string, heredoc or template root: the
// frame whose end ends the template text being read.
func (s *prescanner) templateOwner() int {
	for j := len(s.stack) - 1; j >= 0; j-- {
		if k := s.stack[j].kind; k == fQuote || k == fHeredoc || k == fTmplRoot {
			return j
		}
	}
	return -1
}

func (s *prescanner) closeTemplate(owner int) {
	for len(s.stack) > owner {
		s.pop()
	}
	s.afterTerm = true
}

func (s *prescanner) templateByte(end int) {
	src, c := s.src, s.src[s.i]
	owner := s.templateOwner()
	o := &s.stack[owner]
	switch {
	case o.kind == fQuote && c == '"':
		s.closeTemplate(owner)
		s.i++
	case o.kind == fQuote && c == '\\':
		s.i++ // an escape; HCL keeps it in the literal around it
		if s.i < end && src[s.i] != '\n' {
			s.i++
		}
	case c == '\n':
		if o.kind == fQuote { // a quoted string cannot span lines: HCL reports it
			s.closeTemplate(owner)
			s.newline()
			s.i++
			return
		}
		o.parts++
		s.newline()
		s.i++
		if o.kind == fHeredoc && s.heredocEnds(o.marker, end) {
			s.closeTemplate(owner)
		}
	case (c == '$' || c == '%') && s.i+2 < end && src[s.i+1] == c && src[s.i+2] == '{':
		o.parts++ // $${ and %%{ are escapes
		s.i += 3
	case (c == '$' || c == '%') && s.i+1 < end && src[s.i+1] == '{':
		o.interps += 2
		s.i += 2
		if c == '$' {
			s.push(fInterp)
			return
		}
		f := s.push(fCtrl)
		j := s.i
		for j < end && (src[j] == ' ' || src[j] == '\t' || src[j] == '~') {
			j++
		}
		k := j
		for k < end && isIdentByte(src[k]) {
			k++
		}
		f.ctrl = src[j:k]
	default:
		// A run of literal text.
		for s.i++; s.i < end && !templateSpecial[src[s.i]]; s.i++ {
		}
	}
}

// templateSpecial are the bytes that may end a run of template text.
var templateSpecial = [256]bool{'"': true, '\\': true, '\n': true, '$': true, '%': true}

// heredocEnds reports whether the line at s.i closes a heredoc, and if so
// moves past it.
func (s *prescanner) heredocEnds(marker []byte, end int) bool {
	j := s.i
	for j < end && (s.src[j] == ' ' || s.src[j] == '\t') {
		j++
	}
	if !bytes.HasPrefix(s.src[j:end], marker) {
		return false
	}
	k := j + len(marker)
	if k < end && s.src[k] == '\r' {
		k++
	}
	if k < end && s.src[k] != '\n' {
		return false
	}
	s.i = k
	return true
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '-' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
}

func (s *prescanner) exprByte(end int) {
	src, c := s.src, s.src[s.i]
	f := s.top()
	next := byte(0)
	if s.i+1 < end {
		next = src[s.i+1]
	}
	wasTerm := s.afterTerm
	s.afterTerm = false
	switch c {
	case ' ', '\t', '\r':
		s.afterTerm = wasTerm
		for s.i++; s.i < end && (src[s.i] == ' ' || src[s.i] == '\t'); s.i++ {
		}
	case '\n':
		if f.kind == fTop || f.kind == fBrace {
			s.separate()
		}
		s.newline()
		s.i++
	case '#':
		s.afterTerm = wasTerm
		s.skipLine(end)
	case '/':
		switch next {
		case '/':
			s.afterTerm = wasTerm
			s.skipLine(end)
		case '*':
			s.afterTerm = wasTerm
			s.skipBlockComment(end)
		default:
			s.op()
			s.i++
		}
	case '"':
		s.i++
		s.push(fQuote)
	case '<':
		if next == '<' && s.heredocStart(end) {
			return
		}
		s.op()
		s.i++
		if next == '=' {
			s.i++
		}
	case '{':
		s.i++
		s.push(fBrace)
	case '(':
		s.i++
		s.push(fParen)
	case '[':
		if wasTerm {
			s.op() // an index: one level of the syntax tree
		}
		s.i++
		s.push(fBrack)
	case '}', ')', ']':
		s.i++
		s.afterTerm = true
		if f.kind == fTop || f.kind == fTmplRoot {
			return // unbalanced: HCL reports it
		}
		kind, ctrl := f.kind, f.ctrl
		s.pop()
		if kind == fCtrl {
			s.directive(ctrl)
		}
	case ',':
		s.separate()
		s.i++
	case '&', '|', '=', '!', '>', '.':
		s.i++
		if next == c && c != '!' && c != '>' || next == '=' || c == '=' && next == '>' {
			s.i++
		} else if c == '=' {
			return // an assignment
		}
		s.op()
	case '+', '-', '*', '%', '?':
		s.op()
		s.i++
	default:
		s.i++
		if isIdentByte(c) && c != '-' {
			s.afterTerm = true
			// An identifier or number: HCL identifiers hold dashes.
			for s.i < end && isIdentByte(src[s.i]) && (c < '0' || c > '9' || src[s.i] != '-') {
				s.i++
			}
		}
	}
}

// directive opens or closes the body of a template if/for, after its %{ }.
func (s *prescanner) directive(ctrl []byte) {
	switch string(ctrl) {
	case "if", "for":
		s.push(fDirective)
	case "endif", "endfor":
		if s.top().kind == fDirective {
			s.pop()
		}
	}
}

func (s *prescanner) skipLine(end int) {
	if j := bytes.IndexByte(s.src[s.i:end], '\n'); j >= 0 {
		s.i += j
	} else {
		s.i = end
	}
}

func (s *prescanner) skipBlockComment(end int) {
	j := bytes.Index(s.src[s.i+2:end], []byte("*/"))
	stop := end
	if j >= 0 {
		stop = s.i + 2 + j + 2
	}
	for k := s.i; k < stop; k++ {
		if s.src[k] == '\n' {
			s.i = k
			s.newline()
		}
	}
	s.i = stop
}

// heredocStart reads "<<EOT" or "<<-EOT" up to the end of its line and
// opens the heredoc; false when the bytes are no heredoc opener.
func (s *prescanner) heredocStart(end int) bool {
	j := s.i + 2
	if j < end && s.src[j] == '-' {
		j++
	}
	k := j
	for k < end && isIdentByte(s.src[k]) {
		k++
	}
	if k == j {
		return false
	}
	m := k
	if m < end && s.src[m] == '\r' {
		m++
	}
	if m < end && s.src[m] != '\n' {
		return false
	}
	marker := s.src[j:k]
	s.i = m
	f := s.push(fHeredoc)
	f.marker = marker
	if s.i < end { // the newline ending the opener line
		s.newline()
		s.i++
		if s.heredocEnds(marker, end) {
			s.closeTemplate(len(s.stack) - 1)
		}
	}
	return true
}

// scanJSON measures a JSON file: its nesting, and the templates in its
// strings (which HCL parses when it evaluates them).
func (s *prescanner) scanJSON() {
	src := s.src
	s.push(fJSON)
	for s.i < len(src) && s.fail == nil {
		switch c := src[s.i]; c {
		case '\n':
			s.newline()
			s.i++
		case '[', '{':
			s.i++
			s.push(fJSON)
		case ']', '}':
			s.i++
			if len(s.stack) > 1 {
				s.pop()
			}
		case ',':
			s.separate()
			s.i++
		case '"':
			s.jsonString()
		default:
			s.i++
		}
	}
}

// jsonString reads a JSON string and, when it holds a template, measures
// the template as nested where the string is.
func (s *prescanner) jsonString() {
	src, start := s.src, s.i
	escaped := false
	j := s.i + 1
	for j < len(src) && src[j] != '"' && src[j] != '\n' {
		if src[j] == '\\' {
			escaped = true
			j++
		}
		j++
	}
	j = min(j, len(src))
	raw := src[start+1 : j]
	s.i = min(j+1, len(src))
	text := raw
	if escaped {
		var str string
		if json.Unmarshal(src[start:s.i], &str) != nil {
			return // not a valid string: the JSON parser reports it
		}
		text = []byte(str)
	}
	if !bytes.Contains(text, []byte("${")) && !bytes.Contains(text, []byte("%{")) {
		return // a plain string: HCL parses no template
	}
	sub := &prescanner{src: text, line: 1, stack: s.stack, depth: s.depth, cost: s.cost,
		fixedLine: s.line, fixedCol: start - s.lineStart + 1}
	sub.push(fTmplRoot)
	sub.run(len(text))
	for len(sub.stack) > len(s.stack) && sub.fail == nil {
		sub.pop()
	}
	s.cost, s.depth = sub.cost, sub.depth
	s.stack = sub.stack[:len(s.stack)]
	if sub.fail != nil {
		s.fail = sub.fail
	}
}
