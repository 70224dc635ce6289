//! [`EditorApp::apply`]: every [`Action`] carried out in one place, turning edits into core
//! commands applied as labelled undo steps.

use eframe::egui::{self, ViewportCommand};
use medflow_core::attack::Catalog;
use medflow_core::edit::{Command, new_object};
use serde_json::Value;

use super::{EditorApp, PendingClose};
use crate::actions::{Action, MenuCommand};
use crate::dialogs::AfterSave;
use crate::panels::picker::{PickedTechnique, PickerOutcome};
use crate::tab::Tab;

impl EditorApp {
    /// Carries out one action.
    #[allow(
        clippy::too_many_lines,
        reason = "one match over every action, read in order"
    )]
    pub fn apply(&mut self, ctx: &egui::Context, action: Action) {
        match action {
            Action::Menu(command) => self.apply_menu(ctx, command),
            Action::Open(path) => self.open_path(&path),
            Action::OpenBuiltIn(path) => self.open_built_in(path),
            Action::SaveTo { tab, path, then } => self.save_tab_then(ctx, tab, &path, then),
            Action::SelectTab(index) => {
                if index < self.tabs.len() {
                    self.active = index;
                }
            }
            Action::CloseTab(index) => {
                let Some(tab) = self.tabs.get(index) else {
                    return;
                };
                if tab.editor.is_dirty() {
                    self.pending_close = Some(PendingClose::Tab(tab.key));
                } else {
                    let key = tab.key;
                    self.discard_tab(key);
                }
            }
            Action::DiscardTab(index) => {
                if let Some(key) = self.tabs.get(index).map(|tab| tab.key) {
                    self.discard_tab(key);
                }
            }
            Action::Edit {
                label,
                coalesce_key,
                commands,
            } => {
                let Some(tab) = self.tabs.get_mut(self.active) else {
                    return;
                };
                let result = match coalesce_key {
                    Some(key) => tab.editor.apply_coalescing(label, &key, commands),
                    None => tab.editor.apply(label, commands),
                };
                match result {
                    Ok(()) => tab.prune_selection(),
                    Err(error) => self.status = Some(format!("Not done: {error}")),
                }
            }
            Action::EndBurst => {
                if let Some(tab) = self.tabs.get_mut(self.active) {
                    tab.editor.break_coalescing();
                }
            }
            Action::Select(ids) => {
                if let Some(tab) = self.tabs.get_mut(self.active) {
                    tab.selection = ids.into_iter().collect();
                    tab.editor.break_coalescing();
                }
            }
            Action::Reveal(id) => {
                if let Some(tab) = self.tabs.get_mut(self.active) {
                    tab.selection = std::iter::once(id.clone()).collect();
                    tab.canvas.request_reveal(id);
                }
            }
            Action::AddNode(kind) => {
                let Some(tab) = self.tabs.get_mut(self.active) else {
                    return;
                };
                let id = tab.editor.new_id(kind.type_name());
                let mut object = new_object(kind, &id, &tab.editor.now());
                if kind.type_name() == "note" {
                    object = note_about(&object, tab);
                }
                let at = tab.canvas.view_center();
                let result = tab.editor.apply(
                    format!("Add {}", kind.label()),
                    vec![Command::AddObject {
                        object,
                        position: Some(at),
                    }],
                );
                match result {
                    Ok(()) => tab.selection = std::iter::once(id).collect(),
                    Err(error) => self.status = Some(format!("Not done: {error}")),
                }
            }
            Action::PickTechnique(id) => {
                if let Some(tab) = self.tabs.get_mut(self.active) {
                    tab.picker = Some((id, crate::panels::picker::TechniquePicker::new()));
                }
            }
            Action::AddControl { action, spec } => {
                let result = self
                    .tabs
                    .get_mut(self.active)
                    .map(|tab| crate::control_actions::add(tab, &action, &spec).map(|_| ()));
                self.report(result);
            }
            Action::LinkControl { control, action } => {
                let result = self
                    .tabs
                    .get_mut(self.active)
                    .map(|tab| crate::control_actions::link(tab, &control, &action));
                self.report(result);
            }
            Action::UnlinkControl { control, action } => {
                let result = self
                    .tabs
                    .get_mut(self.active)
                    .map(|tab| crate::control_actions::unlink(tab, &control, &action));
                self.report(result);
            }
            Action::SetControl {
                tab,
                control,
                kind,
                fda_category,
                raci,
                label,
            } => {
                let result = self.tabs.get_mut(tab).map(|tab| {
                    crate::control_actions::set(tab, &control, kind, fda_category, &raci, label)
                });
                self.report(result);
            }
            Action::ShowBottom(view) => self.bottom = view,
            Action::BindAsset { asset, component } => {
                let Some(tab) = self.tabs.get_mut(self.active) else {
                    return;
                };
                let (commands, label) = match &component {
                    Some(key) => (
                        medflow_core::architecture::bind_asset(
                            tab.document(),
                            &asset,
                            medflow_core::architecture::Architecture::reference_static(),
                            medflow_core::architecture::Architecture::reference_document(),
                            key,
                        ),
                        format!("Bind asset to {key}"),
                    ),
                    None => (
                        medflow_core::architecture::unbind_asset(tab.document(), &asset),
                        "Unbind asset".to_owned(),
                    ),
                };
                if !commands.is_empty() {
                    let result = tab
                        .editor
                        .apply(label, commands)
                        .map_err(|error| error.to_string());
                    self.report(Some(result));
                }
            }
            Action::Relate { source, target } => {
                let Some(tab) = self.tabs.get_mut(self.active) else {
                    return;
                };
                // From a control (drawn as a node), a link means it addresses the target.
                if tab
                    .document()
                    .object(&source)
                    .is_some_and(medflow_core::control::is_control)
                {
                    let result = crate::control_actions::link(tab, &source, &target);
                    self.report(Some(result));
                    return;
                }
                let id = tab.editor.new_id("relationship");
                let now = tab.editor.now().to_string();
                let object = serde_json::json!({
                    "type": "relationship", "spec_version": "2.1", "id": id,
                    "created": now, "modified": now, "relationship_type": "related-to",
                    "source_ref": source, "target_ref": target,
                });
                if let Value::Object(map) = object {
                    let command = Command::AddObject {
                        object: medflow_core::StixObject::from_json(map),
                        position: None,
                    };
                    if let Err(error) = tab.editor.apply("Add relationship", vec![command]) {
                        self.status = Some(format!("Not done: {error}"));
                    }
                }
            }
            Action::Unrelate { source, target } => {
                let Some(tab) = self.tabs.get_mut(self.active) else {
                    return;
                };
                let ids: Vec<String> = medflow_core::layout::links(tab.document())
                    .into_iter()
                    .filter(|link| link.source == source && link.target == target)
                    .filter_map(|link| match link.kind {
                        medflow_core::layout::LinkKind::Relationship { id, .. } => Some(id),
                        medflow_core::layout::LinkKind::Flow(_) => None,
                    })
                    .collect();
                if !ids.is_empty()
                    && let Err(error) = tab
                        .editor
                        .apply("Remove relationship", vec![Command::RemoveObjects { ids }])
                {
                    self.status = Some(format!("Not done: {error}"));
                }
            }
            Action::Notify(message) => self.status = Some(message),
        }
    }

    fn apply_menu(&mut self, ctx: &egui::Context, command: MenuCommand) {
        match command {
            MenuCommand::New => self.new_flow(),
            MenuCommand::NewProfile => self.new_profile(),
            MenuCommand::Open => {
                let folder = self.library.folder.clone();
                self.dialogs.open(ctx, folder);
            }
            MenuCommand::Save => self.save_active(ctx),
            MenuCommand::SaveAs => {
                if let Some(key) = self.tabs.get(self.active).map(|tab| tab.key) {
                    self.ask_save_path(ctx, key, AfterSave::Nothing);
                }
            }
            MenuCommand::Quit => ctx.send_viewport_cmd(ViewportCommand::Close),
            MenuCommand::Close => {
                if !self.tabs.is_empty() {
                    self.apply(ctx, Action::CloseTab(self.active));
                }
            }
            MenuCommand::Undo | MenuCommand::Redo => {
                if let Some(tab) = self.tabs.get_mut(self.active) {
                    let done = if command == MenuCommand::Undo {
                        tab.editor.undo()
                    } else {
                        tab.editor.redo()
                    };
                    if done {
                        tab.prune_selection();
                    }
                }
            }
            MenuCommand::Delete => self.delete_selection(),
            MenuCommand::SelectAll => {
                if let Some(tab) = self.tabs.get_mut(self.active) {
                    tab.selection = tab
                        .document()
                        .objects
                        .iter()
                        .filter(|object| medflow_core::layout::is_node(object))
                        .map(|object| object.id().to_owned())
                        .collect();
                }
            }
            MenuCommand::ZoomToFit => {
                if let Some(tab) = self.tabs.get_mut(self.active) {
                    tab.canvas.request_fit();
                }
            }
            MenuCommand::ZoomIn | MenuCommand::ZoomOut => {
                if let Some(tab) = self.tabs.get_mut(self.active) {
                    tab.canvas.request_zoom(if command == MenuCommand::ZoomIn {
                        1.25
                    } else {
                        0.8
                    });
                }
            }
            MenuCommand::TidyLayout => self.tidy_layout(),
            MenuCommand::ToggleArchitectureView => {
                if let Some(tab) = self.tabs.get_mut(self.active) {
                    tab.canvas.toggle_architecture_view();
                }
            }
            MenuCommand::ToggleControlNodes => {
                if let Some(tab) = self.tabs.get_mut(self.active) {
                    tab.canvas.toggle_control_nodes();
                }
            }
            MenuCommand::ToggleTheme => {
                let dark = ctx.global_style().visuals.dark_mode;
                ctx.set_theme(if dark {
                    egui::Theme::Light
                } else {
                    egui::Theme::Dark
                });
            }
        }
    }

    /// Applies the automatic layout of the active tab's view as one undoable step.
    fn tidy_layout(&mut self) {
        let Some(tab) = self.tabs.get_mut(self.active) else {
            return;
        };
        let mut moves: Vec<(String, [f32; 2])> = tab
            .canvas
            .automatic_layout(tab.document())
            .into_iter()
            .collect();
        moves.sort_by(|a, b| a.0.cmp(&b.0));
        let command = match tab.canvas.view() {
            medflow_core::layout::View::Flow => Command::MoveNodes { moves },
            medflow_core::layout::View::Zones => Command::MoveZoneNodes { moves },
        };
        if let Err(error) = tab.editor.apply("Tidy layout", vec![command]) {
            self.status = Some(format!("Not done: {error}"));
        }
        tab.canvas.request_fit();
    }

    /// Shows a refused edit's reason in the status bar.
    fn report(&mut self, result: Option<Result<(), String>>) {
        if let Some(Err(error)) = result {
            self.status = Some(format!("Not done: {error}"));
        }
    }

    fn delete_selection(&mut self) {
        let Some(tab) = self.tabs.get_mut(self.active) else {
            return;
        };
        let ids: Vec<String> = tab
            .selection
            .iter()
            .filter(|id| {
                tab.document()
                    .object(id)
                    .is_some_and(|object| object.type_name() != "attack-flow")
            })
            .cloned()
            .collect();
        if ids.is_empty() {
            if !tab.selection.is_empty() {
                self.status = Some("The attack-flow object cannot be deleted.".to_owned());
            }
            return;
        }
        let label = if ids.len() == 1 {
            "Delete 1 node".to_owned()
        } else {
            format!("Delete {} nodes", ids.len())
        };
        match tab
            .editor
            .apply(label, vec![Command::RemoveObjects { ids }])
        {
            Ok(()) => tab.prune_selection(),
            Err(error) => self.status = Some(format!("Not done: {error}")),
        }
    }
}

