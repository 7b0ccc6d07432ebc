package gcp

import (
	"testing"
	"time"

	"cloud.google.com/go/iam/apiv1/iampb"
	"cloud.google.com/go/kms/apiv1/kmspb"
	"github.com/casascan/casascan/providers/gcp/internal/fake"
	"github.com/casascan/casascan/scanner"
	"github.com/google/go-cmp/cmp"
	"google.golang.org/genproto/googleapis/type/expr"
	"google.golang.org/protobuf/types/known/durationpb"
)

const (
	testRing    = "projects/p1/locations/us/keyRings/r"
	testRingAdr = "//cloudkms.googleapis.com/" + testRing
	testKeyAdr  = testRingAdr + "/cryptoKeys/"
)

// kmsWorld is one project with a key ring in "us" and keys covering every
// mapped field: an HSM key rotated every 90 days, a software key never
// rotated, an asymmetric signing key (no primary), and a key whose template
// says HSM while its primary version is in software.
func kmsWorld() *fake.World {
	hsm := fake.Key(testRing+"/cryptoKeys/hsm", true, true)
	hsm.Labels = map[string]string{"env": "prod"}
	soft := fake.Key(testRing+"/cryptoKeys/soft", false, false)
	sign := fake.Key(testRing+"/cryptoKeys/sign", true, false)
	sign.Purpose, sign.Primary = kmspb.CryptoKey_ASYMMETRIC_SIGN, nil
	sign.VersionTemplate.Algorithm = kmspb.CryptoKeyVersion_RSA_SIGN_PKCS1_2048_SHA256
	mixed := fake.Key(testRing+"/cryptoKeys/mixed", true, true)
	mixed.Primary.ProtectionLevel = kmspb.ProtectionLevel_SOFTWARE
	mixed.RotationSchedule = &kmspb.CryptoKey_RotationPeriod{RotationPeriod: durationpb.New(30 * 24 * time.Hour)}
	cond := fake.Binding("roles/cloudkms.admin", "user:temp@example.com")
	cond.Condition = &expr.Expr{Title: "temp", Expression: `request.time < timestamp("2026-01-01T00:00:00Z")`}
	return &fake.World{Projects: []*fake.Project{{
		ID: "p1", Number: 11, Locations: []string{"global", "us"},
		KeyRings:   []*kmspb.KeyRing{{Name: testRing}},
		CryptoKeys: []*kmspb.CryptoKey{hsm, soft, sign, mixed},
		Policies: map[string]*iampb.Policy{
			testRing:                      fake.Policy(cond),
			testRing + "/cryptoKeys/soft": fake.Policy(fake.Binding("roles/cloudkms.cryptoKeyDecrypter", "allUsers", "user:a@example.com")),
		},
	}}}
}

func TestLiveKMSFields(t *testing.T) {
	g, _ := loadFake(t, kmsWorld(), func(_ *fake.Server, o *Options) { o.Projects = []string{"p1"} })
	tests := []struct {
		addr, path, want string
	}{
		{testRingAdr, "name", "r"},
		{testRingAdr, "location", "us"},
		{testRingAdr, "project", "p1"},
		{testKeyAdr + "hsm", "name", "hsm"},
		{testKeyAdr + "hsm", "key_ring", testRing},
		{testKeyAdr + "hsm", "purpose", "ENCRYPT_DECRYPT"},
		{testKeyAdr + "hsm", "rotation_period", "7776000s"},
		{testKeyAdr + "hsm", "next_rotation_time", "2026-03-01T00:00:00Z"},
		{testKeyAdr + "hsm", "destroy_scheduled_duration", "86400s"},
		{testKeyAdr + "hsm", "version_template.protection_level", "HSM"},
		{testKeyAdr + "hsm", "version_template.algorithm", "GOOGLE_SYMMETRIC_ENCRYPTION"},
		{testKeyAdr + "hsm", "primary.state", "ENABLED"},
		{testKeyAdr + "hsm", "primary.protection_level", "HSM"},
		{testKeyAdr + "hsm", "labels.env", "prod"},
		{testKeyAdr + "hsm", "project", "p1"},
		{testKeyAdr + "soft", "version_template.protection_level", "SOFTWARE"},
		{testKeyAdr + "soft", "rotation_period", "<nil>"},
		{testKeyAdr + "soft", "next_rotation_time", "<nil>"},
		{testKeyAdr + "sign", "purpose", "ASYMMETRIC_SIGN"},
		{testKeyAdr + "sign", "version_template.algorithm", "RSA_SIGN_PKCS1_2048_SHA256"},
		{testKeyAdr + "sign", "primary.state", "<nil>"},
		// The primary version protects the data now: it wins over the template.
		{testKeyAdr + "mixed", "version_template.protection_level", "SOFTWARE"},
		{testKeyAdr + "mixed", "rotation_period", "2592000s"},
		{testKeyAdr + "soft/iam/roles/cloudkms.cryptoKeyDecrypter/allUsers", "role", "roles/cloudkms.cryptoKeyDecrypter"},
		{testKeyAdr + "soft/iam/roles/cloudkms.cryptoKeyDecrypter/allUsers", "member", "allUsers"},
		{testKeyAdr + "soft/iam/roles/cloudkms.cryptoKeyDecrypter/user:a@example.com", "member", "user:a@example.com"},
		{testKeyAdr + "soft/iam/roles/cloudkms.cryptoKeyDecrypter/allUsers", "crypto_key_id", testRing + "/cryptoKeys/soft"},
		{testRingAdr + "/iam/roles/cloudkms.admin/user:temp@example.com", "key_ring_id", testRing},
		{testRingAdr + "/iam/roles/cloudkms.admin/user:temp@example.com", "condition.title", "temp"},
		{testRingAdr + "/iam/roles/cloudkms.admin/user:temp@example.com", "member", "user:temp@example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.addr[len(testRingAdr)-1:]+"/"+tt.path, func(t *testing.T) {
			r := g.Lookup(tt.addr)
			if r == nil {
				t.Fatalf("no resource %s; have %v", tt.addr, addresses(g))
			}
			if got := attrString(r, tt.path); got != tt.want {
				t.Errorf("%s = %q, want %q", tt.path, got, tt.want)
			}
		})
	}
}

