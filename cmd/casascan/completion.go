package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/casascan/casascan/checks"
	"github.com/casascan/casascan/scanner/report"
)

// Shell completion is cobra's own command (casascan completion
// bash|zsh|fish|powershell); these complete the values of the flags where
// the set is known: formats, severities and check IDs.

var severityNames = []string{"CRITICAL", "HIGH", "MEDIUM", "LOW"}

func checkIDs() []string {
	var ids []string
	for _, c := range checks.All() {
		ids = append(ids, c.ID+"\t"+c.Title)
	}
	return ids
}

// completeList completes the last item of a comma-separated list.
func completeList(values func() []string) cobra.CompletionFunc {
	return func(_ *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		prefix, last := "", toComplete
		if i := strings.LastIndex(toComplete, ","); i >= 0 {
			prefix, last = toComplete[:i+1], toComplete[i+1:]
		}
		var out []cobra.Completion
		for _, v := range values() {
			if hasPrefixFold(v, last) {
				out = append(out, prefix+v)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
	}
}

func (c *cli) completeScanFlags(cmd *cobra.Command) {
	formats := func() []string { return report.Formats() }
	severities := func() []string { return severityNames }
	for name, f := range map[string]cobra.CompletionFunc{
		"format":      completeList(formats),
		"severity":    completeList(severities),
		"checks":      completeList(checkIDs),
		"skip-checks": completeList(checkIDs),
		"fail-on":     cobra.FixedCompletions(severityNames, cobra.ShellCompDirectiveNoFileComp),
	} {
		// Registration fails only for a flag that does not exist: a bug.
		if err := cmd.RegisterFlagCompletionFunc(name, f); err != nil {
			panic(err)
		}
	}
}

// completeCheckID completes the argument of casascan checks.
func completeCheckID(_ *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
	if len(args) > 0 {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	for _, id := range checkIDs() {
		if hasPrefixFold(id, toComplete) {
			out = append(out, id)
		}
	}
	return out, cobra.ShellCompDirectiveNoFileComp
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
