package terraform

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"io"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

func TestFuncEncoding(t *testing.T) {
	const helloSHA512 = "309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f989dd35bc5ff499670da34255b45b0cfd830e81f605dcf7dc5542e93ae9cd76f"
	runCases(t, funcContext{}, []funcCase{
		{expr: `base64decode("SGVsbG8gV29ybGQ=")`, want: cty.StringVal("Hello World")},
		{expr: `base64decode("not base64!")`, err: "failed to decode base64 data"},
		{expr: `base64decode("/w==")`, err: "not valid UTF-8"},
		{expr: `base64encode("Hello World")`, want: cty.StringVal("SGVsbG8gV29ybGQ=")},
		{expr: `csvdecode("a,b\n1,2\n3,4")`, want: cty.ListVal([]cty.Value{
			cty.ObjectVal(map[string]cty.Value{"a": cty.StringVal("1"), "b": cty.StringVal("2")}),
			cty.ObjectVal(map[string]cty.Value{"a": cty.StringVal("3"), "b": cty.StringVal("4")})})},
		{expr: `jsondecode("{\"hello\": \"world\"}")`, want: cty.ObjectVal(map[string]cty.Value{"hello": cty.StringVal("world")})},
		{expr: `jsondecode("true")`, want: cty.True},
		{expr: `jsondecode(u)`, want: cty.DynamicVal},
		{expr: `jsondecode("{")`, err: "EOF"},
		{expr: `jsonencode({"hello" = "world"})`, want: cty.StringVal(`{"hello":"world"}`)},
		{expr: `jsonencode([1, "<b>", null])`, want: cty.StringVal(`[1,"\u003cb\u003e",null]`)},
		{expr: `jsonencode(u)`, want: cty.UnknownVal(cty.String)},
		{expr: `textencodebase64("Hello World", "UTF-16LE")`, want: cty.StringVal("SABlAGwAbABvACAAVwBvAHIAbABkAA==")},
		{expr: `textdecodebase64("SABlAGwAbABvACAAVwBvAHIAbABkAA==", "UTF-16LE")`, want: cty.StringVal("Hello World")},
		{expr: `textencodebase64("x", "NOT-AN-ENCODING")`, err: "not a supported IANA encoding"},
		{expr: `textencodebase64("☃", "US-ASCII")`, err: "cannot be represented"},
		{expr: `urlencode("Hello World!")`, want: cty.StringVal("Hello+World%21")},
		{expr: `urlencode("☃")`, want: cty.StringVal("%E2%98%83")},
		{expr: `urlencode("foo:bar@localhost?foo=bar&bar=baz")`, want: cty.StringVal("foo%3Abar%40localhost%3Ffoo%3Dbar%26bar%3Dbaz")},
		{expr: `yamldecode("hello: world")`, want: cty.ObjectVal(map[string]cty.Value{"hello": cty.StringVal("world")})},
		{expr: `yamldecode("{a: &a [1, 2], b: *a}")`, want: cty.ObjectVal(map[string]cty.Value{
			"a": cty.TupleVal(nums(1, 2)), "b": cty.TupleVal(nums(1, 2))})},
		{expr: `yamlencode({"a" = "b", "c" = "d"})`, want: cty.StringVal("\"a\": \"b\"\n\"c\": \"d\"\n")},
		{expr: `yamlencode({"foo" = [1, 2, 3], "bar" = "baz"})`, want: cty.StringVal("\"bar\": \"baz\"\n\"foo\":\n- 1\n- 2\n- 3\n")},
		{expr: `md5("hello world")`, want: cty.StringVal("5eb63bbbe01eeed093cb22bb8f5acdc3")},
		{expr: `sha1("hello world")`, want: cty.StringVal("2aae6c35c94fcfb415dbe95f408b9ce91ee846ed")},
		{expr: `sha256("hello world")`, want: cty.StringVal("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9")},
		{expr: `sha512("hello world")`, want: cty.StringVal(helloSHA512)},
		{expr: `base64sha256("hello world")`, want: cty.StringVal("uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=")},
		{expr: `base64sha512("hello world")`, want: cty.StringVal("MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzXbw==")},
		{expr: `uuidv5("dns", "www.terraform.io")`, want: cty.StringVal("a5008fae-b28c-5ba5-96cd-82b4c53552d6")},
		{expr: `uuidv5("url", "https://www.terraform.io/")`, want: cty.StringVal("9db6f67c-dd95-5ea0-aa5b-e70e5c5f7cf5")},
		{expr: `uuidv5("oid", "1.3.6.1.4")`, want: cty.StringVal("af9d40a5-7a36-5c07-b23a-851cd99fbfa5")},
		{expr: `uuidv5("x500", "CN=Example,C=GB")`, want: cty.StringVal("84e09961-4aa4-57f8-95b7-03edb1073253")},
		{expr: `uuidv5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "www.terraform.io")`, want: cty.StringVal("a5008fae-b28c-5ba5-96cd-82b4c53552d6")},
		{expr: `uuidv5("743ac3c0-3bf7-4a5b-9e6c-59360447c757", "LIBS:diskfont.library")`, want: cty.StringVal("ede1a974-df7e-5f17-84b9-76208818b2c8")},
		{expr: `uuidv5("nope", "x")`, err: "must be one of dns, url, oid, x500 or a UUID"},
		{expr: `uuid()`, want: cty.UnknownVal(cty.String)},
		{expr: `bcrypt("hello")`, want: cty.UnknownVal(cty.String)},
		{expr: `bcrypt("hello", 12)`, want: cty.UnknownVal(cty.String)},
		{expr: `rsadecrypt("x", "y")`, want: cty.UnknownVal(cty.String)},
	})
}

