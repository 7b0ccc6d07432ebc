package scanner

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
)

// OriginKind says what kind of place a value came from.
type OriginKind string

// The kinds of Origin. A value may have several: a module argument and the
// tfvars line that set the variable passed in, or two variables joined by a
// function.
const (
	// OriginModuleArg is an argument of a module call: the value of the
	// module's variable Name, set at File:Line in the calling module block.
	// The origins of the argument's own value follow it.
	OriginModuleArg OriginKind = "module_argument"
	// OriginTFVars is a variable set in a .tfvars (or .tfvars.json) file
	// read from the root module's directory; File:Line is the assignment.
	OriginTFVars OriginKind = "tfvars"
	// OriginVarFile is a variable set in a file named by --var-file, which
	// may lie outside the scanned tree.
	OriginVarFile OriginKind = "var_file"
	// OriginVarFlag is a variable set by --var NAME=VALUE.
	OriginVarFlag OriginKind = "var_flag"
	// OriginEnv is a variable set by a TF_VAR_NAME environment variable.
	OriginEnv OriginKind = "env"
	// OriginVarDefault is a variable's declared default, at File:Line.
	OriginVarDefault OriginKind = "variable_default"
	// OriginUnset is a variable given no value and declared with no
	// default (Name, declared at File:Line): not known before apply.
	OriginUnset OriginKind = "unset_variable"
	// OriginComputed is an attribute of another resource (Name is its
	// address): known after apply when it is unknown.
	OriginComputed OriginKind = "computed"
	// OriginOneOf is one of several instances of a resource block, not
	// known which before apply: Name names them compactly (see
	// Graph.CandidateNames: google_kms_crypto_key.k[*]) and File:Line is
	// the block.
	OriginOneOf OriginKind = "one_of"
	// OriginDataSource is an attribute of a data source (Name is its
	// address), read at apply time.
	OriginDataSource OriginKind = "data_source"
	// OriginProviderDefault is the value the provider gives an attribute the
	// configuration leaves out.
	OriginProviderDefault OriginKind = "provider_default"
	// OriginAPIDefault is the value the API applies to a field that a
	// deployed (exported or live) resource's record leaves out: no
	// Terraform default is involved. Name, File and Line are the record's.
	OriginAPIDefault OriginKind = "api_default"
	// OriginAbsentBlock is a block of the resource that is not written
	// (Name, its path), so no attribute in it has a value, and no
	// Terraform default applies to one.
	OriginAbsentBlock OriginKind = "absent_block"
	// OriginLiteral is a constant written in the configuration: File:Line is
	// the attribute's own expression.
	OriginLiteral OriginKind = "literal"
	// OriginRecord is a record read from a plan, a state, an asset export
	// (File:Line) or a live API (Name is the full resource name).
	OriginRecord OriginKind = "record"
	// OriginMore stands for origins left out: Name says how many.
	OriginMore OriginKind = "more"
)

// kindRank orders origins: the nearest place first (the module argument,
// then what set the variable), then resources, then literals and records.
var kindRank = map[OriginKind]int{
	OriginModuleArg: 1, OriginTFVars: 2, OriginVarFile: 3, OriginVarFlag: 4, OriginEnv: 5, OriginVarDefault: 6, OriginUnset: 6,
	OriginComputed: 7, OriginOneOf: 7, OriginDataSource: 8, OriginProviderDefault: 9, OriginAPIDefault: 9, OriginAbsentBlock: 9, OriginLiteral: 10, OriginRecord: 11, OriginMore: 12,
}

// Origin is one place a value came from. It names places, never values, so
// it is shown for secrets too.
type Origin struct {
	Kind OriginKind `json:"kind"`
	// Name is what carried the value: the variable (var.protection), the
	// resource or data source address, or the record's resource name.
	Name string `json:"name,omitempty"`
	// Module is the module instance the variable belongs to (module.kms);
	// empty in the root module.
	Module string `json:"module,omitempty"`
	// File and Line locate the place, when there is one: File relative to
	// the scanned root with forward slashes (a --var-file outside the tree
	// is named as given).
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	// Outside is true for a --var-file that lies outside the scanned tree
	// (File is then the path as given): what it sets is an input to the
	// scan, not configuration written in the tree.
	Outside bool `json:"outside,omitempty"`
}

// Where returns "file:line", "file", or "".
func (o Origin) Where() string {
	if o.File == "" {
		return ""
	}
	if o.Line > 0 {
		return o.File + ":" + strconv.Itoa(o.Line)
	}
	return o.File
}

