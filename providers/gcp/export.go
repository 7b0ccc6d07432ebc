package gcp

import (
	"context"
	"errors"

	"github.com/casascan/casascan/scanner"
)

// DetectExport reports whether data looks like a Cloud Asset Inventory export
// (gcloud asset export NDJSON, or gcloud asset search-all-resources JSON).
func DetectExport(data []byte) bool { return false }

// LoadExport reads an asset export file.
func LoadExport(ctx context.Context, path string, base string) (*scanner.Graph, error) {
	return nil, errors.New("asset export files: not implemented yet")
}
