package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/casascan/casascan/scanner"
)

// JUnit XML, as Jenkins, GitLab CI and Azure Pipelines read it (validated
// in the tests against testdata/schema/junit.xsd):
//
//   - one <testsuite> per check that ran, named by its ID, with the title,
//     severity, CWE, ASVS, CASA and measures as <properties>;
//   - one <testcase> per resource judged (per attribute when a check finds
//     several problems on one resource): classname the check ID, name the
//     resource address;
//   - FAIL is a <failure> (message, type the severity, text with the
//     location, the message and the fix); IGNORED, UNKNOWN and
//     OUT_OF_SCOPE are <skipped> with the reason; PASS has no child;
//   - what was not judged closes the file as a "casascan: input" suite, a
//     testcase with an <error> each, so a CI test view shows the scan
//     incomplete; modules knowingly not scanned are <skipped> there.
//
// The document is built with encoding/xml, which escapes every attribute
// and text and replaces characters XML 1.0 forbids, so it is well-formed
// whatever the tree holds; strings from the tree are also passed through
// clean, so none carries a terminal escape into a CI log. No timestamps,
// no hostnames: times are "0".

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Properties *junitPropList  `xml:"properties,omitempty"`
	Cases      []junitTestcase `xml:"testcase"`
	// check is the suite's check, for its testcases; not written.
	check *scanner.Check
}

type junitPropList struct {
	Props []junitProp `xml:"property"`
}

type junitProp struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitTestcase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitOutcome `xml:"failure,omitempty"`
	Error     *junitOutcome `xml:"error,omitempty"`
	Skipped   *junitOutcome `xml:"skipped,omitempty"`
}

