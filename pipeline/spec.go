package pipeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// DefaultOutdir is the output directory when pipeline.yaml names none.
const DefaultOutdir = "out"

// stateDir is the runner's own directory under the outdir.
const stateDir = ".hw1pipe"

// Pipeline is a loaded and validated pipeline.yaml. It is read-only after
// Load and safe for concurrent use.
type Pipeline struct {
	// File is the config path as given to Load.
	File string
	// Dir is the absolute directory holding File; file inputs are
	// relative to it.
	Dir string
	// Outdir is the absolute output directory.
	Outdir string
	// Stages are in declaration order.
	Stages []*Stage

	byName map[string]*Stage
	order  []*Stage // topological; ties broken by declaration order
}

// Stage is one entry of `stages:`.
type Stage struct {
	Name string
	Kind *Kind
	// Params is the decoded and validated params struct (the kind's
	// defaults, then the file's values, inherited globals and --set
	// overrides); nil when the kind takes none. Canon is its canonical
	// form.
	Params Validator
	Canon  Params
	// Inputs and Outputs are in declaration order.
	Inputs  []Input
	Outputs []Output
	// Deps are the stages whose outputs this stage reads, each once.
	Deps []*Stage
	// Line and Column locate the stage's name in the file.
	Line, Column int
}

// Input is one declared input of a stage.
type Input struct {
	Key string
	// Ref is the value as written: "stage.output" or a file path.
	Ref string
	// Path is the absolute path the stage reads.
	Path string
	// From is the producing stage, nil for a plain file; FromKey is its
	// output key.
	From    *Stage
	FromKey string
}

// Output is one declared output of a stage.
type Output struct {
	Key string
	// Rel is the path under the outdir as written; Path is absolute.
	Rel, Path string
}

// Stage returns the named stage.
func (p *Pipeline) Stage(name string) (*Stage, bool) {
	s, ok := p.byName[name]
	return s, ok
}

// Order returns the stages in a topological order: every stage comes
// after the stages it reads from, and otherwise in declaration order.
func (p *Pipeline) Order() []*Stage { return slices.Clone(p.order) }

// StateDir is <outdir>/.hw1pipe, which holds the lock file, the hash
// cache and the temporary output directories.
func (p *Pipeline) StateDir() string { return filepath.Join(p.Outdir, stateDir) }

