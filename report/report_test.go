package report

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"hw1pipe/figures"
	"hw1pipe/results"
)

func render(t *testing.T, w func(b *bytes.Buffer) error) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := w(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func digit(n int) []float64 {
	p := make([]float64, n*n)
	for i := range n {
		for j := range n {
			dx, dy := float64(i)-float64(n)/2, float64(j)-float64(n)/2
			if r := math.Hypot(dx, dy); r > float64(n)/5 && r < float64(n)/3 {
				p[i*n+j] = 255
			}
		}
	}
	return p
}

func curve(n int, scale float64) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = scale / (1 + float64(i)/100)
	}
	return v
}

// fixtures returns every input a full pipeline gives the report, made
// with the figures package and JSON shaped like the stages' outputs.
func fixtures(t *testing.T) map[string][]byte {
	t.Helper()
	img := func(title string, n int) []byte {
		return render(t, func(b *bytes.Buffer) error {
			return figures.ImageGrid{Columns: 1, PanelSize: 1.5, Panels: []figures.Panel{{Title: title, Rows: n, Cols: n, Pixels: digit(n)}}}.WritePNG(b)
		})
	}
	grid := func(title string, k int) []byte {
		var ps []figures.Panel
		for i := range k {
			ps = append(ps, figures.Panel{Title: title, Rows: 7, Cols: 7, Pixels: digit(7), Map: figures.Colormap(i % 2)})
		}
		return render(t, func(b *bytes.Buffer) error {
			return figures.ImageGrid{Title: title, Columns: 4, PanelSize: 1, Panels: ps}.WritePNG(b)
		})
	}
	lines := func(title string) []byte {
		return render(t, func(b *bytes.Buffer) error {
			return figures.Lines{Title: title, XLabel: "updates", YLabel: "loss", Width: 5, Height: 3,
				Series: []figures.Series{{Name: "loss", Y: curve(200, 2.3)}, {Name: "error", Y: curve(200, 0.9)}}}.WritePNG(b)
		})
	}
	conf := make([]float64, 100)
	for i := range 10 {
		conf[i*11] = 190
		conf[i*10+(i+1)%10] = 10
	}
	js := func(v any) []byte {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	curves := func(scale float64) []byte {
		return js(results.Curves{LR: 0.1, TrainLoss: curve(1000, 2.3*scale), TrainError: curve(1000, 0.9*scale),
			ValLoss: curve(11, 2*scale), ValError: curve(11, 0.8*scale), ValSteps: []int{0, 1000, 2000}})
	}
	return map[string][]byte{
		"digit":         img("digit 5 (28x28)", 28),
		"digit_resized": img("digit 5 (14x14)", 14),
		"baseline_metrics": js(results.SVCMetrics{C: 1.0, Kernel: "rbf", Gamma: "auto", ValAccuracy: 0.1135,
			TrainAccuracy: 1.0, NSupportTotal: 8000, SupportRatio: 1.0, GammaValue: 1.0 / 196}),
		"confusion_png": render(t, func(b *bytes.Buffer) error {
			return figures.Heatmap{Title: "confusion", Rows: 10, Cols: 10, Values: conf, Format: "%.0f", Width: 4, Height: 4}.WritePNG(b)
		}),
		"grid_results": js(results.Grid{BestParams: results.BestParams{C: 10, Gamma: results.Gamma{Name: "scale"}, Kernel: "rbf"},
			BestCVScore: 0.9546, ValAccuracy: 0.9655, NSupportTotal: 2345}),
		"grid_md": []byte("# Problem 1g: GridSearchCV\n\n| C | gamma | kernel | mean | rank |\n|---|---|---|---|---|\n" +
			"| 0.1 | scale | linear | 0.9100 | 5 |\n| **10** | **scale** | **rbf** | **0.9546** | **1** |\n\nBest: C=10 <b>not html</b>.\n"),
		"gabor_kernels":         grid("kernel", 16),
		"gabor_responses":       grid("response", 16),
		"gabor_pairs":           grid("pair", 8),
		"gabor_note":            []byte("6 of 16 filters read outside the image in scipy 1.10 (up to **0.039** on MNIST).\n"),
		"gabor_results":         js(results.GaborSVM{BestValAccuracy: 0.9321, NFeatures: 3136, Components: 50, BestC: 10}),
		"samples":               grid("sample", 8),
		"training_plot":         lines("training"),
		"validation_plot":       lines("validation"),
		"comparison_plot":       lines("comparison"),
		"torch_training_plot":   lines("torch training"),
		"torch_validation_plot": lines("torch validation"),
		"gradcheck": js(results.GradCheck{Epsilon: 1e-4, Tol: 1e-6, MaxAbsErr: 6.18e-10,
			MaxAbsErrBy: map[string]float64{"linear/W": 3.97e-11, "relu/h": 0.0}, Entries: []results.GradEntry{}}),
		"self_curves":  curves(1),
		"torch_curves": curves(0.8),
	}
}

func TestReportBuild(t *testing.T) {
	in := fixtures(t)
	page, err := Build(in, nil)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Build(in, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(page.HTML, again.HTML) || !bytes.Equal(page.ResultsJSON, again.ResultsJSON) {
		t.Error("same inputs gave different bytes")
	}
	html := string(page.HTML)
	// Sections in the assignment's order, all ok.
	ids := regexp.MustCompile(`<section id="(\w+)"(?: class="problem-start")? data-status="(\w+)"`).FindAllStringSubmatch(html, -1)
	var order []string
	for _, m := range ids {
		order = append(order, m[1])
		if m[2] != StatusOK {
			t.Errorf("section %s is %s", m[1], m[2])
		}
	}
	if got := strings.Join(order, " "); got != "p1a p1b p1f p1g p1h p3a p3b p3c p3d" {
		t.Errorf("sections %s", got)
	}
	// Every image embedded, nothing fetched.
	if n := strings.Count(html, `src="data:image/png;base64,`); n != 12 {
		t.Errorf("%d embedded images, want 12", n)
	}
	// Problems 1 and 3 each start a printed page.
	if got := regexp.MustCompile(`<section id="(\w+)" class="problem-start"`).FindAllStringSubmatch(html, -1); len(got) != 2 || got[0][1] != "p1a" || got[1][1] != "p3a" {
		t.Errorf("problem starts %v, want p1a and p3a", got)
	}
	// p3d's table has one column per network, headed by its caption.
	if !strings.Contains(html, `<th title="self_curves">From-scratch network</th><th title="torch_curves">PyTorch network</th>`) {
		t.Error("p3d results table lacks its network columns")
	}
	if regexp.MustCompile(`(?i)(src|href)="(https?:|//|file:)`).MatchString(html) {
		t.Error("page refers to an external resource")
	}
	if !strings.Contains(html, "<strong>10</strong>") || !strings.Contains(html, "&lt;b&gt;not html&lt;/b&gt;") {
		t.Error("markdown table not rendered or not escaped")
	}
	// Numbers: results.json round-trips and holds the highlights.
	var res Results
	if err := json.Unmarshal(page.ResultsJSON, &res); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		sec, in, key string
		want         any
	}{
		{"p1f", "baseline_metrics", "val_accuracy", 0.1135},
		{"p1g", "grid_results", "val_accuracy", 0.9655},
		{"p1h", "gabor_results", "best_val_accuracy", 0.9321},
		{"p3d", "self_curves", "final_val_error", 0.8 / 1.1},
		{"p3d", "torch_curves", "final_train_loss", 2.3 * 0.8 / (1 + 999.0/100)},
	} {
		v, ok := res.Highlight(c.sec, c.in, c.key)
		if f, isF := v.(float64); !ok || !isF || math.Abs(f-c.want.(float64)) > 1e-12 {
			t.Errorf("highlight %s/%s/%s = %v, want %v", c.sec, c.in, c.key, v, c.want)
		}
	}
	var sum struct {
		TrainLoss struct {
			Len  int
			Last float64
		} `json:"train_loss"`
	}
	if err := json.Unmarshal(res.Sections["p3d"].Data["self_curves"], &sum); err != nil || sum.TrainLoss.Len != 1000 ||
		math.Abs(sum.TrainLoss.Last-2.3/(1+999.0/100)) > 1e-12 {
		t.Errorf("long array summary %+v, %v", sum, err)
	}
	// Shown as the page shows them (the typed values, not read back).
	if v, _ := page.Results.Highlight("p3b", "gradcheck", "max_abs_err"); formatValue(v) != "6.18e-10" {
		t.Errorf("gradient check max error shown as %q", formatValue(v))
	}
	if v, _ := page.Results.Highlight("p3b", "gradcheck", "max_abs_err_by"); formatValue(v) != "linear/W=3.97e-11, relu/h=0" {
		t.Errorf("gradient check errors by layer shown as %q", formatValue(v))
	}
	if bp, _ := page.Results.Highlight("p1g", "grid_results", "best_params"); formatValue(bp) != "C=10, gamma=scale, kernel=rbf" {
		t.Errorf("best_params shown as %q", formatValue(bp))
	}
}

func TestReportMissing(t *testing.T) {
	in := fixtures(t)
	for _, k := range []string{"gabor_kernels", "gabor_responses", "gabor_pairs", "gabor_note", "gabor_results", "torch_curves"} {
		delete(in, k)
	}
	page, err := Build(in, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s := page.Results.Sections["p1h"]; s.Status != StatusMissing || len(s.Missing) != 5 {
		t.Errorf("p1h %+v", s)
	}
	if s := page.Results.Sections["p3d"]; s.Status != StatusPartial || strings.Join(s.Missing, ",") != "torch_curves" {
		t.Errorf("p3d %+v", s)
	}
	if !strings.Contains(string(page.HTML), `<section id="p1h" data-status="missing">`) ||
		!strings.Contains(string(page.HTML), "Not produced by this pipeline") {
		t.Error("missing section not rendered as such")
	}
	_, err = Build(in, &Options{Require: []string{"p1a", "p1h", "p3d"}})
	var me *MissingError
	if !errors.As(err, &me) || len(me.Sections) != 2 || !strings.Contains(err.Error(), "p1h lacks gabor_kernels") {
		t.Errorf("Require: %v", err)
	}
	if _, err := Build(in, &Options{Require: []string{"p9z"}}); err == nil || !strings.Contains(err.Error(), "p9z") {
		t.Errorf("unknown required section: %v", err)
	}
}

func TestReportBadInputs(t *testing.T) {
	for _, c := range []struct {
		name, key string
		data      []byte
		want      string
	}{
		{"unknown key", "gabor_kernel", []byte("x"), "unknown input key(s) gabor_kernel"},
		{"not an image", "digit", []byte("{\"a\":1}"), "report: input digit: not an image"},
		{"bad png", "samples", []byte("\x89PNG\r\n\x1a\nxxxxxxxxxxxxxxxxxxxxxxxx"), "report: input samples: undecodable image/png"},
		{"bad json", "grid_results", []byte("{nope"), "report: input grid_results: invalid JSON"},
		{"unknown field", "baseline_metrics", []byte(`{"val_acc": 1}`), `report: input baseline_metrics: invalid JSON: json: unknown field "val_acc"`},
		{"two documents", "self_curves", []byte(`{} {}`), "report: input self_curves: invalid JSON: data after"},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := fixtures(t)
			in[c.key] = c.data
			_, err := Build(in, nil)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want %q", err, c.want)
			}
		})
	}
}

