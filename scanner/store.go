package scanner

import (
	"fmt"
	"hash/maphash"
	"strings"
)

// findingStore holds a session's findings and turns them into the
// result's findings, deduplicated and in SortFindings' order, without
// holding them all in memory: they go through an external sort (see
// keyedSort) in the writers' order. Findings that may repeat each other
// (the same fingerprint and root module, rare) are looked for as the
// graphs come (see add); only when some may do the findings go through a
// second sort, by dedupe group, before the first. A small session never
// touches the disk.
type findingStore struct {
	order *keyedSort
	seq   uint64
	// roots are the root modules of the findings of the graphs added:
	// a few strings a root, however many findings it has.
	roots map[string]bool
	// repeated: two findings added may share a dedupe group.
	repeated bool
}

// add adds the findings of one graph, in the order Run judges them (one
// slice a check). Two findings of one dedupe group are found within the
// graph by a hash of their key; across graphs they share a root module,
// so a root met in an earlier graph is taken as a repeat, to be sorted out
// by the dedupe sort (a tree's roots each come in one graph: this does not
// happen there). Nothing kept grows with the findings.
func (st *findingStore) add(graph ...[]Finding) {
	if st.order == nil {
		st.order = newKeyedSort(findingKey)
		st.roots = map[string]bool{}
	}
	var hashes map[uint64]bool // the dedupe keys of this graph's findings
	if !st.repeated {
		n := 0
		for _, fs := range graph {
			n += len(fs)
		}
		hashes = make(map[uint64]bool, n)
	}
	mine := map[string]bool{} // the roots of this graph's findings
	for _, fs := range graph {
		st.addOf(fs, hashes, mine)
	}
	for r := range mine {
		st.roots[r] = true
	}
}

// addOf adds findings of a graph: hashes and mine are the graph's (hashes
// nil once a repeat is known).
func (st *findingStore) addOf(fs []Finding, hashes map[uint64]bool, mine map[string]bool) {
	for i := range fs {
		if !st.repeated {
			h := groupHash(&fs[i])
			if hashes[h] {
				st.repeated = true
			}
			hashes[h] = true
			if r := fs[i].RootModule; !mine[r] {
				if st.roots[r] {
					st.repeated = true
				}
				mine[r] = true
			}
		}
		st.order.add(&fs[i], st.seq)
		fs[i] = Finding{} // the sorter holds its record now
		st.seq++
	}
}

var groupSeed = maphash.MakeSeed()

// groupHash hashes what dedupe groups findings by.
func groupHash(f *Finding) uint64 {
	var h maphash.Hash
	h.SetSeed(groupSeed)
	h.WriteString(f.Fingerprint)
	h.WriteByte(0)
	h.WriteString(f.RootModule)
	return h.Sum64()
}

// groupCmp orders findings by dedupe group: fingerprint and root module.
func groupCmp(a, b *Finding) int {
	if c := strings.Compare(a.Fingerprint, b.Fingerprint); c != 0 {
		return c
	}
	return strings.Compare(a.RootModule, b.RootModule)
}

// result returns the findings kept, in SortFindings' order (ties in the
// order added), and empties the store. A finding that repeats an earlier
// one's check, resource, attribute, status and message is dropped, and a
// repeat that differs gets a suffixed fingerprint. Findings alike share
// check, root module, resource and attribute, so their fingerprint: they
// are grouped by fingerprint and root module (the first sort) and only the
// findings of one group, taken in the order added, are compared, so the
// work is linear in the findings however many roots share a module.
func (st *findingStore) result() (findingList, []Diagnostic) {
	var diags []Diagnostic
	var held error // why findings stayed in memory, if they did: said once
	done := func(s *keyedSort, err error) {
		switch {
		case err != nil:
			diags = append(diags, Diagnostic{Severity: DiagError, Summary: "findings lost", Detail: err.Error(), Skipped: true})
		case held == nil:
			held = s.s.Err()
		}
	}
	if st.order == nil {
		st.order = newKeyedSort(findingKey)
	}
	order := st.order
	if st.repeated {
		// Findings may repeat: they are sorted by group (from the writers'
		// order, each with its sequence number, so the groups are taken in
		// the order added), deduplicated, and sorted again.
		groups := newKeyedSort(groupKey)
		err := order.each(func(f *Finding, seq uint64) bool {
			groups.add(f, seq)
			return true
		})
		done(order, err)
		order = newKeyedSort(findingKey)
		var head Finding
		var kept []Finding // the findings of head's group after it that were kept
		inGroup := false
		err = groups.each(func(f *Finding, seq uint64) bool {
			if !inGroup || groupCmp(&head, f) != 0 {
				head, kept, inGroup = *f, kept[:0], true
				order.add(f, seq)
				return true
			}
			if alike(&head, f) {
				return true
			}
			for i := range kept {
				if alike(&kept[i], f) {
					return true
				}
			}
			g := *f
			kept = append(kept, g)
			g.Fingerprint = Fingerprint(g.CheckID, g.identity(), g.Attribute, fmt.Sprint(len(kept)))
			order.add(&g, seq)
			return true
		})
		done(groups, err)
	}
	l := findingList{}
	if order.s.Spilled() {
		f, err := newSpillFile()
		if err != nil {
			held = err
		}
		l.file = f
	}
	var err error
	if l.file == nil {
		l.mem = make([]Finding, 0, order.s.Len())
		err = order.each(func(f *Finding, _ uint64) bool {
			l.tally.add(f, l.n)
			l.mem = append(l.mem, *f)
			l.n++
			return true
		})
	} else {
		// The records go to the list as they are, renumbered: only what
		// the tally counts is read of them.
		err = order.eachRecord(func(rec []byte) bool {
			check, st, sev, expired, err := recordTally(rec)
			if err == nil {
				err = l.file.writeRecord(rec, uint64(l.n))
			}
			if err != nil {
				l.err = err
				return false
			}
			l.tally.addHead(check, st, sev, expired, l.n)
			l.n++
			return true
		})
		if l.err == nil {
			l.err = l.file.flush()
		}
	}
	done(order, err)
	if err != nil && l.err == nil {
		l.err = err
	}
	// An error that lost findings makes the scan incomplete; a temporary
	// file that could not be made only costs memory (the findings were
	// kept there), said once however many sorters met it.
	if held != nil {
		diags = append(diags, Diagnostic{Severity: DiagWarning, Summary: "findings held in memory", Detail: held.Error()})
	}
	return l, diags
}

// alike reports whether two findings repeat each other for dedupe.
func alike(a, b *Finding) bool {
	return a.CheckID == b.CheckID && a.Resource == b.Resource && a.RootModule == b.RootModule && a.Attribute == b.Attribute &&
		a.Message == b.Message && a.Location.File == b.Location.File && a.Status == b.Status && a.Location.StartLine == b.Location.StartLine
}
