package pipeline

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "update golden files")

// checkGolden compares got with testdata/<name>, rewriting it under -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("%s mismatch:\n--- got\n%s--- want\n%s", path, got, want)
	}
}

func testRegistry(t *testing.T) *Registry {
	h := &harness{t: t, versions: map[string]string{}}
	return h.registry()
}

// TestConfigErrors loads each broken file under testdata/config and
// compares every reported problem with its golden.
func TestConfigErrors(t *testing.T) {
	tests := []struct {
		file string
		sets []string
	}{
		{file: "unknown_key"},
		{file: "unknown_param"},
		{file: "unknown_kind"},
		{file: "missing_input"},
		{file: "duplicate_output"},
		{file: "cycle"},
		{file: "wrong_type"},
		{file: "keys"},
		{file: "globals"},
		{file: "syntax"},
		{file: "shapes"},
		{file: "empty"},
		{file: "nostages"},
		{file: "ok", sets: []string{"zz.value=1", "a.gama=1", "b.rate=abc", "b.nested=1"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var ovs []Override
			for _, s := range tt.sets {
				o, err := ParseOverride(s)
				if err != nil {
					t.Fatal(err)
				}
				ovs = append(ovs, o)
			}
			path := filepath.ToSlash(filepath.Join("testdata", "config", tt.file+".yaml"))
			_, err := Load(path, testRegistry(t), &LoadOptions{Overrides: ovs})
			if err == nil {
				t.Fatal("no error")
			}
			// Every problem is a *ConfigError.
			for _, e := range unjoin(err) {
				var ce *ConfigError
				if !errors.As(e, &ce) {
					t.Errorf("%v is not a *ConfigError", e)
				}
			}
			name := tt.file
			if tt.sets != nil {
				name += "_set"
			}
			checkGolden(t, filepath.Join("config", name+".golden"), err.Error()+"\n")
		})
	}
}

func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

func TestLoad(t *testing.T) {
	p, err := Load("testdata/config/ok.yaml", testRegistry(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	abs, _ := filepath.Abs("testdata/config")
	if p.Dir != abs || p.Outdir != filepath.Join(abs, "out") {
		t.Errorf("dir %s outdir %s", p.Dir, p.Outdir)
	}
	a, _ := p.Stage("a")
	b, _ := p.Stage("b")
	if got := a.Params.(*testParams); got.Seed != 3 || got.Rate != 0.5 {
		t.Errorf("a params %+v: want inherited seed 3 and default rate 0.5", got)
	}
	if got := b.Params.(*testParams); got.Value != "x" || got.Rate != 2 || got.Nested.A != 4 || got.Seed != 3 {
		t.Errorf("b params %+v", got)
	}
	if !reflect.DeepEqual(b.Deps, []*Stage{a}) || b.Inputs[0].From != a || b.Inputs[0].Path != a.Outputs[0].Path {
		t.Errorf("b inputs %+v", b.Inputs)
	}
	if a.Inputs[0].From != nil || a.Inputs[0].Path != filepath.Join(abs, "data", "raw.txt") {
		t.Errorf("a inputs %+v", a.Inputs)
	}
	want := `{"nested":{"a":4},"rate":2,"seed":3,"value":"x"}`
	var parts []string
	for _, k := range sortedKeys(b.Canon) {
		parts = append(parts, `"`+k+`":`+string(b.Canon[k]))
	}
	if got := "{" + strings.Join(parts, ",") + "}"; got != want {
		t.Errorf("canonical params %s, want %s", got, want)
	}
}

// TestFileInputByPath: an input naming a path that a stage writes depends
// on that stage, as if written stage.key.
func TestFileInputByPath(t *testing.T) {
	h := newHarness(t, `stages:
  a:
    kind: src
    outputs: {out: sub/a.txt}
  b:
    kind: cat
    inputs: {in: out/sub/a.txt}
    outputs: {out: b.txt}
`, nil)
	p := h.load()
	a, _ := p.Stage("a")
	b, _ := p.Stage("b")
	if b.Inputs[0].From != a || b.Inputs[0].FromKey != "out" {
		t.Errorf("b input %+v, want from a.out", b.Inputs[0])
	}
}

func TestParseOverride(t *testing.T) {
	tests := []struct {
		in, stage, param, value, tag string
		bad                          bool
	}{
		{in: "grid.C=10", stage: "grid", param: "C", value: "10", tag: "!!int"},
		{in: "grid.kernel=rbf", stage: "grid", param: "kernel", value: "rbf", tag: "!!str"},
		{in: "a.x=a=b", stage: "a", param: "x", value: "a=b", tag: "!!str"},
		{in: "a.x=", stage: "a", param: "x", tag: "!!null"},
		{in: "a=1", bad: true},
		{in: "a.b", bad: true},
		{in: ".b=1", bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			o, err := ParseOverride(tt.in)
			if tt.bad {
				if err == nil {
					t.Errorf("no error")
				}
				return
			}
			if err != nil || o.Stage != tt.stage || o.Param != tt.param || o.Value.Value != tt.value || o.Value.Tag != tt.tag {
				t.Errorf("got %+v %+v, %v", o, o.Value, err)
			}
		})
	}
}

type docInner struct {
	LR float64 `yaml:"lr"`
}

type docParams struct {
	C      []float64 `yaml:"C"`
	Kernel string    `yaml:"kernel"`
	Empty  string    `yaml:"empty"`
	Opt    docInner  `yaml:"opt"`
	Skip   int       `yaml:"-"`
}

func (*docParams) Validate() error { return nil }

func TestParamDocs(t *testing.T) {
	k := &Kind{newParams: func() Validator { return &docParams{C: []float64{0.1, 1}, Kernel: "rbf", Opt: docInner{LR: 0.1}} }}
	got := k.ParamDocs()
	want := []ParamDoc{
		{"C", "[]float64", "[0.1, 1]"},
		{"kernel", "string", "rbf"},
		{"empty", "string", `""`},
		{"opt.lr", "float64", "0.1"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParamDocs = %q, want %q", got, want)
	}
}
