package scanner

import (
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

func rng(line int) hcl.Range {
	return hcl.Range{Filename: "main.tf", Start: hcl.Pos{Line: line, Column: 3}, End: hcl.Pos{Line: line, Column: 20}}
}

func attr(name string, v cty.Value, line int) *Attr {
	return &Attr{Name: name, Value: v, Range: rng(line)}
}

func block(typ string, line int, attrs ...*Attr) *Block {
	b := NewBody()
	for _, a := range attrs {
		b.Attrs[a.Name] = a
	}
	return &Block{Type: typ, Body: b, DefRange: rng(line)}
}

// testBody is an instance with two attached disks, nested settings, an
// object-valued attribute (as plan and live sources give) and an unknown
// dynamic block.
func testBody() *Body {
	b := NewBody()
	b.Attrs["name"] = attr("name", cty.StringVal("vm"), 2)
	b.Attrs["encryption"] = attr("encryption", cty.DynamicVal, 9)
	b.Attrs["labels"] = attr("labels", cty.ObjectVal(map[string]cty.Value{"data": cty.StringVal("gmail")}), 10)
	b.Attrs["versioning"] = attr("versioning", cty.TupleVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{"enabled": cty.True})}), 11)
	settings := block("settings", 3, attr("tier", cty.StringVal("db-f1"), 4))
	settings.Body.Blocks = []*Block{block("ip_configuration", 5, attr("ssl_mode", cty.StringVal("ENCRYPTED_ONLY"), 6))}
	b.Blocks = []*Block{
		settings,
		block("attached_disk", 7, attr("kms_key_self_link", cty.StringVal("k1"), 7)),
		block("attached_disk", 8),
	}
	return b
}

func TestBodyGet(t *testing.T) {
	b := testBody()
	tests := []struct {
		path  string
		want  cty.Value // NilVal: nil attribute
		known bool
	}{
		{"name", cty.StringVal("vm"), true},
		{"settings.tier", cty.StringVal("db-f1"), true},
		{"settings.ip_configuration.ssl_mode", cty.StringVal("ENCRYPTED_ONLY"), true},
		{"settings.0.ip_configuration.ssl_mode", cty.StringVal("ENCRYPTED_ONLY"), true},
		{"attached_disk.kms_key_self_link", cty.StringVal("k1"), true},
		{"attached_disk.1.kms_key_self_link", cty.NilVal, false},
		{"attached_disk.5.kms_key_self_link", cty.NilVal, false},
		{"labels.data", cty.StringVal("gmail"), true},
		{"versioning.enabled", cty.True, true},
		{"encryption.default_kms_key_name", cty.DynamicVal, false},
		{"missing.x", cty.NilVal, false},
		{"settings.missing", cty.NilVal, false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			a := b.Get(tt.path)
			if tt.want == cty.NilVal {
				if a != nil {
					t.Fatalf("Get = %#v, want nil", a.Value)
				}
				return
			}
			if a == nil {
				t.Fatal("Get = nil")
			}
			if a.Known() != tt.known {
				t.Errorf("Known = %v, want %v", a.Known(), tt.known)
			}
			if tt.known && !a.Value.RawEquals(tt.want) {
				t.Errorf("Get = %#v, want %#v", a.Value, tt.want)
			}
			if !tt.known && !a.Set() {
				t.Error("an unknown value must count as set")
			}
		})
	}
}

func TestBodyDeepestAndAll(t *testing.T) {
	b := testBody()
	for path, wantLine := range map[string]int{
		"settings.ip_configuration.ssl_mode":    6,
		"settings.ip_configuration.require_ssl": 5, // missing attribute: its block
		"settings.backup.enabled":               3, // missing block: the nearest present one
		"attached_disk.1.kms_key_self_link":     8,
		"name":                                  2,
		"nothing":                               0,
	} {
		got := 0
		if r := b.Deepest(path); r != nil {
			got = r.Start.Line
		}
		if got != wantLine {
			t.Errorf("Deepest(%q) line = %d, want %d", path, got, wantLine)
		}
	}
	if n := len(b.All("attached_disk")); n != 2 {
		t.Errorf("All(attached_disk) = %d blocks, want 2", n)
	}
	if n := len(b.All("settings.ip_configuration")); n != 1 {
		t.Errorf("All(settings.ip_configuration) = %d blocks, want 1", n)
	}
}

func TestAttrSet(t *testing.T) {
	for _, tt := range []struct {
		v    cty.Value
		want bool
	}{
		{cty.StringVal("k"), true},
		{cty.StringVal(""), false},
		{cty.NullVal(cty.String), false},
		{cty.UnknownVal(cty.String), true},
		{cty.DynamicVal, true},
		{cty.False, true},
	} {
		if got := attr("x", tt.v, 1).Set(); got != tt.want {
			t.Errorf("Set(%#v) = %v, want %v", tt.v, got, tt.want)
		}
	}
	var nilAttr *Attr
	if nilAttr.Set() || !nilAttr.Null() {
		t.Error("a missing attribute is neither set nor non-null")
	}
}

func TestDisplayRedacts(t *testing.T) {
	for _, tt := range []struct {
		a    *Attr
		want string
	}{
		{attr("x", cty.StringVal("TLS_1_0"), 1), "TLS_1_0"},
		{&Attr{Value: cty.StringVal("hunter2"), Sensitive: true}, Redacted},
		{attr("x", cty.StringVal("AIzaSyD-fake-key-0123456789abcdefghijklm"), 1), Redacted},
		{attr("x", cty.StringVal("-----BEGIN RSA PRIVATE KEY-----\nabc"), 1), Redacted},
		{attr("x", cty.UnknownVal(cty.String), 1), "(known after apply)"},
		{nil, "(not set)"},
	} {
		if got := Display(tt.a); got != tt.want {
			t.Errorf("Display = %q, want %q", got, tt.want)
		}
	}
}
