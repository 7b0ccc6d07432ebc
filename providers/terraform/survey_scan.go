package terraform

import (
	"bytes"
	"unicode/utf8"
)

// The survey of a tree (tree.survey) needs of a directory only the local
// modules it calls and how many blocks it has. scanFile reads them from a
// .tf file's bytes without HCL's parser, and only when it is certain the
// full parse would find the same: anything out of the ordinary (a .tf.json
// file, a module source that is not one plain string, a single-line block
// with content, a closing brace that shares its line with an argument,
// unbalanced brackets, a heredoc inside brackets, a template directive, a
// byte outside the few an ordinary file holds...) makes it give up, and the
// survey then parses the directory as before.

// maxScanSize is the largest file scanFile reads; a larger one is parsed.
const maxScanSize = 4 << 20

// maxScanDepth bounds the blocks nested in a block, and the brackets and
// strings nested in one expression.
const maxScanDepth = 64

// scannedCall is a top-level module block: its name and literal source
// ("" when it has none).
type scannedCall struct {
	name, source string
}

// scanCalls returns the literal sources of a .tf file's top-level module
// blocks and the number of its top-level blocks that the full parse counts
// (resource and data blocks, and module calls), and ok=false whenever it is
// not certain to agree with the full parse.
func scanCalls(src []byte) (calls []string, blocks int, ok bool) {
	cs, blocks, ok := scanFile(src)
	if !ok {
		return nil, 0, false
	}
	for _, c := range cs {
		calls = append(calls, c.source)
	}
	return calls, blocks, true
}

// blockLabels is how many labels each block type the configuration schema
// knows takes (fileSchema): a known block with another number is a
// diagnostic, and the scan gives up on it.
var blockLabels = map[string]int{
	"terraform": 0, "provider": 1, "variable": 1, "locals": 0, "output": 1, "module": 1,
	"resource": 2, "data": 2, "ephemeral": 2, "moved": 0, "import": 0, "removed": 0, "check": 1,
}

type scanState struct {
	src []byte
	i   int
	// lineStart is set while only spaces and tabs follow the last newline.
	lineStart bool
}

// scanFile is scanCalls with the modules' names.
func scanFile(src []byte) (calls []scannedCall, blocks int, ok bool) {
	if len(src) > maxScanSize || !utf8.Valid(src) || bytes.IndexByte(src, 0) >= 0 || bytes.IndexByte(src, '\r') >= 0 {
		return nil, 0, false
	}
	s := &scanState{src: src, lineStart: true}
	for {
		if !s.skipTopSpace() {
			return nil, 0, false
		}
		if s.i >= len(src) {
			return calls, blocks, true
		}
		typ, ok := s.ident()
		if !ok {
			return nil, 0, false
		}
		var labels [3]string
		n, ok := s.header(labels[:])
		if !ok {
			return nil, 0, false
		}
		want, known := blockLabels[typ]
		if known && n != want {
			return nil, 0, false
		}
		isModule := typ == "module"
		source, ok := s.blockBody(isModule, 0)
		if !ok {
			return nil, 0, false
		}
		// After the closing brace: the end of the line.
		s.skipBlanks()
		if s.i < len(src) && !s.lineComment() && !s.newline() {
			return nil, 0, false
		}
		switch typ {
		case "resource", "data":
			blocks++
		case "module":
			for _, c := range calls {
				if c.name == labels[0] {
					return nil, 0, false // the full parse drops the second
				}
			}
			blocks++
			calls = append(calls, scannedCall{name: labels[0], source: source})
		}
	}
}

// skipTopSpace skips spaces, newlines and comments between top-level blocks.
func (s *scanState) skipTopSpace() bool {
	for s.i < len(s.src) {
		switch c := s.src[s.i]; {
		case c == ' ' || c == '\t':
			s.i++
		case c == '\n':
			s.i++
			s.lineStart = true
		case s.lineComment():
		case c == '/' && s.at(1) == '*':
			if !s.blockComment() {
				return false
			}
		default:
			return true
		}
	}
	return true
}

