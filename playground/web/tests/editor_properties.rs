//! Properties of the editor logic over random designs and random input: the
//! text notation and share links round-trip every design whose names the
//! editor accepts, and no input makes the parsers panic.

use std::collections::HashSet;

use meridian_engine::{Component, Connection, Topology};
use meridian_web::design::{self, Edit, MAX_REPLICAS, Names, is_valid_name};
use meridian_web::{export, notation, share};
use proptest::prelude::*;

/// Names as readers type them, including the characters the notation uses
/// elsewhere (`#`, `(`, `=`, `>`, `-`, `@`) in positions where they are allowed.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z][A-Za-z0-9 ]{0,12}",
        "[A-Za-z0-9 #()<>/&'\"=.@x×-]{1,16}",
        "\\PC{1,10}",
        "[a-z]{0,3}[\u{200B}-\u{200F}\u{FEFF}\u{00A0}\u{3000}][a-z ]{0,3}",
        any::<String>(),
    ]
    .prop_filter("the editor accepts it", |n| is_valid_name(n))
}

fn id() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_-]{1,12}"
}

fn hit_ratio() -> impl Strategy<Value = Option<f64>> {
    prop::option::of(prop_oneof![
        0.0..=1.0f64,
        prop::sample::select(vec![0.0, 1.0, 0.35, 1e-300, 5e-324, 0.1 + 0.2]),
    ])
}

fn component() -> impl Strategy<Value = Component> {
    (
        name(),
        id(),
        id(),
        1..=MAX_REPLICAS,
        hit_ratio(),
        prop::option::of(1..=MAX_REPLICAS),
    )
        .prop_map(
            |(name, component_type, region, replicas, hit_ratio, max)| Component {
                name,
                component_type,
                region,
                replicas,
                hit_ratio,
                autoscale: max.map(|max| meridian_engine::spec::Autoscale {
                    max: max.max(replicas),
                }),
                service: None,
            },
        )
}

/// A design the editor could have produced: unique valid names, connections
/// between distinct existing components, no duplicate connections.
fn topology() -> impl Strategy<Value = Topology> {
    prop::collection::vec(component(), 0..8)
        .prop_map(|mut components| {
            let mut seen = HashSet::new();
            components.retain(|c| seen.insert(c.name.clone()));
            components
        })
        .prop_flat_map(|components| {
            let n = components.len().max(1);
            let edges = prop::collection::vec((0..n, 0..n, any::<bool>()), 0..12);
            (Just(components), edges)
        })
        .prop_map(|(components, edges)| {
            let mut seen = HashSet::new();
            let connections = edges
                .into_iter()
                .filter(|&(a, b, _)| a != b && a < components.len() && b < components.len())
                .filter(|&(a, b, _)| seen.insert((a, b)))
                .map(|(a, b, sync)| Connection {
                    from: components[a].name.clone(),
                    to: components[b].name.clone(),
                    sync,
                    share: None,
                    rate: None,
                })
                .collect();
            Topology {
                components,
                connections,
            }
        })
}

/// Lines built from the notation's own pieces, so the parser's error paths
/// are reached more often than with arbitrary text.
fn notation_like() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "A", "B", " ", ":", "@", "@us", "app", "x", "x3", "×", "hit", "=", "hit=0.5", "→", "->",
        "=>", "⇒", "(sync)", "#", "\n", "\r\n", "\t", "é", "0", "-", ">", "(", "\u{2028}",
    ]);
    prop::collection::vec(piece, 0..40).prop_map(|p| p.concat())
}

struct FixedNames;

impl Names for FixedNames {
    fn type_short(&self, type_id: &str) -> String {
        design::short_type_label(type_id)
    }
    fn region_prefix(&self, region_id: &str) -> String {
        region_id.to_uppercase()
    }
}

