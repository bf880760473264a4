//! The text view of a design: one line per component, then one line per
//! connection, in the arrow notation the course's source material uses.
//!
//! ```text
//! # comments and blank lines are ignored
//! US LB: lb @us
//! US App: app @us x8 max=40
//! US Cache: cache @us hit=0.35
//! Limiter: app @us x40 ms=0.5 conc=32
//! US DB: db_primary @us x5
//! EU DB: db_primary @eu x5
//!
//! US LB → US App
//! US App → US DB
//! US DB → EU DB (sync)
//! US DB → Analytics share=0.1
//! ```
//!
//! A component line is `Name: type @region`, then optionally `xN` (replicas,
//! omitted when 1; `×N` is accepted), `hit=F` (the hit-ratio override) and
//! `max=N` (autoscaling up to N instances), `ms=F` and `conc=N` (the
//! component's own service time and concurrency), in any order. A connection line is `From → To`; `->` is accepted for `→`,
//! and a synchronous connection is printed with a trailing `(sync)`, while
//! `⇒` or `=>` as the arrow are accepted as well. `share=F` after the target
//! (before any `(sync)`) is the share of the traffic the connection carries. Components may be declared
//! after the connections that use them.
//!
//! This is why names may not contain `:`, arrows, `(sync)` or `share=` (see
//! [`crate::design::clean_name`]). Type and region ids are not checked against
//! the catalog here: the UI runs the engine's validator on the result, which
//! says which types and regions exist.

use std::collections::HashMap;
use std::fmt;

use meridian_engine::decimal::shortest;
use meridian_engine::spec::{Autoscale, ServiceOverride};
use meridian_engine::{Component, Connection, Topology};

use crate::design::{MAX_COMPONENTS, MAX_CONNECTIONS, MAX_REPLICAS, clean_name};

/// A syntax or reference error, located by 1-based line and column (in
/// characters, not bytes, so the UI can place a marker in the textarea).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {}: {}",
            self.line, self.column, self.message
        )
    }
}

impl std::error::Error for ParseError {}

/// The printed form of a synchronous connection's marker.
const SYNC_SUFFIX: &str = "(sync)";
/// A connection carrying a share of the traffic: `A → B share=0.1`.
const SHARE_PREFIX: &str = "share=";
/// A connection carrying a fixed rate, requests per second: `A → B rate=500`.
const RATE_PREFIX: &str = "rate=";

/// Prints a design in the notation; [`parse`] reads it back unchanged for any
/// design whose names pass [`crate::design::clean_name`] unchanged and whose
/// type and region ids pass [`crate::design::is_valid_id`].
pub fn print(t: &Topology) -> String {
    let mut out = String::new();
    for c in &t.components {
        out.push_str(&component_line(c));
        out.push('\n');
    }
    if !t.components.is_empty() && !t.connections.is_empty() {
        out.push('\n');
    }
    for c in &t.connections {
        out.push_str(&connection_line(c));
        out.push('\n');
    }
    out
}

fn component_line(c: &Component) -> String {
    let mut line = format!("{}: {} @{}", c.name, c.component_type, c.region);
    if c.replicas != 1 {
        line.push_str(&format!(" x{}", c.replicas));
    }
    if let Some(h) = c.hit_ratio {
        // The shortest representation that parses back exactly.
        line.push_str(&format!(" hit={}", shortest(h)));
    }
    if let Some(a) = c.autoscale {
        line.push_str(&format!(" max={}", a.max));
    }
    if let Some(o) = &c.service {
        if let Some(ms) = o.service_ms {
            line.push_str(&format!(" ms={}", shortest(ms)));
        }
        if let Some(n) = o.concurrency {
            line.push_str(&format!(" conc={n}"));
        }
    }
    line
}

fn connection_line(c: &Connection) -> String {
    let mut line = format!("{} → {}", c.from, c.to);
    if let Some(f) = c.share {
        // The shortest representation that parses back exactly.
        line.push_str(&format!(" {SHARE_PREFIX}{}", shortest(f)));
    }
    if let Some(r) = c.rate {
        line.push_str(&format!(" {RATE_PREFIX}{}", shortest(r)));
    }
    if c.sync {
        line.push(' ');
        line.push_str(SYNC_SUFFIX);
    }
    line
}

