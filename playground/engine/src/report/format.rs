//! How numbers are written for readers. One implementation, shared by the
//! generator's pages and the playground, so both show identical strings.

use crate::decimal::fixed;

/// A target's measured value in its unit, as readers expect to see it.
pub fn format_value(v: f64, unit: &str) -> String {
    match unit {
        "fraction" => format!("{}%", fixed(v * 100.0, 4)),
        "USD/month" => format!("${}/month", round(v)),
        "rps" => format!("{} requests/s", round(v)),
        other => format!("{} {other}", round(v)),
    }
}

/// Three significant figures, with thousands separators for large numbers.
/// Never "-0": a value that rounds to zero reads "0".
pub fn round(v: f64) -> String {
    if !v.is_finite() {
        return "∞".to_string();
    }
    let s = round_signed(v);
    if s.trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        "0".to_string()
    } else {
        s
    }
}

fn round_signed(v: f64) -> String {
    if v.abs() >= 1000.0 {
        let n = v.round() as i64;
        let digits = n.abs().to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        if n < 0 { format!("-{out}") } else { out }
    } else if v.abs() >= 100.0 {
        fixed(v, 0)
    } else if v.abs() >= 10.0 {
        trim_zeros(fixed(v, 1))
    } else {
        trim_zeros(fixed(v, 2))
    }
}

/// Dollars to the cent with thousands separators ("$22,286.69"); never
/// "$-0.00".
pub fn dollars(v: f64) -> String {
    if !v.is_finite() {
        return "$∞".to_string();
    }
    let cents = (v * 100.0).round() as i64;
    let (sign, cents) = if cents < 0 {
        ("-", -cents)
    } else {
        ("", cents)
    };
    let whole = (cents / 100).to_string();
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}${out}.{:02}", cents % 100)
}

/// "10.0" → "10", "0.50" → "0.5".
fn trim_zeros(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Seconds as a short human duration.
pub fn duration(secs: f64) -> String {
    if !secs.is_finite() {
        "unbounded".to_string()
    } else if secs < 120.0 {
        format!("{} s", fixed(secs, 0))
    } else if secs < 2.0 * 3600.0 {
        format!("{} min", fixed(secs / 60.0, 0))
    } else if secs < 2.0 * 86400.0 {
        format!("{} h", fixed(secs / 3600.0, 1))
    } else {
        format!("{} days", fixed(secs / 86400.0, 1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_and_durations() {
        assert_eq!(round(1234567.4), "1,234,567");
        assert_eq!(round(12.345), "12.3");
        assert_eq!(round(0.1234), "0.12");
        assert_eq!(round(10.0), "10");
        assert_eq!(round(0.5), "0.5");
        assert_eq!(duration(30.0), "30 s");
        assert_eq!(duration(26_298.0), "7.3 h");
    }
}

#[cfg(test)]
mod money_tests {
    use super::*;

    #[test]
    fn zero_never_reads_negative() {
        assert_eq!(round(-0.0), "0");
        assert_eq!(round(-0.001), "0");
        assert_eq!(round(-12.34), "-12.3");
        assert_eq!(dollars(-0.0), "$0.00");
        assert_eq!(dollars(-0.001), "$0.00");
    }

    #[test]
    fn dollars_have_thousands_separators() {
        assert_eq!(dollars(22286.694), "$22,286.69");
        assert_eq!(dollars(1_000_000.0), "$1,000,000.00");
        assert_eq!(dollars(0.5), "$0.50");
        assert_eq!(dollars(-1234.5), "-$1,234.50");
    }
}
