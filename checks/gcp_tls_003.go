package checks

import (
	"strings"

	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/judge"
)

var gcpTLS003 = &scanner.Check{
	ID:       "GCP-TLS-003",
	Title:    "Plain-HTTP load balancer serves content",
	Severity: scanner.High,
	CWE:      319,
	ASVS:     []string{"9.1.1"},
	CASA:     []string{"7.1.1"},
	Measures: []scanner.Measure{scanner.M2},
	Types:    []string{"google_compute_target_http_proxy", "google_compute_region_target_http_proxy"},
	Why: "A target HTTP proxy terminates plain HTTP. When its URL map sends requests to " +
		"a backend instead of redirecting them to HTTPS, pages, API responses, session " +
		"cookies and OAuth codes for users' Workspace data travel unencrypted and can be " +
		"read or rewritten by anyone on the path. The only safe job for a port-80 " +
		"frontend is an HTTPS redirect.",
	Remediation: "Point the HTTP proxy at a URL map that only redirects: " +
		"default_url_redirect { https_redirect = true } with no default_service, and no " +
		"host rules or path matchers that route to backends. Serve content from an HTTPS proxy.",
	Fix: `resource "google_compute_url_map" "https_redirect" {
  name = "https-redirect"
  default_url_redirect {
    https_redirect         = true
    redirect_response_code = "MOVED_PERMANENTLY_DEFAULT"
    strip_query            = false
  }
}

resource "google_compute_target_http_proxy" "redirect" {
  name    = "http-redirect"
  url_map = google_compute_url_map.https_redirect.id
}`,
	Test: testHTTPProxy,
}

var urlMapTypes = []string{"google_compute_url_map", "google_compute_region_url_map"}

// testHTTPProxy follows url_map to the URL maps it may be. A map that is
// not in the graph (a literal self link, a data source, an unknown value)
// cannot be judged and gives an unknown result. A url_map that is one of
// several maps (a condition not known before apply) fails only when every
// one of them serves plain HTTP (Candidates.OneOf), and never when it may
// also be a map that is no candidate (an open set).
func testHTTPProxy(g *scanner.Graph, r *scanner.Resource) []scanner.Problem {
	cands := g.Candidates(r.Get("url_map"), urlMapTypes...)
	maps := cands.Resources
	if len(maps) == 0 {
		return []scanner.Problem{scanner.Unknown("url_map", "the URL map is not in the configuration, so whether it only redirects to HTTPS cannot be told")}
	}
	reasons, unknowns := map[*scanner.Resource]string{}, map[*scanner.Resource]string{}
	v := cands.OneOf(func(m *scanner.Resource) judge.Verdict {
		reason, unknown := urlMapServes(m)
		switch {
		case reason != "":
			reasons[m] = reason
			return judge.Fail
		case unknown != "":
			unknowns[m] = unknown
			return judge.Unknown
		}
		return judge.Pass
	})
	var p scanner.Problem
	switch {
	case v == judge.Pass:
		return nil
	case v == judge.Fail:
		var parts []string
		for _, m := range maps {
			parts = append(parts, m.Address+" "+reasons[m])
		}
		p = scanner.Fail("url_map", "serves plain HTTP: its URL map %s", strings.Join(parts, "; or "))
	case cands.Open:
		p = scanner.Unknown("url_map", "the URL map may be %s or a map named by a value not known before apply", addresses(maps))
	case len(maps) == 1:
		p = scanner.Unknown("url_map", "whether URL map %s only redirects to HTTPS depends on %s, which is not known before apply", maps[0].Address, unknowns[maps[0]])
	default:
		p = scanner.Unknown("url_map", "the URL map is one of %s, depending on values not known before apply, and they do not all only redirect to HTTPS", addresses(maps))
	}
	p.Related = maps
	return []scanner.Problem{p}
}

