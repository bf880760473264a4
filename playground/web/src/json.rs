//! A small JSON reader for the page's embedded data, in place of
//! `serde_json::from_str` (whose parser and float tables cost the wasm
//! about 47 KB more than this module).
//!
//! The text is parsed into a plain `Value` tree, then any `Deserialize`
//! type is read from the tree. It follows `serde_json` where the engine's
//! types can tell: strict RFC 8259 syntax (no trailing commas, comments or
//! leading zeros; control characters and lone surrogates in strings
//! rejected), nesting limited to 127 as in `serde_json`, non-negative
//! integers visited as `u64`, negative ones as `i64` (`-0` as the float
//! `-0.0`), anything else as `f64`. Numbers go through core's `str::parse`,
//! which rounds correctly, so every float `serde_json` wrote reads back
//! bit-exactly. Enums are a string (unit variants) or an object with one
//! key. Differences: structs are read from objects only (not arrays), map
//! keys as strings only (no integer keys), and nothing is borrowed from the
//! input (`DeserializeOwned`).

use std::fmt;

use serde::de::value::{MapAccessDeserializer, StrDeserializer, StringDeserializer};
use serde::de::{self, DeserializeSeed, Unexpected, Visitor};

/// Reads a `T` from JSON text.
pub fn from_str<T: de::DeserializeOwned>(s: &str) -> Result<T, JsonError> {
    let mut p = Parser {
        s: s.as_bytes(),
        pos: 0,
    };
    let value = p.value(0)?;
    p.ws();
    if p.pos < p.s.len() {
        return Err(p.err("trailing characters"));
    }
    T::deserialize(value)
}

/// What went wrong, and where: a byte offset for a syntax error, the path of
/// the value (`tiers[0].rules[1].count`) for a type error.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonError {
    msg: String,
    offset: Option<usize>,
    path: String,
}

impl JsonError {
    /// Byte offset of a syntax error in the input.
    pub fn offset(&self) -> Option<usize> {
        self.offset
    }

    /// Where in the document a type error is, `""` for the top level.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Puts `seg` (a key, or `[i]`) in front of the path.
    fn within(mut self, seg: String) -> JsonError {
        let sep = if self.path.is_empty() || self.path.starts_with('[') {
            ""
        } else {
            "."
        };
        self.path = format!("{seg}{sep}{}", self.path);
        self
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.msg)?;
        if let Some(o) = self.offset {
            write!(f, " at byte {o}")?;
        }
        if !self.path.is_empty() {
            write!(f, " at {}", self.path)?;
        }
        Ok(())
    }
}

impl std::error::Error for JsonError {}

impl de::Error for JsonError {
    fn custom<M: fmt::Display>(msg: M) -> JsonError {
        JsonError {
            msg: msg.to_string(),
            offset: None,
            path: String::new(),
        }
    }
}

/// A parsed JSON document.
#[derive(Debug)]
enum Value {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    String(String),
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
}

