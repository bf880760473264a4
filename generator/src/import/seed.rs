//! Parser for the source platform's problem markdown.
//!
//! The format (one `## N. Title` block per problem, `### Section` headings,
//! bold `**Field:**` lines, bullet lists) is shared by every category of that
//! platform, so this parser knows the format, not these 35 problems. Anything
//! it does not recognise is an error naming the input line: silently dropping
//! text would break the promise that importing is lossless.

use indexmap::IndexMap;
use meridian_engine::Catalog;
use meridian_engine::spec::{
    Analysis, Component, Connection, Constant, CostAnalysis, Difficulty, LabelledText,
    NonFunctional, Phase, Problem, Reference, Rule, Tier, TradeOff,
};
use meridian_engine::vec_map::VecMap;

use super::lines::{Line, Reporter, bold_field, bullet, numbered, numbered_item, paragraph_text};
use crate::diagnostics::LocatedError;

/// A problem as parsed, before regions are inferred.
pub struct ParsedSeed {
    pub problems: Vec<Problem>,
    /// Non-fatal findings: rules kept verbatim as "not checked automatically".
    pub warnings: Vec<LocatedError>,
}

/// Parses a whole seed document. Reports every error found, not just the first.
pub fn parse_seed(
    text: &str,
    file: &str,
    catalog: &Catalog,
) -> Result<ParsedSeed, Vec<LocatedError>> {
    let lines = numbered(text);
    let rep = Reporter {
        file: file.to_string(),
    };
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut problems = Vec::new();

    let starts: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.text.starts_with("## "))
        .map(|(i, _)| i)
        .collect();
    check_preamble(
        &lines[..starts.first().copied().unwrap_or(lines.len())],
        starts.len(),
        &rep,
        &mut errors,
    );
    if starts.is_empty() {
        errors.push(rep.at_line(1, "expected at least one problem heading `## N. Title`"));
    }
    for (k, &start) in starts.iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(lines.len());
        let mut ctx = Ctx {
            rep: &rep,
            catalog,
            errors: Vec::new(),
            warnings: Vec::new(),
        };
        let problem = ctx.problem(&lines[start..end]);
        errors.append(&mut ctx.errors);
        warnings.append(&mut ctx.warnings);
        if let Some(p) = problem {
            problems.push(p);
        }
    }
    if errors.is_empty() {
        Ok(ParsedSeed { problems, warnings })
    } else {
        Err(errors)
    }
}

/// The document title, an optional `Total Problems: N` (checked) and `---` rules.
fn check_preamble(
    lines: &[Line<'_>],
    found: usize,
    rep: &Reporter,
    errors: &mut Vec<LocatedError>,
) {
    for l in lines {
        let t = l.trimmed();
        if t.is_empty() || t == "---" || (t.starts_with("# ") && !t.starts_with("## ")) {
            continue;
        }
        if let Some(n) = t.strip_prefix("Total Problems:") {
            match n.trim().parse::<usize>() {
                Ok(n) if n == found => {}
                Ok(n) => errors.push(rep.at(l, format!("the seed says it has {n} problems, but {found} `## N. Title` headings follow"))),
                Err(_) => errors.push(rep.at(l, "expected `Total Problems: <number>`")),
            }
            continue;
        }
        errors.push(rep.at(
            l,
            format!("unexpected text before the first problem: `{t}`"),
        ));
    }
}

struct Ctx<'r> {
    rep: &'r Reporter,
    catalog: &'r Catalog,
    errors: Vec<LocatedError>,
    warnings: Vec<LocatedError>,
}

/// A `### Heading` and the lines under it.
struct Section<'a> {
    heading: Line<'a>,
    body: Vec<Line<'a>>,
}

