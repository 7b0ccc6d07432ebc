package scanner

import (
	"strconv"
	"strings"
	"sync"

	"github.com/zclconf/go-cty/cty"

	"github.com/casascan/casascan/scanner/judge"
)

// This file is the one path lookup: every place a dotted path reaches on a
// resource, whatever its source, with what is not known about them. Checks
// read nested structure only through it (and Get, its single-slot form), so
// a dynamic block whose for_each is unknown, an object not known before
// apply or a provider default means the same to every check.
//
// A pattern is a dotted path of block names and a last attribute name. A
// "*" after a block name reaches every block of that name, each named by its
// index ("attached_disk.*.kms_key_self_link" reaches
// "attached_disk.0.kms_key_self_link", ...); a name without "*" reaches the
// first block, as Get does, and stands for the block where it is missing;
// a number after a name picks that block ("disk.1.size").
// The last name may be "a|b": the first of them that is set, else a.

// BlockSlot is one block a pattern reaches.
type BlockSlot struct {
	// Path names the block with indexes for "*" levels ("cluster.1").
	Path string
	// Body is the block's body; nil when the block is missing (a level
	// without "*" whose block is not written).
	Body *Body
	// Unexpanded is true when the block, or one on the way, stands for the
	// blocks of a dynamic block whose for_each is not known before apply:
	// zero or more copies of its content, evaluated with an unknown
	// iterator (see Block.Unexpanded).
	Unexpanded bool
	// MaybeMissing is true when a level without "*" (a block written at
	// most once) is there only as an unexpanded dynamic block: it may not
	// exist at all.
	MaybeMissing bool
}

// Reach is what a block pattern reaches.
type Reach struct {
	Blocks []BlockSlot
	// Open is true when the set of blocks itself is not known: an
	// unexpanded dynamic block, or a value not known before apply standing
	// where blocks would be, is on the way.
	Open bool
	// Whole is, when a value not known before apply stands where blocks
	// would be (settings = var.settings with no value), that attribute, at
	// WholePath. Everything under it is unknown.
	Whole     *Attr
	WholePath string
}

// Reach returns every block a pattern of block names reaches.
func (b *Body) Reach(pattern string) Reach {
	var out Reach
	cur := []BlockSlot{{Body: b}}
	segs := splitPattern(pattern)
	for i := 0; i < len(segs); i++ {
		name := segs[i]
		each := i+1 < len(segs) && segs[i+1] == "*"
		pick := -1 // a numeric segment picks one block: "disk.1"
		if each {
			i++
		} else if i+1 < len(segs) {
			if n, err := strconv.Atoi(segs[i+1]); err == nil && n >= 0 {
				pick, i = n, i+1
			}
		}
		var next []BlockSlot
		for _, bs := range cur {
			prefix := joinIn(pattern, bs.Path, name)
			if bs.Body == nil {
				if !each {
					next = append(next, BlockSlot{Path: prefix, Unexpanded: bs.Unexpanded, MaybeMissing: bs.MaybeMissing})
				}
				continue
			}
			blocks := bs.Body.BlocksNamed(name)
			if a := bs.Body.Attrs[name]; len(blocks) == 0 && a != nil && a.Value != cty.NilVal && !a.Value.IsKnown() {
				out.Open = true
				if out.Whole == nil {
					out.Whole, out.WholePath = a, prefix
				}
				continue
			} else if a != nil && len(blocks) > 0 && partlyKnownList(a.Value) {
				out.Open = true
			}
			allUnexpanded := len(blocks) > 0
			for _, blk := range blocks {
				if blk.Unexpanded {
					out.Open = true
				} else {
					allUnexpanded = false
				}
			}
			if pick >= 0 {
				if pick < len(blocks) {
					next = append(next, BlockSlot{Path: prefix + "." + strconv.Itoa(pick), Body: blocks[pick].Body,
						Unexpanded: bs.Unexpanded || blocks[pick].Unexpanded, MaybeMissing: bs.MaybeMissing})
				}
				continue
			}
			if !each {
				if len(blocks) == 0 {
					next = append(next, BlockSlot{Path: prefix, Unexpanded: bs.Unexpanded, MaybeMissing: bs.MaybeMissing})
					continue
				}
				next = append(next, BlockSlot{Path: prefix, Body: blocks[0].Body, Unexpanded: bs.Unexpanded || blocks[0].Unexpanded,
					MaybeMissing: bs.MaybeMissing || allUnexpanded})
				continue
			}
			for j, blk := range blocks {
				next = append(next, BlockSlot{Path: prefix + "." + strconv.Itoa(j), Body: blk.Body, Unexpanded: bs.Unexpanded || blk.Unexpanded,
					MaybeMissing: bs.MaybeMissing})
			}
		}
		cur = next
	}
	out.Blocks = cur
	return out
}

