//! Server-Sent Events to open pages: `reload`, `css`, `build-error`, `clear`.
//!
//! Every connected page holds a receiver; a broadcast goes to all of them and
//! drops the ones whose page went away. The current build error is kept so a
//! page opened while the book is broken shows it at once.

use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};

/// One event, already in the wire format (`event: …\ndata: …\n\n`).
pub type Message = Arc<str>;

#[derive(Default)]
pub struct Hub {
    clients: Mutex<Vec<Sender<Message>>>,
    /// The `build-error` event of the last failed rebuild, until one succeeds.
    error: Mutex<Option<Message>>,
}

/// Formats an event; `data` is JSON (one line).
pub fn event(name: &str, data: &serde_json::Value) -> Message {
    format!("event: {name}\ndata: {data}\n\n").into()
}

impl Hub {
    /// A new page: its receiver, and the events it must see first.
    pub fn subscribe(&self) -> (Receiver<Message>, Vec<Message>) {
        let (tx, rx) = channel();
        let error = self.error.lock().unwrap_or_else(|e| e.into_inner());
        let first: Vec<Message> = error.iter().cloned().collect();
        self.clients
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(tx);
        (rx, first)
    }

    /// Sends to every page; returns how many received it.
    pub fn broadcast(&self, message: Message) -> usize {
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        clients.retain(|c| c.send(message.clone()).is_ok());
        clients.len()
    }

    /// Shows a build error in every page (and in pages opened later).
    pub fn set_error(&self, message: Message) {
        *self.error.lock().unwrap_or_else(|e| e.into_inner()) = Some(message.clone());
        self.broadcast(message);
    }

    /// Clears the error overlay; returns whether there was one.
    pub fn clear_error(&self) -> bool {
        let had = self
            .error
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .is_some();
        if had {
            self.broadcast(event("clear", &serde_json::json!({})));
        }
        had
    }
}