/// Parses the notation. On failure returns every error found, in line order:
/// each line is checked on its own, then names are resolved.
pub fn parse(text: &str) -> Result<Topology, Vec<ParseError>> {
    let mut p = Parser::default();
    for (i, line) in text.lines().enumerate() {
        let chars: Vec<char> = line.chars().collect();
        p.line(i + 1, &chars);
    }
    p.finish()
}

/// A name as written, with where it starts.
#[derive(Debug, Clone)]
struct Located {
    text: String,
    line: usize,
    column: usize,
}

struct PendingConnection {
    from: Located,
    to: Located,
    sync: bool,
    share: Option<f64>,
    rate: Option<f64>,
}

#[derive(Default)]
struct Parser {
    components: Vec<Component>,
    /// Component name → line it is declared on.
    declared: HashMap<String, usize>,
    connections: Vec<PendingConnection>,
    errors: Vec<ParseError>,
}

impl Parser {
    fn error(&mut self, line: usize, column: usize, message: impl Into<String>) {
        self.errors.push(ParseError {
            line,
            column,
            message: message.into(),
        });
    }

    fn line(&mut self, n: usize, chars: &[char]) {
        let Some(first) = chars.iter().position(|c| !c.is_whitespace()) else {
            return;
        };
        if chars[first] == '#' {
            return;
        }
        if let Some(colon) = chars.iter().position(|&c| c == ':') {
            return self.component(n, chars, colon);
        }
        let arrows = find_arrows(chars);
        if !arrows.is_empty() {
            self.connection(n, chars, &arrows);
        } else {
            let found: String = chars[first..].iter().collect();
            self.error(
                n,
                first + 1,
                format!(
                    "expected a component `Name: type @region` or a connection `From → To`, found “{}”",
                    found.trim_end()
                ),
            );
        }
    }

    fn component(&mut self, n: usize, chars: &[char], colon: usize) {
        let name = located(n, chars, 0, colon);
        let fields = ComponentFields::parse(n, chars, colon + 1, &mut self.errors);
        if name.text.is_empty() {
            self.error(n, colon + 1, "expected a component name before “:”");
            return;
        }
        if let Err(e) = clean_name(&name.text) {
            self.error(n, name.column, e.to_string());
            return;
        }
        if let Some(&first) = self.declared.get(&name.text) {
            self.error(
                n,
                name.column,
                format!(
                    "a component named “{}” is already declared on line {first}",
                    name.text
                ),
            );
            return;
        }
        // Declared even when its fields are wrong, so connections to it do
        // not add a second, misleading error.
        self.declared.insert(name.text.clone(), n);
        let Some(fields) = fields else { return };
        self.components.push(Component {
            name: name.text,
            component_type: fields.component_type,
            region: fields.region,
            replicas: fields.replicas,
            hit_ratio: fields.hit_ratio,
            autoscale: fields.autoscale_max.map(|max| Autoscale { max }),
            service: (fields.service_ms.is_some() || fields.concurrency.is_some()).then(|| {
                ServiceOverride {
                    concurrency: fields.concurrency,
                    service_ms: fields.service_ms,
                    source: String::new(),
                }
            }),
        });
    }

    fn connection(&mut self, n: usize, chars: &[char], arrows: &[Arrow]) {
        let arrow = arrows[0];
        if let Some(extra) = arrows.get(1) {
            self.error(
                n,
                extra.at + 1,
                "expected one arrow per line: write each connection on its own line",
            );
            return;
        }
        let from = located(n, chars, 0, arrow.at);
        let after = arrow.at + arrow.len;
        let (to_end, marked_sync) = strip_sync_suffix(chars, after);
        let (to_end, rate) = match strip_number_suffix(chars, after, to_end, RATE_PREFIX) {
            Ok(x) => x,
            Err((column, message)) => {
                self.error(n, column, message);
                return;
            }
        };
        let (to_end, share) = match strip_number_suffix(chars, after, to_end, SHARE_PREFIX) {
            Ok(x) => x,
            Err((column, message)) => {
                self.error(n, column, message);
                return;
            }
        };
        let to = located(n, chars, after, to_end);
        let mut ok = true;
        if from.text.is_empty() {
            self.error(
                n,
                arrow.at + 1,
                "expected a component name before the arrow",
            );
            ok = false;
        }
        if to.text.is_empty() {
            self.error(n, to_end + 1, "expected a component name after the arrow");
            ok = false;
        }
        if ok {
            self.connections.push(PendingConnection {
                from,
                to,
                sync: arrow.sync || marked_sync,
                share,
                rate,
            });
        }
    }

