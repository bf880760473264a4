// Starts the playground on a problem page: imports the wasm-bindgen module
// named in the section's data-module (hash-named, so cached for ever),
// instantiates the wasm, and hands the section to Rust; replaces an instance
// that failed (see playground/web/src/ui/failure.rs). A file rather than an
// inline script so a strict Content-Security-Policy works; a classic script
// (not a module) so that it still runs on a page opened from a file, where
// browsers refuse modules, and can say what to do.
const section = document.getElementById("playground");
if (section && section.dataset.module && location.protocol === "file:") {
  section.querySelector(".playground-status").textContent =
    "This page was opened from a file, and browsers do not load the playground's WebAssembly module from files. Serve the folder instead (run `cargo run -- serve` in the book, or `python3 -m http.server` in the built site's folder) and open the page from http://localhost. The reference design and its results above are complete without it.";
} else if (section && section.dataset.module) {
  const status = section.querySelector(".playground-status");
  status.textContent = "Loading the playground…";
  // The running instance, and how many times it has been replaced.
  let current = null;
  let restarts = 0;
  // A failed action (a Rust panic, or a script error thrown through Rust)
  // leaves an instance that cannot mend itself: replace it with a fresh
  // one that opens the reader's saved design. Asked once the failing task
  // has ended, so an action still running is never taken for a dead one.
  const checkHealth = () =>
    setTimeout(() => {
      const failed = current && current.failure();
      if (!failed) return;
      current.stop();
      current = null;
      const root = document.getElementById("pg");
      if (root) root.remove();
      restarts += 1;
      if (restarts > 3) {
        section.append(status);
        status.textContent =
          "The playground stopped after repeated errors (" + failed + "). Your saved design is kept in this browser; reload the page to try again. The reference design and results above are complete without it.";
        return;
      }
      boot(failed);
    }, 0);
  window.addEventListener("error", checkHealth);
  window.addEventListener("unhandledrejection", checkHealth);
  const boot = (failed) => {
    // import() resolves against this script's URL, not the page's: make
    // the page-relative path absolute first. A restart imports the module
    // again under another URL, which gives a new instance with fresh memory
    // (the wasm itself comes from the cache).
    const url = new URL(section.dataset.module, document.baseURI);
    if (restarts > 0) url.searchParams.set("restart", String(restarts));
    import(url.href)
      .then(async (wasm) => {
        await wasm.default();
        // A design link in the address is inflated by the browser first:
        // start then returns the promise of the playground.
        if (failed) await wasm.start_after_failure(section, failed);
        else await wasm.start(section);
        current = wasm;
        // For browser tests and curious readers: timing hooks live on the module.
        window.meridianPlayground = wasm;
      })
      .catch((err) => {
        if (!status.isConnected) section.append(status);
        status.textContent =
          "The playground could not start (" + err + "). The reference design and results on this page are still complete.";
        console.error(err);
      });
  };
  boot(null);
}
