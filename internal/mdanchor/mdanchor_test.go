package mdanchor

import "testing"

func TestOf(t *testing.T) {
	for in, want := range map[string]string{
		"Работа с задачами":           "работа-с-задачами",
		"Settings and administration": "settings-and-administration",
		"crm.deal.add (deprecated)":   "crmdealadd-deprecated",
		"A_b-c, d!":                   "a_b-c-d",
	} {
		if got := Of(in); got != want {
			t.Errorf("Of(%q) = %q, want %q", in, got, want)
		}
	}
}
