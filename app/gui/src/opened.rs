//! What the editor holds for an open file: the document, its problems, and the object list's
//! grouping, computed once when the file is opened.

use medflow_core::attack::Catalog;
use medflow_core::{Context, Diagnostic, Document, StixObject, validate};

/// The groups of the object list, in display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ObjectGroup {
    /// `attack-flow`.
    Flow,
    /// `attack-action`.
    Actions,
    /// `attack-condition`.
    Conditions,
    /// `attack-operator`.
    Operators,
    /// `attack-asset`.
    Assets,
    /// Every other STIX object.
    Other,
}

impl ObjectGroup {
    /// Every group, in display order.
    pub const ALL: [Self; 6] = [
        Self::Flow,
        Self::Actions,
        Self::Conditions,
        Self::Operators,
        Self::Assets,
        Self::Other,
    ];

    /// The group an object belongs to.
    #[must_use]
    pub fn of(object: &StixObject) -> Self {
        match object {
            StixObject::AttackFlow(_) => Self::Flow,
            StixObject::AttackAction(_) => Self::Actions,
            StixObject::AttackCondition(_) => Self::Conditions,
            StixObject::AttackOperator(_) => Self::Operators,
            StixObject::AttackAsset(_) => Self::Assets,
            StixObject::Other(_) => Self::Other,
        }
    }

    /// The heading shown above the group.
    #[must_use]
    pub fn heading(self) -> &'static str {
        match self {
            Self::Flow => "Attack flow",
            Self::Actions => "Actions",
            Self::Conditions => "Conditions",
            Self::Operators => "Operators",
            Self::Assets => "Assets",
            Self::Other => "Other objects",
        }
    }
}

/// A file that was read: the document and everything the viewer derives from it.
#[derive(Debug, Clone)]
pub struct OpenedFile {
    /// The name the file is known by (its path, or a test's label).
    pub label: String,
    /// The document as read.
    pub document: Document,
    /// The reader's warnings followed by the validation problems.
    pub diagnostics: Vec<Diagnostic>,
    /// For each object (by index), the text shown for it in lists.
    pub object_labels: Vec<String>,
    /// Indices of the objects of each non-empty group, in display order.
    pub groups: Vec<(ObjectGroup, Vec<usize>)>,
}

impl OpenedFile {
    /// Validates the document and prepares the object list.
    #[must_use]
    pub fn new(
        label: String,
        document: Document,
        mut diagnostics: Vec<Diagnostic>,
        catalog: &Catalog,
    ) -> Self {
        diagnostics.extend(validate(&document, &Context::with_catalog(catalog)));
        let object_labels = document.objects.iter().map(object_label).collect();
        let groups = ObjectGroup::ALL
            .into_iter()
            .filter_map(|group| {
                let members: Vec<usize> = document
                    .objects
                    .iter()
                    .enumerate()
                    .filter(|(_, object)| ObjectGroup::of(object) == group)
                    .map(|(index, _)| index)
                    .collect();
                (!members.is_empty()).then_some((group, members))
            })
            .collect();
        Self {
            label,
            document,
            diagnostics,
            object_labels,
            groups,
        }
    }

    /// The flow's name, or the file label when the flow has none.
    #[must_use]
    pub fn flow_name(&self) -> &str {
        self.document
            .flow()
            .and_then(|flow| flow.name.as_deref())
            .unwrap_or(&self.label)
    }

    /// The index of the first object with this id.
    #[must_use]
    pub fn object_index(&self, id: &str) -> Option<usize> {
        self.document
            .objects
            .iter()
            .position(|object| object.id() == id)
    }
}

/// The text that names an object: its name, else its description, else its id.
#[must_use]
pub fn object_label(object: &StixObject) -> String {
    let properties = object.to_json();
    let text = ["name", "description"]
        .into_iter()
        .find_map(|key| properties.get(key).and_then(|value| value.as_str()))
        .map(str::trim)
        .filter(|text| !text.is_empty());
    match text {
        Some(text) => first_line(text),
        None if object.id().is_empty() => format!("({} without id)", object.type_name()),
        None => object.id().to_owned(),
    }
}

/// The first line of a text, cut to a length that fits a list row.
fn first_line(text: &str) -> String {
    const MAX_CHARS: usize = 80;
    let line = text.lines().next().unwrap_or_default();
    if line.chars().count() > MAX_CHARS || line.len() < text.len() {
        let cut: String = line.chars().take(MAX_CHARS).collect();
        format!("{}…", cut.trim_end())
    } else {
        line.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_and_multi_line_texts_are_cut() {
        assert_eq!(first_line("short"), "short");
        assert_eq!(first_line("one\ntwo"), "one…");
        assert_eq!(first_line(&"x".repeat(100)).chars().count(), 81);
    }
}
