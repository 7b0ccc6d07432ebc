package gcp

import (
	"context"

	"cloud.google.com/go/storage"
	"github.com/casascan/casascan/scanner"
)

// serviceStorage names Cloud Storage in diagnostics.
const serviceStorage = "storage.googleapis.com"

// bucketAsset is the Asset Inventory type of a bucket.
const bucketAsset = "storage.googleapis.com/Bucket"

// gcsBucket is a bucket with the project it was listed in and the IAM
// policy read for it afterwards (nil when it could not be read).
type gcsBucket struct {
	project string
	attrs   *storage.BucketAttrs
	policy  *IAMPolicy
}

// readStorage lists the buckets of every project (the Storage client pages
// and retries by itself), then reads every bucket's IAM policy, with bounded
// concurrency and results kept by index.
func (s *liveScan) readStorage(ctx context.Context, projects []string) (sourceResult, error) {
	found := make([][]*storage.BucketAttrs, len(projects))
	prog := s.prog.counter("Cloud Storage: buckets of projects", len(projects))
	err := each(ctx, len(projects), s.limit, func(ctx context.Context, i int) error {
		defer prog.step()
		buckets, err := collect(s.gcs.Buckets(ctx, projects[i]).Next)
		if err != nil {
			return s.fail(ctx, "projects/"+projects[i], serviceStorage, "listing buckets of projects/"+projects[i], err)
		}
		found[i] = buckets
		return nil
	})
	if err != nil {
		return sourceResult{}, err
	}
	var buckets []gcsBucket
	for i, bs := range found {
		for _, b := range bs {
			buckets = append(buckets, gcsBucket{project: projects[i], attrs: b})
		}
	}
	if err := s.bucketPolicies(ctx, buckets); err != nil {
		return sourceResult{}, err
	}
	res, diags := mapBuckets(buckets)
	return sourceResult{res, diags}, nil
}

// bucketPolicies reads the IAM policy (version 3, conditions whole) of every
// bucket into it.
func (s *liveScan) bucketPolicies(ctx context.Context, buckets []gcsBucket) error {
	prog := s.prog.counter("Cloud Storage: IAM policies", len(buckets))
	return each(ctx, len(buckets), s.limit, func(ctx context.Context, i int) error {
		defer prog.step()
		b := &buckets[i]
		p, err := s.gcs.Bucket(b.attrs.Name).IAM().V3().Policy(ctx)
		if err != nil {
			return s.fail(ctx, "projects/"+b.project, serviceStorage, "reading the IAM policy of bucket "+b.attrs.Name, err)
		}
		b.policy = iamPolicyFromBindings(3, p.Bindings)
		return nil
	})
}

// mapBuckets maps buckets, with their IAM policies and ACLs, through the
// asset table: google_storage_bucket, google_storage_bucket_iam_binding per
// binding, google_storage_bucket_acl and default object ACL entries.
func mapBuckets(buckets []gcsBucket) ([]*scanner.Resource, []scanner.Diagnostic) {
	var out []*scanner.Resource
	var diags []scanner.Diagnostic
	for _, b := range buckets {
		res, ds := mapLive(Asset{
			Name: "//" + serviceStorage + "/" + b.attrs.Name, AssetType: bucketAsset,
			Resource:  &AssetResource{Data: bucketData(b.attrs)},
			IAMPolicy: b.policy,
			Ancestors: []string{"projects/" + b.project},
		})
		out = append(out, res...)
		diags = append(diags, ds...)
	}
	return out, diags
}
