package link

import (
	"github.com/casascan/casascan/scanner"
	"github.com/hashicorp/hcl/v2"
)

// maxDepth bounds how deep nested blocks are walked.
const maxDepth = 32

// placed returns a copy of l that records that d declares it and, when d
// is in a Terraform file, has its ranges moved onto d. l is not changed.
func placed(l, d *scanner.Resource) *scanner.Resource {
	c := *l
	c.Declared = d
	if !inSource(d) {
		return &c
	}
	c.DefRange, c.Range = d.DefRange, d.Range
	c.Calls = append([]scanner.ModuleCall(nil), d.Calls...)
	c.Body = placeBody(l.Body, d.Body, d.DefRange, 0)
	return &c
}

// placeBody returns a copy of a live body in which each attribute and
// nested block has the range of the same path in the declared body. What
// the declaration does not write gets the header of the innermost block it
// does write (fallback), so a finding about it points where the missing
// attribute belongs, as it would on the Terraform itself. Repeated blocks
// pair up by position. Below maxDepth the live body is shared as it is.
func placeBody(l, d *scanner.Body, fallback hcl.Range, depth int) *scanner.Body {
	if l == nil || depth > maxDepth {
		return l
	}
	if d == nil {
		d = scanner.NewBody()
	}
	out := &scanner.Body{Attrs: make(map[string]*scanner.Attr, len(l.Attrs))}
	for name, la := range l.Attrs {
		a := *la
		switch da, blocks := d.Attrs[name], d.BlocksNamed(name); {
		case da != nil:
			a.Range, a.ExprRange = da.Range, da.ExprRange
		case len(blocks) > 0: // written as a block, read live as a value
			a.Range, a.ExprRange = blocks[0].DefRange, blocks[0].DefRange
		default:
			a.Range, a.ExprRange = fallback, fallback
		}
		out.Attrs[name] = &a
	}
	if l.Blocks != nil {
		out.Blocks = make([]*scanner.Block, len(l.Blocks))
	}
	seen := map[string]int{}
	for k, lb := range l.Blocks {
		blk := *lb
		i := seen[blk.Type]
		seen[blk.Type]++
		if dbs := d.BlocksNamed(blk.Type); i < len(dbs) {
			blk.DefRange, blk.Range = dbs[i].DefRange, dbs[i].Range
			blk.Body = placeBody(lb.Body, dbs[i].Body, dbs[i].DefRange, depth+1)
		} else {
			blk.DefRange, blk.Range = fallback, fallback
			blk.Body = placeBody(lb.Body, nil, fallback, depth+1)
		}
		out.Blocks[k] = &blk
	}
	return out
}
