package gcp

import (
	"bytes"
	"encoding/json"
	"fmt"

	"cloud.google.com/go/iam/apiv1/iampb"
	"github.com/casascan/casascan/scanner"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

// Live resources from the typed clients (Cloud KMS, Cloud Storage) are put
// in the shape Cloud Asset Inventory gives them (the resource as its REST API
// returns it, plus its IAM policy) and mapped by the one asset table. A key
// read live and the same key in an export file therefore get the same
// Terraform attributes, and the same verdicts.

// protoData renders an API message as its REST JSON (camelCase names, enum
// names, "7776000s" durations, RFC 3339 times), the way Asset Inventory holds
// a resource's data. Numbers stay exact (json.Number).
func protoData(m proto.Message) (map[string]any, error) {
	raw, err := protojson.Marshal(m)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var d map[string]any
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("decoding resource data: %w", err)
	}
	return d, nil
}

// iamPolicyOf converts an IAM policy from the API to the asset shape; nil
// stays nil (the policy could not be read, nothing is made up).
func iamPolicyOf(p *iampb.Policy) *IAMPolicy {
	if p == nil {
		return nil
	}
	return iamPolicyFromBindings(int(p.GetVersion()), p.GetBindings())
}

func iamPolicyFromBindings(version int, bindings []*iampb.Binding) *IAMPolicy {
	out := &IAMPolicy{Version: version}
	for _, b := range bindings {
		ib := IAMBinding{Role: b.GetRole(), Members: append([]string(nil), b.GetMembers()...)}
		if c := b.GetCondition(); c != nil {
			ib.Condition = &IAMCondition{Title: c.GetTitle(), Description: c.GetDescription(), Expression: c.GetExpression()}
		}
		out.Bindings = append(out.Bindings, ib)
	}
	return out
}

// mapLive maps one live asset and marks its resources as read live.
func mapLive(a Asset) ([]*scanner.Resource, []scanner.Diagnostic) {
	res, diags := mapAsset(a)
	for _, r := range res {
		r.Source = scanner.SourceLive
	}
	return res, diags
}
