package checks

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/judge"
	"github.com/zclconf/go-cty/cty"
)

// This file holds the predicates several checks share: who an IAM resource
// grants a role to, where each data store keeps its customer-managed key, and
// whether a Cloud KMS key is a software key. Each is written once so that the
// checks that depend on it cannot disagree.

// isPublicMember reports whether an IAM member names everyone: allUsers (the
// whole internet) or allAuthenticatedUsers (anyone with a Google account,
// which is effectively the same).
func isPublicMember(s string) bool {
	switch strings.TrimSpace(s) {
	case "allUsers", "allAuthenticatedUsers":
		return true
	}
	return false
}

// iamBinding is one role granted to members, as an IAM resource states it.
type iamBinding struct {
	// Role is "" when it is not known before apply; RoleFrom then names
	// where it comes from (a variable, a resource), when it can.
	Role     string
	RoleFrom string
	// Members are the members whose value is known, sorted.
	Members []string
	// Partial is true when some members are not known before apply, or when
	// the binding may not exist: a binding block of a dynamic whose for_each
	// is not known, or one of several policies the resource may use. Such a
	// binding lists no members, since none is granted in every outcome.
	Partial bool
	// Sensitive is true when the members come from a sensitive value: a
	// message shows them only through scanner.Redacted.
	Sensitive bool
}

// iamBindings reads the role bindings of any *_iam_member (member),
// *_iam_binding (members) or *_iam_policy (policy_data) resource. path is the
// attribute they come from. A policy_data that is not known before apply is
// read from the data.google_iam_policy it refers to, whose binding blocks
// hold the members; when there is none to follow, unknown is true.
func iamBindings(g *scanner.Graph, r *scanner.Resource) (bs []iamBinding, path string, unknown bool) {
	switch {
	case strings.HasSuffix(r.Type, "_iam_member"):
		return []iamBinding{bindingOf(r.Slot("role"), r.Slot("member"))}, "member", false
	case strings.HasSuffix(r.Type, "_iam_binding"):
		return []iamBinding{bindingOf(r.Slot("role"), r.Slot("members"))}, "members", false
	case strings.HasSuffix(r.Type, "_iam_policy"):
		bs, unknown := policyBindings(g, r.Slot("policy_data"))
		return bs, "policy_data", unknown
	}
	return nil, "", false
}

// bindingOf reads a role and the members slot beside it: of an IAM member or
// binding resource, or of a binding block of a policy document. A binding in
// a block that may not exist is Partial and lists no members.
func bindingOf(role, members scanner.Slot) iamBinding {
	var out iamBinding
	if s, ok := scanner.ValueString(role.Value()); ok && role.Known() {
		out.Role = s
	} else {
		out.RoleFrom = originName(role.Attr)
	}
	if members.Attr.Null() {
		return out
	}
	out.Members, out.Partial = memberValues(members.Value())
	out.Sensitive = members.Attr.Sensitive
	if maybeAbsent(members) {
		out.Members, out.Partial = nil, true
	}
	return out
}

// originName names the first place a value came from that has a name (a
// variable, a module argument, a resource), or "".
func originName(a *scanner.Attr) string {
	if a == nil {
		return ""
	}
	for _, o := range a.Origins {
		if o.Name != "" {
			return scanner.RedactText(o.Name)
		}
	}
	if len(a.Refs) > 0 {
		return a.Refs[0]
	}
	return ""
}

// blockMayNotExist reports whether a slot's value is known but the block
// holding it is written only as a dynamic block whose for_each is not
// known before apply (it may not exist at all), and says so for a message.
func blockMayNotExist(s scanner.Slot) (string, bool) {
	if !s.MaybeMissing || s.Attr.Null() || !s.Known() {
		return "", false
	}
	block := s.Path
	if i := strings.LastIndexByte(block, '.'); i >= 0 {
		block = block[:i]
	}
	return block + " is written only as a dynamic block whose for_each is not known before apply, so it may not exist", true
}

// maybeAbsent reports whether the block a slot is in may not exist: it stands
// for the blocks of a dynamic whose for_each is not known (zero or more), or
// a block on the way may be missing.
func maybeAbsent(s scanner.Slot) bool { return s.MaybeMissing || s.Unexpanded }

