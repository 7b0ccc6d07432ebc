package report

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"maps"
	"net/url"
	"path"
	"runtime"
	"slices"
	"strings"
	"unicode"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/casascan/casascan/internal/par"
	"github.com/casascan/casascan/scanner"
)

// The SARIF contract of design.md, and the constants GitHub code scanning
// reads.
const (
	// sarifSchemaURI is the id of the schema the output validates against
	// (fixtures/sarif/sarif-schema-2.1.0.json).
	sarifSchemaURI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	sarifToolName  = "casascan"
	sarifToolURI   = "https://github.com/casascan/casascan"
	// srcRoot is the uriBaseId every artifact URI is relative to: the
	// scanned root, which GitHub maps to the repository checkout.
	srcRoot = "%SRCROOT%"
	// fingerprintKey names our partialFingerprints entry. The value is
	// Finding.Fingerprint (check, address, attribute path; no lines), so
	// alerts survive unrelated edits; bump the version if its meaning changes.
	fingerprintKey = "casascan/v1"
	// sarifMaxTags is GitHub's limit on tags per rule.
	sarifMaxTags = 20
)

// sarifMaxResults is GitHub code scanning's limit on results per run; over
// it the most severe are kept. A variable so tests can lower it.
var sarifMaxResults = 25000

// writeSARIF writes one SARIF 2.1.0 run, as design.md's contract states it.
// The go-sarif types stay inside this file, so the library can change
// without touching callers.
func writeSARIF(w io.Writer, res *scanner.Result, opts Options) error {
	_, err := streamSARIF(w, res, opts)
	return err
}

// streamSARIF writes what encodeSARIF encodes, and returns the
// notification about results left out ("" if none), holding little of the
// report at once: whether a run fits GitHub's limits is decided by
// encoding it a group of chunks at a time into a counter, keeping the
// bytes only while they are few (sarifKeepBytes); a larger run that fits
// is then encoded a second time, straight into w.
func streamSARIF(w io.Writer, res *scanner.Result, opts Options) (string, error) {
	counts, err := countSARIF(res, opts)
	if err != nil {
		return "", err
	}
	limit := sarifMaxResults
	for {
		rep, sel, err := buildSARIFRun(res, opts, counts, limit)
		if err != nil {
			return "", err
		}
		kept, dropped := sel.kept, sel.dropped
		var pieces [][]byte
		size, keeping := 0, true
		var zipped countWriter
		zw, err := gzip.NewWriterLevel(&zipped, gzip.BestSpeed)
		if err != nil {
			return "", err
		}
		err = encodePiecesTo(rep, res, sel, kept <= sarifIndentLimit, func(p []byte) error {
			size += len(p)
			if keeping && size <= sarifKeepBytes {
				pieces = append(pieces, p)
			} else {
				keeping, pieces = false, nil
			}
			_, err := zw.Write(p)
			return err
		})
		if err == nil {
			err = zw.Close()
		}
		if err != nil {
			return "", err
		}
		notice := ""
		if dropped > 0 {
			notice = droppedMessage(dropped, dropped+kept)
		}
		if size > sarifMaxCompressed && kept > 0 && int(zipped) > sarifMaxCompressed {
			limit = min(int(float64(kept)*float64(sarifMaxCompressed)/float64(zipped)*0.9), kept-1)
			continue
		}
		if keeping {
			for _, p := range pieces {
				if _, err := w.Write(p); err != nil {
					return "", err
				}
			}
			return notice, nil
		}
		rep, sel, err = buildSARIFRun(res, opts, counts, limit)
		if err != nil {
			return "", err
		}
		err = encodePiecesTo(rep, res, sel, sel.kept <= sarifIndentLimit, func(p []byte) error {
			_, err := w.Write(p)
			return err
		})
		return notice, err
	}
}

// sarifKeepBytes is how much of an encoded run streamSARIF keeps while it
// decides whether the run fits; a larger run is encoded again as it is
// written.
var sarifKeepBytes = 1 << 20

