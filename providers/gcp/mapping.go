package gcp

import (
	"strings"

	"github.com/casascan/casascan/scanner"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// entry maps one Cloud Asset Inventory asset type to a Terraform resource
// type. Most of the mapping is the declarative field list; extra handles what
// a list cannot say (a boot disk picked out of a disk list, a value derived
// from two fields).
type entry struct {
	typ string
	// typeOf, when set, picks the type from the data (regional variants).
	typeOf func(d obj) string
	fields []field
	extra  func(m *mapper, d obj)
	// extraPaths are the Terraform paths extra writes; a search result that
	// lacks the data marks them unknown.
	extraPaths []string
	// kms is the API path of the resource's CMEK key: a search result's
	// kmsKeys go there.
	kms string
	// kmsTF is the Terraform path of the key when it is among extraPaths:
	// a search result that lists no key leaves it absent, not unknown.
	kmsTF string
	// kmsAlso are other API paths of the key (Spanner's kmsKeyNames): a
	// search result that lists no key has none there either.
	kmsAlso []string
	// variant, when set, replaces the entry for some data (Cloud Run v1 and
	// v2 representations, 1st and 2nd gen functions).
	variant func(d obj) *entry
	// skip, when set and true, drops the resource (system-managed keys).
	skip func(d obj) bool
	// address, when set, overrides the address: a Bigtable cluster is folded
	// into its instance.
	address func(name string) string
	// children, when set, makes more resources from the data (a bucket's
	// ACL entries).
	children func(m *mapper, parent *scanner.Resource, d obj) []*scanner.Resource
	iam      *iamSpec
}

// field copies one value of the API JSON into the Terraform body.
type field struct {
	api string // dotted path in the API JSON (camelCase REST names)
	tf  string // dotted Terraform path; all but the last segment are blocks
	// conv converts the JSON value; nil converts it as it is.
	conv func(v any) (cty.Value, bool)
	// ref turns a resource name in the value into a referenced full name.
	ref func(m *mapper, s string) string
	// sub, when set, makes a block (or one block per list element) at tf
	// with these fields read relative to the value.
	sub       []field
	sensitive bool
}

// f is a field copied as it is; the one-letter helpers keep the tables
// readable as tables.
func f(api, tf string) field { return field{api: api, tf: tf} }

// fr is a field whose value names another resource.
func fr(api, tf string, ref func(*mapper, string) string) field {
	return field{api: api, tf: tf, ref: ref}
}

// fc is a field with a conversion.
func fc(api, tf string, conv func(any) (cty.Value, bool)) field {
	return field{api: api, tf: tf, conv: conv}
}

// fs is a field whose value is never to be printed (environment variables,
// metadata).
func fs(api, tf string) field { return field{api: api, tf: tf, sensitive: true} }

// blk is a nested block, or one block per element of a list of objects.
func blk(api, tf string, sub ...field) field {
	if sub == nil {
		sub = []field{}
	}
	return field{api: api, tf: tf, sub: sub}
}

// obj is a JSON object of API data.
type obj map[string]any

// get walks a dotted path; a member missing under its exact name is looked
// up under its snake_case or camelCase twin.
func (o obj) get(path string) (any, bool) {
	var cur any = map[string]any(o)
	for _, seg := range strings.Split(path, ".") {
		m, ok := asMap(cur)
		if !ok {
			return nil, false
		}
		v, ok := lookup(m, seg)
		if !ok || v == nil {
			return nil, false
		}
		cur = v
	}
	return cur, true
}

func lookup(m map[string]any, key string) (any, bool) {
	if v, ok := m[key]; ok {
		return v, true
	}
	want := normKey(key)
	best, found := "", false
	for k := range m {
		if sameKey(k, want) && (!found || k < best) {
			best, found = k, true
		}
	}
	if !found {
		return nil, false
	}
	return m[best], true
}

// sameKey reports whether k folds to the normalized key want (normKey)
// without allocating: ASCII case is ignored and underscores skipped.
func sameKey(k, want string) bool {
	j := 0
	for i := 0; i < len(k); i++ {
		c := k[i]
		if c == '_' {
			continue
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if j >= len(want) || want[j] != c {
			return false
		}
		j++
	}
	return j == len(want)
}

func asMap(v any) (map[string]any, bool) {
	switch t := v.(type) {
	case map[string]any:
		return t, true
	case obj:
		return t, true
	}
	return nil, false
}

func (o obj) str(path string) string {
	v, _ := o.get(path)
	s, _ := v.(string)
	return s
}

func (o obj) has(path string) bool {
	_, ok := o.get(path)
	return ok
}

func (o obj) sub(path string) obj {
	v, _ := o.get(path)
	m, _ := asMap(v)
	return m
}

func (o obj) list(path string) []any {
	v, _ := o.get(path)
	l, _ := v.([]any)
	return l
}

// mapper builds one resource's body.
type mapper struct {
	body    *scanner.Body
	rng     hcl.Range
	project string
	// name is the asset's full resource name.
	name string
	// typ is the Terraform type; extra may refine it.
	typ string
	// partial is set for search results: what the data lacks is unknown, not
	// absent, except the API paths in absent.
	partial bool
	absent  map[string]bool
}

func (m *mapper) apply(body *scanner.Body, d obj, fields []field) {
	m.applyAt(body, d, fields, "")
}

// applyAt applies fields to data found at the API path prefix ("" or
// "a.b.").
func (m *mapper) applyAt(body *scanner.Body, d obj, fields []field, prefix string) {
	for _, fl := range fields {
		v, ok := d.get(fl.api)
		if !ok {
			if m.partial {
				m.unknown(body, fl, prefix)
			}
			continue
		}
		if fl.sub != nil {
			m.applyBlocks(body, fl, v, prefix+fl.api+".")
			continue
		}
		val, ok := m.convert(fl, v)
		if !ok {
			continue
		}
		m.set(body, fl.tf, val, m.refs(fl, v), fl.sensitive)
	}
}

func (m *mapper) applyBlocks(body *scanner.Body, fl field, v any, prefix string) {
	if o, ok := asMap(v); ok {
		m.applyAt(m.newBlock(body, fl.tf), o, fl.sub, prefix)
		return
	}
	l, _ := v.([]any)
	for _, el := range l {
		if o, ok := asMap(el); ok {
			m.applyAt(m.newBlock(body, fl.tf), o, fl.sub, prefix)
		}
	}
}

// unknown marks a field the partial data lacks: leaves become unknown values,
// blocks one block of unknowns, so a check says "cannot tell", never
// "missing". Paths known to be absent (a search result without CMEK keys)
// stay absent.
func (m *mapper) unknown(body *scanner.Body, fl field, prefix string) {
	path := prefix + fl.api
	if m.absent[path] {
		return
	}
	if fl.sub != nil {
		// Zero or more blocks (or none of a single one), each with
		// unknown content.
		b := m.newBlock(body, fl.tf)
		m.lastBlock(body, fl.tf).Unexpanded = true
		for _, s := range fl.sub {
			m.unknown(b, s, path+".")
		}
		return
	}
	m.setNotCarried(body, fl.tf, fl.sensitive)
}

// searchNotCarried says why a search result's missing field is unknown.
const searchNotCarried = "a gcloud asset search-all-resources record does not carry it"

// setNotCarried writes an attribute the partial data does not carry: its
// value is unknown and it may be absent.
func (m *mapper) setNotCarried(body *scanner.Body, path string, sensitive bool) {
	m.set(body, path, cty.DynamicVal, nil, sensitive)
	dir, name := splitLast(path)
	if dir != "" {
		body = m.block(body, dir)
	}
	body.Attrs[name].NotCarried = searchNotCarried
}

// lastBlock returns the last block at a dotted path (newBlock's).
func (m *mapper) lastBlock(body *scanner.Body, path string) *scanner.Block {
	dir, name := splitLast(path)
	if dir != "" {
		body = m.block(body, dir)
	}
	bs := body.Blocks
	for i := len(bs) - 1; i >= 0; i-- {
		if bs[i].Type == name {
			return bs[i]
		}
	}
	return nil
}

func (m *mapper) convert(fl field, v any) (cty.Value, bool) {
	if fl.conv != nil {
		return fl.conv(v)
	}
	return toCty(v)
}

func (m *mapper) refs(fl field, v any) []string {
	if fl.ref == nil {
		return nil
	}
	var names []string
	add := func(s string) {
		if r := fl.ref(m, s); r != "" {
			names = append(names, r)
		}
	}
	switch t := v.(type) {
	case string:
		add(t)
	case []any:
		for _, el := range t {
			if s, ok := el.(string); ok {
				add(s)
			}
		}
	}
	return names
}

// set writes an attribute at a dotted Terraform path, creating the blocks on
// the way (reusing the first block of each name).
func (m *mapper) set(body *scanner.Body, path string, v cty.Value, refs []string, sensitive bool) {
	dir, name := splitLast(path)
	if dir != "" {
		body = m.block(body, dir)
	}
	body.Attrs[name] = &scanner.Attr{
		Name: name, Value: v, Range: m.rng, ExprRange: m.rng,
		Refs: refs, Literal: true, Sensitive: sensitive,
	}
}

// block returns the block at a dotted path, creating what is missing.
func (m *mapper) block(body *scanner.Body, path string) *scanner.Body {
	for _, seg := range strings.Split(path, ".") {
		var next *scanner.Body
		for _, b := range body.Blocks {
			if b.Type == seg {
				next = b.Body
				break
			}
		}
		if next == nil {
			next = m.appendBlock(body, seg)
		}
		body = next
	}
	return body
}

// newBlock appends a new block at a dotted path (the parents are reused).
func (m *mapper) newBlock(body *scanner.Body, path string) *scanner.Body {
	dir, name := splitLast(path)
	if dir != "" {
		body = m.block(body, dir)
	}
	return m.appendBlock(body, name)
}

func (m *mapper) appendBlock(body *scanner.Body, name string) *scanner.Body {
	b := &scanner.Block{Type: name, Body: scanner.NewBody(), DefRange: m.rng, Range: m.rng}
	body.Blocks = append(body.Blocks, b)
	return b.Body
}

func splitLast(path string) (dir, name string) {
	if i := strings.LastIndexByte(path, '.'); i >= 0 {
		return path[:i], path[i+1:]
	}
	return "", path
}
