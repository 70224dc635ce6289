//! The inspector: every property of the selected object, each editable with a fitting widget.
//!
//! The panel reads the object every frame and never changes it. What the user edits comes back
//! as [`InspectorRequest`]s, which the app turns into undoable edit commands. Text whose value
//! may be invalid while it is typed (timestamps, numbers, lists, JSON) lives in
//! [`InspectorState`] until it parses, so typing is never lost or reverted mid-edit.

mod generic;
mod links;
mod parser;
mod references;

use std::collections::HashMap;

use eframe::egui::{self, Label, RichText, TextEdit};
use medflow_core::StixObject;
use medflow_core::attack::{Catalog, Entry};
use medflow_core::model::Scope;
use medflow_core::model::attack_flow::required_properties;
use medflow_core::scene::CONFIDENCE_SCALE;
use medflow_core::stix::vocabulary::{PropertyKind, Requirement, property_kinds, requirements};
use serde_json::{Map, Value};

use parser::Parser;

/// What the inspector asks the app to do; the app turns requests into undoable edit commands.
#[derive(Debug, Clone, PartialEq)]
pub enum InspectorRequest {
    /// Set (`Some`) or remove (`None`) one top-level property of the shown object.
    /// `coalesce_key` is `Some` for typing in a text field (so a typing burst becomes one undo
    /// step) and `None` for discrete changes (drop-downs, checkboxes, buttons).
    Set {
        /// The property's name.
        name: String,
        /// The new value, or `None` to remove the property.
        value: Option<Value>,
        /// `"{object_id}/{property}"` while typing, `None` for a discrete change.
        coalesce_key: Option<String>,
    },
    /// A text field lost focus: the current typing burst is over.
    EndBurst,
    /// The user wants to pick the action's technique from the ATT&CK catalog.
    PickTechnique,
    /// Select another object and bring it into view (a reference was clicked).
    Reveal(String),
}

/// Text buffers of fields whose text may be temporarily invalid (timestamps, numbers, JSON
/// values), keyed by object id and property, so typing is never lost or reverted mid-edit.
#[derive(Debug, Default)]
pub struct InspectorState {
    /// The object shown last; buffers of other objects are dropped when it changes.
    object_id: String,
    /// Where the "Pick technique…" button was when clicked: the picker opens beside it.
    pub picker_anchor: Option<egui::Pos2>,
    /// Buffered text by (object id, property, widget kind).
    buffers: HashMap<(String, String, &'static str), Buffer>,
    /// The "Add property" row's name.
    new_name: String,
    /// The "Add property" row's JSON value.
    new_value: String,
}

/// The text of one buffered field and the property value it was last in step with.
#[derive(Debug)]
struct Buffer {
    text: String,
    /// The value the object had (or was asked to take) when `text` was last in step with it.
    /// When the object's value differs (undo, another panel), the text is reset from it.
    seen: Option<Value>,
}

/// Properties the generic editor never lists: shown in the heading or read-only, or managed
/// by the app.
const NOT_GENERIC: [&str; 6] = [
    "type",
    "id",
    "spec_version",
    "created",
    "modified",
    "extensions",
];

/// Tooltip of reference lists that the canvas edits.
const CANVAS_HINT: &str = "Edit this on the canvas by connecting objects.";

/// Draws the inspector for `object` and returns what the user asked for this frame.
///
/// The inspector grows with the object's properties; place it in a vertical scroll area.
pub fn inspector_ui(
    ui: &mut egui::Ui,
    state: &mut InspectorState,
    object: &StixObject,
    catalog: &Catalog,
    document: &medflow_core::Document,
    after_form: impl FnOnce(&mut egui::Ui),
) -> Vec<InspectorRequest> {
    let id = object.id();
    if state.object_id != id {
        state.buffers.clear();
        state.new_name.clear();
        state.new_value.clear();
        id.clone_into(&mut state.object_id);
    }
    ui.heading(object.type_name());
    ui.add(Label::new(RichText::new(id).monospace().weak()).selectable(true));
    ui.separator();

    let type_name = object.type_name();
    let required = if object.is_attack_flow_type() {
        required_properties(type_name).to_vec()
    } else {
        requirements(type_name)
            .iter()
            .filter_map(|requirement| match requirement {
                Requirement::Property(name) => Some(*name),
                _ => None,
            })
            .collect()
    };
    let mut form = Form {
        state,
        id,
        json: object.to_json(),
        extra: object
            .common()
            .map(|common| common.extra.keys().cloned().collect())
            .unwrap_or_default(),
        required,
        claimed: Vec::new(),
        requests: Vec::new(),
        document,
    };
    egui::Grid::new("inspector_grid")
        .num_columns(2)
        .spacing([12.0, 6.0])
        .show(ui, |ui| {
            form.typed_rows(ui, object, catalog);
            form.common_rows(ui, object.is_attack_flow_type());
        });
    after_form(ui);
    // With fields, for every object that may have references (not cyber-observables).
    if !medflow_core::stix::vocabulary::is_cyber_observable_type(type_name) {
        form.references_ui(ui);
    }
    form.generic_ui(ui);
    form.requests
}

/// `first_seen` → `First seen`.
fn humanize(name: &str) -> String {
    let spaced = name.replace('_', " ");
    let mut chars = spaced.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// A value as short text: strings bare, anything else as JSON.
fn display(value: &Value) -> String {
    value
        .as_str()
        .map_or_else(|| value.to_string(), str::to_owned)
}

/// Drop-down options: "(none)" (which removes the property) first when `with_none`.
fn options(
    with_none: bool,
    items: impl IntoIterator<Item = (String, Value)>,
) -> Vec<(String, Option<Value>)> {
    let none = with_none.then(|| ("(none)".to_owned(), None));
    none.into_iter()
        .chain(items.into_iter().map(|(text, value)| (text, Some(value))))
        .collect()
}

/// One frame of the inspector: what it reads and what it has asked for so far.
struct Form<'a> {
    state: &'a mut InspectorState,
    id: &'a str,
    json: Map<String, Value>,
    /// Properties kept verbatim because their value had the wrong shape for the typed model.
    extra: Vec<String>,
    required: Vec<&'static str>,
    /// Properties a typed widget shows; the generic editor leaves them out.
    claimed: Vec<String>,
    requests: Vec<InspectorRequest>,
    /// The document, to name the objects references point at.
    document: &'a medflow_core::Document,
}

impl Form<'_> {
    fn is_required(&self, name: &str) -> bool {
        self.required.contains(&name)
    }

