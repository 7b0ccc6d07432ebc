package gcp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/casascan/casascan/scanner"
	"github.com/zclconf/go-cty/cty"
)

// Asset is one Cloud Asset Inventory asset, as the Asset Inventory API,
// `gcloud asset export` and `gcloud asset list --format=json` write it. Both
// the proto field names (asset_type, iam_policy, update_time) and their JSON
// names (assetType, iamPolicy, updateTime) are accepted, because exports made
// by different tools use either. The live reader fills it from the API
// response (Resource.Data from structpb.Struct.AsMap).
type Asset struct {
	// Name is the full resource name: //storage.googleapis.com/acme-mail.
	Name      string `json:"name"`
	AssetType string `json:"assetType"`
	// Resource is nil for an IAM_POLICY-only record.
	Resource *AssetResource `json:"resource,omitempty"`
	// IAMPolicy is nil for a RESOURCE-only record.
	IAMPolicy *IAMPolicy `json:"iamPolicy,omitempty"`
	// Ancestors are the parents, nearest first: projects/123, folders/4,
	// organizations/5.
	Ancestors  []string `json:"ancestors,omitempty"`
	UpdateTime string   `json:"updateTime,omitempty"`
}

// AssetResource is the resource content of an asset.
type AssetResource struct {
	Version              string `json:"version,omitempty"`
	DiscoveryDocumentURI string `json:"discoveryDocumentUri,omitempty"`
	DiscoveryName        string `json:"discoveryName,omitempty"`
	ResourceURL          string `json:"resourceUrl,omitempty"`
	Parent               string `json:"parent,omitempty"`
	Location             string `json:"location,omitempty"`
	// Data is the resource as its own REST API returns it (camelCase field
	// names). Numbers are json.Number or float64.
	Data map[string]any `json:"data,omitempty"`
}

// IAMPolicy is an asset's IAM policy.
type IAMPolicy struct {
	Version  int          `json:"version,omitempty"`
	Bindings []IAMBinding `json:"bindings,omitempty"`
	Etag     string       `json:"etag,omitempty"`
}

// IAMBinding grants one role to members, optionally under a condition.
type IAMBinding struct {
	Role      string        `json:"role"`
	Members   []string      `json:"members,omitempty"`
	Condition *IAMCondition `json:"condition,omitempty"`
}

