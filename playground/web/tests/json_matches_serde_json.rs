//! The playground's small JSON reader (`meridian_web::json`) reads what
//! `serde_json` writes exactly as `serde_json` reads it: every problem's
//! playground data as the generator embeds it, numbers bit for bit, strings
//! with every escape, and the same documents refused.

use std::collections::BTreeMap;

use meridian_engine::playground_data::PlaygroundData;
use meridian_engine::spec::{Constant, Rule};
use meridian_engine::{Catalog, Problem, Regions};
use meridian_web::json;
use proptest::prelude::*;
use serde::Deserialize;

fn read_yaml<T: serde::de::DeserializeOwned>(path: &str) -> T {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn problems_dir() -> String {
    format!("{}/../../problems", env!("CARGO_MANIFEST_DIR"))
}

/// The page's JSON, as the generator writes it (`playground_json`).
fn page_json(data: &PlaygroundData) -> String {
    serde_json::to_string(data).unwrap().replace('<', "\\u003c")
}

#[test]
fn every_problem_reads_back_as_serde_json_reads_it() {
    let dir = problems_dir();
    let catalog: Catalog = read_yaml(&format!("{dir}/catalog.yaml"));
    let regions: Regions = read_yaml(&format!("{dir}/regions.yaml"));
    let mut files: Vec<_> = std::fs::read_dir(format!("{dir}/multiregion"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    assert!(files.len() >= 35, "found only {} problems", files.len());
    let mut escapes = 0;
    for file in &files {
        let problem: Problem = read_yaml(file.to_str().unwrap());
        let data = PlaygroundData::new(&problem, &catalog, &regions);
        let text = page_json(&data);
        escapes += text.matches("\\u003c").count();
        let ours: PlaygroundData =
            json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let theirs: PlaygroundData = serde_json::from_str(&text).unwrap();
        assert_eq!(ours, theirs, "{}", file.display());
        assert_eq!(ours, data, "{}", file.display());
        // Bit-exact floats (PartialEq would let 0.0 and -0.0 pass).
        assert_eq!(
            serde_json::to_string(&ours).unwrap(),
            serde_json::to_string(&data).unwrap()
        );
        // Also as a generic tree: same u64/i64/f64 and the same strings.
        let ours: serde_json::Value = json::from_str(&text).unwrap();
        assert_eq!(
            ours,
            serde_json::from_str::<serde_json::Value>(&text).unwrap()
        );
    }
    // The course's text has `<` ("P95 < 100 ms"): the escape is exercised.
    assert!(escapes > 0);
}

/// Reads `text` both ways as a generic tree and checks they agree, on the
/// value or on refusing it.
fn same_as_serde_json(text: &str) {
    let ours = json::from_str::<serde_json::Value>(text);
    let theirs = serde_json::from_str::<serde_json::Value>(text);
    match (&ours, &theirs) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{text:?}"),
        (Err(_), Err(_)) => {}
        _ => panic!("{text:?}: ours {ours:?}, serde_json {theirs:?}"),
    }
}

#[test]
fn string_escapes() {
    let s: String = json::from_str(r#""a\"b\\c\/d\be\ff\ng\rh\ti\u003cj\u00e9\u20ac""#).unwrap();
    assert_eq!(s, "a\"b\\c/d\u{8}e\u{c}f\ng\rh\ti<jé€");
    let s: String = json::from_str(r#""\ud83d\ude00 \uD834\uDD1E""#).unwrap();
    assert_eq!(s, "😀 𝄞");
    let s: String = json::from_str("\"héllo wörld 😀\"").unwrap();
    assert_eq!(s, "héllo wörld 😀");
    for text in [
        r#""\u003c/script>""#,
        r#""\ud83d\ude00""#,
        r#""\ud83d""#,
        r#""\ude00""#,
        r#""\ud83dx""#,
        r#""\ud83d\n""#,
        r#""\ud83d\u0041""#,
        r#""\ud83d\ud83d\ude00""#,
        r#""\x""#,
        r#""\u12""#,
        r#""\u12g4""#,
        "\"a\u{1}b\"",
        "\"tab\tinside\"",
        "\"\u{7f}\"",
        r#""""#,
    ] {
        same_as_serde_json(text);
    }
    let e = json::from_str::<String>(r#""\ud83d""#).unwrap_err();
    assert!(e.to_string().contains("surrogate"), "{e}");
    let e = json::from_str::<String>("\"a\nb\"").unwrap_err();
    assert_eq!(e.offset(), Some(2));
}

#[test]
fn numbers() {
    assert_eq!(json::from_str::<u64>("0").unwrap(), 0);
    let z: f64 = json::from_str("-0").unwrap();
    assert!(z == 0.0 && z.is_sign_negative());
    let z: f64 = json::from_str("-0.0").unwrap();
    assert!(z == 0.0 && z.is_sign_negative());
    assert_eq!(json::from_str::<f64>("1e300").unwrap(), 1e300);
    assert_eq!(json::from_str::<f64>("5e-324").unwrap().to_bits(), 1);
    let sum = serde_json::to_string(&(0.1 + 0.2)).unwrap();
    assert_eq!(sum, "0.30000000000000004");
    assert_eq!(json::from_str::<f64>(&sum).unwrap(), 0.1 + 0.2);
    assert_eq!(json::from_str::<f64>("0.1").unwrap(), 0.1);
    assert_eq!(json::from_str::<f64>("1e-7").unwrap(), 1e-7);
    assert_eq!(json::from_str::<f64>("1.0").unwrap(), 1.0);
    assert_eq!(json::from_str::<f64>("10").unwrap(), 10.0);
    assert_eq!(
        json::from_str::<u64>(&u64::MAX.to_string()).unwrap(),
        u64::MAX
    );
    assert_eq!(
        json::from_str::<i64>(&i64::MIN.to_string()).unwrap(),
        i64::MIN
    );
    assert_eq!(
        json::from_str::<i64>(&i64::MAX.to_string()).unwrap(),
        i64::MAX
    );
    assert_eq!(
        json::from_str::<f64>(&f64::MAX.to_string()).unwrap(),
        f64::MAX
    );
    assert!(json::from_str::<u32>("4294967296").is_err());
    assert!(json::from_str::<u32>("-1").is_err());
    assert!(json::from_str::<u32>("1.5").is_err());
    let e = json::from_str::<f64>("1e400").unwrap_err();
    assert!(e.to_string().contains("out of range"), "{e}");
    for text in [
        "0",
        "-0",
        "1",
        "-1",
        "1.5",
        "-1.5",
        "1e3",
        "1E3",
        "1e+3",
        "1e-3",
        "0.1",
        "1e300",
        "5e-324",
        "1e-400",
        "1e400",
        "-1e400",
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775808",
        "-9223372036854775809",
        "123456789012345678901234567890",
        "0.30000000000000004",
        "2.2250738585072014e-308",
        "01",
        "-01",
        "00",
        "1.",
        ".5",
        "-",
        "+1",
        "1e",
        "1e+",
        "--1",
        "1.2.3",
        "0x10",
        "Infinity",
        "NaN",
        "-Infinity",
        "1 2",
    ] {
        same_as_serde_json(text);
    }
}

/// Which visit method the deserializer called, as `Constant` relies on.
#[test]
fn integers_visit_as_serde_json_does() {
    let c: BTreeMap<String, Constant> =
        json::from_str(r#"{"a": 3, "b": -3, "c": 3.0, "d": true, "e": "x", "f": 1e2}"#).unwrap();
    assert_eq!(c["a"], Constant::Int(3));
    assert_eq!(c["b"], Constant::Int(-3));
    assert_eq!(c["c"], Constant::Float(3.0));
    assert_eq!(c["d"], Constant::Bool(true));
    assert_eq!(c["e"], Constant::Text("x".into()));
    assert_eq!(c["f"], Constant::Float(100.0));
    assert!(json::from_str::<Constant>("[1]").is_err());
    assert!(json::from_str::<Constant>("18446744073709551615").is_err());
}

#[test]
fn tagged_rules_and_unknown_fields() {
    let rules: Vec<Rule> = json::from_str(
        r#"[{"rule":"min_count","type":"app","count":3},
            {"type":"db","rule":"must_include"},
            {"rule":"unchecked","text":"x"}]"#,
    )
    .unwrap();
    assert_eq!(
        rules,
        vec![
            Rule::MinCount {
                component_type: "app".into(),
                count: 3
            },
            Rule::MustInclude {
                component_type: "db".into()
            },
            Rule::Unchecked { text: "x".into() },
        ]
    );
    let e = json::from_str::<Rule>(r#"{"rule":"must_include","type":"db","extra":1}"#).unwrap_err();
    assert!(e.to_string().contains("unknown field `extra`"), "{e}");
    let e = json::from_str::<Rule>(r#"{"rule":"nope"}"#).unwrap_err();
    assert!(e.to_string().contains("unknown variant"), "{e}");
    let e = json::from_str::<Rule>(r#"{"type":"db"}"#).unwrap_err();
    assert!(e.to_string().contains("missing field `rule`"), "{e}");

    // deny_unknown_fields on a plain struct, with the path to it.
    let e = json::from_str::<meridian_engine::Topology>(
        r#"{"components":[{"name":"a","type":"app","region":"us","colour":"red"}]}"#,
    )
    .unwrap_err();
    assert!(e.to_string().contains("unknown field `colour`"), "{e}");
    assert_eq!(e.path(), "components[0]");
    let e = json::from_str::<meridian_engine::Topology>(
        r#"{"components":[{"name":"a","type":"app","region":"us","replicas":-2}]}"#,
    )
    .unwrap_err();
    assert_eq!(e.path(), "components[0].replicas");
    assert!(e.to_string().ends_with("at components[0].replicas"), "{e}");
    // Defaults and skipped fields.
    let t: meridian_engine::Topology =
        json::from_str(r#"{"components":[{"name":"a","type":"app","region":"us"}]}"#).unwrap();
    assert_eq!(t.components[0].replicas, 1);
    assert_eq!(t.components[0].hit_ratio, None);
    assert!(t.connections.is_empty());
}

#[derive(Debug, PartialEq, Deserialize)]
enum Shape {
    Dot,
    Circle(f64),
    Pair(u8, u8),
    Rect { w: u32, h: u32 },
}

#[derive(Debug, PartialEq, Deserialize)]
struct Meters(f64);

#[derive(Debug, PartialEq, Deserialize)]
struct Unit;

#[derive(Debug, PartialEq, Deserialize)]
struct Mixed {
    shapes: Vec<Shape>,
    meters: Meters,
    maybe: Option<Option<u8>>,
    #[serde(default)]
    absent: Option<String>,
    tuple: (bool, char, String),
    unit: Unit,
    nothing: (),
    map: BTreeMap<String, Vec<i32>>,
    #[serde(rename = "type")]
    kind: String,
}

#[test]
fn general_serde_shapes() {
    let m: Mixed = json::from_str(
        r#" {
            "shapes": ["Dot", {"Circle": 1.5}, {"Pair": [1, 2]}, {"Rect": {"w": 2, "h": 3}}],
            "meters": 2.5,
            "maybe": 7,
            "tuple": [true, "é", "s"],
            "unit": null,
            "nothing": null,
            "map": {"b": [-1, 2], "a": []},
            "ignored": {"deep": [1, {"x": null}]},
            "type": "t"
        } "#,
    )
    .unwrap();
    assert_eq!(
        m,
        Mixed {
            shapes: vec![
                Shape::Dot,
                Shape::Circle(1.5),
                Shape::Pair(1, 2),
                Shape::Rect { w: 2, h: 3 }
            ],
            meters: Meters(2.5),
            maybe: Some(Some(7)),
            absent: None,
            tuple: (true, 'é', "s".into()),
            unit: Unit,
            nothing: (),
            map: BTreeMap::from([("a".into(), vec![]), ("b".into(), vec![-1, 2])]),
            kind: "t".into(),
        }
    );
    assert!(json::from_str::<Shape>(r#"{"Dot": null, "Circle": 1}"#).is_err());
    assert!(json::from_str::<Shape>(r#"{"Square": 1}"#).is_err());
    assert!(json::from_str::<Shape>("3").is_err());
    assert!(json::from_str::<(u8, u8)>("[1, 2, 3]").is_err());
    assert!(json::from_str::<(u8, u8)>("[1]").is_err());
    assert_eq!(json::from_str::<Option<u8>>("null").unwrap(), None);
    assert_eq!(json::from_str::<Vec<u8>>("[]").unwrap(), Vec::<u8>::new());
}

#[test]
fn trailing_garbage_is_refused() {
    for text in [
        "{} x",
        "1 1",
        "[1]]",
        "nullx",
        "\"a\"\"b\"",
        "{}{}",
        "true,",
    ] {
        let e = json::from_str::<serde_json::Value>(text).unwrap_err();
        assert!(e.offset().is_some(), "{text}: {e}");
        same_as_serde_json(text);
    }
    // Whitespace around the document is fine.
    assert_eq!(json::from_str::<u8>(" \n\t\r 1 \n").unwrap(), 1);
}

#[test]
fn truncated_input_is_refused_clearly() {
    let full = r#"{"a": [1, 2.5, "x\u00e9", {"b": null}], "c": true}"#;
    for end in 0..full.len() {
        let text = &full[..end];
        let e = json::from_str::<serde_json::Value>(text).unwrap_err();
        assert!(
            e.to_string().starts_with("unexpected end of input at byte"),
            "{text:?}: {e}"
        );
        assert!(serde_json::from_str::<serde_json::Value>(text).is_err());
    }
    let e = json::from_str::<serde_json::Value>(r#"{"a": [1, 2"#).unwrap_err();
    assert_eq!(e.to_string(), "unexpected end of input at byte 11");
    same_as_serde_json(full);
}

#[test]
fn syntax_errors_are_refused() {
    for text in [
        "",
        " ",
        "[1,]",
        "{\"a\":1,}",
        "[,1]",
        "{,}",
        "{\"a\"}",
        "{\"a\" 1}",
        "{1:2}",
        "{a:1}",
        "'a'",
        "[1 2]",
        "nul",
        "tru",
        "True",
        "/*c*/1",
        "[",
        "]",
        "{",
        "}",
        "\u{feff}1",
    ] {
        assert!(
            json::from_str::<serde_json::Value>(text).is_err(),
            "{text:?}"
        );
        same_as_serde_json(text);
    }
}

#[test]
fn deep_nesting_is_refused_without_overflow() {
    for n in [1, 100, 127, 128, 129, 1000, 100_000] {
        for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
            let text = format!("{}null{}", open.repeat(n), close.repeat(n));
            same_as_serde_json(&text);
            let ours = json::from_str::<serde_json::Value>(&text);
            if n > 127 {
                let e = ours.unwrap_err();
                assert!(e.to_string().contains("nesting too deep"), "{e}");
            }
            // Unclosed, too.
            assert!(json::from_str::<serde_json::Value>(&open.repeat(n)).is_err());
        }
    }
}

/// JSON-ish text: valid documents, near misses and junk.
fn jsonish() -> impl Strategy<Value = String> {
    let atom = prop_oneof![
        Just("null".to_string()),
        Just("true".to_string()),
        Just("false".to_string()),
        any::<f64>().prop_map(|f| f.to_string()),
        any::<i64>().prop_map(|i| i.to_string()),
        "-?[0-9]{1,25}(\\.[0-9]{0,20})?([eE][+-]?[0-9]{0,4})?",
        "\"([a-z\\\\\"/ ]|\\\\u[0-9a-fA-F]{4}|\\\\[bfnrtx]|\\PC)*\"",
        "[\\[\\]{}:,\" 0-9a-z\\\\-]{0,6}",
    ];
    atom.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(|v| format!("[{}]", v.join(","))),
            prop::collection::vec(("\"[a-z]{0,3}\"", inner), 0..5).prop_map(|v| {
                let body: Vec<_> = v.into_iter().map(|(k, x)| format!("{k}:{x}")).collect();
                format!("{{{}}}", body.join(","))
            }),
        ]
    })
}

proptest! {
    #[test]
    fn floats_round_trip_bit_exactly(bits in any::<u64>()) {
        let f = f64::from_bits(bits);
        prop_assume!(f.is_finite());
        let text = serde_json::to_string(&f).unwrap();
        let back: f64 = json::from_str(&text).unwrap();
        prop_assert_eq!(back.to_bits(), f.to_bits(), "{}", text);
    }

    #[test]
    fn floats_in_range_round_trip(f in prop_oneof![any::<f64>(), 0.0..1.0f64, -1e6..1e6f64]) {
        prop_assume!(f.is_finite());
        let text = serde_json::to_string(&vec![f]).unwrap();
        let back: Vec<f64> = json::from_str(&text).unwrap();
        prop_assert_eq!(back[0].to_bits(), f.to_bits());
    }

    #[test]
    fn strings_round_trip(s in any::<String>()) {
        let text = serde_json::to_string(&s).unwrap().replace('<', "\\u003c");
        prop_assert_eq!(json::from_str::<String>(&text).unwrap(), s);
    }

    #[test]
    fn arbitrary_text_never_panics(s in any::<String>()) {
        let _ = json::from_str::<serde_json::Value>(&s);
        let _ = json::from_str::<PlaygroundData>(&s);
    }

    #[test]
    fn jsonish_text_agrees_with_serde_json(s in jsonish()) {
        same_as_serde_json(&s);
    }
}
