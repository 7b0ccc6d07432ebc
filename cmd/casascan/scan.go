package main

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/casascan/casascan/cmd/casascan/internal/config"
	"github.com/casascan/casascan/internal/safetext"
	"github.com/casascan/casascan/internal/treefs"
	"github.com/casascan/casascan/providers/gcp"
	"github.com/casascan/casascan/providers/terraform"
	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/report"
)

// scanFlags are the flags of `casascan scan` as the user typed them.
type scanFlags struct {
	format                          string
	outputs                         []string
	varFiles, vars                  []string
	varArgs                         []terraform.VarArg // --var-file and --var together, in command-line order
	projects, folders, orgs         []string
	quotaProject, shard             string
	severity, checks, skip          []string
	exclude                         []string
	exitCode                        int
	failOn                          string
	softFail                        bool
	skipDirs                        []string
	scanDownloadedModules           bool
	sarifIncludeUnknown             bool
	sarifCategory                   string
	scopeLabels                     []string
	noColor, noInlineIgnores        bool
	compact                         bool
	requireReason                   bool
	config, baseline, writeBaseline string
	checkDirs                       []string // --check-dir: custom check files or directories
	maxFileSize                     string
	// The evaluation budget (terraform.Limits); 0 or "" is the default.
	maxInstances, maxEvalSteps int64
	maxStringBytes             string
	// changed reports whether the user gave a flag (cobra's Changed), so
	// that only given flags override the configuration file.
	changed func(name string) bool
}

// scanPlan is a scan with its flags and configuration file validated:
// everything a usage error can come from is found before any source is
// read.
type scanPlan struct {
	flags      *scanFlags
	cfg        *config.Config // the configuration in force: file, then flags
	outputs    []reportTarget
	failOn     scanner.Severity // 0: every FAIL fails the build
	sources    []source
	live       bool
	shardIndex int
	shardCount int
	report     report.Options
	limits     terraform.Limits // the evaluation budget
	custom     []*scanner.Check // the custom checks (docs/custom-checks.md)
	// varData holds each var file's content (by absolute path) as the
	// configuration check read it through the tree rooted at varTree, so
	// that the sources of that tree do not read it again.
	varData map[string][]byte
	varTree string
}

