package report

import (
	"path"
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
	return shownValue(f.Provenance.Value) + " " + from
}

// provenanceFrom is provenanceNote without the value: "from var.protection,
// set in envs/prod/terraform.tfvars:3", for the formats that show it beside
// the message.
func provenanceFrom(f scanner.Finding) string {
	if f.Provenance == nil || len(f.Provenance.Origins) == 0 || onlyHere(f.Location, f.Provenance.Origins) {
		return ""
	}
	return "from " + scanner.ProvenanceText(f.Provenance.Origins)
}

// onlyHere reports whether the value is a literal written on the finding's
// own line: the location already says where it came from.
func onlyHere(at scanner.Location, os []scanner.Origin) bool {
	for _, o := range os {
		if o.Kind != scanner.OriginLiteral || o.File != at.File ||
			o.Line < at.StartLine || o.Line > max(at.EndLine, at.StartLine) {
			return false
		}
	}
	return true
}

// shownValue quotes a value for a report; the placeholders Display writes
// for what it does not show ("(redacted)", "(known after apply)") stay as
// they are.
func shownValue(v string) string {
	if v == "" || strings.HasPrefix(v, "(") && strings.HasSuffix(v, ")") {
		return v
	}
	return strconv.Quote(v)
}

// sarifOrigin is an Origin as SARIF property data, its fields in the
// order of their names: a run merged from shards reads properties back as
// maps, whose keys are written in that order, and must come out the same.
type sarifOrigin struct {
	File   string `json:"file,omitempty"`
	Kind   string `json:"kind"`
	Line   int    `json:"line,omitempty"`
	Module string `json:"module,omitempty"`
	Name   string `json:"name,omitempty"`
}

// sarifProvenanceData is properties.provenance, its fields in the order of
// their names like sarifOrigin's.
type sarifProvenanceData struct {
	Origins []sarifOrigin `json:"origins"`
	Value   string        `json:"value"`
}

// sarifProvenance is a finding's provenance as SARIF property data.
func sarifProvenance(p *scanner.Provenance) sarifProvenanceData {
	os := make([]sarifOrigin, len(p.Origins))
	for i, o := range p.Origins {
		os[i] = sarifOrigin{File: o.File, Kind: string(o.Kind), Line: o.Line, Module: o.Module, Name: o.Name}
	}
	return sarifProvenanceData{Origins: os, Value: p.Value}
}

// originLocations are the places of a finding's provenance that a report
// can point at (a file of the scanned tree and a line): the tfvars line,
// the variable's default, the module argument, the referenced resource.
// A literal on the finding's own line and a file outside the tree are left
// out (they stay in the provenance data).
func originLocations(f scanner.Finding) []scanner.Location {
	if f.Provenance == nil {
		return nil
	}
	var out []scanner.Location
	for _, o := range f.Provenance.Origins {
		if l, ok := originLocation(&f, o); ok {
			out = append(out, l)
		}
	}
	return out
}

func outsideTree(file string) bool {
	f := strings.ReplaceAll(file, "\\", "/")
	return path.IsAbs(f) || f == ".." || strings.HasPrefix(f, "../") || (len(f) > 1 && f[1] == ':')
}
