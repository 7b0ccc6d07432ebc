package checks

import (
	"fmt"
	"slices"
	"strings"
)

// Alias ties a tfsec/trivy check to the casascan check that means the same,
// so a team moving from those tools keeps its ignore comments:
//
//	#tfsec:ignore:google-compute-use-secure-tls-policy:exp:2026-06-30
//	#trivy:ignore:AVD-GCP-0039
//
// both suppress GCP-TLS-001 (the ignore's exp: date and placement rules are
// casascan's own, see scanner.Ignore).
type Alias struct {
	// CheckID is the casascan check the foreign ignore suppresses.
	CheckID string
	// AVDID is trivy's (and tfsec 1.x's) Aqua Vulnerability Database ID,
	// AVD-GCP-NNNN. Recent trivy-checks also call it GCP-NNNN; both spellings
	// match.
	AVDID string
	// LongID is tfsec's ID, google-<service>-<short code>, which trivy keeps
	// as an alias.
	LongID string
	// Older are earlier tfsec names still found in comments: legacy codes
	// (GCP013) and IDs tfsec renamed.
	Older []string
	// Title says what the foreign check tests, for the migration table.
	Title string
}

// aliases is the one table of foreign check IDs. A row exists only where
// suppressing every finding of our check on the commented resource is what
// the foreign ignore meant. Foreign checks that test only part of one of ours
// are left out, because their ignore would also hide problems the author
// never accepted: google-sql-pg-no-min-statement-logging (AVD-GCP-0021)
// covers one of the flags GCP-LOG-001 judges. Neither tool has a check for
// GKE application-layer secrets encryption (GCP-ENC-007), Memorystore AUTH
// (GCP-ACC-007) or public IAM on the data stores of GCP-ACC-008. An early
// tfsec check, google-gke-no-legacy-auth, asked for client certificates, the
// opposite of GCP-SEC-004, and is not mapped.
//
// IDs come from aquasecurity/trivy-checks (checks/cloud/google/**) and
// tfsec's legacy and renamed-ID tables.
var aliases = []Alias{
	{CheckID: "GCP-ACC-001", AVDID: "AVD-GCP-0001", LongID: "google-storage-no-public-access",
		Title: "Cloud Storage bucket is not anonymously or publicly accessible"},
	{CheckID: "GCP-ACC-003", AVDID: "AVD-GCP-0002", LongID: "google-storage-enable-ubla",
		Title: "Cloud Storage buckets have uniform bucket-level access enabled"},
	{CheckID: "GCP-ACC-004", AVDID: "AVD-GCP-0017", LongID: "google-sql-no-public-access",
		Title: "Cloud SQL database instances are not publicly exposed"},
	{CheckID: "GCP-ACC-005", AVDID: "AVD-GCP-0046", LongID: "google-bigquery-no-public-access",
		Title: "BigQuery datasets are only accessible within the organisation"},
	{CheckID: "GCP-ENC-001", AVDID: "AVD-GCP-0066", LongID: "google-storage-bucket-encryption-customer-key",
		Title: "Cloud Storage buckets are encrypted with a customer-managed key"},
	{CheckID: "GCP-ENC-004", AVDID: "AVD-GCP-0033", LongID: "google-compute-vm-disk-encryption-customer-key",
		Title: "VM disks are encrypted with a customer-managed key"},
	{CheckID: "GCP-ENC-004", AVDID: "AVD-GCP-0034", LongID: "google-compute-disk-encryption-customer-key",
		Older: []string{"google-compute-disk-encryption-customer-keys"},
		Title: "Disks are encrypted with a customer-managed key"},
	{CheckID: "GCP-ENC-020", AVDID: "AVD-GCP-0037", LongID: "google-compute-disk-encryption-no-plaintext-key",
		Older: []string{"GCP013", "google-compute-no-plaintext-disk-keys", "google-compute-no-plaintext-vm-disk-keys"},
		Title: "The key encrypting a compute disk is not written in plain text"},
	{CheckID: "GCP-KMS-002", AVDID: "AVD-GCP-0065", LongID: "google-kms-rotate-kms-keys",
		Title: "KMS keys are rotated at least every 90 days"},
	{CheckID: "GCP-SEC-004", AVDID: "AVD-GCP-0064", LongID: "google-gke-no-legacy-authentication",
		Older: []string{"GCP008"},
		Title: "GKE clusters do not use legacy client authentication (client certificates, basic auth)"},
	{CheckID: "GCP-TLS-001", AVDID: "AVD-GCP-0039", LongID: "google-compute-use-secure-tls-policy",
		Title: "SSL policies enforce TLS 1.2 or later"},
	{CheckID: "GCP-TLS-004", AVDID: "AVD-GCP-0015", LongID: "google-sql-encrypt-in-transit-data",
		Title: "SSL connections to a SQL database instance are enforced"},
}

// aliasIndex maps every accepted spelling, lower-cased, to check IDs.
var aliasIndex = func() map[string][]string {
	idx := map[string][]string{}
	add := func(name, id string) {
		k := strings.ToLower(name)
		if !slices.Contains(idx[k], id) {
			idx[k] = append(idx[k], id)
		}
	}
	for _, a := range aliases {
		add(a.AVDID, a.CheckID)
		add(strings.TrimPrefix(a.AVDID, "AVD-"), a.CheckID)
		add(a.LongID, a.CheckID)
		for _, o := range a.Older {
			add(o, a.CheckID)
		}
	}
	return idx
}()

// MapIgnoreID maps the ID of a #tfsec:ignore: or #trivy:ignore: comment to
// casascan check IDs, as scanner.IgnoreIDMapper: any spelling of a row
// (AVD-GCP-0039, GCP-0039, google-compute-use-secure-tls-policy, a legacy
// code), any case. It returns nil for an unknown ID, for a tool other than
// tfsec or trivy, and for the wildcard "*": "ignore every trivy check" does
// not become "ignore every casascan check".
func MapIgnoreID(tool, id string) []string {
	switch strings.ToLower(tool) {
	case "tfsec", "trivy":
	default:
		return nil
	}
	return slices.Clone(aliasIndex[strings.ToLower(strings.TrimSpace(id))])
}

// Aliases returns the table, sorted by casascan check ID, then AVD ID.
func Aliases() []Alias {
	out := make([]Alias, len(aliases))
	for i, a := range aliases {
		a.Older = slices.Clone(a.Older)
		out[i] = a
	}
	slices.SortFunc(out, func(a, b Alias) int {
		if c := strings.Compare(a.CheckID, b.CheckID); c != 0 {
			return c
		}
		return strings.Compare(a.AVDID, b.AVDID)
	})
	return out
}

// AliasTable renders Aliases as a Markdown table, for docs/ci.md and the
// README.
func AliasTable() string {
	var b strings.Builder
	b.WriteString("| casascan check | AVD ID (trivy, tfsec) | long ID (tfsec, trivy) | also accepted | the foreign check requires |\n")
	b.WriteString("|---|---|---|---|---|\n")
	for _, a := range Aliases() {
		also := []string{"`" + strings.TrimPrefix(a.AVDID, "AVD-") + "`"}
		for _, o := range a.Older {
			also = append(also, "`"+o+"`")
		}
		fmt.Fprintf(&b, "| %s | `%s` | `%s` | %s | %s |\n", a.CheckID, a.AVDID, a.LongID, strings.Join(also, ", "), a.Title)
	}
	return b.String()
}
