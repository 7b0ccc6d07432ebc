package safetext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLine(t *testing.T) {
	cases := []struct{ in, want string }{
		{"main.tf:3: error: plain text", "main.tf:3: error: plain text"},
		{"ünïcode — ok", "ünïcode — ok"},
		{"a.tf\n::error title=x::owned", `a.tf\n::error title=x::owned`},
		{"::error title=x::owned", `\x3a:error title=x::owned`},
		{"  ::warning::owned", `  \x3a:warning::owned`},
		{"x ##[error]owned", `x #\x23[error]owned`},
		{"esc\x1b[2Jnul\x00del\x7f", `esc\x1b[2Jnul\x00del\x7f`},
		{"cr\rtab\t", `cr\rtab\t`},
		{"sep\u2028par\u2029bidi\u202e", `sep\u2028par\u2029bidi\u202e`},
		{"c1\u009bx", `c1\u009bx`},
		{"bad\xffutf8", `bad\xffutf8`},
	}
	for _, tc := range cases {
		got := Line(tc.in)
		if got != tc.want {
			t.Errorf("Line(%q) = %q, want %q", tc.in, got, tc.want)
		}
		for _, c := range got {
			if c < 0x20 || c == 0x7f {
				t.Errorf("Line(%q) holds control character %q", tc.in, c)
			}
		}
	}
}

func TestLinesKeepsOwnBreaks(t *testing.T) {
	got := Lines("unknown flag: --x\n::error::owned\nRun 'casascan --help' for usage.")
	want := "unknown flag: --x\n\\x3a:error::owned\nRun 'casascan --help' for usage."
	if got != want {
		t.Errorf("Lines = %q, want %q", got, want)
	}
	for _, line := range strings.Split(got, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "::") {
			t.Errorf("line %q starts a workflow command", line)
		}
	}
}

func TestCSVCell(t *testing.T) {
	cases := map[string]string{
		"=HYPERLINK(\"http://x\")": "'=HYPERLINK(\"http://x\")",
		"+1":                       "'+1",
		"-1+2":                     "'-1+2",
		"@SUM(A1)":                 "'@SUM(A1)",
		"\t=1":                     "' =1",
		"\r=1":                     "'=1",
		" -x":                      "' -x",
		"esc\x1b[2Jx\r\ny":         "esc[2Jx y",
		"nul\x00":                  "nul",
		"plain, with \"quotes\"":   "plain, with \"quotes\"",
		"a=b":                      "a=b",
		"google_storage_bucket.b":  "google_storage_bucket.b",
		"":                         "",
	}
	for in, want := range cases {
		if got := CSVCell(in); got != want {
			t.Errorf("CSVCell(%q) = %q, want %q", in, got, want)
		}
	}
}

func BenchmarkLinePlain(b *testing.B) {
	s := "modules/storage/main.tf:12:3: error: Invalid for_each argument; the given value is not known"
	for b.Loop() {
		if Line(s) != s {
			b.Fatal("changed")
		}
	}
}

// FuzzCSVCell: a cell holds no unsafe rune and is valid UTF-8, and its
// ASCII fast path (needsEscape) rewrites exactly the cells the rune by
// rune test would.
func FuzzCSVCell(f *testing.F) {
	for _, s := range []string{"", "plain", "=1+1", " @x", "a\tb", "a\x1b[2J", "\xff", "é\u202eb", "\x7f", "\u2028"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := CSVCell(s)
		if strings.IndexFunc(got, unsafe) >= 0 || !utf8.ValidString(got) {
			t.Errorf("CSVCell(%q) = %q: unsafe", s, got)
		}
		if slow := strings.IndexFunc(s, unsafe) >= 0 || !utf8.ValidString(s); slow != needsEscape(s) {
			t.Errorf("needsEscape(%q) = %v, want %v", s, !slow, slow)
		}
	})
}
