package scanner

import (
	"cmp"
	"encoding/hex"
	"fmt"
	"runtime/debug"
	"slices"
	"strings"
)

// storeChunk is how many findings one chunk of a findingStore holds.
const storeChunk = 1024

// findingStore holds a session's findings packed (packed: about half the
// memory of a Finding), in chunks of storeChunk so that they never need
// one large block before the end, and turns them into the result's one
// sorted slice without holding them twice: it deduplicates and sorts them
// in place, then unpacks them a chunk at a time, releasing the chunks as
// it goes.
type findingStore struct {
	chunks [][]packed
	n      int
	checks map[checkIdent]*checkIdent // shared by every graph
	// dedupe state: the first finding of each group, and the findings of
	// a group after its first that were kept (rare).
	first map[groupKey]int32
	more  map[groupKey][]int32
	drop  []bool // by index: a repeat of an earlier finding
}

// checkIdent and resIdent are the parts of findings that one check or one
// resource share, held once.
type checkIdent struct {
	id       string
	severity Severity
}

type resIdent struct {
	resource, typ string
	source        Source
	root          string
	grant         *Grant // the grant of an asset's IAM policy or ACL the resource is
}

// packed is a Finding as the store keeps it: shared parts by pointer, the
// usual location as a file and four numbers, a pass's message left to be
// made again, the fingerprint as its 16 bytes. unpack gives back the
// Finding exactly (TestPackRoundTrip fills every field).
type packed struct {
	check *checkIdent
	res   *resIdent
	// loc is the location when it is not the usual one (the resource's
	// address, kind "resource", no message): then file and the numbers
	// are not used.
	loc                        *Location
	file                       string
	line, col, endLine, endCol int32
	status                     Status
	message                    string // "" with passMessage
	passMessage                bool   // the message is resource + ": passes"
	attribute                  string
	related                    []Location
	downloaded                 *Location
	fp                         [16]byte
	fpHex                      bool   // the fingerprint is fp in 32 lowercase hex digits
	fpText                     string // else the fingerprint
	suppression                *Suppression
	reason                     string
	provenance                 *Provenance
}

const passSuffix = ": passes"

// pack packs f; resources interns the resource parts of one graph.
func (st *findingStore) pack(f *Finding, resources map[resIdent]*resIdent) packed {
	if st.checks == nil {
		st.checks = map[checkIdent]*checkIdent{}
	}
	ck := checkIdent{f.CheckID, f.Severity}
	c := st.checks[ck]
	if c == nil {
		c = &ck
		st.checks[ck] = c
	}
	rk := resIdent{f.Resource, f.ResourceType, f.Source, f.RootModule, f.Grant}
	r := resources[rk]
	if r == nil {
		r = &rk
		resources[rk] = r
	}
	p := packed{check: c, res: r, status: f.Status, attribute: f.Attribute, related: f.Related,
		downloaded: f.DownloadedModule, suppression: f.Suppression, reason: f.Reason, provenance: f.Provenance}
	l := f.Location
	usual := Location{File: l.File, StartLine: int(int32(l.StartLine)), StartCol: int(int32(l.StartCol)),
		EndLine: int(int32(l.EndLine)), EndCol: int(int32(l.EndCol)), Address: f.Resource, Kind: "resource"}
	if l == usual {
		p.file, p.line, p.col, p.endLine, p.endCol = l.File, int32(l.StartLine), int32(l.StartCol), int32(l.EndLine), int32(l.EndCol)
	} else {
		p.loc = &l
	}
	if len(f.Message) == len(f.Resource)+len(passSuffix) && strings.HasPrefix(f.Message, f.Resource) && strings.HasSuffix(f.Message, passSuffix) {
		p.passMessage = true
	} else {
		p.message = f.Message
	}
	p.setFingerprint(f.Fingerprint)
	return p
}

func (p *packed) setFingerprint(fp string) {
	p.fp, p.fpHex, p.fpText = [16]byte{}, false, fp
	if len(fp) != 32 || strings.IndexFunc(fp, func(r rune) bool { return !('0' <= r && r <= '9' || 'a' <= r && r <= 'f') }) >= 0 {
		return
	}
	if _, err := hex.Decode(p.fp[:], []byte(fp)); err == nil {
		p.fpHex, p.fpText = true, ""
	}
}

func (p *packed) fingerprint() string {
	if !p.fpHex {
		return p.fpText
	}
	return hex.EncodeToString(p.fp[:])
}

func (p *packed) msg() string {
	if p.passMessage {
		return p.res.resource + passSuffix
	}
	return p.message
}

func (p *packed) location() Location {
	if p.loc != nil {
		return *p.loc
	}
	return Location{File: p.file, StartLine: int(p.line), StartCol: int(p.col), EndLine: int(p.endLine), EndCol: int(p.endCol),
		Address: p.res.resource, Kind: "resource"}
}

func (p *packed) locFile() string {
	if p.loc != nil {
		return p.loc.File
	}
	return p.file
}

func (p *packed) locLine() int {
	if p.loc != nil {
		return p.loc.StartLine
	}
	return int(p.line)
}

func (p *packed) locCol() int {
	if p.loc != nil {
		return p.loc.StartCol
	}
	return int(p.col)
}

func (p *packed) unpack() Finding {
	return Finding{CheckID: p.check.id, Status: p.status, Severity: p.check.severity, Message: p.msg(),
		Resource: p.res.resource, ResourceType: p.res.typ, Source: p.res.source, RootModule: p.res.root, Grant: p.res.grant,
		Attribute: p.attribute, Location: p.location(), DownloadedModule: p.downloaded, Related: p.related,
		Fingerprint: p.fingerprint(), Suppression: p.suppression, Reason: p.reason, Provenance: p.provenance}
}

