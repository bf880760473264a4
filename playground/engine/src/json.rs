//! A small JSON reader for the one JSON the engine reads: the data a problem
//! page hands its playground (`PlaygroundData::from_json`). The generator
//! writes it with serde; the playground reads it with this, not serde,
//! because serde's derived readers are generic code instantiated per type
//! and per format: 96 KB of the playground's 602 KB (28 KB of its 230 KB
//! gzipped, measured by taking them out; see ARCHITECTURE.md). Here each
//! type reads itself once from a parsed tree ([`FromJson`], `json_read.rs`).
//!
//! Numbers keep their text until a reader asks for a type, so integers
//! (the sampler's 64-bit seed) stay exact and floats are parsed by the same
//! correctly rounded `str::parse` as serde_json's, giving the native build's
//! very values.

use crate::vec_map::VecMap;

/// A parsed JSON value. Objects keep their keys in order (the catalog's
/// types and the regions are ordered maps).
#[derive(Debug, Clone, PartialEq)]
pub enum Json<'a> {
    Null,
    Bool(bool),
    /// The number as written, checked against JSON's grammar.
    Number(&'a str),
    String(String),
    Array(Vec<Json<'a>>),
    Object(Vec<(String, Json<'a>)>),
}

impl Json<'_> {
    fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(_) => "a number",
            Json::String(_) => "text",
            Json::Array(_) => "a list",
            Json::Object(_) => "an object",
        }
    }
}

/// Deeper than any page's data (five levels); a bound so a damaged page
/// cannot exhaust the stack.
const MAX_DEPTH: usize = 64;

/// Parses a whole JSON text. Errors name the character where the text
/// stops being JSON.
pub fn parse(text: &str) -> Result<Json<'_>, String> {
    let mut p = Parser { text, at: 0 };
    let value = p.value(0)?;
    p.space();
    if p.at < text.len() {
        return Err(p.error("the end of the text"));
    }
    Ok(value)
}

struct Parser<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Parser<'a> {
    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    fn peek(&self) -> Option<u8> {
        self.bytes().get(self.at).copied()
    }

    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// Where the parser is, counted in characters from 1 (`at` counts
    /// bytes; titles have é and —).
    fn character(&self) -> usize {
        self.text[..self.at].chars().count() + 1
    }

    fn error(&self, expected: &str) -> String {
        let found = match self.text[self.at..].chars().next() {
            Some(c) => format!("`{c}`"),
            None => "the end of the text".to_string(),
        };
        format!(
            "expected {expected} at character {}, found {found}",
            self.character()
        )
    }

    fn eat(&mut self, byte: u8, expected: &str) -> Result<(), String> {
        self.space();
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.error(expected))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json<'a>, String> {
        if depth > MAX_DEPTH {
            return Err(format!(
                "nested deeper than {MAX_DEPTH} levels at character {}",
                self.character()
            ));
        }
        self.space();
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(Json::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => {
                for (word, value) in [
                    ("null", Json::Null),
                    ("true", Json::Bool(true)),
                    ("false", Json::Bool(false)),
                ] {
                    if self.text[self.at..].starts_with(word) {
                        self.at += word.len();
                        return Ok(value);
                    }
                }
                Err(self.error("a value"))
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json<'a>, String> {
        let entries = self.sequence(b'}', |p| {
            p.space();
            if p.peek() != Some(b'"') {
                return Err(p.error("a key in quotes"));
            }
            let key = p.string()?;
            p.eat(b':', "`:`")?;
            Ok((key, p.value(depth + 1)?))
        })?;
        Ok(Json::Object(entries))
    }

    fn array(&mut self, depth: usize) -> Result<Json<'a>, String> {
        Ok(Json::Array(self.sequence(b']', |p| p.value(depth + 1))?))
    }

    /// The items of an object or a list, from its opening bracket (at
    /// `at`) to `close`: none, or `item`s separated by commas.
    fn sequence<T>(
        &mut self,
        close: u8,
        mut item: impl FnMut(&mut Self) -> Result<T, String>,
    ) -> Result<Vec<T>, String> {
        self.at += 1;
        let mut items = Vec::new();
        self.space();
        if self.peek() == Some(close) {
            self.at += 1;
            return Ok(items);
        }
        loop {
            items.push(item(self)?);
            self.space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(c) if c == close => {
                    self.at += 1;
                    return Ok(items);
                }
                _ => return Err(self.error(&format!("`,` or `{}`", close as char))),
            }
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    fn number(&mut self) -> Result<Json<'a>, String> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.error("a digit")),
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("a digit after `.`"));
            }
            self.digits();
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("a digit in the exponent"));
            }
            self.digits();
        }
        Ok(Json::Number(&self.text[start..self.at]))
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
    }

    fn string(&mut self) -> Result<String, String> {
        self.at += 1;
        let mut out = String::new();
        loop {
            // Copy the run up to the next quote, backslash or control
            // character in one go (the text is UTF-8 already).
            let run = self.bytes()[self.at..]
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                .map_or(self.text.len(), |n| self.at + n);
            out.push_str(&self.text[self.at..run]);
            self.at = run;
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    out.push(self.escape()?);
                }
                _ => return Err(self.error("`\"` to end the text")),
            }
        }
    }

    fn escape(&mut self) -> Result<char, String> {
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.at += 1;
                let high = self.hex4()?;
                let code = if (0xD800..0xDC00).contains(&high) {
                    // A pair of UTF-16 surrogates for one character.
                    if !self.text[self.at..].starts_with("\\u") {
                        return Err(self.error("the second half of a surrogate pair"));
                    }
                    self.at += 2;
                    let low = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&low) {
                        return Err(self.error("the second half of a surrogate pair"));
                    }
                    0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    high
                };
                return char::from_u32(code).ok_or_else(|| self.error("a character"));
            }
            _ => return Err(self.error("an escape (one of \"\\/bfnrtu)")),
        };
        self.at += 1;
        Ok(c)
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let digits = self.text.get(self.at..self.at + 4).unwrap_or("");
        if digits.len() < 4 || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(self.error("four hexadecimal digits"));
        }
        self.at += 4;
        u32::from_str_radix(digits, 16).map_err(|_| self.error("four hexadecimal digits"))
    }
}