// urlMapServes returns why a URL map does something other than redirect to
// HTTPS (reason), or the path of an unknown value that blocks the verdict.
// The map's default and every path matcher, path rule and route rule must
// be an HTTPS redirect; a service or route action anywhere serves content.
func urlMapServes(m *scanner.Resource) (reason, unknown string) {
	levels := []scanner.BlockSlot{{Body: m.Body}}
	matchers := m.Body.Reach("path_matcher.*")
	unknown = matchers.WholePath
	for _, pm := range matchers.Blocks {
		if pm.Body == nil {
			continue
		}
		levels = append(levels, pm)
		for _, name := range []string{"path_rule.*", "route_rules.*"} {
			rules := pm.Body.Reach(name)
			unknown = firstOf(unknown, joinPathIf(pm.Path, rules.WholePath))
			for _, rule := range rules.Blocks {
				if rule.Body == nil {
					continue
				}
				rule.Path = joinPath(pm.Path, rule.Path)
				levels = append(levels, rule)
			}
		}
	}
	for _, lv := range levels {
		r, u := levelServes(m, lv)
		if r != "" {
			return r, ""
		}
		unknown = firstOf(unknown, u)
	}
	return "", unknown
}

// levelServes judges one routing level: the map itself or a path matcher
// (default_service, default_route_action, default_url_redirect), or a path
// or route rule (service, route_action, url_redirect). A service or route
// action serves content; a redirect must set https_redirect = true (the
// provider default is false).
//
// A level that may not exist (the copies of a dynamic block whose for_each
// is not known, of which there may be none) serves nothing for sure: what
// it would serve makes the verdict unknown, at the level.
func levelServes(m *scanner.Resource, pb scanner.BlockSlot) (reason, unknown string) {
	reason, unknown = levelServesIfThere(m, pb)
	if reason != "" && (pb.Unexpanded || pb.MaybeMissing) {
		return "", "whether " + pb.Path + " exists"
	}
	return reason, unknown
}

func levelServesIfThere(m *scanner.Resource, pb scanner.BlockSlot) (reason, unknown string) {
	service, action, redirect := "default_service", "default_route_action", "default_url_redirect"
	if strings.Contains(pb.Path, "path_rule") || strings.Contains(pb.Path, "route_rules") {
		service, action, redirect = "service", "route_action", "url_redirect"
	}
	p := joinPath(pb.Path, service)
	switch m.Slot(p).Required((*scanner.Attr).Set) {
	case judge.Pass:
		return "sends requests to a backend service (" + p + ")", ""
	case judge.Unknown:
		// From an element of a for_each not known before apply, which
		// may not set it.
		return "", p
	}
	actions := pb.Body.Reach(action)
	for _, b := range actions.Blocks {
		if b.Body == nil {
			continue
		}
		if b.Unexpanded || b.MaybeMissing {
			unknown = firstOf(unknown, "whether "+joinPath(pb.Path, action)+" exists") // a dynamic route action: there may be none
			continue
		}
		return "routes requests to backends (" + joinPath(pb.Path, action) + ")", ""
	}
	if unknown != "" {
		return "", unknown
	}
	reds := pb.Body.Reach(redirect)
	if u := firstOf(actions.WholePath, reds.WholePath); u != "" {
		return "", joinPath(pb.Path, u)
	}
	if !hasBody(reds.Blocks) {
		return "", ""
	}
	path := joinPath(pb.Path, redirect+".https_redirect")
	switch m.Slot(path).BoolIs(true) {
	case judge.Unknown:
		return "", path
	case judge.Fail:
		return "redirects without https_redirect = true (" + path + ")", ""
	}
	return "", ""
}

// hasBody reports whether some block slot is a block that is there.
func hasBody(bs []scanner.BlockSlot) bool {
	for _, b := range bs {
		if b.Body != nil {
			return true
		}
	}
	return false
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// joinPathIf joins prefix and path when path is not empty.
func joinPathIf(prefix, path string) string {
	if path == "" {
		return ""
	}
	return joinPath(prefix, path)
}
