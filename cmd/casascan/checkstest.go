package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/casascan/casascan/checks"
	"github.com/casascan/casascan/checks/custom"
	"github.com/casascan/casascan/checks/fixture"
	"github.com/casascan/casascan/internal/safetext"
	"github.com/casascan/casascan/internal/treefs"
	"github.com/casascan/casascan/providers/terraform"
	"github.com/casascan/casascan/scanner"
)

func (c *cli) checksTestCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "test [DIR|FILE ...]",
		Short: "Run custom checks on their own pass/ and fail/ Terraform fixtures",
		Long: `Test runs each custom check (a YAML file, see docs/custom-checks.md) on
the Terraform fixtures next to it: pass/ and fail/, each a Terraform root
module or a directory of them. In fail/, each line marked "# want: ID" must
get a FAIL finding of the check and no other line may; "# unknown: ID"
marks an UNKNOWN one. In pass/, the check must judge at least one resource
and find nothing unmarked. A directory is searched for check files
recursively (pass/ and fail/ trees excepted). With no argument, it tests
the custom checks a scan of the working directory loads: .casascan/checks
and custom-checks: of .casascan.yaml.

Exit codes: 0 every case as marked, 1 a case differs, 2 a check file or a
fixture cannot be read.`,
		Example: `  casascan checks test .casascan/checks
  casascan checks test fixtures/custom/central-key-ring/check.yaml`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.testChecks(cmd.Context(), args)
		},
	}
}

// checkCase is one fixture root of one custom check.
type checkCase struct {
	check *scanner.Check
	kind  string     // "pass" or "fail"
	dir   string     // absolute
	tree  *treefs.FS // the check file's tree: every fixture read goes through it
}

func (c *cli) testChecks(ctx context.Context, args []string) error {
	defer c.closeTrees()
	var sources []custom.Source
	if len(args) == 0 {
		// The checks a scan of the working directory would load.
		p, cfg, err := c.plainPlan(nil, &scanFlags{})
		if err != nil {
			return err
		}
		if sources, err = c.customSources(p, cfg); err != nil {
			return err
		}
	}
	more, err := c.checkDirSources("", args)
	if err != nil {
		return err
	}
	sources = append(sources, more...)
	loaded, err := custom.LoadFiles(sources, custom.Options{Reserved: reservedID})
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	var cases []checkCase
	for _, l := range loaded {
		more, err := fixtureCases(l.Tree, l.Check, filepath.Dir(l.Path))
		if err != nil {
			return usageErrorf("%s: %v", l.Shown, err)
		}
		cases = append(cases, more...)
	}
	if len(cases) == 0 {
		where := strings.Join(args, ", ")
		if len(args) == 0 {
			where = custom.DirName + " or custom-checks: of .casascan.yaml"
		}
		return usageErrorf("no custom check files (.yaml) under %s", where)
	}
	failed := 0
	var b strings.Builder
	for _, cc := range cases {
		problems, err := c.runCase(ctx, cc)
		if err != nil {
			return err
		}
		name := cc.check.ID + " " + c.display(cc.dir)
		if len(problems) == 0 {
			fmt.Fprintf(&b, "ok    %s\n", safetext.Line(name))
			continue
		}
		failed++
		fmt.Fprintf(&b, "FAIL  %s\n", safetext.Line(name))
		for _, p := range problems {
			fmt.Fprintf(&b, "      %s\n", safetext.Line(p))
		}
	}
	fmt.Fprintf(&b, "\n%d cases, %d failed\n", len(cases), failed)
	if _, err := c.stdout.Write([]byte(b.String())); err != nil {
		return err
	}
	if failed > 0 {
		return &exitError{code: exitFindings}
	}
	return nil
}

// fixtureCases are the pass/ and fail/ cases next to a check file: each
// is a Terraform root module, or a directory of them, read through the
// check file's tree (a fixture linked out of it is refused).
func fixtureCases(tree *treefs.FS, ch *scanner.Check, dir string) ([]checkCase, error) {
	var out []checkCase
	for _, kind := range []string{"pass", "fail"} {
		kd := filepath.Join(dir, kind)
		entries, err := tree.ReadDir(kd)
		if errors.Is(err, fs.ErrNotExist) && !treefs.IsOutside(err) {
			return nil, fmt.Errorf("check %s has no %s/ fixtures beside it (want %s with Terraform marked # want: %s)", ch.ID, kind, kind+"/", ch.ID)
		}
		if err != nil {
			return nil, fmt.Errorf("check %s: %s/: %v", ch.ID, kind, pathErr(err))
		}
		hasTF := false
		var subs []string
		for _, e := range entries {
			switch {
			case e.IsDir():
				subs = append(subs, filepath.Join(kd, e.Name()))
			case strings.HasSuffix(e.Name(), ".tf") || strings.HasSuffix(e.Name(), ".tf.json"):
				hasTF = true
			}
		}
		if hasTF {
			subs = []string{kd}
		}
		if len(subs) == 0 {
			return nil, fmt.Errorf("check %s: %s/ holds no Terraform", ch.ID, kind)
		}
		sort.Strings(subs)
		for _, s := range subs {
			out = append(out, checkCase{check: ch, kind: kind, dir: s, tree: tree})
		}
	}
	return out, nil
}

