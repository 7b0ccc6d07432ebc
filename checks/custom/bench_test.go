package custom

import (
	"fmt"
	"strings"
	"testing"

	"github.com/casascan/casascan/checks/checktest"
	"github.com/casascan/casascan/scanner"
)

// BenchmarkCustomCheck judges 1,000 buckets, each referring to a key, with
// a refs() check: the cost of a custom check per resource.
func BenchmarkCustomCheck(b *testing.B) {
	var src strings.Builder
	src.WriteString("resource \"google_kms_crypto_key\" \"k\" {\n  name = \"k\"\n  key_ring = \"projects/p/locations/eu/keyRings/r\"\n}\n")
	for i := 0; i < 1000; i++ {
		fmt.Fprintf(&src, "resource \"google_storage_bucket\" \"b%d\" {\n  name = \"b%d\"\n  location = \"EU\"\n  labels = { data-classification = \"restricted\" }\n  encryption { default_kms_key_name = google_kms_crypto_key.k.id }\n}\n", i, i)
	}
	g := checktest.HCL(b, src.String())
	s, err := Parse("b.yaml", []byte("id: ACME-B-001\ntitle: B\nseverity: LOW\ntypes: [google_storage_bucket]\nmessage: m\nfails_when: >\n  !(\"data-classification\" in resource.labels) ||\n  refs(resource.encryption.default_kms_key_name).exists(k, k.version_template.protection_level == \"SOFTWARE\")\n"))
	if err != nil {
		b.Fatal(err)
	}
	c, err := Compile(s)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		res := scanner.Run([]*scanner.Check{c}, []*scanner.Graph{g}, scanner.Options{})
		if res.Count(scanner.StatusFail) != 1000 {
			b.Fatalf("%d FAIL", res.Count(scanner.StatusFail))
		}
	}
}