// reachFirst is Reach for a pattern with no "*" and no index, where each
// level is the first block of its name: one block slot, built in buf.
func (b *Body) reachFirst(pattern string, buf []BlockSlot) Reach {
	var out Reach
	bs := BlockSlot{Body: b}
	rest := pattern
	end := 0
	for rest != "" {
		name, tail, _ := strings.Cut(rest, ".")
		rest = tail
		end += len(name)
		prefix := pattern[:end]
		end++
		if bs.Body == nil {
			bs.Path = prefix
			continue
		}
		blocks := bs.Body.BlocksNamed(name)
		if a := bs.Body.Attrs[name]; len(blocks) == 0 && a != nil && a.Value != cty.NilVal && !a.Value.IsKnown() {
			out.Open = true
			out.Whole, out.WholePath = a, prefix
			return out
		} else if a != nil && len(blocks) > 0 && partlyKnownList(a.Value) {
			out.Open = true
		}
		if len(blocks) == 0 {
			bs = BlockSlot{Path: prefix, Unexpanded: bs.Unexpanded, MaybeMissing: bs.MaybeMissing}
			continue
		}
		allUnexpanded := true
		for _, blk := range blocks {
			if blk.Unexpanded {
				out.Open = true
			} else {
				allUnexpanded = false
			}
		}
		bs = BlockSlot{Path: prefix, Body: blocks[0].Body, Unexpanded: bs.Unexpanded || blocks[0].Unexpanded,
			MaybeMissing: bs.MaybeMissing || allUnexpanded}
	}
	out.Blocks = append(buf, bs)
	return out
}

// partlyKnownList reports whether a list or set value holds an element not
// known before apply, which BlocksNamed cannot present as a block.
func partlyKnownList(v cty.Value) bool {
	if v == cty.NilVal || !v.IsKnown() || v.IsNull() || !v.CanIterateElements() || v.Type().IsObjectType() || v.Type().IsMapType() {
		return false
	}
	for it := v.ElementIterator(); it.Next(); {
		if _, ev := it.Element(); !ev.IsKnown() {
			return true
		}
	}
	return false
}

// Slot is one place an attribute pattern reaches.
type Slot struct {
	// Path is the concrete path, with indexes for "*" levels.
	Path string
	// Attr is the attribute; nil when it, or a block on the way, is
	// missing. When Whole is set, Attr is the unknown value that stands
	// where the blocks would be.
	Attr *Attr
	// Default is the provider default that applies when Attr is absent or
	// null (Resource.Lookup fills it from the defaults table).
	Default *ProviderDefault
	// Block is the body holding the attribute; nil when a block on the way
	// is missing.
	Block *Body
	// Unexpanded: the slot is in a block that stands for the blocks of a
	// dynamic block whose for_each is not known (see BlockSlot).
	Unexpanded bool
	// MaybeMissing: a block on the way may not exist at all (see
	// BlockSlot).
	MaybeMissing bool
	// Whole: a value not known before apply stands where blocks on the way
	// would be; the slot's value is unknown.
	Whole bool
	// NotCarried is the attribute's NotCarried: the source does not tell
	// it, so it may be absent (MaybeMissing is then set too).
	NotCarried string
}

// Slots is what a pattern reaches.
type Slots struct {
	Slots []Slot
	// Open is true when the set of slots is not known (see Reach.Open): a
	// condition over "every slot" or "some slot" must take it into account.
	Open bool
}

