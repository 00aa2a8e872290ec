package command

import (
	"bytes"
	"strings"
	"testing"
)

// TestSafeWriter: a secret is masked wherever the writes cut it; ordinary text is never held back
// (b24 mcp's answers must leave at once); on a terminal control characters come out escaped, a
// character cut between writes whole.
func TestSafeWriter(t *testing.T) {
	const secret = "s3cr3tw3bh00k"
	text := `{"error_description":"/rest/1/` + secret + `/crm.deal.get failed"}` + "\n"
	for cut := range len(text) {
		var out bytes.Buffer
		w := &safeWriter{w: &out, secrets: func() []string { return []string{secret, "ab"} }}
		w.Write([]byte(text[:cut]))
		w.Write([]byte(text[cut:]))
		if out.String() != strings.Replace(text, secret, "***", 1) {
			t.Fatalf("cut at %d: %q", cut, out.String())
		}
		if err := w.Flush(); err != nil || len(w.held) != 0 {
			t.Fatalf("cut at %d: %d bytes held after the whole text", cut, len(w.held))
		}
	}
	var out bytes.Buffer
	w := &safeWriter{w: &out, secrets: func() []string { return []string{"zzzzzz"} }, escape: true}
	in := "a\x1b[2Jb\x1b]0;title\x07\tc\n\u009b1m é"
	w.Write([]byte(in[:len(in)-1])) // ends inside é
	before := out.String()
	w.Write([]byte("é"[1:]))
	w.Flush()
	if want := `a\x1b[2Jb\x1b]0;title\x07` + "\tc\n" + `\u009b1m é`; out.String() != want || strings.HasSuffix(before, "\xc3") {
		t.Errorf("escaped: %q (before the last byte %q), want %q", out.String(), before, want)
	}
}
