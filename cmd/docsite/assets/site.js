// The docs site's search and small helpers; no framework. The index (assets/search-index.js) holds
// every page once: its path under each language's folder, its title and description per language
// and its keywords. It is loaded on the first keystroke.
(function () {
  "use strict";
  var body = document.body, root = body.dataset.root, lang = body.dataset.lang;
  var input = document.getElementById("search"), list = document.getElementById("results");
  var index = null, waiting = false, shown = [], active = -1;

  window.b24docsIndex = function (data) {
    data.li = Math.max(0, data.langs.indexOf(lang));
    data.pages.forEach(function (p) {
      p.k = (p.k || "").toLowerCase();
      p.hay = (p.t.join(" ") + " " + p.k + " " + p.d.join(" ")).toLowerCase();
      p.titles = p.t.join(" ").toLowerCase();
    });
    index = data;
    search();
  };

  function load() {
    if (index || waiting) return;
    waiting = true;
    var s = document.createElement("script");
    s.src = root + "assets/search-index.js";
    document.head.appendChild(s);
  }

  // A page matches when every word of the query is in it; a word in the title counts most.
  function score(p, words, q) {
    var n = 0;
    for (var i = 0; i < words.length; i++) {
      var w = words[i];
      if (p.hay.indexOf(w) < 0) return 0;
      n += p.titles.indexOf(w) >= 0 ? 10 : p.k.indexOf(w) >= 0 ? 4 : 1;
    }
    for (var j = 0; j < p.t.length; j++) {
      var t = p.t[j].toLowerCase();
      if (t === q) n += 100;
      else if (t.indexOf(q) === 0) n += 30;
    }
    return n;
  }

  function search() {
    var q = input.value.trim().toLowerCase();
    list.textContent = "";
    shown = [];
    active = -1;
    if (!q) { list.hidden = true; return; }
    if (!index) { load(); return; }
    var words = q.split(/\s+/), hits = [];
    index.pages.forEach(function (p) {
      var s = score(p, words, q);
      if (s) hits.push([s, p]);
    });
    hits.sort(function (a, b) { return b[0] - a[0] || (a[1].u < b[1].u ? -1 : 1); });
    hits.slice(0, 40).forEach(function (h) {
      var p = h[1], i = p.t[index.li] ? index.li : p.t.findIndex(Boolean);
      var li = document.createElement("li"), a = document.createElement("a");
      var b = document.createElement("b"), span = document.createElement("span");
      a.href = root + index.langs[i] + "/" + p.u;
      b.textContent = p.t[i];
      span.textContent = p.d[i];
      a.appendChild(b);
      a.appendChild(span);
      li.appendChild(a);
      list.appendChild(li);
      shown.push(li);
    });
    if (!hits.length) {
      var none = document.createElement("li");
      none.textContent = body.dataset.nothing;
      none.style.padding = "6px 12px";
      list.appendChild(none);
    }
    list.hidden = false;
  }

  function move(d) {
    if (!shown.length) return;
    if (active >= 0) shown[active].classList.remove("active");
    active = (active + d + shown.length) % shown.length;
    shown[active].classList.add("active");
    shown[active].scrollIntoView({ block: "nearest" });
  }

  input.addEventListener("focus", load);
  input.addEventListener("input", search);
  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown") { move(1); e.preventDefault(); }
    else if (e.key === "ArrowUp") { move(-1); e.preventDefault(); }
    else if (e.key === "Enter" && shown.length) { location.href = shown[Math.max(active, 0)].firstChild.href; }
    else if (e.key === "Escape") { input.value = ""; search(); }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "/" && document.activeElement !== input) { input.focus(); e.preventDefault(); }
  });
  document.addEventListener("click", function (e) {
    if (!e.target.closest(".search")) list.hidden = true;
  });

  // A narrow screen starts with the menu folded; the current entry is scrolled into view.
  var side = document.querySelector(".sidebar"), narrow = window.matchMedia("(max-width: 860px)");
  if (side && narrow.matches) side.open = false;
  if (side && narrow.addEventListener) narrow.addEventListener("change", function () { side.open = !narrow.matches; });
  function reveal() {
    var cur = document.querySelector(".sidebar li.current > a");
    if (cur && side.open) side.scrollTop = cur.offsetTop - side.clientHeight / 2;
  }

  // The current namespace's pages come from its script (assets/nav/<lang>/<namespace>.js).
  var ns = document.querySelector(".sidebar li[data-pages]");
  // words writes a name into el with a break opportunity after each dot, so that a long method
  // name wraps between its words (crm.deal. / productrows.set), never inside one.
  function words(el, name) {
    name.split(/(?<=\.)/).forEach(function (part, i) {
      if (i) el.appendChild(document.createElement("wbr"));
      el.appendChild(document.createTextNode(part));
    });
  }
  document.querySelectorAll("article h1").forEach(function (h) {
    if (h.childNodes.length === 1 && h.firstChild.nodeType === 3) { var t = h.textContent; h.textContent = ""; words(h, t); }
  });
  window.b24docsNav = function (pages) {
    var ul = document.createElement("ul");
    pages.forEach(function (p) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = body.dataset.langroot + p[0];
      words(a, p[1]);
      if (p[0] === body.dataset.page) {
        li.className = "current";
        a.setAttribute("aria-current", "page");
      }
      li.appendChild(a);
      ul.appendChild(li);
    });
    ns.appendChild(ul);
    reveal();
  };
  if (ns) {
    var s = document.createElement("script");
    s.src = ns.dataset.pages;
    document.head.appendChild(s);
  }
  reveal();

  // A copy button on each code block.
  document.querySelectorAll("article pre").forEach(function (pre) {
    var btn = document.createElement("button");
    btn.className = "copy";
    btn.type = "button";
    btn.textContent = "Copy";
    btn.addEventListener("click", function () {
      navigator.clipboard.writeText(pre.querySelector("code").textContent).then(function () {
        btn.textContent = "✓";
        setTimeout(function () { btn.textContent = "Copy"; }, 1200);
      });
    });
    pre.appendChild(btn);
  });
})();
