// Package terraform loads a Terraform configuration directory into a
// scanner.Graph, evaluating it as Terraform would: variables and tfvars,
// locals, functions, count, for_each, dynamic blocks and modules.
package terraform

import (
	"context"
	"errors"

	"github.com/casascan/casascan/scanner"
)

// Options steer Load.
type Options struct {
	// VarFiles are --var-file paths, in order; Vars are --var NAME=VALUE, in
	// order. Later ones win, as in Terraform.
	VarFiles []string
	Vars     []string
	// Env is the environment (os.Environ()); TF_VAR_* values are read from it.
	Env []string
	// Base is the directory file names are made relative to; "" means the
	// scanned directory itself.
	Base string
	// MapIgnoreID maps tfsec/trivy ignore IDs to casascan check IDs.
	MapIgnoreID scanner.IgnoreIDMapper
}

// Load reads the Terraform root module in dir and every module it calls. It
// returns an error only when dir cannot be read at all; everything else (a
// syntax error, a module not fetched, an unknown for_each) is a diagnostic in
// the graph, and the rest is still loaded.
func Load(ctx context.Context, dir string, opts Options) (*scanner.Graph, error) {
	return nil, errors.New("terraform loader: not implemented yet")
}
