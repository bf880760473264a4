//! `catalog.html`: every component type, and the problems whose reference
//! solutions use it.

use anyhow::Result;
use serde::Serialize;

use super::super::Site;
use super::super::nav::{NavLink, problem_path};

#[derive(Serialize)]
struct TypeView {
    id: String,
    label: String,
    description: String,
    layer: &'static str,
    aliases: Vec<String>,
    used_by: Vec<NavLink>,
}

pub fn render(site: &mut Site<'_>) -> Result<()> {
    let page = "catalog.html";
    let types: Vec<TypeView> = site
        .course
        .catalog
        .types
        .iter()
        .map(|(id, t)| TypeView {
            id: id.clone(),
            label: t.label.clone(),
            description: t.description.clone(),
            layer: t.layer.label(),
            aliases: t.aliases.clone(),
            used_by: site
                .problems
                .iter()
                .filter(|p| {
                    p.problem
                        .reference
                        .components
                        .iter()
                        .any(|c| &c.component_type == id)
                })
                .map(|p| NavLink {
                    title: format!("{}. {}", p.problem.number, p.problem.title),
                    href: problem_path(&p.problem.id),
                })
                .collect(),
        })
        .collect();
    let source = format!(
        "{}/catalog.yaml",
        site.course
            .config
            .book
            .problems
            .to_string_lossy()
            .trim_end_matches('/')
    );
    let mut ctx = site.context(page, "Component catalog", Some(&source))?;
    ctx.insert("types", &types);
    site.write_page(page, "catalog.html", &ctx)
}
