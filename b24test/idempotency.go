package b24test

import (
	"net/http"
	"strings"
)

// stored is a REST 3.0 write's first successful answer, kept for its Idempotency-Key.
type stored struct {
	body   string // the request body it answered
	answer []byte
}

// idempotent handles a REST 3.0 call's Idempotency-Key before the call runs, as the portal does: a
// key it has seen with the same body gets the stored answer (Idempotent-Replayed: true) and the
// call does not run again; with another body, 422; a malformed key, 400. It reports whether it
// answered. The key is echoed on every answer.
func (s *Server) idempotent(w http.ResponseWriter, call Call) bool {
	key := call.IdempotencyKey
	if key == "" {
		return false
	}
	w.Header().Set("Idempotency-Key", key)
	if len(key) > 255 || strings.ContainsFunc(key, func(r rune) bool { return r < 0x21 || r > 0x7e }) {
		writeV3Error(w, &errInvalidKey, "")
		return true
	}
	s.mu.Lock()
	st, ok := s.idem[idemKey(call)]
	s.mu.Unlock()
	switch {
	case !ok:
		return false
	case st.body != string(call.Body):
		writeV3Error(w, &errKeyReused, "")
	default:
		w.Header().Set("Idempotent-Replayed", "true")
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(st.answer)
	}
	return true
}

// remember keeps a successful answer of a call with an Idempotency-Key for its repeats.
func (s *Server) remember(call Call, answer []byte) {
	if call.IdempotencyKey == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.idem[idemKey(call)] = stored{body: string(call.Body), answer: answer}
}

// idemKey scopes a key as the portal does: one credential, one method.
func idemKey(call Call) string {
	return call.Auth + "\x00" + strings.ToLower(call.Method) + "\x00" + call.IdempotencyKey
}
