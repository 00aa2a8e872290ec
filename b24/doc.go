// Package b24 is the runtime behind the generated Bitrix24 clients: it turns a method name and its
// parameters into one REST call, decodes the answer envelope and reports Bitrix24 errors as values
// that errors.Is can test.
//
// A Client works in one of two auth modes.
//
// Incoming webhook: the URL itself is the credential (https://portal/rest/<user>/<secret>), and each
// call goes to that URL plus the method name:
//
//	c, err := b24.New("https://example.bitrix24.by/rest/1/k3y", "")
//
// OAuth application: the portal address plus an access token; each call goes to
// https://portal/rest/<method> and the token travels as "auth" inside the JSON body:
//
//	c, err := b24.New("example.bitrix24.by", accessToken)
//
// Methods with positional parameters (task.commentitem.add) take a JSON array, which has no place for
// auth; there the token goes as the "auth" query parameter instead, and is still kept out of errors.
//
// Then either call a method generically or through a generated package:
//
//	resp, err := b24.Call[b24.Bool](ctx, c, "im.dialog.unread", map[string]any{"DIALOG_ID": "chat5", "MESSAGE_ID": 7})
//	if errors.Is(err, b24.ErrExpiredToken) { ... }
//
// Only what provably did not run is retried (QUERY_LIMIT_EXCEEDED, answered before the method ran);
// a write that failed on the network may have run, so it is returned to the caller. Errors never contain
// the webhook secret or the token.
package b24
