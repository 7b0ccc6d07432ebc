package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/casascan/casascan/scanner/report"
)

// The hostile-tree tests run casascan as a child process (this test binary,
// re-executed with hostileChildEnv set), so that a stack overflow, a hang or
// an exhausted heap is a failed test, not a crashed test binary. The child
// runs under an address-space limit where the platform and the race
// detector allow one, and the parent kills it at a deadline and checks its
// peak resident memory in every case.

// hostileChildEnv, when set in the environment, makes the test binary run
// casascan with os.Args[1:] and exit with its code.
const hostileChildEnv = "CASASCAN_HOSTILE_CHILD"

// hostileLimitEnv carries the child's address-space limit in bytes.
const hostileLimitEnv = "CASASCAN_HOSTILE_AS"

func TestMain(m *testing.M) {
	if os.Getenv(hostileChildEnv) == "1" {
		os.Exit(hostileChild())
	}
	os.Exit(m.Run())
}

func hostileChild() int {
	if s := os.Getenv(hostileLimitEnv); s != "" && !raceEnabled {
		if n, err := strconv.ParseUint(s, 10, 64); err == nil {
			limitAddressSpace(n)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	return run(ctx, os.Args[1:], os.Stdout, os.Stderr)
}

// hostileLimits bound one child run.
type hostileLimits struct {
	// Time is the wall-clock limit; the child is killed at it.
	Time time.Duration
	// Memory is the peak resident set the run may reach, and (without the
	// race detector) its address-space limit is this plus the Go runtime's
	// reservations.
	Memory int64
}

var defaultHostileLimits = hostileLimits{Time: 30 * time.Second, Memory: 1 << 30}

// hostileResult is what one child run did.
type hostileResult struct {
	Code           int
	Stdout, Stderr string
	// Output is the report written with --output, when the run was given
	// one by runHostileFormats.
	Output  string
	MaxRSS  int64 // bytes
	Elapsed time.Duration
}

// All is every byte the run showed: stdout, stderr and the report file.
func (r hostileResult) All() string { return r.Stdout + "\n" + r.Stderr + "\n" + r.Output }

// runHostile runs casascan with args in dir as a child process under lim
// (zero fields take defaultHostileLimits), and fails the test if the child
// ran out of time or memory, or crashed with a Go runtime error.
func runHostile(t testing.TB, dir string, lim hostileLimits, args ...string) hostileResult {
	t.Helper()
	if testing.Short() && lim.Time > 60*time.Second {
		t.Skip("long hostile case skipped in -short mode")
	}
	if lim.Time == 0 {
		lim.Time = defaultHostileLimits.Time
	}
	if lim.Memory == 0 {
		lim.Memory = defaultHostileLimits.Memory
	}
	if raceEnabled {
		// The race detector slows everything down and keeps shadow memory
		// beside the heap; the plain run holds the real limits.
		lim.Time *= 4
		lim.Memory *= 4
	}
	ctx, cancel := context.WithTimeout(context.Background(), lim.Time)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Dir = dir
	env := []string{hostileChildEnv + "=1",
		// Room for the runtime's own address-space reservations (over
		// 1 GiB of mappings before the heap grows): the limit stops a
		// runaway early; the peak-RSS check below is the real bound.
		hostileLimitEnv + "=" + strconv.FormatInt(lim.Memory+(4<<30), 10),
		"HOME=" + dir, "PATH=" + os.Getenv("PATH"), "GOMAXPROCS=2"}
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "GOCOVERDIR=") || strings.HasPrefix(kv, "GORACE=") {
			env = append(env, kv)
		}
	}
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	res := hostileResult{Stdout: stdout.String(), Stderr: stderr.String(), Elapsed: time.Since(start)}
	if cmd.ProcessState != nil {
		res.Code = cmd.ProcessState.ExitCode()
		res.MaxRSS = maxRSS(cmd.ProcessState)
	}
	if ctx.Err() != nil {
		t.Fatalf("casascan %s: still running after %v (killed); stderr:\n%s", strings.Join(args, " "), lim.Time, clip(res.Stderr))
	}
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("casascan %s: %v", strings.Join(args, " "), err)
	}
	if strings.Contains(res.Stderr, "goroutine ") && (strings.Contains(res.Stderr, "fatal error:") || strings.Contains(res.Stderr, "panic:")) {
		t.Fatalf("casascan %s crashed (exit %d):\n%s", strings.Join(args, " "), res.Code, clip(res.Stderr))
	}
	if res.MaxRSS > lim.Memory {
		t.Fatalf("casascan %s: peak RSS %d MB, over the %d MB limit", strings.Join(args, " "), res.MaxRSS>>20, lim.Memory>>20)
	}
	return res
}

// runHostileFormats runs the scan once per output format, writing the
// report to a file under dir with --output, and returns the results by
// format.
func runHostileFormats(t testing.TB, dir string, lim hostileLimits, args ...string) map[string]hostileResult {
	t.Helper()
	out := map[string]hostileResult{}
	outDir := t.TempDir()
	for _, format := range report.Formats() {
		file := filepath.Join(outDir, "report."+format)
		a := append(append([]string{}, args...), "--format", format, "--output", file)
		res := runHostile(t, dir, lim, a...)
		if data, err := os.ReadFile(file); err == nil {
			res.Output = string(data)
		}
		out[format] = res
	}
	return out
}

