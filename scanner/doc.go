// Package scanner is the heart of casascan: the resource graph every source is
// loaded into, the Check type every rule is written as, and Run, which judges a
// graph with checks and produces one Result that every writer reads.
//
// # Pipeline
//
//	providers (terraform, plan, gcp) ──► *Graph ──► Run(checks) ──► *Result ──► report writers
//
// Providers translate their source into Resources that use the Google
// provider's Terraform type and attribute names, whatever the source. A check
// is written once against those names and judges Terraform, plan files, asset
// exports and live resources alike.
//
// # Invariants
//
//   - A Graph is immutable once Index has been called; checks may run in
//     parallel over it without locking.
//   - Checks are pure: no I/O, no globals, no clock. Everything that depends on
//     where a finding points (file ranges, module call chains, ignore comments,
//     fingerprints) is done by Run, never by a check.
//   - Attribute values are cty values. An unknown value (a data source, a
//     variable with no value, a computed attribute) is never judged a failure:
//     an unknown key name still counts as "a key is set". A null or absent
//     attribute is judged by the Google provider's default, which each check
//     states where it reads the attribute.
//   - Values from variables declared sensitive, from TF_VAR_* and values that
//     look like secrets are never printed: messages use Display, which redacts.
//   - References are resolved here, once (refs.go, names.go): a reference or
//     address (module.a["x"].google_kms_crypto_key.k[*].id) and a Google
//     Cloud resource name in any spelling (a full name, a self link, a
//     relative or project-less name) resolve to the graph's candidates, one
//     exactly or one of several, by the same rules for every source.
//   - Results are sorted, and nothing in them depends on time, map order or
//     the machine, so identical input gives byte-identical output.
package scanner