// memberValues lists the known strings of a member or members value (a
// string, or a list, set or tuple of strings) and says whether any part of it
// is not known before apply, so a dynamic list with one unknown element still
// yields its known public members.
func memberValues(v cty.Value) (known []string, partial bool) {
	if v == cty.NilVal {
		return nil, false
	}
	if !v.IsKnown() {
		return nil, couldBePublic(v)
	}
	if v.IsNull() {
		return nil, false
	}
	ty := v.Type()
	if ty.IsListType() || ty.IsSetType() || ty.IsTupleType() {
		for it := v.ElementIterator(); it.Next(); {
			_, ev := it.Element()
			k, p := memberValues(ev)
			known, partial = append(known, k...), partial || p
		}
		return sortedUnique(known), partial
	}
	if s, ok := scanner.ValueString(v); ok {
		return []string{s}, false
	}
	return nil, false
}

// couldBePublic reports whether a member value not known before apply might
// still be allUsers or allAuthenticatedUsers. The loader keeps the known
// start of a template, so "serviceAccount:${google_service_account.x.email}"
// is known not to be public.
func couldBePublic(v cty.Value) bool {
	if v.IsKnown() || v.Type() != cty.String {
		return !v.IsKnown()
	}
	prefix := v.Range().StringPrefix()
	return strings.HasPrefix("allUsers", prefix) || strings.HasPrefix("allAuthenticatedUsers", prefix)
}

// memberPrivate judges a member or members slot (an IAM member, an ACL
// entity, a dataset access entry, a policy binding's members): FAIL when it
// names allUsers or allAuthenticatedUsers in every outcome, and public lists
// them; UNKNOWN when a member not known before apply might be public, or
// when the block it is in may not exist; PASS when no member can be public.
func memberPrivate(s scanner.Slot) (v judge.Verdict, public []string) {
	if s.Attr.Null() {
		return judge.Pass, nil
	}
	known, partial := memberValues(s.Value())
	for _, m := range known {
		if isPublicMember(m) {
			public = append(public, m)
		}
	}
	switch {
	case len(public) > 0 && !maybeAbsent(s):
		return judge.Fail, public
	case len(public) > 0 || partial:
		return judge.Unknown, nil
	}
	return judge.Pass, nil
}

// policyRead is a policy_data slot read once, for policyBindings and
// policyPrivate: a known JSON document, or the data.google_iam_policy
// candidates it refers to, each with the role and members slots of its
// binding blocks.
type policyRead struct {
	// Known is true for a known value: Doc holds its bindings, and NotDoc
	// is true when it is no policy document.
	Known  bool
	NotDoc bool
	Doc    []policyBinding
	// Cands are the data sources a value not known before apply may be,
	// each with its binding slots; Open is true when it may also be a
	// policy no data source here holds (see scanner.Candidates).
	Cands []policyCandidate
	Open  bool
}

// policyCandidate is one data.google_iam_policy a policy_data may be.
type policyCandidate struct {
	Res      *scanner.Resource
	Bindings []policySlots
}

// policySlots are the role and members slots of one binding block.
type policySlots struct{ Role, Members scanner.Slot }

// readPolicy reads a policy_data slot that is set: its document when known,
// else each data.google_iam_policy it may be, walking each candidate's
// binding blocks once.
func readPolicy(g *scanner.Graph, s scanner.Slot) policyRead {
	if s.Known() {
		doc, ok := policyDoc(s)
		return policyRead{Known: true, NotDoc: !ok, Doc: doc}
	}
	cands := g.Candidates(s.Attr, "google_iam_policy")
	out := policyRead{Open: cands.Open}
	for _, p := range cands.Resources {
		if p.Mode != scanner.Data {
			continue
		}
		c := policyCandidate{Res: p}
		for _, sl := range p.Lookup("binding.*.members").Slots {
			c.Bindings = append(c.Bindings, policySlots{Role: p.Slot(strings.TrimSuffix(sl.Path, "members") + "role"), Members: sl})
		}
		out.Cands = append(out.Cands, c)
	}
	return out
}

// policyBindings reads the bindings of a policy_data slot: a known JSON
// policy document, or the data.google_iam_policy it was taken from. When it
// may be one of several data sources, every binding is Partial: no member is
// granted in every outcome. unknown is true when there is no data source to
// read, or the policy may be one that none holds (an open set).
func policyBindings(g *scanner.Graph, s scanner.Slot) (bs []iamBinding, unknown bool) {
	if s.Attr.Null() {
		return nil, false
	}
	pr := readPolicy(g, s)
	if pr.Known {
		for _, b := range pr.Doc {
			bs = append(bs, iamBinding{Role: b.Role, Members: sortedUnique(b.Members), Sensitive: s.Attr.Sensitive})
		}
		return bs, pr.NotDoc
	}
	for _, c := range pr.Cands {
		for _, sl := range c.Bindings {
			b := bindingOf(sl.Role, sl.Members)
			if (len(pr.Cands) > 1 || pr.Open) && len(b.Members) > 0 {
				b.Members, b.Partial = nil, true
			}
			bs = append(bs, b)
		}
	}
	return bs, len(pr.Cands) == 0 || pr.Open
}

