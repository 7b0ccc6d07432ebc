package gcp

import (
	"strings"

	"github.com/casascan/casascan/scanner"
	"google.golang.org/protobuf/proto"
)

// Asset Inventory types of the resources Cloud KMS is read for directly.
const (
	kmsKeyRingAsset   = "cloudkms.googleapis.com/KeyRing"
	kmsCryptoKeyAsset = "cloudkms.googleapis.com/CryptoKey"
)

// kmsFullName is the Asset Inventory full name of a KMS resource name.
func kmsFullName(name string) string { return "//" + serviceKMS + "/" + name }

// projectScope returns "projects/p" of a name "projects/p/...".
func projectScope(name string) string { return "projects/" + projectID(name) }

// projectID returns p of a name "projects/p/...".
func projectID(name string) string {
	rest, _ := strings.CutPrefix(name, "projects/")
	p, _, _ := strings.Cut(rest, "/")
	return p
}

// kmsTarget is a key ring or key: its message from the API, and the IAM
// policy read for it afterwards (nil when it could not be read).
type kmsTarget struct {
	project, name, assetType string
	msg                      proto.Message
	policy                   *IAMPolicy
}

// mapKMS maps key rings and keys, with their IAM policies, through the
// asset table: google_kms_key_ring, google_kms_crypto_key (purpose,
// rotation_period, next_rotation_time, version_template and the primary
// version) and one google_kms_{key_ring,crypto_key}_iam_binding per binding.
func mapKMS(targets []kmsTarget) ([]*scanner.Resource, []scanner.Diagnostic) {
	var out []*scanner.Resource
	var diags []scanner.Diagnostic
	for _, t := range targets {
		data, err := protoData(t.msg)
		if err != nil {
			diags = append(diags, scanner.Diagnostic{Severity: scanner.DiagError, Subject: kmsFullName(t.name),
				Summary: "key skipped: " + err.Error(), Skipped: true})
			continue
		}
		res, ds := mapLive(Asset{
			Name: kmsFullName(t.name), AssetType: t.assetType,
			Resource:  &AssetResource{Data: data},
			IAMPolicy: t.policy,
			Ancestors: []string{"projects/" + t.project},
		})
		out = append(out, res...)
		diags = append(diags, ds...)
	}
	return out, diags
}
