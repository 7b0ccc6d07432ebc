package scanner

import (
	"encoding/binary"
	"io"
	"iter"
	"slices"
	"strings"
)

// findingList holds a result's findings in their order, in memory or, for
// a large result, in a temporary file read back on each pass, with a count
// per status.
type findingList struct {
	mem   []Finding  // when file is nil
	file  *spillFile // the findings' records, in order, numbered from 0
	n     int        // how many
	tally tally
	err   error // the first error reading or writing the file
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
	_ = r.Close()
	r.findings = findingList{mem: fs, n: len(fs)}
	for i := range fs {
		r.findings.tally.add(&fs[i], i)
	}
}

// All yields the findings in the result's order, each a copy. A finding
// that cannot be read back (a temporary file that failed) ends the
// iteration and is reported by Err.
func (r *Result) All() iter.Seq[Finding] { return r.each(nil) }

// Only yields the findings having one of the statuses, in the result's
// order, each a copy: All, filtered, without reading back the others in
// full from disk. An error ends the iteration and is reported by Err.
func (r *Result) Only(statuses ...Status) iter.Seq[Finding] {
	return r.each(func(s Status, _ Severity) bool { return slices.Contains(statuses, s) })
}

// OnlySeverity is Only for one status and one severity: the failures of
// one severity, read without decoding the others.
func (r *Result) OnlySeverity(status Status, sev Severity) iter.Seq[Finding] {
	return r.each(func(s Status, v Severity) bool { return s == status && v == sev })
}

// each yields the findings whose status and severity keep accepts (all
// when keep is nil).
func (r *Result) each(keep func(Status, Severity) bool) iter.Seq[Finding] {
	return func(yield func(Finding) bool) {
		l := &r.findings
		if l.file == nil {
			for i := range l.mem {
				if (keep == nil || keep(l.mem[i].Status, l.mem[i].Severity)) && !yield(l.mem[i]) {
					return
				}
			}
			return
		}
		if l.err != nil {
			return
		}
		rr := l.file.reader(0, l.file.Size())
		for {
			f, _, err := rr.nextOf(keep)
			if err == io.EOF {
				return
			}
			if err != nil {
				l.err = err
				return
			}
			if !yield(f) {
				return
			}
		}
	}
}

// List returns every finding in the result's order, in memory: for tests
// and small results; writers iterate with All.
func (r *Result) List() []Finding { return slices.Collect(r.All()) }

// Len returns the number of findings.
func (r *Result) Len() int { return r.findings.n }

// Count returns the number of findings with a status.
func (r *Result) Count(s Status) int { return r.findings.tally.counts[s] }

// ExpiredIgnores returns the number of findings whose ignore comment or
// entry has expired.
func (r *Result) ExpiredIgnores() int { return r.findings.tally.expired }

// FindingGroup counts the findings of one check with one status and
// severity, and says where the first of them is in the result's order.
type FindingGroup struct {
	CheckID  string
	Status   Status
	Severity Severity
	Count    int
	First    int
}

// Groups returns the result's findings counted by check, status and
// severity, in the order of their first findings: what a writer would
// learn from a pass over the findings, without one.
func (r *Result) Groups() []FindingGroup {
	out := make([]FindingGroup, 0, len(r.findings.tally.groups))
	for _, g := range r.findings.tally.groups {
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b FindingGroup) int { return a.First - b.First })
	return out
}

// tally counts a result's findings as they are laid down.
type tally struct {
	counts  map[Status]int
	groups  map[groupID]*FindingGroup
	expired int // findings whose suppression has expired
}

type groupID struct {
	check    string
	status   Status
	severity Severity
}

// add counts f, the i-th finding.
func (t *tally) add(f *Finding, i int) {
	t.addHead(f.CheckID, f.Status, f.Severity, f.Suppression != nil && f.Suppression.Expired, i)
}

// stable returns s as one of the statuses declared, or else a copy of it.
func (s Status) stable() Status {
	switch s {
	case StatusFail:
		return StatusFail
	case StatusPass:
		return StatusPass
	case StatusIgnored:
		return StatusIgnored
	case StatusUnknown:
		return StatusUnknown
	case StatusOutOfScope:
		return StatusOutOfScope
	}
	return Status(strings.Clone(string(s)))
}

