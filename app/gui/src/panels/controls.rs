//! The inspector's control sections: for a selected action, its controls and the ATT&CK
//! mitigations and detection strategies of its technique offered as one-click controls; for
//! a selected control, its kind, FDA category, RACI row editor and the actions it addresses.

use eframe::egui::{self, RichText};
use medflow_core::StixObject;
use medflow_core::attack::{Catalog, Entry};
use medflow_core::control::{
    Control, ControlKind, ControlSource, ControlSpec, FdaCategory, Party, Raci, Role, controls,
};

use crate::actions::Action;
use crate::tab::Tab;

/// The text typed for a new custom control, kept while the action stays selected.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewControlDraft {
    /// The action the draft is for.
    pub action: String,
    /// The name typed.
    pub name: String,
    /// The kind chosen.
    pub kind: Option<ControlKind>,
}

fn spec_from_entry(entry: &Entry, kind: ControlKind) -> ControlSpec {
    let source = match kind {
        ControlKind::Detect => ControlSource::DetectionStrategy(entry.id.to_string()),
        ControlKind::Prevent | ControlKind::Respond => {
            ControlSource::Mitigation(entry.id.to_string())
        }
    };
    ControlSpec {
        name: entry.name.to_string(),
        description: None,
        kind,
        source: Some(source),
        fda_category: None,
        raci: Raci::new(),
    }
}

/// A one-line summary of a control: `prevent · M1032 · HDO AR, MDM C`.
fn summary(control: &Control) -> String {
    let mut parts = vec![control.kind.map_or("?", ControlKind::as_str).to_owned()];
    if let Some(source) = &control.source {
        parts.push(source.to_string());
    }
    let raci: Vec<String> = control
        .raci
        .iter()
        .map(|(party, roles)| format!("{party} {roles}"))
        .collect();
    if raci.is_empty() {
        parts.push("no RACI yet".to_owned());
    } else {
        parts.push(raci.join(", "));
    }
    parts.join(" · ")
}

/// The controls section of an action's inspector.
pub fn action_controls_ui(
    ui: &mut egui::Ui,
    tab: &Tab,
    catalog: &Catalog,
    action_id: &str,
    draft: &mut NewControlDraft,
    actions: &mut Vec<Action>,
) {
    ui.separator();
    ui.heading("Controls");
    let all = controls(tab.document());
    let linked: Vec<&Control> = all
        .iter()
        .filter(|control| control.addresses.iter().any(|id| id == action_id))
        .collect();
    if linked.is_empty() {
        ui.label(RichText::new("No control addresses this action yet.").weak());
    }
    for control in &linked {
        ui.horizontal(|ui| {
            if ui
                .add(egui::Button::selectable(false, &control.name).truncate())
                .on_hover_text(summary(control))
                .clicked()
            {
                actions.push(Action::Select(vec![control.id.clone()]));
            }
            if ui.small_button("Unlink").clicked() {
                actions.push(Action::UnlinkControl {
                    control: control.id.clone(),
                    action: action_id.to_owned(),
                });
            }
        });
        ui.label(RichText::new(summary(control)).small().weak());
    }

    suggestions_ui(ui, tab, catalog, action_id, &linked, actions);

    let others: Vec<&Control> = all
        .iter()
        .filter(|control| !control.addresses.iter().any(|id| id == action_id))
        .collect();
    if !others.is_empty() {
        egui::ComboBox::from_id_salt("link_existing_control")
            .selected_text("Link a control of this flow…")
            .show_ui(ui, |ui| {
                for control in others {
                    if ui.selectable_label(false, &control.name).clicked() {
                        actions.push(Action::LinkControl {
                            control: control.id.clone(),
                            action: action_id.to_owned(),
                        });
                    }
                }
            });
    }

    if draft.action != action_id {
        *draft = NewControlDraft {
            action: action_id.to_owned(),
            ..NewControlDraft::default()
        };
    }
    ui.horizontal(|ui| {
        ui.add(
            egui::TextEdit::singleline(&mut draft.name)
                .hint_text("New custom control")
                .desired_width(160.0),
        );
        let kind = draft.kind.get_or_insert(ControlKind::Prevent);
        egui::ComboBox::from_id_salt("new_control_kind")
            .selected_text(kind.as_str())
            .show_ui(ui, |ui| {
                for choice in ControlKind::ALL {
                    ui.selectable_value(kind, choice, choice.as_str());
                }
            });
        let name = draft.name.trim().to_owned();
        if ui
            .add_enabled(!name.is_empty(), egui::Button::new("Add"))
            .clicked()
        {
            actions.push(Action::AddControl {
                action: action_id.to_owned(),
                spec: ControlSpec {
                    name,
                    description: None,
                    kind: *kind,
                    source: None,
                    fda_category: None,
                    raci: Raci::new(),
                },
            });
            draft.name.clear();
        }
    });
}

