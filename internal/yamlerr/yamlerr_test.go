package yamlerr

import (
	"errors"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestSplit(t *testing.T) {
	var v any
	err := yaml.Unmarshal([]byte("a: 1\nb: [\n"), &v)
	if err == nil {
		t.Fatal("want a syntax error")
	}
	if line, msg := Split(err); line == 0 || msg == "" || msg == err.Error() {
		t.Errorf("Split(%q) = %d, %q; want the line and the message alone", err, line, msg)
	}
	if line, msg := Split(errors.New("yaml: unmarshal errors")); line != 0 || msg != "unmarshal errors" {
		t.Errorf("no line: got %d, %q", line, msg)
	}
}
