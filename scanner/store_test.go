package scanner

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
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

// TestCodecRoundTrip: a finding comes back from its record as it went in,
// every field of it (a field added to Finding and forgotten by the codec
// fails here), nil and empty slices kept apart.
func TestCodecRoundTrip(t *testing.T) {
	var full Finding
	n := 0
	fill(reflect.ValueOf(&full).Elem(), &n)
	empty := full
	empty.Related, empty.Provenance = []Location{}, &Provenance{Value: "v", Origins: []Origin{}}
	negative := Finding{Location: Location{StartLine: -1, EndCol: -1 << 40}, Severity: -3}
	for name, f := range map[string]Finding{"every field": full, "empty slices": empty, "negative numbers": negative, "zero": {}} {
		rec := appendRecord(nil, &f, 1<<40+7)
		got, seq, err := decodeRecord(string(rec))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if seq != 1<<40+7 {
			t.Errorf("%s: seq %d", name, seq)
		}
		if diff := cmp.Diff(f, got); diff != "" {
			t.Errorf("%s: the finding changed in its record (-in +out):\n%s", name, diff)
		}
		// The tally's reading of the record agrees with the decoding, and
		// renumbering changes the sequence number only.
		check, st, sev, expired, err := recordTally(rec)
		if err != nil || check != f.CheckID || st != f.Status || sev != f.Severity || expired != (f.Suppression != nil && f.Suppression.Expired) {
			t.Errorf("%s: recordTally = %q %q %v %v %v", name, check, st, sev, expired, err)
		}
		re, err := renumber(nil, rec, 3)
		if err != nil {
			t.Fatal(err)
		}
		if got, seq, err := decodeRecord(string(re)); err != nil || seq != 3 || !cmp.Equal(f, got) {
			t.Errorf("%s: renumbered record decodes to seq %d, %v, changed %v", name, seq, err, !cmp.Equal(f, got))
		}
		// Every cut of the record is corrupt, not a panic or a wrong finding.
		for i := range len(rec) {
			if _, _, err := decodeRecord(string(rec[:i])); err == nil {
				t.Fatalf("%s: a record cut at %d of %d decoded", name, i, len(rec))
			}
		}
	}
}

// storeResult runs findings through a store, one slice per graph.
func storeResult(t *testing.T, graphs ...[]Finding) []Finding {
	t.Helper()
	var st findingStore
	for _, g := range graphs {
		st.add(slices.Clone(g))
	}
	l, diags := st.result()
	if len(diags) > 0 || l.err != nil {
		t.Fatalf("store: %v %v", diags, l.err)
	}
	r := &Result{findings: l}
	defer r.Close()
	got := r.List()
	if r.Err() != nil || r.Len() != len(got) {
		t.Fatalf("store: %d of %d read, %v", len(got), r.Len(), r.Err())
	}
	return got
}

// withSpillRun makes sorters write runs of n findings for one test.
func withSpillRun(t *testing.T, n int) {
	old := spillRun
	spillRun = n
	t.Cleanup(func() { spillRun = old })
	t.Setenv("TMPDIR", t.TempDir())
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
	want := []Finding{in[4], in[1], in[3], in[0]}
	want[2].Fingerprint = Fingerprint("GCP-ENC-001", "x.a", "", "1")
	for _, run := range []int{spillRun, 1, 2} {
		t.Run(fmt.Sprint("run ", run), func(t *testing.T) {
			withSpillRun(t, run)
			got := storeResult(t, in[:2], in[2:])
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("store result (-want +got):\n%s", diff)
			}
		})
	}
}

// referenceDedupe is the store's dedupe and order as it was written before
// findings were sorted on disk: findings in the order added, each group
// (fingerprint, root module) compared pairwise, then a stable sort.
func referenceDedupe(in []Finding) []Finding {
	type key struct{ fp, root string }
	kept := map[key][]Finding{} // head first
	var out []Finding
	for _, f := range in {
		k := key{f.Fingerprint, f.RootModule}
		g := kept[k]
		if slices.ContainsFunc(g, func(h Finding) bool { return alike(&h, &f) }) {
			continue
		}
		if len(g) > 0 {
			f.Fingerprint = Fingerprint(f.CheckID, f.identity(), f.Attribute, fmt.Sprint(len(g)))
		}
		kept[k] = append(g, f)
		out = append(out, f)
	}
	SortFindings(out)
	return out
}

