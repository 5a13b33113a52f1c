// The e-edition's script: the reader's settings, the keys that turn the 版, sharing, search, offline reading.
// Loaded in the head, so that the text size and colours the reader chose apply before the page is drawn.
(function () {
  "use strict";
  var SIZES = [0.85, 1, 1.15, 1.3, 1.5, 1.75];
  var KEY = "exporter-e.";
  var root = document.documentElement;

  function get(name) {
    try { return window.localStorage.getItem(KEY + name); } catch (e) { return null; }
  }
  function put(name, value) {
    try { window.localStorage.setItem(KEY + name, value); } catch (e) { /* private mode: for this page only */ }
  }

  function size() {
    var step = parseInt(get("size"), 10);
    return isNaN(step) ? 1 : Math.max(0, Math.min(SIZES.length - 1, step));
  }
  function dark() {
    var chosen = get("color");
    if (chosen) { return chosen === "dark"; }
    return !!(window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
  }
  function apply() {
    root.style.setProperty("--e-size", String(SIZES[size()]));
    root.classList.toggle("e-dark", dark());
    root.classList.toggle("e-horizontal", get("mode") === "horizontal");
  }
  apply();

  function ready(fn) {
    if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", fn); } else { fn(); }
  }

  function settings() {
    function on(selector, fn) {
      var button = document.querySelector(selector);
      if (button) { button.addEventListener("click", fn); }
      return button;
    }
    function pressed() {
      var d = document.querySelector(".e-night");
      if (d) { d.setAttribute("aria-pressed", String(dark())); }
      var m = document.querySelector(".e-mode");
      if (m) { m.setAttribute("aria-pressed", String(get("mode") !== "horizontal")); }
      var smaller = document.querySelector(".e-smaller"), larger = document.querySelector(".e-larger");
      if (smaller) { smaller.disabled = size() === 0; }
      if (larger) { larger.disabled = size() === SIZES.length - 1; }
    }
    on(".e-smaller", function () { put("size", String(Math.max(0, size() - 1))); apply(); pressed(); });
    on(".e-larger", function () { put("size", String(Math.min(SIZES.length - 1, size() + 1))); apply(); pressed(); });
    on(".e-night", function () { put("color", dark() ? "light" : "dark"); apply(); pressed(); });
    on(".e-mode", function () { put("mode", get("mode") === "horizontal" ? "vertical" : "horizontal"); apply(); pressed(); });
    on(".e-share", function () {
      var url = window.location.href.split("#")[0];
      var said = document.querySelector(".e-said");
      var button = this;
      if (navigator.share) {
        navigator.share({ title: document.title, url: url }).catch(function () {});
      } else if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url).then(function () {
          if (said) { said.textContent = button.getAttribute("data-copied"); }
        }, function () { if (said) { said.textContent = url; } });
      } else if (said) {
        said.textContent = url;
      }
    });
    pressed();
  }

  // ← and → turn to the previous and next 版, as the links 上一版 and 下一版 do; not while typing.
  function turning() {
    document.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) { return; }
      var target = event.target;
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) { return; }
      var link = null;
      if (event.key === "ArrowRight") { link = document.querySelector(".e-turn .e-next[href]"); }
      if (event.key === "ArrowLeft") { link = document.querySelector(".e-turn .e-previous[href]"); }
      if (link) { event.preventDefault(); window.location.href = link.getAttribute("href"); }
    });
  }

  // Search: the articles are indexed by character bigrams (a run of Latin letters or digits is one token);
  // a query's terms (split at spaces) must all be found, each as a phrase.
  var WORD = /[\p{L}\p{N}]/u;
  var LATIN = /[A-Za-z0-9\u00C0-\u024F]/;
  function normal(text) {
    return text.normalize("NFKC").toLowerCase();
  }
  function tokens(text) {
    var out = [], run = "", latin = "";
    function flushRun() {
      if (run.length === 1) { out.push(run); }
      for (var i = 0; i + 1 < run.length; i++) { out.push(run.slice(i, i + 2)); }
      run = "";
    }
    function flushLatin() { if (latin) { out.push(latin); latin = ""; } }
    for (var ch of text) {
      if (LATIN.test(ch)) { flushRun(); latin += ch; }
      else if (WORD.test(ch)) { flushLatin(); run += ch; }
      else { flushRun(); flushLatin(); }
    }
    flushRun(); flushLatin();
    return out;
  }
  function build(docs) {
    var postings = new Map();
    docs.forEach(function (doc, n) {
      doc.all = normal([doc.h, doc.k, doc.s, doc.y, doc.t].join("\n"));
      doc.head = normal([doc.h, doc.k, doc.s].join("\n"));
      tokens(doc.all).forEach(function (token) {
        var set = postings.get(token);
        if (!set) { set = new Set(); postings.set(token, set); }
        set.add(n);
      });
    });
    return postings;
  }
  function candidates(postings, term, count) {
    var found = null;
    var list = tokens(term);
    for (var token of list) {
      var single = token.length === 1 && !LATIN.test(token);
      var docs = new Set();
      if (single) { // one character: every bigram holding it
        postings.forEach(function (set, key) { if (key.indexOf(token) >= 0) { set.forEach(function (n) { docs.add(n); }); } });
      } else if (LATIN.test(token[0])) { // a word: any indexed word that begins with it
        postings.forEach(function (set, key) { if (key.startsWith(token)) { set.forEach(function (n) { docs.add(n); }); } });
      } else {
        docs = postings.get(token) || new Set();
      }
      found = found === null ? docs : new Set(Array.from(found).filter(function (n) { return docs.has(n); }));
      if (!found.size) { break; }
    }
    if (found === null) { found = new Set(Array.from({ length: count }, function (_, n) { return n; })); }
    return found;
  }
  function occurrences(text, term) {
    var n = 0, at = text.indexOf(term);
    while (at >= 0) { n++; at = text.indexOf(term, at + term.length); }
    return n;
  }
  function escape(text) {
    return text.replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
  }
  function snippet(doc, terms) {
    var text = doc.t.normalize("NFKC");
    var lower = text.toLowerCase();
    var at = -1;
    for (var term of terms) { at = lower.indexOf(term); if (at >= 0) { break; } }
    if (at < 0) { at = 0; }
    var start = Math.max(0, at - 30), end = Math.min(text.length, at + 70);
    var piece = text.slice(start, end).replace(/\s+/g, " ");
    var marked = escape(piece);
    terms.forEach(function (term) {
      var lowerPiece = piece.toLowerCase(), out = "", from = 0, hit = lowerPiece.indexOf(term);
      if (hit < 0) { return; }
      while (hit >= 0) {
        out += escape(piece.slice(from, hit)) + "<mark>" + escape(piece.slice(hit, hit + term.length)) + "</mark>";
        from = hit + term.length;
        hit = lowerPiece.indexOf(term, from);
      }
      marked = out + escape(piece.slice(from));
    });
    return (start > 0 ? "…" : "") + marked + (end < text.length ? "…" : "");
  }
  function search(data, query) {
    var terms = normal(query).split(/\s+/).filter(Boolean);
    if (!terms.length) { return []; }
    var postings = data.postings || (data.postings = build(data.docs));
    var hits = null;
    terms.forEach(function (term) {
      var c = candidates(postings, term, data.docs.length);
      hits = hits === null ? c : new Set(Array.from(hits).filter(function (n) { return c.has(n); }));
    });
    var results = [];
    hits.forEach(function (n) {
      var doc = data.docs[n];
      if (!terms.every(function (term) { return doc.all.indexOf(term) >= 0; })) { return; }
      var score = 0;
      terms.forEach(function (term) { score += occurrences(doc.all, term) + 10 * occurrences(doc.head, term); });
      results.push({ doc: doc, score: score, order: n });
    });
    results.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    return results.map(function (r) { return { doc: r.doc, terms: terms }; });
  }
  function searchPage() {
    var list = document.querySelector(".e-results");
    if (!list || !window.exporterSearch) { return; }
    var status = document.querySelector(".e-search-status");
    var input = document.querySelector(".e-find input");
    var query = new URLSearchParams(window.location.search).get("q") || "";
    function show(q) {
      list.textContent = "";
      if (!q.trim()) { status.textContent = ""; return; }
      var results = search(window.exporterSearch, q);
      status.textContent = results.length
        ? status.getAttribute("data-found").replace("{count}", String(results.length))
        : status.getAttribute("data-none") + "“" + q + "”";
      results.forEach(function (r) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = r.doc.u;
        a.textContent = r.doc.h;
        li.appendChild(a);
        if (r.doc.b) {
          var ban = document.createElement("span");
          ban.className = "e-hit-ban";
          ban.textContent = r.doc.b;
          li.appendChild(ban);
        }
        var p = document.createElement("p");
        p.className = "e-hit-snippet";
        p.innerHTML = snippet(r.doc, r.terms);
        li.appendChild(p);
        list.appendChild(li);
      });
    }
    if (input) {
      input.value = query;
      input.addEventListener("input", function () {
        var url = new URL(window.location.href);
        url.searchParams.set("q", input.value);
        window.history.replaceState(null, "", url);
        show(input.value);
      });
    }
    show(query);
  }
  window.exporterFind = function (query) { return search(window.exporterSearch, query).map(function (r) { return r.doc.u; }); };

  function offline() {
    if ("serviceWorker" in navigator && /^https?:$/.test(window.location.protocol)) {
      navigator.serviceWorker.register("sw.js").catch(function () {});
    }
  }

  ready(function () { settings(); turning(); searchPage(); offline(); });
})();
