package checks

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/casascan/casascan/scanner"
)

// marker is one expectation written in a fixture file: Kind "want" for a
// FAIL finding, "unknown" for an UNKNOWN one, of check ID, optionally on
// exactly the resources Addrs.
type marker struct {
	Kind  string
	ID    string
	Addrs []string
}

// markers maps "file:line" (file relative to the case, forward slashes) to
// the markers on that line.
type markers map[string][]marker

var (
	// hclMarker is a # or // comment holding want: or unknown:.
	hclMarker = regexp.MustCompile(`(?:#|//)\s*((?:want|unknown):.*)$`)
	// jsonMarker is a "//" comment property of a .tf.json file.
	jsonMarker = regexp.MustCompile(`"//"\s*:\s*("(?:[^"\\]|\\.)*")`)
)

// readMarkers reads the markers of every .tf and .tf.json file under dir,
// modules included.
func readMarkers(t *testing.T, dir string) markers {
	t.Helper()
	m := markers{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(path, ".tf") || strings.HasSuffix(path, ".tf.json")) {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		for i, line := range strings.Split(string(src), "\n") {
			text, ok := markerText(line, strings.HasSuffix(path, ".json"))
			if !ok {
				continue
			}
			key := filepath.ToSlash(rel) + ":" + strconv.Itoa(i+1)
			m[key] = append(m[key], parseMarker(t, key, text)...)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("reading markers in %s: %v", dir, err)
	}
	return m
}

// markerText returns the "want: ..." text of a line, if it has a marker.
func markerText(line string, isJSON bool) (string, bool) {
	if !isJSON {
		sub := hclMarker.FindStringSubmatch(line)
		if sub == nil {
			return "", false
		}
		return sub[1], true
	}
	sub := jsonMarker.FindStringSubmatch(line)
	if sub == nil {
		return "", false
	}
	var s string
	if err := json.Unmarshal([]byte(sub[1]), &s); err != nil {
		return "", false
	}
	s = strings.TrimSpace(s)
	return s, strings.HasPrefix(s, "want:") || strings.HasPrefix(s, "unknown:")
}

// parseMarker splits "want: ID [ADDR...] [ID [ADDR...]] [unknown: ...]".
func parseMarker(t *testing.T, key, text string) []marker {
	t.Helper()
	var out []marker
	kind := ""
	for _, tok := range strings.Fields(text) {
		switch {
		case tok == "want:" || tok == "unknown:":
			kind = strings.TrimSuffix(tok, ":")
		case tok == "#" || tok == "//":
		case catalogID.MatchString(tok):
			if ByID(tok) == nil {
				t.Errorf("%s: marker names unknown check %s", key, tok)
			}
			out = append(out, marker{Kind: kind, ID: tok})
		case len(out) == 0:
			t.Errorf("%s: marker %q: %q before any check ID", key, text, tok)
		default:
			out[len(out)-1].Addrs = append(out[len(out)-1].Addrs, tok)
		}
	}
	return out
}

// expected renders the markers of one kind for one check as
// {file:line → sorted entries}, an entry being the ID, or "ID ADDRESS" for
// each address a marker lists. It is nil when there is none.
func (m markers) expected(id, kind string) map[string][]string {
	out := map[string][]string{}
	for key, ms := range m {
		for _, mk := range ms {
			if mk.Kind != kind || mk.ID != id {
				continue
			}
			if len(mk.Addrs) == 0 {
				out[key] = append(out[key], id)
			}
			for _, a := range mk.Addrs {
				out[key] = append(out[key], id+" "+a)
			}
		}
	}
	return sortedEntries(out)
}

// found renders findings the way expected renders markers: with the address
// where the marker on that line lists addresses, else the bare ID.
func (m markers) found(id, kind string, fs []scanner.Finding) map[string][]string {
	out := map[string][]string{}
	for _, f := range fs {
		if f.CheckID != id {
			continue
		}
		key := f.Location.File + ":" + strconv.Itoa(f.Location.StartLine)
		entry := id
		if m.withAddrs(key, id, kind) {
			entry += " " + f.Resource
		}
		out[key] = append(out[key], entry)
	}
	return sortedEntries(out)
}

func (m markers) withAddrs(key, id, kind string) bool {
	for _, mk := range m[key] {
		if mk.Kind == kind && mk.ID == id && len(mk.Addrs) > 0 {
			return true
		}
	}
	return false
}

func sortedEntries(m map[string][]string) map[string][]string {
	if len(m) == 0 {
		return nil
	}
	for _, v := range m {
		sort.Strings(v)
	}
	return m
}

func TestMarkerParsing(t *testing.T) {
	for _, tc := range []struct {
		line   string
		isJSON bool
		want   []marker
	}{
		{`resource "google_storage_bucket" "b" { # want: GCP-ENC-001`, false, []marker{{"want", "GCP-ENC-001", nil}}},
		{`  kms_key_name = "" // want: GCP-ENC-005`, false, []marker{{"want", "GCP-ENC-005", nil}}},
		{`resource "x" "b" { # want: GCP-ENC-001 google_storage_bucket.b["a"] google_storage_bucket.b["b"]`, false,
			[]marker{{"want", "GCP-ENC-001", []string{`google_storage_bucket.b["a"]`, `google_storage_bucket.b["b"]`}}}},
		{`disk {} # want: GCP-ENC-004 GCP-ENC-020 unknown: GCP-KMS-006`, false,
			[]marker{{"want", "GCP-ENC-004", nil}, {"want", "GCP-ENC-020", nil}, {"unknown", "GCP-KMS-006", nil}}},
		{`"b": { "//": "want: GCP-ENC-001 google_storage_bucket.b[\"x\"]", "name": "b" },`, true,
			[]marker{{"want", "GCP-ENC-001", []string{`google_storage_bucket.b["x"]`}}}},
		{`"//": "just a comment",`, true, nil},
		{`# a comment that wants nothing`, false, nil},
		{`url = "https://example.com/want"`, false, nil},
	} {
		t.Run(tc.line, func(t *testing.T) {
			var got []marker
			if text, ok := markerText(tc.line, tc.isJSON); ok {
				got = parseMarker(t, "f:1", text)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %+v, want %+v", got, tc.want)
			}
			for i := range got {
				if got[i].Kind != tc.want[i].Kind || got[i].ID != tc.want[i].ID || strings.Join(got[i].Addrs, " ") != strings.Join(tc.want[i].Addrs, " ") {
					t.Errorf("marker %d = %+v, want %+v", i, got[i], tc.want[i])
				}
			}
		})
	}
}
