//! Orders the elements (nodes and the dummy points long edges pass through)
//! inside each row-lane cell to minimise edge crossings: barycenter sweeps
//! plus transpose, then an exhaustive search over orders when that is cheap.

use std::cell::Cell;

use super::rank::Graph;

/// Exhaustive search over all cells' orders together is done when the number
/// of combinations is at most this.
const GLOBAL_EXHAUSTIVE_LIMIT: u64 = 5040;
/// Otherwise each cell up to this size is searched exhaustively on its own.
const CELL_EXHAUSTIVE_MAX: usize = 6;
const SWEEPS: usize = 8;
/// Segment comparisons (crossing counts' unit of work) the search may make
/// before it settles for the best order found: it bounds drawing time for
/// any design within the size limits, and is deterministic, so the page
/// and the playground draw the same picture. Every reference needs far
/// less (test `every_reference_is_laid_out_within_the_work_budget`).
pub(crate) const BUDGET: u64 = 500_000;
/// Element-by-element sifting and chain shifting run up to this many
/// elements (nodes plus dummies).
const SIFT_MAX_ELEMS: usize = 120;
/// Rows with up to this many segments count crossings pair by pair (no
/// allocation); busier ones by inversion counting. Measured with the
/// `layout` bench: the references' rows are small, the size limits' not.
const PAIRWISE_MAX_SEGS: usize = 48;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum ElemKind {
    Node(usize),
    /// A point an edge passes through in a row between its endpoints.
    Dummy,
}

pub(crate) struct Elem {
    pub kind: ElemKind,
    pub row: usize,
    pub w: f64,
    /// Cells this element may take in a regional row, (lowest, highest). A
    /// node has one; a dummy of an edge between different lanes may sit in
    /// any lane from one end's to the other's (any at all when both ends are
    /// global), so the ordering picks its cell too.
    pub cells: (usize, usize),
    /// The cell it starts in and prefers when several are equally good.
    pub home: usize,
}

/// The part of an edge between two adjacent rows.
pub(crate) struct Seg {
    pub upper: usize,
    pub lower: usize,
}

pub(crate) struct Ordering {
    pub elems: Vec<Elem>,
    pub node_elem: Vec<usize>,
    /// row → cell → elements left to right.
    pub cells: Vec<Vec<Vec<usize>>>,
    pub segs: Vec<Seg>,
    /// Per edge, its segments top to bottom (empty for self-loops).
    pub chains: Vec<Vec<usize>>,
    segs_by_row: Vec<Vec<usize>>,
    up: Vec<Vec<usize>>,
    down: Vec<Vec<usize>>,
    pos: Vec<usize>,
    /// Segment comparisons made so far by crossing counts (see [`BUDGET`]).
    work: Cell<u64>,
}

