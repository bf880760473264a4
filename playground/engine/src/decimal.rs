//! Numbers written as text, exactly as Rust's own `{:.N}` and `{}` write
//! an `f64`, from a small exact expansion of our own. Why: the standard
//! library's float formatting (`core::num::flt2dec`, Grisu with a Dragon
//! fallback, both modes) is about 20 KB of the playground's wasm, and every
//! figure the reader sees passes through here. The native build uses the
//! same code, so prerendered pages and the playground write the same text;
//! tests compare both functions with `format!` over every kind of `f64`.
//!
//! Ties: `fixed` rounds the exact binary value half to even, as `{:.N}`
//! does (`fixed(0.125, 2)` is `0.12`); `shortest` gives the fewest
//! significant digits that read back as the same number, the closest of
//! them, ties rounding up (what `{}`'s Dragon4 does).

/// `x` with `digits` digits after the point: `format!("{x:.digits$}")`
/// (which accepts at most 65,535 digits; this takes any number).
pub fn fixed(x: f64, digits: usize) -> String {
    let Some((sign, mut e)) = finite(x) else {
        return special(x);
    };
    let mut out = std::mem::take(&mut e.int);
    let int_len = out.len();
    for _ in 0..digits {
        out.push(e.next_digit());
    }
    // What follows the last digit kept: above a half rounds up, a half
    // exactly rounds to the even digit.
    let next = e.next_digit();
    let last_odd = out.last().is_some_and(|d| d % 2 == 1);
    let up = next > 5 || (next == 5 && (!e.is_exact() || last_odd));
    let int_len = if up && increment(&mut out) {
        int_len + 1
    } else {
        int_len
    };
    let mut s = String::with_capacity(out.len() + 2);
    s.push_str(sign);
    push_digits(&mut s, &out[..int_len]);
    if digits > 0 {
        s.push('.');
        push_digits(&mut s, &out[int_len..]);
    }
    s
}

/// `x` in the fewest digits that read back as `x`: `format!("{x}")`
/// (plain notation, never an exponent: `1e21` is written in full).
pub fn shortest(x: f64) -> String {
    let Some((sign, mut e)) = finite(x) else {
        return special(x);
    };
    if x == 0.0 {
        return format!("{sign}0");
    }
    // The first 18 significant digits and the power of ten of the first.
    let mut sig: Vec<u8> = Vec::with_capacity(18);
    let mut exp: i32;
    if e.int != [0] {
        exp = e.int.len() as i32 - 1;
        sig.extend(e.int.iter().take(18));
    } else {
        exp = -1;
        let mut d = e.next_digit();
        while d == 0 {
            exp -= 1;
            d = e.next_digit();
        }
        sig.push(d);
    }
    while sig.len() < 18 {
        sig.push(e.next_digit());
    }
    let x = x.abs();
    let reads_back = |digits: &[u8], exp: i32| {
        let mut s = String::with_capacity(digits.len() + 8);
        push_digits(&mut s, &digits[..1]);
        if digits.len() > 1 {
            s.push('.');
            push_digits(&mut s, &digits[1..]);
        }
        s.push('e');
        s.push_str(&exp.to_string());
        s.parse::<f64>() == Ok(x)
    };
    for p in 1..=17 {
        let down = &sig[..p];
        let mut up = down.to_vec();
        let up_exp = if increment(&mut up) { exp + 1 } else { exp };
        // The nearer of the two (ties up) if it reads back, else the other.
        let (near, far) = if sig[p] >= 5 {
            ((&up[..], up_exp), (down, exp))
        } else {
            ((down, exp), (&up[..], up_exp))
        };
        for (digits, exp) in [near, far] {
            if reads_back(digits, exp) {
                return plain(sign, digits, exp);
            }
        }
    }
    // 17 significant digits always read back; not reached.
    plain(sign, &sig[..17], exp)
}

/// `NaN`, `inf` and `-inf`, as Rust writes them.
fn special(x: f64) -> String {
    if x.is_nan() {
        "NaN".into()
    } else if x < 0.0 {
        "-inf".into()
    } else {
        "inf".into()
    }
}

/// The sign Rust writes (`-` for every negative number, `-0.0` included)
/// and the exact expansion of |x|, for a finite `x`.
fn finite(x: f64) -> Option<(&'static str, Expansion)> {
    if !x.is_finite() {
        return None;
    }
    let sign = if x.is_sign_negative() { "-" } else { "" };
    Some((sign, Expansion::new(x.abs())))
}

