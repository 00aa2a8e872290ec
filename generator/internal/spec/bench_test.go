package spec

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeSynthetic writes a tree of nsCount namespaces with perNS method files each, shaped like
// real imported spec files (several params, nested fields, a map, a drop, a result with fields,
// an example and an OPI function), plus a _types.yaml. Every tenth method has a large example
// (about 30 KB), as the biggest imported methods do.
func writeSynthetic(tb testing.TB, dir string, nsCount, perNS int) {
	tb.Helper()
	for n := range nsCount {
		ns := fmt.Sprintf("ns%d", n)
		if err := os.MkdirAll(filepath.Join(dir, ns), 0o755); err != nil {
			tb.Fatal(err)
		}
		types := ("spec: 1\ntypes:\n  - name: Block\n    summary: {en: A block., ru: Блок.}\n    fields:\n      - {name: LINK, type: string, required: true}\n      - {name: NAME, type: string}\n")
		if err := os.WriteFile(filepath.Join(dir, ns, typesFile), []byte(types), 0o644); err != nil {
			tb.Fatal(err)
		}
		for m := range perNS {
			name := fmt.Sprintf("%s.item%d.get", ns, m)
			var b strings.Builder
			fmt.Fprintf(&b, "spec: 1\nmethod: %s\nscope: %s\nkind: read\n", name, ns)
			b.WriteString("summary:\n  en: Returns an item by its ID.\n  ru: Возвращает элемент по ID.\n")
			b.WriteString("docs: https://apidocs.bitrix24.ru/api-reference/x.html\nparams:\n")
			for p := range 6 {
				fmt.Fprintf(&b, "  - name: PARAM_%d\n    type: integer\n    required: %t\n    summary:\n      en: Param %d.\n      ru: Параметр %d.\n", p, p == 0, p, p)
			}
			b.WriteString("  - name: FLAG\n    type: boolean\n    bool: YN\n    enum: [Y, N]\n  - name: ATTACH\n    type: \"[]Block\"\n")
			b.WriteString("  - name: order\n    type: map[string]string\n  - name: fields\n    type: object\n    free: uf\n    fields:\n")
			for f := range 12 {
				fmt.Fprintf(&b, "      - name: FIELD_%d\n        type: string\n        summary: {en: Field %d., ru: Поле %d.}\n", f, f, f)
			}
			b.WriteString("      - name: ITEMS\n        type: \"[]object\"\n        fields:\n          - {name: ID, type: id, required: true}\n          - {name: NAME, type: string}\n")
			b.WriteString("drop:\n  - name: result\n    fix: The schema lists the response keys as parameters.\n")
			b.WriteString("result:\n  type: object\n  summary: {en: The item., ru: Элемент.}\n  fields:\n    - {name: ID, type: id}\n    - {name: NAME, type: string}\n")
			b.WriteString("example: |\n  {\"result\": {\"ID\": \"1\", \"NAME\": \"x\"")
			if m%10 == 0 {
				b.WriteString(",\n   \"ITEMS\": [")
				for i := range 300 {
					if i > 0 {
						b.WriteString(",\n    ")
					}
					fmt.Fprintf(&b, `{"ID": "%d", "TITLE": "Item number %d", "STAGE_ID": "C1:NEW", "OPPORTUNITY": "1500.00", "UF_CRM_1": null}`, i, i)
				}
				b.WriteString("]")
			}
			b.WriteString("}, \"time\": {\"start\": 1772624862.1, \"finish\": 1772624862.2}}\n")
			fmt.Fprintf(&b, "opi:\n  - ru: ПолучитьЭлемент%d_%d\n    en: GetItem%d_%d\n    region: Items\n    options:\n", n, m, n, m)
			b.WriteString("      - {cli: id, param: PARAM_0, ru: ID, en: ID}\n    fixed:\n      FLAG: \"Y\"\n")
			if err := os.WriteFile(filepath.Join(dir, ns, name+".yaml"), []byte(b.String()), 0o644); err != nil {
				tb.Fatal(err)
			}
		}
	}
}

func TestLoadSynthetic(t *testing.T) {
	dir := t.TempDir()
	writeSynthetic(t, dir, 4, 25)
	s, err := Load(dir)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(s.Namespaces) != 4 || len(s.Namespaces[0].Methods) != 25 || len(s.Namespaces[3].Types) != 1 {
		t.Fatalf("got %d namespaces, %d methods in the first", len(s.Namespaces), len(s.Namespaces[0].Methods))
	}
	// a second load gives the same result: the parallel decoding must not show
	for range 3 {
		again, err := Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		for i, ns := range again.Namespaces {
			for j, m := range ns.Methods {
				if m.Name != s.Namespaces[i].Methods[j].Name {
					t.Fatalf("order differs between loads at %d/%d: %s vs %s", i, j, m.Name, s.Namespaces[i].Methods[j].Name)
				}
			}
		}
	}
}

// BenchmarkLoad loads 1,600 method files (40 namespaces of 40), the size of the full Bitrix24 spec
// (1,562 methods).
func BenchmarkLoad(b *testing.B) {
	dir := b.TempDir()
	writeSynthetic(b, dir, 40, 40)
	for b.Loop() {
		if _, err := Load(dir); err != nil {
			b.Fatal(err)
		}
	}
}
