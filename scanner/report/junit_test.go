package report

import (
	"bytes"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/casascan/casascan/scanner"
)

// xmllint validates against an XSD; Debian's libxml2-utils has it. The
// schema tests skip only where it is not installed.
func xmllint(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("xmllint not installed (apt-get install libxml2-utils): the JUnit output is not validated against the schema here")
	}
	return p
}

func validateJUnit(t *testing.T, doc []byte) {
	t.Helper()
	bin := xmllint(t)
	f := filepath.Join(t.TempDir(), "junit.xml")
	if err := os.WriteFile(f, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "--noout", "--nonet", "--schema", filepath.Join("testdata", "schema", "junit.xsd"), f).CombinedOutput()
	if err != nil {
		t.Fatalf("xmllint rejects the JUnit output: %v\n%s", err, out)
	}
}

// TestJUnitSchema validates the golden output, and a hostile result, against
// the JUnit schema Jenkins, GitLab and Azure Pipelines read.
func TestJUnitSchema(t *testing.T) {
	golden, err := os.ReadFile(filepath.Join("testdata", "junit.golden"))
	if err != nil {
		t.Fatal(err)
	}
	validateJUnit(t, golden)
	validateJUnit(t, render(t, "junit", hostileJUnitResult(), Options{}))
	validateJUnit(t, render(t, "junit", &scanner.Result{}, Options{}))
}