impl Ordering {
    // The row index is both a `cells` index and the dummy's stored row.
    #[allow(clippy::needless_range_loop)]
    pub(crate) fn new(g: &Graph) -> Ordering {
        let cell_count = |r: usize| {
            if g.rows[r].global.is_some() {
                1
            } else {
                g.lanes.len().max(1)
            }
        };
        let mut cells: Vec<Vec<Vec<usize>>> = (0..g.rows.len())
            .map(|r| vec![Vec::new(); cell_count(r)])
            .collect();
        let mut elems = Vec::new();
        let mut node_elem = Vec::new();
        for (i, n) in g.nodes.iter().enumerate() {
            let cell = n.lane.unwrap_or(0).min(cells[n.row].len() - 1);
            node_elem.push(elems.len());
            cells[n.row][cell].push(elems.len());
            elems.push(Elem {
                kind: ElemKind::Node(i),
                row: n.row,
                w: n.w,
                cells: (cell, cell),
                home: cell,
            });
        }
        let mut segs = Vec::new();
        let mut chains = Vec::new();
        for e in &g.edges {
            let (a, b) = if g.nodes[e.from].row <= g.nodes[e.to].row {
                (e.from, e.to)
            } else {
                (e.to, e.from)
            };
            let (ra, rb) = (g.nodes[a].row, g.nodes[b].row);
            let mut chain = Vec::new();
            if a != b && ra < rb {
                // Dummies sit in the lower end's lane, else the upper end's,
                // else the middle lane: where the edge is headed or came from.
                let lane = g.nodes[b]
                    .lane
                    .or(g.nodes[a].lane)
                    .unwrap_or(g.lanes.len() / 2);
                let span = match (g.nodes[a].lane, g.nodes[b].lane) {
                    (Some(x), Some(y)) => (x.min(y), x.max(y)),
                    (Some(x), None) | (None, Some(x)) => (x, x),
                    (None, None) => (0, usize::MAX),
                };
                let mut prev = node_elem[a];
                for r in ra + 1..=rb {
                    let cur = if r == rb {
                        node_elem[b]
                    } else {
                        let last = cells[r].len() - 1;
                        let cell = lane.min(last);
                        let id = elems.len();
                        elems.push(Elem {
                            kind: ElemKind::Dummy,
                            row: r,
                            w: 0.0,
                            cells: (span.0.min(last), span.1.min(last)),
                            home: cell,
                        });
                        cells[r][cell].push(id);
                        id
                    };
                    chain.push(segs.len());
                    segs.push(Seg {
                        upper: prev,
                        lower: cur,
                    });
                    prev = cur;
                }
            }
            chains.push(chain);
        }
        let mut segs_by_row = vec![Vec::new(); g.rows.len()];
        let mut up = vec![Vec::new(); elems.len()];
        let mut down = vec![Vec::new(); elems.len()];
        for (si, s) in segs.iter().enumerate() {
            segs_by_row[elems[s.upper].row].push(si);
            down[s.upper].push(s.lower);
            up[s.lower].push(s.upper);
        }
        let mut o = Ordering {
            pos: vec![0; elems.len()],
            elems,
            node_elem,
            cells,
            segs,
            chains,
            segs_by_row,
            up,
            down,
            work: Cell::new(0),
        };
        for r in 0..o.cells.len() {
            o.reindex(r);
        }
        o
    }

    fn reindex(&mut self, r: usize) {
        self.spend(self.cells[r].iter().map(|c| c.len() as u64).sum::<u64>());
        let mut p = 0;
        for cell in &self.cells[r] {
            for &e in cell {
                self.pos[e] = p;
                p += 1;
            }
        }
    }

    /// Crossings between rows r and r+1 if edges were straight lines: the
    /// pairs of segments whose ends are in opposite orders.
    fn row_crossings(&self, r: usize) -> usize {
        let segs = &self.segs_by_row[r];
        let s = segs.len() as u64;
        if segs.len() > PAIRWISE_MAX_SEGS {
            self.spend(2 * s * u64::from(s.ilog2() + 1));
            return self.row_crossings_counted(r);
        }
        self.spend(1 + s * s.saturating_sub(1) / 2);
        let mut c = 0;
        for (i, &a) in segs.iter().enumerate() {
            let (au, al) = (self.pos[self.segs[a].upper], self.pos[self.segs[a].lower]);
            for &b in &segs[i + 1..] {
                let (bu, bl) = (self.pos[self.segs[b].upper], self.pos[self.segs[b].lower]);
                if (au < bu && al > bl) || (au > bu && al < bl) {
                    c += 1;
                }
            }
        }
        c
    }