// assertNotShown fails when any of the strings appears anywhere the run
// showed: stdout, stderr or the report.
func assertNotShown(t testing.TB, res hostileResult, what ...string) {
	t.Helper()
	all := res.All()
	for _, s := range what {
		if s != "" && strings.Contains(all, s) {
			t.Errorf("%q appears in the output:\n%s", s, clip(all))
		}
	}
}

// assertExit fails when the run's exit code is not want.
func assertExit(t testing.TB, res hostileResult, want int) {
	t.Helper()
	if res.Code != want {
		t.Errorf("exit code %d, want %d; stderr:\n%s", res.Code, want, clip(res.Stderr))
	}
}

// assertStderr fails unless stderr holds every string.
func assertStderr(t testing.TB, res hostileResult, want ...string) {
	t.Helper()
	for _, s := range want {
		if !strings.Contains(res.Stderr, s) {
			t.Errorf("stderr lacks %q:\n%s", s, clip(res.Stderr))
		}
	}
}

// clip shortens text for a failure message.
func clip(s string) string {
	const max = 4000
	if len(s) <= max {
		return s
	}
	return s[:max] + fmt.Sprintf("\n… (%d more bytes)", len(s)-max)
}

// hostileFile is one entry of a generated tree: a file's content, or (with
// Link set) a symbolic link to Link.
type hostileFile struct {
	Data string
	Link string
	Mode os.FileMode // 0 means 0o644 (0o755 for directories)
}

// writeTree writes files (paths relative to dir, with forward slashes)
// under dir, creating directories as needed. A path ending in "/" is a
// directory.
func writeTree(t testing.TB, dir string, files map[string]hostileFile) {
	t.Helper()
	for name, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if strings.HasSuffix(name, "/") {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if f.Link != "" {
			if err := os.Symlink(f.Link, p); err != nil {
				t.Fatal(err)
			}
			continue
		}
		mode := f.Mode
		if mode == 0 {
			mode = 0o644
		}
		if err := os.WriteFile(p, []byte(f.Data), mode); err != nil {
			t.Fatal(err)
		}
	}
}

// hostileMarker is planted outside the scanned tree: it must never appear
// in any output.
const hostileMarker = "OUTSIDE_THE_TREE_7c1e0b"

// hostileWorkspace makes a directory holding "tree" (the scanned tree, with
// a .git directory so it is a repository root) and "outside" (a Terraform
// module and files carrying hostileMarker), and returns the workspace and
// the tree.
func hostileWorkspace(t testing.TB) (ws, tree string) {
	t.Helper()
	ws = t.TempDir()
	tree = filepath.Join(ws, "tree")
	writeTree(t, ws, map[string]hostileFile{
		"tree/.git/":                   {},
		"outside/infra/main.tf":        {Data: outsideModule},
		"outside/secret.txt":           {Data: hostileMarker + "\n"},
		"outside/values.auto.tfvars":   {Data: `bucket_name = "` + hostileMarker + `"` + "\n"},
		"outside/terraform.tfvars":     {Data: `bucket_name = "` + hostileMarker + `"` + "\n"},
		"outside/values.tfvars.json":   {Data: `{"bucket_name": "` + hostileMarker + `"}`},
		"outside/casascan.yaml":        {Data: hostileMarker + ": true\n"},
		"outside/modules/modules.json": {Data: `{"Modules": []}`},
	})
	return ws, tree
}

// outsideModule is a module outside the tree with a public bucket: its
// resource names are the marker, so any finding on it shows the marker.
var outsideModule = publicBucketNamed(hostileMarker)

// publicBucketNamed is a bucket granted to allUsers (GCP-ACC-001 fails),
// its resources called name, with the bucket named name too.
func publicBucketNamed(name string) string {
	return strings.ReplaceAll(`resource "google_storage_bucket" "NAME" {
  name     = "NAME"
  location = "EU"
}

resource "google_storage_bucket_iam_member" "NAME" {
  bucket = google_storage_bucket.NAME.name
  role   = "roles/storage.objectViewer"
  member = "allUsers"
}
`, "NAME", name)
}

// TestHostileHarness checks the harness itself: a child run reports its
// exit code and output, and a scan of a tree with a public bucket fails.
func TestHostileHarness(t *testing.T) {
	_, tree := hostileWorkspace(t)
	writeTree(t, tree, map[string]hostileFile{"main.tf": {Data: strings.ReplaceAll(outsideModule, hostileMarker, "inside_bucket")}})
	res := runHostile(t, tree, hostileLimits{}, "scan", ".", "--format", "json")
	assertExit(t, res, 1)
	if !strings.Contains(res.Stdout, "GCP-ACC-001") || !strings.Contains(res.Stdout, "google_storage_bucket_iam_member.inside_bucket") {
		t.Fatalf("the child scan did not report the public bucket:\n%s", clip(res.Stdout))
	}
	if res.MaxRSS <= 0 {
		t.Errorf("peak RSS not measured")
	}
	for format, r := range runHostileFormats(t, tree, hostileLimits{}, "scan", ".") {
		assertExit(t, r, 1)
		if !strings.Contains(r.Output, "inside_bucket") {
			t.Errorf("%s report does not name the bucket", format)
		}
	}
}
