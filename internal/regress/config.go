package regress

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"hw1pipe/pipeline"
)

// Config is a regression configuration file: a pipeline file and the
// --set overrides that shrink it.
//
//	base: ../../pipeline.yaml    # relative to this file
//	set:
//	  - p1_data.num=1000         # as `hw1pipe run --set`
type Config struct {
	// Base is the pipeline file, absolute after ReadConfig.
	Base string `yaml:"base"`
	// Set lists stage.param=value overrides.
	Set []string `yaml:"set"`
}

// ReadConfig reads a Config and makes Base absolute (relative to the
// config file's directory).
func ReadConfig(path string) (*Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var c Config
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("regress: %s: %w", path, err)
	}
	if c.Base == "" {
		return nil, fmt.Errorf("regress: %s: no base pipeline file", path)
	}
	if !filepath.IsAbs(c.Base) {
		abs, err := filepath.Abs(filepath.Join(filepath.Dir(path), c.Base))
		if err != nil {
			return nil, err
		}
		c.Base = abs
	}
	return &c, nil
}

// Overrides parses Set.
func (c *Config) Overrides() ([]pipeline.Override, error) {
	out := make([]pipeline.Override, 0, len(c.Set))
	for _, s := range c.Set {
		o, err := pipeline.ParseOverride(s)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// Rebase returns the pipeline file at base rewritten to run anywhere:
// outdir set to the absolute path outdir, and every input that names a
// file rather than a stage's output made absolute (relative to base's
// directory). Comments and everything else are kept. An input written
// as a path under the old outdir is not supported (pipeline.yaml names
// stage outputs as "stage.key").
func Rebase(base, outdir string) ([]byte, error) {
	src, err := os.ReadFile(base)
	if err != nil {
		return nil, err
	}
	dir, err := filepath.Abs(filepath.Dir(base))
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, fmt.Errorf("regress: %s: %w", base, err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("regress: %s: not a mapping", base)
	}
	root := doc.Content[0]
	outNode := mapValue(root, "outdir")
	if outNode == nil {
		root.Content = append(root.Content,
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "outdir"},
			&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str"})
		outNode = root.Content[len(root.Content)-1]
	}
	outNode.Value, outNode.Tag, outNode.Style = outdir, "!!str", yaml.DoubleQuotedStyle
	stagesNode := mapValue(root, "stages")
	if stagesNode == nil || stagesNode.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("regress: %s: no stages mapping", base)
	}
	names := map[string]bool{}
	for i := 0; i+1 < len(stagesNode.Content); i += 2 {
		names[stagesNode.Content[i].Value] = true
	}
	for i := 0; i+1 < len(stagesNode.Content); i += 2 {
		in := mapValue(stagesNode.Content[i+1], "inputs")
		if in == nil || in.Kind != yaml.MappingNode {
			continue
		}
		for j := 1; j < len(in.Content); j += 2 {
			v := in.Content[j]
			if v.Kind != yaml.ScalarNode {
				continue
			}
			if stage, _, dotted := strings.Cut(v.Value, "."); dotted && names[stage] {
				continue
			}
			p := filepath.FromSlash(v.Value)
			if !filepath.IsAbs(p) {
				v.Value = filepath.Join(dir, p)
				v.Style = yaml.DoubleQuotedStyle
			}
		}
	}
	return yaml.Marshal(&doc)
}

func mapValue(m *yaml.Node, key string) *yaml.Node {
	if m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// Load writes Rebase(c.Base, outdir) to workdir/pipeline.yaml and loads
// it with c's overrides.
func (c *Config) Load(reg *pipeline.Registry, workdir, outdir string) (*pipeline.Pipeline, error) {
	src, err := Rebase(c.Base, outdir)
	if err != nil {
		return nil, err
	}
	ovs, err := c.Overrides()
	if err != nil {
		return nil, err
	}
	path := filepath.Join(workdir, "pipeline.yaml")
	if err := os.WriteFile(path, src, 0o644); err != nil {
		return nil, err
	}
	return pipeline.Load(path, reg, &pipeline.LoadOptions{Overrides: ovs})
}