func (c *cli) scanCommand() *cobra.Command {
	var f scanFlags
	cmd := &cobra.Command{
		Use:   "scan [PATH ...]",
		Short: "Scan Terraform, plan files, asset exports or live Google Cloud",
		Long: `Scan reads each PATH and reports what the checks find.

PATH is a Terraform directory (default "."), a .tf file (its directory is
scanned), a plan or state JSON file written by 'terraform show -json', or a
Cloud Asset Inventory export file. When a plan file and a Terraform directory
are both given, the directory is the plan's source: findings point at its
files and lines. --project, --folder and --organization scan live Google Cloud
(read-only, Application Default Credentials); with them, "." is scanned only
when given.

Exit codes:
  0  no FAIL findings remain after filtering, and everything was judged
  N  FAIL findings remain (--exit-code, default 1; 0 never fails the build);
     with --fail-on SEVERITY, only FAILs at or above it count; with
     --soft-fail, none does (everything is still reported)
  2  usage error, or a PATH that does not exist or is no kind of input
     casascan reads
  3  no FAIL findings remain, but part of the input could not be judged: a
     file that does not parse or cannot be read, a local module that is
     missing, an export or plan record that cannot be read, a live project
     or service denied. The report lists each with its file:line (or
     project) and why. A module that terraform init has not fetched is a
     warning named in the summary, not an incomplete scan. --soft-fail
     does not change this: an incomplete scan is a failed run. A scan
     whose findings could not all be read back from its temporary file
     exits 3 too, FAIL findings or not.`,
		Example: `  casascan scan .
  casascan scan infra --format sarif --output casascan.sarif
  casascan scan infra --format sarif,markdown --output results --fail-on HIGH
  casascan scan . --var-file prod.tfvars --severity HIGH,CRITICAL
  terraform show -json plan.out > plan.json && casascan scan plan.json .
  casascan scan --project acme-mail-prod --format csv --output evidence.csv`,
		RunE: func(cmd *cobra.Command, args []string) error {
			f.changed = cmd.Flags().Changed
			if c.planOnly {
				defer c.closeTrees()
				_, err := c.planScan(&f, args)
				return err
			}
			return c.scan(cmd.Context(), &f, args)
		},
	}
	fl := cmd.Flags()
	fl.SortFlags = false
	fl.StringVarP(&f.format, "format", "f", "", "output `FORMAT`: "+strings.Join(report.Formats(), "|")+`, or a comma-separated list with --output DIR (default: from the --output extension, else "text"; "table" is text)`)
	fl.StringArrayVarP(&f.outputs, "output", "o", nil, "write the report to `FILE` (default stdout; - is stdout), to DIR/casascan.EXT for several formats, or FORMAT=FILE (repeatable); written atomically")
	fl.Var(&varArgFlag{file: true, own: &f.varFiles, order: &f.varArgs}, "var-file", "Terraform variables `FILE` (repeatable; with --var, applied in command-line order, the later one winning)")
	fl.Var(&varArgFlag{own: &f.vars, order: &f.varArgs}, "var", "Terraform variable `NAME=VALUE` (repeatable; with --var-file, applied in command-line order, the later one winning)")
	fl.StringSliceVar(&f.projects, "project", nil, "scan live Google Cloud project `ID` (repeatable)")
	fl.StringSliceVar(&f.folders, "folder", nil, "scan every project in folder `ID` (repeatable)")
	fl.StringSliceVar(&f.orgs, "organization", nil, "scan every project in organization `ID` (repeatable)")
	fl.StringVar(&f.quotaProject, "quota-project", "", "bill Cloud Asset Inventory calls to project `ID`")
	fl.StringVar(&f.shard, "shard", "", "scan shard `I/N` of the live projects (0-based; default from CLOUD_RUN_TASK_INDEX/COUNT, or JOB_COMPLETION_INDEX with CASASCAN_SHARD_COUNT)")
	fl.StringSliceVar(&f.severity, "severity", nil, "run only checks of these severities (`LIST` of CRITICAL,HIGH,MEDIUM,LOW)")
	fl.StringSliceVar(&f.checks, "checks", nil, "run only these check IDs (comma `LIST`)")
	fl.StringSliceVar(&f.skip, "skip-checks", nil, "do not run these check IDs (comma `LIST`)")
	fl.IntVar(&f.exitCode, "exit-code", exitFindings, "exit with `N` when FAIL findings remain after filtering (not 2 or 3: those mean a usage error and an incomplete scan)")
	fl.StringVar(&f.failOn, "fail-on", "", "exit with --exit-code only when a FAIL of at least `SEVERITY` remains (CRITICAL, HIGH, MEDIUM, LOW); every finding is still reported")
	fl.BoolVar(&f.softFail, "soft-fail", false, "report, but exit 0 whatever the findings (usage errors still exit 2, an incomplete scan 3)")
	fl.StringArrayVar(&f.scopeLabels, "scope-label", nil, "judge M1/M3/M4 checks only on resources labelled `KEY=VALUE` and what they reference (repeatable)")
	fl.BoolVar(&f.sarifIncludeUnknown, "sarif-include-unknown", false, `add UNKNOWN results to SARIF (kind "open")`)
	fl.StringVar(&f.sarifCategory, "sarif-category", "", "SARIF automationDetails.id `CATEGORY` (default derived from the scanned paths)")
	fl.BoolVar(&f.noColor, "no-color", false, "never colour the text report (NO_COLOR is honoured too)")
	fl.BoolVar(&f.compact, "compact", false, "text report: one line per finding, no source lines")
	fl.BoolVar(&f.noInlineIgnores, "no-inline-ignores", false, "ignore casascan:ignore comments (for audits)")
	fl.BoolVar(&f.requireReason, "require-reason", false, `ignore comments without "-- reason" suppress nothing`)
	fl.StringSliceVar(&f.exclude, "exclude", nil, "report nothing in paths matching these glob `PATTERNS` (relative to the scan root; ** spans directories)")
	fl.StringSliceVar(&f.skipDirs, "skip-dirs", nil, "report nothing under these `DIRS` (trivy's flag: --skip-dirs legacy is --exclude 'legacy/**')")
	fl.BoolVar(&f.scanDownloadedModules, "scan-downloaded-modules", true, "report findings in modules terraform init downloaded (.terraform/modules); =false reports only the repository's own code")
	fl.StringArrayVar(&f.checkDirs, "check-dir", nil, "load custom checks (YAML, docs/custom-checks.md) from `DIR` or file, besides .casascan/checks at the scan root (repeatable)")
	fl.StringVar(&f.config, "config", "", "configuration `FILE` (default: .casascan.yaml at the scan root)")
	fl.StringVar(&f.baseline, "baseline", "", "report only findings not recorded in baseline `FILE`")
	fl.StringVar(&f.writeBaseline, "write-baseline", "", "record the FAIL findings in baseline `FILE` (they then count as accepted)")
	fl.StringVar(&f.maxFileSize, "max-file-size", treefs.FormatSize(treefs.DefaultMaxFileSize), "read no file larger than `SIZE` (bytes, or with KiB, MiB, GiB); a larger one is a diagnostic")
	fl.Int64Var(&f.maxInstances, "max-instances", 0, fmt.Sprintf("evaluation budget: at most `N` resource and module instances and dynamic blocks in all (default %d, or %d per block the tree declares when that is more)", terraform.DefaultMaxInstances, terraform.InstancesPerBlock))
	fl.Int64Var(&f.maxEvalSteps, "max-eval-steps", 0, fmt.Sprintf("evaluation budget: at most `N` function calls, for iterations and elements produced in all (default %d)", terraform.DefaultMaxSteps))
	fl.StringVar(&f.maxStringBytes, "max-string-bytes", "", "evaluation budget: at most `SIZE` of strings built by templates and functions in all (default "+treefs.FormatSize(terraform.DefaultMaxStringBytes)+")")
	fl.SetNormalizeFunc(flagAliases)
	c.completeScanFlags(cmd)
	return cmd
}

