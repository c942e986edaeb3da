package pipeline

import (
	"context"
	"fmt"
	"sort"
)

// Kind describes one stage kind: what it reads, what it writes, its
// parameters and the code that runs it. Kinds are plain data so that the
// stages package can declare them without importing the runner's internals.
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
	// NewParams returns a pointer to a fresh params struct holding the
	// documented defaults. Its exported fields carry yaml tags; the spec
	// decoder fills them from the stage's `params:` mapping and rejects
	// unknown keys. Nil means the kind takes no params.
	NewParams func() any
	// Run does the work. It reads env.Input(key), writes every
	// env.Output(key) (temporary paths that the runner renames on
	// success), reports progress through env.Progress and honours ctx.
	Run func(ctx context.Context, env *Env) error
}

// Env is what a running stage sees.
type Env struct {
	// Stage is the stage's name in pipeline.yaml.
	Stage string
	// Params is the pointer returned by Kind.NewParams, filled from YAML
	// and --set overrides. Nil when the kind has no params.
	Params any
	// Inputs maps input keys to readable paths.
	Inputs map[string]string
	// Outputs maps output keys to the temporary paths the stage writes.
	Outputs map[string]string
	// Reporter receives progress; nil discards it.
	Reporter Reporter
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
// error when two kinds share a name or a kind lacks a name, version or Run.
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
