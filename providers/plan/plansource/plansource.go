// Package plansource reads a plan or state JSON file together with the
// Terraform source it was made from: each resource, attribute and nested
// block of the plan is given the file and line of its declaration there,
// and the source's ignore comments apply.
//
// It is the one place that joins the two providers: providers/plan reads
// the JSON and maps a plan to an already loaded source graph without
// knowing the evaluator, providers/terraform loads the source, and this
// package, above both, composes them. The CLI and the tests of either side
// use it; neither provider imports the other.
package plansource

import (
	"context"
	"os"
	"path/filepath"
	"strings"

	"github.com/casascan/casascan/internal/treefs"
	"github.com/casascan/casascan/providers/plan"
	"github.com/casascan/casascan/providers/terraform"
	"github.com/casascan/casascan/scanner"
)

// Options steer Load.
type Options struct {
	// Base is the directory file names are made relative to; "" means the
	// directory of the plan file.
	Base string
	// SourceDir, when set, is the Terraform configuration the plan was made
	// from; findings are then mapped to the file and line of each resource.
	// When it is empty and the plan file's directory holds .tf files, that
	// directory is used.
	SourceDir string
	// NoSource, when true, never reads the Terraform source: every finding
	// points at the plan file.
	NoSource bool
	// MapIgnoreID maps tfsec/trivy ignore IDs in the source to casascan
	// check IDs, as terraform.Options.MapIgnoreID does; nil honours only
	// casascan's own ignore comments.
	MapIgnoreID scanner.IgnoreIDMapper
	// FS is the scanned tree: the plan file is read through it when it
	// lies inside it, and the Terraform source always is. With no FS, the
	// plan is read as an ordinary file and the source through a tree
	// rooted at Base (or the source directory).
	FS *treefs.FS
	// Data, when not nil, is the plan file's content, already read through
	// FS (plan.Options.Data): the file is not read again.
	Data []byte
}

// Load reads a plan or state file as plan.Load does and, when its
// Terraform source is at hand (SourceDir, or .tf files beside the plan),
// maps it to the source before the graph is indexed. A source that cannot
// be loaded is a warning of the graph, not an error: findings then point at
// the plan file.
func Load(ctx context.Context, path string, opts Options) (*scanner.Graph, error) {
	p, err := plan.Read(ctx, path, plan.Options{Base: opts.Base, FS: opts.FS, Data: opts.Data})
	if err != nil {
		return nil, err
	}
	if dir := sourceDir(path, opts); dir != "" {
		hg, err := terraform.Load(ctx, dir, terraform.Options{Base: p.Base(), Vars: p.Vars(), MapIgnoreID: opts.MapIgnoreID, FS: opts.FS})
		if err != nil {
			p.SourceUnreadable(dir, err)
		} else {
			p.MapSource(dir, hg)
		}
	}
	return p.Graph(), nil
}

// sourceDir is the Terraform configuration to map a plan to: the one given,
// or the plan file's own directory when it holds .tf files.
func sourceDir(path string, opts Options) string {
	if opts.NoSource {
		return ""
	}
	if opts.SourceDir != "" {
		return opts.SourceDir
	}
	dir := filepath.Dir(path)
	var entries []os.DirEntry
	var err error
	if opts.FS != nil {
		entries, err = opts.FS.ReadDir(dir)
	} else {
		entries, err = os.ReadDir(dir)
	}
	if err != nil {
		return ""
	}
	for _, e := range entries {
		if n := e.Name(); !e.IsDir() && (strings.HasSuffix(n, ".tf") || strings.HasSuffix(n, ".tf.json")) {
			return dir
		}
	}
	return ""
}