/// Arrays and objects nested deeper than this are refused (as `serde_json`).
const MAX_DEPTH: usize = 127;

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn err(&self, msg: &str) -> JsonError {
        JsonError {
            msg: if self.pos >= self.s.len() {
                "unexpected end of input".into()
            } else {
                msg.into()
            },
            offset: Some(self.pos),
            path: String::new(),
        }
    }

    fn peek(&self) -> u8 {
        self.s.get(self.pos).copied().unwrap_or(0)
    }

    fn ws(&mut self) {
        while matches!(self.peek(), b' ' | b'\t' | b'\n' | b'\r') {
            self.pos += 1;
        }
    }

    /// Consumes `b` (after whitespace) if it is next.
    fn eat(&mut self, b: u8) -> bool {
        self.ws();
        let hit = self.peek() == b;
        self.pos += usize::from(hit);
        hit
    }

    fn expect(&mut self, b: u8, msg: &str) -> Result<(), JsonError> {
        if self.eat(b) {
            Ok(())
        } else {
            Err(self.err(msg))
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while self.peek().is_ascii_digit() {
            self.pos += 1;
        }
        self.pos - start
    }

    fn value(&mut self, depth: usize) -> Result<Value, JsonError> {
        self.ws();
        let c = self.peek();
        match c {
            b'"' => Ok(Value::String(self.string()?)),
            b'-' | b'0'..=b'9' => self.number(),
            b'[' | b'{' => {
                if depth >= MAX_DEPTH {
                    return Err(self.err("nesting too deep"));
                }
                self.pos += 1;
                let (close, msg) = if c == b'[' {
                    (b']', "expected `,` or `]`")
                } else {
                    (b'}', "expected `,` or `}`")
                };
                let mut items = Vec::new();
                let mut entries = Vec::new();
                if !self.eat(close) {
                    loop {
                        if c == b'[' {
                            items.push(self.value(depth + 1)?);
                        } else {
                            self.ws();
                            if self.peek() != b'"' {
                                return Err(self.err("expected a string key"));
                            }
                            let key = self.string()?;
                            self.expect(b':', "expected `:`")?;
                            entries.push((key, self.value(depth + 1)?));
                        }
                        if self.eat(close) {
                            break;
                        }
                        self.expect(b',', msg)?;
                    }
                }
                Ok(if c == b'[' {
                    Value::Array(items)
                } else {
                    Value::Object(entries)
                })
            }
            _ => {
                for (word, v) in [
                    ("null", Value::Null),
                    ("true", Value::Bool(true)),
                    ("false", Value::Bool(false)),
                ] {
                    if self.s[self.pos..].starts_with(word.as_bytes()) {
                        self.pos += word.len();
                        return Ok(v);
                    }
                }
                if ["null", "true", "false"]
                    .iter()
                    .any(|w| w.as_bytes().starts_with(&self.s[self.pos..]))
                {
                    self.pos = self.s.len(); // a truncated keyword
                }
                Err(self.err("expected a value"))
            }
        }
    }

    fn number(&mut self) -> Result<Value, JsonError> {
        let start = self.pos;
        let neg = self.peek() == b'-';
        self.pos += usize::from(neg);
        let int_start = self.pos;
        let n = self.digits();
        if n == 0 || (n > 1 && self.s[int_start] == b'0') {
            self.pos = int_start;
            return Err(self.err("invalid number"));
        }
        let mut float = false;
        if self.peek() == b'.' {
            self.pos += 1;
            float = true;
            if self.digits() == 0 {
                return Err(self.err("invalid number"));
            }
        }
        if matches!(self.peek(), b'e' | b'E') {
            self.pos += 1;
            float = true;
            if matches!(self.peek(), b'+' | b'-') {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.err("invalid number"));
            }
        }
        // ASCII digits and signs only, so this is valid UTF-8.
        let text = std::str::from_utf8(&self.s[start..self.pos]).unwrap_or_default();
        if !float {
            if neg {
                // `-0` (and anything below i64::MIN) is a float, as in serde_json.
                if let Ok(i @ ..0) = text.parse::<i64>() {
                    return Ok(Value::I64(i));
                }
            } else if let Ok(u) = text.parse::<u64>() {
                return Ok(Value::U64(u));
            }
        }
        match text.parse::<f64>() {
            Ok(f) if f.is_finite() => Ok(Value::F64(f)),
            _ => {
                self.pos = start;
                Err(self.err("number out of range"))
            }
        }
    }

    /// A string, the opening quote next.
    fn string(&mut self) -> Result<String, JsonError> {
        self.pos += 1;
        let mut out = Vec::new();
        loop {
            let start = self.pos;
            while !matches!(self.peek(), b'"' | b'\\' | 0..0x20) {
                self.pos += 1;
            }
            out.extend_from_slice(&self.s[start..self.pos]);
            match self.peek() {
                b'"' => {
                    self.pos += 1;
                    // Copied from a `&str` at char boundaries (quotes,
                    // backslashes) plus whole chars: valid UTF-8.
                    return Ok(String::from_utf8(out).unwrap_or_default());
                }
                b'\\' => {
                    self.pos += 1;
                    let c = match self.peek() {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) {
                                if !self.s[self.pos + 1..].starts_with(b"\\u") {
                                    self.pos += 1;
                                    return Err(self.err("lone surrogate in \\u escape"));
                                }
                                self.pos += 2;
                                let lo = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&lo) {
                                    return Err(self.err("lone surrogate in \\u escape"));
                                }
                                0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                            } else {
                                hi
                            };
                            match char::from_u32(code) {
                                Some(c) => c,
                                None => return Err(self.err("lone surrogate in \\u escape")),
                            }
                        }
                        _ => return Err(self.err("invalid escape")),
                    };
                    self.pos += 1;
                    let mut buf = [0; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                _ => return Err(self.err("control character in string")),
            }
        }
    }

    /// The four hex digits after `u` (at `pos`); leaves `pos` on the last.
    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut n = 0;
        for _ in 0..4 {
            self.pos += 1;
            let d = (self.peek() as char).to_digit(16);
            n = n * 16 + d.ok_or_else(|| self.err("invalid \\u escape"))?;
        }
        Ok(n)
    }
}

// Code size: every `Deserialize` type instantiates these methods with its
// visitor, so each one matches only the values its type can take and leaves
// the rest to the one non-generic `invalid_type` (as serde_json does).
// `deserialize_any`, with every branch, is left to the few types that ask
// for it (`Constant`, internally tagged enums).
impl Value {
    fn invalid_type(&self, exp: &dyn de::Expected) -> JsonError {
        let unexpected = match self {
            Value::Null => Unexpected::Unit,
            Value::Bool(b) => Unexpected::Bool(*b),
            Value::U64(u) => Unexpected::Unsigned(*u),
            Value::I64(i) => Unexpected::Signed(*i),
            Value::F64(f) => Unexpected::Float(*f),
            Value::String(s) => Unexpected::Str(s),
            Value::Array(_) => Unexpected::Seq,
            Value::Object(_) => Unexpected::Map,
        };
        de::Error::invalid_type(unexpected, exp)
    }

