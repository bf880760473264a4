// Live reload for `meridian serve`. The server injects this script into HTML
// responses (never into the built files) as
//   <script src="BASE__meridian/live-reload.js" data-base="BASE">
// where BASE is the site's path (`site-url`) or `/`, and sends events on
// BASE__meridian/events: `reload`, `css` (swap the stylesheets), `build-error`
// (show an overlay with the error and its location) and `clear`.
(function () {
  "use strict";
  if (typeof EventSource === "undefined") return;
  var script = document.currentScript;
  var base = (script && script.getAttribute("data-base")) || "/";
  var overlay = null;
  var instance = null;

  function data(e) {
    try {
      return JSON.parse(e.data);
    } catch (_) {
      return {};
    }
  }

  function clearError() {
    if (overlay) overlay.remove();
    overlay = null;
  }

  function showError(info) {
    clearError();
    overlay = document.createElement("div");
    overlay.id = "meridian-build-error";
    overlay.setAttribute("role", "alert");
    var s = overlay.style;
    s.position = "fixed";
    s.inset = "0";
    s.zIndex = "2147483647";
    s.overflow = "auto";
    s.padding = "2rem";
    s.background = "rgba(20, 20, 24, 0.94)";
    s.color = "#f3f3f3";
    s.font = "14px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace";
    var title = document.createElement("p");
    title.textContent = "meridian serve: the last change does not build. The page shows the last good version.";
    title.style.color = "#ff8a80";
    title.style.fontWeight = "bold";
    var pre = document.createElement("pre");
    pre.textContent = info.message || "unknown error";
    pre.style.whiteSpace = "pre-wrap";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Dismiss";
    close.addEventListener("click", clearError);
    overlay.appendChild(title);
    overlay.appendChild(pre);
    overlay.appendChild(close);
    document.body.appendChild(overlay);
  }

  function swapStylesheets() {
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    var stamp = Date.now();
    for (var i = 0; i < links.length; i++) {
      var href = links[i].getAttribute("href");
      if (!href) continue;
      links[i].setAttribute("href", href.replace(/[?#].*$/, "") + "?v=" + stamp);
    }
  }

  var source = new EventSource(base + "__meridian/events");
  source.addEventListener("hello", function (e) {
    var id = data(e).instance;
    // The server restarted while this page was open: it may have rebuilt.
    if (instance !== null && id !== instance) location.reload();
    instance = id;
    // Connected: tests wait for this before editing files.
    document.documentElement.setAttribute("data-meridian-live", "");
  });
  source.addEventListener("reload", function () {
    location.reload();
  });
  source.addEventListener("css", function () {
    clearError();
    swapStylesheets();
  });
  source.addEventListener("build-error", function (e) {
    showError(data(e));
  });
  source.addEventListener("clear", clearError);
})();
