package report

import (
	"fmt"
	"strings"
	"testing"

	"github.com/casascan/casascan/scanner"
)

func TestMarkdownMeasures(t *testing.T) {
	out := string(render(t, "markdown", testResult(), Options{}))
	want := []string{
		"| M1 | User data encrypted at rest | 1 | **2** | 0 | 1 |",
		"| M2 | Data transmitted over secure modern protocols | 0 | 0 | 0 | 0 |",
		"| M3 | Credentials and OAuth tokens encrypted at rest | 1 | 0 | 0 | 0 |",
		"| M4 | Keys in an HSM or equivalent key management | 0 | **2** | 0 | 0 |",
		"| M5 | No unauthorized access to user data | 1 | **2** | 0 | 0 |",
		"| M6 | User deletion requests can be honoured | 0 | 0 | 0 | 0 |",
		"| M7 | Nothing sensitive written to logs | 0 | 0 | 1 | 0 |",
	}
	for _, w := range want {
		if !strings.Contains(out, w+"\n") {
			t.Errorf("markdown lacks row %q", w)
		}
	}
}

func TestMarkdownFailures(t *testing.T) {
	out := string(render(t, "markdown", testResult(), Options{}))
	_, table, ok := strings.Cut(out, "### Failing resources")
	if !ok {
		t.Fatal("no failing resources section")
	}
	table, _, _ = strings.Cut(table, "### Ignored findings")
	var sevs []string
	for _, line := range strings.Split(table, "\n") {
		if f := strings.Split(line, " | "); len(f) == 5 && strings.HasPrefix(line, "| ") && !strings.HasPrefix(line, "| Severity") {
			sevs = append(sevs, strings.TrimPrefix(f[0], "| "))
		}
	}
	if got := strings.Join(sevs, ","); got != "CRITICAL,HIGH,MEDIUM,MEDIUM,MEDIUM,LOW" {
		t.Errorf("failing rows by severity = %s, want most severe first", got)
	}
	for _, w := range []string{
		"[main.tf:32](main.tf#L32)",               // relative link to file and line
		"`" + livePath + "`",                      // live: no link
		"`module.storage[\"mail\\|archive\"].goo", // | escaped inside the code span
		"_(ignore comment at main.tf:29 expired on 2025-01-31)_",
		"- **error** `broken.tf:3`: Invalid expression; Expected the start of an expression.",
		"- **warning** `module.remote`: Module not installed; run terraform init to fetch it (not scanned)",
		"Expired ignore comments: 1 (",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("markdown lacks %q", w)
		}
	}
	if strings.Contains(table, assetsBkt) {
		t.Error("an ignored finding is listed as failing")
	}
}

// TestMarkdownIgnored: a reviewer sees every suppression with its reason,
// expiry and where it is written, expired ones included.
func TestMarkdownIgnored(t *testing.T) {
	res := testResult()
	res.Update(func(f *scanner.Finding) bool {
		if f.Status == scanner.StatusIgnored {
			f.Suppression.Kind = scanner.SuppressionConfig
			f.Suppression.Location = scanner.Location{File: ".casascan.yaml", StartLine: 4}
		}
		return true
	})
	out := string(render(t, "markdown", res, Options{}))
	_, table, ok := strings.Cut(out, "### Ignored findings")
	if !ok {
		t.Fatal("no ignored findings section")
	}
	table, _, _ = strings.Cut(table, "###")
	for _, w := range []string{
		"| GCP-ENC-001 | `" + assetsBkt + "` | [modules/bucket/main.tf:3](modules/bucket/main.tf#L3) | static assets, no user data | 2099-12-31 | configuration ignore [.casascan.yaml:4](.casascan.yaml#L4) |",
		"| GCP-ACC-001 | `google_storage_bucket_iam_member.public` | [main.tf:32](main.tf#L32) | launch demo **(expired: counted as failing)** | 2025-01-31 | ignore comment [main.tf:29](main.tf#L29) |",
	} {
		if !strings.Contains(table, w+"\n") {
			t.Errorf("ignored table lacks %q:\n%s", w, table)
		}
	}
	if strings.Contains(string(render(t, "markdown", &scanner.Result{Checks: res.Checks}, Options{})), "Ignored findings") {
		t.Error("an ignored section without ignored findings")
	}
}

