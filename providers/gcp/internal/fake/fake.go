// Package fake serves in-process stand-ins for the Google Cloud APIs casascan
// reads live: a gRPC server implementing the real Cloud KMS service (with its
// IAM and Locations mixins) and the Cloud Asset Inventory service, and an
// httptest server speaking the Cloud Storage JSON API. The official clients
// reach them through their endpoint options, on loopback only, without
// credentials, so the live code paths are tested as they run in production.
//
// The fakes can refuse a project (permission denied, API disabled), answer
// ResourceExhausted or HTTP 429 a number of times before succeeding, cut
// listings into small pages, and count every call.
package fake

import (
	"fmt"
	"net"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"

	"cloud.google.com/go/asset/apiv1/assetpb"
	"cloud.google.com/go/iam/apiv1/iampb"
	"cloud.google.com/go/kms/apiv1/kmspb"
	"google.golang.org/api/option"
	storagev1 "google.golang.org/api/storage/v1"
	"google.golang.org/genproto/googleapis/cloud/location"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

// World is the state the fakes serve. Build it fully before Start; the
// servers only read it.
type World struct {
	Projects []*Project
	// Outside are assets directly under a folder or organization, not in a
	// project (folder IAM policies, folder log buckets); each names its
	// ancestors, nearest first.
	Outside []*assetpb.Asset
	// PageSize caps every page a fake returns; 0 keeps the size asked for.
	PageSize int
}

// Project is one Google Cloud project and what lives in it.
type Project struct {
	ID     string
	Number int64
	// Ancestors are the folders and the organization above the project,
	// nearest first: "folders/12", "organizations/9".
	Ancestors []string
	// State is the lifecycle state of the project asset; "" means ACTIVE.
	State string
	// Locations are the Cloud KMS locations ("us", "europe-west1").
	Locations  []string
	KeyRings   []*kmspb.KeyRing
	CryptoKeys []*kmspb.CryptoKey
	Buckets    []*storagev1.Bucket
	// Assets are served by ListAssets; an asset may carry both a resource
	// and an IAM policy, and each content type gets its own part.
	Assets []*assetpb.Asset
	// Policies are IAM policies by resource: a key ring or key name
	// (projects/p/locations/l/keyRings/r...) or a bucket name.
	Policies map[string]*iampb.Policy
}

// Methods counted by Calls and named in Exhaust.
const (
	ListLocations     = "ListLocations"
	ListKeyRings      = "ListKeyRings"
	ListCryptoKeys    = "ListCryptoKeys"
	GetIamPolicy      = "GetIamPolicy"
	ListAssets        = "ListAssets"
	ListBuckets       = "storage.buckets.list"
	GetBucketIAM      = "storage.buckets.getIamPolicy"
	ServiceKMS        = "kms"
	ServiceStorage    = "storage"
	ServiceAsset      = "asset"
	reasonDenied      = "IAM_PERMISSION_DENIED"
	reasonDisabled    = "SERVICE_DISABLED"
	reasonUnauth      = "UNAUTHENTICATED"
	defaultPageSize   = 1000
	storageAPIPrefix  = "/storage/v1/"
	projectAssetType  = "cloudresourcemanager.googleapis.com/Project"
	projectNamePrefix = "//cloudresourcemanager.googleapis.com/projects/"
)

// Server runs the fakes for one World.
type Server struct {
	world *World
	grpc  *grpc.Server
	addr  string
	http  *httptest.Server
	idx   index

	mu      sync.Mutex
	calls   map[string]int
	refuse  map[string]string // "service scope" → reason
	exhaust map[string]int    // method → failures left
}

// Start serves w on loopback until the test ends.
func Start(tb testing.TB, w *World) *Server {
	tb.Helper()
	s := &Server{world: w, idx: buildIndex(w), calls: map[string]int{},
		refuse: map[string]string{}, exhaust: map[string]int{}}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatalf("listening on loopback: %v", err)
	}
	s.addr = lis.Addr().String()
	s.grpc = grpc.NewServer()
	kmspb.RegisterKeyManagementServiceServer(s.grpc, &kmsServer{s: s})
	iampb.RegisterIAMPolicyServer(s.grpc, &iamServer{s: s})
	location.RegisterLocationsServer(s.grpc, &locationServer{s: s})
	assetpb.RegisterAssetServiceServer(s.grpc, &assetServer{s: s})
	go func() { _ = s.grpc.Serve(lis) }()
	s.http = httptest.NewServer(storageHandler{s: s})
	tb.Cleanup(func() {
		s.grpc.Stop()
		s.http.Close()
	})
	return s
}

// grpcOptions connect a gRPC client to the fake without credentials.
func (s *Server) grpcOptions() []option.ClientOption {
	return []option.ClientOption{
		option.WithEndpoint(s.addr),
		option.WithoutAuthentication(),
		option.WithGRPCDialOption(grpc.WithTransportCredentials(insecure.NewCredentials())),
	}
}

// KMSOptions point a Cloud KMS client at the fake.
func (s *Server) KMSOptions() []option.ClientOption { return s.grpcOptions() }

// AssetOptions point a Cloud Asset Inventory client at the fake.
func (s *Server) AssetOptions() []option.ClientOption { return s.grpcOptions() }

