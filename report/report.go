package report

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"image"
	_ "image/gif" // figures may be GIF
	_ "image/jpeg"
	_ "image/png"
	"maps"
	"math"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"hw1pipe/results"
)

// Kind is what an input holds, and so how it is shown.
type Kind int

const (
	// Image is a PNG, JPEG or GIF figure, embedded as a data: URI.
	Image Kind = iota
	// JSON is a metrics file: highlights on top, the whole in a
	// collapsed block, its content in results.json.
	JSON
	// Markdown is a table or note, rendered (headings, pipe tables,
	// **bold**, paragraphs).
	Markdown
)

// Input is one input of a section.
type Input struct {
	Key     string
	Kind    Kind
	Caption string
}

// Section is one part of the assignment.
type Section struct {
	// ID is the HTML id: "p1a", ..., "p3d".
	ID     string
	Title  string
	Inputs []Input
}

// Sections returns the report's sections in the assignment's order. The
// slice is new on each call.
func Sections() []Section {
	return []Section{
		{"p1a", "Problem 1 (a): an MNIST digit", []Input{
			{"digit", Image, "A training image at 28x28."}}},
		{"p1b", "Problem 1 (b): the same digit resized to 14x14", []Input{
			{"digit_resized", Image, "Resized with OpenCV INTER_LINEAR semantics."}}},
		{"p1f", "Problem 1 (f): baseline SVC (rbf, gamma='auto')", []Input{
			{"baseline_metrics", JSON, "Validation accuracy, support vectors and confusion matrix."},
			{"confusion_png", Image, "Confusion matrix on the validation split (rows true, columns predicted)."}}},
		{"p1g", "Problem 1 (g): grid search over C, kernel and gamma", []Input{
			{"grid_results", JSON, "Best parameters, CV score and validation accuracy of the refitted model."},
			{"grid_md", Markdown, "Every candidate's cross-validation scores."}}},
		{"p1h", "Problem 1 (h): Gabor features", []Input{
			{"gabor_kernels", Image, "The example kernel gabor_kernel(0.1, pi/4, bandwidth=1): real and imaginary parts."},
			{"gabor_responses", Image, "One training digit, one filter of the bank, and the real response that becomes 196 of the 3,136 features."},
			{"gabor_pairs", Image, "Eight (real, imaginary) kernel pairs of the 16-filter bank, spanning its orientations and scales."},
			{"gabor_note", Markdown, "Where scikit-image's own gabor() is wrong on these images, and by how much."},
			{"gabor_results", JSON, "SVC on PCA of the Gabor features."}}},
		{"p3a", "Problem 3 (a): sample training images", []Input{
			{"samples", Image, "Images from the 50% subset."}}},
		{"p3b", "Problem 3 (b): training loss and error", []Input{
			{"training_plot", Image, "Loss and error of every update (from-scratch network)."},
			{"gradcheck", JSON, "Gradient check of the from-scratch layers before training: largest |analytic - central difference| per layer and parameter"}}},
		{"p3c", "Problem 3 (c): validation loss and error", []Input{
			{"validation_plot", Image, "Measured every 1,000 updates (from-scratch network)."}}},
		{"p3d", "Problem 3 (d): from-scratch network vs PyTorch", []Input{
			{"torch_training_plot", Image, "PyTorch network: loss and error of every update, as 3(b) shows them for the from-scratch network."},
			{"torch_validation_plot", Image, "PyTorch network: validation loss and error measured every 1,000 updates, as 3(c)."},
			{"comparison_plot", Image, "Both networks: training loss (mean of 100 updates), validation loss and validation error."},
			{"self_curves", JSON, "From-scratch network"},
			{"torch_curves", JSON, "PyTorch network"}}},
	}
}

// InputKeys returns every input key, in section order.
func InputKeys() []string {
	var keys []string
	for _, s := range Sections() {
		for _, in := range s.Inputs {
			keys = append(keys, in.Key)
		}
	}
	return keys
}

