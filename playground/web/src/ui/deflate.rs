//! The browser's deflate for design links (`share.rs`): its
//! `CompressionStream` and `DecompressionStream` ("deflate-raw", in every
//! major browser since 2023) instead of a deflater in the wasm, which was
//! 16 KB of it gzipped (ARCHITECTURE.md). Streams are asynchronous: each
//! call returns at once and runs its continuation once the browser is done.

use js_sys::{ArrayBuffer, Promise, Uint8Array};
use meridian_engine::Topology;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{ReadableStream, Response};

use crate::share::{self, ShareError};

// Not in web-sys's stable API: its two constructors and the calls that
// join them to a `Response` are all the playground needs.
#[wasm_bindgen]
extern "C" {
    type CompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<CompressionStream, JsValue>;
}

#[wasm_bindgen]
extern "C" {
    type DecompressionStream;
    #[wasm_bindgen(constructor, catch)]
    fn new(format: &str) -> Result<DecompressionStream, JsValue>;
}

// web-sys's own `pipeThrough` and `then` take typed arguments; these take
// any function and stream (local types, cast to: methods cannot be added to
// web-sys's).
#[wasm_bindgen]
extern "C" {
    type Readable;
    #[wasm_bindgen(method, js_name = pipeThrough)]
    fn pipe_through(this: &Readable, transform: &JsValue) -> ReadableStream;
    type Thenable;
    /// `Promise.then` with one function for both outcomes.
    #[wasm_bindgen(method, js_name = then)]
    fn then_either(this: &Thenable, fulfilled: &JsValue, rejected: &JsValue) -> Promise;
}

/// Deflates `bytes` in the browser and runs `done` with the result (None
/// if the browser failed). Err when the browser has no deflater or refused
/// to start.
pub(super) fn deflate(
    bytes: &[u8],
    done: impl FnOnce(Option<Vec<u8>>) + 'static,
) -> Result<(), JsValue> {
    let stream = CompressionStream::new("deflate-raw")?;
    run(&stream.into(), bytes, move |out| {
        done(out);
        Ok(())
    })
    .map(drop)
}

/// Inflates a link's deflated text in the browser and runs `then` with
/// the design it holds ([`share::read`]), or why it holds none. Returns the
/// promise that settles once `then` has run (rejected if it returned Err),
/// or `then`'s own result when it ran at once (a browser without an
/// inflater).
pub(super) fn open_design(
    deflated: &[u8],
    then: impl FnOnce(Result<Topology, ShareError>) -> Result<(), JsValue> + 'static,
) -> Result<JsValue, JsValue> {
    match DecompressionStream::new("deflate-raw") {
        Ok(stream) => run(&stream.into(), deflated, move |text| {
            then(share::read(text))
        })
        .map(Into::into),
        Err(_) => then(Err(ShareError::Unsupported)).map(|()| JsValue::UNDEFINED),
    }
}

/// Runs `bytes` through `stream` and `done` with its whole output, or None
/// when the stream failed (data that does not inflate). The browser reads
/// the output whole: `share.rs` bounds what a link can inflate to.
fn run(
    stream: &JsValue,
    bytes: &[u8],
    done: impl FnOnce(Option<Vec<u8>>) -> Result<(), JsValue> + 'static,
) -> Result<Promise, JsValue> {
    // The Response constructor copies the bytes.
    let mut copy = bytes.to_vec();
    let body = Response::new_with_opt_u8_array(Some(&mut copy))?
        .body()
        .ok_or_else(|| JsValue::from_str("a Response without a body"))?;
    let output = Response::new_with_opt_readable_stream(Some(
        &body.unchecked_ref::<Readable>().pipe_through(stream),
    ))?
    .array_buffer()?;
    // One function for both outcomes, freed once called (a promise settles
    // once): an ArrayBuffer is the output, anything else the stream's error.
    let settle = Closure::once_into_js(move |value: JsValue| {
        done(
            value
                .dyn_ref::<ArrayBuffer>()
                .map(|b| Uint8Array::new(b).to_vec()),
        )
    });
    Ok(output
        .unchecked_ref::<Thenable>()
        .then_either(&settle, &settle))
}
