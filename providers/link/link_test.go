package link

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/casascan/casascan/checks"
	"github.com/casascan/casascan/providers/gcp"
	"github.com/casascan/casascan/providers/plan/plansource"
	"github.com/casascan/casascan/providers/terraform"
	"github.com/casascan/casascan/scanner"
	"github.com/google/go-cmp/cmp"
)

const fixtures = "../../fixtures/link"

func loadTF(t *testing.T, dir string) *scanner.Graph {
	t.Helper()
	g, err := terraform.Load(context.Background(), dir, terraform.Options{Base: dir})
	if err != nil {
		t.Fatalf("loading %s: %v", dir, err)
	}
	for _, d := range g.Diagnostics {
		if d.Severity == scanner.DiagError {
			t.Fatalf("loading %s: %s", dir, d)
		}
	}
	return g
}

func loadExport(t *testing.T, dir string) *scanner.Graph {
	t.Helper()
	g, err := gcp.LoadExport(context.Background(), filepath.Join(dir, "assets.ndjson"), dir)
	if err != nil {
		t.Fatalf("loading the export in %s: %v", dir, err)
	}
	for _, d := range g.Diagnostics {
		if d.Severity == scanner.DiagError {
			t.Fatalf("loading the export in %s: %s", dir, d)
		}
	}
	return g
}

func loadState(t *testing.T, dir string, opts plansource.Options) *scanner.Graph {
	t.Helper()
	opts.Base = dir
	g, err := plansource.Load(context.Background(), filepath.Join(dir, "state.json"), opts)
	if err != nil {
		t.Fatalf("loading the state in %s: %v", dir, err)
	}
	return g
}

// link links the live graph with one declared graph through Graphs and
// puts the linked live graph in *live.
func link(live **scanner.Graph, declared *scanner.Graph) (int, []scanner.Diagnostic) {
	linked, n, diags := Graphs([]*scanner.Graph{*live}, []*scanner.Graph{declared})
	*live = linked[0]
	return n, diags
}

// links renders, for every live resource of g, the declared address it was
// linked to and where it now points ("-" and its own place when unlinked).
func links(g *scanner.Graph) map[string]string {
	out := map[string]string{}
	for _, r := range g.Resources {
		if strings.Contains(r.Type, "_iam_") || r.Type == "google_project" {
			continue
		}
		decl := "-"
		if r.Declared != nil {
			decl = r.Declared.Address
		}
		out[r.Address] = fmt.Sprintf("%s @ %s:%d", decl, r.DefRange.Filename, r.DefRange.Start.Line)
	}
	return out
}

func TestLinkByHCL(t *testing.T) {
	dir := filepath.Join(fixtures, "hcl")
	live, tf := loadExport(t, dir), loadTF(t, dir)
	n, diags := link(&live, tf)
	if len(diags) > 0 {
		t.Errorf("unexpected diagnostics: %v", diags)
	}
	want := map[string]string{
		"//storage.googleapis.com/acme-mail":                                                          "google_storage_bucket.mail @ main.tf:5",
		"//storage.googleapis.com/acme-unmanaged":                                                     "- @ gcp/storage.googleapis.com/acme-unmanaged:1",
		"//cloudkms.googleapis.com/projects/acme-prod/locations/us/keyRings/casa":                     "google_kms_key_ring.casa @ main.tf:11",
		"//cloudkms.googleapis.com/projects/acme-prod/locations/us/keyRings/casa/cryptoKeys/mail-hsm": "google_kms_crypto_key.mail @ main.tf:16",
		// The project is a variable without a value: it matches any project.
		"//cloudsql.googleapis.com/projects/acme-prod/instances/acme-db":            "google_sql_database_instance.db @ main.tf:27",
		"//compute.googleapis.com/projects/acme-prod/global/sslPolicies/legacy-tls": "module.web.google_compute_ssl_policy.legacy @ modules/web/main.tf:1",
	}
	if diff := cmp.Diff(want, links(live)); diff != "" {
		t.Errorf("links (-want +got):\n%s", diff)
	}
	if n != 5 {
		t.Errorf("Link matched %d, want 5", n)
	}

	key := live.Lookup("//cloudkms.googleapis.com/projects/acme-prod/locations/us/keyRings/casa/cryptoKeys/mail-hsm")
	for path, line := range map[string]int{
		"version_template.protection_level": 23, // written in the HCL
		"rotation_period":                   19,
		"purpose":                           16, // not written: the block header
		"primary.state":                     16, // a block the HCL lacks: the header
	} {
		if got := key.Body.Deepest(path); got == nil || got.Filename != "main.tf" || got.Start.Line != line {
			t.Errorf("key %s points at %v, want main.tf:%d", path, got, line)
		}
	}
	ssl := live.Lookup("//compute.googleapis.com/projects/acme-prod/global/sslPolicies/legacy-tls")
	if len(ssl.Calls) != 1 || ssl.Calls[0].Address != "module.web" || ssl.Calls[0].Range.Start.Line != 42 {
		t.Errorf("ssl policy module calls = %+v, want module.web at main.tf:42", ssl.Calls)
	}
}

