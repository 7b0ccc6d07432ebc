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
)

// Set by the release build: -ldflags "-X main.version=1.2.3 -X main.commit=abc -X main.date=2026-01-02T03:04:05Z".
var (
	version string
	commit  string
	date    string
)

func main() {
	tuneGC()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
