package plan

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestValueEdgesNameSpellings: a value naming a key by its full resource
// name or by an API URL links to the key whose id is the relative name, as
// the identical string always did; a name that fits only on trust (a
// project number against the ID) or fits two resources links to none; a
// bucket named by its bare name still links by the identical string.
func TestValueEdgesNameSpellings(t *testing.T) {
	const key = `projects/acme/locations/us/keyRings/r/cryptoKeys/k`
	res := func(typ, name, values string) string {
		return `{"address":"` + typ + `.` + name + `","mode":"managed","type":"` + typ + `","name":"` + name + `","values":` + values + `}`
	}
	g := loadString(t, `{"format_version":"1.0","values":{"root_module":{"resources":[`+
		res("google_kms_crypto_key", "k", `{"id":"`+key+`","name":"k"}`)+`,`+
		res("google_storage_bucket", "full", `{"id":"full","name":"full","encryption":[{"default_kms_key_name":"//cloudkms.googleapis.com/`+key+`"}]}`)+`,`+
		res("google_storage_bucket", "url", `{"id":"url","name":"url","encryption":[{"default_kms_key_name":"https://cloudkms.googleapis.com/v1/`+key+`"}]}`)+`,`+
		res("google_storage_bucket", "same", `{"id":"same","name":"same","encryption":[{"default_kms_key_name":"`+key+`"}]}`)+`,`+
		res("google_storage_bucket", "number", `{"id":"number","name":"number","encryption":[{"default_kms_key_name":"projects/123/locations/us/keyRings/r/cryptoKeys/k"}]}`)+`,`+
		res("google_storage_bucket_iam_member", "m", `{"id":"b/roles/x/user:a","bucket":"same","member":"user:a"}`)+
		`]}}}`)
	for _, tc := range []struct {
		from, path string
		want       []string
	}{
		{"google_storage_bucket.full", "encryption.default_kms_key_name", []string{"google_kms_crypto_key.k"}},
		{"google_storage_bucket.url", "encryption.default_kms_key_name", []string{"google_kms_crypto_key.k"}},
		{"google_storage_bucket.same", "encryption.default_kms_key_name", []string{"google_kms_crypto_key.k"}},
		{"google_storage_bucket.number", "encryption.default_kms_key_name", nil},
		{"google_storage_bucket_iam_member.m", "bucket", []string{"google_storage_bucket.same"}},
	} {
		t.Run(tc.from, func(t *testing.T) {
			got := addresses(g.Follow(mustLookup(t, g, tc.from), tc.path))
			if !cmp.Equal(got, tc.want) {
				t.Errorf("Follow = %v, want %v", got, tc.want)
			}
		})
	}
}