/// The ATT&CK mitigations and detection strategies of the action's technique that no linked
/// control cites yet, each added with one click.
fn suggestions_ui(
    ui: &mut egui::Ui,
    tab: &Tab,
    catalog: &Catalog,
    action_id: &str,
    linked: &[&Control],
    actions: &mut Vec<Action>,
) {
    let Some(StixObject::AttackAction(action)) = tab.document().object(action_id) else {
        return;
    };
    let Some(technique) = action
        .technique_id
        .as_deref()
        .and_then(|id| catalog.technique(id))
    else {
        ui.label(RichText::new("Pick a technique to see its ATT&CK mitigations.").weak());
        return;
    };
    let cited = |id: &str| {
        linked.iter().any(|control| {
            control
                .source
                .as_ref()
                .is_some_and(|source| source.id() == id)
        })
    };
    let mut offered: Vec<(&Entry, ControlKind)> = catalog
        .mitigations_of(technique)
        .into_iter()
        .map(|entry| (entry, ControlKind::Prevent))
        .chain(
            catalog
                .detections_of(technique)
                .into_iter()
                .map(|entry| (entry, ControlKind::Detect)),
        )
        .filter(|(entry, _)| !entry.deprecated && !entry.revoked && !cited(&entry.id))
        .collect();
    offered.dedup_by(|a, b| a.0.id == b.0.id);
    if offered.is_empty() {
        return;
    }
    egui::CollapsingHeader::new(format!(
        "Suggested by ATT&CK for {} ({})",
        technique.id,
        offered.len()
    ))
    .id_salt(("suggestions", action_id))
    .default_open(true)
    .show(ui, |ui| {
        for (entry, kind) in offered {
            ui.horizontal(|ui| {
                let verb = match kind {
                    ControlKind::Detect => "Add detection",
                    ControlKind::Prevent | ControlKind::Respond => "Add prevention",
                };
                if ui
                    .small_button(verb)
                    .on_hover_text(format!(
                        "Add {} {} as a {kind} control",
                        entry.id, entry.name
                    ))
                    .clicked()
                {
                    actions.push(Action::AddControl {
                        action: action_id.to_owned(),
                        spec: spec_from_entry(entry, kind),
                    });
                }
                ui.label(format!("{} {}", entry.id, entry.name));
            });
        }
    });
}

/// The control section of a control's inspector: kind, FDA category, RACI rows, actions.
pub fn control_inspector_ui(
    ui: &mut egui::Ui,
    tab_index: usize,
    tab: &Tab,
    control_id: &str,
    actions: &mut Vec<Action>,
) {
    let Some(control) = controls(tab.document())
        .into_iter()
        .find(|control| control.id == control_id)
    else {
        return;
    };
    ui.separator();
    ui.heading("Control");
    if let Some(source) = &control.source {
        ui.label(format!("Source: {source}"));
    }
    let kind = control.kind.unwrap_or(ControlKind::Prevent);
    let mut chosen_kind = kind;
    let mut chosen_category = control.fda_category;
    egui::Grid::new("control_fields")
        .num_columns(2)
        .show(ui, |ui| {
            ui.label("Kind");
            egui::ComboBox::from_id_salt("control_kind")
                .selected_text(kind.as_str())
                .show_ui(ui, |ui| {
                    for choice in ControlKind::ALL {
                        ui.selectable_value(&mut chosen_kind, choice, choice.as_str());
                    }
                });
            ui.end_row();
            ui.label("FDA category");
            egui::ComboBox::from_id_salt("control_fda_category")
                .selected_text(control.fda_category.map_or("(none)", FdaCategory::label))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut chosen_category, None, "(none)");
                    for choice in FdaCategory::ALL {
                        ui.selectable_value(&mut chosen_category, Some(choice), choice.label());
                    }
                });
            ui.end_row();
        });
    if chosen_kind != kind || chosen_category != control.fda_category {
        let label = if chosen_kind == kind {
            format!("Set FDA category of {}", control.name)
        } else {
            format!("Set kind of {} to {chosen_kind}", control.name)
        };
        actions.push(Action::SetControl {
            tab: tab_index,
            control: control.id.clone(),
            kind: chosen_kind,
            fda_category: chosen_category,
            raci: control.raci.clone(),
            label,
        });
    }

    raci_rows_ui(ui, tab_index, &control, kind, actions);

    ui.label(RichText::new("Addresses").strong());
    if control.addresses.is_empty() {
        ui.label(RichText::new("No action yet.").weak());
    }
    for action in &control.addresses {
        let name = match tab.document().object(action) {
            Some(StixObject::AttackAction(found)) => {
                found.name.clone().unwrap_or_else(|| action.clone())
            }
            _ => action.clone(),
        };
        if ui
            .add(egui::Button::selectable(false, name).truncate())
            .on_hover_text("Show on the canvas")
            .clicked()
        {
            actions.push(Action::Reveal(action.clone()));
        }
    }
}

