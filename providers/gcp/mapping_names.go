package gcp

import (
	"slices"
	"strings"

	"github.com/casascan/casascan/scanner"

	"github.com/hashicorp/hcl/v2"
)

// Resource names point at other resources in several spellings: relative
// names (projects/p/locations/l/keyRings/r/cryptoKeys/k), self links
// (https://www.googleapis.com/compute/v1/projects/p/global/sslPolicies/x),
// project-less compute paths (global/sslPolicies/x) and full names
// (//compute.googleapis.com/...). The helpers here turn each into the Cloud
// Asset Inventory full resource name, which is the target's address.

// pseudoRange is where a live or exported resource "is": the repo-relative
// pseudo-path gcp/<full name without //>, line 1, so SARIF has a location.
func pseudoRange(fullName string) hcl.Range {
	file := "gcp/" + strings.TrimPrefix(fullName, "//")
	return hcl.Range{
		Filename: file,
		Start:    hcl.Pos{Line: 1, Column: 1, Byte: 0},
		End:      hcl.Pos{Line: 1, Column: 1, Byte: 0},
	}
}

// relName strips the //service/ prefix of a full resource name.
func relName(fullName string) string {
	if !strings.HasPrefix(fullName, "//") {
		return fullName
	}
	rest := fullName[2:]
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		return rest[i+1:]
	}
	return ""
}

// kmsRef names the CryptoKey (or KeyRing) a key name points at, in any
// spelling scanner.ParseName reads (a relative name, a full name, an API
// URL); a key version resolves to its key. A name of another service, or
// one that is no key ring or key, names nothing.
func kmsRef(_ *mapper, s string) string {
	n, ok := scanner.ParseName(strings.TrimSpace(s))
	if !ok || (n.Service != "" && n.Service != serviceKMS) || n.After("keyRings") == "" {
		return ""
	}
	if i := slices.Index(n.Segs, "cryptoKeyVersions"); i > 0 {
		n.Segs = n.Segs[:i]
	}
	return "//" + serviceKMS + "/" + n.Rel()
}

// computeRef names a compute resource from a self link, a full name or a
// relative path (scanner.ParseName); a path without a project
// (global/sslPolicies/x) is in the resource's own project, and names
// nothing when that is not known.
func computeRef(m *mapper, s string) string {
	n, ok := scanner.ParseName(strings.TrimSpace(s))
	if !ok || n.Segs[0] != "projects" || len(n.Segs) < 3 {
		return ""
	}
	if n.Segs[1] == "" {
		if m == nil || m.project == "" {
			return ""
		}
		n.Segs[1] = m.project // the segments are n's own
	}
	return "//compute.googleapis.com/" + n.Rel()
}

// serviceRef names a resource of a service from its name in any spelling
// scanner.ParseName reads; a full name is kept as it is written.
func serviceRef(service string) func(*mapper, string) string {
	return func(_ *mapper, s string) string {
		s = strings.TrimSpace(s)
		n, ok := scanner.ParseName(s)
		switch {
		case !ok || n.Segs[0] != "projects":
			return ""
		case strings.HasPrefix(s, "//"):
			return s
		}
		return "//" + service + "/" + n.Rel()
	}
}

// parentName cuts a relative name before the segment kind:
// parentName("projects/p/locations/l/keyRings/r/cryptoKeys/k", "cryptoKeys")
// is projects/p/locations/l/keyRings/r.
func parentName(rel, kind string) string {
	if i := strings.Index(rel, "/"+kind+"/"); i >= 0 {
		return rel[:i]
	}
	return ""
}

// segAfter returns the path segment after kind: segAfter(rel, "regions").
func segAfter(rel, kind string) string {
	parts := strings.Split(rel, "/")
	for i := 0; i+1 < len(parts); i++ {
		if parts[i] == kind {
			return parts[i+1]
		}
	}
	return ""
}

// lastPart is the last segment of a name or URL.
func lastPart(s string) string { return s[strings.LastIndexByte(s, '/')+1:] }
