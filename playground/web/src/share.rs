//! A design in a link: `…/playground.html#design=<value>`.
//!
//! The value is base64url (RFC 4648 §5, no padding) of one version byte (1)
//! followed by the raw-deflated text notation ([`crate::notation::print`]).
//! The notation rather than JSON because it is what the reader sees in the
//! text view, compresses well, and a future format change only needs a new
//! version byte. The fragment never reaches a server, so a shared design stays
//! between the people who share it.
//!
//! The browser deflates and inflates (its `CompressionStream` and
//! `DecompressionStream`, "deflate-raw", in `ui/deflate.rs`): a deflater of
//! our own was 16 KB of the playground's gzipped wasm (see ARCHITECTURE.md).
//! This module is the rest, pure and tested on the host: [`pack`] frames
//! deflated bytes as a link's value; [`from_fragment`] and [`unpack`] take
//! a value back to the deflated bytes, and [`read`] the inflated ones to a
//! design.
//!
//! Decoding treats the link as untrusted input: sizes are bounded before
//! inflating (a value of at most [`MAX_VALUE_LEN`] characters, so at most
//! 12 KiB of deflated data, which no deflate stream inflates past 1,032
//! times: 13 MB at most) and after (a text of at most [`MAX_TEXT_LEN`]), and
//! every failure is a [`ShareError`] with a sentence for the reader. Names
//! come back as plain text; escaping them is the renderer's job as for any
//! name.

use std::fmt;

use meridian_engine::Topology;

use crate::notation::{self, ParseError};

/// The format version this page writes and reads.
pub const VERSION: u8 = 1;

/// How many versions past [`VERSION`] a link may claim and still be taken
/// for a newer Meridian's.
const FUTURE_VERSIONS: u8 = 8;

/// The fragment key holding a design, so other anchors (`#tiers`) are left alone.
pub const KEY: &str = "design";

/// The longest fragment value accepted, in bytes (16 KiB).
pub const MAX_VALUE_LEN: usize = 16 * 1024;

/// The longest notation text a link may unpack to, in bytes (64 KiB).
pub const MAX_TEXT_LEN: usize = 64 * 1024;

/// The text a design's link deflates: its notation.
pub fn text(t: &Topology) -> String {
    notation::print(t)
}

/// The whole fragment, `design=<value>`, to put after `#`, for the
/// deflated [`text`] of a design; `Err` when the link would be too long to
/// be opened again ([`MAX_VALUE_LEN`]), with its length.
pub fn pack(deflated: &[u8]) -> Result<String, ShareError> {
    let mut bytes = vec![VERSION];
    bytes.extend_from_slice(deflated);
    let value = base64url_encode(&bytes);
    if value.len() > MAX_VALUE_LEN {
        return Err(ShareError::LinkTooLong { len: value.len() });
    }
    Ok(format!("{KEY}={value}"))
}

/// Finds a design in a URL fragment (with or without the leading `#`; keys
/// separated by `&`) and [`unpack`]s it. `None` when there is no `design`
/// key, so the page's other anchors are ignored.
pub fn from_fragment(fragment: &str) -> Option<Result<Vec<u8>, ShareError>> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    fragment
        .split('&')
        .find_map(|part| match part.split_once('=') {
            Some((KEY, value)) => Some(unpack(value)),
            None if part == KEY => Some(Err(ShareError::Empty)),
            _ => None,
        })
}

/// The deflated text in a fragment value made by [`pack`] (never empty).
pub fn unpack(value: &str) -> Result<Vec<u8>, ShareError> {
    if value.is_empty() {
        return Err(ShareError::Empty);
    }
    if value.len() > MAX_VALUE_LEN {
        return Err(ShareError::LinkTooLong { len: value.len() });
    }
    let mut bytes = base64url_decode(value)?;
    let (&version, deflated) = bytes.split_first().ok_or(ShareError::Damaged)?;
    match version {
        VERSION if !deflated.is_empty() => {}
        // A few versions ahead is a newer Meridian; anything else (random
        // text pasted after `#design=`) is not a design link at all.
        v if v > VERSION && v <= VERSION.saturating_add(FUTURE_VERSIONS) => {
            return Err(ShareError::FutureVersion(v));
        }
        _ => return Err(ShareError::Damaged),
    }
    bytes.remove(0);
    Ok(bytes)
}

/// The design in an unpacked link's inflated text; `None` when the
/// browser found the deflated data damaged.
pub fn read(inflated: Option<Vec<u8>>) -> Result<Topology, ShareError> {
    let text = inflated.ok_or(ShareError::Damaged)?;
    if text.len() > MAX_TEXT_LEN {
        return Err(ShareError::TextTooLarge);
    }
    let text = String::from_utf8(text).map_err(|_| ShareError::NotText)?;
    notation::parse(&text).map_err(|errors| match errors.into_iter().next() {
        Some(first) => ShareError::Unreadable(first),
        None => ShareError::Damaged,
    })
}