    /// Resolves connections against the declared names.
    fn finish(mut self) -> Result<Topology, Vec<ParseError>> {
        let mut seen: HashMap<(String, String), usize> = HashMap::new();
        let mut connections = Vec::new();
        let mut connection_lines: Vec<usize> = Vec::new();
        for c in std::mem::take(&mut self.connections) {
            // Both ends are checked, so both can be reported.
            let from_known = self.resolves(&c.from);
            let to_known = self.resolves(&c.to);
            if !(from_known && to_known) {
                continue;
            }
            if c.from.text == c.to.text {
                self.error(
                    c.from.line,
                    c.from.column,
                    format!("“{}” cannot be connected to itself", c.from.text),
                );
                continue;
            }
            let key = (c.from.text.clone(), c.to.text.clone());
            if let Some(&first) = seen.get(&key) {
                self.error(
                    c.from.line,
                    c.from.column,
                    format!(
                        "the connection “{} → {}” is already listed on line {first}",
                        c.from.text, c.to.text
                    ),
                );
                continue;
            }
            seen.insert(key, c.from.line);
            connection_lines.push(c.from.line);
            connections.push(Connection {
                from: c.from.text,
                to: c.to.text,
                sync: c.sync,
                share: c.share,
                rate: c.rate,
            });
        }
        // The size limits every design shares (meridian_engine::limits),
        // checked here so no link or paste can hand the engine more.
        if let Some(extra) = self.components.get(MAX_COMPONENTS) {
            let line = self.declared.get(&extra.name).copied().unwrap_or(1);
            self.error(
                line,
                1,
                format!(
                    "a design has at most {MAX_COMPONENTS} components; this text declares {}",
                    self.components.len()
                ),
            );
        }
        if connections.len() > MAX_CONNECTIONS {
            let line = connection_lines.get(MAX_CONNECTIONS).copied().unwrap_or(1);
            self.error(
                line,
                1,
                format!(
                    "a design has at most {MAX_CONNECTIONS} connections; this text lists {}",
                    connections.len()
                ),
            );
        }
        if self.errors.is_empty() {
            return Ok(Topology {
                components: self.components,
                connections,
            });
        }
        meridian_engine::sort::sort_by_key(&mut self.errors, |e| (e.line, e.column));
        Err(self.errors)
    }

    fn resolves(&mut self, name: &Located) -> bool {
        if self.declared.contains_key(&name.text) {
            return true;
        }
        self.error(
            name.line,
            name.column,
            format!(
                "no component is named “{0}”; declare it on a line like `{0}: app @us`",
                name.text
            ),
        );
        false
    }
}

/// The text of `chars[start..end]` with whitespace runs collapsed, and the
/// column where it starts (of `end` when it is blank).
fn located(line: usize, chars: &[char], start: usize, end: usize) -> Located {
    let slice = &chars[start..end];
    let first = slice.iter().position(|c| !c.is_whitespace());
    let text: String = slice.iter().collect();
    Located {
        text: text.split_whitespace().collect::<Vec<_>>().join(" "),
        line,
        column: first.map_or(end, |f| start + f) + 1,
    }
}

#[derive(Debug, Clone, Copy)]
struct Arrow {
    at: usize,
    len: usize,
    sync: bool,
}

/// Every arrow in the line: `→` and `->`, or `⇒` and `=>` (synchronous).
fn find_arrows(chars: &[char]) -> Vec<Arrow> {
    let mut arrows = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let next = chars.get(i + 1).copied();
        let arrow = match (chars[i], next) {
            ('→', _) => Some((1, false)),
            ('⇒', _) => Some((1, true)),
            ('-', Some('>')) => Some((2, false)),
            ('=', Some('>')) => Some((2, true)),
            _ => None,
        };
        match arrow {
            Some((len, sync)) => {
                arrows.push(Arrow { at: i, len, sync });
                i += len;
            }
            None => i += 1,
        }
    }
    arrows
}

