package checks

import (
	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/judge"
)

// enc lists the GCP-ENC-* checks (M1).
var enc = []*scanner.Check{
	&gcpENC001, &gcpENC002, &gcpENC003, &gcpENC004, &gcpENC005, &gcpENC006,
	&gcpENC007, &gcpENC008, &gcpENC009, &gcpENC010, &gcpENC011, &gcpENC012,
	&gcpENC013, &gcpENC014, &gcpENC015, &gcpENC016, &gcpENC017, &gcpENC020,
}

// requireCMEK is the Test of a GCP-ENC check whose whole logic is "a key is
// set at every place cmekPaths names for the check": it fails each place
// (each repeated block on its own) where no key is set. An unknown key counts
// as set.
func requireCMEK(id string) func(*scanner.Graph, *scanner.Resource) []scanner.Problem {
	return func(_ *scanner.Graph, r *scanner.Resource) []scanner.Problem {
		return missingKeys(r, id, nil)
	}
}

// missingKeys fails every cmekPaths place of check id on r that has no key.
// applies, when given, decides whether a place concerns this resource at all
// and may instead return a problem of its own (an unknown that blocks the
// decision).
func missingKeys(r *scanner.Resource, id string, applies func(r *scanner.Resource, path string) (bool, *scanner.Problem)) []scanner.Problem {
	var out []scanner.Problem
	for _, s := range cmekSlotsOf(r, id) {
		switch s.Key() {
		case judge.Pass:
			continue
		case judge.Unknown:
			out = append(out, scanner.Unknown(s.Path, "%s", keyUnknownReason(s)))
			continue
		}
		if applies != nil {
			ok, p := applies(r, s.Path)
			if p != nil {
				out = append(out, *p)
			}
			if !ok {
				continue
			}
		}
		out = append(out, scanner.Fail(s.Path,
			"no customer-managed encryption key: %s is not set, so the data is encrypted at rest only with a Google-managed key", s.Path))
	}
	return out
}

// keySet reports whether a key attribute names a key: set (unknown counts)
// and, for a list of keys, not empty.
func keySet(a *scanner.Attr) bool {
	if !a.Set() {
		return false
	}
	v := a.Value
	if v.IsKnown() && (v.Type().IsListType() || v.Type().IsSetType() || v.Type().IsTupleType()) {
		return v.LengthInt() > 0
	}
	return true
}

// keyUnknownReason says why a key slot judged Unknown could not be decided.
func keyUnknownReason(s cmekSlot) string {
	if s.Slot.NotCarried != "" {
		return "whether " + s.Path + " is set is not known: " + s.Slot.NotCarried
	}
	if why := s.Slot.MaybeNull(); why != "" {
		return "whether " + s.Path + " is set is not known: " + why
	}
	if s.Slot.MaybeMissing {
		return "the block holding " + s.Path + " comes from a dynamic block whose for_each is not known before apply, so it may not exist"
	}
	return s.Path + " is set from the elements of a dynamic block's for_each, which are not known before apply"
}
