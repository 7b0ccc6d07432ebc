package scanner

import (
	"container/heap"
	"io"
	"slices"
	"unsafe"

	"github.com/casascan/casascan/internal/spill"
)

// spillRun is how many findings a sorter holds in memory before it sorts
// them and writes them to its temporary file as one run (some 500 bytes a
// finding in memory, so about 4 MB). A variable so that tests can make
// small results spill (SetSpillRun).
var spillRun = 8192

// spillFile is a temporary file of finding records (see spill.File).
type spillFile struct {
	*spill.File
	buf []byte
}

func newSpillFile() (*spillFile, error) {
	f, err := spill.Create("findings")
	if err != nil {
		return nil, err
	}
	return &spillFile{File: f}, nil
}

// write appends f's record.
func (s *spillFile) write(f *Finding, seq uint64) error {
	s.buf = appendRecord(s.buf[:0], f, seq)
	return s.Write(s.buf)
}

// flush makes everything written readable.
func (s *spillFile) flush() error { return s.Flush() }

// reader reads the records of a section of the file.
func (s *spillFile) reader(off, n int64) *recordReader {
	return &recordReader{r: s.Reader(off, n)}
}

func (s *spillFile) close() error {
	if s == nil {
		return nil
	}
	return s.Close()
}

// recordReader reads finding records one at a time.
type recordReader struct {
	r *spill.Reader
}

// next returns the next finding, or io.EOF after the last.
func (rr *recordReader) next() (Finding, uint64, error) {
	return rr.nextOf(nil)
}

// nextOf is next, passing over without decoding them the findings whose
// status keep (when not nil) rejects.
func (rr *recordReader) nextOf(keep func(Status) bool) (Finding, uint64, error) {
	for {
		rec, err := rr.r.Next()
		if err == io.EOF {
			return Finding{}, 0, err
		}
		if err != nil {
			return Finding{}, 0, errCorrupt
		}
		if keep == nil || keep(recordStatus(rec)) {
			return decodeRecord(string(rec))
		}
	}
}

// recordStatus reads the status of a record without decoding the rest;
// "" for a record too short, which decodeRecord then finds corrupt.
func recordStatus(rec []byte) Status {
	r := recReader{s: unsafeString(rec)}
	r.uint()
	r.str()
	st := r.str()
	if r.err != nil {
		return ""
	}
	return Status(st)
}

// unsafeString is b as a string without a copy, for a comparison that
// ends before b changes.
func unsafeString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// seqFinding is a finding with the order it was added in.
type seqFinding struct {
	f   Finding
	seq uint64
}

// extSort sorts findings by cmp, ties by sequence number, holding at most
// spillRun of them in memory: beyond that it writes sorted runs to a
// temporary file and merges them. A sorter whose findings all fit is
// sorted in memory and never touches the disk.
type extSort struct {
	cmp  func(a, b *Finding) int
	buf  []seqFinding
	file *spillFile
	runs [][2]int64 // offset and length of each run in file
	n    int
	err  error
}

func newExtSort(cmp func(a, b *Finding) int) *extSort { return &extSort{cmp: cmp} }

func (s *extSort) less(a, b *seqFinding) int {
	if c := s.cmp(&a.f, &b.f); c != 0 {
		return c
	}
	switch {
	case a.seq < b.seq:
		return -1
	case a.seq > b.seq:
		return 1
	}
	return 0
}

// add adds a finding.
func (s *extSort) add(f Finding, seq uint64) {
	s.n++
	s.buf = append(s.buf, seqFinding{f, seq})
	if len(s.buf) >= spillRun {
		s.spill()
	}
}

// spill writes the findings held as one sorted run. When no temporary file
// can be made, the findings stay in memory (nothing is lost; the memory
// is the cost), and the error is kept for the result to report.
func (s *extSort) spill() {
	if s.err != nil {
		return
	}
	if s.file == nil {
		f, err := newSpillFile()
		if err != nil {
			s.err = err
			return
		}
		s.file = f
	}
	start := s.file.Size()
	for _, i := range s.order() {
		if err := s.file.write(&s.buf[i].f, s.buf[i].seq); err != nil {
			s.err = err
			return
		}
	}
	s.runs = append(s.runs, [2]int64{start, s.file.Size() - start})
	clear(s.buf)
	s.buf = s.buf[:0]
}

// order returns the indexes of buf in sorted order: findings are large,
// so they are not moved.
func (s *extSort) order() []int32 {
	idx := make([]int32, len(s.buf))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortFunc(idx, func(a, b int32) int { return s.less(&s.buf[a], &s.buf[b]) })
	return idx
}

// spilled reports whether the sorter wrote to disk.
func (s *extSort) spilled() bool { return len(s.runs) > 0 }

// each yields the findings in order and releases the sorter. It returns
// the first error met.
func (s *extSort) each(yield func(f *Finding, seq uint64) bool) error {
	defer s.close()
	if s.err != nil && s.spilled() {
		return s.err // runs were written and a later one failed
	}
	if !s.spilled() {
		// Everything is in memory (also when no file could be made:
		// buf kept every finding).
		for _, i := range s.order() {
			if !yield(&s.buf[i].f, s.buf[i].seq) {
				return nil
			}
		}
		return nil
	}
	if len(s.buf) > 0 {
		s.spill()
		if s.err != nil {
			return s.err
		}
	}
	s.buf = nil // every finding is on disk: the merge holds one a run
	if err := s.file.flush(); err != nil {
		return err
	}
	m := &merger{s: s}
	for _, r := range s.runs {
		rr := s.file.reader(r[0], r[1])
		f, seq, err := rr.next()
		if err == io.EOF {
			continue
		}
		if err != nil {
			return err
		}
		m.heads = append(m.heads, mergeHead{seqFinding{f, seq}, rr})
	}
	heap.Init(m)
	for len(m.heads) > 0 {
		h := &m.heads[0]
		if !yield(&h.f.f, h.f.seq) {
			return nil
		}
		f, seq, err := h.r.next()
		switch {
		case err == io.EOF:
			heap.Pop(m)
		case err != nil:
			return err
		default:
			h.f = seqFinding{f, seq}
			heap.Fix(m, 0)
		}
	}
	return nil
}

func (s *extSort) close() {
	_ = s.file.close() // read-only from here: nothing written is lost by a failed close
	s.file, s.buf, s.runs = nil, nil, nil
}

type mergeHead struct {
	f seqFinding
	r *recordReader
}

// merger is a heap of the runs' next findings.
type merger struct {
	s     *extSort
	heads []mergeHead
}

func (m *merger) Len() int           { return len(m.heads) }
func (m *merger) Less(i, j int) bool { return m.s.less(&m.heads[i].f, &m.heads[j].f) < 0 }
func (m *merger) Swap(i, j int)      { m.heads[i], m.heads[j] = m.heads[j], m.heads[i] }
func (m *merger) Push(x any)         { m.heads = append(m.heads, x.(mergeHead)) }
func (m *merger) Pop() any {
	h := m.heads[len(m.heads)-1]
	m.heads = m.heads[:len(m.heads)-1]
	return h
}
