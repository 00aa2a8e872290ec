package command

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"unicode"
	"unicode/utf8"

	"github.com/itchyny/gojq"
)

// Output formats of --output. json is the default because it is what OPI prints.
const (
	formatJSON  = "json"
	formatJSONL = "jsonl"
	formatTable = "table"
	formatCSV   = "csv"
)

const (
	jqUsage = "filter the JSON answer with a jq `expression` (gojq): a single call sees the whole answer, " +
		`{"result":…,"time":…}, so --jq .result.ID; with --all each row; a string prints as it is, other values as JSON`
	outputUsage = "`format` of the answer: json (indented), jsonl (one line; with --all one row a line), table or csv " +
		"(a list result or the --all rows as columns: the --select fields, else the rows' keys; with --all the " +
		"first row's, and a table aligned 100 rows at a time)"
)

// tableChunk is how many rows a streamed table aligns at once: an export never sits in memory whole.
const tableChunk = 100

// printer prints answers as --jq and --output say.
type printer struct {
	ctx    context.Context
	format string
	jq     *gojq.Code // nil without --jq
}

// printer checks --output and compiles --jq. It is called before anything is sent, so that a mistake
// in either costs no call. gojq gives env and $ENV an empty environment unless told otherwise, so a
// filter cannot print B24_TOKEN or B24_URL.
func (r *runner) printer() (*printer, error) {
	f := strings.ToLower(strings.TrimSpace(r.g.output))
	switch f {
	case "":
		f = formatJSON
	case formatJSON, formatJSONL, formatTable, formatCSV:
	default:
		return nil, usagef("--output: expected json, jsonl, table or csv, got %q", r.g.output)
	}
	p := &printer{ctx: r.ctx, format: f}
	if strings.TrimSpace(r.g.jq) == "" {
		return p, nil
	}
	q, err := gojq.Parse(r.g.jq)
	if err == nil {
		p.jq, err = gojq.Compile(q)
	}
	if err != nil {
		return nil, usagef("--jq: %v", err)
	}
	return p, nil
}

// plainJSON: the answer is printed as JSON the way it came, so an error's body may be printed too.
func (r *runner) plainJSON() bool {
	f := strings.ToLower(strings.TrimSpace(r.g.output))
	return strings.TrimSpace(r.g.jq) == "" && (f == "" || f == formatJSON)
}

func (p *printer) columnar() bool { return p.format == formatTable || p.format == formatCSV }

// printAnswer prints the answer of a single call, body being the whole envelope ({"result":…}), or,
// for an OPI helper (envelope false), the structure it built. selected are the --select fields.
func (r *runner) printAnswer(p *printer, method string, body []byte, envelope bool, selected []string) (err error) {
	defer func() {
		if err != nil {
			err = &outputError{err}
		}
	}()
	w := bufio.NewWriter(r.env.Stdout)
	defer w.Flush()
	if p.jq != nil {
		values, err := p.filter(body)
		if err != nil {
			return err
		}
		if !p.columnar() {
			for _, v := range values {
				if err := p.writeValue(w, v, p.format == formatJSON); err != nil {
					return err
				}
			}
			return nil
		}
		var rows []object
		for _, v := range values {
			rs, err := p.valueRows(v)
			if err != nil {
				return err
			}
			rows = append(rows, rs...)
		}
		return p.writeRows(w, rows, selected)
	}
	switch p.format {
	case formatJSON:
		out := body
		if envelope {
			if ind := indent(body); len(ind) > 0 {
				out = ind // keeps the order of the keys, which the portal chose
			}
		}
		w.Write(out)
		return w.WriteByte('\n')
	case formatJSONL:
		var line bytes.Buffer
		if err := json.Compact(&line, body); err != nil {
			w.Write(bytes.TrimSpace(body)) // not JSON: as it came
		} else {
			w.Write(line.Bytes())
		}
		return w.WriteByte('\n')
	}
	result := json.RawMessage(body)
	if envelope {
		env, ok := parseObject(body)
		if !ok {
			return fmt.Errorf("%s: the answer is not a JSON object", method)
		}
		result = env.vals["result"]
	}
	rows, ok := r.listRows(method, result)
	if !ok {
		what := "the answer"
		if method != "" {
			what = "the result of " + method
		}
		return usagef("--output %s prints a list of objects, and %s is %s; pick a list with --jq (e.g. --jq '.result.items'), or use -o json",
			p.format, what, kindOf(result))
	}
	return p.writeRows(w, rows, selected)
}

