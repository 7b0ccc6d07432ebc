package gcp

import (
	"slices"
	"testing"

	"github.com/casascan/casascan/checks"
	"github.com/casascan/casascan/providers/gcp/internal/fake"
	"github.com/casascan/casascan/scanner"
)

// runChecks judges a live graph with every check of the catalog.
func runChecks(g *scanner.Graph) *scanner.Result {
	return scanner.Run(checks.All(), []*scanner.Graph{g}, scanner.Options{})
}

// findingKeys renders the findings of every check on g, one line each.
func findingKeys(g *scanner.Graph) []string {
	var out []string
	for _, f := range runChecks(g).List() {
		out = append(out, f.CheckID+" "+string(f.Status)+" "+f.Resource+" "+f.Attribute)
	}
	return sorted(out)
}

// TestLiveChecks runs the catalog over a live scan of the fakes: the same
// checks that judge Terraform judge what the APIs return.
func TestLiveChecks(t *testing.T) {
	w := fake.Generate(fake.Spec{Projects: 1, Buckets: 50, Keys: 4, Assets: true})
	g, _ := loadFake(t, w, func(_ *fake.Server, o *Options) { o.Projects = []string{"proj-000"} })
	res := runChecks(g)
	const (
		keys   = "//cloudkms.googleapis.com/projects/proj-000/locations/"
		bucket = "//storage.googleapis.com/proj-000-b000"
	)
	tests := []struct {
		check, resource string
		want            scanner.Status
	}{
		// key-0000 is SOFTWARE, key-0001 HSM; even keys rotate every 90 days.
		{"GCP-KMS-001", keys + "us/keyRings/ring-us/cryptoKeys/key-0000", scanner.StatusFail},
		{"GCP-KMS-001", keys + "europe-west1/keyRings/ring-europe-west1/cryptoKeys/key-0001", scanner.StatusPass},
		{"GCP-KMS-002", keys + "europe-west1/keyRings/ring-europe-west1/cryptoKeys/key-0001", scanner.StatusFail},
		{"GCP-KMS-002", keys + "us/keyRings/ring-us/cryptoKeys/key-0002", scanner.StatusPass},
		// Bucket b%4==3 has no CMEK; the others use key-0000, a software key.
		{"GCP-ENC-001", bucket + "03", scanner.StatusFail},
		{"GCP-ENC-001", bucket + "00", scanner.StatusPass},
		{"GCP-KMS-006", bucket + "00", scanner.StatusFail},
		// b%7==0 lacks uniform access, odd buckets public access prevention.
		{"GCP-ACC-003", bucket + "07", scanner.StatusFail},
		{"GCP-ACC-003", bucket + "01", scanner.StatusPass},
		{"GCP-ACC-002", bucket + "01", scanner.StatusFail},
		{"GCP-ACC-002", bucket + "02", scanner.StatusPass},
		// b00049 grants allUsers through its IAM policy: the finding names the bucket.
		{"GCP-ACC-001", bucket + "49", scanner.StatusFail},
		{"GCP-ACC-001", bucket + "48", scanner.StatusPass},
		// b00000 has a locked retention policy; b00011 an unlocked one.
		{"GCP-DEL-001", bucket + "00", scanner.StatusFail},
		{"GCP-DEL-001", bucket + "11", scanner.StatusPass},
		// b00003 keeps versions without a rule deleting them; b00000 has one.
		{"GCP-DEL-002", bucket + "03", scanner.StatusFail},
		{"GCP-DEL-002", bucket + "00", scanner.StatusPass},
		// From Asset Inventory: the SQL instance accepts plain connections.
		{"GCP-TLS-004", "//cloudsql.googleapis.com/projects/proj-000/instances/db", scanner.StatusFail},
	}
	for _, tt := range tests {
		t.Run(tt.check+" "+tt.resource, func(t *testing.T) {
			var got []scanner.Status
			for _, f := range res.List() {
				if f.CheckID == tt.check && f.Resource == tt.resource {
					got = append(got, f.Status)
					if f.Source != scanner.SourceLive || f.Location.File != "gcp/"+tt.resource[2:] || f.Location.StartLine != 1 {
						t.Errorf("finding at %s (source %s), want gcp/%s:1 (live)", f.Location, f.Source, tt.resource[2:])
					}
				}
			}
			if len(got) == 0 {
				t.Fatalf("no %s finding on %s", tt.check, tt.resource)
			}
			// A FAIL on an asset's IAM grant sits beside the passes of its
			// other grants; a PASS is a pass of every one.
			if tt.want == scanner.StatusFail && !slices.Contains(got, tt.want) {
				t.Errorf("statuses %v, want a %s", got, tt.want)
			}
			for _, s := range got {
				if tt.want != scanner.StatusFail && s != tt.want {
					t.Errorf("status %s, want %s", s, tt.want)
				}
			}
		})
	}
}