    /// [`Self::row_crossings`] for rows with many segments, counted as
    /// inversions: segments sorted by upper end, then lower; a Fenwick tree
    /// over lower positions counts, for each, the earlier ones strictly to
    /// its right. O(s log s) rather than every pair.
    fn row_crossings_counted(&self, r: usize) -> usize {
        let segs = &self.segs_by_row[r];
        // (upper, lower) packed as one sort key (`sort.rs`).
        let mut ends: Vec<u128> = segs
            .iter()
            .map(|&s| {
                let (upper, lower) = (self.pos[self.segs[s].upper], self.pos[self.segs[s].lower]);
                crate::sort::pack2(upper as u64, lower as u64)
            })
            .collect();
        crate::sort::sort_keys(&mut ends);
        let lower_of = |key: u128| crate::sort::unpack2(key).1 as usize;
        let width = ends.iter().map(|&e| lower_of(e)).max().unwrap_or(0) + 1;
        let mut tree = vec![0usize; width + 1];
        let mut c = 0;
        for (seen, lower) in ends.iter().map(|&e| lower_of(e)).enumerate() {
            // Earlier segments with a lower end at or left of this one's.
            let mut i = lower + 1;
            let mut at_or_left = 0;
            while i > 0 {
                at_or_left += tree[i];
                i &= i - 1;
            }
            c += seen - at_or_left;
            let mut i = lower + 1;
            while i <= width {
                tree[i] += 1;
                i += i & i.wrapping_neg();
            }
        }
        c
    }

    fn spend(&self, units: u64) {
        self.work.set(self.work.get() + units);
    }

    /// Whether the search has used its [`BUDGET`]: what follows keeps the
    /// best order found so far.
    fn spent(&self) -> bool {
        self.work.get() >= BUDGET
    }

    /// Segment comparisons used, for the tests that hold the budget above
    /// what every reference needs.
    pub(crate) fn work(&self) -> u64 {
        self.work.get()
    }

    pub(crate) fn crossings(&self) -> usize {
        (0..self.cells.len()).map(|r| self.row_crossings(r)).sum()
    }

    /// Crossings touching row r (with the rows above and below).
    fn local_crossings(&self, r: usize) -> usize {
        let above = if r > 0 { self.row_crossings(r - 1) } else { 0 };
        above + self.row_crossings(r)
    }

    pub(crate) fn minimise(&mut self) {
        let mut best = self.cells.clone();
        let mut best_c = self.crossings();
        for _ in 0..SWEEPS {
            if best_c == 0 || self.spent() {
                break;
            }
            for r in 1..self.cells.len() {
                self.barycenter(r, true);
            }
            for r in (0..self.cells.len().saturating_sub(1)).rev() {
                self.barycenter(r, false);
            }
            self.transpose();
            if self.small() {
                self.sift();
            }
            let c = self.crossings();
            if c < best_c {
                best_c = c;
                best = self.cells.clone();
            }
        }
        self.set_cells(best);
        if best_c > 0 && !self.spent() {
            self.exhaustive();
            if self.small() && self.crossings() > 0 {
                self.sift();
                self.shift_chains();
            }
        }
    }

    /// Moves each long edge's whole run of dummies to the far left or far
    /// right of its rows when that lowers the crossings: an edge passing a
    /// node on the other side is a move no single-element step can find.
    fn shift_chains(&mut self) {
        let mut best_c = self.crossings();
        for ei in 0..self.chains.len() {
            if best_c == 0 || self.spent() {
                return;
            }
            let dummies: Vec<usize> = self.chains[ei]
                .iter()
                .skip(1)
                .map(|&si| self.segs[si].upper)
                .collect();
            if dummies.is_empty() {
                continue;
            }
            for right in [false, true] {
                let saved: Vec<(usize, Vec<Vec<usize>>)> = dummies
                    .iter()
                    .map(|&d| (self.elems[d].row, self.cells[self.elems[d].row].clone()))
                    .collect();
                for &d in &dummies {
                    let r = self.elems[d].row;
                    for cell in &mut self.cells[r] {
                        cell.retain(|&x| x != d);
                    }
                    let (lo, hi) = self.elems[d].cells;
                    let last = self.cells[r].len() - 1;
                    if right {
                        self.cells[r][hi.min(last)].push(d);
                    } else {
                        self.cells[r][lo.min(last)].insert(0, d);
                    }
                    self.reindex(r);
                }
                let c = self.crossings();
                if c < best_c {
                    best_c = c;
                } else {
                    for (r, cells) in saved.into_iter().rev() {
                        self.cells[r] = cells;
                        self.reindex(r);
                    }
                }
            }
        }
    }

