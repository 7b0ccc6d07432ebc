package scanner

import (
	"io"
	"unsafe"

	"github.com/casascan/casascan/internal/spill"
)

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

// writeRecord appends a record, renumbered seq.
func (s *spillFile) writeRecord(rec []byte, seq uint64) error {
	var err error
	if s.buf, err = renumber(s.buf[:0], rec, seq); err != nil {
		return err
	}
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

// nextOf returns the next finding whose status and severity keep (when
// not nil) accepts, passing over the others without decoding them, or
// io.EOF after the last.
func (rr *recordReader) nextOf(keep func(Status, Severity) bool) (Finding, uint64, error) {
	for {
		rec, err := rr.r.Next()
		if err == io.EOF {
			return Finding{}, 0, err
		}
		if err != nil {
			return Finding{}, 0, errCorrupt
		}
		if keep == nil || keep(recordHead(rec)) {
			return decodeRecord(string(rec))
		}
	}
}

// recordHead reads the status and severity of a record without decoding
// the rest; "" for a record too short, which decodeRecord then finds
// corrupt.
func recordHead(rec []byte) (Status, Severity) {
	r := recReader{s: unsafeString(rec)}
	r.uint()
	r.str()
	st := r.str()
	sev := r.int()
	if r.err != nil {
		return "", 0
	}
	return Status(st), Severity(sev)
}

// unsafeString is b as a string without a copy, for a comparison that
// ends before b changes.
func unsafeString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }
