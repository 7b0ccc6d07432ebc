package report

import (
	"strings"
	"testing"

	"github.com/casascan/casascan/scanner"
)

// TestHTMLHostile: markup, a bidi override and a javascript: URL from the
// tree are shown as text, never obeyed; a forge link is only an http(s) one.
func TestHTMLHostile(t *testing.T) {
	res := testResult()
	evil := `x"><script>alert(1)</script><img src=x onerror=alert(2)>` + "\u202e"
	res.Update(func(f *scanner.Finding) bool {
		f.Resource = evil
		f.Message = evil
		f.Location.File = "javascript:alert(3)//" + evil
		f.Reason = evil
		return true
	})
	res.Diagnostics = append(res.Diagnostics, scanner.Diagnostic{Severity: scanner.DiagError, Skipped: true, File: evil, Summary: evil})
	out := string(render(t, "html", res, Options{LinkBase: "https://github.com/a/b/blob/0123456/",
		Scope: Scope{Inputs: []string{evil}, ScopeLabels: []string{evil}}}))
	for _, bad := range []string{"<script", "<img", "\u202e", `href="javascript`} {
		if strings.Contains(out, bad) {
			t.Errorf("the HTML report holds %q unescaped", bad)
		}
	}
	if !strings.Contains(out, `&lt;script&gt;`) || !strings.Contains(out, `\u202e`) {
		t.Error("the hostile text is not shown escaped")
	}
	if !strings.Contains(out, `href="https://github.com/a/b/blob/0123456/javascript%3Aalert%283%29/`) {
		t.Error("forge links are not built from the escaped path")
	}
}

// TestHTMLContent: the evidence an assessor needs is in the page.
func TestHTMLContent(t *testing.T) {
	out := string(render(t, "html", testResult(), Options{}))
	for _, want := range []string{
		`<strong>6 failing</strong>, 2 passing, 1 unknown, 1 ignored, 1 out of scope`,
		`<title>M1: 1 pass, 2 fail, 0 unknown, 1 ignored</title>`,
		`<td>static assets, no user data</td><td>2099-12-31</td><td>ignore comment at <code>modules/bucket/main.tf:2</code></td>`,
		`launch demo <strong>(ignore comment at main.tf:29 expired on 2025-01-31: counted as failing)</strong>`,
		`<code>GCP-KMS-006</code> Data store protected by a software key</td><td class="sev sev-MEDIUM">MEDIUM</td><td class="nowrap">CWE-320</td><td>6.4.2</td><td class="nowrap">none</td>`,
		`<dt>Location</dt><dd><code>main.tf:5</code></dd>`,
		`<dt>Fix</dt><dd>Set version_template.protection_level = &#34;HSM&#34;.</dd>`,
		`<dt>Related</dt><dd>related resource google_kms_crypto_key.app at main.tf:5</dd>`,
		`<td><code>module.remote</code></td><td>Module not installed; run terraform init to fetch it</td>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the HTML report lacks %q", want)
		}
	}
	if strings.Contains(out, "Incomplete scan") {
		t.Error("a complete scan is called incomplete")
	}
	res := testResult()
	res.Diagnostics = append(res.Diagnostics, scanner.Diagnostic{Severity: scanner.DiagError, Skipped: true, File: "bad.tf", Line: 2, Summary: "unreadable"})
	if out := string(render(t, "html", res, Options{})); !strings.Contains(out, "Incomplete scan:") || !strings.Contains(out, "<td><code>bad.tf:2</code></td><td>unreadable</td>") {
		t.Error("an incomplete scan is not said, or what was not judged is not listed")
	}
	if strings.Contains(out, "2026-") {
		t.Error("a date without Options.Date")
	}
}
