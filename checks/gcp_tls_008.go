package checks

import (
	"slices"
	"strings"

	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/judge"
)

var gcpTLS008 = &scanner.Check{
	ID:       "GCP-TLS-008",
	Title:    "Backend reached over plain HTTP across the internet",
	Severity: scanner.High,
	CWE:      319,
	ASVS:     []string{"9.2.2"},
	Measures: []scanner.Measure{scanner.M2},
	Types:    []string{"google_compute_backend_service", "google_compute_region_backend_service"},
	Why: "A backend service whose backends are internet network endpoint groups " +
		"(INTERNET_FQDN_PORT or INTERNET_IP_PORT) forwards each request out of Google's " +
		"network to an external origin. With protocol HTTP (the default) or TCP that hop " +
		"is unencrypted: the user's request and the data returned cross the public " +
		"internet in the clear even though the client spoke HTTPS to the load balancer.",
	Remediation: "Set protocol = \"HTTPS\" (or HTTP2, or SSL for proxy load balancers) on " +
		"backend services that reach internet NEGs, and serve TLS on the external origin.",
	Fix: `resource "google_compute_global_network_endpoint_group" "origin" {
  name                  = "external-origin"
  network_endpoint_type = "INTERNET_FQDN_PORT"
  default_port          = 443
}

resource "google_compute_backend_service" "origin" {
  name     = "external-origin"
  protocol = "HTTPS"
  backend {
    group = google_compute_global_network_endpoint_group.origin.id
  }
}`,
	Test: testBackendProtocol,
}

var negTypes = []string{
	"google_compute_global_network_endpoint_group",
	"google_compute_network_endpoint_group",
	"google_compute_region_network_endpoint_group",
}

// testBackendProtocol follows every backend.N.group to the network endpoint
// groups it may be. One problem per service, at protocol, names every
// internet NEG. The condition is "the protocol is plain text and some
// backend is an internet NEG", judged with Kleene logic: a group that is
// one of several candidates (a condition or an index not known before
// apply) is an internet NEG only when every candidate is (judge.OneOf).
// network_endpoint_type and protocol come from the defaults table when
// omitted.
func testBackendProtocol(g *scanner.Graph, r *scanner.Resource) []scanner.Problem {
	proto := r.Slot("protocol")
	plain := proto.StrIn("HTTP", "TCP")
	if plain == judge.Fail {
		return nil
	}
	internet, anyInternet, unknown, maybe, absent := internetBackends(g, r)
	switch plain.And(anyInternet) {
	case judge.Pass:
		p := scanner.Fail("protocol", "uses protocol %s to reach internet network endpoint group %s: traffic leaves Google's network unencrypted",
			proto.Show(), addressList(internet))
		p.Related = internet
		return []scanner.Problem{p}
	case judge.Fail:
		return nil
	}
	if anyInternet == judge.Pass {
		return []scanner.Problem{scanner.Unknown("protocol", "the backend protocol is not known before apply and a backend is an internet network endpoint group")}
	}
	if len(maybe) > 0 && absent {
		p := scanner.Unknown(unknown, "%s is internet network endpoint group %s, in a backend block of a dynamic whose for_each is not known before apply: there may be no such backend",
			unknown, addressList(maybe))
		p.Related = maybe
		return []scanner.Problem{p}
	}
	if len(maybe) > 0 {
		p := scanner.Unknown(unknown, "%s may be internet network endpoint group %s or another group, depending on values not known before apply",
			unknown, addressList(maybe))
		p.Related = maybe
		return []scanner.Problem{p}
	}
	return []scanner.Problem{scanner.Unknown(unknown, "a backend is not known before apply, so whether it is an internet network endpoint group cannot be told")}
}

func addressList(rs []*scanner.Resource) string {
	names := make([]string, len(rs))
	for i, n := range rs {
		names[i] = n.Address
	}
	return strings.Join(names, ", ")
}

// internetBackends judges whether some backend group is an internet NEG:
// internet lists the NEGs of the backends that surely are one, unknown is
// the path of the first backend that may or may not be, and maybe the
// internet NEGs among its candidates; absent is true when that backend is
// an internet NEG but may not exist (a dynamic block's copy).
func internetBackends(g *scanner.Graph, r *scanner.Resource) (internet []*scanner.Resource, any judge.Verdict, unknown string, maybe []*scanner.Resource, absent bool) {
	groups := r.Lookup("backend.*.group")
	any = judge.Fail
	for _, s := range groups.Slots {
		v, negs := groupIsInternet(g, s)
		mayBeAbsent := false
		switch {
		case s.Whole:
			v = judge.Unknown // the backends are a value not known before apply
		case v == judge.Pass && maybeAbsent(s):
			// A backend block of a dynamic whose for_each is not known:
			// there may be no such backend.
			v, mayBeAbsent = judge.Unknown, true
		}
		switch v {
		case judge.Pass:
			internet = append(internet, negs...)
		case judge.Unknown:
			if unknown == "" {
				unknown, absent = s.Path, mayBeAbsent
				if !s.Whole {
					maybe = negs
				}
			}
		}
		any = any.Or(v)
	}
	return internet, any, unknown, maybe, absent
}

// groupIsInternet judges whether a backend group is an internet NEG. The
// group is one of the resources its value refers to: a NEG is internet by
// its network_endpoint_type, anything else (an instance group) is not.
func groupIsInternet(g *scanner.Graph, s scanner.Slot) (judge.Verdict, []*scanner.Resource) {
	a := s.Attr
	if a.Null() {
		return judge.Fail, nil
	}
	cands := g.Candidates(a)
	if len(cands.Resources) == 0 || len(g.FollowAttr(a, negTypes...)) == 0 {
		if groupUnresolved(g, a) {
			return judge.Unknown, nil
		}
		return judge.Fail, nil
	}
	var negs []*scanner.Resource
	// An open set (the group may also be one no reference names) is
	// judged with that unknown outcome among the candidates'.
	v := cands.OneOf(func(c *scanner.Resource) judge.Verdict {
		if !slices.Contains(negTypes, c.Type) {
			return judge.Fail
		}
		iv := c.Slot("network_endpoint_type").StrIs(func(t string) bool { return strings.HasPrefix(strings.ToUpper(t), "INTERNET_") })
		if iv == judge.Pass {
			negs = append(negs, c)
		}
		return iv
	})
	return v, negs
}

// groupUnresolved reports whether a backend group reference cannot be judged:
// unknown with no edge into the graph, an edge to a resource that is not in
// it, or a literal self link to a network endpoint group defined elsewhere.
func groupUnresolved(g *scanner.Graph, a *scanner.Attr) bool {
	for _, ref := range a.Refs {
		if g.Lookup(ref) == nil {
			return true
		}
	}
	if len(a.Refs) > 0 {
		return false
	}
	if !a.Known() {
		return true
	}
	s, _ := a.Str()
	return strings.Contains(s, "/networkEndpointGroups/")
}