    /// Sifting and chain shifting evaluate many candidate orders; they are
    /// for diagram-sized graphs only.
    fn small(&self) -> bool {
        self.elems.len() <= SIFT_MAX_ELEMS
    }

    /// Moves single elements to the position (and, for free dummies, the
    /// cell) in their row with the fewest crossings, until nothing improves.
    fn sift(&mut self) {
        for _ in 0..4 {
            let mut improved = false;
            for r in 0..self.cells.len() {
                let row: Vec<usize> = self.cells[r].iter().flatten().copied().collect();
                for e in row {
                    if self.spent() {
                        return;
                    }
                    improved |= self.sift_one(r, e);
                }
            }
            if !improved {
                break;
            }
        }
    }

    fn sift_one(&mut self, r: usize, e: usize) -> bool {
        let Some((c0, i0)) = self.cells[r]
            .iter()
            .enumerate()
            .find_map(|(c, cell)| cell.iter().position(|&x| x == e).map(|i| (c, i)))
        else {
            return false;
        };
        let mut best = (c0, i0);
        let mut best_c = self.local_crossings(r);
        if best_c == 0 {
            return false;
        }
        self.cells[r][c0].remove(i0);
        let (lo, hi) = self.elems[e].cells;
        let cands: Vec<usize> = (lo..=hi.max(lo))
            .filter(|&c| c < self.cells[r].len())
            .collect();
        for c in cands {
            for i in 0..=self.cells[r][c].len() {
                if (c, i) == (c0, i0) || self.spent() {
                    continue;
                }
                self.cells[r][c].insert(i, e);
                self.reindex(r);
                let lc = self.local_crossings(r);
                self.cells[r][c].remove(i);
                if lc < best_c {
                    best_c = lc;
                    best = (c, i);
                }
            }
        }
        self.cells[r][best.0].insert(best.1, e);
        self.reindex(r);
        best != (c0, i0)
    }

    fn set_cells(&mut self, cells: Vec<Vec<Vec<usize>>>) {
        self.cells = cells;
        for r in 0..self.cells.len() {
            self.reindex(r);
        }
    }

    fn barycenter(&mut self, r: usize, from_above: bool) {
        let nbs = if from_above { &self.up } else { &self.down };
        let links: usize = self.cells[r]
            .iter()
            .flatten()
            .map(|&e| 1 + nbs[e].len())
            .sum();
        self.spend(links as u64);
        for ci in 0..self.cells[r].len() {
            let mut keyed: Vec<(f64, usize)> = self.cells[r][ci]
                .iter()
                .map(|&e| {
                    let nb = if from_above {
                        &self.up[e]
                    } else {
                        &self.down[e]
                    };
                    let key = if nb.is_empty() {
                        self.pos[e] as f64
                    } else {
                        nb.iter().map(|&n| self.pos[n] as f64).sum::<f64>() / nb.len() as f64
                    };
                    (key, e)
                })
                .collect();
            crate::sort::sort_by(&mut keyed, |a, b| a.0.total_cmp(&b.0));
            self.cells[r][ci] = keyed.into_iter().map(|(_, e)| e).collect();
        }
        self.reindex(r);
        if self.cells[r].len() > 1 {
            self.place_free(r, from_above);
        }
    }

