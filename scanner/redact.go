package scanner

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
)

// secretShape matches any one of secretPatterns, widened to the run of
// token characters around it, so that redacting it removes the whole
// credential, not only the part the pattern needs.
var secretShape = func() *regexp.Regexp {
	alts := make([]string, len(secretPatterns))
	for i, p := range secretPatterns {
		alts[i] = "(?:" + p.String() + ")"
	}
	return regexp.MustCompile(`[0-9A-Za-z_\-./+=]*(?:` + strings.Join(alts, "|") + `)[0-9A-Za-z_\-./+=]*`)
}()

// urlUserinfo matches the user:password@ of a URL (git::https://user:token@host/...,
// https://token@host/...): a credential whatever its shape.
var urlUserinfo = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.\-]*://)[^/?#@\s"'<>]+@`)

// minSecretLen is shorter than anything secretPatterns match: a shorter
// string is never redacted, which keeps the common case cheap.
const minSecretLen = 14

// RedactText replaces what looks like a credential in free text: the
// userinfo of a URL (user:pass@ becomes ***@) and secret-shaped strings
// (Redacted). Diagnostics go through it before anyone prints them, since
// their text quotes module sources, file names and function arguments from
// the scanned tree.
func RedactText(s string) string {
	if len(s) < minSecretLen && !strings.Contains(s, "@") {
		return s
	}
	if strings.Contains(s, "@") {
		s = urlUserinfo.ReplaceAllString(s, "${1}***@")
	}
	if len(s) >= minSecretLen && LooksLikeSecret(s) {
		s = secretShape.ReplaceAllString(s, Redacted)
	}
	return s
}

// Redact returns the diagnostic with every text field passed through
// RedactText.
func (d Diagnostic) Redact() Diagnostic {
	d.Summary = RedactText(d.Summary)
	d.Detail = RedactText(d.Detail)
	d.File = RedactText(d.File)
	d.Subject = RedactText(d.Subject)
	return d
}

// RedactDiagnostics redacts every diagnostic in place (Diagnostic.Redact).
func RedactDiagnostics(ds []Diagnostic) {
	for i := range ds {
		ds[i] = ds[i].Redact()
	}
}

// RedactedKey is what an address shows in place of an instance key that is
// a secret (a key-shaped for_each key, or a plan key equal to a sensitive
// variable's value): a placeholder derived from a hash of the key, so the
// address, its findings' fingerprints and a baseline stay the same from run
// to run while the key itself is never shown. The hash is cut to 32 bits:
// enough to tell the keys of one block apart; a value short enough to guess
// (a password) can still be tried against it, which is one more reason
// Terraform refuses sensitive values as keys.
func RedactedKey(key string) string {
	sum := sha256.Sum256([]byte("casascan instance key\x00" + key))
	return "(redacted " + hex.EncodeToString(sum[:4]) + ")"
}
