// Site search (the header's search box) and the problem filters of the
// landing page. No dependencies, no network: the index is `search-index.js`,
// written by `meridian build` at the site root and loaded as a script on the
// first focus of the box (a script, not fetch(), so it also loads from
// file://). Index text reaches the page only as text nodes.
(function () {
  "use strict";

  // --- Tokens: the same split as the generator's (generator/src/site/search.rs).
  var WORD = /[\p{L}\p{N}]+/gu;
  function tokenize(text) {
    return (text || "").toLowerCase().match(WORD) || [];
  }

  // Damerau-Levenshtein (optimal string alignment) distance, or max + 1 as
  // soon as it must exceed max.
  function distance(a, b, max) {
    var la = a.length, lb = b.length;
    if (Math.abs(la - lb) > max) { return max + 1; }
    var before = null, prev = [], cur, i, j;
    for (j = 0; j <= lb; j++) { prev[j] = j; }
    for (i = 1; i <= la; i++) {
      cur = [i];
      var best = i;
      for (j = 1; j <= lb; j++) {
        var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          v = Math.min(v, before[j - 2] + 1);
        }
        cur[j] = v;
        if (v < best) { best = v; }
      }
      if (best > max) { return max + 1; }
      before = prev;
      prev = cur;
    }
    return prev[lb];
  }

  // Typos allowed in a query word: none below 4 letters, 1 from 4, 2 from 8.
  function allowed(q) {
    return q.length >= 8 ? 2 : q.length >= 4 ? 1 : 0;
  }

  // How well the index word v matches the query word q (0: not at all).
  // `typing`: q is the word being typed, so v may continue it.
  function matchScore(q, v, typing) {
    if (v === q) { return 1; }
    if (q.length >= 2 && v.length > q.length && v.lastIndexOf(q, 0) === 0) { return 0.75; }
    var max = allowed(q);
    if (max === 0) { return 0; }
    var d = distance(q, v, max);
    if (d <= max) { return d === 1 ? 0.6 : 0.4; }
    if (typing && v.length > q.length) {
      // A typo in a word not finished yet: compare with v's beginning.
      for (var n = q.length - 1; n <= q.length + 1; n++) {
        if (n < v.length && distance(q, v.slice(0, n), 1) <= 1) { return 0.35; }
      }
    }
    return 0;
  }

  // Where a word appears counts: title above parent chapter above excerpt
  // above the rest of the text.
  var WEIGHTS = { t: 10, p: 4, x: 2, w: 1 };
  var MAX_RESULTS = 12;

  function buildIndex(data) {
    var postings = new Map();
    data.docs.forEach(function (doc, i) {
      Object.keys(WEIGHTS).forEach(function (field) {
        var weight = WEIGHTS[field];
        tokenize(doc[field]).forEach(function (t) {
          var docs = postings.get(t);
          if (!docs) { docs = new Map(); postings.set(t, docs); }
          if ((docs.get(i) || 0) < weight) { docs.set(i, weight); }
        });
      });
    });
    return { data: data, postings: postings, vocab: Array.from(postings.keys()) };
  }

  // Documents matching every query word, best first, each with the index
  // words it matched (for highlighting).
  function search(index, query) {
    var words = tokenize(query).filter(function (w, i, all) { return all.indexOf(w) === i; });
    if (words.length === 0 || words.join("").length < 2) { return []; }
    var typingLast = !/\s$/.test(query);
    var total = null;
    var matched = new Map();
    words.forEach(function (q, k) {
      var typing = typingLast && k === words.length - 1;
      var best = new Map();
      index.vocab.forEach(function (v) {
        var s = matchScore(q, v, typing);
        if (s === 0) { return; }
        index.postings.get(v).forEach(function (weight, doc) {
          var score = s * weight;
          if ((best.get(doc) || 0) < score) { best.set(doc, score); }
          var m = matched.get(doc);
          if (!m) { m = new Set(); matched.set(doc, m); }
          m.add(v);
        });
      });
      if (total === null) {
        total = best;
      } else {
        total.forEach(function (score, doc) {
          if (best.has(doc)) { total.set(doc, score + best.get(doc)); } else { total.delete(doc); }
        });
      }
    });
    var results = [];
    total.forEach(function (score, doc) {
      results.push({ doc: doc, score: score, words: matched.get(doc) });
    });
    results.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    return results.slice(0, MAX_RESULTS);
  }

  // Appends `text` to `parent`, each word in `words` wrapped in <mark>.
  function appendMarked(parent, text, words) {
    var last = 0, m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text)) !== null) {
      if (!words.has(m[0].toLowerCase())) { continue; }
      if (m.index > last) { parent.appendChild(document.createTextNode(text.slice(last, m.index))); }
      var mark = document.createElement("mark");
      mark.textContent = m[0];
      parent.appendChild(mark);
      last = m.index + m[0].length;
    }
    if (last < text.length) { parent.appendChild(document.createTextNode(text.slice(last))); }
  }

  function span(className, text, words) {
    var s = document.createElement("span");
    s.className = className;
    if (words) { appendMarked(s, text, words); } else { s.textContent = text; }
    return s;
  }

  // For the browser tests and curious readers: the pure parts.
  window.meridianSearch = { tokenize: tokenize, distance: distance, buildIndex: buildIndex, search: search };

  var DIFFICULTY = { easy: "Easy", foundation: "Foundation", intermediate: "Intermediate", advanced: "Advanced" };

  // --- The search box ---------------------------------------------------------
  var form = document.querySelector(".site-search");
  if (form) {
    var input = form.querySelector("input");
    var list = form.querySelector("[role=listbox]");
    var status = form.querySelector(".search-status");
    var panel = form.querySelector(".search-panel");
    var root = form.getAttribute("data-root") || "";
    var index = null;
    var loading = false;
    var results = [];
    var active = -1;

    form.hidden = false;

    var setOpen = function (open) {
      panel.hidden = !open;
      input.setAttribute("aria-expanded", String(open && results.length > 0));
    };

    var setActive = function (i) {
      active = i;
      Array.prototype.forEach.call(list.children, function (li, j) {
        li.setAttribute("aria-selected", String(j === i));
        li.classList.toggle("active", j === i);
      });
      if (i >= 0 && list.children[i]) {
        input.setAttribute("aria-activedescendant", list.children[i].id);
        list.children[i].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    };

    var render = function () {
      var query = input.value;
      list.textContent = "";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      if (!query.trim()) {
        results = [];
        status.textContent = "";
        setOpen(false);
        return;
      }
      if (!index) {
        results = [];
        status.textContent = loading ? "Loading the search index…" : "The search index could not be loaded.";
        setOpen(true);
        return;
      }
      results = search(index, query);
      var docs = index.data.docs;
      results.forEach(function (r, i) {
        var doc = docs[r.doc];
        var li = document.createElement("li");
        li.id = "site-search-result-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var a = document.createElement("a");
        a.href = root + doc.u;
        a.tabIndex = -1;
        a.appendChild(span("search-result-title", doc.t, r.words));
        var context = doc.d ? "Problem · " + (DIFFICULTY[doc.d] || doc.d) : doc.p || "Chapter";
        a.appendChild(span("search-result-context", context, doc.p ? r.words : null));
        if (doc.x) { a.appendChild(span("search-result-excerpt", doc.x, r.words)); }
        // Words matched only in the rest of the text are named, so every
        // result shows why it matched.
        var shown = new Set(tokenize(doc.t + " " + (doc.p || "") + " " + doc.x));
        var elsewhere = Array.from(r.words).filter(function (w) { return !shown.has(w); });
        if (elsewhere.length) {
          var also = span("search-result-also", "Mentions ", null);
          appendMarked(also, elsewhere.slice(0, 4).join(", "), r.words);
          a.appendChild(also);
        }
        li.appendChild(a);
        list.appendChild(li);
      });
      status.textContent = results.length === 0
        ? "No results for “" + query.trim() + "”."
        : results.length + (results.length === 1 ? " result" : " results") + (results.length === MAX_RESULTS ? " (the best)" : "") + ".";
      setOpen(true);
    };

    var load = function () {
      if (index || loading) { return; }
      if (window.meridianSearchIndex) {
        index = buildIndex(window.meridianSearchIndex);
        return;
      }
      loading = true;
      var script = document.createElement("script");
      script.src = root + "search-index.js";
      script.async = true;
      script.onload = function () {
        loading = false;
        if (window.meridianSearchIndex) { index = buildIndex(window.meridianSearchIndex); }
        if (input.value.trim()) { render(); }
      };
      script.onerror = function () {
        loading = false;
        if (input.value.trim()) { render(); }
      };
      document.head.appendChild(script);
    };

    var follow = function (i) {
      var li = list.children[i];
      if (!li) { return; }
      var href = li.querySelector("a").href;
      setOpen(false);
      window.location.assign(href);
    };

    input.addEventListener("focus", function () {
      load();
      if (input.value.trim()) { render(); }
    });
    input.addEventListener("input", render);
    input.addEventListener("keydown", function (e) {
      var n = results.length;
      if (e.key === "ArrowDown") {
        e.preventDefault();
        if (panel.hidden) { render(); }
        if (n) { setActive(active < n - 1 ? active + 1 : 0); }
      } else if (e.key === "ArrowUp") {
        e.preventDefault();
        if (n) { setActive(active > 0 ? active - 1 : n - 1); }
      } else if (e.key === "Enter") {
        e.preventDefault();
        if (n && !panel.hidden) { follow(active >= 0 ? active : 0); }
      } else if (e.key === "Escape") {
        e.preventDefault();
        if (!panel.hidden) {
          setOpen(false);
          setActive(-1);
        } else if (input.value) {
          input.value = "";
          render();
        } else {
          input.blur();
        }
      }
    });
    // Keep the focus in the box while a result is clicked.
    panel.addEventListener("mousedown", function (e) { e.preventDefault(); });
    form.addEventListener("focusout", function (e) {
      if (!form.contains(e.relatedTarget)) { setOpen(false); }
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); });

    // `/` or `s` focuses the box, unless typing somewhere already.
    document.addEventListener("keydown", function (e) {
      if ((e.key !== "/" && e.key !== "s") || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) { return; }
      var t = e.target;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) { return; }
      e.preventDefault();
      input.focus();
      input.select();
    });
  }

  // --- Problem filters (landing page) --------------------------------------------
  var filters = document.querySelector(".problem-filters");
  if (filters) {
    var difficulty = filters.querySelector("[name=difficulty]");
    var type = filters.querySelector("[name=type]");
    var filterStatus = filters.querySelector(".filter-status");
    var groups = document.querySelectorAll(".problem-catalog .difficulty-group");
    var params = new URLSearchParams(window.location.search);
    var pick = function (select, value) {
      if (value && select.querySelector("option[value=\"" + CSS.escape(value) + "\"]")) { select.value = value; }
    };
    pick(difficulty, params.get("difficulty"));
    pick(type, params.get("type"));

    var apply = function () {
      var d = difficulty.value, t = type.value, shown = 0, all = 0;
      Array.prototype.forEach.call(groups, function (g) {
        var inGroup = 0;
        Array.prototype.forEach.call(g.querySelectorAll(".problem-card"), function (card) {
          all++;
          var types = (card.getAttribute("data-types") || "").split(" ");
          var ok = (!d || g.getAttribute("data-difficulty") === d) && (!t || types.indexOf(t) >= 0);
          card.hidden = !ok;
          if (ok) { inGroup++; }
        });
        g.hidden = inGroup === 0;
        shown += inGroup;
      });
      filterStatus.textContent = shown === all
        ? "Showing all " + all + " problems."
        : "Showing " + shown + " of " + all + " problems.";
      // The filtered list has its own address, to share or come back to.
      var url = new URL(window.location.href);
      if (d) { url.searchParams.set("difficulty", d); } else { url.searchParams.delete("difficulty"); }
      if (t) { url.searchParams.set("type", t); } else { url.searchParams.delete("type"); }
      if (url.href !== window.location.href) {
        try { history.replaceState(history.state, "", url.href); } catch (err) { /* file:// in some browsers */ }
      }
    };
    difficulty.addEventListener("change", apply);
    type.addEventListener("change", apply);
    filters.addEventListener("reset", function () { setTimeout(apply, 0); });
    filters.addEventListener("submit", function (e) { e.preventDefault(); });
    filters.hidden = false;
    apply();
  }
})();