// TestStoreMatchesReference: on many findings with repeats, near repeats
// and ties in the order, the store gives what the reference gives, whether
// it sorts in memory or in runs on disk of any size.
func TestStoreMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var in []Finding
	for range 3000 {
		res := fmt.Sprintf("google_storage_bucket.b%d", rng.IntN(40))
		id := []string{"GCP-ENC-001", "GCP-ENC-002", "GCP-TLS-001"}[rng.IntN(3)]
		root := []string{"", "a", "b"}[rng.IntN(3)]
		f := Finding{CheckID: id, Resource: res, RootModule: root, Status: []Status{StatusFail, StatusPass}[rng.IntN(2)],
			Message: fmt.Sprintf("m%d", rng.IntN(3)), Severity: Severity(rng.IntN(4)),
			Location: Location{File: fmt.Sprintf("f%d.tf", rng.IntN(5)), StartLine: rng.IntN(4), Address: res, Kind: "resource"}}
		if rng.IntN(4) == 0 {
			f.Provenance = &Provenance{Value: "v", Origins: []Origin{{Kind: "variable", Name: "var.x", File: "v.tf", Line: 2}}}
		}
		f.Fingerprint = Fingerprint(id, f.identity(), "", "")
		in = append(in, f)
	}
	want := referenceDedupe(slices.Clone(in))
	for _, run := range []int{1 << 20, 1, 7, 256} {
		t.Run(fmt.Sprint("run ", run), func(t *testing.T) {
			withSpillRun(t, run)
			got := storeResult(t, in[:1000], in[1000:2500], in[2500:])
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("store result (-reference +store):\n%s", diff)
			}
		})
	}
}

// spilledResult returns a result whose findings are on disk.
func spilledResult(t *testing.T, fs []Finding) *Result {
	t.Helper()
	withSpillRun(t, 3)
	var st findingStore
	st.add(slices.Clone(fs))
	l, diags := st.result()
	if len(diags) > 0 || l.file == nil {
		t.Fatalf("not spilled: %v", diags)
	}
	r := &Result{findings: l}
	t.Cleanup(func() { r.Close() })
	return r
}

