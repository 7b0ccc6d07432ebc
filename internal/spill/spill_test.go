package spill

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"testing"
)

// sortAll sorts recs through a sorter holding about runBytes, and says
// whether it wrote runs to disk.
func sortAll(t testing.TB, recs [][]byte, runBytes int) ([][]byte, bool) {
	t.Helper()
	s := NewSorter("test records", runBytes, 0)
	for _, r := range recs {
		s.Add(r)
	}
	spilled := len(s.runs) > 0
	var got [][]byte
	if err := s.Each(func(rec []byte) bool {
		got = append(got, bytes.Clone(rec))
		return true
	}); err != nil {
		t.Fatalf("Each: %v", err)
	}
	return got, spilled
}

// TestSorterOrders: records come back in bytes.Compare order, whether
// they fit in memory or are merged from many runs, duplicates and empty
// records included.
func TestSorterOrders(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var recs [][]byte
	for i := range 5000 {
		n := rng.IntN(40)
		r := make([]byte, n)
		for j := range r {
			r[j] = byte(rng.IntN(4)) // few symbols: many shared prefixes and repeats
		}
		if i%97 == 0 {
			r = nil
		}
		recs = append(recs, r)
	}
	want := slices.Clone(recs)
	slices.SortFunc(want, bytes.Compare)
	for _, runBytes := range []int{1, 64, 4096, 1 << 30} {
		got, spilled := sortAll(t, recs, runBytes)
		if !slices.EqualFunc(got, want, bytes.Equal) {
			t.Errorf("runBytes %d: records out of order or lost (%d of %d)", runBytes, len(got), len(want))
		}
		if spilled != (runBytes < 1<<30) {
			t.Errorf("runBytes %d: spilled = %v", runBytes, spilled)
		}
	}
}

// TestSorterRunRecords: a sorter with a record limit writes a run when it
// holds that many, whatever their size.
func TestSorterRunRecords(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	s := NewSorter("test records", 1<<30, 10)
	for i := range 25 {
		s.Add(fmt.Appendf(nil, "%02d", 24-i))
	}
	if len(s.runs) != 2 || s.Len() != 25 || !s.Spilled() {
		t.Errorf("%d runs of %d records (spilled %v), want 2 of 25", len(s.runs), s.Len(), s.Spilled())
	}
	var got []string
	if err := s.Each(func(rec []byte) bool { got = append(got, string(rec)); return true }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 25 || !slices.IsSorted(got) {
		t.Errorf("got %q", got)
	}
}

// TestSorterStops: a yield that returns false ends Each, which releases
// the sorter.
func TestSorterStops(t *testing.T) {
	s := NewSorter("test records", 8, 0)
	for i := range 100 {
		s.Add(fmt.Appendf(nil, "%03d", 99-i))
	}
	var got []string
	if err := s.Each(func(rec []byte) bool {
		got = append(got, string(rec))
		return len(got) < 3
	}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []string{"000", "001", "002"}) {
		t.Errorf("got %q", got)
	}
	if s.file != nil || s.recs != nil {
		t.Error("the sorter was not released")
	}
}

// TestFileRoundTrip: records written come back whole, section by
// section, and a record cut short is corrupt, never a short record.
func TestFileRoundTrip(t *testing.T) {
	f, err := Create("test records")
	if err != nil {
		t.Skip("no temporary file here:", err)
	}
	defer f.Close()
	recs := [][]byte{[]byte("a"), nil, bytes.Repeat([]byte("x"), 300), []byte("last")}
	for _, r := range recs {
		if err := f.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Flush(); err != nil {
		t.Fatal(err)
	}
	rr := f.Reader(0, f.Size())
	for i, want := range recs {
		got, err := rr.Next()
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("record %d = %q, %v", i, got, err)
		}
	}
	if _, err := rr.Next(); err != io.EOF {
		t.Errorf("after the last: %v, want io.EOF", err)
	}
	if _, err := f.Reader(0, f.Size()-1).Next(); err != nil {
		t.Fatalf("first record of a cut file: %v", err)
	}
	cut := f.Reader(0, f.Size()-1)
	var last error
	for last == nil {
		_, last = cut.Next()
	}
	if !errors.Is(last, ErrCorrupt) {
		t.Errorf("a cut record: %v, want ErrCorrupt", last)
	}
}

// FuzzSorter: any records, split anywhere, sort as slices.SortFunc sorts
// them, with runs of any size.
func FuzzSorter(f *testing.F) {
	f.Add([]byte("b\x00a\x00c\x00a"), uint8(1))
	f.Add([]byte(""), uint8(0))
	f.Add([]byte("\x00\x00\x00"), uint8(3))
	f.Fuzz(func(t *testing.T, data []byte, run uint8) {
		recs := bytes.Split(data, []byte{0})
		want := slices.Clone(recs)
		slices.SortFunc(want, bytes.Compare)
		got, _ := sortAll(t, recs, int(run))
		if !slices.EqualFunc(got, want, bytes.Equal) {
			t.Errorf("got %q, want %q", got, want)
		}
	})
}

// TestSorterWithoutFile: a sorter that cannot make its temporary file
// keeps every record in memory, sorts them all, and says why.
func TestSorterWithoutFile(t *testing.T) {
	t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "missing"))
	t.Setenv("TMP", filepath.Join(t.TempDir(), "missing"))
	s := NewSorter("test records", 16, 0)
	var want []string
	for i := range 200 {
		r := fmt.Sprintf("%05d", (i*7919)%200)
		s.Add([]byte(r))
		want = append(want, r)
	}
	if s.Err() == nil {
		t.Fatal("no error, with no temporary directory")
	}
	slices.Sort(want)
	var got []string
	if err := s.Each(func(rec []byte) bool {
		got = append(got, string(rec))
		return true
	}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %d records, out of order or lost", len(got))
	}
}
