//! The control actions applied to a tab's document, each one undoable step: add a control to
//! an action (reusing the document's control with the same source when there is one), link
//! and unlink, set kind, FDA category and RACI.

use medflow_core::control::{
    self, ControlKind, ControlSpec, FdaCategory, Raci, controls, link_control, set_control,
    unlink_control,
};

use crate::tab::Tab;

/// Adds `spec` as a control of `action`. When the document already has a control citing the
/// same source (an ATT&CK mitigation used on another action), that control is linked instead,
/// so one control keeps one definition. Returns the control's id.
pub fn add(tab: &mut Tab, action: &str, spec: &ControlSpec) -> Result<String, String> {
    let existing = spec.source.as_ref().and_then(|source| {
        controls(tab.document())
            .into_iter()
            .find(|known| known.source.as_ref() == Some(source))
    });
    if let Some(known) = existing {
        link(tab, &known.id, action)?;
        return Ok(known.id);
    }
    let editor = &mut tab.editor;
    let now = editor.now();
    let mut ids = Vec::new();
    for type_name in ["course-of-action", "relationship"] {
        ids.push((type_name, editor.new_id(type_name)));
    }
    let mut new_id = |type_name: &str| {
        ids.iter()
            .find(|(known, _)| *known == type_name)
            .map_or_else(String::new, |(_, id)| id.clone())
    };
    let (commands, id) = control::add_control(
        editor.document(),
        spec,
        &[action.to_owned()],
        &mut new_id,
        &now,
    );
    editor
        .apply(format!("Add control {}", spec.name), commands)
        .map_err(|error| error.to_string())?;
    Ok(id)
}

/// Links the document's control `control` to `action`.
pub fn link(tab: &mut Tab, control: &str, action: &str) -> Result<(), String> {
    let label = format!("Link control {}", name_of(tab, control));
    let editor = &mut tab.editor;
    let now = editor.now();
    let relationship = editor.new_id("relationship");
    let commands = link_control(
        editor.document(),
        control,
        action,
        &mut |_| relationship.clone(),
        &now,
    );
    if commands.is_empty() {
        return Ok(());
    }
    editor
        .apply(label, commands)
        .map_err(|error| error.to_string())
}

/// Removes the links between `control` and `action`.
pub fn unlink(tab: &mut Tab, control: &str, action: &str) -> Result<(), String> {
    let commands = unlink_control(tab.document(), control, action);
    if commands.is_empty() {
        return Ok(());
    }
    let label = format!("Unlink control {}", name_of(tab, control));
    tab.editor
        .apply(label, commands)
        .map_err(|error| error.to_string())
}

/// Sets the kind, FDA category and RACI of `control`.
pub fn set(
    tab: &mut Tab,
    control: &str,
    kind: ControlKind,
    fda_category: Option<FdaCategory>,
    raci: &Raci,
    label: String,
) -> Result<(), String> {
    let commands = set_control(tab.document(), control, kind, fda_category, raci);
    if commands.is_empty() {
        return Ok(());
    }
    tab.editor
        .apply(label, commands)
        .map_err(|error| error.to_string())
}

/// A control's name, or its id.
fn name_of(tab: &Tab, control: &str) -> String {
    controls(tab.document())
        .into_iter()
        .find(|known| known.id == control)
        .map_or_else(|| control.to_owned(), |known| known.name)
}