/// A value that reads itself from parsed JSON. Errors say what was
/// expected; readers of a field prefix its name, so a message reads
/// `catalog: types: app: sim: service_ms: expected a number, found text`.
pub trait FromJson: Sized {
    fn from_json(json: &Json) -> Result<Self, String>;
}

fn expected(what: &str, json: &Json) -> String {
    format!("expected {what}, found {}", json.kind())
}

impl FromJson for f64 {
    fn from_json(json: &Json) -> Result<f64, String> {
        match json {
            Json::Number(text) => text.parse().map_err(|_| expected("a number", json)),
            _ => Err(expected("a number", json)),
        }
    }
}

/// Integers are read from their text, so the range check is exact.
fn integer<T: std::str::FromStr>(json: &Json, what: &str) -> Result<T, String> {
    match json {
        Json::Number(text) => text
            .parse()
            .map_err(|_| format!("expected {what}, found {text}")),
        _ => Err(expected(what, json)),
    }
}

impl FromJson for u32 {
    fn from_json(json: &Json) -> Result<u32, String> {
        integer(json, "a whole number from 0 to 4294967295")
    }
}

impl FromJson for u64 {
    fn from_json(json: &Json) -> Result<u64, String> {
        integer(json, "a whole number from 0 to 2^64 - 1")
    }
}

impl FromJson for bool {
    fn from_json(json: &Json) -> Result<bool, String> {
        match json {
            Json::Bool(b) => Ok(*b),
            _ => Err(expected("true or false", json)),
        }
    }
}

impl FromJson for String {
    fn from_json(json: &Json) -> Result<String, String> {
        match json {
            Json::String(s) => Ok(s.clone()),
            _ => Err(expected("text", json)),
        }
    }
}

