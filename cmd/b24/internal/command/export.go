package command

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/clikit"
)

// export prints every row of a list method as JSON lines, through b24.All: walked by ID when the
// method allows it and no --order is given, starting after the row after when it is not 0. On a
// terminal, stderr shows the rows so far. Every line printed is a whole row; when the walk stops, the
// error says how to resume.
func (r *runner) export(m *clikit.Method, params any, after int64) error {
	client, done, err := r.client()
	if err != nil {
		return err
	}
	defer done()
	out := bufio.NewWriter(r.env.Stdout)
	defer out.Flush()
	var opts []b24.CallOption
	if after != 0 {
		opts = append(opts, b24.After(after))
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
	var line bytes.Buffer
	for row, err := range b24.All[json.RawMessage](r.ctx, client, m.Name, params, *m.List, opts...) {
		if err != nil {
			se := &streamError{err: err}
			var stop *b24.ExportError
			if errors.As(err, &stop) && out.Flush() == nil {
				se.err, se.after = stop.Err, stop.After // the hint is the CLI's own (see fail)
			}
			return se
		}
		line.Reset()
		if err := json.Compact(&line, row); err != nil {
			return fmt.Errorf("%s: a row is not JSON: %w", m.Name, err)
		}
		line.WriteByte('\n')
		if _, err := out.Write(line.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

// streamError is an error in the middle of JSON lines: reported on stderr only, so that stdout stays
// one JSON object a line. after is the ID of the last row printed of a walk by ID, 0 for none.
type streamError struct {
	err   error
	after int64
}

func (e *streamError) Error() string { return e.err.Error() }
func (e *streamError) Unwrap() error { return e.err }
