//! Giving an action its ATT&CK technique, as editor [`Command`]s: the technique's id and
//! STIX id, the tactic it is used for with the tactic's STIX id, and the action's name when
//! it is still empty, the template's, or the previous technique's name (an auto-filled one).

use serde_json::Value;

use super::Catalog;
use crate::edit::Command;
use crate::edit::templates::NEW_ACTION_NAME;
use crate::model::Document;

/// A technique chosen for an action, with the tactic it is used for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TechniqueChoice {
    /// The ATT&CK id, e.g. `T1078` or `T1078.004`.
    pub technique_id: String,
    /// The technique entry's STIX id (`attack-pattern--…`).
    pub technique_ref: String,
    /// The technique's name, e.g. `Valid Accounts`.
    pub technique_name: String,
    /// The tactic the technique is used for, e.g. `TA0001`; `None` when it has no tactic.
    pub tactic_id: Option<String>,
    /// The tactic entry's STIX id (`x-mitre-tactic--…`), from the technique's own domain.
    pub tactic_ref: Option<String>,
}

/// The commands that give `action` the technique `choice`: ids and refs, and the name when
/// it is empty, the new-action template's, or the name of the technique it had (as the
/// catalog names it). Nothing when `action` is not in the document.
#[must_use]
pub fn assign_technique(
    document: &Document,
    action: &str,
    choice: &TechniqueChoice,
    catalog: &Catalog,
) -> Vec<Command> {
    let Some(object) = document
        .object(action)
        .map(crate::model::StixObject::to_json)
    else {
        return Vec::new();
    };
    let text = |key: &str| object.get(key).and_then(Value::as_str).map(str::to_owned);
    let set = |name: &str, value: Option<String>| Command::SetProperty {
        id: action.to_owned(),
        name: name.to_owned(),
        value: value.map(Value::String),
    };
    // No tactic chosen (the technique has several): the action's own stays if it is one of
    // the technique's, else none is set rather than a guess.
    let (tactic_id, tactic_ref) = if choice.tactic_id.is_some() {
        (choice.tactic_id.clone(), choice.tactic_ref.clone())
    } else {
        let current = text("tactic_id").filter(|current| {
            catalog
                .technique(&choice.technique_id)
                .is_some_and(|technique| technique.tactics.iter().any(|tactic| tactic == current))
        });
        let reference = current.as_ref().and_then(|_| text("tactic_ref"));
        (current, reference)
    };
    let mut commands = vec![
        set("technique_id", Some(choice.technique_id.clone())),
        set("technique_ref", Some(choice.technique_ref.clone())),
        set("tactic_id", tactic_id),
        set("tactic_ref", tactic_ref),
    ];
    let name = text("name").unwrap_or_default();
    let auto_filled = text("technique_id")
        .and_then(|id| catalog.technique(&id))
        .is_some_and(|previous| previous.name == name);
    if name.trim().is_empty() || name == NEW_ACTION_NAME || auto_filled {
        commands.push(set("name", Some(choice.technique_name.clone())));
    }
    commands
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::*;
    use crate::edit::Editor;

    fn choice(id: &str, name: &str) -> TechniqueChoice {
        let catalog = Catalog::embedded();
        let entry = catalog.technique(id).unwrap();
        assert_eq!(entry.name, name);
        TechniqueChoice {
            technique_id: id.to_owned(),
            technique_ref: entry.stix_id.to_string(),
            technique_name: entry.name.to_string(),
            tactic_id: Some("TA0001".to_owned()),
            tactic_ref: None,
        }
    }

    fn name_after(editor: &mut Editor, action: &str, choice: &TechniqueChoice) -> String {
        let commands = assign_technique(editor.document(), action, choice, Catalog::embedded());
        editor.apply("Set technique", commands).unwrap();
        match editor.document().object(action).unwrap() {
            crate::model::StixObject::AttackAction(found) => {
                assert_eq!(
                    found.technique_id.as_deref(),
                    Some(choice.technique_id.as_str())
                );
                assert_eq!(found.tactic_ref, None, "a missing ref is removed");
                found.name.clone().unwrap_or_default()
            }
            _ => unreachable!("an action"),
        }
    }

    #[test]
    fn the_name_follows_the_technique_until_the_author_writes_one() {
        let mut editor = Editor::new_flow("Flow");
        let action = editor
            .document()
            .first_of_type("attack-action")
            .unwrap()
            .id()
            .to_owned();
        let valid = choice("T1078", "Valid Accounts");
        let phishing = choice("T1566", "Phishing");
        assert_eq!(name_after(&mut editor, &action, &valid), "Valid Accounts");
        assert_eq!(name_after(&mut editor, &action, &phishing), "Phishing");
        editor
            .apply(
                "Rename",
                vec![Command::SetProperty {
                    id: action.clone(),
                    name: "name".to_owned(),
                    value: Some("Vendor signs in".into()),
                }],
            )
            .unwrap();
        assert_eq!(name_after(&mut editor, &action, &valid), "Vendor signs in");
        assert!(
            assign_technique(
                editor.document(),
                "attack-action--x",
                &valid,
                Catalog::embedded()
            )
            .is_empty()
        );
    }
}