/// Where the target name ends, and whether a `(sync)` marker (any case)
/// follows it.
fn strip_sync_suffix(chars: &[char], start: usize) -> (usize, bool) {
    let mut end = chars.len();
    while end > start && chars[end - 1].is_whitespace() {
        end -= 1;
    }
    let suffix: Vec<char> = SYNC_SUFFIX.chars().collect();
    if end - start >= suffix.len() {
        let tail = &chars[end - suffix.len()..end];
        if tail
            .iter()
            .zip(&suffix)
            .all(|(a, b)| a.to_ascii_lowercase() == *b)
        {
            return (end - suffix.len(), true);
        }
    }
    (chars.len(), false)
}

/// A trailing ` share=F` or ` rate=F` (as `prefix` says) in
/// `chars[start..end]`: (where what comes before it ends, the number). A
/// share must be above 0 and at most 1, a rate above 0.
#[allow(clippy::type_complexity)]
fn strip_number_suffix(
    chars: &[char],
    start: usize,
    end: usize,
    prefix: &str,
) -> Result<(usize, Option<f64>), (usize, String)> {
    let mut e = end;
    while e > start && chars[e - 1].is_whitespace() {
        e -= 1;
    }
    let mut b = e;
    while b > start && !chars[b - 1].is_whitespace() {
        b -= 1;
    }
    let word: String = chars[b..e].iter().collect();
    let Some(value) = word
        .to_ascii_lowercase()
        .strip_prefix(prefix)
        .map(str::to_string)
    else {
        return Ok((end, None));
    };
    if b == start || !chars[b - 1].is_whitespace() {
        return Ok((end, None));
    }
    let share = prefix == SHARE_PREFIX;
    match value.parse::<f64>() {
        Ok(f) if f.is_finite() && f > 0.0 && (!share || f <= 1.0) => Ok((b, Some(f))),
        _ if share => Err((
            b + 1,
            format!(
                "expected a share of the traffic above 0 and at most 1 after “share=”, found “{value}”"
            ),
        )),
        _ => Err((
            b + 1,
            format!(
                "expected a rate in requests per second above 0 after “rate=”, found “{value}”"
            ),
        )),
    }
}

/// A whitespace-separated word after the colon, with its start index.
struct Token {
    at: usize,
    text: String,
}

/// Splits `chars[start..]` into words, joining the spaced forms `@ us` and
/// `hit = 0.3` into `@us` and `hit=0.3`.
fn tokens(chars: &[char], start: usize) -> Vec<Token> {
    let mut words: Vec<Token> = Vec::new();
    let mut i = start;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let at = i;
        while i < chars.len() && !chars[i].is_whitespace() {
            i += 1;
        }
        let text: String = chars[at..i].iter().collect();
        let joins = words.last().is_some_and(|prev| {
            prev.text == "@"
                || prev.text.eq_ignore_ascii_case("hit=")
                || (prev.text.eq_ignore_ascii_case("hit") && text.starts_with('='))
        });
        match words.last_mut() {
            Some(prev) if joins => prev.text.push_str(&text),
            _ => words.push(Token { at, text }),
        }
    }
    words
}

/// The part of a component line after the colon.
struct ComponentFields {
    component_type: String,
    region: String,
    replicas: u32,
    hit_ratio: Option<f64>,
    /// `max=N`: autoscaling up to N instances.
    autoscale_max: Option<u32>,
    /// `ms=F`, `conc=N`: the component's own service figures.
    service_ms: Option<f64>,
    concurrency: Option<u32>,
}

