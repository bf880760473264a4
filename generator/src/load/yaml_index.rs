//! Where each node of a YAML document starts, by path.
//!
//! serde_yaml locates syntax and schema errors itself, but semantic checks run
//! on typed values that no longer know where they came from. This index maps
//! the engine's [`Path`]s back to line and column, so every error can name its
//! place in the file.

use std::collections::HashMap;

use meridian_engine::validate::{Path, Seg};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

/// 1-based line and column of every value (and every mapping key) in a document.
#[derive(Debug, Default)]
pub struct YamlIndex {
    values: HashMap<Path, (usize, usize)>,
    keys: HashMap<Path, (usize, usize)>,
}

impl YamlIndex {
    /// Indexes `text`; a document that does not parse gives an empty index
    /// (serde_yaml reports the syntax error with its own location).
    pub fn build(text: &str) -> YamlIndex {
        let mut builder = Builder::default();
        let mut parser = Parser::new_from_str(text);
        let _ = parser.load(&mut builder, false);
        builder.index
    }

    /// The location of the value at `path`, or of its nearest indexed ancestor.
    pub fn locate(&self, path: &Path) -> (usize, usize) {
        let mut p = path.clone();
        loop {
            if let Some(&loc) = self.values.get(&p) {
                return loc;
            }
            if p.0.pop().is_none() {
                return (1, 1);
            }
        }
    }

    /// The location of the key naming `path` (for "unknown/duplicate key" errors).
    pub fn locate_key(&self, path: &Path) -> (usize, usize) {
        self.keys
            .get(path)
            .copied()
            .unwrap_or_else(|| self.locate(path))
    }
}

enum Frame {
    Mapping { key: Option<String> },
    Sequence { next: usize },
}

#[derive(Default)]
struct Builder {
    index: YamlIndex,
    stack: Vec<Frame>,
    path: Vec<Seg>,
}

impl Builder {
    /// Called for each node; returns true when the node was a mapping key.
    fn enter_node(&mut self, loc: (usize, usize), key_text: Option<&str>) -> bool {
        match self.stack.last_mut() {
            Some(Frame::Mapping { key }) if key.is_none() => {
                let k = key_text.unwrap_or_default().to_string();
                let mut p = self.path.clone();
                p.push(Seg::Key(k.clone()));
                self.index.keys.insert(Path(p), loc);
                *key = Some(k);
                return true;
            }
            Some(Frame::Mapping { key }) => {
                let k = key.clone().unwrap_or_default();
                self.path.push(Seg::Key(k));
            }
            Some(Frame::Sequence { next }) => {
                self.path.push(Seg::Index(*next));
                *next += 1;
            }
            None => {}
        }
        self.index
            .values
            .entry(Path(self.path.clone()))
            .or_insert(loc);
        false
    }

    /// Called when a value is complete: the parent mapping expects a key again.
    fn leave_value(&mut self) {
        if let Some(Frame::Mapping { key }) = self.stack.last_mut() {
            *key = None;
        }
        if !self.stack.is_empty() {
            self.path.pop();
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        let loc = (mark.line(), mark.col() + 1);
        match ev {
            Event::Scalar(text, ..) if !self.enter_node(loc, Some(&text)) => {
                self.leave_value();
            }
            Event::Alias(_) if !self.enter_node(loc, None) => {
                self.leave_value();
            }
            Event::MappingStart(..) => {
                self.enter_node(loc, None);
                self.stack.push(Frame::Mapping { key: None });
            }
            Event::SequenceStart(..) => {
                self.enter_node(loc, None);
                self.stack.push(Frame::Sequence { next: 0 });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
                self.leave_value();
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(segs: &[&str]) -> Path {
        Path(
            segs.iter()
                .map(|s| match s.parse::<usize>() {
                    Ok(i) => Seg::Index(i),
                    Err(_) => Seg::Key(s.to_string()),
                })
                .collect(),
        )
    }

    #[test]
    fn locates_nested_values() {
        let text = "id: x\nreference:\n  components:\n    - name: A\n      type: app\n    - name: B\n      type: lb\n  connections:\n    - {from: A, to: B}\n";
        let idx = YamlIndex::build(text);
        assert_eq!(idx.locate(&p(&["id"])), (1, 5));
        assert_eq!(
            idx.locate(&p(&["reference", "components", "1", "type"])),
            (7, 13)
        );
        assert_eq!(
            idx.locate_key(&p(&["reference", "components", "1", "type"])),
            (7, 7)
        );
        assert_eq!(
            idx.locate(&p(&["reference", "connections", "0", "to"])),
            (9, 21)
        );
        assert_eq!(idx.locate(&p(&["reference", "connections", "0"])), (9, 7));
        // A path below a scalar falls back to the scalar.
        assert_eq!(idx.locate(&p(&["id", "deeper"])), (1, 5));
    }
}
