package pipeline

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// loadErr loads src as pipeline.yaml with the --set values and returns
// the error text with the temporary directory cut off, "" if none. Every
// problem must be a *ConfigError.
func loadErr(t *testing.T, src string, sets ...string) (string, *Pipeline) {
	t.Helper()
	h := newHarness(t, src, map[string]string{"data/raw.txt": "raw\n"})
	var ovs []Override
	for _, s := range sets {
		o, err := ParseOverride(s)
		if err != nil {
			t.Fatal(err)
		}
		ovs = append(ovs, o)
	}
	p, err := Load(h.path("pipeline.yaml"), h.registry(), &LoadOptions{Overrides: ovs})
	if err == nil {
		return "", p
	}
	for _, e := range unjoin(err) {
		var ce *ConfigError
		if !errors.As(e, &ce) {
			t.Errorf("%v is not a *ConfigError", e)
		}
	}
	return strings.ReplaceAll(err.Error(), h.dir+"/", ""), nil
}

// TestIntegerParams: a float for an integer param is refused unless it is
// a whole number (issue 12, finding 2: yaml.v3 truncates 2.5 to 2).
func TestIntegerParams(t *testing.T) {
	const file = `params:
  seed: 1.5
stages:
  a:
    kind: src
    params:
      seed: 2.5
      nested: {a: 1e-3}
    outputs: {out: a.txt}
  b:
    kind: src
    params: {seed: .inf}
    outputs: {out: b.txt}
  c:
    kind: src
    outputs: {out: c.txt}
`
	got, _ := loadErr(t, file)
	want := `pipeline.yaml:2:9: global param "seed": 1.5 is not an integer
pipeline.yaml:7:13: stage "a": param "seed": 2.5 is not an integer
pipeline.yaml:8:19: stage "a": param "nested.a": 1e-3 is not an integer
pipeline.yaml:12:20: stage "b": param "seed": .inf is not an integer`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}

	const ok = `stages:
  a:
    kind: src
    params: {seed: 1500.7}
    outputs: {out: a.txt}
`
	got, _ = loadErr(t, ok, "a.seed=1500.7")
	want = `pipeline.yaml:4:20: stage "a": param "seed": 1500.7 is not an integer
--set a.seed=1500.7: stage "a": param "seed": 1500.7 is not an integer`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}

	// Whole numbers spelled as floats are the integers they name, as 1.0
	// and 1 already were the same param for staleness.
	for _, v := range []string{"3", "3.0", "3e0", "0.3e1", "+3.000"} {
		got, p := loadErr(t, strings.Replace(ok, "1500.7", "1", 1), "a.seed="+v)
		if got != "" {
			t.Fatalf("--set a.seed=%s: %s", v, got)
		}
		a, _ := p.Stage("a")
		if seed := a.Params.(*testParams).Seed; seed != 3 || string(a.Canon["seed"]) != "3" {
			t.Errorf("--set a.seed=%s: seed %d, canonical %s; want 3", v, seed, a.Canon["seed"])
		}
	}
	// Out of range stays refused.
	if got, _ := loadErr(t, strings.Replace(ok, "1500.7", "1", 1), "a.seed=1e30"); got != `--set a.seed=1e30: stage "a": param "seed": 1e30 is out of range for int` {
		t.Errorf("1e30 for an int: %q", got)
	}
}

// TestIntegerElements: the check reaches integers inside lists and maps.
func TestIntegerElements(t *testing.T) {
	type params struct {
		Folds []int          `yaml:"folds"`
		Sizes map[string]int `yaml:"sizes"`
		Seed  *uint32        `yaml:"seed"`
	}
	run := func(src string) (*params, error) {
		d := &paramDecoder{errs: &errorList{file: "f"}}
		p := &params{}
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
			t.Fatal(err)
		}
		d.mapping(reflect.ValueOf(p).Elem(), doc.Content[0], "")
		return p, errors.Join(d.errs.errs...)
	}
	p, err := run("{folds: [1, 2.0], sizes: {a: 4e1}, seed: 7.0}")
	if err != nil || !slices.Equal(p.Folds, []int{1, 2}) || p.Sizes["a"] != 40 || *p.Seed != 7 {
		t.Errorf("got %+v, %v", p, err)
	}
	for src, want := range map[string]string{
		"{folds: [1, 2.5]}":    `f:1:13: param "folds": 2.5 is not an integer`,
		"{sizes: {a: 0.5}}":    `f:1:13: param "sizes": 0.5 is not an integer`,
		"{seed: -1.0}":         `f:1:8: param "seed": -1.0 is out of range for uint32`,
		"{seed: -1}":           "f:1:8: param \"seed\": cannot unmarshal !!int `-1` into uint32",
		"{seed: 4294967296.0}": `f:1:8: param "seed": 4294967296.0 is out of range for uint32`,
		"{seed: 4294967295.0}": "",
		"{seed: &x 2.5}":       `f:1:8: param "seed": 2.5 is not an integer`,
		"{folds: ['2.5']}":     "f:1:9: param \"folds\": cannot unmarshal !!str `2.5` into int",
		"{folds: [!!float 3]}": "",
	} {
		_, err := run(src)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != want {
			t.Errorf("%s: got %q, want %q", src, got, want)
		}
	}
}

