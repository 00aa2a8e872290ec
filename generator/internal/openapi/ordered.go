package openapi

import (
	"strconv"

	"gopkg.in/yaml.v3"

	"github.com/b24gen/b24gen/internal/jsonobj"
)

// obj is a JSON object whose keys keep the order they were added in, so that the document is the
// same bytes on every run without sorting what reads better in another order (openapi, info, paths).
type obj = jsonobj.Ordered

// yamlNode is v as a YAML node tree, in the same order; strings are tagged !!str so that the
// encoder quotes those that would read as another type ("200", "Y", "true").
func yamlNode(v any) *yaml.Node {
	switch x := v.(type) {
	case obj:
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Content: make([]*yaml.Node, 0, 2*len(x))}
		for _, p := range x {
			n.Content = append(n.Content, scalar("!!str", p.Key), yamlNode(p.Value))
		}
		return n
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: make([]*yaml.Node, 0, len(x)), Style: yaml.FlowStyle}
		for _, e := range x {
			c := yamlNode(e)
			if c.Kind != yaml.ScalarNode {
				n.Style = 0 // flow style only for a list of scalars: [Y, N]
			}
			n.Content = append(n.Content, c)
		}
		return n
	case []string:
		// a list of words (type, required, enum, tags) on one line
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: make([]*yaml.Node, 0, len(x)), Style: yaml.FlowStyle}
		for _, e := range x {
			n.Content = append(n.Content, scalar("!!str", e))
		}
		return n
	case string:
		return scalar("!!str", x)
	case bool:
		return scalar("!!bool", strconv.FormatBool(x))
	case int:
		return scalar("!!int", strconv.Itoa(x))
	case float64:
		return scalar("!!float", strconv.FormatFloat(x, 'g', -1, 64))
	case nil:
		return scalar("!!null", "null")
	}
	panic("openapi: cannot print a value of this type")
}

func scalar(tag, v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: v} }
