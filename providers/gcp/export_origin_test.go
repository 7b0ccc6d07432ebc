package gcp

import (
	"path/filepath"
	"testing"

	"github.com/casascan/casascan/scanner"
	"github.com/google/go-cmp/cmp"
)

// TestExportRecordOrigin: every value of an exported resource comes from
// its record, named with the export file and the line it starts on.
func TestExportRecordOrigin(t *testing.T) {
	g := load(t, filepath.Join(fixtures, "acme-prod.ndjson"))
	r := g.Lookup("//storage.googleapis.com/acme-mail")
	if r == nil {
		t.Fatal("no //storage.googleapis.com/acme-mail")
	}
	want := []scanner.Origin{{Kind: scanner.OriginRecord, Name: "//storage.googleapis.com/acme-mail", File: "acme-prod.ndjson", Line: 8}}
	if diff := cmp.Diff(want, r.Origins(r.Get("location"))); diff != "" {
		t.Errorf("origins (-want +got):\n%s", diff)
	}
}
