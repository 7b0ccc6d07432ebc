package custom

import (
	"slices"
	"strings"

	"github.com/google/cel-go/common/ast"
	"github.com/google/cel-go/common/types"
	"github.com/zclconf/go-cty/cty"

	"github.com/casascan/casascan/scanner"
)

// This file decides where a finding points: the attribute paths an
// expression reads, and which of them decides a verdict.

// unknownPath is the attribute path of the first unknown named on the
// judged resource itself ("resource.a[0].b" or "refs(resource.a.b)" →
// "a.0.b", "a.b"); "" when there is none.
func unknownPath(names []string) string {
	for _, n := range names {
		n = strings.TrimSuffix(strings.TrimPrefix(n, "refs("), ")")
		rest, ok := strings.CutPrefix(n, "resource.")
		if !ok || strings.ContainsAny(rest, "() ") {
			continue
		}
		return strings.ReplaceAll(strings.ReplaceAll(rest, "[", "."), "]", "")
	}
	return ""
}

// maxDecisive bounds the attributes decisivePath tries.
const maxDecisive = 8

// decisivePath is, for a FAIL, the first attribute the expression reads
// whose value decides it: made unknown, the expression is no longer true.
// The finding points at it (the profile of an SSL policy, not its
// min_tls_version, when the profile is what is wrong).
func (p *program) decisivePath(ev *evaluation, root *object, act map[string]any) string {
	tried := 0
	for _, path := range p.paths {
		o, key := root, ""
		segs := strings.Split(path, ".")
		for i, seg := range segs {
			if i == len(segs)-1 {
				key = seg
				break
			}
			next, ok := o.m[seg].(*object)
			if !ok {
				o = nil
				break
			}
			o = next
		}
		if o == nil {
			continue
		}
		old, ok := o.m[key]
		if !ok {
			continue
		}
		if tried++; tried > maxDecisive {
			break
		}
		if !p.budget.left() {
			break
		}
		o.m[key] = ev.unknown("resource." + path)
		ev.forced = nil
		ev.startRun()
		out, det, err := p.prg.Eval(act)
		p.charge(det)
		o.m[key] = old
		if err == nil && out != types.True {
			return path
		}
	}
	return ""
}

// pathFor is the attribute a finding points at: the first attribute the
// expression reads that the resource holds (or has a default for), else
// the first it reads; "" when it reads none.
func (p *program) pathFor(r *scanner.Resource) string {
	for _, path := range p.paths {
		if a := r.Get(path); a != nil && a.Value != cty.NilVal {
			return path
		}
		if _, ok := scanner.DefaultOf(r.Type, path); ok {
			return path
		}
	}
	for _, path := range p.paths {
		if r.Body.Deepest(path) != nil {
			return path
		}
	}
	return ""
}

// attributePaths lists the attribute paths an expression reads from
// resource, in the order written: resource.a.b, has(resource.a.b) and
// refs(resource.a.b) all read "a.b"; address and type are not attributes.
func attributePaths(e ast.Expr) []string {
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		if p == "" || seen[p] {
			return
		}
		head, _, _ := strings.Cut(p, ".")
		if head == "address" || head == "type" {
			return
		}
		seen[p] = true
		out = append(out, p)
	}
	var walk func(e ast.Expr)
	walk = func(e ast.Expr) {
		switch e.Kind() {
		case ast.SelectKind:
			if p, ok := chain(e); ok {
				add(p)
				return
			}
			walk(e.AsSelect().Operand())
		case ast.CallKind:
			c := e.AsCall()
			if (c.FunctionName() == fnHas || c.FunctionName() == fnRefs) && len(c.Args()) == 2 && c.Args()[1].Kind() == ast.LiteralKind {
				if s, ok := c.Args()[1].AsLiteral().(types.String); ok {
					if base, ok := chain(c.Args()[0]); ok {
						add(joinPath(base, string(s)))
					}
				}
			}
			if c.IsMemberFunction() {
				walk(c.Target())
			}
			for _, a := range c.Args() {
				walk(a)
			}
		case ast.ListKind:
			for _, el := range e.AsList().Elements() {
				walk(el)
			}
		case ast.MapKind:
			for _, en := range e.AsMap().Entries() {
				walk(en.AsMapEntry().Key())
				walk(en.AsMapEntry().Value())
			}
		case ast.ComprehensionKind:
			c := e.AsComprehension()
			walk(c.IterRange())
			walk(c.AccuInit())
			walk(c.LoopCondition())
			walk(c.LoopStep())
			walk(c.Result())
		}
	}
	walk(e)
	return out
}

// chain returns the path of a selection rooted at the variable resource
// (resource.a.b → "a.b"; resource alone → "").
func chain(e ast.Expr) (string, bool) {
	var segs []string
	for e.Kind() == ast.SelectKind {
		segs = append(segs, e.AsSelect().FieldName())
		e = e.AsSelect().Operand()
	}
	if e.Kind() != ast.IdentKind || e.AsIdent() != "resource" {
		return "", false
	}
	slices.Reverse(segs)
	return strings.Join(segs, "."), true
}