// encodeSARIF encodes the run within GitHub code scanning's limits: at most
// sarifMaxResults results, and at most sarifMaxCompressed bytes gzipped.
// Over the size, it keeps proportionally fewer results, the most severe, and
// encodes again. It returns how many results were left out.
func encodeSARIF(res *scanner.Result, opts Options) (sarifOutput, error) {
	out, err := encodeSARIFPieces(res, opts)
	if err != nil {
		return sarifOutput{}, err
	}
	return sarifOutput{data: bytes.Join(out.pieces, nil), dropped: out.dropped, notice: out.notice}, nil
}

// sarifPieces is encodeSARIF's output before its pieces are joined: a
// large run is a head, its results in chunks and a tail, and a writer
// writes them one after the other rather than copying them into one slice.
type sarifPieces struct {
	pieces  [][]byte
	dropped int
	notice  string
}

func encodeSARIFPieces(res *scanner.Result, opts Options) (sarifPieces, error) {
	counts, err := countSARIF(res, opts)
	if err != nil {
		return sarifPieces{}, err
	}
	limit := sarifMaxResults
	for {
		rep, sel, err := buildSARIFRun(res, opts, counts, limit)
		if err != nil {
			return sarifPieces{}, err
		}
		kept, dropped := sel.kept, sel.dropped
		pieces, err := encodePieces(rep, res, sel, kept <= sarifIndentLimit)
		if err != nil {
			return sarifPieces{}, err
		}
		out := sarifPieces{pieces: pieces, dropped: dropped}
		if dropped > 0 {
			out.notice = droppedMessage(dropped, dropped+kept)
		}
		size := 0
		for _, p := range pieces {
			size += len(p)
		}
		if size <= sarifMaxCompressed || kept == 0 {
			return out, nil
		}
		zipped, err := gzipSize(pieces...)
		if err != nil {
			return sarifPieces{}, err
		}
		if zipped <= sarifMaxCompressed {
			return out, nil
		}
		limit = min(int(float64(kept)*float64(sarifMaxCompressed)/float64(zipped)*0.9), kept-1)
	}
}

// sarifOutput is an encoded SARIF report: how many results it left out
// for GitHub's limits, and the notification saying so ("" if none).
type sarifOutput struct {
	data    []byte
	dropped int
	notice  string
}

// encodePieces encodes rep, whose one run has no results yet, with the
// results of the findings sel keeps, made a chunk at a time as they are
// encoded, so that they are never all held at once.
func encodePieces(rep *sarif.Report, res *scanner.Result, sel sarifSelection, indent bool) ([][]byte, error) {
	var pieces [][]byte
	err := encodePiecesTo(rep, res, sel, indent, func(p []byte) error { pieces = append(pieces, p); return nil })
	return pieces, err
}

// encodePiecesTo is encodePieces handing each piece to emit in order. It
// reads the findings once, in the result's order, and returns the error
// of a finding that could not be read back.
func encodePiecesTo(rep *sarif.Report, res *scanner.Result, sel sarifSelection, indent bool, emit func([]byte) error) error {
	driver := rep.Runs[0].Tool.Driver
	index := make(map[string]int, len(driver.Rules))
	for i := len(driver.Rules) - 1; i >= 0; i-- {
		index[driver.Rules[i].ID] = i // the first rule of an ID, as AddResult finds it
	}
	err := encodeResultsTo(rep, sel.kept, indent, sel.findings(res), func(dst []byte, f scanner.Finding) []byte {
		idx, ok := index[f.CheckID]
		if !ok {
			idx = -1
		}
		return appendSARIFResultOf(dst, &f, idx)
	}, emit)
	if err != nil {
		return err
	}
	return res.Err()
}