// IAMCondition is a binding's CEL condition.
type IAMCondition struct {
	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`
	Expression  string `json:"expression,omitempty"`
}

// normKey folds snake_case and camelCase field names to one form:
// asset_type and assetType both become assettype.
func normKey(k string) string {
	return strings.ToLower(strings.ReplaceAll(k, "_", ""))
}

// fields decodes a JSON object into its members keyed by normKey.
func fields(data []byte) (map[string]json.RawMessage, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	out := make(map[string]json.RawMessage, len(raw))
	for k, v := range raw {
		out[normKey(k)] = v
	}
	return out, nil
}

// decodeField decodes member key of m into dst when present and not null.
func decodeField(m map[string]json.RawMessage, key string, dst any) error {
	raw, ok := m[key]
	if !ok || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return nil
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return fmt.Errorf("field %s: %w", key, err)
	}
	return nil
}

// UnmarshalJSON accepts snake_case and camelCase field names.
func (a *Asset) UnmarshalJSON(data []byte) error {
	m, err := fields(data)
	if err != nil {
		return err
	}
	return a.fromFields(m)
}

// fromFields fills the asset from an object's members keyed by normKey.
func (a *Asset) fromFields(m map[string]json.RawMessage) error {
	*a = Asset{}
	for _, f := range []struct {
		key string
		dst any
	}{
		{"name", &a.Name}, {"assettype", &a.AssetType}, {"resource", &a.Resource},
		{"iampolicy", &a.IAMPolicy}, {"ancestors", &a.Ancestors}, {"updatetime", &a.UpdateTime},
	} {
		if err := decodeField(m, f.key, f.dst); err != nil {
			return err
		}
	}
	return nil
}

// UnmarshalJSON accepts snake_case and camelCase field names and keeps the
// numbers of data exact (json.Number).
func (r *AssetResource) UnmarshalJSON(data []byte) error {
	m, err := fields(data)
	if err != nil {
		return err
	}
	*r = AssetResource{}
	for _, f := range []struct {
		key string
		dst *string
	}{
		{"version", &r.Version}, {"discoverydocumenturi", &r.DiscoveryDocumentURI},
		{"discoveryname", &r.DiscoveryName}, {"resourceurl", &r.ResourceURL},
		{"parent", &r.Parent}, {"location", &r.Location},
	} {
		if err := decodeField(m, f.key, f.dst); err != nil {
			return err
		}
	}
	if raw, ok := m["data"]; ok {
		d, err := decodeResourceData(raw)
		if err != nil {
			return err
		}
		if obj, ok := d.(map[string]any); ok {
			r.Data = obj
		} else if d != nil {
			return fmt.Errorf("field data: want an object")
		}
	}
	return nil
}

// decodeResourceData decodes a resource's data with exact numbers. The BigQuery
// table form of an export (`gcloud asset export --bigquery-table`, read back
// one row per line) holds it as a JSON string: that string is the object.
func decodeResourceData(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var d any
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("field data: %w", err)
	}
	if s, ok := d.(string); ok {
		dec := json.NewDecoder(strings.NewReader(s))
		dec.UseNumber()
		if err := dec.Decode(&d); err != nil {
			return nil, fmt.Errorf("field data: a string that is not JSON: %w", err)
		}
		if dec.More() {
			return nil, fmt.Errorf("field data: a string holding more than one JSON value")
		}
	}
	return d, nil
}

// UnmarshalJSON accepts snake_case and camelCase field names.
func (p *IAMPolicy) UnmarshalJSON(data []byte) error {
	m, err := fields(data)
	if err != nil {
		return err
	}
	*p = IAMPolicy{}
	if err := decodeField(m, "version", &p.Version); err != nil {
		return err
	}
	if err := decodeField(m, "etag", &p.Etag); err != nil {
		return err
	}
	return decodeField(m, "bindings", &p.Bindings)
}

// unmappedSummary marks the per-asset diagnostic mapAsset returns for an
// asset type casascan does not map; newGraph folds them into one warning that
// counts assets per type.
const unmappedSummary = "asset type not mapped"

// mapAsset turns one asset into graph resources: the resource itself under
// its Terraform type (nothing for an unmapped type, with a diagnostic
// newGraph counts), and one google_<parent>_iam_binding resource per binding
// of its IAM policy. Sources are SourceExport; the live reader overwrites
// them. References hold full resource names; newGraph resolves project
// numbers and merges resources that share an address.
func mapAsset(a Asset) ([]*scanner.Resource, []scanner.Diagnostic) {
	return mapAssetAs(a, false)
}

// mapAssetAs is mapAsset; partial marks data known to be incomplete (a
// search result), whose missing fields become unknown values.
func mapAssetAs(a Asset, partial bool) ([]*scanner.Resource, []scanner.Diagnostic) {
	if a.Name == "" {
		return nil, []scanner.Diagnostic{{Severity: scanner.DiagWarning, Summary: "asset without a name skipped", Subject: a.AssetType}}
	}
	e := assetTypes[a.AssetType]
	if e == nil {
		return nil, []scanner.Diagnostic{{Severity: scanner.DiagWarning, Summary: unmappedSummary, Subject: a.AssetType}}
	}
	var out []*scanner.Resource
	project := projectOf(a)
	if a.Resource != nil {
		out = append(out, mapResource(e, a, project, partial)...)
	}
	if a.IAMPolicy != nil {
		out = append(out, mapIAM(e, a, project)...)
	}
	return out, nil
}

// projectOf finds an asset's project: the project ID in its name, else in
// its data, else the project number of its nearest project ancestor.
func projectOf(a Asset) string {
	rel := relName(a.Name)
	seg := segAfter(rel, "projects")
	if seg != "" && !isNumber(seg) {
		return seg
	}
	if a.Resource != nil {
		d := obj(a.Resource.Data)
		for _, k := range []string{"projectId", "project"} {
			if s := d.str(k); s != "" && !strings.Contains(s, "/") {
				return s
			}
		}
	}
	for _, anc := range a.Ancestors {
		if p, ok := strings.CutPrefix(anc, "projects/"); ok {
			return p
		}
	}
	return seg
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// mapResource maps an asset's resource content with its table entry.
func mapResource(e *entry, a Asset, project string, partial bool) []*scanner.Resource {
	d := obj(a.Resource.Data)
	if d == nil {
		d = obj{}
	}
	if e.variant != nil {
		if v := e.variant(d); v != nil {
			e = v
		}
	}
	typ := e.typ
	if e.typeOf != nil {
		if t := e.typeOf(d); t != "" {
			typ = t
		}
	}
	if typ == "" || (e.skip != nil && e.skip(d)) {
		return nil
	}
	addr := a.Name
	if e.address != nil {
		addr = e.address(a.Name)
	}
	m := &mapper{body: scanner.NewBody(), rng: pseudoRange(addr), project: project, partial: partial, name: a.Name, typ: typ}
	if partial {
		d, m.absent = takeAbsent(d)
	}
	m.apply(m.body, d, e.fields)
	if e.extra != nil {
		e.extra(m, d)
	}
	if partial {
		for _, p := range e.extraPaths {
			if p == e.kmsTF && m.absent[e.kms] {
				continue // the result lists the keys: none is none
			}
			if m.body.Get(p) == nil {
				m.setNotCarried(m.body, p, false)
			}
		}
	}
	if _, ok := m.body.Attrs["project"]; !ok && project != "" && e.address == nil {
		m.set(m.body, "project", cty.StringVal(project), nil, false)
	}
	r := &scanner.Resource{
		Address: addr, Mode: scanner.Managed, Type: m.typ, Name: lastPart(addr),
		Body: m.body, DefRange: m.rng, Range: m.rng,
		Source: scanner.SourceExport, Project: project,
	}
	out := []*scanner.Resource{r}
	if e.children != nil {
		out = append(out, e.children(m, r, d)...)
	}
	return out
}

// takeAbsent splits the absent-path markers of partial data from the data,
// leaving the caller's map as it was.
func takeAbsent(d obj) (obj, map[string]bool) {
	data := make(obj, len(d))
	absent := map[string]bool{}
	for k, v := range d {
		if p, ok := strings.CutPrefix(k, absentMarker); ok {
			absent[p] = true
			continue
		}
		data[k] = v
	}
	return data, absent
}