func TestLinkByState(t *testing.T) {
	dir := filepath.Join(fixtures, "state")
	live, st := loadExport(t, dir), loadState(t, dir, plansource.Options{})
	n, diags := link(&live, st)
	if len(diags) > 0 {
		t.Errorf("unexpected diagnostics: %v", diags)
	}
	// The state names the project: the same names in acme-dev are not its.
	want := map[string]string{
		"//cloudkms.googleapis.com/projects/acme-prod/locations/us/keyRings/casa":                     "google_kms_key_ring.casa @ main.tf:1",
		"//cloudkms.googleapis.com/projects/acme-prod/locations/us/keyRings/casa/cryptoKeys/mail-hsm": "google_kms_crypto_key.mail @ main.tf:6",
		"//compute.googleapis.com/projects/acme-prod/global/sslPolicies/modern-tls":                   "google_compute_ssl_policy.modern @ main.tf:15",
		"//cloudkms.googleapis.com/projects/acme-dev/locations/us/keyRings/casa":                      "- @ gcp/cloudkms.googleapis.com/projects/acme-dev/locations/us/keyRings/casa:1",
		"//cloudkms.googleapis.com/projects/acme-dev/locations/us/keyRings/casa/cryptoKeys/mail-hsm":  "- @ gcp/cloudkms.googleapis.com/projects/acme-dev/locations/us/keyRings/casa/cryptoKeys/mail-hsm:1",
		"//compute.googleapis.com/projects/acme-dev/global/sslPolicies/modern-tls":                    "- @ gcp/compute.googleapis.com/projects/acme-dev/global/sslPolicies/modern-tls:1",
	}
	if diff := cmp.Diff(want, links(live)); diff != "" {
		t.Errorf("links (-want +got):\n%s", diff)
	}
	if n != 3 {
		t.Errorf("Link matched %d, want 3", n)
	}
}

// TestLinkStateWithoutSource: a state read without its Terraform is still
// a declaration (drift can be judged), but live findings keep their own
// places rather than all pointing at the state file's first line.
func TestLinkStateWithoutSource(t *testing.T) {
	dir := filepath.Join(fixtures, "state")
	live, st := loadExport(t, dir), loadState(t, dir, plansource.Options{NoSource: true})
	if n, _ := link(&live, st); n != 3 {
		t.Fatalf("Link matched %d, want 3", n)
	}
	r := live.Lookup("//compute.googleapis.com/projects/acme-prod/global/sslPolicies/modern-tls")
	if r.Declared == nil || r.Declared.Address != "google_compute_ssl_policy.modern" {
		t.Fatalf("Declared = %v, want google_compute_ssl_policy.modern", r.Declared)
	}
	if got := r.DefRange.Filename; got != "gcp/compute.googleapis.com/projects/acme-prod/global/sslPolicies/modern-tls" {
		t.Errorf("DefRange file = %s, want the pseudo-path", got)
	}
}