/// `digits` (significant, the first worth 10^exp) in plain notation,
/// trailing zeros after the point dropped.
fn plain(sign: &str, digits: &[u8], exp: i32) -> String {
    let len = digits.iter().rposition(|&d| d != 0).map_or(1, |i| i + 1);
    let digits = &digits[..len];
    let mut s = String::from(sign);
    if exp < 0 {
        s.push_str("0.");
        for _ in 0..(-exp - 1) {
            s.push('0');
        }
        push_digits(&mut s, digits);
    } else {
        let int = exp as usize + 1;
        push_digits(&mut s, &digits[..int.min(len)]);
        for _ in len..int {
            s.push('0');
        }
        if len > int {
            s.push('.');
            push_digits(&mut s, &digits[int..]);
        }
    }
    s
}

fn push_digits(s: &mut String, digits: &[u8]) {
    s.extend(digits.iter().map(|&d| char::from(b'0' + d)));
}

/// Adds one to the last digit, carrying; `true` when a digit was added in
/// front (`99` became `100`).
fn increment(digits: &mut Vec<u8>) -> bool {
    for d in digits.iter_mut().rev() {
        if *d == 9 {
            *d = 0;
        } else {
            *d += 1;
            return false;
        }
    }
    digits.insert(0, 1);
    true
}

/// The exact decimal expansion of a non-negative finite `f64`: its integer
/// part's digits, then the fraction's digits one at a time. A double is
/// m·2^e with m < 2^53, so its fraction is F / 2^s (s = −e), and each digit
/// is the whole part of 10·F / 2^s.
struct Expansion {
    /// The integer part's digits, most significant first (`[0]` for zero).
    int: Vec<u8>,
    /// The fraction's numerator F, base 2^32 limbs, least significant
    /// first; its denominator is 2^`shift`.
    frac: Vec<u32>,
    shift: usize,
}

impl Expansion {
    fn new(x: f64) -> Expansion {
        let bits = x.to_bits();
        let biased = ((bits >> 52) & 0x7ff) as i32;
        let fraction = bits & ((1 << 52) - 1);
        let (m, e) = if biased == 0 {
            (fraction, -1074)
        } else {
            (fraction | (1 << 52), biased - 1075)
        };
        if e >= 0 {
            // An integer: m·2^e, written out by dividing by 10^9.
            let mut big = shifted(m, e as usize);
            let mut groups = Vec::new();
            while big.iter().any(|&l| l != 0) {
                groups.push(div_small(&mut big, 1_000_000_000));
            }
            let mut int = Vec::new();
            for (i, g) in groups.iter().rev().enumerate() {
                let text = g.to_string();
                let pad = if i == 0 { 0 } else { 9 - text.len() };
                int.extend(std::iter::repeat_n(0, pad));
                int.extend(text.bytes().map(|b| b - b'0'));
            }
            return Expansion {
                int,
                frac: Vec::new(),
                shift: 0,
            };
        }
        let shift = (-e) as usize;
        let (whole, part) = if shift < 64 {
            (m >> shift, m & ((1u64 << shift) - 1))
        } else {
            (0, m)
        };
        Expansion {
            int: whole.to_string().bytes().map(|b| b - b'0').collect(),
            frac: shifted(part, 0),
            shift,
        }
    }

    /// The next digit of the fraction (0 once it has ended).
    fn next_digit(&mut self) -> u8 {
        if self.shift == 0 {
            return 0;
        }
        let mut carry = 0u64;
        for limb in &mut self.frac {
            let v = u64::from(*limb) * 10 + carry;
            *limb = v as u32;
            carry = v >> 32;
        }
        if carry > 0 {
            self.frac.push(carry as u32);
        }
        // The digit is the bits at and above `shift`: at most 4 of them.
        let (word, bit) = (self.shift / 32, self.shift % 32);
        let mut digit = 0u64;
        for (i, limb) in self.frac.iter_mut().enumerate().skip(word) {
            let v = u64::from(*limb);
            if i == word {
                digit |= v >> bit;
                *limb = (v & ((1u64 << bit) - 1)) as u32;
            } else {
                digit |= v << (32 * (i - word) - bit);
                *limb = 0;
            }
        }
        digit as u8
    }

