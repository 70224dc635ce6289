//! The profile panel: an architecture profile (one product described against the reference
//! architecture) edited in its tab, in place of the canvas. Which reference components the
//! product has and what it calls them, the components it adds, and the controls of the
//! library's catalogue it implements, with the implementing party. Every change is an edit
//! of the profile document, so it can be undone.

use eframe::egui::{self, RichText};
use medflow_core::Document;
use medflow_core::architecture::{
    Architecture, ImplementedControl, Profile, ProfileComponent, profile_entry, profile_value,
    with_profile_value,
};
use medflow_core::control::{Party, controls};
use medflow_core::edit::Command;

use crate::actions::Action;
use crate::tab::Tab;

/// What is being typed for a new added component.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileDraft {
    /// The new component's key.
    pub key: String,
    /// Its name.
    pub name: String,
    /// Its zone's key.
    pub zone: String,
}

/// The command replacing the profile's entry with these parts.
fn set_profile(
    document: &Document,
    profile: &Profile,
    components: &[ProfileComponent],
    controls: &[ImplementedControl],
) -> Option<Command> {
    let root = document
        .objects
        .iter()
        .find(|object| object.type_name() == "grouping" && profile_entry(object).is_some())?;
    Some(Command::ReplaceObject {
        object: with_profile_value(root, profile_value(&profile.based_on, components, controls)),
    })
}

fn edit(label: String, key: Option<String>, commands: Vec<Command>) -> Action {
    Action::Edit {
        label,
        coalesce_key: key,
        commands,
    }
}

/// Draws the profile of the tab's document.
pub fn profile_ui(
    ui: &mut egui::Ui,
    tab: &mut Tab,
    catalogue: Option<&Document>,
    actions: &mut Vec<Action>,
) {
    let document = tab.document().clone();
    let profile = match Profile::from_document(&document) {
        Ok(profile) => profile,
        Err(error) => {
            ui.label(
                RichText::new(format!("This profile cannot be read: {error}"))
                    .color(ui.visuals().error_fg_color),
            );
            return;
        }
    };
    let reference = Architecture::reference_static();
    egui::ScrollArea::vertical()
        .id_salt("profile_panel")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.heading("Architecture profile");
            let mut name = profile.name.clone();
            ui.horizontal(|ui| {
                ui.label("Product");
                if ui.text_edit_singleline(&mut name).changed() {
                    actions.push(edit(
                        "Rename product".to_owned(),
                        Some("profile-name".to_owned()),
                        vec![Command::SetProperty {
                            id: profile.id.clone(),
                            name: "name".to_owned(),
                            value: Some(name.clone().into()),
                        }],
                    ));
                }
            });
            if profile.based_on == reference.key {
                ui.label(
                    RichText::new(format!(
                        "Based on the {}. Untick what the product does not have; name components as the product does.",
                        reference.name
                    ))
                    .weak(),
                );
            } else {
                // The editor knows the reference architecture only: say so rather than pass
                // its components off as the profile's architecture.
                ui.label(
                    RichText::new(format!(
                        "Based on architecture \"{}\", which the editor does not have; the components below are the {}'s.",
                        profile.based_on, reference.name
                    ))
                    .color(ui.visuals().warn_fg_color),
                );
            }
            components_ui(ui, &document, &profile, reference, actions);
            ui.separator();
            added_ui(ui, tab, &profile, reference, actions);
            ui.separator();
            controls_ui(ui, &document, &profile, catalogue, actions);
        });
}

