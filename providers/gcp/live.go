package gcp

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	asset "cloud.google.com/go/asset/apiv1"
	"cloud.google.com/go/auth/credentials"
	kms "cloud.google.com/go/kms/apiv1"
	"cloud.google.com/go/storage"
	"github.com/casascan/casascan/scanner"
	"golang.org/x/sync/errgroup"
	"google.golang.org/api/option"
)

// defaultConcurrency bounds the calls in flight per API. Eight keeps a scan
// of a large organization well under the default per-user read quotas of
// Cloud KMS, Cloud Storage and Asset Inventory while hiding most latency.
const defaultConcurrency = 8

// liveScan is one run of Load: the clients, the limits, and what went wrong
// so far.
type liveScan struct {
	opts  Options
	limit int
	retry retryPolicy
	kms   *kms.KeyManagementClient
	gcs   *storage.Client
	cai   *asset.Client
	fails *failureLog
	prog  *progressOut
	// folders and orgs are the normalised folder and organization scopes.
	folders, orgs []string
}

func loadLive(ctx context.Context, opts Options) (*scanner.Graph, error) {
	s, err := newLiveScan(ctx, opts)
	if err != nil {
		return nil, err
	}
	defer s.close()
	projects, covered, err := s.scopeProjects(ctx)
	if err != nil {
		return nil, err
	}
	var parts [3]sourceResult
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() (err error) { parts[0], err = s.readKMS(gctx, projects); return err })
	g.Go(func() (err error) { parts[1], err = s.readStorage(gctx, projects); return err })
	g.Go(func() (err error) { parts[2], err = s.readInventory(gctx, projects, covered); return err })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var all []*scanner.Resource
	diags := s.fails.diagnostics()
	for _, p := range parts {
		all = append(all, p.resources...)
		diags = append(diags, p.diags...)
	}
	s.prog.printf("read %d resources from %d projects", len(all), len(projects))
	return newGraph(all, diags), nil
}

// sourceResult is what one source (Cloud KMS, Cloud Storage, Asset
// Inventory) read: mapped resources, and diagnostics from mapping them.
type sourceResult struct {
	resources []*scanner.Resource
	diags     []scanner.Diagnostic
}

// newLiveScan checks the options, finds credentials and opens the clients.
func newLiveScan(ctx context.Context, opts Options) (*liveScan, error) {
	s := &liveScan{opts: opts, limit: opts.Concurrency, retry: opts.retry.withDefaults(),
		fails: &failureLog{}, prog: newProgressOut(opts.Progress)}
	if s.limit <= 0 {
		s.limit = defaultConcurrency
	}
	if err := s.normalise(); err != nil {
		return nil, err
	}
	var auth []option.ClientOption
	if !opts.WithoutADC {
		creds, err := credentials.DetectDefault(&credentials.DetectOptions{Scopes: []string{ReadOnlyScope}})
		if err != nil {
			return nil, fmt.Errorf("%w (looking up Application Default Credentials: %v)", ErrNoCredentials, err)
		}
		auth = append(auth, option.WithAuthCredentials(creds))
	}
	kmsOpts, gcsOpts, caiOpts := serviceOptions(opts, auth)
	var err error
	if s.kms, err = kms.NewKeyManagementClient(ctx, kmsOpts...); err != nil {
		return nil, fmt.Errorf("opening the Cloud KMS client: %w", err)
	}
	if s.gcs, err = storage.NewClient(ctx, gcsOpts...); err != nil {
		s.close()
		return nil, fmt.Errorf("opening the Cloud Storage client: %w", err)
	}
	s.gcs.SetRetry(s.retry.storageOptions()...)
	if s.cai, err = asset.NewClient(ctx, caiOpts...); err != nil {
		s.close()
		return nil, fmt.Errorf("opening the Cloud Asset Inventory client: %w", err)
	}
	return s, nil
}

