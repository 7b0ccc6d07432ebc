package scanner

import (
	"cmp"
	"encoding/hex"
	"fmt"
	"hash/maphash"
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
	first      map[uint64]int32 // by the hash of the group's key
	firstOther map[groupKey]int32
	more       map[groupKey][]int32
	drop       []bool // by index: a repeat of an earlier finding
}

// checkIdent and resIdent are the parts of findings that one check (with
// a status) or one resource share, held once.
type checkIdent struct {
	id       string
	severity Severity
	status   Status
}

type resIdent struct {
	resource, typ string
	source        Source
	root          string
	grant         *Grant // the grant of an asset's IAM policy or ACL the resource is
	// the usual location of the resource's findings (its address, kind
	// "resource", no message): its file and four numbers
	file                       string
	line, col, endLine, endCol int32
	// passes is resource + ": passes", made once by unpack for all the
	// passes of the resource ("" in the resources map's keys)
	passes string
}

// packed is a Finding as the store keeps it: shared parts by pointer (the
// check with the status, the resource with its usual location), a pass's
// message left to be made again, the fingerprint as its 16 bytes, and what
// most findings do not have (another location, a message, related places,
// a suppression...) apart, in rare. It is 72 bytes against a Finding's
// 300. unpack gives back the Finding exactly (TestPackRoundTrip fills
// every field).
type packed struct {
	check      *checkIdent
	res        *resIdent
	provenance *Provenance
	rare       *packedRare // nil: the usual location, a pass's message, a hex fingerprint, nothing else
	attribute  string
	fp         [16]byte
}

// packedRare holds the parts of a packed finding most findings lack.
type packedRare struct {
	// loc is the location when it is not the usual one.
	loc         *Location
	message     string
	passMessage bool // the message is resource + ": passes"
	related     []Location
	downloaded  *Location
	fpIsText    bool // the fingerprint is not 32 lowercase hex digits: it is fpText
	fpText      string
	suppression *Suppression
	reason      string
}

const passSuffix = ": passes"

// pack packs f; resources interns the resource parts of one graph.
func (st *findingStore) pack(f *Finding, resources map[resIdent]*resIdent) packed {
	if st.checks == nil {
		st.checks = map[checkIdent]*checkIdent{}
	}
	ck := checkIdent{f.CheckID, f.Severity, f.Status}
	c := st.checks[ck]
	if c == nil {
		c = new(checkIdent)
		*c = ck
		st.checks[ck] = c
	}
	rk := resIdent{resource: f.Resource, typ: f.ResourceType, source: f.Source, root: f.RootModule, grant: f.Grant}
	var rare packedRare
	l := f.Location
	usual := Location{File: l.File, StartLine: int(int32(l.StartLine)), StartCol: int(int32(l.StartCol)),
		EndLine: int(int32(l.EndLine)), EndCol: int(int32(l.EndCol)), Address: f.Resource, Kind: "resource"}
	if l == usual {
		rk.file, rk.line, rk.col, rk.endLine, rk.endCol = l.File, int32(l.StartLine), int32(l.StartCol), int32(l.EndLine), int32(l.EndCol)
	} else {
		loc := l
		rare.loc = &loc
	}
	r := resources[rk]
	if r == nil {
		r = new(resIdent)
		*r = rk
		resources[rk] = r
	}
	p := packed{check: c, res: r, provenance: f.Provenance, attribute: f.Attribute}
	rare.related, rare.downloaded, rare.suppression, rare.reason = f.Related, f.DownloadedModule, f.Suppression, f.Reason
	if len(f.Message) == len(f.Resource)+len(passSuffix) && strings.HasPrefix(f.Message, f.Resource) && strings.HasSuffix(f.Message, passSuffix) {
		rare.passMessage = true
	} else {
		rare.message = f.Message
	}
	rare.fpText, rare.fpIsText = p.setFingerprint(f.Fingerprint)
	if rare.loc != nil || !rare.passMessage || rare.related != nil || rare.downloaded != nil || rare.fpIsText ||
		rare.suppression != nil || rare.reason != "" {
		p.rare = new(packedRare)
		*p.rare = rare
	}
	return p
}

// setFingerprint sets p.fp from fp and returns fp, true when it is not 32
// lowercase hex digits (p.fp is then zero).
func (p *packed) setFingerprint(fp string) (string, bool) {
	p.fp = [16]byte{}
	if len(fp) != 32 || strings.IndexFunc(fp, func(r rune) bool { return !('0' <= r && r <= '9' || 'a' <= r && r <= 'f') }) >= 0 {
		return fp, true
	}
	if _, err := hex.Decode(p.fp[:], []byte(fp)); err != nil {
		p.fp = [16]byte{}
		return fp, true
	}
	return "", false
}

// setFingerprintText sets a packed finding's fingerprint.
func (p *packed) setFingerprintText(fp string) {
	text, isText := p.setFingerprint(fp)
	if p.rare == nil {
		if !isText {
			return
		}
		p.rare = &packedRare{passMessage: true}
	}
	p.rare.fpText, p.rare.fpIsText = text, isText
}

func (p *packed) fpHex() bool { return p.rare == nil || !p.rare.fpIsText }

func (p *packed) fingerprint() string {
	if !p.fpHex() {
		return p.rare.fpText
	}
	return hex.EncodeToString(p.fp[:])
}

func (p *packed) passMessage() bool { return p.rare == nil || p.rare.passMessage }