// encodeResultsTo encodes rep with the n results of items spliced into
// its one run (whose own Results are empty), appendResult writing each
// (appendSARIFResult: the bytes encoding/json gives, compact), handing the
// bytes to emit in pieces. The report is encoded without its results, and
// they are read a group of chunks at a time (a chunk of resultChunk per
// worker), encoded in parallel and spliced in, which gives the bytes of
// encoding it whole while holding one group at most. Indented (at most
// sarifIndentLimit results), the whole compact report is indented at the
// end, as encoding/json indents: it is small.
func encodeResultsTo[T any](rep *sarif.Report, n int, indent bool, items iter.Seq[T], appendResult func([]byte, T) []byte, emit func([]byte) error) error {
	run := rep.Runs[0]
	empty := run.Results
	run.Results = nil
	head, err := encodeJSON(rep, false)
	run.Results = empty
	if err != nil {
		return err
	}
	// "results" is a key of the run object alone, and a JSON string cannot
	// hold an unescaped quote, so this is the run's results member.
	const hole = `"results":null`
	at := bytes.Index(head, []byte(hole))
	if at < 0 || bytes.Count(head, []byte(hole)) != 1 {
		return errors.New("SARIF: the run's results member is not where it belongs")
	}
	if indent {
		var whole []byte
		collect := emit
		emit = func(p []byte) error { whole = append(whole, p...); return nil }
		defer func() {
			if err != nil {
				return
			}
			var buf bytes.Buffer
			if err = json.Indent(&buf, whole, "", "  "); err == nil {
				err = collect(buf.Bytes())
			}
		}()
	}
	if err = emit(append(head[:at:at], `"results":[`...)); err != nil {
		return err
	}
	workers := max(encodeWorkers(), 1)
	if n < 2*resultChunk {
		workers = 1 // a few results: not worth a goroutine
	}
	var group [][]T // the chunks read and not yet encoded
	chunks := 0     // the chunks emitted
	per := 1024     // bytes a result takes, as the last group's did: each chunk's buffer is made once
	encodeGroup := func() error {
		out := make([][]byte, len(group))
		par.Each(len(group), workers, func(_, g int) {
			b := make([]byte, 0, len(group[g])*per+per)
			for j, it := range group[g] {
				if j > 0 || chunks+g > 0 {
					b = append(b, ',')
				}
				b = appendResult(b, it)
			}
			out[g] = b
		})
		size, count := 0, 0
		for g, c := range out {
			size, count = size+len(c), count+len(group[g])
			if err := emit(c); err != nil {
				return err
			}
		}
		per = size/max(count, 1) + size/max(count, 1)/8
		chunks += len(group)
		group = group[:0]
		return nil
	}
	chunk := make([]T, 0, resultChunk)
	for it := range items {
		chunk = append(chunk, it)
		if len(chunk) < resultChunk {
			continue
		}
		group, chunk = append(group, chunk), make([]T, 0, resultChunk)
		if len(group) == workers {
			if err = encodeGroup(); err != nil {
				return err
			}
		}
	}
	if len(chunk) > 0 {
		group = append(group, chunk)
	}
	if len(group) > 0 {
		if err = encodeGroup(); err != nil {
			return err
		}
	}
	err = emit(append([]byte("]"), head[at+len(hole):]...))
	return err
}

// encodeJSON encodes v as the SARIF writer does, indented or compact.
func encodeJSON(v any, indent bool) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if indent {
		enc.SetIndent("", "  ")
	}
	err := enc.Encode(v)
	return buf.Bytes(), err
}

// encodeWorkers is how many goroutines encode results; a variable so that
// tests exercise the chunks on any machine.
var encodeWorkers = func() int { return runtime.GOMAXPROCS(0) }

// resultChunk is how many results one goroutine of encodeReport encodes at
// a time.
const resultChunk = 500

