//! Undo and redo over whole designs.
//!
//! The history keeps snapshots, not inverse edits: a design is small (tens of
//! components), and a snapshot cannot drift from what the reader saw.
//! Consecutive edits of one field of one component (typing a name, stepping
//! a replica count) merge into one step, so one undo takes back the whole
//! name rather than its last letter.

use meridian_engine::Topology;

use crate::design::MergeKey;

/// How many undo steps are kept; older steps are dropped.
pub const MAX_STEPS: usize = 200;

/// The design's undo history. `states[at]` is the current design.
#[derive(Debug, Clone)]
pub struct History {
    states: Vec<Topology>,
    at: usize,
    /// The key of the step at `at` while it may still absorb further edits.
    open: Option<MergeKey>,
}

impl History {
    pub fn new(initial: Topology) -> History {
        History {
            states: vec![initial],
            at: 0,
            open: None,
        }
    }

    pub fn current(&self) -> &Topology {
        &self.states[self.at]
    }

    /// Records `next` as the current design. Does nothing when `next` equals
    /// the current design. When `key` continues the last commit's key (see
    /// [`MergeKey::continues`]), `next` replaces the last step instead of
    /// adding one; if that brings the design back to where the run started,
    /// the step disappears. Any redo steps are dropped.
    pub fn commit(&mut self, next: Topology, key: Option<MergeKey>) {
        if next == *self.current() {
            return;
        }
        self.states.truncate(self.at + 1);
        let merges = match (&key, &self.open) {
            (Some(k), Some(open)) => k.continues(open),
            _ => false,
        };
        if merges {
            self.states[self.at] = next;
            if self.at > 0 && self.states[self.at - 1] == self.states[self.at] {
                // The run undid itself ("US App" → "US Ap" → "US App").
                self.states.pop();
                self.at -= 1;
                self.open = None;
                return;
            }
        } else {
            self.states.push(next);
            self.at += 1;
        }
        self.open = key;
        self.drop_oldest();
    }

    fn drop_oldest(&mut self) {
        let excess = self.states.len().saturating_sub(MAX_STEPS + 1);
        if excess > 0 {
            self.states.drain(..excess);
            self.at -= excess;
        }
    }

    /// Steps back; false when there is nothing to undo.
    pub fn undo(&mut self) -> bool {
        self.open = None;
        if self.at == 0 {
            return false;
        }
        self.at -= 1;
        true
    }

    /// Steps forward again; false when there is nothing to redo.
    pub fn redo(&mut self) -> bool {
        self.open = None;
        if self.at + 1 >= self.states.len() {
            return false;
        }
        self.at += 1;
        true
    }

    pub fn can_undo(&self) -> bool {
        self.at > 0
    }

    pub fn can_redo(&self) -> bool {
        self.at + 1 < self.states.len()
    }

    /// Ends the current run of mergeable edits, so the next edit starts a new
    /// undo step. The UI calls it when a field loses focus or the selection
    /// changes.
    pub fn break_merge(&mut self) {
        self.open = None;
    }

