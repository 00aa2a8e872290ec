package b24

import (
	"errors"
	"net/http"
	"testing"
)

// TestRefusedBeforeRunning: the errors that put a failed batch request in NotSent rather than MaybeRan
// (an unset required parameter fails the whole batch before sending, see TestBatchCmd).
func TestRefusedBeforeRunning(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{&APIError{Code: "QUERY_LIMIT_EXCEEDED", Status: 503}, true},
		{&APIError{Code: "OPERATION_TIME_LIMIT", Status: 429}, true},
		{&APIError{Code: "expired_token", Status: 401}, true},
		{&APIError{Code: "INVALID_CREDENTIALS", Status: 401}, true},
		{&HTTPError{Method: "batch", Status: http.StatusServiceUnavailable}, true},
		{&HTTPError{Method: "batch", Status: http.StatusBadGateway}, false},
		{&APIError{Code: "INTERNAL_SERVER_ERROR", Status: 500}, false},
		{&MaybeRanError{Method: "batch", Reason: "HTTP 504", Err: ErrQueryLimitExceeded}, false},
		{errors.New("connection reset"), false},
	} {
		if got := refusedBeforeRunning(tc.err); got != tc.want {
			t.Errorf("%v: %v, want %v", tc.err, got, tc.want)
		}
	}
}