/// Why a design link could not be opened. `Display` is a sentence for the reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    /// `#design=` with nothing after it.
    Empty,
    /// The fragment value is longer than [`MAX_VALUE_LEN`].
    LinkTooLong { len: usize },
    /// The design unpacks to more than [`MAX_TEXT_LEN`].
    TextTooLarge,
    /// A character outside base64url; `position` counts characters from 1.
    NotBase64 { found: char, position: usize },
    /// Cut short or altered: the compressed data does not decode.
    Damaged,
    /// Made by a later version of the playground.
    FutureVersion(u8),
    /// The unpacked bytes are not UTF-8 text.
    NotText,
    /// The text is not a valid design; the first error.
    Unreadable(ParseError),
    /// The browser has no `DecompressionStream` to unpack the link with.
    Unsupported,
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShareError::Empty => {
                f.write_str("This design link is empty: nothing follows “#design=”.")
            }
            ShareError::LinkTooLong { len } => write!(
                f,
                "This design link is too long ({len} characters; the playground opens links of up to {MAX_VALUE_LEN})."
            ),
            ShareError::TextTooLarge => write!(
                f,
                "This design link unpacks to more than {} KiB of text, more than the playground opens.",
                MAX_TEXT_LEN / 1024
            ),
            ShareError::NotBase64 { found, position } => write!(
                f,
                "This design link contains “{}” at character {position}, which a design link never contains; it was probably changed when it was copied.",
                found.escape_default()
            ),
            ShareError::Damaged => {
                f.write_str("This design link is incomplete or damaged; copy the whole link again.")
            }
            ShareError::FutureVersion(v) => write!(
                f,
                "This design was made by a newer Meridian (version {v}); this page reads version {VERSION}."
            ),
            ShareError::NotText => {
                f.write_str("This design link does not contain text; it is probably damaged.")
            }
            ShareError::Unsupported => f.write_str(
                "This browser cannot unpack design links (it has no DecompressionStream, which browsers have had since 2023); open the link in a current browser.",
            ),
            ShareError::Unreadable(e) => {
                write!(
                    f,
                    "This design link holds a design with an error: {}.",
                    e.to_string().trim_end_matches('.')
                )
            }
        }
    }
}

impl std::error::Error for ShareError {}

/// base64url's alphabet (RFC 4648 §5).
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// base64url without padding (RFC 4648 §5).
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let byte = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let group = byte(0) << 16 | byte(1) << 8 | byte(2);
        // n bytes fill n + 1 characters; the rest would be padding.
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[(group >> (18 - 6 * i) & 63) as usize]));
        }
    }
    out
}

