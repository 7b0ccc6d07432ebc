package main

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// budgetBucket is judged in every budget case: a bomb elsewhere in the
// tree must not keep its GCP-ACC-001 finding from being reported.
var budgetBucket = publicBucketNamed("pub")

// budgetLimits bound each budget case: a bomb of the evaluation budget
// finishes in about a second (the deadline leaves room for a loaded
// machine), well under 500 MB: budgetRSS is checked apart, as the
// harness's address-space limit (Memory plus 1 GB) must leave the Go
// runtime room for its reservations.
var budgetLimits = hostileLimits{Time: 15 * time.Second, Memory: 1 << 30}

const budgetRSS = 450 << 20

// doublings is locals s0 = "ab", s1 = "${s0}${s0}", ... up to s<n>.
func doublings(n int) string {
	var b strings.Builder
	b.WriteString("locals {\n  s0 = \"ab\"\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "  s%d = \"${local.s%d}${local.s%d}\"\n", i, i-1, i-1)
	}
	b.WriteString("}\n")
	return b.String()
}

// chain is n directories m0..m<n-1>, each calling the next twice.
func chain(n int) map[string]hostileFile {
	files := map[string]hostileFile{"main.tf": {Data: `module "a" { source = "./m0" }` + "\n"}}
	for i := 0; i < n; i++ {
		files[fmt.Sprintf("m%d/main.tf", i)] = hostileFile{Data: fmt.Sprintf(
			"module \"x\" { source = \"../m%d\" }\nmodule \"y\" { source = \"../m%d\" }\n", i+1, i+1)}
	}
	files[fmt.Sprintf("m%d/main.tf", n)] = hostileFile{Data: `resource "google_pubsub_topic" "t" { name = "t" }` + "\n"}
	return files
}

