package scanner

import (
	"strings"
)

// Name is a Google Cloud resource name: the service host
// (cloudkms.googleapis.com) and the segments of the relative name
// (projects, p, locations, us, keyRings, r, cryptoKeys, k). An empty
// segment is not known: a pattern's wildcard, or the project of a
// project-less name. Service is "" when the spelling does not say it (a
// relative name).
type Name struct {
	Service string
	Segs    []string
}

// ParseName reads the spellings of a resource name that configuration,
// plans, exports and APIs use:
//
//   - a full resource name: //cloudkms.googleapis.com/projects/p/locations/l/keyRings/r/cryptoKeys/k,
//     //storage.googleapis.com/acme-mail;
//   - an API URL (a self link): https://www.googleapis.com/compute/v1/projects/p/global/sslPolicies/x,
//     read from projects/ on;
//   - a relative name: projects/p/locations/l/keyRings/r/cryptoKeys/k, its
//     service not known;
//   - a project-less Compute Engine path: global/sslPolicies/x,
//     regions/r/..., zones/z/..., its project not known.
//
// A zonal GKE name (container.googleapis.com .../zones/z/clusters/c) reads
// as locations/z, as the provider writes it. ok is false for anything else,
// and for a name with an empty segment.
func ParseName(s string) (Name, bool) {
	var n Name
	var rel string
	switch {
	case strings.HasPrefix(s, "//"):
		var ok bool
		n.Service, rel, ok = strings.Cut(s[2:], "/")
		if !ok || n.Service == "" {
			return Name{}, false
		}
	case strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://"):
		_, rest, _ := strings.Cut(s, "://")
		i := strings.Index(rest, "/projects/")
		if i < 0 {
			return Name{}, false
		}
		n.Service, rel = urlService(rest[:i]), rest[i+1:]
	case strings.HasPrefix(s, "projects/"):
		rel = s
	case strings.HasPrefix(s, "global/") || strings.HasPrefix(s, "regions/") || strings.HasPrefix(s, "zones/"):
		n.Service, rel = "compute.googleapis.com", s
	default:
		return Name{}, false
	}
	if rel == "" {
		return Name{}, false
	}
	segs := strings.Split(rel, "/")
	for _, seg := range segs {
		if seg == "" {
			return Name{}, false
		}
	}
	if n.Service == "compute.googleapis.com" && segs[0] != "projects" {
		segs = append([]string{"projects", ""}, segs...)
	}
	if n.Service == "container.googleapis.com" && len(segs) > 2 && segs[0] == "projects" && segs[2] == "zones" {
		segs[2] = "locations"
	}
	n.Segs = segs
	return n, true
}

// urlService names the service of an API URL from its host and the path
// before projects/: www.googleapis.com/compute/v1 is compute.googleapis.com,
// container.googleapis.com/v1 is itself.
func urlService(hostPath string) string {
	host, path, _ := strings.Cut(hostPath, "/")
	if host != "www.googleapis.com" {
		return host
	}
	switch svc, _, _ := strings.Cut(path, "/"); svc {
	case "":
	case "compute": // the self links of most resources that have one
		return "compute.googleapis.com"
	default:
		return svc + ".googleapis.com"
	}
	return ""
}

// Rel is the relative name, an unknown segment shown as *.
func (n Name) Rel() string {
	segs := make([]string, len(n.Segs))
	for i, s := range n.Segs {
		if s == "" {
			s = "*"
		}
		segs[i] = s
	}
	return strings.Join(segs, "/")
}

// String is the full resource name (//service/rel), or the relative name
// when the service is not known; an unknown segment is shown as *.
func (n Name) String() string {
	if n.Service == "" {
		return n.Rel()
	}
	return "//" + n.Service + "/" + n.Rel()
}

// Own is the resource's own name, the last segment.
func (n Name) Own() string {
	if len(n.Segs) == 0 {
		return ""
	}
	return n.Segs[len(n.Segs)-1]
}

