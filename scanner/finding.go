package scanner

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Status is the outcome of one check on one resource.
type Status string

// The statuses a Finding can have.
const (
	StatusFail       Status = "FAIL"
	StatusPass       Status = "PASS"
	StatusIgnored    Status = "IGNORED"      // failed, but suppressed by an ignore comment
	StatusUnknown    Status = "UNKNOWN"      // a value needed to decide is not known
	StatusOutOfScope Status = "OUT_OF_SCOPE" // resource holds no restricted-scope data (--scope-label)
)

// Location is a place in a source file, or a live resource.
type Location struct {
	// File is relative to the scanned root, with forward slashes. For a live
	// resource it is the pseudo-path gcp/<full resource name without //>.
	File      string `json:"file"`
	StartLine int    `json:"start_line,omitempty"`
	StartCol  int    `json:"start_column,omitempty"`
	EndLine   int    `json:"end_line,omitempty"`
	EndCol    int    `json:"end_column,omitempty"`
	// Address is the resource address or full resource name at the location,
	// or the module instance for a module call site.
	Address string `json:"address,omitempty"`
	// Kind is "resource" or "module".
	Kind string `json:"kind,omitempty"`
	// Message says why a related location is related.
	Message string `json:"message,omitempty"`
}

// identity is what tells a finding's resource from another's in
// fingerprints: the address, behind the root module when there is one.
func (f *Finding) identity() string {
	if f.RootModule == "" {
		return f.Resource
	}
	return f.RootModule + "//" + f.Resource
}

func (l Location) String() string {
	if l.StartLine > 0 {
		return l.File + ":" + strconv.Itoa(l.StartLine)
	}
	return l.File
}

// The kinds of Suppression.
const (
	SuppressionInSource = "inSource" // an ignore comment in the scanned file
	SuppressionExternal = "external" // a baseline entry
	SuppressionConfig   = "config"   // an ignore: entry of the configuration file
)

// Suppression records the ignore comment, configuration entry or baseline
// entry that covers a finding.
type Suppression struct {
	// Kind is SuppressionInSource, SuppressionConfig or SuppressionExternal.
	// Location is the comment's or the configuration entry's file:line.
	Kind          string   `json:"kind"`
	Justification string   `json:"justification,omitempty"`
	Expires       string   `json:"expires,omitempty"`
	Expired       bool     `json:"expired,omitempty"`
	Location      Location `json:"location"`
}

// Finding is one check's outcome on one resource (or on one attribute of it).
type Finding struct {
	CheckID  string   `json:"check_id"`
	Status   Status   `json:"status"`
	Severity Severity `json:"severity"`
	// Message names the resource and what is wrong; it never holds a secret.
	Message string `json:"message"`
	// Resource is the address or full resource name; ResourceType its type.
	Resource     string `json:"resource"`
	ResourceType string `json:"resource_type"`
	Source       Source `json:"source"`
	// RootModule is the Terraform root module the resource was evaluated
	// from (its directory, relative to the directory scanned): a module
	// called from two roots gives a finding for each. Empty for other
	// sources and when the root is the scanned directory itself.
	RootModule string `json:"root_module,omitempty"`
	// Attribute is the dotted attribute path the finding is about, "" for the
	// resource as a whole.
	Attribute string   `json:"attribute,omitempty"`
	Location  Location `json:"location"`
	// DownloadedModule is set when the resource sits in a module terraform
	// init downloaded (under .terraform/modules): the finding is then
	// anchored at the module call in the repository, and this names where
	// in the downloaded module the problem is.
	DownloadedModule *Location  `json:"downloaded_module,omitempty"`
	Related          []Location `json:"related,omitempty"`
	// Fingerprint identifies the finding across runs: it depends on the
	// check, the root module (when not the scanned root), the resource
	// address, the attribute path and the problem, not on line numbers, so
	// moving unrelated code leaves it unchanged.
	Fingerprint string `json:"fingerprint"`
	// Suppression is set for IGNORED findings, and for FAIL findings whose
	// ignore comment has expired (Expired is then true).
	Suppression *Suppression `json:"suppression,omitempty"`
	// Reason explains UNKNOWN and OUT_OF_SCOPE results.
	Reason string `json:"reason,omitempty"`
	// Provenance is the value judged and where it came from: a finding says
	// why. Nil when the finding is about the resource as a whole or about
	// an attribute that is not set.
	Provenance *Provenance `json:"provenance,omitempty"`
	// Grant is set when the finding is about one grant of a live or
	// exported asset's IAM policy or ACL: Resource is then the asset, and
	// Grant names the role and member.
	Grant *Grant `json:"grant,omitempty"`
}

// Provenance is the value a finding judged, as shown, and its origins.
type Provenance struct {
	// Value is the value as Display shows it: Redacted for a secret (a
	// sensitive value, a check about secrets, an attribute named like a
	// credential), "(known after apply)" for an unknown one.
	Value string `json:"value"`
	// Origins are the places the value came from, nearest first
	// (Resource.Origins); they name places, never values.
	Origins []Origin `json:"origins"`
}

