package scanner

import (
	"iter"
	"slices"
)

// findingList holds a result's findings in their order, with a count per
// status.
type findingList struct {
	mem    []Finding
	counts map[Status]int
	err    error
}

func (l *findingList) recount() {
	l.counts = map[Status]int{}
	for i := range l.mem {
		l.counts[l.mem[i].Status]++
	}
}

// NewResult returns a result holding findings in the order given (callers
// that need the writers' order sort them first with SortFindings).
func NewResult(tool Tool, checks []*Check, findings []Finding, diagnostics []Diagnostic) *Result {
	r := &Result{Tool: tool, Checks: checks, Diagnostics: diagnostics}
	r.SetFindings(findings)
	return r
}

// SetFindings replaces the result's findings with fs, in the order given;
// the result takes fs over.
func (r *Result) SetFindings(fs []Finding) {
	r.findings = findingList{mem: fs}
	r.findings.recount()
}

// All yields the findings in the result's order, each a copy. A finding
// that cannot be read back (a temporary file that failed) ends the
// iteration and is reported by Err.
func (r *Result) All() iter.Seq[Finding] {
	return func(yield func(Finding) bool) {
		for i := range r.findings.mem {
			if !yield(r.findings.mem[i]) {
				return
			}
		}
	}
}

// List returns every finding in the result's order, in memory: for tests
// and small results; writers iterate with All.
func (r *Result) List() []Finding { return slices.Collect(r.All()) }

// Len returns the number of findings.
func (r *Result) Len() int { return len(r.findings.mem) }

// Count returns the number of findings with a status.
func (r *Result) Count(s Status) int { return r.findings.counts[s] }

// Update calls fn on every finding in order; fn may change the finding and
// returns whether to keep it. The order is kept: fn must not change what
// the order depends on unless the caller means to keep the old order.
// Update returns the number of findings dropped.
func (r *Result) Update(fn func(f *Finding) bool) int {
	l := &r.findings
	kept := l.mem[:0]
	for i := range l.mem {
		if fn(&l.mem[i]) {
			kept = append(kept, l.mem[i])
		}
	}
	dropped := len(l.mem) - len(kept)
	clear(l.mem[len(kept):])
	l.mem = kept
	l.recount()
	return dropped
}

// SortedBy yields the findings in the order of cmp, findings equal under
// cmp in the result's order (a stable sort), each a copy.
func (r *Result) SortedBy(cmp func(a, b *Finding) int) iter.Seq[Finding] {
	return func(yield func(Finding) bool) {
		ptrs := make([]*Finding, len(r.findings.mem))
		for i := range r.findings.mem {
			ptrs[i] = &r.findings.mem[i]
		}
		slices.SortStableFunc(ptrs, cmp)
		for _, p := range ptrs {
			if !yield(*p) {
				return
			}
		}
	}
}

// Err returns the first error met reading the findings back, if any: a
// writer that iterated them checks it, since output missing findings must
// not pass for a complete report.
func (r *Result) Err() error { return r.findings.err }

// Close releases what the result holds outside memory. The result has no
// findings afterwards.
func (r *Result) Close() error {
	r.findings = findingList{}
	return nil
}
