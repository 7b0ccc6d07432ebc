package report

import (
	_ "embed"
	"html/template"
	"io"
	"iter"
	"sort"
	"strings"

	"github.com/casascan/casascan/scanner"
)

// The HTML evidence report is one self-contained file for an assessor: no
// script, no network, no external font or image (inline CSS, inline SVG
// charts), printable to PDF (a print stylesheet). html/template escapes
// every string from the result for its context; strings from the scanned
// tree also go through clean, so a bidi override or control character is
// shown, not obeyed. Nothing in it depends on the clock: the date is
// printed only when Options.Date is set (SOURCE_DATE_EPOCH).

//go:embed html.tmpl
var htmlSource string

var htmlTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"clean": clean,
	"join":  strings.Join,
}).Parse(htmlSource))

type htmlData struct {
	Name, Version, Date string
	Summary             jsonSummary
	Scope               []htmlField
	Measures            []htmlMeasure
	Checks              []htmlCheck
	// The finding sections are read from the result as the template
	// reaches them (iterators), a finding at a time, never held: a report
	// of a large scan is written as it is made. Each section's count comes
	// first, since the template prints it above the rows.
	Failures                                   iter.Seq[htmlFinding]
	Ignored                                    iter.Seq[htmlFinding]
	Unknown                                    iter.Seq[htmlFinding]
	OutOfScope                                 iter.Seq[htmlFinding]
	NFailures, NIgnored, NUnknown, NOutOfScope int
	NotJudged                                  []htmlDiag
	NotScanned                                 []htmlDiag
	Diagnostics                                []htmlDiag
}

type htmlField struct {
	Name   string
	Values []string
}

type htmlCounts struct{ Pass, Fail, Unknown, Ignored, OutOfScope int }

func (c *htmlCounts) add(s scanner.Status) {
	switch s {
	case scanner.StatusPass:
		c.Pass++
	case scanner.StatusFail:
		c.Fail++
	case scanner.StatusUnknown:
		c.Unknown++
	case scanner.StatusIgnored:
		c.Ignored++
	case scanner.StatusOutOfScope:
		c.OutOfScope++
	}
}

type htmlMeasure struct {
	ID, Title string
	htmlCounts
	Bars  []htmlBar
	Label string // the chart's accessible summary
}

// htmlBar is one bar of a measure's chart, laid out in SVG user units.
type htmlBar struct {
	Label, Class    string
	Count           int
	Y, Width, TextX int
}

type htmlCheck struct {
	ID, Title, Severity, CWE, ASVS, CASA, Measures string
	htmlCounts
}

type htmlFinding struct {
	CheckID, Title, Severity, Resource, Location, Link, Message string
	// Value is the judged value and where it came from (provenanceNote).
	Value                             string
	Note, Why, Remediation, Fix       string
	Related                           []string
	Reason, Expires, Origin, OriginAt string
}

type htmlDiag struct{ Where, Severity, Text string }

// Chart geometry: a label column, bars up to barMax wide, the count after.
const (
	barX      = 84
	barMax    = 220
	barHeight = 16
	barStep   = 22
)

// writeHTML writes every failing, ignored, unknown and out-of-scope
// finding, as the report always has (it is the assessor's evidence, with no
// row limit), but holds none of them: the template ranges over iterators
// that read the result a pass at a time (the failures a severity per pass,
// most severe first), and writes as it goes. What it keeps is counts per
// measure, per check and per section.
func writeHTML(w io.Writer, res *scanner.Result, opts Options) error {
	if err := htmlTemplate.Execute(w, htmlDataOf(res, opts)); err != nil {
		return err
	}
	return res.Err()
}