// gzipSize is the size of data gzipped at the fastest level, which is never
// smaller than GitHub's own compression: a safe estimate.
func gzipSize(data ...[]byte) (int, error) {
	var n countWriter
	zw, err := gzip.NewWriterLevel(&n, gzip.BestSpeed)
	if err != nil {
		return 0, err
	}
	for _, d := range data {
		if _, err := zw.Write(d); err != nil {
			return 0, err
		}
	}
	if err := zw.Close(); err != nil {
		return 0, err
	}
	return int(n), nil
}

type countWriter int

func (c *countWriter) Write(p []byte) (int, error) { *c += countWriter(len(p)); return len(p), nil }

// droppedMessage is the notification that says results were left out.
func droppedMessage(dropped, total int) string {
	return fmt.Sprintf("%d of %d results were left out to stay within GitHub code scanning's limits (%d results per run, %d MB gzipped per upload); the most severe were kept",
		dropped, total, sarifMaxResults, sarifMaxCompressed>>20)
}

// sarifMaxCompressed is GitHub code scanning's limit on a gzipped SARIF
// upload. A variable so tests can lower it.
var sarifMaxCompressed = 10 << 20

// sarifIndentLimit is the number of results up to which SARIF is indented
// for people to read; beyond it, indenting costs more than the rest of the
// writer and nobody reads the file by eye, so it is written compact. Either
// way identical input gives identical bytes.
const sarifIndentLimit = 2000

// buildSARIFRun builds the run without its results, with a rule for every
// check that ran and for every check of a result kept, and returns which
// findings (at most limit) its results carry.
func buildSARIFRun(res *scanner.Result, opts Options, counts sarifCounts, limit int) (*sarif.Report, sarifSelection, error) {
	driver := sarif.NewDriver(sarifToolName).WithInformationURI(sarifToolURI)
	if v := res.Tool.Version; v != "" {
		driver.WithVersion(v).WithSemanticVersion(strings.TrimPrefix(v, "v"))
	}
	// Rules first, in the order of res.Checks, then a rule for each other
	// check of a result, in the results' order: a result's ruleIndex is
	// that of the first rule of its check.
	for _, c := range res.Checks {
		driver.AddRule(sarifRule(c))
	}
	run := sarif.NewRun(*sarif.NewTool(driver))
	sel := counts.selection(limit)
	switch {
	case len(counts.others) == 0:
	case sel.dropped == 0:
		// Every result is kept: the other checks are those counted, in
		// the order they first came.
		for _, c := range counts.others {
			driver.AddRule(sarifRule(c))
		}
	default:
		// Only those of the results kept, in their order: one more pass.
		added := map[string]bool{}
		for f := range sel.findings(res) {
			if !added[f.CheckID] && res.Check(f.CheckID) == nil {
				added[f.CheckID] = true
				driver.AddRule(sarifRule(checkFor(res, f)))
			}
		}
		if err := res.Err(); err != nil {
			return nil, sarifSelection{}, err
		}
	}
	// HCL counts columns in characters, not the UTF-16 units SARIF assumes.
	run.WithColumnKind("unicodeCodePoints")
	run.AutomationDetails = sarif.NewRunAutomationDetails().WithID(automationID(opts))
	// The run did not succeed when part of the input was not judged: its
	// clean result cannot be trusted (exit code 3).
	inv := run.AddInvocation(!res.Incomplete())
	for _, d := range res.Diagnostics {
		inv.AddTToolExecutionNotification(diagnosticNotification(d))
	}
	if n := len(res.NotJudged()); n > 0 {
		inv.AddTToolExecutionNotification(sarif.NewNotification().WithLevel("error").WithTextMessage(incompleteMessage(n)))
	}
	if sel.dropped > 0 {
		inv.AddTToolExecutionNotification(sarif.NewNotification().WithLevel("warning").WithTextMessage(droppedMessage(sel.dropped, sel.dropped+sel.kept)))
	}
	rep, _ := sarif.New(sarif.Version210, false) // cannot fail for a known version
	rep.Schema = sarifSchemaURI
	rep.AddRun(run)
	return rep, sel, nil
}