func (s *scanState) at(k int) byte {
	if s.i+k < len(s.src) {
		return s.src[s.i+k]
	}
	return 0
}

func (s *scanState) skipBlanks() {
	for s.i < len(s.src) && (s.src[s.i] == ' ' || s.src[s.i] == '\t') {
		s.i++
	}
}

// newline consumes a newline.
func (s *scanState) newline() bool {
	if s.i < len(s.src) && s.src[s.i] == '\n' {
		s.i++
		s.lineStart = true
		return true
	}
	return false
}

// lineComment consumes a # or // comment and the newline that ends it.
func (s *scanState) lineComment() bool {
	c := s.at(0)
	if c != '#' && !(c == '/' && s.at(1) == '/') {
		return false
	}
	j := bytes.IndexByte(s.src[s.i:], '\n')
	if j < 0 {
		s.i = len(s.src)
	} else {
		s.i += j + 1
	}
	s.lineStart = true
	return true
}

// blockComment consumes a /* */ comment; false when it does not end.
func (s *scanState) blockComment() bool {
	j := bytes.Index(s.src[s.i+2:], []byte("*/"))
	if j < 0 {
		return false
	}
	s.i += 2 + j + 2
	s.lineStart = false
	return true
}

func scanIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

func scanIdentByte(c byte) bool {
	return scanIdentStart(c) || c >= '0' && c <= '9' || c == '-'
}

// ident reads an ASCII identifier.
func (s *scanState) ident() (string, bool) {
	if s.i >= len(s.src) || !scanIdentStart(s.src[s.i]) {
		return "", false
	}
	j := s.i + 1
	for j < len(s.src) && scanIdentByte(s.src[j]) {
		j++
	}
	if j < len(s.src) && s.src[j] >= utf8.RuneSelf {
		return "", false // a Unicode identifier: not this scanner's business
	}
	id := string(s.src[s.i:j])
	s.i = j
	s.lineStart = false
	return id, true
}

// header reads a block's labels, up to and including its opening brace,
// on one line; each label is an identifier or a plain quoted string. The
// first len(labels) labels are stored; it returns how many there were.
func (s *scanState) header(labels []string) (int, bool) {
	n := 0
	for {
		s.skipBlanks()
		if s.i >= len(s.src) {
			return 0, false
		}
		var l string
		switch c := s.src[s.i]; {
		case c == '{':
			s.i++
			return n, true
		case c == '"':
			j := s.i + 1
			for j < len(s.src) && s.src[j] != '"' {
				switch s.src[j] {
				case '\\', '$', '%', '\n':
					return 0, false
				}
				j++
			}
			if j >= len(s.src) {
				return 0, false
			}
			l = string(s.src[s.i+1 : j])
			s.i = j + 1
		case scanIdentStart(c):
			var ok bool
			if l, ok = s.ident(); !ok {
				return 0, false
			}
		default:
			return 0, false
		}
		if n < len(labels) {
			labels[n] = l
		}
		n++
	}
}

