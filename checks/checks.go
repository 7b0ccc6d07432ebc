// Package checks is the catalog of casascan's checks: one file per check,
// named after its ID, each a scanner.Check value; one list per family.
package checks

import (
	"sort"

	"github.com/casascan/casascan/scanner"
)

// All returns every check, sorted by ID. Adding a check is one file and one
// line in its family's list.
func All() []*scanner.Check {
	var all []*scanner.Check
	for _, fam := range [][]*scanner.Check{enc, kms, sec, tls, acc, del, logs, dft} {
		all = append(all, fam...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].ID < all[j].ID })
	return all
}

// ByID returns the check with an ID, or nil.
func ByID(id string) *scanner.Check {
	for _, c := range All() {
		if c.ID == id {
			return c
		}
	}
	return nil
}
