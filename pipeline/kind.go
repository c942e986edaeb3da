package pipeline

import (
	"context"
	"fmt"
	"reflect"
	"sort"
)

// Kind describes one stage kind: what it reads, what it writes, its
// parameters and the code that runs it. A kind without params is a plain
// Kind literal with Run; a kind with params is made by NewKind, which
// ties a typed params struct to a typed run function. Kinds are plain
// data so that the stages package can declare them without importing the
// runner's internals.
type Kind struct {
	// Name is the value of `kind:` in pipeline.yaml.
	Name string
	// Version is hashed into every fingerprint. Bump it whenever the
	// kind's outputs would change for the same inputs and params.
	Version string
	// Doc is one line shown by `hw1pipe kinds`.
	Doc string
	// Inputs and Outputs are the keys a stage of this kind must declare.
	// A stage may declare extra inputs (they count in staleness); it may
	// not declare extra outputs.
	Inputs  []string
	Outputs []string
	// Deliverables maps output keys to the submission files they are,
	// as slash-separated paths in the submission folder
	// ("problem1/grid_search_svm.pkl"): the kind's code is what makes an
	// output loadable by the autograder, so the kind, not the file name
	// pipeline.yaml gives it, says which deliverable it is.
	Deliverables map[string]string
	// Run does the work. It reads env.Input(key), writes every
	// env.Output(key) (temporary paths that the runner renames on
	// success), reports progress through env.Progress and honours ctx.
	// NewKind sets it for a kind with params.
	Run func(ctx context.Context, env *Env) error

	// newParams returns a fresh params struct holding the kind's
	// defaults; nil when the kind takes no params. Set by NewKind.
	newParams func() Validator
}

// Validator is a kind's params struct: a pointer to a struct whose
// exported fields carry yaml tags, and whose Validate checks the values
// that can be checked without the data (ranges, enumerations, fields
// that must agree). Load calls Validate once defaults, the stage's
// params, inherited globals and --set overrides are in, so a bad value
// stops `hw1pipe status`, `dag` and `run` before anything runs.
//
// Validate returns nil, a *ParamError naming the param, or several of
// them joined with errors.Join; Load reports each at the position where
// its value was written (the YAML node, the global, or the --set flag).
// An error that is not a *ParamError is reported at the stage.
type Validator interface {
	Validate() error
}

// ParamError is a bad param value found by Validate.
type ParamError struct {
	// Param is the param's name as `hw1pipe kinds` prints it: the yaml
	// key, dotted for a nested field ("grid.C"), optionally with an
	// element index ("grid.C[1]").
	Param string
	// Err says what is wrong with the value.
	Err error
}

// Error formats the problem as `param "name": message`.
func (e *ParamError) Error() string { return fmt.Sprintf("param %q: %v", e.Param, e.Err) }

// Unwrap returns the underlying problem.
func (e *ParamError) Unwrap() error { return e.Err }

// ParamErrorf returns a *ParamError for param with a formatted message.
func ParamErrorf(param, format string, args ...any) error {
	return &ParamError{Param: param, Err: fmt.Errorf(format, args...)}
}

// NewKind returns spec with typed params: defaults returns a fresh
// params struct holding the documented defaults (a pointer to a struct;
// NewRegistry checks), and run receives the stage's params, decoded and
// validated by Load, as that type. spec.Run is replaced.
//
// A stage run by the Runner gets the params Load decoded and validated
// for it; Call runs the kind on given params; Run called on an Env built
// by hand runs with the defaults.
func NewKind[P Validator](spec Kind, defaults func() P, run func(ctx context.Context, env *Env, p P) error) Kind {
	spec.newParams = func() Validator { return defaults() }
	name := spec.Name
	spec.Run = func(ctx context.Context, env *Env) error {
		if env.params == nil {
			return run(ctx, env, defaults())
		}
		p, ok := env.params.(P)
		if !ok {
			return fmt.Errorf("pipeline: kind %s got params %T, want %T", name, env.params, p)
		}
		return run(ctx, env, p)
	}
	return spec
}

