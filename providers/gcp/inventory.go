package gcp

import (
	"context"
	"encoding/json"
	"sort"
	"strings"

	"cloud.google.com/go/asset/apiv1/assetpb"
	"github.com/casascan/casascan/scanner"
	"google.golang.org/protobuf/encoding/protojson"
)

// serviceAsset names Cloud Asset Inventory in diagnostics.
const serviceAsset = "cloudasset.googleapis.com"

// caiPageSize is the largest page ListAssets serves.
const caiPageSize = 1000

// Asset types with a role in planning the listings.
const (
	projectAssetType = "cloudresourcemanager.googleapis.com/Project"
	folderAssetType  = "cloudresourcemanager.googleapis.com/Folder"
	orgAssetType     = "cloudresourcemanager.googleapis.com/Organization"
	logBucketType    = "logging.googleapis.com/LogBucket"
)

// outsideProjectTypes are the mapped types that also live directly under a
// folder or organization (their IAM policies, their log buckets). A sharded
// run reads them once, in shard 0, from the folder and organization scopes.
var outsideProjectTypes = []string{folderAssetType, orgAssetType, logBucketType}

// directServices are read through their own APIs, in more detail than Asset
// Inventory has (primary key versions, bucket IAM at read time).
var directServices = []string{serviceKMS + "/", serviceStorage + "/"}

// inventoryTypes returns the asset types read through Asset Inventory: every
// type of the asset table but those of the services read directly, sorted.
func inventoryTypes() []string {
	var out []string
	for t := range assetTypes {
		direct := false
		for _, svc := range directServices {
			direct = direct || strings.HasPrefix(t, svc)
		}
		if !direct {
			out = append(out, t)
		}
	}
	sort.Strings(out)
	return out
}

// caiListing is one ListAssets scope with its asset types; outsideOnly
// keeps only assets that are not inside a project.
type caiListing struct {
	parent      string
	types       []string
	outsideOnly bool
}

// inventoryListings plans the listings. Unsharded, each folder and
// organization is one listing (Asset Inventory lists a whole organization in
// one paginated call) and each project given on its own, unless a folder or
// organization already covers it. Sharded, each shard lists its own
// projects, and shard 0 also what lives outside any project.
func (s *liveScan) inventoryListings(projects []string, covered map[string]bool) []caiListing {
	all := inventoryTypes()
	var out []caiListing
	if !s.sharded() {
		for _, c := range s.containers() {
			out = append(out, caiListing{parent: c, types: all})
		}
		for _, p := range s.opts.Projects {
			if !covered[p] {
				out = append(out, caiListing{parent: "projects/" + p, types: all})
			}
		}
		return out
	}
	if s.opts.ShardIndex == 0 {
		for _, c := range s.containers() {
			out = append(out, caiListing{parent: c, types: outsideProjectTypes, outsideOnly: true})
		}
	}
	for _, p := range projects {
		out = append(out, caiListing{parent: "projects/" + p, types: all})
	}
	return out
}

// readInventory lists every planned scope for resources and for IAM
// policies, then maps each asset once (scopes may overlap).
func (s *liveScan) readInventory(ctx context.Context, projects []string, covered map[string]bool) (sourceResult, error) {
	type call struct {
		listing caiListing
		content assetpb.ContentType
	}
	var calls []call
	for _, l := range s.inventoryListings(projects, covered) {
		calls = append(calls, call{l, assetpb.ContentType_RESOURCE}, call{l, assetpb.ContentType_IAM_POLICY})
	}
	found := make([][]*assetpb.Asset, len(calls))
	prog := s.prog.counter("Asset Inventory: listings", len(calls))
	err := each(ctx, len(calls), s.limit, func(ctx context.Context, i int) error {
		defer prog.step()
		c := calls[i]
		assets, err := s.listAssets(ctx, c.listing.parent, c.listing.types, c.content)
		if err != nil {
			what := "listing " + strings.ToLower(c.content.String()) + " assets of " + c.listing.parent
			return s.fail(ctx, c.listing.parent, serviceAsset, what, err)
		}
		if c.listing.outsideOnly {
			assets = outsideProjects(assets)
		}
		found[i] = assets
		return nil
	})
	if err != nil {
		return sourceResult{}, err
	}
	var res sourceResult
	seen := map[string]bool{}
	for i, assets := range found {
		for _, pa := range assets {
			key := pa.GetName() + "\x00" + pa.GetAssetType() + "\x00" + calls[i].content.String()
			if seen[key] {
				continue
			}
			seen[key] = true
			r, ds := mapInventoryAsset(pa)
			res.resources = append(res.resources, r...)
			res.diags = append(res.diags, ds...)
		}
	}
	return res, nil
}

func (s *liveScan) listAssets(ctx context.Context, parent string, types []string, content assetpb.ContentType) ([]*assetpb.Asset, error) {
	req := &assetpb.ListAssetsRequest{Parent: parent, AssetTypes: types, ContentType: content, PageSize: caiPageSize}
	return collect(s.cai.ListAssets(ctx, req, s.retry.callOption()).Next)
}

// outsideProjects keeps the assets whose nearest ancestor is not a project.
func outsideProjects(assets []*assetpb.Asset) []*assetpb.Asset {
	var out []*assetpb.Asset
	for _, a := range assets {
		if anc := a.GetAncestors(); len(anc) == 0 || !strings.HasPrefix(anc[0], "projects/") {
			out = append(out, a)
		}
	}
	return out
}

// mapInventoryAsset converts an asset from the API to the Asset the table
// maps (its JSON, the same shape as an export file's line).
func mapInventoryAsset(pa *assetpb.Asset) ([]*scanner.Resource, []scanner.Diagnostic) {
	raw, err := protojson.Marshal(pa)
	var a Asset
	if err == nil {
		err = json.Unmarshal(raw, &a)
	}
	if err != nil {
		return nil, []scanner.Diagnostic{{Severity: scanner.DiagError, Subject: pa.GetName(),
			Summary: "asset skipped: " + err.Error(), Skipped: true}}
	}
	return mapLive(a)
}

// enumerateProjects lists the active projects under a folder or
// organization through Asset Inventory (cloudresourcemanager Project assets),
// so that roles/cloudasset.viewer on the scope is all it takes; Resource
// Manager would need resourcemanager.projects.list as well.
func (s *liveScan) enumerateProjects(ctx context.Context, scope string) ([]string, error) {
	assets, err := s.listAssets(ctx, scope, []string{projectAssetType}, assetpb.ContentType_RESOURCE)
	if err != nil {
		return nil, s.fail(ctx, scope, serviceAsset, "listing the projects under "+scope, err)
	}
	var out []string
	for _, a := range assets {
		f := a.GetResource().GetData().GetFields()
		if st := f["lifecycleState"].GetStringValue(); st != "" && st != "ACTIVE" {
			continue
		}
		if id := f["projectId"].GetStringValue(); id != "" {
			out = append(out, id)
		}
	}
	s.prog.printf("%s: %d active projects", scope, len(out))
	return out, nil
}
