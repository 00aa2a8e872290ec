package b24

import (
	"context"
	"crypto/tls"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
)

// outcome is what a failed attempt says about the call: whether it may have run, and whether
// sending it again can help. Single calls, batches and walks all read it from classify.
type outcome int

const (
	answered    outcome = iota // the portal handled the call and answered an error: final
	refused                    // refused before running, for good (credentials, a deleted portal, no such host)
	notRun                     // refused before running, for now (rate limit, 503): sent again
	unreachable                // no connection was made (refused, unreachable): sent again a few times
	timeGate                   // OPERATION_TIME_LIMIT: refused before running; sent again after the reset
	maybeRan                   // sent, and no whole answer or a server failure: sent again only when a read
)

// ran reports whether the call may have run: what separates a batch's MaybeRan from its NotSent.
func (o outcome) ran() bool { return o == answered || o == maybeRan }

// maxUnreachable is how many times a call that found no connection is sent again: a portal that is
// down for seconds comes back, one that refuses for longer is not coming back within the call.
const maxUnreachable = 3

// errorCodes is what the codes that mean the same for every method say about a call (protocol
// reference §3; upper case, as codes are compared without case). A code it does not list is the
// method's own answer, unless the HTTP status says the server failed (see classifyAPI).
var errorCodes = map[string]outcome{
	"QUERY_LIMIT_EXCEEDED": notRun,   // 503 (429 in older docs): the rate limit
	"OPERATION_TIME_LIMIT": timeGate, // 429: the method's execution-time limit

	"INTERNAL_SERVER_ERROR":   maybeRan, // 500: the method failed while it ran
	"ERROR_UNEXPECTED_ANSWER": maybeRan, // 500

	"OVERLOAD_LIMIT":           refused, // 503: blocked by Bitrix24's support; repeating does not lift it
	"PORTAL_DELETED":           refused, // 500 (403 in the source)
	"INTERNAL_WRONG_TRANSPORT": refused, // 500: a transport the portal does not serve
	"INVALID_REQUEST":          refused, // 400: https required
	"ERROR_METHOD_NOT_FOUND":   refused, // 404
	"NO_AUTH_FOUND":            refused,
	"INVALID_CREDENTIALS":      refused,
	"EXPIRED_TOKEN":            refused, // renewed by Do when it can (see WithRefresh)
	"INVALID_TOKEN":            refused,
	"INSUFFICIENT_SCOPE":       refused,
	"WRONG_AUTH_TYPE":          refused,
	"USER_ACCESS_ERROR":        refused,
	"AUTHORIZATION_ERROR":      refused,
	"APPLICATION_NOT_FOUND":    refused,
	"METHOD_CONFIRM_WAITING":   refused,
	"METHOD_CONFIRM_DENIED":    refused,
}

// serverFailed reports the HTTP statuses of a failing server or of the proxy in front of it: the
// request reached them, so the call may have run.
func serverFailed(status int) bool {
	return status == http.StatusInternalServerError || status == http.StatusBadGateway || status == http.StatusGatewayTimeout
}

// classify sorts the error of one attempt; reason words a may-have-run failure for the user.
func classify(err error) (o outcome, reason string) {
	var apiErr *APIError
	var httpErr *HTTPError
	var reqErr *requestError
	switch {
	case errors.Is(err, ErrMaybeRan):
		return maybeRan, ""
	case errors.Is(err, errTooLarge):
		return answered, ""
	case errors.As(err, &apiErr):
		return classifyAPI(apiErr)
	case errors.As(err, &httpErr):
		switch {
		case httpErr.Status == http.StatusServiceUnavailable:
			return notRun, ""
		case serverFailed(httpErr.Status):
			return maybeRan, "HTTP " + strconv.Itoa(httpErr.Status) + ": " + httpErr.Note
		}
		return answered, ""
	case errors.As(err, &reqErr):
		return classifyTransport(reqErr)
	}
	return refused, "" // the client's own refusal: a redirect it does not follow, a required parameter
}

// classifyAPI sorts an error envelope: by its code when the code means the same everywhere, else by
// the HTTP status (a server failure with a code of its own may have run).
func classifyAPI(e *APIError) (outcome, string) {
	o, known := errorCodes[strings.ToUpper(e.Code)]
	switch {
	case known:
	case serverFailed(e.Status):
		o = maybeRan
	case e.Status == http.StatusServiceUnavailable:
		o = notRun
	default:
		return answered, ""
	}
	reason := ""
	if o == maybeRan {
		reason = "HTTP " + strconv.Itoa(e.Status) + " " + e.Code
		if e.Description != "" {
			reason += ": " + e.Description
		}
	}
	return o, reason
}

// classifyTransport sorts an error of the connection. Before the request was written whole the
// portal cannot have run it.
func classifyTransport(e *requestError) (outcome, string) {
	var dnsErr *net.DNSError
	var recErr tls.RecordHeaderError
	var certErr *tls.CertificateVerificationError
	var netErr net.Error
	switch {
	case e.sent && errors.Is(e, context.Canceled):
		return maybeRan, "cancelled after it was sent"
	case e.sent && (errors.Is(e, context.DeadlineExceeded) || errors.As(e, &netErr) && netErr.Timeout()):
		return maybeRan, "no answer in time"
	case e.sent:
		return maybeRan, "the connection closed before the answer"
	case errors.As(e, &dnsErr) && !dnsErr.IsTimeout && !dnsErr.IsTemporary:
		return refused, "" // no such host: a mistyped address does not start to exist
	case errors.As(e, &recErr), errors.As(e, &certErr):
		return refused, ""
	}
	return unreachable, ""
}
