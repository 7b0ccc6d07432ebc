package terraform

import (
	"path/filepath"
	"strings"

	"github.com/casascan/casascan/scanner"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// originMark marks a value with one place it came from: where a root
// variable was set (a tfvars line, --var-file, --var, TF_VAR_*, its
// default) or the argument of a module call that set a module's variable.
// cty carries it through functions and operators like any mark, and a
// conditional with a known condition keeps only the chosen branch's
// (evalNarrow), so the origins that reach an attribute are those of the
// value it holds. References need no mark of their own: refMark is one.
//
// One originMark is made per variable (per module instance), when the
// variable is evaluated: it holds a pointer, so it boxes without an
// allocation, and the one-origin slice that most attributes end up with is
// made once and shared.
type originMark struct{ o *originInfo }

type originInfo struct {
	one []scanner.Origin // the origin alone: an attribute's Origins when it is the only one
}

func newOriginMark(o scanner.Origin) originMark {
	return originMark{&originInfo{one: []scanner.Origin{o}}}
}

// withOrigin adds an origin mark to v.
func withOrigin(v cty.Value, o scanner.Origin) cty.Value {
	return v.Mark(newOriginMark(o))
}

// originsOf returns the origins among marks, sorted; nil when there are
// none. A single origin's slice is shared: Attr values are read-only.
func originsOf(marks cty.ValueMarks) []scanner.Origin {
	var first *originInfo
	var out []scanner.Origin
	for m := range marks {
		om, ok := m.(originMark)
		if !ok {
			continue
		}
		switch {
		case first == nil:
			first = om.o
		case out == nil:
			out = append(append(make([]scanner.Origin, 0, 4), first.one[0]), om.o.one[0])
		default:
			out = append(out, om.o.one[0])
		}
	}
	if out != nil {
		return scanner.SortOrigins(out)
	}
	if first != nil {
		return first.one
	}
	return nil
}

// rangeOrigin is an origin of a kind at a range.
func rangeOrigin(kind scanner.OriginKind, name string, rng hcl.Range) scanner.Origin {
	return scanner.Origin{Kind: kind, Name: name, File: rng.Filename, Line: rng.Start.Line}
}

// varFileOrigin is where a variables file sets a variable. A file the user
// named on the command line that lies outside the tree is named as given,
// never by a path relative to the tree that climbs out of it.
func varFileOrigin(name, shown string, arg bool, rng hcl.Range) scanner.Origin {
	if !arg {
		return rangeOrigin(scanner.OriginTFVars, "var."+name, rng)
	}
	o := rangeOrigin(scanner.OriginVarFile, "var."+name, rng)
	if f := filepath.ToSlash(o.File); f == ".." || strings.HasPrefix(f, "../") || filepath.IsAbs(o.File) {
		o.File, o.Outside = filepath.ToSlash(shown), true
	}
	return o
}