    fn claim(&mut self, name: &str) {
        self.claimed.push(name.to_owned());
    }

    fn widget_id(&self, name: &str, tag: &str) -> egui::Id {
        egui::Id::new(("inspector", self.id, name, tag))
    }

    fn set(&mut self, name: &str, value: Option<Value>, typing: bool) {
        let coalesce_key = typing.then(|| format!("{}/{name}", self.id));
        self.requests.push(InspectorRequest::Set {
            name: name.to_owned(),
            value,
            coalesce_key,
        });
    }

    fn end_burst_on(&mut self, response: &egui::Response) {
        if response.lost_focus() {
            self.requests.push(InspectorRequest::EndBurst);
        }
    }

    /// The rows of the object's own properties.
    fn typed_rows(&mut self, ui: &mut egui::Ui, object: &StixObject, catalog: &Catalog) {
        match object {
            StixObject::AttackFlow(_) => {
                self.text_row(ui, "Name", "name", false);
                self.text_row(ui, "Description", "description", true);
                let scopes = Scope::ALL.map(Scope::as_str);
                let scopes = options(false, scopes.map(|w| (w.to_owned(), Value::from(w))));
                self.choice_row(ui, "Scope", "scope", &scopes);
                self.readonly_row(ui, "Start refs", "start_refs");
            }
            StixObject::AttackAction(_) => self.action_rows(ui, catalog),
            StixObject::AttackAsset(_) => {
                self.text_row(ui, "Name", "name", false);
                self.text_row(ui, "Description", "description", true);
                self.readonly_row(ui, "Object ref", "object_ref");
            }
            StixObject::AttackCondition(_) => {
                self.text_row(ui, "Description", "description", true);
                self.text_row(ui, "Pattern", "pattern", false);
                self.text_row(ui, "Pattern type", "pattern_type", false);
                self.text_row(ui, "Pattern version", "pattern_version", false);
                self.readonly_row(ui, "On true refs", "on_true_refs");
                self.readonly_row(ui, "On false refs", "on_false_refs");
            }
            StixObject::AttackOperator(_) => {
                let operators =
                    options(false, ["AND", "OR"].map(|w| (w.to_owned(), Value::from(w))));
                self.choice_row(ui, "Operator", "operator", &operators);
                self.readonly_row(ui, "Effect refs", "effect_refs");
            }
            StixObject::Other(_) => self.known_rows(ui, object.type_name()),
        }
    }

