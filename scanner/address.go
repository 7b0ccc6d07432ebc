package scanner

import (
	"fmt"
	"strconv"
	"strings"
)

// Key is the instance key of a counted or for_each'd resource or module call:
// IntKey, StringKey, or nil for no key. It is sealed by an unexported method.
type Key interface {
	instanceKey()
	// String renders the key in HCL index syntax: [0] or ["name"].
	String() string
}

// IntKey is a count index.
type IntKey int

// StringKey is a for_each key.
type StringKey string

func (IntKey) instanceKey()    {}
func (StringKey) instanceKey() {}

func (k IntKey) String() string { return "[" + strconv.Itoa(int(k)) + "]" }

// String quotes the key; a key shaped like a credential (a literal API key
// used as a for_each key) is shown as RedactedKey, so no address prints it.
func (k StringKey) String() string {
	s := string(k)
	if len(s) >= minSecretLen && LooksLikeSecret(s) {
		s = RedactedKey(s)
	}
	return "[" + strconv.Quote(s) + "]"
}

func keyString(k Key) string {
	if k == nil {
		return ""
	}
	return k.String()
}

// ModuleStep is one module call on the path to a module instance:
// module.NAME[KEY].
type ModuleStep struct {
	Name string
	Key  Key
}

func (s ModuleStep) String() string { return "module." + s.Name + keyString(s.Key) }

// ModulePath renders a module instance path such as module.db[1].module.inner;
// the root module is "".
func ModulePath(steps []ModuleStep) string {
	var b strings.Builder
	for i, s := range steps {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.String())
	}
	return b.String()
}

// Mode tells managed resources from data sources.
type Mode int

const (
	// Managed is a resource block.
	Managed Mode = iota
	// Data is a data block.
	Data
)

// Address is the absolute address of a Terraform resource instance, as
// Terraform writes it: module.db[1].module.inner.google_sql_database_instance.this,
// google_storage_bucket.b["logs"], data.google_iam_policy.p.
// Addresses are values; never change one after construction.
type Address struct {
	Module []ModuleStep
	Mode   Mode
	Type   string
	Name   string
	Key    Key
}

func (a Address) String() string {
	var b strings.Builder
	if len(a.Module) > 0 {
		b.WriteString(ModulePath(a.Module))
		b.WriteByte('.')
	}
	if a.Mode == Data {
		b.WriteString("data.")
	}
	b.WriteString(a.Type)
	b.WriteByte('.')
	b.WriteString(a.Name)
	b.WriteString(keyString(a.Key))
	return b.String()
}

// ParseAddress is the inverse of Address.String. It reads through the
// same lexer as references (ParseSteps), and takes only static keys.
func ParseAddress(s string) (Address, error) {
	var a Address
	rest := s
	for strings.HasPrefix(rest, "module.") {
		st, tail, err := addrStep(rest[len("module."):])
		if err != nil {
			return Address{}, fmt.Errorf("parsing address %q: %w", s, err)
		}
		a.Module = append(a.Module, ModuleStep{Name: st.Name, Key: st.Key})
		if !strings.HasPrefix(tail, ".") {
			return Address{}, fmt.Errorf("parsing address %q: module path without resource", s)
		}
		rest = tail[1:]
	}
	if strings.HasPrefix(rest, "data.") {
		a.Mode = Data
		rest = rest[len("data."):]
	}
	dot := strings.IndexByte(rest, '.')
	if dot <= 0 {
		return Address{}, fmt.Errorf("parsing address %q: want TYPE.NAME", s)
	}
	a.Type = rest[:dot]
	st, tail, err := addrStep(rest[dot+1:])
	if err != nil {
		return Address{}, fmt.Errorf("parsing address %q: %w", s, err)
	}
	if tail != "" {
		return Address{}, fmt.Errorf("parsing address %q: unexpected %q", s, tail)
	}
	a.Name, a.Key = st.Name, st.Key
	return a, nil
}

// addrStep reads NAME optionally followed by one static [KEY] and returns
// what follows.
func addrStep(s string) (RefStep, string, error) {
	st, more, tail, err := cutStep(s)
	switch {
	case err != nil:
		return RefStep{}, "", err
	case more > 0:
		return RefStep{}, "", fmt.Errorf("several keys in %q", s)
	case st.Indexed && st.Key == nil:
		return RefStep{}, "", fmt.Errorf("bad index in %q", s)
	}
	return st, tail, nil
}
