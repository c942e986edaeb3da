package pipeline

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// DAGFormats are the formats WriteDAG understands.
var DAGFormats = []string{"text", "dot", "mermaid"}

// WriteDAG writes the stage graph to w in format "text", "dot"
// (Graphviz) or "mermaid". Stages appear in topological order; plain file
// inputs appear as their own nodes in dot and mermaid.
func (p *Pipeline) WriteDAG(w io.Writer, format string) error {
	bw := bufio.NewWriter(w)
	switch format {
	case "text":
		p.dagText(bw)
	case "dot":
		p.dagDot(bw)
	case "mermaid":
		p.dagMermaid(bw)
	default:
		return fmt.Errorf("pipeline: unknown dag format %q (want %s)", format, strings.Join(DAGFormats, ", "))
	}
	return bw.Flush()
}

func (p *Pipeline) dagText(w io.Writer) {
	for _, s := range p.order {
		fmt.Fprintf(w, "%s (%s)\n", s.Name, s.Kind.Name)
		for _, in := range s.Inputs {
			from := in.Ref + " (file)"
			if in.From != nil {
				from = in.From.Name + "." + in.FromKey
			}
			fmt.Fprintf(w, "  in  %s <- %s\n", in.Key, from)
		}
		for _, o := range s.Outputs {
			fmt.Fprintf(w, "  out %s -> %s\n", o.Key, o.Rel)
		}
	}
}

// fileNodes numbers the distinct plain-file inputs in order of first use.
func (p *Pipeline) fileNodes() ([]string, map[string]int) {
	var files []string
	ids := map[string]int{}
	for _, s := range p.order {
		for _, in := range s.Inputs {
			if in.From == nil {
				if _, ok := ids[in.Ref]; !ok {
					ids[in.Ref] = len(files)
					files = append(files, in.Ref)
				}
			}
		}
	}
	return files, ids
}

func (p *Pipeline) dagDot(w io.Writer) {
	fmt.Fprintln(w, "digraph pipeline {")
	fmt.Fprintln(w, "\trankdir=LR;")
	fmt.Fprintln(w, "\tnode [shape=box];")
	files, fileID := p.fileNodes()
	for i, f := range files {
		fmt.Fprintf(w, "\tf%d [label=%q, shape=note];\n", i, f)
	}
	for _, s := range p.order {
		fmt.Fprintf(w, "\t%q [label=%q];\n", s.Name, s.Name+"\n("+s.Kind.Name+")")
	}
	for _, s := range p.order {
		for _, in := range s.Inputs {
			if in.From != nil {
				fmt.Fprintf(w, "\t%q -> %q [label=%q];\n", in.From.Name, s.Name, in.FromKey)
			} else {
				fmt.Fprintf(w, "\tf%d -> %q [label=%q];\n", fileID[in.Ref], s.Name, in.Key)
			}
		}
	}
	fmt.Fprintln(w, "}")
}

func (p *Pipeline) dagMermaid(w io.Writer) {
	esc := strings.NewReplacer(`"`, "#quot;").Replace
	fmt.Fprintln(w, "flowchart LR")
	files, fileID := p.fileNodes()
	for i, f := range files {
		fmt.Fprintf(w, "    f%d[/\"%s\"/]\n", i, esc(f))
	}
	id := map[*Stage]string{}
	for i, s := range p.order {
		id[s] = fmt.Sprintf("s%d", i)
		fmt.Fprintf(w, "    %s[\"%s<br/>(%s)\"]\n", id[s], esc(s.Name), esc(s.Kind.Name))
	}
	for _, s := range p.order {
		for _, in := range s.Inputs {
			if in.From != nil {
				fmt.Fprintf(w, "    %s -->|%s| %s\n", id[in.From], esc(in.FromKey), id[s])
			} else {
				fmt.Fprintf(w, "    f%d -->|%s| %s\n", fileID[in.Ref], esc(in.Key), id[s])
			}
		}
	}
}
