package scanner

import (
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Source tells where a resource was read from.
type Source string

// The sources a Resource can come from.
const (
	SourceTerraform Source = "terraform" // HCL or .tf.json configuration
	SourcePlan      Source = "plan"      // terraform show -json of a plan or state
	SourceLive      Source = "live"      // a live Google Cloud API
	SourceExport    Source = "export"    // a Cloud Asset Inventory export file
)

// Attr is one attribute of a resource or nested block.
type Attr struct {
	Name string
	// Value is the evaluated value. It may be unknown (not yet knowable before
	// apply) and is never marked; provenance is in Refs and Sensitive.
	Value cty.Value
	// Range covers the whole "name = expr" line(s); ExprRange only the value.
	Range     hcl.Range
	ExprRange hcl.Range
	// Refs are the addresses of the resources this value was computed from,
	// in the same graph: the edges of the graph.
	Refs []string
	// Literal is true when the expression is a constant written in the
	// configuration: no variable, local, reference or function of those.
	Literal bool
	// LiteralKeys, for an object or map written as a constructor ({ K = v }),
	// tells for each key whether its value is a literal, so a literal secret
	// in one environment variable is told from a variable in another.
	LiteralKeys map[string]bool
	// KeyOrigins and KeyRefs, for such an object or map, hold the origins
	// and references of each key whose value is not a literal, so that one
	// entry's provenance is not another's; nil when the whole value shares
	// Origins and Refs.
	KeyOrigins map[string][]Origin
	KeyRefs    map[string][]string
	// Sensitive is true when the value came from a sensitive variable, from
	// TF_VAR_*, or is otherwise never to be printed.
	Sensitive bool
	// RefsOpen is true when the value may be something other than the
	// resources in Refs: it is one of several alternatives not known before
	// apply, and one of them refers to no resource
	// (coalesce(var.unset, google_kms_crypto_key.k.id)). Refs are then not
	// every value it may be (see Graph.Candidates).
	RefsOpen bool
	// MaybeNull, when not empty, says why a value not known before apply
	// may still be null (one branch of a condition not known is null): it
	// does not count as set, nor as absent (Slot.IsSet, Slot.Required).
	MaybeNull string
	// Origins are the places the value came from that the source recorded
	// (variables and where they were set, module arguments, provider
	// defaults), sorted and deduplicated (SortOrigins). References are in
	// Refs, a literal's place is ExprRange and a record's is the resource's:
	// Resource.Origins gives the whole provenance.
	Origins []Origin
	// NotCarried, when not empty, says why the source does not tell this
	// attribute (a gcloud asset search-all-resources record carries no
	// configuration): its value is unknown and it may as well be absent,
	// so a check that requires it is UNKNOWN, never PASS (see Slot).
	NotCarried string
}

// Known reports whether the whole value is known (no unknown anywhere in it).
func (a *Attr) Known() bool { return a != nil && a.Value.IsWhollyKnown() }

// Null reports whether the attribute is absent or null.
func (a *Attr) Null() bool {
	return a == nil || (a.Value.IsKnown() && a.Value.IsNull())
}

// Set reports whether the attribute has a value: known and non-null, or
// unknown. An unknown value counts as set ("an unknown key name still counts
// as a key"). An empty string does not count as set.
func (a *Attr) Set() bool {
	if a == nil || a.Value == cty.NilVal {
		return false
	}
	if !a.Value.IsKnown() {
		return true
	}
	if a.Value.IsNull() {
		return false
	}
	if a.Value.Type() == cty.String {
		return a.Value.AsString() != ""
	}
	return true
}

// Str returns the value as a string when it is known and converts to one.
func (a *Attr) Str() (string, bool) {
	if a == nil {
		return "", false
	}
	return ValueString(a.Value)
}

// Bool returns the value as a bool when it is known and converts to one.
func (a *Attr) Bool() (bool, bool) {
	if a == nil {
		return false, false
	}
	return ValueBool(a.Value)
}

// Block is a nested block of a resource (settings, encryption, a dynamic
// block's expansion, ...).
type Block struct {
	Type     string
	Labels   []string
	Body     *Body
	DefRange hcl.Range // the block's header line
	Range    hcl.Range // the whole block
	// Unexpanded is true when the block stands for the blocks of a dynamic
	// block whose for_each is not known before apply: zero or more copies
	// of its content, evaluated with each.key and the iterator unknown, so
	// what does not depend on the iterator is known. Lookup reports the
	// set of such blocks as open.
	Unexpanded bool
}

// Body holds the attributes and nested blocks of a resource or block. The
// attribute map and block slice are never nil after NewBody.
type Body struct {
	Attrs  map[string]*Attr
	Blocks []*Block
}

// NewBody returns an empty body.
func NewBody() *Body { return &Body{Attrs: map[string]*Attr{}} }

// Get returns the attribute at a dotted path ("settings.ip_configuration.ssl_mode"),
// walking through the first nested block of each name, or through object and
// list-of-object attribute values (as sources without a schema produce). A
// numeric segment picks one of repeated blocks: "attached_disk.1.kms_key_self_link".
// It returns nil when any step is missing.
func (b *Body) Get(path string) *Attr {
	body, last, _ := b.walk(path)
	if body == nil || last == "" {
		return nil
	}
	return body.Attrs[last]
}

// walk follows every segment of path but the last through blocks and returns
// the body reached, the last segment, and the header range of the innermost
// block entered (nil when none was). body is nil when a step is missing; then
// deepest is the last block that was entered.
func (b *Body) walk(path string) (body *Body, last string, deepest *hcl.Range) {
	segs := strings.Split(path, ".")
	cur := b
	for len(segs) > 1 {
		if a := cur.Attrs[segs[0]]; a != nil && !a.Value.IsKnown() {
			// A whole block whose value is not known yet (a dynamic block
			// over an unknown collection): everything inside is unknown.
			u := *a
			u.Name = segs[len(segs)-1]
			return &Body{Attrs: map[string]*Attr{u.Name: &u}}, u.Name, deepest
		}
		blocks := cur.BlocksNamed(segs[0])
		segs = segs[1:]
		idx := 0
		if n, err := strconv.Atoi(segs[0]); err == nil {
			idx, segs = n, segs[1:]
		}
		if idx < 0 || idx >= len(blocks) {
			return nil, "", deepest
		}
		r := blocks[idx].DefRange
		deepest = &r
		cur = blocks[idx].Body
		if len(segs) == 0 {
			return cur, "", deepest
		}
	}
	return cur, segs[0], deepest
}

// All returns every block reached by a dotted path, expanding every repeated
// block on the way: All("replication.user_managed.replicas") returns each
// replica block of each user_managed block.
func (b *Body) All(path string) []*Block {
	if b == nil {
		return nil
	}
	head, rest, nested := strings.Cut(path, ".")
	blocks := b.BlocksNamed(head)
	if !nested {
		return blocks
	}
	var out []*Block
	for _, blk := range blocks {
		out = append(out, blk.Body.All(rest)...)
	}
	return out
}

// Deepest returns the range of the deepest element of a path that exists: the
// attribute itself, else the innermost present block's header, else nil. Run
// uses it to point a finding at the attribute that is wrong, or at the block
// where a missing attribute belongs.
func (b *Body) Deepest(path string) *hcl.Range {
	if b == nil || path == "" {
		return nil
	}
	body, last, deepest := b.walk(path)
	if body == nil || last == "" {
		return nonEmpty(deepest)
	}
	if a := body.Attrs[last]; a != nil && a.Range.Start.Line > 0 {
		r := a.Range
		return &r
	}
	for _, blk := range body.Blocks {
		if blk.Type == last {
			r := blk.DefRange
			return &r
		}
	}
	return nonEmpty(deepest)
}

func nonEmpty(r *hcl.Range) *hcl.Range {
	if r == nil || r.Start.Line == 0 {
		return nil
	}
	return r
}

// BlocksNamed returns the nested blocks of one type. An attribute holding an
// object, or a list or set of objects, is presented as blocks too, so checks
// read nested structure the same way whatever the source.
func (b *Body) BlocksNamed(name string) []*Block {
	if b == nil {
		return nil
	}
	var out []*Block
	for _, blk := range b.Blocks {
		if blk.Type == name {
			out = append(out, blk)
		}
	}
	if len(out) > 0 {
		return out
	}
	a := b.Attrs[name]
	if a == nil {
		return nil
	}
	return blocksFromValue(name, a, a.Value)
}

func blocksFromValue(name string, a *Attr, v cty.Value) []*Block {
	if v == cty.NilVal || !v.IsKnown() || v.IsNull() {
		return nil
	}
	ty := v.Type()
	switch {
	case ty.IsObjectType() || ty.IsMapType():
		return []*Block{{Type: name, Body: bodyFromValue(a, v), DefRange: a.Range, Range: a.Range}}
	case ty.IsListType() || ty.IsSetType() || ty.IsTupleType():
		var out []*Block
		for it := v.ElementIterator(); it.Next(); {
			_, ev := it.Element()
			if ev.IsKnown() && !ev.IsNull() && (ev.Type().IsObjectType() || ev.Type().IsMapType()) {
				out = append(out, &Block{Type: name, Body: bodyFromValue(a, ev), DefRange: a.Range, Range: a.Range})
			}
		}
		return out
	}
	return nil
}

func bodyFromValue(parent *Attr, v cty.Value) *Body {
	body := NewBody()
	if !v.CanIterateElements() {
		return body
	}
	for it := v.ElementIterator(); it.Next(); {
		k, ev := it.Element()
		if !k.IsKnown() || k.Type() != cty.String {
			continue
		}
		name := k.AsString()
		lit := parent.Literal
		origins, refs := parent.Origins, parent.Refs
		if l, ok := parent.LiteralKeys[name]; ok {
			lit = l
			if l {
				origins, refs = nil, nil // a literal beside variables: its origin is the expression
			} else if o, ok := parent.KeyOrigins[name]; ok {
				origins, refs = o, parent.KeyRefs[name]
			}
		}
		body.Attrs[name] = &Attr{
			Name: name, Value: ev, Range: parent.Range, ExprRange: parent.ExprRange,
			Refs: refs, Literal: lit, Sensitive: parent.Sensitive, RefsOpen: parent.RefsOpen, Origins: origins,
		}
	}
	return body
}

// ModuleCall is one module call on the chain that produced a resource.
type ModuleCall struct {
	// Address is the module instance, module.db[1].module.inner.
	Address string
	// Source is the module's source as written in the call.
	Source string
	// Range is the header of the calling module block (the call site).
	Range hcl.Range
}

// Resource is one node of the graph: a Terraform resource instance, a planned
// resource, or a live Google Cloud resource, always with the Google
// provider's Terraform type and attribute names.
type Resource struct {
	// Address is the Terraform address (module.a["x"].google_storage_bucket.b[0])
	// or, for a live or exported resource, its Cloud Asset Inventory full
	// resource name (//storage.googleapis.com/acme-mail).
	Address string
	Mode    Mode
	Type    string
	Name    string
	Body    *Body
	// DefRange is the block header, Range the whole block. For a live resource
	// they name the pseudo-path gcp/<full name without //>.
	DefRange hcl.Range
	Range    hcl.Range
	// Calls is the module call chain, outermost first; empty in the root module.
	Calls  []ModuleCall
	Source Source
	// Project is the Google Cloud project of a live resource, when known.
	Project string
	// Invalid lists the parts of the resource's configuration that could
	// not be evaluated as Terraform would (see Invalid): no check can pass
	// the resource, and a problem about such a part is UNKNOWN.
	Invalid []Invalid
	// Uncertain, when not empty, says why the resource may not exist at
	// all: its count or for_each (or that of a module on its chain) is not
	// known before apply, and it is judged once in place of its instances.
	// Run reports what would fail as UNKNOWN, since zero instances is one
	// of the possible outcomes.
	Uncertain string
	// Record, for a resource read from a plan, a state, an export or a live
	// API, is the record it was read from (OriginRecord, with the file and
	// line when there are): the origin of each of its attributes. Nil means
	// the record is named by the address alone.
	Record *Origin
	// Declared is, for a live or exported resource, the Terraform (or plan
	// or state) resource that declares it, as providers/link matched them;
	// nil when none does. It lets a check compare what is deployed with
	// what Terraform asks for (drift), and is never followed by Run.
	Declared *Resource
	// Grant, for a resource made from one grant of a live or exported
	// asset's IAM policy or ACL, is that grant: a finding on it names the
	// asset (Grant.Asset) and carries the role and member, so an auditor,
	// baseline or filter matches the asset's own name.
	Grant *Grant
}

// Grant is one grant of an asset's IAM policy or ACL: a role (an IAM role,
// or an ACL role such as READER) to one member (or ACL entity).
type Grant struct {
	// Asset is the full resource name of the asset the policy or ACL is on.
	Asset  string `json:"asset"`
	Role   string `json:"role"`
	Member string `json:"member"`
}

// Reported is the name findings on the resource give: the asset of a
// grant, else the address.
func (r *Resource) Reported() string {
	if r.Grant != nil && r.Grant.Asset != "" {
		return r.Grant.Asset
	}
	return r.Address
}

// Invalid is a part of a resource's configuration that could not be
// evaluated as Terraform would: an evaluation error (an attribute the
// value does not have), a block written as an attribute, an argument the
// block does not take, or a reference to a resource that has one. Terraform
// refuses such a configuration; casascan judges what it can and says
// UNKNOWN where the part decides.
type Invalid struct {
	// Path is the dotted attribute path ("versioning", "binding.member"),
	// block types without indexes.
	Path string
	// Reason is the diagnostic, with its file:line.
	Reason string
}

// invalidAt returns the first invalid part that path lies in or holds
// ("" holds every part), or nil. Numeric segments (block indexes) are
// ignored.
func (r *Resource) invalidAt(path string) *Invalid {
	p := stripIndexes(path)
	for i := range r.Invalid {
		q := r.Invalid[i].Path
		if p == "" || p == q || strings.HasPrefix(p, q+".") || strings.HasPrefix(q, p+".") {
			return &r.Invalid[i]
		}
	}
	return nil
}

// Get is shorthand for r.Body.Get.
func (r *Resource) Get(path string) *Attr { return r.Body.Get(path) }

// All is shorthand for r.Body.All.
func (r *Resource) All(path string) []*Block { return r.Body.All(path) }

// Graph is the resource graph of one scanned source: resources, the edges
// between them (Attr.Refs), the ignore comments found in its files and the
// diagnostics raised while loading it.
type Graph struct {
	// Root is the directory that file names in ranges are relative to; empty
	// for sources that have no files.
	Root        string
	Resources   []*Resource
	Ignores     []Ignore
	Diagnostics []Diagnostic

	// RootModule is, for Terraform, the root module's directory relative
	// to the directory scanned, with forward slashes ("." for that
	// directory itself): a module called from two roots is judged once per
	// root, and the root is part of each finding's identity. Relative to
	// the scanned directory, not the working directory, so that the same
	// scan run from anywhere gives the same fingerprints. "" for other
	// sources.
	RootModule string

	byAddr map[string]*Resource
	byType map[string][]*Resource
}

// Index sorts the resources by address and builds the lookup tables. Call it
// once, after the last resource is added; the graph is read-only afterwards.
func (g *Graph) Index() {
	sort.SliceStable(g.Resources, func(i, j int) bool { return g.Resources[i].Address < g.Resources[j].Address })
	g.byAddr = make(map[string]*Resource, len(g.Resources))
	g.byType = map[string][]*Resource{}
	for _, r := range g.Resources {
		g.byAddr[r.Address] = r
		g.byType[r.Type] = append(g.byType[r.Type], r)
	}
}

// Lookup returns the resource at an address, or nil.
func (g *Graph) Lookup(addr string) *Resource { return g.byAddr[addr] }

// OfType returns the resources of one Terraform type, in address order.
func (g *Graph) OfType(typ string) []*Resource { return g.byType[typ] }

// Follow returns the resources that the attribute at path refers to, in the
// order of its references; types, when given, keeps only those types.
func (g *Graph) Follow(r *Resource, path string, types ...string) []*Resource {
	return g.FollowAttr(r.Get(path), types...)
}

// FollowAttr is Follow for an attribute already in hand.
func (g *Graph) FollowAttr(a *Attr, types ...string) []*Resource {
	if a == nil {
		return nil
	}
	var out []*Resource
	for _, ref := range a.Refs {
		t := g.byAddr[ref]
		if t == nil {
			continue
		}
		if len(types) > 0 && !slices.Contains(types, t.Type) {
			continue
		}
		out = append(out, t)
	}
	return out
}