/// The reference components, by zone: present or not, and the product's names.
fn components_ui(
    ui: &mut egui::Ui,
    document: &Document,
    profile: &Profile,
    reference: &Architecture,
    actions: &mut Vec<Action>,
) {
    egui::Grid::new("profile_components")
        .num_columns(4)
        .striped(true)
        .show(ui, |ui| {
            for header in ["Has it", "Component", "Zone", "Called in this product"] {
                ui.label(RichText::new(header).strong());
            }
            ui.end_row();
            for component in &reference.components {
                let index = profile
                    .components
                    .iter()
                    .position(|known| known.key == component.key);
                let current = index.map_or(
                    ProfileComponent {
                        key: component.key.clone(),
                        present: false,
                        name: None,
                    },
                    |index| profile.components[index].clone(),
                );
                let mut present = current.present;
                let response = ui.checkbox(&mut present, "");
                let accessible = format!("Has {}", component.name);
                response.widget_info(|| {
                    egui::WidgetInfo::selected(
                        egui::WidgetType::Checkbox,
                        true,
                        present,
                        &accessible,
                    )
                });
                ui.label(format!("{} ({})", component.name, component.key));
                ui.label(
                    reference
                        .zone(&component.zone)
                        .map_or(component.zone.as_str(), |zone| zone.name.as_str()),
                );
                let mut own = current.name.clone().unwrap_or_default();
                let renamed = ui
                    .add(
                        egui::TextEdit::singleline(&mut own)
                            .hint_text(&component.name)
                            .desired_width(220.0),
                    )
                    .changed();
                ui.end_row();
                if response.changed() || renamed {
                    let mut components = profile.components.clone();
                    let updated = ProfileComponent {
                        key: component.key.clone(),
                        present,
                        name: Some(own.trim().to_owned()).filter(|name| !name.is_empty()),
                    };
                    match index {
                        Some(index) => components[index] = updated,
                        None => components.push(updated),
                    }
                    let (label, key) = if renamed {
                        (
                            format!("Rename {}", component.key),
                            Some(format!("profile-rename-{}", component.key)),
                        )
                    } else if present {
                        (format!("Add {}", component.name), None)
                    } else {
                        (format!("Remove {}", component.name), None)
                    };
                    if let Some(command) =
                        set_profile(document, profile, &components, &profile.controls)
                    {
                        actions.push(edit(label, key, vec![command]));
                    }
                }
            }
        });
}

/// Components the product adds to the reference.
fn added_ui(
    ui: &mut egui::Ui,
    tab: &mut Tab,
    profile: &Profile,
    reference: &Architecture,
    actions: &mut Vec<Action>,
) {
    ui.label(RichText::new("Components the product adds").strong());
    if profile.added.is_empty() {
        ui.label(RichText::new("None.").weak());
    }
    for added in &profile.added {
        ui.horizontal(|ui| {
            ui.label(format!("{} ({}), in {}", added.name, added.key, added.zone));
            if ui.small_button("Remove").clicked() {
                actions.push(edit(
                    format!("Remove {}", added.name),
                    None,
                    vec![Command::RemoveObjects {
                        ids: vec![added.id.clone()],
                    }],
                ));
            }
        });
    }
    ui.horizontal(|ui| {
        let draft = &mut tab.profile_draft;
        ui.add(
            egui::TextEdit::singleline(&mut draft.key)
                .hint_text("key")
                .desired_width(90.0),
        );
        ui.add(
            egui::TextEdit::singleline(&mut draft.name)
                .hint_text("name")
                .desired_width(160.0),
        );
        let zone_name = reference
            .zone(&draft.zone)
            .map_or("zone…", |zone| zone.name.as_str())
            .to_owned();
        egui::ComboBox::from_id_salt("added_zone")
            .selected_text(zone_name)
            .show_ui(ui, |ui| {
                for zone in &reference.zones {
                    ui.selectable_value(&mut draft.zone, zone.key.clone(), &zone.name);
                }
            });
        let key = draft.key.trim().to_owned();
        let taken = reference.component(&key).is_some()
            || profile.added.iter().any(|added| added.key == key);
        let ready = !key.is_empty() && !taken && reference.zone(&draft.zone).is_some();
        if ui
            .add_enabled(ready, egui::Button::new("Add component"))
            .clicked()
        {
            let name = if draft.name.trim().is_empty() {
                key.clone()
            } else {
                draft.name.trim().to_owned()
            };
            actions.push(Action::AddComponent {
                key: key.clone(),
                name,
                zone: draft.zone.clone(),
            });
            tab.profile_draft = ProfileDraft::default();
        }
        if taken && !key.is_empty() {
            ui.label(RichText::new("key already used").color(ui.visuals().warn_fg_color));
        }
    });
}

