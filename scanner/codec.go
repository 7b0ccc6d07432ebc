package scanner

import (
	"encoding/binary"
	"errors"
)

// A finding's record, as a spill file holds it: its sequence number (the
// order it was added in, which breaks ties in sorting) and every field of
// the Finding, strings as a length and their bytes, integers as varints,
// optional parts behind a flag. TestCodecRoundTrip fills every field, so a
// field added to Finding and forgotten here fails it.

const (
	hasDownloaded = 1 << iota
	hasSuppression
	hasProvenance
	hasGrant
)

type recWriter struct{ b []byte }

func (w *recWriter) uint(v uint64) { w.b = binary.AppendUvarint(w.b, v) }
func (w *recWriter) int(v int)     { w.b = binary.AppendVarint(w.b, int64(v)) }
func (w *recWriter) str(s string)  { w.uint(uint64(len(s))); w.b = append(w.b, s...) }
func (w *recWriter) bool(v bool) {
	if v {
		w.b = append(w.b, 1)
	} else {
		w.b = append(w.b, 0)
	}
}

func (w *recWriter) loc(l *Location) {
	w.str(l.File)
	w.int(l.StartLine)
	w.int(l.StartCol)
	w.int(l.EndLine)
	w.int(l.EndCol)
	w.str(l.Address)
	w.str(l.Kind)
	w.str(l.Message)
}

// count writes a slice's length so that nil and empty differ: 0 is nil.
func (w *recWriter) count(n int, isNil bool) {
	if isNil {
		w.uint(0)
	} else {
		w.uint(uint64(n) + 1)
	}
}

// appendRecord appends f's record, with its sequence number, to b.
func appendRecord(b []byte, f *Finding, seq uint64) []byte {
	w := recWriter{b}
	w.uint(seq)
	w.str(f.CheckID)
	w.str(string(f.Status))
	w.int(int(f.Severity))
	w.str(f.Message)
	w.str(f.Resource)
	w.str(f.ResourceType)
	w.str(string(f.Source))
	w.str(f.RootModule)
	w.str(f.Attribute)
	w.loc(&f.Location)
	var flags byte
	if f.DownloadedModule != nil {
		flags |= hasDownloaded
	}
	if f.Suppression != nil {
		flags |= hasSuppression
	}
	if f.Provenance != nil {
		flags |= hasProvenance
	}
	if f.Grant != nil {
		flags |= hasGrant
	}
	w.b = append(w.b, flags)
	if f.DownloadedModule != nil {
		w.loc(f.DownloadedModule)
	}
	w.count(len(f.Related), f.Related == nil)
	for i := range f.Related {
		w.loc(&f.Related[i])
	}
	w.str(f.Fingerprint)
	if s := f.Suppression; s != nil {
		w.str(s.Kind)
		w.str(s.Justification)
		w.str(s.Expires)
		w.bool(s.Expired)
		w.loc(&s.Location)
	}
	w.str(f.Reason)
	if p := f.Provenance; p != nil {
		w.str(p.Value)
		w.count(len(p.Origins), p.Origins == nil)
		for _, o := range p.Origins {
			w.str(string(o.Kind))
			w.str(o.Name)
			w.str(o.Module)
			w.str(o.File)
			w.int(o.Line)
			w.bool(o.Outside)
		}
	}
	if g := f.Grant; g != nil {
		w.str(g.Asset)
		w.str(g.Role)
		w.str(g.Member)
	}
	return w.b
}

var errCorrupt = errors.New("a finding in the temporary file is corrupt")

// recReader decodes one record. Its strings are slices of one string made
// of the whole record (one allocation, not one per field).
type recReader struct {
	s   string
	i   int
	err error
}

func (r *recReader) uint() uint64 {
	if r.err != nil {
		return 0
	}
	var v uint64
	var shift uint
	for {
		if r.i >= len(r.s) || shift > 63 {
			r.err = errCorrupt
			return 0
		}
		c := r.s[r.i]
		r.i++
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return v
		}
		shift += 7
	}
}

func (r *recReader) int() int {
	u := r.uint()
	v := int64(u >> 1)
	if u&1 != 0 {
		v = ^v
	}
	return int(v)
}

func (r *recReader) str() string {
	n := r.uint()
	if r.err != nil || n > uint64(len(r.s)-r.i) {
		r.err = errCorrupt
		return ""
	}
	s := r.s[r.i : r.i+int(n)]
	r.i += int(n)
	return s
}