// Options tune Build. A nil *Options means the zero value.
type Options struct {
	// Title is the page's title. Default DefaultTitle.
	Title string
	// Require lists section ids that must have every input.
	Require []string
}

// DefaultTitle is the page title when Options.Title is empty.
const DefaultTitle = "ESE 546 HW1: results"

// inputError reports an input whose content does not fit its key.
type inputError struct {
	Key string
	Err error
}

func (e *inputError) Error() string { return fmt.Sprintf("report: input %s: %v", e.Key, e.Err) }

func (e *inputError) Unwrap() error { return e.Err }

// UnknownInputError reports input keys that no section shows.
type UnknownInputError struct {
	Keys []string
}

func (e *UnknownInputError) Error() string {
	return fmt.Sprintf("report: unknown input key(s) %s (known: %s)", strings.Join(e.Keys, ", "), strings.Join(InputKeys(), ", "))
}

// MissingError reports required sections that lack inputs.
type MissingError struct {
	// Sections maps a section id to its missing input keys.
	Sections map[string][]string
}

func (e *MissingError) Error() string {
	ids := make([]string, 0, len(e.Sections))
	for id := range e.Sections {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var parts []string
	for _, id := range ids {
		parts = append(parts, fmt.Sprintf("%s lacks %s", id, strings.Join(e.Sections[id], ", ")))
	}
	return "report: required sections not produced: " + strings.Join(parts, "; ")
}

// Status values of a section.
const (
	StatusOK      = "ok"
	StatusPartial = "partial"
	StatusMissing = "missing"
)

// Results is results.json.
type Results struct {
	// Format is 1.
	Format int `json:"format"`
	// Order lists the section ids in the assignment's order.
	Order    []string                  `json:"order"`
	Sections map[string]*SectionResult `json:"sections"`
}

// SectionResult is one section's numbers.
type SectionResult struct {
	Title   string   `json:"title"`
	Status  string   `json:"status"`
	Missing []string `json:"missing"`
	// Highlights are the headline numbers, in display order.
	Highlights []Highlight `json:"highlights"`
	// Data holds each JSON input's content by input key, long arrays
	// summarised, object keys sorted.
	Data map[string]json.RawMessage `json:"data"`
}

// Highlight is one headline number (or short text such as best params).
type Highlight struct {
	// Input is the JSON input it came from; Key names it there
	// ("val_accuracy", "final_val_error").
	Input string `json:"input"`
	Key   string `json:"key"`
	Value any    `json:"value"`
}

// Highlight returns the value of a highlight and whether it exists.
func (r *Results) Highlight(section, input, key string) (any, bool) {
	s := r.Sections[section]
	if s == nil {
		return nil, false
	}
	for _, h := range s.Highlights {
		if h.Input == input && h.Key == key {
			return h.Value, true
		}
	}
	return nil, false
}

// Page is what Build makes.
type Page struct {
	HTML    []byte
	Results *Results
	// ResultsJSON is Results encoded, indented, with a final newline.
	ResultsJSON []byte
}

// MaxArray is the longest numeric array results.json keeps as is.
const MaxArray = 100

// Build renders the report from the inputs given (key -> content).
func Build(inputs map[string][]byte, opt *Options) (*Page, error) {
	var o Options
	if opt != nil {
		o = *opt
	}
	if o.Title == "" {
		o.Title = DefaultTitle
	}
	if err := checkKeys(inputs); err != nil {
		return nil, err
	}
	res := &Results{Format: 1, Sections: map[string]*SectionResult{}}
	var body bytes.Buffer
	var toc strings.Builder
	prevProblem := ""
	for _, s := range Sections() {
		// Each problem starts on a new page when printed.
		problem, _, _ := strings.Cut(s.Title, "(")
		sr, err := section(&body, s, inputs, problem != prevProblem)
		prevProblem = problem
		if err != nil {
			return nil, err
		}
		res.Order = append(res.Order, s.ID)
		res.Sections[s.ID] = sr
		fmt.Fprintf(&toc, `<li><a href="#%s">%s</a> <span class="st st-%s">%s</span></li>`,
			s.ID, esc(s.Title), sr.Status, sr.Status)
	}
	if err := checkRequired(o.Require, res); err != nil {
		return nil, err
	}
	rj, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("report: results.json: %w", err)
	}
	var page bytes.Buffer
	page.WriteString(strings.NewReplacer(
		"{{TITLE}}", esc(o.Title),
		"{{STYLE}}", style,
		"{{TOC}}", toc.String(),
	).Replace(head))
	page.Write(body.Bytes())
	page.WriteString(tail)
	return &Page{HTML: page.Bytes(), Results: res, ResultsJSON: append(rj, '\n')}, nil
}