    /// Re-seats a row's movable dummies (those allowed in several cells):
    /// each goes where its barycenter falls among the row's other elements,
    /// in an allowed cell, preferring its home cell.
    fn place_free(&mut self, r: usize, from_above: bool) {
        let key = |o: &Self, e: usize| -> f64 {
            let nb = if from_above { &o.up[e] } else { &o.down[e] };
            if nb.is_empty() {
                o.pos[e] as f64
            } else {
                nb.iter().map(|&n| o.pos[n] as f64).sum::<f64>() / nb.len() as f64
            }
        };
        let movable = |o: &Self, e: usize| o.elems[e].cells.0 != o.elems[e].cells.1;
        let mut free: Vec<(f64, usize)> = self.cells[r]
            .iter()
            .flatten()
            .filter(|&&e| movable(self, e))
            .map(|&e| (key(self, e), e))
            .collect();
        if free.is_empty() {
            return;
        }
        crate::sort::sort_by(&mut free, |a, b| a.0.total_cmp(&b.0));
        // (cell, element, key) of the fixed elements, left to right.
        let fixed: Vec<(usize, usize, f64)> = self.cells[r]
            .iter()
            .enumerate()
            .flat_map(|(c, cell)| cell.iter().map(move |&e| (c, e)))
            .filter(|&(_, e)| !movable(self, e))
            .map(|(c, e)| (c, e, key(self, e)))
            .collect();
        self.spend((free.len() * (fixed.len() + 1)) as u64);
        let last = self.cells[r].len() - 1;
        // Sort keys: (cell, 0 front / 1 in order / 2 back, sequence).
        let mut items: Vec<((usize, u8, usize), usize)> = Vec::new();
        let mut seq = 0;
        let mut slots: Vec<Vec<usize>> = vec![Vec::new(); fixed.len() + 1];
        for &(k, e) in &free {
            // Slot j is "after the j-th fixed element": fewest fixed elements
            // on the wrong side of the dummy's key.
            let mut wrong = fixed.iter().filter(|f| f.2 < k).count();
            let mut best = (wrong, 0);
            for (j, f) in fixed.iter().enumerate() {
                wrong = wrong + usize::from(f.2 > k) - usize::from(f.2 < k);
                if wrong < best.0 {
                    best = (wrong, j + 1);
                }
            }
            slots[best.1].push(e);
        }
        for j in 0..=fixed.len() {
            if j > 0 {
                let (c, e, _) = fixed[j - 1];
                items.push(((c, 1, seq), e));
                seq += 1;
            }
            let a = if j == 0 { 0 } else { fixed[j - 1].0 };
            let b = if j == fixed.len() { last } else { fixed[j].0 };
            for &e in &slots[j] {
                let (lo, hi) = self.elems[e].cells;
                let k = if hi < a {
                    (hi, 2, seq)
                } else if lo > b {
                    (lo, 0, seq)
                } else {
                    (self.elems[e].home.clamp(a.max(lo), b.min(hi)), 1, seq)
                };
                items.push((k, e));
                seq += 1;
            }
        }
        crate::sort::sort_by_key(&mut items, |x| x.0);
        for cell in &mut self.cells[r] {
            cell.clear();
        }
        for ((c, _, _), e) in items {
            self.cells[r][c].push(e);
        }
        self.reindex(r);
    }

    /// Crossings among a's and b's edges when a is left of b.
    fn pair_crossings(&self, a: usize, b: usize) -> usize {
        self.spend(
            1 + (self.up[a].len() * self.up[b].len() + self.down[a].len() * self.down[b].len())
                as u64,
        );
        let mut c = 0;
        for nbs in [(&self.up[a], &self.up[b]), (&self.down[a], &self.down[b])] {
            for &x in nbs.0 {
                for &y in nbs.1 {
                    if self.pos[x] > self.pos[y] {
                        c += 1;
                    }
                }
            }
        }
        c
    }

    fn transpose(&mut self) {
        for _ in 0..10 {
            if self.spent() {
                break;
            }
            let mut improved = false;
            for r in 0..self.cells.len() {
                for ci in 0..self.cells[r].len() {
                    for i in 0..self.cells[r][ci].len().saturating_sub(1) {
                        let (a, b) = (self.cells[r][ci][i], self.cells[r][ci][i + 1]);
                        if self.pair_crossings(b, a) < self.pair_crossings(a, b) {
                            self.cells[r][ci].swap(i, i + 1);
                            self.pos.swap(a, b);
                            improved = true;
                        }
                    }
                }
            }
            if !improved {
                break;
            }
        }
    }

