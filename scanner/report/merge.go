package report

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/owenrumney/go-sarif/v2/sarif"
)

// MergeSARIF joins casascan SARIF files (the outputs of the shards of one
// scan, or of several roots) into one run, as one unsharded scan of the
// same findings writes it: rules are the union of the inputs' rules,
// sorted by ID as the writer sorts the checks that ran; results are
// concatenated, exact repeats dropped, sorted in the writer's order (file,
// line, column, rule, fully qualified name, attribute, status, message) and
// given the ruleIndex of the merged rules; the tool execution notifications
// of every input are pooled, repeats dropped, sorted by place and text.
// automationDetails.id is kept when the inputs agree once the ",shard-I-of-N"
// part of their categories is dropped, and is casascan/merged/ otherwise.
//
// An input that is not a casascan SARIF 2.1.0 log with one run is an error
// naming the input (its file name when the reader is a file). The inputs'
// tool versions must agree. Beyond GitHub's limit of results per run, the
// most severe are kept, as the writer does.
//
// The merge is byte-identical to an unsharded run's SARIF (indented up to
// sarifIndentLimit results, as the writer does) but for one limit:
// notifications are ordered by their text, which matches the writer's order
// of diagnostics except when one subject is a prefix of another.
func MergeSARIF(w io.Writer, inputs ...io.Reader) error {
	if len(inputs) == 0 {
		return fmt.Errorf("merging SARIF: no input")
	}
	logs := make([]mergeInput, 0, len(inputs))
	for i, in := range inputs {
		m, err := readMergeInput(in, inputName(in, i))
		if err != nil {
			return err
		}
		if len(logs) > 0 && m.version() != logs[0].version() {
			return fmt.Errorf("merging SARIF: %s was written by casascan %q, %s by %q; merge outputs of one version",
				m.name, m.version(), logs[0].name, logs[0].version())
		}
		logs = append(logs, m)
	}
	run, indent, err := mergeRuns(logs)
	if err != nil {
		return err
	}
	rep, _ := sarif.New(sarif.Version210, false) // cannot fail for a known version
	rep.Schema = sarifSchemaURI
	rep.AddRun(run)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if indent {
		enc.SetIndent("", "  ")
	}
	return enc.Encode(rep)
}

// mergeInput is one decoded input.
type mergeInput struct {
	name string
	run  *sarif.Run
}

func (m mergeInput) version() string {
	if v := m.run.Tool.Driver.SemanticVersion; v != nil {
		return *v
	}
	return ""
}

func inputName(in io.Reader, i int) string {
	if f, ok := in.(interface{ Name() string }); ok && f.Name() != "" {
		return f.Name()
	}
	return "input " + strconv.Itoa(i+1)
}

// mergeData returns the content of one input: the bytes themselves when
// the reader holds them in memory (a Bytes() []byte method, as the CLI's
// inputs, each read once from its file, have), so that no input is copied
// a second time; otherwise what it reads, up to maxMergeInput.
func mergeData(in io.Reader, name, format string) ([]byte, error) {
	var data []byte
	if b, ok := in.(interface{ Bytes() []byte }); ok {
		data = b.Bytes()
	} else {
		var err error
		if data, err = io.ReadAll(io.LimitReader(in, maxMergeInput+1)); err != nil {
			return nil, fmt.Errorf("reading %s: %w", name, err)
		}
	}
	if len(data) > maxMergeInput {
		return nil, fmt.Errorf("reading %s: larger than %d bytes, the limit of a %s input", name, maxMergeInput, format)
	}
	return data, nil
}

// readMergeInput decodes one input and checks that casascan wrote it.
func readMergeInput(in io.Reader, name string) (mergeInput, error) {
	data, err := mergeData(in, name, "SARIF")
	if err != nil {
		return mergeInput{}, err
	}
	if line, ok := jsonTooDeep(data, maxMergeDepth); ok {
		return mergeInput{}, fmt.Errorf("reading %s:%d: nested more than %d levels deep, which casascan's SARIF never is", name, line, maxMergeDepth)
	}
	var rep sarif.Report
	if err := json.Unmarshal(data, &rep); err != nil {
		return mergeInput{}, fmt.Errorf("reading %s: not a SARIF log: %w", name, err)
	}
	switch {
	case rep.Version != string(sarif.Version210):
		return mergeInput{}, fmt.Errorf("reading %s: SARIF version %q, want 2.1.0", name, rep.Version)
	case len(rep.Runs) != 1 || rep.Runs[0] == nil:
		return mergeInput{}, fmt.Errorf("reading %s: %d runs, want the one run casascan writes", name, len(rep.Runs))
	case rep.Runs[0].Tool.Driver == nil || rep.Runs[0].Tool.Driver.Name != sarifToolName:
		return mergeInput{}, fmt.Errorf("reading %s: not written by casascan", name)
	}
	for _, r := range rep.Runs[0].Results {
		if r == nil || r.RuleID == nil || *r.RuleID == "" {
			return mergeInput{}, fmt.Errorf("reading %s: a result without a ruleId", name)
		}
	}
	return mergeInput{name: name, run: rep.Runs[0]}, nil
}