// chromium returns the browser, skipping the test without one unless
// CI=true, where a missing browser fails.
func chromium(t *testing.T) string {
	t.Helper()
	p, err := FindChromium()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	return p
}

// AssertRendered fails t unless every image loaded and every required
// section is present in bc.
func assertRendered(t *testing.T, bc *BrowserCheck, images int, required []string) {
	t.Helper()
	if bc.Images != images || bc.Loaded != images || len(bc.Broken) != 0 {
		t.Errorf("browser: %d images, %d loaded, broken %v; want %d loaded", bc.Images, bc.Loaded, bc.Broken, images)
	}
	for _, id := range required {
		if bc.Sections[id] != StatusOK {
			t.Errorf("browser: section %s is %q, want ok", id, bc.Sections[id])
		}
	}
}

// TestReportBrowser renders the page in headless Chromium: every image
// must decode and every section be present. The screenshot is kept in
// $HW1PIPE_SCREENSHOT_DIR when set, for a person to look at.
func TestReportBrowser(t *testing.T) {
	chrome := chromium(t)
	in := fixtures(t)
	page, err := Build(in, &Options{Require: []string{"p1a", "p1b", "p1f", "p1g", "p1h", "p3a", "p3b", "p3c", "p3d"}})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	index := filepath.Join(dir, "index.html")
	if err := os.WriteFile(index, page.HTML, 0o644); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "report.png")
	if d := os.Getenv("HW1PIPE_SCREENSHOT_DIR"); d != "" {
		shot = filepath.Join(d, "report.png")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	bc, err := CheckInBrowser(ctx, chrome, index, shot, 1280, 5200)
	if err != nil {
		t.Fatal(err)
	}
	assertRendered(t, bc, 12, page.Results.Order)
	if fi, err := os.Stat(shot); err != nil || fi.Size() < 10000 {
		t.Errorf("screenshot %v (%v)", fi, err)
	}

	// The detector catches what it exists for: a broken image and an
	// absent section.
	t.Run("broken", func(t *testing.T) {
		delete(in, "torch_curves")
		delete(in, "samples")
		page, err := Build(in, nil)
		if err != nil {
			t.Fatal(err)
		}
		h := regexp.MustCompile(`(data-key="digit_resized"[^>]*src="data:image/png;base64,)[^"]*"`).
			ReplaceAllString(string(page.HTML), `${1}iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJ"`)
		if err := os.WriteFile(index, []byte(h), 0o644); err != nil {
			t.Fatal(err)
		}
		bc, err := CheckInBrowser(ctx, chrome, index, "", 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if bc.Images != 11 || bc.Loaded != 10 || strings.Join(bc.Broken, ",") != "digit_resized" {
			t.Errorf("broken image not detected: %+v", bc)
		}
		if bc.Sections["p3a"] != StatusMissing || bc.Sections["p3d"] != StatusPartial {
			t.Errorf("absent sections not reported: %v", bc.Sections)
		}
	})
}

// poppler returns the path of each poppler-utils tool, skipping the test
// without them unless CI=true.
func poppler(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") == "true" {
				t.Fatalf("%s not installed (Debian: poppler-utils; make test installs it)", tool)
			}
			t.Skipf("%s not installed (Debian: poppler-utils)", tool)
		}
	}
}