// scan runs one scan: validate, select checks, load, judge, filter, report,
// decide the exit code.
func (c *cli) scan(ctx context.Context, f *scanFlags, args []string) error {
	defer c.closeTrees()
	p, err := c.planScan(f, args)
	if err != nil {
		return err
	}
	all := catalog(p.custom)
	selected, err := scanner.Select(all, p.cfg.Checks, p.cfg.SkipChecks, p.cfg.Severity)
	if err != nil {
		return usageErrorf("%v", err)
	}
	opts := p.cfg.RunOptions()
	opts.Now = c.now()
	for _, ch := range all {
		opts.CheckIDs = append(opts.CheckIDs, ch.ID)
	}
	session := scanner.NewSession(selected, opts)
	graphs, err := c.load(ctx, p, session)
	if err != nil {
		return err
	}
	for _, g := range graphs.all() {
		session.Add(g)
	}
	res := session.Result()
	defer c.closeResult(res)
	res.Tool = scanner.Tool{Name: "casascan", Version: c.build.Version}
	c.dropExcluded(p, res)
	if err := c.applyBaselines(p, res); err != nil {
		return outcome(res.Err(), &exitError{code: exitUsage, err: err})
	}
	c.printDiagnostics(res.Diagnostics)
	if err := c.writeReport(p, res); err != nil {
		return outcome(res.Err(), &exitError{code: exitUsage, err: err})
	}
	// The writers have read the findings back: res.Err, read last, says
	// whether every one of them came back.
	v := verdict(res, p.failCode(res))
	return outcome(res.Err(), v)
}

// outcome ends a scan whose findings were read: readErr is the error met
// reading them back from the temporary file a large result is kept in
// (scanner.Result.Err), err how the scan ends otherwise (nil, a writer's
// error, the verdict). A read error wins over anything else, failures
// included: the reports, the baseline and the exit code may all have
// missed findings, so neither a pass nor a complete list of failures can
// be claimed, and the scan exits exitSkipped (incomplete). The error names
// the temporary file and what failed, never a finding's content.
func outcome(readErr, err error) error {
	if readErr == nil {
		return err
	}
	return &exitError{code: exitSkipped, err: fmt.Errorf("the scan is incomplete: its findings could not all be read back (%w), so the reports and the exit code may miss some", readErr)}
}

// closeResult releases the temporary file a large result is kept in; a
// failure to remove it is only a warning: the reports and the exit code
// do not depend on it.
func (c *cli) closeResult(res *scanner.Result) {
	if err := res.Close(); err != nil {
		fmt.Fprintf(c.stderr, "casascan: warning: removing the scan's temporary file: %s\n", safeMessage(err))
	}
}

