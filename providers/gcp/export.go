package gcp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/casascan/casascan/internal/treefs"
	"github.com/casascan/casascan/internal/yamlerr"
	"github.com/casascan/casascan/scanner"
	"gopkg.in/yaml.v3"
)

// Asset export files are read whole: `gcloud asset export` newline-delimited
// JSON (one asset per line; a resource and its IAM policy may be separate
// lines of the same name), the same read back from its BigQuery table form
// (resource.data a JSON string), a JSON array of assets (`gcloud asset list
// --format=json`), `gcloud asset search-all-resources --format=json` (a
// JSON array of search results), `gcloud asset search-all-iam-policies
// --format=json` and TemporalAssets (`gcloud asset get-history`, real-time
// feed notifications: the latest window of each asset counts, and a deleted
// asset is no resource). Records of one name and asset type are merged, then mapped
// in name order, so the graph does not depend on line order.

// DetectExport reports whether data looks like a Cloud Asset Inventory export
// (gcloud asset export NDJSON, or gcloud asset search-all-resources JSON):
// its first JSON object (or the first element of its array, or of the
// "assets" or "results" list of an API response) has an asset type. data may
// be only the head of a file.
func DetectExport(data []byte) bool {
	data = bytes.TrimLeft(data, " \t\r\n\ufeff")
	if len(data) == 0 {
		return false
	}
	if looksLikeAsset(json.NewDecoder(bytes.NewReader(data)), true, true) {
		return true
	}
	return linesLookLikeAssets(data) || yamlLooksLikeAsset(data)
}

// DetectEmptyExport reports whether a file is an export that holds no
// records: nothing but white space, in a file named like an export
// (.ndjson, .jsonl, .json), as `gcloud asset export` writes for a scope
// with no assets. It is a valid, empty input, not an unknown kind of file.
func DetectEmptyExport(name string, data []byte) bool {
	if len(bytes.TrimLeft(data, " \t\r\n\ufeff")) > 0 {
		return false
	}
	name = strings.ToLower(name)
	for _, ext := range []string{".ndjson", ".jsonl", ".json"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}

// linesLookLikeAssets reports whether one of the first lines of NDJSON is an
// asset, so an export whose first line is damaged is still recognised.
func linesLookLikeAssets(data []byte) bool {
	seen := 0
	for _, line := range bytes.SplitN(data, []byte("\n"), 50) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		if line[0] == '{' && looksLikeAsset(json.NewDecoder(bytes.NewReader(line)), false, true) {
			return true
		}
		if seen++; seen == 5 {
			return false
		}
	}
	return false
}

// yamlLooksLikeAsset reports whether the first YAML document (gcloud's
// default output format) is an asset or search result.
func yamlLooksLikeAsset(data []byte) bool {
	data = bytes.TrimPrefix(data, []byte("---"))
	if i := bytes.Index(data, []byte("\n---")); i >= 0 {
		data = data[:i]
	}
	var m map[string]any
	if yaml.Unmarshal(data, &m) != nil {
		return false
	}
	keys := map[string]bool{}
	for k := range m {
		keys[normKey(k)] = true
	}
	return keys["assettype"] && (keys["name"] || keys["resource"])
}

// looksLikeAsset reads one value from dec: an asset-like object; when list
// is set, an array whose first element is one (an empty array counts: an
// empty search result); when wrapper is set, an API response object whose
// assets or results list is such an array.
func looksLikeAsset(dec *json.Decoder, list, wrapper bool) bool {
	tok, err := dec.Token()
	if err != nil {
		return false
	}
	switch {
	case tok == json.Delim('[') && list:
		if !dec.More() {
			_, err := dec.Token()
			return err == nil
		}
		return looksLikeAsset(dec, false, false)
	case tok != json.Delim('{'):
		return false
	}
	keys := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		k, ok := tok.(string)
		if err != nil || !ok {
			return false
		}
		k = normKey(k)
		keys[k] = true
		if keys["assettype"] && (keys["name"] || keys["resource"]) {
			return true
		}
		if wrapper && (k == "assets" || k == "results") {
			return looksLikeAsset(dec, true, false)
		}
		if k == "asset" {
			// A TemporalAsset (get-history, a feed notification).
			return looksLikeAsset(dec, false, false)
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return false
		}
	}
	return false
}

