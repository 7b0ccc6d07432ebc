package terraform

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// nonResourceRoots are the root names of references that are not resources.
var nonResourceRoots = map[string]bool{
	"var": true, "local": true, "module": true, "each": true, "count": true,
	"path": true, "terraform": true, "self": true, "data": false, "ephemeral": true,
}

// collectAccessed records which attributes each resource is read for, from
// every traversal in the module's native-syntax files, and which functions
// the module calls. JSON files are not
// walked; a computed attribute read only there evaluates as unknown through
// the evaluator's fallback instead.
func (m *module) collectAccessed(files []*parsedFile) {
	m.exprVars = map[hcl.Expression][]hcl.Traversal{}
	m.attrOrder = map[*hclsyntax.Body][]string{}
	m.dynamics = map[*hclsyntax.Body]decodedDynamic{}
	for _, f := range files {
		body, ok := f.body.(*hclsyntax.Body)
		if !ok {
			continue
		}
		m.recordVariables(body)
		for _, blk := range body.Blocks {
			if blk.Type != "variable" {
				m.visit(blk)
				continue
			}
			// A type constraint (list(string), object({...})) reads like
			// function calls but calls nothing.
			for name, a := range blk.Body.Attributes {
				if name != "type" {
					m.visit(a)
				}
			}
			for _, b := range blk.Body.Blocks {
				m.visit(b)
			}
		}
	}
}

// recordVariables keeps, for the evaluator, the traversals of every
// attribute expression in body and its nested blocks (scope.variables),
// each body's attribute names in order, and each dynamic block's decoded
// body (module.dynamicContent).
func (m *module) recordVariables(body *hclsyntax.Body) {
	m.attrOrder[body] = sortedKeys(body.Attributes)
	for _, a := range body.Attributes {
		m.exprVars[a.Expr] = a.Expr.Variables()
	}
	for _, blk := range body.Blocks {
		if blk.Type == "dynamic" {
			c, diags := blk.Body.Content(dynamicContentSchema)
			m.dynamics[blk.Body] = decodedDynamic{c, diags}
		}
		m.recordVariables(blk.Body)
	}
}

// visit records the traversals and function calls under one node.
func (m *module) visit(node hclsyntax.Node) {
	_ = hclsyntax.VisitAll(node, func(n hclsyntax.Node) hcl.Diagnostics {
		switch e := n.(type) {
		case *hclsyntax.ScopeTraversalExpr:
			m.recordTraversal(e.Traversal, nil)
		case *hclsyntax.SplatExpr:
			src, ok := e.Source.(*hclsyntax.ScopeTraversalExpr)
			rel, ok2 := e.Each.(*hclsyntax.RelativeTraversalExpr)
			if ok && ok2 {
				m.recordTraversal(src.Traversal, rel.Traversal)
			}
		case *hclsyntax.RelativeTraversalExpr:
			if src, ok := e.Source.(*hclsyntax.ScopeTraversalExpr); ok {
				m.recordTraversal(src.Traversal, e.Traversal)
			}
		case *hclsyntax.FunctionCallExpr:
			m.calledFuncs[e.Name] = append(m.calledFuncs[e.Name], e.NameRange)
		case *hclsyntax.ForExpr, *hclsyntax.TemplateExpr, *hclsyntax.TemplateJoinExpr:
			m.metered = append(m.metered, n) // instrumented once the walk is done
		}
		return nil
	})
}

// recordTraversal notes the attribute read after TYPE.NAME[KEY] (or
// data.TYPE.NAME[KEY]); more is the traversal applied to a splat's items.
func (m *module) recordTraversal(t hcl.Traversal, more hcl.Traversal) {
	root := t.RootName()
	if nonResourceRoots[root] {
		return
	}
	i := 1
	key := root
	if root == "data" {
		if len(t) < 3 {
			return
		}
		typ, ok := t[1].(hcl.TraverseAttr)
		if !ok {
			return
		}
		key, i = "data."+typ.Name, 2
	}
	if len(t) <= i {
		return
	}
	name, ok := t[i].(hcl.TraverseAttr)
	if !ok {
		return
	}
	key += "." + name.Name
	rest := append(hcl.Traversal{}, t[i+1:]...)
	rest = append(rest, more...)
	for len(rest) > 0 {
		if _, isIndex := rest[0].(hcl.TraverseIndex); !isIndex {
			if _, isSplat := rest[0].(hcl.TraverseSplat); !isSplat {
				break
			}
		}
		rest = rest[1:]
	}
	if len(rest) == 0 {
		return
	}
	if _, ok := rest[0].(hcl.TraverseAttr); !ok {
		return
	}
	set := m.accessed[key]
	if set == nil {
		set = map[string]bool{}
		m.accessed[key] = set
	}
	// The attribute, and the attributes read inside its nested blocks
	// ("node_config.x", indexes and splats skipped), so that a computed
	// attribute of a nested block reads as unknown, not as missing.
	path := ""
	for _, step := range rest {
		switch st := step.(type) {
		case hcl.TraverseAttr:
			path = joinKey(path, st.Name)
			set[path] = true
		case hcl.TraverseIndex, hcl.TraverseSplat:
		default:
			return
		}
	}
}