    /// Whether every digit after those taken is zero.
    fn is_exact(&self) -> bool {
        self.frac.iter().all(|&l| l == 0)
    }
}

/// m·2^shift in base 2^32 limbs, least significant first.
fn shifted(m: u64, shift: usize) -> Vec<u32> {
    let mut limbs = vec![0u32; shift / 32];
    let wide = u128::from(m) << (shift % 32);
    limbs.extend([wide as u32, (wide >> 32) as u32, (wide >> 64) as u32]);
    limbs
}

/// Divides in place; the remainder.
fn div_small(big: &mut [u32], d: u32) -> u32 {
    let mut rem = 0u64;
    for limb in big.iter_mut().rev() {
        let v = (rem << 32) | u64::from(*limb);
        *limb = (v / u64::from(d)) as u32;
        rem = v % u64::from(d);
    }
    rem as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Values where text and binary meet awkwardly: ties, powers, the
    /// edges of the range.
    const EDGES: &[f64] = &[
        0.0,
        -0.0,
        0.5,
        1.5,
        2.5,
        -2.5,
        0.125,
        0.375,
        1.0,
        9.5,
        99.5,
        0.05,
        0.15,
        0.25,
        0.35,
        1e-7,
        1e15,
        1e16,
        1e17,
        1e21,
        1e22,
        1e23,
        123456789012345680.0,
        0.1,
        0.2,
        0.3,
        2.0 / 3.0,
        1e23f64.next_down(),
        f64::MAX,
        f64::MIN,
        f64::MIN_POSITIVE,
        5e-324,
        -5e-324,
        f64::EPSILON,
        4503599627370496.5,
        9007199254740993.0,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
    ];

    #[test]
    fn edges_are_written_as_rust_writes_them() {
        for &x in EDGES {
            assert_eq!(shortest(x), format!("{x}"), "{{}} of {x:e}");
            for digits in 0..=20 {
                assert_eq!(
                    fixed(x, digits),
                    format!("{x:.digits$}"),
                    "{x:e} to {digits}"
                );
            }
        }
        for k in 0..=2000 {
            // Near-ties in decimal (k + ½ thousandths is not exact in binary).
            let x = k as f64 / 1000.0 + 0.0005;
            for digits in 0..=4 {
                assert_eq!(fixed(x, digits), format!("{x:.digits$}"), "{x} to {digits}");
            }
            assert_eq!(shortest(x), format!("{x}"));
        }
        for k in 1..=400u32 {
            // Exact ties: k / 2^j has j decimals, the last a 5 when k is odd.
            for j in 1..=24usize {
                let x = f64::from(k) / f64::from(1u32 << j);
                for digits in j.saturating_sub(2)..=j + 1 {
                    assert_eq!(fixed(x, digits), format!("{x:.digits$}"), "{k}/2^{j}");
                }
            }
        }
        for p in -1074..=1023 {
            // Subnormal powers of two are built from their bits (powi gives 0).
            let x = if p < -1022 {
                f64::from_bits(1 << (p + 1074))
            } else {
                2f64.powi(p)
            };
            assert_eq!(shortest(x), format!("{x}"), "2^{p}");
            assert_eq!(
                shortest(x.next_down()),
                format!("{}", x.next_down()),
                "2^{p}-"
            );
            assert_eq!(fixed(x, 3), format!("{x:.3}"), "2^{p}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(20_000))]

        #[test]
        fn any_double_is_written_as_rust_writes_it(bits in any::<u64>(), digits in 0usize..12) {
            let x = f64::from_bits(bits);
            prop_assert_eq!(shortest(x), format!("{x}"));
            prop_assert_eq!(fixed(x, digits), format!("{x:.digits$}"));
        }

        #[test]
        fn figures_of_everyday_size_are_written_as_rust_writes_them(
            mantissa in -10_000_000i64..10_000_000,
            scale in -9i32..9,
            digits in 0usize..8,
        ) {
            let x = mantissa as f64 * 10f64.powi(scale);
            prop_assert_eq!(shortest(x), format!("{x}"));
            prop_assert_eq!(fixed(x, digits), format!("{x:.digits$}"));
            let y = x / 7.0;
            prop_assert_eq!(shortest(y), format!("{y}"));
            prop_assert_eq!(fixed(y, digits), format!("{y:.digits$}"));
        }
    }
}
