//! `VecMap`: a map kept as a list of (key, value) pairs in insertion
//! order, for the data files' maps (component types, regions, constants,
//! client regions, sources).
//!
//! In place of `indexmap::VecMap`, whose hash table was 5.4 KB of the
//! playground's gzipped wasm (ARCHITECTURE.md): these maps hold tens of
//! entries at most (the catalog's ~30 types, 5 regions), are read by key a
//! few times per evaluation, and a lookup that compares a few strings costs
//! no more than hashing one. What it keeps of `VecMap`: order (the data
//! files' order is the order readers see), `insert` replacing a value in
//! place, equality regardless of order, and serde as a map (a duplicate key
//! in a file keeps the first one's place and the last one's value).

use std::borrow::Borrow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Clone)]
pub struct VecMap<K, V> {
    entries: Vec<(K, V)>,
}

impl<K, V> VecMap<K, V> {
    pub const fn new() -> Self {
        VecMap {
            entries: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Entries in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.entries.iter().map(|(k, _)| k)
    }

    pub fn values(&self) -> impl Iterator<Item = &V> {
        self.entries.iter().map(|(_, v)| v)
    }

    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.entries.iter_mut().map(|(_, v)| v)
    }

    /// The position of `key` in insertion order.
    pub fn get_index_of<Q>(&self, key: &Q) -> Option<usize>
    where
        K: Borrow<Q>,
        Q: PartialEq + ?Sized,
    {
        self.entries.iter().position(|(k, _)| k.borrow() == key)
    }

    pub fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: PartialEq + ?Sized,
    {
        self.get_key_value(key).map(|(_, v)| v)
    }

    pub fn get_key_value<Q>(&self, key: &Q) -> Option<(&K, &V)>
    where
        K: Borrow<Q>,
        Q: PartialEq + ?Sized,
    {
        let (k, v) = &self.entries[self.get_index_of(key)?];
        Some((k, v))
    }

    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: PartialEq + ?Sized,
    {
        self.get_index_of(key).is_some()
    }

    /// Adds `key` at the end, or replaces its value where it is; returns
    /// the value replaced.
    pub fn insert(&mut self, key: K, value: V) -> Option<V>
    where
        K: PartialEq,
    {
        match self.entries.iter().position(|(k, _)| *k == key) {
            Some(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            None => {
                self.entries.push((key, value));
                None
            }
        }
    }
}

impl<K, V> Default for VecMap<K, V> {
    fn default() -> Self {
        VecMap::new()
    }
}

/// Equal when they hold the same entries, in any order (as `VecMap`).
impl<K: PartialEq, V: PartialEq> PartialEq for VecMap<K, V> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len()
            && self
                .entries
                .iter()
                .all(|(k, v)| other.entries.iter().any(|(ok, ov)| ok == k && ov == v))
    }
}

impl<K: fmt::Debug, V: fmt::Debug> fmt::Debug for VecMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// `map["key"]`; panics when the key is missing, as a slice's index does.
impl<K: Borrow<str>, V> std::ops::Index<&str> for VecMap<K, V> {
    type Output = V;

    fn index(&self, key: &str) -> &V {
        match self.entries.iter().find(|(k, _)| k.borrow() == key) {
            Some((_, v)) => v,
            None => panic!("no entry {key:?} in the map"),
        }
    }
}

impl<K: Borrow<str>, V> std::ops::IndexMut<&str> for VecMap<K, V> {
    fn index_mut(&mut self, key: &str) -> &mut V {
        match self.entries.iter_mut().find(|(k, _)| k.borrow() == key) {
            Some((_, v)) => v,
            None => panic!("no entry {key:?} in the map"),
        }
    }
}

impl<K: PartialEq, V> FromIterator<(K, V)> for VecMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(items: I) -> Self {
        let mut map = VecMap::new();
        for (k, v) in items {
            map.insert(k, v);
        }
        map
    }
}

impl<K, V> IntoIterator for VecMap<K, V> {
    type Item = (K, V);
    type IntoIter = std::vec::IntoIter<(K, V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

type Pair<'a, K, V> = fn(&'a (K, V)) -> (&'a K, &'a V);

impl<'a, K, V> IntoIterator for &'a VecMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = std::iter::Map<std::slice::Iter<'a, (K, V)>, Pair<'a, K, V>>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

impl<K: Serialize, V: Serialize> Serialize for VecMap<K, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.len()))?;
        for (k, v) in &self.entries {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de, K, V> Deserialize<'de> for VecMap<K, V>
where
    K: Deserialize<'de> + PartialEq,
    V: Deserialize<'de>,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Entries<K, V>(PhantomData<(K, V)>);

        impl<'de, K, V> Visitor<'de> for Entries<K, V>
        where
            K: Deserialize<'de> + PartialEq,
            V: Deserialize<'de>,
        {
            type Value = VecMap<K, V>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a map")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut map = VecMap::new();
                while let Some((k, v)) = access.next_entry()? {
                    map.insert(k, v);
                }
                Ok(map)
            }
        }

        deserializer.deserialize_map(Entries(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::VecMap;

    #[test]
    fn keeps_insertion_order_and_replaces_in_place() {
        let mut m = VecMap::new();
        assert_eq!(m.insert("b".to_string(), 1), None);
        assert_eq!(m.insert("a".to_string(), 2), None);
        assert_eq!(m.insert("b".to_string(), 3), Some(1));
        assert_eq!(m.keys().collect::<Vec<_>>(), ["b", "a"]);
        assert_eq!(m["b"], 3);
        assert_eq!(m.get("a"), Some(&2));
        assert_eq!(m.get("c"), None);
        assert_eq!(m.get_index_of("a"), Some(1));
        assert_eq!(m.get_key_value("a"), Some((&"a".to_string(), &2)));
        assert!(m.contains_key("b") && !m.contains_key("c"));
        for v in m.values_mut() {
            *v *= 10;
        }
        m["a"] += 1;
        assert_eq!(m.values().copied().collect::<Vec<_>>(), [30, 21]);
        assert_eq!(m.len(), 2);
    }

    #[test]
    fn equal_whatever_the_order() {
        let a: VecMap<&str, i32> = [("x", 1), ("y", 2)].into_iter().collect();
        let b: VecMap<&str, i32> = [("y", 2), ("x", 1)].into_iter().collect();
        let c: VecMap<&str, i32> = [("y", 2), ("x", 9)].into_iter().collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(a, VecMap::new());
    }

    #[test]
    fn serde_as_a_map_in_order() {
        let m: VecMap<String, f64> = serde_yaml::from_str("us: 0.5\neu: 0.25\nap: 0.25\n").unwrap();
        assert_eq!(m.keys().collect::<Vec<_>>(), ["us", "eu", "ap"]);
        assert_eq!(m["us"], 0.5);
        let text = serde_yaml::to_string(&m).unwrap();
        assert_eq!(text, "us: 0.5\neu: 0.25\nap: 0.25\n");
        assert!(serde_yaml::from_str::<VecMap<String, f64>>("[1]").is_err());
    }
}