impl ComponentFields {
    /// Parses the fields, pushing an error for every bad word; `None` when
    /// any was bad.
    fn parse(
        line: usize,
        chars: &[char],
        start: usize,
        errors: &mut Vec<ParseError>,
    ) -> Option<ComponentFields> {
        let before = errors.len();
        let mut err = |column: usize, message: String| {
            errors.push(ParseError {
                line,
                column,
                message,
            })
        };
        let words = tokens(chars, start);
        let end_column = chars.len() + 1;
        let mut words = words.into_iter();
        let component_type = match words.next() {
            None => {
                err(
                    end_column,
                    "expected a component type after “:”, as in `US App: app @us`".into(),
                );
                None
            }
            Some(w) if w.text.starts_with('@') => {
                err(
                    w.at + 1,
                    "expected a component type before the region, as in `US App: app @us`".into(),
                );
                None
            }
            Some(w) => Some(w.text),
        };
        let mut region: Option<String> = None;
        let mut replicas: Option<u32> = None;
        let mut hit_ratio: Option<f64> = None;
        let mut autoscale_max: Option<u32> = None;
        let mut service_ms: Option<f64> = None;
        let mut concurrency: Option<u32> = None;
        for w in words {
            let column = w.at + 1;
            let message = if let Some(id) = w.text.strip_prefix('@') {
                parse_region(id)
                    .and_then(|id| set_once(&mut region, id, "region"))
                    .err()
            } else if let Some(n) = replicas_word(&w.text) {
                parse_replicas(n)
                    .and_then(|n| set_once(&mut replicas, n, "replica count"))
                    .err()
            } else if let Some(h) = hit_word(&w.text) {
                parse_hit(h)
                    .and_then(|h| set_once(&mut hit_ratio, h, "hit ratio"))
                    .err()
            } else if let Some(m) = max_word(&w.text) {
                parse_max(m)
                    .and_then(|m| set_once(&mut autoscale_max, m, "autoscaling maximum"))
                    .err()
            } else if let Some(v) = keyed(&w.text, "ms") {
                parse_ms(v)
                    .and_then(|v| set_once(&mut service_ms, v, "service time"))
                    .err()
            } else if let Some(v) = keyed(&w.text, "conc") {
                parse_conc(v)
                    .and_then(|v| set_once(&mut concurrency, v, "concurrency"))
                    .err()
            } else {
                Some(format!(
                    "expected a region `@us`, replicas `x8`, a hit ratio `hit=0.35`, an autoscaling maximum `max=40`, a service time `ms=2.5` or a concurrency `conc=16`, found “{}”",
                    w.text
                ))
            };
            if let Some(m) = message {
                err(column, m);
            }
        }
        if region.is_none() && component_type.is_some() {
            err(
                end_column,
                "expected a region after the type, as in `US App: app @us`".into(),
            );
        }
        if errors.len() > before {
            return None;
        }
        Some(ComponentFields {
            component_type: component_type?,
            region: region?,
            replicas: replicas.unwrap_or(1),
            hit_ratio,
            autoscale_max,
            service_ms,
            concurrency,
        })
    }
}

/// The value of `key=value` (any case of `key`).
fn keyed<'w>(word: &'w str, key: &str) -> Option<&'w str> {
    let (k, value) = word.split_once('=')?;
    k.eq_ignore_ascii_case(key).then_some(value)
}

fn parse_ms(value: &str) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 => Ok(v),
        _ => Err(format!(
            "expected a service time in ms above 0 after “ms=”, as in `ms=2.5`, found “{value}”"
        )),
    }
}

fn parse_conc(value: &str) -> Result<u32, String> {
    match value.parse::<u32>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!(
            "expected a concurrency of 1 or more after “conc=”, as in `conc=16`, found “{value}”"
        )),
    }
}

fn set_once<T>(slot: &mut Option<T>, value: T, what: &str) -> Result<(), String> {
    if slot.is_some() {
        return Err(format!("the {what} is given twice"));
    }
    *slot = Some(value);
    Ok(())
}

fn parse_region(id: &str) -> Result<String, String> {
    if id.is_empty() {
        return Err("expected a region id after “@”, as in `@us`".to_string());
    }
    Ok(id.to_string())
}

/// The digits of `x8`, `X8` or `×8`.
fn replicas_word(word: &str) -> Option<&str> {
    let rest = word
        .strip_prefix('x')
        .or_else(|| word.strip_prefix('X'))
        .or_else(|| word.strip_prefix('×'))?;
    rest.chars()
        .next()
        .is_none_or(|c| c.is_ascii_digit())
        .then_some(rest)
}

fn parse_replicas(digits: &str) -> Result<u32, String> {
    let message = || format!("expected a replica count from 1 to {MAX_REPLICAS} after “x”");
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(message());
    }
    match digits.parse::<u32>() {
        Ok(n) if (1..=MAX_REPLICAS).contains(&n) => Ok(n),
        _ => Err(message()),
    }
}

/// The number of `hit=0.35` (any case of `hit`).
fn hit_word(word: &str) -> Option<&str> {
    let (key, value) = word.split_once('=')?;
    key.eq_ignore_ascii_case("hit").then_some(value)
}