/// `null` is `None`, as serde writes it.
impl<T: FromJson> FromJson for Option<T> {
    fn from_json(json: &Json) -> Result<Option<T>, String> {
        match json {
            Json::Null => Ok(None),
            _ => T::from_json(json).map(Some),
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(json: &Json) -> Result<Vec<T>, String> {
        match json {
            // A loop, not `collect` into a Result: the playground pays for
            // each list type's copy of this, and the iterator version is
            // several times larger.
            Json::Array(items) => {
                let mut list = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    list.push(T::from_json(item).map_err(|e| in_item(i, e))?);
                }
                Ok(list)
            }
            _ => Err(expected("a list", json)),
        }
    }
}

impl<T: FromJson> FromJson for VecMap<String, T> {
    fn from_json(json: &Json) -> Result<VecMap<String, T>, String> {
        let Json::Object(entries) = json else {
            return Err(expected("an object", json));
        };
        let mut map = VecMap::new();
        for (key, value) in entries {
            let value = T::from_json(value).map_err(|e| in_field(key, e))?;
            if map.insert(key.clone(), value).is_some() {
                return Err(format!("`{key}` appears twice"));
            }
        }
        Ok(map)
    }
}

// Error wrappers out of line: the generic readers calling them are copied
// once per type, these are not.
#[inline(never)]
fn in_field(key: &str, e: String) -> String {
    format!("{key}: {e}")
}

#[inline(never)]
fn in_item(i: usize, e: String) -> String {
    format!("item {}: {e}", i + 1)
}

#[inline(never)]
fn missing(key: &str) -> String {
    format!("missing field `{key}`")
}

/// One of a unit enum's names, as serde writes them (`rename_all`).
pub fn variant<T: Copy>(json: &Json, names: &[(&str, T)]) -> Result<T, String> {
    let Json::String(s) = json else {
        return Err(expected("a name", json));
    };
    names
        .iter()
        .find(|(name, _)| name == s)
        .map(|(_, v)| *v)
        .ok_or_else(|| {
            let known: Vec<&str> = names.iter().map(|(n, _)| *n).collect();
            format!("unknown `{s}`, expected one of {}", known.join(", "))
        })
}

/// An object read field by field: each field is asked for once by name, and
/// [`Fields::end`] rejects any the reader did not ask for (serde's
/// `deny_unknown_fields`; it also catches a field the writer renamed).
pub struct Fields<'j, 'a> {
    entries: &'j [(String, Json<'a>)],
    read: Vec<bool>,
}

impl<'j, 'a> Fields<'j, 'a> {
    pub fn of(json: &'j Json<'a>) -> Result<Fields<'j, 'a>, String> {
        match json {
            Json::Object(entries) => Ok(Fields {
                entries,
                read: vec![false; entries.len()],
            }),
            _ => Err(expected("an object", json)),
        }
    }

    // Out of line for the same reason as the error wrappers.
    #[inline(never)]
    fn find(&mut self, key: &str) -> Option<&'j Json<'a>> {
        let i = self.entries.iter().position(|(k, _)| k == key)?;
        self.read[i] = true;
        Some(&self.entries[i].1)
    }

    /// A field that must be there.
    pub fn req<T: FromJson>(&mut self, key: &str) -> Result<T, String> {
        let json = self.find(key).ok_or_else(|| missing(key))?;
        T::from_json(json).map_err(|e| in_field(key, e))
    }

    /// A field whose absence means its default (serde's `default`).
    pub fn or_default<T: FromJson + Default>(&mut self, key: &str) -> Result<T, String> {
        self.or(key, T::default)
    }

    /// A field whose absence means `default()` (serde's `default = "…"`).
    pub fn or<T: FromJson>(&mut self, key: &str, default: fn() -> T) -> Result<T, String> {
        match self.find(key) {
            Some(json) => T::from_json(json).map_err(|e| in_field(key, e)),
            None => Ok(default()),
        }
    }

