package terraform

import (
	"bytes"
	"compress/gzip"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/google/uuid"
	yaml "github.com/zclconf/go-cty-yaml"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/ianaindex"
	yamlv3 "gopkg.in/yaml.v3"
)

func encodingFunctions() map[string]function.Function {
	return map[string]function.Function{
		"base64decode":     stringFunc(base64Decode),
		"base64encode":     stringFunc(func(s string) (string, error) { return base64.StdEncoding.EncodeToString([]byte(s)), nil }),
		"base64gzip":       stringFunc(base64Gzip),
		"csvdecode":        stdlib.CSVDecodeFunc,
		"jsondecode":       passThrough(stdlib.JSONDecodeFunc, checkNesting),
		"jsonencode":       stdlib.JSONEncodeFunc,
		"textdecodebase64": textDecodeFunc,
		"textencodebase64": textEncodeFunc,
		"urlencode":        stringFunc(func(s string) (string, error) { return url.QueryEscape(s), nil }),
		"yamldecode":       passThrough(yaml.YAMLDecodeFunc, checkYAML),
		"yamlencode":       passThrough(yaml.YAMLEncodeFunc, checkUTF8),
		"md5":              hashFunc(md5.New, hex.EncodeToString),
		"sha1":             hashFunc(sha1.New, hex.EncodeToString),
		"sha256":           hashFunc(sha256.New, hex.EncodeToString),
		"sha512":           hashFunc(sha512.New, hex.EncodeToString),
		"base64sha256":     hashFunc(sha256.New, base64.StdEncoding.EncodeToString),
		"base64sha512":     hashFunc(sha512.New, base64.StdEncoding.EncodeToString),
		"uuidv5":           uuidV5Func,
		"uuid":             unknownFunc(cty.String, nil),
		"bcrypt":           unknownFunc(cty.String, []function.Parameter{{Name: "str", Type: cty.String}}, function.Parameter{Name: "cost", Type: cty.Number}),
		"rsadecrypt":       unknownFunc(cty.String, []function.Parameter{{Name: "ciphertext", Type: cty.String}, {Name: "privatekey", Type: cty.String}}),
	}
}

// stringFunc builds a function of one string returning a string.
func stringFunc(fn func(string) (string, error)) function.Function {
	return newFunc(function.Spec{
		Params: []function.Parameter{{Name: "str", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			s, err := fn(args[0].AsString())
			if err != nil {
				return cty.NilVal, function.NewArgError(0, err)
			}
			return cty.StringVal(s), nil
		},
	})
}

// hashFunc builds md5, sha1... over a string's UTF-8 bytes.
func hashFunc(h func() hash.Hash, enc func([]byte) string) function.Function {
	return stringFunc(func(s string) (string, error) {
		return enc(digest(h, []byte(s))), nil
	})
}

func digest(h func() hash.Hash, data []byte) []byte {
	d := h()
	d.Write(data)
	return d.Sum(nil)
}

// unknownFunc builds a function whose result is only known at apply time
// (uuid, bcrypt with its random salt) or needs a secret we never handle
// (rsadecrypt): it checks its arguments' types and returns unknown.
func unknownFunc(ty cty.Type, params []function.Parameter, varParam ...function.Parameter) function.Function {
	spec := function.Spec{
		Params: params,
		Type:   function.StaticReturnType(ty),
		Impl: func([]cty.Value, cty.Type) (cty.Value, error) {
			return cty.UnknownVal(ty).RefineNotNull(), nil
		},
	}
	if len(varParam) > 0 {
		spec.VarParam = &varParam[0]
	}
	return newFunc(spec)
}

func base64Decode(s string) (string, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return "", errors.New("failed to decode base64 data")
	}
	if !utf8.Valid(b) {
		return "", errors.New("the result of decoding the provided string is not valid UTF-8")
	}
	return string(b), nil
}

func base64Gzip(s string) (string, error) {
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return "", err
	}
	if _, err := w.Write([]byte(s)); err != nil {
		return "", fmt.Errorf("compressing: %w", err)
	}
	if err := w.Close(); err != nil {
		return "", fmt.Errorf("compressing: %w", err)
	}
	return base64.StdEncoding.EncodeToString(buf.Bytes()), nil
}

// ianaEncoding looks up the encoding argument (argument 1) of
// textencodebase64 and textdecodebase64.
func ianaEncoding(name string) (encoding.Encoding, error) {
	enc, err := ianaindex.IANA.Encoding(name)
	if err != nil || enc == nil {
		return nil, function.NewArgErrorf(1, "%q is not a supported IANA encoding name or alias", name)
	}
	return enc, nil
}

// textEncodeFunc encodes a string in a named IANA character encoding and
// returns the bytes in base64.
var textEncodeFunc = newFunc(function.Spec{
	Params: []function.Parameter{
		{Name: "string", Type: cty.String},
		{Name: "encoding", Type: cty.String},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		name := args[1].AsString()
		enc, err := ianaEncoding(name)
		if err != nil {
			return cty.NilVal, err
		}
		b, err := enc.NewEncoder().Bytes([]byte(args[0].AsString()))
		if err != nil {
			return cty.NilVal, function.NewArgErrorf(0, "the given string contains characters that cannot be represented in %s", name)
		}
		return cty.StringVal(base64.StdEncoding.EncodeToString(b)), nil
	},
})

