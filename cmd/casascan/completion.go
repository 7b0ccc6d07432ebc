package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/casascan/casascan/checks"
	"github.com/casascan/casascan/internal/safetext"
	"github.com/casascan/casascan/scanner/report"
)

// Shell completion is cobra's own command (casascan completion
// bash|zsh|fish|powershell); these complete the values of the flags where
// the set is known: formats, severities and check IDs.

var severityNames = []string{"CRITICAL", "HIGH", "MEDIUM", "LOW"}

// checkIDs are the IDs completion offers, each with its title: the
// built-in checks and the custom checks the command would load
// (plainCustomChecks: .casascan/checks and custom-checks: at the scan root
// args name, --check-dir, --config). A custom check that does not load is
// left out: completion never prints an error.
func (c *cli) checkIDs(cmd *cobra.Command, args []string) []string {
	f := &scanFlags{}
	f.checkDirs, _ = cmd.Flags().GetStringArray("check-dir")
	f.config, _ = cmd.Flags().GetString("config")
	if cmd.Name() != "scan" {
		args = nil // casascan checks ID: the working directory's checks
	}
	all := checks.All()
	defer c.closeTrees()
	if customs, err := c.plainCustomChecks(args, f); err == nil {
		all = catalog(customs)
	}
	var ids []string
	for _, ch := range all {
		ids = append(ids, ch.ID+"\t"+safetext.Line(ch.Title))
	}
	return ids
}

// completeList completes the last item of a comma-separated list.
func completeList(values func(cmd *cobra.Command, args []string) []string) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		prefix, last := "", toComplete
		if i := strings.LastIndex(toComplete, ","); i >= 0 {
			prefix, last = toComplete[:i+1], toComplete[i+1:]
		}
		var out []cobra.Completion
		for _, v := range values(cmd, args) {
			if hasPrefixFold(v, last) {
				out = append(out, prefix+v)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	}
}

func (c *cli) completeScanFlags(cmd *cobra.Command) {
	formats := func(*cobra.Command, []string) []string { return report.Formats() }
	severities := func(*cobra.Command, []string) []string { return severityNames }
	for name, f := range map[string]cobra.CompletionFunc{
		"format":      completeList(formats),
		"severity":    completeList(severities),
		"checks":      completeList(c.checkIDs),
		"skip-checks": completeList(c.checkIDs),
		"fail-on":     cobra.FixedCompletions(severityNames, cobra.ShellCompDirectiveNoFileComp),
	} {
		// Registration fails only for a flag that does not exist: a bug.
		if err := cmd.RegisterFlagCompletionFunc(name, f); err != nil {
			panic(err)
		}
	}
}

// completeCheckID completes the argument of casascan checks.
func (c *cli) completeCheckID(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	for _, id := range c.checkIDs(cmd, nil) {
		if hasPrefixFold(id, toComplete) {
			out = append(out, id)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