// TestHostileBudget runs each evaluation bomb of issue 14 as a generated
// tree: the scan finishes within budgetLimits, names the offending
// expression with file:line and the limit it hit, and still reports the
// public bucket beside it.
func TestHostileBudget(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]hostileFile
		// want are strings stderr must hold: the diagnostic's place and
		// summary.
		want []string
	}{{
		name: "dynamic over a million elements",
		files: map[string]hostileFile{"main.tf": {Data: `
resource "google_compute_firewall" "f" {
  name = "f"
  dynamic "allow" {
    for_each = flatten([for a in range(1024) : [for b in range(1024) : b]])
    content { protocol = "tcp" }
  }
}
`}},
		want: []string{"main.tf:5:16: error: evaluation limit reached: evaluation steps"},
	}, {
		name: "nested dynamics",
		files: map[string]hostileFile{"main.tf": {Data: `
locals { k = [for i in range(1000) : i] }
resource "google_compute_firewall" "f" {
  count = 20
  name  = "f"
  dynamic "allow" {
    for_each = local.k
    content {
      protocol = "tcp"
      dynamic "ports" {
        for_each = local.k
        content { x = "p" }
      }
    }
  }
}
`}},
		want: []string{`main.tf:11:20: error: instance limit reached: dynamic "ports" has 1000 blocks`},
	}, {
		name: "module count 10000 three levels deep",
		files: map[string]hostileFile{
			"main.tf":   {Data: "module \"a\" {\n  source = \"./a\"\n  count  = 10000\n}\n"},
			"a/main.tf": {Data: "module \"b\" {\n  source = \"../b\"\n  count  = 10000\n}\n"},
			"b/main.tf": {Data: "module \"c\" {\n  source = \"../c\"\n  count  = 10000\n}\n"},
			"c/main.tf": {Data: `resource "google_pubsub_topic" "t" { name = "t" }` + "\n"},
		},
		// module.a takes 10,000 instances, module.a[0].module.b 10,000 more;
		// then the quarter of the instance limit that modules may take is
		// spent.
		want: []string{"b/main.tf:3:12: error: instance limit reached: count of module.c has 10000 instances",
			"a/main.tf:1:1: error: module.b is not evaluated: instance limit reached"},
	}, {
		name:  "forty directories each calling the next twice",
		files: chain(40),
		want:  []string{`m13/main.tf:1:1: error: module "x" is not read: instance limit reached`},
	}, {
		name:  "a string doubled 32 times",
		files: map[string]hostileFile{"main.tf": {Data: doublings(32) + `resource "google_pubsub_topic" "t" { name = local.s32 }` + "\n"}},
		want:  []string{"main.tf:26:9: error: evaluation limit reached: string bytes"},
	}, {
		name: "replace growth",
		files: map[string]hostileFile{"main.tf": {Data: `
locals {
  r0 = "aaaaaaaa"
  r1 = replace(local.r0, "a", "aaaaaaaaaaaaaaaa")
  r2 = replace(local.r1, "a", "aaaaaaaaaaaaaaaa")
  r3 = replace(local.r2, "a", "aaaaaaaaaaaaaaaa")
  r4 = replace(local.r3, "a", "aaaaaaaaaaaaaaaa")
  r5 = replace(local.r4, "a", "aaaaaaaaaaaaaaaa")
  r6 = replace(local.r5, "a", "aaaaaaaaaaaaaaaa")
  r7 = replace(local.r6, "/a/", "$0$0$0$0$0$0$0$0$0$0$0$0$0$0$0$0")
}
resource "google_pubsub_topic" "t" { name = local.r7 }
`}},
		// r5 would replace 512k matches.
		want: []string{"main.tf:8:8: error: evaluation limit reached: evaluation steps"},
	}, {
		name: "regexall over megabytes",
		files: map[string]hostileFile{"main.tf": {Data: doublings(21) + `
locals { m = regexall(".", local.s21) }
resource "google_pubsub_topic" "t" { name = length(local.m) }
`}},
		want: []string{"main.tf:26:14: error: evaluation limit reached: evaluation steps"},
	}, {
		name: "a 1024-cubed for expression",
		files: map[string]hostileFile{"main.tf": {Data: `
locals { x = [for a in range(1024) : [for b in range(1024) : [for c in range(1024) : c]]] }
resource "google_pubsub_topic" "t" { name = length(local.x) }
`}},
		want: []string{"main.tf:2:14: error: evaluation limit reached: evaluation steps"},
	}, {
		name: "toset of a flattened 1024x1024",
		files: map[string]hostileFile{"main.tf": {Data: `
locals { x = toset(flatten([for a in range(1024) : [for b in range(1024) : "${a}-${b}"]])) }
resource "google_pubsub_topic" "t" { name = length(local.x) }
`}},
		want: []string{"main.tf:2:14: error: evaluation limit reached: evaluation steps"},
	}, {
		name: "distinct over 65k strings",
		files: map[string]hostileFile{"main.tf": {Data: `
locals {
  a = [for a in range(256) : [for b in range(256) : "${a}-${b}"]]
  x = distinct(flatten(local.a))
}
resource "google_pubsub_topic" "t" { name = length(local.x) }
`}},
	}, {
		name: "nested templatestring fors",
		files: map[string]hostileFile{"main.tf": {Data: `
locals {
  t = "%%{for a in range(1000)}%%{for b in range(1000)}%%{for c in range(1000)}x%%{endfor}%%{endfor}%%{endfor}"
  x = templatestring(local.t, {})
}
resource "google_pubsub_topic" "t" { name = local.x }
`}},
		want: []string{"main.tf:4:7: error: evaluation limit reached: evaluation steps"},
	}, {
		name: "tostring of a huge number",
		files: map[string]hostileFile{"main.tf": {Data: `
resource "google_pubsub_topic" "t" { name = tostring(1e99999999) }
resource "google_pubsub_topic" "u" { name = "n${1e99999999}" }
resource "google_pubsub_topic" "v" { name = upper(-1e-99999999) }
`}},
		want: []string{"main.tf:2:45: error: evaluation limit reached: number size",
			"main.tf:3:45: error: evaluation limit reached: number size",
			"main.tf:4:45: error: evaluation limit reached: number size"},
	}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, tree := hostileWorkspace(t)
			c.files["bucket.tf"] = hostileFile{Data: budgetBucket}
			writeTree(t, tree, c.files)
			res := runHostile(t, tree, budgetLimits, "scan", ".", "--format", "json")
			assertExit(t, res, 1)
			assertStderr(t, res, c.want...)
			if !strings.Contains(res.Stdout, "GCP-ACC-001") || !strings.Contains(res.Stdout, "google_storage_bucket_iam_member.pub") {
				t.Errorf("the public bucket is not reported:\n%s", clip(res.Stdout))
			}
			rss := int64(budgetRSS)
			if raceEnabled {
				rss *= 4 // the race detector's shadow memory
			}
			if res.MaxRSS > rss {
				t.Errorf("peak RSS %d MB, over %d MB", res.MaxRSS>>20, rss>>20)
			}
			t.Logf("%v, peak RSS %d MB", res.Elapsed.Round(time.Millisecond), res.MaxRSS>>20)
		})
	}
}

// TestHostileBudgetFlags: the budget's flags lower (or raise) its limits,
// and a bad value is a usage error.
func TestHostileBudgetFlags(t *testing.T) {
	_, tree := hostileWorkspace(t)
	writeTree(t, tree, map[string]hostileFile{
		"main.tf": {Data: budgetBucket},
		"many.tf": {Data: "resource \"google_pubsub_topic\" \"t\" {\n  count = 40\n  name  = \"t${count.index}\"\n}\n"},
	})
	res := runHostile(t, tree, budgetLimits, "scan", ".", "--format", "json", "--max-instances", "20")
	assertExit(t, res, 1)
	assertStderr(t, res, "many.tf:2:", "limit of 20 instances")
	res = runHostile(t, tree, budgetLimits, "scan", ".", "--format", "json")
	if strings.Contains(res.Stderr, "limit") {
		t.Errorf("the default budget refused 40 instances:\n%s", res.Stderr)
	}
	for _, bad := range [][]string{{"--max-instances", "-1"}, {"--max-string-bytes", "lots"}, {"--max-eval-steps", "x"}} {
		res = runHostile(t, tree, budgetLimits, append([]string{"scan", "."}, bad...)...)
		assertExit(t, res, exitUsage)
	}
}
