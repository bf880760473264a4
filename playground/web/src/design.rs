//! Edits on a reader's design: every change the playground's UI can make to a
//! [`Topology`], as a value ([`Edit`]) applied by a pure function ([`apply`]).
//!
//! Keeping edits as data lets the UI stay thin (it turns DOM events into
//! `Edit`s), lets [`crate::history`] merge keystrokes into one undo step
//! ([`merge_key`]), and lets every rule below be tested on the host.
//!
//! Only rules that keep the design *editable* are enforced here: names stay
//! unique and printable in the text notation ([`crate::notation`]),
//! connections point at existing components. Whether a type or region exists
//! in the catalog is the engine validator's business
//! (`meridian_engine::validate::validate_topology`), run by the UI on the
//! result, so a design with an unknown type still opens and can be fixed.

use std::fmt;

use meridian_engine::{Catalog, Component, Connection, Regions, Topology};

/// The largest replica count an edit accepts; larger values are clamped.
pub use meridian_engine::limits::{MAX_COMPONENTS, MAX_CONNECTIONS, MAX_REPLICAS};

/// The longest component name, in characters.
pub const MAX_NAME_CHARS: usize = 80;

/// One change to a design.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// A new component with a generated unique name ("US App", "US App 2", …).
    Add {
        component_type: String,
        region: String,
    },
    Rename {
        name: String,
        new_name: String,
    },
    /// Removes the component and every connection to or from it.
    Delete {
        name: String,
    },
    Connect {
        from: String,
        to: String,
    },
    Disconnect {
        from: String,
        to: String,
    },
    SetType {
        name: String,
        component_type: String,
    },
    SetRegion {
        name: String,
        region: String,
    },
    /// Clamped to [`MAX_REPLICAS`]; 0 is an error.
    SetReplicas {
        name: String,
        replicas: u32,
    },
    /// `None` removes the override (the catalog's figure applies).
    SetHitRatio {
        name: String,
        hit_ratio: Option<f64>,
    },
    /// Autoscaling up to `max` instances; `None` turns it off. A maximum
    /// below the replicas is an error.
    SetAutoscale {
        name: String,
        max: Option<u32>,
    },
    SetSync {
        from: String,
        to: String,
        sync: bool,
    },
    /// Swaps the whole design (a loaded link, a reset, the text view's result).
    Replace(Topology),
}

/// What the UI should select once an edit is applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// Leave the selection as it is.
    Keep,
    /// Select this component (a new or renamed one).
    Select(String),
    /// Nothing is selected any more (the selected component may be gone).
    Clear,
}

/// A successfully applied edit.
#[derive(Debug, Clone, PartialEq)]
pub struct Applied {
    pub topology: Topology,
    pub selection: Selection,
}