/// The catalogue's controls the product implements, with the party implementing each.
fn controls_ui(
    ui: &mut egui::Ui,
    document: &Document,
    profile: &Profile,
    catalogue: Option<&Document>,
    actions: &mut Vec<Action>,
) {
    ui.label(RichText::new("Controls the product implements").strong());
    let known = controls(document);
    if profile.controls.is_empty() {
        ui.label(RichText::new("None yet.").weak());
    }
    for (index, implemented) in profile.controls.iter().enumerate() {
        let name = known
            .iter()
            .find(|control| control.id == implemented.control)
            .map_or(implemented.control.as_str(), |control| {
                control.name.as_str()
            })
            .to_owned();
        ui.horizontal(|ui| {
            ui.label(&name);
            let mut party = implemented.party;
            let response = egui::ComboBox::from_id_salt(("implemented_party", index))
                .selected_text(party.short_name())
                .show_ui(ui, |ui| {
                    for choice in Party::ALL {
                        ui.selectable_value(&mut party, choice, choice.name());
                    }
                })
                .response;
            // Screen readers (and tests) tell the drop-downs apart by the control they set.
            let accessible = format!("{name}: implemented by");
            response.widget_info(|| {
                egui::WidgetInfo::labeled(egui::WidgetType::ComboBox, true, &accessible)
            });
            let removed = ui.small_button("Remove").clicked();
            if party != implemented.party || removed {
                let mut list = profile.controls.clone();
                if removed {
                    list.remove(index);
                } else {
                    list[index].party = party;
                }
                let label = if removed {
                    format!("Remove control {name}")
                } else {
                    format!("{name} implemented by {party}")
                };
                if let Some(command) = set_profile(document, profile, &profile.components, &list) {
                    actions.push(edit(label, None, vec![command]));
                }
            }
        });
    }
    let Some(catalogue) = catalogue else {
        ui.label(
            RichText::new(
                "Open a library with a control catalogue (controls.json) to add its controls.",
            )
            .weak(),
        );
        return;
    };
    let offered: Vec<_> = controls(catalogue)
        .into_iter()
        .filter(|control| {
            !profile
                .controls
                .iter()
                .any(|known| known.control == control.id)
        })
        .collect();
    if offered.is_empty() {
        return;
    }
    offer_controls_ui(ui, document, profile, catalogue, offered, actions);
}

/// The catalogue's controls not implemented yet, one click to add (with the copies the
/// profile needs: the control and the parties).
fn offer_controls_ui(
    ui: &mut egui::Ui,
    document: &Document,
    profile: &Profile,
    catalogue: &Document,
    offered: Vec<medflow_core::control::Control>,
    actions: &mut Vec<Action>,
) {
    egui::ComboBox::from_label("Implement a control of the catalogue")
        .selected_text("choose…")
        .show_ui(ui, |ui| {
            for control in offered {
                if ui.selectable_label(false, &control.name).clicked()
                    && let Some(object) = catalogue.object(&control.id)
                    && let Some(commands) = implement_commands(document, profile, &control, object)
                {
                    actions.push(edit(format!("Implement {}", control.name), None, commands));
                }
            }
        });
}

/// The commands that make the profile in `document` implement `control` (`object` is the
/// control's own object, copied when the profile lacks it, with the five parties): the party
/// implementing it is the first one Responsible for it, else the manufacturer. `None` when
/// the document holds no profile.
#[must_use]
pub fn implement_commands(
    document: &Document,
    profile: &Profile,
    control: &medflow_core::control::Control,
    object: &medflow_core::StixObject,
) -> Option<Vec<Command>> {
    let mut commands = Vec::new();
    for party in Party::ALL {
        if document.object(party.id()).is_none() {
            commands.push(Command::AddObject {
                object: party.identity(),
                position: None,
            });
        }
    }
    if document.object(&control.id).is_none() {
        commands.push(Command::AddObject {
            object: object.clone(),
            position: None,
        });
    }
    let party = control
        .raci
        .iter()
        .find(|(_, roles)| roles.contains(medflow_core::control::Role::Responsible))
        .map_or(Party::Mdm, |(party, _)| *party);
    let mut list = profile.controls.clone();
    if !list
        .iter()
        .any(|implemented| implemented.control == control.id)
    {
        list.push(ImplementedControl {
            control: control.id.clone(),
            party,
        });
    }
    commands.push(set_profile(document, profile, &profile.components, &list)?);
    Some(commands)
}
