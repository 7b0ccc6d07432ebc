package link

import (
	"github.com/casascan/casascan/scanner"
	"github.com/hashicorp/hcl/v2"
)

// maxDepth bounds how deep nested blocks are walked.
const maxDepth = 32

// place records that d declares l and, when d is in a Terraform file, moves
// l's ranges onto it.
func place(l, d *scanner.Resource) {
	l.Declared = d
	if !inSource(d) {
		return
	}
	l.DefRange, l.Range = d.DefRange, d.Range
	l.Calls = append([]scanner.ModuleCall(nil), d.Calls...)
	placeBody(l.Body, d.Body, d.DefRange, 0)
}

// placeBody gives each attribute and nested block of a live body the range
// of the same path in the declared body. What the declaration does not
// write gets the header of the innermost block it does write (fallback), so
// a finding about it points where the missing attribute belongs, as it
// would on the Terraform itself. Repeated blocks pair up by position.
func placeBody(l, d *scanner.Body, fallback hcl.Range, depth int) {
	if l == nil || depth > maxDepth {
		return
	}
	if d == nil {
		d = scanner.NewBody()
	}
	for name, a := range l.Attrs {
		switch da, blocks := d.Attrs[name], d.BlocksNamed(name); {
		case da != nil:
			a.Range, a.ExprRange = da.Range, da.ExprRange
		case len(blocks) > 0: // written as a block, read live as a value
			a.Range, a.ExprRange = blocks[0].DefRange, blocks[0].DefRange
		default:
			a.Range, a.ExprRange = fallback, fallback
		}
	}
	seen := map[string]int{}
	for _, blk := range l.Blocks {
		i := seen[blk.Type]
		seen[blk.Type]++
		if dbs := d.BlocksNamed(blk.Type); i < len(dbs) {
			blk.DefRange, blk.Range = dbs[i].DefRange, dbs[i].Range
			placeBody(blk.Body, dbs[i].Body, dbs[i].DefRange, depth+1)
			continue
		}
		blk.DefRange, blk.Range = fallback, fallback
		placeBody(blk.Body, nil, fallback, depth+1)
	}
}
