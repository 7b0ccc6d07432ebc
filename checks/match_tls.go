package checks

import (
	"math/big"
	"strings"

	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/judge"
)

// This file holds the small readers the SEC, TLS, ACC, DEL and LOG checks
// share beyond scanner's Slot and judge: whole numbers, string lists, URLs
// and IAM grants. Provider defaults come from scanner's table through
// Resource.Lookup, never from literals here.

// intOrDefault returns an attribute's whole-number value, or def when it is
// absent or null. known is false when the value is unknown or not a number.
func intOrDefault(a *scanner.Attr, def int64) (n int64, known bool) {
	if a.Null() {
		return def, true
	}
	if !a.Known() {
		return 0, false
	}
	// A whole number is itself; its text would say the same, at the cost
	// of formatting and parsing it.
	if i, ok := scanner.ValueWholeNumber(a.Value); ok {
		return i, true
	}
	return intFromText(a)
}

// intFromText reads a known, non-null value as a whole number through
// its text (a number, or a string holding one), truncated.
func intFromText(a *scanner.Attr) (int64, bool) {
	s, ok := a.Str()
	if !ok {
		return 0, false
	}
	f, _, err := big.ParseFloat(strings.TrimSpace(s), 10, 64, big.ToNearestEven)
	if err != nil {
		return 0, false
	}
	i, _ := f.Int64()
	return i, true
}

// stringList returns the known string elements of a list or set attribute,
// and whether every element was known.
func stringList(a *scanner.Attr) (items []string, known bool) {
	if a.Null() {
		return nil, true
	}
	if !a.Value.IsKnown() || !a.Value.CanIterateElements() {
		return nil, false
	}
	known = true
	for it := a.Value.ElementIterator(); it.Next(); {
		_, v := it.Element()
		s, ok := scanner.ValueString(v)
		if !v.IsKnown() || !ok {
			known = known && v.IsKnown() && v.IsNull()
			continue
		}
		items = append(items, s)
	}
	return items, known
}

// joinPath joins a path prefix ("" for the resource itself) and a path.
func joinPath(prefix, path string) string {
	if prefix == "" {
		return path
	}
	return prefix + "." + path
}

// isHTTPURL reports whether a known URL uses plain http://.
func isHTTPURL(s string) bool {
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(s)), "http://")
}

// iamTypes returns the member, binding and policy resource types of each IAM
// parent prefix ("google_pubsub_topic" → google_pubsub_topic_iam_member, ...).
func iamTypes(parents ...string) []string {
	var out []string
	for _, p := range parents {
		out = append(out, p+"_iam_binding", p+"_iam_member", p+"_iam_policy")
	}
	return out
}

// publicGrant judges an IAM member, binding or policy resource with
// publicMembers: public in every outcome is a failure at the attribute the
// members are in; public in some outcome is unknown. what names the
// protected thing for the message. A policy built from a
// data.google_iam_policy names that data source as related.
func publicGrant(g *scanner.Graph, r *scanner.Resource, what string) []scanner.Problem {
	v, members, path := publicMembers(g, r)
	role := "a role"
	if s := r.Slot("role"); s.Attr != nil && s.Known() {
		role = s.Show()
	}
	related := g.FollowAttr(r.Slot("policy_data").Attr, "google_iam_policy")
	switch v {
	case judge.Fail:
		p := scanner.Fail(path, "grants %s on the %s to %s, so anyone can reach it", role, what, strings.Join(members, " and "))
		p.Related = related
		return []scanner.Problem{p}
	case judge.Unknown:
		p := scanner.Unknown(path, "the members granted access to the %s are not all known before apply", what)
		if why := policyDocError(r.Slot("policy_data")); why != "" && path == "policy_data" {
			p = scanner.Unknown(path, "%s: a public grant on the %s cannot be ruled out", why, what)
		}
		p.Related = related
		return []scanner.Problem{p}
	}
	return nil
}