type junitOutcome struct {
	Message string `xml:"message,attr,omitempty"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

// junitInputSuite names the suite of what was not judged.
const junitInputSuite = "casascan: input"

// writeJUnit writes the document as encoding/xml would marshal it whole,
// but holds no testcase of a check: it counts each check's outcomes in one
// pass (a suite's counts are attributes, written before its testcases),
// then writes the suites from the findings sorted by check ID (stable, so
// each check's in the result's order), a testcase as each is read.
func writeJUnit(w io.Writer, res *scanner.Result, _ Options) error {
	name := "casascan"
	if v := res.Tool.Version; v != "" {
		name += " " + clean(v)
	}
	type tally struct {
		tests, failures, skipped int
		first                    scanner.Finding // the first finding, for a check not in res.Checks
	}
	byCheck := map[string]*tally{}
	for f := range res.All() {
		t := byCheck[f.CheckID]
		if t == nil {
			t = &tally{first: f}
			byCheck[f.CheckID] = t
		}
		t.tests++
		switch f.Status {
		case scanner.StatusFail:
			t.failures++
		case scanner.StatusPass:
		default:
			t.skipped++
		}
	}
	ids := make([]string, 0, len(byCheck)+len(res.Checks))
	seen := map[string]bool{}
	for _, c := range res.Checks {
		if !seen[c.ID] {
			seen[c.ID] = true
			ids = append(ids, c.ID)
		}
	}
	for id := range byCheck {
		if !seen[id] {
			seen[id] = true
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	suites := make([]junitSuite, len(ids)) // without their testcases
	for i, id := range ids {
		c := res.Check(id)
		if c == nil {
			c = checkFor(res, byCheck[id].first)
		}
		suites[i] = junitCheckSuite(c)
		if t := byCheck[id]; t != nil {
			suites[i].Tests, suites[i].Failures, suites[i].Skipped = t.tests, t.failures, t.skipped
		}
	}
	input, hasInput := junitInput(res)
	doc := junitSuites{Name: name, Time: "0"}
	for _, s := range suites {
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
	}
	if hasInput {
		doc.Tests += input.Tests
		doc.Failures += input.Failures
		doc.Errors += input.Errors
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	start := xml.StartElement{Name: xml.Name{Local: "testsuites"}, Attr: []xml.Attr{
		{Name: xml.Name{Local: "name"}, Value: doc.Name},
		{Name: xml.Name{Local: "tests"}, Value: itoa(doc.Tests)},
		{Name: xml.Name{Local: "failures"}, Value: itoa(doc.Failures)},
		{Name: xml.Name{Local: "errors"}, Value: itoa(doc.Errors)},
		{Name: xml.Name{Local: "time"}, Value: doc.Time},
	}}
	if err := enc.EncodeToken(start); err != nil {
		return err
	}
	// The findings by check, in the order of ids (sorted): a suite is
	// opened when its check comes up, and a check without findings still
	// has its (empty) suite.
	next := 0
	openNext := func() error {
		if next > 0 {
			if err := enc.EncodeToken(xml.EndElement{Name: xml.Name{Local: "testsuite"}}); err != nil {
				return err
			}
		}
		next++
		return junitOpenSuite(enc, suites[next-1])
	}
	for f := range res.SortedBy(func(dst []byte, f *scanner.Finding) []byte { return scanner.AppendKeyString(dst, f.CheckID) }) {
		for next < len(ids) && ids[next] <= f.CheckID {
			if err := openNext(); err != nil {
				return err
			}
		}
		if next == 0 || ids[next-1] != f.CheckID {
			return fmt.Errorf("writing the JUnit report: a finding of %s was not counted", f.CheckID)
		}
		tc := junitCase(suites[next-1].check, f)
		if err := enc.EncodeElement(tc, xml.StartElement{Name: xml.Name{Local: "testcase"}}); err != nil {
			return err
		}
	}
	if err := res.Err(); err != nil {
		return err
	}
	for next < len(ids) {
		if err := openNext(); err != nil {
			return err
		}
	}
	if next > 0 {
		if err := enc.EncodeToken(xml.EndElement{Name: xml.Name{Local: "testsuite"}}); err != nil {
			return err
		}
	}
	if hasInput {
		if err := enc.EncodeElement(input, xml.StartElement{Name: xml.Name{Local: "testsuite"}}); err != nil {
			return err
		}
	}
	if err := enc.EncodeToken(start.End()); err != nil {
		return err
	}
	if err := enc.Flush(); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// junitCheckSuite is a check's suite with its properties, without its
// testcases and counts (writeJUnit writes them).
func junitCheckSuite(c *scanner.Check) junitSuite {
	s := junitSuite{Name: clean(c.ID), Time: "0", check: c}
	props := []junitProp{{"title", clean(c.Title)}, {"severity", c.Severity.String()}}
	if c.CWE > 0 {
		props = append(props, junitProp{"cwe", "CWE-" + itoa(c.CWE)})
	}
	props = append(props,
		junitProp{"asvs", clean(strings.Join(c.ASVS, " "))},
		junitProp{"casa", clean(casaList(c, " "))},
		junitProp{"measures", measureList(c, " ")})
	s.Properties = &junitPropList{Props: props}
	return s
}

// junitOpenSuite writes a check suite's start tag and properties, as
// encoding/xml marshals a junitSuite; its testcases follow.
func junitOpenSuite(enc *xml.Encoder, s junitSuite) error {
	start := xml.StartElement{Name: xml.Name{Local: "testsuite"}, Attr: []xml.Attr{
		{Name: xml.Name{Local: "name"}, Value: s.Name},
		{Name: xml.Name{Local: "tests"}, Value: itoa(s.Tests)},
		{Name: xml.Name{Local: "failures"}, Value: itoa(s.Failures)},
		{Name: xml.Name{Local: "errors"}, Value: itoa(s.Errors)},
		{Name: xml.Name{Local: "skipped"}, Value: itoa(s.Skipped)},
		{Name: xml.Name{Local: "time"}, Value: s.Time},
	}}
	if err := enc.EncodeToken(start); err != nil {
		return err
	}
	if s.Properties == nil {
		return nil
	}
	return enc.EncodeElement(s.Properties, xml.StartElement{Name: xml.Name{Local: "properties"}})
}

func junitCase(c *scanner.Check, f scanner.Finding) junitTestcase {
	name := f.Resource
	if f.Attribute != "" {
		name += " (" + f.Attribute + ")"
	}
	tc := junitTestcase{Name: clean(name), Classname: clean(f.CheckID), Time: "0"}
	where := clean(f.Location.String())
	switch f.Status {
	case scanner.StatusFail:
		text := "at " + where + "\n" + clean(f.Message)
		if note := provenanceNote(f); note != "" {
			text += "\nvalue: " + clean(note)
		}
		if note := expiredNote(f); note != "" {
			text += "\nnote: " + clean(note) + "; it no longer suppresses this finding"
		}
		if fix := strings.Join(strings.Fields(c.Remediation), " "); fix != "" {
			text += "\nfix: " + clean(fix)
		}
		text += "\n(casascan checks " + clean(f.CheckID) + " shows the fixed Terraform)\n"
		tc.Failure = &junitOutcome{Message: clean(f.Message) + " (" + where + ")", Type: f.Severity.String(), Text: text}
	case scanner.StatusIgnored:
		msg := "ignored: " + clean(ignoreReason(f))
		if s := f.Suppression; s != nil {
			if s.Expires != "" {
				msg += " (until " + clean(s.Expires) + ")"
			}
			if s.Location.File != "" {
				msg += "; " + suppressionOrigin(s) + " at " + clean(s.Location.String())
			}
		}
		tc.Skipped = &junitOutcome{Message: msg, Type: "ignored"}
	case scanner.StatusUnknown:
		tc.Skipped = &junitOutcome{Message: "unknown: " + clean(f.Reason) + " (" + where + ")", Type: "unknown"}
	case scanner.StatusOutOfScope:
		tc.Skipped = &junitOutcome{Message: "out of scope: " + clean(f.Reason), Type: "out-of-scope"}
	}
	return tc
}

// junitInput is the suite of what was not judged (an <error> each) and
// what was knowingly not scanned (<skipped>); false when there is neither.
func junitInput(res *scanner.Result) (junitSuite, bool) {
	s := junitSuite{Name: junitInputSuite, Time: "0"}
	for _, d := range res.Diagnostics {
		if !d.Skipped {
			continue
		}
		name := d.Subject
		if d.File != "" {
			name = scanner.Location{File: d.File, StartLine: d.Line}.String()
		}
		why := d.Summary
		if d.Detail != "" {
			why += "; " + d.Detail
		}
		tc := junitTestcase{Name: clean(name), Classname: "casascan.input", Time: "0"}
		s.Tests++
		if d.NotJudged() {
			tc.Error = &junitOutcome{Message: "not judged: " + clean(why), Type: "not-judged",
				Text: "this part of the input was not judged: the scan is incomplete\n"}
			s.Errors++
		} else {
			tc.Skipped = &junitOutcome{Message: "not scanned (warning): " + clean(why), Type: "not-scanned"}
			s.Skipped++
		}
		s.Cases = append(s.Cases, tc)
	}
	return s, s.Tests > 0
}

// ignoreReason is the reason an IGNORED finding gives, or "no reason given".
func ignoreReason(f scanner.Finding) string {
	reason := f.Reason
	if reason == "" && f.Suppression != nil {
		reason = f.Suppression.Justification
	}
	if reason == "" {
		reason = "no reason given"
	}
	return reason
}

// suppressionOrigin names what a suppression came from.
func suppressionOrigin(s *scanner.Suppression) string {
	switch s.Kind {
	case scanner.SuppressionConfig:
		return "configuration ignore"
	case "external":
		return "baseline"
	}
	return "ignore comment"
}

// casaList joins a check's CASA test cases, or says "none" when no CASA
// test case maps to it (an empty cell reads as a gap in the evidence).
func casaList(c *scanner.Check, sep string) string {
	if len(c.CASA) == 0 {
		return "none"
	}
	return strings.Join(c.CASA, sep)
}
