package scanner

import (
	"strings"
	"testing"
)

func TestRedactText(t *testing.T) {
	const key = "AIzaSyFAKE-casascan-test-key-0123456789"
	cases := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"module source git::https://x-token-auth:" + key + "@host.example/r.git is not fetched",
			"module source git::https://***@host.example/r.git is not fetched"},
		{"https://user:pw@host/x and ssh://git@host/y", "https://***@host/x and ssh://***@host/y"},
		{"mail me at ops@example.com", "mail me at ops@example.com"},
		{`no file exists at "keys/` + key + `.json"`, `no file exists at "` + Redacted + `"`},
		{"token ya29.a0AfH6SMBxxxxxxxxxxxxxxxxxxxx end", "token " + Redacted + " end"},
	}
	for _, tc := range cases {
		if got := RedactText(tc.in); got != tc.want {
			t.Errorf("RedactText(%q)\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

func TestDiagnosticRedact(t *testing.T) {
	const key = "AIzaSyFAKE-casascan-test-key-0123456789"
	d := Diagnostic{Severity: DiagWarning, Summary: "module not fetched: " + key, Detail: "https://u:p@h/x",
		File: "a/" + key + ".tf", Subject: "git::https://tok@h/r"}.Redact()
	if s := d.String(); strings.Contains(s, key) || strings.Contains(s, "u:p") || strings.Contains(s, "tok@") {
		t.Errorf("redacted diagnostic still holds a credential: %s", s)
	}
	if !strings.Contains(d.Summary, "module not fetched: "+Redacted) || d.Detail != "https://***@h/x" {
		t.Errorf("redaction lost the message: %+v", d)
	}
}

func TestSecretKeyAddress(t *testing.T) {
	const key = "AIzaSyFAKE-casascan-test-key-0123456789"
	a := Address{Type: "google_x", Name: "y", Key: StringKey(key)}
	s := a.String()
	if strings.Contains(s, key) {
		t.Fatalf("address shows the key: %s", s)
	}
	if s != a.String() || s != `google_x.y["`+RedactedKey(key)+`"]` {
		t.Errorf("address %q is not the stable placeholder", s)
	}
	if RedactedKey(key) == RedactedKey(key+"x") {
		t.Error("two keys share a placeholder")
	}
	back, err := ParseAddress(s)
	if err != nil || back.String() != s {
		t.Errorf("ParseAddress(%q) = %v, %v: want the same address back", s, back, err)
	}
	if got := (Address{Type: "t", Name: "n", Key: StringKey("eu-west1")}).String(); got != `t.n["eu-west1"]` {
		t.Errorf("ordinary key changed: %s", got)
	}
}
