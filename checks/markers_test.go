package checks

import (
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/casascan/casascan/checks/fixture"
	"github.com/casascan/casascan/scanner"
)

// marker is one expectation written in a fixture file (fixture.Marker:
// the grammar casascan checks test reads too).
type marker = fixture.Marker

// markers maps "file:line" (file relative to the case, forward slashes) to
// the markers on that line.
type markers map[string][]marker

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
			key := filepath.ToSlash(rel) + ":" + strconv.Itoa(i+1)
			m[key] = append(m[key], parseMarkers(t, key, line, strings.HasSuffix(path, ".json"))...)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("reading markers in %s: %v", dir, err)
	}
	return m
}

// parseMarkers reads the markers of one line; every ID must name a check
// of the catalog.
func parseMarkers(t *testing.T, key, line string, isJSON bool) []marker {
	t.Helper()
	ms, err := fixture.Line(line, isJSON, catalogID.MatchString)
	if err != nil {
		t.Errorf("%s: %v", key, err)
	}
	for _, mk := range ms {
		if ByID(mk.ID) == nil {
			t.Errorf("%s: marker names unknown check %s", key, mk.ID)
		}
	}
	return ms
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
