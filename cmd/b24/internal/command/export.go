package command

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/clikit"
)

// export prints every row of a list method as JSON lines, through b24.All: walked by ID when the
// method allows it and no --order is given. On a terminal, stderr shows the rows so far.
func (r *runner) export(m *clikit.Method, params any) error {
	client, done, err := r.client()
	if err != nil {
		return err
	}
	defer done()
	out := bufio.NewWriter(r.env.Stdout)
	defer out.Flush()
	var opts []b24.CallOption
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
			return &streamError{err}
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
// one JSON object a line.
type streamError struct{ err error }

func (e *streamError) Error() string { return e.err.Error() }
func (e *streamError) Unwrap() error { return e.err }
