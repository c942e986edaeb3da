package regress

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
)

// Tolerance bounds the difference allowed between a number and its
// golden value: |got-want| <= max(Abs, Rel*|want|).
type Tolerance struct {
	Abs float64 `json:"abs"`
	Rel float64 `json:"rel"`
}

func (t Tolerance) String() string {
	switch {
	case t.Abs == 0 && t.Rel == 0:
		return "exact"
	case t.Rel == 0:
		return "abs " + fmtNum(t.Abs)
	case t.Abs == 0:
		return "rel " + fmtNum(t.Rel)
	}
	return "abs " + fmtNum(t.Abs) + " or rel " + fmtNum(t.Rel)
}

// within reports whether got is within t of want.
func (t Tolerance) within(got, want float64) bool {
	return math.Abs(got-want) <= math.Max(t.Abs, t.Rel*math.Abs(want))
}

// Rule gives the tolerance of the values whose name matches Match.
type Rule struct {
	// Match is a pattern over "stage.output:value" in which * matches any
	// run of characters (dots and slashes included).
	Match string `json:"match"`
	Tolerance
	// Why says where the bound comes from, for the reader.
	Why string `json:"why,omitempty"`
}

// Tolerances is the committed tolerance table: the first rule that
// matches a value gives its tolerance, Default otherwise.
type Tolerances struct {
	Default Tolerance `json:"default"`
	Rules   []Rule    `json:"rules"`
}

// ReadTolerances reads a tolerance table written as JSON.
func ReadTolerances(path string) (*Tolerances, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return DecodeTolerances(f)
}

// DecodeTolerances decodes a tolerance table.
func DecodeTolerances(r io.Reader) (*Tolerances, error) {
	var t Tolerances
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("regress: decode tolerances: %w", err)
	}
	return &t, nil
}

// For returns the tolerance of a value named "stage.output:value".
func (t *Tolerances) For(name string) Tolerance {
	if t == nil {
		return Tolerance{}
	}
	for _, r := range t.Rules {
		if globMatch(r.Match, name) {
			return r.Tolerance
		}
	}
	return t.Default
}

