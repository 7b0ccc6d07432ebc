package scanner

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseIgnores(t *testing.T) {
	src := `# casascan:ignore:GCP-ENC-001,GCP-ACC-002 exp:2026-12-31 -- static assets, no user data
resource "google_storage_bucket" "b" {
  name = "x" // casascan:ignore:GCP-ACC-003
  # casascan:ignore:GCP-ACC-002
  # casascan:ignore:GCP-ENC-001 -- stacked
  uniform_bucket_level_access = false
  labels = { url = "http://x#casascan:ignore:GCP-ENC-001" }
}
#tfsec:ignore:google-storage-bucket-encryption-customer-key:exp:2025-01-01
#trivy:ignore:AVD-GCP-9999
# casascan:ignore:GCP-KMS-001 exp:31-12-2026
`
	mapID := func(tool, id string) []string {
		if id == "google-storage-bucket-encryption-customer-key" {
			return []string{"GCP-ENC-001"}
		}
		return nil
	}
	got, diags := ParseIgnores("main.tf", []byte(src), mapID)
	want := []Ignore{
		{File: "main.tf", Line: 1, Target: 2, IDs: []string{"GCP-ENC-001", "GCP-ACC-002"}, Expires: "2026-12-31", Reason: "static assets, no user data", Tool: "casascan"},
		{File: "main.tf", Line: 3, Target: 3, Trailing: true, IDs: []string{"GCP-ACC-003"}, Tool: "casascan"},
		{File: "main.tf", Line: 4, Target: 6, IDs: []string{"GCP-ACC-002"}, Tool: "casascan"},
		{File: "main.tf", Line: 5, Target: 6, IDs: []string{"GCP-ENC-001"}, Reason: "stacked", Tool: "casascan"},
		{File: "main.tf", Line: 9, Target: 12, IDs: []string{"GCP-ENC-001"}, Expires: "2025-01-01", Tool: "tfsec"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseIgnores (-want +got):\n%s", diff)
	}
	if len(diags) != 1 || diags[0].Line != 11 {
		t.Errorf("want one diagnostic for the bad date on line 11, got %v", diags)
	}
	if got, _ := ParseIgnores("a.tf", []byte(src), nil); len(got) != 4 {
		t.Errorf("without a mapper foreign ignores must be dropped: got %d ignores", len(got))
	}
}

func TestIgnoreExpired(t *testing.T) {
	ig := Ignore{Expires: "2026-12-31"}
	for _, tt := range []struct {
		now  string
		want bool
	}{{"2026-12-30T10:00:00Z", false}, {"2026-12-31T23:59:00Z", false}, {"2027-01-01T00:00:01Z", true}} {
		now, _ := time.Parse(time.RFC3339, tt.now)
		if got := ig.Expired(now); got != tt.want {
			t.Errorf("Expired(%s) = %v, want %v", tt.now, got, tt.want)
		}
	}
	if (Ignore{}).Expired(time.Now()) {
		t.Error("an ignore without a date never expires")
	}
}

// TestStackedIgnoresTarget: every comment of a tall stack covers the block
// under it, and one after the last line covers nothing there.
func TestStackedIgnoresTarget(t *testing.T) {
	const n = 2000
	src := strings.Repeat("# casascan:ignore:GCP-ACC-001\n", n) + "\n// note\nresource \"x\" \"y\" {}\n# casascan:ignore:GCP-ACC-002\n# trailing"
	got, diags := ParseIgnores("a.tf", []byte(src), nil)
	if len(got) != n+1 || len(diags) != 0 {
		t.Fatalf("%d ignores, %d diagnostics", len(got), len(diags))
	}
	for _, ig := range got[:n] {
		if ig.Target != n+1 { // the blank line ends the stack
			t.Fatalf("ignore on line %d targets %d, want %d", ig.Line, ig.Target, n+1)
		}
	}
	if last := got[n]; last.Target != n+6 {
		t.Errorf("last ignore targets %d, want %d (past the end)", last.Target, n+6)
	}
}