// listRows finds the rows of a single call's result: the result itself when it is a list of objects,
// or the list an object holds under the method's rows key (tasks.task.list: tasks), under its only
// key, or under items (REST 3.0).
func (r *runner) listRows(method string, result json.RawMessage) ([]object, bool) {
	if rows, ok := objectList(result); ok {
		return rows, true
	}
	obj, ok := parseObject(result)
	if !ok {
		return nil, false
	}
	keys := []string{r.rowsKey(method)}
	if len(obj.keys) == 1 {
		keys = append(keys, obj.keys[0])
	}
	keys = append(keys, "items")
	for _, k := range keys {
		if v, found := obj.vals[k]; found && k != "" {
			if rows, ok := objectList(v); ok {
				return rows, true
			}
		}
	}
	return nil, false
}

// rowsKey is the result key that holds a list method's rows, when the catalog knows the method. It
// builds one namespace's descriptors, and only for table and csv.
func (r *runner) rowsKey(method string) string {
	if s, ok := r.env.Catalog.findStub(method); ok {
		if m, ok := r.env.Catalog.method(s); ok && m.List != nil {
			return m.List.Rows
		}
	}
	return ""
}

// objectList reads a JSON array whose elements are all objects.
func objectList(raw json.RawMessage) ([]object, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '[' {
		return nil, false
	}
	var elems []json.RawMessage
	if json.Unmarshal(raw, &elems) != nil {
		return nil, false
	}
	rows := make([]object, 0, len(elems))
	for _, e := range elems {
		o, ok := parseObject(e)
		if !ok {
			return nil, false
		}
		rows = append(rows, o)
	}
	return rows, true
}

// kindOf names the kind of a JSON value for an error message.
func kindOf(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "missing"
	}
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "a list of values that are not all objects"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// filter runs --jq on one JSON document. Numbers are kept as the portal wrote them (json.Number), so
// an ID of 19 digits does not turn into a float. halt stops without an error, as in jq.
func (p *printer) filter(doc []byte) ([]any, error) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("--jq: the answer is not JSON: %v", err)
	}
	var out []any
	iter := p.jq.RunWithContext(p.ctx, v)
	for {
		x, ok := iter.Next()
		if !ok {
			return out, nil
		}
		if err, isErr := x.(error); isErr {
			var halt *gojq.HaltError
			if errors.As(err, &halt) && halt.Value() == nil {
				return out, nil
			}
			if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
				return nil, err
			}
			return nil, usagef("--jq: %v", err)
		}
		out = append(out, x)
	}
}

