package report

import (
	"slices"
	"strings"
	"testing"

	"github.com/casascan/casascan/scanner"
)

// TestTextSnippet: the lines around a finding are shown numbered, its own
// lines marked, made inert, credentials hidden; only files the Source
// gives are read.
func TestTextSnippet(t *testing.T) {
	var src strings.Builder
	for i := 1; i <= 40; i++ {
		switch i {
		case 4:
			src.WriteString("  password = \"hunter2-not-shown\"\n")
		case 5:
			src.WriteString("resource \"google_kms_crypto_key\" \"app\" { # \x1b[2J::error::owned\n")
		case 6:
			src.WriteString("  token = \"ya29.a0AfH6SMBx-not-shown-either-0123456789\"\n")
		default:
			src.WriteString("  line_" + itoa(i) + " = true\n")
		}
	}
	asked := map[string]int{}
	opts := Options{Source: func(file string) []byte {
		asked[file]++
		if file == "main.tf" {
			return []byte(src.String())
		}
		return nil
	}}
	res := testResult()
	res.Update(func(f *scanner.Finding) bool {
		if f.Location.StartLine == 32 {
			f.Location.EndLine = 39
		}
		return true
	})
	out := string(render(t, "text", res, opts))
	want := "    at        main.tf:5\n" +
		"      3 |   line_3 = true\n" +
		"      4 |   password = (value hidden)\n" +
		"    > 5 | resource \"google_kms_crypto_key\" \"app\" { # \\x1b[2J::error::owned\n" +
		"      6 |   token = (value hidden)\n" +
		"      7 |   line_7 = true\n" +
		"    resource  google_kms_crypto_key.app\n"
	if !strings.Contains(out, want) {
		t.Errorf("text report lacks the snippet\n%s\nin:\n%s", want, out)
	}
	for _, bad := range []string{"hunter2", "ya29", "\x1b[2J"} {
		if strings.Contains(out, bad) {
			t.Errorf("text report holds %q", bad)
		}
	}
	// A multi-line finding (lines 32-39) marks each of its lines; context
	// stops at the file's end (line 40).
	if !strings.Contains(out, "    > 32 |   line_32 = true\n") || !strings.Contains(out, "    > 39 |   line_39 = true\n") ||
		!strings.Contains(out, "      30 |   line_30 = true\n") || !strings.Contains(out, "      40 |   line_40 = true\n") ||
		strings.Contains(out, "41 |") || strings.Contains(out, "29 |") {
		t.Errorf("multi-line snippet wrong:\n%s", out)
	}
	if asked["gcp/storage.googleapis.com/acme-mail"] != 0 {
		t.Error("a live resource's pseudo-path was read as a file")
	}
	// Other formats never read sources.
	asked = map[string]int{}
	for _, f := range []string{"json", "sarif", "csv", "markdown", "html", "junit"} {
		render(t, f, testResult(), opts)
	}
	if len(asked) != 0 {
		t.Errorf("non-text formats read sources: %v", asked)
	}
}

func TestTextCompact(t *testing.T) {
	out := string(render(t, "text", testResult(), Options{Compact: true}))
	for _, want := range []string{
		"  main.tf:5 GCP-KMS-001 google_kms_crypto_key.app: protection level is SOFTWARE (want HSM)\n",
		"  main.tf:32 GCP-ACC-001 google_storage_bucket_iam_member.public: grants roles/storage.objectViewer to allUsers (ignore comment at main.tf:29 expired on 2025-01-31)\n",
		"Summary:",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("compact report lacks %q:\n%s", want, out)
		}
	}
	for _, bad := range []string{"    why ", "    fix ", "    problem "} {
		if strings.Contains(out, bad) {
			t.Errorf("compact report holds %q", bad)
		}
	}
}

func TestWrapText(t *testing.T) {
	res := testResult()
	for _, width := range []int{40, 60, 100} {
		out := string(render(t, "text", res, Options{Width: width}))
		for _, line := range strings.Split(out, "\n") {
			// A finding's fields (and their continuation lines) wrap; a
			// line may only overflow with one word longer than the room.
			if !strings.HasPrefix(line, "    ") || len(line) < 14 {
				continue
			}
			if n := len([]rune(line)); n > width && strings.Contains(strings.TrimSpace(line[14:]), " ") {
				t.Errorf("width %d: line of %d runes: %q", width, n, line)
			}
		}
	}
	if got := wrapText("a b c", 20); len(got) != 1 || got[0] != "a b c" {
		t.Errorf("wrapText = %q", got)
	}
}

// TestSnippetLongTokens: a long run of token characters is hidden (a key,
// a credential body) unless it is a Google provider type name, which the
// reader needs (fixtures/demo/lb.tf:39 printed resource "***" "app").
func TestSnippetLongTokens(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`resource "google_compute_target_https_proxy" "app" {`, `resource "google_compute_target_https_proxy" "app" {`},
		{`  proxy = google_compute_region_target_https_proxy.app.id`, `  proxy = google_compute_region_target_https_proxy.app.id`},
		{`  id = "0123456789abcdef0123456789abcdef"`, `  id = "***"`},
		{`  x = "Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9v"`, `  x = "***"`},
		{`  x = "google_Mixed_Case_Not_A_Type_Name_Long"`, `  x = "***"`},
		{`  x = "google_0123456789abcdef0123456789abcdef/x"`, `  x = "***"`},
		{`  x = "not_google_compute_target_https_proxy"`, `  x = "***"`},
	} {
		if got := snippetLine(tc.in, 200); got != tc.want {
			t.Errorf("snippetLine(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

var _ = scanner.StatusFail

// wrapTextWords is wrapText as first written, word by word: the reference
// the slicing one is fuzzed against.
func wrapTextWords(s string, width int) []string {
	if width < 20 {
		width = 20
	}
	var lines []string
	cur, n := "", 0
	for _, w := range strings.Split(s, " ") {
		wl := len([]rune(w))
		switch {
		case n == 0:
			cur, n = w, wl
		case n+1+wl <= width:
			cur, n = cur+" "+w, n+1+wl
		default:
			lines = append(lines, cur)
			cur, n = w, wl
		}
	}
	return append(lines, cur)
}

// FuzzWrapText: wrapText, which slices s, breaks every text as the word
// by word reference does.
func FuzzWrapText(f *testing.F) {
	for _, s := range []string{"", " ", "a b c", "  lead", "trail  ", "a  b", "ünïcödé wörds wrap at runes not bytes ok",
		"averyveryveryverylongwordthatdoesnotfitatall and then some more words", strings.Repeat("ab ", 40)} {
		f.Add(s, 20)
		f.Add(s, 33)
	}
	f.Fuzz(func(t *testing.T, s string, width int) {
		width = width%200 + 1
		if got, want := wrapText(s, width), wrapTextWords(s, width); !slices.Equal(got, want) {
			t.Errorf("wrapText(%q, %d) = %q, want %q", s, width, got, want)
		}
	})
}
