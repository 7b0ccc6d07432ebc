// Package judge is three-valued (Kleene) logic for checks: a condition
// over values that may not be known before apply is Pass, Fail or Unknown,
// and the combinations are decided here once, so that no check turns an
// unknown into a failure, or hides a failure behind one.
//
// A check states what must hold of a resource ("every cluster has a key",
// "the key is one of HSM, EXTERNAL") and combines the verdicts of its parts
// with And, Or, Not, All, Any and OneOf. The result is Fail only when the
// condition fails in every possible outcome, Pass only when it holds in
// every one, and Unknown otherwise.
package judge

// Verdict is the truth of a condition: Fail (false), Unknown, Pass (true),
// ordered so that And is the minimum and Or the maximum.
type Verdict int8

// The three verdicts.
const (
	Fail    Verdict = -1
	Unknown Verdict = 0
	Pass    Verdict = 1
)

func (v Verdict) String() string {
	switch v {
	case Fail:
		return "FAIL"
	case Pass:
		return "PASS"
	}
	return "UNKNOWN"
}

// Bool is the verdict of a known condition.
func Bool(ok bool) Verdict {
	if ok {
		return Pass
	}
	return Fail
}

// Of is the verdict of a condition that is known only when known is true.
func Of(ok, known bool) Verdict {
	if !known {
		return Unknown
	}
	return Bool(ok)
}

// And holds when both hold: Fail if either fails, else Unknown if either is.
func (v Verdict) And(w Verdict) Verdict { return min(v, w) }

// Or holds when either holds: Pass if either passes, else Unknown if either is.
func (v Verdict) Or(w Verdict) Verdict { return max(v, w) }

// Not swaps Pass and Fail; Unknown stays Unknown.
func (v Verdict) Not() Verdict { return -v }

// And is the conjunction of vs (Pass for none).
func And(vs ...Verdict) Verdict {
	out := Pass
	for _, v := range vs {
		out = min(out, v)
	}
	return out
}

// Or is the disjunction of vs (Fail for none).
func Or(vs ...Verdict) Verdict {
	out := Fail
	for _, v := range vs {
		out = max(out, v)
	}
	return out
}

// All holds when f holds for every element of xs (Pass for none): each
// slot a path reaches, each block of a resource.
func All[T any](xs []T, f func(T) Verdict) Verdict {
	out := Pass
	for _, x := range xs {
		if out = min(out, f(x)); out == Fail {
			return Fail
		}
	}
	return out
}

// Any holds when f holds for some element of xs (Fail for none).
func Any[T any](xs []T, f func(T) Verdict) Verdict {
	out := Fail
	for _, x := range xs {
		if out = max(out, f(x)); out == Pass {
			return Pass
		}
	}
	return out
}

// OneOf judges a value that is one of several candidates, not known which
// (a reference that may be any of google_kms_crypto_key.k[*]): Pass when f
// holds for every candidate, Fail when it fails for every one, Unknown
// otherwise, and Unknown for no candidate at all.
func OneOf[T any](xs []T, f func(T) Verdict) Verdict {
	if len(xs) == 0 {
		return Unknown
	}
	lo, hi := Pass, Fail
	for _, x := range xs {
		v := f(x)
		lo, hi = min(lo, v), max(hi, v)
	}
	if lo == hi {
		return lo
	}
	return Unknown
}