// TestFuncBase64Gzip decompresses the result, since gzip bytes depend on the
// compressor's details.
func TestFuncBase64Gzip(t *testing.T) {
	got, diags := evalWith(t, funcContext{}, `base64gzip("test test test")`)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	raw, err := base64.StdEncoding.DecodeString(got.AsString())
	if err != nil {
		t.Fatal(err)
	}
	r, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(r)
	if err != nil || string(plain) != "test test test" {
		t.Fatalf("decompressed %q, %v", plain, err)
	}
}

// TestFuncDecodeBombs checks that documents built to exhaust the stack or
// memory are refused with an error.
func TestFuncDecodeBombs(t *testing.T) {
	laughs := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	prev := "a"
	for _, name := range []string{"b", "c", "d", "e", "f", "g", "h"} {
		laughs += name + ": &" + name + " [" + strings.Repeat("*"+prev+", ", 9) + "*" + prev + "]\n"
		prev = name
	}
	cases := []struct{ name, fn, src, err string }{
		{"deep JSON", "jsondecode", strings.Repeat("[", 100000), "nested more than"},
		{"deep YAML", "yamldecode", strings.Repeat("[", 100000), "nested more than"},
		{"YAML aliases", "yamldecode", laughs, "expands to more than"},
	}
	fs := functions(funcContext{})
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := fs[c.fn].Call([]cty.Value{cty.StringVal(c.src)})
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Fatalf("err = %v, want %q", err, c.err)
			}
		})
	}
}

func TestFuncTime(t *testing.T) {
	runCases(t, funcContext{}, []funcCase{
		{expr: `formatdate("DD MMM YYYY hh:mm ZZZ", "2018-01-02T23:12:01Z")`, want: cty.StringVal("02 Jan 2018 23:12 UTC")},
		{expr: `formatdate("EEEE, DD-MMM-YY hh:mm:ss ZZZ", "2018-01-02T23:12:01Z")`, want: cty.StringVal("Tuesday, 02-Jan-18 23:12:01 UTC")},
		{expr: `formatdate("EEE, DD MMM YYYY hh:mm:ss ZZZ", "2018-01-02T23:12:01-08:00")`, want: cty.StringVal("Tue, 02 Jan 2018 23:12:01 -0800")},
		{expr: `formatdate("MMM DD, YYYY", "2018-01-02T23:12:01Z")`, want: cty.StringVal("Jan 02, 2018")},
		{expr: `formatdate("HH:mmaa", "2018-01-02T23:12:01Z")`, want: cty.StringVal("11:12pm")},
		{expr: `timeadd("2017-11-22T00:00:00Z", "10m")`, want: cty.StringVal("2017-11-22T00:10:00Z")},
		{expr: `timecmp("2017-11-22T00:00:00Z", "2017-11-22T00:00:00Z")`, want: cty.NumberIntVal(0)},
		{expr: `timecmp("2017-11-22T00:00:00Z", "2017-11-22T01:00:00Z")`, want: cty.NumberIntVal(-1)},
		{expr: `timecmp("2017-11-22T01:00:00Z", "2017-11-22T00:00:00Z")`, want: cty.NumberIntVal(1)},
		{expr: `timecmp("2017-11-22T01:00:00Z", "2017-11-22T00:00:00-01:00")`, want: cty.NumberIntVal(0)},
		{expr: `timecmp("yesterday", "2017-11-22T00:00:00Z")`, err: "not a valid RFC 3339 timestamp"},
		{expr: `timestamp()`, want: cty.UnknownVal(cty.String)},
		{expr: `plantimestamp()`, want: cty.UnknownVal(cty.String)},
		{expr: `timeadd(timestamp(), "1h")`, want: cty.UnknownVal(cty.String)},
	})
}

