//! Renders a [`Layout`] as a standalone, accessible SVG.
//!
//! Colours come from CSS variables with inline fallbacks, so the page's
//! light/dark theme can restyle a diagram while a standalone file stays
//! readable. Nothing is fetched from the network: generic fonts only.

use std::fmt::Write;

use crate::catalog::{Catalog, Regions};
use crate::decimal::fixed;
use crate::layout::{EdgeKind, Layout, NodeBox, badge_width};
use crate::within::Within;

#[derive(Debug, Clone, Default)]
pub struct SvgOptions {
    pub title: String,
    pub description: String,
    /// Prefixes element ids (title, desc, arrow marker) so several diagrams
    /// can share a page.
    pub id_prefix: String,
    /// Utilisation per component, from the simulator: drawn as a bar along
    /// each box's bottom edge. Empty: a plain diagram.
    pub heat: Vec<NodeHeat>,
}

/// How busy one component is, for colouring the diagram.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeHeat {
    pub name: String,
    /// ρ = offered load / capacity; ≥ 1 means requests are shed.
    pub utilisation: f64,
    pub bottleneck: bool,
}

/// The band a utilisation falls in; also a CSS class, so colour is never the
/// only carrier (the band's name is in each node's title).
pub fn heat_band(utilisation: f64) -> &'static str {
    if utilisation >= 1.0 {
        "overloaded"
    } else if utilisation >= 0.8 {
        "busy"
    } else if utilisation >= 0.5 {
        "moderate"
    } else {
        "light"
    }
}

/// Escapes text for XML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Ids must be XML names: keep letters, digits, `-` and `_`; `fallback` when
/// nothing is left. Shared with the charts.
pub(crate) fn id_safe(s: &str, fallback: &str) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if cleaned.is_empty() {
        fallback.to_string()
    } else {
        cleaned
    }
}

fn class_safe(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn num3(v: f64) -> String {
    if v.is_finite() {
        fixed(v, 3)
    } else {
        "inf".to_string()
    }
}

/// A coordinate to one decimal, without a trailing `.0`. Shared with the charts.
pub(crate) fn num(v: f64) -> String {
    let r = libm::round(v * 10.0) / 10.0;
    if r == libm::trunc(r) {
        format!("{}", r as i64)
    } else {
        fixed(r, 1)
    }
}

/// The diagrams' stylesheet. Served as a file with the page's CSS (the
/// generator writes it to `assets/css/figures.css`), never inline, so pages
/// keep a Content-Security-Policy without 'unsafe-inline'.
pub const DIAGRAM_CSS: &str = "\
.diagram{font-family:system-ui,-apple-system,'Segoe UI',sans-serif}\
.diagram .lane{fill:var(--diagram-lane-bg,#f4f6f8);stroke:var(--diagram-lane-border,#d8dee4)}\
.diagram .lane-label{fill:var(--diagram-muted,#57606a);font-size:12px;font-weight:600}\
.diagram .node rect{fill:var(--diagram-node-bg,#fff);stroke:var(--diagram-node-border,#8c959f)}\
.diagram .node .name{fill:var(--diagram-text,#1f2328);font-size:13px}\
.diagram .node .type{fill:var(--diagram-muted,#57606a);font-size:11px}\
.diagram .node .icon{stroke:var(--diagram-icon,#0969da)}\
.diagram .badge rect{fill:var(--diagram-badge-bg,#ddf4ff);stroke:none}\
.diagram .badge text{fill:var(--diagram-text,#1f2328);font-size:11px}\
.diagram .edge{fill:none;stroke:var(--diagram-edge,#6e7781)}\
.diagram .edge.replication{stroke:var(--diagram-replication,#8250df)}\
.diagram .arrow{fill:var(--diagram-edge,#6e7781)}\
.diagram .node rect.heat-light{fill:var(--heat-light,#1a7f37)}\
.diagram .node rect.heat-moderate{fill:var(--heat-moderate,#9a6700)}\
.diagram .node rect.heat-busy{fill:var(--heat-busy,#bc4c00)}\
.diagram .node rect.heat-overloaded{fill:var(--heat-overloaded,#cf222e)}\
.diagram .node.bottleneck rect.box{stroke:var(--heat-overloaded,#cf222e);stroke-width:2.5}";

/// Writes the opening of an accessible, scalable SVG: the root element
/// labelled by its `<title>` and `<desc>` (ids `{prefix}-title`,
/// `{prefix}-desc`). Shared by diagrams and charts; their stylesheets are
/// [`DIAGRAM_CSS`] and `chart::CHART_CSS`, served as a file.
#[allow(clippy::too_many_arguments)]
pub(crate) fn open_svg(
    out: &mut String,
    class: &str,
    width: f64,
    height: f64,
    prefix: &str,
    title: &str,
    description: &str,
) {
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="{class}" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-labelledby="{prefix}-title {prefix}-desc">"#,
        w = num(width),
        h = num(height),
    );
    let _ = write!(
        out,
        r#"<title id="{prefix}-title">{}</title>"#,
        escape(title)
    );
    let _ = write!(
        out,
        r#"<desc id="{prefix}-desc">{}</desc>"#,
        escape(description)
    );
}