// verdict decides the exit code from the result, never from a writer:
// failCode when FAIL findings remain (and failCode is not 0); otherwise
// exitSkipped when part of the input was not judged (res.Incomplete: a
// file that did not parse or could not be read, an export record dropped,
// a live project or service denied), since a clean result then cannot be
// trusted. A Terraform module that is not fetched is only a warning: CI
// runs without terraform init must still pass when clean.
func verdict(res *scanner.Result, failCode int) error {
	if res.Count(scanner.StatusFail) > 0 && failCode != exitOK {
		return &exitError{code: failCode}
	}
	if n := len(res.NotJudged()); n > 0 {
		return &exitError{code: exitSkipped, err: fmt.Errorf("the scan is incomplete: %s of the input could not be judged (see the diagnostics above)", parts(n))}
	}
	return nil
}

// parts renders "1 part" or "n parts".
func parts(n int) string {
	if n == 1 {
		return "1 part"
	}
	return strconv.Itoa(n) + " parts"
}

// planScan validates the flags, the arguments and the configuration file.
func (c *cli) planScan(f *scanFlags, args []string) (*scanPlan, error) {
	p := &scanPlan{flags: f}
	var err error
	if p.outputs, err = c.planOutputs(f.format, f.outputs); err != nil {
		return nil, err
	}
	if p.failOn, err = planGate(f); err != nil {
		return nil, err
	}
	for _, v := range f.vars {
		if name, _, ok := strings.Cut(v, "="); !ok || strings.TrimSpace(name) == "" {
			return nil, usageErrorf("--var %q: want NAME=VALUE, for example --var region=europe-west1", v)
		}
	}
	c.maxFileSize = treefs.DefaultMaxFileSize
	if f.maxFileSize != "" {
		size, err := treefs.ParseSize(f.maxFileSize)
		if err != nil {
			return nil, usageErrorf("--max-file-size: %v", err)
		}
		c.maxFileSize = size
	}
	if p.limits, err = planLimits(f); err != nil {
		return nil, err
	}
	p.live = len(f.projects)+len(f.folders)+len(f.orgs) > 0
	if err := c.planShard(p, f.shard); err != nil {
		return nil, err
	}
	if len(args) == 0 && !p.live {
		args = []string{"."}
	}
	if p.sources, err = c.resolve(args); err != nil {
		return nil, err
	}
	if p.cfg, err = c.configuration(p); err != nil {
		return nil, err
	}
	p.report = report.Options{
		Color:          p.textToStdout() && !f.noColor && c.colorAllowed() && c.isTerminal(c.stdout),
		IncludeUnknown: p.cfg.SARIF.IncludeUnknown,
		Category:       p.cfg.SARIF.Category,
		Root:           c.scanRoot(args, f, p),
	}
	if err := c.evidenceOptions(p, args); err != nil {
		return nil, err
	}
	return p, nil
}

// planLimits reads the evaluation budget's flags.
func planLimits(f *scanFlags) (terraform.Limits, error) {
	l := terraform.Limits{Instances: f.maxInstances, Steps: f.maxEvalSteps}
	if f.maxInstances < 0 || f.maxEvalSteps < 0 {
		return l, usageErrorf("--max-instances and --max-eval-steps take a positive number")
	}
	if f.maxStringBytes != "" {
		size, err := treefs.ParseSize(f.maxStringBytes)
		if err != nil {
			return l, usageErrorf("--max-string-bytes: %v", err)
		}
		l.StringBytes = size
	}
	return l, nil
}

func parseScopeLabels(list []string) (map[string]string, error) {
	if len(list) == 0 {
		return nil, nil
	}
	labels := map[string]string{}
	for _, kv := range list {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return nil, usageErrorf("--scope-label %q: want KEY=VALUE, for example --scope-label data=gmail", kv)
		}
		if old, dup := labels[k]; dup && old != v {
			return nil, usageErrorf("--scope-label %s is given twice (%s and %s): give each label key once", k, old, v)
		}
		labels[k] = v
	}
	return labels, nil
}

// planShard reads --shard I/N or, without it, the task index and count of a
// Cloud Run job or a Kubernetes Indexed Job (gcp.ShardFromEnv).
func (c *cli) planShard(p *scanPlan, flag string) error {
	if flag == "" {
		if p.live {
			p.shardIndex, p.shardCount, _ = gcp.ShardFromEnv(c.environ)
		}
		return nil
	}
	if !p.live {
		return usageErrorf("--shard splits live projects: give --project, --folder or --organization too")
	}
	i, n, ok := strings.Cut(flag, "/")
	idx, err1 := strconv.Atoi(i)
	cnt, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || cnt < 1 || idx < 0 || idx >= cnt {
		return usageErrorf("--shard %q: want I/N with 0 <= I < N, for example --shard 0/4", flag)
	}
	p.shardIndex, p.shardCount = idx, cnt
	return nil
}

