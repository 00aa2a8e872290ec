package b24test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/b24gen/b24gen/b24"
)

// filterV3 keeps the rows that meet a REST 3.0 filter as the portal reads it: a list of conditions
// that must all hold, each ["field", "op", value] or ["field", value] (= , or in for a list value),
// or {"logic": "or", "conditions": [...]} of which one must. A condition on the ID by >, >=, < or
// <= is a binary search on sorted rows; the others are checked row by row, on the row's field (a
// dot path into it). A filter the portal cannot read, an unknown operator or a field no row has is
// the portal's error.
func filterV3(rows []listRow, sorted bool, id string, filter any) ([]listRow, *b24.APIError) {
	conds, ok := filter.([]any)
	if !ok {
		return nil, filterError("INVALIDFILTEREXCEPTION", "Unable to recognize filter expression `%s`", compact(filter))
	}
	var rest []any
	for _, c := range conds {
		cond, err := readCondition(c)
		if err != nil {
			return nil, err
		}
		if cond.field != "" && id != "" && strings.EqualFold(cond.field, id) && strings.ContainsAny(cond.op, "<>") {
			rows = filterID(rows, sorted, cond.op, phpInt(cond.value))
			continue
		}
		rest = append(rest, c)
	}
	if len(rest) == 0 || len(rows) == 0 {
		return rows, nil
	}
	var first map[string]any
	json.Unmarshal(rows[0].raw, &first) // a row is a JSON object (parseRows, exampleRows)
	if err := knownFields(rest, first); err != nil {
		return nil, err
	}
	var kept []listRow
	for _, r := range rows {
		var row map[string]any
		dec := json.NewDecoder(strings.NewReader(string(r.raw)))
		dec.UseNumber()
		dec.Decode(&row)
		if all(rest, row) {
			kept = append(kept, r)
		}
	}
	return kept, nil
}

// condition is one ["field", "op", value]; a group has no field and its conditions in or.
type condition struct {
	field, op string
	value     any
	or        []any
}

func readCondition(c any) (condition, *b24.APIError) {
	switch t := c.(type) {
	case []any:
		var field string
		if len(t) > 0 {
			field, _ = t[0].(string)
		}
		switch {
		case field == "" || len(t) < 2 || len(t) > 3:
		case len(t) == 2:
			op := "="
			if _, list := t[1].([]any); list {
				op = "in"
			}
			return condition{field: field, op: op, value: t[1]}, nil
		default:
			op, _ := t[1].(string)
			if !isOperator(op) {
				return condition{}, filterError("UNKNOWNFILTEROPERATOREXCEPTION", "Unknown filter operator `%s`", compact(t[1]))
			}
			return condition{field: field, op: op, value: t[2]}, nil
		}
	case map[string]any:
		logic, _ := paramFold(t, "logic").(string)
		list, ok := paramFold(t, "conditions").([]any)
		if strings.EqualFold(logic, "or") && ok {
			for _, x := range list {
				if _, err := readCondition(x); err != nil {
					return condition{}, err
				}
			}
			return condition{or: list}, nil
		}
	}
	return condition{}, filterError("INVALIDFILTEREXCEPTION", "Unable to recognize filter expression `%s`", compact(c))
}

func isOperator(op string) bool {
	for _, o := range b24.Operators {
		if op == o {
			return true
		}
	}
	return false
}

// knownFields refuses a condition on a field the first row does not have, as the portal refuses a
// field its entity does not have.
func knownFields(conds []any, row map[string]any) *b24.APIError {
	for _, c := range conds {
		cond, _ := readCondition(c) // read before
		if cond.or != nil {
			if err := knownFields(cond.or, row); err != nil {
				return err
			}
			continue
		}
		if _, ok := field(row, cond.field); !ok {
			return filterError("UNKNOWNDTOPROPERTYEXCEPTION", "Unknown field `%s`", cond.field)
		}
	}
	return nil
}

// all reports whether the row meets every condition.
func all(conds []any, row map[string]any) bool {
	for _, c := range conds {
		cond, _ := readCondition(c) // read before
		if cond.or != nil {
			if !anyOf(cond.or, row) {
				return false
			}
			continue
		}
		v, _ := field(row, cond.field)
		if !meets(v, cond.op, cond.value) {
			return false
		}
	}
	return true
}

func anyOf(conds []any, row map[string]any) bool {
	for _, c := range conds {
		if all([]any{c}, row) {
			return true
		}
	}
	return false
}

// field is the row's value at a dot path.
func field(row map[string]any, path string) (any, bool) {
	var cur any = row
	for _, seg := range strings.Split(path, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		if cur, ok = m[seg]; !ok {
			return nil, false
		}
	}
	return cur, true
}

func meets(v any, op string, want any) bool {
	switch op {
	case "in":
		list, _ := want.([]any)
		for _, w := range list {
			if compare(v, w) == 0 {
				return true
			}
		}
		return false
	case "between":
		list, _ := want.([]any)
		return len(list) == 2 && compare(v, list[0]) >= 0 && compare(v, list[1]) <= 0
	}
	c := compare(v, want)
	switch op {
	case "=":
		return c == 0
	case "!=":
		return c != 0
	case ">":
		return c > 0
	case ">=":
		return c >= 0
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	}
	return false
}

// compare orders two values as numbers when both are, else as their text (ISO dates sort so).
func compare(a, b any) int {
	x, errA := strconv.ParseFloat(text(a), 64)
	y, errB := strconv.ParseFloat(text(b), 64)
	if errA == nil && errB == nil {
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	}
	return strings.Compare(text(a), text(b))
}

func text(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	}
	return fmt.Sprint(v)
}

func compact(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func filterError(name, format string, a ...any) *b24.APIError {
	return &b24.APIError{Code: v3Code(name), Description: fmt.Sprintf(format, a...), Status: http.StatusBadRequest}
}
