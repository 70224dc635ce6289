//! The inspector's patient-safety section: a flow's origin and category, an action's
//! patient-safety impact, a condition's pivot and the flows it continues in or comes from.
//! Every change is one undoable edit replacing the object (typing a harm or a key is one step
//! per burst).

use eframe::egui::{self, RichText};
use medflow_core::StixObject;
use medflow_core::edit::Command;
use medflow_core::extension::{self, Entry};
use medflow_core::safety::{
    Category, FlowMeta, HarmSeverity, Impact, Origin, PivotRole, flow_meta, flow_meta_value,
    has_public_reference, impact_value,
};
use serde_json::{Value, json};

use crate::actions::Action;

/// A flow another tab or the library holds, with its pivots, so a pivot can say where it
/// continues.
#[derive(Debug, Clone)]
pub struct PivotFlow {
    /// The `attack-flow` id.
    pub flow: String,
    /// Its name.
    pub name: String,
    /// Its pivots.
    pub pivots: Vec<medflow_core::safety::Pivot>,
    /// What opens it (or shows its tab).
    pub open: Action,
}

fn replace(label: &str, object: &StixObject, entry: Entry, value: Option<Value>) -> Action {
    Action::Edit {
        label: label.to_owned(),
        coalesce_key: None,
        commands: vec![Command::ReplaceObject {
            object: extension::with_entry(object, entry, value),
        }],
    }
}

/// The patient-safety section for `object`, if it is a flow, an action or a condition.
pub fn safety_ui(
    ui: &mut egui::Ui,
    object: &StixObject,
    others: &[PivotFlow],
    actions: &mut Vec<Action>,
) {
    match object.type_name() {
        "attack-flow" => flow_ui(ui, object, actions),
        "attack-action" => impact_ui(ui, object, actions),
        "attack-condition" => pivot_ui(ui, object, others, actions),
        _ => {}
    }
}

fn flow_ui(ui: &mut egui::Ui, object: &StixObject, actions: &mut Vec<Action>) {
    ui.separator();
    ui.strong("Patient safety");
    let meta = flow_meta(object);
    let set = |meta: FlowMeta, label: &str| {
        replace(
            label,
            object,
            Entry::Flow,
            Some(flow_meta_value(meta).unwrap_or_else(|| json!({}))),
        )
    };
    egui::Grid::new("safety_flow")
        .num_columns(2)
        .show(ui, |ui| {
            let label_origin = ui.label("Origin");
            let shown = meta.origin.map_or("Not stated", Origin::label);
            let combo = egui::ComboBox::from_id_salt("flow_origin")
                .selected_text(shown)
                .show_ui(ui, |ui| {
                    for origin in Origin::ALL {
                        if ui
                            .selectable_label(meta.origin == Some(origin), origin.label())
                            .clicked()
                        {
                            actions.push(set(
                                FlowMeta {
                                    origin: Some(origin),
                                    ..meta
                                },
                                &format!("Mark the flow {}", origin.as_str()),
                            ));
                        }
                    }
                });
            crate::panels::labelled(&combo.response, &label_origin, "Origin");
            ui.end_row();
            let label_category = ui.label("Category");
            let shown = meta.category.map_or("Not stated", Category::label);
            let combo = egui::ComboBox::from_id_salt("flow_category")
                .selected_text(shown)
                .width(220.0)
                .show_ui(ui, |ui| {
                    for category in Category::ALL {
                        if ui
                            .selectable_label(meta.category == Some(category), category.label())
                            .clicked()
                        {
                            actions.push(set(
                                FlowMeta {
                                    category: Some(category),
                                    ..meta
                                },
                                "Set the flow's category",
                            ));
                        }
                    }
                });
            crate::panels::labelled(&combo.response, &label_category, "Category");
            ui.end_row();
        });
    if meta.origin == Some(Origin::Realized) && !has_public_reference(object) {
        ui.label(
            RichText::new(
                "A realized flow cites a public account of the attack: add an external reference with its URL.",
            )
            .color(ui.visuals().warn_fg_color),
        );
    }
}

