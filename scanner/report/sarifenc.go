package report

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/casascan/casascan/scanner"
)

// The SARIF writer spends most of a large run encoding results. Building a
// go-sarif value per finding (sarifResult) and encoding it by reflection
// costs a dozen allocations and most of the time; appendSARIFResult
// writes the same bytes straight from the finding.
//
// The bytes are exactly encoding/json's for the value the writer builds
// (compact, HTML not escaped), which the tests check field by field and
// by fuzzing: go-sarif's struct field order (an embedded PropertyBag comes
// where it is embedded, first in a Result), its omitempty (a nil pointer
// is left out, a pointer to "" or 0 is not), and map keys sorted.
//
// A string the writer builds by joining parts with ASCII between them
// ("resource: message") is escaped part by part: an ASCII byte is never
// part of a multi-byte sequence, so invalid UTF-8 at the end of one part
// cannot join the next into a valid rune, and the escaped parts are the
// escaped whole.

// appendSARIFResult appends the SARIF result of finding f, whose rule is
// the ruleIndex-th of the run's driver: the bytes encoding/json writes for
// sarifResult(f).WithRuleIndex(ruleIndex) encoded as encodeJSON(r, false)
// does, without the newline the encoder ends with. A ruleIndex of -1 (no
// rule for the check) is written as go-sarif's WithRuleIndex writes it,
// converted to uint, like every negative index.
func appendSARIFResult(dst []byte, f scanner.Finding, ruleIndex int) []byte {
	return appendSARIFResultOf(dst, &f, ruleIndex)
}

func appendSARIFResultOf(dst []byte, f *scanner.Finding, ruleIndex int) []byte {
	dst = append(dst, `{"properties":`...)
	dst = appendSARIFProperties(dst, f)
	dst = append(dst, `,"ruleId":`...)
	dst = appendJSONString(dst, f.CheckID)
	dst = append(dst, `,"ruleIndex":`...)
	dst = strconv.AppendUint(dst, uint64(uint(ruleIndex)), 10)
	if f.Status == scanner.StatusUnknown {
		dst = append(dst, `,"kind":"open","level":"none"`...)
	} else {
		dst = append(dst, `,"kind":"fail","level":"`...)
		dst = append(dst, sarifLevel(f.Severity)...)
		dst = append(dst, '"')
	}
	dst = append(dst, `,"message":{"text":`...)
	dst = appendSARIFMessage(dst, f)
	dst = append(dst, `},"locations":[{`...)
	// A live resource always has a place GitHub can show: its pseudo-path
	// (sarifResult).
	where, pre := f.Location, ""
	if where.File == "" && strings.HasPrefix(f.Resource, "//") {
		pre, where.File = "gcp/", f.Resource[2:]
	}
	if pre != "" || where.File != "" { // "gcp/" for the resource "//"
		dst = appendSARIFPhysical(dst, pre, &where)
		dst = append(dst, ',')
	}
	dst = appendSARIFLogical(dst, f.Resource, "resource")
	dst = append(dst, `}],"partialFingerprints":{"`+fingerprintKey+`":`...)
	dst = appendJSONString(dst, f.Fingerprint)
	dst = append(dst, '}')
	dst = appendSARIFRelated(dst, f)
	if f.Status == scanner.StatusIgnored && f.Suppression != nil {
		dst = appendSARIFSuppression(dst, f)
	}
	return append(dst, '}')
}

// appendSARIFMessage appends the result's message text: sarifMessage.
func appendSARIFMessage(dst []byte, f *scanner.Finding) []byte {
	if s := f.Suppression; s != nil && s.Expired {
		return appendJSONString(dst, sarifMessage(*f)) // rare: the note is built
	}
	msg := f.Message
	if msg == "" {
		msg = f.CheckID
	}
	if f.Resource != "" && !strings.Contains(msg, f.Resource) {
		dst = append(dst, '"')
		dst = appendEscaped(dst, f.Resource)
		dst = append(dst, ": "...)
		dst = appendEscaped(dst, msg)
		return append(dst, '"')
	}
	return appendJSONString(dst, msg)
}