// policyBinding is one binding of a known JSON policy document.
type policyBinding struct {
	Role    string   `json:"role"`
	Members []string `json:"members"`
}

// policyDoc parses a known policy_data; ok is false when it is not a policy
// document (see policyDocError).
func policyDoc(s scanner.Slot) (bs []policyBinding, ok bool) {
	bs, err := parsePolicyDoc(s)
	return bs, err == nil
}

// parsePolicyDoc parses a known policy_data as a JSON policy document.
func parsePolicyDoc(s scanner.Slot) ([]policyBinding, error) {
	str, isStr := scanner.ValueString(s.Value())
	if !isStr {
		return nil, errors.New("policy_data is not a string")
	}
	var doc struct {
		Bindings []policyBinding `json:"bindings"`
	}
	if err := json.Unmarshal([]byte(str), &doc); err != nil {
		return nil, err
	}
	return doc.Bindings, nil
}

// policyDocError says why a known policy_data is not a policy document, or
// "" when it is one (or is not known): a finding says the document is
// broken instead of calling it "not known before apply". It names byte
// offsets and JSON types, never the document's text, which may be secret.
func policyDocError(s scanner.Slot) string {
	if s.Attr.Null() || !s.Known() {
		return ""
	}
	_, err := parsePolicyDoc(s)
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &syntax):
		return fmt.Sprintf("policy_data is not valid JSON (syntax error at byte %d), so its members cannot be read", syntax.Offset)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "the document"
		}
		return fmt.Sprintf("policy_data is JSON but not an IAM policy document (%s is a JSON %s), so its members cannot be read", field, typ.Value)
	}
	return "policy_data is not a JSON IAM policy document, so its members cannot be read"
}

// policyPrivate judges a policy_data slot as memberPrivate judges members:
// a known JSON document by its bindings; else the data.google_iam_policy it
// refers to, each binding block's members (a dynamic binding whose for_each
// is not known counts only where it must exist); when it is one of several
// data sources, FAIL needs every candidate public (Candidates.OneOf), and an
// open set is UNKNOWN. No data source to follow is UNKNOWN.
func policyPrivate(g *scanner.Graph, s scanner.Slot) (judge.Verdict, []string) {
	if s.Attr.Null() {
		return judge.Pass, nil
	}
	pr := readPolicy(g, s)
	if pr.Known {
		if pr.NotDoc {
			return judge.Unknown, nil
		}
		var public []string
		for _, b := range pr.Doc {
			for _, m := range b.Members {
				if isPublicMember(m) {
					public = append(public, m)
				}
			}
		}
		if len(public) > 0 {
			return judge.Fail, public
		}
		return judge.Pass, nil
	}
	var public []string
	v := judge.OneOf(pr.Cands, func(c policyCandidate) judge.Verdict {
		v := judge.Pass // every slot, not judge.All: the message lists every public member
		for _, sl := range c.Bindings {
			w, pub := memberPrivate(sl.Members)
			v, public = v.And(w), append(public, pub...)
		}
		return v
	})
	if pr.Open {
		v = judge.Unknown
	}
	if v != judge.Fail {
		public = nil
	}
	return v, public
}

// publicMembers judges an IAM member, binding or policy resource: v is FAIL
// when it grants a role to allUsers or allAuthenticatedUsers in every
// outcome, with those members (sorted), UNKNOWN when some outcome might, PASS
// when none can. path is the attribute the members are in.
func publicMembers(g *scanner.Graph, r *scanner.Resource) (v judge.Verdict, members []string, path string) {
	switch {
	case strings.HasSuffix(r.Type, "_iam_member"):
		path = "member"
		v, members = memberPrivate(r.Slot(path))
	case strings.HasSuffix(r.Type, "_iam_binding"):
		path = "members"
		v, members = memberPrivate(r.Slot(path))
	case strings.HasSuffix(r.Type, "_iam_policy"):
		path = "policy_data"
		v, members = policyPrivate(g, r.Slot(path))
	default:
		return judge.Pass, nil, ""
	}
	return v, sortedUnique(members), path
}

func sortedUnique(ss []string) []string {
	if len(ss) == 0 {
		return nil
	}
	out := append([]string(nil), ss...)
	sort.Strings(out)
	n := 1
	for _, s := range out[1:] {
		if s != out[n-1] {
			out[n] = s
			n++
		}
	}
	return out[:n]
}

