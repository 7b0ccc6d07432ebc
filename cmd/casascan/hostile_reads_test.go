package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// keptBucket is an in-tree public bucket: its finding proves the rest of
// the tree was still scanned.
var keptBucket = publicBucketNamed("kept")

// readCaseLimits bound every read case: a tiny tree, so anything slow or
// large is a failure.
var readCaseLimits = hostileLimits{Time: 20 * time.Second, Memory: 400 << 20}

// TestHostileReadsOutside tries every way a tree can point outside itself.
// In each, the outside holds a public bucket and values named by
// hostileMarker: the marker must never appear in any format or on stderr,
// the refusal is a diagnostic naming the place, and the in-tree public
// bucket is still reported.
func TestHostileReadsOutside(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]hostileFile
		// diag is what stderr must say, at the place given.
		diag []string
	}{
		{
			name: "module source ../../outside",
			files: map[string]hostileFile{"calls.tf": {Data: `module "x" {
  source = "../outside/infra"
}
`}},
			diag: []string{`calls.tf:1:1: error: module "x": source ../outside/infra is outside the scanned tree`},
		},
		{
			name: "module source 40 dot-dots then an absolute path",
			files: map[string]hostileFile{"calls.tf": {Data: `module "x" {
  source = "` + strings.Repeat("../", 40) + `OUTSIDE_ABS/infra"
}
`}},
			diag: []string{`calls.tf:1:1: error: module "x": source`, "is outside the scanned tree"},
		},
		{
			name: "modules.json points outside",
			files: map[string]hostileFile{
				"calls.tf": {Data: `module "x" {
  source = "registry.example.com/acme/infra/google"
}
`},
				".terraform/modules/modules.json": {Data: `{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"x","Source":"registry.example.com/acme/infra/google","Dir":"../outside/infra"}]}`},
			},
			diag: []string{`calls.tf:1:1: error: module "x": directory ../outside/infra (from .terraform/modules/modules.json) is outside the scanned tree`},
		},
		{
			name:  "a symlinked .tf file",
			files: map[string]hostileFile{"stolen.tf": {Link: "../outside/infra/main.tf"}},
			diag:  []string{"stolen.tf:1:1: error: cannot read file; outside the scanned tree (not judged)"},
		},
		{
			name: "a symlinked module directory",
			files: map[string]hostileFile{
				"calls.tf": {Data: `module "x" {
  source = "./infra"
}
`},
				"infra": {Link: "../outside/infra"},
			},
			diag: []string{`calls.tf:1:1: error: module "x": source ./infra is outside the scanned tree`},
		},
		{
			name: "symlinked tfvars files",
			files: map[string]hostileFile{
				"vars.tf": {Data: `variable "bucket_name" {
  type    = string
  default = "inside_default"
}

resource "google_storage_bucket" "named" {
  for_each = toset([var.bucket_name])
  name     = each.key
  location = "EU"
}
`},
				"terraform.tfvars.json":  {Link: "../outside/values.tfvars.json"},
				"zz.auto.tfvars.json":    {Link: "../outside/values.tfvars.json"},
				"terraform.tfvars":       {Link: "../outside/terraform.tfvars"},
				"values.auto.tfvars":     {Link: "../outside/values.auto.tfvars"},
				"modules-ok/placeholder": {Data: ""},
			},
			diag: []string{"terraform.tfvars: error: cannot read var file; outside the scanned tree (not judged)",
				"terraform.tfvars.json: error: cannot read var file; outside the scanned tree",
				"zz.auto.tfvars.json: error: cannot read var file; outside the scanned tree",
				"values.auto.tfvars: error: cannot read var file; outside the scanned tree"},
		},
		{
			name: ".casascan.yaml var-files through an in-tree link",
			files: map[string]hostileFile{
				"vars.tf": {Data: `variable "bucket_name" {
  type    = string
  default = "inside_default"
}

resource "google_storage_bucket" "named" {
  for_each = toset([var.bucket_name])
  name     = each.key
  location = "EU"
}
`},
				"env":            {Link: "../outside"},
				".casascan.yaml": {Data: "var-files:\n  - env/values.tfvars.json\n"},
			},
			diag: []string{"env/values.tfvars.json: outside the scanned tree"},
		},
		{
			name:  ".casascan.yaml is itself a link out",
			files: map[string]hostileFile{".casascan.yaml": {Link: "../outside/casascan.yaml"}},
			diag:  []string{"casascan: reading .casascan.yaml: outside the scanned tree"},
		},
		{
			name:  "file() and fileset() through a link",
			files: map[string]hostileFile{"out": {Link: "../outside"}, "read.tf": {Data: readThroughLink}},
			diag:  []string{"read.tf:2:", "file outside the scanned tree"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ws, tree := hostileWorkspace(t)
			files := map[string]hostileFile{"main.tf": {Data: keptBucket}}
			for name, f := range tc.files {
				f.Data = strings.ReplaceAll(f.Data, "OUTSIDE_ABS", strings.TrimPrefix(filepath.Join(ws, "outside"), "/"))
				files[name] = f
			}
			writeTree(t, tree, files)
			for format, res := range runHostileFormats(t, tree, readCaseLimits, "scan", ".") {
				assertNotShown(t, res, hostileMarker)
				if !strings.Contains(tc.name, "absolute") { // there the author wrote the path
					assertNotShown(t, res, ws)
				}
				if strings.Contains(tc.name, ".casascan.yaml") {
					assertExit(t, res, exitUsage) // a configuration that cannot be read stops the scan
					assertStderr(t, res, tc.diag...)
					continue
				}
				assertExit(t, res, exitFindings)
				assertStderr(t, res, tc.diag...)
				if !strings.Contains(res.Output, "google_storage_bucket_iam_member.kept") {
					t.Errorf("%s: the in-tree public bucket is not reported:\n%s", format, clip(res.Output))
				}
			}
		})
	}
}

// readThroughLink reads files through a link out of the tree with each
// file function.
const readThroughLink = `locals {
  a = file("out/secret.txt")
  b = fileset("out", "*")
  c = filebase64("out/secret.txt")
  d = fileexists("out/secret.txt")
  e = templatefile("out/secret.txt", {})
}

resource "google_storage_bucket" "read" {
  for_each = toset(concat([local.a, local.c, local.e, tostring(local.d)], tolist(local.b)))
  name     = each.key
  location = "EU"
}
`

// TestHostileSpecialFiles: a .tf that is a link to /dev/zero or /dev/stdin,
// or a FIFO, is a diagnostic, not an endless read; a file over the size
// limit is a diagnostic too, and --max-file-size raises the limit.
func TestHostileSpecialFiles(t *testing.T) {
	_, tree := hostileWorkspace(t)
	writeTree(t, tree, map[string]hostileFile{
		"main.tf":    {Data: keptBucket},
		"zero.tf":    {Link: "/dev/zero"},
		"stdin.tf":   {Link: "/dev/stdin"},
		"random.tf":  {Link: "/dev/urandom"},
		"big/big.tf": {Data: "# " + strings.Repeat("x", 3<<20) + "\n" + strings.ReplaceAll(keptBucket, "kept", "big")},
	})
	if err := syscall.Mkfifo(filepath.Join(tree, "fifo.tf"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(tree, "terraform.tfvars"), 0o644); err != nil {
		t.Fatal(err)
	}
	res := runHostile(t, tree, readCaseLimits, "scan", ".", "--max-file-size", "2MiB", "--format", "json")
	assertExit(t, res, exitFindings)
	assertStderr(t, res,
		"zero.tf:1:1: error: cannot read file; outside the scanned tree (not judged)",
		"stdin.tf:1:1: error: cannot read file; outside the scanned tree",
		"fifo.tf:1:1: error: cannot read file; not a regular file",
		"terraform.tfvars: error: cannot read var file; not a regular file",
		"big/big.tf:1:1: error: cannot read file; larger than the file size limit (2 MiB; raise it with --max-file-size)")
	if !strings.Contains(res.Stdout, "google_storage_bucket_iam_member.kept") || strings.Contains(res.Stdout, "google_storage_bucket_iam_member.big") {
		t.Errorf("want the small file judged and the large one not:\n%s", clip(res.Stdout))
	}
	// Raised, the large file is read.
	res = runHostile(t, tree, readCaseLimits, "scan", ".", "--max-file-size", "4MiB", "--format", "json")
	if !strings.Contains(res.Stdout, "google_storage_bucket_iam_member.big") {
		t.Errorf("--max-file-size 4MiB did not read the 3 MiB file:\n%s", clip(res.Stderr))
	}
	res = runHostile(t, tree, readCaseLimits, "scan", ".", "--max-file-size", "lots")
	assertExit(t, res, exitUsage)
	assertStderr(t, res, `--max-file-size: "lots" is not a size`)
}

// TestHostileSelfLinkedModule: a module that calls itself through a link to
// its own directory is a cycle, reported once, not an endless expansion.
func TestHostileSelfLinkedModule(t *testing.T) {
	_, tree := hostileWorkspace(t)
	writeTree(t, tree, map[string]hostileFile{
		"main.tf": {Data: keptBucket},
		"mod/main.tf": {Data: `module "again" {
  source = "./self"
}

resource "google_storage_bucket" "m" {
  name     = "m"
  location = "EU"
}
`},
		"mod/self": {Link: "."},
		"calls.tf": {Data: `module "m" {
  source = "./mod"
}
`},
	})
	res := runHostile(t, tree, readCaseLimits, "scan", ".", "--format", "json")
	assertExit(t, res, exitFindings)
	if !strings.Contains(res.Stdout, "module.m.google_storage_bucket.m") {
		t.Errorf("the module itself is not scanned:\n%s", clip(res.Stdout))
	}
	if strings.Contains(res.Stdout, "module.m.module.again.module.again") {
		t.Errorf("the self-call was expanded:\n%s", clip(res.Stdout))
	}
	assertStderr(t, res, "mod/main.tf:1:1")
}

// TestHostileMessagesNameNoMachinePath: a file that cannot be read, a plan
// that cannot be parsed and a module source that is a file are named
// relative to the tree, so output is the same in every checkout.
func TestHostileMessagesNameNoMachinePath(t *testing.T) {
	ws, tree := hostileWorkspace(t)
	writeTree(t, tree, map[string]hostileFile{
		"main.tf":         {Data: keptBucket},
		"locked.tf":       {Data: "x", Mode: 0o200},
		"calls.tf":        {Data: "module \"file\" {\n  source = \"./main.tf\"\n}\n"},
		"plans/plan.json": {Data: `{"format_version": "1.2", "planned_values": {"root_module": {"resources": [`},
	})
	res := runHostile(t, tree, readCaseLimits, "scan", ".", "--format", "json")
	assertNotShown(t, res, ws)
	assertStderr(t, res, `calls.tf:1:1: error: module "file": source ./main.tf is a file; a module source names the directory`)
	if os.Geteuid() != 0 { // root reads a file whatever its mode
		assertStderr(t, res, "locked.tf: error: cannot read file")
	}
	for _, dir := range []string{tree, filepath.Join(tree, "plans")} {
		res = runHostile(t, dir, readCaseLimits, "scan", filepath.Join(tree, "plans", "plan.json"))
		assertNotShown(t, res, ws)
		assertExit(t, res, exitSkipped)
		assertStderr(t, res, "plans/plan.json:1:76: error: cannot parse the plan file")
	}
}

// TestHostileDistinctRoots: two roots outside the working directory keep
// distinct, repository-relative names, and scanning them from the
// repository's top or from a sibling directory gives the same report.
func TestHostileDistinctRoots(t *testing.T) {
	ws := t.TempDir()
	bucket := func(name string) string { return strings.ReplaceAll(keptBucket, "kept", name) }
	writeTree(t, ws, map[string]hostileFile{
		"repo/.git/":                {},
		"repo/envs/prod/main.tf":    {Data: bucket("prod")},
		"repo/envs/staging/main.tf": {Data: bucket("staging")},
		"repo/tools/":               {},
	})
	repo := filepath.Join(ws, "repo")
	fromTop := runHostile(t, repo, readCaseLimits, "scan", "envs/prod", "envs/staging", "--format", "sarif")
	fromSibling := runHostile(t, filepath.Join(repo, "tools"), readCaseLimits, "scan", "../envs/prod", "../envs/staging", "--format", "sarif")
	for _, res := range []hostileResult{fromTop, fromSibling} {
		assertExit(t, res, exitFindings)
		for _, want := range []string{`"uri": "envs/prod/main.tf"`, `"uri": "envs/staging/main.tf"`, "google_storage_bucket_iam_member.prod", "google_storage_bucket_iam_member.staging"} {
			if !strings.Contains(res.Stdout, want) {
				t.Errorf("SARIF lacks %s:\n%s", want, clip(res.Stdout))
			}
		}
	}
	if strings.ReplaceAll(fromTop.Stdout, "../", "") != strings.ReplaceAll(fromSibling.Stdout, "../", "") {
		t.Errorf("the reports differ between the repository's top and a sibling directory")
	}
}