// LoadExport reads an asset export file. A line (or array element) that is
// not an asset becomes a diagnostic with the file and line, and the rest is
// read; a file that cannot be read is an error. base is the scanned root that
// diagnostics name the file relative to.
func LoadExport(ctx context.Context, path string, base string) (*scanner.Graph, error) {
	file := displayPath(path, base)
	data, err := treefs.ReadRegular(path, file, treefs.DefaultMaxFileSize)
	if err != nil {
		return nil, fmt.Errorf("reading asset export: %w", err)
	}
	return ReadExport(ctx, data, file, base)
}

// ReadExport reads the bytes of an asset export file, named file (relative
// to base, the scanned root) in diagnostics, as LoadExport does.
func ReadExport(ctx context.Context, data []byte, file, base string) (*scanner.Graph, error) {
	recs, diags := parseExport(data, file)
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("reading asset export %s: %w", file, err)
	}
	if len(recs) == 0 && len(diags) == 0 {
		// Valid and empty (an export of a project with nothing in it):
		// said, not an error.
		diags = append(diags, scanner.Diagnostic{Severity: scanner.DiagWarning, File: file,
			Summary: "the export holds no resource or IAM policy records: 0 resources read"})
	}
	recs, diags = latestHistory(recs, file, diags)
	var resources []*scanner.Resource
	for _, r := range mergeRecords(recs) {
		res, ds := mapAssetAs(r.asset, r.partial)
		// Every value of these resources came from this record.
		rec := &scanner.Origin{Kind: scanner.OriginRecord, Name: r.asset.Name, File: file, Line: r.line}
		iamRec := rec
		if r.iamLine > 0 && r.iamLine != r.line {
			// The policy was a line of its own (an export's IAM_POLICY
			// content): its grants came from there.
			iamRec = &scanner.Origin{Kind: scanner.OriginRecord, Name: r.asset.Name, File: file, Line: r.iamLine}
		}
		for _, x := range res {
			x.Record = rec
			if x.Grant != nil && strings.Contains(x.Type, "_iam_") {
				x.Record = iamRec
			}
		}
		resources = append(resources, res...)
		diags = append(diags, ds...)
	}
	g := newGraph(resources, diags)
	g.Root = base
	return g, nil
}

// displayPath names the file relative to base, never by its absolute path
// on the machine (which differs between checkouts); with no base, by its
// name.
func displayPath(path, base string) string {
	if base != "" {
		if rel, err := filepath.Rel(base, path); err == nil {
			return filepath.ToSlash(rel)
		}
	}
	return filepath.Base(path)
}

// record is one asset read from a file, with where it was read.
type record struct {
	asset   Asset
	partial bool // a search result without the full resource data
	line    int
	// iamLine is the line the IAM policy was read from, when it was.
	iamLine int
	// temporal marks a TemporalAsset: the asset as it was from at (its
	// window's start); deleted when the asset was deleted then.
	temporal, deleted bool
	at                string
}

// parseExport reads every record of a file: a JSON array element by
// element, anything else as a stream of JSON values (one per line in
// NDJSON; pretty-printed objects work too), falling back to line by line
// when the stream is broken so that one bad line costs only itself.
func parseExport(data []byte, file string) ([]record, []scanner.Diagnostic) {
	trimmed := bytes.TrimLeft(data, " \t\r\n\ufeff")
	offset := len(data) - len(trimmed)
	if len(trimmed) > 0 && trimmed[0] == '[' {
		return parseArray(data, offset, file)
	}
	if len(trimmed) > 0 && trimmed[0] != '{' && !linesLookLikeAssets(data) && yamlLooksLikeAsset(data) {
		return parseYAML(data, file)
	}
	if recs, diags, ok := parseStream(data, file); ok {
		return recs, diags
	}
	return parseLines(data, file)
}

// collector gathers the records and diagnostics of one file.
type collector struct {
	file  string
	recs  []record
	diags []scanner.Diagnostic
}