// appendSARIFProperties appends the result's property bag, its keys in
// the order encoding/json sorts a map's: bytewise.
func appendSARIFProperties(dst []byte, f *scanner.Finding) []byte {
	dst = append(dst, '{')
	n := 0
	if f.Attribute != "" {
		dst = appendSARIFKey(dst, &n, `"attribute":`)
		dst = appendJSONString(dst, f.Attribute)
	}
	if m := f.DownloadedModule; m != nil {
		dst = appendSARIFKey(dst, &n, `"downloadedModule":`)
		dst = append(dst, '"')
		dst = appendLocationString(dst, m)
		dst = append(dst, '"')
	}
	if s := f.Suppression; s != nil && s.Expired {
		dst = appendSARIFKey(dst, &n, `"ignoreExpired":true`)
	}
	if g := f.Grant; g != nil {
		dst = appendSARIFKey(dst, &n, `"member":`)
		dst = appendJSONString(dst, g.Member)
	}
	if p := f.Provenance; p != nil {
		dst = appendSARIFKey(dst, &n, `"provenance":`)
		dst = appendSARIFProvenance(dst, p)
	}
	dst = appendSARIFKey(dst, &n, `"resourceType":`)
	dst = appendJSONString(dst, f.ResourceType)
	if g := f.Grant; g != nil {
		dst = append(dst, `,"role":`...)
		dst = appendJSONString(dst, g.Role)
	}
	if f.RootModule != "" {
		dst = append(dst, `,"rootModule":`...)
		dst = appendJSONString(dst, f.RootModule)
	}
	dst = append(dst, `,"source":`...)
	dst = appendJSONString(dst, string(f.Source))
	return append(dst, '}')
}

func appendSARIFKey(dst []byte, n *int, key string) []byte {
	if *n > 0 {
		dst = append(dst, ',')
	}
	*n++
	return append(dst, key...)
}

// appendLocationString appends l.String() escaped, without quotes.
func appendLocationString(dst []byte, l *scanner.Location) []byte {
	dst = appendEscaped(dst, l.File)
	if l.StartLine > 0 {
		dst = append(dst, ':')
		dst = strconv.AppendInt(dst, int64(l.StartLine), 10)
	}
	return dst
}

// appendSARIFProvenance appends sarifProvenance(p): origins then value,
// each origin's fields in the order of their names.
func appendSARIFProvenance(dst []byte, p *scanner.Provenance) []byte {
	dst = append(dst, `{"origins":[`...)
	for i := range p.Origins {
		o := &p.Origins[i]
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '{')
		if o.File != "" {
			dst = append(dst, `"file":`...)
			dst = appendJSONString(dst, o.File)
			dst = append(dst, ',')
		}
		dst = append(dst, `"kind":`...)
		dst = appendJSONString(dst, string(o.Kind))
		if o.Line != 0 {
			dst = append(dst, `,"line":`...)
			dst = strconv.AppendInt(dst, int64(o.Line), 10)
		}
		if o.Module != "" {
			dst = append(dst, `,"module":`...)
			dst = appendJSONString(dst, o.Module)
		}
		if o.Name != "" {
			dst = append(dst, `,"name":`...)
			dst = appendJSONString(dst, o.Name)
		}
		dst = append(dst, '}')
	}
	dst = append(dst, `],"value":`...)
	dst = appendJSONString(dst, p.Value)
	return append(dst, '}')
}

// appendSARIFPhysical appends the physicalLocation member sarifLocation
// gives a location whose file (pre+l.File) is not empty.
func appendSARIFPhysical(dst []byte, pre string, l *scanner.Location) []byte {
	dst = append(dst, `"physicalLocation":{"artifactLocation":{"uri":`...)
	if plainURI(pre, l.File) {
		dst = append(dst, '"')
		dst = append(dst, pre...)
		dst = append(dst, l.File...)
		dst = append(dst, '"')
	} else {
		dst = appendJSONString(dst, artifactURI(pre+l.File))
	}
	dst = append(dst, `,"uriBaseId":"`+srcRoot+`"},"region":{"startLine":`...)
	dst = strconv.AppendInt(dst, int64(max(l.StartLine, 1)), 10)
	if l.StartLine > 0 {
		if l.StartCol > 0 {
			dst = append(dst, `,"startColumn":`...)
			dst = strconv.AppendInt(dst, int64(l.StartCol), 10)
		}
		if l.EndLine >= l.StartLine {
			dst = append(dst, `,"endLine":`...)
			dst = strconv.AppendInt(dst, int64(l.EndLine), 10)
			if l.EndCol > 0 {
				dst = append(dst, `,"endColumn":`...)
				dst = strconv.AppendInt(dst, int64(l.EndCol), 10)
			}
		}
	}
	return append(dst, "}}"...)
}

