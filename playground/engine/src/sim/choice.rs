//! The choices routing makes on the graph: where a node sits for a request,
//! what a hop costs, who can reach whom under failures, which candidates a
//! node prefers, how clients, routers and apps split their traffic, and the
//! quorum a global store's writes wait for. Routing (`routing`), the
//! connectivity model (`reliability`) and the spill rules (`spill`) all ask
//! here, so they always agree.

use super::fail_state::FailState;
use super::graph::{DataKind, Graph, RTT_TIE_MS, Role};

impl Graph<'_> {
    /// The region a node effectively sits in for a request from `origin`:
    /// a global node is at the edge near the origin, or, when the origin
    /// region is lost, in the live region nearest to it (see
    /// [`FailState::at`]).
    pub fn eff(&self, fail: &FailState, n: usize, origin: usize) -> usize {
        if self.nodes[n].is_edge() {
            // A point of presence near the user, even when the region is lost.
            origin
        } else if self.nodes[n].global {
            fail.at[origin]
        } else {
            self.nodes[n].region
        }
    }

    /// One hop's round trip and whether it crosses regions. Users reach a
    /// global service at the edge, unless their own region is lost: then
    /// they reach its share in the nearest live region.
    pub fn hop(&self, fail: &FailState, from: usize, to: usize, origin: usize) -> (f64, bool) {
        let (f, t) = (&self.nodes[from], &self.nodes[to]);
        if (f.role == Role::Client && t.is_edge()) || (t.role == Role::Client && f.is_edge()) {
            return (self.edge_rtt, false);
        }
        if (f.role == Role::Client && t.global) || (t.role == Role::Client && f.global) {
            let at = fail.at[origin];
            if at == origin {
                return (self.edge_rtt, false);
            }
            return (self.rtt[origin][at], true);
        }
        let (a, b) = (self.eff(fail, from, origin), self.eff(fail, to, origin));
        (self.rtt[a][b], a != b)
    }

    /// Can `from` reach `to` under `fail`: `to` is up and no partition lies
    /// between their regions (global nodes reach everything).
    pub fn reachable(&self, fail: &FailState, from: usize, to: usize) -> bool {
        if fail.down[to] {
            return false;
        }
        let (f, t) = (&self.nodes[from], &self.nodes[to]);
        if f.global || t.global {
            return true;
        }
        !fail.partitioned(f.region, t.region)
    }

    /// Preference key for choosing among candidates from region `at`:
    /// local (same region or global) first, then the smallest round trip.
    pub fn key(&self, at: usize, cand: usize) -> (u8, f64) {
        let c = &self.nodes[cand];
        if c.global || c.region == at {
            (0, 0.0)
        } else {
            (1, self.rtt[at][c.region])
        }
    }

    /// The single preferred candidate; ties go to the earliest connection.
    /// Routing splits over [`Graph::nearest`] instead; this is for choices
    /// that must pick one (which replica a failover promotes).
    pub fn best(&self, at: usize, cands: impl Iterator<Item = usize>) -> Option<usize> {
        let mut best: Option<(usize, (u8, f64))> = None;
        for c in cands {
            let k = self.key(at, c);
            let better = match best {
                None => true,
                Some((_, bk)) => k.0 < bk.0 || (k.0 == bk.0 && k.1 < bk.1),
            };
            if better {
                best = Some((c, k));
            }
        }
        best.map(|b| b.0)
    }

    /// Sorts a compute node's candidate successors by what they can do for
    /// it. Routing (`routing`) and availability (`reliability`) both read
    /// this, so they always agree on which successor serves which need.
    pub fn compute_targets(&self, among: &[usize]) -> ComputeTargets {
        let of = |f: &dyn Fn(Role) -> bool| -> Vec<usize> {
            among
                .iter()
                .copied()
                .filter(|&s| f(self.nodes[s].role))
                .collect()
        };
        ComputeTargets {
            primaries: of(&|r| r == Role::Data(DataKind::Primary)),
            data: of(&|r| matches!(r, Role::Data(_))),
            caches: of(&|r| r == Role::Cache),
            forward: of(&|r| matches!(r, Role::Router { .. } | Role::Compute { .. })),
        }
    }

    /// The candidate set among `cands` from region `at` (see "Routing" in
    /// the `routing` module docs): every candidate at the best preference
    /// level — all the local ones (same region or global), else all those
    /// tied (within 1e-9 ms) for the smallest round trip from `at` — in
    /// connection order. Requests split evenly over the set. Empty when
    /// `cands` is.
    pub fn nearest(&self, at: usize, cands: &[usize]) -> Vec<usize> {
        let mut kept = cands.to_vec();
        self.keep_nearest(at, &mut kept);
        kept
    }

    /// [`Graph::nearest`] in place: keeps the candidate set among `cands`
    /// (routing asks at every step, with a list of its own to spare).
    pub(crate) fn keep_nearest(&self, at: usize, cands: &mut Vec<usize>) {
        // Keys are cheap (a region test and a table read): computed twice
        // rather than collected.
        let Some(min) = cands
            .iter()
            .map(|&c| self.key(at, c))
            .min_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)))
        else {
            return;
        };
        cands.retain(|&c| {
            let k = self.key(at, c);
            k.0 == min.0 && k.1 <= min.1 + RTT_TIE_MS
        });
    }

    /// Where requests enter a design that has no client (see "Entry points"
    /// in the module docs), in design order; empty when no component has a
    /// connection.
    pub fn entry_points(&self) -> Vec<usize> {
        let n = self.nodes.len();
        let mut incoming = vec![false; n];
        let mut linked = vec![false; n];
        let fixed = self.fixed.iter().map(|&(a, b, _)| (a, b));
        let edges = self
            .all_out
            .iter()
            .enumerate()
            .flat_map(|(a, outs)| outs.iter().map(move |&b| (a, b)))
            .chain(fixed);
        for (a, b) in edges {
            incoming[b] = true;
            linked[a] = true;
            linked[b] = true;
        }
        let entries: Vec<usize> = (0..n).filter(|&i| linked[i] && !incoming[i]).collect();
        if !entries.is_empty() {
            return entries;
        }
        // A pure cycle: every linked component has an incoming connection.
        (0..n).find(|&i| linked[i]).into_iter().collect()
    }

    /// The share of `from`'s traffic the connection `from → to` carries,
    /// when it states one.
    pub fn share(&self, from: usize, to: usize) -> Option<f64> {
        let i = self.all_out[from].iter().position(|&t| t == to)?;
        self.all_share[from][i]
    }

    /// How a client or router splits requests over the candidates `to`
    /// (weights summing to 1): a connection with a `share` takes that
    /// fraction, the others split the rest evenly; shares adding up to 1
    /// or more are scaled to sum to 1, leaving the others none.
    pub fn split(&self, from: usize, to: &[usize]) -> Vec<f64> {
        let shares: Vec<Option<f64>> = to.iter().map(|&t| self.share(from, t)).collect();
        let set: f64 = shares.iter().flatten().sum();
        let unset = shares.iter().filter(|s| s.is_none()).count();
        if set <= 0.0 {
            return vec![1.0 / to.len().max(1) as f64; to.len()];
        }
        if unset > 0 && set < 1.0 {
            let rest = (1.0 - set) / unset as f64;
            return shares.iter().map(|s| s.unwrap_or(rest)).collect();
        }
        shares.iter().map(|s| s.map_or(0.0, |x| x / set)).collect()
    }

    /// How an app or worker passes requests on to the components it calls
    /// (`to`, some with a `share`): a shared call takes its share, the
    /// unshared ones split the rest evenly; with every call shared, the
    /// rest are served here. Returns (weights, share served here).
    pub fn call_split(&self, from: usize, to: &[usize]) -> (Vec<f64>, f64) {
        let shares: Vec<Option<f64>> = to.iter().map(|&t| self.share(from, t)).collect();
        let set: f64 = shares.iter().flatten().sum();
        if shares.iter().any(Option::is_none) {
            return (self.split(from, to), 0.0);
        }
        if set >= 1.0 {
            return (shares.iter().map(|s| s.unwrap_or(0.0) / set).collect(), 0.0);
        }
        (shares.iter().map(|s| s.unwrap_or(0.0)).collect(), 1.0 - set)
    }

    /// The round trip a write to a global store waits for when it is
    /// taken in region `at`: a majority of the design's K regions must
    /// hold it, `at` and the ⌊K/2⌋ nearest others (counted over all K, so
    /// a lost region does not shrink the quorum). 0 with one region;
    /// unreachable (timeout-bound) when too few are live is not modelled:
    /// the nearest live ones answer.
    pub fn quorum_wait(&self, fail: &FailState, at: usize) -> f64 {
        let k = self.design_region.iter().filter(|&&d| d).count();
        let need = k / 2;
        if need == 0 {
            return 0.0;
        }
        let mut others: Vec<f64> = (0..self.region_ids.len())
            .filter(|&r| r != at && self.design_region[r] && !fail.region_down[r])
            .map(|r| self.rtt[at][r])
            .collect();
        crate::sort::sort_by(&mut others, f64::total_cmp);
        others
            .get(need - 1)
            .or(others.last())
            .copied()
            .unwrap_or(0.0)
    }

    pub fn region_index(&self, id: &str) -> Option<usize> {
        self.region_ids.iter().position(|r| *r == id)
    }
}

/// A compute node's successors, grouped by the need they serve.
pub(crate) struct ComputeTargets {
    /// Primaries take writes first.
    pub primaries: Vec<usize>,
    /// Every data store (primaries included).
    pub data: Vec<usize>,
    pub caches: Vec<usize>,
    /// Routers and compute a request can be passed on to (no connection
    /// leads into a client).
    pub forward: Vec<usize>,
}
