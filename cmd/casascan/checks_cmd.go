package main

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/casascan/casascan/checks"
	"github.com/casascan/casascan/internal/safetext"
	"github.com/casascan/casascan/scanner"
)

func (c *cli) checksCommand() *cobra.Command {
	var markdown bool
	var checkDirs []string
	var config string
	cmd := &cobra.Command{
		Use:   "checks [ID]",
		Short: "List the checks, or explain one (why it matters, how to fix, the fixed Terraform)",
		Example: `  casascan checks
  casascan checks GCP-KMS-001
  casascan checks AVD-GCP-0039
  casascan checks --markdown > docs/checks.md`,
		Args:              cobra.MaximumNArgs(1),
		ValidArgsFunction: c.completeCheckID,
		RunE: func(cmd *cobra.Command, args []string) error {
			defer c.closeTrees()
			all := checks.All() // --markdown: the reference of casascan's own checks
			if !markdown {
				customs, err := c.plainCustomChecks(nil, &scanFlags{checkDirs: checkDirs, config: config})
				if err != nil {
					return err
				}
				all = catalog(customs)
			}
			switch {
			case markdown && len(args) > 0:
				return usageErrorf("--markdown writes the whole reference: run casascan checks --markdown")
			case markdown:
				_, err := c.stdout.Write(checksReference(all))
				return err
			case len(args) == 0:
				return listChecks(c.stdout, all)
			}
			chk := findCheck(all, args[0])
			if chk == nil {
				if ids := checks.MapIgnoreID("trivy", args[0]); len(ids) > 0 {
					return c.explainForeign(all, args[0], ids)
				}
				hint := "run 'casascan checks' for the list"
				if near := nearestID(all, args[0]); near != "" {
					hint = "did you mean " + near + "? Or " + hint
				}
				return usageErrorf("unknown check ID %q: %s", args[0], hint)
			}
			return explainCheck(c.stdout, chk)
		},
	}
	cmd.Flags().BoolVar(&markdown, "markdown", false, "write the reference of every check as Markdown (docs/checks.md)")
	cmd.Flags().StringArrayVar(&checkDirs, "check-dir", nil, "also list custom checks from `DIR` or file (besides ./.casascan/checks and custom-checks: of .casascan.yaml; repeatable)")
	cmd.Flags().StringVar(&config, "config", "", "configuration `FILE` whose custom-checks: are listed (default: ./.casascan.yaml)")
	cmd.AddCommand(c.checksTestCommand())
	return cmd
}

// familyMeasure maps a check family (the middle of its ID) to the policy
// measure it implements. Families that serve several measures (drift) are
// listed after the measures, under their own title.
var familyMeasure = map[string]scanner.Measure{
	"ENC": scanner.M1, "TLS": scanner.M2, "SEC": scanner.M3, "KMS": scanner.M4,
	"ACC": scanner.M5, "DEL": scanner.M6, "LOG": scanner.M7,
}

// familyTitle titles the families that are not one measure's.
var familyTitle = map[string]string{
	"DFT": "Drift between Terraform and what is deployed",
}

// checkGroup is the checks of one family, under its measure.
type checkGroup struct {
	Measure scanner.Measure
	Family  string // "GCP-ENC"
	Checks  []*scanner.Check
}

func (g checkGroup) Title() string {
	if t := scanner.MeasureTitle[g.Measure]; t != "" {
		return string(g.Measure) + " · " + t
	}
	_, short, _ := strings.Cut(g.Family, "-")
	if t := familyTitle[short]; t != "" {
		return t
	}
	return "Other checks (" + g.Family + ")"
}

// groupChecks groups checks by family, ordered by measure (M1 to M7), then
// the families of no single measure; checks are in ID order inside a group.
func groupChecks(all []*scanner.Check) []checkGroup {
	byFamily := map[string]*checkGroup{}
	var groups []*checkGroup
	for _, chk := range all {
		fam := chk.ID
		if i := strings.LastIndex(fam, "-"); i > 0 {
			fam = fam[:i]
		}
		g := byFamily[fam]
		if g == nil {
			_, short, _ := strings.Cut(fam, "-")
			g = &checkGroup{Measure: familyMeasure[short], Family: fam}
			byFamily[fam] = g
			groups = append(groups, g)
		}
		g.Checks = append(g.Checks, chk)
	}
	sort.SliceStable(groups, func(i, j int) bool {
		a, b := groups[i], groups[j]
		if a.Measure != b.Measure {
			return a.Measure != "" && (b.Measure == "" || a.Measure < b.Measure)
		}
		return a.Family < b.Family
	})
	out := make([]checkGroup, len(groups))
	for i, g := range groups {
		sort.SliceStable(g.Checks, func(x, y int) bool { return g.Checks[x].ID < g.Checks[y].ID })
		out[i] = *g
	}
	return out
}

func listChecks(w io.Writer, all []*scanner.Check) error {
	var b strings.Builder
	for _, g := range groupChecks(all) {
		fmt.Fprintf(&b, "%s  (%s-*)\n", g.Title(), g.Family)
		for _, chk := range g.Checks {
			fmt.Fprintf(&b, "  %-12s %-9s %s%s\n", chk.ID, chk.Severity, chk.Title, alsoMeasures(chk, g.Measure))
		}
		b.WriteString("\n")
	}
	example := "GCP-KMS-001"
	if len(all) > 0 && findCheck(all, example) == nil {
		example = all[0].ID
	}
	fmt.Fprintf(&b, "%d checks. Explain one: casascan checks %s\n", len(all), example)
	// A custom check's title comes from the tree.
	_, err := io.WriteString(w, safetext.Lines(b.String()))
	return err
}

// alsoMeasures names the measures a check serves besides its group's, as
// "  (also M3)", so a check is listed once yet found under every measure.
func alsoMeasures(chk *scanner.Check, group scanner.Measure) string {
	var also []string
	for _, m := range chk.Measures {
		if m != group {
			also = append(also, string(m))
		}
	}
	if len(also) == 0 {
		return ""
	}
	return "  (also " + strings.Join(also, ", ") + ")"
}

func findCheck(all []*scanner.Check, id string) *scanner.Check {
	for _, chk := range all {
		if strings.EqualFold(chk.ID, strings.TrimSpace(id)) {
			return chk
		}
	}
	return nil
}

// nearestID suggests the check ID closest to a mistyped one (at most two
// edits away), or "".
func nearestID(all []*scanner.Check, id string) string {
	id = strings.ToUpper(strings.TrimSpace(id))
	best, bestDist := "", 3
	for _, chk := range all {
		if d := editDistance(id, chk.ID); d < bestDist {
			best, bestDist = chk.ID, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// explainForeign explains the casascan checks a tfsec or trivy ID
// (AVD-GCP-0039, google-compute-use-secure-tls-policy) maps to, saying so
// first: the ID is the user's, escaped.
func (c *cli) explainForeign(all []*scanner.Check, id string, ids []string) error {
	if _, err := fmt.Fprintf(c.stdout, "%s (tfsec, trivy) is casascan's %s.\n\n", strconv.Quote(strings.TrimSpace(id)), strings.Join(ids, " and ")); err != nil {
		return err
	}
	for i, cid := range ids {
		if i > 0 {
			fmt.Fprintln(c.stdout)
		}
		chk := findCheck(all, cid)
		if chk == nil {
			return fmt.Errorf("%s maps to %s, which is not in the catalog", id, cid)
		}
		if err := explainCheck(c.stdout, chk); err != nil {
			return err
		}
	}
	return nil
}
