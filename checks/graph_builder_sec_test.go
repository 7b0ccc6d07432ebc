package checks

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/casascan/casascan/scanner"
)

// tgGraph builds a scanner.Graph from a snippet of HCL for the unit tests of
// the SEC, TLS, ACC, DEL and LOG checks, without the Terraform loader. It
// understands only what those tests need: resource and data blocks, nested
// blocks, constant expressions (Literal), and references to resources, data
// sources or variables, which evaluate to unknown and become Refs. Function
// calls evaluate to unknown and are not literal. There is no count, for_each
// expansion, and every dynamic block is taken to have an unknown for_each:
// the fixtures exercise the rest through the real loader.
func tgGraph(t *testing.T, src string) *scanner.Graph {
	t.Helper()
	f, diags := hclsyntax.ParseConfig([]byte(src), "main.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("parsing test HCL: %s", diags.Error())
	}
	g := &scanner.Graph{}
	for _, blk := range f.Body.(*hclsyntax.Body).Blocks {
		if (blk.Type != "resource" && blk.Type != "data") || len(blk.Labels) != 2 {
			continue
		}
		r := &scanner.Resource{
			Type: blk.Labels[0], Name: blk.Labels[1], Body: tgBody(blk.Body),
			DefRange: blk.DefRange(), Range: blk.Range(), Source: scanner.SourceTerraform,
		}
		r.Address = r.Type + "." + r.Name
		if blk.Type == "data" {
			r.Mode, r.Address = scanner.Data, "data."+r.Address
		}
		g.Resources = append(g.Resources, r)
	}
	g.Index()
	return g
}

func tgBody(b *hclsyntax.Body) *scanner.Body {
	out := scanner.NewBody()
	for name, a := range b.Attributes {
		out.Attrs[name] = tgAttr(name, a)
	}
	for _, blk := range b.Blocks {
		if blk.Type == "dynamic" && len(blk.Labels) == 1 {
			// Like the loader, a dynamic block whose for_each is not known
			// leaves an unknown attribute in place of its blocks.
			out.Attrs[blk.Labels[0]] = &scanner.Attr{Name: blk.Labels[0], Value: cty.DynamicVal, Range: blk.DefRange()}
			continue
		}
		out.Blocks = append(out.Blocks, &scanner.Block{
			Type: blk.Type, Labels: blk.Labels, Body: tgBody(blk.Body),
			DefRange: blk.DefRange(), Range: blk.Range(),
		})
	}
	return out
}

func tgAttr(name string, a *hclsyntax.Attribute) *scanner.Attr {
	refs, lit := tgRefs(a.Expr)
	ctx := &hcl.EvalContext{Variables: map[string]cty.Value{}}
	for _, tr := range a.Expr.Variables() {
		ctx.Variables[tr.RootName()] = cty.DynamicVal
	}
	v, diags := a.Expr.Value(ctx)
	if diags.HasErrors() {
		v = cty.DynamicVal
	}
	at := &scanner.Attr{Name: name, Value: v, Range: a.SrcRange, ExprRange: a.Expr.Range(), Refs: refs, Literal: lit}
	if obj, ok := a.Expr.(*hclsyntax.ObjectConsExpr); ok {
		at.LiteralKeys = map[string]bool{}
		for _, item := range obj.Items {
			k, d := item.KeyExpr.Value(nil)
			if d.HasErrors() || !k.IsKnown() || k.Type() != cty.String {
				continue
			}
			_, l := tgRefs(item.ValueExpr)
			at.LiteralKeys[k.AsString()] = l
		}
	}
	return at
}

// tgRefs returns the resource addresses an expression refers to and whether
// it is a literal (no references and no function calls).
func tgRefs(e hclsyntax.Expression) ([]string, bool) {
	var refs []string
	vars := e.Variables()
	for _, tr := range vars {
		var parts []string
		for _, step := range tr {
			switch s := step.(type) {
			case hcl.TraverseRoot:
				parts = append(parts, s.Name)
			case hcl.TraverseAttr:
				parts = append(parts, s.Name)
			}
		}
		switch {
		case parts[0] == "var" || parts[0] == "local" || parts[0] == "each" || parts[0] == "count":
		case parts[0] == "data" && len(parts) >= 3:
			refs = append(refs, strings.Join(parts[:3], "."))
		case len(parts) >= 2:
			refs = append(refs, parts[0]+"."+parts[1])
		}
	}
	calls := false
	hclsyntax.VisitAll(e, func(n hclsyntax.Node) hcl.Diagnostics {
		if _, ok := n.(*hclsyntax.FunctionCallExpr); ok {
			calls = true
		}
		return nil
	})
	return refs, len(vars) == 0 && !calls
}

// tgJudge runs one check's Test over every managed resource of its types and
// returns one line per problem, "ADDRESS PATH STATUS", sorted, for comparing
// with a want list. It also fails the test when a message carries a value it
// must never show.
func tgJudge(t *testing.T, c *scanner.Check, g *scanner.Graph, secrets ...string) []string {
	t.Helper()
	var out []string
	for _, typ := range c.Types {
		for _, r := range g.OfType(typ) {
			if r.Mode != scanner.Managed {
				continue
			}
			for _, p := range c.Test(g, r) {
				status := "FAIL"
				if p.Unknown {
					status = "UNKNOWN"
				}
				if p.Message == "" {
					t.Errorf("%s: %s problem at %q has no message", c.ID, r.Address, p.Path)
				}
				for _, s := range secrets {
					if strings.Contains(p.Message, s) {
						t.Errorf("%s: message %q shows a secret value", c.ID, p.Message)
					}
				}
				out = append(out, fmt.Sprintf("%s %s %s", r.Address, p.Path, status))
			}
		}
	}
	sort.Strings(out)
	return out
}

// tgCase is one table case: HCL in, the problems tgJudge should report.
type tgCase struct {
	name string
	src  string
	want []string
}

// tgRunCases runs a check over each case's graph and compares the problems;
// secrets are values no message may contain.
func tgRunCases(t *testing.T, c *scanner.Check, cases []tgCase, secrets ...string) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := tgJudge(t, c, tgGraph(t, tc.src), secrets...)
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s problems (-want +got):\n%s", c.ID, diff)
			}
		})
	}
}