// DiagSeverity tells errors from warnings in diagnostics.
type DiagSeverity string

// Diagnostic severities.
const (
	DiagError   DiagSeverity = "error"
	DiagWarning DiagSeverity = "warning"
)

// Diagnostic is a problem met while loading a source: a syntax error, a module
// that is not fetched, an unknown for_each, a project that could not be read.
// Diagnostics never stop a scan.
type Diagnostic struct {
	Severity DiagSeverity `json:"severity"`
	Summary  string       `json:"summary"`
	Detail   string       `json:"detail,omitempty"`
	// File and Line locate it when it comes from a file (File relative to the
	// scanned root); Subject names what it is about otherwise (a project, an
	// API, a module call).
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Subject string `json:"subject,omitempty"`
	// Skipped is true when part of a source was not judged at all: a file
	// that did not parse or could not be read, a module not read, an export
	// record dropped, a live project or service denied. With error severity
	// it makes the scan incomplete (NotJudged); with warning severity (a
	// module terraform init did not fetch) it is named in the summary but
	// the scan is still complete.
	Skipped bool `json:"skipped,omitempty"`
}

// NotJudged reports whether the diagnostic says part of the input was not
// judged at all, which makes the scan incomplete: Skipped with error
// severity.
func (d Diagnostic) NotJudged() bool { return d.Skipped && d.Severity == DiagError }

// NotScanned reports whether the diagnostic says part of the input was
// left out knowingly without making the scan incomplete: Skipped with
// warning severity (a module terraform init did not fetch).
func (d Diagnostic) NotScanned() bool { return d.Skipped && d.Severity != DiagError }

func (d Diagnostic) String() string {
	var b strings.Builder
	b.WriteString(string(d.Severity))
	b.WriteString(": ")
	if d.File != "" {
		b.WriteString(d.File)
		if d.Line > 0 {
			fmt.Fprintf(&b, ":%d", d.Line)
			if d.Column > 0 {
				fmt.Fprintf(&b, ":%d", d.Column)
			}
		}
		b.WriteString(": ")
	} else if d.Subject != "" {
		b.WriteString(d.Subject)
		b.WriteString(": ")
	}
	b.WriteString(d.Summary)
	if d.Detail != "" {
		b.WriteString("; ")
		b.WriteString(d.Detail)
	}
	return b.String()
}

// Tool names the scanner in reports.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Result is the outcome of a scan: every writer reads it, and the exit code
// is decided from it. Its findings are read through All, Count and the
// other methods: a large result keeps them in a temporary file rather than
// in memory (Close removes it), so no writer ever needs them all at once.
type Result struct {
	Tool Tool `json:"tool"`
	// Checks are the checks that ran, sorted by ID.
	Checks []*Check `json:"-"`
	// findings hold every status (FAIL, PASS, IGNORED, UNKNOWN,
	// OUT_OF_SCOPE), sorted by file, line, column, check ID, resource.
	findings    findingList
	Diagnostics []Diagnostic `json:"diagnostics"`
}

// Failures returns the FAIL findings, in the result's order. It holds them
// all in memory: writers iterate with All instead.
func (r *Result) Failures() []Finding { return r.WithStatus(StatusFail) }

// WithStatus returns the findings having any of the statuses, in the
// result's order. It holds them all in memory: writers iterate with All
// instead.
func (r *Result) WithStatus(statuses ...Status) []Finding {
	var out []Finding
	for f := range r.All() {
		if slices.Contains(statuses, f.Status) {
			out = append(out, f)
		}
	}
	return out
}

// Check returns the check with an ID among those that ran, or nil.
func (r *Result) Check(id string) *Check {
	for _, c := range r.Checks {
		if c.ID == id {
			return c
		}
	}
	return nil
}

// Skipped reports whether any source was partly skipped, as an error or a
// warning.
func (r *Result) Skipped() bool {
	for _, d := range r.Diagnostics {
		if d.Skipped {
			return true
		}
	}
	return false
}

// Incomplete reports whether part of the input could not be judged (a
// NotJudged diagnostic): a clean result then cannot be trusted, and the scan
// must not pass. This is the one place that decides it; the exit code and
// every writer read it.
func (r *Result) Incomplete() bool {
	for _, d := range r.Diagnostics {
		if d.NotJudged() {
			return true
		}
	}
	return false
}

// NotJudged returns the diagnostics naming what was not judged, in the
// result's order.
func (r *Result) NotJudged() []Diagnostic {
	return r.diagnostics(Diagnostic.NotJudged)
}

// NotScanned returns the warnings naming what was knowingly not scanned
// (modules not fetched), in the result's order.
func (r *Result) NotScanned() []Diagnostic {
	return r.diagnostics(Diagnostic.NotScanned)
}

func (r *Result) diagnostics(keep func(Diagnostic) bool) []Diagnostic {
	var out []Diagnostic
	for _, d := range r.Diagnostics {
		if keep(d) {
			out = append(out, d)
		}
	}
	return out
}