// htmlDataOf is what the template shows: counts, and iterators over the
// finding sections.
func htmlDataOf(res *scanner.Result, opts Options) htmlData {
	d := htmlData{Name: clean(res.Tool.Name), Version: clean(res.Tool.Version), Date: opts.Date, Summary: summarize(res)}
	if d.Name == "" {
		d.Name = "casascan"
	}
	d.Scope = htmlScope(opts.Scope)
	t := htmlTallyOf(res)
	d.Measures = htmlMeasures(t.perMeasure)
	d.Checks = htmlChecks(t)
	sevs, nfail := failureSeverities(res)
	d.NFailures = nfail
	d.Failures = func(yield func(htmlFinding) bool) {
		for f := range mostSevereFailures(res, sevs) {
			if !yield(htmlFindingOf(res, f, opts)) {
				return
			}
		}
	}
	// Expired suppressions are listed after the ignored findings: a
	// reviewer sees which stopped counting.
	d.NIgnored = res.Count(scanner.StatusIgnored) + t.expiredFails
	d.Ignored = func(yield func(htmlFinding) bool) {
		for _, keep := range []func(*scanner.Finding) bool{
			func(f *scanner.Finding) bool { return f.Status == scanner.StatusIgnored },
			expiredFailure,
		} {
			for f := range res.All() {
				if keep(&f) && !yield(htmlFindingOf(res, f, opts)) {
					return
				}
			}
		}
	}
	d.NUnknown, d.Unknown = res.Count(scanner.StatusUnknown), htmlWithStatus(res, scanner.StatusUnknown, opts)
	d.NOutOfScope, d.OutOfScope = res.Count(scanner.StatusOutOfScope), htmlWithStatus(res, scanner.StatusOutOfScope, opts)
	for _, diag := range res.Diagnostics {
		hd := htmlDiagOf(diag)
		switch {
		case diag.NotJudged():
			d.NotJudged = append(d.NotJudged, hd)
		case diag.NotScanned():
			d.NotScanned = append(d.NotScanned, hd)
		default:
			d.Diagnostics = append(d.Diagnostics, hd)
		}
	}
	return d
}

// htmlWithStatus yields the findings of a status, in the result's order.
func htmlWithStatus(res *scanner.Result, st scanner.Status, opts Options) iter.Seq[htmlFinding] {
	return func(yield func(htmlFinding) bool) {
		for f := range res.Only(st) {
			if !yield(htmlFindingOf(res, f, opts)) {
				return
			}
		}
	}
}

func htmlScope(s Scope) []htmlField {
	orAll := func(list []string, all string) []string {
		if len(list) == 0 {
			return []string{all}
		}
		return cleanAll(list)
	}
	config := "none"
	if s.Config != "" {
		config = clean(s.Config)
	}
	baseline := "none"
	if s.Baseline != "" {
		baseline = clean(s.Baseline)
	}
	ignores := "honoured"
	if s.NoInlineIgnores {
		ignores = "not honoured (--no-inline-ignores)"
	}
	return []htmlField{
		{"Inputs", orAll(s.Inputs, "not recorded")},
		{"Configuration file", []string{config}},
		{"Checks", orAll(s.Checks, "all")},
		{"Skipped checks", orAll(s.SkipChecks, "none")},
		{"Severities", orAll(s.Severity, "all")},
		{"Excluded paths", orAll(s.Exclude, "none")},
		{"Scope labels", orAll(s.ScopeLabels, "none (every resource is in scope)")},
		{"Baseline", []string{baseline}},
		{"Ignore comments and ignore: entries", []string{ignores}},
	}
}

func cleanAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = clean(s)
	}
	return out
}

// htmlTally is what the report counts in one pass over the findings: per
// measure and per check (the checks that ran, and those of findings
// outside them), and the failures whose suppression has expired.
type htmlTally struct {
	perMeasure   map[scanner.Measure]*htmlCounts
	perCheck     map[string]*htmlCounts
	checks       map[string]*scanner.Check
	expiredFails int
}

func htmlTallyOf(res *scanner.Result) htmlTally {
	t := htmlTally{perMeasure: map[scanner.Measure]*htmlCounts{}, perCheck: map[string]*htmlCounts{}, checks: map[string]*scanner.Check{}}
	for _, m := range measures {
		t.perMeasure[m] = &htmlCounts{}
	}
	for _, c := range res.Checks {
		t.perCheck[c.ID], t.checks[c.ID] = &htmlCounts{}, c
	}
	for f := range res.All() {
		for _, m := range checkFor(res, f).Measures {
			if c := t.perMeasure[m]; c != nil {
				c.add(f.Status)
			}
		}
		if t.perCheck[f.CheckID] == nil {
			t.perCheck[f.CheckID], t.checks[f.CheckID] = &htmlCounts{}, checkFor(res, f)
		}
		t.perCheck[f.CheckID].add(f.Status)
		if expiredFailure(&f) {
			t.expiredFails++
		}
	}
	return t
}

