package stages

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"

	"hw1pipe/pipeline"
	"hw1pipe/report"
)

// reportVersion is hashed into the stage's fingerprint; bump it when the
// page or results.json would change for the same inputs.
const reportVersion = "3"

// ReportParams configures the report kind.
type ReportParams struct {
	// Title is the page's title. Default report.DefaultTitle.
	Title string `yaml:"title"`
	// Require lists section ids (p1a, p1b, p1f, p1g, p1h, p3a, p3b, p3c,
	// p3d) that must have all their inputs; the stage fails otherwise.
	// Default none: an absent section is shown as "not produced by this
	// pipeline".
	Require []string `yaml:"require"`
}

// Validate checks that every required section exists.
func (p *ReportParams) Validate() error {
	var ids []string
	for _, s := range report.Sections() {
		ids = append(ids, s.ID)
	}
	var c paramChecks
	for i, id := range p.Require {
		c.check(slices.Contains(ids, id), fmt.Sprintf("require[%d]", i), "unknown section %q (known: %s)", id, strings.Join(ids, ", "))
	}
	return c.err()
}

func reportKind() pipeline.Kind {
	return pipeline.NewKind(pipeline.Kind{
		Name:    "report",
		Version: reportVersion,
		Doc:     "one self-contained index.html (figures as data: URIs, sections in the assignment's order) + results.json",
		// Every input is optional: declare any of report.InputKeys().
		Outputs: []string{"html", "results"},
	}, func() *ReportParams { return &ReportParams{Title: report.DefaultTitle} }, runReport)
}

func runReport(ctx context.Context, env *pipeline.Env, p *ReportParams) error {
	keys := make([]string, 0, len(env.Inputs))
	for k := range env.Inputs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	in := make(map[string][]byte, len(keys))
	for i, k := range keys {
		if err := ctx.Err(); err != nil {
			return err
		}
		b, err := os.ReadFile(env.Inputs[k])
		if err != nil {
			return fmt.Errorf("read input %s: %w", k, err)
		}
		in[k] = b
		env.Progress(0.8*float64(i+1)/float64(len(keys)), "read "+k)
	}
	page, err := report.Build(in, &report.Options{Title: p.Title, Require: p.Require})
	if err != nil {
		return err
	}
	if err := writeText(env.Output("html"), string(page.HTML)); err != nil {
		return err
	}
	if err := writeText(env.Output("results"), string(page.ResultsJSON)); err != nil {
		return err
	}
	n := 0
	for _, id := range page.Results.Order {
		if page.Results.Sections[id].Status == report.StatusOK {
			n++
		}
	}
	env.Progress(1, fmt.Sprintf("%d of %d sections complete", n, len(page.Results.Order)))
	return nil
}
