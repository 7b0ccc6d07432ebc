package terraform

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/casascan/casascan/scanner"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// invalidMark marks the value of an expression Terraform would refuse (an
// evaluation error), with the diagnostic as reason. It travels through
// locals, functions and module arguments like the other marks, so the
// attribute that finally holds it is known to be invalid
// (scanner.Resource.Invalid), and no check passes on it.
type invalidMark struct{ reason string }

// diagReason renders an HCL diagnostic as an Invalid reason: file:line,
// summary and detail.
func diagReason(d *hcl.Diagnostic) string {
	where := ""
	if d.Subject != nil {
		where = fmt.Sprintf("%s:%d: ", d.Subject.Filename, d.Subject.Start.Line)
	}
	r := where + strings.TrimSuffix(d.Summary, ".")
	if d.Detail != "" {
		r += "; " + strings.TrimSuffix(d.Detail, ".")
	}
	return r
}

// schemaComplaint tells evaluation errors that only arise because casascan
// has no provider schema from errors Terraform itself would raise: reading
// an attribute a resource's value lacks (a computed attribute, one set to
// null, one of a nested block) is the provider's to fill, unknown here;
// reading one a known local, variable or literal object lacks is
// Terraform's "Unsupported attribute".
func (s *scope) schemaComplaint(d *hcl.Diagnostic) bool {
	if d.Summary != "Unsupported attribute" {
		return false
	}
	obj, ok := failedObject(d)
	if !ok {
		// The object cannot be recovered (a splat): a resource's, unless
		// the expression reads no resource at all.
		return d.Expression == nil || readsResource(d.Expression.Variables())
	}
	return carriesRefMark(obj.Marks())
}

// failedObject returns the value an "Unsupported attribute" was looked up
// on, for the traversal expressions HCL names in the diagnostic.
func failedObject(d *hcl.Diagnostic) (cty.Value, bool) {
	if d.Subject == nil || d.EvalContext == nil {
		return cty.NilVal, false
	}
	var t hcl.Traversal
	var src cty.Value
	switch e := d.Expression.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		t = e.Traversal
	case *hclsyntax.RelativeTraversalExpr:
		if _, anon := e.Source.(*hclsyntax.AnonSymbolExpr); anon {
			return cty.NilVal, false
		}
		v, diags := e.Source.Value(d.EvalContext)
		if diags.HasErrors() {
			return cty.NilVal, false
		}
		t, src = e.Traversal, v
	default:
		return cty.NilVal, false
	}
	for i, step := range t {
		if i == 0 || step.SourceRange() != *d.Subject {
			continue
		}
		var v cty.Value
		var diags hcl.Diagnostics
		if src == cty.NilVal {
			v, diags = t[:i].TraverseAbs(d.EvalContext)
		} else {
			v, diags = t[:i].TraverseRel(src)
		}
		return v, !diags.HasErrors()
	}
	return cty.NilVal, false
}

// readsResource reports whether any traversal reads a resource, a data
// source or a module's outputs.
func readsResource(trs []hcl.Traversal) bool {
	for _, t := range trs {
		switch root := t.RootName(); {
		case root == "module" || root == "data" || root == "resource":
			return true
		case !nonResourceRoots[root]:
			return true
		}
	}
	return false
}

// noteInvalid records that attribute a of the scope holds a value Terraform
// would refuse, when its marks say so.
func (s *scope) noteInvalid(a *scanner.Attr, marks cty.ValueMarks) {
	var reasons []string
	for m := range marks {
		if im, ok := m.(invalidMark); ok {
			reasons = append(reasons, im.reason)
		}
	}
	if len(reasons) == 0 {
		return
	}
	sort.Strings(reasons)
	if s.invalid == nil {
		s.invalid = map[*scanner.Attr]string{}
	}
	s.invalid[a] = reasons[0]
}

// invalidParts lists the parts of a resource instance's body that could not
// be evaluated: the block's own (argument names, blocks written as
// attributes) and its attributes' (evaluation errors).
func (s *scope) invalidParts(d *resDecl, body *scanner.Body) []scanner.Invalid {
	out := append([]scanner.Invalid(nil), d.invalid...)
	if len(s.invalid) == 0 {
		return out
	}
	var visit func(b *scanner.Body, prefix string)
	visit = func(b *scanner.Body, prefix string) {
		for _, name := range sortedKeys(b.Attrs) {
			if r, ok := s.invalid[b.Attrs[name]]; ok {
				out = append(out, scanner.Invalid{Path: prefix + name, Reason: r})
			}
		}
		for _, blk := range b.Blocks {
			visit(blk.Body, prefix+blk.Type+".")
		}
	}
	visit(body, "")
	return out
}

// propagateInvalid makes a resource that refers to an invalid data source
// invalid at the referring attribute: a data source's results are made of
// its arguments, so a policy_data read from a data "google_iam_policy"
// whose binding cannot be evaluated cannot pass. (A managed resource's
// attributes read elsewhere, an id or a name, are the provider's.)
func propagateInvalid(g *scanner.Graph) {
	bad := map[string]*scanner.Resource{}
	for _, r := range g.Resources {
		if len(r.Invalid) > 0 && r.Mode == scanner.Data {
			bad[r.Address] = r
		}
	}
	if len(bad) == 0 {
		return
	}
	for _, r := range g.Resources {
		for _, name := range sortedKeys(r.Body.Attrs) {
			for _, ref := range r.Body.Attrs[name].Refs {
				if t := bad[ref]; t != nil && t != r {
					r.Invalid = append(r.Invalid, scanner.Invalid{Path: name,
						Reason: "it refers to " + ref + ", whose " + t.Invalid[0].Path + " could not be evaluated: " + t.Invalid[0].Reason})
					break
				}
			}
		}
	}
}

