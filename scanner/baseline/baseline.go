// Package baseline records the findings of a scan so later scans report
// only what is new.
//
// A team adopting casascan on an existing tree writes a baseline once
// (casascan scan --write-baseline casascan-baseline.json), commits it, and
// from then on CI fails only on findings that are not in it (--baseline
// casascan-baseline.json). Findings are matched by scanner.Finding's
// Fingerprint, which is built from the check ID, the resource address and the
// attribute path and never from line numbers: moving a resource, reformatting
// a file or adding unrelated code does not bring an old finding back, while a
// new problem on the same resource (another attribute) is new.
//
// The file is JSON, versioned, sorted and free of timestamps, so writing it
// twice gives the same bytes and a review diff shows exactly which findings
// were added or fixed:
//
//	{
//	  "version": 1,
//	  "tool": "casascan",
//	  "findings": [
//	    {
//	      "fingerprint": "3f0c…",
//	      "check_id": "GCP-ENC-001",
//	      "resource": "google_storage_bucket.mail",
//	      "attribute": "encryption.default_kms_key_name",
//	      "file": "storage.tf"
//	    }
//	  ]
//	}
//
// Only the fingerprint is matched; the other fields are for the people
// reading the file and may go stale (a moved file) without effect.
package baseline

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"

	"github.com/casascan/casascan/scanner"
)

// Version is the file format version Write emits and Read accepts.
const Version = 1

// maxFileSize bounds what Read accepts: a baseline of a very large tree is
// a few megabytes.
const maxFileSize = 64 << 20

// Entry is one recorded finding.
type Entry struct {
	Fingerprint string `json:"fingerprint"`
	CheckID     string `json:"check_id"`
	Resource    string `json:"resource"`
	Attribute   string `json:"attribute,omitempty"`
	File        string `json:"file,omitempty"`
}

// Baseline is a set of recorded findings.
type Baseline struct {
	Version  int     `json:"version"`
	Tool     string  `json:"tool"`
	Findings []Entry `json:"findings"`

	// Name is the file the baseline was read from, for the justification of
	// the suppressions Apply records; Load sets it.
	Name string `json:"-"`

	index map[string]bool
}

// New returns the baseline of a result: its FAIL findings, deduplicated by
// fingerprint and sorted by file, check, resource, attribute. It holds an
// entry per failure (fingerprint, check, resource, attribute, file), never
// the findings themselves. When the findings could not all be read back
// (res.Err), the baseline may miss some: Write refuses to write it.
func New(res *scanner.Result) *Baseline {
	b := &Baseline{Version: Version, Tool: "casascan", Findings: []Entry{}}
	seen := map[string]bool{}
	for f := range res.All() {
		if f.Status != scanner.StatusFail || f.Fingerprint == "" || seen[f.Fingerprint] {
			continue
		}
		seen[f.Fingerprint] = true
		b.Findings = append(b.Findings, Entry{
			Fingerprint: f.Fingerprint, CheckID: f.CheckID,
			Resource: f.Resource, Attribute: f.Attribute, File: f.Location.File,
		})
	}
	sort.Slice(b.Findings, func(i, j int) bool {
		x, y := b.Findings[i], b.Findings[j]
		switch {
		case x.File != y.File:
			return x.File < y.File
		case x.CheckID != y.CheckID:
			return x.CheckID < y.CheckID
		case x.Resource != y.Resource:
			return x.Resource < y.Resource
		case x.Attribute != y.Attribute:
			return x.Attribute < y.Attribute
		}
		return x.Fingerprint < y.Fingerprint
	})
	return b
}

// Write writes the baseline of res (see New) as indented JSON. When the
// findings of res could not all be read back, it writes nothing and returns
// that error: a baseline missing failures must not pass for a whole one.
func Write(w io.Writer, res *scanner.Result) error {
	b := New(res)
	if err := res.Err(); err != nil {
		return fmt.Errorf("reading the findings: %w", err)
	}
	return b.Encode(w)
}

// Encode writes the baseline as indented JSON, as Write does.
func (b *Baseline) Encode(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(b)
}

// Read decodes a baseline. Unknown fields are errors, so a file that is not
// a baseline (a SARIF or JSON report given by mistake) is refused rather than
// read as an empty baseline that hides nothing.
func Read(r io.Reader) (*Baseline, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFileSize {
		return nil, fmt.Errorf("larger than %d bytes: not a baseline", maxFileSize)
	}
	var b Baseline
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("not a casascan baseline (write one with --write-baseline): %w", err)
	}
	if dec.More() {
		return nil, errors.New("not a casascan baseline: data after the JSON object")
	}
	switch {
	case b.Version == 0:
		return nil, errors.New(`not a casascan baseline: no "version" (write one with --write-baseline)`)
	case b.Version > Version:
		return nil, fmt.Errorf("baseline version %d is newer than this casascan understands (%d): upgrade casascan", b.Version, Version)
	}
	b.index = map[string]bool{}
	for i, e := range b.Findings {
		if e.Fingerprint == "" {
			return nil, fmt.Errorf("finding %d has no fingerprint", i+1)
		}
		b.index[e.Fingerprint] = true
	}
	return &b, nil
}

// Load reads the baseline file at path.
func Load(path string) (*Baseline, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading baseline %s: %w", path, err)
	}
	defer f.Close()
	b, err := Read(f)
	if err != nil {
		return nil, fmt.Errorf("reading baseline %s: %w", path, err)
	}
	b.Name = path
	return b, nil
}

// Len returns the number of recorded findings.
func (b *Baseline) Len() int { return len(b.Findings) }

// Contains reports whether a fingerprint is recorded.
func (b *Baseline) Contains(fingerprint string) bool {
	if b.index == nil {
		b.index = map[string]bool{}
		for _, e := range b.Findings {
			b.index[e.Fingerprint] = true
		}
	}
	return b.index[fingerprint]
}

// Apply marks the FAIL findings of res that the baseline records as
// IGNORED, with an external suppression naming the baseline, and returns
// how many it marked. A FAIL whose inline ignore has expired is marked too:
// whoever wrote the baseline accepted it as it was. Findings of other
// statuses are left alone.
func (b *Baseline) Apply(res *scanner.Result) int {
	just := "in baseline"
	if b.Name != "" {
		just += " " + b.Name
	}
	n := 0
	// The result keeps its order: a finding's new status does not move it.
	res.Update(func(f *scanner.Finding) bool {
		if f.Status == scanner.StatusFail && b.Contains(f.Fingerprint) {
			f.Status, f.Reason = scanner.StatusIgnored, just
			f.Suppression = &scanner.Suppression{Kind: "external", Justification: just}
			n++
		}
		return true
	})
	return n
}