/// Why an edit was refused. `Display` is a sentence for the reader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EditError {
    EmptyName,
    NameTooLong,
    /// The name contains text the notation reserves (`reserved` is shown).
    ReservedInName {
        reserved: &'static str,
    },
    /// A line starting with `#` is a comment in the notation.
    LeadingHash,
    ControlCharInName,
    DuplicateName(String),
    UnknownComponent(String),
    SelfLoop(String),
    DuplicateConnection {
        from: String,
        to: String,
    },
    NoConnection {
        from: String,
        to: String,
    },
    ZeroReplicas,
    BadHitRatio,
    /// An autoscaling maximum below the component's replicas, or above
    /// [`MAX_REPLICAS`].
    BadAutoscale {
        replicas: u32,
    },
    /// A type or region id that is empty or not made of letters, digits,
    /// `_` and `-` (`field` is "type" or "region").
    BadId {
        field: &'static str,
        value: String,
    },
    /// The design already has [`MAX_COMPONENTS`] components.
    TooManyComponents,
    /// The design already has [`MAX_CONNECTIONS`] connections.
    TooManyConnections,
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::EmptyName => f.write_str("A component needs a name."),
            EditError::NameTooLong => {
                write!(f, "A name can be at most {MAX_NAME_CHARS} characters long.")
            }
            EditError::ReservedInName { reserved } => write!(
                f,
                "A name cannot contain “{reserved}”, which has a meaning in the text view."
            ),
            EditError::LeadingHash => f.write_str(
                "A name cannot start with “#”: the text view reads such a line as a comment.",
            ),
            EditError::ControlCharInName => {
                f.write_str("A name cannot contain control characters.")
            }
            EditError::DuplicateName(n) => write!(f, "A component named “{n}” already exists."),
            EditError::UnknownComponent(n) => write!(f, "There is no component named “{n}”."),
            EditError::SelfLoop(n) => write!(f, "“{n}” cannot be connected to itself."),
            EditError::DuplicateConnection { from, to } => {
                write!(f, "“{from}” is already connected to “{to}”.")
            }
            EditError::NoConnection { from, to } => {
                write!(f, "“{from}” is not connected to “{to}”.")
            }
            EditError::ZeroReplicas => f.write_str("A component needs at least 1 replica."),
            EditError::BadHitRatio => f.write_str("A hit ratio is a number from 0 to 1."),
            EditError::BadAutoscale { replicas } => write!(
                f,
                "An autoscaling maximum is a whole number from the replicas ({replicas}) to {MAX_REPLICAS}."
            ),
            EditError::BadId { field, value } if value.trim().is_empty() => {
                write!(f, "Choose a {field}.")
            }
            EditError::BadId { field, value } => write!(
                f,
                "“{value}” is not a valid {field} id: use letters, digits, “_” and “-”."
            ),
            EditError::TooManyComponents => write!(
                f,
                "A design has at most {MAX_COMPONENTS} components; remove one before adding another."
            ),
            EditError::TooManyConnections => write!(
                f,
                "A design has at most {MAX_CONNECTIONS} connections; remove one before adding another."
            ),
        }
    }
}

impl std::error::Error for EditError {}

/// Where generated names come from. The UI implements it over the catalog
/// and regions ([`CatalogNames`]); tests use a fixed table.
pub trait Names {
    /// A short noun for a component type: "App", "LB", "Cache".
    fn type_short(&self, type_id: &str) -> String;
    /// The prefix for components in a region: "US"; empty for a region that
    /// spans regions (`global`), whose components read better unprefixed.
    fn region_prefix(&self, region_id: &str) -> String;
}

/// [`Names`] from the course's catalog and regions.
#[derive(Debug, Clone, Copy)]
pub struct CatalogNames<'a> {
    pub catalog: &'a Catalog,
    pub regions: &'a Regions,
}

impl Names for CatalogNames<'_> {
    fn type_short(&self, type_id: &str) -> String {
        match self.catalog.get(type_id) {
            Some(t) => short_type_label(&t.label),
            None => type_id.to_string(),
        }
    }

    fn region_prefix(&self, region_id: &str) -> String {
        match self.regions.get(region_id) {
            Some(r) if r.spans_regions => String::new(),
            Some(r) => r.short.clone(),
            None => region_id.to_ascii_uppercase(),
        }
    }
}

/// A short form of a catalog label for generated names: the abbreviations
/// the reference solutions use ("Load balancer" → "LB", "Database primary" →
/// "DB"), else the label's first word ("App server" → "App", "CDN / edge" →
/// "CDN").
pub fn short_type_label(label: &str) -> String {
    const SHORT: [(&str, &str); 4] = [
        ("load balancer", "LB"),
        ("database primary", "DB"),
        ("database replica", "Replica"),
        ("object store", "Storage"),
    ];
    let lower = label.trim().to_ascii_lowercase();
    if let Some((_, short)) = SHORT.iter().find(|(l, _)| *l == lower) {
        return short.to_string();
    }
    label
        .split(|c: char| c.is_whitespace() || c == '/')
        .find(|w| !w.is_empty())
        .unwrap_or("")
        .to_string()
}