// plainURI reports whether artifactURI(pre+file) is pre+file itself, and
// needs no JSON escaping: segments of letters, digits and the characters
// url.PathEscape leaves alone (but ':', which the first segment escapes),
// none empty, "." or "..". A path that is not plain takes artifactURI.
func plainURI(pre, file string) bool {
	n := len(pre) + len(file)
	if n == 0 {
		return false
	}
	at := func(i int) byte {
		if i < len(pre) {
			return pre[i]
		}
		return file[i-len(pre)]
	}
	seg, dots := 0, 0 // length of the current segment, and how many of it are dots
	for i := 0; i < n; i++ {
		c := at(i)
		switch {
		case c == '/':
			if seg == 0 || seg == dots && seg <= 2 {
				return false
			}
			seg, dots = 0, 0
			continue
		case c == '.':
			dots++
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case c == '-', c == '_', c == '~', c == '@', c == '=', c == '+', c == '$', c == '&':
		default:
			return false
		}
		seg++
	}
	return seg > 0 && !(seg == dots && seg <= 2)
}

// appendSARIFLogical appends a logicalLocations member of one logical
// location.
func appendSARIFLogical(dst []byte, name, kind string) []byte {
	dst = append(dst, `"logicalLocations":[{"fullyQualifiedName":`...)
	dst = appendJSONString(dst, name)
	dst = append(dst, `,"kind":`...)
	dst = appendJSONString(dst, kind)
	return append(dst, "}]"...)
}

// appendSARIFRelated appends the relatedLocations member, if there is one:
// the finding's related locations, then the places of its provenance
// (originLocations), numbered from 1.
func appendSARIFRelated(dst []byte, f *scanner.Finding) []byte {
	id := 0
	open := func() {
		if id == 0 {
			dst = append(dst, `,"relatedLocations":[`...)
		} else {
			dst = append(dst, ',')
		}
		id++
		dst = append(dst, `{"id":`...)
		dst = strconv.AppendUint(dst, uint64(uint(id)), 10)
	}
	for i := range f.Related {
		rel := &f.Related[i]
		open()
		if rel.File != "" {
			dst = append(dst, ',')
			dst = appendSARIFPhysical(dst, "", rel)
		}
		if rel.Address != "" {
			kind := rel.Kind
			if kind == "" {
				kind = "resource"
			}
			dst = append(dst, ',')
			dst = appendSARIFLogical(dst, rel.Address, kind)
		}
		msg := rel.Message
		if msg == "" {
			msg = rel.Address
		}
		if msg != "" {
			dst = append(dst, `,"message":{"text":`...)
			dst = appendJSONString(dst, msg)
			dst = append(dst, '}')
		}
		dst = append(dst, '}')
	}
	if f.Provenance != nil {
		for _, o := range f.Provenance.Origins {
			l, ok := originLocation(f, o)
			if !ok {
				continue
			}
			open()
			dst = append(dst, ',')
			dst = appendSARIFPhysical(dst, "", &l) // an origin location has a file
			if l.Address != "" {
				dst = append(dst, ',')
				dst = appendSARIFLogical(dst, l.Address, l.Kind)
			}
			dst = append(dst, `,"message":{"text":`...)
			dst = appendJSONString(dst, l.Message)
			dst = append(dst, "}}"...)
		}
	}
	if id > 0 {
		dst = append(dst, ']')
	}
	return dst
}

// originLocation is the location originLocations makes of one origin of
// f's provenance, and false when it leaves the origin out: the same rule,
// one origin at a time, so that nothing is collected.
func originLocation(f *scanner.Finding, o scanner.Origin) (scanner.Location, bool) {
	if o.File == "" || o.Line <= 0 || outsideTree(o.File) {
		return scanner.Location{}, false
	}
	if o.Kind == scanner.OriginLiteral && onlyHere(f.Location, []scanner.Origin{o}) {
		return scanner.Location{}, false
	}
	if slices.ContainsFunc(f.Related, func(r scanner.Location) bool { return r.File == o.File && r.StartLine == o.Line }) {
		return scanner.Location{}, false // already a related location (the referenced resource)
	}
	l := scanner.Location{File: o.File, StartLine: o.Line, Message: o.Related()}
	if o.Kind == scanner.OriginComputed || o.Kind == scanner.OriginDataSource {
		l.Address, l.Kind = o.Name, "resource"
	}
	if o.Kind == scanner.OriginOneOf {
		l.Kind = "resource"
		if block, ok := strings.CutSuffix(o.Name, "[*]"); ok {
			l.Address = block
		}
	}
	return l, true
}