// blockBody reads a block's body after its opening brace, up to and
// including its closing brace: empty on the brace's line, or starting on
// the next line with the closing brace first on its own line. Of a module
// block (isModule), it returns the literal source.
func (s *scanState) blockBody(isModule bool, depth int) (source string, ok bool) {
	if depth > maxScanDepth {
		return "", false
	}
	s.skipBlanks()
	if s.at(0) == '}' {
		s.i++
		return "", true
	}
	if !s.lineComment() && !s.newline() {
		return "", false // a single-line block with content
	}
	hasSource := false
	for {
		// Blank lines and comments between items.
		for s.i < len(s.src) {
			c := s.src[s.i]
			if c == ' ' || c == '\t' {
				s.i++
			} else if c == '\n' {
				s.newline()
			} else if s.lineComment() {
			} else if c == '/' && s.at(1) == '*' {
				if !s.blockComment() {
					return "", false
				}
			} else {
				break
			}
		}
		if s.i >= len(s.src) {
			return "", false
		}
		if s.src[s.i] == '}' {
			if !s.lineStart {
				return "", false
			}
			s.i++
			s.lineStart = false
			return source, true
		}
		name, ok := s.ident()
		if !ok {
			return "", false
		}
		s.skipBlanks()
		if s.at(0) == '=' {
			if c := s.at(1); c == '=' || c == '>' {
				return "", false
			}
			s.i++
			if isModule && name == "source" {
				if hasSource {
					return "", false
				}
				hasSource = true
				if source, ok = s.sourceValue(); !ok {
					return "", false
				}
				continue
			}
			if !s.expr() {
				return "", false
			}
			continue
		}
		// A nested block.
		if _, ok := s.header(nil); !ok {
			return "", false
		}
		if _, ok := s.blockBody(false, depth+1); !ok {
			return "", false
		}
		s.skipBlanks()
		if !s.lineComment() && !s.newline() {
			return "", false
		}
	}
}

// sourceValue reads a module source: one plain string literal and the end
// of its line.
func (s *scanState) sourceValue() (string, bool) {
	s.skipBlanks()
	if s.at(0) != '"' {
		return "", false
	}
	j := s.i + 1
	for j < len(s.src) && s.src[j] != '"' {
		switch s.src[j] {
		case '\\', '$', '%', '\n':
			return "", false
		}
		j++
	}
	if j >= len(s.src) {
		return "", false
	}
	v := string(s.src[s.i+1 : j])
	s.i = j + 1
	s.skipBlanks()
	if !s.lineComment() && !s.newline() {
		return "", false
	}
	return v, true
}

// expr skips an argument's expression and the newline that ends it:
// brackets balanced, strings and heredocs whole, and nothing but the
// bytes an ordinary expression holds.
func (s *scanState) expr() bool {
	var b brackets
	seen := false // an empty expression is a syntax error
	for s.i < len(s.src) {
		c := s.src[s.i]
		if c != ' ' && c != '\t' && c != '\n' && c != '#' && !(c == '/' && (s.at(1) == '/' || s.at(1) == '*')) {
			seen = true
		}
		switch {
		case c == '\n':
			if b.depth == 0 {
				return seen && s.newline()
			}
			s.i++
		case c == '#' || c == '/' && s.at(1) == '/':
			if b.depth == 0 && !seen {
				return false
			}
			s.lineComment()
			if b.depth == 0 {
				return true
			}
		case c == '/' && s.at(1) == '*':
			if !s.blockComment() {
				return false
			}
		case c == '"':
			if !s.quoted(0) {
				return false
			}
		case c == '<' && s.at(1) == '<':
			// A heredoc ends its line: only as the last thing of the
			// expression.
			if b.depth != 0 || !s.heredoc() {
				return false
			}
			return seen && s.newline()
		case c == '(' || c == '[' || c == '{':
			if !b.open(c) {
				return false
			}
			s.i++
		case c == ')' || c == ']' || c == '}':
			if !b.close(c) {
				return false
			}
			s.i++
		case c == ',' && b.depth == 0:
			return false
		case plainExprByte(c):
			s.i++
		default:
			return false
		}
	}
	return false // the file ends inside a block
}

// brackets is the stack of an expression's open brackets, bounded by
// maxScanDepth.
type brackets struct {
	stack [maxScanDepth]byte
	depth int
}

// open opens c; false past the bound.
func (b *brackets) open(c byte) bool {
	if b.depth == len(b.stack) {
		return false
	}
	b.stack[b.depth] = c
	b.depth++
	return true
}

// close closes the bracket c closes; false when it is not the last open.
func (b *brackets) close(c byte) bool {
	if b.depth == 0 || b.stack[b.depth-1] != opener(c) {
		return false
	}
	b.depth--
	return true
}

func opener(c byte) byte {
	switch c {
	case ')':
		return '('
	case ']':
		return '['
	}
	return '{'
}

