package pipeline

import (
	"reflect"
	"strings"

	"gopkg.in/yaml.v3"
)

// ParamDoc describes one parameter of a kind, for `hw1pipe kinds`.
type ParamDoc struct {
	// Name is the key in pipeline.yaml; nested fields are dotted
	// ("opt.lr").
	Name string
	// Type is the Go type ("float64", "[]string").
	Type string
	// Default is the kind's default value, in YAML flow form.
	Default string
}

// ParamDocs lists k's params in declaration order, nil when it has none.
func (k *Kind) ParamDocs() []ParamDoc {
	if k.newParams == nil {
		return nil
	}
	v := reflect.ValueOf(k.newParams())
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return nil
	}
	return paramDocs(v.Elem(), "")
}

func paramDocs(v reflect.Value, prefix string) []ParamDoc {
	var out []ParamDoc
	for _, f := range yamlFields(v.Type()) {
		fv := v.FieldByIndex(f.index)
		if fv.Kind() == reflect.Struct {
			out = append(out, paramDocs(fv, prefix+f.name+".")...)
			continue
		}
		out = append(out, ParamDoc{Name: prefix + f.name, Type: f.typ.String(), Default: flowYAML(fv.Interface())})
	}
	return out
}

// flowYAML renders v on one line: 0.5, rbf, [0.1, 1], {a: 1}, "".
func flowYAML(v any) string {
	var n yaml.Node
	if err := n.Encode(v); err != nil {
		return "?"
	}
	setFlow(&n)
	b, err := yaml.Marshal(&n)
	if err != nil {
		return "?"
	}
	return strings.TrimSpace(string(b))
}

func setFlow(n *yaml.Node) {
	if n.Kind == yaml.SequenceNode || n.Kind == yaml.MappingNode {
		n.Style = yaml.FlowStyle
	}
	for _, c := range n.Content {
		setFlow(c)
	}
}
