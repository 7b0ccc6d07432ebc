package report

import (
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/casascan/casascan/scanner"
)

// provenanceNote says why a finding's value is what it is, on one line:
// `"SOFTWARE" from var.protection, set in envs/prod/terraform.tfvars:3`.
// The value is the finding's Value, which scanner redacts for a secret;
// the origins name places, never values. It is empty when there is nothing
// to add to the finding's own place: no provenance, or only the literal
// written where the finding points.
func provenanceNote(f scanner.Finding) string {
	from := provenanceFrom(f)
	if from == "" {
		return ""
	}
	if f.Value == "" {
		return from
	}
	return shownValue(f.Value) + " " + from
}

// provenanceFrom is provenanceNote without the value: "from var.protection,
// set in envs/prod/terraform.tfvars:3", for the formats that show it beside
// the message.
func provenanceFrom(f scanner.Finding) string {
	if len(f.Provenance) == 0 || onlyHere(f) {
		return ""
	}
	return "from " + scanner.ProvenanceText(f.Provenance)
}

// onlyHere reports whether the value is a literal written on the finding's
// own line: the location already says where it came from.
func onlyHere(f scanner.Finding) bool {
	for _, o := range f.Provenance {
		if o.Kind != scanner.OriginLiteral || o.File != f.Location.File ||
			o.Line < f.Location.StartLine || o.Line > max(f.Location.EndLine, f.Location.StartLine) {
			return false
		}
	}
	return true
}

// shownValue quotes a value for a report; the placeholders Display writes
// for what it does not show ("(redacted)", "(known after apply)") stay as
// they are.
func shownValue(v string) string {
	if strings.HasPrefix(v, "(") && strings.HasSuffix(v, ")") {
		return v
	}
	return strconv.Quote(v)
}

// sarifProvenance is the provenance as SARIF property data: maps, so the
// keys are written in the same order whether a run is written whole or
// merged from shards (which reads properties back as maps).
func sarifProvenance(os []scanner.Origin) []map[string]any {
	out := make([]map[string]any, len(os))
	for i, o := range os {
		m := map[string]any{"kind": string(o.Kind)}
		if o.Name != "" {
			m["name"] = o.Name
		}
		if o.Module != "" {
			m["module"] = o.Module
		}
		if o.File != "" {
			m["file"] = o.File
		}
		if o.Line > 0 {
			m["line"] = o.Line
		}
		out[i] = m
	}
	return out
}

// originLocations are the places of a finding's provenance that a report
// can point at (a file of the scanned tree and a line): the tfvars line,
// the variable's default, the module argument, the referenced resource.
// A literal on the finding's own line and a file outside the tree are left
// out (they stay in the provenance data).
func originLocations(f scanner.Finding) []scanner.Location {
	var out []scanner.Location
	for _, o := range f.Provenance {
		if o.File == "" || o.Line <= 0 || outsideTree(o.File) {
			continue
		}
		if o.Kind == scanner.OriginLiteral && onlyHere(scanner.Finding{Location: f.Location, Provenance: []scanner.Origin{o}}) {
			continue
		}
		if slices.ContainsFunc(f.Related, func(r scanner.Location) bool { return r.File == o.File && r.StartLine == o.Line }) {
			continue // already a related location (the referenced resource)
		}
		l := scanner.Location{File: o.File, StartLine: o.Line, Message: o.Related()}
		if o.Kind == scanner.OriginComputed || o.Kind == scanner.OriginDataSource {
			l.Address, l.Kind = o.Name, "resource"
		}
		out = append(out, l)
	}
	return out
}

func outsideTree(file string) bool {
	f := strings.ReplaceAll(file, "\\", "/")
	return path.IsAbs(f) || f == ".." || strings.HasPrefix(f, "../") || (len(f) > 1 && f[1] == ':')
}
