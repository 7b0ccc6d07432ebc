package scanner

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fill sets every field of v (a pointer) to a value that is not zero,
// recursively, so that a field the store forgets to keep shows.
func fill(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("s%d", *n))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(*n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), n)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0), n)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), n)
			}
		}
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
	}
}

// TestPackRoundTrip: a finding comes out of the store as it went in, every
// field of it (a field added to Finding and forgotten by pack fails here),
// whether its location, message and fingerprint take the packed forms or
// not.
func TestPackRoundTrip(t *testing.T) {
	var full Finding
	n := 0
	fill(reflect.ValueOf(&full).Elem(), &n)
	usual := full
	usual.Location = Location{File: "main.tf", StartLine: 3, StartCol: 1, EndLine: 3, EndCol: 20, Address: usual.Resource, Kind: "resource"}
	usual.Message = usual.Resource + ": passes"
	usual.Fingerprint = Fingerprint("GCP-ENC-001", usual.Resource, "", "")
	zeros := usual
	zeros.Fingerprint = "00000000000000000000000000000000"
	upper := usual
	upper.Fingerprint = "0123456789ABCDEF0123456789ABCDEF"
	for name, f := range map[string]Finding{"every field": full, "packed forms": usual, "zero fingerprint": zeros, "upper-case fingerprint": upper, "empty": {}} {
		var st findingStore
		st.add([]Finding{f}, map[resIdent]*resIdent{})
		got := st.result()
		if len(got) != 1 {
			t.Fatalf("%s: %d findings out, want 1", name, len(got))
		}
		if diff := cmp.Diff(f, got[0]); diff != "" {
			t.Errorf("%s: the finding changed in the store (-in +out):\n%s", name, diff)
		}
	}
}

// TestStoreOrderAndDedupe: the store gives what SortFindings gives, less
// exact repeats, with a repeat that differs given its own fingerprint.
func TestStoreOrderAndDedupe(t *testing.T) {
	mk := func(file string, line int, id, res, msg string) Finding {
		f := Finding{CheckID: id, Resource: res, Message: msg, Status: StatusFail,
			Location: Location{File: file, StartLine: line, Address: res, Kind: "resource"}}
		f.Fingerprint = Fingerprint(id, res, "", "")
		return f
	}
	in := []Finding{
		mk("b.tf", 2, "GCP-ENC-001", "x.b", "m"),
		mk("a.tf", 9, "GCP-ENC-001", "x.a", "m"),
		mk("a.tf", 9, "GCP-ENC-001", "x.a", "m"),  // an exact repeat: dropped
		mk("a.tf", 9, "GCP-ENC-001", "x.a", "m2"), // differs: kept, fingerprint suffixed
		mk("a.tf", 1, "GCP-ENC-002", "x.c", "x.c: passes"),
	}
	var st findingStore
	st.add(in[:2], map[resIdent]*resIdent{})
	st.add(in[2:], map[resIdent]*resIdent{})
	got := st.result()
	want := []Finding{in[4], in[1], in[3], in[0]}
	want[2].Fingerprint = Fingerprint("GCP-ENC-001", "x.a", "", "1")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("store result (-want +got):\n%s", diff)
	}
}
