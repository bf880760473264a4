// Starts the playground on a problem page: imports the wasm-bindgen module
// named in the section's data-module (hash-named, so cached for ever),
// instantiates the wasm, and hands the section to Rust. A file rather than an
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
  // import() resolves against this script's URL, not the page's: make the
  // page-relative path absolute first.
  import(new URL(section.dataset.module, document.baseURI).href)
    .then(async (wasm) => {
      await wasm.default();
      wasm.start(section);
      // For browser tests and curious readers: timing hooks live on the module.
      window.meridianPlayground = wasm;
    })
    .catch((err) => {
      status.textContent =
        "The playground could not start (" + err + "). The reference design and results on this page are still complete.";
      console.error(err);
    });
}
