package checks

import (
	"slices"
	"sort"
	"strings"

	"github.com/casascan/casascan/scanner"
	"github.com/zclconf/go-cty/cty"
)

var gcpDFT001 = scanner.Check{
	ID:       "GCP-DFT-001",
	Title:    "Live resource drifts from its Terraform",
	Severity: scanner.Medium,
	// CWE-1068, Inconsistency Between Implementation and Documented Design:
	// what runs is not what the reviewed configuration says. MITRE lists it
	// as a quality weakness (not for mapping CVEs); that is what drift is.
	CWE:      1068,
	ASVS:     []string{"14.1.1", "14.1.5"},
	Measures: []scanner.Measure{scanner.M1, scanner.M4},
	Types:    driftTypes(),
	// Only deployed resources drift; Terraform and plans get no result.
	Sources: []scanner.Source{scanner.SourceLive, scanner.SourceExport},
	Why: `An assessor reads the Terraform as the evidence of how restricted-scope data is ` +
		`protected, and the Terraform is what code review approves. When a live resource no longer ` +
		`matches it (a key created SOFTWARE where Terraform asks for HSM, a bucket's CMEK removed by ` +
		`hand, an SSL policy loosened in the console), the evidence is wrong, the change skipped ` +
		`review, and the next terraform apply may silently undo or keep the weaker setting. casascan ` +
		`compares the security-relevant attributes of each live resource with the Terraform resource ` +
		`that declares it (through the state, or the resource's identifying attributes).`,
	Remediation: `Find out who changed the live resource and why. If Terraform is right, run ` +
		`terraform plan and apply to bring the resource back (some attributes, such as a key's ` +
		`protection level or a database's CMEK key, cannot change in place: create a new resource ` +
		`as Terraform declares it and move the data). If the live value is the intended one, write ` +
		`it in the Terraform so that review and the evidence agree.`,
	Fix:  "# The live key must be what Terraform declares: terraform apply, or a new HSM key.\n" + fixKey,
	Test: testDrift,
}

// unsetRule says how to read an attribute the Terraform leaves out.
type unsetRule int

const (
	// unsetDefault: the provider default applies (scanner's defaults
	// table; no value when it has none, so a value set outside Terraform
	// is drift: the next apply removes it). When the table says the
	// default applies only inside its block (InBlock), an attribute whose
	// enclosing block is not written is the provider's to compute.
	//lint:ignore U1000 the zero value, named for the reader of the table
	unsetDefault unsetRule = iota
	// unsetSkip: the provider computes the attribute (Optional and
	// Computed), so a value set outside Terraform is not drift.
	unsetSkip
)

// driftAttr is one security-relevant attribute the check compares.
type driftAttr struct {
	path  string
	unset unsetRule
	// name marks a value naming another resource (a key), compared by its
	// relative name whatever the spelling (self link, version suffix).
	name bool
}

// driftAttrs are the attributes compared, per Terraform type: those the
// catalog's M1, M2 and M4 checks judge, where a change outside Terraform
// weakens what the evidence shows.
var driftAttrs = map[string][]driftAttr{
	"google_kms_crypto_key": {
		{path: "version_template.protection_level"},
		{path: "rotation_period"},
	},
	"google_storage_bucket": {
		{path: "encryption.default_kms_key_name", name: true},
		{path: "uniform_bucket_level_access", unset: unsetSkip},
		{path: "public_access_prevention", unset: unsetSkip},
	},
	"google_sql_database_instance": {
		{path: "encryption_key_name", name: true, unset: unsetSkip},
		{path: "settings.ip_configuration.ssl_mode", unset: unsetSkip},
		{path: "settings.ip_configuration.ipv4_enabled"},
	},
	"google_compute_ssl_policy":                {{path: "min_tls_version"}, {path: "profile"}},
	"google_compute_region_ssl_policy":         {{path: "min_tls_version"}, {path: "profile"}},
	"google_compute_target_https_proxy":        {{path: "ssl_policy", name: true}},
	"google_compute_region_target_https_proxy": {{path: "ssl_policy", name: true}},
	"google_pubsub_topic":                      {{path: "kms_key_name", name: true}},
	"google_bigquery_dataset":                  {{path: "default_encryption_configuration.kms_key_name", name: true}},
	"google_redis_instance": {
		{path: "transit_encryption_mode"},
		{path: "auth_enabled"},
		{path: "customer_managed_key", name: true, unset: unsetSkip},
	},
	"google_container_cluster": {
		{path: "enable_legacy_abac"},
		{path: "database_encryption.state", unset: unsetSkip},
		{path: "database_encryption.key_name", name: true, unset: unsetSkip},
	},
	"google_secret_manager_secret": {
		{path: "replication.auto.customer_managed_encryption.kms_key_name", name: true, unset: unsetSkip},
	},
	"google_compute_disk":                 {{path: "disk_encryption_key.kms_key_self_link", name: true, unset: unsetSkip}},
	"google_spanner_database":             {{path: "encryption_config.kms_key_name", name: true, unset: unsetSkip}},
	"google_artifact_registry_repository": {{path: "kms_key_name", name: true, unset: unsetSkip}},
	"google_filestore_instance":           {{path: "kms_key_name", name: true, unset: unsetSkip}},
}

