package custom

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"github.com/google/cel-go/common/types/traits"

	"github.com/casascan/casascan/scanner"
)

// Bounds on one resource's judgement beyond CEL's cost limit.
const (
	// maxRuns bounds the evaluations of one resource: one per combination
	// of the candidates of references that are one of several.
	maxRuns = 64
	// maxRefDepth bounds how many refs() deep an expression may follow.
	maxRefDepth = 4
	// maxConverted bounds the referenced resources converted for one
	// resource.
	maxConverted = 256
	// maxNames bounds the unknown values an UNKNOWN reason names.
	maxNames = 4
)

// evaluation is the state of judging one resource: the unknowns made for
// it (named by their path), the referenced resources converted, and the
// choices among candidates made in the current run.
type evaluation struct {
	g        *scanner.Graph
	names    []string // unknown ID-1 → what is unknown
	objs     map[string]*object
	related  map[string]*scanner.Resource
	tooMany  string // why a reference could not be followed (bounds)
	trail    []choice
	forced   []int
	decided  map[string]int
	oneOf    map[string]string // choice → its candidates, named
	oneOfKey []string
}

type choice struct{ n, i int }

func newEvaluation(g *scanner.Graph) *evaluation {
	return &evaluation{g: g, objs: map[string]*object{}, related: map[string]*scanner.Resource{}, oneOf: map[string]string{}}
}

// unknown makes a CEL unknown standing for the value at name.
func (ev *evaluation) unknown(name string) *types.Unknown {
	ev.names = append(ev.names, name)
	id := int64(len(ev.names))
	return types.NewUnknown(id, types.NewAttributeTrail(name))
}