// The limits of a merge input. casascan's SARIF nests about 10 levels
// deep; a deep input (properties 9,000 levels deep) decodes, but its
// indented output grows with the square of the depth.
const (
	maxMergeInput = 512 << 20
	maxMergeDepth = 64
)

// jsonTooDeep reports whether JSON data nests arrays and objects more than
// max deep, and the line where it does, in one pass that skips strings.
func jsonTooDeep(data []byte, max int) (int, bool) {
	depth, line := 0, 1
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '\n':
			line++
		case '[', '{':
			if depth++; depth > max {
				return line, true
			}
		case ']', '}':
			depth--
		case '"':
			for i++; i < len(data) && data[i] != '"'; i++ {
				if data[i] == '\\' {
					i++
				}
			}
		}
	}
	return 0, false
}

// mergeRuns builds the merged run from the first input's, and says whether
// to indent it.
func mergeRuns(logs []mergeInput) (*sarif.Run, bool, error) {
	run := logs[0].run
	rules := mergeRules(logs)
	index := make(map[string]uint, len(rules))
	for i, r := range rules {
		index[r.ID] = uint(i)
	}
	results, err := mergeResults(logs, index)
	if err != nil {
		return nil, false, err
	}
	kept, dropped := capResults(results, rules, index)
	run.Tool.Driver.Rules = rules
	run.Results = kept
	run.AutomationDetails = sarif.NewRunAutomationDetails().WithID(mergedAutomationID(logs))
	run.Invocations = []*sarif.Invocation{mergeInvocations(logs, dropped, len(kept))}
	return run, len(kept) <= sarifIndentLimit, nil
}

