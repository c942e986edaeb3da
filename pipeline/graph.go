package pipeline

import (
	"fmt"
	"slices"
	"strings"
)

// graph orders the stages topologically and reports a cycle if there is
// one, naming its stages in order.
func (l *loader) graph() {
	const (
		white = iota
		grey
		black
	)
	color := map[*Stage]int{}
	var stack []*Stage
	var cycle []*Stage
	var visit func(s *Stage) bool
	visit = func(s *Stage) bool {
		color[s] = grey
		stack = append(stack, s)
		for _, d := range s.Deps {
			switch color[d] {
			case grey:
				i := slices.Index(stack, d)
				cycle = append(slices.Clone(stack[i:]), d)
				return false
			case white:
				if !visit(d) {
					return false
				}
			}
		}
		stack = stack[:len(stack)-1]
		color[s] = black
		l.p.order = append(l.p.order, s)
		return true
	}
	for _, s := range l.p.Stages {
		if color[s] == white && !visit(s) {
			// Report the cycle from the stage declared first, reading
			// downstream: a -> b means b reads a's output.
			slices.Reverse(cycle)
			cycle = cycle[:len(cycle)-1]
			first := 0
			for i, c := range cycle {
				if slices.Index(l.p.Stages, c) < slices.Index(l.p.Stages, cycle[first]) {
					first = i
				}
			}
			cycle = append(cycle[first:], cycle[:first]...)
			names := make([]string, 0, len(cycle)+1)
			for _, c := range cycle {
				names = append(names, c.Name)
			}
			names = append(names, cycle[0].Name)
			l.errs.add(l.nodes[cycle[0]].key, cycle[0].Name, "cycle: %s", strings.Join(names, " -> "))
			l.p.order = nil
			return
		}
	}
}

// Upstream returns the named stages and every stage they read from,
// directly or not, in topological order.
func (p *Pipeline) Upstream(names ...string) ([]*Stage, error) {
	set, err := p.lookup(names)
	if err != nil {
		return nil, err
	}
	var mark func(s *Stage)
	mark = func(s *Stage) {
		for _, d := range s.Deps {
			if !set[d] {
				set[d] = true
				mark(d)
			}
		}
	}
	for s := range set {
		mark(s)
	}
	return p.filter(set), nil
}

// Downstream returns the named stages and every stage that reads from
// them, directly or not, in topological order.
func (p *Pipeline) Downstream(names ...string) ([]*Stage, error) {
	set, err := p.lookup(names)
	if err != nil {
		return nil, err
	}
	for _, s := range p.order {
		for _, d := range s.Deps {
			if set[d] {
				set[s] = true
			}
		}
	}
	return p.filter(set), nil
}

func (p *Pipeline) lookup(names []string) (map[*Stage]bool, error) {
	set := map[*Stage]bool{}
	for _, n := range names {
		s, ok := p.byName[n]
		if !ok {
			return nil, fmt.Errorf("pipeline: no stage %q", n)
		}
		set[s] = true
	}
	return set, nil
}

func (p *Pipeline) filter(set map[*Stage]bool) []*Stage {
	var out []*Stage
	for _, s := range p.order {
		if set[s] {
			out = append(out, s)
		}
	}
	return out
}

// dependents returns, for each stage, the stages that read from it.
func (p *Pipeline) dependents() map[*Stage][]*Stage {
	m := map[*Stage][]*Stage{}
	for _, s := range p.order {
		for _, d := range s.Deps {
			m[d] = append(m[d], s)
		}
	}
	return m
}