// After returns the segment after kind: After("locations") of
// projects/p/locations/us/keyRings/r is us; "" when there is none.
func (n Name) After(kind string) string {
	for i := 0; i+1 < len(n.Segs); i++ {
		if n.Segs[i] == kind {
			return n.Segs[i+1]
		}
	}
	return ""
}

// Match tells whether the name fits a pattern, and how loosely: wild counts
// the segments taken on trust (not known on either side, or a project
// number against a project ID, which only the Resource Manager API could
// tell apart). A service not known on either side fits any.
func (n Name) Match(p Name) (ok bool, wild int) {
	if (n.Service != "" && p.Service != "" && n.Service != p.Service) || len(n.Segs) != len(p.Segs) {
		return false, 0
	}
	for i, want := range p.Segs {
		got := n.Segs[i]
		switch {
		case want == "" || got == "":
			wild++
		case got == want:
		case i > 0 && p.Segs[i-1] == "projects" && (isDigits(got) || isDigits(want)):
			wild++
		default:
			return false, 0
		}
	}
	return true, wild
}

// ParseNameIn is ParseName for the name of a resource that knows its
// project ID: a project number in the name (Cloud Asset Inventory names
// some resources so; configuration names them by ID) is replaced by the ID.
func ParseNameIn(s, projectID string) (Name, bool) {
	n, ok := ParseName(s)
	if ok && len(n.Segs) > 1 && n.Segs[0] == "projects" && isDigits(n.Segs[1]) && projectID != "" && !isDigits(projectID) {
		n.Segs[1] = projectID // the segments are n's own
	}
	return n, ok
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// nameAttrs are the attributes whose known value is a resource's own name
// (a plan or state's id, a Compute Engine self link).
var nameAttrs = []string{"id", "self_link"}

// Names indexes resources by the Google Cloud resource names they are known
// by: a live or exported resource's address (its full name) and a
// resource's known id or self_link in any spelling ParseName reads. It is
// how a source that holds a name (a plan value, a state's attribute) finds
// the resource the name is, whatever the spelling: a self link, a full
// name and a relative name of one resource resolve alike.
type Names struct {
	byOwn map[string][]namedResource // by the name's own (last) segment
}

type namedResource struct {
	n    Name
	addr string
}

// NewNames indexes resources (give them in address order for a
// deterministic resolution).
func NewNames(rs []*Resource) *Names {
	ns := &Names{byOwn: map[string][]namedResource{}}
	for _, r := range rs {
		var seen []Name
		add := func(spelling string) {
			n, ok := ParseName(spelling)
			if !ok {
				return
			}
			for _, s := range seen {
				if s.String() == n.String() {
					return
				}
			}
			seen = append(seen, n)
			ns.byOwn[n.Own()] = append(ns.byOwn[n.Own()], namedResource{n, r.Address})
		}
		if strings.HasPrefix(r.Address, "//") {
			add(r.Address)
		}
		if r.Body != nil {
			for _, a := range nameAttrs {
				if v, ok := r.Body.Attrs[a].Str(); ok {
					add(v)
				}
			}
		}
	}
	return ns
}

// Resolve returns the resources a resource name, in any spelling ParseName
// reads, may name. The tightest fits win (the fewest segments taken on
// trust, see Name.Match); the resolution is exact when one resource fits
// with nothing taken on trust. A string that is no resource name resolves
// to none.
func (ns *Names) Resolve(s string) Resolution {
	want, ok := ParseName(s)
	if !ok {
		return Resolution{}
	}
	var out []string
	low := -1
	for _, e := range ns.byOwn[want.Own()] {
		ok, wild := e.n.Match(want)
		switch {
		case !ok:
		case low < 0 || wild < low:
			out, low = []string{e.addr}, wild
		case wild == low && out[len(out)-1] != e.addr:
			out = append(out, e.addr)
		}
	}
	return Resolution{Addrs: out, Exact: len(out) == 1 && low == 0}
}
