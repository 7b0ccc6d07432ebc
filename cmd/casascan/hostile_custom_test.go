package main

import (
	"strings"
	"testing"
	"time"
)

// hostileCheck is a custom check file with fails_when expr (YAML-quoted).
func hostileCheck(expr string) string {
	return "id: EVIL-CEL-001\ntitle: Hostile\nseverity: HIGH\ntypes: [google_storage_bucket]\nmessage: m\nfails_when: " + expr + "\n"
}

// TestHostileCustomChecks: a pull request adding a custom check cannot hang
// or crash CI: an expression too costly on its face stops the scan before
// judging (exit 2, naming the file and line); one that is costly only on
// the tree's data stops at the cost limit, and the resource is not judged
// (exit 3); syntax bombs and escapes in the file are refused.
func TestHostileCustomChecks(t *testing.T) {
	nest := "true"
	for i := 0; i < 8; i++ {
		nest = "[0,1,2,3,4,5,6,7,8,9].all(x" + string(rune('a'+i)) + ", " + nest + ")"
	}
	// Quadrupling a string from the tree 12 times: a gigabyte if let run.
	grow := "resource.name"
	for i := 0; i < 12; i++ {
		grow = "[" + grow + "].map(s, s + s + s + s)[0]"
	}
	bucket := `resource "google_storage_bucket" "b" {
  name     = "` + strings.Repeat("x", 64) + `"
  location = "EU"
}
`
	for _, tc := range []struct {
		name, check string
		exit        int
		stderr      []string
	}{
		{"nested comprehensions", hostileCheck("'" + nest + "'"), 2, []string{".casascan/checks/evil.yaml:6:", "over the limit"}},
		{"string doubling", hostileCheck("'size(" + grow + ") > 0'"), 3, []string{"could not judge google_storage_bucket.b", "cost limit"}},
		{"data comprehension", hostileCheck(`'resource.name.split("").all(a, resource.name.split("").all(b, resource.name.split("").all(c, resource.name.split("").all(d, a + b + c + d != "")))) '`), 3, []string{"cost limit"}},
		{"deep parentheses", hostileCheck("'" + strings.Repeat("(", 5000) + "true" + strings.Repeat(")", 5000) + "'"), 2, []string{".casascan/checks/evil.yaml:6:"}},
		{"long expression", hostileCheck("'" + strings.Repeat("true && ", 4000) + "true'"), 2, []string{".casascan/checks/evil.yaml:6:"}},
		{"escape in title", strings.Replace(hostileCheck("'true'"), "Hostile", "\"\\e[2J\\e]0;pwned\\a\"", 1), 2, []string{"control character"}},
		{"alias bomb", "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n", 2, []string{".casascan/checks/evil.yaml"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, tree := hostileWorkspace(t)
			writeTree(t, tree, map[string]hostileFile{"main.tf": {Data: bucket}, ".casascan/checks/evil.yaml": {Data: tc.check}})
			res := runHostile(t, tree, hostileLimits{Time: 60 * time.Second}, "scan", ".", "--format", "json", "--checks", "EVIL-CEL-001")
			assertExit(t, res, tc.exit)
			assertStderr(t, res, tc.stderr...)
			if strings.ContainsAny(res.Stderr, "\x1b\a") {
				t.Errorf("a control character reached stderr:\n%q", clip(res.Stderr))
			}
			t.Logf("exit %d in %v, peak RSS %d MB", res.Code, res.Elapsed.Round(time.Millisecond), res.MaxRSS>>20)
			if res.Elapsed > 20*time.Second {
				t.Errorf("took %v", res.Elapsed)
			}
		})
	}
}

// TestHostileCustomCheckLinks: check files are read only through the
// tree: a .casascan/checks (or a check file in it) linking out of the
// tree is an error, not a silent skip, and nothing outside is shown.
func TestHostileCustomCheckLinks(t *testing.T) {
	outsideCheck := strings.Replace(hostileCheck("'true'"), "Hostile", hostileMarker, 1)
	for name, files := range map[string]map[string]hostileFile{
		"directory link": {".casascan/checks": {Link: "../../outside/checks"}},
		"file link":      {".casascan/checks/x.yaml": {Link: "../../../outside/checks/evil.yaml"}},
	} {
		t.Run(name, func(t *testing.T) {
			ws, tree := hostileWorkspace(t)
			writeTree(t, ws, map[string]hostileFile{"outside/checks/evil.yaml": {Data: outsideCheck}})
			files["main.tf"] = hostileFile{Data: publicBucketNamed("inside")}
			writeTree(t, tree, files)
			res := runHostile(t, tree, hostileLimits{}, "scan", ".", "--format", "json")
			assertExit(t, res, 2)
			assertStderr(t, res, ".casascan/checks")
			assertNotShown(t, res, hostileMarker)
		})
	}
}