// Call runs k on env with params p as a Runner runs a stage that Load
// accepted: p.Validate first, whose error is returned as it is, then Run
// with p. Nil p means the kind's defaults. Call is how a test, or a tool
// without a pipeline.yaml, runs one kind; p must be of the kind's params
// type (what its defaults return), and nil for a kind without params.
func (k Kind) Call(ctx context.Context, env *Env, p Validator) error {
	switch {
	case p == nil:
		if k.newParams != nil {
			p = k.newParams()
		}
	case k.newParams == nil:
		return fmt.Errorf("pipeline: kind %s takes no params, got %T", k.Name, p)
	}
	if p != nil {
		if err := p.Validate(); err != nil {
			return err
		}
	}
	e := *env
	e.params = p
	return k.Run(ctx, &e)
}

// Env is what a running stage sees. A kind made by NewKind gets its
// params as an argument of its run function, not through Env.
type Env struct {
	// Stage is the stage's name in pipeline.yaml.
	Stage string
	// Inputs maps input keys to readable paths.
	Inputs map[string]string
	// Outputs maps output keys to the temporary paths the stage writes.
	Outputs map[string]string
	// Reporter receives progress; nil discards it.
	Reporter Reporter

	// params is the stage's decoded params, handed to NewKind's run.
	params Validator
}

// Reporter receives a running stage's progress. frac is in [0,1], or
// negative when the stage cannot tell how far it is.
type Reporter interface {
	Progress(frac float64, msg string)
}

// Input returns the path of a declared input. It panics on an undeclared
// key: that is a bug in the kind, which validation should have caught.
func (e *Env) Input(key string) string {
	p, ok := e.Inputs[key]
	if !ok {
		panic(fmt.Sprintf("pipeline: stage %q has no input %q", e.Stage, key))
	}
	return p
}

// Output returns the temporary path for a declared output; see Input.
func (e *Env) Output(key string) string {
	p, ok := e.Outputs[key]
	if !ok {
		panic(fmt.Sprintf("pipeline: stage %q has no output %q", e.Stage, key))
	}
	return p
}

// Progress forwards to the Reporter, if any.
func (e *Env) Progress(frac float64, msg string) {
	if e.Reporter != nil {
		e.Reporter.Progress(frac, msg)
	}
}

// Registry maps kind names to kinds. The zero value is not usable; call
// NewRegistry.
type Registry struct {
	kinds map[string]*Kind
}

// NewRegistry returns a registry holding the given kinds. It returns an
// error when two kinds share a name, a kind lacks a name, version or Run,
// or its params are not a pointer to a struct.
func NewRegistry(kinds ...Kind) (*Registry, error) {
	r := &Registry{kinds: make(map[string]*Kind, len(kinds))}
	for i := range kinds {
		k := kinds[i]
		switch {
		case k.Name == "":
			return nil, fmt.Errorf("pipeline: kind #%d has no name", i)
		case k.Version == "":
			return nil, fmt.Errorf("pipeline: kind %q has no version", k.Name)
		case k.Run == nil:
			return nil, fmt.Errorf("pipeline: kind %q has no Run", k.Name)
		}
		if k.newParams != nil {
			if v := reflect.ValueOf(k.newParams()); v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
				return nil, fmt.Errorf("pipeline: kind %q: its defaults are %s, want a non-nil pointer to a struct", k.Name, describe(v))
			}
		}
		if _, dup := r.kinds[k.Name]; dup {
			return nil, fmt.Errorf("pipeline: kind %q registered twice", k.Name)
		}
		r.kinds[k.Name] = &k
	}
	return r, nil
}

// Lookup returns the kind with that name.
func (r *Registry) Lookup(name string) (*Kind, bool) {
	k, ok := r.kinds[name]
	return k, ok
}

// Names returns the registered kind names, sorted.
func (r *Registry) Names() []string {
	names := make([]string, 0, len(r.kinds))
	for n := range r.kinds {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// describe names v's type for an error message ("a nil *T", "int").
func describe(v reflect.Value) string {
	switch {
	case !v.IsValid():
		return "nil"
	case v.Kind() == reflect.Pointer && v.IsNil():
		return "a nil " + v.Type().String()
	}
	return v.Type().String()
}