// TestSpilledResult: a result on disk reads, counts, sorts and updates as
// one in memory does, and leaves no file behind.
func TestSpilledResult(t *testing.T) {
	var fs []Finding
	for i := range 50 {
		f := Finding{CheckID: fmt.Sprint("C", i%3), Resource: fmt.Sprint("r", i), Status: []Status{StatusFail, StatusPass, StatusUnknown}[i%4%3], Severity: Severity(i % 5),
			Location: Location{File: fmt.Sprint(i%7, ".tf"), StartLine: i}}
		f.Fingerprint = Fingerprint(f.CheckID, f.Resource, "", "")
		fs = append(fs, f)
	}
	sortedFs := slices.Clone(fs)
	SortFindings(sortedFs)
	mem := NewResult(Tool{}, nil, sortedFs, nil)
	disk := spilledResult(t, fs)
	tmp := os.Getenv("TMPDIR")
	check := func(what string) {
		t.Helper()
		if diff := cmp.Diff(mem.List(), disk.List()); diff != "" {
			t.Fatalf("%s: (-memory +disk):\n%s", what, diff)
		}
		for _, s := range []Status{StatusFail, StatusPass, StatusUnknown, StatusIgnored} {
			if mem.Count(s) != disk.Count(s) {
				t.Fatalf("%s: count of %s: %d in memory, %d on disk", what, s, mem.Count(s), disk.Count(s))
			}
		}
		if diff := cmp.Diff(groupsOf(mem.List()), disk.Groups()); diff != "" {
			t.Fatalf("%s: groups (-counted +disk):\n%s", what, diff)
		}
		if diff := cmp.Diff(groupsOf(mem.List()), mem.Groups()); diff != "" {
			t.Fatalf("%s: groups (-counted +memory):\n%s", what, diff)
		}
		for _, only := range [][]Status{{StatusFail}, {StatusUnknown, StatusIgnored}, {"NONE"}} {
			want := slices.DeleteFunc(mem.List(), func(f Finding) bool { return !slices.Contains(only, f.Status) })
			if diff := cmp.Diff(want, slices.Collect(disk.Only(only...)), cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("%s: Only(%v) on disk (-want +got):\n%s", what, only, diff)
			}
			if diff := cmp.Diff(want, slices.Collect(mem.Only(only...)), cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("%s: Only(%v) in memory (-want +got):\n%s", what, only, diff)
			}
		}
		for _, sev := range []Severity{Critical, High, Low} {
			want := slices.DeleteFunc(mem.List(), func(f Finding) bool { return f.Status != StatusFail || f.Severity != sev })
			if diff := cmp.Diff(want, slices.Collect(disk.OnlySeverity(StatusFail, sev)), cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("%s: OnlySeverity(FAIL, %v) on disk (-want +got):\n%s", what, sev, diff)
			}
			if diff := cmp.Diff(want, slices.Collect(mem.OnlySeverity(StatusFail, sev)), cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("%s: OnlySeverity(FAIL, %v) in memory (-want +got):\n%s", what, sev, diff)
			}
		}
		if mem.Len() != disk.Len() || disk.Err() != nil {
			t.Fatalf("%s: len %d and %d, %v", what, mem.Len(), disk.Len(), disk.Err())
		}
	}
	check("as stored")
	byCheck := func(dst []byte, f *Finding) []byte { return AppendKeyString(dst, f.CheckID) }
	stable := slices.SortedStableFunc(slices.Values(mem.List()), func(a, b Finding) int { return strings.Compare(a.CheckID, b.CheckID) })
	if diff := cmp.Diff(stable, slices.Collect(mem.SortedBy(byCheck))); diff != "" {
		t.Fatalf("SortedBy in memory (-stable sort +got):\n%s", diff)
	}
	if diff := cmp.Diff(stable, slices.Collect(disk.SortedBy(byCheck))); diff != "" {
		t.Fatalf("SortedBy on disk (-stable sort +got):\n%s", diff)
	}
	update := func(f *Finding) bool {
		if f.Status == StatusFail {
			f.Status = StatusIgnored
		}
		return f.Status != StatusUnknown
	}
	if a, b := mem.Update(update), disk.Update(update); a != b || a == 0 {
		t.Fatalf("Update dropped %d in memory, %d on disk", a, b)
	}
	check("updated")
	// Stopping early is allowed.
	for range disk.All() {
		break
	}
	if err := disk.Close(); err != nil {
		t.Fatal(err)
	}
	if disk.Len() != 0 || len(disk.List()) != 0 {
		t.Fatal("findings left after Close")
	}
	if runtime.GOOS != "windows" {
		if left, _ := os.ReadDir(tmp); len(left) != 0 {
			t.Fatalf("files left in the temporary directory: %v", left)
		}
	}
}

// TestSpillUnwritable: when no temporary file can be made, the findings
// stay in memory, complete, with a warning.
func TestSpillUnwritable(t *testing.T) {
	withSpillRun(t, 2)
	t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "missing"))
	var st findingStore
	var in []Finding
	for i := range 9 {
		in = append(in, Finding{CheckID: "C", Resource: fmt.Sprint("r", i), Fingerprint: fmt.Sprint(i), Status: StatusFail})
	}
	st.add(slices.Clone(in))
	l, diags := st.result()
	if l.err != nil || len(l.mem) != len(in) || l.file != nil {
		t.Fatalf("got %d in memory, file %v, err %v", len(l.mem), l.file != nil, l.err)
	}
	if len(diags) == 0 || diags[0].Severity != DiagWarning || diags[0].NotJudged() {
		t.Fatalf("want a warning, got %v", diags)
	}
}

// groupsOf counts findings as Result.Groups does, the plain way.
func groupsOf(fs []Finding) []FindingGroup {
	var out []FindingGroup
	for i, f := range fs {
		j := slices.IndexFunc(out, func(g FindingGroup) bool {
			return g.CheckID == f.CheckID && g.Status == f.Status && g.Severity == f.Severity
		})
		if j < 0 {
			out = append(out, FindingGroup{CheckID: f.CheckID, Status: f.Status, Severity: f.Severity, First: i})
			j = len(out) - 1
		}
		out[j].Count++
	}
	return out
}

