package b24

import "testing"

func TestRedactURL(t *testing.T) {
	cases := map[string]string{
		"https://p.bitrix24.by/rest/1/abc":          `"https://p.bitrix24.by/rest/1/***"`,
		"p.bitrix24.by/rest/1/abc/im.dialog.get":    `"p.bitrix24.by/rest/1/***"`,
		"https://p.bitrix24.by/rest/abc":            `"https://p.bitrix24.by/rest/***"`,
		"https://p.bitrix24.by/abc":                 `"https://p.bitrix24.by/***"`,
		"https://p.bitrix24.by/rest/":               `"https://p.bitrix24.by/rest/"`,
		"https://p.bitrix24.by":                     `"https://p.bitrix24.by"`,
		"https://u:pw@p.bitrix24.by/?auth=abc#frag": `"https://***@p.bitrix24.by/"`,
	}
	for in, want := range cases {
		if got := redactURL(in); got != want {
			t.Errorf("redactURL(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestScrub(t *testing.T) {
	c := &Client{secret: "abc", token: "t/k+n"}
	got := c.scrub("x abc t/k+n t%2Fk%2Bn")
	if got != "x *** *** ***" {
		t.Errorf("scrub = %q", got)
	}
	empty := &Client{}
	if got := empty.scrub("unchanged"); got != "unchanged" {
		t.Errorf("scrub with no secret = %q", got)
	}
}