// groupKey is what dedupe groups findings by: fingerprint and root module.
type groupKey struct {
	fp     [16]byte
	fpHex  bool
	fpText string
	root   string
}

// add packs the findings of one graph and deduplicates them against those
// before: a finding that repeats an earlier one's check, resource,
// attribute, status and message is dropped, and a repeat that differs
// gets a suffixed fingerprint. Findings alike share check, root module,
// resource and attribute, so their fingerprint: they are grouped by
// fingerprint and root module, and only the findings of one group are
// compared, so the work is linear in the findings however many roots
// share a module. Almost every group holds one finding; the few larger
// ones are kept aside.
func (st *findingStore) add(fs []Finding, resources map[resIdent]*resIdent) {
	if st.first == nil {
		st.first = map[groupKey]int32{}
	}
	for i := range fs {
		if len(st.chunks) == 0 || len(st.chunks[len(st.chunks)-1]) == storeChunk {
			st.chunks = append(st.chunks, make([]packed, 0, storeChunk))
		}
		last := &st.chunks[len(st.chunks)-1]
		*last = append(*last, st.pack(&fs[i], resources))
		idx := int32(st.n)
		st.n++
		st.drop = append(st.drop, false)
		p := st.at(idx)
		key := groupKey{p.fp, p.fpHex, p.fpText, p.res.root}
		head, seen := st.first[key]
		if !seen {
			st.first[key] = idx
			continue
		}
		group := st.more[key]
		if alike(st.at(head), p) || slices.ContainsFunc(group, func(g int32) bool { return alike(st.at(g), p) }) {
			st.drop[idx] = true
			continue
		}
		p.setFingerprint(Fingerprint(p.check.id, identity(p.res.root, p.res.resource), p.attribute, fmt.Sprint(1+len(group))))
		if st.more == nil {
			st.more = map[groupKey][]int32{}
		}
		st.more[key] = append(group, idx)
	}
}

// identity is Finding.identity of a root module and resource.
func identity(root, resource string) string {
	f := Finding{RootModule: root, Resource: resource}
	return f.identity()
}

// alike reports whether two findings repeat each other for dedupe.
func alike(a, b *packed) bool {
	return a.check.id == b.check.id && a.res.resource == b.res.resource && a.res.root == b.res.root && a.attribute == b.attribute &&
		a.msg() == b.msg() && a.locFile() == b.locFile() && a.status == b.status && a.locLine() == b.locLine()
}

// packedCmp is findingCmp on packed findings.
func packedCmp(a, b *packed) int {
	if c := strings.Compare(a.locFile(), b.locFile()); c != 0 {
		return c
	}
	if c := cmp.Compare(a.locLine(), b.locLine()); c != 0 {
		return c
	}
	if c := cmp.Compare(a.locCol(), b.locCol()); c != 0 {
		return c
	}
	if c := strings.Compare(a.check.id, b.check.id); c != 0 {
		return c
	}
	if c := strings.Compare(a.res.resource, b.res.resource); c != 0 {
		return c
	}
	if c := strings.Compare(a.res.root, b.res.root); c != 0 {
		return c
	}
	if c := strings.Compare(a.attribute, b.attribute); c != 0 {
		return c
	}
	if c := strings.Compare(string(a.status), string(b.status)); c != 0 {
		return c
	}
	if a.passMessage && b.passMessage {
		return 0 // the resources are equal
	}
	return strings.Compare(a.msg(), b.msg())
}

func (st *findingStore) at(i int32) *packed { return &st.chunks[i/storeChunk][i%storeChunk] }

// releaseEvery is how many chunks result unpacks at least between handing
// the memory of those it released back to the operating system: a large
// result is then never held twice. A store of fewer chunks is unpacked at
// once.
const releaseEvery = 16

// result returns the findings kept, in SortFindings' order (ties in the
// order added), and empties the store.
func (st *findingStore) result() []Finding {
	order := make([]int32, 0, st.n)
	for i := range int32(st.n) {
		if !st.drop[i] {
			order = append(order, i)
		}
	}
	st.drop, st.first, st.more, st.checks = nil, nil, nil, nil
	slices.SortFunc(order, func(a, b int32) int {
		if c := packedCmp(st.at(a), st.at(b)); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	st.permute(order)
	m := len(order)
	order = nil
	large := len(st.chunks) > releaseEvery
	// At most about five releases: each is a full collection.
	every := max(releaseEvery, len(st.chunks)/4)
	if large {
		debug.FreeOSMemory()
	}
	out := make([]Finding, m)
	for c := range st.chunks {
		for j := range st.chunks[c] {
			if k := c*storeChunk + j; k < m {
				out[k] = st.chunks[c][j].unpack()
			}
		}
		st.chunks[c] = nil
		if large && (c+1)%every == 0 {
			debug.FreeOSMemory()
		}
	}
	st.chunks, st.n = nil, 0
	return out
}

// permute rearranges the store in place so that position k holds the
// finding that was at order[k], for every k < len(order); the findings
// not in order end up after them.
func (st *findingStore) permute(order []int32) {
	n := int32(st.n)
	from := make([]int32, 0, n) // from[k]: where position k's finding is now
	from = append(from, order...)
	in := make([]bool, n)
	for _, i := range order {
		in[i] = true
	}
	for i := range n {
		if !in[i] {
			from = append(from, i)
		}
	}
	in = nil
	done := make([]bool, n)
	for i := range n {
		if done[i] || from[i] == i {
			continue
		}
		tmp := *st.at(i)
		for j := i; ; {
			done[j] = true
			k := from[j]
			if k == i {
				*st.at(j) = tmp
				break
			}
			*st.at(j) = *st.at(k)
			j = k
		}
	}
}