impl Ctx<'_> {
    fn err(&mut self, line: &Line<'_>, msg: impl Into<String>) {
        self.errors.push(self.rep.at(line, msg));
    }

    fn problem(&mut self, lines: &[Line<'_>]) -> Option<Problem> {
        let head = lines[0];
        let Some((number, title)) = head.text.strip_prefix("## ").and_then(numbered_item_loose)
        else {
            self.err(&head, "expected a problem heading `## N. Title`");
            return None;
        };

        // Header fields up to the first `###`, then sections.
        let first_section = lines
            .iter()
            .position(|l| l.text.starts_with("### "))
            .unwrap_or(lines.len());
        let mut fields: IndexMap<&str, (Line<'_>, &str)> = IndexMap::new();
        for l in &lines[1..first_section] {
            let t = l.trimmed();
            if t.is_empty() || t == "---" {
                continue;
            }
            match bold_field(t) {
                Some((k, v)) if matches!(k, "ID" | "Category" | "Difficulty") => {
                    if fields.insert(k, (*l, v)).is_some() {
                        self.err(l, format!("`{k}` is given twice"));
                    }
                }
                Some((k, _)) => self.err(
                    l,
                    format!("unknown field `{k}`; expected ID, Category or Difficulty"),
                ),
                None => self.err(
                    l,
                    format!("expected a `**Field:** value` line, found `{t}`"),
                ),
            }
        }
        let mut field = |name: &str| -> Option<(Line<'_>, String)> {
            match fields.get(name) {
                Some((l, v)) if !v.is_empty() => Some((*l, v.to_string())),
                Some((l, _)) => {
                    self.errors
                        .push(self.rep.at(l, format!("`{name}` is empty")));
                    None
                }
                None => {
                    self.errors.push(
                        self.rep
                            .at(&head, format!("problem {number} has no `**{name}:**` line")),
                    );
                    None
                }
            }
        };
        let id = field("ID");
        let category = field("Category");
        let difficulty_field = field("Difficulty");
        let difficulty = difficulty_field.and_then(|(l, v)| {
            let d = Difficulty::from_label(&v);
            if d.is_none() {
                self.err(&l, format!("unknown difficulty `{v}`; expected Easy, Foundation, Intermediate or Advanced"));
            }
            d
        });

        let sections = self.sections(&lines[first_section..]);
        let mut summary = None;
        let mut goal = None;
        let mut description = None;
        let mut functional = None;
        let mut non_functional = None;
        let mut constants = VecMap::new();
        let mut available = None;
        let mut hints = Vec::new();
        let mut tiers = None;
        let mut reference = None;
        let mut analysis = None;
        let mut seen: Vec<&str> = Vec::new();
        for s in &sections {
            let name = s.heading.text.trim_start_matches('#').trim();
            if seen.contains(&name) {
                self.err(
                    &s.heading,
                    format!("section `{name}` appears twice in this problem"),
                );
                continue;
            }
            seen.push(name);
            match name {
                "Summary" => summary = Some(self.text(s)),
                "Goal" => goal = Some(self.text(s)),
                "Description" => description = Some(self.text(s)),
                "Functional Requirements" => functional = Some(self.bullets(s)),
                "Non-Functional Requirements" => non_functional = Some(self.non_functional(s)),
                "Constants/Assumptions" | "Constants" | "Assumptions" => constants = self.constants(s),
                "Available Components" => available = Some(self.available(s)),
                "Hints" => hints = self.hints(s),
                "Tiers/Checkpoints" | "Tiers" | "Checkpoints" => tiers = Some(self.tiers(s)),
                "Reference Solution" => reference = self.reference(s),
                "Solution Analysis" => analysis = Some(self.analysis(s)),
                other => self.err(
                    &s.heading,
                    format!(
                        "unknown section `{other}`; expected one of: Summary, Goal, Description, Functional Requirements, \
                         Non-Functional Requirements, Constants/Assumptions, Available Components, Hints, \
                         Tiers/Checkpoints, Reference Solution, Solution Analysis"
                    ),
                ),
            }
        }
        let mut require = |name: &str, present: bool| {
            if !present {
                self.errors.push(self.rep.at(
                    &head,
                    format!("problem {number} has no `### {name}` section"),
                ));
            }
        };
        require("Summary", summary.is_some());
        require("Goal", goal.is_some());
        require("Description", description.is_some());
        require("Functional Requirements", functional.is_some());
        require("Non-Functional Requirements", non_functional.is_some());
        require("Available Components", available.is_some());
        require("Tiers/Checkpoints", tiers.is_some());
        require("Reference Solution", seen.contains(&"Reference Solution"));

        Some(Problem {
            id: id?.1,
            number,
            title: title.to_string(),
            category: category?.1,
            difficulty: difficulty?,
            summary: summary?,
            goal: goal?,
            description: description?,
            functional_requirements: functional?,
            non_functional_requirements: non_functional?,
            constants,
            available_components: available?,
            hints,
            tiers: tiers?,
            workload: None,
            targets: Default::default(),
            reference: reference?,
            analysis,
        })
    }

    fn sections<'a>(&mut self, lines: &[Line<'a>]) -> Vec<Section<'a>> {
        let mut out: Vec<Section<'a>> = Vec::new();
        for l in lines {
            if l.text.starts_with("### ") {
                out.push(Section {
                    heading: *l,
                    body: Vec::new(),
                });
            } else if let Some(s) = out.last_mut() {
                s.body.push(*l);
            }
        }
        // A closing `---` belongs to the problem, not to the last section's text.
        if let Some(s) = out.last_mut() {
            while s
                .body
                .last()
                .is_some_and(|l| l.is_blank() || l.trimmed() == "---")
            {
                s.body.pop();
            }
        }
        out
    }

    fn text(&mut self, s: &Section<'_>) -> String {
        let t = paragraph_text(&s.body);
        if t.is_empty() {
            self.err(&s.heading, "expected text under this heading");
        }
        t
    }

    fn bullets(&mut self, s: &Section<'_>) -> Vec<String> {
        let mut out = Vec::new();
        for l in s.body.iter().filter(|l| !l.is_blank()) {
            match bullet(l.text) {
                Some(item) if l.indent() == 0 => out.push(item.to_string()),
                _ => self.err(
                    l,
                    format!("expected a list item `- …`, found `{}`", l.trimmed()),
                ),
            }
        }
        out
    }

    fn labelled_bullets<'a>(&mut self, s: &Section<'a>) -> Vec<(Line<'a>, String, String)> {
        let mut out = Vec::new();
        for l in s.body.iter().filter(|l| !l.is_blank()) {
            match bullet(l.text).and_then(bold_field) {
                Some((k, v)) if l.indent() == 0 => out.push((*l, k.to_string(), v.to_string())),
                _ => self.err(
                    l,
                    format!("expected `- **Label:** value`, found `{}`", l.trimmed()),
                ),
            }
        }
        out
    }

    fn non_functional(&mut self, s: &Section<'_>) -> NonFunctional {
        let mut nf = NonFunctional::default();
        for (l, label, text) in self.labelled_bullets(s) {
            let slot = match label.as_str() {
                "Latency" => &mut nf.latency,
                "Request Rate" => &mut nf.request_rate,
                "Dataset Size" => &mut nf.dataset_size,
                "Availability" => &mut nf.availability,
                "Consistency" => &mut nf.consistency,
                "Durability" => &mut nf.durability,
                _ => {
                    nf.other.push(LabelledText { label, text });
                    continue;
                }
            };
            if slot.is_some() {
                self.err(&l, format!("`{label}` is given twice"));
            }
            *slot = Some(text);
        }
        nf
    }

    fn constants(&mut self, s: &Section<'_>) -> VecMap<String, Constant> {
        let mut out = VecMap::new();
        for (l, name, value) in self.labelled_bullets(s) {
            if out.insert(name.clone(), Constant::parse(&value)).is_some() {
                self.err(&l, format!("constant `{name}` is given twice"));
            }
        }
        out
    }

    /// A component type as the seed names it, resolved through catalog aliases.
    fn component_type(&mut self, l: &Line<'_>, name: &str) -> Option<String> {
        match self.catalog.resolve(name) {
            Some(t) => Some(t.to_string()),
            None => {
                self.err(
                    l,
                    format!(
                        "unknown component type `{name}`; known types: {} (add it to problems/catalog.yaml)",
                        self.catalog.known_list()
                    ),
                );
                None
            }
        }
    }

    fn available(&mut self, s: &Section<'_>) -> Vec<String> {
        let mut out = Vec::new();
        for l in s.body.iter().filter(|l| !l.is_blank()) {
            match bullet(l.text) {
                Some(t) if l.indent() == 0 && !t.is_empty() => {
                    if let Some(t) = self.component_type(l, t)
                        && !out.contains(&t)
                    {
                        out.push(t);
                    }
                }
                _ => self.err(
                    l,
                    format!(
                        "expected a component type `- type`, found `{}`",
                        l.trimmed()
                    ),
                ),
            }
        }
        out
    }

    fn hints(&mut self, s: &Section<'_>) -> Vec<String> {
        let mut out = Vec::new();
        for l in s.body.iter().filter(|l| !l.is_blank()) {
            match numbered_item(l.text) {
                Some((_, h)) if l.indent() == 0 => out.push(h.to_string()),
                _ => self.err(
                    l,
                    format!("expected a numbered hint `1. …`, found `{}`", l.trimmed()),
                ),
            }
        }
        out
    }

    fn tiers(&mut self, s: &Section<'_>) -> Vec<Tier> {
        let mut out: Vec<Tier> = Vec::new();
        for l in s.body.iter().filter(|l| !l.is_blank()) {
            let t = l.trimmed();
            if let Some(inner) = t.strip_prefix("**").and_then(|x| x.strip_suffix("**")) {
                match inner.split_once(':') {
                    Some((id, title)) if !id.trim().is_empty() && !id.contains(' ') => {
                        out.push(Tier {
                            id: id.trim().to_string(),
                            title: title.trim().to_string(),
                            rules: Vec::new(),
                        })
                    }
                    _ => self.err(
                        l,
                        format!("expected a tier heading `**T0: Title**`, found `{t}`"),
                    ),
                }
            } else if let Some(rule_text) = bullet(l.text) {
                let rule = self.rule(l, rule_text);
                match out.last_mut() {
                    Some(tier) => tier.rules.extend(rule),
                    None => self.err(l, "a tier rule before any tier heading `**T0: Title**`"),
                }
            } else {
                self.err(
                    l,
                    format!("expected a tier heading `**T0: Title**` or a rule `- …`, found `{t}`"),
                );
            }
        }
        out
    }

    fn rule(&mut self, l: &Line<'_>, text: &str) -> Option<Rule> {
        if let Some(rest) = text.strip_prefix("Minimum ")
            && let Some((n, t)) = rest.split_once(" of type:")
            && let Ok(count) = n.trim().parse::<u32>()
        {
            return self
                .component_type(l, t.trim())
                .map(|component_type| Rule::MinCount {
                    component_type,
                    count,
                });
        }
        if let Some(t) = text.strip_prefix("Must include:") {
            return self
                .component_type(l, t.trim())
                .map(|component_type| Rule::MustInclude { component_type });
        }
        self.warnings.push(self.rep.at(
            l,
            format!("tier rule `{text}` is in a form Meridian does not know; kept verbatim and marked \"not checked automatically\""),
        ));
        Some(Rule::Unchecked {
            text: text.to_string(),
        })
    }

    fn reference(&mut self, s: &Section<'_>) -> Option<Reference> {
        let comp_at = s.body.iter().position(|l| l.trimmed() == "**Components:**");
        let conn_at = s
            .body
            .iter()
            .position(|l| l.trimmed() == "**Connections:**");
        let Some(comp_at) = comp_at else {
            self.err(
                &s.heading,
                "expected a `**Components:**` list in the reference solution",
            );
            return None;
        };
        let explanation = paragraph_text(&s.body[..comp_at]);
        if explanation.is_empty() {
            self.err(
                &s.heading,
                "expected the reference solution's explanation before `**Components:**`",
            );
        }
        let comp_end = conn_at.filter(|c| *c > comp_at).unwrap_or(s.body.len());
        let mut components = Vec::new();
        for l in s.body[comp_at + 1..comp_end]
            .iter()
            .filter(|l| !l.is_blank())
        {
            let parsed = bullet(l.text).and_then(|b| {
                let (name, ty) = b.strip_suffix(')')?.rsplit_once(" (")?;
                Some((name.trim(), ty.trim()))
            });
            match parsed {
                Some((name, ty)) if !name.is_empty() => {
                    if let Some(component_type) = self.component_type(l, ty) {
                        components.push(Component {
                            name: name.to_string(),
                            component_type,
                            region: String::new(),
                            replicas: 1,
                            hit_ratio: None,
                            autoscale: None,
                            service: None,
                        });
                    }
                }
                _ => self.err(
                    l,
                    format!(
                        "expected a component `- Name (type)`, found `{}`",
                        l.trimmed()
                    ),
                ),
            }
        }
        let mut connections = Vec::new();
        if let Some(conn_at) = conn_at {
            if conn_at < comp_at {
                self.err(
                    &s.body[conn_at],
                    "expected `**Connections:**` after `**Components:**`",
                );
            }
            for l in s.body[conn_at + 1..].iter().filter(|l| !l.is_blank()) {
                match bullet(l.text).and_then(split_arrow) {
                    Some((from, to)) => connections.push(Connection {
                        sync: false,
                        share: None,
                        rate: None,
                        from: from.to_string(),
                        to: to.to_string(),
                    }),
                    None => self.err(
                        l,
                        format!(
                            "expected a connection `- From → To`, found `{}`",
                            l.trimmed()
                        ),
                    ),
                }
            }
        }
        Some(Reference {
            notes: Vec::new(),
            explanation,
            components,
            connections,
        })
    }

    fn analysis(&mut self, s: &Section<'_>) -> Analysis {
        // Split into `**Block:**` parts.
        let mut blocks: Vec<(Line<'_>, &str, Vec<Line<'_>>)> = Vec::new();
        for l in &s.body {
            let t = l.trimmed();
            if l.indent() == 0
                && let Some(name) = t.strip_prefix("**").and_then(|x| x.strip_suffix(":**"))
            {
                blocks.push((*l, name, Vec::new()));
            } else if let Some(b) = blocks.last_mut() {
                b.2.push(*l);
            } else if !l.is_blank() {
                self.err(
                    l,
                    format!(
                        "expected a `**Block:**` heading in the solution analysis, found `{t}`"
                    ),
                );
            }
        }
        let mut a = Analysis {
            overview: None,
            phases: Vec::new(),
            trade_offs: Vec::new(),
            cost: None,
        };
        for (l, name, body) in blocks {
            match name {
                "Architecture Overview" => a.overview = Some(paragraph_text(&body)),
                "Phase Analysis" => a.phases = self.phases(&body),
                "Trade-offs" => a.trade_offs = self.trade_offs(&body),
                "Cost Analysis" => a.cost = Some(self.cost(&body)),
                other => self.err(
                    &l,
                    format!("unknown analysis block `{other}`; expected Architecture Overview, Phase Analysis, Trade-offs or Cost Analysis"),
                ),
            }
        }
        a
    }

    fn phases(&mut self, body: &[Line<'_>]) -> Vec<Phase> {
        let mut out: Vec<Phase> = Vec::new();
        let mut text: Vec<Line<'_>> = Vec::new();
        let flush = |out: &mut Vec<Phase>, text: &mut Vec<Line<'_>>| {
            if let Some(p) = out.last_mut() {
                p.text = paragraph_text(text);
            }
            text.clear();
        };
        for l in body {
            let t = l.trimmed();
            if let Some(name) = italic_heading(t) {
                flush(&mut out, &mut text);
                out.push(Phase {
                    name: name.to_string(),
                    text: String::new(),
                    metrics: Vec::new(),
                });
            } else if let Some(item) = bullet(l.text) {
                match (out.last_mut(), item.split_once(": ")) {
                    (Some(p), Some((k, v))) => p.metrics.push(LabelledText {
                        label: k.into(),
                        text: v.into(),
                    }),
                    _ => self.err(
                        l,
                        format!("expected a metric `- Label: value` under a phase, found `{t}`"),
                    ),
                }
            } else if out.is_empty() {
                if !l.is_blank() {
                    self.err(
                        l,
                        format!("expected a phase heading `*Name:*`, found `{t}`"),
                    );
                }
            } else if out.last().is_some_and(|p| p.metrics.is_empty()) {
                text.push(*l);
            } else if !l.is_blank() {
                self.err(l, format!("unexpected text after a phase's metrics: `{t}`"));
            }
        }
        flush(&mut out, &mut text);
        out
    }

    fn trade_offs(&mut self, body: &[Line<'_>]) -> Vec<TradeOff> {
        let mut out: Vec<TradeOff> = Vec::new();
        // Which list the nested `- item`s belong to.
        let mut list: Option<&str> = None;
        for l in body.iter().filter(|l| !l.is_blank()) {
            let t = l.trimmed();
            if l.indent() == 0 {
                match numbered_item(t) {
                    Some((_, title)) => {
                        out.push(TradeOff {
                            title: title.into(),
                            pros: vec![],
                            cons: vec![],
                            notes: vec![],
                        });
                        list = None;
                    }
                    None => self.err(
                        l,
                        format!("expected a numbered trade-off `1. Title`, found `{t}`"),
                    ),
                }
                continue;
            }
            let (Some(item), Some(current)) = (bullet(l.text), out.last_mut()) else {
                self.err(
                    l,
                    format!("expected a list item under a trade-off, found `{t}`"),
                );
                continue;
            };
            if l.indent() <= 3 {
                match item {
                    "Pros:" => list = Some("pros"),
                    "Cons:" => list = Some("cons"),
                    _ => match item.split_once(": ") {
                        Some((k, v)) => {
                            current.notes.push(LabelledText {
                                label: k.into(),
                                text: v.into(),
                            });
                            list = None;
                        }
                        None => self.err(
                            l,
                            format!(
                                "expected `- Pros:`, `- Cons:` or `- Label: value`, found `{t}`"
                            ),
                        ),
                    },
                }
            } else {
                match list {
                    Some("pros") => current.pros.push(item.into()),
                    Some("cons") => current.cons.push(item.into()),
                    _ => self.err(
                        l,
                        format!("a nested item outside `- Pros:` or `- Cons:`: `{t}`"),
                    ),
                }
            }
        }
        out
    }

    fn cost(&mut self, body: &[Line<'_>]) -> CostAnalysis {
        let mut c = CostAnalysis {
            totals: Vec::new(),
            breakdown: Vec::new(),
        };
        let mut in_breakdown = false;
        for l in body.iter().filter(|l| !l.is_blank()) {
            let t = l.trimmed();
            if italic_heading(t) == Some("Breakdown") {
                in_breakdown = true;
                continue;
            }
            match bullet(l.text).and_then(|b| b.split_once(": ")) {
                Some((k, v)) => {
                    let item = LabelledText {
                        label: k.into(),
                        text: v.into(),
                    };
                    if in_breakdown {
                        c.breakdown.push(item)
                    } else {
                        c.totals.push(item)
                    }
                }
                None => self.err(
                    l,
                    format!("expected a cost line `- Label: value`, found `{t}`"),
                ),
            }
        }
        c
    }
}

/// `*Name:*` → Name.
fn italic_heading(t: &str) -> Option<&str> {
    let inner = t.strip_prefix('*')?.strip_suffix(":*")?;
    (!inner.starts_with('*')).then_some(inner.trim())
}

/// `A → B` (or `A -> B`) → (A, B).
pub fn split_arrow(s: &str) -> Option<(&str, &str)> {
    let (a, b) = s.split_once(" → ").or_else(|| s.split_once(" -> "))?;
    let (a, b) = (a.trim(), b.trim());
    (!a.is_empty() && !b.is_empty()).then_some((a, b))
}

/// `12. Title` where the title may itself contain `. `.
fn numbered_item_loose(s: &str) -> Option<(u32, &str)> {
    numbered_item(s).filter(|(_, t)| !t.is_empty())
}