/// Decodes base64url. Trailing `=` padding is tolerated, and so are
/// non-zero bits in the last character past the last byte (as every
/// decoder this page has had did, so every link ever shared still opens).
/// A length that no encoding produces (one character past a group of
/// four) means the link was cut, hence [`ShareError::Damaged`]; a character
/// outside the alphabet is named with its place among characters (a pasted
/// "é" is one character, two bytes).
pub fn base64url_decode(text: &str) -> Result<Vec<u8>, ShareError> {
    let body = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(body.len() / 4 * 3 + 2);
    let (mut group, mut bits) = (0u32, 0u32);
    for (i, found) in body.chars().enumerate() {
        let sextet = match found {
            'A'..='Z' => found as u32 - 'A' as u32,
            'a'..='z' => found as u32 - 'a' as u32 + 26,
            '0'..='9' => found as u32 - '0' as u32 + 52,
            '-' => 62,
            '_' => 63,
            _ => {
                return Err(ShareError::NotBase64 {
                    found,
                    position: i + 1,
                });
            }
        };
        group = group << 6 | sextet;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((group >> bits) as u8);
            group &= (1 << bits) - 1;
        }
    }
    if body.len() % 4 == 1 {
        return Err(ShareError::Damaged);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use meridian_engine::{Component, Connection};

    fn comp(name: &str) -> Component {
        Component {
            name: name.into(),
            component_type: "app".into(),
            region: "us".into(),
            replicas: 3,
            hit_ratio: None,
            autoscale: None,
            service: None,
        }
    }

    fn sample() -> Topology {
        Topology {
            components: vec![comp("US LB"), comp("US App")],
            connections: vec![Connection {
                from: "US LB".into(),
                to: "US App".into(),
                sync: false,
                share: None,
                rate: None,
            }],
        }
    }

    /// The page's part around the browser's deflate, with miniz standing
    /// in for the browser (a deflater of our own would be in the wasm).
    fn fragment(t: &Topology) -> String {
        pack(&miniz_oxide::deflate::compress_to_vec(
            text(t).as_bytes(),
            9,
        ))
        .unwrap()
    }

    fn encode(t: &Topology) -> String {
        fragment(t)[KEY.len() + 1..].to_string()
    }

    /// As the browser's `DecompressionStream`: the whole stream or nothing.
    fn inflate(deflated: Vec<u8>) -> Option<Vec<u8>> {
        miniz_oxide::inflate::decompress_to_vec(&deflated).ok()
    }

    fn decode(value: &str) -> Result<Topology, ShareError> {
        read(inflate(unpack(value)?))
    }

    fn open(fragment: &str) -> Option<Result<Topology, ShareError>> {
        from_fragment(fragment).map(|r| r.and_then(|d| read(inflate(d))))
    }

    /// A value with the given version byte and payload.
    fn raw(version: u8, payload: &[u8]) -> String {
        let mut bytes = vec![version];
        bytes.extend(miniz_oxide::deflate::compress_to_vec(payload, 9));
        base64url_encode(&bytes)
    }

    #[test]
    fn rfc4648_vectors() {
        // RFC 4648 §10, without the padding (base64url writes none).
        let vectors = [
            ("", ""),
            ("f", "Zg"),
            ("fo", "Zm8"),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg"),
            ("fooba", "Zm9vYmE"),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, encoded) in vectors {
            assert_eq!(base64url_encode(plain.as_bytes()), encoded);
            assert_eq!(base64url_decode(encoded).unwrap(), plain.as_bytes());
        }
        assert_eq!(base64url_decode("Zm9vYg==").unwrap(), b"foob");
        // The two characters that differ from standard base64.
        assert_eq!(base64url_encode(&[0xfb, 0xff]), "-_8");
        assert_eq!(base64url_decode("-_8").unwrap(), [0xfb, 0xff]);
    }

    #[test]
    fn base64_padding_and_trailing_bits() {
        // Padding, whole or in part, is read past; bits past the last byte
        // are ignored (`Zm9` is the canonical "fo" as `Zm8`).
        for padded in ["Zm8=", "Zm8", "Zm8==", "Zm9"] {
            assert_eq!(base64url_decode(padded).unwrap(), b"fo", "{padded}");
        }
        // `=` inside the value is not base64url.
        assert_eq!(
            base64url_decode("Zm=v"),
            Err(ShareError::NotBase64 {
                found: '=',
                position: 3
            })
        );
        // Characters, not bytes, are counted.
        assert_eq!(
            base64url_decode("Zé9v"),
            Err(ShareError::NotBase64 {
                found: 'é',
                position: 2
            })
        );
    }

    proptest::proptest! {
        #[test]
        fn base64_round_trips(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            let text = base64url_encode(&bytes);
            proptest::prop_assert_eq!(text.len(), (bytes.len() * 4).div_ceil(3));
            proptest::prop_assert!(text.bytes().all(|b| ALPHABET.contains(&b)));
            proptest::prop_assert_eq!(base64url_decode(&text).unwrap(), bytes);
        }
    }

    #[test]
    fn base64_errors() {
        assert_eq!(
            base64url_decode("Zm+v"),
            Err(ShareError::NotBase64 {
                found: '+',
                position: 3
            })
        );
        assert_eq!(base64url_decode("Zm9vY"), Err(ShareError::Damaged));
    }

    #[test]
    fn round_trip() {
        let f = fragment(&sample());
        assert!(f.starts_with("design="));
        assert_eq!(open(&f), Some(Ok(sample())));
        assert_eq!(open(&format!("#{f}")), Some(Ok(sample())));
        assert_eq!(open(&format!("tiers&{f}")), Some(Ok(sample())));
        assert_eq!(
            decode(&encode(&Topology::default())),
            Ok(Topology::default())
        );
    }

    #[test]
    fn other_anchors_are_ignored() {
        for f in ["", "#", "#tiers", "tiers", "designs=abc", "x=design"] {
            assert_eq!(from_fragment(f), None, "{f}");
        }
    }

    #[test]
    fn empty() {
        for f in ["design=", "#design", "design"] {
            let e = from_fragment(f).unwrap().unwrap_err();
            assert_eq!(e, ShareError::Empty);
        }
        assert_eq!(
            ShareError::Empty.to_string(),
            "This design link is empty: nothing follows “#design=”."
        );
    }

    #[test]
    fn a_design_too_large_for_a_link_is_refused_when_packed() {
        // 12,288 bytes and the version byte: 16,386 characters.
        let e = pack(&vec![7; 12 * 1024]).unwrap_err();
        assert_eq!(e, ShareError::LinkTooLong { len: 16_386 });
        let fits = pack(&vec![7; 12 * 1024 - 1]).unwrap();
        assert_eq!(fits.len(), KEY.len() + 1 + MAX_VALUE_LEN);
    }

    #[test]
    fn link_too_long() {
        let value = "A".repeat(MAX_VALUE_LEN + 1);
        let e = decode(&value).unwrap_err();
        assert_eq!(
            e,
            ShareError::LinkTooLong {
                len: MAX_VALUE_LEN + 1
            }
        );
        assert!(e.to_string().contains("too long (16385 characters"), "{e}");
    }

    #[test]
    fn zip_bomb_is_bounded() {
        // 10 MiB of spaces deflates to about 10 KiB: a short link, a huge text.
        let value = raw(1, &vec![b' '; 10 << 20]);
        assert!(value.len() <= MAX_VALUE_LEN, "{}", value.len());
        assert_eq!(decode(&value), Err(ShareError::TextTooLarge));
        // Just over the limit, too.
        assert_eq!(
            decode(&raw(1, &vec![b'\n'; MAX_TEXT_LEN + 1])),
            Err(ShareError::TextTooLarge)
        );
        // At the limit it is read (blank lines: an empty design).
        assert_eq!(
            decode(&raw(1, &vec![b'\n'; MAX_TEXT_LEN])),
            Ok(Topology::default())
        );
    }

    #[test]
    fn not_base64() {
        let e = from_fragment("design=abc%20def").unwrap().unwrap_err();
        assert_eq!(
            e,
            ShareError::NotBase64 {
                found: '%',
                position: 4
            }
        );
        assert!(e.to_string().contains("“%” at character 4"), "{e}");
    }

    #[test]
    fn truncated_valid_link() {
        let value = encode(&sample());
        for cut in 1..value.len() {
            let e = decode(&value[..cut]).unwrap_err();
            assert!(
                matches!(e, ShareError::Damaged | ShareError::Unreadable(_)),
                "cut at {cut}: {e:?}"
            );
        }
        let half = &value[..value.len() / 2];
        assert_eq!(
            decode(half).unwrap_err().to_string(),
            "This design link is incomplete or damaged; copy the whole link again."
        );
    }

    #[test]
    fn corrupt_deflate() {
        // 0xff: a reserved block type (11), which no deflater writes.
        let value = base64url_encode(&[1, 0xff, 0xff, 0xff]);
        assert_eq!(decode(&value), Err(ShareError::Damaged));
        // Version 0 and a bare version byte are damage, too.
        assert_eq!(decode(&raw(0, b"A: app @us")), Err(ShareError::Damaged));
        assert_eq!(decode(&base64url_encode(&[1])), Err(ShareError::Damaged));
    }

    #[test]
    fn future_version() {
        let e = decode(&raw(2, b"A: app @us")).unwrap_err();
        assert_eq!(e, ShareError::FutureVersion(2));
        assert_eq!(
            e.to_string(),
            "This design was made by a newer Meridian (version 2); this page reads version 1."
        );
        // Random bytes claiming version 161 are damage, not a newer Meridian.
        assert_eq!(decode(&raw(161, b"A: app @us")), Err(ShareError::Damaged));
    }

    #[test]
    fn an_error_inside_the_design_ends_with_one_full_stop() {
        let long = format!("{}: app @us", "N".repeat(81));
        let message = decode(&raw(VERSION, long.as_bytes()))
            .unwrap_err()
            .to_string();
        assert!(message.ends_with("characters long."), "{message}");
        assert!(!message.ends_with(".."), "{message}");
    }

    #[test]
    fn not_utf8() {
        assert_eq!(
            decode(&raw(1, &[0x41, 0xff, 0xfe])),
            Err(ShareError::NotText)
        );
    }

    #[test]
    fn notation_errors_name_the_first() {
        let e = decode(&raw(1, "A: app @us\nB: app\nA → C\n".as_bytes())).unwrap_err();
        assert_eq!(
            e.to_string(),
            "This design link holds a design with an error: line 2, column 7: expected a region after the type, as in `US App: app @us`."
        );
    }

    #[test]
    fn script_names_stay_plain_text() {
        let mut t = sample();
        t.components[0].name = "<script>alert(1)</script>".into();
        t.connections[0].from = t.components[0].name.clone();
        let f = fragment(&t);
        assert!(!f.contains('<') && !f.contains('>'));
        assert_eq!(open(&f), Some(Ok(t)));
    }
}
