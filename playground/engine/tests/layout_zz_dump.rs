//! TEMPORARY debugging dump (to be deleted).
mod support;
use meridian_engine::layout::layout;
use meridian_engine::svg::{SvgOptions, render_svg};
use support::{catalog, seed};

#[test]
fn dump() {
    let Ok(which) = std::env::var("DUMP") else { return };
    let (cat, reg) = (catalog::catalog(), catalog::regions());
    for p in seed::load() {
        if !which.split(',').any(|w| w == p.number.to_string() || w == "all") { continue; }
        let l = layout(&p.topology, &cat, &reg);
        println!("== {} {} crossings {}", p.number, p.title, l.quality.crossings);
        for n in &l.nodes { println!("  node {:30} {:8} x={:.0}..{:.0} y={:.0}", n.id, n.region, n.x, n.x + n.w, n.y); }
        for e in &l.edges { println!("  edge {} -> {}: {:?}", e.from, e.to, e.points.iter().map(|p| (p.0.round(), p.1.round())).collect::<Vec<_>>()); }
        let svg = render_svg(&l, &cat, &reg, &SvgOptions { title: p.title.clone(), description: String::new(), id_prefix: "d".into() });
        std::fs::write(format!("/tmp/dump_{}.svg", p.number), svg).unwrap();
    }
}
