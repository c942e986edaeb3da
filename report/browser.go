package report

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"

	"hw1pipe/internal/pdfdate"
)

// ErrNoChromium is returned by FindChromium when no browser is installed.
var ErrNoChromium = errors.New("report: no chromium found (Debian: apt-get install chromium; or set HW1PIPE_CHROMIUM)")

// FindChromium returns $HW1PIPE_CHROMIUM, else the first of chromium,
// chromium-browser, google-chrome found in PATH.
func FindChromium() (string, error) {
	if p := os.Getenv("HW1PIPE_CHROMIUM"); p != "" {
		return p, nil
	}
	for _, n := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(n); err == nil {
			return p, nil
		}
	}
	return "", ErrNoChromium
}

// BrowserCheck is what the page's script found in a real browser.
type BrowserCheck struct {
	// Images is the number of <img> elements, Loaded those that decoded,
	// Broken the data-key of the others.
	Images int      `json:"images"`
	Loaded int      `json:"loaded"`
	Broken []string `json:"broken"`
	// Sections maps section ids to their status ("ok", "partial",
	// "missing").
	Sections map[string]string `json:"sections"`
}

var checkRE = regexp.MustCompile(`(?s)<output id="report-check"[^>]*>(.*?)</output>`)

// CheckInBrowser loads the page at path in headless Chromium (binary
// chromium), reads the summary its script wrote (--dump-dom), and, when
// screenshot is not empty, saves a PNG of the first width x height pixels.
// Chromium runs with a fresh profile in a temporary directory and with
// every background network feature off.
func CheckInBrowser(ctx context.Context, chromium, path, screenshot string, width, height int) (*BrowserCheck, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	u := (&url.URL{Scheme: "file", Path: abs}).String()
	profile, err := os.MkdirTemp("", "hw1pipe-chromium-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(profile)
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + profile, "--virtual-time-budget=5000"}
	run := func(extra ...string) ([]byte, error) {
		cmd := exec.CommandContext(ctx, chromium, append(append(append([]string{}, base...), extra...), u)...)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return nil, fmt.Errorf("report: %s: %v: %s", chromium, err, lastLines(stderr.String(), 5))
		}
		return out, nil
	}
	dom, err := run("--dump-dom")
	if err != nil {
		return nil, err
	}
	m := checkRE.FindSubmatch(dom)
	if m == nil || len(strings.TrimSpace(string(m[1]))) == 0 {
		return nil, fmt.Errorf("report: the page's check script left no result in #report-check (DOM of %d bytes)", len(dom))
	}
	var bc BrowserCheck
	if err := json.Unmarshal([]byte(html.UnescapeString(string(m[1]))), &bc); err != nil {
		return nil, fmt.Errorf("report: #report-check: %w", err)
	}
	if screenshot != "" {
		shot, err := filepath.Abs(screenshot)
		if err != nil {
			return nil, err
		}
		if _, err := run("--hide-scrollbars", fmt.Sprintf("--window-size=%d,%d", width, height), "--screenshot="+shot); err != nil {
			return nil, err
		}
		if _, err := os.Stat(shot); err != nil {
			return nil, fmt.Errorf("report: chromium wrote no screenshot: %w", err)
		}
	}
	return &bc, nil
}

// PrintPDF prints the page at path to PDF with headless Chromium (binary
// chromium), as a reader's "Print to PDF" would with the page's print
// styles: each problem starts a page, no figure or table is split, no
// header or footer is added. Chromium stamps the print time into the
// file; PrintPDF pins it (package pdfdate) and runs the browser in UTC,
// so the same page printed by the same Chromium gives the same bytes.
func PrintPDF(ctx context.Context, chromium, path string) ([]byte, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "hw1pipe-chromium-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	out := filepath.Join(tmp, "page.pdf")
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+filepath.Join(tmp, "profile"), "--virtual-time-budget=5000",
		"--no-pdf-header-footer", "--print-to-pdf="+out,
		(&url.URL{Scheme: "file", Path: abs}).String())
	cmd.Env = append(os.Environ(), "TZ=UTC")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("report: print %s to PDF: %s: %v: %s", path, chromium, err, lastLines(stderr.String(), 5))
	}
	b, err := os.ReadFile(out)
	if err != nil {
		return nil, fmt.Errorf("report: print %s to PDF: chromium wrote no PDF: %w", path, err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		return nil, fmt.Errorf("report: print %s to PDF: chromium wrote %d bytes that are not a PDF", path, len(b))
	}
	b, _ = pdfdate.Fix(b)
	return b, nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}