func (c *collector) bad(line int, err error) {
	c.diags = append(c.diags, badRecord(c.file, line, err))
}

// add decodes one JSON value read at line: a record, or an API response
// ({"assets": [...]} from assets.list, {"results": [...]} from the search
// methods) whose elements are records.
func (c *collector) add(raw []byte, line int) {
	if err := checkObject(raw); err != nil {
		c.bad(line, err)
		return
	}
	m, err := fields(raw)
	if err != nil {
		c.bad(line, err)
		return
	}
	if items, ok := wrapped(m); ok {
		for _, it := range items {
			c.add(it, line)
		}
		return
	}
	rec, err := decodeRecord(m)
	if err != nil {
		c.bad(line, err)
		return
	}
	if rec != nil {
		rec.line = line
		if rec.asset.IAMPolicy != nil {
			rec.iamLine = line
		}
		c.recs = append(c.recs, *rec)
	}
}

// wrapped returns the elements of an API response's assets or results list.
func wrapped(m map[string]json.RawMessage) ([]json.RawMessage, bool) {
	if m["name"] != nil || m["assettype"] != nil {
		return nil, false
	}
	for _, k := range []string{"assets", "results"} {
		var items []json.RawMessage
		if m[k] != nil && json.Unmarshal(m[k], &items) == nil {
			return items, true
		}
	}
	return nil, false
}

func parseArray(data []byte, start int, file string) ([]record, []scanner.Diagnostic) {
	c := &collector{file: file}
	lines := &lineCounter{data: data}
	dec := json.NewDecoder(bytes.NewReader(data))
	if _, err := dec.Token(); err != nil {
		c.bad(lines.at(start), err)
		return c.recs, c.diags
	}
	for dec.More() {
		at := int(dec.InputOffset())
		line := lines.at(at + leadingSpace(data[at:]))
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			c.bad(line, err)
			return c.recs, c.diags
		}
		c.add(raw, line)
	}
	if _, err := dec.Token(); err != nil {
		c.bad(lines.at(int(dec.InputOffset())), err)
	}
	return c.recs, c.diags
}

// parseStream decodes successive JSON values; ok is false when the stream
// breaks, and the caller retries line by line.
func parseStream(data []byte, file string) ([]record, []scanner.Diagnostic, bool) {
	c := &collector{file: file}
	lines := &lineCounter{data: data}
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		at := int(dec.InputOffset())
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if errors.Is(err, io.EOF) {
			return c.recs, c.diags, true
		}
		if err != nil {
			return nil, nil, false
		}
		c.add(raw, lines.at(at+leadingSpace(data[at:])))
	}
}

func parseLines(data []byte, file string) ([]record, []scanner.Diagnostic) {
	c := &collector{file: file}
	for i, line := range bytes.Split(data, []byte("\n")) {
		if line = bytes.TrimSpace(line); len(line) > 0 {
			c.add(line, i+1)
		}
	}
	return c.recs, c.diags
}

// parseYAML reads gcloud's default output: YAML documents separated by
// "---", each an asset or a search result. A document that does not parse
// ends the reading (YAML cannot resynchronise), with a diagnostic at it.
func parseYAML(data []byte, file string) ([]record, []scanner.Diagnostic) {
	c := &collector{file: file}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return c.recs, c.diags
		}
		if err != nil {
			line, _ := yamlerr.Split(err)
			c.bad(line, fmt.Errorf("not valid YAML: %w", err))
			return c.recs, c.diags
		}
		var v any
		if err := doc.Decode(&v); err != nil {
			c.bad(doc.Line, err)
			continue
		}
		raw, err := json.Marshal(v)
		if err != nil {
			c.bad(doc.Line, fmt.Errorf("YAML document is not JSON-like: %w", err))
			continue
		}
		c.add(raw, doc.Line)
	}
}

func leadingSpace(b []byte) int { return len(b) - len(bytes.TrimLeft(b, " \t\r\n,")) }

