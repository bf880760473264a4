//! How numbers are written for readers. One implementation, shared by the
//! generator's pages and the playground, so both show identical strings.

/// A target's measured value in its unit, as readers expect to see it.
pub fn format_value(v: f64, unit: &str) -> String {
    match unit {
        "fraction" => format!("{:.4}%", v * 100.0),
        "USD/month" => format!("${}/month", round(v)),
        "rps" => format!("{} requests/s", round(v)),
        other => format!("{} {other}", round(v)),
    }
}

/// Three significant figures, with thousands separators for large numbers.
pub fn round(v: f64) -> String {
    if !v.is_finite() {
        return "∞".to_string();
    }
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
        format!("{v:.0}")
    } else if v.abs() >= 10.0 {
        trim_zeros(format!("{v:.1}"))
    } else {
        trim_zeros(format!("{v:.2}"))
    }
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
        format!("{secs:.0} s")
    } else if secs < 2.0 * 3600.0 {
        format!("{:.0} min", secs / 60.0)
    } else if secs < 2.0 * 86400.0 {
        format!("{:.1} h", secs / 3600.0)
    } else {
        format!("{:.1} days", secs / 86400.0)
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
