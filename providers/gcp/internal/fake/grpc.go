package fake

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"cloud.google.com/go/asset/apiv1/assetpb"
	"cloud.google.com/go/iam/apiv1/iampb"
	"cloud.google.com/go/kms/apiv1/kmspb"
	"google.golang.org/genproto/googleapis/cloud/location"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/structpb"
)

// grpcError turns an injected fault into the status the real service
// returns: PermissionDenied with an ErrorInfo reason, or ResourceExhausted.
func grpcError(f fault, service, scope string) error {
	if f.exhausted {
		return status.Error(codes.ResourceExhausted, "Quota exceeded for quota metric 'Read requests' (fake)")
	}
	if f.reason == reasonUnauth {
		return status.Error(codes.Unauthenticated, "Request had invalid authentication credentials (fake)")
	}
	msg := fmt.Sprintf("Permission denied on %s for %s (fake)", service, scope)
	if f.reason == reasonDisabled {
		msg = fmt.Sprintf("The %s API has not been used in %s before or it is disabled (fake)", service, scope)
	}
	st := status.New(codes.PermissionDenied, msg)
	if d, err := st.WithDetails(&errdetails.ErrorInfo{Reason: f.reason, Domain: "googleapis.com",
		Metadata: map[string]string{"service": service, "consumer": scope}}); err == nil {
		st = d
	}
	return st.Err()
}

// check counts a call on a project's resource and returns the injected
// error, if any.
func (s *Server) check(method, service, project string) error {
	if f := s.enter(method, service, s.scopesOf(project)...); f != (fault{}) {
		return grpcError(f, service, "projects/"+project)
	}
	if s.idx.project[project] == nil {
		// Google answers 403, not 404, for a project the caller cannot see.
		return grpcError(fault{reason: reasonDenied}, service, "projects/"+project)
	}
	return nil
}

type kmsServer struct {
	kmspb.UnimplementedKeyManagementServiceServer
	s *Server
}

func (k *kmsServer) ListKeyRings(_ context.Context, req *kmspb.ListKeyRingsRequest) (*kmspb.ListKeyRingsResponse, error) {
	if err := k.s.check(ListKeyRings, ServiceKMS, projectOf(req.GetParent())); err != nil {
		return nil, err
	}
	all := k.s.idx.rings[req.GetParent()]
	lo, hi, next, err := k.s.page(len(all), req.GetPageToken(), int(req.GetPageSize()))
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &kmspb.ListKeyRingsResponse{KeyRings: all[lo:hi], NextPageToken: next, TotalSize: int32(len(all))}, nil
}

func (k *kmsServer) ListCryptoKeys(_ context.Context, req *kmspb.ListCryptoKeysRequest) (*kmspb.ListCryptoKeysResponse, error) {
	if err := k.s.check(ListCryptoKeys, ServiceKMS, projectOf(req.GetParent())); err != nil {
		return nil, err
	}
	all := k.s.idx.keys[req.GetParent()]
	lo, hi, next, err := k.s.page(len(all), req.GetPageToken(), int(req.GetPageSize()))
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &kmspb.ListCryptoKeysResponse{CryptoKeys: all[lo:hi], NextPageToken: next, TotalSize: int32(len(all))}, nil
}

type iamServer struct {
	iampb.UnimplementedIAMPolicyServer
	s *Server
}

func (i *iamServer) GetIamPolicy(_ context.Context, req *iampb.GetIamPolicyRequest) (*iampb.Policy, error) {
	if err := i.s.check(GetIamPolicy, ServiceKMS, projectOf(req.GetResource())); err != nil {
		return nil, err
	}
	if p := i.s.idx.policies[req.GetResource()]; p != nil {
		return p, nil
	}
	return &iampb.Policy{Version: 1, Etag: []byte("ACAB")}, nil
}

type locationServer struct {
	location.UnimplementedLocationsServer
	s *Server
}

func (l *locationServer) ListLocations(_ context.Context, req *location.ListLocationsRequest) (*location.ListLocationsResponse, error) {
	project := projectOf(req.GetName())
	if err := l.s.check(ListLocations, ServiceKMS, project); err != nil {
		return nil, err
	}
	p := l.s.idx.project[project]
	var all []*location.Location
	for _, id := range p.Locations {
		all = append(all, &location.Location{Name: "projects/" + project + "/locations/" + id, LocationId: id})
	}
	lo, hi, next, err := l.s.page(len(all), req.GetPageToken(), int(req.GetPageSize()))
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &location.ListLocationsResponse{Locations: all[lo:hi], NextPageToken: next}, nil
}

type assetServer struct {
	assetpb.UnimplementedAssetServiceServer
	s *Server
}