// sarifClass is a class of the findings SARIF carries that its result
// limit keeps or leaves out together: a severity and a status rank (FAIL
// 0, IGNORED 1, UNKNOWN 2). Over the limit the most severe classes are
// kept, FAIL before IGNORED before UNKNOWN within a severity.
type sarifClass struct {
	sev  scanner.Severity
	rank int
}

// sarifCounts is what one pass over the findings tells about those SARIF
// carries (FAIL and IGNORED, plus UNKNOWN when asked): how many of each
// class, and the checks of those outside res.Checks, by first finding.
type sarifCounts struct {
	rank    map[scanner.Status]int
	classes map[sarifClass]int
	total   int
	// others are the stand-in checks (checkFor) of the carried findings
	// whose check is not in res.Checks, in the order they first come.
	others []*scanner.Check
}

func countSARIF(res *scanner.Result, opts Options) (sarifCounts, error) {
	c := sarifCounts{
		rank:    map[scanner.Status]int{scanner.StatusFail: 0, scanner.StatusIgnored: 1},
		classes: map[sarifClass]int{},
	}
	if opts.IncludeUnknown {
		c.rank[scanner.StatusUnknown] = 2
	}
	// The result's groups say it without a pass over the findings: by
	// check, status and severity, in the order of their first findings.
	seen := map[string]bool{}
	for _, g := range res.Groups() {
		r, ok := c.rank[g.Status]
		if !ok {
			continue
		}
		c.classes[sarifClass{g.Severity, r}] += g.Count
		c.total += g.Count
		if !seen[g.CheckID] {
			seen[g.CheckID] = true
			if res.Check(g.CheckID) == nil {
				c.others = append(c.others, checkFor(res, scanner.Finding{CheckID: g.CheckID, Severity: g.Severity}))
			}
		}
	}
	return c, nil
}

// sarifSelection says which of the carried findings a run keeps: the
// classes kept whole, and of the one class kept in part (the first class
// that does not fit) its first partial findings in the result's order,
// which is what a stable sort of the carried findings by class, cut at
// the limit, keeps. Nothing else is kept.
type sarifSelection struct {
	rank          map[scanner.Status]int
	whole         map[sarifClass]bool
	boundary      sarifClass
	partial       int
	kept, dropped int
}

// selection keeps at most limit of the carried findings, the most
// severe classes first.
func (c sarifCounts) selection(limit int) sarifSelection {
	s := sarifSelection{rank: c.rank, whole: map[sarifClass]bool{}, boundary: sarifClass{rank: -1}}
	classes := slices.Collect(maps.Keys(c.classes))
	slices.SortFunc(classes, func(a, b sarifClass) int {
		if a.sev != b.sev {
			return cmp.Compare(b.sev, a.sev)
		}
		return cmp.Compare(a.rank, b.rank)
	})
	left := max(limit, 0)
	for _, cl := range classes {
		n := c.classes[cl]
		if n <= left {
			s.whole[cl] = true
			left -= n
			s.kept += n
			continue
		}
		s.boundary, s.partial = cl, left
		s.kept += left
		break
	}
	s.dropped = c.total - s.kept
	return s
}

// findings yields the findings s keeps, in the result's order, reading
// the result once.
func (s sarifSelection) findings(res *scanner.Result) iter.Seq[scanner.Finding] {
	return func(yield func(scanner.Finding) bool) {
		partial := s.partial
		carried := make([]scanner.Status, 0, len(s.rank))
		for st := range s.rank {
			carried = append(carried, st)
		}
		for f := range res.Only(carried...) {
			r, ok := s.rank[f.Status]
			if !ok {
				continue
			}
			cl := sarifClass{f.Severity, r}
			switch {
			case s.whole[cl]:
			case cl == s.boundary && partial > 0:
				partial--
			default:
				continue
			}
			if !yield(f) {
				return
			}
		}
	}
}

