package custom_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/b24test"

	"example.com/custom/b24/crm"
	"example.com/custom/b24/fixtures"
	"example.com/custom/b24/im"
	"example.com/custom/b24/vendor"
)

// TestCalls calls the module's own method, the overlaid official one and an official one against
// b24test, which knows the module's spec through its generated fixtures.
func TestCalls(t *testing.T) {
	srv := b24test.New(b24test.WithFixtures(fixtures.Lookup))
	defer srv.Close()
	c, err := b24.New(srv.WebhookURL(), "")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	// The custom method: answered from its spec's example, decoded into its typed result.
	yes := b24.YesNo(true)
	rep, err := vendor.New(c).ReportGet(ctx, &vendor.ReportGetParams{ID: 7, WithRows: &yes})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Result.ID != 7 || rep.Result.Title != "Q3" || len(rep.Result.Rows) != 1 || rep.Result.Rows[0].Amount != 1250.5 {
		t.Errorf("vendor.report.get: %+v", rep.Result)
	}
	// Its required ID is checked before sending, as for an official method.
	if _, err := vendor.New(c).ReportGet(ctx, &vendor.ReportGetParams{}); err == nil {
		t.Error("vendor.report.get without ID: no error")
	}

	// The overlay renamed a Go field; the wire name is the official one.
	if _, err := im.New(c).DialogUnread(ctx, &im.DialogUnreadParams{DialogID: b24.ChatDialog(5), FromMessageID: 15}); err != nil {
		t.Fatal(err)
	}

	// An official method of the subset, walked whole.
	n := 0
	for _, err := range crm.New(c).ItemListAll(ctx, &crm.ItemListParams{EntityTypeID: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}

	calls := srv.Calls()
	if len(calls) < 3 {
		t.Fatalf("%d calls", len(calls))
	}
	if p := calls[0].Params; calls[0].Method != "vendor.report.get" || fmt.Sprint(p["ID"]) != "7" || p["WITH_ROWS"] != "Y" {
		t.Errorf("first call: %s %v", calls[0].Method, p)
	}
	if p := calls[1].Params; calls[1].Method != "im.dialog.unread" || p["DIALOG_ID"] != "chat5" || fmt.Sprint(p["MESSAGE_ID"]) != "15" {
		t.Errorf("second call: %s %v", calls[1].Method, p)
	}
	if n != srv.ListRows("crm.item.list") {
		t.Errorf("crm.item.list: %d rows, the portal has %d", n, srv.ListRows("crm.item.list"))
	}
}
