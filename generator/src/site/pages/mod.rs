//! One module per kind of page; each builds its template context.

pub mod catalog;
pub mod chapter;
pub mod landing;
pub mod problem;

use meridian_engine::Catalog;
use serde::Serialize;

use super::esc;

/// `<symbol id="icon-<type>">` for every catalog type.
pub fn icon_symbols(catalog: &Catalog) -> String {
    catalog
        .types
        .iter()
        .map(|(id, t)| {
            format!(
                "<symbol id=\"icon-{}\" viewBox=\"0 0 24 24\"><path d=\"{}\"/></symbol>",
                esc(id),
                esc(&t.icon)
            )
        })
        .collect()
}

/// The hidden sprite every page carries, so icons are `<use href="#icon-x">`
/// on the same page (external `<use>` fails on `file://` in some browsers).
pub fn icon_sprite(catalog: &Catalog) -> String {
    format!(
        "<svg class=\"icon-sprite\" aria-hidden=\"true\" focusable=\"false\" width=\"0\" height=\"0\">{}</svg>",
        icon_symbols(catalog)
    )
}

/// A component type as shown next to its icon.
#[derive(Debug, Clone, Serialize)]
pub struct TypeRef {
    pub id: String,
    pub label: String,
}

/// Distinct types of a topology, in catalog order.
pub fn types_used<'a>(
    catalog: &Catalog,
    types: impl Iterator<Item = &'a str> + Clone,
) -> Vec<TypeRef> {
    catalog
        .types
        .iter()
        .filter(|(id, _)| types.clone().any(|t| t == id.as_str()))
        .map(|(id, t)| TypeRef {
            id: id.clone(),
            label: t.label.clone(),
        })
        .collect()
}
