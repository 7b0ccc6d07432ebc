package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/casascan/casascan/internal/safetext"
	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/report"
)

// inferFormat picks the format from the --output file name, so that
// `--output results.sarif` needs no --format.
func inferFormat(output string) string {
	name := strings.ToLower(output)
	switch {
	case strings.HasSuffix(name, ".sarif"), strings.HasSuffix(name, ".sarif.json"):
		return "sarif"
	case strings.HasSuffix(name, ".json"):
		return "json"
	case strings.HasSuffix(name, ".csv"):
		return "csv"
	case strings.HasSuffix(name, ".md"), strings.HasSuffix(name, ".markdown"):
		return "markdown"
	case strings.HasSuffix(name, ".xml"):
		return "junit"
	case strings.HasSuffix(name, ".html"), strings.HasSuffix(name, ".htm"):
		return "html"
	}
	return "text"
}

func validFormat(name string) bool { return slices.Contains(report.Formats(), name) }

// formatAliases are the format names trivy and tfsec users type for ours.
var formatAliases = map[string]string{"table": "text", "md": "markdown"}

// formatExt names the file a format gets in an --output directory:
// casascan.sarif, casascan.md, ...
var formatExt = map[string]string{"text": "txt", "markdown": "md"}

// reportTarget is one report a scan writes: a format, to a file or, when
// path is "", to stdout.
type reportTarget struct {
	format string
	path   string // as given (relative to the working directory); "" is stdout
	// inDir says path was made from --output DIR: a shard of a sharded
	// live scan then writes casascan-shard-I-of-N.EXT, so the shards of
	// one job can share DIR (see sharded).
	inDir bool
}

// sharded returns where a report goes in shard i of n: DIR/casascan.sarif
// becomes DIR/casascan-shard-2-of-8.sarif, so a Cloud Run job or an
// Indexed Job needs no shell to give each task its own file.
func (t reportTarget) sharded(i, n int) string {
	if !t.inDir || n < 2 {
		return t.path
	}
	dir, name := filepath.Split(t.path)
	base, ext, _ := strings.Cut(name, ".")
	return filepath.Join(dir, fmt.Sprintf("%s-shard-%d-of-%d.%s", base, i, n, ext))
}

// parseFormat reads one format name: ours, in any case, or an alias.
func parseFormat(name string) (string, error) {
	f := strings.ToLower(strings.TrimSpace(name))
	if a, ok := formatAliases[f]; ok {
		f = a
	}
	if !validFormat(f) {
		return "", usageErrorf("unknown --format %q: want one of %s (several: --format sarif,markdown --output DIR)", name, strings.Join(report.Formats(), ", "))
	}
	return f, nil
}