func (a *assetServer) ListAssets(_ context.Context, req *assetpb.ListAssetsRequest) (*assetpb.ListAssetsResponse, error) {
	parent := req.GetParent()
	projects, scopes, err := a.s.inScope(parent)
	if f := a.s.enter(ListAssets, ServiceAsset, scopes...); f != (fault{}) {
		return nil, grpcError(f, ServiceAsset, parent)
	}
	if err != nil {
		return nil, grpcError(fault{reason: reasonDenied}, ServiceAsset, parent)
	}
	var all []*assetpb.Asset
	add := func(as *assetpb.Asset, p *Project) {
		if c := part(as, p, req.GetContentType()); c != nil && typeWanted(as.GetAssetType(), req.GetAssetTypes()) {
			all = append(all, c)
		}
	}
	for _, p := range projects {
		for _, as := range append([]*assetpb.Asset{projectAsset(p)}, p.Assets...) {
			add(as, p)
		}
	}
	if !strings.HasPrefix(parent, "projects/") {
		for _, as := range a.s.world.Outside {
			if contains(as.GetAncestors(), parent) {
				add(as, nil)
			}
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].GetName() < all[j].GetName() })
	lo, hi, next, err := a.s.page(len(all), req.GetPageToken(), int(req.GetPageSize()))
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	return &assetpb.ListAssetsResponse{Assets: all[lo:hi], NextPageToken: next}, nil
}

// inScope returns the projects under an Asset Inventory parent, sorted by
// ID, and the scopes whose refusal applies to the call.
func (s *Server) inScope(parent string) ([]*Project, []string, error) {
	if id, ok := strings.CutPrefix(parent, "projects/"); ok {
		p := s.idx.project[id]
		if p == nil {
			return nil, []string{id}, fmt.Errorf("unknown project %s", id)
		}
		return []*Project{p}, s.scopesOf(p.ID), nil
	}
	if !strings.HasPrefix(parent, "folders/") && !strings.HasPrefix(parent, "organizations/") {
		return nil, []string{parent}, fmt.Errorf("bad parent %s", parent)
	}
	var out []*Project
	for _, p := range s.world.Projects {
		if contains(p.Ancestors, parent) {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, []string{parent}, nil
}

// projectAsset is the cloudresourcemanager Project asset of a project, as
// Asset Inventory lists it.
func projectAsset(p *Project) *assetpb.Asset {
	state := p.State
	if state == "" {
		state = "ACTIVE"
	}
	fields := map[string]any{"projectId": p.ID, "projectNumber": fmt.Sprint(p.Number), "lifecycleState": state}
	if len(p.Ancestors) > 0 {
		kind, id, _ := strings.Cut(p.Ancestors[0], "/")
		fields["parent"] = map[string]any{"type": strings.TrimSuffix(kind, "s"), "id": id}
	}
	data, _ := structpb.NewStruct(fields)
	return &assetpb.Asset{
		Name:      fmt.Sprintf("%s%d", projectNamePrefix, p.Number),
		AssetType: projectAssetType,
		Resource: &assetpb.Resource{Version: "v1", Data: data,
			DiscoveryName: "Project", Parent: parentOf(p)},
	}
}

func parentOf(p *Project) string {
	if len(p.Ancestors) == 0 {
		return ""
	}
	return "//cloudresourcemanager.googleapis.com/" + p.Ancestors[0]
}

// part returns the piece of an asset that a content type asks for, or nil
// when the asset has none.
func part(as *assetpb.Asset, p *Project, ct assetpb.ContentType) *assetpb.Asset {
	out := &assetpb.Asset{Name: as.GetName(), AssetType: as.GetAssetType(), UpdateTime: as.GetUpdateTime(),
		Ancestors: as.GetAncestors()}
	if len(out.Ancestors) == 0 && p != nil {
		out.Ancestors = append([]string{fmt.Sprintf("projects/%d", p.Number)}, p.Ancestors...)
	}
	switch ct {
	case assetpb.ContentType_RESOURCE:
		if as.GetResource() == nil {
			return nil
		}
		out.Resource = as.GetResource()
	case assetpb.ContentType_IAM_POLICY:
		if as.GetIamPolicy() == nil {
			return nil
		}
		out.IamPolicy = as.GetIamPolicy()
	}
	return out
}

// typeWanted matches an asset type against the request's list, which may
// hold exact types or regular-expression-like "service.googleapis.com.*".
func typeWanted(t string, wanted []string) bool {
	if len(wanted) == 0 {
		return true
	}
	for _, w := range wanted {
		if w == t || (strings.HasSuffix(w, ".*") && strings.HasPrefix(t, strings.TrimSuffix(w, ".*"))) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
