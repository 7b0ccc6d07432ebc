package terraform

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/casascan/casascan/internal/treefs"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// Warning summaries, stable so that the evaluator and tests can match them.
const (
	warnOutside  = "file outside the scanned tree"
	warnTooLarge = "file too large to read"
	warnHome     = "home directory path not expanded"
)

func fileFunctions(fc funcContext) map[string]function.Function {
	contents := func(enc func([]byte) (string, error)) function.Function {
		return fileReadFunc(fc, enc)
	}
	hashed := func(h func() hash.Hash, enc func([]byte) string) function.Function {
		return contents(func(b []byte) (string, error) { return enc(digest(h, b)), nil })
	}
	return map[string]function.Function{
		"file":             contents(utf8Text),
		"filebase64":       contents(func(b []byte) (string, error) { return base64.StdEncoding.EncodeToString(b), nil }),
		"filemd5":          hashed(md5.New, hex.EncodeToString),
		"filesha1":         hashed(sha1.New, hex.EncodeToString),
		"filesha256":       hashed(sha256.New, hex.EncodeToString),
		"filesha512":       hashed(sha512.New, hex.EncodeToString),
		"filebase64sha256": hashed(sha256.New, base64.StdEncoding.EncodeToString),
		"filebase64sha512": hashed(sha512.New, base64.StdEncoding.EncodeToString),
		"fileexists":       fileExistsFunc(fc),
		"fileset":          fileSetFunc(fc),
		"abspath":          absPathFunc(fc),
		"basename":         stringFunc(func(s string) (string, error) { return filepath.Base(s), nil }),
		"dirname":          stringFunc(func(s string) (string, error) { return filepath.Dir(s), nil }),
		"pathexpand":       pathExpandFunc(fc),
	}
}

func utf8Text(b []byte) (string, error) {
	if !utf8.Valid(b) {
		return "", errors.New("contents are not valid UTF-8; use filebase64 or a file hash function for binary files")
	}
	return string(b), nil
}

// warn records a refused file access, if anyone listens.
func (fc funcContext) warn(summary, detail string) {
	w := fc.Warn
	if fc.Lent != nil {
		w = fc.Lent.warn
	}
	if w == nil {
		return
	}
	if fc.hush {
		detail = "the path is sensitive and not shown"
	}
	w(summary, detail)
}

// resolve returns the absolute path of p, a path as written in the
// configuration (a relative p is taken from the module's directory), and
// whether it lies inside the scanned tree as written. Links are judged when
// the file is read: the tree refuses any that leave it.
func (fc funcContext) resolve(p string) (abs string, inside bool) {
	if p == "~" || strings.HasPrefix(p, "~/") || strings.HasPrefix(p, `~\`) {
		return "", false // Terraform would read the home directory
	}
	abs = p
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(fc.moduleDir(), abs)
	}
	abs = filepath.Clean(abs)
	return abs, fc.FS != nil && fc.FS.Contains(abs)
}

// readFile reads the regular file at p (as written). ok is false when the
// read was refused (outside the tree, too large): a warning has been recorded
// and the caller returns an unknown value.
func (fc funcContext) readFile(p string) (data []byte, ok bool, err error) {
	abs, inside := fc.resolve(p)
	if !inside {
		fc.warn(warnOutside, p)
		return nil, false, nil
	}
	data, err = fc.FS.ReadFile(abs)
	switch {
	case err == nil:
		return data, true, nil
	case treefs.IsOutside(err):
		fc.warn(warnOutside, p)
		return nil, false, nil
	case errors.Is(err, treefs.ErrTooLarge):
		fc.warn(warnTooLarge, p)
		return nil, false, nil
	case errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrInvalid):
		return nil, true, fmt.Errorf("no file exists at %s", p)
	case errors.Is(err, treefs.ErrNotRegular):
		return nil, true, fmt.Errorf("%s is not a regular file", p)
	}
	return nil, true, fmt.Errorf("reading %s: %w", p, relErr(err))
}

// relErr strips the path from a *fs.PathError, so that messages name only
// the path as written and stay the same on every machine.
func relErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// fileReadFunc builds file, filebase64 and the file hash functions: read a
// file in the tree, then encode its bytes as a string.
func fileReadFunc(fc funcContext, enc func([]byte) (string, error)) function.Function {
	return newFunc(function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			p := args[0].AsString()
			data, ok, err := fc.readFile(p)
			if err != nil || !ok {
				return unknownString(), err
			}
			s, err := enc(data)
			if err != nil {
				return cty.NilVal, fmt.Errorf("reading %s: %w", p, err)
			}
			return cty.StringVal(s), nil
		},
	})
}

// fileExistsFunc reports whether a regular file exists; like Terraform, a
// directory or other special file is an error. Outside the tree it does not
// look: the answer is unknown.
func fileExistsFunc(fc funcContext) function.Function {
	return newFunc(function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			p := args[0].AsString()
			abs, inside := fc.resolve(p)
			if !inside {
				fc.warn(warnOutside, p)
				return cty.UnknownVal(cty.Bool).RefineNotNull(), nil
			}
			info, err := fc.FS.Stat(abs)
			switch {
			case treefs.IsOutside(err):
				fc.warn(warnOutside, p)
				return cty.UnknownVal(cty.Bool).RefineNotNull(), nil
			case errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrInvalid):
				return cty.False, nil
			case err != nil:
				return cty.NilVal, fmt.Errorf("checking %s: %w", p, relErr(err))
			case !info.Mode().IsRegular():
				return cty.NilVal, fmt.Errorf("%s is not a regular file", p)
			}
			return cty.True, nil
		},
	})
}

// absPathFunc makes a path absolute. Terraform resolves against its working
// directory; we resolve against the module's directory, as file() does here,
// so file(abspath(p)) reads what file(p) reads. Nothing is read.
func absPathFunc(fc funcContext) function.Function {
	return stringFunc(func(p string) (string, error) {
		if !filepath.IsAbs(p) {
			p = filepath.Join(fc.moduleDir(), p)
		}
		return filepath.ToSlash(filepath.Clean(p)), nil
	})
}

// pathExpandFunc would replace a leading ~ by the home directory of whoever
// runs the scan, which is no part of the scanned tree: the result is unknown
// and a warning is recorded. Other paths come back unchanged, as in Terraform.
func pathExpandFunc(fc funcContext) function.Function {
	return newFunc(function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			p := args[0].AsString()
			if !strings.HasPrefix(p, "~") {
				return args[0], nil
			}
			fc.warn(warnHome, p)
			return unknownString(), nil
		},
	})
}
