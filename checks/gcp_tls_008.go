package checks

import (
	"strings"

	"github.com/casascan/casascan/scanner"
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

// negDefaultType is the network_endpoint_type each NEG resource gets when it
// is omitted. Global NEGs only hold internet endpoints.
var negDefaultType = map[string]string{
	"google_compute_global_network_endpoint_group": "INTERNET_IP_PORT",
	"google_compute_network_endpoint_group":        "GCE_VM_IP_PORT",
	"google_compute_region_network_endpoint_group": "SERVERLESS",
}

// testBackendProtocol follows every backend.N.group to its network endpoint
// group. One problem per service, at protocol, names every internet NEG.
func testBackendProtocol(g *scanner.Graph, r *scanner.Resource) []scanner.Problem {
	proto, protoKnown := strOrDefault(r.Get("protocol"), "HTTP")
	if protoKnown && !strings.EqualFold(proto, "HTTP") && !strings.EqualFold(proto, "TCP") {
		return nil
	}
	internet, unknown := internetBackends(g, r)
	switch {
	case len(internet) > 0 && protoKnown:
		names := make([]string, len(internet))
		for i, n := range internet {
			names[i] = n.Address
		}
		p := scanner.Fail("protocol", "uses protocol %s to reach internet network endpoint group %s: traffic leaves Google's network unencrypted",
			shown(r.Get("protocol"), "HTTP"), strings.Join(names, ", "))
		p.Related = internet
		return []scanner.Problem{p}
	case len(internet) > 0:
		return []scanner.Problem{scanner.Unknown("protocol", "the backend protocol is not known before apply and a backend is an internet network endpoint group")}
	case unknown != "":
		return []scanner.Problem{scanner.Unknown(unknown, "a backend is not known before apply, so whether it is an internet network endpoint group cannot be told")}
	}
	return nil
}

// internetBackends returns the internet NEGs among the backends, and the path
// of the first backend group that cannot be resolved or judged.
func internetBackends(g *scanner.Graph, r *scanner.Resource) (internet []*scanner.Resource, unknown string) {
	backends, unknown := blocksAt(r.Body, "backend.*")
	for _, b := range backends {
		a, path := b.Attr("group")
		if a == nil {
			continue
		}
		negs := g.FollowAttr(a, negTypes...)
		if len(negs) == 0 && groupUnresolved(g, a) && unknown == "" {
			unknown = path
		}
		for _, n := range negs {
			typ, known := strOrDefault(n.Get("network_endpoint_type"), negDefaultType[n.Type])
			switch {
			case !known && unknown == "":
				unknown = path
			case strings.HasPrefix(strings.ToUpper(typ), "INTERNET_"):
				internet = append(internet, n)
			}
		}
	}
	return internet, unknown
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