func (p *packed) msg() string {
	if p.passMessage() {
		return p.res.resource + passSuffix
	}
	return p.rare.message
}

func (p *packed) location() Location {
	if p.rare != nil && p.rare.loc != nil {
		return *p.rare.loc
	}
	r := p.res
	return Location{File: r.file, StartLine: int(r.line), StartCol: int(r.col), EndLine: int(r.endLine), EndCol: int(r.endCol),
		Address: r.resource, Kind: "resource"}
}

func (p *packed) locFile() string {
	if p.rare != nil && p.rare.loc != nil {
		return p.rare.loc.File
	}
	return p.res.file
}

func (p *packed) locLine() int {
	if p.rare != nil && p.rare.loc != nil {
		return p.rare.loc.StartLine
	}
	return int(p.res.line)
}

func (p *packed) locCol() int {
	if p.rare != nil && p.rare.loc != nil {
		return p.rare.loc.StartCol
	}
	return int(p.res.col)
}

// unpackMsg is msg, with a pass's message made once per resource.
func (p *packed) unpackMsg() string {
	if !p.passMessage() {
		return p.rare.message
	}
	if p.res.passes == "" {
		p.res.passes = p.res.resource + passSuffix
	}
	return p.res.passes
}

func (p *packed) unpack() Finding {
	f := Finding{CheckID: p.check.id, Status: p.check.status, Severity: p.check.severity, Message: p.unpackMsg(),
		Resource: p.res.resource, ResourceType: p.res.typ, Source: p.res.source, RootModule: p.res.root, Grant: p.res.grant,
		Attribute: p.attribute, Location: p.location(), Fingerprint: p.fingerprint(), Provenance: p.provenance}
	if r := p.rare; r != nil {
		f.DownloadedModule, f.Related, f.Suppression, f.Reason = r.downloaded, r.related, r.suppression, r.reason
	}
	return f
}

// groupKey is what dedupe groups findings by: fingerprint and root module.
type groupKey struct {
	fp     [16]byte
	fpHex  bool
	fpText string
	root   string
}

func (p *packed) groupKey() groupKey {
	k := groupKey{fp: p.fp, fpHex: p.fpHex(), root: p.res.root}
	if !p.fpHex() {
		k.fpText = p.rare.fpText
	}
	return k
}

var groupSeed = maphash.MakeSeed()

// hash is k's hash: the store's index of groups is keyed by it, which
// takes a fifth of the memory of keying it by k.
func (k groupKey) hash() uint64 {
	var h maphash.Hash
	h.SetSeed(groupSeed)
	h.Write(k.fp[:])
	if !k.fpHex {
		h.WriteByte(1)
	}
	h.WriteString(k.fpText)
	h.WriteByte(0)
	h.WriteString(k.root)
	return h.Sum64()
}

// add packs the findings of one graph and deduplicates them against those
// before: a finding that repeats an earlier one's check, resource,
// attribute, status and message is dropped, and a repeat that differs
// gets a suffixed fingerprint. Findings alike share check, root module,
// resource and attribute, so their fingerprint: they are grouped by
// fingerprint and root module, and only the findings of one group are
// compared, so the work is linear in the findings however many roots
// share a module. Almost every group holds one finding; the few larger
// ones are kept aside. Groups are indexed by the hash of their key; the
// rare group whose hash an earlier group of another key has is indexed by
// its key in firstOther.
func (st *findingStore) add(fs []Finding, resources map[resIdent]*resIdent) {
	if st.first == nil {
		st.first = map[uint64]int32{}
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
		key := p.groupKey()
		h := key.hash()
		head, seen := st.first[h]
		if !seen {
			st.first[h] = idx
			continue
		}
		if st.at(head).groupKey() != key {
			if head, seen = st.firstOther[key]; !seen {
				if st.firstOther == nil {
					st.firstOther = map[groupKey]int32{}
				}
				st.firstOther[key] = idx
				continue
			}
		}
		group := st.more[key]
		if alike(st.at(head), p) || slices.ContainsFunc(group, func(g int32) bool { return alike(st.at(g), p) }) {
			st.drop[idx] = true
			continue
		}
		p.setFingerprintText(Fingerprint(p.check.id, identity(p.res.root, p.res.resource), p.attribute, fmt.Sprint(1+len(group))))
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
		a.msg() == b.msg() && a.locFile() == b.locFile() && a.check.status == b.check.status && a.locLine() == b.locLine()
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
	if c := strings.Compare(string(a.check.status), string(b.check.status)); c != 0 {
		return c
	}
	if a.passMessage() && b.passMessage() {
		return 0 // the resources are equal
	}
	return strings.Compare(a.msg(), b.msg())
}

func (st *findingStore) at(i int32) *packed { return &st.chunks[i/storeChunk][i%storeChunk] }

// releaseEvery is how many chunks result unpacks between handing the
// memory of those it released back to the operating system: a large
// result is then never held twice. A store of fewer chunks is unpacked at
// once. Each release is a full collection; on the 2,000-root benchmark
// tree (485 chunks) releasing every 16 chunks rather than about five
// times in all lowers peak RSS from about 353 to 312 MB for no CPU time
// that shows against the noise.
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
	st.drop, st.first, st.firstOther, st.more, st.checks = nil, nil, nil, nil, nil
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
		if large && (c+1)%releaseEvery == 0 {
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
