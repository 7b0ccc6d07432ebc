// Package report writes a scanner.Result in each output format. Writers only
// present the result: they never decide what is a finding, and never decide
// the exit code.
package report

import (
	"fmt"
	"io"
	"sort"

	"github.com/casascan/casascan/scanner"
)

// Options steer the writers.
type Options struct {
	// Color enables ANSI colour in the text format (only on a terminal).
	Color bool
	// IncludeUnknown adds UNKNOWN results to SARIF as kind "open".
	IncludeUnknown bool
	// Category is the SARIF automationDetails.id prefix ("" derives one from Root).
	Category string
	// Root is the scanned root as given on the command line, for the category.
	Root string
}

type writer func(w io.Writer, res *scanner.Result, opts Options) error

// writers is the one list of formats: flag help and validation come from it.
var writers = map[string]writer{}

// Formats lists the format names, sorted.
func Formats() []string {
	var names []string
	for n := range writers {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Write writes res to w in a format.
func Write(w io.Writer, format string, res *scanner.Result, opts Options) error {
	wr, ok := writers[format]
	if !ok {
		return fmt.Errorf("unknown format %q (want one of %v)", format, Formats())
	}
	return wr(w, res, opts)
}