    /// The number of steps `undo` can take (at most [`MAX_STEPS`]).
    pub fn undo_depth(&self) -> usize {
        self.at
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::{Edit, merge_key};
    use meridian_engine::Component;
    use proptest::prelude::*;

    fn with_replicas(n: u32) -> Topology {
        Topology {
            components: vec![Component {
                name: "A".into(),
                component_type: "app".into(),
                region: "us".into(),
                replicas: n,
                hit_ratio: None,
                autoscale: None,
                service: None,
            }],
            connections: vec![],
        }
    }

    fn replicas_key(name: &str) -> Option<MergeKey> {
        merge_key(&Edit::SetReplicas {
            name: name.into(),
            replicas: 1,
        })
    }

    fn renamed(name: &str) -> Topology {
        let mut t = with_replicas(1);
        t.components[0].name = name.into();
        t
    }

    fn rename_key(from: &str, to: &str) -> Option<MergeKey> {
        merge_key(&Edit::Rename {
            name: from.into(),
            new_name: to.into(),
        })
    }

    #[test]
    fn commit_undo_redo() {
        let mut h = History::new(with_replicas(1));
        assert!(!h.can_undo() && !h.can_redo());
        assert!(!h.undo());
        h.commit(with_replicas(2), None);
        h.commit(with_replicas(3), None);
        assert!(h.undo());
        assert_eq!(h.current(), &with_replicas(2));
        assert!(h.can_redo());
        assert!(h.redo());
        assert_eq!(h.current(), &with_replicas(3));
        assert!(!h.redo());
        h.undo();
        h.commit(with_replicas(9), None);
        assert!(!h.can_redo(), "a new edit drops the redo steps");
    }

    #[test]
    fn unchanged_commit_is_a_no_op() {
        let mut h = History::new(with_replicas(1));
        h.commit(with_replicas(1), None);
        assert!(!h.can_undo());
    }

    #[test]
    fn same_field_edits_merge() {
        let mut h = History::new(with_replicas(1));
        for n in 2..=5 {
            h.commit(with_replicas(n), replicas_key("A"));
        }
        assert_eq!(h.undo_depth(), 1);
        h.undo();
        assert_eq!(h.current(), &with_replicas(1));
    }

    #[test]
    fn typing_a_name_merges_across_renames() {
        let mut h = History::new(renamed("A"));
        h.commit(renamed("AB"), rename_key("A", "AB"));
        h.commit(renamed("ABC"), rename_key("AB", "ABC"));
        assert_eq!(h.undo_depth(), 1);
        h.undo();
        assert_eq!(h.current(), &renamed("A"));
    }

    #[test]
    fn a_run_that_returns_to_its_start_leaves_no_step() {
        let mut h = History::new(renamed("A"));
        h.commit(renamed("AB"), rename_key("A", "AB"));
        h.commit(renamed("A"), rename_key("AB", "A"));
        assert!(!h.can_undo());
        // And the next edit is a fresh step, not a merge into the initial state.
        h.commit(renamed("AC"), rename_key("A", "AC"));
        assert!(h.undo());
        assert_eq!(h.current(), &renamed("A"));
    }

    #[test]
    fn break_merge_and_other_keys_start_new_steps() {
        let mut h = History::new(with_replicas(1));
        h.commit(with_replicas(2), replicas_key("A"));
        h.break_merge();
        h.commit(with_replicas(3), replicas_key("A"));
        assert_eq!(h.undo_depth(), 2);
        h.commit(with_replicas(4), replicas_key("B"));
        assert_eq!(h.undo_depth(), 3);
        h.commit(with_replicas(5), None);
        h.commit(with_replicas(6), None);
        assert_eq!(h.undo_depth(), 5, "None never merges");
        h.undo();
        h.redo();
        h.commit(with_replicas(7), None);
        assert_eq!(h.undo_depth(), 6);
    }

    #[test]
    fn undo_ends_a_run() {
        let mut h = History::new(with_replicas(1));
        h.commit(with_replicas(2), None);
        h.commit(with_replicas(3), replicas_key("A"));
        h.undo();
        h.commit(with_replicas(4), replicas_key("A"));
        assert_eq!(h.undo_depth(), 2);
        h.undo();
        assert_eq!(h.current(), &with_replicas(2));
    }

    #[test]
    fn bounded_to_max_steps() {
        let mut h = History::new(with_replicas(1));
        for n in 2..=(MAX_STEPS as u32 + 51) {
            h.commit(with_replicas(n), None);
        }
        assert_eq!(h.undo_depth(), MAX_STEPS);
        while h.undo() {}
        assert_eq!(h.current(), &with_replicas(51));
        while h.redo() {}
        assert_eq!(h.current(), &with_replicas(MAX_STEPS as u32 + 51));
    }

    fn commits() -> impl Strategy<Value = Vec<(u32, Option<u8>)>> {
        prop::collection::vec((1u32..6, prop::option::of(0u8..3)), 0..60)
    }

    fn key(k: Option<u8>) -> Option<MergeKey> {
        k.and_then(|k| replicas_key(&format!("C{k}")))
    }

    proptest! {
        #[test]
        fn undo_all_returns_to_initial(initial in 1u32..6, steps in commits()) {
            let mut h = History::new(with_replicas(initial));
            for (n, k) in steps {
                h.commit(with_replicas(n), key(k));
            }
            while h.undo() {}
            prop_assert_eq!(h.current(), &with_replicas(initial));
        }

        #[test]
        fn undo_then_redo_is_identity(steps in commits(), undos in 0usize..10) {
            let mut h = History::new(with_replicas(1));
            for (n, k) in steps {
                h.commit(with_replicas(n), key(k));
            }
            let before = h.clone();
            let mut done = 0;
            while done < undos && h.undo() {
                done += 1;
            }
            for _ in 0..done {
                prop_assert!(h.redo());
            }
            prop_assert_eq!(h.current(), before.current());
            prop_assert_eq!(h.undo_depth(), before.undo_depth());
        }

        #[test]
        fn every_state_reached_is_a_committed_one(steps in commits()) {
            let mut h = History::new(with_replicas(1));
            let mut seen = vec![with_replicas(1)];
            for (n, k) in steps {
                h.commit(with_replicas(n), key(k));
                seen.push(with_replicas(n));
            }
            while h.undo() {
                prop_assert!(seen.contains(h.current()));
            }
        }
    }
}
