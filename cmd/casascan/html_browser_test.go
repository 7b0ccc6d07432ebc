package main

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// browser finds a Chromium to render the HTML report with; the test is
// skipped, saying so, only where none is installed (.ci/run installs
// Debian's chromium package).
func browser(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no browser installed (apt-get install -y chromium): the HTML report is not rendered here")
	return ""
}

// TestHTMLInBrowser renders the demo's HTML report (fixtures/demo through
// the real loader and checks) in headless Chromium, offline, and checks
// the rendered page: the counts, one chart per measure with its label,
// the scope and the date from SOURCE_DATE_EPOCH; and that a screenshot is
// a real, non-empty PNG.
func TestHTMLInBrowser(t *testing.T) {
	bin := browser(t)
	root := mustAbs(t, filepath.Join("..", ".."))
	dir := t.TempDir()
	report := filepath.Join(dir, "report.html")
	c, stdout, stderr := newTestCLI(root, []string{"SOURCE_DATE_EPOCH=1767225600"}, testNow)
	code := c.run(context.Background(), []string{"scan", "fixtures/demo", "--format", "html", "--output", report})
	if code != exitFindings {
		t.Fatalf("exit code %d, want %d; stderr:\n%s", code, exitFindings, stderr)
	}
	if stdout.Len() != 0 {
		t.Errorf("stdout is not empty with --output")
	}
	src, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	// Self-contained: nothing to fetch.
	for _, ref := range []string{"<script", "<link", "src=", "@import", "url("} {
		if bytes.Contains(src, []byte(ref)) {
			t.Errorf("the report refers to something outside it: %q", ref)
		}
	}

	// The counts the page must show, from the same scan as JSON.
	cj, jout, _ := newTestCLI(root, nil, testNow)
	cj.run(context.Background(), []string{"scan", "fixtures/demo", "--format", "json"})
	lines, passes := demoResults(t, jout.Bytes())
	fails := 0
	for _, l := range lines {
		if strings.HasPrefix(l, "FAIL") {
			fails++
		}
	}

	profile := filepath.Join(dir, "profile")
	flags := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + profile}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	url := "file://" + filepath.ToSlash(report)
	dom, err := exec.CommandContext(ctx, bin, append(flags, "--dump-dom", url)...).Output()
	if err != nil {
		t.Fatalf("%s --dump-dom: %v", bin, err)
	}
	page := string(dom)
	for _, want := range []string{
		`<strong>` + strconv.Itoa(fails) + ` failing</strong>, ` + strconv.Itoa(passes) + ` passing`,
		`id="scope"`, `<code>fixtures/demo</code>`, "2026-01-01",
		`id="failures"`, `id="checks"`, `GCP-ENC-001`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("rendered page lacks %q", want)
		}
	}
	for _, m := range []string{"M1", "M2", "M3", "M4", "M5", "M6", "M7"} {
		re := regexp.MustCompile(`<svg[^>]*data-measure="` + m + `"[^>]*>\s*<title>` + m + `: \d+ pass, \d+ fail, \d+ unknown, \d+ ignored</title>[\s\S]*?</svg>`)
		chart := re.FindString(page)
		if chart == "" {
			t.Errorf("rendered page has no chart for %s", m)
			continue
		}
		if n := strings.Count(chart, "<rect"); n != 8 {
			t.Errorf("chart %s has %d rects, want a track and a bar for pass, fail, unknown and ignored", m, n)
		}
	}

	shot := filepath.Join(dir, "report.png")
	if out, err := exec.CommandContext(ctx, bin, append(flags, "--screenshot="+shot, "--window-size=1280,2000", url)...).CombinedOutput(); err != nil {
		t.Fatalf("%s --screenshot: %v\n%s", bin, err, out)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("the screenshot is not a PNG: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 1280 || b.Dy() != 2000 {
		t.Errorf("screenshot is %v, want 1280x2000", b)
	}
	// Not blank: the page paints more than one colour.
	first, varied := img.At(0, 0), false
	for y := 0; y < img.Bounds().Dy() && !varied; y += 7 {
		for x := 0; x < img.Bounds().Dx(); x += 7 {
			if img.At(x, y) != first {
				varied = true
				break
			}
		}
	}
	if !varied {
		t.Error("the screenshot is one flat colour")
	}
	if dst := os.Getenv("CASASCAN_HTML_SCREENSHOT"); dst != "" {
		b, _ := os.ReadFile(shot)
		os.WriteFile(dst, b, 0o644)
	}
}