// serviceOptions returns each client's options: the read-only scope, the
// credentials, the caller's common options, then the service's own. The
// quota project goes to Asset Inventory only, the API --quota-project is for.
func serviceOptions(opts Options, auth []option.ClientOption) (kmsOpts, gcsOpts, caiOpts []option.ClientOption) {
	common := append([]option.ClientOption{option.WithScopes(ReadOnlyScope)}, auth...)
	common = append(common, opts.ClientOptions...)
	with := func(extra []option.ClientOption) []option.ClientOption {
		return append(append([]option.ClientOption(nil), common...), extra...)
	}
	caiOpts = with(opts.AssetOptions)
	if opts.QuotaProject != "" {
		caiOpts = append(caiOpts, option.WithQuotaProject(opts.QuotaProject))
	}
	return with(opts.KMSOptions), with(opts.StorageOptions), caiOpts
}

func (s *liveScan) close() {
	if s.kms != nil {
		_ = s.kms.Close()
	}
	if s.gcs != nil {
		_ = s.gcs.Close()
	}
	if s.cai != nil {
		_ = s.cai.Close()
	}
}

// normalise checks the scopes and the shard, and accepts IDs with or
// without their "projects/", "folders/", "organizations/" prefix.
func (s *liveScan) normalise() error {
	o := &s.opts
	if len(o.Projects)+len(o.Folders)+len(o.Organizations) == 0 {
		return errors.New("no project, folder or organization to scan")
	}
	if o.ShardCount > 1 && (o.ShardIndex < 0 || o.ShardIndex >= o.ShardCount) {
		return fmt.Errorf("shard %d of %d: the index must be between 0 and %d", o.ShardIndex, o.ShardCount, o.ShardCount-1)
	}
	var err error
	clean := func(ids []string, prefix string) []string {
		var out []string
		for _, id := range ids {
			id = strings.TrimPrefix(strings.TrimSpace(id), prefix)
			if id == "" || strings.ContainsAny(id, "/ ") {
				kind := strings.TrimSuffix(strings.TrimSuffix(prefix, "/"), "s")
				err = errors.Join(err, fmt.Errorf("bad %s ID %q", kind, id))
				continue
			}
			out = append(out, id)
		}
		sort.Strings(out)
		return compactStrings(out)
	}
	o.Projects = clean(o.Projects, "projects/")
	for _, f := range clean(o.Folders, "folders/") {
		s.folders = append(s.folders, "folders/"+f)
	}
	for _, g := range clean(o.Organizations, "organizations/") {
		s.orgs = append(s.orgs, "organizations/"+g)
	}
	return err
}

// containers are the folder and organization scopes, folders first.
func (s *liveScan) containers() []string {
	return append(append([]string(nil), s.folders...), s.orgs...)
}

// sharded reports whether this run reads one shard of the projects.
func (s *liveScan) sharded() bool { return s.opts.ShardCount > 1 }

// scopeProjects returns the projects this run reads, sorted: the projects
// given, plus those found under the folders and organizations, cut to this
// run's shard. covered holds the projects that a folder or organization
// listing of Asset Inventory already includes.
func (s *liveScan) scopeProjects(ctx context.Context) (projects []string, covered map[string]bool, err error) {
	covered = map[string]bool{}
	all := append([]string(nil), s.opts.Projects...)
	for _, scope := range s.containers() {
		found, err := s.enumerateProjects(ctx, scope)
		if err != nil {
			return nil, nil, err
		}
		for _, p := range found {
			covered[p] = true
		}
		all = append(all, found...)
	}
	sort.Strings(all)
	all = compactStrings(all)
	s.prog.printf("%d projects in scope", len(all))
	if s.sharded() {
		all = shardOf(all, s.opts.ShardIndex, s.opts.ShardCount)
		s.prog.printf("shard %d/%d: %d projects", s.opts.ShardIndex, s.opts.ShardCount, len(all))
	}
	return all, covered, nil
}

// compactStrings drops adjacent duplicates of a sorted slice.
func compactStrings(ss []string) []string {
	out := ss[:0]
	for i, v := range ss {
		if i == 0 || v != ss[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// each runs f for 0..n-1 with at most limit calls in flight. f writes its
// result at its index, so the output order never depends on timing; the
// first error (only fatal ones are returned by the callers) stops the rest.
func each(ctx context.Context, n, limit int, f func(ctx context.Context, i int) error) error {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(limit)
	for i := 0; i < n; i++ {
		g.Go(func() error { return f(gctx, i) })
	}
	return g.Wait()
}