// TestNestedSet: --set reaches a nested param by the dotted name `hw1pipe
// kinds` prints, and replaces only that field.
func TestNestedSet(t *testing.T) {
	const file = `params:
  nested: {a: 5}
stages:
  a:
    kind: src
    outputs: {out: a.txt}
  b:
    kind: src
    params: {nested: {a: 4}, seed: 2}
    outputs: {out: b.txt}
`
	got, p := loadErr(t, file, "b.nested.a=9", "a.nested.a=7")
	if got != "" {
		t.Fatal(got)
	}
	a, _ := p.Stage("a")
	b, _ := p.Stage("b")
	if pa, pb := a.Params.(*testParams), b.Params.(*testParams); pa.Nested.A != 7 || pb.Nested.A != 9 || pb.Seed != 2 || pb.Rate != 0.5 {
		t.Errorf("a %+v, b %+v", pa, pb)
	}
	for _, k := range (&Kind{newParams: func() Validator { return &testParams{} }}).ParamDocs() {
		if _, err := paramField(reflect.ValueOf(&testParams{}).Elem(), k.Name); err != nil {
			t.Errorf("kinds prints %q but --set refuses it: %v", k.Name, err)
		}
	}

	got, _ = loadErr(t, file, "b.nested.b=1", "b.seed.x=1", "b.nested.a=0.5")
	want := `--set b.nested.b=1: stage "b": unknown param "nested.b" (known: nested.a)
--set b.seed.x=1: stage "b": param "seed" is a int, not a mapping, so "seed.x" names nothing
--set b.nested.a=0.5: stage "b": param "nested.a": 0.5 is not an integer`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestYAMLText: syntax errors with line and column, encoding errors with
// their byte offset, and a second document refused.
func TestYAMLText(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"syntax, wrong line from yaml.v3", "stages:\n  a:\n    kind: src\n   outputs: {out: a.txt}\n",
			"pipeline.yaml:4:4: syntax error: did not find expected key"},
		{"syntax, mapping value", "stages:\n  a:\n    kind: src: x\n",
			"pipeline.yaml:3:14: syntax error: mapping values are not allowed in this context"},
		{"syntax, bad token", "stages:\n  a: {kind: @src}\n",
			"pipeline.yaml:2:13: syntax error: found character that cannot start any token"},
		{"syntax, tab", "stages:\n\ta: 1\n",
			"pipeline.yaml:2:1: syntax error: found character that cannot start any token"},
		{"syntax, unknown anchor", "stages:\n  a: *nope\n",
			"pipeline.yaml:2:6: syntax error: unknown anchor 'nope' referenced"},
		{"syntax, unclosed quote", "stages:\n  a:\n    kind: \"src\n",
			"pipeline.yaml:3:11: syntax error: found unexpected end of stream"},
		{"syntax, columns count characters", "stages:\n  é: {kind: @src}\n",
			"pipeline.yaml:2:13: syntax error: found character that cannot start any token"},
		{"not UTF-8", "stages:\n  a:\n    kind: s\xffrc\n",
			"pipeline.yaml:3:12: not UTF-8: byte 0xff at offset 24"},
		{"NUL", "stages:\n  a:\n    kind: s\x00rc\n",
			"pipeline.yaml:3:12: control character U+0000 at byte offset 24; YAML allows tab, newline and carriage return only"},
		{"C1 control", "stages:\n  \u0085a\u0099:\n",
			"pipeline.yaml:2:5: control character U+0099 at byte offset 13; YAML allows tab, newline and carriage return only"},
		{"second document", "stages:\n  a: {kind: src, outputs: {out: a.txt}}\n---\nstages: {}\n",
			"pipeline.yaml:3:1: a second YAML document starts here; the pipeline is one document (remove this ---)"},
		{"empty second document", "stages:\n  a: {kind: src, outputs: {out: a.txt}}\n---\n",
			"pipeline.yaml:3:1: a second YAML document starts here; the pipeline is one document (remove this ---)"},
		{"syntax error in a second document", "stages:\n  a: {kind: src, outputs: {out: a.txt}}\n---\nb: [\n",
			"pipeline.yaml:4:4: syntax error: did not find expected node content"},
		{"document end marker is fine", "stages:\n  a: {kind: src, outputs: {out: a.txt}}\n...\n", ""},
		{"explicit first document is fine", "---\nstages:\n  a: {kind: src, outputs: {out: a.txt}}\n", ""},
		{"byte order mark is fine", "\uFEFFstages:\n  a: {kind: src, outputs: {out: a.txt}}\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, _ := loadErr(t, tt.src); got != tt.want {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestOutputPaths: outputs inside another output and outputs with
// control characters are refused at load, once (their consumers are not
// told again that the stage lacks the output).
func TestOutputPaths(t *testing.T) {
	const file = `stages:
  a:
    kind: src
    outputs: {out: p1/x_train.npy}
  b:
    kind: pair
    inputs: {in: a.out}
    outputs: {a: p1/x_train.npy/m.json, b: "p1/x\0.npy"}
  c:
    kind: cat
    inputs: {in: b.a, extra: b.b}
    outputs: {out: "c\ttab.txt"}
  d:
    kind: cat
    inputs: {in: c.out}
    outputs: {out: d/./d.txt}
  e:
    kind: cat
    inputs: {in: d.out}
    outputs: {out: d/d.txt/e.txt}
  f:
    kind: pair
    inputs: {in: a.out}
    outputs: {a: ../f.txt, b: .hw1pipe/f.txt}
  g:
    kind: cat
    inputs: {in: f.a, extra: f.b}
    outputs: {out: g.txt}
`
	got, _ := loadErr(t, file)
	want := `pipeline.yaml:8:18: stage "b": output "a": path "p1/x_train.npy/m.json" is inside "p1/x_train.npy", which is output "out" of stage "a" (line 4) and so a file
pipeline.yaml:8:44: stage "b": output "b": path "p1/x\x00.npy" holds the control character U+0000
pipeline.yaml:12:20: stage "c": output "out": path "c\ttab.txt" holds the control character U+0009
pipeline.yaml:20:20: stage "e": output "out": path "d/d.txt/e.txt" is inside "d/./d.txt", which is output "out" of stage "d" (line 16) and so a file
pipeline.yaml:24:18: stage "f": output "a": path "../f.txt" must be relative and inside outdir
pipeline.yaml:24:31: stage "f": output "b": .hw1pipe/ is reserved for hw1pipe`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestValidateAtLoad: each problem Validate finds is reported at the
// place its value came from (issue 13, point 1): the value's node in the
// stage's params, the global that set it, the --set flag, or the stage
// when no param is named; and a value that did not decode is not
// validated again.
func TestValidateAtLoad(t *testing.T) {
	const file = `params:
  rate: -3
stages:
  a:
    kind: src
    params:
      rate: -1
      nested: {a: -1}
    outputs: {out: a.txt}
  b:
    kind: src
    outputs: {out: b.txt}
  c:
    kind: src
    params: {value: invalid, rate: 1}
    outputs: {out: c.txt}
  d:
    kind: src
    params: {seed: 2.5, rate: -1}
    outputs: {out: d.txt}
`
	got, _ := loadErr(t, file, "c.nested.a=-5", "b.nested={a: -6}")
	want := `pipeline.yaml:2:9: stage "b": param "rate": want at least 0, got -3
pipeline.yaml:7:13: stage "a": param "rate": want at least 0, got -1
pipeline.yaml:8:19: stage "a": param "nested.a": want at least 0, got -1
pipeline.yaml:13:3: stage "c": params: value is invalid
pipeline.yaml:19:20: stage "d": param "seed": 2.5 is not an integer
--set b.nested={a: -6}: stage "b": param "nested.a": want at least 0, got -6
--set c.nested.a=-5: stage "c": param "nested.a": want at least 0, got -5`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}

	// --set wins over the file, and its position replaces the node's.
	got, _ = loadErr(t, "stages:\n  a:\n    kind: src\n    params: {rate: 1}\n    outputs: {out: a.txt}\n", "a.rate=-2")
	if want := `--set a.rate=-2: stage "a": param "rate": want at least 0, got -2`; got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	// A value fixed by --set is not reported at the file's node.
	if got, _ = loadErr(t, "stages:\n  a:\n    kind: src\n    params: {rate: -1}\n    outputs: {out: a.txt}\n", "a.rate=2"); got != "" {
		t.Errorf("got %s, want no error", got)
	}
}

// TestParamOrigins: a param's origin is its own, else its nearest
// enclosing param's; setting a param forgets its fields' and elements'.
func TestParamOrigins(t *testing.T) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte("grid:\n  C: [0.1, -1]\n  kernel: [rbf]\n"), &doc); err != nil {
		t.Fatal(err)
	}
	grid := doc.Content[0].Content[1]
	o := paramOrigins{}
	o.set("grid", grid, "")
	o.set("grid.C", grid.Content[1], "")
	o.set("grid.kernel", grid.Content[3], "")
	pos := func(name string) string {
		p := o.lookup(name)
		if p.node == nil {
			return p.flag
		}
		return fmt.Sprintf("%d:%d", p.node.Line, p.node.Column)
	}
	for name, want := range map[string]string{"grid.C[1]": "2:12", "grid.C": "2:6", "grid.kernel[0]": "3:12", "grid.gamma": "2:3", "grid": "2:3", "folds": ""} {
		if got := pos(name); got != want {
			t.Errorf("%s at %q, want %q", name, got, want)
		}
	}
	o.set("grid.C", nil, "--set p.grid.C=[-1]")
	if got := pos("grid.C[1]"); got != "--set p.grid.C=[-1]" {
		t.Errorf("after --set: grid.C[1] at %q", got)
	}
	if got := pos("grid.kernel"); got != "3:11" {
		t.Errorf("after --set grid.C: grid.kernel at %q", got)
	}
}
