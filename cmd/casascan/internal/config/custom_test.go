package config

import (
	"strings"
	"testing"
)

func TestCustomChecksKey(t *testing.T) {
	c, err := Parse(".casascan.yaml", []byte("custom-checks: [policy, checks/one.yaml]\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(c.CustomChecks, ","); got != "policy,checks/one.yaml" {
		t.Errorf("CustomChecks = %q", got)
	}
	if m := c.Merge(Flags{}); strings.Join(m.CustomChecks, ",") != "policy,checks/one.yaml" {
		t.Errorf("Merge lost custom-checks: %v", m.CustomChecks)
	}
	for src, want := range map[string]string{
		"custom-checks: [/etc/checks]\n":  `.casascan.yaml:1: custom-checks: "/etc/checks" is absolute`,
		"custom-checks:\n  - ../shared\n": `.casascan.yaml:2: custom-checks: "../shared" leaves the configuration file's directory`,
	} {
		if _, err := Parse(".casascan.yaml", []byte(src)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: got %v, want %q", src, err, want)
		}
	}
}
