package gcp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Search results (`gcloud asset search-all-resources`) carry a resource's
// name, type, project, location, labels, CMEK keys and a few additional
// attributes, but not its configuration, unless they were requested with
// --read-mask including versionedResources. Without the configuration, what
// the result does not say is unknown: the checks then report UNKNOWN rather
// than a failure they cannot know. Keys are the exception: a search result
// lists the resource's CMEK keys, so a result without keys has none.

// exportOnlyKeys mark export records of content types casascan does not
// judge (organization policies, access policies, OS inventory,
// relationships): they are skipped without a diagnostic.
var exportOnlyKeys = []string{"orgpolicy", "accesspolicy", "accesslevel", "serviceperimeter", "osinventory", "relatedassets", "relatedasset"}

// searchKeys mark a search result.
var searchKeys = []string{"project", "displayname", "location", "additionalattributes", "versionedresources", "kmskey", "kmskeys", "labels", "state", "parentfullresourcename", "folders", "organization"}

// decodeRecord decodes one export record, a JSON object whose members are
// m (keyed by normKey): an asset, a resource search result or an IAM policy
// search result. It returns nil, nil for records of content types that are
// not judged.
func decodeRecord(m map[string]json.RawMessage) (*record, error) {
	if isTemporal(m) {
		return temporalRecord(m)
	}
	if isJSONString(m["resource"]) && m["policy"] != nil {
		return iamSearchRecord(m)
	}
	if m["resource"] != nil || m["iampolicy"] != nil {
		var a Asset
		if err := a.fromFields(m); err != nil {
			return nil, err
		}
		if a.Name == "" || a.AssetType == "" {
			return nil, errors.New("asset without name or asset type")
		}
		return &record{asset: a}, nil
	}
	for _, k := range exportOnlyKeys {
		if m[k] != nil {
			return nil, nil
		}
	}
	if m["name"] != nil && m["assettype"] != nil {
		for _, k := range searchKeys {
			if m[k] != nil {
				return searchRecord(m)
			}
		}
		return nil, nil // a name and type, nothing to judge
	}
	return nil, errors.New("no name and asset type")
}

// isTemporal reports whether m is a TemporalAsset (`gcloud asset
// get-history`, a real-time feed notification): an asset with the window it
// held in, whether it was deleted, and its prior state.
func isTemporal(m map[string]json.RawMessage) bool {
	if m["asset"] == nil || m["name"] != nil {
		return false
	}
	for _, k := range []string{"window", "deleted", "priorasset", "priorassetstate"} {
		if m[k] != nil {
			return true
		}
	}
	return false
}

// temporalRecord reads a TemporalAsset: the asset as it was from the
// window's start; a deleted one is kept as a deletion, which ReadExport
// applies (a deleted asset is not a resource).
func temporalRecord(m map[string]json.RawMessage) (*record, error) {
	var a Asset
	if err := decodeField(m, "asset", &a); err != nil {
		return nil, err
	}
	if a.Name == "" || a.AssetType == "" {
		return nil, errors.New("temporal asset without name or asset type")
	}
	var deleted bool
	if err := decodeField(m, "deleted", &deleted); err != nil {
		return nil, err
	}
	var window map[string]json.RawMessage
	if raw := m["window"]; raw != nil && !bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		w, err := fields(raw)
		if err != nil {
			return nil, fmt.Errorf("field window: %w", err)
		}
		window = w
	}
	at := a.UpdateTime
	for _, k := range []string{"endtime", "starttime"} {
		var s string
		if err := decodeField(window, k, &s); err != nil {
			return nil, fmt.Errorf("field window: %w", err)
		}
		if s != "" {
			at = s
		}
	}
	return &record{asset: a, temporal: true, deleted: deleted, at: at}, nil
}

// checkObject says why raw is not a JSON object, or returns nil.
func checkObject(raw []byte) error {
	s := bytes.TrimSpace(raw)
	if !json.Valid(s) {
		var v any
		if err := json.Unmarshal(s, &v); err != nil {
			return fmt.Errorf("not valid JSON: %w", err)
		}
		return errors.New("not valid JSON")
	}
	switch s[0] {
	case '{':
		return nil
	case '[':
		return errors.New("want a JSON object, found an array")
	case '"':
		return errors.New("want a JSON object, found a string")
	}
	return errors.New("want a JSON object, found a scalar value")
}