func TestLiveKMSResources(t *testing.T) {
	g, _ := loadFake(t, kmsWorld(), func(_ *fake.Server, o *Options) { o.Projects = []string{"p1"} })
	wantTypes := map[string]string{
		testRingAdr: "google_kms_key_ring",
		testRingAdr + "/iam/roles/cloudkms.admin/user:temp@example.com": "google_kms_key_ring_iam_member",
		testKeyAdr + "hsm":   "google_kms_crypto_key",
		testKeyAdr + "mixed": "google_kms_crypto_key",
		testKeyAdr + "sign":  "google_kms_crypto_key",
		testKeyAdr + "soft":  "google_kms_crypto_key",
		testKeyAdr + "soft/iam/roles/cloudkms.cryptoKeyDecrypter/allUsers":           "google_kms_crypto_key_iam_member",
		testKeyAdr + "soft/iam/roles/cloudkms.cryptoKeyDecrypter/user:a@example.com": "google_kms_crypto_key_iam_member",
	}
	gotTypes := map[string]string{}
	for _, r := range g.Resources {
		if r.Source != scanner.SourceLive || r.Project != "p1" || r.Mode != scanner.Managed {
			t.Errorf("%s: source %q, project %q, mode %v; want live, p1, managed", r.Address, r.Source, r.Project, r.Mode)
		}
		if want := "gcp/" + r.Reported()[2:]; r.DefRange.Filename != want || r.DefRange.Start.Line != 1 {
			t.Errorf("%s: DefRange %s:%d, want %s:1", r.Address, r.DefRange.Filename, r.DefRange.Start.Line, want)
		}
		if n, _ := scanner.ParseName(r.Address); n.Service == serviceKMS {
			gotTypes[r.Address] = r.Type
		}
	}
	if diff := cmp.Diff(wantTypes, gotTypes); diff != "" {
		t.Errorf("KMS resources (-want +got):\n%s", diff)
	}
	// Edges: the key names its ring, each binding its key or ring.
	edges := []struct{ from, path, to string }{
		{testKeyAdr + "hsm", "key_ring", testRingAdr},
		{testKeyAdr + "soft/iam/roles/cloudkms.cryptoKeyDecrypter/allUsers", "crypto_key_id", testKeyAdr + "soft"},
		{testRingAdr + "/iam/roles/cloudkms.admin/user:temp@example.com", "key_ring_id", testRingAdr},
	}
	for _, e := range edges {
		r := g.Lookup(e.from)
		if r == nil {
			t.Fatalf("no resource %s", e.from)
		}
		got := g.Follow(r, e.path)
		if len(got) != 1 || got[0].Address != e.to {
			t.Errorf("Follow(%s, %s) = %v, want %s", e.from, e.path, got, e.to)
		}
	}
	if d := skipped(g); len(d) != 0 {
		t.Errorf("skipped diagnostics: %v", d)
	}
}