fn impact_ui(ui: &mut egui::Ui, object: &StixObject, actions: &mut Vec<Action>) {
    ui.separator();
    ui.strong("Patient-safety impact");
    let current = medflow_core::safety::impact_of(object);
    let mut harms = current.is_some();
    if ui
        .checkbox(&mut harms, "This step harms patients")
        .on_hover_text("The simulation reports whether the harm is still reachable on a device, and the score weighs it by severity.")
        .changed()
    {
        let value = harms.then(|| {
            impact_value(&Impact {
                severity: HarmSeverity::Serious,
                multi_patient: false,
                harm: String::new(),
            })
        });
        let label = if harms {
            "Mark a patient-safety impact"
        } else {
            "Remove the patient-safety impact"
        };
        actions.push(replace(label, object, Entry::Impact, value));
    }
    let Some(impact) = current else {
        return;
    };
    let set = |impact: &Impact, label: &str, key: Option<String>| Action::Edit {
        label: label.to_owned(),
        coalesce_key: key,
        commands: vec![Command::ReplaceObject {
            object: extension::with_entry(object, Entry::Impact, Some(impact_value(impact))),
        }],
    };
    egui::Grid::new("safety_impact")
        .num_columns(2)
        .show(ui, |ui| {
            let label_severity = ui.label("Severity");
            let combo = egui::ComboBox::from_id_salt("impact_severity")
                .selected_text(impact.severity.label())
                .show_ui(ui, |ui| {
                    for severity in HarmSeverity::ALL {
                        if ui
                            .selectable_label(impact.severity == severity, severity.label())
                            .clicked()
                        {
                            actions.push(set(
                                &Impact {
                                    severity,
                                    ..impact.clone()
                                },
                                "Set the impact's severity",
                                None,
                            ));
                        }
                    }
                });
            crate::panels::labelled(&combo.response, &label_severity, "Severity");
            ui.end_row();
            ui.label("");
            let mut multi = impact.multi_patient;
            if ui
                .checkbox(&mut multi, "Harms many patients at once")
                .changed()
            {
                actions.push(set(
                    &Impact {
                        multi_patient: multi,
                        ..impact.clone()
                    },
                    "Set multi-patient harm",
                    None,
                ));
            }
            ui.end_row();
            ui.label("Harm");
            let mut harm = impact.harm.clone();
            let response = ui.add(
                egui::TextEdit::singleline(&mut harm)
                    .hint_text("The harm, in one line")
                    .desired_width(f32::INFINITY),
            );
            if response.changed() {
                actions.push(set(
                    &Impact {
                        harm,
                        ..impact.clone()
                    },
                    "Edit the harm",
                    Some(format!("{}/impact/harm", object.id())),
                ));
            }
            if response.lost_focus() {
                actions.push(Action::EndBurst);
            }
            ui.end_row();
        });
}

fn pivot_ui(
    ui: &mut egui::Ui,
    object: &StixObject,
    others: &[PivotFlow],
    actions: &mut Vec<Action>,
) {
    ui.separator();
    ui.strong("Pivot");
    let entry = extension::entry_object(object, Entry::Pivot);
    let role = entry
        .and_then(|entry| entry.get("role"))
        .and_then(Value::as_str)
        .and_then(PivotRole::parse);
    let key = entry
        .and_then(|entry| entry.get("key"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let set =
        |role: Option<PivotRole>, key: &str, label: &str, coalesce: Option<String>| Action::Edit {
            label: label.to_owned(),
            coalesce_key: coalesce,
            commands: vec![Command::ReplaceObject {
                object: extension::with_entry(
                    object,
                    Entry::Pivot,
                    role.map(|role| json!({"role": role.as_str(), "key": key})),
                ),
            }],
        };
    egui::Grid::new("safety_pivot")
        .num_columns(2)
        .show(ui, |ui| {
            let label_role = ui.label("Role");
            let combo = egui::ComboBox::from_id_salt("pivot_role")
                .selected_text(role.map_or("Not a pivot", PivotRole::label))
                .show_ui(ui, |ui| {
                    if ui.selectable_label(role.is_none(), "Not a pivot").clicked() {
                        actions.push(set(None, "", "Remove the pivot", None));
                    }
                    for choice in PivotRole::ALL {
                        if ui
                            .selectable_label(role == Some(choice), choice.label())
                            .clicked()
                        {
                            let key = if key.is_empty() { "attacker-foothold" } else { &key };
                            actions.push(set(Some(choice), key, "Mark a pivot", None));
                        }
                    }
                });
            crate::panels::labelled(&combo.response, &label_role, "Role");
            ui.end_row();
            if let Some(role) = role {
                ui.label("Key");
                let mut text = key.clone();
                let response = ui
                    .add(
                        egui::TextEdit::singleline(&mut text)
                            .hint_text("cloud-api-key")
                            .desired_width(f32::INFINITY),
                    )
                    .on_hover_text("What the attacker holds, in lower-case words joined by hyphens. An exit pivot and an entry pivot with the same key chain two flows.");
                if response.changed() {
                    actions.push(set(
                        Some(role),
                        &text,
                        "Edit the pivot key",
                        Some(format!("{}/pivot/key", object.id())),
                    ));
                }
                if response.lost_focus() {
                    actions.push(Action::EndBurst);
                }
                ui.end_row();
            }
        });
    if let Some(role) = role {
        partners_ui(ui, role, &key, others, actions);
    }
}

/// The flows a pivot continues in (an exit) or comes from (an entry), each a link opening it.
fn partners_ui(
    ui: &mut egui::Ui,
    role: PivotRole,
    key: &str,
    others: &[PivotFlow],
    actions: &mut Vec<Action>,
) {
    let wanted = match role {
        PivotRole::Exit => PivotRole::Entry,
        PivotRole::Entry => PivotRole::Exit,
    };
    let partners: Vec<&PivotFlow> = others
        .iter()
        .filter(|flow| {
            flow.pivots
                .iter()
                .any(|pivot| pivot.role == wanted && pivot.key == key)
        })
        .collect();
    let words = match role {
        PivotRole::Exit => "Continues in",
        PivotRole::Entry => "Comes from",
    };
    if partners.is_empty() {
        ui.label(
            RichText::new(format!(
                "{words}: no other open or library flow has a matching pivot"
            ))
            .weak(),
        );
    }
    for partner in partners {
        ui.horizontal_wrapped(|ui| {
            ui.label(words);
            if ui
                .button(format!("Open \"{}\"", partner.name))
                .on_hover_text("Open this flow (or show its tab)")
                .clicked()
            {
                actions.push(partner.open.clone());
            }
        });
    }
}
