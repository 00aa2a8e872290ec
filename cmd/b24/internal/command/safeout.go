package command

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode/utf8"
)

// safeWriter is how every byte the CLI prints leaves it: each secret of the run is masked as in
// the error lines, stdout and JSON answers included (a portal's error text may repeat the request
// path, a method's answer a token), also where a write ends inside a secret; with escape set (a
// terminal), control characters are shown escaped rather than obeyed.
type safeWriter struct {
	mu      sync.Mutex // b24 mcp writes from more than one goroutine
	w       io.Writer
	secrets func() []string // read at every write: a login or a renewal adds some during the run
	escape  bool
	held    []byte // the end of the last write, which may begin a secret or a character
}

func (s *safeWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	buf := append(s.held, p...)
	secrets := s.secrets()
	for _, sec := range secrets {
		if len(sec) >= minSecret {
			buf = bytes.ReplaceAll(buf, []byte(sec), []byte("***"))
		}
	}
	keep := 0
	for _, sec := range secrets {
		if len(sec) >= minSecret {
			keep = max(keep, prefixAtEnd(buf, sec))
		}
	}
	if i := lastRuneStart(buf); s.escape && keep == 0 && !utf8.FullRune(buf[i:]) {
		keep = len(buf) - i // escaped once whole
	}
	out := buf[:len(buf)-keep]
	s.held = append([]byte(nil), buf[len(buf)-keep:]...)
	if s.escape {
		out = []byte(escapeControls(string(out), "\n\t"))
	}
	if _, err := s.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes what was held back; the run calls it once, at its end.
func (s *safeWriter) Flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	held := s.held
	s.held = nil
	if len(held) == 0 {
		return nil
	}
	if s.escape {
		held = []byte(escapeControls(string(held), "\n\t"))
	}
	_, err := s.w.Write(held)
	return err
}

// minSecret is the shortest value masked: shorter ones would mask ordinary text.
const minSecret = 4

// prefixAtEnd is the length of the longest proper prefix of sec that buf ends with.
func prefixAtEnd(buf []byte, sec string) int {
	for k := min(len(sec)-1, len(buf)); k > 0; k-- {
		if string(buf[len(buf)-k:]) == sec[:k] {
			return k
		}
	}
	return 0
}

// lastRuneStart is where the last (possibly incomplete) UTF-8 sequence of buf begins.
func lastRuneStart(buf []byte) int {
	for i := len(buf) - 1; i >= 0 && i >= len(buf)-utf8.UTFMax; i-- {
		if utf8.RuneStart(buf[i]) {
			return i
		}
	}
	return len(buf)
}

// escapeControls writes the C0 and C1 control characters of s (other than those in keep) and DEL
// as \xNN or \uNNNN, so that text from a portal cannot move the cursor, clear the screen or retitle
// the window it is shown in.
func escapeControls(s, keep string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return isControl(r) && !strings.ContainsRune(keep, r) }) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case !isControl(r) || strings.ContainsRune(keep, r):
			b.WriteRune(r)
		case r < 0x80:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
	}
	return b.String()
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f }