// TestExpiredIgnoresCounted: the count of expired suppressions follows the
// findings in memory, on disk, and through Update.
func TestExpiredIgnoresCounted(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	expired := &Suppression{Kind: SuppressionInSource, Expired: true}
	live := &Suppression{Kind: SuppressionInSource}
	fs := []Finding{
		{CheckID: "A", Status: StatusFail, Suppression: expired},
		{CheckID: "B", Status: StatusIgnored, Suppression: live},
		{CheckID: "C", Status: StatusFail, Suppression: expired},
		{CheckID: "D", Status: StatusPass},
	}
	r := NewResult(Tool{}, nil, slices.Clone(fs), nil)
	defer r.Close()
	if got := r.ExpiredIgnores(); got != 2 {
		t.Errorf("in memory: %d expired, want 2", got)
	}
	if err := r.Spill(); err != nil {
		t.Fatal(err)
	}
	if got := r.ExpiredIgnores(); got != 2 {
		t.Errorf("on disk: %d expired, want 2", got)
	}
	r.Update(func(f *Finding) bool { return f.CheckID != "A" })
	if got := r.ExpiredIgnores(); got != 1 {
		t.Errorf("after Update: %d expired, want 1", got)
	}
}

// TestStoreWithoutTempFile: with nowhere to hold findings on disk, every
// finding is kept in memory, in order, and the scan is told so once, not
// once per sorter.
func TestStoreWithoutTempFile(t *testing.T) {
	withSpillRun(t, 2)
	t.Setenv("TMPDIR", filepath.Join(t.TempDir(), "missing"))
	t.Setenv("TMP", filepath.Join(t.TempDir(), "missing"))
	var in []Finding
	for i := range 9 {
		f := Finding{CheckID: "GCP-ENC-001", Resource: fmt.Sprint("r", i%3), Message: fmt.Sprint("m", i), Status: StatusFail,
			Location: Location{File: "a.tf", StartLine: 9 - i}}
		f.Fingerprint = Fingerprint(f.CheckID, f.Resource, "", "") // repeats: the dedupe sorter runs too
		in = append(in, f)
	}
	var st findingStore
	st.add(slices.Clone(in))
	l, diags := st.result()
	r := &Result{findings: l}
	defer r.Close()
	held := 0
	for _, d := range diags {
		if d.Summary == "findings held in memory" {
			held++
		} else {
			t.Errorf("unexpected diagnostic: %+v", d)
		}
	}
	if held != 1 {
		t.Errorf("%d \"findings held in memory\" warnings, want 1: %+v", held, diags)
	}
	if got := r.List(); len(got) != len(in) || !slices.IsSortedFunc(got, func(a, b Finding) int { return findingCmp(&a, &b) }) {
		t.Errorf("%d of %d findings, in order %v", len(got), len(in), slices.IsSortedFunc(got, func(a, b Finding) int { return findingCmp(&a, &b) }))
	}
}

// TestStoreRepeatedFlag: the dedupe sort is asked for only when two
// findings may share a group: one graph's own repeat, or a root module
// met in an earlier graph; graphs of roots of their own never ask.
func TestStoreRepeatedFlag(t *testing.T) {
	mk := func(root, res string) Finding {
		return Finding{CheckID: "C", Resource: res, RootModule: root, Fingerprint: Fingerprint("C", res, "", "")}
	}
	for _, tc := range []struct {
		name   string
		graphs [][]Finding
		want   bool
	}{
		{"roots of their own", [][]Finding{{mk("a", "x"), mk("a", "y")}, {mk("b", "x")}, {mk("c", "x")}}, false},
		{"a repeat in one graph", [][]Finding{{mk("a", "x"), mk("a", "x")}, {mk("b", "x")}}, true},
		{"a root met again", [][]Finding{{mk("a", "x")}, {mk("b", "x")}, {mk("a", "y")}}, true},
	} {
		var st findingStore
		for _, g := range tc.graphs {
			st.add(slices.Clone(g))
		}
		if st.repeated != tc.want {
			t.Errorf("%s: repeated = %v, want %v", tc.name, st.repeated, tc.want)
		}
		l, _ := st.result()
		(&Result{findings: l}).Close()
	}
}