func (r *recReader) byte() byte {
	if r.err != nil || r.i >= len(r.s) {
		r.err = errCorrupt
		return 0
	}
	c := r.s[r.i]
	r.i++
	return c
}

func (r *recReader) bool() bool { return r.byte() != 0 }

func (r *recReader) loc(l *Location) {
	l.File = r.str()
	l.StartLine = r.int()
	l.StartCol = r.int()
	l.EndLine = r.int()
	l.EndCol = r.int()
	l.Address = r.str()
	l.Kind = r.str()
	l.Message = r.str()
}

// count reads a slice's length as count wrote it; nil is -1. A length
// that the rest of the record could not hold is corrupt.
func (r *recReader) count() int {
	n := r.uint()
	if n == 0 {
		return -1
	}
	if n-1 > uint64(len(r.s)-r.i) {
		r.err = errCorrupt
		return -1
	}
	return int(n - 1)
}

// recordTally reads what a result's tally counts of a record (see
// tally.addHead) without decoding the rest: its strings are slices of
// rec, valid while rec is.
func recordTally(rec []byte) (check string, st Status, sev Severity, expired bool, err error) {
	r := recReader{s: unsafeString(rec)}
	r.uint()
	check = r.str()
	st = Status(r.str())
	sev = Severity(r.int())
	for range 6 { // Message, Resource, ResourceType, Source, RootModule, Attribute
		r.str()
	}
	var l Location
	r.loc(&l)
	flags := r.byte()
	if flags&hasDownloaded != 0 {
		r.loc(&l)
	}
	for n := r.count(); n > 0; n-- {
		r.loc(&l)
	}
	r.str() // Fingerprint
	if flags&hasSuppression != 0 {
		r.str() // Kind
		r.str() // Justification
		r.str() // Expires
		expired = r.bool()
	}
	if r.err != nil {
		return "", "", 0, false, r.err
	}
	return check, st, sev, expired, nil
}

// renumber appends rec, a record, to b with seq for its sequence number.
func renumber(b, rec []byte, seq uint64) ([]byte, error) {
	_, n := binary.Uvarint(rec)
	if n <= 0 {
		return b, errCorrupt
	}
	return append(binary.AppendUvarint(b, seq), rec[n:]...), nil
}

// decodeRecord decodes a record appendRecord made.
func decodeRecord(rec string) (Finding, uint64, error) {
	r := recReader{s: rec}
	var f Finding
	seq := r.uint()
	f.CheckID = r.str()
	f.Status = Status(r.str())
	f.Severity = Severity(r.int())
	f.Message = r.str()
	f.Resource = r.str()
	f.ResourceType = r.str()
	f.Source = Source(r.str())
	f.RootModule = r.str()
	f.Attribute = r.str()
	r.loc(&f.Location)
	flags := r.byte()
	if flags&hasDownloaded != 0 {
		f.DownloadedModule = new(Location)
		r.loc(f.DownloadedModule)
	}
	if n := r.count(); n >= 0 {
		f.Related = make([]Location, n)
		for i := range f.Related {
			r.loc(&f.Related[i])
		}
	}
	f.Fingerprint = r.str()
	if flags&hasSuppression != 0 {
		s := new(Suppression)
		s.Kind = r.str()
		s.Justification = r.str()
		s.Expires = r.str()
		s.Expired = r.bool()
		r.loc(&s.Location)
		f.Suppression = s
	}
	f.Reason = r.str()
	if flags&hasProvenance != 0 {
		p := &Provenance{Value: r.str()}
		if n := r.count(); n >= 0 {
			p.Origins = make([]Origin, n)
			for i := range p.Origins {
				o := &p.Origins[i]
				o.Kind = OriginKind(r.str())
				o.Name = r.str()
				o.Module = r.str()
				o.File = r.str()
				o.Line = r.int()
				o.Outside = r.bool()
			}
		}
		f.Provenance = p
	}
	if flags&hasGrant != 0 {
		f.Grant = &Grant{Asset: r.str(), Role: r.str(), Member: r.str()}
	}
	if r.err == nil && r.i != len(r.s) {
		r.err = errCorrupt
	}
	if r.err != nil {
		return Finding{}, 0, r.err
	}
	return f, seq, nil
}