    /// Fails on the first field nobody asked for.
    pub fn end(self) -> Result<(), String> {
        match self.read.iter().position(|r| !r) {
            Some(i) => Err(format!("unknown field `{}`", self.entries[i].0)),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_kind_of_value() {
        let json = parse(r#" {"a": [1, -2.5e3, true, false, null], "b": {}, "c": [], "d": "x\"\\\/\n\u00e9\ud83d\ude00"} "#)
            .unwrap();
        assert_eq!(
            json,
            Json::Object(vec![
                (
                    "a".into(),
                    Json::Array(vec![
                        Json::Number("1"),
                        Json::Number("-2.5e3"),
                        Json::Bool(true),
                        Json::Bool(false),
                        Json::Null
                    ])
                ),
                ("b".into(), Json::Object(vec![])),
                ("c".into(), Json::Array(vec![])),
                ("d".into(), Json::String("x\"\\/\né😀".into())),
            ])
        );
    }

    #[test]
    fn rejects_what_is_not_json_and_says_where() {
        for (text, message) in [
            (
                "",
                "expected a value at character 1, found the end of the text",
            ),
            ("[1,]", "expected a value at character 4, found `]`"),
            ("{\"a\" 1}", "expected `:` at character 6, found `1`"),
            (
                "01",
                "expected the end of the text at character 2, found `1`",
            ),
            ("1.", "expected a digit after `.` at character 3"),
            ("\"abc", "expected `\"` to end the text at character 5"),
            ("\"\\x\"", "expected an escape"),
            ("\"\\ud800x\"", "the second half of a surrogate pair"),
            ("{a: 1}", "expected a key in quotes at character 2"),
            ("[1] [2]", "expected the end of the text at character 5"),
            ("nul", "expected a value at character 1"),
            ("[\"é\" x]", "expected `,` or `]` at character 6, found `x`"),
        ] {
            let e = parse(text).unwrap_err();
            assert!(e.contains(message), "{text:?}: {e}");
        }
        let deep = "[".repeat(MAX_DEPTH + 2);
        assert!(parse(&deep).unwrap_err().contains("nested deeper"));
    }

    #[test]
    fn numbers_read_as_serde_json_writes_them() {
        for x in [0.1, 1.0 / 3.0, 1e-7, 123456.789, f64::MAX, 5e-324, -0.0] {
            let text = serde_json::to_string(&x).unwrap();
            let back = f64::from_json(&parse(&text).unwrap()).unwrap();
            assert_eq!(back.to_bits(), x.to_bits(), "{text}");
        }
        let seed = u64::MAX - 1;
        let text = seed.to_string();
        let json = parse(&text).unwrap();
        assert_eq!(u64::from_json(&json).unwrap(), seed);
        assert!(
            u32::from_json(&json)
                .unwrap_err()
                .contains("expected a whole number")
        );
        assert!(u32::from_json(&parse("1.5").unwrap()).is_err());
    }

    proptest::proptest! {
        /// Any text, number or map serde_json writes reads back exactly,
        /// escapes (quotes, backslashes, control characters, `\u003c` as the
        /// page writes `<`) and all.
        #[test]
        fn what_serde_json_writes_reads_back(
            text in ".*",
            bits in proptest::num::u64::ANY,
            whole in proptest::num::i64::ANY,
            seed in proptest::num::u64::ANY,
            keys in proptest::collection::vec("[a-z<\"\\\\\u{1}-\u{1f}é😀]{0,6}", 0..6),
        ) {
            let page = |json: String| json.replace('<', "\\u003c");
            let written = page(serde_json::to_string(&text).unwrap());
            proptest::prop_assert_eq!(String::from_json(&parse(&written).unwrap()).unwrap(), text);
            let x = f64::from_bits(bits);
            if x.is_finite() {
                let written = serde_json::to_string(&x).unwrap();
                let back = f64::from_json(&parse(&written).unwrap()).unwrap();
                proptest::prop_assert_eq!(back.to_bits(), x.to_bits());
            }
            let written = serde_json::to_string(&whole).unwrap();
            let back = crate::spec::Constant::from_json(&parse(&written).unwrap()).unwrap();
            proptest::prop_assert_eq!(back, crate::spec::Constant::Int(whole));
            let written = serde_json::to_string(&seed).unwrap();
            proptest::prop_assert_eq!(u64::from_json(&parse(&written).unwrap()).unwrap(), seed);
            let mut map = VecMap::new();
            for (i, k) in keys.iter().enumerate() {
                map.insert(k.clone(), i as f64);
            }
            let written = page(serde_json::to_string(&map).unwrap());
            proptest::prop_assert_eq!(VecMap::<String, f64>::from_json(&parse(&written).unwrap()).unwrap(), map);
        }
    }

    #[test]
    fn fields_are_asked_for_by_name_and_strays_rejected() {
        let json = parse(r#"{"a": 1, "b": null, "x": 2}"#).unwrap();
        let mut f = Fields::of(&json).unwrap();
        assert_eq!(f.req::<u32>("a").unwrap(), 1);
        assert_eq!(f.or_default::<Option<f64>>("b").unwrap(), None);
        assert_eq!(
            f.or_default::<Vec<String>>("c").unwrap(),
            Vec::<String>::new()
        );
        assert_eq!(f.req::<u32>("d").unwrap_err(), "missing field `d`");
        assert_eq!(f.end().unwrap_err(), "unknown field `x`");
        let json = parse(r#"{"a": {"b": "x"}}"#).unwrap();
        let e = Fields::of(&json).unwrap().req::<VecMap<String, f64>>("a");
        assert_eq!(e.unwrap_err(), "a: b: expected a number, found text");
    }
}