// mergeRules returns the union of the inputs' rules by ID, sorted by ID;
// of two rules with one ID the first input's wins.
func mergeRules(logs []mergeInput) []*sarif.ReportingDescriptor {
	byID := map[string]*sarif.ReportingDescriptor{}
	for _, l := range logs {
		for _, r := range l.run.Tool.Driver.Rules {
			if r != nil && byID[r.ID] == nil {
				byID[r.ID] = r
			}
		}
	}
	out := make([]*sarif.ReportingDescriptor, 0, len(byID))
	for _, r := range byID {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// mergeResults pools the results, drops exact repeats, sets ruleIndex and
// sorts them in the writer's order.
func mergeResults(logs []mergeInput, index map[string]uint) ([]*sarif.Result, error) {
	var out []*sarif.Result
	seen := map[string]bool{}
	for _, l := range logs {
		for _, r := range l.run.Results {
			i, ok := index[*r.RuleID]
			if !ok {
				return nil, fmt.Errorf("reading %s: result of rule %s, which no input describes", l.name, *r.RuleID)
			}
			r.RuleIndex = &i
			b, err := json.Marshal(r)
			if err != nil {
				return nil, fmt.Errorf("reading %s: %w", l.name, err)
			}
			if seen[string(b)] {
				continue
			}
			seen[string(b)] = true
			out = append(out, r)
		}
	}
	keys := make(map[*sarif.Result]resultKey, len(out))
	for _, r := range out {
		keys[r] = keyOf(r)
	}
	sort.SliceStable(out, func(i, j int) bool { return keys[out[i]].less(keys[out[j]]) })
	return out, nil
}

// resultKey is what scanner.SortFindings orders findings by, read back
// from a SARIF result.
type resultKey struct {
	file            string
	line, col       int
	rule, fqn, attr string
	status, message string
}

func (a resultKey) less(b resultKey) bool {
	switch {
	case a.file != b.file:
		return a.file < b.file
	case a.line != b.line:
		return a.line < b.line
	case a.col != b.col:
		return a.col < b.col
	case a.rule != b.rule:
		return a.rule < b.rule
	case a.fqn != b.fqn:
		return a.fqn < b.fqn
	case a.attr != b.attr:
		return a.attr < b.attr
	case a.status != b.status:
		return a.status < b.status
	}
	return a.message < b.message
}

func keyOf(r *sarif.Result) resultKey {
	k := resultKey{rule: *r.RuleID, status: resultStatus(r)}
	if r.Message.Text != nil {
		k.message = *r.Message.Text
	}
	if s, ok := r.Properties["attribute"].(string); ok {
		k.attr = s
	}
	if len(r.Locations) == 0 || r.Locations[0] == nil {
		return k
	}
	loc := r.Locations[0]
	if len(loc.LogicalLocations) > 0 && loc.LogicalLocations[0].FullyQualifiedName != nil {
		k.fqn = *loc.LogicalLocations[0].FullyQualifiedName
	}
	k.file, k.line, k.col = placeOf(loc)
	return k
}

// placeOf reads a location's file (the URI unescaped, as the finding had
// it), line and column.
func placeOf(loc *sarif.Location) (file string, line, col int) {
	pl := loc.PhysicalLocation
	if pl == nil {
		return "", 0, 0
	}
	if al := pl.ArtifactLocation; al != nil && al.URI != nil {
		file = *al.URI
		if u, err := url.PathUnescape(file); err == nil {
			file = u
		}
	}
	if rg := pl.Region; rg != nil {
		if rg.StartLine != nil {
			line = *rg.StartLine
		}
		if rg.StartColumn != nil {
			col = *rg.StartColumn
		}
	}
	return file, line, col
}

// resultStatus is the finding status a result was written from.
func resultStatus(r *sarif.Result) string {
	switch {
	case len(r.Suppressions) > 0:
		return "IGNORED"
	case r.Kind != nil && *r.Kind == "open":
		return "UNKNOWN"
	}
	return "FAIL"
}

// capResults keeps GitHub's limit of results per run as the writer does:
// the most severe, FAIL before IGNORED before UNKNOWN, in result order.
func capResults(rs []*sarif.Result, rules []*sarif.ReportingDescriptor, index map[string]uint) ([]*sarif.Result, int) {
	if len(rs) <= sarifMaxResults {
		return rs, 0
	}
	rank := map[string]int{"FAIL": 0, "IGNORED": 1, "UNKNOWN": 2}
	score := func(r *sarif.Result) float64 {
		s, _ := rules[index[*r.RuleID]].Properties["security-severity"].(string)
		f, _ := strconv.ParseFloat(s, 64)
		return f
	}
	idx := make([]int, len(rs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		ra, rb := rs[idx[a]], rs[idx[b]]
		if sa, sb := score(ra), score(rb); sa != sb {
			return sa > sb
		}
		return rank[resultStatus(ra)] < rank[resultStatus(rb)]
	})
	keep := idx[:sarifMaxResults]
	sort.Ints(keep)
	out := make([]*sarif.Result, len(keep))
	for i, k := range keep {
		out[i] = rs[k]
	}
	return out, len(rs) - len(out)
}

// shardPart is the shard at the end of a category, as cmd/casascan names
// it: casascan/organizations/5,shard-2-of-8/.
var shardPart = regexp.MustCompile(`[,/]shard-\d+-of-\d+/$`)

// mergedAutomationID is the inputs' common category without their shard.
func mergedAutomationID(logs []mergeInput) string {
	id := ""
	for i, l := range logs {
		cur := ""
		if ad := l.run.AutomationDetails; ad != nil && ad.ID != nil {
			cur = shardPart.ReplaceAllString(*ad.ID, "/")
		}
		if i > 0 && cur != id {
			return "casascan/merged/"
		}
		id = cur
	}
	if strings.TrimSpace(id) == "" || id == "/" {
		return "casascan/"
	}
	return id
}

// mergeInvocations pools the inputs' invocations into one: successful when
// all were, with their notifications deduplicated and sorted.
func mergeInvocations(logs []mergeInput, dropped, kept int) *sarif.Invocation {
	ok := true
	var notes []*sarif.Notification
	seen := map[string]bool{}
	for _, l := range logs {
		for _, inv := range l.run.Invocations {
			if inv == nil {
				continue
			}
			ok = ok && inv.ExecutionSuccessful != nil && *inv.ExecutionSuccessful
			for _, n := range inv.ToolExecutionNotifications {
				b, err := json.Marshal(n)
				if n == nil || err != nil || seen[string(b)] {
					continue
				}
				seen[string(b)] = true
				notes = append(notes, n)
			}
		}
	}
	sort.SliceStable(notes, func(i, j int) bool { return noteLess(notes[i], notes[j]) })
	inv := sarif.NewInvocation().WithExecutionSuccess(ok)
	inv.ToolExecutionNotifications = notes
	if dropped > 0 {
		inv.AddTToolExecutionNotification(sarif.NewNotification().WithLevel("warning").WithTextMessage(droppedMessage(dropped, dropped+kept)))
	}
	return inv
}

// noteLess orders notifications as scanner.SortDiagnostics orders the
// diagnostics they come from: file, line, column, then text.
func noteLess(a, b *sarif.Notification) bool {
	fa, la, ca := notePlace(a)
	fb, lb, cb := notePlace(b)
	switch {
	case fa != fb:
		return fa < fb
	case la != lb:
		return la < lb
	case ca != cb:
		return ca < cb
	}
	return noteText(a) < noteText(b)
}

func notePlace(n *sarif.Notification) (string, int, int) {
	if len(n.Locations) == 0 || n.Locations[0] == nil {
		return "", 0, 0
	}
	return placeOf(n.Locations[0])
}

func noteText(n *sarif.Notification) string {
	if n.Message == nil || n.Message.Text == nil {
		return ""
	}
	return *n.Message.Text
}