func driftTypes() []string {
	out := make([]string, 0, len(driftAttrs))
	for t := range driftAttrs {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// testDrift compares a linked live resource with its declaration. A live
// resource that is not linked passes: it has nothing to drift from. Run
// never calls it for Terraform or plan resources (Sources); it returns nil
// for them all the same.
func testDrift(_ *scanner.Graph, r *scanner.Resource) []scanner.Problem {
	if r.Declared == nil || (r.Source != scanner.SourceLive && r.Source != scanner.SourceExport) {
		return nil
	}
	var out []scanner.Problem
	for _, da := range driftAttrs[r.Type] {
		if p, ok := compareAttr(r, da); ok {
			p.Related = []*scanner.Resource{r.Declared}
			out = append(out, p)
		}
	}
	return out
}

// side is one side's value of an attribute: the attribute, its comparable
// text, and whether the default stood in for it.
type side struct {
	a       *scanner.Attr
	text    string
	usedDef bool
}

// compareAttr returns a problem when the declared value is known and the
// live value is known and different.
func compareAttr(r *scanner.Resource, da driftAttr) (scanner.Problem, bool) {
	want, ok := declaredSide(r.Declared, da)
	if !ok {
		return scanner.Problem{}, false
	}
	def, _ := driftDefault(r.Type, da.path)
	got, ok := valueSide(r.Slot(da.path).Attr, def)
	if !ok || sameValue(want.text, got.text, da.name) {
		return scanner.Problem{}, false
	}
	name := da.path[strings.LastIndexByte(da.path, '.')+1:]
	return scanner.Fail(da.path, "Terraform declares %s %s, live is %s", name, want.show(), got.show()), true
}

// declaredSide reads the declared value; ok is false when it is not known
// or the attribute is left to the provider.
func declaredSide(d *scanner.Resource, da driftAttr) (side, bool) {
	a := d.Slot(da.path).Attr
	def, inBlock := driftDefault(d.Type, da.path)
	if isAbsent(a) {
		switch {
		case da.unset == unsetSkip:
			return side{}, false
		case inBlock:
			if dir, _, nested := cutLast(da.path); nested && len(d.Body.All(dir)) == 0 {
				return side{}, false
			}
		}
	}
	return valueSide(a, def)
}

// driftDefault is the value an absent attribute stands for, on either side:
// the provider default from scanner's table ("" for none), and whether it
// applies only once the enclosing block is written.
func driftDefault(typ, path string) (def string, inBlock bool) {
	d, ok := scanner.DefaultOf(typ, path)
	if !ok {
		return "", false
	}
	def, _ = scanner.ValueString(d.Value)
	return def, d.InBlock
}

// valueSide reads one side: absent is the default, unknown is not ok.
func valueSide(a *scanner.Attr, def string) (side, bool) {
	if isAbsent(a) {
		return side{a: a, text: def, usedDef: true}, true
	}
	if !a.Known() {
		return side{}, false
	}
	s, ok := a.Str()
	if !ok {
		return side{}, false
	}
	return side{a: a, text: s}, true
}

func isAbsent(a *scanner.Attr) bool {
	if a.Null() {
		return true
	}
	s, ok := a.Str()
	return ok && strings.TrimSpace(s) == ""
}

// show renders a side for the message, through scanner.Display.
func (s side) show() string {
	if !s.usedDef {
		return scanner.Display(s.a)
	}
	if s.text == "" {
		return "(not set)"
	}
	return scanner.Display(&scanner.Attr{Value: cty.StringVal(s.text)}) + " (the default)"
}

// sameValue compares two values: enumerations and booleans without regard
// to case, resource names as scanner reads them (scanner.ParseName,
// Name.Match: a self link, a full name and a relative name of one resource
// are the same; so are a project number and ID, which only the Resource
// Manager API tells apart, and a project-less name in any project), a key
// version as its key, and a bare name as a resource name's own segment.
func sameValue(a, b string, name bool) bool {
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	if !name || a == "" || b == "" {
		return strings.EqualFold(a, b)
	}
	if a == b {
		return true
	}
	na, oka := keyName(a)
	nb, okb := keyName(b)
	switch {
	case oka && okb:
		ok, _ := na.Match(nb)
		return ok
	case oka && !strings.Contains(b, "/"):
		return na.Own() == b
	case okb && !strings.Contains(a, "/"):
		return nb.Own() == a
	}
	return false
}

// keyName reads a resource name; a key version reads as its key.
func keyName(s string) (scanner.Name, bool) {
	n, ok := scanner.ParseName(strings.TrimSuffix(s, "/"))
	if !ok {
		return n, false
	}
	if i := slices.Index(n.Segs, "cryptoKeyVersions"); i > 0 {
		n.Segs = n.Segs[:i]
	}
	return n, true
}

func cutLast(path string) (dir, last string, nested bool) {
	i := strings.LastIndexByte(path, '.')
	if i < 0 {
		return "", path, false
	}
	return path[:i], path[i+1:], true
}