// appendSARIFSuppression appends the suppressions member of an IGNORED
// finding: sarifSuppression, whose fields are all set (never null).
func appendSARIFSuppression(dst []byte, f *scanner.Finding) []byte {
	s := f.Suppression
	dst = append(dst, `,"suppressions":[{"kind":"`...)
	switch s.Kind {
	case scanner.SuppressionExternal, scanner.SuppressionConfig:
		dst = append(dst, scanner.SuppressionExternal...)
	default:
		dst = append(dst, scanner.SuppressionInSource...)
	}
	dst = append(dst, `","status":"accepted","location":{`...)
	where := &s.Location
	if where.File == "" {
		where = &f.Location
	}
	if where.File != "" {
		dst = appendSARIFPhysical(dst, "", where)
	}
	dst = append(dst, `},"guid":"`...)
	dst = appendStableGUID(dst, "suppression", f.Fingerprint)
	dst = append(dst, `","justification":"`...)
	just := s.Justification
	if s.Kind == scanner.SuppressionConfig {
		if just == "" {
			just = "no reason given"
		}
		dst = append(dst, "configuration ignore at "...)
		dst = appendLocationString(dst, &s.Location)
		dst = append(dst, ": "...)
	} else if just == "" {
		just = "ignored by an inline comment that gives no reason"
	}
	dst = appendEscaped(dst, just)
	return append(dst, `"}]`...)
}

// appendStableGUID appends stableGUID(a, b) without allocating for the
// usual lengths.
func appendStableGUID(dst []byte, a, b string) []byte {
	var buf [128]byte
	h := sha256.Sum256(append(append(append(buf[:0], a...), 0), b...))
	h[6] = (h[6] & 0x0f) | 0x50
	h[8] = (h[8] & 0x3f) | 0x80
	var x [32]byte
	hex.Encode(x[:], h[:16])
	dst = append(dst, x[0:8]...)
	dst = append(dst, '-')
	dst = append(dst, x[8:12]...)
	dst = append(dst, '-')
	dst = append(dst, x[12:16]...)
	dst = append(dst, '-')
	dst = append(dst, x[16:20]...)
	dst = append(dst, '-')
	return append(dst, x[20:32]...)
}

// appendJSONString appends s as encoding/json writes a string with HTML
// escaping off.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	dst = appendEscaped(dst, s)
	return append(dst, '"')
}

const jsonHex = "0123456789abcdef"

// plainWord reports whether none of the eight bytes of w is below 0x20,
// a quote, a backslash or outside ASCII: bytes appendEscaped copies as
// they are. For a word v, (v - 0x0101...) &^ v has the high bit of a byte
// set when that byte of v is zero (or follows a byte that is): so a word
// with none of those bytes gives 0, and one with one of them does not.
func plainWord(w uint64) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	quote, backslash := w^('"'*ones), w^('\\'*ones)
	control := (w - 0x20*ones) &^ w // a byte below 0x20 (one from 0x80 is refused by w's own high bit)
	return (control|((quote-ones)&^quote)|((backslash-ones)&^backslash)|w)&highs == 0
}

// load64 reads the eight bytes of b at i as a little-endian word (one
// load where the machine has it).
func load64(b []byte, i int) uint64 { return binary.LittleEndian.Uint64(b[i : i+8]) }

// appendEscaped appends the inside of s's JSON string, escaped exactly as
// encoding/json does with HTML escaping off: quote and backslash; \b, \f,
// \n, \r and \t; other bytes below 0x20 as \u00XX; each byte of invalid
// UTF-8 as \ufffd; U+2028 and U+2029 as \u2028 and \u2029.
func appendEscaped(dst []byte, s string) []byte {
	start := 0
	sb := unsafe.Slice(unsafe.StringData(s), len(s)) // read only
	for i := 0; i < len(s); {
		// Eight bytes at a time while none of them needs a look; the last
		// few in the last eight, read again.
		for i+8 <= len(s) && plainWord(load64(sb, i)) {
			i += 8
		}
		if i >= len(s) || i >= len(s)-8 && len(s) >= 8 && plainWord(load64(sb, len(s)-8)) {
			break
		}
		b := s[i]
		if b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', jsonHex[b>>4], jsonHex[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i++
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', jsonHex[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(dst, s[start:]...)
}
