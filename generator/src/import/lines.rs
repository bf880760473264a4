//! A cursor over the seed's lines, so every parse error can name its line.

use crate::diagnostics::LocatedError;

#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    /// 1-based.
    pub number: usize,
    pub text: &'a str,
}

impl<'a> Line<'a> {
    pub fn trimmed(&self) -> &'a str {
        self.text.trim()
    }

    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }

    /// Leading spaces: nesting depth in the seed's lists.
    pub fn indent(&self) -> usize {
        self.text.len() - self.text.trim_start().len()
    }
}

/// Splits text into numbered lines (CRLF tolerated).
pub fn numbered(text: &str) -> Vec<Line<'_>> {
    text.lines()
        .enumerate()
        .map(|(i, t)| Line {
            number: i + 1,
            text: t.strip_suffix('\r').unwrap_or(t),
        })
        .collect()
}

/// Builds located errors for one input file.
#[derive(Clone)]
pub struct Reporter {
    pub file: String,
}

impl Reporter {
    pub fn at(&self, line: &Line<'_>, message: impl Into<String>) -> LocatedError {
        let column = line.indent() + 1;
        LocatedError::new(self.file.clone(), line.number, column, message)
    }

    pub fn at_line(&self, number: usize, message: impl Into<String>) -> LocatedError {
        LocatedError::new(self.file.clone(), number, 1, message)
    }
}

/// `**Label:** value` → (Label, value).
pub fn bold_field(s: &str) -> Option<(&str, &str)> {
    let rest = s.strip_prefix("**")?;
    let (label, value) = rest.split_once(":**")?;
    Some((label.trim(), value.trim()))
}

/// `- item` → item.
pub fn bullet(s: &str) -> Option<&str> {
    s.trim_start()
        .strip_prefix("- ")
        .map(str::trim)
        .or_else(|| {
            let t = s.trim();
            (t == "-").then_some("")
        })
}

/// `12. item` → (12, item).
pub fn numbered_item(s: &str) -> Option<(u32, &str)> {
    let t = s.trim_start();
    let (n, rest) = t.split_once(". ")?;
    let n: u32 = n.parse().ok()?;
    Some((n, rest.trim()))
}

/// Joins paragraphs, keeping blank lines between them and dropping blank edges.
pub fn paragraph_text(lines: &[Line<'_>]) -> String {
    let mut out: Vec<&str> = Vec::new();
    for l in lines {
        out.push(l.text.trim_end());
    }
    while out.first().is_some_and(|l| l.trim().is_empty()) {
        out.remove(0);
    }
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_bullets() {
        assert_eq!(bold_field("**ID:** basic"), Some(("ID", "basic")));
        assert_eq!(
            bold_field("**Latency:** P95 < 100ms"),
            Some(("Latency", "P95 < 100ms"))
        );
        assert_eq!(bold_field("plain"), None);
        assert_eq!(
            bullet("  - Minimum 2 of type: app"),
            Some("Minimum 2 of type: app")
        );
        assert_eq!(
            numbered_item("2. Async replication"),
            Some((2, "Async replication"))
        );
        assert_eq!(numbered_item("2.5 no"), None);
    }
}