/// Text a name may not contain, because the text notation gives it a meaning:
/// `:` ends a component's name, the arrows and `(sync)` make a connection.
const RESERVED: [&str; 8] = [":", "→", "->", "⇒", "=>", "(sync)", "share=", "rate="];

/// Normalises a name as typed (trims, collapses runs of whitespace to one
/// space) and checks it can be printed and parsed back by the notation.
/// Returns the name to store.
pub fn clean_name(raw: &str) -> Result<String, EditError> {
    if raw.chars().any(|c| c.is_control() && !c.is_whitespace()) {
        return Err(EditError::ControlCharInName);
    }
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        return Err(EditError::EmptyName);
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(EditError::NameTooLong);
    }
    if name.starts_with('#') {
        return Err(EditError::LeadingHash);
    }
    // ASCII is enough (every reserved text is ASCII), and Unicode case
    // tables would add ~25 KB to the wasm.
    let lower = name.to_ascii_lowercase();
    if let Some(reserved) = RESERVED.iter().find(|r| lower.contains(*r)) {
        return Err(EditError::ReservedInName { reserved });
    }
    Ok(name)
}

/// True when `name` is stored as-is by [`clean_name`]: the names the text
/// notation and share links round-trip exactly.
pub fn is_valid_name(name: &str) -> bool {
    clean_name(name).is_ok_and(|n| n == name)
}

/// True for a type or region id the notation can carry: letters, digits,
/// `_` and `-`.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Applies one edit, returning the new design and what to select. The input
/// is never modified, so the caller can hand the result to
/// [`crate::history::History::commit`].
pub fn apply(t: &Topology, edit: &Edit, names: &dyn Names) -> Result<Applied, EditError> {
    let mut next = t.clone();
    let selection = match edit {
        Edit::Add {
            component_type,
            region,
        } => add(&mut next, component_type, region, names)?,
        Edit::Rename { name, new_name } => rename(&mut next, name, new_name)?,
        Edit::Delete { name } => delete(&mut next, name)?,
        Edit::Connect { from, to } => connect(&mut next, from, to)?,
        Edit::Disconnect { from, to } => {
            let i = connection_index(&next, from, to)?;
            next.connections.remove(i);
            Selection::Keep
        }
        Edit::SetType {
            name,
            component_type,
        } => {
            let id = checked_id("type", component_type)?;
            component_mut(&mut next, name)?.component_type = id;
            Selection::Keep
        }
        Edit::SetRegion { name, region } => {
            let id = checked_id("region", region)?;
            component_mut(&mut next, name)?.region = id;
            Selection::Keep
        }
        Edit::SetReplicas { name, replicas } => {
            let replicas = checked_replicas(*replicas)?;
            component_mut(&mut next, name)?.replicas = replicas;
            Selection::Keep
        }
        Edit::SetHitRatio { name, hit_ratio } => {
            if hit_ratio.is_some_and(|h| !(0.0..=1.0).contains(&h)) {
                return Err(EditError::BadHitRatio);
            }
            component_mut(&mut next, name)?.hit_ratio = *hit_ratio;
            Selection::Keep
        }
        Edit::SetAutoscale { name, max } => {
            let c = component_mut(&mut next, name)?;
            if max.is_some_and(|m| m < c.replicas || m > MAX_REPLICAS) {
                return Err(EditError::BadAutoscale {
                    replicas: c.replicas,
                });
            }
            c.autoscale = max.map(|max| meridian_engine::Autoscale { max });
            Selection::Keep
        }
        Edit::SetSync { from, to, sync } => {
            let i = connection_index(&next, from, to)?;
            next.connections[i].sync = *sync;
            Selection::Keep
        }
        Edit::Replace(t) => {
            next = t.clone();
            Selection::Clear
        }
    };
    Ok(Applied {
        topology: next,
        selection,
    })
}