// String says where the value came from in words: "var.protection, set in
// envs/prod/terraform.tfvars:3".
func (o Origin) String() string {
	name := o.Name
	if o.Module != "" && name != "" {
		name += " of " + o.Module
	}
	at := func(prefix string) string {
		if w := o.Where(); w != "" {
			return prefix + w
		}
		return ""
	}
	switch o.Kind {
	case OriginModuleArg:
		return name + ", the module argument" + at(" at ")
	case OriginTFVars:
		return name + ", set in " + o.Where()
	case OriginVarFile:
		return name + ", set in " + o.Where() + " (--var-file)"
	case OriginVarFlag:
		return name + ", set by --var"
	case OriginEnv:
		return name + ", set by TF_VAR_" + strings.TrimPrefix(o.Name, "var.")
	case OriginVarDefault:
		return name + ", its default" + at(" at ")
	case OriginUnset:
		return name + ", which has no value" + at(" (declared at ") + closeIf(o.Where())
	case OriginComputed:
		return "an attribute of " + o.Name + at(" declared at ")
	case OriginOneOf:
		if w := o.Where(); w != "" {
			return "one of " + o.Name + " (" + w + ")"
		}
		return "one of " + o.Name
	case OriginDataSource:
		return "the data source " + o.Name + at(" declared at ")
	case OriginProviderDefault:
		if o.Name != "" {
			return "the provider default (" + o.Name + ")"
		}
		return "the provider default"
	case OriginAPIDefault:
		if w := o.Where(); w != "" {
			return "the API's default: the field is absent from the record of " + o.Name + " in " + w
		}
		return "the API's default: the field is absent from the record of " + o.Name
	case OriginAbsentBlock:
		return "no " + o.Name + " block written in the resource" + at(" at ")
	case OriginLiteral:
		return "written" + at(" at ")
	case OriginRecord:
		if w := o.Where(); w != "" {
			return "the record of " + o.Name + " in " + w
		}
		return "the record of " + o.Name
	case OriginMore:
		return o.Name
	}
	return string(o.Kind) + " " + name + at(" at ")
}

// Related says why a related location of a finding is related: the
// message beside an origin's file:line in SARIF.
func (o Origin) Related() string {
	switch o.Kind {
	case OriginTFVars, OriginVarFile:
		return "value set here (" + o.Name + ")"
	case OriginVarDefault:
		return "variable declared here, with its default (" + o.Name + ")"
	case OriginUnset:
		return "variable declared here, with no value (" + o.Name + ")"
	case OriginModuleArg:
		return "module argument set here (" + o.Name + ")"
	case OriginComputed, OriginDataSource:
		return "value comes from " + o.Name
	case OriginOneOf:
		return "value is one of " + o.Name
	case OriginAbsentBlock:
		return "resource declared here, with no " + o.Name + " block"
	case OriginLiteral:
		return "value written here"
	case OriginRecord:
		return "record read here"
	case OriginAPIDefault:
		return "record read here, without the field (" + o.Name + ")"
	}
	return string(o.Kind)
}

// closeIf closes the parenthesis opened before a place, when there is one.
func closeIf(where string) string {
	if where == "" {
		return ""
	}
	return ")"
}

// maxOrigins bounds the origins an attribute keeps: a value built from many
// variables names the first few and how many more.
const maxOrigins = 6

// SortOrigins sorts origins (nearest place first), drops duplicates and
// keeps at most a few, the rest counted in one OriginMore. It sorts in
// place and returns the result.
func SortOrigins(os []Origin) []Origin {
	if len(os) < 2 {
		return os
	}
	slices.SortFunc(os, func(a, b Origin) int {
		return cmp.Or(cmp.Compare(kindRank[a.Kind], kindRank[b.Kind]), cmp.Compare(a.Module, b.Module),
			cmp.Compare(a.Name, b.Name), cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Kind, b.Kind))
	})
	os = slices.Compact(os)
	if len(os) > maxOrigins {
		more := len(os) - (maxOrigins - 1)
		os = append(os[:maxOrigins-1], Origin{Kind: OriginMore, Name: strconv.Itoa(more) + " more"})
	}
	return os
}

// ProvenanceText joins origins into one line: "var.protection, set in
// envs/prod/terraform.tfvars:3; var.level of module.kms, the module
// argument at main.tf:7".
func ProvenanceText(os []Origin) string {
	parts := make([]string, len(os))
	for i, o := range os {
		parts[i] = o.String()
	}
	return strings.Join(parts, "; ")
}

// Origins returns where an attribute of r came from: the origins the source
// recorded on it, the resources it refers to (computed attributes and data
// sources), and otherwise its own expression as a literal in a Terraform
// file, or the record of a plan, export or live resource. Everything a check
// reads has an origin by this one rule.
func (r *Resource) Origins(a *Attr) []Origin { return r.originsIn(nil, a) }

// originsIn is Origins with the graph r belongs to, when there is one: the
// references to several instances of one resource block (the value is one
// of them) become one OriginOneOf origin.
func (r *Resource) originsIn(g *Graph, a *Attr) []Origin {
	if a == nil {
		return nil
	}
	out := make([]Origin, 0, len(a.Origins)+len(a.Refs)+1)
	out = append(out, a.Origins...)
	for _, ref := range a.Refs {
		kind := OriginComputed
		if isDataAddress(ref) {
			kind = OriginDataSource
		}
		out = append(out, Origin{Kind: kind, Name: ref})
	}
	if g != nil && len(a.Refs) > 1 {
		out = g.groupCandidates(out)
	}
	if len(out) == 0 {
		switch {
		case r != nil && r.Source != SourceTerraform && r.Source != "":
			out = append(out, r.RecordOrigin())
		case a.ExprRange.Filename != "" && a.ExprRange.Start.Line > 0:
			out = append(out, Origin{Kind: OriginLiteral, File: a.ExprRange.Filename, Line: a.ExprRange.Start.Line})
		}
	}
	return SortOrigins(out)
}

// RecordOrigin is the origin of every attribute of a resource read from a
// plan, a state, an export or a live API: its record.
func (r *Resource) RecordOrigin() Origin {
	if r.Record != nil {
		return *r.Record
	}
	return Origin{Kind: OriginRecord, Name: r.Address}
}

// isDataAddress reports whether an address names a data source
// (data.TYPE.NAME, in the root module or any module).
func isDataAddress(addr string) bool {
	if !strings.Contains(addr, "data.") {
		return false
	}
	a, err := ParseAddress(addr)
	return err == nil && a.Mode == Data
}