pub fn render_svg(
    layout: &Layout,
    catalog: &Catalog,
    regions: &Regions,
    opts: &SvgOptions,
) -> String {
    let prefix = id_safe(&opts.id_prefix, "diagram");
    let arrow_id = format!("{prefix}-arrow");
    let mut s = String::new();
    open_svg(
        &mut s,
        "diagram",
        layout.width,
        layout.height,
        &prefix,
        &opts.title,
        &opts.description,
    );
    let _ = write!(
        s,
        r##"<defs><marker id="{arrow_id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="arrow" d="M0 0L10 5L0 10z" fill="#6e7781"/></marker></defs>"##
    );

    s.push_str(r#"<g class="lanes">"#);
    for lane in &layout.lanes {
        let band = regions.is_global(&lane.region) && lane.w >= layout.width - 0.5;
        let _ = write!(
            s,
            r##"<g class="lane-group" data-region="{r}"><rect class="lane" x="{x}" y="{y}" width="{w}" height="{h}" rx="6" fill="#f4f6f8" fill-opacity="{op}" stroke="#d8dee4"/>"##,
            r = escape(&lane.region),
            x = num(lane.x),
            y = num(lane.y),
            w = num(lane.w),
            h = num(lane.h),
            op = if band { "0.85" } else { "1" },
        );
        let (lx, ly, anchor) = if band {
            (lane.x + 8.0, lane.y + 14.0, "start")
        } else {
            (lane.x + lane.w / 2.0, lane.y + 26.0, "middle")
        };
        let _ = write!(
            s,
            r##"<text class="lane-label" x="{}" y="{}" text-anchor="{anchor}" fill="#57606a" font-size="12">{}</text></g>"##,
            num(lx),
            num(ly),
            escape(&lane.label)
        );
    }
    s.push_str("</g>");

    s.push_str(r#"<g class="edges">"#);
    for e in &layout.edges {
        let mut d = String::new();
        for (i, (x, y)) in e.points.iter().enumerate() {
            let _ = write!(
                d,
                "{}{} {}",
                if i == 0 { "M" } else { "L" },
                num(*x),
                num(*y)
            );
        }
        let (class, dash, colour) = match e.kind {
            EdgeKind::Replication => ("edge replication", r#" stroke-dasharray="6 4""#, "#8250df"),
            EdgeKind::Request => ("edge", "", "#6e7781"),
        };
        let _ = write!(
            s,
            r#"<path class="{class}" data-from="{}" data-to="{}" d="{d}" fill="none" stroke="{colour}" stroke-width="1.5"{dash} marker-end="url(#{arrow_id})"/>"#,
            escape(&e.from),
            escape(&e.to),
        );
    }
    s.push_str("</g>");

    s.push_str(r#"<g class="nodes">"#);
    for n in &layout.nodes {
        let heat = opts.heat.iter().find(|h| h.name == n.id);
        node(&mut s, n, catalog, heat);
    }
    s.push_str("</g></svg>");
    s
}

fn node(s: &mut String, n: &NodeBox, catalog: &Catalog, heat: Option<&NodeHeat>) {
    let ty = catalog
        .resolve(&n.component_type)
        .and_then(|id| catalog.get(id));
    let type_label = ty.map_or(n.component_type.as_str(), |t| t.label.as_str());
    let bottleneck = if heat.is_some_and(|h| h.bottleneck) {
        " bottleneck"
    } else {
        ""
    };
    let util_attr = heat.map_or(String::new(), |h| {
        format!(r#" data-utilisation="{}""#, num3(h.utilisation))
    });
    let _ = write!(
        s,
        r#"<g class="node type-{}{bottleneck}" data-id="{}" data-type="{}" data-region="{}"{util_attr} transform="translate({} {})">"#,
        class_safe(&n.component_type),
        escape(&n.id),
        escape(&n.component_type),
        escape(&n.region),
        num(n.x),
        num(n.y),
    );
    let heat_text = heat.map_or(String::new(), |h| {
        format!(
            ", {}% utilised ({}){}",
            fixed(h.utilisation * 100.0, 0),
            heat_band(h.utilisation),
            if h.bottleneck { ", the bottleneck" } else { "" }
        )
    });
    let _ = write!(
        s,
        "<title>{} ({}){}</title>",
        escape(&n.id),
        escape(type_label),
        heat_text
    );
    let _ = write!(
        s,
        r##"<rect class="box" width="{}" height="{}" rx="8" fill="#fff" stroke="#8c959f" stroke-width="1.2"/>"##,
        num(n.w),
        num(n.h)
    );
    if let Some(h) = heat {
        // A bar along the bottom edge, full width at ρ = 1.
        let width = (n.w - 16.0) * h.utilisation.within(0.02, 1.0);
        let _ = write!(
            s,
            r#"<rect class="heat heat-{}" x="8" y="{}" width="{}" height="4" rx="2"/>"#,
            heat_band(h.utilisation),
            num(n.h - 7.0),
            num(width)
        );
    }
    if let Some(t) = ty {
        // Icons are drawn in a 24×24 box; shown at 22px left of the text.
        let _ = write!(
            s,
            r##"<path class="icon" d="{}" transform="translate(12 {}) scale(0.9167)" fill="none" stroke="#0969da" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/>"##,
            escape(&t.icon),
            num(n.h / 2.0 - 11.0),
        );
    }
    let _ = write!(
        s,
        r##"<text class="name" x="44" y="{}" fill="#1f2328" font-size="13">{}</text>"##,
        num(n.h / 2.0 - 2.0),
        escape(&n.label)
    );
    let _ = write!(
        s,
        r##"<text class="type" x="44" y="{}" fill="#57606a" font-size="11">{}</text>"##,
        num(n.h / 2.0 + 14.0),
        escape(type_label)
    );
    if n.replicas > 1 {
        let bw = badge_width(n.replicas);
        let _ = write!(
            s,
            r##"<g class="badge"><rect x="{}" y="8" width="{}" height="18" rx="9" fill="#ddf4ff"/><text x="{}" y="21" text-anchor="middle" fill="#1f2328" font-size="11">×{}</text></g>"##,
            num(n.w - bw - 8.0),
            num(bw),
            num(n.w - bw / 2.0 - 8.0),
            n.replicas
        );
    }
    s.push_str("</g>");
}