// cmekPath is one place a data store keeps its customer-managed key. In Path,
// a "*" segment stands for every repeated block before it (each attached_disk,
// each Bigtable cluster, each Secret Manager replica); a last segment "a|b"
// accepts either attribute name, the first being the one to report.
type cmekPath struct {
	Check string // the GCP-ENC check that requires a key there
	Path  string
}

// cmekPaths maps each data-store type to where its CMEK key goes. GCP-ENC-*
// checks require a key at their paths; GCP-KMS-006 follows every key found at
// any of them to the google_kms_crypto_key it names.
var cmekPaths = map[string][]cmekPath{
	"google_storage_bucket":        {{"GCP-ENC-001", "encryption.default_kms_key_name"}},
	"google_sql_database_instance": {{"GCP-ENC-002", "encryption_key_name"}},
	"google_bigquery_dataset":      {{"GCP-ENC-003", "default_encryption_configuration.kms_key_name"}},
	"google_bigquery_table":        {{"GCP-ENC-003", "encryption_configuration.kms_key_name"}},
	"google_compute_disk":          {{"GCP-ENC-004", "disk_encryption_key.kms_key_self_link"}},
	"google_compute_region_disk":   {{"GCP-ENC-004", "disk_encryption_key.kms_key_name|kms_key_self_link"}},
	"google_compute_instance": {
		{"GCP-ENC-004", "boot_disk.kms_key_self_link"},
		{"GCP-ENC-004", "attached_disk.*.kms_key_self_link"},
	},
	"google_compute_instance_template":        {{"GCP-ENC-004", "disk.*.disk_encryption_key.kms_key_self_link"}},
	"google_compute_region_instance_template": {{"GCP-ENC-004", "disk.*.disk_encryption_key.kms_key_self_link"}},
	"google_compute_snapshot":                 {{"GCP-ENC-004", "snapshot_encryption_key.kms_key_self_link"}},
	"google_compute_image":                    {{"GCP-ENC-004", "image_encryption_key.kms_key_self_link"}},
	"google_compute_machine_image":            {{"GCP-ENC-004", "machine_image_encryption_key.kms_key_name"}},
	"google_container_cluster": {
		{"GCP-ENC-004", gkeDefaultPoolKey},
		{"GCP-ENC-004", gkeAutopilotKey},
		{"GCP-ENC-004", "node_pool.*.node_config.boot_disk_kms_key"},
		{"GCP-ENC-007", "database_encryption.key_name"},
	},
	"google_container_node_pool": {{"GCP-ENC-004", "node_config.boot_disk_kms_key"}},
	"google_pubsub_topic":        {{"GCP-ENC-005", "kms_key_name"}},
	"google_secret_manager_secret": {
		{"GCP-ENC-006", "replication.auto.*.customer_managed_encryption.kms_key_name"},
		{"GCP-ENC-006", "replication.user_managed.replicas.*.customer_managed_encryption.kms_key_name"},
	},
	"google_spanner_database":                      {{"GCP-ENC-008", "encryption_config.kms_key_name|kms_key_names"}},
	"google_bigtable_instance":                     {{"GCP-ENC-009", "cluster.*.kms_key_name"}},
	"google_redis_instance":                        {{"GCP-ENC-010", "customer_managed_key"}},
	"google_dataproc_cluster":                      {{"GCP-ENC-011", "cluster_config.encryption_config.kms_key_name"}},
	"google_artifact_registry_repository":          {{"GCP-ENC-012", "kms_key_name"}},
	"google_filestore_instance":                    {{"GCP-ENC-013", "kms_key_name"}},
	"google_logging_project_bucket_config":         {{"GCP-ENC-014", "cmek_settings.kms_key_name"}},
	"google_logging_folder_bucket_config":          {{"GCP-ENC-014", "cmek_settings.kms_key_name"}},
	"google_logging_organization_bucket_config":    {{"GCP-ENC-014", "cmek_settings.kms_key_name"}},
	"google_logging_billing_account_bucket_config": {{"GCP-ENC-014", "cmek_settings.kms_key_name"}},
	"google_firestore_database":                    {{"GCP-ENC-015", "cmek_config.kms_key_name"}},
	"google_alloydb_cluster":                       {{"GCP-ENC-016", "encryption_config.kms_key_name"}},
	"google_dataflow_job":                          {{"GCP-ENC-017", "kms_key_name"}},
	"google_dataflow_flex_template_job":            {{"GCP-ENC-017", "kms_key_name"}},
	"google_composer_environment":                  {{"GCP-ENC-017", "config.encryption_config.kms_key_name"}},
	"google_vertex_ai_dataset":                     {{"GCP-ENC-017", "encryption_spec.kms_key_name"}},
	"google_vertex_ai_metadata_store":              {{"GCP-ENC-017", "encryption_spec.kms_key_name"}},
	"google_vertex_ai_endpoint":                    {{"GCP-ENC-017", "encryption_spec.kms_key_name"}},
	"google_vertex_ai_featurestore":                {{"GCP-ENC-017", "encryption_spec.kms_key_name"}},
	"google_vertex_ai_tensorboard":                 {{"GCP-ENC-017", "encryption_spec.kms_key_name"}},
	"google_vertex_ai_index":                       {{"GCP-ENC-017", "encryption_spec.kms_key_name"}},
	// A Workbench instance always has a data disk (the API creates one when
	// data_disks is left out), so a missing data_disks block fails too.
	"google_workbench_instance": {
		{"GCP-ENC-017", "gce_setup.boot_disk.kms_key"},
		{"GCP-ENC-017", "gce_setup.data_disks.kms_key"},
	},
	"google_notebooks_instance":    {{"GCP-ENC-017", "kms_key"}},
	"google_notebooks_runtime":     {{"GCP-ENC-017", "virtual_machine.virtual_machine_config.encryption_config.kms_key"}},
	"google_document_ai_processor": {{"GCP-ENC-017", "kms_key_name"}},
}

