package b24

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// APIError is an error answered by the portal: {"error": "...", "error_description": "..."} (REST v1/v2)
// or {"error": {"code": "...", "message": "..."}} (REST 3.0).
type APIError struct {
	Code        string // as sent: codes come in mixed case (expired_token, QUERY_LIMIT_EXCEEDED)
	Description string
	Status      int    // HTTP status; 0 for the sentinels
	Method      string // the REST method called
	Body        []byte // the whole response body
	// Validation lists the fields a REST 3.0 method refused, each with the portal's words; empty
	// for other errors.
	Validation []FieldError
}

// FieldError is one field a REST 3.0 method refused: its name and why.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e *APIError) Error() string {
	var b strings.Builder
	if e.Method != "" {
		b.WriteString(e.Method)
		b.WriteString(": ")
	}
	b.WriteString(e.Code)
	if e.Description != "" {
		b.WriteString(": ")
		b.WriteString(e.Description)
	}
	for i, v := range e.Validation {
		b.WriteString([]string{" (", "; "}[min(i, 1)])
		b.WriteString(v.Field + ": " + v.Message)
		if i == len(e.Validation)-1 {
			b.WriteString(")")
		}
	}
	if e.Status != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.Status)
	}
	return b.String()
}

// Is reports whether target is an *APIError with the same code. Bitrix24 spells codes in both cases
// (expired_token, EXPIRED_TOKEN), so the comparison ignores case.
func (e *APIError) Is(target error) bool {
	t, ok := target.(*APIError)
	if !ok || t.Code == "" {
		return false
	}
	return strings.EqualFold(e.Code, t.Code)
}

// ErrRequired matches (errors.Is) a *RequiredError.
var ErrRequired = errors.New("a required parameter is not set")

// RequiredError is the error of a call whose params leave unset a parameter the method cannot run
// without (the generated params name them). Nothing was sent.
type RequiredError struct {
	Params []string // wire names, in the method's order; "A|B" when one of A and B is needed
}

func (e *RequiredError) Error() string {
	names := make([]string, len(e.Params))
	for i, p := range e.Params {
		names[i] = strings.ReplaceAll(p, "|", " or ")
	}
	if len(names) == 1 {
		return names[0] + " is required"
	}
	return strings.Join(names, ", ") + " are required"
}

func (e *RequiredError) Is(target error) bool { return target == ErrRequired }

// Sentinels for errors.Is. Only Code matters when matching.
var (
	ErrQueryLimitExceeded  = &APIError{Code: "QUERY_LIMIT_EXCEEDED"} // rate limit; refused before running, retried by Do
	ErrOperationTimeLimit  = &APIError{Code: "OPERATION_TIME_LIMIT"} // per-method execution-time limit (429)
	ErrOverloadLimit       = &APIError{Code: "OVERLOAD_LIMIT"}       // manual block by Bitrix24 support
	ErrExpiredToken        = &APIError{Code: "expired_token"}        // OAuth access token expired: refresh
	ErrInvalidToken        = &APIError{Code: "invalid_token"}        // OAuth access token unusable
	ErrNoAuthFound         = &APIError{Code: "NO_AUTH_FOUND"}        // no or unrecognized auth
	ErrInvalidCredentials  = &APIError{Code: "INVALID_CREDENTIALS"}  // wrong webhook user or secret
	ErrMethodNotFound      = &APIError{Code: "ERROR_METHOD_NOT_FOUND"}
	ErrAccessDenied        = &APIError{Code: "ACCESS_DENIED"}
	ErrInsufficientScope   = &APIError{Code: "insufficient_scope"}
	ErrWrongAuthType       = &APIError{Code: "WRONG_AUTH_TYPE"} // method needs an application (OAuth) context
	ErrUserAccessError     = &APIError{Code: "user_access_error"}
	ErrInternalServerError = &APIError{Code: "INTERNAL_SERVER_ERROR"}
	ErrArgument            = &APIError{Code: "ERROR_ARGUMENT"} // bad or missing parameter
	ErrNotFound            = &APIError{Code: "NOT_FOUND"}
	ErrPortalDeleted       = &APIError{Code: "PORTAL_DELETED"}
)

// ResultError is a call that succeeded on the portal whose result does not decode into the method's
// result type. The method ran (do not repeat a write); Raw is the result as it arrived.
type ResultError struct {
	Method string
	Raw    json.RawMessage
	Err    error
}

func (e *ResultError) Error() string {
	return fmt.Sprintf("%s: the call succeeded, but its result does not decode: %v", e.Method, e.Err)
}

func (e *ResultError) Unwrap() error { return e.Err }

// HTTPError is an answer that is not a Bitrix24 envelope at all, typically an HTML page from a proxy
// (502, 504) or an empty body. The request may or may not have run.
type HTTPError struct {
	Method      string
	Status      int
	ContentType string
	Note        string
	Body        []byte
}

func (e *HTTPError) Error() string {
	ct := e.ContentType
	if ct == "" {
		ct = "no content type"
	}
	return fmt.Sprintf("%s: HTTP %d: %s (%s, %d bytes)", e.Method, e.Status, e.Note, ct, len(e.Body))
}

// requestError replaces transport errors. net/http puts the whole request URL in *url.Error, and for a
// webhook that URL is the secret, so the message is scrubbed and the chain keeps only a redacted copy.
type requestError struct {
	msg  string
	err  error
	sent bool // the request was written whole: the portal may have run it
}

func (e *requestError) Error() string { return e.msg }
func (e *requestError) Unwrap() error { return e.err }

// ErrMaybeRan matches (errors.Is) a write whose request reached the portal but whose answer did not
// come back whole (HTTP 500, 502 or 504, a connection closed before the answer, a timeout after
// sending): the call may have run, so the client does not repeat it. Check before repeating it.
var ErrMaybeRan = errors.New("the call may have run; check before repeating it")

// MaybeRanError is a call that may have run: why the answer is missing, and the method.
type MaybeRanError struct {
	Method string
	Reason string // "the connection closed before the answer", "HTTP 502"
	Err    error  // the underlying error
}

func (e *MaybeRanError) Error() string {
	return e.Method + ": " + e.Reason + ": the call may have run; check before repeating it"
}

func (e *MaybeRanError) Unwrap() []error { return []error{ErrMaybeRan, e.Err} }
