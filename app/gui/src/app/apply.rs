//! [`EditorApp::apply`]: every [`Action`] carried out in one place, turning edits into core
//! commands applied as labelled undo steps.

use eframe::egui::{self, ViewportCommand};
use medflow_core::Document;
use medflow_core::architecture::{Architecture, added_component, bind_asset, unbind_asset};
use medflow_core::attack::{Catalog, assign_technique};
use medflow_core::control::{
    add_or_reuse_control, controls, is_control, link_control, set_control, set_party_roles,
    unlink_control,
};
use medflow_core::edit::{Command, EditError, new_object, new_relationship, note_about, unrelate};
use medflow_core::model::Timestamp;

use super::{EditorApp, PendingClose};
use crate::actions::{Action, MenuCommand};
use crate::dialogs::AfterSave;
use crate::panels::picker::PickerOutcome;
use crate::tab::Tab;

impl EditorApp {
    /// Carries out one action.
    #[allow(
        clippy::too_many_lines,
        reason = "one match over every action, read in order"
    )]
    pub fn apply(&mut self, ctx: &egui::Context, action: Action) {
        if action.edits_document() && self.edit_refused(&action) {
            return;
        }
        if changes_shape(&action) {
            self.keep_node_positions();
        }
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
                if tab.is_dirty() {
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
                let editor = tab.editor_mut();
                let result = match coalesce_key {
                    Some(key) => editor.apply_coalescing(label, &key, commands),
                    None => editor.apply(label, commands),
                };
                match result {
                    Ok(()) => tab.prune_selection(),
                    Err(error) => self.status = Some(format!("Not done: {error}")),
                }
            }
            Action::EndBurst => {
                if let Some(tab) = self.tabs.get_mut(self.active) {
                    tab.editor_mut().break_coalescing();
                }
            }
            Action::Select(ids) => {
                if let Some(tab) = self.tabs.get_mut(self.active) {
                    tab.selection = ids.into_iter().collect();
                    tab.editor_mut().break_coalescing();
                }
            }
            Action::Reveal(id) => {
                if let Some(tab) = self.tabs.get_mut(self.active) {
                    tab.selection = std::iter::once(id.clone()).collect();
                    tab.canvas.request_reveal(id);
                }
            }
            Action::AddNode(kind) => self.add_node(kind, None),
            Action::AddNodeAt { kind, at } => self.add_node(kind, Some(at)),
            Action::PickTechnique(id) => {
                let catalog = self.attack.catalog.clone();
                if let Some(tab) = self.tabs.get_mut(self.active) {
                    let mut picker = crate::panels::picker::TechniquePicker::preferring(
                        super::picker_domain::preferred_domain(tab.document(), &id, &catalog),
                    );
                    picker.anchor = tab.inspector.picker_anchor.take();
                    tab.picker = Some((id, picker));
                }
            }
            Action::AddControl { action, spec } => {
                let result = self.tabs.get_mut(self.active).map(|tab| {
                    let step = with_sources(tab, |document, new_id, now| {
                        add_or_reuse_control(document, &spec, &action, new_id, now)
                    });
                    apply_step(tab, step.label, step.commands)
                });
                self.report(result);
            }
            Action::LinkControl { control, action } => {
                let result = self.tabs.get_mut(self.active).map(|tab| {
                    let label = format!("Link control {}", control_name(tab, &control));
                    let commands = with_sources(tab, |document, new_id, now| {
                        link_control(document, &control, &action, new_id, now)
                    });
                    apply_step(tab, label, commands)
                });
                self.report(result);
            }
            Action::UnlinkControl { control, action } => {
                let result = self.tabs.get_mut(self.active).map(|tab| {
                    let label = format!("Unlink control {}", control_name(tab, &control));
                    let commands = unlink_control(tab.document(), &control, &action);
                    apply_step(tab, label, commands)
                });
                self.report(result);
            }
            Action::EditTab {
                tab,
                label,
                commands,
            } => {
                let result = self
                    .tabs
                    .get_mut(tab)
                    .map(|tab| apply_step(tab, label, commands));
                self.report(result);
            }
            Action::RunSimulation => self.run_simulation(),
            Action::ImplementSuggested {
                profile_tab,
                control,
            } => {
                if let Some((label, commands)) = self.implement_suggested(profile_tab, &control) {
                    let result = self
                        .tabs
                        .get_mut(profile_tab)
                        .map(|tab| apply_step(tab, label, commands));
                    self.report(result);
                }
                self.run_simulation();
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
                    let commands = set_control(tab.document(), &control, kind, fda_category, &raci);
                    apply_step(tab, label, commands)
                });
                self.report(result);
            }
            Action::SetControlRoles {
                tabs,
                control,
                party,
                roles,
                label,
            } => {
                for index in tabs {
                    let result = self.tabs.get_mut(index).map(|tab| {
                        let commands = set_party_roles(tab.document(), &control, party, roles);
                        apply_step(tab, label.clone(), commands)
                    });
                    self.report(result);
                }
            }
            Action::AddComponent { key, name, zone } => {
                let Some(tab) = self.tabs.get_mut(self.active) else {
                    return;
                };
                let object = with_sources(tab, |_, new_id, now| {
                    added_component(&new_id("infrastructure"), now, &key, &name, &zone)
                });
                let command = Command::AddObject {
                    object,
                    position: None,
                };
                let result = apply_step(tab, format!("Add component {name}"), vec![command]);
                self.report(Some(result));
            }
            Action::ShowBottom(view) => self.bottom = view,
            Action::BindAsset { asset, component } => {
                let Some(tab) = self.tabs.get_mut(self.active) else {
                    return;
                };
                let (commands, label) = match &component {
                    Some(key) => (
                        bind_asset(
                            tab.document(),
                            &asset,
                            Architecture::reference_static(),
                            Architecture::reference_document(),
                            key,
                        ),
                        format!("Bind asset to {key}"),
                    ),
                    None => (
                        unbind_asset(tab.document(), &asset),
                        "Unbind asset".to_owned(),
                    ),
                };
                let result = apply_step(tab, label, commands);
                self.report(Some(result));
            }
            Action::Relate { source, target } => {
                let Some(tab) = self.tabs.get_mut(self.active) else {
                    return;
                };
                // From a control (drawn as a node), a link means it addresses the target.
                if tab.document().object(&source).is_some_and(is_control) {
                    self.apply(
                        ctx,
                        Action::LinkControl {
                            control: source,
                            action: target,
                        },
                    );
                    return;
                }
                let object = with_sources(tab, |_, new_id, now| {
                    new_relationship(&new_id("relationship"), "related-to", &source, &target, now)
                });
                let command = Command::AddObject {
                    object,
                    position: None,
                };
                let result = apply_step(tab, "Add relationship".to_owned(), vec![command]);
                self.report(Some(result));
            }
            Action::Unrelate { source, target } => {
                let Some(tab) = self.tabs.get_mut(self.active) else {
                    return;
                };
                let commands = unrelate(tab.document(), &source, &target);
                let result = apply_step(tab, "Remove relationship".to_owned(), commands);
                self.report(Some(result));
            }
            Action::Notify(message) => self.status = Some(message),
        }
    }

    /// Refuses an edit of a read-only tab (a file not read as a flow), saying why.
    fn edit_refused(&mut self, action: &Action) -> bool {
        let tabs: Vec<usize> = match action {
            Action::SetControl { tab, .. } => vec![*tab],
            Action::SetControlRoles { tabs, .. } => tabs.clone(),
            _ => vec![self.active],
        };
        let Some(tab) = tabs
            .iter()
            .filter_map(|index| self.tabs.get(*index))
            .find(|tab| tab.is_read_only())
        else {
            return false;
        };
        self.status = Some(format!(
            "{} is read-only: it was not read as an Attack Flow. Save it under a new name \
             to edit it.",
            tab.name()
        ));
        true
    }

    fn apply_menu(&mut self, ctx: &egui::Context, command: MenuCommand) {
        match command {
            MenuCommand::New => self.new_flow(),
            MenuCommand::NewProfile => self.new_profile(),
            MenuCommand::Open => {
                let folder = self.dialog_folder();
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
                        tab.editor_mut().undo()
                    } else {
                        tab.editor_mut().redo()
                    };
                    if done {
                        tab.prune_selection();
                    }
                }
            }
            MenuCommand::Delete => self.delete_selection(),
            MenuCommand::SelectAll => {
                // Every node drawn, and nothing the canvas hides (the flow's author, the
                // parties, controls), so Delete after Select all removes only what was seen.
                if let Some(tab) = self.tabs.get_mut(self.active) {
                    tab.selection = tab.outline().iter().map(|(id, _)| id.clone()).collect();
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
            MenuCommand::SelectNone => {
                if let Some(tab) = self.tabs.get_mut(self.active) {
                    tab.selection.clear();
                    tab.picker = None;
                }
            }
            MenuCommand::ToggleArchitectureView => {
                if let Some(tab) = self.tabs.get_mut(self.active) {
                    tab.canvas.toggle_architecture_view();
                }
            }
            MenuCommand::ToggleLayoutDirection => {
                if let Some(tab) = self.tabs.get_mut(self.active) {
                    tab.canvas.toggle_direction();
                }
            }
            MenuCommand::Shortcuts => self.help = Some(super::Help::Shortcuts),
            MenuCommand::About => self.help = Some(super::Help::About),
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

    /// Adds a node of `kind` to the active document, selected, in free space near `near`
    /// (canvas coordinates), else to the right of the selection, else at the view's centre.
    fn add_node(&mut self, kind: medflow_core::edit::NewObject, near: Option<[f32; 2]>) {
        let Some(tab) = self.tabs.get_mut(self.active) else {
            return;
        };
        let about: Vec<String> = tab.selection.iter().cloned().collect();
        let (id, object) = with_sources(tab, |document, new_id, now| {
            let id = new_id(kind.type_name());
            let object = new_object(kind, &id, now);
            if kind.type_name() == "note" {
                (id, note_about(&object, &about, document))
            } else {
                (id, object)
            }
        });
        let size = medflow_core::scene::nominal_size(&object);
        let near = near
            .or_else(|| {
                tab.canvas
                    .bounds_of(&tab.selection)
                    .map(|bounds| [bounds.right() + 60.0, bounds.top()])
            })
            .unwrap_or_else(|| {
                let [x, y] = tab.canvas.view_center();
                [x - size[0] / 2.0, y - size[1] / 2.0]
            });
        let at = tab.canvas.free_spot(near, size);
        let result = tab.editor_mut().apply(
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

    /// Saves where the automatically placed nodes of the active tab are drawn, as their own
    /// undo step, before an edit that changes the graph's shape (which would otherwise lay
    /// them out anew and move them under the user's eyes).
    fn keep_node_positions(&mut self) {
        let Some(tab) = self.tabs.get_mut(self.active) else {
            return;
        };
        if tab.is_profile() {
            return;
        }
        let moves = tab.canvas.unsaved_positions(tab.document());
        if moves.is_empty() {
            return;
        }
        let command = Command::MoveNodes {
            view: tab.canvas.view(),
            moves,
        };
        if let Err(error) = tab.editor_mut().apply("Keep node positions", vec![command]) {
            self.status = Some(format!("Not done: {error}"));
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
        let command = Command::MoveNodes {
            view: tab.canvas.view(),
            moves,
        };
        if let Err(error) = tab.editor_mut().apply("Tidy layout", vec![command]) {
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
            .editor_mut()
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
    let mut window = egui::Window::new("Pick an ATT&CK or ATLAS technique")
        .open(&mut open)
        .default_width(520.0)
        .collapsible(false);
    if let Some(anchor) = picker.anchor {
        // Beside the inspector's button, to its left.
        window = window
            .pivot(egui::Align2::RIGHT_TOP)
            .default_pos(anchor)
            .constrain(true);
    }
    window.show(ctx, |ui| outcome = picker.ui(ui, catalog));
    let action_id = action_id.clone();
    match outcome {
        Some(PickerOutcome::Picked(choice)) => {
            let commands = assign_technique(tab.document(), &action_id, &choice, catalog);
            if !commands.is_empty() {
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

/// Applies `commands` to the tab's document as one step labelled `label` (nothing when there
/// are none); the refusal's reason otherwise.
fn apply_step(tab: &mut Tab, label: String, commands: Vec<Command>) -> Result<(), String> {
    if commands.is_empty() {
        return Ok(());
    }
    let result = tab.editor_mut().apply(label, commands);
    result
        .map(|()| tab.prune_selection())
        .map_err(|error: EditError| error.to_string())
}

/// What `build` makes of the tab's document with new ids and the time from the tab's editor
/// (its `Sources`): the way every command needing new objects is built.
fn with_sources<T>(
    tab: &mut Tab,
    build: impl FnOnce(&Document, &mut dyn FnMut(&str) -> String, &Timestamp) -> T,
) -> T {
    let (document, sources) = tab.editor_mut().parts();
    let now = sources.now();
    build(document, &mut |type_name| sources.new_id(type_name), &now)
}

/// A control's name, or its id.
fn control_name(tab: &Tab, control: &str) -> String {
    controls(tab.document())
        .into_iter()
        .find(|known| known.id == control)
        .map_or_else(|| control.to_owned(), |known| known.name)
}

/// Whether an action may add, remove or link nodes of the active document (so the automatic
/// layout would place the nodes anew).
fn changes_shape(action: &Action) -> bool {
    match action {
        Action::Edit { commands, .. } => commands.iter().any(|command| {
            !matches!(
                command,
                Command::SetProperty { .. } | Command::MoveNodes { .. }
            )
        }),
        Action::Menu(command) => *command == MenuCommand::Delete,
        Action::AddNode(_)
        | Action::AddNodeAt { .. }
        | Action::Relate { .. }
        | Action::Unrelate { .. }
        | Action::AddControl { .. }
        | Action::LinkControl { .. }
        | Action::UnlinkControl { .. }
        | Action::BindAsset { .. } => true,
        _ => false,
    }
}
