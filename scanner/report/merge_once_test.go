package report

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
)

// heldInput holds its content in memory (Bytes), as the CLI's merge inputs
// do; reading it fails, so a merge that copies it again fails.
type heldInput struct{ data []byte }

func (h heldInput) Bytes() []byte            { return h.data }
func (h heldInput) Read([]byte) (int, error) { return 0, errors.New("read again") }

// TestMergeUsesHeldInputs: an input that holds its content is used as it is,
// never read (copied) a second time, for SARIF and JSON alike, and the
// result is the one the same content read from a reader gives.
func TestMergeUsesHeldInputs(t *testing.T) {
	for _, tc := range []struct {
		format string
		merge  func(io.Writer, ...io.Reader) error
	}{{"sarif", MergeSARIF}, {"json", MergeJSON}} {
		t.Run(tc.format, func(t *testing.T) {
			data := render(t, tc.format, testResult(), Options{Root: "."})
			var held, read bytes.Buffer
			if err := tc.merge(&held, heldInput{data}, heldInput{data}); err != nil {
				t.Fatalf("merging held inputs: %v", err)
			}
			if err := tc.merge(&read, bytes.NewReader(data), bytes.NewReader(data)); err != nil {
				t.Fatalf("merging readers: %v", err)
			}
			if !bytes.Equal(held.Bytes(), read.Bytes()) {
				t.Error("held and read inputs merge differently")
			}
		})
	}
}

// TestMergeJSONTrailingData: a JSON input is one report; anything after it
// is an error naming the input (changed: the decoder used to stop at the
// first value and ignore the rest).
func TestMergeJSONTrailingData(t *testing.T) {
	good := string(render(t, "json", testResult(), Options{Root: "."}))
	err := MergeJSON(io.Discard, strings.NewReader(good), strings.NewReader(good+"{}"))
	if err == nil || !strings.Contains(err.Error(), "input 2: not a casascan JSON report") {
		t.Errorf("error = %v, want input 2 rejected", err)
	}
}

// TestMergeFormat: the format comes from the content, which is probed
// without keeping its runs or findings; a field that is null is not there,
// and the extension decides when the content does not.
func TestMergeFormat(t *testing.T) {
	sarif := string(render(t, "sarif", testResult(), Options{Root: "."}))
	js := string(render(t, "json", testResult(), Options{Root: "."}))
	csv := string(render(t, "csv", testResult(), Options{Root: "."}))
	tests := []struct {
		name, data, want string
	}{
		{"a.txt", sarif, "sarif"},
		{"a.txt", "\xef\xbb\xbf \n" + js, "json"},
		{"a.txt", csv, "csv"},
		{"a.sarif", `{"version": "2.1.0", "runs": null}`, "sarif"},
		{"a.txt", `{"version": "2.1.0", "runs": null}`, ""},
		{"a.csv", `{"schema_version": "1", "findings": null}`, "csv"},
		{"a.json", "casascan", "json"},
		{"a.txt", "casascan", ""},
	}
	for _, tc := range tests {
		got, err := MergeFormat(tc.name, []byte(tc.data))
		if got != tc.want || (err != nil) != (tc.want == "") {
			t.Errorf("MergeFormat(%s, %.30q) = %q, %v; want %q", tc.name, tc.data, got, err, tc.want)
		}
	}
}
