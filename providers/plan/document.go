package plan

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf16"

	"github.com/casascan/casascan/scanner"
	tfjson "github.com/hashicorp/terraform-json"
)

// document is one terraform show -json output, plan or state, decoded in a
// single pass. The values, changes and variables use terraform-json's types;
// the configuration uses this package's own (config.go), because
// terraform-json drops the expressions of single nested blocks.
type document struct {
	FormatVersion    string `json:"format_version"`
	TerraformVersion string `json:"terraform_version"`

	// A plan.
	PlannedValues   *tfjson.StateValues             `json:"planned_values"`
	ResourceChanges []*tfjson.ResourceChange        `json:"resource_changes"`
	PriorState      *priorState                     `json:"prior_state"`
	Configuration   *configuration                  `json:"configuration"`
	Variables       map[string]*tfjson.PlanVariable `json:"variables"`
	Errored         bool                            `json:"errored"`
	Complete        *bool                           `json:"complete"`

	// A state.
	Values *tfjson.StateValues `json:"values"`

	// src is the file as decoded (UTF-8), to find the line of a record.
	src []byte
	// rawSkipped, for a raw terraform.tfstate, are the instances that
	// could not be read (tfstate.go), as diagnostics without a file.
	rawSkipped []scanner.Diagnostic
}

// priorState is the state a plan was made from. Only its values are read:
// data sources that Terraform read while planning are there and not in
// planned_values.
type priorState struct {
	Values *tfjson.StateValues `json:"values"`
}

// isPlan tells a plan from a state: a state has values and none of a plan's
// sections.
func (d *document) isPlan() bool {
	return d.PlannedValues != nil || d.ResourceChanges != nil || d.PriorState != nil || d.Configuration != nil
}

// decode parses a plan or state file. Numbers keep their precision
// (json.Number). The format version is checked with terraform-json's own
// constraints: a major version it does not know is refused, as the format's
// documentation asks.
func decode(data []byte) (*document, error) {
	if detectRawState(data) {
		return decodeRawState(data)
	}
	data = utf8JSON(data)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc document
	if err := dec.Decode(&doc); err != nil {
		return nil, jsonError(data, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("unexpected data after the JSON object")
	}
	if doc.FormatVersion == "" {
		return nil, errors.New("no format_version: not terraform show -json output")
	}
	var err error
	if doc.isPlan() {
		err = (&tfjson.Plan{FormatVersion: doc.FormatVersion}).Validate()
	} else {
		err = (&tfjson.State{FormatVersion: doc.FormatVersion}).Validate()
	}
	if err != nil {
		return nil, err
	}
	doc.src = data
	return &doc, nil
}

// maxLocated bounds how many records lineOf looks for: each costs a pass
// over the file.
const maxLocated = 100

// lineOf returns the line where the JSON string s first appears in the
// file, or 0 when it is not found.
func (d *document) lineOf(s string) int {
	if d == nil || len(d.src) == 0 {
		return 0
	}
	quoted, err := json.Marshal(s)
	if err != nil {
		return 0
	}
	i := bytes.Index(d.src, quoted)
	if i < 0 {
		i = bytes.Index(d.src, []byte(`"`+s+`"`))
	}
	if i < 0 {
		return 0
	}
	return bytes.Count(d.src[:i], []byte("\n")) + 1
}

// ParseError is why a plan or state file could not be parsed, with the
// line and column when known (0 otherwise): nothing in the file is judged.
type ParseError struct {
	Line, Column int
	Err          error
}

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d, column %d: %v", e.Line, e.Column, e.Err)
	}
	return e.Err.Error()
}

func (e *ParseError) Unwrap() error { return e.Err }

// asParseError returns err as a *ParseError.
func asParseError(err error) *ParseError {
	var pe *ParseError
	if errors.As(err, &pe) {
		return pe
	}
	return &ParseError{Err: err}
}

// jsonError adds the line and column to a syntax or type error, so a broken
// file can be fixed without counting bytes.
func jsonError(data []byte, err error) error {
	var off int64 = -1
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	case errors.Is(err, io.ErrUnexpectedEOF):
		off = int64(len(data)) // a truncated file: it ends at its last line
	}
	if off < 0 || off > int64(len(data)) {
		return err
	}
	line, col := 1, 1
	for _, c := range data[:off] {
		if c == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return &ParseError{Line: line, Column: col, Err: err}
}

// detectKeys are the top-level properties of which at least one, besides
// format_version, marks terraform show -json output.
var detectKeys = map[string]bool{"planned_values": true, "values": true, "resource_changes": true, "prior_state": true}

// detect reads the top-level keys of a JSON object, stopping as soon as it
// has seen format_version (a string) and one of detectKeys, so a large plan
// is not parsed twice. Terraform writes format_version first.
func detect(data []byte) bool {
	if detectRawState(data) {
		return true
	}
	version, body := false, false
	return topKeys(data, func(key string, dec *json.Decoder) (is, done bool) {
		switch {
		case key == "format_version":
			var s string
			if dec.Decode(&s) != nil {
				return false, true
			}
			version = true
		case detectKeys[key]:
			body = true
			if version {
				return true, true // the value need not be read
			}
			if skipValue(dec) != nil {
				return false, true
			}
		default:
			if skipValue(dec) != nil {
				return false, true
			}
		}
		return version && body, version && body
	})
}

// topKeys walks the top-level keys of a JSON object in order, handing each
// to visit, which reads or skips its value and says whether the walk is
// done and with what verdict. Not an object, malformed JSON, or an object
// that ends before visit is done: false.
func topKeys(data []byte, visit func(key string, dec *json.Decoder) (verdict, done bool)) bool {
	dec := json.NewDecoder(bytes.NewReader(utf8JSON(data)))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return false
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		key, _ := tok.(string)
		if verdict, done := visit(key, dec); done {
			return verdict
		}
	}
	return false
}

// skipValue reads past the next JSON value.
func skipValue(dec *json.Decoder) error {
	var skip json.RawMessage
	return dec.Decode(&skip)
}

// utf8JSON returns data as UTF-8 without a byte order mark. Windows
// PowerShell's "terraform show -json plan > plan.json" writes UTF-16 with a
// BOM, and some editors add a UTF-8 BOM; JSON decoders accept neither.
func utf8JSON(data []byte) []byte {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return utf16ToUTF8(data[2:], binary.LittleEndian)
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return utf16ToUTF8(data[2:], binary.BigEndian)
	}
	return data
}

func utf16ToUTF8(b []byte, order binary.ByteOrder) []byte {
	units := make([]uint16, len(b)/2)
	for i := range units {
		units[i] = order.Uint16(b[2*i:])
	}
	return []byte(string(utf16.Decode(units)))
}
