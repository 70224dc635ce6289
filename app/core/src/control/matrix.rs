//! The RACI matrix: the controls of several flows against the five parties, one row per
//! control. The editor's matrix panel and `medflow export raci` both read it, so they list
//! the same rows in the same order.
//!
//! A control is one row however many flows carry a copy of it (copies share the control's
//! id); the first copy read gives the row its name, kind, category and RACI, and the row
//! says when another copy differs. The actions are those the control addresses in every
//! flow, each once.

use std::cmp::Ordering;
use std::collections::HashMap;

use super::{Control, ControlKind, Party, controls};
use crate::model::{Document, StixObject};

/// Which controls the matrix shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MatrixFilter {
    /// Only the controls of this flow (its index among the flows given).
    pub flow: Option<usize>,
    /// Only the controls where this party holds a role.
    pub party: Option<Party>,
    /// Only the controls of this kind.
    pub kind: Option<ControlKind>,
}

/// The column the matrix is sorted by. Each sort ends by control name (ignoring case), then
/// id, so the order is always the same.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MatrixSort {
    /// By control name.
    #[default]
    Name,
    /// By kind (prevent, detect, respond, then none), then name.
    Kind,
    /// By the name of the first flow holding the control, then name.
    Flow,
}

/// One row of the matrix: a control and where it is used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixRow {
    /// The control, as its first copy reads.
    pub control: Control,
    /// The flows holding a copy, by index among the flows given, in that order.
    pub flows: Vec<usize>,
    /// The actions the control addresses, across flows, as `(id, name or id)`, each once.
    pub actions: Vec<(String, String)>,
    /// Another copy's kind, FDA category or RACI differs from the first's.
    pub copies_differ: bool,
}

/// The matrix of `flows` (each a name and its document): the rows `filter` lets through,
/// sorted by `sort` (reversed when `descending`).
#[must_use]
pub fn raci_matrix(
    flows: &[(&str, &Document)],
    filter: &MatrixFilter,
    sort: MatrixSort,
    descending: bool,
) -> Vec<MatrixRow> {
    let mut rows: Vec<MatrixRow> = Vec::new();
    let mut row_of: HashMap<String, usize> = HashMap::new();
    for (index, (_, document)) in flows.iter().enumerate() {
        if filter.flow.is_some_and(|flow| flow != index) {
            continue;
        }
        let names = action_names(document);
        for control in controls(document) {
            let row = if let Some(&row) = row_of.get(&control.id) {
                let first = &rows[row].control;
                let differs = first.kind != control.kind
                    || first.fda_category != control.fda_category
                    || first.raci != control.raci;
                rows[row].copies_differ |= differs;
                row
            } else {
                row_of.insert(control.id.clone(), rows.len());
                rows.push(MatrixRow {
                    control: control.clone(),
                    flows: Vec::new(),
                    actions: Vec::new(),
                    copies_differ: false,
                });
                rows.len() - 1
            };
            let row = &mut rows[row];
            if !row.flows.contains(&index) {
                row.flows.push(index);
            }
            for action in &control.addresses {
                if row.actions.iter().any(|(id, _)| id == action) {
                    continue;
                }
                let name = names
                    .get(action.as_str())
                    .map_or_else(|| action.clone(), |name| (*name).to_owned());
                row.actions.push((action.clone(), name));
            }
        }
    }
    rows.retain(|row| {
        filter
            .kind
            .is_none_or(|kind| row.control.kind == Some(kind))
            && filter
                .party
                .is_none_or(|party| row.control.raci.contains_key(&party))
    });
    let flow_name = |row: &MatrixRow| row.flows.first().map_or("", |&index| flows[index].0);
    rows.sort_by(|a, b| {
        let order = match sort {
            MatrixSort::Name => Ordering::Equal,
            MatrixSort::Kind => kind_rank(a.control.kind).cmp(&kind_rank(b.control.kind)),
            MatrixSort::Flow => flow_name(a).cmp(flow_name(b)),
        }
        .then_with(|| by_name(&a.control, &b.control));
        if descending { order.reverse() } else { order }
    });
    rows
}

/// Prevent, detect, respond, then controls of no known kind.
fn kind_rank(kind: Option<ControlKind>) -> usize {
    kind.map_or(ControlKind::ALL.len(), |kind| {
        ControlKind::ALL
            .iter()
            .position(|known| *known == kind)
            .unwrap_or_default()
    })
}

/// By name ignoring case, then as written, then by id.
fn by_name(a: &Control, b: &Control) -> Ordering {
    a.name
        .to_lowercase()
        .cmp(&b.name.to_lowercase())
        .then_with(|| a.name.cmp(&b.name))
        .then_with(|| a.id.cmp(&b.id))
}