func TestFuncCIDR(t *testing.T) {
	runCases(t, funcContext{}, []funcCase{
		{expr: `cidrhost("10.12.112.0/20", 16)`, want: cty.StringVal("10.12.112.16")},
		{expr: `cidrhost("10.12.112.0/20", 268)`, want: cty.StringVal("10.12.113.12")},
		{expr: `cidrhost("fd00:fd12:3456:7890:00a2::/72", 34)`, want: cty.StringVal("fd00:fd12:3456:7890::22")},
		{expr: `cidrhost("10.0.0.0/8", 2)`, want: cty.StringVal("10.0.0.2")},
		{expr: `cidrhost("10.0.0.0/8", -2)`, want: cty.StringVal("10.255.255.254")},
		{expr: `cidrhost("10.1.2.240/28", 14)`, want: cty.StringVal("10.1.2.254")},
		{expr: `cidrhost("010.001.002.000/24", 5)`, want: cty.StringVal("10.1.2.5")},
		{expr: `cidrhost("10.0.0.0/30", 4)`, err: "does not accommodate a host numbered 4"},
		{expr: `cidrhost("10.0.0.0/30", -5)`, err: "does not accommodate"},
		{expr: `cidrhost("10.0.0.0/30", 1.5)`, err: "whole number"},
		{expr: `cidrhost("10.0.0.0", 1)`, err: "invalid CIDR expression"},
		{expr: `cidrnetmask("172.16.0.0/12")`, want: cty.StringVal("255.240.0.0")},
		{expr: `cidrnetmask("10.0.0.0/32")`, want: cty.StringVal("255.255.255.255")},
		{expr: `cidrnetmask("0.0.0.0/0")`, want: cty.StringVal("0.0.0.0")},
		{expr: `cidrnetmask("fd00::/8")`, err: "only IPv4"},
		{expr: `cidrsubnet("172.16.0.0/12", 4, 2)`, want: cty.StringVal("172.18.0.0/16")},
		{expr: `cidrsubnet("10.1.2.0/24", 4, 15)`, want: cty.StringVal("10.1.2.240/28")},
		{expr: `cidrsubnet("fd00:fd12:3456:7890::/56", 16, 162)`, want: cty.StringVal("fd00:fd12:3456:7800:a200::/72")},
		{expr: `cidrsubnet("10.1.2.0/24", 4, 16)`, err: "does not accommodate a subnet numbered 16"},
		{expr: `cidrsubnet("10.1.2.0/24", 9, 0)`, err: "must be between 0 and 8"},
		{expr: `cidrsubnets("10.1.0.0/16", 4, 4, 8, 4)`, want: cty.ListVal(strs("10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24", "10.1.48.0/20"))},
		{expr: `cidrsubnets("fd00:fd12:3456:7890::/56", 16, 16, 16, 32)`, want: cty.ListVal(strs(
			"fd00:fd12:3456:7800::/72", "fd00:fd12:3456:7800:100::/72", "fd00:fd12:3456:7800:200::/72", "fd00:fd12:3456:7800:300::/88"))},
		{expr: `[for b in cidrsubnets("10.0.0.0/8", 8, 8) : cidrsubnets(b, 4, 4)]`, want: cty.TupleVal([]cty.Value{
			cty.ListVal(strs("10.0.0.0/20", "10.0.16.0/20")), cty.ListVal(strs("10.1.0.0/20", "10.1.16.0/20"))})},
		{expr: `cidrsubnets("10.0.0.0/8")`, want: cty.ListValEmpty(cty.String)},
		{expr: `cidrsubnets("10.0.0.0/30", 1, 1, 1)`, err: "not enough remaining address space"},
		{expr: `cidrsubnets("10.0.0.0/8", 0)`, err: "at least one bit"},
		{expr: `cidrsubnet(u, 4, 2)`, want: cty.UnknownVal(cty.String)},
	})
}
