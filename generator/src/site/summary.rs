//! `SUMMARY.md` in mdBook's format: the chapters and their order.
//!
//! ```text
//! # Summary
//! [Introduction](introduction.md)      prefix chapter (unnumbered)
//! - [Fundamentals](fundamentals.md)    numbered chapter
//!   - [Latency](latency.md)            nested by indentation
//! ---                                  separator
//! # Part title                         part heading
//! - [Draft]()                          draft: listed, no page
//! [Glossary](glossary.md)              suffix chapter (after the numbered ones)
//! ```

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for SummaryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for SummaryError {}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub title: Option<String>,
    pub prefix: Vec<Chapter>,
    pub numbered: Vec<Entry>,
    pub suffix: Vec<Chapter>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Chapter(Chapter),
    Separator,
    Part(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chapter {
    pub title: String,
    /// Source path relative to the content folder; `None` for a draft.
    pub path: Option<String>,
    /// `[1, 2]` for chapter 1.2; empty for prefix and suffix chapters.
    pub number: Vec<u32>,
    pub children: Vec<Chapter>,
    /// 1-based line in SUMMARY.md, for errors about the chapter's file.
    pub line: usize,
}

impl Chapter {
    /// `"1.2."` as mdBook prints it; empty when unnumbered.
    pub fn number_label(&self) -> String {
        self.number.iter().map(|n| format!("{n}.")).collect()
    }
}

impl Summary {
    /// Every chapter in reading order (prefix, numbered depth-first, suffix).
    pub fn chapters(&self) -> Vec<&Chapter> {
        fn walk<'a>(c: &'a Chapter, out: &mut Vec<&'a Chapter>) {
            out.push(c);
            for child in &c.children {
                walk(child, out);
            }
        }
        let mut out = Vec::new();
        out.extend(self.prefix.iter());
        for e in &self.numbered {
            if let Entry::Chapter(c) = e {
                walk(c, &mut out);
            }
        }
        out.extend(self.suffix.iter());
        out
    }
}

#[derive(PartialEq)]
enum Stage {
    Prefix,
    Numbered,
    Suffix,
}

pub fn parse_summary(text: &str) -> Result<Summary, SummaryError> {
    let mut summary = Summary::default();
    let mut stage = Stage::Prefix;
    // Indentation of each open nesting level of the current numbered chapter.
    let mut indents: Vec<usize> = Vec::new();
    let mut in_comment = false;

    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let err = |message: String| SummaryError {
            line: line_no,
            message,
        };
        // HTML comments are allowed (mdBook ignores them); only whole-line ones.
        if in_comment {
            if raw.contains("-->") {
                in_comment = false;
            }
            continue;
        }
        let trimmed = raw.trim();
        if trimmed.starts_with("<!--") {
            in_comment = !trimmed.contains("-->");
            continue;
        }
        if trimmed.is_empty() {
            continue;
        }
        if let Some(heading) = trimmed.strip_prefix('#') {
            let heading = heading.trim_start_matches('#').trim().to_string();
            if summary.title.is_none() && summary.prefix.is_empty() && summary.numbered.is_empty() {
                summary.title = Some(heading);
            } else if stage == Stage::Suffix {
                return Err(err(
                    "a part heading after the suffix chapters; move it before them".into(),
                ));
            } else {
                stage = Stage::Numbered;
                indents.clear();
                summary.numbered.push(Entry::Part(heading));
            }
            continue;
        }
        if trimmed.len() >= 3 && trimmed.chars().all(|c| c == '-') {
            if stage == Stage::Suffix {
                return Err(err("a separator after the suffix chapters".into()));
            }
            indents.clear();
            summary.numbered.push(Entry::Separator);
            continue;
        }
        let indent = raw.len() - raw.trim_start().len();
        if let Some(item) = trimmed
            .strip_prefix("- ")
            .or_else(|| trimmed.strip_prefix("* "))
        {
            if stage == Stage::Suffix {
                return Err(err(
                    "a numbered chapter after the suffix chapters; suffix chapters must come last"
                        .into(),
                ));
            }
            stage = Stage::Numbered;
            let (title, path) = parse_link(item.trim()).map_err(err)?;
            let chapter = Chapter {
                title,
                path,
                number: Vec::new(),
                children: Vec::new(),
                line: line_no,
            };
            push_numbered(&mut summary.numbered, &mut indents, indent, chapter).map_err(err)?;
            continue;
        }
        if indent > 0 {
            return Err(err(format!(
                "expected `- [Title](file.md)` for an indented entry, found `{trimmed}`"
            )));
        }
        let (title, path) = parse_link(trimmed).map_err(err)?;
        let chapter = Chapter {
            title,
            path,
            number: Vec::new(),
            children: Vec::new(),
            line: line_no,
        };
        match stage {
            Stage::Prefix => summary.prefix.push(chapter),
            Stage::Numbered | Stage::Suffix => {
                stage = Stage::Suffix;
                summary.suffix.push(chapter);
            }
        }
    }
    number_chapters(&mut summary.numbered);
    Ok(summary)
}

