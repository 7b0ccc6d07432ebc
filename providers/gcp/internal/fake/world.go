package fake

import (
	"encoding/json"
	"fmt"

	"cloud.google.com/go/asset/apiv1/assetpb"
	"cloud.google.com/go/iam/apiv1/iampb"
	"cloud.google.com/go/kms/apiv1/kmspb"
	storagev1 "google.golang.org/api/storage/v1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
)

// worldFile is the JSON form of a World, for fixtures: every object is
// written as its API returns it (Cloud KMS and IAM REST JSON, the Storage
// JSON API bucket resource, Asset Inventory assets), so a fixture can be
// pasted from real responses.
type worldFile struct {
	Projects []projectFile     `json:"projects"`
	Outside  []json.RawMessage `json:"outside"`
	PageSize int               `json:"pageSize"`
}

type projectFile struct {
	ID         string                     `json:"id"`
	Number     int64                      `json:"number"`
	Ancestors  []string                   `json:"ancestors"`
	State      string                     `json:"state"`
	Locations  []string                   `json:"locations"`
	KeyRings   []json.RawMessage          `json:"keyRings"`
	CryptoKeys []json.RawMessage          `json:"cryptoKeys"`
	Buckets    []*storagev1.Bucket        `json:"buckets"`
	Assets     []json.RawMessage          `json:"assets"`
	Policies   map[string]json.RawMessage `json:"policies"`
}

// ReadWorld decodes a World from its JSON form.
func ReadWorld(data []byte) (*World, error) {
	var wf worldFile
	if err := json.Unmarshal(data, &wf); err != nil {
		return nil, fmt.Errorf("decoding world: %w", err)
	}
	w := &World{PageSize: wf.PageSize}
	var err error
	if w.Outside, err = decodeAll(wf.Outside, func() *assetpb.Asset { return &assetpb.Asset{} }); err != nil {
		return nil, fmt.Errorf("outside assets: %w", err)
	}
	for _, pf := range wf.Projects {
		p, err := pf.project()
		if err != nil {
			return nil, fmt.Errorf("project %s: %w", pf.ID, err)
		}
		w.Projects = append(w.Projects, p)
	}
	return w, nil
}

func (pf projectFile) project() (*Project, error) {
	p := &Project{ID: pf.ID, Number: pf.Number, Ancestors: pf.Ancestors, State: pf.State,
		Locations: pf.Locations, Buckets: pf.Buckets, Policies: map[string]*iampb.Policy{}}
	var err error
	if p.KeyRings, err = decodeAll(pf.KeyRings, func() *kmspb.KeyRing { return &kmspb.KeyRing{} }); err != nil {
		return nil, fmt.Errorf("key rings: %w", err)
	}
	if p.CryptoKeys, err = decodeAll(pf.CryptoKeys, func() *kmspb.CryptoKey { return &kmspb.CryptoKey{} }); err != nil {
		return nil, fmt.Errorf("crypto keys: %w", err)
	}
	if p.Assets, err = decodeAll(pf.Assets, func() *assetpb.Asset { return &assetpb.Asset{} }); err != nil {
		return nil, fmt.Errorf("assets: %w", err)
	}
	for name, raw := range pf.Policies {
		pol := &iampb.Policy{}
		if err := protojson.Unmarshal(raw, pol); err != nil {
			return nil, fmt.Errorf("policy of %s: %w", name, err)
		}
		p.Policies[name] = pol
	}
	return p, nil
}

func decodeAll[M proto.Message](raws []json.RawMessage, newMsg func() M) ([]M, error) {
	var out []M
	for i, raw := range raws {
		m := newMsg()
		if err := protojson.Unmarshal(raw, m); err != nil {
			return nil, fmt.Errorf("item %d: %w", i, err)
		}
		out = append(out, m)
	}
	return out, nil
}