// writeValue prints one --jq result on its own line: a string as it is (as gh does), anything else as
// JSON, indented or on one line.
func (p *printer) writeValue(w io.Writer, v any, indented bool) error {
	if s, ok := v.(string); ok {
		_, err := io.WriteString(w, s+"\n")
		return err
	}
	b, err := gojq.Marshal(v) // jq's JSON: no HTML escaping, NaN as null
	if err != nil {
		return err
	}
	if indented {
		if ind := indent(b); len(ind) > 0 {
			b = ind
		}
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

// valueRows turns a --jq result into table rows: an object is a row, a list of objects is rows.
func (p *printer) valueRows(v any) ([]object, error) {
	b, err := gojq.Marshal(v)
	if err != nil {
		return nil, err
	}
	if o, ok := parseObject(b); ok {
		return []object{o}, nil
	}
	if rows, ok := objectList(b); ok {
		return rows, nil
	}
	return nil, usagef("--output %s prints objects, and --jq gave %s; make the filter give objects (e.g. {id: .ID}), or use -o json",
		p.format, kindOf(b))
}

// writeRows prints rows held in memory: the columns are the selected fields, or every key in the order
// first seen.
func (p *printer) writeRows(w io.Writer, rows []object, selected []string) error {
	var keys []string
	seen := map[string]bool{}
	for _, r := range rows {
		for _, k := range r.keys {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	t := newTableWriter(w, p.format == formatCSV, columnsOf(selected, keys))
	for _, r := range rows {
		if err := t.add(r); err != nil {
			return err
		}
	}
	return t.flush()
}

// columnsOf picks the columns: the selected fields spelled as the rows spell them (select ID, the row
// says id in tasks), or the rows' keys when nothing is selected, a wildcard is (UF_*), or no selected
// field is in the rows (a --jq result of other keys).
func columnsOf(selected, keys []string) []string {
	if len(selected) == 0 {
		return keys
	}
	norm := func(s string) string { return strings.ToLower(strings.ReplaceAll(s, "_", "")) }
	cols := make([]string, 0, len(selected))
	found := false
	for _, s := range selected {
		if strings.Contains(s, "*") {
			return keys
		}
		col := s
		for _, k := range keys {
			if k == s {
				col, found = k, true
				break
			}
			if norm(k) == norm(s) {
				col, found = k, true
			}
		}
		cols = append(cols, col)
	}
	if !found && len(keys) > 0 {
		return keys
	}
	return cols
}

// selectedFields reads the --select fields (the request's select, whatever its case) from the params.
func selectedFields(params any) []string {
	var m map[string]json.RawMessage
	switch v := params.(type) {
	case json.RawMessage:
		if json.Unmarshal(v, &m) != nil {
			return nil
		}
	case map[string]any:
		b, err := json.Marshal(v)
		if err != nil || json.Unmarshal(b, &m) != nil {
			return nil
		}
	default:
		return nil
	}
	for k, v := range m {
		if strings.EqualFold(k, "select") {
			var fields []string
			if json.Unmarshal(v, &fields) == nil {
				return fields
			}
			var one string
			if json.Unmarshal(v, &one) == nil && one != "" {
				return []string{one}
			}
		}
	}
	return nil
}

// rowWriter prints the rows of an --all export as they come: JSON lines, or table and csv rows.
type rowWriter struct {
	p        *printer
	w        io.Writer
	selected []string
	table    *tableWriter // made at the first row, whose keys are the columns
	line     bytes.Buffer
}

func newRowWriter(p *printer, w io.Writer, selected []string) *rowWriter {
	return &rowWriter{p: p, w: w, selected: selected}
}

// add prints one row of the export.
func (rw *rowWriter) add(method string, row json.RawMessage) error {
	if rw.p.jq != nil {
		values, err := rw.p.filter(row)
		if err != nil {
			return err
		}
		for _, v := range values {
			if !rw.p.columnar() {
				if err := rw.p.writeValue(rw.w, v, false); err != nil {
					return err
				}
				continue
			}
			rows, err := rw.p.valueRows(v)
			if err != nil {
				return err
			}
			for _, o := range rows {
				if err := rw.addObject(o); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if !rw.p.columnar() {
		rw.line.Reset()
		if err := json.Compact(&rw.line, row); err != nil {
			return fmt.Errorf("%s: a row is not JSON: %w", method, err)
		}
		rw.line.WriteByte('\n')
		_, err := rw.w.Write(rw.line.Bytes())
		return err
	}
	o, ok := parseObject(row)
	if !ok {
		return fmt.Errorf("%s: a row is not a JSON object", method)
	}
	return rw.addObject(o)
}

func (rw *rowWriter) addObject(o object) error {
	if rw.table == nil {
		rw.table = newTableWriter(rw.w, rw.p.format == formatCSV, columnsOf(rw.selected, o.keys))
	}
	if err := rw.table.add(o); err != nil {
		return err
	}
	if rw.table.pending >= tableChunk {
		return rw.table.flush()
	}
	return nil
}

// flush writes out the rows held for alignment; the export calls it before it stops.
func (rw *rowWriter) flush() error {
	if rw.table == nil {
		return nil
	}
	return rw.table.flush()
}

// tableWriter writes rows under fixed columns: csv through encoding/csv, a table through
// text/tabwriter. A streamed table is aligned a chunk at a time; each cell is padded to the widest
// seen so far, so a column only ever widens and earlier chunks stay close to aligned.
type tableWriter struct {
	cols    []string
	cw      *csv.Writer
	tw      *tabwriter.Writer
	widths  []int
	pending int // rows the tabwriter holds
	cells   []string
}

func newTableWriter(w io.Writer, isCSV bool, cols []string) *tableWriter {
	t := &tableWriter{cols: cols, widths: make([]int, len(cols)), cells: make([]string, len(cols))}
	if isCSV {
		t.cw = csv.NewWriter(w)
	} else {
		t.tw = tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	}
	if len(cols) == 0 {
		return t // no rows and nothing selected: no header either
	}
	if t.cw != nil {
		t.cw.Write(cols) // an error stays in the writer until flush
	} else {
		t.writeCells(cols)
	}
	return t
}

func (t *tableWriter) add(o object) error {
	for i, c := range t.cols {
		t.cells[i] = cellText(o.vals[c])
	}
	if t.cw != nil {
		return t.cw.Write(t.cells)
	}
	for i, c := range t.cells {
		t.cells[i] = strings.Map(func(r rune) rune {
			if unicode.IsControl(r) {
				return ' ' // a newline or an escape in a value would break the table or the terminal
			}
			return r
		}, c)
	}
	t.writeCells(t.cells)
	return nil
}

func (t *tableWriter) writeCells(cells []string) {
	var b strings.Builder
	for i, c := range cells {
		n := utf8.RuneCountInString(c)
		t.widths[i] = max(t.widths[i], n)
		b.WriteString(c)
		if i < len(cells)-1 {
			b.WriteString(strings.Repeat(" ", t.widths[i]-n))
			b.WriteByte('\t')
		}
	}
	b.WriteByte('\n')
	io.WriteString(t.tw, b.String())
	t.pending++
}

func (t *tableWriter) flush() error {
	if t.cw != nil {
		t.cw.Flush()
		return t.cw.Error()
	}
	t.pending = 0
	return t.tw.Flush()
}

// cellText is a value as a cell: text as it is, numbers and booleans as written, null and a missing
// key empty, objects and lists as compact JSON.
func cellText(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
	case 'n':
		return ""
	case '{', '[':
		var b bytes.Buffer
		if json.Compact(&b, raw) == nil {
			return b.String()
		}
	}
	return string(raw)
}

// object is a JSON object with its keys in the order they came and its values as they came.
type object struct {
	keys []string
	vals map[string]json.RawMessage
}

func parseObject(raw []byte) (object, bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return object{}, false
	}
	o := object{vals: map[string]json.RawMessage{}}
	for dec.More() {
		tok, err := dec.Token()
		key, ok := tok.(string)
		if err != nil || !ok {
			return object{}, false
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return object{}, false
		}
		if _, dup := o.vals[key]; !dup {
			o.keys = append(o.keys, key)
		}
		o.vals[key] = v
	}
	if tok, err := dec.Token(); err != nil || tok != json.Delim('}') {
		return object{}, false
	}
	return o, true
}

// outputError is a --jq or --output that did not fit an answer the portal gave: the call ran, so it
// is not the usage's mistake (ExitOutput).
type outputError struct{ err error }

func (e *outputError) Error() string { return e.err.Error() }
func (e *outputError) Unwrap() error { return e.err }