// Lookup returns every slot an attribute pattern reaches in b.
func (b *Body) Lookup(pattern string) Slots {
	blockPart, last := "", pattern
	if i := strings.LastIndexByte(pattern, '.'); i >= 0 {
		blockPart, last = pattern[:i], pattern[i+1:]
	}
	var reach Reach
	var one [1]BlockSlot
	switch {
	case blockPart == "":
		one[0] = BlockSlot{Body: b}
		reach = Reach{Blocks: one[:]}
	case !strings.ContainsAny(blockPart, "*0123456789"):
		reach = b.reachFirst(blockPart, one[:0])
	default:
		reach = b.Reach(blockPart)
	}
	alts := splitAlts(last)
	out := Slots{Open: reach.Open}
	if reach.Whole != nil {
		out.Slots = append(out.Slots, Slot{Path: reach.WholePath, Attr: reach.Whole, Whole: true})
	}
	for _, bs := range reach.Blocks {
		s := Slot{Path: joinIn(pattern, bs.Path, alts[0]), Block: bs.Body, Unexpanded: bs.Unexpanded, MaybeMissing: bs.MaybeMissing}
		if bs.Body != nil {
			for i, alt := range alts {
				if a := bs.Body.Attrs[alt]; a != nil && !a.Null() {
					if i > 0 {
						s.Path = joinDotted(bs.Path, alt)
					}
					s.Attr = a
					break
				}
			}
			if s.Attr == nil {
				s.Attr = bs.Body.Attrs[alts[0]] // present but null, or nil
			}
			if s.Attr != nil && s.Attr.NotCarried != "" {
				// Unknown, and possibly absent: as in a block that may
				// not exist.
				s.NotCarried, s.MaybeMissing = s.Attr.NotCarried, true
			}
		}
		out.Slots = append(out.Slots, s)
	}
	return out
}

// Lookup is Body.Lookup with each slot's provider default filled in.
func (r *Resource) Lookup(pattern string) Slots {
	out := r.Body.Lookup(pattern)
	if defaultsByType[r.Type] == nil {
		return out
	}
	deployed := r.Source == SourceExport || r.Source == SourceLive
	for i := range out.Slots {
		d := defaultOf(r.Type, out.Slots[i].Path)
		if d != nil && deployed {
			c := *d
			c.Deployed = true
			d = &c
		}
		out.Slots[i].Default = d
	}
	return out
}

// Slot returns the first slot a pattern reaches on r: the attribute, or
// where it is missing (Lookup with one result, for paths without "*").
func (r *Resource) Slot(pattern string) Slot {
	ss := r.Lookup(pattern)
	if len(ss.Slots) == 0 {
		return Slot{Path: pattern}
	}
	return ss.Slots[0]
}

// patterns caches each pattern split at its dots, and each last segment
// split at "|": checks ask for the same few patterns for every resource.
var patterns sync.Map // string → []string

func splitPattern(p string) []string { return splitCached("."+p, p, ".") }

func splitAlts(last string) []string {
	if !strings.Contains(last, "|") {
		return []string{last}
	}
	return splitCached("|"+last, last, "|")
}

func splitCached(key, s, sep string) []string {
	if v, ok := patterns.Load(key); ok {
		return v.([]string)
	}
	segs := strings.Split(s, sep)
	patterns.Store(key, segs)
	return segs
}

// joinIn is joinDotted(prefix, name), taken from pattern when pattern
// starts with it (no "*" or index on the way), so no string is built.
func joinIn(pattern, prefix, name string) string {
	n := len(prefix)
	if n > 0 {
		n++ // the dot
	}
	if len(pattern) >= n+len(name) && pattern[:len(prefix)] == prefix && (prefix == "" || pattern[len(prefix)] == '.') &&
		pattern[n:n+len(name)] == name && (len(pattern) == n+len(name) || pattern[n+len(name)] == '.') {
		return pattern[:n+len(name)]
	}
	return joinDotted(prefix, name)
}

