package gcp

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/casascan/casascan/scanner"
	"github.com/zclconf/go-cty/cty"
)

// iamSpec says how an asset's IAM policy becomes Terraform
// google_<parent>_iam_member resources: the binding type (its _iam_member
// twin is used) and the attributes that name the parent, as Terraform
// spells them.
type iamSpec struct {
	typ string
	// attrs returns the parent's id attributes from its relative name; the
	// first carries the reference to the parent.
	attrs func(rel string, project string) []kv
}

type kv struct{ k, v string }

// iamAttr is the common case: one id attribute whose value is derived from
// the relative name.
func iamAttr(typ, attr string, id func(rel string) string) *iamSpec {
	return &iamSpec{typ: typ, attrs: func(rel, _ string) []kv { return []kv{{attr, id(rel)}} }}
}

func relID(rel string) string { return rel }

// mapIAM makes one google_<parent>_iam_member resource per grant (a role to
// one member, under the binding's condition) of the asset's policy. Its
// internal address is <asset>/iam/<role>/<member> (a grant repeated under
// another condition gets [1], [2], ... in policy order), but it names the
// asset: its Grant says which asset, role and member, so a finding names
// //storage.googleapis.com/acme-exports at its pseudo-path, with the role
// and member beside it, never a made-up resource.
func mapIAM(e *entry, a Asset, project string) []*scanner.Resource {
	spec := e.iam
	if spec == nil {
		if e.typ == "" {
			return nil
		}
		spec = &iamSpec{typ: e.typ + "_iam_binding", attrs: func(rel, _ string) []kv { return []kv{{"name", rel}} }}
	}
	typ := strings.TrimSuffix(spec.typ, "_iam_binding") + "_iam_member"
	rel := relName(a.Name)
	rng := pseudoRange(a.Name)
	seen := map[string]int{}
	var out []*scanner.Resource
	for _, b := range a.IAMPolicy.Bindings {
		if b.Role == "" {
			continue
		}
		for _, member := range sortedUniq(b.Members) {
			addr := a.Name + "/iam/" + b.Role + "/" + member
			if n := seen[addr]; n > 0 {
				seen[addr]++
				addr += "[" + strconv.Itoa(n) + "]"
			} else {
				seen[addr] = 1
			}
			m := &mapper{body: scanner.NewBody(), rng: rng, project: project, name: a.Name}
			for i, p := range spec.attrs(rel, project) {
				var refs []string
				if i == 0 {
					refs = []string{a.Name}
				}
				m.set(m.body, p.k, cty.StringVal(p.v), refs, false)
			}
			m.set(m.body, "role", cty.StringVal(b.Role), nil, false)
			m.set(m.body, "member", cty.StringVal(member), nil, false)
			if c := b.Condition; c != nil {
				cond := m.newBlock(m.body, "condition")
				for _, p := range []kv{{"title", c.Title}, {"description", c.Description}, {"expression", c.Expression}} {
					if p.v != "" {
						m.set(cond, p.k, cty.StringVal(p.v), nil, false)
					}
				}
			}
			out = append(out, &scanner.Resource{
				Address: addr, Mode: scanner.Managed, Type: typ, Name: b.Role,
				Body: m.body, DefRange: rng, Range: rng,
				Source: scanner.SourceExport, Project: project,
				Grant: &scanner.Grant{Asset: a.Name, Role: b.Role, Member: member},
			})
		}
	}
	return out
}

// sortedUniq is ss sorted without repeats or empty strings (a binding
// holds its members as a set).
func sortedUniq(ss []string) []string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}

// The IAM binding types of the parents that casascan's checks judge.
var (
	iamBucket       = iamAttr("google_storage_bucket_iam_binding", "bucket", relID)
	iamCryptoKey    = iamAttr("google_kms_crypto_key_iam_binding", "crypto_key_id", relID)
	iamKeyRing      = iamAttr("google_kms_key_ring_iam_binding", "key_ring_id", relID)
	iamSecret       = iamAttr("google_secret_manager_secret_iam_binding", "secret_id", relID)
	iamTopic        = iamAttr("google_pubsub_topic_iam_binding", "topic", relID)
	iamSubscription = iamAttr("google_pubsub_subscription_iam_binding", "subscription", relID)
	iamFolder       = iamAttr("google_folder_iam_binding", "folder", relID)
	iamOrganization = iamAttr("google_organization_iam_binding", "org_id", lastPart)
	iamSA           = iamAttr("google_service_account_iam_binding", "service_account_id", relID)
	iamProject      = &iamSpec{typ: "google_project_iam_binding", attrs: func(rel, project string) []kv {
		if project == "" {
			project = lastPart(rel)
		}
		return []kv{{"project", project}}
	}}
	iamDataset = &iamSpec{typ: "google_bigquery_dataset_iam_binding", attrs: func(rel, project string) []kv {
		return []kv{{"dataset_id", segAfter(rel, "datasets")}, {"project", project}}
	}}
	iamSpannerInstance = &iamSpec{typ: "google_spanner_instance_iam_binding", attrs: func(rel, project string) []kv {
		return []kv{{"instance", lastPart(rel)}, {"project", project}}
	}}
	iamBigtableTable = &iamSpec{typ: "google_bigtable_table_iam_binding", attrs: func(rel, project string) []kv {
		return []kv{{"table", lastPart(rel)}, {"instance_name", segAfter(rel, "instances")}, {"project", project}}
	}}
	iamTable = &iamSpec{typ: "google_bigquery_table_iam_binding", attrs: func(rel, project string) []kv {
		return []kv{{"table_id", segAfter(rel, "tables")}, {"dataset_id", segAfter(rel, "datasets")}, {"project", project}}
	}}
)
