package scanner_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/casascan/casascan/providers/terraform"
	"github.com/casascan/casascan/scanner"
	"github.com/casascan/casascan/scanner/judge"
)

// TestLookupSlots: the one path lookup (issue 9 §1) on Terraform loaded by
// the real evaluator. It reaches every block a pattern can, the copies of a
// dynamic block whose for_each is not known included (one unexpanded block,
// its content evaluated with an unknown iterator: known where it does not
// depend on it), and says when the set of blocks itself is not known
// (Open), when a block may not exist at all (MaybeMissing), and when a value
// not known before apply stands where the blocks would be (Whole).
func TestLookupSlots(t *testing.T) {
	dir := t.TempDir()
	src := `variable "disks" {}
variable "settings" {}

resource "google_compute_instance" "known" {
  name = "known"
  attached_disk {
    source            = "a"
    kms_key_self_link = "k-a"
  }
  attached_disk {
    source = "b"
  }
}

resource "google_compute_instance" "mixed" {
  name = "mixed"
  attached_disk {
    source            = "a"
    kms_key_self_link = "k-a"
  }
  dynamic "attached_disk" {
    for_each = var.disks
    content {
      source            = attached_disk.value
      kms_key_self_link = "k-fixed"
    }
  }
}

resource "google_compute_instance" "from_element" {
  name = "from-element"
  dynamic "attached_disk" {
    for_each = var.disks
    content {
      kms_key_self_link = attached_disk.value
    }
  }
}

resource "google_kms_crypto_key" "maybe_template" {
  name     = "k"
  key_ring = "r"
  dynamic "version_template" {
    for_each = var.disks
    content {
      algorithm        = "GOOGLE_SYMMETRIC_ENCRYPTION"
      protection_level = "HSM"
    }
  }
}

resource "google_kms_crypto_key" "no_template" {
  name     = "k2"
  key_ring = "r"
}

resource "google_sql_database_instance" "whole" {
  name             = "db"
  database_version = "POSTGRES_15"
  settings         = var.settings
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	g, err := terraform.Load(context.Background(), dir, terraform.Options{Base: dir})
	if err != nil {
		t.Fatal(err)
	}
	show := func(addr, pattern string) string {
		r := g.Lookup(addr)
		if r == nil {
			t.Fatalf("%s not loaded", addr)
		}
		ss := r.Lookup(pattern)
		var b strings.Builder
		fmt.Fprintf(&b, "open=%v", ss.Open)
		for _, s := range ss.Slots {
			v := "absent"
			switch {
			case s.Attr == nil:
			case !s.Attr.Value.IsKnown():
				v = "unknown"
			case s.Attr.Value.IsNull():
				v = "null"
			default:
				v = s.Attr.Value.AsString()
			}
			fmt.Fprintf(&b, " %s=%s", s.Path, v)
			if s.Unexpanded {
				b.WriteString(" unexpanded")
			}
			if s.MaybeMissing {
				b.WriteString(" maybe-missing")
			}
			if s.Whole {
				b.WriteString(" whole")
			}
			if s.Default != nil {
				b.WriteString(" default=" + s.Default.Value.GoString())
			}
		}
		return b.String()
	}
	const disks = "attached_disk.*.kms_key_self_link"
	for _, tc := range []struct{ addr, pattern, want string }{
		// Every written block, a missing attribute as an absent slot.
		{"google_compute_instance.known", disks, "open=false attached_disk.0.kms_key_self_link=k-a attached_disk.1.kms_key_self_link=absent"},
		// The known block and the unexpanded dynamic one beside it; the
		// dynamic content is known where it does not use the iterator.
		{"google_compute_instance.mixed", disks, "open=true attached_disk.0.kms_key_self_link=k-a attached_disk.1.kms_key_self_link=k-fixed unexpanded"},
		{"google_compute_instance.from_element", disks, "open=true attached_disk.0.kms_key_self_link=unknown unexpanded"},
		// A block written at most once, only as a dynamic: it may not exist.
		{"google_kms_crypto_key.maybe_template", "version_template.protection_level", "open=true version_template.protection_level=HSM unexpanded maybe-missing default=cty.StringVal(\"SOFTWARE\")"},
		// A block not written: one slot standing for it, absent, with the
		// provider default from the one table.
		{"google_kms_crypto_key.no_template", "version_template.protection_level", "open=false version_template.protection_level=absent default=cty.StringVal(\"SOFTWARE\")"},
		// A value not known before apply where the settings block would be.
		{"google_sql_database_instance.whole", "settings.ip_configuration.ssl_mode", "open=true settings=unknown whole"},
	} {
		t.Run(tc.addr, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, show(tc.addr, tc.pattern)); diff != "" {
				t.Errorf("Lookup(%q) (-want +got):\n%s", tc.pattern, diff)
			}
		})
	}

	// The verdicts the slots give: a required key is FAIL only where it is
	// missing in every outcome, UNKNOWN where an element may lack it, and a
	// value in a block that may not exist is UNKNOWN unless the absent
	// outcome agrees.
	key := func(a *scanner.Attr) bool { return a.Set() }
	verdicts := func(addr, pattern string, f func(scanner.Slot) judge.Verdict) string {
		var out []string
		for _, s := range g.Lookup(addr).Lookup(pattern).Slots {
			out = append(out, f(s).String())
		}
		return strings.Join(out, " ")
	}
	required := func(s scanner.Slot) judge.Verdict { return s.Required(key) }
	hsm := func(s scanner.Slot) judge.Verdict { return s.StrIn("HSM") }
	for _, tc := range []struct {
		name, got, want string
	}{
		{"known blocks", verdicts("google_compute_instance.known", disks, required), "PASS FAIL"},
		{"dynamic with a fixed key", verdicts("google_compute_instance.mixed", disks, required), "PASS PASS"},
		{"dynamic with the element's key", verdicts("google_compute_instance.from_element", disks, required), "UNKNOWN"},
		{"template only in a dynamic", verdicts("google_kms_crypto_key.maybe_template", "version_template.protection_level", hsm), "UNKNOWN"},
		{"no template", verdicts("google_kms_crypto_key.no_template", "version_template.protection_level", hsm), "FAIL"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, tc.got, tc.want)
		}
	}
}

// TestSlotMaybeNull: a value not known before apply that may be null (a
// conditional whose condition is not known, with a null branch) is neither
// set nor absent; a bare reference to a computed attribute, a condition
// between two references and an unset variable count as set.
func TestSlotMaybeNull(t *testing.T) {
	dir := t.TempDir()
	src := `variable "on" { type = bool }
variable "key" { type = string }

resource "google_kms_crypto_key" "k" {
  name     = "k"
  key_ring = "r"
}

resource "google_kms_crypto_key" "other" {
  name     = "other"
  key_ring = "r"
}

locals {
  optional = var.on ? google_kms_crypto_key.k.id : null
}

resource "google_pubsub_topic" "optional" {
  name         = "a"
  kms_key_name = var.on ? google_kms_crypto_key.k.id : null
}

resource "google_pubsub_topic" "optional_first" {
  name         = "a"
  kms_key_name = var.on ? null : "projects/p/locations/l/keyRings/r/cryptoKeys/k"
}

resource "google_pubsub_topic" "through_local" {
  name         = "b"
  kms_key_name = local.optional
}

resource "google_pubsub_topic" "reference" {
  name         = "c"
  kms_key_name = google_kms_crypto_key.k.id
}

resource "google_pubsub_topic" "either" {
  name         = "d"
  kms_key_name = var.on ? google_kms_crypto_key.k.id : google_kms_crypto_key.other.id
}

resource "google_pubsub_topic" "variable" {
  name         = "e"
  kms_key_name = var.key
}

resource "google_pubsub_topic" "both_null" {
  name         = "f"
  kms_key_name = var.on ? null : null
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	g, err := terraform.Load(context.Background(), dir, terraform.Options{Base: dir})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, want, why string }{
		{"optional", "UNKNOWN UNKNOWN", "it is null when var.on, not known before apply, is false"},
		{"optional_first", "UNKNOWN UNKNOWN", "it is null when var.on, not known before apply, is true"},
		{"through_local", "UNKNOWN UNKNOWN", "it is null when var.on, not known before apply, is false"},
		{"reference", "PASS PASS", ""},
		{"either", "PASS PASS", ""},
		{"variable", "PASS PASS", ""},
		{"both_null", "FAIL FAIL", ""},
	} {
		r := g.Lookup("google_pubsub_topic." + tc.name)
		if r == nil {
			t.Fatalf("%s not loaded", tc.name)
		}
		s := r.Slot("kms_key_name")
		got := s.IsSet().String() + " " + s.Required((*scanner.Attr).Set).String()
		if got != tc.want {
			t.Errorf("%s: IsSet, Required = %s, want %s", tc.name, got, tc.want)
		}
		if why := s.MaybeNull(); !strings.HasPrefix(why, tc.why) || (tc.why == "") != (why == "") {
			t.Errorf("%s: MaybeNull = %q, want it to start with %q", tc.name, why, tc.why)
		}
	}
}