// sarifRule describes a check as a SARIF reportingDescriptor.
func sarifRule(c *scanner.Check) *sarif.ReportingDescriptor {
	full := strings.TrimSpace(c.Why)
	if full == "" {
		full = c.Title
	}
	r := sarif.NewRule(c.ID).
		WithName(pascalCase(c.Title)).
		WithShortDescription(sarif.NewMultiformatMessageString(c.Title)).
		WithFullDescription(sarif.NewMultiformatMessageString(full)).
		WithTextHelp(ruleHelpText(c)).
		WithMarkdownHelp(ruleHelpMarkdown(c)).
		WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(sarifLevel(c.Severity)))
	tags := c.Tags()
	if len(tags) > sarifMaxTags {
		tags = tags[:sarifMaxTags]
	}
	r.Properties = sarif.Properties{
		"security-severity": c.Severity.SecuritySeverity(),
		"tags":              tags,
		"precision":         "very-high",
		"problem.severity":  problemSeverity(c.Severity),
	}
	return r
}

func ruleHelpText(c *scanner.Check) string {
	var b strings.Builder
	b.WriteString(c.Title)
	if rem := strings.TrimSpace(c.Remediation); rem != "" {
		b.WriteString("\n\n" + rem)
	}
	if fix := strings.TrimSpace(c.Fix); fix != "" {
		b.WriteString("\n\nFixed Terraform:\n\n" + fix)
	}
	return b.String()
}

func ruleHelpMarkdown(c *scanner.Check) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s** (%s, %s)", c.ID, c.Severity, strings.Join(c.Tags(), ", "))
	if why := strings.TrimSpace(c.Why); why != "" {
		b.WriteString("\n\n" + why)
	}
	if rem := strings.TrimSpace(c.Remediation); rem != "" {
		b.WriteString("\n\n**How to fix:** " + rem)
	}
	if fix := strings.TrimSpace(c.Fix); fix != "" {
		fence := "```"
		for strings.Contains(fix, fence) {
			fence += "`"
		}
		b.WriteString("\n\n" + fence + "hcl\n" + fix + "\n" + fence)
	}
	return b.String()
}

// pascalCase turns a title into a rule name: "Key not backed by an HSM" →
// "KeyNotBackedByAnHSM". Acronyms keep their case.
func pascalCase(title string) string {
	var b strings.Builder
	for _, word := range strings.FieldsFunc(title, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}) {
		rs := []rune(word)
		b.WriteRune(unicode.ToUpper(rs[0]))
		b.WriteString(string(rs[1:]))
	}
	return b.String()
}

// sarifLevel maps a severity to a SARIF level: CRITICAL and HIGH are errors,
// MEDIUM warnings, LOW notes.
func sarifLevel(s scanner.Severity) string {
	switch s {
	case scanner.Critical, scanner.High:
		return "error"
	case scanner.Medium:
		return "warning"
	}
	return "note"
}

// problemSeverity is GitHub's non-security severity, shown beside the
// security-severity score.
func problemSeverity(s scanner.Severity) string {
	if l := sarifLevel(s); l != "note" {
		return l
	}
	return "recommendation"
}

