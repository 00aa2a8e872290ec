package b24

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"time"
)

// WithLogger has the client write one debug record per HTTP request to l: the method, the HTTP
// status, the duration, the method's operating time, the retries so far and, for a batch, its
// number of commands; and a warning when a typed result holds values that did not fit their fields
// (their paths, see [Unfit]). Nothing secret is logged (no URL, token, parameters or values).
// Default: no logging.
func WithLogger(l *slog.Logger) Option { return func(c *clientConfig) { c.logger = l } }

func (c *Client) logCall(ctx context.Context, method string, body []byte, resp *RawResponse, err error, took time.Duration, retries int) {
	l := c.cfg.logger
	if l == nil || !l.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{slog.String("method", method), slog.Duration("duration", took), slog.Int("retries", retries)}
	if strings.EqualFold(method, "batch") {
		var b struct {
			Cmd map[string]json.RawMessage `json:"cmd"`
		}
		if json.Unmarshal(body, &b) == nil {
			attrs = append(attrs, slog.Int("batch", len(b.Cmd)))
		}
	}
	if resp != nil {
		attrs = append(attrs, slog.Int("status", resp.Status), slog.Float64("operating", resp.Time.Operating))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", c.scrub(err.Error())))
	}
	l.LogAttrs(ctx, slog.LevelDebug, "b24 request", attrs...)
}

// logUnfit warns of the fields of a typed result whose values did not fit: the call succeeded, so
// only the log and Response.Unfit tell.
func (c *Client) logUnfit(ctx context.Context, method string, unfit []string) {
	if l := c.cfg.logger; l != nil && len(unfit) > 0 {
		l.LogAttrs(ctx, slog.LevelWarn, "b24 result: values did not fit their fields", slog.String("method", method), slog.Any("fields", unfit))
	}
}