/// The technique picker, as a window over the editor, for the action it was opened for.
pub(super) fn picker_window_ui(
    ctx: &egui::Context,
    tab: &mut Tab,
    catalog: &Catalog,
    actions: &mut Vec<Action>,
) {
    let Some((action_id, picker)) = &mut tab.picker else {
        return;
    };
    let mut open = true;
    let mut outcome = None;
    egui::Window::new("Pick an ATT&CK technique")
        .open(&mut open)
        .default_width(520.0)
        .collapsible(false)
        .show(ctx, |ui| outcome = picker.ui(ui, catalog));
    let action_id = action_id.clone();
    match outcome {
        Some(PickerOutcome::Picked(choice)) => {
            if let Some(commands) = technique_commands(tab, &action_id, &choice, catalog) {
                actions.push(Action::Edit {
                    label: format!("Set technique {}", choice.technique_id),
                    coalesce_key: None,
                    commands,
                });
            }
            tab.picker = None;
        }
        Some(PickerOutcome::Cancelled) => tab.picker = None,
        None if !open => tab.picker = None,
        None => {}
    }
}

/// A new note about the selected objects, or about the flow when nothing is selected (STIX
/// requires a note to be about something).
fn note_about(note: &medflow_core::StixObject, tab: &Tab) -> medflow_core::StixObject {
    let mut about: Vec<Value> = tab.selection.iter().cloned().map(Value::String).collect();
    if about.is_empty() {
        about.extend(
            tab.document()
                .objects
                .iter()
                .find(|object| object.type_name() == "attack-flow")
                .map(|flow| Value::String(flow.id().to_owned())),
        );
    }
    let mut map = note.to_json();
    map.insert("object_refs".to_owned(), Value::Array(about));
    medflow_core::StixObject::from_json(map)
}

/// The commands that apply a picked technique to an action: ids and refs, and the name when
/// it is empty or still the name of the previous technique.
fn technique_commands(
    tab: &Tab,
    action_id: &str,
    picked: &PickedTechnique,
    catalog: &Catalog,
) -> Option<Vec<Command>> {
    let object = tab.document().object(action_id)?.to_json();
    let text = |key: &str| object.get(key).and_then(Value::as_str).map(str::to_owned);
    let set = |name: &str, value: Option<String>| Command::SetProperty {
        id: action_id.to_owned(),
        name: name.to_owned(),
        value: value.map(Value::String),
    };
    let mut commands = vec![
        set("technique_id", Some(picked.technique_id.clone())),
        set("technique_ref", Some(picked.technique_ref.clone())),
        set("tactic_id", picked.tactic_id.clone()),
        set("tactic_ref", picked.tactic_ref.clone()),
    ];
    let name = text("name").unwrap_or_default();
    let auto_filled = text("technique_id")
        .and_then(|id| catalog.technique(&id))
        .is_some_and(|previous| previous.name == name);
    if name.trim().is_empty() || name == "New action" || auto_filled {
        commands.push(set("name", Some(picked.technique_name.clone())));
    }
    Some(commands)
}