// scanRoot names what was scanned, for the SARIF category: the paths as
// given (relative to the working directory when inside it, so the category
// is the same on every machine), the live scopes, and the shard, so that
// the uploads of several shards do not replace each other.
func (c *cli) scanRoot(args []string, f *scanFlags, p *scanPlan) string {
	var parts []string
	for _, a := range args {
		if filepath.IsAbs(a) {
			if rel, err := filepath.Rel(c.dir, a); err == nil && treefs.Within(c.dir, a) {
				a = rel
			}
		}
		parts = append(parts, filepath.ToSlash(filepath.Clean(a)))
	}
	for _, id := range f.projects {
		parts = append(parts, "projects/"+id)
	}
	for _, id := range f.folders {
		parts = append(parts, "folders/"+id)
	}
	for _, id := range f.orgs {
		parts = append(parts, "organizations/"+id)
	}
	if p.shardCount > 1 {
		parts = append(parts, fmt.Sprintf("shard-%d-of-%d", p.shardIndex, p.shardCount))
	}
	return strings.Join(parts, ",")
}

func (c *cli) colorAllowed() bool {
	if v, ok := c.getenv("NO_COLOR"); ok && v != "" {
		return false
	}
	if v, _ := c.getenv("TERM"); v == "dumb" {
		return false
	}
	return true
}

func (c *cli) printDiagnostics(diags []scanner.Diagnostic) {
	for _, d := range diags {
		fmt.Fprintln(c.stderr, formatDiagnostic(d))
	}
}

// formatDiagnostic writes "file:line:col: severity: summary; detail", the
// shape editors and CI logs link to a file. Its text comes from the scanned
// tree (file names, module sources, function arguments): credentials are
// redacted (scanner.Diagnostic.Redact) and the line is made inert for a
// terminal and a CI log (safetext.Line).
func formatDiagnostic(d scanner.Diagnostic) string {
	d = d.Redact()
	var b strings.Builder
	switch {
	case d.File != "":
		b.WriteString(d.File)
		if d.Line > 0 {
			fmt.Fprintf(&b, ":%d", d.Line)
			if d.Column > 0 {
				fmt.Fprintf(&b, ":%d", d.Column)
			}
		}
		b.WriteString(": ")
	case d.Subject != "":
		b.WriteString(d.Subject + ": ")
	}
	b.WriteString(string(d.Severity) + ": " + d.Summary)
	if d.Detail != "" {
		b.WriteString("; " + d.Detail)
	}
	switch {
	case d.NotJudged():
		b.WriteString(" (not judged)")
	case d.Skipped:
		b.WriteString(" (not scanned)")
	}
	return safetext.Line(b.String())
}

// varArgFlag is --var-file or --var. Both append to one list in the order
// the user typed them, so that they apply in that order, the later one
// winning, as Terraform applies them; each also keeps its own values.
type varArgFlag struct {
	file  bool
	own   *[]string
	order *[]terraform.VarArg
}

func (v *varArgFlag) Set(s string) error {
	*v.own = append(*v.own, s)
	*v.order = append(*v.order, terraform.VarArg{File: v.file, Value: s})
	return nil
}

// Type is pflag's name for a repeatable string flag, so help and
// completion treat it as one.
func (v *varArgFlag) Type() string { return "stringArray" }

func (v *varArgFlag) String() string {
	return "[" + strings.Join(*v.own, ",") + "]"
}

// GetSlice, Append and Replace make it a pflag.SliceValue, as
// StringArray is.
func (v *varArgFlag) GetSlice() []string { return slices.Clone(*v.own) }

func (v *varArgFlag) Append(s string) error { return v.Set(s) }

func (v *varArgFlag) Replace(vals []string) error {
	*v.own = nil
	*v.order = slices.DeleteFunc(*v.order, func(a terraform.VarArg) bool { return a.File == v.file })
	for _, s := range vals {
		if err := v.Set(s); err != nil {
			return err
		}
	}
	return nil
}
