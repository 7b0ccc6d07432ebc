package gcp

import (
	"strings"

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

// serviceOf returns the service host of a full resource name.
func serviceOf(fullName string) string {
	rest := strings.TrimPrefix(fullName, "//")
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		return rest[:i]
	}
	return rest
}

// fromProjects returns the part of s from "projects/" on, or "".
func fromProjects(s string) string {
	if strings.HasPrefix(s, "projects/") {
		return s
	}
	if i := strings.Index(s, "/projects/"); i >= 0 {
		return s[i+1:]
	}
	return ""
}

// kmsRef names the CryptoKey (or KeyRing) a key name points at; a key version
// resolves to its key.
func kmsRef(_ *mapper, s string) string {
	rel := fromProjects(strings.TrimSpace(s))
	if rel == "" || !strings.Contains(rel, "/keyRings/") {
		return ""
	}
	if i := strings.Index(rel, "/cryptoKeyVersions/"); i >= 0 {
		rel = rel[:i]
	}
	return "//cloudkms.googleapis.com/" + rel
}

// computeRef names a compute resource from a self link or a relative path;
// a path without a project (global/sslPolicies/x) is in the resource's own
// project.
func computeRef(m *mapper, s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "//compute.googleapis.com/") {
		return s
	}
	if rel := fromProjects(s); rel != "" {
		return "//compute.googleapis.com/" + rel
	}
	for _, scope := range []string{"global/", "regions/", "zones/"} {
		if strings.HasPrefix(s, scope) && m != nil && m.project != "" {
			return "//compute.googleapis.com/projects/" + m.project + "/" + s
		}
	}
	return ""
}

// serviceRef names a resource of a service from its relative name.
func serviceRef(service string) func(*mapper, string) string {
	return func(_ *mapper, s string) string {
		s = strings.TrimSpace(s)
		if strings.HasPrefix(s, "//") {
			return s
		}
		if rel := fromProjects(s); rel != "" {
			return "//" + service + "/" + rel
		}
		return ""
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
