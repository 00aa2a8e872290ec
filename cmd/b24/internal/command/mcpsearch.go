package command

import (
	"slices"
	"strings"
	"unicode"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/russian"
)

// The search of b24 mcp: a person's words, English or Russian, to the method they mean. Words are
// compared by their stems (Snowball's, so that "лиды" finds "лид" and "deals" "deal"); a word of the
// method's name counts more than one of its summaries; a Russian word counts as the name's word the
// spec's own summaries pair it with ("сделка" with deal), and a few common names as theirs
// ("воронка" is a deal category); the words of an action (list, создать, удалить) pick the method
// whose name ends in it; and among equals, the method whose name has fewest words the query does
// not name comes first: "deal list" is crm.deal.list, not crm.deal.userfield.list.

// searchIndex is what the search knows of a method.
type searchIndex struct {
	exact  string          // the name in lower case
	action string          // the action its name ends in: list, get, add, update, delete, search; "" for another
	ns     []string        // the stems of its namespace
	name   []string        // the stems of its name's words, the namespace left out
	parts  [][]string      // for each name word written as one of several (productrows), their stems
	nsPart []string        // the same for the namespace (imopenlines: im, open, lines)
	text   map[string]bool // the stems of its summaries and its OpenIntegrations names
}

// actions are the words that name an action, by the action (stems).
var actions = map[string][]string{
	"list":     {"list", "all", "список", "все", "перечен", "спис"},
	"get":      {"get", "read", "show", "info", "detail", "получ", "показа", "узна", "информац", "подробн", "сведен"},
	"add":      {"add", "creat", "new", "send", "post", "созда", "добав", "нов", "завест", "отправ"},
	"update":   {"updat", "edit", "chang", "modifi", "renam", "измен", "обнов", "редактир", "поменя", "переименова"},
	"delete":   {"delet", "remov", "удал", "стер"},
	"search":   {"search", "find", "look", "поиск", "най", "ищ"},
	"start":    {"start", "run", "launch", "запуст", "старт"},
	"complete": {"complet", "finish", "close", "заверш", "закр", "выполн"},
}

// actionOf is the action a stem names, "" for none.
func actionOf(stem string) string {
	for a, words := range actions {
		if slices.Contains(words, stem) {
			return a
		}
	}
	return ""
}

// nameAction is the action a method's last name word says: its last camelCase part's (getList is a
// list), else the word's beginning (getChildren is a get).
func nameAction(last string) string {
	parts := strings.Fields(splitCamel(last))
	for _, w := range []string{parts[len(parts)-1], last} {
		w = strings.ToLower(w)
		for _, p := range []struct{ prefix, action string }{
			{"list", "list"}, {"get", "get"}, {"info", "get"}, {"add", "add"}, {"create", "add"}, {"update", "update"},
			{"edit", "update"}, {"set", "update"}, {"rename", "update"}, {"delete", "delete"}, {"remove", "delete"}, {"search", "search"}, {"find", "search"},
			{"start", "start"}, {"complete", "complete"}, {"close", "complete"},
		} {
			if strings.HasPrefix(w, p.prefix) {
				return p.action
			}
		}
	}
	return ""
}

// split cuts a word written as one of several (productrows, imopenlines) into words the names use
// elsewhere (a plural "s" allowed), the fewest of them, the last one free when the others are known
// (rows of productrows); nil when it is not one.
func split(w string, words map[string]bool) []string {
	known := func(p string) bool { return words[p] || len(p) > 3 && p[len(p)-1] == 's' && words[p[:len(p)-1]] }
	best := map[int][]string{0: {}} // the fewest words that make w[:i]
	for i := 2; i <= len(w); i++ {
		for j := max(0, i-20); j <= i-2; j++ {
			if prev, ok := best[j]; ok && known(w[j:i]) && (j > 0 || i < len(w)) {
				if cur, ok := best[i]; !ok || len(prev)+1 < len(cur) {
					best[i] = append(slices.Clone(prev), w[j:i])
				}
			}
		}
	}
	if whole, ok := best[len(w)]; ok {
		return whole
	}
	for i := len(w) - 3; i >= 4; i-- {
		if prev, ok := best[i]; ok {
			return append(slices.Clone(prev), w[i:])
		}
	}
	return nil
}

// commonNames are names people use for what the spec names otherwise (stems → the name's word).
var commonNames = map[string]string{
	"воронк": "category", "пайплайн": "category", "funnel": "category", "pipelin": "category",
	"сотрудник": "user", "юзер": "user", "employe": "user",
	"клиент": "contact", "контрагент": "company", "организац": "company",
	"сделк": "deal", "лид": "lead", "контакт": "contact", "компан": "company", "задач": "task", "пользовател": "user",
	"чат": "chat", "сообщен": "message", "звонок": "call", "звонк": "call", "файл": "file", "папк": "folder", "диск": "disk",
	"календар": "calendar", "событ": "event", "счет": "invoice", "товар": "product", "каталог": "catalog",
	"смарт": "item", "smart": "item", "элемент": "item", "приложен": "app", "бизнес": "bizproc",
	"бот": "bot", "уведомлен": "notify", "notif": "notify", "подразделен": "department", "отдел": "department",
	"подписа": "bind", "subscrib": "bind", "стад": "stage", "этап": "stage",
	"текущ": "current", "непрочита": "unread", "прочита": "read",
	"открыт": "open", "лини": "line", "хранилищ": "storage",
}

