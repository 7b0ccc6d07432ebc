package plan

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/casascan/casascan/scanner"
	tfjson "github.com/hashicorp/terraform-json"
)

// MapSource gives each plan resource the file and line of its block in hg,
// the graph of the Terraform configuration in dir the plan was made from
// (loaded by the caller with providers/terraform, with names relative to
// Base and the plan's Vars, so count and for_each expand to the plan's own
// instances), each attribute and nested block the line of the same path,
// and the graph the ignore comments of the source, so findings on a plan
// point at the Terraform a person edits and inline ignores apply as they do
// to the configuration itself. hg is only read.
//
// It returns the number of resources that found no block, and says so in a
// diagnostic naming dir. It panics after Graph: an indexed graph is not
// changed.
func (p *Plan) MapSource(dir string, hg *scanner.Graph) int {
	if p.done {
		panic("plan: MapSource after Graph")
	}
	n := mapSource(p.g, p.omitted, hg)
	if n > 0 {
		p.g.Diagnostics = append(p.g.Diagnostics, unmatchedDiag(n, relName(p.base, dir)))
	}
	return n
}

func mapSource(g *scanner.Graph, omitted omissions, hg *scanner.Graph) int {
	exact := map[string]*scanner.Resource{}
	loose := map[string]*scanner.Resource{}
	for _, h := range hg.Resources {
		exact[h.Address] = h
		if k := looseKey(h.Address); loose[k] == nil {
			loose[k] = h // resources are sorted: the first instance
		}
	}
	unmatched := 0
	for _, r := range g.Resources {
		h := exact[r.Address]
		if h == nil {
			h = loose[looseKey(r.Address)]
		}
		if h == nil {
			unmatched++
			continue
		}
		r.DefRange, r.Range = h.DefRange, h.Range
		r.Calls = callsFor(r.Address, h.Calls)
		mapBody(r.Body, h.Body, omitted, 0)
		if lc := h.Body.BlocksNamed("lifecycle"); len(lc) > 0 && r.Body.BlocksNamed("lifecycle") == nil {
			r.Body.Blocks = append(r.Body.Blocks, lc...)
		}
	}
	g.Ignores = append(g.Ignores, hg.Ignores...)
	for _, d := range hg.Diagnostics {
		// Errors (a syntax error) say the places may be wrong, and a
		// malformed ignore comment ignores nothing; warnings of evaluation
		// (a for_each not known without the plan's values) are the plan's
		// business, not the source's.
		if d.Severity == scanner.DiagError || d.Summary == "malformed ignore comment" {
			g.Diagnostics = append(g.Diagnostics, d)
		}
	}
	return unmatched
}

// looseKey is an address without instance keys: where evaluation of the
// source and the plan disagree on keys (a for_each over a value only known
// at plan time), the block is still the same.
func looseKey(address string) string {
	a, err := scanner.ParseAddress(address)
	if err != nil {
		return address
	}
	a.Key = nil
	steps := make([]scanner.ModuleStep, len(a.Module))
	for i, s := range a.Module {
		steps[i] = scanner.ModuleStep{Name: s.Name}
	}
	a.Module = steps
	return a.String()
}

// callsFor copies a source resource's module call chain with the plan
// resource's own module instance addresses.
func callsFor(address string, calls []scanner.ModuleCall) []scanner.ModuleCall {
	a, err := scanner.ParseAddress(address)
	out := append([]scanner.ModuleCall(nil), calls...)
	if err != nil || len(a.Module) != len(calls) {
		return out
	}
	for i := range out {
		out[i].Address = scanner.ModulePath(a.Module[:i+1])
	}
	return out
}

// mapBody gives the attributes and blocks of a plan body the ranges of the
// same paths in the source body; repeated blocks pair up by position. An
// attribute that the source writes as blocks is split into blocks first.
func mapBody(p, h *scanner.Body, omitted omissions, depth int) {
	if depth > maxValueDepth {
		return
	}
	for name, a := range omitted[p] {
		if h.Attrs[name] != nil || len(explicitBlocks(h, name)) > 0 {
			p.Attrs[name] = a // written in the source, as a dynamic block: unknown, not left out
		}
	}
	for _, name := range sortedNames(p.Attrs) {
		a := p.Attrs[name]
		if ha := h.Attrs[name]; ha != nil {
			a.Range, a.ExprRange = ha.Range, ha.ExprRange
			a.Literal, a.LiteralKeys = ha.Literal, ha.LiteralKeys
			continue
		}
		hb := explicitBlocks(h, name)
		if len(hb) == 0 {
			continue
		}
		if blocks, ok := explode(a); ok {
			delete(p.Attrs, name)
			p.Blocks = append(p.Blocks, blocks...)
			continue
		}
		a.Range, a.ExprRange = hb[0].DefRange, hb[0].DefRange
	}
	seen := map[string]int{}
	for _, blk := range p.Blocks {
		i := seen[blk.Type]
		seen[blk.Type]++
		if hb := explicitBlocks(h, blk.Type); i < len(hb) {
			blk.DefRange, blk.Range = hb[i].DefRange, hb[i].Range
			mapBody(blk.Body, hb[i].Body, omitted, depth+1)
		} else if ha := h.Attrs[blk.Type]; ha != nil {
			// Written as an attribute (a list of objects): every part of it
			// is on the attribute's lines.
			blk.DefRange, blk.Range = ha.Range, ha.Range
			setRanges(blk.Body, ha, depth+1)
		}
	}
}

func explicitBlocks(b *scanner.Body, name string) []*scanner.Block {
	var out []*scanner.Block
	for _, blk := range b.Blocks {
		if blk.Type == name {
			out = append(out, blk)
		}
	}
	return out
}

func setRanges(b *scanner.Body, ha *scanner.Attr, depth int) {
	if depth > maxValueDepth {
		return
	}
	for _, a := range b.Attrs {
		a.Range, a.ExprRange = ha.Range, ha.ExprRange
	}
	for _, blk := range b.Blocks {
		blk.DefRange, blk.Range = ha.Range, ha.Range
		setRanges(blk.Body, ha, depth+1)
	}
}

// varArgs renders the plan's root variable values as --var arguments: a
// primitive as its text, anything else as JSON, which is also an HCL
// expression once template sequences are escaped. Null values are left
// out, so the declared default applies as it did in the plan.
func varArgs(vars map[string]*tfjson.PlanVariable) []string {
	var out []string
	for _, name := range sortedNames(vars) {
		v := vars[name]
		if v == nil || v.Value == nil {
			continue
		}
		var text string
		switch x := v.Value.(type) {
		case string:
			text = x
		case bool:
			text = strconv.FormatBool(x)
		case json.Number:
			text = x.String()
		case float64:
			text = strconv.FormatFloat(x, 'g', -1, 64)
		default:
			b, err := json.Marshal(x)
			if err != nil {
				continue
			}
			text = strings.NewReplacer("${", "$${", "%{", "%%{").Replace(string(b))
		}
		out = append(out, name+"="+text)
	}
	sort.Strings(out)
	return out
}

// unmatchedDiag says that some plan resources have no block in the source.
func unmatchedDiag(n int, dir string) scanner.Diagnostic {
	return scanner.Diagnostic{Severity: scanner.DiagWarning,
		Summary: fmt.Sprintf("%d resource(s) of the plan have no block in the Terraform source", n),
		Detail:  "their findings point at the plan file; was the plan made from this configuration?", Subject: dir}
}
