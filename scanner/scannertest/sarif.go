package scannertest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The vendored SARIF 2.1.0 schema (fixtures/sarif/sarif-schema-2.1.0.json):
// its id, and the SHA-256 of the file, so a test never validates against
// another.
const (
	sarifSchemaURI    = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	sarifSchemaSHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"
)

var (
	sarifMu      sync.Mutex
	sarifSchemas = map[string]*jsonschema.Schema{}
)

// SARIFSchema compiles the vendored SARIF 2.1.0 schema at path (draft-04,
// with format assertions) once, under the id the file itself declares.
func SARIFSchema(t testing.TB, path string) *jsonschema.Schema {
	t.Helper()
	sarifMu.Lock()
	defer sarifMu.Unlock()
	if s := sarifSchemas[path]; s != nil {
		return s
	}
	s, err := compileSARIFSchema(path)
	if err != nil {
		t.Fatalf("loading SARIF schema: %v", err)
	}
	sarifSchemas[path] = s
	return s
}

func compileSARIFSchema(path string) (*jsonschema.Schema, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if sum := sha256.Sum256(raw); hex.EncodeToString(sum[:]) != sarifSchemaSHA256 {
		return nil, fmt.Errorf("%s is not the vendored schema (SHA-256 %x)", path, sum)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft4)
	c.AssertFormat()
	if err := c.AddResource(sarifSchemaURI, doc); err != nil {
		return nil, err
	}
	return c.Compile(sarifSchemaURI)
}

// ValidateSARIF fails the test unless out is JSON valid against the SARIF
// 2.1.0 schema at schemaPath.
func ValidateSARIF(t testing.TB, schemaPath string, out []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("SARIF output is not JSON: %v", err)
	}
	if err := SARIFSchema(t, schemaPath).Validate(inst); err != nil {
		t.Fatalf("SARIF output does not validate against the 2.1.0 schema:\n%v", err)
	}
}
