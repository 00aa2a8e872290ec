package b24_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/b24gen/b24gen/b24"
)

// TestAPI3: a REST 3.0 call goes to /rest/api/ in both auth modes; its error object reaches Go with
// its code (errors.Is) and each field the portal refused; a 3.0-only method called at /rest/ is
// not found there (404), as on a real portal.
func TestAPI3(t *testing.T) {
	s := newPortal(t)
	for _, mode := range []string{"webhook", "oauth"} {
		c := webhook(t, s)
		if mode == "oauth" {
			c = oauth(t, s)
		}
		s.ResetCalls()
		if _, err := c.Do(context.Background(), "main.eventlog.get", map[string]any{"id": 5}, b24.API3()); err != nil {
			t.Fatalf("%s: %v", mode, err)
		}
		if call := s.Calls()[0]; !call.API3 || !strings.HasPrefix(call.Path, "/rest/api/") || call.Auth == "" {
			t.Errorf("%s: path %s, api3 %v, auth %q", mode, call.Path, call.API3, call.Auth)
		}

		_, err := c.Do(context.Background(), "main.eventlog.get", map[string]any{}, b24.API3())
		invalid := &b24.APIError{Code: "BITRIX_REST_V3_EXCEPTION_VALIDATION_REQUESTVALIDATIONEXCEPTION"}
		var apiErr *b24.APIError
		if !errors.Is(err, invalid) || !errors.As(err, &apiErr) || len(apiErr.Validation) != 1 ||
			apiErr.Validation[0] != (b24.FieldError{Field: "id", Message: "Required field `id` is not specified"}) {
			t.Errorf("%s: err %v, validation %+v", mode, err, apiErr)
		}
		if !strings.Contains(err.Error(), "(id: Required field `id` is not specified) (HTTP 400)") {
			t.Errorf("%s: message %q", mode, err)
		}

		_, err = c.Do(context.Background(), "main.eventlog.get", map[string]any{"id": 5})
		if !errors.Is(err, b24.ErrMethodNotFound) || !errors.As(err, &apiErr) || apiErr.Status != 404 {
			t.Errorf("%s: a 3.0 method at /rest/: %v", mode, err)
		}
	}
}
