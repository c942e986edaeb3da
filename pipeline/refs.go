package pipeline

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// outputs resolves every stage's outputs and checks that each path is
// written by one stage only and is not inside another output (which is a
// file, so that stage could never be written).
func (l *loader) outputs() {
	type writer struct {
		stage *Stage
		key   string
		node  *yaml.Node
	}
	writers := map[string]writer{}
	l.rejected = map[*Stage]map[string]bool{}
	for _, s := range l.p.Stages {
		n := l.nodes[s]
		declared := map[string]bool{}
		l.rejected[s] = map[string]bool{}
		if n.outputs != nil {
			l.eachPair(n.outputs, s.Name, func(k, v *yaml.Node) {
				declared[k.Value] = true
				// Consumers of a rejected output are not told again that
				// the stage has no such output.
				l.rejected[s][k.Value] = true
				if s.Kind != nil && !slices.Contains(s.Kind.Outputs, k.Value) {
					l.errs.add(k, s.Name, "unknown output %q (kind %s writes: %s)", k.Value, s.Kind.Name, strings.Join(s.Kind.Outputs, ", "))
					return
				}
				rel, ok := l.str(v, s.Name, fmt.Sprintf("output %q", k.Value))
				if !ok {
					return
				}
				if i := strings.IndexFunc(rel, unicode.IsControl); i >= 0 {
					r, _ := utf8.DecodeRuneInString(rel[i:])
					l.errs.add(v, s.Name, "output %q: path %q holds the control character %U", k.Value, rel, r)
					return
				}
				clean := filepath.Clean(filepath.FromSlash(rel))
				if rel == "" || filepath.IsAbs(clean) || clean == "." || clean == ".." ||
					strings.HasPrefix(clean, ".."+string(filepath.Separator)) {
					l.errs.add(v, s.Name, "output %q: path %q must be relative and inside outdir", k.Value, rel)
					return
				}
				if first, _, _ := strings.Cut(filepath.ToSlash(clean), "/"); first == stateDir {
					l.errs.add(v, s.Name, "output %q: %s/ is reserved for hw1pipe", k.Value, stateDir)
					return
				}
				path := filepath.Join(l.p.Outdir, clean)
				if w, dup := writers[path]; dup {
					l.errs.add(v, s.Name, "output %q: %s is also written by stage %q (line %d)", k.Value, rel, w.stage.Name, w.node.Line)
					return
				}
				writers[path] = writer{s, k.Value, v}
				delete(l.rejected[s], k.Value)
				s.Outputs = append(s.Outputs, Output{Key: k.Value, Rel: rel, Path: path})
			})
		}
		if s.Kind != nil {
			if missing := missingKeys(s.Kind.Outputs, declared); missing != "" {
				l.errs.add(orNode(n.outputs, n.key), s.Name, "missing output%s (kind %s writes: %s)", missing, s.Kind.Name, strings.Join(s.Kind.Outputs, ", "))
			}
		}
	}
	// A path inside another output's path: one of the two writes would
	// fail at run time (a file cannot also be a directory).
	for _, s := range l.p.Stages {
		kept := s.Outputs[:0]
		for _, o := range s.Outputs {
			var above *writer
			for dir := filepath.Dir(o.Path); dir != l.p.Outdir && dir != filepath.Dir(dir); dir = filepath.Dir(dir) {
				if w, ok := writers[dir]; ok {
					above = &w
					break
				}
			}
			if above == nil {
				kept = append(kept, o)
				continue
			}
			w := writers[o.Path]
			l.errs.add(w.node, s.Name, "output %q: path %q is inside %q, which is output %q of stage %q (line %d) and so a file", o.Key, o.Rel, above.node.Value, above.key, above.stage.Name, above.node.Line)
			l.rejected[s][o.Key] = true
		}
		s.Outputs = kept
	}
}

func orNode(n, fallback *yaml.Node) *yaml.Node {
	if n != nil && n.Kind == yaml.MappingNode {
		return n
	}
	return fallback
}

// inputs resolves every stage's inputs to a producing stage or a file.
func (l *loader) inputs() {
	produced := map[string]*Output{}
	producer := map[string]*Stage{}
	for _, s := range l.p.Stages {
		for i := range s.Outputs {
			produced[s.Outputs[i].Path] = &s.Outputs[i]
			producer[s.Outputs[i].Path] = s
		}
	}
	for _, s := range l.p.Stages {
		n := l.nodes[s]
		declared := map[string]bool{}
		if n.inputs != nil {
			l.eachPair(n.inputs, s.Name, func(k, v *yaml.Node) {
				declared[k.Value] = true
				ref, ok := l.str(v, s.Name, fmt.Sprintf("input %q", k.Value))
				if !ok {
					return
				}
				in, err := l.resolve(ref, produced, producer)
				if err == errReported {
					return
				}
				if err != nil {
					l.errs.add(v, s.Name, "input %q: %v", k.Value, err)
					return
				}
				in.Key = k.Value
				s.Inputs = append(s.Inputs, in)
				if in.From != nil && !slices.Contains(s.Deps, in.From) {
					s.Deps = append(s.Deps, in.From)
				}
			})
		}
		if s.Kind != nil {
			if missing := missingKeys(s.Kind.Inputs, declared); missing != "" {
				l.errs.add(orNode(n.inputs, n.key), s.Name, "missing input%s (kind %s reads: %s)", missing, s.Kind.Name, strings.Join(s.Kind.Inputs, ", "))
			}
		}
	}
}

func (l *loader) resolve(ref string, produced map[string]*Output, producer map[string]*Stage) (Input, error) {
	in := Input{Ref: ref}
	prefix, key, dotted := strings.Cut(ref, ".")
	from, isStage := l.p.byName[prefix]
	if dotted && isStage {
		for _, o := range from.Outputs {
			if o.Key == key {
				in.From, in.FromKey, in.Path = from, key, o.Path
				return in, nil
			}
		}
		if l.rejected[from][key] {
			return in, errReported
		}
	}
	path := filepath.FromSlash(ref)
	if !filepath.IsAbs(path) {
		path = filepath.Join(l.p.Dir, path)
	}
	path = filepath.Clean(path)
	if o, ok := produced[path]; ok {
		in.From, in.FromKey, in.Path = producer[path], o.Key, path
		return in, nil
	}
	fi, err := os.Stat(path)
	switch {
	case err == nil && fi.IsDir():
		return in, fmt.Errorf("%s is a directory; inputs are files", ref)
	case err == nil:
		in.Path = path
		return in, nil
	case dotted && isStage:
		var keys []string
		for _, o := range from.Outputs {
			keys = append(keys, o.Key)
		}
		return in, fmt.Errorf("stage %q has no output %q (it writes: %s)", prefix, key, strings.Join(keys, ", "))
	case os.IsNotExist(err):
		return in, fmt.Errorf("%q is neither a stage's output nor an existing file", ref)
	default:
		return in, err
	}
}

// errReported is resolve's answer for a reference to an output that was
// declared but rejected: that error is already reported.
var errReported = errors.New("already reported")

// missingKeys returns ` "a"` or `s "a", "b"` for the wanted keys not
// declared, to follow "missing input", or "" when none is missing.
func missingKeys(want []string, declared map[string]bool) string {
	var missing []string
	for _, w := range want {
		if !declared[w] {
			missing = append(missing, strconv.Quote(w))
		}
	}
	switch len(missing) {
	case 0:
		return ""
	case 1:
		return " " + missing[0]
	}
	return "s " + strings.Join(missing, ", ")
}
