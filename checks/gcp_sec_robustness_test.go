package checks

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/casascan/casascan/providers/terraform"
	"github.com/casascan/casascan/scanner"
)

// TestFamiliesSurviveHostileValues loads every fail fixture of the SEC, TLS,
// ACC, DEL and LOG checks, replaces every attribute value with one of a set
// of values of the wrong type, unknown or null, and runs those checks: none
// may panic, and every finding must still say what it found.
func TestFamiliesSurviveHostileValues(t *testing.T) {
	var own []*scanner.Check
	for _, fam := range [][]*scanner.Check{sec, tls, acc, del, logs} {
		own = append(own, fam...)
	}
	hostile := map[string]cty.Value{
		"unknown":         cty.DynamicVal,
		"null":            cty.NullVal(cty.DynamicPseudoType),
		"number":          cty.NumberIntVal(7),
		"bool":            cty.True,
		"empty string":    cty.StringVal(""),
		"empty list":      cty.ListValEmpty(cty.String),
		"empty object":    cty.EmptyObjectVal,
		"unknown tuple":   cty.TupleVal([]cty.Value{cty.DynamicVal, cty.StringVal("allUsers")}),
		"map of unknowns": cty.MapVal(map[string]cty.Value{"x": cty.UnknownVal(cty.String)}),
		"unknown list":    cty.UnknownVal(cty.List(cty.String)),
	}
	for _, c := range own {
		dirs, _ := filepath.Glob(filepath.Join(fixtureRoot, c.ID, "fail", "*"))
		for _, dir := range dirs {
			for name, v := range hostile {
				t.Run(c.ID+"/"+filepath.Base(dir)+"/"+name, func(t *testing.T) {
					g, err := terraform.Load(context.Background(), dir, terraform.Options{Base: dir})
					if err != nil {
						t.Fatalf("loading %s: %v", dir, err)
					}
					for _, r := range g.Resources {
						replaceValues(r.Body, v)
					}
					res := scanner.Run(own, []*scanner.Graph{g}, scanner.Options{})
					for _, f := range res.List() {
						if f.Message == "" || f.Message == f.Resource+": " {
							t.Errorf("%s on %s has no message", f.CheckID, f.Resource)
						}
					}
				})
			}
		}
	}
}

func replaceValues(b *scanner.Body, v cty.Value) {
	for _, a := range b.Attrs {
		a.Value = v
	}
	for _, blk := range b.Blocks {
		replaceValues(blk.Body, v)
	}
}
