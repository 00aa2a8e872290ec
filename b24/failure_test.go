package b24

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"syscall"
	"testing"
)

// TestClassify: one table sorts every failure the portal, the proxy or the network sends; the
// batch's NotSent/MaybeRan split reads the same outcome.
func TestClassify(t *testing.T) {
	dial := func(err error) error {
		return &requestError{msg: "x", err: &url.Error{Op: "Post", URL: "u", Err: &net.OpError{Op: "dial", Net: "tcp", Err: err}}}
	}
	for _, tc := range []struct {
		err    error
		want   outcome
		reason string
	}{
		{&APIError{Code: "QUERY_LIMIT_EXCEEDED", Status: 503}, notRun, ""},
		{&APIError{Code: "query_limit_exceeded", Status: 429}, notRun, ""},
		{&APIError{Code: "OPERATION_TIME_LIMIT", Status: 429}, timeGate, ""},
		{&APIError{Code: "expired_token", Status: 401}, refused, ""},
		{&APIError{Code: "INVALID_CREDENTIALS", Status: 401}, refused, ""},
		{&APIError{Code: "OVERLOAD_LIMIT", Status: 503}, refused, ""},
		{&APIError{Code: "PORTAL_DELETED", Description: "Portal was deleted", Status: 500}, refused, ""},
		{&APIError{Code: "INTERNAL_WRONG_TRANSPORT", Status: 500}, refused, ""},
		{&APIError{Code: "INTERNAL_SERVER_ERROR", Description: "Internal server error", Status: 500}, maybeRan,
			"HTTP 500 INTERNAL_SERVER_ERROR: Internal server error"},
		{&APIError{Code: "ERROR_UNEXPECTED_ANSWER", Status: 500}, maybeRan, "HTTP 500 ERROR_UNEXPECTED_ANSWER"},
		{&APIError{Code: "SOMETHING_NEW", Status: 502}, maybeRan, "HTTP 502 SOMETHING_NEW"},
		{&APIError{Code: "ERROR_CORE", Status: 504}, maybeRan, "HTTP 504 ERROR_CORE"},
		{&APIError{Code: "SOMETHING_NEW", Status: 503}, notRun, ""},
		{&APIError{Code: "ERROR_ARGUMENT", Status: 400}, answered, ""},
		{&APIError{Code: "ACCESS_DENIED", Status: 403}, answered, ""},
		{&HTTPError{Method: "batch", Status: http.StatusServiceUnavailable}, notRun, ""},
		{&HTTPError{Method: "batch", Status: http.StatusBadGateway, Note: "n"}, maybeRan, "HTTP 502: n"},
		{&HTTPError{Method: "batch", Status: http.StatusOK}, answered, ""},
		{&MaybeRanError{Method: "batch", Reason: "HTTP 504", Err: ErrQueryLimitExceeded}, maybeRan, ""},
		{fmt.Errorf("batch: %w (over 256 MiB; the call ran)", errTooLarge), answered, ""},
		{&requestError{msg: "x", err: errors.New("connection reset"), sent: true}, maybeRan, "the connection closed before the answer"},
		{&requestError{msg: "x", err: &url.Error{Err: context.Canceled}, sent: true}, maybeRan, "cancelled after it was sent"},
		{&requestError{msg: "x", err: &url.Error{Err: context.DeadlineExceeded}, sent: true}, maybeRan, "no answer in time"},
		{dial(syscall.ECONNREFUSED), unreachable, ""},
		{dial(&net.DNSError{Err: "no such host", Name: "portl.bitrix24.by", IsNotFound: true}), refused, ""},
		{dial(&net.DNSError{Err: "i/o timeout", Name: "portal.bitrix24.by", IsTimeout: true}), unreachable, ""},
		{ErrRequired, refused, ""},
	} {
		o, reason := classify(tc.err)
		if o != tc.want || reason != tc.reason {
			t.Errorf("%v: %v %q, want %v %q", tc.err, o, reason, tc.want, tc.reason)
		}
	}
}
