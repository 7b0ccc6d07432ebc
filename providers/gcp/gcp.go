// Package gcp reads live Google Cloud configuration (Cloud KMS, Cloud Storage,
// Cloud Asset Inventory) and Cloud Asset Inventory export files into a
// scanner.Graph, with the Google provider's Terraform type and attribute names.
//
// A live scan is read-only: it asks Application Default Credentials for the
// cloud-platform.read-only scope and only ever lists and gets. What it could
// not read (a project or service denied, an API disabled, quota exhausted
// after retries) becomes a Skipped diagnostic and the rest is scanned.
//
// # Permissions
//
// These are every call a live scan makes, and the permission each needs:
//
//   - Cloud KMS, on each project: locations.list (no permission needed),
//     keyRings.list (cloudkms.keyRings.list), cryptoKeys.list
//     (cloudkms.cryptoKeys.list), keyRings.getIamPolicy
//     (cloudkms.keyRings.getIamPolicy), cryptoKeys.getIamPolicy
//     (cloudkms.cryptoKeys.getIamPolicy).
//   - Cloud Storage, on each project: buckets.list (storage.buckets.list; the
//     Go client always lists with projection=full, which also needs
//     storage.buckets.getIamPolicy), buckets.getIamPolicy
//     (storage.buckets.getIamPolicy).
//   - Cloud Asset Inventory, on each project, folder or organization given:
//     assets.list with content type RESOURCE (cloudasset.assets.listResource)
//     and IAM_POLICY (cloudasset.assets.listIamPolicy). Projects under a
//     folder or organization are found the same way (Project assets), so no
//     Resource Manager permission is needed. With --quota-project, the caller
//     also needs serviceusage.services.use on that project, where the Cloud
//     Asset API must be enabled.
//
// Predefined roles that cover them: roles/cloudkms.viewer and
// roles/storage.bucketViewer for the lists, roles/iam.securityReviewer for
// the getIamPolicy calls, roles/cloudasset.viewer on the scanned scope; or one
// custom role holding exactly the permissions above.
package gcp

import (
	"context"
	"errors"
	"io"

	"github.com/casascan/casascan/scanner"
	"google.golang.org/api/option"
)

// ReadOnlyScope is the only OAuth scope a live scan asks for.
const ReadOnlyScope = "https://www.googleapis.com/auth/cloud-platform.read-only"

// ErrNoCredentials is returned by Load when no Application Default
// Credentials are found or the API rejects them. The CLI exits with code 2
// on it; its message says how to log in.
var ErrNoCredentials = errors.New("no usable Google Cloud credentials: run `gcloud auth application-default login` " +
	"(or run where a service account is attached) and make sure the account has the viewer roles casascan documents")

// Options steer a live scan.
type Options struct {
	Projects      []string
	Folders       []string
	Organizations []string
	// QuotaProject bills Asset Inventory calls to this project.
	QuotaProject string
	// ShardIndex and ShardCount split the projects deterministically; a
	// count of 0 or 1 means no sharding.
	ShardIndex, ShardCount int
	// Progress receives progress lines (nil for none).
	Progress io.Writer
	// Concurrency bounds the calls in flight per API; 0 means 8.
	Concurrency int
	// ClientOptions are added to every client, after the credentials.
	ClientOptions []option.ClientOption
	// KMSOptions, StorageOptions and AssetOptions are added to one client
	// each, after ClientOptions (tests point each at its fake's endpoint).
	KMSOptions, StorageOptions, AssetOptions []option.ClientOption
	// WithoutADC skips the Application Default Credentials lookup; the client
	// options must then carry the authentication (option.WithoutAuthentication
	// for the in-process fakes).
	WithoutADC bool

	// retry overrides the backoff of quota and transient errors (tests).
	retry retryPolicy
}

// Load reads live resources of the projects, folders and organizations:
// Cloud KMS key rings and keys with their IAM policies, Cloud Storage buckets
// with their IAM policies, and every other mapped resource type (with IAM
// policies) through Cloud Asset Inventory. It returns an error only when
// nothing can be read at all (no credentials, bad options, cancellation);
// anything partly unreadable is a Skipped diagnostic in the graph.
func Load(ctx context.Context, opts Options) (*scanner.Graph, error) {
	return loadLive(ctx, opts)
}