/// The RACI row editor: one row per party, a checkbox per role.
fn raci_rows_ui(
    ui: &mut egui::Ui,
    tab_index: usize,
    control: &Control,
    kind: ControlKind,
    actions: &mut Vec<Action>,
) {
    ui.label(RichText::new("Responsibility (RACI)").strong());
    egui::Grid::new("control_raci")
        .num_columns(Role::ALL.len() + 1)
        .striped(true)
        .show(ui, |ui| {
            ui.label("");
            for role in Role::ALL {
                ui.label(RichText::new(role.letter().to_string()).strong())
                    .on_hover_text(role.name());
            }
            ui.end_row();
            for party in Party::ALL {
                ui.label(party.short_name()).on_hover_text(party.name());
                let roles = control.raci.get(&party).copied().unwrap_or_default();
                for role in Role::ALL {
                    let mut held = roles.contains(role);
                    let response = ui.checkbox(&mut held, "");
                    let accessible =
                        format!("{} {} of {}", party.short_name(), role.name(), control.name);
                    response.widget_info(|| {
                        egui::WidgetInfo::selected(
                            egui::WidgetType::Checkbox,
                            true,
                            held,
                            &accessible,
                        )
                    });
                    if response.changed() {
                        let mut raci = control.raci.clone();
                        let changed = if held {
                            roles.with(role)
                        } else {
                            roles.without(role)
                        };
                        if changed.is_empty() {
                            raci.remove(&party);
                        } else {
                            raci.insert(party, changed);
                        }
                        let shown = if changed.is_empty() {
                            "none".to_owned()
                        } else {
                            changed.to_string()
                        };
                        actions.push(Action::SetControl {
                            tab: tab_index,
                            control: control.id.clone(),
                            kind,
                            fda_category: control.fda_category,
                            raci,
                            label: format!("Set {party} to {shown} on {}", control.name),
                        });
                    }
                }
                ui.end_row();
            }
        });
}

/// When the library's control catalogue defines this control differently: what differs, and
/// a button that brings the flow's copy up to date (one undoable step).
pub fn catalogue_drift_ui(
    ui: &mut egui::Ui,
    tab: &Tab,
    catalogue: &medflow_core::Document,
    control_id: &str,
    actions: &mut Vec<Action>,
) {
    let (Some(copy), Some(definition)) = (
        tab.document().object(control_id),
        catalogue.object(control_id),
    ) else {
        return;
    };
    let differences: Vec<medflow_core::control::Drift> = medflow_core::control::drift(
        &medflow_core::Document {
            bundle_id: String::new(),
            objects: vec![copy.clone()],
        },
        catalogue,
    );
    if differences.is_empty() {
        ui.label(RichText::new("Same as in the library's control catalogue.").weak());
        return;
    }
    ui.separator();
    ui.label(
        RichText::new("This copy differs from the library's control catalogue:")
            .color(ui.visuals().warn_fg_color),
    );
    for difference in &differences {
        let shown = |text: &str| {
            if text.is_empty() {
                "(none)".to_owned()
            } else {
                text.to_owned()
            }
        };
        ui.label(format!(
            "{}: {} here, {} in the catalogue",
            difference.field,
            shown(&difference.in_flow),
            shown(&difference.in_catalogue)
        ));
    }
    if ui.button("Update from catalogue").clicked() {
        let name = difference_name(&differences);
        actions.push(Action::Edit {
            label: format!("Update {name} from the catalogue"),
            coalesce_key: None,
            commands: vec![medflow_core::edit::Command::ReplaceObject {
                object: medflow_core::control::updated_from_catalogue(copy, definition),
            }],
        });
    }
}

fn difference_name(differences: &[medflow_core::control::Drift]) -> String {
    differences
        .first()
        .map_or_else(String::new, |difference| difference.control_name.clone())
}
