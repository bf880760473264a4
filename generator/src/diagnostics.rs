//! Located errors: every problem with an input names its file, line and column.

use std::fmt;
use std::path::Path;

use serde::Serialize;

/// An error in an input file, 1-based line and column (0 when unknown).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocatedError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl LocatedError {
    pub fn new(
        file: impl Into<String>,
        line: usize,
        column: usize,
        message: impl Into<String>,
    ) -> Self {
        LocatedError {
            file: file.into(),
            line,
            column,
            message: message.into(),
        }
    }

    /// An error about a whole file (unreadable, missing).
    pub fn whole_file(file: impl Into<String>, message: impl Into<String>) -> Self {
        LocatedError::new(file, 0, 0, message)
    }
}

impl fmt::Display for LocatedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            )
        }
    }
}

/// Many located errors at once: validation reports everything it finds.
#[derive(Debug, Clone, Default)]
pub struct Errors(pub Vec<LocatedError>);

impl fmt::Display for Errors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for e in &self.0 {
            writeln!(f, "error: {e}")?;
        }
        let n = self.0.len();
        write!(f, "{n} error{}", if n == 1 { "" } else { "s" })
    }
}

impl std::error::Error for Errors {}

/// 1-based (line, column) of a byte offset; columns count characters.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// A path shown relative to `base` when possible, with forward slashes.
pub fn display_path(path: &Path, base: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one() {
        let t = "ab\ncdé\nf";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        assert_eq!(line_col(t, t.find('f').unwrap()), (3, 1));
        assert_eq!(line_col(t, t.find('é').unwrap() + 2), (2, 4));
    }
}
