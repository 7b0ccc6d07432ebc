package scanner

import "testing"

func TestAddressRoundTrip(t *testing.T) {
	for _, s := range []string{
		"google_storage_bucket.b",
		`google_storage_bucket.b["logs"]`,
		"google_compute_disk.d[3]",
		"data.google_iam_policy.p",
		`module.db[1].module.inner.google_sql_database_instance.this`,
		`module.a["x.y[z]"].google_storage_bucket.b["k.1"]`,
	} {
		t.Run(s, func(t *testing.T) {
			a, err := ParseAddress(s)
			if err != nil {
				t.Fatalf("ParseAddress: %v", err)
			}
			if got := a.String(); got != s {
				t.Errorf("round trip = %q, want %q", got, s)
			}
		})
	}
}

func TestAddressParts(t *testing.T) {
	a, err := ParseAddress(`module.db[1].module.inner.data.google_x.y["k"]`)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Module) != 2 || a.Module[0].Key != IntKey(1) || a.Module[1].Key != nil || a.Mode != Data ||
		a.Type != "google_x" || a.Name != "y" || a.Key != StringKey("k") {
		t.Errorf("parsed %#v", a)
	}
}

func TestParseAddressErrors(t *testing.T) {
	for _, s := range []string{"", "google_x", "module.a", "google_x.y[", `google_x.y["a`, "google_x.y[a]", "google_x.y.z",
		// Changed shapes (one lexer with references): a name holding ']'
		// and an empty index are errors; two indexes still are.
		"google_x.y]", "google_x.y[]", "google_x.y[0][1]", "module.a[*].google_x.y"} {
		if _, err := ParseAddress(s); err == nil {
			t.Errorf("ParseAddress(%q): want error", s)
		}
	}
}
