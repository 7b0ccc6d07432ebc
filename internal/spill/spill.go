// Package spill holds records (byte strings) outside memory: File is a
// temporary file of records read back in sections, and Sorter sorts
// records by their bytes holding a bounded number of them in memory,
// writing sorted runs to a File and merging them.
package spill

import (
	"bufio"
	"bytes"
	"container/heap"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"slices"
)

// ErrCorrupt is a record that cannot be read back whole.
var ErrCorrupt = errors.New("temporary file corrupt")

// File is a temporary file of records, each a uvarint length and the
// record. On Unix it is unlinked as soon as it is made, so it goes away
// with the process however that ends; elsewhere Close removes it.
type File struct {
	f    *os.File
	w    *bufio.Writer
	size int64 // bytes written, flushed or not
}

// Create makes a temporary file for records of what ("findings"), which
// its errors name.
func Create(what string) (*File, error) {
	f, err := os.CreateTemp("", "casascan-*."+what)
	if err != nil {
		// The directory, not the file's random name: every attempt fails
		// the same way, and says so in the same words.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("holding %s in a temporary file in %s: %w", what, os.TempDir(), err)
	}
	if runtime.GOOS != "windows" {
		_ = os.Remove(f.Name()) // still open: the file lives until closed
	}
	return &File{f: f, w: bufio.NewWriterSize(f, 256<<10)}, nil
}

// Write appends a record.
func (s *File) Write(rec []byte) error {
	var head [binary.MaxVarintLen64]byte
	n := binary.PutUvarint(head[:], uint64(len(rec)))
	if _, err := s.w.Write(head[:n]); err != nil {
		return s.fail(err)
	}
	if _, err := s.w.Write(rec); err != nil {
		return s.fail(err)
	}
	s.size += int64(n + len(rec))
	return nil
}

func (s *File) fail(err error) error {
	return fmt.Errorf("writing to a temporary file: %w", err)
}

// Size is the bytes written so far, the offset of the next record.
func (s *File) Size() int64 { return s.size }

// Flush makes everything written readable.
func (s *File) Flush() error {
	if err := s.w.Flush(); err != nil {
		return s.fail(err)
	}
	return nil
}

// Reader reads the records of the section of n bytes at off (which
// Flush has made readable).
func (s *File) Reader(off, n int64) *Reader {
	return &Reader{r: bufio.NewReaderSize(io.NewSectionReader(s.f, off, n), 64<<10)}
}

// Close closes (and, where it was not unlinked, removes) the file. A nil
// File closes.
func (s *File) Close() error {
	if s == nil {
		return nil
	}
	err := s.f.Close()
	if runtime.GOOS == "windows" {
		if rerr := os.Remove(s.f.Name()); err == nil {
			err = rerr
		}
	}
	return err
}

// Reader reads records one at a time.
type Reader struct {
	r   *bufio.Reader
	buf []byte
}

// Next returns the next record, valid until the next call, or io.EOF
// after the last; ErrCorrupt for a record cut short.
func (rr *Reader) Next() ([]byte, error) {
	n, err := binary.ReadUvarint(rr.r)
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, io.EOF
		}
		return nil, ErrCorrupt
	}
	if n > 1<<30 {
		return nil, ErrCorrupt
	}
	if cap(rr.buf) < int(n) {
		rr.buf = make([]byte, n)
	}
	rr.buf = rr.buf[:n]
	if _, err := io.ReadFull(rr.r, rr.buf); err != nil {
		return nil, ErrCorrupt
	}
	return rr.buf, nil
}

// Sorter sorts records by their bytes (bytes.Compare). It holds at most
// about runBytes of records in memory: beyond that it writes them, sorted,
// as a run to a temporary file, and Each merges the runs. A sorter whose records all
// fit never touches the disk; one that cannot make its file keeps every
// record in memory (Err says why).
type Sorter struct {
	what     string
	runBytes int
	runRecs  int      // at most this many records held, when > 0
	arena    []byte   // the records held, one after the other
	recs     [][]byte // the records held, slices of arena
	n        int      // records added
	file     *File
	runs     [][2]int64 // offset and length of each run in file
	err      error
}

// NewSorter returns a sorter of records of what ("rows") that holds about
// runBytes of them in memory, and at most runRecords of them when that is
// above zero.
func NewSorter(what string, runBytes, runRecords int) *Sorter {
	return &Sorter{what: what, runBytes: max(runBytes, 1), runRecs: runRecords}
}

