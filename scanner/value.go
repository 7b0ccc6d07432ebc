package scanner

import (
	"math/big"
	"regexp"
	"strconv"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// ValueString returns a known, non-null value converted to a string.
func ValueString(v cty.Value) (string, bool) {
	if v == cty.NilVal || !v.IsKnown() || v.IsNull() {
		return "", false
	}
	// A whole number's text, as cty's conversion gives it, made without
	// the conversion (zero aside: it may be negative, "-0").
	if i, ok := ValueWholeNumber(v); ok && i != 0 {
		return strconv.FormatInt(i, 10), true
	}
	if v.Type() != cty.String {
		c, err := convert.Convert(v, cty.String)
		if err != nil || !c.IsKnown() || c.IsNull() {
			return "", false
		}
		v = c
	}
	return v.AsString(), true
}

// ValueWholeNumber returns a known, non-null number that is a whole number
// in int64's range, exactly; false for anything else (a fraction, a
// number out of range, a string, an unknown).
func ValueWholeNumber(v cty.Value) (int64, bool) {
	if v == cty.NilVal || !v.IsKnown() || v.IsNull() || v.Type() != cty.Number {
		return 0, false
	}
	f := v.AsBigFloat()
	if !f.IsInt() {
		return 0, false
	}
	i, acc := f.Int64()
	return i, acc == big.Exact
}

// ValueBool returns a known, non-null value converted to a bool ("true" and
// "false" strings convert, as Terraform converts them).
func ValueBool(v cty.Value) (bool, bool) {
	if v == cty.NilVal || !v.IsKnown() || v.IsNull() {
		return false, false
	}
	if v.Type() != cty.Bool {
		c, err := convert.Convert(v, cty.Bool)
		if err != nil || !c.IsKnown() || c.IsNull() {
			return false, false
		}
		v = c
	}
	return v.True(), true
}

// Redacted is what Display prints in place of a secret.
const Redacted = "(redacted)"

// Display renders an attribute's value for a message: short known strings,
// numbers and bools as they are; unknown values as "(known after apply)";
// anything sensitive or secret-looking as Redacted. Checks build every message
// that shows a value through Display, so no secret reaches a finding.
func Display(a *Attr) string {
	if a == nil || a.Value == cty.NilVal || (a.Value.IsKnown() && a.Value.IsNull()) {
		return "(not set)"
	}
	if a.Sensitive {
		return Redacted
	}
	if !a.Value.IsWhollyKnown() {
		return "(known after apply)"
	}
	s, ok := ValueString(a.Value)
	if !ok {
		return "(" + a.Value.Type().FriendlyName() + ")"
	}
	if LooksLikeSecret(s) || len(s) > 120 {
		return Redacted
	}
	return s
}

var secretPatterns = []*regexp.Regexp{
	regexp.MustCompile(`AIza[0-9A-Za-z_\-]{35}`),                                          // Google API key
	regexp.MustCompile(`1//[0-9A-Za-z_\-]{20,}`),                                          // Google OAuth refresh token
	regexp.MustCompile(`ya29\.[0-9A-Za-z_\-]{20,}`),                                       // Google OAuth access token
	regexp.MustCompile(`-----BEGIN [A-Z ]*PRIVATE KEY-----`),                              // PEM private key
	regexp.MustCompile(`"private_key"\s*:`),                                               // service account key JSON
	regexp.MustCompile(`GOCSPX-[0-9A-Za-z_\-]{20,}`),                                      // OAuth client secret
	regexp.MustCompile(`(?i)(sk|pk|rk)_(live|test)_[0-9a-z]{16,}`),                        // payment provider keys
	regexp.MustCompile(`(?i)xox[abprs]-[0-9a-z\-]{10,}`),                                  // chat tokens
	regexp.MustCompile(`gh[pousr]_[0-9A-Za-z]{36}`),                                       // source host tokens
	regexp.MustCompile(`AKIA[0-9A-Z]{16}`),                                                // cloud access key id
	regexp.MustCompile(`eyJ[0-9A-Za-z_\-]{10,}\.eyJ[0-9A-Za-z_\-]{10,}\.[0-9A-Za-z_\-]+`), // JWT
}

// LooksLikeSecret reports whether a string has the shape of a credential: a
// Google API key, an OAuth token, a private key block, and similar.
func LooksLikeSecret(s string) bool {
	if !maybeSecret(s) {
		return false
	}
	for _, p := range secretPatterns {
		if p.MatchString(s) {
			return true
		}
	}
	return false
}

// secretAnchors are literal parts that every match of secretPatterns holds
// (the ones matched without regard to case are in secretAnchorsFold):
// a string holding none cannot match, which keeps LooksLikeSecret cheap on
// the addresses, keys and messages it sees most.
var (
	secretAnchors     = []string{"AIza", "1//", "ya29.", "-----BEGIN ", `"private_key"`, "GOCSPX-", "AKIA", "eyJ", "gh"}
	secretAnchorsFold = []string{"_live_", "_test_", "xox"}
)

func maybeSecret(s string) bool {
	for _, a := range secretAnchors {
		if strings.Contains(s, a) {
			return true
		}
	}
	upper := strings.IndexFunc(s, func(r rune) bool { return r >= 'A' && r <= 'Z' }) >= 0
	for _, a := range secretAnchorsFold {
		if strings.Contains(s, a) || upper && containsFold(s, a) {
			return true
		}
	}
	return false
}

// containsFold reports whether s holds sub (lower case), ASCII case
// ignored.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c == sub[0] && strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

var credentialName = regexp.MustCompile(`(?i)(TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE_?KEY|CREDENTIAL|CLIENT_SECRET|REFRESH)`)

// credentialWords are credential names too short to match inside other
// words: they count only as a whole word part of a name (see wordParts), so
// DB_PASS, todo_pass, dbPass and MYSQL_PWD look like credentials while
// PASSPORT_ID, COMPASS_URL, BYPASS_CACHE and PWDEBUG do not.
var credentialWords = []string{"PASS", "PWD"}

// LooksLikeCredentialName reports whether a variable or setting name says it
// holds a credential: it contains TOKEN, SECRET, PASSWORD, PASSWD, API_KEY,
// APIKEY, PRIVATE_KEY, CREDENTIAL or REFRESH, or has PASS or PWD as a word
// part.
func LooksLikeCredentialName(name string) bool {
	if credentialName.MatchString(strings.ReplaceAll(name, "-", "_")) {
		return true
	}
	found := false
	wordParts(name, func(w string) bool {
		for _, c := range credentialWords {
			if strings.EqualFold(w, c) {
				found = true
				return false
			}
		}
		return true
	})
	return found
}

// wordParts calls yield with each word part of a name, until it returns
// false. Word parts are separated by any character other than an ASCII
// letter or digit (DB_PASS, smtp-pass, db.pwd), by a change from lower to
// upper case (dbPass), by the last capital of a run of capitals followed by
// a lower-case letter (DBPass: DB, Pass) and by a change between letters
// and digits (PASS2: PASS, 2).
func wordParts(name string, yield func(string) bool) {
	class := func(c byte) int {
		switch {
		case 'a' <= c && c <= 'z':
			return 1
		case 'A' <= c && c <= 'Z':
			return 2
		case '0' <= c && c <= '9':
			return 3
		}
		return 0
	}
	start := -1
	for i := 0; i <= len(name); i++ {
		c := 0
		if i < len(name) {
			c = class(name[i])
		}
		if start >= 0 {
			prev := class(name[i-1])
			split := c == 0 ||
				(prev == 1 && c == 2) ||
				((prev == 3) != (c == 3)) ||
				(prev == 2 && c == 2 && i+1 < len(name) && class(name[i+1]) == 1)
			if split {
				if !yield(name[start:i]) {
					return
				}
				start = -1
			}
		}
		if start < 0 && c != 0 {
			start = i
		}
	}
}