func sarifResult(f scanner.Finding) *sarif.Result {
	r := sarif.NewRuleResult(f.CheckID).WithMessage(sarif.NewTextMessage(sarifMessage(f)))
	if f.Status == scanner.StatusUnknown {
		r.WithKind("open").WithLevel("none")
	} else {
		r.WithKind("fail").WithLevel(sarifLevel(f.Severity))
	}
	where := f.Location
	if where.File == "" && strings.HasPrefix(f.Resource, "//") {
		// A live resource always has a place GitHub can show: its pseudo-path.
		where.File = "gcp/" + strings.TrimPrefix(f.Resource, "//")
	}
	loc := sarifLocation(where)
	loc.WithLogicalLocations([]*sarif.LogicalLocation{
		sarif.NewLogicalLocation().WithFullyQualifiedName(f.Resource).WithKind("resource"),
	})
	r.WithLocations([]*sarif.Location{loc})
	for i, rel := range f.Related {
		l := sarifLocation(rel).WithId(i + 1)
		msg := rel.Message
		if msg == "" {
			msg = rel.Address
		}
		if msg != "" {
			l.WithMessage(sarif.NewTextMessage(msg))
		}
		if rel.Address != "" {
			kind := rel.Kind
			if kind == "" {
				kind = "resource"
			}
			l.WithLogicalLocations([]*sarif.LogicalLocation{
				sarif.NewLogicalLocation().WithFullyQualifiedName(rel.Address).WithKind(kind),
			})
		}
		r.AddRelatedLocation(l)
	}
	for i, o := range originLocations(f) {
		l := sarifLocation(o).WithId(len(f.Related) + i + 1).WithMessage(sarif.NewTextMessage(o.Message))
		if o.Address != "" {
			l.WithLogicalLocations([]*sarif.LogicalLocation{
				sarif.NewLogicalLocation().WithFullyQualifiedName(o.Address).WithKind(o.Kind),
			})
		}
		r.AddRelatedLocation(l)
	}
	// One map, set whole: SetPartialFingerPrint would write into a nil map.
	r.WithPartialFingerPrints(map[string]any{fingerprintKey: f.Fingerprint})
	if f.Status == scanner.StatusIgnored && f.Suppression != nil {
		r.AddSuppression(sarifSuppression(f))
	}
	props := sarif.Properties{"resourceType": f.ResourceType, "source": string(f.Source)}
	if m := f.DownloadedModule; m != nil {
		props["downloadedModule"] = m.String() // where in the module terraform init fetched
	}
	if f.Attribute != "" {
		props["attribute"] = f.Attribute
	}
	if g := f.Grant; g != nil {
		// One grant of the asset's IAM policy or ACL: the asset is the
		// logical location, the grant is here.
		props["role"], props["member"] = g.Role, g.Member
	}
	if f.RootModule != "" {
		props["rootModule"] = f.RootModule // the Terraform root the resource was evaluated from
	}
	if s := f.Suppression; s != nil && s.Expired {
		props["ignoreExpired"] = true
	}
	if f.Provenance != nil {
		// Where the judged value came from, as data, with the value as
		// shown (redacted for a secret).
		props["provenance"] = sarifProvenance(f.Provenance)
	}
	r.Properties = props
	return r
}

// sarifMessage names the resource and, for a finding whose ignore comment
// has expired, says so.
func sarifMessage(f scanner.Finding) string {
	msg := f.Message
	if msg == "" {
		msg = f.CheckID
	}
	if f.Resource != "" && !strings.Contains(msg, f.Resource) {
		msg = f.Resource + ": " + msg
	}
	if note := expiredNote(f); note != "" {
		msg += " (the " + note + ", so it no longer suppresses this finding)"
	}
	return msg
}

// sarifSuppression writes an ignore comment as an inSource suppression, a
// baseline entry or a configuration file's ignore: entry as an external
// one (SARIF has no third kind; the justification says which). Every field is set: go-sarif writes
// unset ones as null, which the schema rejects.
func sarifSuppression(f scanner.Finding) *sarif.Suppression {
	s := f.Suppression
	kind := s.Kind
	just := s.Justification
	switch kind {
	case scanner.SuppressionExternal:
	case scanner.SuppressionConfig:
		kind = scanner.SuppressionExternal
		if just == "" {
			just = "no reason given"
		}
		just = "configuration ignore at " + s.Location.String() + ": " + just
	default:
		kind = scanner.SuppressionInSource
	}
	if just == "" {
		just = "ignored by an inline comment that gives no reason"
	}
	where := s.Location
	if where.File == "" {
		where = f.Location
	}
	return sarif.NewSuppression(kind).
		WithStatus("accepted").
		WithJustifcation(just).
		WithLocation(sarifLocation(where)).
		WithGuid(stableGUID("suppression", f.Fingerprint))
}