    fn action_rows(&mut self, ui: &mut egui::Ui, catalog: &Catalog) {
        self.text_row(ui, "Name", "name", false);
        self.text_row(ui, "Description", "description", true);

        self.text_row(ui, "Technique id", "technique_id", false);
        let technique_id = self.string("technique_id");
        let technique = catalog.technique(technique_id.trim());
        ui.label("");
        ui.vertical(|ui| {
            let button = ui.button("Pick technique…");
            if button.clicked() {
                self.state.picker_anchor = Some(button.rect.left_top());
                self.requests.push(InspectorRequest::PickTechnique);
            }
            technique_summary_ui(ui, technique_id.trim(), technique);
        });
        ui.end_row();
        self.text_row(ui, "Technique ref", "technique_ref", false);
        if let Some(technique) = technique.filter(|entry| !entry.tactics.is_empty()) {
            let tactics = technique.tactics.iter().map(|id| {
                let title = catalog
                    .tactic(id)
                    .map_or_else(|| id.to_string(), |tactic| format!("{id} {}", tactic.name));
                (title, Value::from(&**id))
            });
            let label = ui.label("Tactic");
            let tactics = options(false, tactics);
            if let Some((_, Some(id))) = self.choice(ui, label.id, "tactic_id", &tactics) {
                let tactic = id.as_str().and_then(|id| catalog.tactic(id));
                let stix_id = tactic.map(|tactic| Value::from(&*tactic.stix_id));
                self.set("tactic_id", Some(id.clone()), false);
                self.set("tactic_ref", stix_id, false);
            }
            ui.end_row();
        }
        self.text_row(ui, "Tactic id", "tactic_id", false);
        self.text_row(ui, "Tactic ref", "tactic_ref", false);
        self.buffered_row(ui, "Execution start", "execution_start", Parser::Timestamp);
        self.buffered_row(ui, "Execution end", "execution_end", Parser::Timestamp);
        self.readonly_row(ui, "Command ref", "command_ref");
        self.readonly_row(ui, "Asset refs", "asset_refs");
        self.readonly_row(ui, "Effect refs", "effect_refs");
    }

    /// The rows of a STIX type's known properties, each with the widget its kind calls for;
    /// a value of the wrong shape gets a JSON field so it is never lost.
    fn known_rows(&mut self, ui: &mut egui::Ui, type_name: &str) {
        for &(name, kind) in property_kinds(type_name) {
            let label = humanize(name);
            let value = self.json.get(name);
            let is_string = value.is_none_or(Value::is_string);
            let is_list = value.is_none_or(|value| {
                value
                    .as_array()
                    .is_some_and(|items| items.iter().all(Value::is_string))
            });
            match kind {
                PropertyKind::Text if is_string => {
                    let multiline = matches!(name, "description" | "content" | "explanation");
                    self.text_row(ui, &label, name, multiline);
                }
                PropertyKind::Boolean if value.is_none_or(Value::is_boolean) => {
                    self.bool_row(ui, &label, name);
                }
                PropertyKind::Integer { minimum, maximum } if value.is_none_or(Value::is_i64) => {
                    self.buffered_row(ui, &label, name, Parser::Integer(minimum, maximum));
                }
                PropertyKind::Number { minimum, maximum } if value.is_none_or(Value::is_number) => {
                    self.buffered_row(ui, &label, name, Parser::Number(minimum, maximum));
                }
                PropertyKind::Timestamp if is_string => {
                    self.buffered_row(ui, &label, name, Parser::Timestamp);
                }
                PropertyKind::TextList | PropertyKind::ListOf(_) if is_list => {
                    self.buffered_row(ui, &label, name, Parser::List);
                }
                PropertyKind::OneOf(words) if is_string => {
                    let words = words.iter().map(|w| ((*w).to_owned(), Value::from(*w)));
                    let options = options(!self.is_required(name), words);
                    self.choice_row(ui, &label, name, &options);
                }
                _ => self.buffered_row(ui, &label, name, Parser::Json),
            }
        }
    }