// knownBlocks are, per resource type ("data." for a data source), the
// nested blocks the checks read, by dotted path: an argument of that name
// is a block written as an attribute, which Terraform refuses ("Did you
// mean to define a block of type ...?"). casascan has no provider schema;
// these are the blocks a check would otherwise misjudge.
var knownBlocks = map[string][]string{
	"google_storage_bucket": {"encryption", "versioning", "retention_policy", "lifecycle_rule",
		"lifecycle_rule.action", "lifecycle_rule.condition", "logging", "soft_delete_policy"},
	"google_sql_database_instance": {"settings", "settings.ip_configuration", "settings.database_flags",
		"settings.backup_configuration"},
	"google_container_cluster":        {"database_encryption", "master_auth", "master_auth.client_certificate_config", "node_config", "node_pool"},
	"google_container_node_pool":      {"node_config"},
	"google_kms_crypto_key":           {"version_template"},
	"google_bigquery_dataset":         {"default_encryption_configuration", "access"},
	"google_bigquery_table":           {"encryption_configuration"},
	"google_compute_instance":         {"boot_disk", "boot_disk.initialize_params", "attached_disk", "scratch_disk"},
	"google_compute_disk":             {"disk_encryption_key"},
	"google_pubsub_subscription":      {"push_config"},
	"google_cloud_scheduler_job":      {"http_target"},
	"google_secret_manager_secret":    {"replication", "replication.auto", "replication.user_managed", "replication.auto.customer_managed_encryption"},
	"google_cloudfunctions2_function": {"build_config", "service_config"},
	"data.google_iam_policy":          {"binding", "binding.condition", "audit_config"},
}

// knownArguments are, per block (type, then dotted path), every argument
// and block it takes, where the checks rely on the names: any other name is
// Terraform's "Unsupported argument" (member for members in a policy
// binding). Meta-arguments and dynamic blocks are always allowed.
var knownArguments = map[string][]string{
	"data.google_iam_policy":                   {"binding", "audit_config"},
	"data.google_iam_policy.binding":           {"role", "members", "condition"},
	"data.google_iam_policy.binding.condition": {"title", "description", "expression"},
}

// checkArguments finds, in a resource or data block of the native syntax,
// blocks written as attributes and arguments the block does not take
// (knownBlocks, knownArguments): each is an error diagnostic at its
// file:line, and an invalid part of every instance.
func checkArguments(kind string, body hcl.Body) ([]scanner.Invalid, hcl.Diagnostics) {
	sb, ok := body.(*hclsyntax.Body)
	if !ok || (knownBlocks[kind] == nil && knownArguments[kind] == nil) {
		return nil, nil
	}
	blocks := map[string]bool{}
	for _, b := range knownBlocks[kind] {
		blocks[b] = true
	}
	var inv []scanner.Invalid
	var diags hcl.Diagnostics
	var visit func(b *hclsyntax.Body, path string)
	visit = func(b *hclsyntax.Body, path string) {
		allowed, checked := knownArguments[joinKey(kind, path)]
		for _, name := range sortedKeys(b.Attributes) {
			a := b.Attributes[name]
			p := joinKey(path, name)
			var d *hcl.Diagnostic
			switch {
			case path == "" && (resourceMeta[name] || name == "lifecycle"):
			case blocks[p]:
				d = &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unsupported argument", Subject: a.NameRange.Ptr(),
					Detail: fmt.Sprintf("An argument named %q is not expected here. Did you mean to define a block of type %q?", name, name)}
			case checked && !slices.Contains(allowed, name):
				d = &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unsupported argument", Subject: a.NameRange.Ptr(),
					Detail: fmt.Sprintf("An argument named %q is not expected here.%s", name, didYouMean(name, allowed))}
			}
			if d != nil {
				diags = append(diags, d)
				inv = append(inv, scanner.Invalid{Path: p, Reason: diagReason(d)})
			}
		}
		for _, blk := range b.Blocks {
			typ := blk.Type
			if typ == "dynamic" && len(blk.Labels) == 1 {
				typ = blk.Labels[0]
				for _, c := range blk.Body.Blocks {
					if c.Type == "content" {
						visit(c.Body, joinKey(path, typ))
					}
				}
				continue
			}
			if checked && path == "" && (typ == "lifecycle" || typ == "provisioner" || typ == "connection") {
				continue
			}
			if checked && !slices.Contains(allowed, typ) {
				d := &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unsupported block type", Subject: blk.TypeRange.Ptr(),
					Detail: fmt.Sprintf("Blocks of type %q are not expected here.", typ)}
				diags = append(diags, d)
				inv = append(inv, scanner.Invalid{Path: joinKey(path, typ), Reason: diagReason(d)})
				continue
			}
			visit(blk.Body, joinKey(path, typ))
		}
	}
	visit(sb, "")
	return inv, diags
}

// didYouMean suggests the allowed name that name is a prefix of (member,
// members), as Terraform suggests a near name.
func didYouMean(name string, allowed []string) string {
	for _, a := range allowed {
		if strings.HasPrefix(a, name) || strings.HasPrefix(name, a) {
			return fmt.Sprintf(" Did you mean %q?", a)
		}
	}
	return ""
}