    fn exhaustive(&mut self) {
        let targets: Vec<(usize, usize)> = (0..self.cells.len())
            .flat_map(|r| (0..self.cells[r].len()).map(move |c| (r, c)))
            .filter(|&(r, c)| self.cells[r][c].len() > 1)
            .collect();
        let mut combos: u64 = 1;
        for &(r, c) in &targets {
            combos = combos.saturating_mul(factorial(self.cells[r][c].len()));
        }
        if combos <= GLOBAL_EXHAUSTIVE_LIMIT {
            self.exhaustive_all(&targets);
        } else {
            for _ in 0..2 {
                for &(r, c) in &targets {
                    if self.cells[r][c].len() <= CELL_EXHAUSTIVE_MAX && !self.spent() {
                        self.exhaustive_cell(r, c);
                    }
                }
            }
        }
    }

    fn exhaustive_all(&mut self, targets: &[(usize, usize)]) {
        let perms: Vec<Vec<Vec<usize>>> = targets
            .iter()
            .map(|&(r, c)| permutations(&self.cells[r][c]))
            .collect();
        let mut idx = vec![0usize; targets.len()];
        let mut best_c = self.crossings();
        let mut best_idx = None;
        loop {
            for (k, &(r, c)) in targets.iter().enumerate() {
                self.cells[r][c].clone_from(&perms[k][idx[k]]);
            }
            for &(r, _) in targets {
                self.reindex(r);
            }
            let c = self.crossings();
            if c < best_c {
                best_c = c;
                best_idx = Some(idx.clone());
                if c == 0 {
                    break;
                }
            }
            if self.spent() {
                break;
            }
            // Odometer step over every cell's permutation index.
            let mut k = 0;
            while k < idx.len() {
                idx[k] += 1;
                if idx[k] < perms[k].len() {
                    break;
                }
                idx[k] = 0;
                k += 1;
            }
            if k == idx.len() {
                break;
            }
        }
        let chosen = best_idx.unwrap_or_else(|| vec![0; targets.len()]);
        for (k, &(r, c)) in targets.iter().enumerate() {
            self.cells[r][c].clone_from(&perms[k][chosen[k]]);
        }
        for r in 0..self.cells.len() {
            self.reindex(r);
        }
    }

    fn exhaustive_cell(&mut self, r: usize, c: usize) {
        let perms = permutations(&self.cells[r][c]);
        let mut best = 0;
        let mut best_c = self.local_crossings(r);
        for (i, p) in perms.iter().enumerate().skip(1) {
            if self.spent() {
                break;
            }
            self.cells[r][c].clone_from(p);
            self.reindex(r);
            let lc = self.local_crossings(r);
            if lc < best_c {
                best_c = lc;
                best = i;
            }
        }
        self.cells[r][c].clone_from(&perms[best]);
        self.reindex(r);
    }
}

fn factorial(n: usize) -> u64 {
    (1..=n as u64).fold(1u64, |a, b| a.saturating_mul(b))
}

/// All orders of `items`, the given order first, in a fixed sequence.
fn permutations(items: &[usize]) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut idx: Vec<usize> = (0..items.len()).collect();
    loop {
        out.push(idx.iter().map(|&i| items[i]).collect());
        // Next lexicographic permutation of indices.
        let Some(i) = (0..idx.len().saturating_sub(1))
            .rev()
            .find(|&i| idx[i] < idx[i + 1])
        else {
            break;
        };
        let j = (i + 1..idx.len())
            .rev()
            .find(|&j| idx[j] > idx[i])
            .unwrap_or(i + 1);
        idx.swap(i, j);
        idx[i + 1..].reverse();
    }
    out
}