// checkKeys returns an *UnknownInputError for input keys no section
// shows.
func checkKeys(inputs map[string][]byte) error {
	known := map[string]bool{}
	for _, k := range InputKeys() {
		known[k] = true
	}
	var unknown []string
	for k := range inputs {
		if !known[k] {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return &UnknownInputError{Keys: unknown}
	}
	return nil
}

// checkRequired fails when a required section is unknown or not ok.
func checkRequired(require []string, res *Results) error {
	var unknown []string
	missing := map[string][]string{}
	for _, id := range require {
		switch sr := res.Sections[id]; {
		case sr == nil:
			unknown = append(unknown, id)
		case sr.Status != StatusOK:
			missing[id] = sr.Missing
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return fmt.Errorf("report: Require names unknown sections %s", strings.Join(slices.Compact(unknown), ", "))
	}
	if len(missing) > 0 {
		return &MissingError{Sections: missing}
	}
	return nil
}

func esc(s string) string { return html.EscapeString(s) }

func section(w *bytes.Buffer, s Section, inputs map[string][]byte, first bool) (*SectionResult, error) {
	sr := &SectionResult{Title: s.Title, Missing: []string{}, Highlights: []Highlight{}, Data: map[string]json.RawMessage{}}
	for _, in := range s.Inputs {
		if _, ok := inputs[in.Key]; !ok {
			sr.Missing = append(sr.Missing, in.Key)
		}
	}
	switch len(sr.Missing) {
	case 0:
		sr.Status = StatusOK
	case len(s.Inputs):
		sr.Status = StatusMissing
	default:
		sr.Status = StatusPartial
	}
	class := ""
	if first {
		class = ` class="problem-start"`
	}
	fmt.Fprintf(w, "<section id=\"%s\"%s data-status=\"%s\">\n<h2>%s</h2>\n", s.ID, class, sr.Status, esc(s.Title))
	if sr.Status == StatusMissing {
		fmt.Fprintf(w, "<p class=\"missing\">Not produced by this pipeline (no input %s).</p>\n</section>\n",
			esc(strings.Join(sr.Missing, ", ")))
		return sr, nil
	}
	// Highlights first: they are what a reader looks for.
	var blocks bytes.Buffer
	for _, in := range s.Inputs {
		b, ok := inputs[in.Key]
		if !ok {
			fmt.Fprintf(&blocks, "<p class=\"missing\" data-key=\"%s\">%s: not produced by this pipeline.</p>\n", in.Key, esc(in.Key))
			continue
		}
		if err := inputBlock(&blocks, sr, in, b); err != nil {
			return nil, &inputError{Key: in.Key, Err: err}
		}
	}
	captions := map[string]string{}
	for _, in := range s.Inputs {
		captions[in.Key] = in.Caption
	}
	highlightTable(w, sr.Highlights, captions)
	w.Write(blocks.Bytes())
	w.WriteString("</section>\n")
	return sr, nil
}

// inputBlock renders one present input into w; a JSON input also adds
// its data block and highlights to sr.
func inputBlock(w *bytes.Buffer, sr *SectionResult, in Input, b []byte) error {
	switch in.Kind {
	case Image:
		tag, err := imageTag(in, b)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "<figure>%s<figcaption>%s</figcaption></figure>\n", tag, esc(in.Caption))
	case JSON:
		doc, hs, err := jsonReaders[in.Key](b)
		if err == nil {
			sr.Data[in.Key], err = summary(doc)
		}
		if err != nil {
			return err
		}
		for _, h := range hs {
			sr.Highlights = append(sr.Highlights, Highlight{Input: in.Key, Key: h.key, Value: h.val})
		}
		pretty, _ := json.MarshalIndent(sr.Data[in.Key], "", "  ")
		fmt.Fprintf(w, "<details><summary>%s (%s)</summary><pre>%s</pre></details>\n",
			esc(in.Caption), esc(in.Key), esc(string(pretty)))
	case Markdown:
		w.WriteString("<div class=\"md\">\n")
		w.WriteString(markdown(string(b)))
		w.WriteString("</div>\n")
	}
	return nil
}

// highlightTable shows one input's highlights as name/value rows, and
// several inputs' side by side (one column per input, headed by its
// caption, e.g. the two networks of p3d).
func highlightTable(w *bytes.Buffer, hs []Highlight, captions map[string]string) {
	if len(hs) == 0 {
		return
	}
	var inputs, keys []string
	val := map[[2]string]any{}
	for _, h := range hs {
		if !slices.Contains(inputs, h.Input) {
			inputs = append(inputs, h.Input)
		}
		if !slices.Contains(keys, h.Key) {
			keys = append(keys, h.Key)
		}
		val[[2]string{h.Input, h.Key}] = h.Value
	}
	w.WriteString("<table class=\"hl\">\n")
	if len(inputs) == 1 {
		for _, h := range hs {
			fmt.Fprintf(w, "<tr><th>%s</th><td>%s</td><td class=\"src\">%s</td></tr>\n",
				esc(label(h.Key)), esc(formatValue(h.Value)), esc(h.Input))
		}
		w.WriteString("</table>\n")
		return
	}
	w.WriteString("<tr><th></th>")
	for _, in := range inputs {
		fmt.Fprintf(w, "<th title=\"%s\">%s</th>", esc(in), esc(captions[in]))
	}
	w.WriteString("</tr>\n")
	for _, k := range keys {
		fmt.Fprintf(w, "<tr><th>%s</th>", esc(label(k)))
		for _, in := range inputs {
			v, ok := val[[2]string{in, k}]
			s := "-"
			if ok {
				s = formatValue(v)
			}
			fmt.Fprintf(w, "<td>%s</td>", esc(s))
		}
		w.WriteString("</tr>\n")
	}
	w.WriteString("</table>\n")
}

func imageTag(in Input, b []byte) (string, error) {
	mime := http.DetectContentType(b)
	switch mime {
	case "image/png", "image/jpeg", "image/gif":
	default:
		return "", fmt.Errorf("not an image (content type %s)", mime)
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		return "", fmt.Errorf("undecodable %s: %v", mime, err)
	}
	return fmt.Sprintf(`<img data-key="%s" alt="%s" width="%d" height="%d" src="data:%s;base64,%s">`,
		in.Key, esc(in.Caption), cfg.Width, cfg.Height, mime, base64.StdEncoding.EncodeToString(b)), nil
}

func label(key string) string { return strings.ReplaceAll(key, "_", " ") }

func formatValue(v any) string {
	switch x := v.(type) {
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e15 {
			return fmt.Sprintf("%.0f", x)
		}
		if math.Abs(x) < 1e-3 {
			// Four decimals would show a gradient check's 6e-10 as 0.
			return fmt.Sprintf("%.3g", x)
		}
		return fmt.Sprintf("%.4f", x)
	case int:
		return strconv.Itoa(x)
	case results.BestParams:
		g := x.Gamma.Name
		if g == "" {
			g = formatValue(x.Gamma.Value)
		}
		return "C=" + formatValue(x.C) + ", gamma=" + g + ", kernel=" + x.Kernel
	case map[string]float64:
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(x)) {
			parts = append(parts, k+"="+formatValue(x[k]))
		}
		return strings.Join(parts, ", ")
	case nil:
		return "None"
	}
	return fmt.Sprint(v)
}