    fn number<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        match self {
            Value::U64(u) => visitor.visit_u64(u),
            Value::I64(i) => visitor.visit_i64(i),
            Value::F64(f) => visitor.visit_f64(f),
            v => Err(v.invalid_type(&visitor)),
        }
    }

    fn string<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        match self {
            Value::String(s) => visitor.visit_string(s),
            v => Err(v.invalid_type(&visitor)),
        }
    }

    fn unit<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        match self {
            Value::Null => visitor.visit_unit(),
            v => Err(v.invalid_type(&visitor)),
        }
    }

    fn seq<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        match self {
            Value::Array(items) => {
                let mut access = Seq {
                    items: items.into_iter(),
                    index: 0,
                };
                let v = visitor.visit_seq(&mut access)?;
                access.end()?;
                Ok(v)
            }
            v => Err(v.invalid_type(&visitor)),
        }
    }

    /// Objects for maps and structs (not arrays for structs, as serde_json
    /// allows: nothing writes them, and it would double each struct's code).
    fn map<'de, V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        match self {
            Value::Object(entries) => visitor.visit_map(Map::new(entries)),
            v => Err(v.invalid_type(&visitor)),
        }
    }
}

macro_rules! forward {
    ($($method:ident => $helper:ident $(($($arg:expr),*))?;)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
            self.$helper(visitor $($(, $arg)*)?)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Value {
    type Error = JsonError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        match self {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(b),
            Value::String(s) => visitor.visit_string(s),
            v @ Value::Array(_) => v.seq(visitor),
            v @ Value::Object(_) => v.map(visitor),
            v => v.number(visitor),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        match self {
            Value::Bool(b) => visitor.visit_bool(b),
            v => Err(v.invalid_type(&visitor)),
        }
    }

    forward! {
        deserialize_i8 => number; deserialize_i16 => number; deserialize_i32 => number;
        deserialize_i64 => number; deserialize_i128 => number;
        deserialize_u8 => number; deserialize_u16 => number; deserialize_u32 => number;
        deserialize_u64 => number; deserialize_u128 => number;
        deserialize_f32 => number; deserialize_f64 => number;
        deserialize_char => string; deserialize_str => string; deserialize_string => string;
        deserialize_identifier => string;
        deserialize_unit => unit;
        deserialize_seq => seq;
        deserialize_map => map;
        deserialize_bytes => deserialize_any; deserialize_byte_buf => deserialize_any;
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, JsonError> {
        self.unit(visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, JsonError> {
        self.seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, JsonError> {
        self.seq(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, JsonError> {
        self.map(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        match self {
            Value::Null => visitor.visit_none(),
            v => visitor.visit_some(v),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, JsonError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, JsonError> {
        match self {
            Value::String(s) => visitor.visit_enum(StringDeserializer::<JsonError>::new(s)),
            Value::Object(entries) if entries.len() == 1 => {
                visitor.visit_enum(MapAccessDeserializer::new(Map::new(entries)))
            }
            v => Err(v.invalid_type(&"a string or a map with a single key")),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, JsonError> {
        visitor.visit_unit()
    }
}

// The generic halves of the access types stay thin: stepping, and the
// path on errors, are in plain methods shared by every type.

struct Seq {
    items: std::vec::IntoIter<Value>,
    index: usize,
}

impl Seq {
    fn next(&mut self) -> Option<Value> {
        self.index += 1;
        self.items.next()
    }

    fn at(&self, e: JsonError) -> JsonError {
        e.within(format!("[{}]", self.index - 1))
    }

    fn end(&self) -> Result<(), JsonError> {
        match self.items.len() {
            0 => Ok(()),
            n => Err(de::Error::invalid_length(
                self.index + n,
                &"fewer elements in array",
            )),
        }
    }
}

impl<'de> de::SeqAccess<'de> for Seq {
    type Error = JsonError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, JsonError> {
        match self.next() {
            None => Ok(None),
            Some(v) => match seed.deserialize(v) {
                Ok(x) => Ok(Some(x)),
                Err(e) => Err(self.at(e)),
            },
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct Map {
    entries: std::vec::IntoIter<(String, Value)>,
    /// The entry whose key was just read (its key kept for error paths).
    key: String,
    value: Value,
}

impl Map {
    fn new(entries: Vec<(String, Value)>) -> Map {
        Map {
            entries: entries.into_iter(),
            key: String::new(),
            value: Value::Null,
        }
    }

    fn next(&mut self) -> Option<&str> {
        let (k, v) = self.entries.next()?;
        self.key = k;
        self.value = v;
        Some(&self.key)
    }

    fn take(&mut self) -> Value {
        std::mem::replace(&mut self.value, Value::Null)
    }

    fn at(&mut self, e: JsonError) -> JsonError {
        e.within(std::mem::take(&mut self.key))
    }
}

impl<'de> de::MapAccess<'de> for Map {
    type Error = JsonError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, JsonError> {
        match self.next() {
            None => Ok(None),
            Some(k) => seed.deserialize(StrDeserializer::new(k)).map(Some),
        }
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, JsonError> {
        match seed.deserialize(self.take()) {
            Ok(x) => Ok(x),
            Err(e) => Err(self.at(e)),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}
