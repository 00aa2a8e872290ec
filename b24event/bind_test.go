package b24event_test

import (
	"testing"

	"github.com/b24gen/b24gen/b24event"
	"github.com/b24gen/b24gen/b24test"
	"github.com/b24gen/b24gen/generated/eventdata"
	"github.com/google/go-cmp/cmp"
)

// TestEnsure: an installer's one call binds what is missing and unbinds a handler of an older
// version; a second call changes nothing.
func TestEnsure(t *testing.T) {
	s := b24test.New()
	defer s.Close()
	c := appClient(t, s)
	stale := b24event.For[eventdata.OnCrmDealAdd]("https://app.example.com/v1/events")
	if err := b24event.Bind(t.Context(), c, stale); err != nil {
		t.Fatal(err)
	}
	want := []b24event.Binding{
		b24event.For[eventdata.OnCrmDealAdd]("https://app.example.com/v2/events"),
		b24event.OfflineFor[eventdata.OnCrmDealUpdate](),
	}
	bound, unbound, err := b24event.Ensure(t.Context(), c, want)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, bound); d != "" {
		t.Errorf("bound (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]b24event.Binding{stale}, unbound); d != "" {
		t.Errorf("unbound (-want +got):\n%s", d)
	}
	have, err := b24event.Bound(t.Context(), c)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(want, have); d != "" {
		t.Errorf("on the portal (-want +got):\n%s", d)
	}
	if bound, unbound, err := b24event.Ensure(t.Context(), c, want); err != nil || len(bound)+len(unbound) != 0 {
		t.Errorf("again: bound %v, unbound %v, %v", bound, unbound, err)
	}
}
