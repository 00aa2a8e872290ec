package command

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/clikit"
)

// export prints every row of a list method as JSON lines (or as --jq and --output say), through b24.All: walked by ID when the
// method allows it and no --order is given, starting after the row after when it is not 0. On a
// terminal, stderr shows the rows so far. Every line printed is a whole row; when the walk stops, the
// error says how to resume.
func (r *runner) export(m *clikit.Method, params any, after int64, cursor string) error {
	p, err := r.printer()
	if err != nil {
		return err
	}
	client, done, err := r.client()
	if err != nil {
		return err
	}
	defer done()
	out := bufio.NewWriter(r.env.Stdout)
	defer out.Flush()
	rows := newRowWriter(p, out, selectedFields(params)) // --jq and --output, row by row (output.go)
	defer rows.flush()
	var opts []b24.CallOption
	if after != 0 {
		opts = append(opts, b24.After(after))
	}
	if cursor != "" {
		if !json.Valid([]byte(cursor)) {
			return usagef("--after-cursor takes the cursor an export that stopped printed, as JSON: %q is not JSON", cursor)
		}
		opts = append(opts, b24.AfterCursor(json.RawMessage(cursor)))
	}
	if r.env.Terminal {
		opts = append(opts, b24.WithProgress(func(n, total int) {
			if total > 0 {
				fmt.Fprintf(r.env.Stderr, "\r%s: %d of %d rows (%d%%)", m.Name, n, total, min(100, n*100/total))
			} else {
				fmt.Fprintf(r.env.Stderr, "\r%s: %d rows", m.Name, n)
			}
		}))
		defer fmt.Fprintln(r.env.Stderr)
	}
	for row, err := range b24.All[json.RawMessage](r.ctx, client, m.WireName(), params, *m.List, r.limited(opts)...) {
		if err != nil {
			se := &streamError{err: err}
			var stop *b24.ExportError
			if errors.As(err, &stop) && rows.flush() == nil && out.Flush() == nil {
				se.err, se.after, se.cursor = stop.Err, stop.After, stop.Cursor // the hint is the CLI's own (see fail)
			}
			return se
		}
		if err := rows.add(m.Name, row); err != nil {
			return &outputError{err}
		}
	}
	return nil
}

// streamError is an error in the middle of JSON lines: reported on stderr only, so that stdout stays
// one JSON object a line. after is the ID of the last row printed of a walk by ID, 0 for none;
// cursor the one a cursor walk goes on from, nil for none.
type streamError struct {
	err    error
	after  int64
	cursor json.RawMessage
}

func (e *streamError) Error() string { return e.err.Error() }
func (e *streamError) Unwrap() error { return e.err }