// plainExprByte tells the bytes an expression may hold outside strings and
// comments, besides brackets.
func plainExprByte(c byte) bool {
	if scanIdentByte(c) {
		return true
	}
	switch c {
	case ' ', '\t', '.', ',', ':', '?', '!', '=', '<', '>', '+', '*', '/', '%', '&', '|':
		return true
	}
	return false
}

// quoted skips a quoted string at s.i, on one line; nest counts the
// strings and interpolations it is inside of.
func (s *scanState) quoted(nest int) bool {
	if nest > maxScanDepth {
		return false
	}
	s.i++ // the opening quote
	for s.i < len(s.src) {
		switch c := s.src[s.i]; c {
		case '"':
			s.i++
			return true
		case '\n':
			return false
		case '\\':
			if s.at(1) == '\n' || s.i+1 >= len(s.src) {
				return false
			}
			s.i += 2
		case '$', '%':
			if !s.templateByte(c, nest) {
				return false
			}
		default:
			s.i++
		}
	}
	return false
}

// templateByte handles a $ or % in a template: an escape ($${, %%{), an
// interpolation (skipped, on its line), a directive (given up on) or a
// plain byte.
func (s *scanState) templateByte(c byte, nest int) bool {
	switch {
	case s.at(1) == '{':
		if c == '%' {
			return false // a template directive
		}
		return s.interp(nest + 1)
	case s.at(1) == c && s.at(2) == '{':
		s.i += 3
	default:
		s.i++
	}
	return true
}

// interp skips an interpolation ${ ... } at s.i, on one line.
func (s *scanState) interp(nest int) bool {
	if nest > maxScanDepth {
		return false
	}
	s.i += 2
	if s.at(0) == '~' {
		s.i++
	}
	var b brackets
	for s.i < len(s.src) {
		c := s.src[s.i]
		switch {
		case c == '\n':
			return false
		case c == '~':
			if b.depth != 0 || s.at(1) != '}' {
				return false
			}
			s.i++
		case c == '#' || c == '/' && (s.at(1) == '/' || s.at(1) == '*'):
			return false
		case c == '"':
			if !s.quoted(nest + 1) {
				return false
			}
		case c == '(' || c == '[' || c == '{':
			if !b.open(c) {
				return false
			}
			s.i++
		case c == ')' || c == ']' || c == '}':
			if b.depth == 0 {
				if c != '}' {
					return false
				}
				s.i++
				return true
			}
			if !b.close(c) {
				return false
			}
			s.i++
		case c == '<' && s.at(1) == '<':
			return false
		case plainExprByte(c):
			s.i++
		default:
			return false
		}
	}
	return false
}

// heredoc skips a heredoc at s.i (<<EOF or <<-EOF) up to its closing
// marker: a line that is the marker, spaces around it trimmed, as HCL's
// scanner finds it. Interpolations stay on their line.
func (s *scanState) heredoc() bool {
	j := s.i + 2
	if j < len(s.src) && s.src[j] == '-' {
		j++
	}
	k := j
	if k >= len(s.src) || !scanIdentStart(s.src[k]) {
		return false
	}
	for k < len(s.src) && scanIdentByte(s.src[k]) {
		k++
	}
	if k >= len(s.src) || s.src[k] != '\n' {
		return false
	}
	marker := s.src[j:k]
	s.i = k + 1
	for s.i < len(s.src) {
		end := bytes.IndexByte(s.src[s.i:], '\n')
		if end < 0 {
			return false // the marker must end with a newline
		}
		line := s.src[s.i : s.i+end]
		if bytes.Equal(bytes.TrimSpace(line), marker) {
			s.i += end // the newline ends the argument
			return true
		}
		lineEnd := s.i + end
		for s.i < lineEnd {
			switch c := s.src[s.i]; c {
			case '$', '%':
				if !s.templateByte(c, 0) {
					return false
				}
				if s.i > lineEnd {
					return false
				}
			default:
				s.i++
			}
		}
		s.i = lineEnd + 1
	}
	return false
}
