package spec

import "strings"

// nameVerbs are the words that, as a segment of a wire name, say the method changes data: Bitrix24
// names its actions by verbs (im.notify.read marks notifications read, im.notify.read.list marks
// several), and a read is named by what it returns (get, list, fields).
var nameVerbs = map[string]bool{
	"add": true, "set": true, "update": true, "delete": true, "remove": true, "mark": true, "read": true,
	"unread": true, "bind": true, "unbind": true, "start": true, "stop": true, "complete": true, "send": true,
	"attach": true, "detach": true, "register": true, "unregister": true, "clear": true, "reset": true,
	"move": true, "copy": true, "install": true, "uninstall": true, "approve": true, "cancel": true,
	"close": true, "restore": true, "renew": true, "pin": true, "unpin": true, "mute": true, "execute": true,
	"save": true, "import": true, "upload": true,
}

// summaryVerbs are the first words of an English summary that say the method changes data (the
// spec's summaries start with what the method does: "Returns …", "Marks …").
var summaryVerbs = map[string]bool{
	"adds": true, "sets": true, "updates": true, "deletes": true, "removes": true, "marks": true, "binds": true,
	"unbinds": true, "starts": true, "stops": true, "completes": true, "sends": true, "attaches": true,
	"detaches": true, "registers": true, "clears": true, "resets": true, "moves": true, "copies": true,
	"installs": true, "creates": true, "changes": true, "saves": true, "writes": true, "executes": true,
	"runs": true, "cancels": true, "closes": true, "opens": true, "restores": true, "renews": true,
	"pins": true, "unpins": true, "mutes": true, "approves": true, "uploads": true, "imports": true,
}

// WriteWord is the word that says a method changes data: a segment of its wire name after the
// namespace, or the first word of its English summary; "" when neither says so. A method marked read
// that has one is a write (the importer makes it one; a test keeps the spec so): a read may be
// repeated after an ambiguous failure, and b24 mcp offers reads without --allow-writes.
func WriteWord(method, summaryEN string) string {
	segs := strings.Split(strings.ToLower(method), ".")
	for _, s := range segs[min(1, len(segs)):] {
		if nameVerbs[s] {
			return s
		}
	}
	if w := strings.Fields(summaryEN); len(w) > 0 && summaryVerbs[strings.ToLower(w[0])] {
		return w[0]
	}
	return ""
}
