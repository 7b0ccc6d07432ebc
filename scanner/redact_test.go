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

// BenchmarkAddressStringLongKey measures Address.String on a for_each key
// long enough to be checked for a credential's shape (the common case is
// shorter and skips the check).
func BenchmarkAddressStringLongKey(b *testing.B) {
	a := Address{Module: []ModuleStep{{Name: "buckets", Key: StringKey("europe-west1-mail-archive")}},
		Type: "google_storage_bucket", Name: "b", Key: StringKey("mail-archive-attachments-prod")}
	for b.Loop() {
		_ = a.String()
	}
}

// BenchmarkRedactTextDiagnostic measures RedactText on a typical diagnostic
// text that holds nothing to redact.
func BenchmarkRedactTextDiagnostic(b *testing.B) {
	s := `Call to function "file" failed: no file exists at templates/startup-script.sh.tftpl`
	for b.Loop() {
		_ = RedactText(s)
	}
}

func TestLooksLikeSecretAnchors(t *testing.T) {
	for _, s := range []string{
		"AIzaSyFAKE-casascan-test-key-0123456789", "SK_LIVE_abcdefghijklmnop1234", "sk_test_abcdefghijklmnop1234",
		"XOXB-1234567890-abc", "ghp_" + strings.Repeat("a", 36), "AKIAABCDEFGHIJKLMNOP",
		"1//0gFAKErefreshTOKENforCasascanTests", "ya29.a0AfH6SMBxxxxxxxxxxxxxxxxxxxx",
	} {
		if !LooksLikeSecret(s) {
			t.Errorf("LooksLikeSecret(%q) = false", s)
		}
	}
	for _, s := range []string{"mail-archive-attachments-prod", "europe-west1", "Sk_Lives_here_not_a_key"} {
		if LooksLikeSecret(s) {
			t.Errorf("LooksLikeSecret(%q) = true", s)
		}
	}
}

func BenchmarkLooksLikeSecretPlain(b *testing.B) {
	for b.Loop() {
		_ = LooksLikeSecret("mail-archive-attachments-prod")
	}
}

// BenchmarkAddressStringShortKey is the same address with keys too short
// to be checked, for comparison.
func BenchmarkAddressStringShortKey(b *testing.B) {
	a := Address{Module: []ModuleStep{{Name: "buckets", Key: StringKey("europe-west1")}},
		Type: "google_storage_bucket", Name: "b", Key: StringKey("mail-archive")}
	for b.Loop() {
		_ = a.String()
	}
}

// TestLooksLikeCredentialName: the long credential names match anywhere in
// a name; PASS and PWD only as whole word parts, so words that merely
// contain them are not credentials.
func TestLooksLikeCredentialName(t *testing.T) {
	for _, tc := range []struct {
		name string
		want bool
	}{
		{"DB_PASS", true},
		{"todo_pass", true},
		{"dbPass", true},
		{"DBPass", true},
		{"smtp-pass", true},
		{"db.pwd", true},
		{"MYSQL_PWD", true},
		{"PWD", true},
		{"pass", true},
		{"PASS2", true},
		{"x_PASS_y", true},
		{"DB_PASSWORD", true},
		{"dbpasswd", true},
		{"GITHUB_TOKEN", true},
		{"apikey", true},
		{"PASSPORT_ID", false},
		{"COMPASS_URL", false},
		{"BYPASS_CACHE", false},
		{"PASSTHROUGH", false},
		{"passenger_count", false},
		{"PWDEBUG", false},
		{"SURPASS", false},
		{"dbpass", false}, // one word: not split, and not PASSWORD
		{"LOG_LEVEL", false},
		{"", false},
	} {
		if got := LooksLikeCredentialName(tc.name); got != tc.want {
			t.Errorf("LooksLikeCredentialName(%q) = %v, want %v", tc.name, got, tc.want)
		}
	}
}
