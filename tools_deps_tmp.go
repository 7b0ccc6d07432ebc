package main

import (
	_ "cloud.google.com/go/asset/apiv1"
	_ "cloud.google.com/go/kms/apiv1"
	_ "cloud.google.com/go/storage"
	_ "github.com/google/go-cmp/cmp"
	_ "github.com/hashicorp/hcl/v2"
	_ "github.com/hashicorp/hcl/v2/ext/tryfunc"
	_ "github.com/hashicorp/hcl/v2/ext/typeexpr"
	_ "github.com/hashicorp/hcl/v2/hclsyntax"
	_ "github.com/hashicorp/hcl/v2/json"
	_ "github.com/hashicorp/terraform-json"
	_ "github.com/mattn/go-isatty"
	_ "github.com/owenrumney/go-sarif/v2/sarif"
	_ "github.com/santhosh-tekuri/jsonschema/v6"
	_ "github.com/spf13/cobra"
	_ "github.com/zclconf/go-cty/cty/function/stdlib"
	_ "golang.org/x/sync/errgroup"
	_ "golang.org/x/tools/txtar"
	_ "google.golang.org/grpc"
	_ "gopkg.in/yaml.v3"
)

func main() {}
