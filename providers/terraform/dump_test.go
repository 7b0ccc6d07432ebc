package terraform

import (
	"fmt"
	"sort"
	"strings"

	"github.com/casascan/casascan/scanner"
	"github.com/zclconf/go-cty/cty"
)

// dumpGraph renders a graph as the text of a graph.golden file: every
// resource with its address, where it is declared, its module call chain,
// and every attribute with its value, references and flags.
func dumpGraph(g *scanner.Graph) string {
	var b strings.Builder
	for _, r := range g.Resources {
		fmt.Fprintf(&b, "%s  (%s:%d)\n", r.Address, r.DefRange.Filename, r.DefRange.Start.Line)
		for _, c := range r.Calls {
			fmt.Fprintf(&b, "  via %s (%s) at %s:%d\n", c.Address, c.Source, c.Range.Filename, c.Range.Start.Line)
		}
		dumpBody(&b, "  ", r.Body)
	}
	for _, d := range g.Diagnostics {
		fmt.Fprintf(&b, "diagnostic: %s\n", d.String())
	}
	for _, ig := range g.Ignores {
		fmt.Fprintf(&b, "ignore: %s:%d -> line %d %v exp=%q reason=%q\n", ig.File, ig.Line, ig.Target, ig.IDs, ig.Expires, ig.Reason)
	}
	return b.String()
}

func dumpBody(b *strings.Builder, ind string, body *scanner.Body) {
	names := make([]string, 0, len(body.Attrs))
	for n := range body.Attrs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		a := body.Attrs[n]
		var flags []string
		if len(a.Refs) > 0 {
			flags = append(flags, "refs="+strings.Join(a.Refs, ","))
		}
		if a.Literal {
			flags = append(flags, "literal")
		}
		if a.Sensitive {
			flags = append(flags, "sensitive")
		}
		val := renderValue(a.Value)
		if a.Sensitive {
			val = "(sensitive)"
		}
		fmt.Fprintf(b, "%s%s = %s  @%d %s\n", ind, n, val, a.Range.Start.Line, strings.Join(flags, " "))
	}
	for _, blk := range body.Blocks {
		label := ""
		if len(blk.Labels) > 0 {
			label = " " + fmt.Sprintf("%q", blk.Labels)
		}
		fmt.Fprintf(b, "%s%s%s {  @%d\n", ind, blk.Type, label, blk.DefRange.Start.Line)
		dumpBody(b, ind+"  ", blk.Body)
		fmt.Fprintf(b, "%s}\n", ind)
	}
}

// renderValue writes a value compactly; unknown parts read "(unknown)".
func renderValue(v cty.Value) string {
	switch {
	case v == cty.NilVal:
		return "(nil)"
	case !v.IsKnown():
		return "(unknown)"
	case v.IsNull():
		return "null"
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		return fmt.Sprintf("%q", v.AsString())
	case ty == cty.Number:
		return v.AsBigFloat().Text('f', -1)
	case ty == cty.Bool:
		return fmt.Sprint(v.True())
	case ty.IsListType() || ty.IsSetType() || ty.IsTupleType():
		var parts []string
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			parts = append(parts, renderValue(e))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case ty.IsMapType() || ty.IsObjectType():
		var parts []string
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			parts = append(parts, k.AsString()+"="+renderValue(e))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return "(" + ty.FriendlyName() + ")"
}
