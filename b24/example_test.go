package b24_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/b24test"
	"github.com/b24gen/b24gen/generated/crm"
)

// The shape the generator emits for one method; kept here so the runtime API it relies on is compiled.
type imService struct{ client *b24.Client }

type dialogUnreadParams struct {
	DialogID  b24.DialogID `json:"DIALOG_ID"`
	MessageID int          `json:"MESSAGE_ID"`
	Mark      *b24.YesNo   `json:"MARK,omitempty"`
}

type dialogUnreadResponse = b24.Response[b24.Bool]

func (s *imService) DialogUnread(ctx context.Context, p *dialogUnreadParams, opts ...b24.CallOption) (*dialogUnreadResponse, error) {
	return b24.Call[b24.Bool](ctx, s.client, "im.dialog.unread", p, opts...)
}

func Example() {
	portal := b24test.New()
	defer portal.Close()

	// Webhook mode: the URL is the credential.
	c, err := b24.New(portal.WebhookURL(), "")
	if err != nil {
		fmt.Println(err)
		return
	}
	im := &imService{client: c}
	resp, err := im.DialogUnread(context.Background(), &dialogUnreadParams{DialogID: b24.ChatDialog(5), MessageID: 7})
	fmt.Println(resp.Result, err)

	// OAuth mode: portal address plus access token.
	c, _ = b24.New(portal.URL(), portal.Token())
	portal.ExpireToken()
	_, err = b24.Call[b24.Bool](context.Background(), c, "im.dialog.unread", map[string]any{"DIALOG_ID": "chat5", "MESSAGE_ID": 7})
	fmt.Println(errors.Is(err, b24.ErrExpiredToken))
	// Output:
	// true <nil>
	// true
}

// Every generated method adds itself to a batch as a typed command, which decodes its own result.
func ExampleAddCmd() {
	portal := b24test.New()
	defer portal.Close()
	c, err := b24.New(portal.WebhookURL(), "")
	if err != nil {
		fmt.Println(err)
		return
	}
	svc := crm.New(c)
	var b b24.Batch
	deal := svc.DealAddCmd(&b, "deal", &crm.DealAddParams{Fields: &crm.DealAddFields{Title: b24.Ptr("New deal")}})
	done := svc.DealUpdateCmd(&b, "rename", &crm.DealUpdateParams{ID: 394, Fields: &crm.DealUpdateFields{Title: b24.Ptr("Renamed")}})
	r, err := c.Batch(context.Background(), &b)
	if err != nil {
		fmt.Println(err, r.MaybeRan, r.NotSent)
		return
	}
	id, err := deal.Result(r)
	fmt.Println(id, err)
	ok, err := done.Result(r)
	fmt.Println(ok, err)
	// Output:
	// 394 <nil>
	// true <nil>
}
