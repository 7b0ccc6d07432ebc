package scanner

import (
	"fmt"
	"strings"
)

// Severity orders findings; the zero value is invalid.
type Severity int

// Severities, lowest first.
const (
	Low Severity = iota + 1
	Medium
	High
	Critical
)

func (s Severity) String() string {
	switch s {
	case Low:
		return "LOW"
	case Medium:
		return "MEDIUM"
	case High:
		return "HIGH"
	case Critical:
		return "CRITICAL"
	}
	return "UNKNOWN"
}

// SecuritySeverity is the SARIF properties.security-severity score GitHub
// code scanning reads: 9.5 critical, 8.0 high, 5.5 medium, 3.0 low.
func (s Severity) SecuritySeverity() string {
	switch s {
	case Critical:
		return "9.5"
	case High:
		return "8.0"
	case Medium:
		return "5.5"
	case Low:
		return "3.0"
	}
	return "0.0"
}

// MarshalText writes the severity as its name, for JSON.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity name, any case.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// ParseSeverity reads LOW, MEDIUM, HIGH or CRITICAL in any case.
func ParseSeverity(name string) (Severity, error) {
	switch strings.ToUpper(strings.TrimSpace(name)) {
	case "LOW":
		return Low, nil
	case "MEDIUM":
		return Medium, nil
	case "HIGH":
		return High, nil
	case "CRITICAL":
		return Critical, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want LOW, MEDIUM, HIGH or CRITICAL)", name)
}

// Measure is one of the security measures the Workspace API user-data policy
// requires (M1 to M7, see checks.md).
type Measure string

// The policy's measures.
const (
	M1 Measure = "M1" // user data encrypted at rest
	M2 Measure = "M2" // transport over secure modern protocols
	M3 Measure = "M3" // credentials and OAuth tokens encrypted at rest
	M4 Measure = "M4" // keys managed in an HSM or equivalent
	M5 Measure = "M5" // no unauthorized access to user data
	M6 Measure = "M6" // deletion requests can be honoured
	M7 Measure = "M7" // nothing sensitive in logs
)

// MeasureTitle is a one-line title for each measure.
var MeasureTitle = map[Measure]string{
	M1: "User data encrypted at rest",
	M2: "Data transmitted over secure modern protocols",
	M3: "Credentials and OAuth tokens encrypted at rest",
	M4: "Keys in an HSM or equivalent key management",
	M5: "No unauthorized access to user data",
	M6: "User deletion requests can be honoured",
	M7: "Nothing sensitive written to logs",
}

// Check is one rule of the catalog: its metadata beside the function that
// judges resources. A check is a value; the registry in package checks is an
// explicit list of them.
type Check struct {
	ID       string // GCP-ENC-001; never changes meaning once shipped
	Title    string
	Severity Severity
	CWE      int
	ASVS     []string // ASVS 4.0.3 requirement numbers, "6.1.1"
	CASA     []string // CASA test case numbers, "4.1.3"
	Measures []Measure
	// Types are the Terraform resource types Test is called for. Empty means
	// the check judges the graph as a whole through TestGraph.
	Types []string
	// Sources, when not empty, are the only sources the check applies to
	// (lifecycle.prevent_destroy exists in configuration, not in the cloud);
	// resources from other sources get no result at all.
	Sources []Source
	// Why is a paragraph on why it matters for restricted-scope data;
	// Remediation says what to change; Fix is corrected Terraform.
	Why         string
	Remediation string
	Fix         string
	// Test judges one resource of Types. It returns nothing when the resource
	// passes, problems (Unknown ones included) otherwise. It must be pure.
	Test func(g *Graph, r *Resource) []Problem
	// TestGraph judges the whole graph (for cross-resource rules); each
	// Problem must name its Resource. Resources it returns nothing for are not
	// recorded as passes.
	TestGraph func(g *Graph) []Problem
}

// Tags are the SARIF/report tags of a check: security, CWE-n, ASVS-x, CASA-x
// and its measures.
func (c *Check) Tags() []string {
	tags := []string{"security"}
	if c.CWE > 0 {
		tags = append(tags, fmt.Sprintf("CWE-%d", c.CWE))
	}
	for _, a := range c.ASVS {
		tags = append(tags, "ASVS-"+a)
	}
	for _, a := range c.CASA {
		tags = append(tags, "CASA-"+a)
	}
	for _, m := range c.Measures {
		tags = append(tags, string(m))
	}
	return tags
}

// Problem is what a check says about one resource.
type Problem struct {
	// Resource is the resource judged; Run fills it for per-resource checks.
	Resource *Resource
	// Path is the dotted attribute path that is wrong, or where the missing
	// attribute belongs ("encryption.default_kms_key_name"); "" for the block
	// header. Run points the finding at the deepest part of it that exists.
	Path string
	// Message names what is wrong, in a sentence, without the resource
	// address (Run adds it). Values shown go through Display.
	Message string
	// Unknown marks a verdict that could not be reached because a value is
	// not known before apply; it is never counted as a failure.
	Unknown bool
	// Related are other resources that explain the problem (the software key
	// a bucket uses, the SSL policy of a proxy).
	Related []*Resource
	// NotJudged, when not empty, says why the check could not judge the
	// resource at all (a custom check's expression failed or ran out of
	// its cost limit). The finding is UNKNOWN and Run adds an error
	// diagnostic, so the scan is incomplete.
	NotJudged string
}

// Fail builds a failing Problem.
func Fail(path, format string, args ...any) Problem {
	return Problem{Path: path, Message: fmt.Sprintf(format, args...)}
}

// Unknown builds an unknown Problem: the check could not decide.
func Unknown(path, format string, args ...any) Problem {
	return Problem{Path: path, Message: fmt.Sprintf(format, args...), Unknown: true}
}