// addHead counts the i-th finding by what the tally reads of it. The
// strings may be slices of a buffer that is reused: what is kept is
// copied.
func (t *tally) addHead(check string, st Status, sev Severity, expired bool, i int) {
	if t.counts == nil {
		t.counts, t.groups = map[Status]int{}, map[groupID]*FindingGroup{}
	}
	st = st.stable()
	t.counts[st]++ // an assignment stores the key given: st must not change
	if expired {
		t.expired++
	}
	id := groupID{check, st, sev}
	g := t.groups[id]
	if g == nil {
		id.check = strings.Clone(check)
		g = &FindingGroup{CheckID: id.check, Status: st, Severity: sev, First: i}
		t.groups[id] = g
	}
	g.Count++
}

// Update calls fn on every finding in order; fn may change the finding and
// returns whether to keep it. The order is kept: a finding whose sort keys
// fn changes stays where it was. Update returns the number of findings
// dropped.
func (r *Result) Update(fn func(f *Finding) bool) int {
	l := &r.findings
	var counts tally
	if l.file == nil {
		kept := l.mem[:0]
		for i := range l.mem {
			if fn(&l.mem[i]) {
				counts.add(&l.mem[i], len(kept))
				kept = append(kept, l.mem[i])
			}
		}
		dropped := len(l.mem) - len(kept)
		clear(l.mem[len(kept):])
		l.mem, l.n, l.tally = kept, len(kept), counts
		return dropped
	}
	if l.err != nil {
		return 0
	}
	out, err := newSpillFile()
	if err != nil {
		l.err = err
		return 0
	}
	n := 0
	for f := range r.All() {
		if !fn(&f) {
			continue
		}
		if err := out.write(&f, uint64(n)); err != nil {
			l.err = err
			break
		}
		counts.add(&f, n)
		n++
	}
	if l.err == nil {
		l.err = out.flush()
	}
	if l.err != nil {
		_ = out.close()
		return 0
	}
	dropped := l.n - n
	_ = l.file.close()
	l.file, l.n, l.tally = out, n, counts
	return dropped
}

// SortedBy yields the findings in the order of their keys, made by key
// (AppendKeyString and AppendKeyInt make keys that sort as their values
// do), findings of equal keys in the result's order (a stable sort), each
// a copy. A large result is sorted on disk (see keyedSort). An error ends
// the iteration and is reported by Err.
func (r *Result) SortedBy(key func(dst []byte, f *Finding) []byte) iter.Seq[Finding] {
	withSeq := func(dst []byte, f *Finding, seq uint64) []byte {
		return binary.BigEndian.AppendUint64(key(dst, f), seq)
	}
	return func(yield func(Finding) bool) {
		l := &r.findings
		// One path for results in memory and on disk: a small one sorts
		// in the sorter's memory and never touches the disk.
		s := newKeyedSort(withSeq)
		seq := uint64(0)
		for f := range r.All() {
			s.add(&f, seq)
			seq++
		}
		if l.err != nil {
			s.s.Close()
			return
		}
		err := s.each(func(f *Finding, _ uint64) bool { return yield(*f) })
		if err != nil && l.err == nil {
			l.err = err
		}
	}
}

// Err returns the first error met holding the findings on disk or reading
// them back, if any: output written from the result may then lack
// findings, and must not pass for complete.
func (r *Result) Err() error { return r.findings.err }

// Close releases what the result holds outside memory. The result has no
// findings afterwards.
func (r *Result) Close() error {
	err := r.findings.file.close()
	r.findings = findingList{}
	return err
}

// Spill moves the result's findings to a temporary file, where a large
// scan's result keeps them; it lets code that reads results be tested on
// one held on disk. It returns the first error met, the findings left in
// memory then.
func (r *Result) Spill() error {
	l := &r.findings
	if l.file != nil {
		return nil
	}
	f, err := newSpillFile()
	if err != nil {
		return err
	}
	for i := range l.mem {
		if err := f.write(&l.mem[i], uint64(i)); err != nil {
			_ = f.close()
			return err
		}
	}
	if err := f.flush(); err != nil {
		_ = f.close()
		return err
	}
	l.file, l.mem = f, nil
	return nil
}

// SetSpillRun makes every sorter hold at most n findings in memory before
// it writes a run to disk, and returns what restores the default: for
// tests, so that small results take the paths of large ones.
func SetSpillRun(n int) (restore func()) {
	old := spillRun
	spillRun = max(n, 1)
	return func() { spillRun = old }
}
