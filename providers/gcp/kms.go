package gcp

import (
	"context"
	"errors"

	"cloud.google.com/go/iam/apiv1/iampb"
	"cloud.google.com/go/kms/apiv1/kmspb"
	"google.golang.org/api/iterator"
	"google.golang.org/genproto/googleapis/cloud/location"
)

// serviceKMS names Cloud KMS in diagnostics.
const serviceKMS = "cloudkms.googleapis.com"

// kmsPageSize is the largest page Cloud KMS serves: fewer calls per listing.
const kmsPageSize = 1000

// kmsRing is a key ring with the project it was listed in.
type kmsRing struct {
	project string
	ring    *kmspb.KeyRing
}

// readKMS lists, for every project, the Cloud KMS locations, the key rings
// in each and the keys in each ring, then the IAM policy of every ring and
// key. Each phase runs with bounded concurrency and keeps its results by
// index; a denied project or location is a Skipped diagnostic.
func (s *liveScan) readKMS(ctx context.Context, projects []string) (sourceResult, error) {
	locs, err := s.kmsLocations(ctx, projects)
	if err != nil {
		return sourceResult{}, err
	}
	rings, err := s.kmsKeyRings(ctx, locs)
	if err != nil {
		return sourceResult{}, err
	}
	keys, err := s.kmsCryptoKeys(ctx, rings)
	if err != nil {
		return sourceResult{}, err
	}
	var targets []kmsTarget
	for i, r := range rings {
		targets = append(targets, kmsTarget{project: r.project, name: r.ring.GetName(), assetType: kmsKeyRingAsset, msg: r.ring})
		for _, k := range keys[i] {
			targets = append(targets, kmsTarget{project: r.project, name: k.GetName(), assetType: kmsCryptoKeyAsset, msg: k})
		}
	}
	if err := s.kmsPolicies(ctx, targets); err != nil {
		return sourceResult{}, err
	}
	res, diags := mapKMS(targets)
	return sourceResult{res, diags}, nil
}

// kmsLocations returns the location parents (projects/p/locations/l) of
// every project, project by project.
func (s *liveScan) kmsLocations(ctx context.Context, projects []string) ([][]string, error) {
	out := make([][]string, len(projects))
	prog := s.prog.counter("Cloud KMS: locations of projects", len(projects))
	err := each(ctx, len(projects), s.limit, func(ctx context.Context, i int) error {
		defer prog.step()
		parent := "projects/" + projects[i]
		it := s.kms.ListLocations(ctx, &location.ListLocationsRequest{Name: parent, PageSize: kmsPageSize}, s.retry.callOption())
		locs, err := collect(it.Next)
		if err != nil {
			return s.fail(ctx, parent, serviceKMS, "listing locations of "+parent, err)
		}
		for _, l := range locs {
			out[i] = append(out[i], parent+"/locations/"+l.GetLocationId())
		}
		return nil
	})
	return out, err
}

// kmsKeyRings lists the key rings of every location.
func (s *liveScan) kmsKeyRings(ctx context.Context, locs [][]string) ([]kmsRing, error) {
	var parents []string
	for _, l := range locs {
		parents = append(parents, l...)
	}
	found := make([][]*kmspb.KeyRing, len(parents))
	prog := s.prog.counter("Cloud KMS: key rings of locations", len(parents))
	err := each(ctx, len(parents), s.limit, func(ctx context.Context, i int) error {
		defer prog.step()
		it := s.kms.ListKeyRings(ctx, &kmspb.ListKeyRingsRequest{Parent: parents[i], PageSize: kmsPageSize}, s.retry.callOption())
		rings, err := collect(it.Next)
		if err != nil {
			return s.fail(ctx, projectScope(parents[i]), serviceKMS, "listing key rings in "+parents[i], err)
		}
		found[i] = rings
		return nil
	})
	var out []kmsRing
	for i, rings := range found {
		for _, r := range rings {
			out = append(out, kmsRing{project: projectID(parents[i]), ring: r})
		}
	}
	return out, err
}

// kmsCryptoKeys lists the keys of every ring, ring by ring.
func (s *liveScan) kmsCryptoKeys(ctx context.Context, rings []kmsRing) ([][]*kmspb.CryptoKey, error) {
	out := make([][]*kmspb.CryptoKey, len(rings))
	prog := s.prog.counter("Cloud KMS: keys of key rings", len(rings))
	err := each(ctx, len(rings), s.limit, func(ctx context.Context, i int) error {
		defer prog.step()
		name := rings[i].ring.GetName()
		it := s.kms.ListCryptoKeys(ctx, &kmspb.ListCryptoKeysRequest{Parent: name, PageSize: kmsPageSize}, s.retry.callOption())
		keys, err := collect(it.Next)
		if err != nil {
			return s.fail(ctx, projectScope(name), serviceKMS, "listing keys of "+name, err)
		}
		out[i] = keys
		return nil
	})
	return out, err
}

// kmsPolicies reads the IAM policy of every key ring and key into its
// target. Version 3 is asked for so that conditional bindings come back whole.
func (s *liveScan) kmsPolicies(ctx context.Context, targets []kmsTarget) error {
	prog := s.prog.counter("Cloud KMS: IAM policies", len(targets))
	return each(ctx, len(targets), s.limit, func(ctx context.Context, i int) error {
		defer prog.step()
		t := &targets[i]
		req := &iampb.GetIamPolicyRequest{Resource: t.name, Options: &iampb.GetPolicyOptions{RequestedPolicyVersion: 3}}
		p, err := s.kms.GetIamPolicy(ctx, req, s.retry.callOption())
		if err != nil {
			return s.fail(ctx, "projects/"+t.project, serviceKMS, "reading the IAM policy of "+t.name, err)
		}
		t.policy = iamPolicyOf(p)
		return nil
	})
}

// collect drains a paginated iterator; each page is one call.
func collect[T any](next func() (T, error)) ([]T, error) {
	var out []T
	for {
		v, err := next()
		if errors.Is(err, iterator.Done) {
			return out, nil
		}
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
}
