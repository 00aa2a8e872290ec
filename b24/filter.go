package b24

import (
	"encoding/json"
	"fmt"
	"slices"
)

// A REST 3.0 filter is a list of conditions, all of which must hold: ["field", "op", value], with
// {"logic": "or", "conditions": [...]} for a group of which one must. Where and Or build them so
// that the code reads like the rule; a raw []any of the same shape is taken as well.
//
//	Filter: []any{
//		b24.Where("status", "=", 2),
//		b24.Or(b24.Where("priority", ">=", 2), b24.Where("deadline", "<", "2026-01-01T00:00:00+03:00")),
//		b24.Where("id", "in", []int{7, 9}),
//		b24.Where("createdDate", "between", []string{"2026-01-01", "2026-01-31"}),
//	}

// Operators are the comparisons a REST 3.0 condition takes.
var Operators = []string{"=", "!=", ">", ">=", "<", "<=", "in", "between"}

// Condition is one condition of a REST 3.0 filter; it is sent as ["field", "op", value].
type Condition struct {
	Field string
	Op    string
	Value any
}

// Where is the condition that field compares to value by op (one of Operators): "in" takes a list,
// "between" a list of two.
func Where(field, op string, value any) Condition { return Condition{field, op, value} }

// MarshalJSON sends the condition as the portal reads it, refusing an operator it does not know
// (the portal would answer UNKNOWNFILTEROPERATOREXCEPTION): the call fails before sending.
func (c Condition) MarshalJSON() ([]byte, error) {
	if c.Field == "" {
		return nil, fmt.Errorf("b24: a filter condition without a field")
	}
	if !slices.Contains(Operators, c.Op) {
		return nil, fmt.Errorf("b24: filter condition on %s: operator %q is not one of %v", c.Field, c.Op, Operators)
	}
	return json.Marshal([]any{c.Field, c.Op, c.Value})
}

// Group is a group of conditions of which at least one must hold.
type Group struct{ Conditions []any }

// Or groups conditions (Where, raw ["field", "op", value] lists, or other groups) of which one must hold.
func Or(conditions ...any) Group { return Group{conditions} }

// MarshalJSON sends the group as {"logic": "or", "conditions": [...]}.
func (g Group) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Logic      string `json:"logic"`
		Conditions []any  `json:"conditions"`
	}{"or", g.Conditions})
}
