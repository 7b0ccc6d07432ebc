package plan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/casascan/casascan/scanner"
	tfjson "github.com/hashicorp/terraform-json"
)

// A raw state is terraform.tfstate itself (state format version 4), read
// without `terraform show -json`: its resources[].instances[].attributes
// are the resources' current values, as a state's values are. It becomes
// the document terraform show -json would have written: each instance at
// its address, its sensitive_attributes paths as the sensitivity mask, so
// the rest of the package reads it as any state.

// rawState is the part of a version 4 state file read.
type rawState struct {
	Version          json.Number   `json:"version"`
	TerraformVersion string        `json:"terraform_version"`
	Resources        []rawResource `json:"resources"`
}

type rawResource struct {
	Module    string        `json:"module"`
	Mode      string        `json:"mode"`
	Type      string        `json:"type"`
	Name      string        `json:"name"`
	Provider  string        `json:"provider"`
	Instances []rawInstance `json:"instances"`
}

type rawInstance struct {
	// IndexKey is a json.Number (count) or a string (for_each); nil for a
	// single instance.
	IndexKey            any               `json:"index_key"`
	Deposed             string            `json:"deposed"`
	SchemaVersion       int               `json:"schema_version"`
	Attributes          map[string]any    `json:"attributes"`
	AttributesFlat      map[string]string `json:"attributes_flat"`
	SensitiveAttributes json.RawMessage   `json:"sensitive_attributes"`
}

// rawStateKeys are top-level properties only a raw state has.
var rawStateKeys = map[string]bool{"lineage": true, "serial": true, "resources": true}

// detectRawState reports whether data is a raw state: a JSON object with a
// numeric version and one of lineage, serial or resources, and no
// format_version (terraform show -json output has one).
func detectRawState(data []byte) bool {
	version, body := false, false
	return topKeys(data, func(key string, dec *json.Decoder) (is, done bool) {
		switch {
		case key == "format_version":
			return false, true
		case key == "version":
			var n json.Number
			if dec.Decode(&n) != nil {
				return false, true
			}
			version = true
		default:
			body = body || rawStateKeys[key]
			if skipValue(dec) != nil {
				return false, true
			}
		}
		return version && body, version && body
	})
}

