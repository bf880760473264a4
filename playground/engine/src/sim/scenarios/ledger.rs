//! The data-loss ledger of a scenario (see the module docs, "Data loss").

use super::super::graph::{DataKind, FailState, Graph, Role, constant};
use super::super::{Failures, SimInput};
use super::{Ctx, ScenarioKind};
use crate::report::scenario_text::{self as text, StoreLoss};

/// Lag of asynchronous replication a → b, ms (as `replication_lag`).
fn lag_ms(input: &SimInput, g: &Graph, a: usize, b: usize) -> Option<f64> {
    constant(input, "replication_lag_ms")
        .or_else(|| {
            let la = g.nodes[a].params.replication_lag_ms;
            let lb = g.nodes[b].params.replication_lag_ms;
            match (la, lb) {
                (Some(x), Some(y)) => Some(x.max(y)),
                (x, y) => x.or(y),
            }
        })
        .filter(|l| l.is_finite() && *l >= 0.0)
}

/// The surviving store holding copies of `x`'s writes soonest, and the lag
/// (ms) until they are there: copies travel every path out of `x` that
/// starts asynchronously (replication, change capture to a worker, a
/// stream), through any component, as the design was before the failure;
/// the lags of the store-to-store hops on the way add up (other hops add
/// none). None: nothing copies `x`'s data anywhere that survived.
fn nearest_copy(input: &SimInput, g: &Graph, fs: &FailState, x: usize) -> Option<(usize, f64)> {
    let n = g.nodes.len();
    let hop = |a: usize, b: usize| -> f64 {
        if g.nodes[a].is_data() && g.nodes[b].is_data() {
            lag_ms(input, g, a, b).unwrap_or(0.0)
        } else {
            0.0
        }
    };
    let mut lag = vec![f64::INFINITY; n];
    let mut queue: Vec<usize> = Vec::new();
    for &t in &g.async_out[x] {
        let l = hop(x, t);
        if l < lag[t] {
            lag[t] = l;
            queue.push(t);
        }
    }
    // Relax until nothing improves (a small graph; each node settles fast).
    while let Some(a) = queue.pop() {
        for &b in &g.all_out[a] {
            let l = lag[a] + hop(a, b);
            if b != x && l < lag[b] {
                lag[b] = l;
                queue.push(b);
            }
        }
    }
    (0..n)
        .filter(|&t| t != x && g.nodes[t].is_data() && !fs.down[t] && lag[t].is_finite())
        .min_by(|&a, &b| lag[a].total_cmp(&lag[b]).then(a.cmp(&b)))
        .map(|t| (t, lag[t]))
}

impl Ctx<'_, '_> {
    pub(super) fn data_loss(
        &self,
        fs: &FailState,
        kind: ScenarioKind,
        f: &Failures,
    ) -> (Option<f64>, Option<f64>, String) {
        let (input, g) = (self.input, self.g);
        if kind == ScenarioKind::Partition {
            let mut paused = Vec::new();
            for (a, outs) in g.async_out.iter().enumerate() {
                if !g.nodes[a].is_data() {
                    continue;
                }
                for &b in outs {
                    if g.nodes[b].is_data()
                        && !g.sync_repl_out[a].contains(&b)
                        && !g.reachable(fs, a, b)
                    {
                        paused.push(format!("{} → {}", g.nodes[a].name, g.nodes[b].name));
                    }
                }
            }
            let _ = f;
            return (Some(0.0), Some(0.0), text::partition_data_loss(&paused));
        }
        // A store's own writes: the copies it received live at their origin.
        let writes = |i: usize| -> f64 {
            self.normal
                .own_write_rps_by_store
                .iter()
                .find(|(n, _)| n == g.nodes[i].name)
                .map(|x| x.1)
                .filter(|x| x.is_finite())
                .unwrap_or(0.0)
        };
        let mut rpo = Some(0.0f64);
        let mut lost_total = Some(0.0f64);
        let mut parts: Vec<StoreLoss> = Vec::new();
        for x in 0..g.nodes.len() {
            if !fs.down[x] || self.none.down[x] {
                continue;
            }
            match g.nodes[x].role {
                Role::Data(DataKind::Replica) => continue,
                Role::Data(_) => {}
                _ => continue,
            }
            let name = g.nodes[x].name;
            // A store that only receives copies (a backup, a replica kept as
            // a primary) holds nothing of its own: the originals survive.
            let copies_only = writes(x) == 0.0
                && self
                    .normal
                    .write_rps_by_store
                    .iter()
                    .any(|(n, w)| *n == name && *w > 0.0);
            if copies_only {
                parts.push(StoreLoss::CopiesOnly(name));
                continue;
            }
            if let Some(&t) = g.sync_repl_out[x].iter().find(|&&t| !fs.down[t]) {
                parts.push(StoreLoss::Synchronous {
                    store: name,
                    to: g.nodes[t].name,
                });
                continue;
            }
            let best = nearest_copy(input, g, fs, x);
            match best {
                Some((t, lag)) => {
                    let s = lag / 1000.0;
                    let w = writes(x) * s;
                    rpo = rpo.map(|r| r.max(s));
                    lost_total = lost_total.map(|l| l + w);
                    parts.push(StoreLoss::Lag {
                        store: name,
                        writes: w,
                        lag_s: s,
                        to: g.nodes[t].name,
                    });
                }
                None => {
                    rpo = None;
                    lost_total = None;
                    parts.push(StoreLoss::Everything(name));
                }
            }
        }
        let regions = f.regions.join(", ");
        if kind == ScenarioKind::RegionLoss {
            for (x, n) in g.nodes.iter().enumerate() {
                if n.global && n.is_data() && !fs.down[x] {
                    parts.push(StoreLoss::GlobalShare {
                        store: n.name,
                        regions: &regions,
                    });
                }
            }
        }
        (rpo, lost_total, text::data_loss(&parts))
    }
}