fn add(
    t: &mut Topology,
    component_type: &str,
    region: &str,
    names: &dyn Names,
) -> Result<Selection, EditError> {
    if t.components.len() >= MAX_COMPONENTS {
        return Err(EditError::TooManyComponents);
    }
    let component_type = checked_id("type", component_type)?;
    let region = checked_id("region", region)?;
    let base = base_name(
        &names.region_prefix(&region),
        &names.type_short(&component_type),
        &component_type,
    );
    let name = unique_name(t, &base);
    t.components.push(Component {
        name: name.clone(),
        component_type,
        region,
        replicas: 1,
        hit_ratio: None,
        autoscale: None,
        service: None,
    });
    Ok(Selection::Select(name))
}

/// "US App"; the type id or "Component" when the label gives nothing usable.
fn base_name(prefix: &str, short: &str, type_id: &str) -> String {
    [short, type_id, "Component"]
        .iter()
        .filter_map(|s| clean_name(&format!("{prefix} {s}")).ok())
        .find(|n| n.chars().count() <= MAX_NAME_CHARS - 8)
        .unwrap_or_else(|| "Component".to_string())
}

/// `base`, else "base 2", "base 3", … : the first name not taken.
fn unique_name(t: &Topology, base: &str) -> String {
    let taken = |n: &str| t.components.iter().any(|c| c.name == n);
    if !taken(base) {
        return base.to_string();
    }
    (2..)
        .map(|i| format!("{base} {i}"))
        .find(|n| !taken(n))
        .unwrap_or_else(|| base.to_string())
}

fn rename(t: &mut Topology, name: &str, new_name: &str) -> Result<Selection, EditError> {
    let index = component_index(t, name)?;
    let new_name = clean_name(new_name)?;
    if new_name != name && t.components.iter().any(|c| c.name == new_name) {
        return Err(EditError::DuplicateName(new_name));
    }
    t.components[index].name = new_name.clone();
    for c in &mut t.connections {
        if c.from == name {
            c.from = new_name.clone();
        }
        if c.to == name {
            c.to = new_name.clone();
        }
    }
    Ok(Selection::Select(new_name))
}

fn delete(t: &mut Topology, name: &str) -> Result<Selection, EditError> {
    let index = component_index(t, name)?;
    t.components.remove(index);
    t.connections.retain(|c| c.from != name && c.to != name);
    Ok(Selection::Clear)
}

fn connect(t: &mut Topology, from: &str, to: &str) -> Result<Selection, EditError> {
    component_index(t, from)?;
    component_index(t, to)?;
    if from == to {
        return Err(EditError::SelfLoop(from.to_string()));
    }
    if t.connections.iter().any(|c| c.from == from && c.to == to) {
        return Err(EditError::DuplicateConnection {
            from: from.to_string(),
            to: to.to_string(),
        });
    }
    if t.connections.len() >= MAX_CONNECTIONS {
        return Err(EditError::TooManyConnections);
    }
    t.connections.push(Connection {
        from: from.to_string(),
        to: to.to_string(),
        sync: false,
        share: None,
        rate: None,
    });
    Ok(Selection::Keep)
}

fn component_index(t: &Topology, name: &str) -> Result<usize, EditError> {
    t.components
        .iter()
        .position(|c| c.name == name)
        .ok_or_else(|| EditError::UnknownComponent(name.to_string()))
}

fn component_mut<'t>(t: &'t mut Topology, name: &str) -> Result<&'t mut Component, EditError> {
    let i = component_index(t, name)?;
    Ok(&mut t.components[i])
}

fn connection_index(t: &Topology, from: &str, to: &str) -> Result<usize, EditError> {
    t.connections
        .iter()
        .position(|c| c.from == from && c.to == to)
        .ok_or_else(|| EditError::NoConnection {
            from: from.to_string(),
            to: to.to_string(),
        })
}

fn checked_id(field: &'static str, value: &str) -> Result<String, EditError> {
    let id = value.trim();
    if is_valid_id(id) {
        Ok(id.to_string())
    } else {
        Err(EditError::BadId {
            field,
            value: value.to_string(),
        })
    }
}

fn checked_replicas(replicas: u32) -> Result<u32, EditError> {
    match replicas {
        0 => Err(EditError::ZeroReplicas),
        n => Ok(n.min(MAX_REPLICAS)),
    }
}

