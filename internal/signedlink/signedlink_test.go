package signedlink

import "testing"

func TestWithhold(t *testing.T) {
	in := `{"result":{"ID":9011,"NAME":"a \"b\".pdf","DOWNLOAD_URL" : "https://p.bitrix24.ru/rest/download.json?auth=S3CR3T&token=disk%7Cx\"y",` +
		`"DETAIL_URL":"https://p.bitrix24.ru/disk/file/a.pdf","files":[{"urlMachine":"/rest/crm.controller.item.getFile.json?auth=S3CR3T"},` +
		`{"downloadUrl":"https://p/x?auth=S3CR3T","DOWNLOAD_URL_OLD":"kept"}]}}`
	want := `{"result":{"ID":9011,"NAME":"a \"b\".pdf","DOWNLOAD_URL" : "(withheld)",` +
		`"DETAIL_URL":"https://p.bitrix24.ru/disk/file/a.pdf","files":[{"urlMachine":"(withheld)"},` +
		`{"downloadUrl":"(withheld)","DOWNLOAD_URL_OLD":"kept"}]}}`
	if got := string(Withhold([]byte(in), "(withheld)")); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if !Key("urlMachine") || Key("url") {
		t.Error("Key")
	}
}