// lineCounter gives the 1-based lines of byte offsets of data. Offsets
// asked in increasing order, as a decoder reads, cost one pass over data in
// all (an export holds millions of records); an earlier offset counts
// again from the start.
type lineCounter struct {
	data []byte
	off  int // offsets before off are counted
	line int // newlines before off
}

func (c *lineCounter) at(off int) int {
	off = min(max(off, 0), len(c.data))
	if off < c.off {
		c.off, c.line = 0, 0
	}
	c.line += bytes.Count(c.data[c.off:off], []byte("\n"))
	c.off = off
	return c.line + 1
}

func badRecord(file string, line int, err error) scanner.Diagnostic {
	return scanner.Diagnostic{
		Severity: scanner.DiagError, File: file, Line: line,
		Summary: "not a Cloud Asset Inventory record; skipped",
		Detail:  err.Error(),
		Skipped: true, // not judged: the scan is incomplete
	}
}

// windowBefore reports whether window start a is earlier than b. Both are
// RFC 3339 times, whose precision and offset vary from record to record
// ("…:01Z" is earlier than "…:01.5Z"), so they are compared as times; a
// time that does not parse is compared as text.
func windowBefore(a, b string) bool {
	ta, errA := time.Parse(time.RFC3339Nano, a)
	tb, errB := time.Parse(time.RFC3339Nano, b)
	if errA != nil || errB != nil {
		return a < b
	}
	return ta.Before(tb)
}

// latestHistory keeps, of the TemporalAssets of each asset (a get-history
// listing or a feed's notifications), the latest: the asset as it is now.
// An asset whose latest state is a deletion is not a resource; a warning
// counts them. Other records pass through.
func latestHistory(recs []record, file string, diags []scanner.Diagnostic) ([]record, []scanner.Diagnostic) {
	latest := map[string]int{}
	for i, r := range recs {
		if !r.temporal {
			continue
		}
		k := r.asset.Name + "\x00" + r.asset.AssetType
		if j, ok := latest[k]; !ok || !windowBefore(r.at, recs[j].at) {
			latest[k] = i
		}
	}
	if len(latest) == 0 {
		return recs, diags
	}
	out := recs[:0:0]
	deleted := 0
	for i, r := range recs {
		if !r.temporal {
			out = append(out, r)
			continue
		}
		if latest[r.asset.Name+"\x00"+r.asset.AssetType] != i {
			continue
		}
		if r.deleted {
			deleted++
			continue
		}
		out = append(out, r)
	}
	if deleted > 0 {
		diags = append(diags, scanner.Diagnostic{Severity: scanner.DiagWarning, File: file,
			Summary: plural(deleted, "asset") + " deleted in the latest window of its history: not a resource, not judged"})
	}
	return out, diags
}

// mergeRecords joins the records of one name and asset type (an export's
// RESOURCE and IAM_POLICY lines) and returns them in name order. Of two
// resource contents the later update time wins; full data beats a partial
// search result.
func mergeRecords(recs []record) []record {
	byKey := map[string]*record{}
	var keys []string
	for i := range recs {
		r := recs[i]
		k := r.asset.Name + "\x00" + r.asset.AssetType
		prev := byKey[k]
		if prev == nil {
			byKey[k] = &r
			keys = append(keys, k)
			continue
		}
		mergeRecord(prev, r)
	}
	sort.Strings(keys)
	out := make([]record, 0, len(keys))
	for _, k := range keys {
		out = append(out, *byKey[k])
	}
	return out
}

func mergeRecord(dst *record, src record) {
	a, b := &dst.asset, src.asset
	if b.Resource != nil {
		newer := b.UpdateTime > a.UpdateTime
		if a.Resource == nil || (dst.partial && !src.partial) || (dst.partial == src.partial && newer) {
			a.Resource, dst.partial = b.Resource, src.partial
			if b.UpdateTime != "" {
				a.UpdateTime = b.UpdateTime
			}
		}
	}
	if b.IAMPolicy != nil && a.IAMPolicy == nil {
		a.IAMPolicy, dst.iamLine = b.IAMPolicy, src.iamLine
	}
	if len(a.Ancestors) == 0 {
		a.Ancestors = b.Ancestors
	}
}