// stableGUID derives a GUID from text, so identical input gives identical
// output: SHA-256 shaped as a version-5-style UUID (version and variant bits
// set as the schema's pattern wants).
func stableGUID(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	h[6] = (h[6] & 0x0f) | 0x50
	h[8] = (h[8] & 0x3f) | 0x80
	x := hex.EncodeToString(h[:16])
	return x[0:8] + "-" + x[8:12] + "-" + x[12:16] + "-" + x[16:20] + "-" + x[20:32]
}

// sarifLocation is a physical location relative to %SRCROOT%. GitHub needs a
// region with startLine ≥ 1, so a location without lines (a live resource's
// pseudo-path) points at line 1.
func sarifLocation(l scanner.Location) *sarif.Location {
	loc := sarif.NewLocation()
	if l.File == "" {
		return loc
	}
	reg := sarif.NewRegion().WithStartLine(max(l.StartLine, 1))
	if l.StartLine > 0 {
		if l.StartCol > 0 {
			reg.WithStartColumn(l.StartCol)
		}
		if l.EndLine >= l.StartLine {
			reg.WithEndLine(l.EndLine)
			if l.EndCol > 0 {
				reg.WithEndColumn(l.EndCol)
			}
		}
	}
	return loc.WithPhysicalLocation(sarif.NewPhysicalLocation().
		WithArtifactLocation(sarif.NewSimpleArtifactLocation(artifactURI(l.File)).WithUriBaseId(srcRoot)).
		WithRegion(reg))
}

// artifactURI turns a root-relative file path into a relative URI reference:
// forward slashes, no leading "./" or "/", each segment percent-encoded, and
// a colon in the first segment encoded so it cannot read as a scheme.
func artifactURI(file string) string {
	p := path.Clean(strings.ReplaceAll(file, "\\", "/"))
	p = strings.TrimLeft(strings.TrimPrefix(p, "./"), "/")
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
		if i == 0 {
			segs[i] = strings.ReplaceAll(segs[i], ":", "%3A")
		}
	}
	return strings.Join(segs, "/")
}

// automationID keeps uploads of several roots of one repository apart: the
// category is opts.Category, or casascan/<root>/ from the scanned root.
// GitHub takes everything up to the last slash as the category.
func automationID(opts Options) string {
	if c := strings.TrimSpace(opts.Category); c != "" {
		if !strings.HasSuffix(c, "/") {
			c += "/"
		}
		return c
	}
	root := strings.TrimSpace(opts.Root)
	if root == "" {
		return "casascan/"
	}
	p := path.Clean(strings.ReplaceAll(root, "\\", "/"))
	p = strings.Trim(strings.TrimPrefix(p, "./"), "/")
	if p == "." || p == "" {
		return "casascan/"
	}
	return "casascan/" + p + "/"
}

// diagnosticNotification writes a load diagnostic as a tool execution
// notification, located when it comes from a file.
func diagnosticNotification(d scanner.Diagnostic) *sarif.Notification {
	level := "warning"
	if d.Severity == scanner.DiagError {
		level = "error"
	}
	msg := d.Summary
	if d.Subject != "" {
		msg = d.Subject + ": " + msg
	}
	if d.Detail != "" {
		msg += "; " + d.Detail
	}
	switch {
	case d.NotJudged():
		msg += " (not judged)"
	case d.Skipped:
		msg += " (not scanned)"
	}
	n := sarif.NewNotification().WithLevel(level).WithTextMessage(msg)
	if d.File != "" {
		n.AddLocation(sarifLocation(scanner.Location{File: d.File, StartLine: d.Line, StartCol: d.Column}))
	}
	return n
}

// incompleteMessage is the notification that says the scan is incomplete.
func incompleteMessage(notJudged int) string {
	return "the scan is incomplete: " + plural(notJudged, "part") + " of the input could not be judged (see the notifications above); a result without failures cannot be trusted"
}