// StorageOptions point a Cloud Storage client at the fake.
func (s *Server) StorageOptions() []option.ClientOption {
	return []option.ClientOption{option.WithEndpoint(s.http.URL + storageAPIPrefix), option.WithoutAuthentication()}
}

// Deny makes every call of service (ServiceKMS, ServiceStorage,
// ServiceAsset) on scope (a project ID, "folders/F", "organizations/O")
// fail with permission denied.
func (s *Server) Deny(service, scope string) { s.setRefusal(service, scope, reasonDenied) }

// Disable makes service fail on scope as when its API is not enabled.
func (s *Server) Disable(service, scope string) { s.setRefusal(service, scope, reasonDisabled) }

func (s *Server) setRefusal(service, scope, reason string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refuse[service+" "+scope] = reason
}

// Unauthenticate makes service answer as to rejected credentials on scope.
func (s *Server) Unauthenticate(service, scope string) { s.setRefusal(service, scope, reasonUnauth) }

// Exhaust makes the next n calls of method fail with ResourceExhausted
// (HTTP 429 for Storage).
func (s *Server) Exhaust(method string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.exhaust[method] = n
}

// Calls returns how many calls of method the fakes answered, failed
// ones included.
func (s *Server) Calls(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[method]
}

// TotalCalls returns the number of calls of every method.
func (s *Server) TotalCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.calls {
		n += c
	}
	return n
}

// CallCounts returns a copy of the per-method counts.
func (s *Server) CallCounts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.calls))
	for k, v := range s.calls {
		out[k] = v
	}
	return out
}

// fault is what the fake decided for one call: "" to answer, a refusal
// reason, or exhausted.
type fault struct {
	reason    string
	exhausted bool
}

// enter counts a call and returns the fault to inject, if any. scopes are
// the project ID and its ancestors the call concerns.
func (s *Server) enter(method, service string, scopes ...string) fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[method]++
	for _, sc := range scopes {
		if r, ok := s.refuse[service+" "+sc]; ok {
			return fault{reason: r}
		}
	}
	if s.exhaust[method] > 0 {
		s.exhaust[method]--
		return fault{exhausted: true}
	}
	return fault{}
}

// scopesOf returns a project's ID followed by its ancestors, or nil for an
// unknown project.
func (s *Server) scopesOf(project string) []string {
	p := s.idx.project[project]
	if p == nil {
		return []string{project}
	}
	return append([]string{p.ID}, p.Ancestors...)
}

// index holds the World's children by parent, built once so that large
// worlds answer quickly.
type index struct {
	project   map[string]*Project // by ID and by number
	rings     map[string][]*kmspb.KeyRing
	keys      map[string][]*kmspb.CryptoKey
	buckets   map[string][]*storagev1.Bucket
	bucketOwn map[string]*Project
	policies  map[string]*iampb.Policy
}

func buildIndex(w *World) index {
	ix := index{project: map[string]*Project{}, rings: map[string][]*kmspb.KeyRing{},
		keys: map[string][]*kmspb.CryptoKey{}, buckets: map[string][]*storagev1.Bucket{},
		bucketOwn: map[string]*Project{}, policies: map[string]*iampb.Policy{}}
	for _, p := range w.Projects {
		ix.project[p.ID] = p
		ix.project[fmt.Sprint(p.Number)] = p
		for _, r := range p.KeyRings {
			parent := r.Name[:strings.Index(r.Name, "/keyRings/")]
			ix.rings[parent] = append(ix.rings[parent], r)
		}
		for _, k := range p.CryptoKeys {
			parent := k.Name[:strings.Index(k.Name, "/cryptoKeys/")]
			ix.keys[parent] = append(ix.keys[parent], k)
		}
		ix.buckets[p.ID] = p.Buckets
		for _, b := range p.Buckets {
			ix.bucketOwn[b.Name] = p
		}
		for name, pol := range p.Policies {
			ix.policies[name] = pol
		}
	}
	for _, l := range ix.rings {
		sort.Slice(l, func(i, j int) bool { return l[i].Name < l[j].Name })
	}
	for _, l := range ix.keys {
		sort.Slice(l, func(i, j int) bool { return l[i].Name < l[j].Name })
	}
	return ix
}

// page cuts a listing of n items at token and size, returning the bounds
// and the next token ("" on the last page).
func (s *Server) page(n int, token string, size int) (lo, hi int, next string, err error) {
	if token != "" {
		if _, err := fmt.Sscan(token, &lo); err != nil || lo < 0 || lo > n {
			return 0, 0, "", fmt.Errorf("bad page token %q", token)
		}
	}
	if size <= 0 || size > defaultPageSize {
		size = defaultPageSize
	}
	if s.world.PageSize > 0 && size > s.world.PageSize {
		size = s.world.PageSize
	}
	hi = min(lo+size, n)
	if hi < n {
		next = fmt.Sprint(hi)
	}
	return lo, hi, next, nil
}

// projectOf returns the project segment of a resource name
// ("projects/p/locations/..." → "p").
func projectOf(name string) string {
	rest, ok := strings.CutPrefix(name, "projects/")
	if !ok {
		return ""
	}
	p, _, _ := strings.Cut(rest, "/")
	return p
}
