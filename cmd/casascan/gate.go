package main

import (
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"github.com/casascan/casascan/scanner"
)

// planGate reads --fail-on and checks it against --soft-fail.
func planGate(f *scanFlags) (scanner.Severity, error) {
	if f.failOn == "" {
		return 0, nil
	}
	sev, err := scanner.ParseSeverity(f.failOn)
	if err != nil {
		return 0, usageErrorf("--fail-on: %v", err)
	}
	if f.softFail {
		return 0, usageErrorf("--fail-on %s and --soft-fail contradict each other: --soft-fail never fails the build; give one of them", f.failOn)
	}
	return sev, nil
}

// failCode is the exit code the FAIL findings of res earn, separately from
// what is reported: the --exit-code value when a FAIL at or above --fail-on
// remains (any FAIL without --fail-on), exitOK under --soft-fail or when
// only lower FAILs remain. An incomplete scan is not a finding: verdict
// still exits exitSkipped for it, --soft-fail or not.
func (p *scanPlan) failCode(res *scanner.Result) int {
	if p.flags.softFail {
		return exitOK
	}
	for _, g := range res.Groups() {
		if g.Status == scanner.StatusFail && g.Severity >= p.failOn {
			return p.cfg.ExitCode
		}
	}
	return exitOK
}

// textToStdout reports whether the text report goes to stdout (the only
// place colour may be used).
func (p *scanPlan) textToStdout() bool {
	for _, t := range p.outputs {
		if t.path == "" && t.format == "text" {
			return true
		}
	}
	return false
}

// flagAliases maps the flag names tfsec and trivy users type to ours where
// they mean exactly the same.
func flagAliases(_ *pflag.FlagSet, name string) pflag.NormalizedName {
	switch name {
	case "tfvars-file":
		name = "var-file"
	}
	return pflag.NormalizedName(name)
}

// foreignFlags names, for a flag of tfsec, trivy or checkov that casascan
// does not take, what to type instead.
var foreignFlags = map[string]string{
	"minimum-severity":           "--fail-on SEVERITY to fail only on FAILs at or above it (everything is still reported), or --severity LIST to run only checks of those severities",
	"exclude-path":               "--exclude PATTERNS (globs relative to the scan root, ** spans directories)",
	"skip-files":                 "--exclude PATTERNS (globs relative to the scan root, ** spans directories)",
	"exclude-downloaded-modules": "--scan-downloaded-modules=false",
	"config-file":                "--config FILE",
	"out":                        "--output FILE",
	"no-colour":                  "--no-color",
	"skip-check":                 "--skip-checks LIST",
	"check":                      "--checks LIST",
	"include-passed":             "--format json or --format csv (they list every result, passes included)",
	"ignorefile":                 "casascan:ignore comments (tfsec and trivy ignore comments are honoured too) or --baseline FILE",
}

// flagHint adds, to cobra's "unknown flag: --minimum-severity", the flag
// casascan takes instead; other errors are returned as they are.
func flagHint(err error) error {
	msg := err.Error()
	name, ok := strings.CutPrefix(msg, "unknown flag: --")
	if !ok {
		return err
	}
	name, _, _ = strings.Cut(name, "=")
	if hint := foreignFlags[name]; hint != "" {
		return fmt.Errorf("%w; casascan has no --%s (a tfsec, trivy or checkov flag): use %s", err, name, hint)
	}
	return err
}
