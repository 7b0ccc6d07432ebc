package scanner

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/casascan/casascan/internal/par"
)

// Options steer Run.
type Options struct {
	// Now decides whether exp: dates of ignore comments have passed; the zero
	// time means no ignore ever expires.
	Now time.Time
	// NoInlineIgnores disables ignore comments and the configuration
	// file's ignore: entries (for audits, where only fixes count).
	NoInlineIgnores bool
	// RequireReason makes ignore comments without "-- reason", and ignore:
	// entries without a reason, suppress nothing.
	RequireReason bool
	// ConfigIgnores are the configuration file's ignore: entries.
	ConfigIgnores []ConfigIgnore
	// CheckIDs, when not empty, are every check ID the catalog knows: an
	// ignore naming another ID is a warning with the nearest real one.
	CheckIDs []string
	// ScopeLabels, when not empty, limits the checks of measures M1, M3 and
	// M4 to resources that carry one of these labels (KEY=VALUE) and to the
	// resources those reference; the rest is OUT_OF_SCOPE.
	ScopeLabels map[string]string
}

// Select returns the checks of all that run: those in include (all when
// empty), less those in skip, whose severity is among severities (all when
// empty). Unknown IDs are an error naming them.
func Select(all []*Check, include, skip []string, severities []Severity) ([]*Check, error) {
	known := map[string]bool{}
	for _, c := range all {
		known[c.ID] = true
	}
	var unknown []string
	norm := func(ids []string) map[string]bool {
		m := map[string]bool{}
		for _, id := range ids {
			id = strings.ToUpper(strings.TrimSpace(id))
			if id == "" {
				continue
			}
			if !known[id] {
				unknown = append(unknown, id)
			}
			m[id] = true
		}
		return m
	}
	inc, exc := norm(include), norm(skip)
	if len(unknown) > 0 {
		return nil, fmt.Errorf("unknown check ID %s (run 'casascan checks' for the list)", strings.Join(unknown, ", "))
	}
	var out []*Check
	for _, c := range all {
		if (len(inc) > 0 && !inc[c.ID]) || exc[c.ID] || (len(severities) > 0 && !slices.Contains(severities, c.Severity)) {
			continue
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

// Run judges every graph with every check and returns one sorted Result.
// Graphs are judged separately: references never cross from one to another.
func Run(checks []*Check, graphs []*Graph, opts Options) *Result {
	s := NewSession(checks, opts)
	for _, g := range graphs {
		s.Add(g)
	}
	return s.Result()
}

// Session is Run one graph at a time: Add judges a graph and keeps only its
// findings and diagnostics, so that the graph can be released before the
// next is loaded (a tree of thousands of Terraform root modules is never
// held whole). Result after the last Add gives what Run would for the same
// graphs in the same order.
type Session struct {
	checks []*Check
	opts   Options
	res    *Result
	// store holds the findings of every graph added, in the order Run
	// judges them (per graph and check), a chunk at a time.
	store findingStore
	// labelled are the scope labels some resource carries.
	labelled map[string]bool
	ids      unknownIDs
}

// NewSession starts a session judging with checks (a plain list: built-in
// and custom checks alike).
func NewSession(checks []*Check, opts Options) *Session {
	return &Session{checks: checks, opts: opts, res: &Result{Checks: checks}, labelled: map[string]bool{},
		ids: newUnknownIDs(opts.CheckIDs)}
}

// Add judges one graph. The session keeps nothing of the graph but the
// findings and diagnostics (findings name places and values as text, never
// the graph's own values).
func (s *Session) Add(g *Graph) {
	res := s.res
	res.Diagnostics = append(res.Diagnostics, g.Diagnostics...)
	r := newRunner(g, s.opts)
	// Checks are pure and the graph is read-only: judge them in
	// parallel, each into its own slice, joined in check order.
	byCheck := make([][]Finding, len(s.checks))
	crashes := make([][]Diagnostic, len(s.checks))
	par.Each(len(s.checks), 0, func(_, i int) {
		byCheck[i] = r.judge(s.checks[i], nil, &crashes[i])
	})
	s.store.add(byCheck...)
	for _, ds := range crashes {
		res.Diagnostics = append(res.Diagnostics, ds...)
	}
	for k := range r.labelled {
		s.labelled[k] = true
	}
	s.ids.graph(g)
}

// Result returns the result of every graph added: findings deduplicated
// and sorted, diagnostics sorted and capped. Call it once, after the last
// Add.
func (s *Session) Result() *Result {
	res := s.res
	var diags []Diagnostic
	res.findings, diags = s.store.result()
	res.Diagnostics = append(res.Diagnostics, diags...)
	res.Diagnostics = append(res.Diagnostics, unusedScopeLabels(s.labelled, s.opts.ScopeLabels)...)
	res.Diagnostics = append(res.Diagnostics, s.ids.config(s.opts.ConfigIgnores)...)
	RedactDiagnostics(res.Diagnostics)
	SortDiagnostics(res.Diagnostics)
	res.Diagnostics = CapDiagnostics(res.Diagnostics, MaxDiagnosticsPerFile)
	return res
}

// test runs one check on one resource. A check that panics (a bug: checks
// are meant to handle every value) does not stop the scan: the resource is
// reported as not judged, with an error diagnostic naming the check and
// the resource, so the scan counts as incomplete.
func (r *runner) test(c *Check, res *Resource, crashes *[]Diagnostic) (problems []Problem, ok bool) {
	defer func() {
		if p := recover(); p != nil {
			*crashes = append(*crashes, Diagnostic{Severity: DiagError, Skipped: true,
				Summary: "internal error: check " + c.ID + " failed on " + res.Address,
				Detail:  fmt.Sprintf("%v; please report this bug", p),
				File:    res.DefRange.Filename, Line: res.DefRange.Start.Line, Column: res.DefRange.Start.Column})
			problems, ok = nil, false
		}
	}()
	return c.Test(r.g, res), true
}

// scopeLabelAttrs are the attributes scope labels are read from.
var scopeLabelAttrs = []string{"labels", "user_labels", "resource_labels"}

// carriesLabel reports whether a resource carries the label k=v.
func carriesLabel(r *Resource, k, v string) bool {
	for _, attr := range scopeLabelAttrs {
		if a := r.Get(attr + "." + k); a != nil {
			if s, ok := a.Str(); ok && s == v {
				return true
			}
		}
	}
	return false
}

// unusedScopeLabels warns about each scope label no resource carries
// (labelled holds the keys of those some resource carries): a typo would
// otherwise take the M1/M3/M4 checks off everything silently.
func unusedScopeLabels(labelled map[string]bool, labels map[string]string) []Diagnostic {
	var out []Diagnostic
	for _, k := range slices.Sorted(maps.Keys(labels)) {
		v := labels[k]
		if !labelled[k] {
			out = append(out, Diagnostic{Severity: DiagWarning, Subject: "scope label " + k + "=" + v,
				Summary: "no resource carries this scope label",
				Detail:  "every resource the M1, M3 and M4 checks judge is out of scope; check the label's spelling (--scope-label or scope-labels in .casascan.yaml)"})
		}
	}
	return out
}

// MaxDiagnosticsPerFile is how many diagnostics of one file a result shows:
// a hostile or broken file can give hundreds of thousands.
const MaxDiagnosticsPerFile = 20

// CapDiagnostics keeps the first max diagnostics of each file of ds (sorted
// by SortDiagnostics) and puts, in place of the rest, one diagnostic that
// says how many more there were, at the first of them. It is an error when
// any of them is, and marks the file skipped when any of them does, so the
// verdict of the scan is the same. Diagnostics that name no file are kept.
func CapDiagnostics(ds []Diagnostic, max int) []Diagnostic {
	out := ds[:0:0]
	for i := 0; i < len(ds); {
		j := i + 1
		for j < len(ds) && ds[i].File != "" && ds[j].File == ds[i].File {
			j++
		}
		if j-i <= max {
			out = append(out, ds[i:j]...)
			i = j
			continue
		}
		out = append(out, ds[i:i+max]...)
		rest := ds[i+max : j]
		more := Diagnostic{Severity: DiagWarning, File: rest[0].File, Line: rest[0].Line, Column: rest[0].Column}
		errs, skipped := 0, 0
		for _, d := range rest {
			if d.Severity == DiagError {
				errs++
				more.Severity = DiagError
			}
			if d.Skipped {
				skipped++
				more.Skipped = true
			}
		}
		more.Summary = fmt.Sprintf("%d more diagnostics in this file not shown", len(rest))
		more.Detail = fmt.Sprintf("only the first %d of a file are shown; of the rest, %d are errors and %d warnings", max, errs, len(rest)-errs)
		if skipped > 0 {
			more.Detail += fmt.Sprintf(", and %d say a part of the file was not scanned", skipped)
		}
		out = append(out, more)
		i = j
	}
	return out
}

type runner struct {
	g       *Graph
	opts    Options
	ignores map[string]map[int][]Ignore // file → target line → ignores
	central []ConfigIgnore              // the configuration file's ignore: entries in force
	inScope map[string]bool             // nil when every resource is in scope
	// labelled are the keys of the scope labels some resource carries.
	labelled map[string]bool
	// callSites are the related locations of a module call chain: the
	// resources of one module instance share its Calls, and the locations.
	callSites map[*ModuleCall][]Location
}

// callsKey identifies a module call chain by its last call, or nil.
func callsKey(calls []ModuleCall) *ModuleCall {
	if len(calls) == 0 {
		return nil
	}
	return &calls[len(calls)-1]
}

func newRunner(g *Graph, opts Options) *runner {
	r := &runner{g: g, opts: opts, callSites: map[*ModuleCall][]Location{}}
	for _, res := range g.Resources {
		key := callsKey(res.Calls)
		if _, done := r.callSites[key]; done || key == nil {
			continue
		}
		locs := make([]Location, len(res.Calls))
		for i, call := range res.Calls {
			locs[i] = rangeLocation(call.Range, call.Address, "module", "module call "+call.Address)
		}
		// Full, so that appending a related resource copies it.
		r.callSites[key] = slices.Clip(locs)
	}
	if !opts.NoInlineIgnores {
		r.ignores = map[string]map[int][]Ignore{}
		for _, ig := range g.Ignores {
			if opts.RequireReason && ig.Reason == "" {
				continue
			}
			m := r.ignores[ig.File]
			if m == nil {
				m = map[int][]Ignore{}
				r.ignores[ig.File] = m
			}
			m[ig.Target] = append(m[ig.Target], ig)
		}
	}
	if !opts.NoInlineIgnores {
		for _, ci := range opts.ConfigIgnores {
			if opts.RequireReason && ci.Reason == "" {
				continue
			}
			r.central = append(r.central, ci)
		}
	}
	if len(opts.ScopeLabels) > 0 {
		r.inScope, r.labelled = scope(g, opts.ScopeLabels)
	}
	return r
}

// scopedMeasures are the measures whose checks --scope-label narrows.
var scopedMeasures = map[Measure]bool{M1: true, M3: true, M4: true}

func (c *Check) scoped() bool {
	for _, m := range c.Measures {
		if scopedMeasures[m] {
			return true
		}
	}
	return false
}

// scope returns the resources that carry one of the labels, plus every
// resource they reference, transitively, and the keys of the labels some
// resource carries.
func scope(g *Graph, labels map[string]string) (in, labelled map[string]bool) {
	in, labelled = map[string]bool{}, map[string]bool{}
	var visit func(r *Resource)
	visit = func(r *Resource) {
		if in[r.Address] {
			return
		}
		in[r.Address] = true
		for _, a := range allAttrs(r.Body) {
			for _, ref := range a.Refs {
				if t := g.Lookup(ref); t != nil {
					visit(t)
				}
			}
		}
	}
	for _, r := range g.Resources {
		for k, v := range labels {
			if carriesLabel(r, k, v) {
				labelled[k] = true
				visit(r)
			}
		}
	}
	// Resources that reference an in-scope resource through IAM or similar
	// (a key's IAM member referring to the key) follow the key.
	for changed := true; changed; {
		changed = false
		for _, r := range g.Resources {
			if in[r.Address] || !strings.Contains(r.Type, "_iam_") {
				continue
			}
			for _, a := range allAttrs(r.Body) {
				for _, ref := range a.Refs {
					if in[ref] {
						in[r.Address], changed = true, true
					}
				}
			}
		}
	}
	return in, labelled
}

// allAttrs lists every attribute of a body and its nested blocks.
func allAttrs(b *Body) []*Attr {
	if b == nil {
		return nil
	}
	var out []*Attr
	names := make([]string, 0, len(b.Attrs))
	for n := range b.Attrs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		out = append(out, b.Attrs[n])
	}
	for _, blk := range b.Blocks {
		out = append(out, allAttrs(blk.Body)...)
	}
	return out
}

// judge appends the findings of one check to out.
func (r *runner) judge(c *Check, out []Finding, crashes *[]Diagnostic) []Finding {
	if len(c.Types) == 0 {
		if c.TestGraph == nil {
			return out
		}
		for _, p := range c.TestGraph(r.g) {
			if p.Resource != nil {
				out = append(out, r.finding(c, p))
			}
		}
		return out
	}
	n := 0
	for _, typ := range c.Types {
		n += len(r.g.OfType(typ))
	}
	out = slices.Grow(out, n) // about one result a resource
	for _, typ := range c.Types {
		for _, res := range r.g.OfType(typ) {
			if res.Mode != Managed || (len(c.Sources) > 0 && !slices.Contains(c.Sources, res.Source)) {
				continue
			}
			if r.inScope != nil && c.scoped() && !r.inScope[res.Address] {
				f := r.base(c, res, "", "")
				f.Status, f.Reason = StatusOutOfScope, "resource carries no scope label and is not referenced by one that does"
				f.Message = subject(res) + ": out of scope"
				out = append(out, f)
				continue
			}
			problems, ok := r.test(c, res, crashes)
			if !ok {
				f := r.base(c, res, "", "")
				f.Status, f.Reason = StatusUnknown, "the check failed on this resource (an internal error; see the diagnostics)"
				f.Message = subject(res) + ": not judged"
				out = append(out, f)
				continue
			}
			if len(problems) == 0 {
				f := r.base(c, res, "", "")
				f.Status, f.Message = StatusPass, subject(res)+": passes"
				if len(res.Invalid) > 0 {
					// Part of the configuration is not understood: it is
					// not right in every outcome.
					inv := res.Invalid[0]
					f.Status, f.Reason = StatusUnknown, RedactText(inv.Path+" could not be evaluated: "+inv.Reason)
					f.Message = subject(res) + ": not judged: " + f.Reason
				}
				out = append(out, f)
				continue
			}
			for _, p := range problems {
				p.Resource = res
				if p.NotJudged != "" {
					p.Unknown = true
					*crashes = append(*crashes, Diagnostic{Severity: DiagError, Skipped: true,
						Summary: "check " + c.ID + " could not judge " + res.Address, Detail: p.NotJudged,
						File: res.DefRange.Filename, Line: res.DefRange.Start.Line, Column: res.DefRange.Start.Column})
				}
				if inv := res.invalidAt(p.Path); inv != nil && !p.Unknown {
					p.Unknown = true
					p.Message = p.Message + " (but " + inv.Path + " could not be evaluated: " + inv.Reason + ")"
				}
				out = append(out, r.finding(c, p))
			}
		}
	}
	return out
}

// base builds a finding on a resource pointing at path (or its header).
func (r *runner) base(c *Check, res *Resource, path, discriminator string) Finding {
	rng := res.DefRange
	if p := res.Body.Deepest(path); p != nil {
		rng = *p
	}
	f := Finding{
		CheckID: c.ID, Severity: c.Severity,
		Resource: res.Reported(), ResourceType: res.Type, Source: res.Source,
		Attribute: RedactText(path), // a map key in the path may be shaped like a credential
		Location:  rangeLocation(rng, res.Reported(), "resource", ""),
		Grant:     res.Grant,
	}
	if root := r.g.RootModule; root != "." && res.Source == SourceTerraform {
		// A scan of one root at the scanned directory keeps the
		// fingerprints it always had.
		f.RootModule = root
	}
	f.Related = r.callSites[callsKey(res.Calls)]
	if res.Grant != nil {
		// Grants of one asset share its name: the grant's own address
		// (derived from the asset, role, member and condition) tells them
		// apart.
		discriminator = res.Address + "\x00" + discriminator
	}
	f.Fingerprint = Fingerprint(c.ID, f.identity(), path, discriminator)
	anchorDownloaded(&f, res)
	return f
}

// anchorDownloaded moves a finding inside a module that terraform init
// downloaded (not part of the repository, so code scanning cannot show it)
// to the module call in the repository that brings it in, and keeps where
// it is in the module aside.
func anchorDownloaded(f *Finding, res *Resource) {
	if !isDownloaded(f.Location.File) {
		return
	}
	for i := len(res.Calls) - 1; i >= 0; i-- {
		call := res.Calls[i]
		if isDownloaded(call.Range.Filename) {
			continue
		}
		inModule := f.Location
		f.DownloadedModule = &inModule
		f.Location = rangeLocation(call.Range, res.Reported(), "resource", "")
		return
	}
}

func isDownloaded(file string) bool {
	return strings.HasPrefix(file, ".terraform/modules/") || strings.Contains(file, "/.terraform/modules/")
}

func (r *runner) finding(c *Check, p Problem) Finding {
	res := p.Resource
	f := r.base(c, res, p.Path, "")
	// Checks build messages through Display; RedactText is the last
	// defence for a name from the tree (an environment variable or map key)
	// shaped like a credential.
	msg := RedactText(p.Message)
	msg += grantNote(res, msg)
	f.Message = res.Reported() + ": " + msg
	for _, rel := range p.Related {
		f.Related = append(f.Related, rangeLocation(rel.DefRange, rel.Reported(), "resource", "related resource "+subject(rel)))
	}
	r.provenance(&f, c, res, p.Path)
	if !p.Unknown && res.Uncertain != "" {
		// Failing in every outcome where the resource exists is not
		// failing in every outcome: it may not exist at all.
		p.Unknown = true
		msg += " (if it exists: " + res.Uncertain + ")"
		f.Message = res.Reported() + ": " + msg
	}
	if p.Unknown {
		f.Status, f.Reason = StatusUnknown, msg
		return f
	}
	f.Status = StatusFail
	if sup := r.suppressionFor(c.ID, res, f); sup != nil {
		if !sup.Expired {
			f.Status, f.Reason = StatusIgnored, sup.Justification
		}
		f.Suppression = sup
	}
	return f
}

// provenance gives a finding the value judged at path and where it came
// from. A reference's origin is placed at the referenced resource's block
// when the graph holds it. Provenance names places, never values, so it is
// kept for a secret whose value is redacted.
func (r *runner) provenance(f *Finding, c *Check, res *Resource, path string) {
	if path == "" {
		return
	}
	a := res.Body.Get(path)
	if d := defaultOf(res.Type, path); d != nil && (a.Null() || a.Value == cty.NilVal) {
		shown, _ := ValueString(d.Value)
		switch s := res.Slot(path); {
		case res.Source == SourceExport || res.Source == SourceLive:
			// A field the export or live record leaves out: the API's
			// default, never a Terraform default.
			f.Provenance = &Provenance{Value: shown, Origins: []Origin{{Kind: OriginAPIDefault, Name: res.Address}}}
			if res.Record != nil {
				rec := *res.Record
				rec.Kind = OriginAPIDefault
				f.Provenance.Origins = []Origin{rec}
			}
		case s.Block == nil && s.Path != "" && strings.Contains(s.Path, "."):
			// The block that would hold the attribute is not written: no
			// Terraform default applies to it. The finding points at the
			// resource already, so the origin names no place.
			f.Provenance = &Provenance{Value: "(not set)", Origins: []Origin{{Kind: OriginAbsentBlock, Name: s.missingBlock()}}}
		default:
			// An attribute left out that the defaults table fills: the
			// value judged is the provider default, and the table's
			// wording says so.
			f.Provenance = &Provenance{Value: shown, Origins: []Origin{{Kind: OriginProviderDefault, Name: d.Doc}}}
		}
		return
	}
	if a == nil || a.Value == cty.NilVal {
		return
	}
	p := &Provenance{Value: displaySecret(c, path, a), Origins: res.originsIn(r.g, a)}
	if p.Origins == nil {
		p.Origins = []Origin{}
	}
	for i := range p.Origins {
		o := &p.Origins[i]
		if (o.Kind == OriginComputed || o.Kind == OriginDataSource) && o.File == "" {
			if t := r.g.Lookup(o.Name); t != nil && t.DefRange.Start.Line > 0 {
				o.File, o.Line = t.DefRange.Filename, t.DefRange.Start.Line
			}
		}
		// Names come from the tree: a map key shaped like a credential is
		// redacted, as in messages.
		o.Name = RedactText(o.Name)
	}
	f.Provenance = p
}

// displaySecret is Display for the value a finding judged, which may be a
// secret by what it is rather than by its shape: the value of a check about
// secrets (measure M3), or of an attribute whose path names a credential
// (password, secret_data, env.API_TOKEN), is never shown.
func displaySecret(c *Check, path string, a *Attr) string {
	shown := Display(a)
	if shown == Redacted || shown == "(not set)" || shown == "(known after apply)" {
		return shown
	}
	if slices.Contains(c.Measures, M3) || LooksLikeCredentialName(path) {
		return Redacted
	}
	return shown
}

// suppressionFor returns what suppresses a FAIL finding, or nil: an ignore
// comment, else a configuration ignore: entry. One that has not expired
// wins over an expired one; an expired one is returned (Expired set) so
// the report says it expired.
func (r *runner) suppressionFor(id string, res *Resource, f Finding) *Suppression {
	ig, inline := r.ignoreFor(id, res, f.Location)
	var ci ConfigIgnore
	central := false
	files := []string{f.Location.File}
	if f.DownloadedModule != nil {
		files = append(files, f.DownloadedModule.File)
	}
	for _, e := range r.central {
		if e.Covers(id, res.Reported(), files...) {
			if !central || ci.Expired(r.opts.Now) && !e.Expired(r.opts.Now) {
				ci, central = e, true
			}
		}
	}
	fromComment := func() *Suppression {
		return &Suppression{Kind: SuppressionInSource, Justification: ig.Reason, Expires: ig.Expires,
			Expired: ig.Expired(r.opts.Now), Location: Location{File: ig.File, StartLine: ig.Line}}
	}
	fromConfig := func() *Suppression {
		return &Suppression{Kind: SuppressionConfig, Justification: ci.Reason, Expires: ci.Expires,
			Expired: ci.Expired(r.opts.Now), Location: Location{File: ci.File, StartLine: ci.Line}}
	}
	switch {
	case inline && !ig.Expired(r.opts.Now):
		return fromComment()
	case central && !ci.Expired(r.opts.Now):
		return fromConfig()
	case inline:
		return fromComment()
	case central:
		return fromConfig()
	}
	return nil
}

// ignoreFor finds the ignore comment covering a finding: on or above the
// attribute it points at, above the resource block (or on its header line),
// or above any module block on its call chain. A live ignore wins over an
// expired one.
func (r *runner) ignoreFor(id string, res *Resource, loc Location) (Ignore, bool) {
	if r.ignores == nil {
		return Ignore{}, false
	}
	var found []Ignore
	look := func(file string, line int) {
		for _, ig := range r.ignores[file][line] {
			if ig.Covers(id) {
				found = append(found, ig)
			}
		}
	}
	if loc.StartLine != res.DefRange.Start.Line || loc.File != res.DefRange.Filename {
		look(loc.File, loc.StartLine)
	}
	look(res.DefRange.Filename, res.DefRange.Start.Line)
	for _, call := range res.Calls {
		look(call.Range.Filename, call.Range.Start.Line)
	}
	if len(found) == 0 {
		return Ignore{}, false
	}
	for _, ig := range found {
		if !ig.Expired(r.opts.Now) {
			return ig, true
		}
	}
	return found[0], true
}

func rangeLocation(rng hcl.Range, addr, kind, msg string) Location {
	return Location{
		File:      rng.Filename,
		StartLine: rng.Start.Line, StartCol: rng.Start.Column,
		EndLine: rng.End.Line, EndCol: rng.End.Column,
		Address: addr, Kind: kind, Message: msg,
	}
}

// Fingerprint identifies a finding across runs from the check, the resource
// address and the attribute path (with repeated-block indexes), never from
// line numbers: unrelated edits that move the resource leave it unchanged.
func Fingerprint(checkID, address, path, discriminator string) string {
	var stack [256]byte
	buf := append(stack[:0], checkID...)
	for _, part := range [...]string{address, path, discriminator} {
		buf = append(append(buf, 0), part...)
	}
	sum := sha256.Sum256(buf)
	return hex.EncodeToString(sum[:16])
}

// SortFindings orders findings by file, line, column, check, resource,
// attribute and status, the order every writer emits.
func SortFindings(fs []Finding) {
	ptrs := make([]*Finding, len(fs))
	for i := range fs {
		ptrs[i] = &fs[i]
	}
	copy(fs, sorted(ptrs))
}

// sorted returns the findings in SortFindings' order, each copied once
// (findings are large). The halves are sorted in parallel and merged: the
// order is that of one stable sort.
func sorted(ptrs []*Finding) []Finding {
	out := make([]Finding, len(ptrs))
	if len(ptrs) < 4096 {
		slices.SortStableFunc(ptrs, findingCmp)
		for i, p := range ptrs {
			out[i] = *p
		}
		return out
	}
	mid := len(ptrs) / 2
	halves := [2][]*Finding{ptrs[:mid], ptrs[mid:]}
	par.Each(2, 0, func(_, i int) { slices.SortStableFunc(halves[i], findingCmp) })
	a, b := halves[0], halves[1]
	for i := range out {
		// Equal findings take the first half's first, as a stable sort does.
		if len(b) == 0 || len(a) > 0 && findingCmp(a[0], b[0]) <= 0 {
			out[i], a = *a[0], a[1:]
		} else {
			out[i], b = *b[0], b[1:]
		}
	}
	return out
}

func findingCmp(a, b *Finding) int {
	if c := strings.Compare(a.Location.File, b.Location.File); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Location.StartLine, b.Location.StartLine); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Location.StartCol, b.Location.StartCol); c != 0 {
		return c
	}
	if c := strings.Compare(a.CheckID, b.CheckID); c != 0 {
		return c
	}
	if c := strings.Compare(a.Resource, b.Resource); c != 0 {
		return c
	}
	if c := strings.Compare(a.RootModule, b.RootModule); c != 0 {
		return c
	}
	if c := strings.Compare(a.Attribute, b.Attribute); c != 0 {
		return c
	}
	if c := strings.Compare(string(a.Status), string(b.Status)); c != 0 {
		return c
	}
	return strings.Compare(a.Message, b.Message)
}

// SortDiagnostics orders diagnostics by file, line, column and text.
func SortDiagnostics(ds []Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		switch {
		case a.File != b.File:
			return a.File < b.File
		case a.Line != b.Line:
			return a.Line < b.Line
		case a.Column != b.Column:
			return a.Column < b.Column
		case a.Subject != b.Subject:
			return a.Subject < b.Subject
		}
		return a.Summary+a.Detail < b.Summary+b.Detail
	})
}

// subject names a resource in a message: its reported name and, for one
// grant of an asset's IAM policy or ACL, the grant.
func subject(res *Resource) string {
	if g := res.Grant; g != nil {
		return res.Reported() + " (" + RedactText(g.Role+" to "+g.Member) + ")"
	}
	return res.Address
}

// grantNote is what a problem's message on a grant must add so that it
// names the role and the member: nothing when it names both.
func grantNote(res *Resource, msg string) string {
	g := res.Grant
	if g == nil || strings.Contains(msg, g.Role) && strings.Contains(msg, g.Member) {
		return ""
	}
	return " (" + RedactText(g.Role+" to "+g.Member) + ")"
}
