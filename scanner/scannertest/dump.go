// Package scannertest holds what the tests of several packages share: a
// text rendering of a graph for golden files.
package scannertest

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/casascan/casascan/scanner"
	"github.com/zclconf/go-cty/cty"
)

// Dump renders a graph as the text of a graph.golden file: each resource
// with its address, source, mode, project and place, its module calls, and
// every attribute with its value, line, references and flags; then the
// diagnostics and ignore comments. Sensitive values are never rendered.
func Dump(g *scanner.Graph) string {
	var b strings.Builder
	for _, r := range g.Resources {
		mode := ""
		if r.Mode == scanner.Data {
			mode = " data"
		}
		fmt.Fprintf(&b, "%s  [%s%s] (%s:%d)", r.Address, r.Source, mode, r.DefRange.Filename, r.DefRange.Start.Line)
		if r.Uncertain != "" {
			fmt.Fprintf(&b, " uncertain=%q", r.Uncertain)
		}
		if r.Project != "" {
			fmt.Fprintf(&b, " project=%s", r.Project)
		}
		b.WriteByte('\n')
		for _, c := range r.Calls {
			fmt.Fprintf(&b, "  via %s (%s) at %s:%d\n", c.Address, c.Source, c.Range.Filename, c.Range.Start.Line)
		}
		dumpBody(&b, "  ", r.Body)
		for _, inv := range r.Invalid {
			fmt.Fprintf(&b, "  invalid: %s: %s\n", inv.Path, inv.Reason)
		}
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
		val := Value(a.Value)
		if a.Sensitive {
			val = scanner.Redacted
		}
		fmt.Fprintf(b, "%s%s = %s%s %s\n", ind, n, val, at(a.Range.Start.Line), strings.Join(flags, " "))
	}
	for _, blk := range body.Blocks {
		label := ""
		if len(blk.Labels) > 0 {
			label = " " + fmt.Sprintf("%q", blk.Labels)
		}
		if blk.Unexpanded {
			label += " (0..n copies: for_each not known)"
		}
		fmt.Fprintf(b, "%s%s%s {%s\n", ind, blk.Type, label, at(blk.DefRange.Start.Line))
		dumpBody(b, ind+"  ", blk.Body)
		fmt.Fprintf(b, "%s}\n", ind)
	}
}

func at(line int) string {
	if line <= 0 {
		return ""
	}
	return "  @" + strconv.Itoa(line)
}

// Value writes a value compactly; unknown parts read "(unknown)".
func Value(v cty.Value) string { return render(v, 0) }

func render(v cty.Value, depth int) string {
	switch {
	case v == cty.NilVal:
		return "(nil)"
	case !v.IsKnown():
		return "(unknown)"
	case v.IsNull():
		return "null"
	case depth > 8:
		return "…"
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		return strconv.Quote(v.AsString())
	case ty == cty.Number:
		return v.AsBigFloat().Text('g', -1)
	case ty == cty.Bool:
		return strconv.FormatBool(v.True())
	case ty.IsObjectType() || ty.IsMapType():
		var parts []string
		for it := v.ElementIterator(); it.Next(); {
			k, ev := it.Element()
			parts = append(parts, k.AsString()+"="+render(ev, depth+1))
		}
		return "{" + strings.Join(parts, ", ") + "}"
	case ty.IsTupleType() || ty.IsListType() || ty.IsSetType():
		var parts []string
		for it := v.ElementIterator(); it.Next(); {
			_, ev := it.Element()
			parts = append(parts, render(ev, depth+1))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return ty.FriendlyName()
}