// globMatch matches s against pattern, where * matches any run of
// characters and everything else matches itself.
func globMatch(pattern, s string) bool {
	parts := strings.Split(pattern, "*")
	if len(parts) == 1 {
		return pattern == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return strings.HasSuffix(s, parts[len(parts)-1])
}

// Mismatch is one difference between a run and its golden.
type Mismatch struct {
	// Stage and Output locate it; Output is "" for a whole stage. Path is
	// the output's path under the outdir.
	Stage, Output, Path string
	// Key is the value's name, "" for the file itself.
	Key string
	// Msg says what differs.
	Msg string
	// Detail lists, for a changed sha256, the values that moved (within
	// tolerance or not).
	Detail []string
}

func (m Mismatch) String() string {
	var b strings.Builder
	b.WriteString(m.Stage)
	if m.Path != "" || m.Output != "" || m.Key != "" {
		b.WriteString(":")
	}
	if m.Path != "" {
		b.WriteString(" " + m.Path)
	} else if m.Output != "" {
		b.WriteString(" " + m.Output)
	}
	if m.Key != "" {
		b.WriteString(" " + m.Key)
	}
	b.WriteString(": " + m.Msg)
	for _, d := range m.Detail {
		b.WriteString("\n    " + d)
	}
	return b.String()
}

// CompareOptions adjusts Compare. The zero value compares everything.
type CompareOptions struct {
	// IgnoreSHA reports changed hashes as nothing: only the values are
	// compared (for a run on another machine, whose libtorch may round
	// differently).
	IgnoreSHA bool
}

// Compare returns every difference between got and the golden want,
// stages and outputs in sorted order.
func Compare(got, want *Golden, tol *Tolerances, opts *CompareOptions) []Mismatch {
	if opts == nil {
		opts = &CompareOptions{}
	}
	var out []Mismatch
	for _, name := range unionKeys(got.Stages, want.Stages) {
		g, w := got.Stages[name], want.Stages[name]
		switch {
		case w == nil:
			out = append(out, Mismatch{Stage: name, Msg: "stage not in the golden (new stage? regenerate the goldens)"})
			continue
		case g == nil:
			out = append(out, Mismatch{Stage: name, Msg: "stage in the golden but not in this run"})
			continue
		case g.Kind != w.Kind:
			out = append(out, Mismatch{Stage: name, Msg: fmt.Sprintf("kind %s, golden %s", g.Kind, w.Kind)})
		}
		for _, key := range unionKeys(g.Files, w.Files) {
			gf, wf := g.Files[key], w.Files[key]
			switch {
			case wf == nil:
				out = append(out, Mismatch{Stage: name, Output: key, Path: gf.Path, Msg: "output not in the golden"})
				continue
			case gf == nil:
				out = append(out, Mismatch{Stage: name, Output: key, Path: wf.Path, Msg: "output in the golden but not written"})
				continue
			}
			out = append(out, compareFile(name, key, gf, wf, tol, opts)...)
		}
	}
	return out
}

func compareFile(stage, key string, got, want *File, tol *Tolerances, opts *CompareOptions) []Mismatch {
	var out []Mismatch
	at := func(k, msg string) Mismatch {
		return Mismatch{Stage: stage, Output: key, Path: want.Path, Key: k, Msg: msg}
	}
	if got.Path != want.Path {
		out = append(out, at("", fmt.Sprintf("path %s, golden %s", got.Path, want.Path)))
	}
	var moved []string // values that differ at all, for a changed hash
	for _, k := range unionKeys(got.Values, want.Values) {
		g, gok := got.Values[k]
		w, wok := want.Values[k]
		name := stage + "." + key + ":" + k
		switch {
		case !wok:
			out = append(out, at(k, fmt.Sprintf("new value %s (not in the golden)", fmtValue(g))))
			continue
		case !gok:
			out = append(out, at(k, fmt.Sprintf("missing (golden %s)", fmtValue(w))))
			continue
		}
		gf, gnum := g.(float64)
		wf, wnum := w.(float64)
		if gnum && wnum {
			if gf == wf {
				continue
			}
			t := tol.For(name)
			msg := fmt.Sprintf("got %s, golden %s (tolerance %s)", fmtNum(gf), fmtNum(wf), t)
			if t.within(gf, wf) {
				moved = append(moved, fmt.Sprintf("%s: %s: within tolerance", k, msg))
				continue
			}
			out = append(out, at(k, msg))
			moved = append(moved, fmt.Sprintf("%s: %s: OUTSIDE tolerance", k, msg))
			continue
		}
		if fmtValue(g) != fmtValue(w) {
			out = append(out, at(k, fmt.Sprintf("got %s, golden %s", fmtValue(g), fmtValue(w))))
			moved = append(moved, fmt.Sprintf("%s: got %s, golden %s", k, fmtValue(g), fmtValue(w)))
		}
	}
	if got.Masked != want.Masked {
		out = append(out, at("", fmt.Sprintf("%d wall-clock values masked, golden %d", got.Masked, want.Masked)))
	}
	if got.SHA256 != want.SHA256 && !opts.IgnoreSHA {
		m := at("", fmt.Sprintf("sha256 changed (%.12s..., golden %.12s...)", got.SHA256, want.SHA256))
		if len(moved) == 0 {
			m.Detail = []string{"no recorded value moved: the change is in content the values do not cover"}
		} else {
			m.Detail = moved
		}
		out = append(out, m)
	}
	return out
}

func unionKeys[V any](a, b map[string]V) []string {
	seen := map[string]bool{}
	var keys []string
	for _, m := range []map[string]V{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	return keys
}

func fmtNum(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

func fmtValue(v any) string {
	switch x := v.(type) {
	case float64:
		return fmtNum(x)
	case string:
		return strconv.Quote(x)
	}
	return fmt.Sprint(v)
}