// textDecodeFunc decodes base64 bytes written in a named IANA character
// encoding into a string.
var textDecodeFunc = newFunc(function.Spec{
	Params: []function.Parameter{
		{Name: "source", Type: cty.String},
		{Name: "encoding", Type: cty.String},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		name := args[1].AsString()
		enc, err := ianaEncoding(name)
		if err != nil {
			return cty.NilVal, err
		}
		raw, err := base64.StdEncoding.DecodeString(args[0].AsString())
		if err != nil {
			return cty.NilVal, function.NewArgErrorf(0, "failed to decode base64 data")
		}
		b, err := enc.NewDecoder().Bytes(raw)
		if err != nil || !utf8.Valid(b) {
			return cty.NilVal, function.NewArgErrorf(0, "the given value is not valid %s text", name)
		}
		return cty.StringVal(string(b)), nil
	},
})

// uuidNamespaces are the RFC 4122 namespaces Terraform names by keyword.
var uuidNamespaces = map[string]uuid.UUID{
	"dns":  uuid.NameSpaceDNS,
	"url":  uuid.NameSpaceURL,
	"oid":  uuid.NameSpaceOID,
	"x500": uuid.NameSpaceX500,
}

// uuidV5Func is deterministic, unlike uuid: a SHA-1 name-based UUID.
var uuidV5Func = newFunc(function.Spec{
	Params: []function.Parameter{
		{Name: "namespace", Type: cty.String},
		{Name: "name", Type: cty.String},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		ns, ok := uuidNamespaces[args[0].AsString()]
		if !ok {
			var err error
			if ns, err = uuid.Parse(args[0].AsString()); err != nil {
				return cty.NilVal, function.NewArgErrorf(0, "must be one of dns, url, oid, x500 or a UUID")
			}
		}
		return cty.StringVal(uuid.NewSHA1(ns, []byte(args[1].AsString())).String()), nil
	},
})

// maxNesting bounds the nesting depth of decoded JSON and YAML: the decoders
// recurse, and a deep enough document would overflow the stack, which no
// recover can catch.
const maxNesting = 1000

// maxYAMLNodes bounds the size of a decoded YAML document once its aliases
// are expanded (a "billion laughs" document is small but expands without end).
const maxYAMLNodes = 1 << 20

// checkNesting refuses a JSON source nested deeper than maxNesting.
func checkNesting(args []cty.Value) error {
	src, ok := knownString(args[0])
	if !ok {
		return nil
	}
	depth, inString, escaped := 0, false, false
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
		case inString:
		case c == '[' || c == '{':
			if depth++; depth > maxNesting {
				return function.NewArgErrorf(0, "nested more than %d levels deep", maxNesting)
			}
		case c == ']' || c == '}':
			depth--
		}
	}
	return nil
}

// checkYAML refuses a YAML source nested deeper than maxNesting or expanding
// to more than maxYAMLNodes values. Flow brackets are counted without regard
// to quoting, which can only overcount; block nesting needs a line per level,
// so its depth is bounded by the source size.
func checkYAML(args []cty.Value) error {
	src, ok := knownString(args[0])
	if !ok {
		return nil
	}
	if !utf8.ValidString(src) {
		return function.NewArgErrorf(0, "the YAML source is not valid UTF-8")
	}
	depth := 0
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '[', '{':
			if depth++; depth > maxNesting {
				return function.NewArgErrorf(0, "nested more than %d levels deep", maxNesting)
			}
		case ']', '}':
			depth = max(depth-1, 0)
		}
	}
	if !strings.Contains(src, "*") {
		return nil // no aliases, so no expansion
	}
	var doc yamlv3.Node
	if err := yamlv3.Unmarshal([]byte(src), &doc); err != nil {
		return nil // the decoder reports its own syntax errors
	}
	if yamlNodes(&doc, map[*yamlv3.Node]int{}) > maxYAMLNodes {
		return function.NewArgErrorf(0, "the document expands to more than %d values", maxYAMLNodes)
	}
	return nil
}

// yamlNodes counts the values n stands for with aliases expanded, capped just
// above maxYAMLNodes. seen memoises shared anchors; -1 marks a node being
// counted, so an alias to its own ancestor (which the decoder rejects) stops.
func yamlNodes(n *yamlv3.Node, seen map[*yamlv3.Node]int) int {
	if c, ok := seen[n]; ok {
		return max(c, 1)
	}
	seen[n] = -1
	count := 1
	if n.Kind == yamlv3.AliasNode && n.Alias != nil {
		count = yamlNodes(n.Alias, seen)
	}
	for _, c := range n.Content {
		count = min(count+yamlNodes(c, seen), maxYAMLNodes+1)
	}
	seen[n] = count
	return count
}

// checkUTF8 refuses arguments holding a string that is not valid UTF-8: the
// YAML emitter loops forever on one.
func checkUTF8(args []cty.Value) error {
	for i, a := range args {
		v, _ := a.UnmarkDeep()
		bad := false
		_ = cty.Walk(v, func(_ cty.Path, e cty.Value) (bool, error) {
			if e.IsKnown() && !e.IsNull() && e.Type() == cty.String && !utf8.ValidString(e.AsString()) {
				bad = true
			}
			return !bad, nil
		})
		if bad {
			return function.NewArgErrorf(i, "contains a string that is not valid UTF-8")
		}
	}
	return nil
}

// knownString returns the string in v, if v is a known, non-null string.
func knownString(v cty.Value) (string, bool) {
	v, _ = v.UnmarkDeep()
	if !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
		return "", false
	}
	return v.AsString(), true
}
