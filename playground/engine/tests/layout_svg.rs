//! The SVG: accessible, escaped, one element per component and connection.

mod support;

use meridian_engine::layout::layout;
use meridian_engine::svg::{SvgOptions, escape, render_svg};
use meridian_engine::{Component, Connection, Topology};
use support::{catalog, course};

fn opts(prefix: &str) -> SvgOptions {
    SvgOptions {
        title: "Basic <setup> & \"more\"".into(),
        description: "A 'diagram'".into(),
        id_prefix: prefix.into(),
        heat: Vec::new(),
    }
}

/// Opening tags of elements whose class list contains `class`.
fn tags_with_class<'a>(svg: &'a str, element: &str, class: &str) -> Vec<&'a str> {
    svg.match_indices(&format!("<{element} "))
        .filter_map(|(i, _)| svg[i..].find('>').map(|end| &svg[i..i + end + 1]))
        .filter(|tag| {
            tag.split("class=\"")
                .nth(1)
                .and_then(|c| c.split('"').next())
                .is_some_and(|c| c.split(' ').any(|x| x == class))
        })
        .collect()
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    tag.split(&format!(" {name}=\""))
        .nth(1)
        .and_then(|v| v.split('"').next())
}

#[test]
fn every_component_and_connection_appears_once() {
    let (cat, reg) = (catalog::catalog(), catalog::regions());
    for p in course::load() {
        let l = layout(&p.topology, &cat, &reg);
        let svg = render_svg(&l, &cat, &reg, &opts(&format!("p{}", p.number)));
        let nodes = tags_with_class(&svg, "g", "node");
        assert_eq!(
            nodes.len(),
            p.topology.components.len(),
            "problem {}",
            p.number
        );
        for c in &p.topology.components {
            let found: Vec<&&str> = nodes
                .iter()
                .filter(|t| attr(t, "data-id") == Some(escape(&c.name).as_str()))
                .collect();
            assert_eq!(found.len(), 1, "problem {}: node {}", p.number, c.name);
            assert_eq!(attr(found[0], "data-type"), Some(c.component_type.as_str()));
            assert_eq!(attr(found[0], "data-region"), Some(c.region.as_str()));
        }
        let edges = tags_with_class(&svg, "path", "edge");
        assert_eq!(
            edges.len(),
            p.topology.connections.len(),
            "problem {}",
            p.number
        );
        for c in &p.topology.connections {
            let n = edges
                .iter()
                .filter(|t| {
                    attr(t, "data-from") == Some(escape(&c.from).as_str())
                        && attr(t, "data-to") == Some(escape(&c.to).as_str())
                })
                .count();
            assert_eq!(n, 1, "problem {}: edge {}→{}", p.number, c.from, c.to);
        }
        for e in &edges {
            assert_eq!(
                attr(e, "marker-end"),
                Some(format!("url(#p{}-arrow)", p.number).as_str())
            );
            if attr(e, "class") == Some("edge replication") {
                assert!(
                    attr(e, "stroke-dasharray").is_some(),
                    "replication edges are dashed"
                );
            }
        }
        assert!(svg.contains(&format!("<marker id=\"p{}-arrow\"", p.number)));
    }
}

#[test]
fn document_structure_is_accessible() {
    let (cat, reg) = (catalog::catalog(), catalog::regions());
    let p = &course::load()[0];
    let l = layout(&p.topology, &cat, &reg);
    let svg = render_svg(&l, &cat, &reg, &opts("d1"));
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    let root = &svg[..svg.find('>').unwrap()];
    assert!(root.contains("role=\"img\""));
    assert!(root.contains("class=\"diagram\""));
    assert!(root.contains("viewBox=\"0 0 "));
    assert!(root.contains("aria-labelledby=\"d1-title d1-desc\""));
    // Title and desc come first.
    let after_root = &svg[svg.find('>').unwrap() + 1..];
    assert!(after_root.starts_with("<title id=\"d1-title\">Basic &lt;setup&gt; &amp; &quot;more&quot;</title><desc id=\"d1-desc\">A &#39;diagram&#39;</desc>"));
    assert!(svg.ends_with("</svg>"));
    for lane in ["US", "EU", "Global"] {
        assert!(
            svg.contains(&format!(">{lane}</text>")),
            "lane label {lane}"
        );
    }
    assert!(
        !svg.contains("http://") || svg.matches("http://").count() == 1,
        "only the xmlns URL"
    );
    assert!(!svg.contains("href"), "no external references");
    // Every node has its box and icon.
    assert_eq!(svg.matches("rx=\"8\"").count(), l.nodes.len());
    assert_eq!(svg.matches("class=\"icon\"").count(), l.nodes.len());
}

#[test]
fn hostile_names_are_escaped() {
    let (cat, reg) = (catalog::catalog(), catalog::regions());
    let evil = "A<&>\"B'";
    let t = Topology {
        components: vec![
            Component {
                name: evil.into(),
                component_type: "app".into(),
                region: "us".into(),
                replicas: 3,
                hit_ratio: None,
                autoscale: None,
                service: None,
            },
            Component {
                name: "DB".into(),
                component_type: "db_primary".into(),
                region: "<eu>".into(),
                replicas: 1,
                hit_ratio: None,
                autoscale: None,
                service: None,
            },
        ],
        connections: vec![Connection {
            from: evil.into(),
            to: "DB".into(),
            sync: false,
            share: None,
            rate: None,
        }],
    };
    let l = layout(&t, &cat, &reg);
    let svg = render_svg(&l, &cat, &reg, &opts("x\"><script>"));
    assert!(!svg.contains("<script"));
    assert!(!svg.contains(evil));
    assert!(svg.contains("data-id=\"A&lt;&amp;&gt;&quot;B&#39;\""));
    assert!(svg.contains("data-from=\"A&lt;&amp;&gt;&quot;B&#39;\""));
    assert!(svg.contains(">A&lt;&amp;&gt;&quot;B&#39;</text>"));
    assert!(svg.contains("data-region=\"&lt;eu&gt;\""));
    assert!(svg.contains("×3"), "replica badge");
    // Tags balance: no stray '<' from the names.
    assert_eq!(svg.matches('<').count(), svg.matches('>').count());
}

#[test]
fn heat_marks_utilisation_and_the_bottleneck() {
    use meridian_engine::svg::{NodeHeat, heat_band};
    let cat = catalog::catalog();
    let regs = catalog::regions();
    let problems = course::load();
    let t = &problems[0].topology;
    let l = layout(t, &cat, &regs);
    let mut o = opts("h");
    o.heat = vec![
        NodeHeat {
            name: t.components[0].name.clone(),
            utilisation: 0.3,
            bottleneck: false,
        },
        NodeHeat {
            name: t.components[1].name.clone(),
            utilisation: 1.4,
            bottleneck: true,
        },
    ];
    let svg = render_svg(&l, &cat, &regs, &o);
    assert_eq!(svg.matches("class=\"heat heat-light\"").count(), 1);
    assert_eq!(svg.matches("class=\"heat heat-overloaded\"").count(), 1);
    assert_eq!(svg.matches(" bottleneck\" data-id=").count(), 1);
    assert!(svg.contains("140% utilised (overloaded), the bottleneck</title>"));
    assert!(svg.contains("data-utilisation=\"0.300\""));
    assert_eq!(heat_band(0.5), "moderate");
    assert_eq!(heat_band(0.8), "busy");
    // Without heat, no bars.
    assert!(!render_svg(&l, &cat, &regs, &opts("p")).contains("class=\"heat"));
}