// unknownNames names what an unknown result depends on, sorted.
func (ev *evaluation) unknownNames(u *types.Unknown) []string {
	var out []string
	for _, id := range u.IDs() {
		if id >= 1 && int(id) <= len(ev.names) {
			out = append(out, ev.names[id-1])
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// refs returns the resources the attribute at path of o may refer to: a
// list of them when it refers to each (a list of references); when it is
// one of several (a condition or index not known before apply), each run
// of the expression takes one of them (choose); unknown when the set of
// candidates is open (a value not known before apply that names no
// resource, a reference to a resource the scan does not hold).
func (ev *evaluation) refs(o *object, path string) ref.Val {
	name := "refs(" + o.name + "." + path + ")"
	if o.res == nil {
		return types.NewErr("refs(): %s is not an attribute of a resource or block", o.name+"."+path)
	}
	if o.depth >= maxRefDepth {
		ev.tooMany = fmt.Sprintf("references are followed at most %d deep", maxRefDepth)
		return ev.unknown(name)
	}
	// Lookup reads the first of several blocks: refs() over a block
	// written several times would judge by the first alone.
	segs := strings.Split(path, ".")
	for cur, i := o, 0; i < len(segs)-1; i++ {
		switch v := cur.m[segs[i]].(type) {
		case *object:
			cur = v
			continue
		case traits.Lister:
			if _, err := strconv.Atoi(segs[i+1]); err != nil {
				return types.NewErr("refs(): %s is written several times: take each, as in %s.exists(b, refs(b.%s)...)",
					o.name+"."+strings.Join(segs[:i+1], "."), o.name+"."+strings.Join(segs[:i+1], "."), strings.Join(segs[i+1:], "."))
			}
		}
		break
	}
	full := joinPath(o.rpath, path)
	ss := o.res.Lookup(full)
	if ss.Open || len(ss.Slots) == 0 {
		if ss.Open {
			return ev.unknown(name)
		}
		return types.NewRefValList(types.DefaultTypeAdapter, nil)
	}
	s := ss.Slots[0]
	if s.Whole || s.MaybeMissing || (s.Unexpanded && !s.Attr.Known()) {
		return ev.unknown(name)
	}
	a := s.Attr
	if a.Null() {
		return types.NewRefValList(types.DefaultTypeAdapter, nil)
	}
	if a.RefsOpen {
		// The value may be something other than the resources it names
		// (coalesce past an unset variable, say): no candidate list is
		// the whole truth.
		return ev.unknown(name)
	}
	addrs := slices.Compact(slices.Clone(a.Refs))
	if len(addrs) == 0 {
		if a.Known() {
			return types.NewRefValList(types.DefaultTypeAdapter, nil)
		}
		return ev.unknown(name)
	}
	var cands []*scanner.Resource
	for _, addr := range addrs {
		t := ev.g.Lookup(addr)
		if t == nil {
			return ev.unknown(name)
		}
		cands = append(cands, t)
	}
	ty := a.Value.Type()
	all := len(cands) == 1 || ty.IsListType() || ty.IsSetType() || ty.IsTupleType() || ty.IsMapType() || ty.IsObjectType()
	if !all {
		key := o.name + "." + path
		if _, ok := ev.oneOf[key]; !ok {
			ev.oneOf[key] = ev.g.CandidateNames(addrs)
			ev.oneOfKey = append(ev.oneOfKey, key)
		}
		cands = cands[ev.choose(key, len(cands)):][:1]
	}
	elems := make([]ref.Val, 0, len(cands))
	for _, t := range cands {
		c := ev.candidate(t, o.depth+1)
		if c == nil {
			return ev.unknown(name)
		}
		if o.depth == 0 {
			ev.related[t.Address] = t
		}
		elems = append(elems, c)
	}
	return types.NewRefValList(types.DefaultTypeAdapter, elems)
}

// candidate converts a referenced resource (once per depth).
func (ev *evaluation) candidate(t *scanner.Resource, depth int) *object {
	key := fmt.Sprintf("%d %s", depth, t.Address)
	if o := ev.objs[key]; o != nil {
		return o
	}
	if len(ev.objs) >= maxConverted {
		ev.tooMany = fmt.Sprintf("at most %d referenced resources are followed", maxConverted)
		return nil
	}
	o := ev.resourceObject(t, t.Address, depth)
	ev.objs[key] = o
	return o
}

// choose returns which of n candidates the reference key is in this run:
// the runs walk every combination, depth first.
func (ev *evaluation) choose(key string, n int) int {
	if i, ok := ev.decided[key]; ok {
		return i
	}
	pos := len(ev.trail)
	i := 0
	if pos < len(ev.forced) {
		i = ev.forced[pos]
	}
	if i >= n {
		i = n - 1
	}
	ev.trail = append(ev.trail, choice{n: n, i: i})
	ev.decided[key] = i
	return i
}

func (ev *evaluation) startRun() {
	ev.trail = ev.trail[:0]
	ev.decided = map[string]int{}
}

// nextRun sets up the next combination of choices; false when every one
// has been run.
func (ev *evaluation) nextRun() bool {
	for k := len(ev.trail) - 1; k >= 0; k-- {
		if ev.trail[k].i+1 < ev.trail[k].n {
			forced := make([]int, k+1)
			for j := 0; j < k; j++ {
				forced[j] = ev.trail[j].i
			}
			forced[k] = ev.trail[k].i + 1
			ev.forced = forced
			return true
		}
	}
	return false
}

// test judges one resource: true in every run is FAIL, false in every run
// PASS, anything else UNKNOWN; an error is a resource not judged.
func (p *program) test(g *scanner.Graph, r *scanner.Resource) []scanner.Problem {
	ev := newEvaluation(g)
	root := ev.resourceObject(r, "resource", 0)
	act := map[string]any{"resource": root}
	var sawTrue, sawFalse bool
	var unknown []string
	var failure string
	runs := 0
	var spent uint64
	for {
		if runs++; runs > maxRuns {
			unknown = append(unknown, fmt.Sprintf("which resources references refer to (more than %d combinations)", maxRuns))
			break
		}
		if !p.budget.left() {
			failure = errBudget
			break
		}
		ev.startRun()
		out, det, err := p.prg.Eval(act)
		cost := p.charge(det)
		if err != nil {
			failure = err.Error()
			break
		}
		// The runs over combinations of references share one limit.
		if spent += cost; spent > CostLimit {
			failure = "cost limit exceeded over the combinations of references"
			break
		}
		switch v := out.(type) {
		case types.Bool:
			if v {
				sawTrue = true
			} else {
				sawFalse = true
			}
		case *types.Unknown:
			unknown = append(unknown, ev.unknownNames(v)...)
		default:
			failure = "fails_when gave a " + out.Type().TypeName() + ", not true or false"
		}
		if failure != "" || !ev.nextRun() {
			break
		}
	}
	path := p.pathFor(r)
	related := make([]*scanner.Resource, 0, len(ev.related))
	for _, addr := range sortedKeys(ev.related) {
		related = append(related, ev.related[addr])
	}
	switch {
	case failure != "":
		why := "fails_when of " + p.spec.File + " failed: " + p.safeError(ev, r, failure)
		return []scanner.Problem{{Path: path, Message: "not judged: " + why, Unknown: true, NotJudged: why}}
	case len(unknown) > 0 || (sawTrue && sawFalse):
		var because []string
		if len(unknown) > 0 {
			sort.Strings(unknown)
			because = append(because, "it depends on "+capNames(slices.Compact(unknown))+", not known before apply")
		}
		if sawTrue && sawFalse {
			var which []string
			for _, k := range ev.oneOfKey {
				which = append(which, "refs("+k+") is one of "+ev.oneOf[k])
			}
			because = append(because, "it depends on which resource a reference refers to ("+strings.Join(which, "; ")+")")
		}
		if ev.tooMany != "" {
			because = append(because, ev.tooMany)
		}
		if u := unknownPath(unknown); u != "" {
			path = u // the finding points at, and traces, what is not known
		}
		return []scanner.Problem{{Path: path, Unknown: true, Related: related,
			Message: "cannot tell whether it " + p.spec.Message + ": " + strings.Join(because, "; ")}}
	case sawTrue:
		if d := p.decisivePath(ev, root, act); d != "" {
			path = d
		}
		return []scanner.Problem{{Path: path, Message: p.spec.Message, Related: related}}
	}
	return nil
}

// errBudget is the failure of an evaluation the scan's budget refused.
const errBudget = "custom checks budget spent"

// charge spends an evaluation's cost from the scan's budget and returns
// it (CostLimit when CEL did not track it: the most it may have cost).
func (p *program) charge(det *cel.EvalDetails) uint64 {
	cost := uint64(CostLimit)
	if det != nil && det.ActualCost() != nil {
		cost = *det.ActualCost()
	}
	p.budget.charge(cost)
	return cost
}

func capNames(names []string) string {
	if len(names) > maxNames {
		names = append(names[:maxNames-1:maxNames-1], fmt.Sprintf("%d more", len(names)-(maxNames-1)))
	}
	return strings.Join(names, ", ")
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// safeError is an evaluation error for a diagnostic: CEL may quote a
// value in it ("cannot convert 'x' to int"), so on a resource holding a
// sensitive value (or referring to one that does) only the kind of error
// is kept.
func (p *program) safeError(ev *evaluation, r *scanner.Resource, msg string) string {
	if msg == errBudget {
		return fmt.Sprintf("the custom checks of this scan spent their total cost budget of %d (%d per resource at most); what is left is not judged", p.budget.limit, CostLimit)
	}
	if strings.Contains(msg, "cost limit exceeded") {
		return fmt.Sprintf("the evaluation stopped at the cost limit of %d (comprehensions nested too deep, or strings or lists built too large)", CostLimit)
	}
	sensitive := holdsSensitive(r.Body)
	for _, o := range ev.objs {
		sensitive = sensitive || holdsSensitive(o.res.Body)
	}
	if sensitive {
		return "the expression failed on this resource (the message is withheld: the resource holds a sensitive value)"
	}
	return scanner.RedactText(msg)
}

func holdsSensitive(b *scanner.Body) bool {
	if b == nil {
		return false
	}
	for _, a := range b.Attrs {
		if a.Sensitive {
			return true
		}
	}
	for _, blk := range b.Blocks {
		if holdsSensitive(blk.Body) {
			return true
		}
	}
	return false
}
