package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/casascan/casascan/internal/treefs"
	"github.com/mattn/go-isatty"
	"github.com/spf13/cobra"

	"github.com/casascan/casascan/internal/safetext"
	"github.com/casascan/casascan/scanner"
)

// Exit codes. They are part of the command-line contract (design.md): CI
// pipelines branch on them.
const (
	exitOK = 0
	// exitFindings is the default of --exit-code: FAIL findings remain after
	// filtering.
	exitFindings = 1
	// exitUsage is a usage error, or a source that could not be read at all.
	exitUsage = 2
	// exitSkipped means no FAIL findings, but part of the input could not
	// be judged (scanner.Result.Incomplete), so "clean" cannot be claimed.
	exitSkipped = 3
)

// exitError carries an exit code out of a command. An empty message prints
// nothing (the report already said everything).
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit code %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// usageErrorf builds an exitUsage error; the message should say what to run
// instead.
func usageErrorf(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

// cli is everything a run reads from its process, so that tests can run the
// command in-process, in parallel, each in its own directory, with a fixed
// clock and version.
type cli struct {
	stdout, stderr io.Writer
	// dir is the working directory: relative paths are resolved against it
	// and file names in reports are relative to it when the scanned tree is
	// inside it.
	dir     string
	environ []string
	now     func() time.Time
	// isTerminal reports whether a writer is an interactive terminal (for
	// colour and progress).
	isTerminal func(w io.Writer) bool
	build      buildInfo

	// maxFileSize bounds every file read (--max-file-size); trees are the
	// scanned trees' file systems by root, opened once per run.
	maxFileSize int64
	trees       map[string]*treefs.FS

	// planOnly makes scan validate its flags, arguments and configuration
	// (planScan) and stop before reading any source: TestDocs checks every
	// documented command line this way.
	planOnly bool
}

// run runs casascan with the process's working directory, environment and
// clock, and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	dir, err := os.Getwd()
	if err != nil {
		fmt.Fprintf(stderr, "casascan: finding the working directory: %v\n", err)
		return exitUsage
	}
	c := &cli{
		stdout: stdout, stderr: stderr,
		dir: dir, environ: os.Environ(), now: time.Now,
		isTerminal: fileIsTerminal,
		build:      currentBuild(),
	}
	return c.run(ctx, args)
}

// stackOf keeps the function lines of a goroutine stack (not the file
// paths of the machine that built casascan), escaped.
func stackOf(stack []byte) string {
	var b strings.Builder
	for _, line := range strings.Split(string(stack), "\n") {
		if line == "" || strings.HasPrefix(line, "\t") {
			continue
		}
		b.WriteString("  " + strings.Trim(strconv.QuoteToASCII(line), `"`) + "\n")
	}
	return b.String()
}

func fileIsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// getenv looks a variable up in the run's environment (not the process's).
func (c *cli) getenv(name string) (string, bool) {
	for i := len(c.environ) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(c.environ[i], "="); ok && k == name {
			return v, true
		}
	}
	return "", false
}

// run executes one command line and maps its outcome to an exit code. A
// panic (a bug) is reported as an internal error and an incomplete scan
// (exit 3), never as a usage error or a clean pass.
func (c *cli) run(ctx context.Context, args []string) (code int) {
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(c.stderr, "casascan: internal error: %s; the scan is incomplete. Please report this bug with the output of 'casascan version'.\n%s",
				strconv.QuoteToASCII(fmt.Sprint(p)), strings.ToValidUTF8(stackOf(debug.Stack()), "?"))
			code = exitSkipped
		}
	}()
	root := c.rootCommand()
	root.SetArgs(args)
	root.SetOut(c.stdout)
	root.SetErr(c.stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(c.stderr, "casascan: %s\n", safeMessage(ee.err))
		}
		return ee.code
	}
	// Anything else comes from cobra itself: an unknown command, a wrong
	// number of arguments.
	fmt.Fprintf(c.stderr, "casascan: %s\nRun 'casascan --help' for usage.\n", safeMessage(err))
	return exitUsage
}

// safeMessage renders an error for stderr. Errors quote paths, file
// contents and values from the scanned tree (a configuration key, a plan's
// parse error): credentials are redacted, and each line is made inert for a
// terminal and a CI log.
func safeMessage(err error) string {
	return safetext.Lines(scanner.RedactText(err.Error()))
}

func (c *cli) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "casascan",
		Short: "Check Google Cloud infrastructure against the CASA security measures",
		Long: `casascan checks Google Cloud infrastructure (Terraform, plan files, asset
exports and live projects) against the security measures that Google's
Workspace API user-data policy requires of apps holding restricted-scope data
(encryption at rest with managed keys, keys in an HSM, tokens encrypted,
HTTPS everywhere, no public access, deletable data, nothing sensitive in logs).`,
		Version:       c.build.Version,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetVersionTemplate("casascan {{.Version}}\n")
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return usageErrorf("%v\nRun '%s --help' for usage.", flagHint(err), cmd.CommandPath())
	})
	root.AddCommand(c.scanCommand(), c.checksCommand(), c.mergeCommand(), c.versionCommand())
	return root
}