// planOutputs decides which reports a scan writes from --format (one
// format or a comma-separated list) and --output (repeatable):
//
//	--format F                       F to stdout (default text)
//	--output FILE [--format F]       F, or the format FILE's extension names, to FILE
//	--output -                       stdout (- is stdout wherever a file is named)
//	--format A,B --output DIR        DIR/casascan.EXT for each format (DIR is created;
//	                                 a shard of a live scan writes casascan-shard-I-of-N.EXT)
//	--format A --output DIR          the same for one format, when DIR is a directory
//	--output A=FILE --output B=FILE  each format to its file
//
// Every report is rendered from the one result, so the files agree.
func (c *cli) planOutputs(format string, outputs []string) ([]reportTarget, error) {
	var formats []string
	for _, name := range strings.Split(format, ",") {
		if strings.TrimSpace(name) == "" {
			continue
		}
		f, err := parseFormat(name)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(formats, f) {
			formats = append(formats, f)
		}
	}
	var plain []string
	var pairs []reportTarget
	for _, o := range outputs {
		name, file, ok := strings.Cut(o, "=")
		if !ok || !isFormatWord(name) {
			plain = append(plain, o)
			continue
		}
		f, err := parseFormat(name)
		if err != nil {
			return nil, usageErrorf("--output %s: unknown format %q: want FORMAT=FILE with FORMAT one of %s (a file whose name holds \"=\" is written ./%s)", o, name, strings.Join(report.Formats(), ", "), o)
		}
		if file == "" {
			return nil, usageErrorf("--output %s: want FORMAT=FILE, for example --output sarif=casascan.sarif", o)
		}
		pairs = append(pairs, reportTarget{format: f, path: stdoutPath(file)})
	}
	var targets []reportTarget
	switch {
	case len(pairs) > 0 && (len(plain) > 0 || len(formats) > 0):
		return nil, usageErrorf("--output FORMAT=FILE names each report's format: give no --format and no plain --output with it (or use --format %s --output DIR)", strings.Join(append(formats, "..."), ","))
	case len(pairs) > 0:
		targets = pairs
	case len(plain) > 1:
		return nil, usageErrorf("--output is given %d times: write several reports with --output FORMAT=FILE for each, or --format A,B --output DIR", len(plain))
	case len(plain) == 0 && len(formats) > 1:
		return nil, usageErrorf("--format %s writes several reports: name a directory with --output DIR, or each file with --output FORMAT=FILE", format)
	case len(plain) == 0:
		f := "text"
		if len(formats) == 1 {
			f = formats[0]
		}
		targets = []reportTarget{{format: f}}
	case len(formats) > 1 || c.isDir(plain[0]):
		dir := plain[0]
		if dir == "-" {
			return nil, usageErrorf("--format %s writes several reports, and only one can go to stdout: name a directory with --output DIR", format)
		}
		if len(formats) == 0 {
			formats = []string{"text"}
		}
		for _, f := range formats {
			ext := formatExt[f]
			if ext == "" {
				ext = f
			}
			targets = append(targets, reportTarget{format: f, path: filepath.Join(dir, "casascan."+ext), inDir: true})
		}
	default:
		f := inferFormat(plain[0])
		if len(formats) == 1 {
			f = formats[0]
		}
		targets = []reportTarget{{format: f, path: stdoutPath(plain[0])}}
	}
	seen := map[string]bool{}
	for _, t := range targets {
		key := "stdout"
		if t.path != "" {
			key = c.abs(t.path)
		}
		if seen[key] {
			if t.path == "" {
				return nil, usageErrorf("only one report can go to stdout: name a file for the others with --output FORMAT=FILE")
			}
			return nil, usageErrorf("--output names %s twice: give each report its own file", t.path)
		}
		seen[key] = true
	}
	return targets, nil
}

// isFormatWord tells "sarif=out.sarif" (a format and a file) from a file
// name that happens to hold "=": the part before "=" is a word, as format
// names are.
func isFormatWord(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
			return false
		}
	}
	return true
}

// stdoutPath maps "-" (stdout, as trivy and tfsec spell it) to "".
func stdoutPath(p string) string {
	if p == "-" {
		return ""
	}
	return p
}

func (c *cli) isDir(p string) bool {
	fi, err := os.Stat(c.abs(p))
	return err == nil && fi.IsDir()
}

