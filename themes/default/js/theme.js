// Loaded synchronously in <head>: it sets data-theme before the first paint
// (no flash of the wrong theme), then wires the buttons once the page exists.
(function () {
  "use strict";
  var root = document.documentElement;
  var KEY = "meridian-theme";
  var light = root.getAttribute("data-default-theme") || "light";
  var dark = root.getAttribute("data-dark-theme") || "dark";
  var media = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function stored() {
    try { return localStorage.getItem(KEY); } catch (e) { return null; }
  }
  function store(value) {
    try { localStorage.setItem(KEY, value); } catch (e) { /* private mode: still works for this page */ }
  }
  // An explicit choice wins; otherwise follow the OS, as configured in book.toml.
  function preferred() {
    var s = stored();
    if (s === "light" || s === "dark") { return s; }
    return media && media.matches ? dark : light;
  }
  function sync() {
    var button = document.querySelector(".theme-toggle");
    if (button) { button.setAttribute("aria-pressed", String(root.getAttribute("data-theme") === "dark")); }
  }
  function apply(theme) {
    root.setAttribute("data-theme", theme);
    sync();
  }

  root.classList.add("js");
  apply(preferred());
  if (media) {
    var onChange = function () { if (!stored()) { apply(preferred()); } };
    if (media.addEventListener) { media.addEventListener("change", onChange); } else if (media.addListener) { media.addListener(onChange); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var themeButton = document.querySelector(".theme-toggle");
    if (themeButton) {
      themeButton.hidden = false;
      sync();
      themeButton.addEventListener("click", function () {
        var next = root.getAttribute("data-theme") === "dark" ? "light" : "dark";
        store(next);
        apply(next);
      });
    }

    // On narrow screens the sidebar is folded away behind this button.
    var sideButton = document.querySelector(".sidebar-toggle");
    var sidebar = document.getElementById("sidebar");
    if (sideButton && sidebar) {
      sideButton.hidden = false;
      var setOpen = function (open) {
        root.classList.toggle("sidebar-open", open);
        sideButton.setAttribute("aria-expanded", String(open));
      };
      sideButton.addEventListener("click", function () {
        var open = !root.classList.contains("sidebar-open");
        setOpen(open);
        if (open) {
          var current = sidebar.querySelector("[aria-current]") || sidebar.querySelector("a");
          if (current) { current.focus(); }
        }
      });
      document.addEventListener("keydown", function (e) {
        if (e.key === "Escape" && root.classList.contains("sidebar-open")) {
          setOpen(false);
          sideButton.focus();
        }
      });
    }
  });
})();