fn parse_hit(value: &str) -> Result<f64, String> {
    match value.parse::<f64>() {
        Ok(h) if (0.0..=1.0).contains(&h) => Ok(h),
        _ => Err(format!(
            "expected a hit ratio from 0 to 1 after “hit=”, as in `hit=0.35`, found “{value}”"
        )),
    }
}

fn max_word(word: &str) -> Option<&str> {
    let (key, value) = word.split_once('=')?;
    key.eq_ignore_ascii_case("max").then_some(value)
}

fn parse_max(value: &str) -> Result<u32, String> {
    match value.parse::<u32>() {
        Ok(n) if (1..=MAX_REPLICAS).contains(&n) => Ok(n),
        _ => Err(format!(
            "expected an autoscaling maximum from 1 to {MAX_REPLICAS} after “max=”, as in `max=40`, found “{value}”"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn comp(name: &str, ty: &str, region: &str, replicas: u32, hit: Option<f64>) -> Component {
        Component {
            name: name.into(),
            component_type: ty.into(),
            region: region.into(),
            replicas,
            hit_ratio: hit,
            autoscale: None,
            service: None,
        }
    }

    fn conn(from: &str, to: &str, sync: bool) -> Connection {
        Connection {
            from: from.into(),
            to: to.into(),
            sync,
            share: None,
            rate: None,
        }
    }

    fn sample() -> Topology {
        Topology {
            components: vec![
                comp("US LB", "lb", "us", 1, None),
                comp("US App", "app", "us", 8, None),
                comp("US Cache", "cache", "us", 1, Some(0.35)),
                comp("GeoDNS", "cdn", "global", 1, Some(0.0)),
                comp("US DB", "db_primary", "us", 5, None),
                comp("EU DB", "db_primary", "eu", 5, None),
            ],
            connections: vec![conn("US LB", "US App", false), conn("US DB", "EU DB", true)],
        }
    }

    const SAMPLE_TEXT: &str = "\
US LB: lb @us
US App: app @us x8
US Cache: cache @us hit=0.35
GeoDNS: cdn @global hit=0
US DB: db_primary @us x5
EU DB: db_primary @eu x5

US LB → US App
US DB → EU DB (sync)
";

    fn errors(text: &str) -> Vec<String> {
        parse(text)
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn prints_the_documented_form() {
        assert_eq!(print(&sample()), SAMPLE_TEXT);
        assert_eq!(print(&Topology::default()), "");
        let only_components = Topology {
            components: vec![comp("A", "app", "us", 1, None)],
            connections: vec![],
        };
        assert_eq!(print(&only_components), "A: app @us\n");
    }

    #[test]
    fn a_design_past_the_size_limits_is_refused_with_the_line() {
        let mut text = String::new();
        for i in 0..=MAX_COMPONENTS {
            text.push_str(&format!("N{i}: app @us\n"));
        }
        let e = errors(&text);
        assert_eq!(
            e,
            vec![format!(
                "line {}, column 1: a design has at most {MAX_COMPONENTS} components; this text declares {}",
                MAX_COMPONENTS + 1,
                MAX_COMPONENTS + 1
            )]
        );
        let mut text = String::new();
        for i in 0..20 {
            text.push_str(&format!("N{i}: app @us\n"));
        }
        let mut n = 0;
        'all: for a in 0..20 {
            for b in 0..20 {
                if a != b {
                    text.push_str(&format!("N{a} → N{b}\n"));
                    n += 1;
                    if n > MAX_CONNECTIONS {
                        break 'all;
                    }
                }
            }
        }
        let e = errors(&text);
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].contains(&format!("at most {MAX_CONNECTIONS} connections")),
            "{e:?}"
        );
    }

    #[test]
    fn a_fixed_rate_round_trips_and_is_checked() {
        let text = "A: app @us\nB: worker @us\n\nA → B rate=533.5\n";
        let t = parse(text).expect("parses");
        assert_eq!(t.connections[0].rate, Some(533.5));
        assert_eq!(print(&t), text);
        let bad = errors("A: app @us\nB: app @us\nA → B rate=0\n");
        assert_eq!(
            bad,
            vec![
                "line 3, column 7: expected a rate in requests per second above 0 after “rate=”, found “0”"
                    .to_string()
            ]
        );
    }

    #[test]
    fn a_share_round_trips_and_is_checked() {
        let text = "A: db_primary @us\nB: db_primary @eu\nC: worker @us\n\nA → B share=0.25 (sync)\nA → C share=1\n";
        let t = parse(text).unwrap();
        assert_eq!(t.connections[0].share, Some(0.25));
        assert!(t.connections[0].sync);
        assert_eq!(t.connections[1].share, Some(1.0));
        assert_eq!(print(&t), text);
        assert_eq!(parse(&print(&t)).unwrap(), t);
        let bad = errors("A: app @us\nB: app @us\nA → B share=2\n");
        assert_eq!(
            bad,
            [
                "line 3, column 7: expected a share of the traffic above 0 and at most 1 after “share=”, found “2”"
            ]
        );
        // So no name may contain it.
        assert!(crate::design::clean_name("share=x").is_err());
    }

    #[test]
    fn service_figures_round_trip() {
        let text = "Limiter: app @us x40 ms=0.5 conc=32\n";
        let t = parse(text).unwrap();
        let o = t.components[0].service.as_ref().unwrap();
        assert_eq!((o.service_ms, o.concurrency), (Some(0.5), Some(32)));
        assert_eq!(print(&t), text);
        assert_eq!(
            errors("A: app @us ms=0 conc=x"),
            [
                "line 1, column 12: expected a service time in ms above 0 after “ms=”, as in `ms=2.5`, found “0”",
                "line 1, column 17: expected a concurrency of 1 or more after “conc=”, as in `conc=16`, found “x”"
            ]
        );
    }

    #[test]
    fn parses_what_it_prints() {
        assert_eq!(parse(SAMPLE_TEXT).unwrap(), sample());
        assert_eq!(parse("").unwrap(), Topology::default());
    }

    #[test]
    fn accepts_extra_spaces_comments_and_alternative_forms() {
        let text = "\
# my design
   US   LB :lb   @ us
US App:app @us ×8

\tEU DB: db_primary x5 @eu hit = 0.5
US DB: db_primary @us X5
  # connections
US  LB->US App
EU DB => US DB
US DB⇒EU DB (SYNC)
US App -> US DB (sync)
";
        let t = parse(text).unwrap();
        assert_eq!(t.components[0], comp("US LB", "lb", "us", 1, None));
        assert_eq!(t.components[1].replicas, 8);
        assert_eq!(
            t.components[2],
            comp("EU DB", "db_primary", "eu", 5, Some(0.5))
        );
        assert_eq!(t.components[3].replicas, 5);
        assert_eq!(
            t.connections,
            vec![
                conn("US LB", "US App", false),
                conn("EU DB", "US DB", true),
                conn("US DB", "EU DB", true),
                conn("US App", "US DB", true),
            ]
        );
    }

    #[test]
    fn duplicate_connections_whatever_the_arrow() {
        let errs = errors("A: app @us\nB: app @us\nA → B\n\nA => B (sync)\n");
        assert_eq!(
            errs,
            vec!["line 5, column 1: the connection “A → B” is already listed on line 3"]
        );
    }

    #[test]
    fn alternative_forms_resolve_to_the_right_connections() {
        let text = "A: app @us\nB: app @us\nC: app @us\nA->B\nB => C\nC → A (sync)\nA⇒C";
        let t = parse(text).unwrap();
        assert_eq!(
            t.connections,
            vec![
                conn("A", "B", false),
                conn("B", "C", true),
                conn("C", "A", true),
                conn("A", "C", true),
            ]
        );
    }

    #[test]
    fn autoscaling_round_trips() {
        let t = parse("US App: app @us x8 max=40\nEU App: app @eu MAX=3").unwrap();
        assert_eq!(
            t.components[0].autoscale,
            Some(meridian_engine::Autoscale { max: 40 })
        );
        assert_eq!(
            t.components[1].autoscale,
            Some(meridian_engine::Autoscale { max: 3 })
        );
        assert_eq!(
            print(&t),
            "US App: app @us x8 max=40\nEU App: app @eu max=3\n"
        );
        let errs = errors("A: app @us max=0\nB: app @us max=2 max=3\nC: app @us max=x");
        assert_eq!(errs.len(), 3, "{errs:?}");
        assert!(errs[1].contains("given twice"), "{errs:?}");
    }

    #[test]
    fn connections_may_come_first() {
        let t = parse("A → B\nA: app @us\nB: db_primary @us").unwrap();
        assert_eq!(t.connections, vec![conn("A", "B", false)]);
    }

    #[test]
    fn reports_every_error_with_its_location() {
        let text = "\
US App app @us
: app @us
US DB: @us
EU DB: db_primary
X: app @us x0 hit=2
Y: app @us frob
US App → Nowhere
Z: app @us → Z
A → → B
";
        let errs = errors(text);
        assert_eq!(
            errs,
            vec![
                "line 1, column 1: expected a component `Name: type @region` or a connection `From → To`, found “US App app @us”",
                "line 2, column 1: expected a component name before “:”",
                "line 3, column 8: expected a component type before the region, as in `US App: app @us`",
                "line 4, column 18: expected a region after the type, as in `US App: app @us`",
                "line 5, column 12: expected a replica count from 1 to 20000 after “x”",
                "line 5, column 15: expected a hit ratio from 0 to 1 after “hit=”, as in `hit=0.35`, found “2”",
                "line 6, column 12: expected a region `@us`, replicas `x8`, a hit ratio `hit=0.35`, an autoscaling maximum `max=40`, a service time `ms=2.5` or a concurrency `conc=16`, found “frob”",
                "line 7, column 1: no component is named “US App”; declare it on a line like `US App: app @us`",
                "line 7, column 10: no component is named “Nowhere”; declare it on a line like `Nowhere: app @us`",
                "line 8, column 12: expected a region `@us`, replicas `x8`, a hit ratio `hit=0.35`, an autoscaling maximum `max=40`, a service time `ms=2.5` or a concurrency `conc=16`, found “→”",
                "line 8, column 14: expected a region `@us`, replicas `x8`, a hit ratio `hit=0.35`, an autoscaling maximum `max=40`, a service time `ms=2.5` or a concurrency `conc=16`, found “Z”",
                "line 9, column 5: expected one arrow per line: write each connection on its own line",
            ]
        );
    }

    #[test]
    fn duplicate_names_self_loops_and_missing_ends() {
        let errs = errors("A: app @us\n  A: db_primary @eu\nA → A\n → A\nA →  \nA: x\n");
        assert_eq!(
            errs,
            vec![
                "line 2, column 3: a component named “A” is already declared on line 1",
                "line 3, column 1: “A” cannot be connected to itself",
                "line 4, column 2: expected a component name before the arrow",
                "line 5, column 6: expected a component name after the arrow",
                "line 6, column 1: a component named “A” is already declared on line 1",
                "line 6, column 5: expected a region after the type, as in `US App: app @us`",
            ]
        );
    }

    #[test]
    fn a_bad_component_line_still_declares_its_name() {
        let errs = errors("US DB: db_primary\nUS App: app @us\nUS App → US DB\n");
        assert_eq!(
            errs,
            vec!["line 1, column 18: expected a region after the type, as in `US App: app @us`"]
        );
    }

    #[test]
    fn reserved_text_in_names_is_reported() {
        let errs = errors("DB (sync): db_primary @us\nA: app @us\nA → DB (sync)\n");
        assert_eq!(
            errs,
            vec![
                "line 1, column 1: A name cannot contain “(sync)”, which has a meaning in the text view.",
                "line 3, column 5: no component is named “DB”; declare it on a line like `DB: app @us`",
            ]
        );
    }

    #[test]
    fn given_twice() {
        let errs = errors("A: app @us @eu x2 x3 hit=0.1 hit=0.2\n");
        assert_eq!(
            errs,
            vec![
                "line 1, column 12: the region is given twice",
                "line 1, column 19: the replica count is given twice",
                "line 1, column 30: the hit ratio is given twice",
            ]
        );
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        let errs = errors("Ünïcödé → Ω\n");
        assert_eq!(
            errs[1],
            "line 1, column 11: no component is named “Ω”; declare it on a line like `Ω: app @us`"
        );
    }

    #[test]
    fn crlf_line_endings() {
        let t = parse("A: app @us\r\nB: app @us x2\r\n\r\nA → B\r\n").unwrap();
        assert_eq!(t.components[1].replicas, 2);
        assert_eq!(t.connections.len(), 1);
    }

    #[test]
    fn error_display() {
        let e = ParseError {
            line: 3,
            column: 5,
            message: "expected a region".into(),
        };
        assert_eq!(e.to_string(), "line 3, column 5: expected a region");
    }
}
