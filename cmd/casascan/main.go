// Command casascan checks Google Cloud infrastructure (Terraform, plan files,
// asset exports and live projects) against the security measures Google's
// Workspace API user-data policy requires of apps that hold restricted-scope
// data, and reports the findings as SARIF, text, JSON, CSV or Markdown.
//
// main only wires the process to run; everything testable lives in run.
package main

import (
	"context"
	"os"
	"os/signal"
	"runtime/debug"
)

// Set by the release build: -ldflags "-X main.version=1.2.3 -X main.commit=abc -X main.date=2026-01-02T03:04:05Z".
var (
	version string
	commit  string
	date    string
)

// gcPercent is the garbage collector's target while the tree is loaded and
// judged, when GOGC is not set (writeGCPercent applies while the reports
// are written). The live heap then is the findings kept so far plus the
// root modules being evaluated; Go's default of 100 lets the heap grow to
// twice that. Measured on the generated 200-root tree (gentree.Roots200,
// 49,600 results, peak RSS of the five formats, 2-core machine): 116-125
// MiB at 200, 91-96 MiB at 100, 79-89 MiB at 50, for about a quarter more
// CPU time than at 200 (3.4-4.8 s against 2.2-3.8 s of user time, under
// load). 50 keeps the peak under half of tfsec's (187 MiB on that tree).
const gcPercent = 50

func main() {
	hugePages()
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(gcPercent)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