// Add adds a copy of rec.
func (s *Sorter) Add(rec []byte) {
	s.n++
	if s.runRecs > 0 && len(s.recs) >= s.runRecs && s.err == nil {
		s.spill()
	}
	if len(s.arena)+len(rec) > cap(s.arena) {
		if len(s.arena)+len(rec) > s.runBytes && len(s.recs) > 0 && s.err == nil {
			s.spill() // full: the records held become a run
		}
		if len(s.arena)+len(rec) > cap(s.arena) {
			s.grow(len(rec))
		}
	}
	start := len(s.arena)
	s.arena = append(s.arena, rec...) // within its capacity
	s.recs = append(s.recs, s.arena[start:len(s.arena):len(s.arena)])
}

// grow makes room in arena for n more bytes, doubling it up to runBytes
// (beyond, only when the records must stay in memory, or one is larger),
// and moves the records held into the new array, so the old one is
// garbage at once.
func (s *Sorter) grow(n int) {
	size := max(2*cap(s.arena), 4<<10)
	if s.err == nil {
		size = min(size, s.runBytes)
	}
	arena := make([]byte, 0, max(size, len(s.arena)+n))
	for i, r := range s.recs { // in any order: a failed spill sorted them
		start := len(arena)
		arena = append(arena, r...)
		s.recs[i] = arena[start:len(arena):len(arena)]
	}
	s.arena = arena
}

// Len is how many records were added.
func (s *Sorter) Len() int { return s.n }

// Spilled reports whether the sorter wrote records to disk.
func (s *Sorter) Spilled() bool { return len(s.runs) > 0 }

// Err is why the sorter could not hold its records on disk, if so: they
// were kept in memory, or (when Each returns an error) lost.
func (s *Sorter) Err() error { return s.err }

// spill writes the records held as one sorted run.
func (s *Sorter) spill() {
	if s.file == nil {
		f, err := Create(s.what)
		if err != nil {
			s.err = err
			return
		}
		s.file = f
	}
	start := s.file.Size()
	slices.SortFunc(s.recs, bytes.Compare)
	for _, r := range s.recs {
		if err := s.file.Write(r); err != nil {
			s.err = err
			return
		}
	}
	s.runs = append(s.runs, [2]int64{start, s.file.Size() - start})
	clear(s.recs)
	s.recs, s.arena = s.recs[:0], s.arena[:0]
}

// Each yields the records in order, each valid until yield returns, and
// releases the sorter. It returns the first error met (records were lost).
func (s *Sorter) Each(yield func(rec []byte) bool) error {
	defer s.Close()
	if len(s.runs) == 0 {
		// Everything is in memory (also when no file could be made).
		slices.SortFunc(s.recs, bytes.Compare)
		for _, r := range s.recs {
			if !yield(r) {
				return nil
			}
		}
		return nil
	}
	if s.err != nil {
		return s.err // runs were written and a later one failed
	}
	if len(s.recs) > 0 {
		if s.spill(); s.err != nil {
			return s.err
		}
	}
	s.recs, s.arena = nil, nil // every record is on disk: the merge holds one a run
	if err := s.file.Flush(); err != nil {
		return err
	}
	m := &merger{}
	for _, r := range s.runs {
		h := &head{r: s.file.Reader(r[0], r[1])}
		rec, err := h.r.Next()
		if err == io.EOF {
			continue
		}
		if err != nil {
			return err
		}
		h.rec = rec
		m.heads = append(m.heads, h)
	}
	heap.Init(m)
	for len(m.heads) > 0 {
		h := m.heads[0]
		if !yield(h.rec) {
			return nil
		}
		rec, err := h.r.Next()
		switch {
		case err == io.EOF:
			heap.Pop(m)
		case err != nil:
			return err
		default:
			h.rec = rec
			heap.Fix(m, 0)
		}
	}
	return nil
}

// Close releases the sorter's file and records.
func (s *Sorter) Close() {
	_ = s.file.Close() // read-only from here: nothing written is lost by a failed close
	s.file, s.recs, s.arena, s.runs = nil, nil, nil, nil
}

// head is a run's next record; each run reads into its own buffer.
type head struct {
	rec []byte
	r   *Reader
}

// merger is a heap of the runs' next records.
type merger struct{ heads []*head }

func (m *merger) Len() int { return len(m.heads) }
func (m *merger) Less(i, j int) bool {
	return bytes.Compare(m.heads[i].rec, m.heads[j].rec) < 0
}
func (m *merger) Swap(i, j int) { m.heads[i], m.heads[j] = m.heads[j], m.heads[i] }
func (m *merger) Push(x any)    { m.heads = append(m.heads, x.(*head)) }
func (m *merger) Pop() any {
	h := m.heads[len(m.heads)-1]
	m.heads = m.heads[:len(m.heads)-1]
	return h
}
