//! The one stable sort of the engine and the playground, and its one
//! unstable sort.
//!
//! `slice::sort_by` is generic over the element and the comparator, so each
//! call site compiled its own copy of the standard library's driftsort: about
//! 40 KB of the playground's WebAssembly in 12 copies (`cargo bench --bench
//! wasm_size`, "generic functions"). Here a merge sort runs over `u32`
//! indices with a `dyn` comparator — one copy — and the order found is then
//! applied to the slice. Stable like `sort_by`: equal elements keep their
//! order, so results are the same as before, element for element.

use core::cmp::Ordering;

/// Sorts `v` stably by `cmp`, as `v.sort_by(cmp)` does.
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mut order: Vec<u32> = (0..v.len() as u32).collect();
    {
        let items: &[T] = v;
        let mut by_index = |a: &u32, b: &u32| cmp(&items[*a as usize], &items[*b as usize]);
        sort_indices(&mut order, &mut by_index);
    }
    apply(v, &mut order);
}

/// Sorts `v` stably by `key`, as `v.sort_by_key(key)` does.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// A stable merge sort of `order` by `cmp`: binary insertion sort on runs of 16,
/// then merges of neighbouring runs, doubling. Ours rather than the
/// standard library's driftsort, which even as a single copy was about 6 KB
/// of the playground; any correct stable sort puts the same elements in
/// the same places, and the engine's lists are short (tens to hundreds).
#[inline(never)]
fn sort_indices(order: &mut [u32], cmp: &mut dyn FnMut(&u32, &u32) -> Ordering) {
    const RUN: usize = 16;
    let n = order.len();
    for start in (0..n).step_by(RUN) {
        let end = (start + RUN).min(n);
        // Binary insertion: each element goes after every element not
        // greater than it (stable), found in log comparisons; comparisons
        // are calls through the `dyn` comparator, moves are cheap.
        for i in start + 1..end {
            let x = order[i];
            let (mut lo, mut hi) = (start, i);
            while lo < hi {
                let mid = (lo + hi) / 2;
                if cmp(&x, &order[mid]) == Ordering::Less {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            order[lo..=i].rotate_right(1);
        }
    }
    if n <= RUN {
        return;
    }
    let mut merged = vec![0u32; n];
    let mut width = RUN;
    while width < n {
        for start in (0..n).step_by(2 * width) {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut i, mut j) = (start, mid);
            for slot in &mut merged[start..end] {
                // The left run's element first unless the right's is
                // strictly smaller: equal elements keep their order.
                let take_left =
                    j >= end || (i < mid && cmp(&order[i], &order[j]) != Ordering::Greater);
                if take_left {
                    *slot = order[i];
                    i += 1;
                } else {
                    *slot = order[j];
                    j += 1;
                }
            }
        }
        order.copy_from_slice(&merged);
        width *= 2;
    }
}

/// Sorts integer keys, as `v.sort_unstable()` does: the engine's one copy
/// of the standard library's unstable sort (each element type it was used
/// with compiled its own, about 4.5 KB of the playground each). Callers
/// pack what they sort into a `u128` whose integer order is the order they
/// want (`pack2`); equal keys are equal values, so unstable is exact.
#[inline(never)]
pub fn sort_keys(v: &mut [u128]) {
    v.sort_unstable();
}

/// `(a, b)` as one key ordered as the pair is: by `a`, then `b`.
pub fn pack2(a: u64, b: u64) -> u128 {
    u128::from(a) << 64 | u128::from(b)
}

/// The pair [`pack2`] packed.
pub fn unpack2(key: u128) -> (u64, u64) {
    ((key >> 64) as u64, key as u64)
}

/// Sorts `usize` pairs (as `sort_unstable` does) with [`sort_keys`].
pub fn sort_pairs(v: &mut [(usize, usize)]) {
    let mut keys: Vec<u128> = v.iter().map(|&(a, b)| pack2(a as u64, b as u64)).collect();
    sort_keys(&mut keys);
    for (slot, key) in v.iter_mut().zip(keys) {
        let (a, b) = unpack2(key);
        *slot = (a as usize, b as usize);
    }
}

/// Sorts `usize`s (as `sort_unstable` does) with [`sort_keys`].
pub fn sort_indices_unstable(v: &mut [usize]) {
    let mut keys: Vec<u128> = v.iter().map(|&a| a as u128).collect();
    sort_keys(&mut keys);
    for (slot, key) in v.iter_mut().zip(keys) {
        *slot = key as usize;
    }
}

/// Puts `v[order[j]]` at position `j` for every `j`, by following the
/// permutation's cycles with swaps (`order` is used up).
fn apply<T>(v: &mut [T], order: &mut [u32]) {
    const DONE: u32 = u32::MAX;
    for start in 0..v.len() {
        let mut j = start;
        while order[j] != DONE {
            let k = order[j] as usize;
            order[j] = DONE;
            if k == start {
                break;
            }
            v.swap(j, k);
            j = k;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The same order as the standard library's stable sort, ties
        /// included (the second field tells equal keys apart).
        #[test]
        fn same_as_the_standard_stable_sort(v in prop::collection::vec((0u8..6, any::<u16>()), 0..200)) {
            let mut ours = v.clone();
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            let mut std = v.clone();
            std.sort_by_key(|x| x.0);
            prop_assert_eq!(ours, std);
            let mut ours = v.clone();
            sort_by_key(&mut ours, |x| std::cmp::Reverse(x.0));
            let mut std = v;
            std.sort_by_key(|x| std::cmp::Reverse(x.0));
            prop_assert_eq!(ours, std);
        }

        /// Pairs and indices come out as `sort_unstable` leaves them.
        #[test]
        fn keys_sort_as_the_standard_unstable_sort(
            pairs in prop::collection::vec((any::<usize>(), any::<usize>()), 0..200),
            wide in prop::collection::vec((any::<u64>(), any::<u32>()), 0..200),
        ) {
            let mut ours = pairs.clone();
            sort_pairs(&mut ours);
            let mut std = pairs.clone();
            std.sort_unstable();
            prop_assert_eq!(ours, std);
            let mut ours: Vec<usize> = pairs.iter().map(|p| p.0).collect();
            sort_indices_unstable(&mut ours);
            let mut std: Vec<usize> = pairs.iter().map(|p| p.0).collect();
            std.sort_unstable();
            prop_assert_eq!(ours, std);
            let mut keys: Vec<u128> = wide.iter().map(|&(a, b)| pack2(a, u64::from(b))).collect();
            sort_keys(&mut keys);
            let ours: Vec<(u64, u32)> = keys.iter().map(|&k| { let (a, b) = unpack2(k); (a, b as u32) }).collect();
            let mut std = wide;
            std.sort_unstable();
            prop_assert_eq!(ours, std);
        }
    }
}
