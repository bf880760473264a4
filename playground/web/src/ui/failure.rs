//! What happens when an action fails. The wasm build aborts on panic
//! (`panic = "abort"`: unwinding would cost size and is not available on
//! stable), and a JavaScript exception thrown through Rust frames skips
//! their clean-up the same way: either leaves this instance with the app
//! borrowed for ever, so every later action would be refused. The instance
//! cannot mend itself; `playground.js` notices (an `error` or
//! `unhandledrejection` event, then [`failure`]), calls [`stop`], and starts
//! a fresh instance of the module from the reader's saved design, which is
//! written after every edit and so is never older than the last one that
//! worked. Everything here must work on a broken instance: no borrow of the
//! app, and nothing that can fail again.

use std::cell::{Cell, RefCell};

use wasm_bindgen::JsValue;

thread_local! {
    /// The first panic's message, for the restarted playground to show.
    static PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
    /// Set by [`stop`]: this instance no longer answers anything (its
    /// window listeners and timers outlive it).
    static STOPPED: Cell<bool> = const { Cell::new(false) };
    /// A failure to raise inside the next action (see [`inject`]).
    static INJECTED: RefCell<Option<Injected>> = const { RefCell::new(None) };
}

/// Kinds of failure a test can inject into the next action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Injected {
    /// A Rust panic (a trap, once the hook has run).
    Panic,
    /// A JavaScript exception thrown through the action's Rust frames.
    Exception,
}

/// Records panics before the module traps, and says so in the console.
pub fn install_hook() {
    std::panic::set_hook(Box::new(|info| {
        let message = info.to_string();
        web_sys::console::error_1(&JsValue::from_str(&format!(
            "playground panicked: {message}"
        )));
        PANIC.with(|p| {
            if let Ok(mut p) = p.try_borrow_mut() {
                p.get_or_insert(message);
            }
        });
    }));
}

/// Why this instance can no longer be trusted, if it cannot: a panic, or
/// an action that never finished (the app still borrowed while nothing
/// runs). `playground.js` asks after a task has ended, so an action in
/// progress is never mistaken for a dead one.
pub fn failure(app_borrowed: bool) -> Option<String> {
    if let Some(p) = PANIC.with(|p| p.try_borrow().ok().and_then(|p| p.clone())) {
        return Some(p);
    }
    app_borrowed.then(|| "an action stopped half-way (a script error)".to_string())
}

/// Stops this instance answering events: the restarted one takes over.
pub fn stop() {
    STOPPED.with(|s| s.set(true));
}

pub fn stopped() -> bool {
    STOPPED.with(Cell::get)
}

/// Makes the next action fail as `kind` does, while it holds the app: the
/// browser tests check that the playground recovers from exactly that.
pub fn inject(kind: Injected) {
    INJECTED.with(|i| *i.borrow_mut() = Some(kind));
}

/// Raises the injected failure, if any; called inside every action.
pub fn raise_injected() {
    match INJECTED.with(|i| i.borrow_mut().take()) {
        Some(Injected::Panic) => panic!("a failure injected by a test"),
        Some(Injected::Exception) => wasm_bindgen::throw_str("a failure injected by a test"),
        None => {}
    }
}
