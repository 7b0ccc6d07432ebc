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
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// maxFileSize bounds what a file function reads. Terraform has no limit; a
// scanner reading an untrusted tree must not be made to load a huge file.
const maxFileSize = 64 << 20

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
	if fc.Warn != nil {
		fc.Warn(summary, detail)
	}
}

// resolve returns the real (symlink-free) absolute path of p, a path as
// written in the configuration, and whether it lies inside the scanned tree.
// A relative p is taken from the module's directory. err is the error of
// resolving the symlinks (the file may not exist); inside is still decided
// then, from the deepest ancestor that exists, so that a missing file behind
// a link out of the tree is refused rather than reported missing.
func (fc funcContext) resolve(p string) (real string, inside bool, err error) {
	if p == "~" || strings.HasPrefix(p, "~/") || strings.HasPrefix(p, `~\`) {
		return "", false, nil // Terraform would read the home directory
	}
	abs := p
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(fc.ModuleDir, abs)
	}
	abs = filepath.Clean(abs)
	real, err = filepath.EvalSymlinks(abs)
	if err != nil {
		real = resolveAncestor(abs)
	}
	return real, fc.within(real), err
}

// resolveAncestor resolves the symlinks of the deepest existing ancestor of
// abs and appends the rest of abs to it.
func resolveAncestor(abs string) string {
	rest := ""
	for dir := abs; ; {
		parent := filepath.Dir(dir)
		rest = filepath.Join(filepath.Base(dir), rest)
		if parent == dir {
			return abs
		}
		if r, err := filepath.EvalSymlinks(parent); err == nil {
			return filepath.Join(r, rest)
		}
		dir = parent
	}
}

// within reports whether the real path p lies inside the scanned tree. With
// no Root, nothing does.
func (fc funcContext) within(p string) bool {
	if fc.Root == "" || p == "" {
		return false
	}
	root, err := filepath.EvalSymlinks(fc.Root)
	if err != nil {
		root = filepath.Clean(fc.Root)
	}
	rel, err := filepath.Rel(root, p)
	if err != nil || !filepath.IsLocal(rel) && rel != "." {
		return false
	}
	return true
}

// readFile reads the regular file at p (as written). ok is false when the
// read was refused (outside the tree, too large): a warning has been recorded
// and the caller returns an unknown value.
func (fc funcContext) readFile(p string) (data []byte, ok bool, err error) {
	real, inside, err := fc.resolve(p)
	if !inside {
		fc.warn(warnOutside, p)
		return nil, false, nil
	}
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrInvalid) {
			return nil, true, fmt.Errorf("no file exists at %s", p)
		}
		return nil, true, fmt.Errorf("reading %s: %w", p, relErr(err))
	}
	info, err := os.Stat(real)
	if err != nil {
		return nil, true, fmt.Errorf("reading %s: %w", p, relErr(err))
	}
	if !info.Mode().IsRegular() {
		return nil, true, fmt.Errorf("%s is not a regular file", p)
	}
	if info.Size() > maxFileSize {
		fc.warn(warnTooLarge, p)
		return nil, false, nil
	}
	data, err = os.ReadFile(real)
	if err != nil {
		return nil, true, fmt.Errorf("reading %s: %w", p, relErr(err))
	}
	return data, true, nil
}

// relErr strips the absolute path from a *fs.PathError, so that messages
// name only the path as written and stay the same on every machine.
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
			real, inside, err := fc.resolve(p)
			if !inside {
				fc.warn(warnOutside, p)
				return cty.UnknownVal(cty.Bool).RefineNotNull(), nil
			}
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrInvalid) {
					return cty.False, nil
				}
				return cty.NilVal, fmt.Errorf("checking %s: %w", p, relErr(err))
			}
			info, err := os.Stat(real)
			if err != nil {
				return cty.NilVal, fmt.Errorf("checking %s: %w", p, relErr(err))
			}
			if !info.Mode().IsRegular() {
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
			p = filepath.Join(fc.ModuleDir, p)
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
