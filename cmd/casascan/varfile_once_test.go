package main

import (
	"testing"

	"github.com/casascan/casascan/cmd/casascan/internal/config"
	"github.com/casascan/casascan/providers/terraform"
)

// TestVarArgsCarryContent: a var file the configuration check read is
// handed to the loader with its content, so it is read once, but only to a
// source of the tree it was read through (a link is judged against the
// tree it is read from).
func TestVarArgsCarryContent(t *testing.T) {
	p := &scanPlan{
		flags:   &scanFlags{varArgs: []terraform.VarArg{{Value: "a=b"}, {File: true, Value: "x.tfvars"}}, changed: func(string) bool { return true }},
		cfg:     &config.Config{VarFiles: []string{"/t/x.tfvars"}},
		varData: map[string][]byte{"/t/x.tfvars": []byte("k = 1\n")},
		varTree: "/t",
	}
	got := p.varArgs("/t")
	if len(got) != 2 || got[1].Value != "/t/x.tfvars" || string(got[1].Data) != "k = 1\n" || got[0].Data != nil {
		t.Errorf("same tree: %+v", got)
	}
	if got := p.varArgs("/other"); len(got) != 2 || got[1].Data != nil {
		t.Errorf("another tree: %+v, want the file read again through its own tree", got)
	}
}
