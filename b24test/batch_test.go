package b24test_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/b24gen/b24gen/b24"
)

// batchAnswer posts a batch and returns its result member as raw JSON objects.
func batchAnswer(t *testing.T, target, ct, body string) map[string]json.RawMessage {
	t.Helper()
	a := post(t, target, ct, []byte(body))
	if a.status != 200 {
		t.Fatalf("status %d: %v", a.status, a.env)
	}
	b, _ := json.Marshal(a.env["result"])
	var r map[string]json.RawMessage
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("result %s: %v", b, err)
	}
	return r
}

// TestBatchFixtures: commands run against the fixtures with the same checks as plain calls, and the
// answer has the portal's five maps; a form body works like JSON.
func TestBatchFixtures(t *testing.T) {
	s := newServer(t)
	body := `{"halt": 0, "cmd": {"unread": "im.dialog.unread?DIALOG_ID=chat5&MESSAGE_ID=7", "missing": "crm.deal.get", "nope": "no.such.method"}}`
	for _, tc := range []struct{ ct, body string }{
		{"application/json", body},
		{"application/x-www-form-urlencoded", "halt=0&cmd[unread]=" + url.QueryEscape("im.dialog.unread?DIALOG_ID=chat5&MESSAGE_ID=7") +
			"&cmd[missing]=crm.deal.get&cmd[nope]=no.such.method"},
	} {
		t.Run(tc.ct, func(t *testing.T) {
			s.ResetCalls()
			r := batchAnswer(t, s.WebhookURL()+"/batch", tc.ct, tc.body)
			if string(r["result"]) != `{"unread":true}` {
				t.Errorf("result %s", r["result"])
			}
			var errs map[string]map[string]string
			if err := json.Unmarshal(r["result_error"], &errs); err != nil {
				t.Fatal(err)
			}
			if errs["missing"]["error"] != "ERROR_ARGUMENT" || errs["nope"]["error"] != "ERROR_METHOD_NOT_FOUND" {
				t.Errorf("result_error %s", r["result_error"])
			}
			if string(r["result_total"]) != "[]" || string(r["result_next"]) != "[]" {
				t.Errorf("empty maps must be [] as PHP sends them: total %s next %s", r["result_total"], r["result_next"])
			}
			if !strings.Contains(string(r["result_time"]), `"unread":{`) || !strings.Contains(string(r["result_time"]), `"duration":`) {
				t.Errorf("result_time %s", r["result_time"])
			}
			calls := s.Calls()
			byKey := map[string]int{}
			for i, c := range calls {
				byKey[c.BatchKey] = i
			}
			u := calls[byKey["unread"]]
			if len(calls) != 4 || calls[0].Method != "batch" || u.Method != "im.dialog.unread" || u.Params["MESSAGE_ID"] != "7" || u.Auth != "webhook" {
				t.Errorf("calls %+v", calls)
			}
		})
	}
}

// TestBatchLimits: the 51st command and a nested batch fail alone; halt is PHP's (bool), so "false" halts.
func TestBatchLimits(t *testing.T) {
	s := newServer(t)
	cmd := map[string]string{"nested": "batch?cmd[0]=x.echo"}
	for i := range 51 {
		cmd[fmt.Sprintf("c%02d", i)] = "x.echo"
	}
	b, _ := json.Marshal(map[string]any{"cmd": cmd})
	r := batchAnswer(t, s.WebhookURL()+"/batch", "application/json", string(b))
	var errs map[string]map[string]string
	if err := json.Unmarshal(r["result_error"], &errs); err != nil {
		t.Fatal(err)
	}
	// json.Marshal sorts the keys: c00..c50 come first, so c50 and nested are past the limit
	want := map[string]map[string]string{
		"c50":    {"error": "ERROR_BATCH_LENGTH_EXCEEDED", "error_description": "Max batch length exceeded"},
		"nested": {"error": "ERROR_BATCH_LENGTH_EXCEEDED", "error_description": "Max batch length exceeded"},
	}
	if !reflect.DeepEqual(errs, want) {
		t.Errorf("result_error %v", errs)
	}

	r = batchAnswer(t, s.WebhookURL()+"/batch", "application/json", `{"cmd": ["batch?cmd[0]=x.echo", "x.echo"]}`)
	if !strings.Contains(string(r["result_error"]), `[{"error":"ERROR_BATCH_METHOD_NOT_ALLOWED"`) || string(r["result"]) != `{"1":true}` {
		t.Errorf("nested batch: %s / %s", r["result_error"], r["result"])
	}

	s.FailNext("x.echo", 1, &b24.APIError{Code: "ACCESS_DENIED"})
	r = batchAnswer(t, s.WebhookURL()+"/batch", "application/x-www-form-urlencoded", "halt=false&cmd[0]=x.echo&cmd[1]=x.echo")
	if string(r["result"]) != "[]" || !strings.Contains(string(r["result_error"]), `[{"error":`) {
		t.Errorf(`halt=false is true in PHP: result %s, errors %s`, r["result"], r["result_error"])
	}
}

// TestBatchReferences: whole-value references keep the value's type; in text only scalars go in;
// unresolved ones stay as written.
func TestBatchReferences(t *testing.T) {
	s := newServer(t)
	s.Handle("x.list", nil)
	body := `{"cmd": {
		"a": "im.dialog.unread?DIALOG_ID=chat5&MESSAGE_ID=7",
		"b": "x.echo?ALL=$result[a]&TEXT=ok+$result[a]+done&MISS=$result[zzz][1]&LIST[]=$time[a][duration]"}}`
	batchAnswer(t, s.WebhookURL()+"/batch", "application/json", body)
	calls := s.Calls()
	got := calls[len(calls)-1].Params
	want := map[string]any{"ALL": true, "TEXT": "ok 1 done", "MISS": "$result[zzz][1]", "LIST": []any{json.Number("0.001")}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("params after substitution:\n got %#v\nwant %#v", got, want)
	}
}