// decodeRawState turns a raw state into the document terraform show -json
// writes for it. A version other than 4 is refused (versions 1 to 3 are
// Terraform 0.11 and older, with another layout); an instance that cannot
// be read is a diagnostic of the document.
func decodeRawState(data []byte) (*document, error) {
	data = utf8JSON(data)
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var st rawState
	if err := dec.Decode(&st); err != nil {
		return nil, jsonError(data, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("unexpected data after the JSON object")
	}
	if st.Version.String() != "4" {
		return nil, fmt.Errorf("state format version %s is not supported: casascan reads version 4 (Terraform 0.12 and later); run terraform show -json on it", st.Version)
	}
	root := &tfjson.StateModule{}
	doc := &document{FormatVersion: "1.0", TerraformVersion: st.TerraformVersion,
		Values: &tfjson.StateValues{RootModule: root}, src: data}
	for _, r := range st.Resources {
		for _, in := range r.Instances {
			if in.Deposed != "" {
				continue // an object being replaced, as terraform show leaves it out
			}
			addr, err := rawAddress(r, in.IndexKey)
			if err != nil {
				doc.rawSkipped = append(doc.rawSkipped, scanner.Diagnostic{Summary: "resource address cannot be read; the resource is not scanned", Detail: err.Error()})
				continue
			}
			if in.Attributes == nil {
				summary := "state instance has no attributes; the resource is not scanned"
				if in.AttributesFlat != nil {
					summary = "state instance has only flat (legacy) attributes; the resource is not scanned"
				}
				doc.rawSkipped = append(doc.rawSkipped, scanner.Diagnostic{Summary: summary, Detail: "resource " + addr})
				continue
			}
			mode := tfjson.ManagedResourceMode
			if r.Mode == "data" {
				mode = tfjson.DataResourceMode
			}
			root.Resources = append(root.Resources, &tfjson.StateResource{
				Address: addr, Mode: mode, Type: r.Type, Name: r.Name, Index: in.IndexKey,
				ProviderName: r.Provider, SchemaVersion: uint64(max(in.SchemaVersion, 0)),
				AttributeValues: in.Attributes, SensitiveValues: sensitiveMask(in.SensitiveAttributes),
			})
		}
	}
	return doc, nil
}

// rawAddress is an instance's address as Terraform writes it:
// module.a["x"].data.google_x.y[0].
func rawAddress(r rawResource, key any) (string, error) {
	if r.Type == "" || r.Name == "" {
		return "", errors.New("a resource without type or name")
	}
	var b strings.Builder
	if r.Module != "" {
		b.WriteString(r.Module + ".")
	}
	if r.Mode == "data" {
		b.WriteString("data.")
	}
	b.WriteString(r.Type + "." + r.Name)
	switch k := key.(type) {
	case nil:
	case json.Number:
		b.WriteString("[" + k.String() + "]")
	case string:
		b.WriteString("[" + strconv.Quote(k) + "]")
	default:
		return "", fmt.Errorf("index_key of %s.%s is neither a number nor a string", r.Type, r.Name)
	}
	return b.String(), nil
}

// unreadableMask is a sensitivity mask the collector cannot read: every
// value of the instance is then sensitive (fail closed).
var unreadableMask = json.RawMessage(`"unreadable sensitive_attributes"`)

// sensitiveMask turns sensitive_attributes, a list of paths (each a list
// of steps: {"type":"get_attr","value":"password"}, {"type":"index",
// "value":{"value":0,"type":"number"}}), into the mask terraform show
// -json writes (sensitive_values). Paths it cannot read make the whole
// instance sensitive.
func sensitiveMask(raw json.RawMessage) json.RawMessage {
	if len(bytes.TrimSpace(raw)) == 0 || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var paths [][]struct {
		Type  string          `json:"type"`
		Value json.RawMessage `json:"value"`
	}
	if dec.Decode(&paths) != nil {
		return unreadableMask
	}
	var mask any = map[string]any{}
	for _, p := range paths {
		steps := make([]any, 0, len(p))
		for _, s := range p {
			step, ok := maskStep(s.Type, s.Value)
			if !ok {
				return unreadableMask
			}
			steps = append(steps, step)
		}
		if len(steps) == 0 {
			return json.RawMessage("true")
		}
		var ok bool
		if mask, ok = setMask(mask, steps, 0); !ok {
			return unreadableMask
		}
	}
	out, err := json.Marshal(mask)
	if err != nil {
		return unreadableMask
	}
	return out
}

// maskStep reads one step: an attribute or map key (string) or a list
// index (int).
func maskStep(typ string, raw json.RawMessage) (any, bool) {
	switch typ {
	case "get_attr":
		var s string
		return s, json.Unmarshal(raw, &s) == nil
	case "index":
		var v struct {
			Value json.RawMessage `json:"value"`
			Type  string          `json:"type"`
		}
		if json.Unmarshal(raw, &v) != nil {
			return nil, false
		}
		switch v.Type {
		case "string":
			var s string
			return s, json.Unmarshal(v.Value, &s) == nil
		case "number":
			var n int
			if json.Unmarshal(v.Value, &n) != nil || n < 0 || n > maxMaskIndex {
				return nil, false
			}
			return n, true
		}
	}
	return nil, false
}

// maxMaskIndex bounds a list index in a sensitive path, so a hostile state
// cannot make the mask huge.
const maxMaskIndex = 10_000

// setMask marks the value at steps sensitive in m; ok is false when the
// steps contradict the mask's shape (a list index into an object).
func setMask(m any, steps []any, depth int) (any, bool) {
	if len(steps) == 0 || m == true {
		return true, true
	}
	if depth > maxModuleDepth*8 {
		return nil, false
	}
	switch step := steps[0].(type) {
	case string:
		obj, ok := m.(map[string]any)
		if m == nil || m == false {
			obj, ok = map[string]any{}, true
		}
		if !ok {
			return nil, false
		}
		child, ok := setMask(obj[step], steps[1:], depth+1)
		obj[step] = child
		return obj, ok
	case int:
		list, ok := m.([]any)
		if m == nil || m == false {
			list, ok = nil, true
		}
		if !ok {
			return nil, false
		}
		for len(list) <= step {
			list = append(list, false)
		}
		child, ok := setMask(list[step], steps[1:], depth+1)
		list[step] = child
		return list, ok
	}
	return nil, false
}