func isJSONString(raw json.RawMessage) bool {
	s := strings.TrimSpace(string(raw))
	return strings.HasPrefix(s, `"`)
}

// iamSearchRecord reads an IamPolicySearchResult: resource, assetType,
// project, policy.
func iamSearchRecord(m map[string]json.RawMessage) (*record, error) {
	var a Asset
	var project string
	if err := decodeAll(m, map[string]any{
		"resource": &a.Name, "assettype": &a.AssetType, "project": &project, "policy": &a.IAMPolicy,
	}); err != nil {
		return nil, err
	}
	if a.Name == "" || a.AssetType == "" {
		return nil, errors.New("IAM policy search result without resource or asset type")
	}
	if project != "" {
		a.Ancestors = []string{project}
	}
	return &record{asset: a}, nil
}

func decodeAll(m map[string]json.RawMessage, dst map[string]any) error {
	for k, d := range dst {
		if err := decodeField(m, k, d); err != nil {
			return err
		}
	}
	return nil
}

// searchResult is the part of a ResourceSearchResult casascan reads.
type searchResult struct {
	name, assetType, project, displayName, location, kmsKey, organization string
	labels                                                                map[string]any
	kmsKeys, folders                                                      []string
	additional                                                            map[string]any
	versioned                                                             []struct {
		Resource map[string]any `json:"resource"`
	}
}

// searchRecord turns a search result into an asset. With versioned resources
// the first version's data is the resource; otherwise the data is pieced
// together from the result and marked partial.
func searchRecord(m map[string]json.RawMessage) (*record, error) {
	var s searchResult
	if err := decodeAll(m, map[string]any{
		"name": &s.name, "assettype": &s.assetType, "project": &s.project,
		"displayname": &s.displayName, "location": &s.location, "kmskey": &s.kmsKey,
		"organization": &s.organization, "labels": &s.labels, "kmskeys": &s.kmsKeys,
		"folders": &s.folders, "additionalattributes": &s.additional, "versionedresources": &s.versioned,
	}); err != nil {
		return nil, err
	}
	a := Asset{Name: s.name, AssetType: s.assetType}
	for _, anc := range append(append([]string{s.project}, s.folders...), s.organization) {
		if anc != "" {
			a.Ancestors = append(a.Ancestors, anc)
		}
	}
	for _, v := range s.versioned {
		if v.Resource != nil {
			a.Resource = &AssetResource{Location: s.location, Data: v.Resource}
			return &record{asset: a}, nil
		}
	}
	a.Resource = &AssetResource{Location: s.location, Data: s.data()}
	return &record{asset: a, partial: true}, nil
}

// data pieces resource data together from a search result: its additional
// attributes, labels, display name (the short name of most resources),
// location, and the CMEK key at the path the asset type keeps it.
func (s searchResult) data() map[string]any {
	d := map[string]any{}
	for k, v := range s.additional {
		d[k] = v
	}
	setIfAbsent := func(k string, v any) {
		if _, ok := d[k]; !ok {
			d[k] = v
		}
	}
	if s.labels != nil {
		setIfAbsent("labels", s.labels)
	}
	if s.displayName != "" {
		setIfAbsent("name", s.displayName)
	}
	if s.location != "" {
		setIfAbsent("location", s.location)
	}
	key := s.kmsKey
	if len(s.kmsKeys) > 0 {
		key = s.kmsKeys[0]
	}
	if e := assetTypes[s.assetType]; e != nil && e.kms != "" {
		d[absentMarker+e.kms] = true
		for _, p := range e.kmsAlso {
			d[absentMarker+p] = true
		}
		if key != "" {
			setPath(d, e.kms, key)
		}
	}
	return d
}

// absentMarker prefixes a data member that says an API path is known to be
// absent (not unknown) in partial data.
const absentMarker = "\x00absent:"

// setPath writes v at a dotted path, creating objects on the way.
func setPath(d map[string]any, path string, v any) {
	segs := strings.Split(path, ".")
	for _, seg := range segs[:len(segs)-1] {
		next, ok := d[seg].(map[string]any)
		if !ok {
			next = map[string]any{}
			d[seg] = next
		}
		d = next
	}
	d[segs[len(segs)-1]] = v
}
