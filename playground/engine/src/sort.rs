//! The one stable sort of the engine and the playground.
//!
//! `slice::sort_by` is generic over the element and the comparator, so each
//! call site compiled its own copy of the standard library's driftsort: about
//! 40 KB of the playground's WebAssembly in 12 copies (`cargo bench --bench
//! wasm_size`, "generic functions"). Here the algorithm runs over `u32`
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

/// The one instantiation of the standard library's stable sort.
#[inline(never)]
fn sort_indices(order: &mut [u32], cmp: &mut dyn FnMut(&u32, &u32) -> Ordering) {
    order.sort_by(cmp);
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
    }
}