/// Each action's name (actions without one are left out).
fn action_names(document: &Document) -> HashMap<&str, &str> {
    document
        .objects
        .iter()
        .filter_map(|object| match object {
            StixObject::AttackAction(action) => action
                .name
                .as_deref()
                .filter(|name| !name.trim().is_empty())
                .map(|name| (object.id(), name)),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::*;
    use crate::control::{ControlSpec, Roles, add_control, set_party_roles};
    use crate::edit::{Editor, NewObject, new_object};
    use crate::model::Timestamp;

    fn spec(name: &str, kind: ControlKind, party: Party) -> ControlSpec {
        ControlSpec {
            name: name.to_owned(),
            description: None,
            kind,
            source: None,
            fda_category: None,
            raci: [(party, Roles::parse("AR").unwrap())].into_iter().collect(),
        }
    }

    /// A flow with one action addressed by a control per spec.
    fn flow(name: &str, specs: &[ControlSpec], ids: &mut dyn FnMut(&str) -> String) -> Document {
        let now = Timestamp::from_unix_millis(0);
        let mut document = crate::edit::new_flow_document(name, ids, &now);
        let action = ids("attack-action");
        let mut object = new_object(NewObject::Action, &action, &now).to_json();
        object.insert("name".into(), format!("{name} action").into());
        document.objects.push(StixObject::from_json(object));
        let mut editor = Editor::new(document);
        for spec in specs {
            let (commands, _) = add_control(
                editor.document(),
                spec,
                std::slice::from_ref(&action),
                ids,
                &now,
            );
            editor.apply("Add", commands).unwrap();
        }
        editor.document().clone()
    }

    fn counter() -> impl FnMut(&str) -> String {
        let mut count = 0;
        move |kind: &str| {
            count += 1;
            format!("{kind}--00000000-0000-4000-8000-{count:012}")
        }
    }

    fn names(rows: &[MatrixRow]) -> Vec<String> {
        rows.iter().map(|row| row.control.name.clone()).collect()
    }

    #[test]
    fn rows_filter_and_sort_by_each_column() {
        let mut ids = counter();
        let first = flow(
            "Pump",
            &[
                spec("badge audit", ControlKind::Detect, Party::Hdo),
                spec("Account lockout", ControlKind::Prevent, Party::Mdm),
            ],
            &mut ids,
        );
        let second = flow(
            "Console",
            &[spec("Cold spare", ControlKind::Respond, Party::Hdo)],
            &mut ids,
        );
        let flows = [("Pump", &first), ("Console", &second)];
        let all = MatrixFilter::default();
        let sorted = |sort, descending| names(&raci_matrix(&flows, &all, sort, descending));
        assert_eq!(
            sorted(MatrixSort::Name, false),
            ["Account lockout", "badge audit", "Cold spare"],
            "names ignore case"
        );
        assert_eq!(
            sorted(MatrixSort::Kind, true),
            ["Cold spare", "badge audit", "Account lockout"]
        );
        assert_eq!(
            sorted(MatrixSort::Flow, false),
            ["Cold spare", "Account lockout", "badge audit"]
        );
        let only =
            |filter: MatrixFilter| names(&raci_matrix(&flows, &filter, MatrixSort::Name, false));
        assert_eq!(
            only(MatrixFilter {
                party: Some(Party::Hdo),
                ..all
            }),
            ["badge audit", "Cold spare"]
        );
        assert_eq!(
            only(MatrixFilter {
                kind: Some(ControlKind::Prevent),
                ..all
            }),
            ["Account lockout"]
        );
        assert_eq!(
            only(MatrixFilter {
                flow: Some(1),
                ..all
            }),
            ["Cold spare"]
        );
        let row = &raci_matrix(&flows, &all, MatrixSort::Name, false)[0];
        assert_eq!(row.flows, [0]);
        assert_eq!(row.actions.len(), 1);
        assert_eq!(row.actions[0].1, "Pump action");
    }

    #[test]
    fn a_control_in_several_flows_is_one_row_that_says_when_copies_differ() {
        let mut ids = counter();
        let first = flow(
            "Pump",
            &[spec("MFA", ControlKind::Prevent, Party::Hdo)],
            &mut ids,
        );
        // The second flow carries a copy of the same control, with its own RACI.
        let control = controls(&first)[0].clone();
        let mut second = flow("Console", &[], &mut ids);
        let action = second
            .objects
            .iter()
            .rev()
            .find(|object| object.type_name() == "attack-action")
            .unwrap()
            .id()
            .to_owned();
        second
            .objects
            .push(first.object(&control.id).unwrap().clone());
        second.objects.push(crate::control::control_relationship(
            "relationship--00000000-0000-4000-8000-000000000999",
            &control.id,
            &action,
            ControlKind::Prevent,
            &Timestamp::from_unix_millis(0),
        ));
        let flows = [("Pump", &first), ("Console", &second)];
        let rows = raci_matrix(&flows, &MatrixFilter::default(), MatrixSort::Name, false);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].flows, [0, 1]);
        assert_eq!(rows[0].actions.len(), 2);
        assert!(!rows[0].copies_differ);

        let mut editor = Editor::new(second);
        let commands = set_party_roles(
            editor.document(),
            &control.id,
            Party::Mdm,
            Roles::parse("C").unwrap(),
        );
        editor.apply("Set MDM", commands).unwrap();
        let second = editor.document().clone();
        let copy = controls(&second)
            .into_iter()
            .find(|known| known.id == control.id)
            .unwrap();
        assert_eq!(
            copy.raci.get(&Party::Mdm),
            Some(&Roles::parse("C").unwrap())
        );
        assert_eq!(
            copy.raci.get(&Party::Hdo),
            Some(&Roles::parse("AR").unwrap())
        );
        let flows = [("Pump", &first), ("Console", &second)];
        let rows = raci_matrix(&flows, &MatrixFilter::default(), MatrixSort::Name, false);
        assert!(rows[0].copies_differ);
        assert_eq!(rows[0].control.raci, control.raci, "the first copy speaks");
        assert!(
            set_party_roles(&second, &control.id, Party::Mdm, Roles::parse("C").unwrap())
                .is_empty(),
            "nothing to do"
        );
    }
}