// TestMarkdownForgeLinks: with a link base (GITHUB_SERVER_URL, _REPOSITORY
// and _SHA), locations link to the file and line on the forge, paths
// escaped; a live resource still gets none.
func TestMarkdownForgeLinks(t *testing.T) {
	base := GitHubLinkBase("https://github.com/", "acme/infra", "0123456789abcdef0123456789abcdef01234567")
	if base != "https://github.com/acme/infra/blob/0123456789abcdef0123456789abcdef01234567/" {
		t.Fatalf("GitHubLinkBase = %q", base)
	}
	res := testResult()
	fs := res.List()
	fs[len(fs)-1].Location.File = "dir with space/a)b.tf"
	res.SetFindings(fs)
	out := string(render(t, "markdown", res, Options{LinkBase: base}))
	for _, w := range []string{
		"[main.tf:32](" + base + "main.tf#L32)",
		"[modules/bucket/main.tf:3](" + base + "modules/bucket/main.tf#L3)",
		"(" + base + "dir%20with%20space/a%29b.tf#L",
		"`" + livePath + "`",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("markdown lacks %q", w)
		}
	}
	if strings.Contains(out, "](main.tf#L") {
		t.Error("a relative link remains with a link base")
	}
	for _, bad := range [][3]string{
		{"", "acme/infra", "0123456"},
		{"javascript:alert(1)", "acme/infra", "0123456"},
		{"https://github.com", "acme", "0123456"},
		{"https://github.com", "acme/in fra", "0123456"},
		{"https://github.com", "acme/infra", "main)(x"},
		{"https://github.com?x=1", "acme/infra", "0123456"},
	} {
		if got := GitHubLinkBase(bad[0], bad[1], bad[2]); got != "" {
			t.Errorf("GitHubLinkBase(%q) = %q, want none", bad, got)
		}
	}
}

func TestMarkdownRowLimit(t *testing.T) {
	var fs []scanner.Finding
	for i := range mdMaxRows + 5 {
		addr := fmt.Sprintf("google_storage_bucket.b%03d", i)
		fs = append(fs, finding(checkENC001, scanner.StatusFail, addr, "google_storage_bucket", "", "no key",
			loc("main.tf", i+1, 1, i+1, 20, addr)))
	}
	res := scanner.NewResult(scanner.Tool{}, []*scanner.Check{checkENC001}, fs, nil)
	out := string(render(t, "markdown", res, Options{}))
	if n := strings.Count(out, "| MEDIUM |"); n != mdMaxRows {
		t.Errorf("got %d failing rows, want %d", n, mdMaxRows)
	}
	if !strings.Contains(out, "5 more failing results are not shown") {
		t.Error("markdown does not say rows were left out")
	}
}

func TestMDEscape(t *testing.T) {
	cases := map[string]string{
		"a|b":                "a\\|b",
		"[x](http://e)":      "\\[x\\](http://e)",
		"<img src=x>":        "\\<img src=x\\>",
		"@team *bold* _it_":  "\\@team \\*bold\\* \\_it\\_",
		"line\nbreak":        "line\\\\nbreak",
		"esc\x1b[31m":        "esc\\\\x1b\\[31m",
		"`code` & entity #1": "\\`code\\` \\& entity \\#1",
	}
	for in, want := range cases {
		if got := mdEscape(in); got != want {
			t.Errorf("mdEscape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMDCode(t *testing.T) {
	cases := map[string]string{
		"plain":    "`plain`",
		"a|b":      "`a\\|b`",
		"a`b":      "``a`b``",
		"`edge":    "`` `edge ``",
		"a``b`c":   "```a``b`c```",
		"":         "",
		"new\nlin": "`new\\nlin`",
	}
	for in, want := range cases {
		if got := mdCode(in); got != want {
			t.Errorf("mdCode(%q) = %q, want %q", in, got, want)
		}
	}
}
