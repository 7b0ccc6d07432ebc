package terraform

import (
	"fmt"
	"sync/atomic"

	"github.com/zclconf/go-cty/cty"
)

// Limits bound what evaluating one scanned tree may cost. Terraform bounds
// nothing, and a few kilobytes of configuration can ask for more instances,
// bytes or iterations than any machine has; the budget turns such a bomb
// into one unknown value and a diagnostic naming the expression, and the
// scan goes on with the rest.
//
// The defaults are far above what real trees use (the benchmark tree of
// 8,240 resources uses about 0.1% of each; see TestBudgetBenchTree) and low
// enough that a tree spending a whole budget is scanned in seconds, in a
// few hundred megabytes. A zero field takes its default.
type Limits struct {
	// Instances bounds the resource instances, module instances and
	// dynamic blocks of the whole tree.
	Instances int64
	// StringBytes bounds the bytes of the strings templates and functions
	// build, in all. One expression may build at most 1/exprShare of it.
	StringBytes int64
	// Steps bounds function calls, for-expression iterations and the
	// elements functions produce, in all. One expression may take at most
	// 1/exprShare of it.
	Steps int64
}

// The default limits; Options.Limits raises or lowers them.
const (
	DefaultMaxInstances   = 100_000
	DefaultMaxStringBytes = 256 << 20
	DefaultMaxSteps       = 2_000_000
)

// exprShare is how many bomb-sized expressions the budget of a scan holds:
// a single expression may spend 1/exprShare of the steps or the string
// bytes, so one bomb costs its own value, not every other expression's.
const exprShare = 16

// withDefaults fills the zero fields.
func (l Limits) withDefaults() Limits {
	if l.Instances <= 0 {
		l.Instances = DefaultMaxInstances
	}
	if l.StringBytes <= 0 {
		l.StringBytes = DefaultMaxStringBytes
	}
	if l.Steps <= 0 {
		l.Steps = DefaultMaxSteps
	}
	return l
}

// budget is what the whole scan has spent; the goroutines evaluating module
// instances in parallel share it.
type budget struct {
	limits                           Limits
	instances, modules, bytes, steps atomic.Int64
}

func newBudget(l Limits) *budget { return &budget{limits: l.withDefaults()} }

// Which limit an expression hit, for its diagnostic.
const (
	hitSteps  = "evaluation steps"
	hitBytes  = "string bytes"
	hitNumber = "number size"
	hitTypes  = "distinct element types"
)

// meter is one goroutine's view of the budget: it charges the shared
// totals and what the expression being evaluated has spent, and remembers
// which limit that expression hit.
type meter struct {
	b *budget
	// exprSteps and exprBytes are what the current top-level expression
	// has spent.
	exprSteps, exprBytes int64
	// hit is the limit the current expression exceeded, "" if none.
	hit string
}

func newMeter(b *budget) *meter { return &meter{b: b} }

// begin starts metering one top-level expression and returns what to give
// end once it is evaluated.
func (m *meter) begin() meterState {
	st := meterState{m.exprSteps, m.exprBytes, m.hit}
	m.exprSteps, m.exprBytes, m.hit = 0, 0, ""
	return st
}

// end returns the limit the expression hit ("" if none) and restores the
// enclosing expression's accounts.
func (m *meter) end(st meterState) string {
	hit := m.hit
	m.exprSteps, m.exprBytes, m.hit = st.steps, st.bytes, st.hit
	return hit
}

type meterState struct {
	steps, bytes int64
	hit          string
}

// charge takes n from one account, all or nothing: a refused charge is not
// spent, so a single huge request leaves the rest of the budget intact.
func (m *meter) charge(n int64, expr *int64, total *atomic.Int64, limit int64, what string) bool {
	if m.hit != "" {
		return false // the expression is already unknown: stop its work early
	}
	if n <= 0 {
		return true
	}
	if n > limit/exprShare-*expr || n > limit {
		m.hit = what
		return false
	}
	if total.Add(n) > limit {
		total.Add(-n)
		m.hit = what
		return false
	}
	*expr += n
	return true
}

// steps charges n evaluation steps.
func (m *meter) steps(n int64) bool {
	return m.charge(n, &m.exprSteps, &m.b.steps, m.b.limits.Steps, hitSteps)
}

// bytes charges n bytes of built strings.
func (m *meter) bytes(n int64) bool {
	return m.charge(n, &m.exprBytes, &m.b.bytes, m.b.limits.StringBytes, hitBytes)
}

// fail records that the current expression hit a limit other than the
// accounts (a number too large to format, say).
func (m *meter) fail(what string) {
	if m.hit == "" {
		m.hit = what
	}
}

// instances charges n instances of the tree, all or nothing: an expansion
// that does not fit is refused whole. Module instances may take at most
// 1/moduleShare of the limit: they are what multiplies, and expanded
// before any resource, they would otherwise leave no instance for the
// resources of the rest of the tree.
func (m *meter) instances(n int64, module bool) bool {
	if n <= 0 {
		return true
	}
	if module {
		if m.b.modules.Add(n) > m.b.limits.Instances/moduleShare {
			m.b.modules.Add(-n)
			return false
		}
	}
	if m.b.instances.Add(n) > m.b.limits.Instances {
		m.b.instances.Add(-n)
		if module {
			m.b.modules.Add(-n)
		}
		return false
	}
	return true
}

// moduleShare: module instances may take 1/moduleShare of the instances.
const moduleShare = 4

// instanceDetail says which instance limit is reached, for a diagnostic.
func (b *budget) instanceDetail(module bool) string {
	if module {
		return fmt.Sprintf("the scan's limit of %d module instances (a quarter of its %d instances) is reached", b.limits.Instances/moduleShare, b.limits.Instances)
	}
	return fmt.Sprintf("the scan's limit of %d instances (resources, modules, dynamic blocks) is reached", b.limits.Instances)
}

// limitDetail explains, for a diagnostic, which limit an expression hit.
func (b *budget) limitDetail(hit string) string {
	switch hit {
	case hitSteps:
		return fmt.Sprintf("evaluating it takes more than its share of the scan's %d evaluation steps (function calls, for-expression iterations, elements produced)", b.limits.Steps)
	case hitBytes:
		return fmt.Sprintf("it builds more than its share of the scan's %d bytes of strings", b.limits.StringBytes)
	case hitNumber:
		return fmt.Sprintf("it formats a number with more than %d digits", maxNumberDigits)
	case hitTypes:
		return fmt.Sprintf("it converts a collection whose elements have more than %d distinct types", maxDistinctTypes)
	}
	return "it exceeds an evaluation limit"
}

// maxNumberDigits bounds the digits of a number turned into a string:
// tostring(1e99999999) would print a hundred million of them.
const maxNumberDigits = 4096

// hugeNumber reports whether v is a known number too large (or too
// precise) to be formatted in maxNumberDigits digits.
func hugeNumber(v cty.Value) bool {
	if v.Type() != cty.Number || !v.IsKnown() || v.IsNull() {
		return false
	}
	f := v.AsBigFloat()
	if f.IsInf() || f.Sign() == 0 {
		return false
	}
	// 2^exp has about exp*0.302 decimal digits; the mantissa adds at most
	// its precision's worth again.
	exp := int64(f.MantExp(nil))
	if exp < 0 {
		exp = -exp
	}
	return (exp+int64(f.Prec()))*30103/100000 > maxNumberDigits
}
