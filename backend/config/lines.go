package config

// lines.go: the line each key is written on, so that a value Validate refuses is
// named by its line as well as its key.

import (
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// keyLines returns the line of each key written in data, by its dotted name
// ("registry.url"); tables are named too ("registry"). It is called on data the
// decoder accepted; on a syntax error it returns what it read before.
func keyLines(data []byte) map[string]int {
	lines := map[string]int{}
	var p unstable.Parser
	p.Reset(data)
	var table []string
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			table, _ = keyOf(&p, e, nil, lines)
		case unstable.KeyValue:
			keyOf(&p, e, table, lines)
		}
	}
	return lines
}

// keyOf records the line of the key of e under prefix, and of each table its dotted
// parts open, and returns the key's parts.
func keyOf(p *unstable.Parser, e *unstable.Node, prefix []string, lines map[string]int) ([]string, int) {
	parts := append([]string(nil), prefix...)
	line := 0
	it := e.Key()
	for it.Next() {
		n := it.Node()
		parts = append(parts, string(n.Data))
		if line == 0 && n.Raw.Length > 0 {
			line = p.Shape(n.Raw).Start.Line
		}
		if _, ok := lines[strings.Join(parts, ".")]; !ok && line > 0 {
			lines[strings.Join(parts, ".")] = line
		}
	}
	return parts, line
}