/// Places a numbered chapter at the depth its indentation gives.
fn push_numbered(
    entries: &mut Vec<Entry>,
    indents: &mut Vec<usize>,
    indent: usize,
    chapter: Chapter,
) -> Result<(), String> {
    while indents.last().is_some_and(|&top| indent < top) {
        indents.pop();
    }
    let depth = match indents.last() {
        Some(&top) if indent == top => indents.len() - 1,
        Some(&top) if indent > top => {
            indents.push(indent);
            indents.len() - 1
        }
        Some(_) => return Err("indentation does not match any enclosing list level".into()),
        None => {
            if indent != 0 && !matches!(entries.last(), Some(Entry::Chapter(_))) {
                return Err("a nested chapter with no parent chapter above it".into());
            }
            indents.push(indent);
            0
        }
    };
    if depth == 0 {
        entries.push(Entry::Chapter(chapter));
        return Ok(());
    }
    let Some(Entry::Chapter(parent)) = entries.last_mut() else {
        return Err("a nested chapter with no parent chapter above it".into());
    };
    let mut parent = parent;
    for _ in 1..depth {
        parent = parent.children.last_mut().ok_or_else(|| {
            "a chapter nested two levels deeper than the one above it".to_string()
        })?;
    }
    parent.children.push(chapter);
    Ok(())
}

fn number_chapters(entries: &mut [Entry]) {
    fn assign(c: &mut Chapter, number: Vec<u32>) {
        for (i, child) in c.children.iter_mut().enumerate() {
            let mut n = number.clone();
            n.push(i as u32 + 1);
            assign(child, n);
        }
        c.number = number;
    }
    let mut n = 0;
    for e in entries {
        if let Entry::Chapter(c) = e {
            n += 1;
            assign(c, vec![n]);
        }
    }
}

/// `[Title](path.md)` → (title, Some(path)); `[Title]()` → a draft.
fn parse_link(s: &str) -> Result<(String, Option<String>), String> {
    let expected = || format!("expected a link `[Title](file.md)`, found `{s}`");
    let rest = s.strip_prefix('[').ok_or_else(expected)?;
    let close = rest.rfind("](").ok_or_else(expected)?;
    let title = rest[..close].trim();
    let target = rest[close + 2..]
        .strip_suffix(')')
        .ok_or_else(expected)?
        .trim();
    if title.is_empty() {
        return Err(format!("a chapter link with an empty title: `{s}`"));
    }
    if target.is_empty() {
        return Ok((title.to_string(), None));
    }
    if !target.ends_with(".md") {
        return Err(format!(
            "a chapter must be a Markdown file ending in `.md`, found `{target}`"
        ));
    }
    if target.starts_with('/') || target.split('/').any(|p| p == "..") || target.contains('\\') {
        return Err(format!(
            "a chapter path must stay inside the content folder, found `{target}`"
        ));
    }
    Ok((title.to_string(), Some(target.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# Summary\n\n[Introduction](introduction.md)\n\n- [How to use](how-to-use.md)\n- [Fundamentals](fundamentals.md)\n  - [Latency](latency.md)\n  - [Routing](routing.md)\n- [Glossary](glossary.md)\n";

    #[test]
    fn parses_prefix_and_nested_numbered() {
        let s = parse_summary(SAMPLE).unwrap();
        assert_eq!(s.title.as_deref(), Some("Summary"));
        assert_eq!(s.prefix.len(), 1);
        assert_eq!(s.prefix[0].path.as_deref(), Some("introduction.md"));
        assert!(s.prefix[0].number.is_empty());
        let Entry::Chapter(fund) = &s.numbered[1] else {
            panic!()
        };
        assert_eq!(fund.number_label(), "2.");
        assert_eq!(fund.children.len(), 2);
        assert_eq!(fund.children[1].number_label(), "2.2.");
        assert_eq!(fund.children[1].line, 8);
        let order: Vec<_> = s.chapters().iter().map(|c| c.title.clone()).collect();
        assert_eq!(
            order,
            [
                "Introduction",
                "How to use",
                "Fundamentals",
                "Latency",
                "Routing",
                "Glossary"
            ]
        );
    }

    #[test]
    fn suffix_parts_separators_and_drafts() {
        let s = parse_summary("- [A](a.md)\n---\n# Part two\n- [B]()\n\n[End](end.md)\n").unwrap();
        assert_eq!(s.title, None);
        assert!(matches!(s.numbered[1], Entry::Separator));
        assert_eq!(s.numbered[2], Entry::Part("Part two".into()));
        let Entry::Chapter(b) = &s.numbered[3] else {
            panic!()
        };
        assert_eq!((b.path.as_ref(), b.number.as_slice()), (None, &[2][..]));
        assert_eq!(s.suffix[0].title, "End");
    }

    #[test]
    fn bad_line_is_reported_with_its_number() {
        let e = parse_summary("# Summary\n\n- [A](a.md)\n- just text\n").unwrap_err();
        assert_eq!(e.line, 4);
        assert!(e.message.contains("expected a link"), "{e}");
    }

    #[test]
    fn numbered_after_suffix_is_an_error() {
        let e = parse_summary("- [A](a.md)\n[B](b.md)\n- [C](c.md)\n").unwrap_err();
        assert_eq!(e.line, 3);
    }

    #[test]
    fn non_markdown_and_escaping_paths_are_errors() {
        assert_eq!(parse_summary("- [A](a.html)\n").unwrap_err().line, 1);
        assert!(
            parse_summary("- [A](../a.md)\n")
                .unwrap_err()
                .message
                .contains("inside")
        );
    }

    #[test]
    fn orphan_nested_chapter_is_an_error() {
        let e = parse_summary("# Summary\n  - [A](a.md)\n").unwrap_err();
        assert_eq!(e.line, 2);
    }

    #[test]
    fn comments_are_ignored() {
        let s = parse_summary("<!-- a\nb -->\n- [A](a.md)\n").unwrap();
        assert_eq!(s.chapters().len(), 1);
    }
}