// TestJUnitSchemaRejects proves the validation can fail: a testsuite
// without its required counts, and a testcase inside a failure, are
// rejected.
func TestJUnitSchemaRejects(t *testing.T) {
	bin := xmllint(t)
	for name, doc := range map[string]string{
		"no counts":    `<testsuites><testsuite name="x"/></testsuites>`,
		"wrong nest":   `<testsuites><testsuite name="x" tests="1" failures="1" errors="0"><testcase name="a"><failure><testcase name="b"/></failure></testcase></testsuite></testsuites>`,
		"bad time":     `<testsuites><testsuite name="x" tests="0" failures="0" errors="0" time="soon"/></testsuites>`,
		"unknown elem": `<testsuites><suite name="x"/></testsuites>`,
	} {
		f := filepath.Join(t.TempDir(), "bad.xml")
		if err := os.WriteFile(f, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(bin, "--noout", "--nonet", "--schema", filepath.Join("testdata", "schema", "junit.xsd"), f).CombinedOutput(); err == nil {
			t.Errorf("%s: the schema accepts an invalid document:\n%s", name, out)
		}
	}
}

// hostileJUnitResult carries what the tree can put in a name: XML
// metacharacters, a CDATA end, control characters XML 1.0 forbids, ANSI
// escapes and a CI workflow command.
func hostileJUnitResult() *scanner.Result {
	res := testResult()
	evil := "google_storage_bucket.x\"><script>]]>&amp;\x00\x1b[31m\n::error::owned\uFFFE"
	res.Update(func(f *scanner.Finding) bool {
		f.Resource = evil
		f.Message = evil + ": " + f.Message
		f.Location.File = "a&b<c>.tf"
		return true
	})
	res.Diagnostics = append(res.Diagnostics, scanner.Diagnostic{Severity: scanner.DiagError, Skipped: true,
		File: "x\x07<y>.tf", Line: 1, Summary: evil})
	return res
}

type junitDoc struct {
	Suites []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Errors   int    `xml:"errors,attr"`
		Skipped  int    `xml:"skipped,attr"`
		Cases    []struct {
			Name      string `xml:"name,attr"`
			Classname string `xml:"classname,attr"`
			Failure   *struct {
				Message string `xml:"message,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Error *struct {
				Message string `xml:"message,attr"`
			} `xml:"error"`
			Skipped *struct {
				Message string `xml:"message,attr"`
			} `xml:"skipped"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func TestJUnitStructure(t *testing.T) {
	res := testResult()
	var doc junitDoc
	if err := xml.Unmarshal(render(t, "junit", res, Options{}), &doc); err != nil {
		t.Fatalf("not XML: %v", err)
	}
	var names []string
	cases, fails, skipped := 0, 0, 0
	for _, s := range doc.Suites {
		names = append(names, s.Name)
		if s.Tests != len(s.Cases) {
			t.Errorf("suite %s: tests=%d, %d testcases", s.Name, s.Tests, len(s.Cases))
		}
		if s.Name == junitInputSuite {
			continue
		}
		cases += len(s.Cases)
		for _, c := range s.Cases {
			if c.Classname != s.Name {
				t.Errorf("testcase %s in suite %s has classname %s", c.Name, s.Name, c.Classname)
			}
			if c.Failure != nil {
				fails++
			}
			if c.Skipped != nil {
				skipped++
			}
		}
	}
	// One suite per check that ran, then the input suite.
	want := []string{"GCP-ACC-001", "GCP-ACC-002", "GCP-ENC-001", "GCP-ENC-006", "GCP-KMS-001", "GCP-KMS-006", "GCP-LOG-001", junitInputSuite}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("suites (-want +got):\n%s", diff)
	}
	if cases != res.Len() || fails != res.Count(scanner.StatusFail) ||
		skipped != res.Count(scanner.StatusIgnored)+res.Count(scanner.StatusUnknown)+res.Count(scanner.StatusOutOfScope) {
		t.Errorf("%d testcases, %d failures, %d skipped; want one per finding (%d), one failure per FAIL, skipped for IGNORED, UNKNOWN and OUT_OF_SCOPE",
			cases, fails, skipped, res.Len())
	}
	// A failure names the place and the fix; an ignored finding its reason.
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			switch {
			case s.Name == "GCP-KMS-001" && c.Failure != nil:
				if !strings.Contains(c.Failure.Message, "main.tf:5") || !strings.Contains(c.Failure.Text, "fix: Set version_template.protection_level") {
					t.Errorf("failure = %+v, want the location and the fix", c.Failure)
				}
			case s.Name == "GCP-ENC-001" && c.Skipped != nil && strings.HasPrefix(c.Skipped.Message, "ignored"):
				if want := "ignored: static assets, no user data (until 2099-12-31); ignore comment at modules/bucket/main.tf:2"; c.Skipped.Message != want {
					t.Errorf("ignored = %q, want %q", c.Skipped.Message, want)
				}
			}
		}
	}
}

// TestJUnitNotJudged: a part of the input not judged is a testcase with an
// error, so a CI test view shows the scan incomplete.
func TestJUnitNotJudged(t *testing.T) {
	res := &scanner.Result{Diagnostics: []scanner.Diagnostic{{Severity: scanner.DiagError, Skipped: true,
		File: "broken.tf", Line: 3, Summary: "Invalid expression"}}}
	var doc junitDoc
	if err := xml.Unmarshal(render(t, "junit", res, Options{}), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Suites) != 1 || doc.Suites[0].Errors != 1 || len(doc.Suites[0].Cases) != 1 ||
		doc.Suites[0].Cases[0].Name != "broken.tf:3" || doc.Suites[0].Cases[0].Error == nil ||
		!strings.Contains(doc.Suites[0].Cases[0].Error.Message, "Invalid expression") {
		t.Errorf("not-judged input = %+v, want one testcase broken.tf:3 with an error", doc.Suites)
	}
}

// TestJUnitHostile: whatever the tree holds, the output is well-formed XML,
// carries no raw control character and no unescaped markup.
func TestJUnitHostile(t *testing.T) {
	out := render(t, "junit", hostileJUnitResult(), Options{})
	var doc junitDoc
	if err := xml.Unmarshal(out, &doc); err != nil {
		t.Fatalf("not well-formed: %v", err)
	}
	for _, bad := range []string{"\x00", "\x1b", "\x07", "<script>", "\n::error"} {
		if bytes.Contains(out, []byte(bad)) {
			t.Errorf("output holds %q raw", bad)
		}
	}
}
