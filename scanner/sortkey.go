package scanner

import (
	"bytes"
	"encoding/binary"
	"strings"
	"unsafe"

	"github.com/casascan/casascan/internal/spill"
)

// Sort keys: byte strings whose order (bytes.Compare) is the order of the
// values they encode, so that findings sort by comparing bytes, held as
// records in a pointer-free arena the garbage collector never scans.

// AppendKeyString appends s to a sort key: ordered as strings.Compare
// orders strings, whatever follows it in the key. A NUL byte is written
// as 00 FF and the string ends with 00 01, so a string sorts before every
// longer string it begins.
func AppendKeyString(dst []byte, s string) []byte {
	for {
		i := strings.IndexByte(s, 0)
		if i < 0 {
			break
		}
		dst = append(append(dst, s[:i]...), 0, 0xff)
		s = s[i+1:]
	}
	return append(append(dst, s...), 0, 1)
}

// CutKeyString reads back the string AppendKeyString appended at the
// start of key, and returns it and the rest of key; ok is false when key
// does not start with one.
func CutKeyString(key []byte) (s string, rest []byte, ok bool) {
	var b []byte
	for {
		i := bytes.IndexByte(key, 0)
		if i < 0 || i+1 >= len(key) {
			return "", nil, false
		}
		b = append(b, key[:i]...)
		switch key[i+1] {
		case 1:
			return string(b), key[i+2:], true
		case 0xff:
			b = append(b, 0)
			key = key[i+2:]
		default:
			return "", nil, false
		}
	}
}

// CutKeyStringView is CutKeyString for a reader done with the string
// before key changes: a string that holds no NUL byte (as most do) is
// returned as a view of key's bytes, not a copy.
func CutKeyStringView(key []byte) (s string, rest []byte, ok bool) {
	if i := bytes.IndexByte(key, 0); i >= 0 && i+1 < len(key) && key[i+1] == 1 {
		return unsafe.String(unsafe.SliceData(key), i), key[i+2:], true
	}
	return CutKeyString(key)
}

// AppendKeyInt appends n to a sort key: eight bytes, big-endian, the sign
// bit flipped so that negative numbers sort first.
func AppendKeyInt(dst []byte, n int64) []byte {
	return binary.BigEndian.AppendUint64(dst, uint64(n)^(1<<63))
}

// findingKey is a finding's key in SortFindings' order (findingCmp), its
// sequence number last.
func findingKey(dst []byte, f *Finding, seq uint64) []byte {
	dst = AppendKeyString(dst, f.Location.File)
	dst = AppendKeyInt(dst, int64(f.Location.StartLine))
	dst = AppendKeyInt(dst, int64(f.Location.StartCol))
	dst = AppendKeyString(dst, f.CheckID)
	dst = AppendKeyString(dst, f.Resource)
	dst = AppendKeyString(dst, f.RootModule)
	dst = AppendKeyString(dst, f.Attribute)
	dst = AppendKeyString(dst, string(f.Status))
	dst = AppendKeyString(dst, f.Message)
	return binary.BigEndian.AppendUint64(dst, seq)
}

// groupKey is a finding's key by dedupe group (groupCmp: fingerprint and
// root module), its sequence number last.
func groupKey(dst []byte, f *Finding, seq uint64) []byte {
	dst = AppendKeyString(dst, f.Fingerprint)
	dst = AppendKeyString(dst, f.RootModule)
	return binary.BigEndian.AppendUint64(dst, seq)
}

// spillRun and spillBytes bound what a sorter of findings holds in memory
// before it writes a sorted run to disk: 8,192 findings, 4 MiB of
// records. Variables so that tests can make small results spill
// (SetSpillRun).
var (
	spillRun   = 8192
	spillBytes = 4 << 20
)

// keyedSort sorts findings by a key (ending with the sequence number, so
// that no two are equal and ties keep the order added), each held as its
// key, its record (appendRecord), and the key's length in four bytes at
// the end, in a spill.Sorter.
type keyedSort struct {
	s   *spill.Sorter
	key func(dst []byte, f *Finding, seq uint64) []byte
	buf []byte
}

func newKeyedSort(key func(dst []byte, f *Finding, seq uint64) []byte) *keyedSort {
	return &keyedSort{s: spill.NewSorter("findings", spillBytes, spillRun), key: key}
}

// add adds a finding.
func (k *keyedSort) add(f *Finding, seq uint64) {
	k.buf = k.key(k.buf[:0], f, seq)
	n := len(k.buf)
	k.buf = appendRecord(k.buf, f, seq)
	k.buf = binary.BigEndian.AppendUint32(k.buf, uint32(n))
	k.s.Add(k.buf)
}

// each yields the findings in order and releases the sorter. It returns
// the first error met.
func (k *keyedSort) each(yield func(f *Finding, seq uint64) bool) error {
	var derr error
	err := k.s.Each(func(rec []byte) bool {
		f, seq, err := decodeKeyed(rec)
		if err != nil {
			derr = err
			return false
		}
		return yield(&f, seq)
	})
	if derr != nil {
		return derr
	}
	return err
}

// eachRecord is each for the findings' records (appendRecord), undecoded,
// each valid until yield returns.
func (k *keyedSort) eachRecord(yield func(rec []byte) bool) error {
	var derr error
	err := k.s.Each(func(rec []byte) bool {
		r, err := keyedRecord(rec)
		if err != nil {
			derr = err
			return false
		}
		return yield(r)
	})
	if derr != nil {
		return derr
	}
	return err
}

// keyedRecord returns the finding's record in a keyedSort record.
func keyedRecord(rec []byte) ([]byte, error) {
	if len(rec) < 4 {
		return nil, errCorrupt
	}
	n := binary.BigEndian.Uint32(rec[len(rec)-4:])
	if uint64(n) > uint64(len(rec)-4) {
		return nil, errCorrupt
	}
	return rec[n : len(rec)-4], nil
}

// decodeKeyed decodes a keyedSort record.
func decodeKeyed(rec []byte) (Finding, uint64, error) {
	r, err := keyedRecord(rec)
	if err != nil {
		return Finding{}, 0, err
	}
	return decodeRecord(string(r))
}