// PDFPages returns the text of each page of the PDF at path (pdftotext
// separates pages with form feeds), with runs of white space collapsed.
func pdfPages(t *testing.T, path string) []string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pages := strings.Split(strings.TrimSuffix(string(out), "\f"), "\f")
	for i, p := range pages {
		pages[i] = strings.Join(strings.Fields(p), " ")
	}
	return pages
}

// PDFImagePages returns, for each image drawn in the PDF at path, the
// page it is on (pdfimages -list, soft masks left out). An image split
// across two pages is drawn, and listed, twice.
func pdfImagePages(t *testing.T, path string) []int {
	t.Helper()
	out, err := exec.Command("pdfimages", "-list", path).Output()
	if err != nil {
		t.Fatalf("pdfimages: %v", err)
	}
	var pages []int
	for i, ln := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(ln)
		if i < 2 || len(f) < 3 || f[2] != "image" {
			continue // the two header lines, and smask rows
		}
		var p int
		fmt.Sscan(f[0], &p)
		pages = append(pages, p)
	}
	return pages
}

// TestReportPDF prints the page with headless Chromium and reads the PDF
// back with poppler-utils: a title page, then every section title in
// order, Problem 3 starting a new page, and every figure drawn exactly
// once (so on one page, not split). Printing twice gives the same bytes.
func TestReportPDF(t *testing.T) {
	chrome := chromium(t)
	poppler(t, "pdftotext", "pdfimages", "pdfinfo")
	page, err := Build(fixtures(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	index := filepath.Join(dir, "index.html")
	if err := os.WriteFile(index, page.HTML, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	pdf, err := PrintPDF(ctx, chrome, index)
	if err != nil {
		t.Fatal(err)
	}
	again, err := PrintPDF(ctx, chrome, index)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(pdf, again) {
		t.Error("the same page printed twice gave different PDFs")
	}
	path := filepath.Join(dir, "report.pdf")
	if d := os.Getenv("HW1PIPE_SCREENSHOT_DIR"); d != "" {
		path = filepath.Join(d, "report.pdf")
	}
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}

	info, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)$`).FindSubmatch(info)
	pages := pdfPages(t, path)
	if m == nil || string(m[1]) != fmt.Sprint(len(pages)) {
		t.Fatalf("pdfinfo says %q, pdftotext found %d pages", m, len(pages))
	}
	// The title page, at least one page per problem, and not one page per
	// figure either.
	if len(pages) < 3 || len(pages) > 20 {
		t.Errorf("%d pages", len(pages))
	}
	// Page 1 holds the title and the contents (every title, as links);
	// each section's heading must come after it, in order.
	at, prev := map[string]int{}, 1
	for _, s := range Sections() {
		p := 0
		for i := prev - 1; i < len(pages); i++ {
			if i > 0 && strings.Contains(pages[i], s.Title) {
				p = i + 1
				break
			}
		}
		if p == 0 {
			t.Errorf("section title %q not on any page from %d on", s.Title, prev)
			continue
		}
		at[s.ID], prev = p, p
	}
	if at["p1a"] != 2 {
		t.Errorf("Problem 1 starts on page %d, want 2 (after the contents)", at["p1a"])
	}
	if p := at["p3a"]; p > 0 && strings.Contains(pages[p-1], "Problem 1 (h)") {
		t.Errorf("Problem 3 shares page %d with Problem 1", p)
	}
	imgs := pdfImagePages(t, path)
	if len(imgs) != 12 {
		t.Errorf("pdfimages lists %d images on pages %v, want the page's 12 figures once each", len(imgs), imgs)
	}
}

// TestSummaryIsJSON checks the data block against encoding/json: a
// document without long arrays comes out as encoding/json re-encodes it
// after a generic decode (sorted keys, float64 numbers), which is what
// the block held before the inputs were typed.
func TestSummaryIsJSON(t *testing.T) {
	docs := [][]byte{
		[]byte(`{"b": [1, 2.5, -0.000001, 1e21], "a": {"z": null, "y": true, "x": "<&>"}, "c": [], "d": {}, "a2": [{"k": 1}]}`),
		[]byte(`{"seed": 20, "seed": 21, "big": 12345678901234567890}`),
	}
	for _, k := range []string{"baseline_metrics", "grid_results", "gradcheck"} {
		docs = append(docs, fixtures(t)[k])
	}
	for _, doc := range docs {
		got, err := summary(doc)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(doc, &v); err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(v)
		if !bytes.Equal(got, want) {
			t.Errorf("summary\n%s\nencoding/json\n%s", got, want)
		}
	}
	// Long arrays: numbers by their statistics, records by their ends.
	long := func(elem string) string { return "[" + strings.Repeat(elem+",", MaxArray) + elem + "]" }
	got, _ := summary([]byte(`{"n": ` + long("2") + `, "r": ` + long(`{"k": [3]}`) + `}`))
	want := `{"n":{"first":2,"last":2,"len":101,"max":2,"mean_last_100":2,"min":2},"r":{"first":{"k":[3]},"last":{"k":[3]},"len":101}}`
	if string(got) != want {
		t.Errorf("long arrays:\n%s\nwant\n%s", got, want)
	}
}

// TestJSONInputsTyped checks that every JSON input of a section has a
// results type.
func TestJSONInputsTyped(t *testing.T) {
	for _, s := range Sections() {
		for _, in := range s.Inputs {
			if _, ok := jsonReaders[in.Key]; (in.Kind == JSON) != ok {
				t.Errorf("input %s: kind %v, typed reader %v", in.Key, in.Kind, ok)
			}
		}
	}
}