/// Which field of which component an edit changes, for merging undo steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Name,
    Type,
    Region,
    Replicas,
    HitRatio,
    Autoscale,
    /// The whole design, typed in the text view: keystrokes there merge
    /// into one step until the text view loses focus. Keys for it use empty
    /// names ([`MergeKey::text`]).
    Text,
}

/// Identifies a run of edits that undo as one step: typing a name, stepping
/// a replica count. A rename changes the name it is keyed by, so a key
/// records the component's name before and after the edit, and a key
/// [`continues`](MergeKey::continues) the previous one when it edits the
/// same field of the component the previous edit left behind.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MergeKey {
    pub field: Field,
    /// The component's name before the edit.
    pub before: String,
    /// The component's name after the edit (equal to `before` except for a rename).
    pub after: String,
}

impl MergeKey {
    fn same(field: Field, name: &str) -> Option<MergeKey> {
        Some(MergeKey {
            field,
            before: name.to_string(),
            after: name.to_string(),
        })
    }

    /// The key for an edit typed in the text view.
    pub fn text() -> MergeKey {
        MergeKey {
            field: Field::Text,
            before: String::new(),
            after: String::new(),
        }
    }

    /// True when this edit continues the run `previous` belongs to.
    pub fn continues(&self, previous: &MergeKey) -> bool {
        self.field == previous.field && self.before == previous.after
    }
}

