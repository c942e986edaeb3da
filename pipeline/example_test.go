package pipeline_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"hw1pipe/pipeline"
)

// upper is a kind that writes its input in upper case.
var upper = pipeline.Kind{
	Name: "upper", Version: "1", Doc: "upper-cases a text file",
	Inputs: []string{"text"}, Outputs: []string{"text"},
	Run: func(ctx context.Context, env *pipeline.Env) error {
		b, err := os.ReadFile(env.Input("text"))
		if err != nil {
			return fmt.Errorf("read input: %w", err)
		}
		return os.WriteFile(env.Output("text"), []byte(strings.ToUpper(string(b))), 0o644)
	},
}

func Example() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "hello.txt"), []byte("hello\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "pipeline.yaml"), []byte(`
stages:
  shout:
    kind: upper
    inputs: {text: hello.txt}
    outputs: {text: loud.txt}
`), 0o644)

	reg, _ := pipeline.NewRegistry(upper)
	p, err := pipeline.Load(filepath.Join(dir, "pipeline.yaml"), reg, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	r := &pipeline.Runner{Pipeline: p}
	for i := 0; i < 2; i++ {
		results, err := r.Run(context.Background(), nil)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(results[0].Stage.Name, results[0].Outcome)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "out", "loud.txt"))
	fmt.Print(string(b))
	// Output:
	// shout ran
	// shout fresh
	// HELLO
}

func ExampleConfigError() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "pipeline.yaml"), []byte(`stages:
  shout:
    kind: upper
    inputs: {text: missing.txt}
    outputs: {text: loud.txt, extra: x.txt}
`), 0o644)
	reg, _ := pipeline.NewRegistry(upper)
	_, err := pipeline.Load(filepath.Join(dir, "pipeline.yaml"), reg, nil)
	fmt.Println(strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), ""))
	// Output:
	// pipeline.yaml:4:20: stage "shout": input "text": "missing.txt" is neither a stage's output nor an existing file
	// pipeline.yaml:5:31: stage "shout": unknown output "extra" (kind upper writes: text)
}

// RepeatParams are the params of the repeat kind: yaml tags for the
// decoder, Validate for what needs no data.
type RepeatParams struct {
	Times int `yaml:"times"`
}

func (p *RepeatParams) Validate() error {
	if p.Times < 1 {
		return pipeline.ParamErrorf("times", "want at least 1, got %d", p.Times)
	}
	return nil
}

// repeat writes its input Times times; its run function gets the params
// decoded and validated, as *RepeatParams.
var repeat = pipeline.NewKind(pipeline.Kind{
	Name: "repeat", Version: "1", Doc: "repeats a text file",
	Inputs: []string{"text"}, Outputs: []string{"text"},
}, func() *RepeatParams { return &RepeatParams{Times: 2} },
	func(ctx context.Context, env *pipeline.Env, p *RepeatParams) error {
		b, err := os.ReadFile(env.Input("text"))
		if err != nil {
			return err
		}
		return os.WriteFile(env.Output("text"), bytes.Repeat(b, p.Times), 0o644)
	})

func ExampleNewKind() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "hello.txt"), []byte("hello\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "pipeline.yaml"), []byte(`stages:
  twice:
    kind: repeat
    inputs: {text: hello.txt}
    params: {times: 0}
    outputs: {text: twice.txt}
`), 0o644)
	reg, _ := pipeline.NewRegistry(repeat)
	cfg := filepath.Join(dir, "pipeline.yaml")
	_, err := pipeline.Load(cfg, reg, nil)
	fmt.Println(strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), ""))

	// --set wins over the file, and its value is validated too.
	set, _ := pipeline.ParseOverride("twice.times=3")
	p, err := pipeline.Load(cfg, reg, &pipeline.LoadOptions{Overrides: []pipeline.Override{set}})
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := (&pipeline.Runner{Pipeline: p}).Run(context.Background(), nil); err != nil {
		fmt.Println(err)
		return
	}
	b, _ := os.ReadFile(filepath.Join(dir, "out", "twice.txt"))
	fmt.Print(string(b))
	// Output:
	// pipeline.yaml:5:21: stage "twice": param "times": want at least 1, got 0
	// hello
	// hello
	// hello
}