// expiredFailure reports whether a finding fails because its suppression
// has expired: the HTML report lists it with the ignored findings too.
func expiredFailure(f *scanner.Finding) bool {
	return f.Status == scanner.StatusFail && f.Suppression != nil && f.Suppression.Expired
}

func htmlMeasures(per map[scanner.Measure]*htmlCounts) []htmlMeasure {
	// One scale for every chart, so bars compare across measures.
	top := 1
	for _, c := range per {
		top = max(top, c.Pass, c.Fail, c.Unknown, c.Ignored)
	}
	var out []htmlMeasure
	for _, m := range measures {
		c := *per[m]
		hm := htmlMeasure{ID: string(m), Title: scanner.MeasureTitle[m], htmlCounts: c}
		for i, b := range []struct {
			label, class string
			n            int
		}{{"pass", "pass", c.Pass}, {"fail", "fail", c.Fail}, {"unknown", "unknown", c.Unknown}, {"ignored", "ignored", c.Ignored}} {
			width := b.n * barMax / top
			if b.n > 0 && width < 2 {
				width = 2
			}
			hm.Bars = append(hm.Bars, htmlBar{Label: b.label, Class: b.class, Count: b.n,
				Y: 4 + i*barStep, Width: width, TextX: barX + width + 6})
		}
		hm.Label = string(m) + ": " + itoa(c.Pass) + " pass, " + itoa(c.Fail) + " fail, " +
			itoa(c.Unknown) + " unknown, " + itoa(c.Ignored) + " ignored"
		out = append(out, hm)
	}
	return out
}

func htmlChecks(t htmlTally) []htmlCheck {
	counts, checks := t.perCheck, t.checks
	ids := make([]string, 0, len(counts))
	for id := range counts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out []htmlCheck
	for _, id := range ids {
		c := checks[id]
		hc := htmlCheck{ID: clean(c.ID), Title: clean(c.Title), Severity: c.Severity.String(),
			ASVS: strings.Join(c.ASVS, ", "), CASA: casaList(c, ", "), Measures: measureList(c, ", "),
			htmlCounts: *counts[id]}
		if c.CWE > 0 {
			hc.CWE = "CWE-" + itoa(c.CWE)
		}
		if hc.ASVS == "" {
			hc.ASVS = "none"
		}
		out = append(out, hc)
	}
	return out
}

func htmlFindingOf(res *scanner.Result, f scanner.Finding, opts Options) htmlFinding {
	c := checkFor(res, f)
	hf := htmlFinding{
		CheckID: clean(f.CheckID), Title: clean(c.Title), Severity: f.Severity.String(),
		Resource: clean(f.Resource), Location: clean(f.Location.String()), Message: clean(f.Message),
		Note: clean(expiredNote(f)), Why: oneLine(c.Why, 400),
		Remediation: strings.Join(strings.Fields(c.Remediation), " "), Fix: c.Fix,
		Reason: clean(f.Reason), Value: clean(provenanceNote(f)),
	}
	if opts.LinkBase != "" && f.Location.StartLine > 0 {
		hf.Link = forgeLink(opts.LinkBase, f.Location)
	}
	if f.DownloadedModule != nil {
		hf.Related = append(hf.Related, "inside the downloaded module at "+clean(f.DownloadedModule.String()))
	}
	for _, rel := range f.Related {
		what := rel.Message
		if what == "" {
			what = rel.Address
		}
		hf.Related = append(hf.Related, clean(what)+" at "+clean(rel.String()))
	}
	if s := f.Suppression; s != nil {
		hf.Origin, hf.Expires = suppressionOrigin(s), clean(s.Expires)
		if s.Location.File != "" {
			hf.OriginAt = clean(s.Location.String())
		}
		if f.Status == scanner.StatusIgnored || s.Expired {
			r := s.Justification
			if f.Status == scanner.StatusIgnored {
				r = ignoreReason(f)
			}
			if r == "" {
				r = "no reason given"
			}
			hf.Reason = clean(r)
		}
	}
	return hf
}

func htmlDiagOf(d scanner.Diagnostic) htmlDiag {
	where := d.Subject
	if d.File != "" {
		where = scanner.Location{File: d.File, StartLine: d.Line}.String()
	}
	text := d.Summary
	if d.Detail != "" {
		text += "; " + d.Detail
	}
	return htmlDiag{Where: clean(where), Severity: string(d.Severity), Text: clean(text)}
}