// writeReport writes every report from the one result: the files agree,
// and the exit code was not decided by any of them. Each file is written
// as it is rendered (never held whole in memory) to a temporary file
// beside it; only when every report was written are they renamed into
// place, so a writer error never leaves half a set of files and a reader
// (a CI upload step) never sees a partial report. The report to stdout,
// if any, is written last.
func (c *cli) writeReport(p *scanPlan, res *scanner.Result) (err error) {
	temps := make([]*os.File, len(p.outputs))
	defer func() {
		for _, tmp := range temps {
			if tmp != nil {
				tmp.Close()
				os.Remove(tmp.Name())
			}
		}
	}()
	warnings := make([][]string, len(p.outputs))
	for i, t := range p.outputs {
		if t.path == "" {
			continue
		}
		name := t.sharded(p.shardIndex, p.shardCount)
		path := c.abs(name)
		if len(p.outputs) > 1 || t.inDir {
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				return fmt.Errorf("writing %s: %w", name, pathErr(err))
			}
		}
		tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
		if err != nil {
			return fmt.Errorf("writing %s: %w", name, pathErr(err))
		}
		temps[i] = tmp
		bw := bufio.NewWriterSize(failWriter{tmp}, 256<<10)
		if warnings[i], err = report.Stream(bw, t.format, res, p.report); err != nil {
			var wf *writeFailure
			if errors.As(err, &wf) {
				return fmt.Errorf("writing %s: %w", name, wf.err)
			}
			return fmt.Errorf("writing the %s report: %w", t.format, err)
		}
		if err := bw.Flush(); err != nil {
			return fmt.Errorf("writing %s: %w", name, err)
		}
		if err := tmp.Chmod(0o644); err != nil {
			return fmt.Errorf("writing %s: %w", name, err)
		}
	}
	for i, t := range p.outputs {
		if t.path != "" {
			continue
		}
		bw := bufio.NewWriterSize(c.stdout, 256<<10)
		if warnings[i], err = report.Stream(bw, t.format, res, p.report); err == nil {
			err = bw.Flush()
		}
		if err != nil {
			return fmt.Errorf("writing the report: %w", err)
		}
	}
	for i, t := range p.outputs {
		for _, w := range warnings[i] {
			fmt.Fprintf(c.stderr, "casascan: warning: %s\n", safetext.Line(scanner.RedactText(w)))
		}
		if t.path == "" {
			continue
		}
		name := t.sharded(p.shardIndex, p.shardCount)
		tmp := temps[i]
		temps[i] = nil
		if err := tmp.Close(); err != nil {
			os.Remove(tmp.Name())
			return fmt.Errorf("writing %s: %w", name, err)
		}
		if err := replaceFile(tmp.Name(), c.abs(name)); err != nil {
			os.Remove(tmp.Name())
			return fmt.Errorf("writing %s: %w", name, err)
		}
		fmt.Fprintf(c.stderr, "casascan: wrote %s (%s)\n", safetext.Line(name), summary(res))
	}
	return nil
}

// writeFailure is an error of the file a report is written to, told from
// an error of the writer itself.
type writeFailure struct{ err error }

func (e *writeFailure) Error() string { return e.err.Error() }
func (e *writeFailure) Unwrap() error { return e.err }

// failWriter marks the errors of w as writeFailure.
type failWriter struct{ w io.Writer }

func (f failWriter) Write(p []byte) (int, error) {
	n, err := f.w.Write(p)
	if err != nil {
		err = &writeFailure{err}
	}
	return n, err
}

// summary counts the results by status: "2 failed, 5 passed, 1 ignored".
func summary(res *scanner.Result) string {
	parts := []string{
		fmt.Sprintf("%d failed", res.Count(scanner.StatusFail)),
		fmt.Sprintf("%d passed", res.Count(scanner.StatusPass)),
	}
	for _, s := range []struct {
		status scanner.Status
		word   string
	}{{scanner.StatusIgnored, "ignored"}, {scanner.StatusUnknown, "unknown"}, {scanner.StatusOutOfScope, "out of scope"}} {
		if n := res.Count(s.status); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s.word))
		}
	}
	return strings.Join(parts, ", ")
}

// writeFileAtomic writes data to a temporary file beside path and renames it
// into place.
func writeFileAtomic(path string, data []byte) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return pathErr(err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Chmod(0o644); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return replaceFile(tmp.Name(), path)
}

// replaceFile renames the finished file tmp to path. A regular file at
// path is removed first: renamed over, ext4 (auto_da_alloc) writes the
// new file's data to disk before the rename returns, which for a large
// report is seconds spent waiting on the disk (1.5 s for 450 MB here).
// Readers never see a partial file either way; between the two steps
// there is briefly none.
func replaceFile(tmp, path string) error {
	if fi, err := os.Lstat(path); err == nil && fi.Mode().IsRegular() {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return os.Rename(tmp, path)
}
