//! A design as YAML in the schema of a problem's `reference` solution
//! (`components` and `connections`), for `meridian simulate --topology` or
//! for pasting into a problem file.
//!
//! Written by hand rather than with serde_yaml, which would add a YAML
//! emitter to the WebAssembly module. The layout follows the problem files:
//! block sequences not indented under their key, two spaces for fields.

use meridian_engine::{Component, Connection, Topology};

/// The design as YAML. `replicas` is written even when 1, so the exported
/// file shows the field a reader is likely to change next; `hit_ratio` only
/// when set and `sync` only when true, as the problem files do.
pub fn to_yaml(t: &Topology) -> String {
    let mut out = String::new();
    if t.components.is_empty() {
        out.push_str("components: []\n");
    } else {
        out.push_str("components:\n");
        t.components.iter().for_each(|c| component(&mut out, c));
    }
    if t.connections.is_empty() {
        out.push_str("connections: []\n");
    } else {
        out.push_str("connections:\n");
        t.connections.iter().for_each(|c| connection(&mut out, c));
    }
    out
}

fn component(out: &mut String, c: &Component) {
    field(out, "- ", "name", &string(&c.name));
    field(out, "  ", "type", &string(&c.component_type));
    field(out, "  ", "region", &string(&c.region));
    field(out, "  ", "replicas", &c.replicas.to_string());
    if let Some(h) = c.hit_ratio {
        field(out, "  ", "hit_ratio", &float(h));
    }
    if let Some(a) = c.autoscale {
        field(out, "  ", "autoscale", &format!("{{max: {}}}", a.max));
    }
    if let Some(o) = &c.service {
        if o.concurrency.is_none() && o.service_ms.is_none() && o.source.is_empty() {
            field(out, "  ", "service", "{}");
            return;
        }
        out.push_str("  service:\n");
        if let Some(n) = o.concurrency {
            field(out, "    ", "concurrency", &n.to_string());
        }
        if let Some(ms) = o.service_ms {
            field(out, "    ", "service_ms", &float(ms));
        }
        if !o.source.is_empty() {
            field(out, "    ", "source", &string(&o.source));
        }
    }
}

fn connection(out: &mut String, c: &Connection) {
    field(out, "- ", "from", &string(&c.from));
    field(out, "  ", "to", &string(&c.to));
    if c.sync {
        field(out, "  ", "sync", "true");
    }
    if let Some(f) = c.share {
        field(out, "  ", "share", &float(f));
    }
    if let Some(r) = c.rate {
        field(out, "  ", "rate", &float(r));
    }
}

fn field(out: &mut String, lead: &str, key: &str, value: &str) {
    out.push_str(lead);
    out.push_str(key);
    out.push_str(": ");
    out.push_str(value);
    out.push('\n');
}

/// A YAML float that reads back as the same `f64`: Rust's shortest
/// round-trip form, with `.0` added to whole numbers so YAML sees a float.
fn float(x: f64) -> String {
    if x.is_nan() {
        return ".nan".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { ".inf" } else { "-.inf" }.to_string();
    }
    let s = meridian_engine::decimal::shortest(x);
    if s.contains('.') { s } else { format!("{s}.0") }
}

/// A YAML scalar for `s`: plain when YAML reads it back as the same string,
/// else double-quoted with escapes.
pub fn string(s: &str) -> String {
    if needs_quotes(s) {
        quoted(s)
    } else {
        s.to_string()
    }
}

/// Words that YAML 1.1 or 1.2 resolves to a boolean, null or special float.
const RESERVED_WORDS: [&str; 13] = [
    "true", "false", "yes", "no", "y", "n", "on", "off", "null", "~", "nan", "inf", "<<",
];

fn needs_quotes(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return true;
    };
    s.starts_with(' ')
        || s.ends_with(' ')
        || s.ends_with(':')
        || "-?:,[]{}#&*!|>'\"%@`+.".contains(first)
        || first.is_ascii_digit()
        || s.contains(": ")
        || s.contains(" #")
        || RESERVED_WORDS.contains(&s.to_ascii_lowercase().as_str())
        || s.chars().any(|c| escape(c).is_some() || c == '\t')
}

fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match escape(c) {
            Some(e) => out.push_str(&e),
            None => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The escape for a character that cannot appear as itself inside a
/// double-quoted scalar: quotes, backslashes, control characters, the
/// characters YAML treats as line breaks, and non-characters.
fn escape(c: char) -> Option<String> {
    let e = match c {
        '"' => "\\\"",
        '\\' => "\\\\",
        '\n' => "\\n",
        '\t' => "\\t",
        '\r' => "\\r",
        '\0' => "\\0",
        '\u{85}' => "\\N",
        '\u{2028}' => "\\L",
        '\u{2029}' => "\\P",
        c if c.is_control() || matches!(c, '\u{FEFF}' | '\u{FFFE}' | '\u{FFFF}') => {
            return Some(format!("\\u{:04X}", c as u32));
        }
        _ => return None,
    };
    Some(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn comp(name: &str, replicas: u32, hit: Option<f64>) -> Component {
        Component {
            name: name.into(),
            component_type: "db_primary".into(),
            region: "us".into(),
            replicas,
            hit_ratio: hit,
            autoscale: None,
            service: None,
        }
    }

    #[test]
    fn layout_matches_the_problem_files() {
        let t = Topology {
            components: vec![comp("US DB", 5, None), comp("GeoDNS", 1, Some(0.0))],
            connections: vec![Connection {
                from: "US DB".into(),
                to: "GeoDNS".into(),
                sync: true,
                share: None,
                rate: None,
            }],
        };
        assert_eq!(
            to_yaml(&t),
            "\
components:
- name: US DB
  type: db_primary
  region: us
  replicas: 5
- name: GeoDNS
  type: db_primary
  region: us
  replicas: 1
  hit_ratio: 0.0
connections:
- from: US DB
  to: GeoDNS
  sync: true
"
        );
        assert_eq!(
            to_yaml(&Topology::default()),
            "components: []\nconnections: []\n"
        );
    }

    #[test]
    fn quoting() {
        let cases = [
            ("US App", "US App"),
            ("Shard#2", "Shard#2"),
            ("a:b", "a:b"),
            ("", "\"\""),
            (" x", "\" x\""),
            ("x ", "\"x \""),
            ("- x", "\"- x\""),
            ("a: b", "\"a: b\""),
            ("a #b", "\"a #b\""),
            ("a:", "\"a:\""),
            ("yes", "\"yes\""),
            ("Null", "\"Null\""),
            ("12", "\"12\""),
            ("1e3", "\"1e3\""),
            (".5", "\".5\""),
            ("*ref", "\"*ref\""),
            ("say \"hi\"", "\"say \\\"hi\\\"\""),
            ("\"hi\"", "\"\\\"hi\\\"\""),
            ("a\tb", "\"a\\tb\""),
            ("a\nb\\", "\"a\\nb\\\\\""),
            ("a\u{7f}\u{2028}", "\"a\\u007F\\L\""),
        ];
        for (s, yaml) in cases {
            assert_eq!(string(s), yaml, "{s:?}");
        }
    }

    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            any::<String>(),
            "[ -~]{0,12}",
            prop::sample::select(vec![
                "",
                " ",
                "true",
                "~",
                "0x1F",
                "-",
                "---",
                "...",
                "? x",
                "a: b",
                "#",
                "@x",
                "'q",
                "1_000",
                ".inf",
                "-.5",
                "\u{feff}x",
                "a\u{85}b",
                "x\r\n",
                "%YAML",
                "<<",
            ])
            .prop_map(String::from),
        ]
    }

    fn float_value() -> impl Strategy<Value = f64> {
        prop_oneof![
            0.0..=1.0f64,
            any::<f64>().prop_filter("NaN never equals itself", |x| !x.is_nan())
        ]
    }

    fn topology() -> impl Strategy<Value = Topology> {
        let component = (
            text(),
            text(),
            text(),
            1u32..=u32::MAX,
            prop::option::of(float_value()),
            prop::option::of(1u32..=u32::MAX),
            prop::option::of((
                prop::option::of(1u32..=u32::MAX),
                prop::option::of(float_value()),
                text(),
            )),
        )
            .prop_map(
                |(name, component_type, region, replicas, hit_ratio, max, service)| Component {
                    name,
                    component_type,
                    region,
                    replicas,
                    hit_ratio,
                    autoscale: max.map(|max| meridian_engine::Autoscale { max }),
                    service: service.map(|(concurrency, service_ms, source)| {
                        meridian_engine::spec::ServiceOverride {
                            concurrency,
                            service_ms,
                            source,
                        }
                    }),
                },
            );
        let connection = (
            text(),
            text(),
            any::<bool>(),
            prop::option::of(0.0001f64..=1.0),
            prop::option::of(0.001f64..1e6),
        )
            .prop_map(|(from, to, sync, share, rate)| Connection {
                from,
                to,
                sync,
                share,
                rate,
            });
        (
            prop::collection::vec(component, 0..5),
            prop::collection::vec(connection, 0..5),
        )
            .prop_map(|(components, connections)| Topology {
                components,
                connections,
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        #[test]
        fn serde_yaml_reads_it_back(t in topology()) {
            let yaml = to_yaml(&t);
            let back: Topology = serde_yaml::from_str(&yaml)
                .map_err(|e| TestCaseError::fail(format!("{e}\n{yaml}")))?;
            prop_assert_eq!(back, t);
        }
    }
}