// The two GKE cluster paths that apply only to some clusters: the default
// node pool's (gone with remove_default_node_pool, absent on Autopilot) and
// Autopilot's auto-provisioned nodes'.
const (
	gkeDefaultPoolKey = "node_config.boot_disk_kms_key"
	gkeAutopilotKey   = "cluster_autoscaling.auto_provisioning_defaults.boot_disk_kms_key"
)

// cmekSlot is one place a key belongs on one resource, with numeric segments
// for repeated blocks ("attached_disk.1.kms_key_self_link") so each gets its
// own finding and location.
type cmekSlot struct {
	Check string
	Path  string
	// Attr is the key attribute, nil when it is missing. When a block on the
	// way is an attribute whose value is not known before apply, Attr is that
	// attribute: unknown, so it counts as a key that is set.
	Attr *scanner.Attr
	// Slot is where the scanner's lookup found it.
	Slot scanner.Slot
}

// Key judges whether the slot holds a key (see scanner.Slot.Required).
func (s cmekSlot) Key() judge.Verdict { return s.Slot.Required(keySet) }

// cmekSlots lists every place a resource of a cmekPaths type keeps a key,
// expanding every repeated block (dynamic blocks whose for_each is not
// known included, as one unexpanded block). A missing single block yields
// a slot whose Attr is nil; a missing repeated block yields none.
func cmekSlots(r *scanner.Resource) []cmekSlot { return cmekSlotsOf(r, "") }

// cmekSlotsOf is cmekSlots limited to the places of one check ("" for all).
func cmekSlotsOf(r *scanner.Resource, check string) []cmekSlot {
	var out []cmekSlot
	for _, p := range cmekPaths[r.Type] {
		if check != "" && p.Check != check {
			continue
		}
		for _, sl := range r.Lookup(p.Path).Slots {
			out = append(out, cmekSlot{Check: p.Check, Path: sl.Path, Attr: sl.Attr, Slot: sl})
		}
	}
	return out
}

// hsmLevels are the protection levels that keep key material out of
// software.
var hsmLevels = []string{"HSM", "HSM_SINGLE_TENANT", "EXTERNAL", "EXTERNAL_VPC"}

// keyIsHSM judges whether a google_kms_crypto_key keeps its material outside
// software: version_template.protection_level (the provider default,
// SOFTWARE, when missing) is exactly one of HSM, HSM_SINGLE_TENANT, EXTERNAL
// or EXTERNAL_VPC. Anything else fails: SOFTWARE,
// PROTECTION_LEVEL_UNSPECIFIED, or a value the API does not know.
func keyIsHSM(key *scanner.Resource) judge.Verdict {
	return key.Slot("version_template.protection_level").StrIs(func(s string) bool { return slices.Contains(hsmLevels, s) })
}

// keyIsExternal judges whether a google_kms_crypto_key's material lives in
// an external key manager (EXTERNAL, EXTERNAL_VPC), which rotates it: Cloud
// KMS cannot.
func keyIsExternal(key *scanner.Resource) judge.Verdict {
	return key.Slot("version_template.protection_level").StrIs(func(s string) bool { return s == "EXTERNAL" || s == "EXTERNAL_VPC" })
}