/// The merge key of an edit; `None` for edits that are always their own undo
/// step (adding, deleting, connecting, toggling sync, replacing).
pub fn merge_key(edit: &Edit) -> Option<MergeKey> {
    match edit {
        Edit::Rename { name, new_name } => Some(MergeKey {
            field: Field::Name,
            before: name.clone(),
            after: clean_name(new_name).unwrap_or_else(|_| new_name.clone()),
        }),
        Edit::SetType { name, .. } => MergeKey::same(Field::Type, name),
        Edit::SetRegion { name, .. } => MergeKey::same(Field::Region, name),
        Edit::SetReplicas { name, .. } => MergeKey::same(Field::Replicas, name),
        Edit::SetHitRatio { name, .. } => MergeKey::same(Field::HitRatio, name),
        Edit::SetAutoscale { name, .. } => MergeKey::same(Field::Autoscale, name),
        Edit::Add { .. }
        | Edit::Delete { .. }
        | Edit::Connect { .. }
        | Edit::Disconnect { .. }
        | Edit::SetSync { .. }
        | Edit::Replace(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct TestNames;

    impl Names for TestNames {
        fn type_short(&self, type_id: &str) -> String {
            match type_id {
                "app" => short_type_label("App server"),
                "lb" => short_type_label("Load balancer"),
                "cdn" => short_type_label("CDN / edge"),
                "weird" => "a:b".to_string(),
                _ => String::new(),
            }
        }
        fn region_prefix(&self, region_id: &str) -> String {
            match region_id {
                "global" => String::new(),
                r => r.to_uppercase(),
            }
        }
    }

    fn comp(name: &str) -> Component {
        Component {
            name: name.into(),
            component_type: "app".into(),
            region: "us".into(),
            replicas: 1,
            hit_ratio: None,
            autoscale: None,
            service: None,
        }
    }

    fn conn(from: &str, to: &str) -> Connection {
        Connection {
            from: from.into(),
            to: to.into(),
            sync: false,
            share: None,
            rate: None,
        }
    }

    fn sample() -> Topology {
        Topology {
            components: vec![comp("US LB"), comp("US App"), comp("US DB")],
            connections: vec![conn("US LB", "US App"), conn("US App", "US DB")],
        }
    }

    fn run(t: &Topology, e: Edit) -> Result<Applied, EditError> {
        apply(t, &e, &TestNames)
    }

    fn add(t: &Topology, ty: &str, region: &str) -> Applied {
        run(
            t,
            Edit::Add {
                component_type: ty.into(),
                region: region.into(),
            },
        )
        .unwrap()
    }

    #[test]
    fn add_generates_unique_readable_names() {
        let a = add(&Topology::default(), "app", "us");
        assert_eq!(a.selection, Selection::Select("US App".into()));
        assert_eq!(a.topology.components[0].replicas, 1);
        let b = add(&a.topology, "app", "us");
        assert_eq!(b.selection, Selection::Select("US App 2".into()));
        let c = add(&b.topology, "app", "us");
        assert_eq!(c.selection, Selection::Select("US App 3".into()));
        assert_eq!(
            add(&c.topology, "lb", "eu").selection,
            Selection::Select("EU LB".into())
        );
        assert_eq!(
            add(&c.topology, "cdn", "global").selection,
            Selection::Select("CDN".into())
        );
    }

    #[test]
    fn add_falls_back_when_the_label_is_unusable() {
        // "a:b" would break the notation; the type id is used instead.
        assert_eq!(
            add(&Topology::default(), "weird", "us").selection,
            Selection::Select("US weird".into())
        );
        assert_eq!(
            add(&Topology::default(), "queue", "global").selection,
            Selection::Select("queue".into())
        );
    }

    #[test]
    fn add_rejects_bad_ids() {
        let e = run(
            &Topology::default(),
            Edit::Add {
                component_type: "".into(),
                region: "us".into(),
            },
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "Choose a type.");
        let e = run(
            &Topology::default(),
            Edit::Add {
                component_type: "app".into(),
                region: "u s".into(),
            },
        )
        .unwrap_err();
        assert!(e.to_string().contains("not a valid region id"), "{e}");
    }

    #[test]
    fn catalog_names_match_the_reference_solutions() {
        let catalog: Catalog =
            serde_yaml::from_str(include_str!("../../../problems/catalog.yaml")).unwrap();
        let regions: Regions =
            serde_yaml::from_str(include_str!("../../../problems/regions.yaml")).unwrap();
        let names = CatalogNames {
            catalog: &catalog,
            regions: &regions,
        };
        let added = |ty: &str, region: &str| {
            let edit = Edit::Add {
                component_type: ty.into(),
                region: region.into(),
            };
            match apply(&Topology::default(), &edit, &names)
                .unwrap()
                .selection
            {
                Selection::Select(name) => name,
                other => panic!("{other:?}"),
            }
        };
        assert_eq!(added("app", "us"), "US App");
        assert_eq!(added("lb", "eu"), "EU LB");
        assert_eq!(added("db_primary", "ap"), "AP DB");
        assert_eq!(added("cdn", "global"), "CDN");
        // Unknown ids still give a usable name; the validator reports them.
        assert_eq!(added("teleporter", "mars"), "MARS teleporter");
    }

    #[test]
    fn short_labels() {
        assert_eq!(short_type_label("App server"), "App");
        assert_eq!(short_type_label("Load balancer"), "LB");
        assert_eq!(short_type_label("Database primary"), "DB");
        assert_eq!(short_type_label("Database replica"), "Replica");
        assert_eq!(short_type_label("CDN / edge"), "CDN");
        assert_eq!(short_type_label("Cache"), "Cache");
        assert_eq!(short_type_label("  "), "");
    }

    #[test]
    fn rename_updates_connections_and_trims() {
        let a = run(
            &sample(),
            Edit::Rename {
                name: "US App".into(),
                new_name: "  Web   tier ".into(),
            },
        )
        .unwrap();
        assert_eq!(a.selection, Selection::Select("Web tier".into()));
        assert_eq!(a.topology.components[1].name, "Web tier");
        assert_eq!(
            a.topology.connections,
            vec![conn("US LB", "Web tier"), conn("Web tier", "US DB")]
        );
    }

    #[test]
    fn rename_rejects_bad_names() {
        let cases = [
            ("", "A component needs a name."),
            ("   ", "A component needs a name."),
            ("US DB", "A component named “US DB” already exists."),
            (
                "a:b",
                "A name cannot contain “:”, which has a meaning in the text view.",
            ),
            (
                "a → b",
                "A name cannot contain “→”, which has a meaning in the text view.",
            ),
            (
                "a->b",
                "A name cannot contain “->”, which has a meaning in the text view.",
            ),
            (
                "a=>b",
                "A name cannot contain “=>”, which has a meaning in the text view.",
            ),
            (
                "a ⇒ b",
                "A name cannot contain “⇒”, which has a meaning in the text view.",
            ),
            (
                "DB (SYNC)",
                "A name cannot contain “(sync)”, which has a meaning in the text view.",
            ),
            (
                "#1",
                "A name cannot start with “#”: the text view reads such a line as a comment.",
            ),
            ("a\u{0}b", "A name cannot contain control characters."),
        ];
        for (new_name, message) in cases {
            let e = run(
                &sample(),
                Edit::Rename {
                    name: "US App".into(),
                    new_name: new_name.into(),
                },
            )
            .unwrap_err();
            assert_eq!(e.to_string(), message, "{new_name:?}");
        }
        // Newlines are whitespace: a pasted name is joined onto one line.
        let a = run(
            &sample(),
            Edit::Rename {
                name: "US App".into(),
                new_name: "a\nb".into(),
            },
        )
        .unwrap();
        assert_eq!(a.topology.components[1].name, "a b");
        let long = "x".repeat(MAX_NAME_CHARS + 1);
        assert_eq!(clean_name(&long), Err(EditError::NameTooLong));
        assert!(is_valid_name("Shard #2"));
    }

    #[test]
    fn rename_to_itself_is_allowed() {
        let a = run(
            &sample(),
            Edit::Rename {
                name: "US App".into(),
                new_name: "US App ".into(),
            },
        )
        .unwrap();
        assert_eq!(a.topology, sample());
    }

    #[test]
    fn delete_removes_connections() {
        let a = run(
            &sample(),
            Edit::Delete {
                name: "US App".into(),
            },
        )
        .unwrap();
        assert_eq!(a.selection, Selection::Clear);
        assert_eq!(a.topology.components.len(), 2);
        assert!(a.topology.connections.is_empty());
        let e = run(&sample(), Edit::Delete { name: "X".into() }).unwrap_err();
        assert_eq!(e.to_string(), "There is no component named “X”.");
    }

    #[test]
    fn connect_rules() {
        let c = |from: &str, to: &str| {
            run(
                &sample(),
                Edit::Connect {
                    from: from.into(),
                    to: to.into(),
                },
            )
        };
        let a = c("US LB", "US DB").unwrap();
        assert_eq!(a.topology.connections.last(), Some(&conn("US LB", "US DB")));
        // The reverse direction is a different connection.
        assert!(c("US App", "US LB").is_ok());
        assert_eq!(
            c("US LB", "US LB").unwrap_err().to_string(),
            "“US LB” cannot be connected to itself."
        );
        assert_eq!(
            c("US LB", "US App").unwrap_err().to_string(),
            "“US LB” is already connected to “US App”."
        );
        assert_eq!(
            c("US LB", "Nope").unwrap_err(),
            EditError::UnknownComponent("Nope".into())
        );
        assert_eq!(
            c("Nope", "Nope").unwrap_err(),
            EditError::UnknownComponent("Nope".into())
        );
    }

    #[test]
    fn disconnect_and_sync() {
        let a = run(
            &sample(),
            Edit::SetSync {
                from: "US App".into(),
                to: "US DB".into(),
                sync: true,
            },
        )
        .unwrap();
        assert!(a.topology.connections[1].sync);
        let a = run(
            &a.topology,
            Edit::Disconnect {
                from: "US App".into(),
                to: "US DB".into(),
            },
        )
        .unwrap();
        assert_eq!(a.topology.connections, vec![conn("US LB", "US App")]);
        let e = run(
            &a.topology,
            Edit::Disconnect {
                from: "US App".into(),
                to: "US DB".into(),
            },
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "“US App” is not connected to “US DB”.");
    }

    #[test]
    fn fields() {
        let set = |e: Edit| run(&sample(), e).map(|a| a.topology.components[1].clone());
        let name = || "US App".to_string();
        assert_eq!(
            set(Edit::SetReplicas {
                name: name(),
                replicas: 8
            })
            .unwrap()
            .replicas,
            8
        );
        assert_eq!(
            set(Edit::SetReplicas {
                name: name(),
                replicas: u32::MAX
            })
            .unwrap()
            .replicas,
            MAX_REPLICAS
        );
        assert_eq!(
            set(Edit::SetReplicas {
                name: name(),
                replicas: 0
            })
            .unwrap_err()
            .to_string(),
            "A component needs at least 1 replica."
        );
        let c = set(Edit::SetType {
            name: name(),
            component_type: " cache ".into(),
        })
        .unwrap();
        assert_eq!(c.component_type, "cache");
        let c = set(Edit::SetRegion {
            name: name(),
            region: "eu".into(),
        })
        .unwrap();
        assert_eq!(c.region, "eu");
        let c = set(Edit::SetHitRatio {
            name: name(),
            hit_ratio: Some(0.35),
        })
        .unwrap();
        assert_eq!(c.hit_ratio, Some(0.35));
        for bad in [-0.1, 1.5, f64::NAN, f64::INFINITY] {
            assert_eq!(
                set(Edit::SetHitRatio {
                    name: name(),
                    hit_ratio: Some(bad),
                })
                .unwrap_err(),
                EditError::BadHitRatio
            );
        }
        let replicas = sample().components[1].replicas;
        let c = set(Edit::SetAutoscale {
            name: name(),
            max: Some(replicas + 10),
        })
        .unwrap();
        assert_eq!(
            c.autoscale,
            Some(meridian_engine::Autoscale { max: replicas + 10 })
        );
        let c = set(Edit::SetAutoscale {
            name: name(),
            max: None,
        })
        .unwrap();
        assert_eq!(c.autoscale, None);
        for bad in [replicas - 1, MAX_REPLICAS + 1] {
            let e = set(Edit::SetAutoscale {
                name: name(),
                max: Some(bad),
            })
            .unwrap_err();
            assert_eq!(e, EditError::BadAutoscale { replicas });
            assert!(e.to_string().contains(&format!("({replicas})")), "{e}");
        }
        assert_eq!(
            set(Edit::SetType {
                name: "X".into(),
                component_type: "app".into()
            })
            .unwrap_err(),
            EditError::UnknownComponent("X".into())
        );
    }

    #[test]
    fn replace_swaps_everything() {
        let a = run(&sample(), Edit::Replace(Topology::default())).unwrap();
        assert_eq!(a.topology, Topology::default());
        assert_eq!(a.selection, Selection::Clear);
    }

    #[test]
    fn merge_keys() {
        let r1 = merge_key(&Edit::Rename {
            name: "US Ap".into(),
            new_name: "US App".into(),
        })
        .unwrap();
        let r2 = merge_key(&Edit::Rename {
            name: "US App".into(),
            new_name: "US App ".into(),
        })
        .unwrap();
        assert!(r2.continues(&r1));
        assert!(!r1.continues(&r2));
        let rep = |n: &str| {
            merge_key(&Edit::SetReplicas {
                name: n.into(),
                replicas: 3,
            })
            .unwrap()
        };
        assert!(rep("A").continues(&rep("A")));
        assert!(!rep("A").continues(&rep("B")));
        // Same component, another field: a new step.
        assert!(!rep("US App").continues(&r2));
        assert!(MergeKey::text().continues(&MergeKey::text()));
        for e in [
            Edit::Add {
                component_type: "app".into(),
                region: "us".into(),
            },
            Edit::Delete { name: "A".into() },
            Edit::Connect {
                from: "A".into(),
                to: "B".into(),
            },
            Edit::Replace(Topology::default()),
        ] {
            assert_eq!(merge_key(&e), None);
        }
    }
}
