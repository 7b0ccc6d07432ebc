package report

import (
	"strconv"

	"github.com/casascan/casascan/scanner"
)

// appendFindingJSON appends finding f as the JSON report writes it: the
// bytes of an encoding/json Encoder with HTML escaping off and
// SetIndent(prefix, "  ") encoding *f, without the newline Encode ends
// with. With prefix "    " they are an element of the report's findings
// array, as encodeJSONStream writes it after the element's "\n    ".
//
// The fields are scanner.Finding's and its parts' (Location, Suppression,
// Provenance, Origin, Grant) in the order of their struct tags, with the
// same omitempty; the tests compare with encoding/json on every field.
func appendFindingJSON(dst []byte, f *scanner.Finding, prefix string) []byte {
	e := jsonIndenter{prefix: prefix}
	dst = append(dst, '{')
	dst = e.str(dst, 1, false, `"check_id": `, f.CheckID)
	dst = e.str(dst, 1, true, `"status": `, string(f.Status))
	dst = e.str(dst, 1, true, `"severity": `, f.Severity.String()) // its MarshalText
	dst = e.str(dst, 1, true, `"message": `, f.Message)
	dst = e.str(dst, 1, true, `"resource": `, f.Resource)
	dst = e.str(dst, 1, true, `"resource_type": `, f.ResourceType)
	dst = e.str(dst, 1, true, `"source": `, string(f.Source))
	dst = e.strMember(dst, 1, `"root_module": `, f.RootModule)
	dst = e.strMember(dst, 1, `"attribute": `, f.Attribute)
	dst = e.key(dst, 1, true, `"location": `)
	dst = e.location(dst, 1, &f.Location)
	if f.DownloadedModule != nil {
		dst = e.key(dst, 1, true, `"downloaded_module": `)
		dst = e.location(dst, 1, f.DownloadedModule)
	}
	if len(f.Related) > 0 {
		dst = e.key(dst, 1, true, `"related": [`)
		for i := range f.Related {
			dst = e.line(dst, 2, i > 0)
			dst = e.location(dst, 2, &f.Related[i])
		}
		dst = e.line(dst, 1, false)
		dst = append(dst, ']')
	}
	dst = e.str(dst, 1, true, `"fingerprint": `, f.Fingerprint)
	if s := f.Suppression; s != nil {
		dst = e.key(dst, 1, true, `"suppression": {`)
		dst = e.str(dst, 2, false, `"kind": `, s.Kind)
		dst = e.strMember(dst, 2, `"justification": `, s.Justification)
		dst = e.strMember(dst, 2, `"expires": `, s.Expires)
		if s.Expired {
			dst = e.key(dst, 2, true, `"expired": true`)
		}
		dst = e.key(dst, 2, true, `"location": `)
		dst = e.location(dst, 2, &s.Location)
		dst = e.line(dst, 1, false)
		dst = append(dst, '}')
	}
	dst = e.strMember(dst, 1, `"reason": `, f.Reason)
	if p := f.Provenance; p != nil {
		dst = e.key(dst, 1, true, `"provenance": {`)
		dst = e.str(dst, 2, false, `"value": `, p.Value)
		switch {
		case p.Origins == nil:
			dst = e.key(dst, 2, true, `"origins": null`)
		case len(p.Origins) == 0:
			dst = e.key(dst, 2, true, `"origins": []`)
		default:
			dst = e.key(dst, 2, true, `"origins": [`)
			for i := range p.Origins {
				dst = e.line(dst, 3, i > 0)
				dst = e.origin(dst, 3, &p.Origins[i])
			}
			dst = e.line(dst, 2, false)
			dst = append(dst, ']')
		}
		dst = e.line(dst, 1, false)
		dst = append(dst, '}')
	}
	if g := f.Grant; g != nil {
		dst = e.key(dst, 1, true, `"grant": {`)
		dst = e.str(dst, 2, false, `"asset": `, g.Asset)
		dst = e.str(dst, 2, true, `"role": `, g.Role)
		dst = e.str(dst, 2, true, `"member": `, g.Member)
		dst = e.line(dst, 1, false)
		dst = append(dst, '}')
	}
	dst = e.line(dst, 0, false)
	return append(dst, '}')
}

// jsonIndenter writes the layout of encoding/json's indented output: each
// member and element on its own line, after the prefix and two spaces per
// level.
type jsonIndenter struct{ prefix string }

const jsonIndent = "                " // two spaces a level, deep enough for a finding

// line appends a newline (after a comma when comma is set) and the
// indentation of depth.
func (e jsonIndenter) line(dst []byte, depth int, comma bool) []byte {
	if comma {
		dst = append(dst, ',')
	}
	dst = append(dst, '\n')
	dst = append(dst, e.prefix...)
	return append(dst, jsonIndent[:2*depth]...)
}

// key starts a member at depth: its line, then key (with its ": ").
func (e jsonIndenter) key(dst []byte, depth int, comma bool, key string) []byte {
	return append(e.line(dst, depth, comma), key...)
}

// location appends a Location object whose opening brace is at depth.
func (e jsonIndenter) location(dst []byte, depth int, l *scanner.Location) []byte {
	dst = append(dst, '{')
	d := depth + 1
	dst = e.str(dst, d, false, `"file": `, l.File)
	dst = e.intMember(dst, d, `"start_line": `, l.StartLine)
	dst = e.intMember(dst, d, `"start_column": `, l.StartCol)
	dst = e.intMember(dst, d, `"end_line": `, l.EndLine)
	dst = e.intMember(dst, d, `"end_column": `, l.EndCol)
	dst = e.strMember(dst, d, `"address": `, l.Address)
	dst = e.strMember(dst, d, `"kind": `, l.Kind)
	dst = e.strMember(dst, d, `"message": `, l.Message)
	dst = e.line(dst, depth, false)
	return append(dst, '}')
}

// origin appends an Origin object whose opening brace is at depth.
func (e jsonIndenter) origin(dst []byte, depth int, o *scanner.Origin) []byte {
	dst = append(dst, '{')
	d := depth + 1
	dst = e.str(dst, d, false, `"kind": `, string(o.Kind))
	dst = e.strMember(dst, d, `"name": `, o.Name)
	dst = e.strMember(dst, d, `"module": `, o.Module)
	dst = e.strMember(dst, d, `"file": `, o.File)
	dst = e.intMember(dst, d, `"line": `, o.Line)
	if o.Outside {
		dst = e.key(dst, d, true, `"outside": true`)
	}
	dst = e.line(dst, depth, false)
	return append(dst, '}')
}

// str appends a string member at depth (after a comma when comma is set).
func (e jsonIndenter) str(dst []byte, depth int, comma bool, key, v string) []byte {
	return appendJSONString(e.key(dst, depth, comma, key), v)
}

// strMember appends a string member left out when empty (omitempty; never
// the first).
func (e jsonIndenter) strMember(dst []byte, depth int, key, v string) []byte {
	if v == "" {
		return dst
	}
	return e.str(dst, depth, true, key, v)
}

// intMember appends an omitempty int member (never the first).
func (e jsonIndenter) intMember(dst []byte, depth int, key string, v int) []byte {
	if v == 0 {
		return dst
	}
	dst = e.key(dst, depth, true, key)
	return strconv.AppendInt(dst, int64(v), 10)
}