/// Random edits over a design's names, plus some unknown or odd ones.
fn edit(names: Vec<String>) -> impl Strategy<Value = Edit> {
    let pick = prop::sample::select(if names.is_empty() {
        vec!["nobody".to_string()]
    } else {
        names
    });
    let text = prop_oneof![name(), any::<String>()];
    let pick2 = (pick.clone(), pick.clone());
    prop_oneof![
        (id(), id()).prop_map(|(component_type, region)| Edit::Add {
            component_type,
            region
        }),
        (pick.clone(), text).prop_map(|(name, new_name)| Edit::Rename { name, new_name }),
        pick.clone().prop_map(|name| Edit::Delete { name }),
        pick2
            .clone()
            .prop_map(|(from, to)| Edit::Connect { from, to }),
        pick2
            .clone()
            .prop_map(|(from, to)| Edit::Disconnect { from, to }),
        (pick2, any::<bool>()).prop_map(|((from, to), sync)| Edit::SetSync { from, to, sync }),
        (pick.clone(), any::<u32>())
            .prop_map(|(name, replicas)| Edit::SetReplicas { name, replicas }),
        (pick.clone(), any::<String>()).prop_map(|(name, component_type)| Edit::SetType {
            name,
            component_type
        }),
        (pick, hit_ratio()).prop_map(|(name, hit_ratio)| Edit::SetHitRatio { name, hit_ratio }),
    ]
}

fn design_and_edits() -> impl Strategy<Value = (Topology, Vec<Edit>)> {
    topology().prop_flat_map(|t| {
        let names: Vec<String> = t.components.iter().map(|c| c.name.clone()).collect();
        (Just(t), prop::collection::vec(edit(names), 0..12))
    })
}

/// A design's link as the page makes it, miniz standing in for the
/// browser's deflate.
fn fragment(t: &Topology) -> String {
    let deflated = miniz_oxide::deflate::compress_to_vec(share::text(t).as_bytes(), 9);
    share::pack(&deflated).unwrap()
}

/// A link opened as the page opens it, miniz standing in for the browser's
/// inflate (which gives the whole output or fails).
fn open(fragment: &str) -> Option<Result<Topology, share::ShareError>> {
    share::from_fragment(fragment)
        .map(|r| r.and_then(|d| share::read(miniz_oxide::inflate::decompress_to_vec(&d).ok())))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn notation_round_trips(t in topology()) {
        let text = notation::print(&t);
        prop_assert_eq!(notation::parse(&text), Ok(t), "{}", text);
    }

    #[test]
    fn share_links_round_trip(t in topology()) {
        let fragment = fragment(&t);
        prop_assert!(fragment.bytes().all(|b| b.is_ascii_alphanumeric() || b"=-_".contains(&b)));
        prop_assert_eq!(open(&fragment), Some(Ok(t)));
    }

    #[test]
    fn export_reads_back(t in topology()) {
        let back: Topology = serde_yaml::from_str(&export::to_yaml(&t)).unwrap();
        prop_assert_eq!(back, t);
    }

    /// Every edit the editor accepts keeps the design printable: it still
    /// round-trips through the notation.
    #[test]
    fn edits_keep_designs_in_the_notation((t, edits) in design_and_edits()) {
        let mut t = t;
        for e in &edits {
            if let Ok(applied) = design::apply(&t, e, &FixedNames) {
                t = applied.topology;
            }
        }
        let text = notation::print(&t);
        prop_assert_eq!(notation::parse(&text), Ok(t), "{}", text);
    }

    #[test]
    fn parse_never_panics(text in any::<String>()) {
        let _ = notation::parse(&text);
    }

    #[test]
    fn parse_never_panics_on_notation_pieces(text in notation_like()) {
        if let Err(errors) = notation::parse(&text) {
            let lines = text.lines().count();
            for e in errors {
                prop_assert!(e.line >= 1 && e.line <= lines && e.column >= 1, "{}", e);
            }
        }
    }

    #[test]
    fn from_fragment_never_panics(fragment in any::<String>()) {
        let _ = share::from_fragment(&fragment);
    }

    #[test]
    fn from_fragment_never_panics_on_base64(value in "[A-Za-z0-9_=-]{0,200}") {
        let _ = share::from_fragment(&format!("design={value}"));
    }

    /// A valid link with one byte changed: an error or some design, never a panic.
    #[test]
    fn damaged_links_never_panic(t in topology(), at in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let value = fragment(&t)[share::KEY.len() + 1..].to_string();
        let mut bytes = share::base64url_decode(&value).unwrap();
        let i = at.index(bytes.len());
        bytes[i] = byte;
        let _ = open(&format!("design={}", share::base64url_encode(&bytes)));
    }
}