var stageNameRE = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_-]*$`)

// LoadOptions adjusts Load. The zero value means none.
type LoadOptions struct {
	// Overrides are --set values, applied after the file and the globals.
	Overrides []Override
}

// Load reads, decodes and validates the pipeline file at path against the
// kinds in reg. All problems are reported at once as *ConfigError values
// joined with errors.Join; nothing is run or written.
func Load(path string, reg *Registry, opts *LoadOptions) (*Pipeline, error) {
	if opts == nil {
		opts = &LoadOptions{}
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, &ConfigError{File: path, Err: err}
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, &ConfigError{File: path, Err: err}
	}
	doc, err := parseYAML(path, src)
	if err != nil {
		return nil, err
	}
	l := &loader{
		errs: &errorList{file: path},
		reg:  reg,
		p:    &Pipeline{File: path, Dir: filepath.Dir(abs), byName: map[string]*Stage{}},
	}
	l.load(doc, opts.Overrides)
	if err := l.errs.err(); err != nil {
		return nil, err
	}
	return l.p, nil
}

// loader holds the state of one Load call.
type loader struct {
	errs *errorList
	reg  *Registry
	p    *Pipeline

	nodes   map[*Stage]*stageNodes
	globals []global
	// rejected holds each stage's declared outputs that were refused.
	rejected map[*Stage]map[string]bool
}

type stageNodes struct {
	key, kind, inputs, outputs, params *yaml.Node
	seen                               map[string]bool // param keys set in the file
	origins                            paramOrigins
}

type global struct {
	key, val  *yaml.Node
	used, bad bool
}

func (l *loader) load(doc *yaml.Node, overrides []Override) {
	if len(doc.Content) == 0 {
		l.errs.add(nil, "", "empty file; want a mapping with outdir, params and stages")
		return
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		l.errs.add(root, "", "top level must be a mapping, not %s", nodeKind(root))
		return
	}
	var stagesNode *yaml.Node
	outdir := DefaultOutdir
	l.eachPair(root, "", func(k, v *yaml.Node) {
		switch k.Value {
		case "outdir":
			if s, ok := l.str(v, "", "outdir"); ok {
				outdir = s
			}
		case "params":
			l.eachPair(v, "", func(k, v *yaml.Node) { l.globals = append(l.globals, global{key: k, val: v}) })
		case "stages":
			stagesNode = v
		default:
			l.errs.add(k, "", "unknown key %q (want outdir, params, stages)", k.Value)
		}
	})
	if outdir == "" {
		outdir = DefaultOutdir
	}
	if !filepath.IsAbs(outdir) {
		outdir = filepath.Join(l.p.Dir, outdir)
	}
	l.p.Outdir = filepath.Clean(outdir)
	if stagesNode == nil {
		l.errs.add(root, "", "no stages: key \"stages\" is missing")
		return
	}
	l.nodes = map[*Stage]*stageNodes{}
	l.eachPair(stagesNode, "", l.stage)
	l.outputs()
	l.inputs()
	l.params(overrides)
	l.graph()
}

// eachPair calls fn for each key/value of mapping n, rejecting duplicate
// keys and a non-mapping n.
func (l *loader) eachPair(n *yaml.Node, stage string, fn func(k, v *yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		if n.Tag != "!!null" {
			l.errs.add(n, stage, "want a mapping, not %s", nodeKind(n))
		}
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if seen[k.Value] {
			l.errs.add(k, stage, "key %q appears twice", k.Value)
			continue
		}
		seen[k.Value] = true
		fn(k, v)
	}
}

func (l *loader) str(n *yaml.Node, stage, what string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		l.errs.add(n, stage, "%s must be a string, not %s", what, nodeKind(n))
		return "", false
	}
	return n.Value, true
}

// stage decodes one entry of `stages:` (structure only; references and
// params are resolved once every stage is known).
func (l *loader) stage(k, v *yaml.Node) {
	name := k.Value
	if !stageNameRE.MatchString(name) {
		l.errs.add(k, "", "bad stage name %q: use letters, digits, _ and - (no dots)", name)
		return
	}
	s := &Stage{Name: name, Line: k.Line, Column: k.Column}
	nodes := &stageNodes{key: k}
	l.eachPair(v, name, func(k, v *yaml.Node) {
		switch k.Value {
		case "kind":
			nodes.kind = v
		case "inputs":
			nodes.inputs = v
		case "outputs":
			nodes.outputs = v
		case "params":
			nodes.params = v
		default:
			l.errs.add(k, name, "unknown key %q (want kind, inputs, outputs, params)", k.Value)
		}
	})
	if v.Kind != yaml.MappingNode {
		return
	}
	l.p.Stages = append(l.p.Stages, s)
	l.p.byName[name] = s
	l.nodes[s] = nodes
	if nodes.kind == nil {
		l.errs.add(k, name, "no kind")
		return
	}
	kindName, ok := l.str(nodes.kind, name, "kind")
	if !ok {
		return
	}
	if s.Kind, ok = l.reg.Lookup(kindName); !ok {
		l.errs.add(nodes.kind, name, "unknown kind %q (known: %s)", kindName, strings.Join(l.reg.Names(), ", "))
	}
}

// params decodes each stage's params: the kind's defaults, then the
// file's values, then inherited globals (for params the stage does not
// set), then --set overrides, recording where each value came from; then
// it validates them.
func (l *loader) params(overrides []Override) {
	nErrs := len(l.errs.errs)
	for _, s := range l.p.Stages {
		n := l.nodes[s]
		if s.Kind == nil {
			continue
		}
		n.origins = paramOrigins{}
		d := &paramDecoder{errs: l.errs, stage: s.Name, origins: n.origins}
		if s.Kind.newParams == nil {
			if n.params != nil && !(n.params.Kind == yaml.MappingNode && len(n.params.Content) == 0) && n.params.Tag != "!!null" {
				l.errs.add(n.params, s.Name, "kind %s takes no params", s.Kind.Name)
			}
			continue
		}
		s.Params = s.Kind.newParams()
		v := reflect.ValueOf(s.Params)
		n.seen = map[string]bool{}
		if n.params != nil && n.params.Tag != "!!null" {
			n.seen = d.mapping(v.Elem(), n.params, "")
		}
	}
	for i := range l.globals {
		g := &l.globals[i]
		for _, s := range l.p.Stages {
			if s.Params == nil {
				continue
			}
			v := reflect.ValueOf(s.Params).Elem()
			f, ok := fieldByName(yamlFields(v.Type()), g.key.Value)
			if !ok {
				continue
			}
			g.used = true
			if l.nodes[s].seen[g.key.Value] {
				continue
			}
			// A bad global is reported once, not once per stage.
			d := &paramDecoder{errs: &errorList{file: l.errs.file}, origins: l.nodes[s].origins}
			d.value(v.FieldByIndex(f.index), g.val, g.key.Value)
			if len(d.errs.errs) > 0 && !g.bad {
				g.bad = true
				for _, e := range d.errs.errs {
					e.(*ConfigError).Err = fmt.Errorf("global %w", e.(*ConfigError).Err)
				}
				l.errs.errs = append(l.errs.errs, d.errs.errs...)
			}
		}
		if !g.used {
			l.errs.add(g.key, "", "global param %q is not a param of any stage's kind", g.key.Value)
		}
	}
	// --set comes last, so that it wins over the file and the globals
	// and a nested key (grid.C) replaces only its own field.
	for _, o := range overrides {
		s, ok := l.p.byName[o.Stage]
		file := "--set " + o.Text
		switch {
		case !ok:
			l.errs.errs = append(l.errs.errs, &ConfigError{File: file, Err: fmt.Errorf("unknown stage %q", o.Stage)})
			continue
		case s.Params == nil:
			if s.Kind != nil {
				l.errs.errs = append(l.errs.errs, &ConfigError{File: file, Stage: s.Name, Err: fmt.Errorf("kind %s takes no params", s.Kind.Name)})
			}
			continue
		}
		fv, err := paramField(reflect.ValueOf(s.Params).Elem(), o.Param)
		if err != nil {
			l.errs.errs = append(l.errs.errs, &ConfigError{File: file, Stage: s.Name, Err: err})
			continue
		}
		d := &paramDecoder{errs: l.errs, stage: s.Name, file: file, origins: l.nodes[s].origins}
		d.value(fv, o.Value, o.Param)
	}
	for _, s := range l.p.Stages {
		if s.Kind == nil {
			continue
		}
		c, err := canonicalParams(s.Params)
		if err != nil {
			l.errs.add(l.nodes[s].key, s.Name, "params: %v", err)
			continue
		}
		s.Canon = c
	}
	// Validate only stages whose values all decoded: a value refused
	// above would be reported twice, the second time as its default.
	refused := map[string]bool{}
	for _, e := range l.errs.errs[nErrs:] {
		var ce *ConfigError
		if errors.As(e, &ce) {
			refused[ce.Stage] = true
		}
	}
	for _, s := range l.p.Stages {
		if s.Params != nil && !refused[s.Name] {
			l.validate(s)
		}
	}
}

// validate runs the stage's Validate and reports each problem where the
// offending value came from: its node in the file (the stage's params or
// a global), the --set flag that set it, or the stage's name when the
// value is the kind's default.
func (l *loader) validate(s *Stage) {
	n := l.nodes[s]
	for _, err := range leaves(s.Params.Validate()) {
		e := &ConfigError{File: l.errs.file, Stage: s.Name, Err: err, Line: n.key.Line, Column: n.key.Column}
		var pe *ParamError
		if !errors.As(err, &pe) {
			e.Err = fmt.Errorf("params: %w", err)
			l.errs.errs = append(l.errs.errs, e)
			continue
		}
		switch o := n.origins.lookup(pe.Param); {
		case o.flag != "":
			e.File, e.Line, e.Column = o.flag, 0, 0
		case o.node != nil:
			e.Line, e.Column = o.node.Line, o.node.Column
		default:
			e.Err = fmt.Errorf("%w (the kind's default)", err)
		}
		l.errs.errs = append(l.errs.errs, e)
	}
}

// leaves flattens errors.Join trees into their members; nil gives none.
func leaves(err error) []error {
	if err == nil {
		return nil
	}
	j, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return []error{err}
	}
	var out []error
	for _, e := range j.Unwrap() {
		out = append(out, leaves(e)...)
	}
	return out
}