// commonName is the name word a common name stands for, stemmed as the index stems names.
func commonName(stem string) (string, bool) {
	n, ok := commonNames[stem]
	if !ok {
		return "", false
	}
	return english.Stem(n, false), true
}

// stems splits text into words (letters and digits, a camelCase word into its parts) and stems
// each by its language.
func stems(text string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(splitCamel(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		w = strings.ToLower(w)
		if strings.ContainsFunc(w, func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) }) {
			out = append(out, russian.Stem(w, false))
		} else {
			out = append(out, english.Stem(w, false))
		}
	}
	return out
}

// splitCamel puts a space where a lower-case letter meets an upper-case one (GetDealList, СоздатьСделку).
func splitCamel(s string) string {
	var b strings.Builder
	var prev rune
	for _, r := range s {
		if unicode.IsUpper(r) && unicode.IsLower(prev) {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

// fleeting joins a Russian stem to the form the index knows when one differs from it by a vowel
// that comes and goes (сделок, сделк): the stem without its last о or е, when the index knows that.
func fleeting(stem string, known map[string]bool) string {
	r := []rune(stem)
	for i := len(r) - 2; i >= 0 && i >= len(r)-3; i-- {
		if r[i] == 'о' || r[i] == 'е' {
			if v := string(r[:i]) + string(r[i+1:]); known[v] {
				return v
			}
		}
	}
	return stem
}

// searcher is the index of every method, made once.
type searcher struct {
	tools      []*toolEntry
	namespaces map[string]bool   // the stems of every namespace
	known      map[string]bool   // every stem of the index
	synonyms   map[string]string // a Russian stem → the name word its summaries pair it with
}

// index prepares the search: each method's stems, and the pairs of a Russian stem with a name word
// that the summaries of that word's methods show (the stem in at least 3 of them, and in them for
// at least half of its uses).
func index(tools []*toolEntry) *searcher {
	s := &searcher{tools: tools, namespaces: map[string]bool{}, known: map[string]bool{}, synonyms: map[string]string{}}
	pair := map[[2]string]int{}
	uses := map[string]int{}
	// the words names are written with, for cutting the ones written as one of several
	dict := map[string]bool{}
	for _, e := range tools {
		for i, w := range strings.Split(e.Wire, ".") {
			for _, part := range strings.Fields(splitCamel(w)) {
				if part = strings.ToLower(part); len(part) >= 3 || i == 0 {
					dict[part] = true
				}
			}
		}
	}
	cut := func(w string) []string {
		var out []string
		for _, p := range split(strings.ToLower(w), dict) {
			out = append(out, stems(p)...)
		}
		return out
	}
	for _, e := range tools {
		words := strings.Split(e.Wire, ".")
		ix := &e.search
		ix.exact = strings.ToLower(e.method())
		ix.action = nameAction(words[len(words)-1]) // its case tells the parts of getList
		ix.ns = stems(words[0])
		ix.nsPart = cut(words[0])
		for _, n := range ix.ns {
			s.namespaces[n] = true
		}
		ix.name, ix.parts = nil, nil
		for _, w := range words[1:] {
			for _, st := range stems(w) {
				ix.name = append(ix.name, st)
				ix.parts = append(ix.parts, nil)
			}
			if p := cut(w); p != nil && len(stems(w)) == 1 {
				ix.parts[len(ix.parts)-1] = p
			}
		}
		ix.text = map[string]bool{}
		for _, st := range stems(e.Summary.EN + " " + e.Summary.RU + " " + strings.Join(e.OPI, " ")) {
			ix.text[st] = true
		}
		for _, st := range append(slices.Clone(ix.name), slices.Collect(mapKeys(ix.text))...) {
			s.known[st] = true
		}
		for _, ru := range stems(e.Summary.RU) {
			uses[ru]++
			for _, n := range ix.name {
				pair[[2]string{ru, n}]++
			}
		}
	}
	for p, n := range pair {
		if n >= 3 && 2*n >= uses[p[0]] && actionOf(p[1]) == "" {
			if prev, ok := s.synonyms[p[0]]; !ok || pair[[2]string{p[0], prev}] < n || pair[[2]string{p[0], prev}] == n && p[1] < prev {
				s.synonyms[p[0]] = p[1]
			}
		}
	}
	return s
}

func mapKeys(m map[string]bool) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// term is a query word: its stem, the name word it stands for, or the action it names.
type term struct{ stem, name, action string }

func (s *searcher) terms(query string) []term {
	var out []term
	for _, st := range stems(query) {
		alt := fleeting(st, s.known)
		t := term{stem: alt, action: actionOf(st), name: alt}
		switch n, ok := commonName(st); {
		case ok:
			t.name = n
		case alt != st:
			if n, ok := commonName(alt); ok {
				t.name = n
			} else if n, ok := s.synonyms[alt]; ok {
				t.name = n
			}
		default:
			if n, ok := s.synonyms[st]; ok {
				t.name = n
			}
		}
		out = append(out, t)
	}
	return out
}

// score rates how well an entry matches the terms; matched is how many terms other than actions it
// has. namespaces are the stems of every namespace: a term that names one puts the methods outside
// it behind (user is user.get before im.chat.user.list).
func (e *toolEntry) score(terms []term, namespaces map[string]bool) (score float64, matched int) {
	ix := &e.search
	named := map[string]bool{}
	namedPart := map[int]bool{} // name words the query names a part of
	asked := ""                 // the action the query names
	for _, t := range terms {
		switch {
		case t.action != "":
			asked = t.action
			switch {
			case ix.action == t.action:
				score += 4
			case t.action == "list" && ix.action == "get": // many entities list with get (user.get)
				score += 2
			case ix.text[t.stem]:
				score += 0.5
			}
			continue
		case slices.Contains(ix.name, t.name) || slices.Contains(ix.name, t.stem):
			score += 3
			named[t.name], named[t.stem] = true, true
			if namespaces[t.name] && !slices.Contains(ix.ns, t.name) {
				score-- // the entity has a namespace of its own, and this method is in another's
			}
		case slices.Contains(ix.ns, t.name) || slices.Contains(ix.ns, t.stem):
			score += 3
		case ix.partOf(t) >= 0:
			score += 2.5
			namedPart[ix.partOf(t)] = true
		case slices.Contains(ix.nsPart, t.name) || slices.Contains(ix.nsPart, t.stem):
			score += 2.5
		case ix.text[t.stem]:
			score++
		default:
			if namespaces[t.name] {
				score -= 1.5
			}
			continue
		}
		matched++
	}
	switch {
	case asked != "":
	case len(ix.name) > 0 && named[ix.name[len(ix.name)-1]]: // the query names what is asked ("company fields")
		score++
	case ix.action == "list": // an entity alone asks for its list ("leads")
		score++
	}
	// each word of the name the query does not name makes the method less likely the one meant
	for i, n := range ix.name {
		if !named[n] && !namedPart[i] && !(i == len(ix.name)-1 && ix.action != "") {
			score -= 1.5
		}
	}
	if e.Deprecated {
		score -= 0.3
	}
	return score, matched
}

// partOf is the name word a term names a part of (deal of dealcategory), -1 for none.
func (ix *searchIndex) partOf(t term) int {
	for i, p := range ix.parts {
		if slices.Contains(p, t.name) || slices.Contains(p, t.stem) {
			return i
		}
	}
	return -1
}

// searchTools finds the methods that match the query among those allowed: those with every word of
// it that is not an action if any has them all, else the most; the method named exactly first.
func searchTools(s *searcher, allowed func(*toolEntry) bool, query, namespace string, limit int) (found []*toolEntry, total int) {
	terms := s.terms(query)
	if len(terms) == 0 {
		return nil, 0
	}
	type hit struct {
		e       *toolEntry
		score   float64
		matched int
	}
	var hits []hit
	best := 0
	q := strings.ToLower(strings.TrimSpace(query))
	need := 0 // a query of more than actions wants one of its other words at least
	if slices.ContainsFunc(terms, func(t term) bool { return t.action == "" }) {
		need = 1
	}
	for _, e := range s.tools {
		if !allowed(e) || namespace != "" && !strings.EqualFold(e.Namespace, namespace) {
			continue
		}
		sc, m := e.score(terms, s.namespaces)
		if e.search.exact == q || strings.EqualFold(e.Name, q) {
			sc, m = sc+100, len(terms)
		}
		if m < need || m == 0 && sc <= 0 {
			continue
		}
		hits = append(hits, hit{e, sc, m})
		best = max(best, m)
	}
	hits = slices.DeleteFunc(hits, func(h hit) bool { return h.matched < best-1 }) // the score sorts the rest
	slices.SortStableFunc(hits, func(a, b hit) int {
		switch {
		case a.score != b.score:
			if a.score > b.score {
				return -1
			}
			return 1
		case len(a.e.Wire) != len(b.e.Wire):
			return len(a.e.Wire) - len(b.e.Wire)
		}
		return strings.Compare(a.e.method(), b.e.method())
	})
	for i, h := range hits {
		if i == limit {
			break
		}
		found = append(found, h.e)
	}
	return found, len(hits)
}