func TestLinkAmbiguous(t *testing.T) {
	tests := []struct {
		name string
		dir  string
		// want lists "subject: summary" of each diagnostic, in file order.
		want []string
	}{{
		// Without the state, nothing tells acme-prod from acme-dev.
		name: "one declaration fits several live resources",
		dir:  "state",
		want: []string{
			"google_kms_key_ring.casa: this Terraform resource may declare several live resources; none is linked to it",
			"google_kms_crypto_key.mail: this Terraform resource may declare several live resources; none is linked to it",
			"google_compute_ssl_policy.modern: this Terraform resource may declare several live resources; none is linked to it",
		},
	}, {
		name: "several declarations fit one live resource",
		dir:  "ambiguous",
		want: []string{
			"//cloudkms.googleapis.com/projects/acme-prod/locations/us/keyRings/casa: several Terraform resources may declare this live resource; it is not linked to any",
		},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(fixtures, tc.dir)
			live, tf := loadExport(t, dir), loadTF(t, dir)
			n, diags := link(&live, tf)
			if n != 0 {
				t.Errorf("Link matched %d, want 0", n)
			}
			var got []string
			for _, d := range diags {
				if d.Severity != scanner.DiagWarning {
					t.Errorf("%s: severity %s, want warning", d.Subject, d.Severity)
				}
				got = append(got, d.Subject+": "+d.Summary)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
			for _, r := range live.Resources {
				if r.Declared != nil {
					t.Errorf("%s linked to %s", r.Address, r.Declared.Address)
				}
			}
		})
	}
}

// TestLinkedFindings runs every check over the export and the Terraform:
// the live findings of linked resources point at the Terraform file and
// line (through Run), keep their full resource names, and an unlinked
// resource keeps its pseudo-path.
func TestLinkedFindings(t *testing.T) {
	dir := filepath.Join(fixtures, "hcl")
	live, tf := loadExport(t, dir), loadTF(t, dir)
	link(&live, tf)
	res := scanner.Run(checks.All(), []*scanner.Graph{live, tf}, scanner.Options{})
	type where struct{ loc, related string }
	got := map[string]where{}
	for _, f := range res.Failures() {
		if !strings.HasPrefix(f.Resource, "//") {
			continue
		}
		w := where{loc: f.Location.String()}
		for _, r := range f.Related {
			w.related += r.Kind + " " + r.String() + ";"
		}
		got[f.CheckID+" "+f.Resource] = w
	}
	want := map[string]where{
		"GCP-ENC-001 //storage.googleapis.com/acme-mail":      {loc: "main.tf:5"},
		"GCP-ENC-001 //storage.googleapis.com/acme-unmanaged": {loc: "gcp/storage.googleapis.com/acme-unmanaged:1"},
		"GCP-TLS-001 //compute.googleapis.com/projects/acme-prod/global/sslPolicies/legacy-tls": {
			loc: "modules/web/main.tf:3", related: "module main.tf:42;"}, // profile COMPATIBLE
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: got %+v, want %+v", k, got[k], w)
		}
	}
}

// TestLinkAppliesIgnores: an ignore comment above the Terraform block covers
// the live resource's finding too, once the live resource points there.
func TestLinkAppliesIgnores(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "main.tf"), `# casascan:ignore:GCP-ENC-001 -- static assets, no user data
resource "google_storage_bucket" "assets" {
  name = "acme-assets"
}
`)
	write(t, filepath.Join(dir, "assets.ndjson"), `{"name":"//storage.googleapis.com/acme-assets","asset_type":"storage.googleapis.com/Bucket","resource":{"data":{"name":"acme-assets"}}}`+"\n")
	live, tf := loadExport(t, dir), loadTF(t, dir)
	if n, _ := link(&live, tf); n != 1 {
		t.Fatalf("Link matched %d, want 1", n)
	}
	res := scanner.Run([]*scanner.Check{checks.ByID("GCP-ENC-001")}, []*scanner.Graph{live}, scanner.Options{})
	fs := res.List()
	if len(fs) != 1 {
		t.Fatalf("got %d findings, want 1: %+v", len(fs), fs)
	}
	if f := fs[0]; f.Status != scanner.StatusIgnored || f.Location.String() != "main.tf:2" {
		t.Errorf("live finding %s at %s, want IGNORED at main.tf:2", f.Status, f.Location)
	}
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