func joinDotted(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

// Required judges a slot that must hold a value (a key that must be set):
// Fail when absent, null or "" (in every copy of an unexpanded block too);
// Pass when set; Unknown when the block holding it may not exist at all, or
// when its value is not known and may be null (MaybeNull), or, in an
// unexpanded block, may come from an element of the for_each that lacks it.
// Outside unexpanded blocks a value not known before apply counts as set
// unless it may be null.
func (s Slot) Required(set func(*Attr) bool) judge.Verdict {
	switch {
	case s.Whole:
		return judge.Pass
	case s.Attr.Null() || !set(s.Attr):
		return judge.Fail
	case s.MaybeMissing, s.MaybeNull() != "":
		return judge.Unknown
	case s.Unexpanded && !s.Attr.Known():
		return judge.Unknown
	}
	return judge.Pass
}

// Defaulted reports whether the provider default stands in for the value.
func (s Slot) Defaulted() bool { return s.Attr.Null() && s.Default != nil }

// Value is the slot's value: the attribute's; the provider default when the
// attribute is absent or null; else a null value.
func (s Slot) Value() cty.Value {
	switch {
	case !s.Attr.Null():
		return s.Attr.Value
	case s.Default != nil:
		return s.Default.Value
	}
	return cty.NullVal(cty.DynamicPseudoType)
}

// Known reports whether the slot's value is wholly known.
func (s Slot) Known() bool { return s.Value().IsWhollyKnown() }

// IsSet judges whether the attribute is written: Fail when absent, null or
// "", Pass when it has a value. A value not known before apply counts as
// set (an unknown key name is still a key), unless it may be null
// (MaybeNull), which is Unknown.
func (s Slot) IsSet() judge.Verdict {
	if s.Attr.Null() {
		return judge.Fail
	}
	if s.NotCarried != "" || s.MaybeNull() != "" {
		return judge.Unknown
	}
	return judge.Bool(s.Attr.Set())
}

// MaybeNull says why the slot's value, not known before apply, may be null
// (see Attr.MaybeNull); "" when it is known, or surely not null if set.
func (s Slot) MaybeNull() string {
	if s.Attr == nil || s.Attr.Value == cty.NilVal || s.Attr.Value.IsKnown() {
		return ""
	}
	return s.Attr.MaybeNull
}

// outcomes judges f over the values the slot may hold: its value, and,
// when the block holding it may not exist at all (MaybeMissing), the value
// it has when missing (the provider default, else null). The verdict is
// Pass or Fail when every outcome agrees, else Unknown.
func (s Slot) outcomes(f func(v cty.Value, def *ProviderDefault) judge.Verdict) judge.Verdict {
	v := f(s.Value(), s.Default)
	if !s.MaybeMissing || s.Attr.Null() {
		return v
	}
	absent := cty.NullVal(cty.DynamicPseudoType)
	if s.Default != nil {
		absent = s.Default.Value
	}
	if w := f(absent, s.Default); w != v {
		return judge.Unknown
	}
	return v
}

// StrIs judges pred over the slot's string value; an absent, null or ""
// value is the provider default when there is one, else "". A value not
// known before apply is Unknown.
func (s Slot) StrIs(pred func(string) bool) judge.Verdict {
	return s.outcomes(func(v cty.Value, def *ProviderDefault) judge.Verdict {
		if !v.IsKnown() {
			return judge.Unknown
		}
		if v.IsNull() {
			return judge.Bool(pred(""))
		}
		str, ok := ValueString(v)
		if !ok {
			return judge.Unknown
		}
		if str == "" && def != nil {
			if d, ok := ValueString(def.Value); ok {
				str = d
			}
		}
		return judge.Bool(pred(str))
	})
}

// StrIn judges whether the slot's string value is one of vals, case and
// surrounding space ignored.
func (s Slot) StrIn(vals ...string) judge.Verdict {
	return s.StrIs(func(str string) bool {
		str = strings.TrimSpace(str)
		for _, v := range vals {
			if strings.EqualFold(str, v) {
				return true
			}
		}
		return false
	})
}

// BoolIs judges whether the slot's bool value (the provider default when
// absent, else false) is want.
func (s Slot) BoolIs(want bool) judge.Verdict {
	return s.outcomes(func(v cty.Value, _ *ProviderDefault) judge.Verdict {
		if !v.IsKnown() {
			return judge.Unknown
		}
		if v.IsNull() {
			return judge.Bool(!want)
		}
		b, ok := ValueBool(v)
		if !ok {
			return judge.Unknown
		}
		return judge.Bool(b == want)
	})
}

// Show renders the slot's value for a message through Display, naming the
// default when it stands in: "(the provider default)" only where
// Terraform's provider applies it, to an attribute of a block that is
// written; for a block that is not written, or a field an export or live
// record leaves out, it is the API's default.
func (s Slot) Show() string {
	if s.Defaulted() {
		d := s.Default.Value
		if str, ok := ValueString(d); ok {
			switch {
			case s.Default.Deployed:
				return str + " (absent from the record: the API's default)"
			case s.Block == nil:
				return str + " (" + s.missingBlock() + " is not written: the API's default)"
			}
			return str + " (the provider default)"
		}
	}
	return Display(s.Attr)
}

// missingBlock names the block the slot's attribute would be in, which is
// not written: its path without the attribute.
func (s Slot) missingBlock() string {
	if i := strings.LastIndexByte(s.Path, '.'); i >= 0 {
		return s.Path[:i]
	}
	return s.Path
}