    /// Confidence, created, modified, labels and lang (created and modified only for other
    /// objects, whose remaining common properties the generic editor shows).
    fn common_rows(&mut self, ui: &mut egui::Ui, attack_flow_type: bool) {
        if attack_flow_type {
            let scale = CONFIDENCE_SCALE
                .iter()
                .map(|(text, value)| ((*text).to_owned(), Value::from(*value)));
            let scale = options(true, scale);
            self.choice_row(ui, "Confidence", "confidence", &scale);
        }
        for (label, name) in [("Created", "created"), ("Modified", "modified")] {
            if attack_flow_type || self.json.contains_key(name) {
                self.readonly_row(ui, label, name);
            }
        }
        if attack_flow_type {
            self.buffered_row(ui, "Labels", "labels", Parser::List);
            self.text_row(ui, "Language", "lang", false);
        }
    }

    fn string(&self, name: &str) -> String {
        self.json
            .get(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    }

    /// A text field for a string property; emptying it removes an optional property.
    fn text_row(&mut self, ui: &mut egui::Ui, label: &str, name: &str, multiline: bool) {
        self.claim(name);
        let label = ui.label(label);
        let mut text = self.string(name);
        let id = self.widget_id(name, "text");
        if self.text_field(ui, &mut text, id, label.id, multiline) {
            let value = if text.is_empty() && !self.is_required(name) {
                None
            } else {
                Some(Value::String(text))
            };
            self.set(name, value, true);
        }
        ui.end_row();
    }

    /// A full-width text field labelled by `label_id`; returns whether the text changed, and
    /// ends the typing burst when the field loses focus.
    fn text_field(
        &mut self,
        ui: &mut egui::Ui,
        text: &mut String,
        id: egui::Id,
        label_id: egui::Id,
        multiline: bool,
    ) -> bool {
        let edit = if multiline {
            TextEdit::multiline(text).desired_rows(3)
        } else {
            TextEdit::singleline(text)
        };
        let response = ui
            .add(edit.id(id).desired_width(f32::INFINITY))
            .labelled_by(label_id);
        self.end_burst_on(&response);
        response.changed()
    }

    /// A checkbox for a boolean property, with a button to remove an optional one.
    fn bool_row(&mut self, ui: &mut egui::Ui, label: &str, name: &str) {
        self.claim(name);
        ui.label("");
        let current = self.json.get(name).and_then(Value::as_bool);
        let removable = current.is_some() && !self.is_required(name);
        ui.horizontal(|ui| {
            let mut checked = current.unwrap_or(false);
            if ui.checkbox(&mut checked, label).changed() {
                self.set(name, Some(Value::Bool(checked)), false);
            }
            if removable
                && ui
                    .small_button("Unset")
                    .on_hover_text(format!("Remove {name}"))
                    .clicked()
            {
                self.set(name, None, false);
            }
        });
        ui.end_row();
    }

    /// A row with a drop-down of options.
    fn choice_row(
        &mut self,
        ui: &mut egui::Ui,
        label: &str,
        name: &str,
        options: &[(String, Option<Value>)],
    ) {
        self.claim(name);
        let label = ui.label(label);
        if let Some((_, value)) = self.choice(ui, label.id, name, options) {
            self.set(name, value.clone(), false);
        }
        ui.end_row();
    }

    /// A drop-down of `(text, value)` options for a property; a value not among them shows as
    /// "Other (…)". Returns the option the user chose, when it differs from the current value.
    fn choice<'o>(
        &self,
        ui: &mut egui::Ui,
        label_id: egui::Id,
        name: &str,
        options: &'o [(String, Option<Value>)],
    ) -> Option<&'o (String, Option<Value>)> {
        let current = self.json.get(name).cloned();
        let selected = options
            .iter()
            .find(|(_, value)| *value == current)
            .map(|(text, _)| text.clone())
            .or_else(|| {
                current
                    .as_ref()
                    .map(|value| format!("Other ({})", display(value)))
            })
            .unwrap_or_else(|| "(none)".to_owned());
        let mut chosen = None;
        egui::ComboBox::from_id_salt(self.widget_id(name, "choice"))
            .selected_text(selected)
            .width(180.0)
            .show_ui(ui, |ui| {
                for option in options {
                    if ui
                        .selectable_label(option.1 == current, &option.0)
                        .clicked()
                    {
                        chosen = Some(option);
                    }
                }
            })
            .response
            .labelled_by(label_id);
        chosen.filter(|(_, value)| *value != current)
    }

    /// A read-only, selectable view of a property (references the canvas edits, timestamps).
    fn readonly_row(&mut self, ui: &mut egui::Ui, label: &str, name: &str) {
        self.claim(name);
        let label = ui.label(label);
        if name.ends_with("_ref") || name.ends_with("_refs") {
            self.reference_links(ui, name);
            ui.end_row();
            return;
        }
        let text = match self.json.get(name) {
            None => "—".to_owned(),
            Some(Value::Array(items)) if items.is_empty() => "(empty)".to_owned(),
            Some(Value::Array(items)) => items.iter().map(display).collect::<Vec<_>>().join("\n"),
            Some(value) => display(value),
        };
        let response = ui
            .add(Label::new(RichText::new(text).monospace()).selectable(true))
            .labelled_by(label.id);
        if name.ends_with("_ref") || name.ends_with("_refs") {
            response.on_hover_text(CANVAS_HINT);
        }
        ui.end_row();
    }

    /// A labelled row holding a buffered field.
    fn buffered_row(&mut self, ui: &mut egui::Ui, label: &str, name: &str, parser: Parser) {
        self.claim(name);
        let label = ui.label(label);
        let allow_empty = !self.is_required(name);
        self.buffered_field(ui, label.id, name, parser, allow_empty);
        ui.end_row();
    }

    /// A one-line field whose text is kept while invalid and sent only once it parses.
    fn buffered_field(
        &mut self,
        ui: &mut egui::Ui,
        label_id: egui::Id,
        name: &str,
        parser: Parser,
        allow_empty: bool,
    ) {
        let current = self.json.get(name).cloned();
        let widget_id = self.widget_id(name, parser.tag());
        let key = (self.id.to_owned(), name.to_owned(), parser.tag());
        let fresh = || {
            current
                .as_ref()
                .map(|v| parser.format(v))
                .unwrap_or_default()
        };
        let buffer = self.state.buffers.entry(key).or_insert_with(|| Buffer {
            text: fresh(),
            seen: current.clone(),
        });
        if buffer.seen != current {
            buffer.text = fresh();
            buffer.seen.clone_from(&current);
        }
        let error_color = ui.visuals().error_fg_color;
        let was_valid = parser.parse(&buffer.text, allow_empty).is_ok();
        let (response, parsed) = ui
            .vertical(|ui| {
                let edit = TextEdit::singleline(&mut buffer.text)
                    .id(widget_id)
                    .hint_text(parser.hint())
                    .desired_width(f32::INFINITY)
                    .text_color_opt((!was_valid).then_some(error_color));
                let response = ui.add(edit).labelled_by(label_id);
                let parsed = parser.parse(&buffer.text, allow_empty);
                if let Err(message) = &parsed {
                    ui.label(RichText::new(message).small().color(error_color));
                }
                (response, parsed)
            })
            .inner;
        if response.changed()
            && let Ok(value) = parsed
            && value != current
        {
            buffer.seen.clone_from(&value);
            self.set(name, value, true);
        }
        self.end_burst_on(&response);
    }
}

/// The line beneath the technique id: the catalog's name for it, or a hint.
fn technique_summary_ui(ui: &mut egui::Ui, technique_id: &str, technique: Option<&Entry>) {
    match technique {
        Some(entry) => {
            let mut text = format!("{} — {}", entry.id, entry.name);
            if !entry.is_active() {
                text.push_str(" (deprecated or revoked)");
            }
            ui.add(Label::new(RichText::new(text).strong()).wrap());
        }
        None if technique_id.is_empty() => {
            ui.label(RichText::new("No technique: type an id or pick one.").weak());
        }
        None => {
            let color = ui.visuals().warn_fg_color;
            ui.label(RichText::new("Not in the ATT&CK catalog.").color(color));
        }
    }
}

#[cfg(test)]
mod tests;
