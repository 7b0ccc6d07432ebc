package scanner

import (
	"bytes"
	"cmp"
	"math"
	"math/rand/v2"
	"testing"
)

func sign(n int) int { return cmp.Compare(n, 0) }

// FuzzKeyString: two strings' keys, whatever follows each, compare as the
// strings do; equal strings make equal keys; CutKeyString reads each back.
func FuzzKeyString(f *testing.F) {
	for _, s := range [][2]string{{"a", "ab"}, {"a", "a\x00"}, {"a\x00", "a\x01"}, {"", "\x00"}, {"\x00\xff", "\x00"}, {"b", "a\xff"}} {
		f.Add(s[0], s[1], "\xff", "\x00")
	}
	f.Fuzz(func(t *testing.T, a, b, tailA, tailB string) {
		ka := append(AppendKeyString(nil, a), tailA...)
		kb := append(AppendKeyString(nil, b), tailB...)
		if got, rest, ok := CutKeyString(ka); !ok || got != a || string(rest) != tailA {
			t.Fatalf("CutKeyString of %q's key = %q, %q, %v", a, got, rest, ok)
		}
		if got, rest, ok := CutKeyStringView(ka); !ok || got != a || string(rest) != tailA {
			t.Fatalf("CutKeyStringView of %q's key = %q, %q, %v", a, got, rest, ok)
		}
		// Cut short, neither reads a string.
		for i := range len(ka) - len(tailA) {
			if _, _, ok := CutKeyStringView(ka[:i]); ok {
				t.Fatalf("CutKeyStringView read a string from %q, %d bytes of %q's key", ka[:i], i, a)
			}
		}
		if a == b {
			if !bytes.Equal(AppendKeyString(nil, a), AppendKeyString(nil, b)) {
				t.Fatal("equal strings, different keys")
			}
			return
		}
		if got, want := sign(bytes.Compare(ka, kb)), compareStrings(a, b); got != want {
			t.Errorf("keys of %q and %q compare %d, strings %d", a, b, got, want)
		}
	})
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// TestKeyInt: integers' keys sort as the integers, negative ones first.
func TestKeyInt(t *testing.T) {
	ns := []int64{math.MinInt64, -1 << 40, -2, -1, 0, 1, 2, 255, 256, 1 << 40, math.MaxInt64}
	for i := range ns {
		for j := range ns {
			if got, want := sign(bytes.Compare(AppendKeyInt(nil, ns[i]), AppendKeyInt(nil, ns[j]))), cmp.Compare(ns[i], ns[j]); got != want {
				t.Errorf("keys of %d and %d compare %d, want %d", ns[i], ns[j], got, want)
			}
		}
	}
}

// TestFindingKeyOrder: findingKey orders findings as findingCmp does, ties
// by sequence number, on findings made to share most of their fields.
func TestFindingKeyOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	pick := func(opts ...string) string { return opts[rng.IntN(len(opts))] }
	var fs []Finding
	for range 400 {
		fs = append(fs, Finding{
			CheckID:    pick("GCP-ENC-001", "GCP-ENC-0010", "GCP-TLS-002"),
			Resource:   pick("a.b", "a.b\x00", "a.bc", ""),
			RootModule: pick("", "envs/a", "envs/a\x00b"),
			Attribute:  pick("", "x", "x.y"),
			Status:     Status(pick("FAIL", "PASS")),
			Message:    pick("m", "m\x00", "m2"),
			Location: Location{File: pick("a.tf", "a.tf\x00", "b.tf", ""),
				StartLine: rng.IntN(5) - 1, StartCol: rng.IntN(3) - 1},
		})
	}
	for i := range fs {
		for j := range fs {
			want := findingCmp(&fs[i], &fs[j])
			if want == 0 {
				want = cmp.Compare(i, j)
			}
			got := bytes.Compare(findingKey(nil, &fs[i], uint64(i)), findingKey(nil, &fs[j], uint64(j)))
			if sign(got) != want {
				t.Fatalf("findings %d and %d: keys compare %d, findingCmp and order %d\n%+v\n%+v", i, j, got, want, fs[i], fs[j])
			}
		}
	}
}

// TestDecodeKeyedCut: a keyed record cut short or with a key length past
// its end is corrupt, never a finding.
func TestDecodeKeyedCut(t *testing.T) {
	f := Finding{CheckID: "GCP-ENC-001", Message: "m", Location: Location{File: "a.tf", StartLine: 3}}
	var rec []byte
	rec = findingKey(rec, &f, 7)
	n := len(rec)
	rec = appendRecord(rec, &f, 7)
	rec = append(rec, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	if got, seq, err := decodeKeyed(rec); err != nil || seq != 7 || got.CheckID != f.CheckID {
		t.Fatalf("whole record: %+v, %d, %v", got, seq, err)
	}
	for cut := range len(rec) {
		if _, _, err := decodeKeyed(rec[:cut]); err == nil {
			t.Errorf("a record cut to %d of %d bytes decoded", cut, len(rec))
		}
	}
	bad := append([]byte(nil), rec...)
	bad[len(bad)-1] = 0xff
	if _, _, err := decodeKeyed(bad); err == nil {
		t.Error("a key length past the record decoded")
	}
}