// markerID tells a check ID in a marker from a resource address (which
// holds a dot): custom IDs, casascan's and tfsec's.
var markerID = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)+$`)

// runCase loads one fixture and compares the check's findings with its
// markers (the grammar of the built-in checks' fixtures, package
// fixture); it returns the differences.
func (c *cli) runCase(ctx context.Context, cc checkCase) ([]string, error) {
	tree := cc.tree
	graphs, err := terraform.LoadTree(ctx, cc.dir, terraform.Options{Base: cc.dir, FS: tree, MapIgnoreID: checks.MapIgnoreID})
	if err != nil {
		return nil, usageErrorf("%s: %v", c.display(cc.dir), err)
	}
	var problems []string
	want := map[string]string{} // file:line, or file:line ADDRESS → FAIL or UNKNOWN
	byAddr := map[string]bool{} // file:line whose markers name addresses
	err = tree.WalkDir(cc.dir, func(p string, d fs.DirEntry, err error) error {
		isJSON := strings.HasSuffix(p, ".tf.json")
		if err != nil || d.IsDir() || !(strings.HasSuffix(p, ".tf") || isJSON) {
			return err
		}
		src, err := tree.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(cc.dir, p)
		for i, line := range strings.Split(string(src), "\n") {
			key := filepath.ToSlash(rel) + ":" + strconv.Itoa(i+1)
			ms, err := fixture.Line(line, isJSON, markerID.MatchString)
			if err != nil {
				problems = append(problems, key+": "+err.Error())
			}
			for _, mk := range ms {
				if !strings.EqualFold(mk.ID, cc.check.ID) {
					continue
				}
				status := "FAIL"
				if mk.Kind == "unknown" {
					status = "UNKNOWN"
				}
				if len(mk.Addrs) == 0 {
					want[key] = status
				}
				for _, a := range mk.Addrs {
					byAddr[key] = true
					want[key+" "+a] = status
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, usageErrorf("%s: %v", c.display(cc.dir), pathErr(err))
	}
	res := scanner.Run([]*scanner.Check{cc.check}, graphs, scanner.Options{Now: c.now(), CheckIDs: []string{cc.check.ID}})
	defer c.closeResult(res)
	for _, d := range res.Diagnostics {
		if d.Severity == scanner.DiagError {
			problems = append(problems, "error: "+d.String())
		}
	}
	got := map[string]string{}
	passes := 0
	for f := range res.All() {
		key := f.Location.File + ":" + strconv.Itoa(f.Location.StartLine)
		if byAddr[key] {
			key += " " + f.Resource
		}
		switch f.Status {
		case scanner.StatusPass:
			passes++
			continue
		case scanner.StatusFail, scanner.StatusIgnored:
			got[key] = "FAIL"
		case scanner.StatusUnknown:
			got[key] = "UNKNOWN"
		}
		if want[key] != got[key] {
			why := f.Message
			if f.Reason != "" && f.Status == scanner.StatusUnknown {
				why = f.Reason
			}
			problems = append(problems, fmt.Sprintf("%s: unexpected %s: %s", key, got[key], why))
		}
	}
	if err := outcome(res.Err(), nil); err != nil {
		return nil, err
	}
	for _, key := range slices.Sorted(maps.Keys(want)) {
		if got[key] != want[key] {
			problems = append(problems, fmt.Sprintf("%s: want %s, got %s", key, want[key], orNothing(got[key])))
		}
	}
	if cc.kind == "pass" && passes == 0 {
		problems = append(problems, "the check judged no resource here (a pass fixture must hold one of its types: "+strings.Join(cc.check.Types, ", ")+")")
	}
	if cc.kind == "fail" && len(want) == 0 {
		problems = append(problems, "no line is marked # want: "+cc.check.ID)
	}
	return problems, nil
}

func orNothing(s string) string {
	if s == "" {
		return "nothing"
	}
	return s
}
