package scanner

import (
	"strconv"
	"strings"

	"github.com/casascan/casascan/scanner/judge"
)

// maxCandidateNames bounds the names CandidateNames lists: a value that may
// be one of many resources names a few and counts the rest.
const maxCandidateNames = 4

// candidateGroup is the candidates of one resource block: the block's
// address without an instance key, the candidates' addresses in the order
// given, and whether they are every instance of the block in the graph.
type candidateGroup struct {
	block string
	addrs []string
	all   bool
}

// names are the group named compactly: TYPE.NAME[*] when the candidates are
// every instance (several) of the block, else their addresses.
func (c candidateGroup) names() []string {
	if c.all && len(c.addrs) > 1 {
		return []string{c.block + "[*]"}
	}
	return c.addrs
}

// candidateGroups groups addresses by resource block (module path, mode,
// type and name), in the order the blocks first appear. An address that
// does not parse is a group of its own.
func (g *Graph) candidateGroups(addrs []string) []candidateGroup {
	var out []candidateGroup
	at := map[string]int{}
	seen := map[string]bool{}
	for _, addr := range addrs {
		if seen[addr] {
			continue
		}
		seen[addr] = true
		block := addr
		if a, err := ParseAddress(addr); err == nil {
			a.Key = nil
			block = a.String()
		}
		i, ok := at[block]
		if !ok {
			i = len(out)
			at[block] = i
			out = append(out, candidateGroup{block: block})
		}
		out[i].addrs = append(out[i].addrs, addr)
	}
	for i := range out {
		out[i].all = g != nil && len(out[i].addrs) > 1 && len(out[i].addrs) == g.instancesOf(out[i].block, out[i].addrs[0])
	}
	return out
}

// instancesOf counts the instances of the resource block named block that
// the graph holds (addr is one of them, to find their type).
func (g *Graph) instancesOf(block, addr string) int {
	a, err := ParseAddress(addr)
	if err != nil {
		return 0
	}
	n := 0
	for _, r := range g.OfType(a.Type) {
		ra, err := ParseAddress(r.Address)
		if err != nil {
			continue
		}
		ra.Key = nil
		if ra.String() == block {
			n++
		}
	}
	return n
}

// CandidateNames names the resources a value may be one of, compactly:
// the candidates that are every instance of one resource block read
// TYPE.NAME[*] (google_kms_crypto_key.k[*]), the others are listed, and
// past a few the rest are counted ("2 more"). Checks and provenance both
// name candidates by it, so a message and the provenance beside it agree.
func (g *Graph) CandidateNames(addrs []string) string {
	var names []string
	for _, c := range g.candidateGroups(addrs) {
		names = append(names, c.names()...)
	}
	return joinCapped(names)
}

func joinCapped(names []string) string {
	if len(names) > maxCandidateNames {
		more := len(names) - (maxCandidateNames - 1)
		names = append(names[:maxCandidateNames-1:maxCandidateNames-1], strconv.Itoa(more)+" more")
	}
	return strings.Join(names, ", ")
}

// groupCandidates replaces the origins of several instances of one
// resource block (the value is one of them) by one OriginOneOf origin
// naming them compactly, placed at the block.
func (g *Graph) groupCandidates(os []Origin) []Origin {
	var refs []string
	for _, o := range os {
		if o.Kind == OriginComputed || o.Kind == OriginDataSource {
			refs = append(refs, o.Name)
		}
	}
	grouped := map[string]bool{}
	var out []Origin
	for _, c := range g.candidateGroups(refs) {
		if len(c.addrs) < 2 {
			continue
		}
		o := Origin{Kind: OriginOneOf, Name: joinCapped(c.names())}
		if t := g.Lookup(c.addrs[0]); t != nil && t.DefRange.Start.Line > 0 {
			o.File, o.Line = t.DefRange.Filename, t.DefRange.Start.Line
		}
		out = append(out, o)
		for _, a := range c.addrs {
			grouped[a] = true
		}
	}
	if len(out) == 0 {
		return os
	}
	for _, o := range os {
		if (o.Kind == OriginComputed || o.Kind == OriginDataSource) && grouped[o.Name] {
			continue
		}
		out = append(out, o)
	}
	return out
}

// Candidates are the resources a value may be (a key reference that is one
// of several keys), and whether it may also be something else.
type Candidates struct {
	// Resources are the candidates the graph holds, in the order of the
	// value's references.
	Resources []*Resource
	// Open is true when the value may be other than the candidates: one of
	// its possible values refers to no resource (an unset variable beside
	// a reference in coalesce). "Every candidate is wrong" does not make
	// the value wrong then.
	Open bool
}

// Candidates returns the resources a value may be, of the given types
// when types are given (see FollowAttr), and whether the set is open
// (Attr.RefsOpen).
func (g *Graph) Candidates(a *Attr, types ...string) Candidates {
	if a == nil {
		return Candidates{}
	}
	return Candidates{Resources: g.FollowAttr(a, types...), Open: a.RefsOpen}
}

// Exact reports whether the value is exactly one resource (the set is
// closed and holds one candidate), so a message may say "is key k" rather
// than "is one of".
func (c Candidates) Exact() bool { return !c.Open && len(c.Resources) == 1 }

// OneOf judges f over the candidates as judge.OneOf does (Pass when f
// holds for every candidate, Fail when it fails for every one, Unknown
// otherwise or for none), with an open set adding one more outcome whose
// verdict is not known: neither Pass nor Fail holds in every outcome then.
func (c Candidates) OneOf(f func(*Resource) judge.Verdict) judge.Verdict {
	v := judge.OneOf(c.Resources, f)
	if c.Open {
		return judge.Unknown
	}
	return v
}
