//! [`EditorApp`]: the editor's state and its frame, as an [`eframe::App`].
//!
//! The app holds the open tabs, the ATT&CK catalog, the library folder, recent files and the
//! dialogs in flight. Panels and the canvas draw from this state and push [`Action`]s;
//! [`EditorApp::apply`] carries them out in one place, after the panels are drawn. Only core's
//! edit module changes a document.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use eframe::egui::{self, ViewportCommand};
use medflow_core::attack::{Catalog, embedded_domains};
use medflow_core::edit::{Command, Editor, new_object};
use medflow_core::{Document, ReadLimits, read_bundle, write_bundle};
use medflow_platform::CatalogInUse;
use serde_json::Value;

use crate::actions::{Action, MenuCommand};
use crate::dialogs::{DialogResult, Dialogs};
use crate::file::read_file_limited;
use crate::panels::picker::{PickedTechnique, PickerOutcome};
use crate::tab::Tab;
use crate::{canvas, panels, theme};

/// The window title when no file is open.
pub const APP_TITLE: &str = "MedFlow Studio";

/// How many recent files are remembered.
const RECENT_LIMIT: usize = 10;

/// The eframe storage key of the recent files.
const RECENT_KEY: &str = "recent_files";

/// The ATT&CK catalog the editor validates against, and how to describe it.
#[derive(Debug, Clone)]
pub(crate) struct AttackKnowledge {
    pub(crate) catalog: Arc<Catalog>,
    /// Which catalog is in use per domain, and any problem loading a user catalog.
    pub(crate) description: String,
}

impl AttackKnowledge {
    /// The built-in catalog, parsed once per process.
    fn built_in() -> Self {
        static BUILT_IN: OnceLock<Arc<Catalog>> = OnceLock::new();
        let catalog = BUILT_IN
            .get_or_init(|| {
                Arc::new(Catalog::from_domains(
                    embedded_domains().unwrap_or_default(),
                ))
            })
            .clone();
        let description = CatalogInUse::describe_catalog(&catalog);
        Self {
            catalog,
            description,
        }
    }
}

/// What waits for the user's answer about unsaved changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PendingClose {
    /// Closing one tab.
    Tab(usize),
    /// Closing the window.
    Window,
}

/// The MedFlow Studio editor.
pub struct EditorApp {
    tabs: Vec<Tab>,
    active: usize,
    attack: AttackKnowledge,
    dialogs: Dialogs,
    /// Recently opened or saved files, newest first.
    recent: Vec<PathBuf>,
    /// The folder of the flow library and its flow files.
    library: panels::library::Library,
    /// What the bottom panel shows.
    bottom: crate::actions::BottomView,
    /// The RACI matrix's filters and sort order.
    raci_view: panels::raci::RaciView,
    /// The last message for the status bar (errors, refused edits).
    status: Option<String>,
    /// A file that could not be opened, shown until another file opens.
    failure: Option<String>,
    pending_close: Option<PendingClose>,
    /// The window may close now (the user answered the unsaved-changes prompt).
    allow_close: bool,
    actions: Vec<Action>,
    /// The last title sent to the window, so it is sent only when it changes.
    shown_title: Option<String>,
}

impl std::fmt::Debug for EditorApp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EditorApp")
            .field("tabs", &self.tabs)
            .field("active", &self.active)
            .finish_non_exhaustive()
    }
}

impl Default for EditorApp {
    fn default() -> Self {
        Self {
            tabs: Vec::new(),
            active: 0,
            attack: AttackKnowledge::built_in(),
            dialogs: Dialogs::default(),
            recent: Vec::new(),
            library: panels::library::Library::default(),
            bottom: crate::actions::BottomView::default(),
            raci_view: panels::raci::RaciView::default(),
            status: None,
            failure: None,
            pending_close: None,
            allow_close: false,
            actions: Vec::new(),
            shown_title: None,
        }
    }
}

impl EditorApp {
    /// An editor with nothing open, validating against the built-in ATT&CK catalog.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// An editor with nothing open, validating against `in_use` (a user catalog made by
    /// `medflow attack import`, or the built-in one).
    #[must_use]
    pub fn with_catalog(in_use: CatalogInUse) -> Self {
        let mut description = in_use.describe();
        for note in &in_use.notes {
            description.push_str(" — ");
            description.push_str(note);
        }
        Self {
            attack: AttackKnowledge {
                catalog: Arc::new(in_use.catalog),
                description,
            },
            ..Self::default()
        }
    }

    /// Shows the flows of `folder` in the library panel.
    pub fn set_library(&mut self, folder: Option<PathBuf>) {
        self.library = panels::library::Library::open(folder);
    }

    /// Opens the first flow of the library, if it has one.
    pub fn open_first_library_flow(&mut self) {
        if let Some(path) = self.library.files.first().cloned() {
            self.open_path(&path);
        } else if let Some(path) = self.library.built_in.first().copied() {
            self.open_built_in(path);
        }
    }

    /// Opens a flow of the built-in library (`path` under `flows/`) in a new, unsaved tab, or
    /// switches to the tab that already holds its unsaved copy.
    pub fn open_built_in(&mut self, path: &'static str) {
        if let Some(index) = self
            .tabs
            .iter()
            .position(|tab| tab.path.is_none() && tab.origin == Some(path))
        {
            self.active = index;
            return;
        }
        let Some(flow) = medflow_core::library::embedded_flows().find(|flow| flow.path == path)
        else {
            self.status = Some(format!("No built-in flow {path}"));
            return;
        };
        let before = self.tabs.len();
        self.open_document_bytes(path, None, flow.bytes);
        if self.tabs.len() > before
            && let Some(tab) = self.tabs.last_mut()
        {
            tab.origin = Some(path);
        }
    }

    /// Restores the recent files from eframe's storage.
    pub fn restore(&mut self, storage: Option<&dyn eframe::Storage>) {
        if let Some(recent) =
            storage.and_then(|storage| eframe::get_value::<Vec<PathBuf>>(storage, RECENT_KEY))
        {
            self.recent = recent;
            self.recent.truncate(RECENT_LIMIT);
        }
    }

    /// Which ATT&CK catalog is in use, as the status bar says it.
    #[must_use]
    pub fn catalog_description(&self) -> &str {
        &self.attack.description
    }

    /// Opens a new, empty flow in a new tab.
    pub fn new_flow(&mut self) {
        self.push_tab(Tab::new(
            Editor::new_flow("Untitled flow"),
            None,
            Vec::new(),
        ));
    }

    /// Opens a new architecture profile of the reference architecture in a new tab.
    pub fn new_profile(&mut self) {
        let mut editor = Editor::new(Document::default());
        let now = editor.now();
        let document = medflow_core::architecture::new_profile(
            "New device",
            medflow_core::architecture::Architecture::reference_static(),
            &mut |type_name| editor.new_id(type_name),
            &now,
        );
        self.push_tab(Tab::new(Editor::new(document), None, Vec::new()));
    }

    fn push_tab(&mut self, tab: Tab) {
        self.tabs.push(tab);
        self.active = self.tabs.len() - 1;
        self.failure = None;
    }

    /// Opens a document from bytes in a new tab; `label` names it in messages. A file that
    /// cannot be read leaves the tabs as they are and shows a message naming `label`.
    pub fn open_bytes(&mut self, label: &str, bytes: &[u8]) {
        self.open_document_bytes(label, None, bytes);
    }

    fn open_document_bytes(&mut self, label: &str, path: Option<PathBuf>, bytes: &[u8]) {
        match read_bundle(bytes, &ReadLimits::default()) {
            Ok(outcome) => {
                let tab = Tab::new(Editor::new(outcome.document), path, outcome.diagnostics);
                self.push_tab(tab);
            }
            Err(error) => self.fail(label, &error),
        }
    }

    /// Opens a document file in a new tab (or switches to its tab when it is already open),
    /// refusing files over [`ReadLimits::default`] before reading them.
    pub fn open_path(&mut self, path: &Path) {
        if let Some(index) = self
            .tabs
            .iter()
            .position(|tab| tab.path.as_deref() == Some(path))
        {
            self.active = index;
            return;
        }
        let label = path.display().to_string();
        match read_file_limited(path, &ReadLimits::default()) {
            Ok(bytes) => {
                let before = self.tabs.len();
                self.open_document_bytes(&label, Some(path.to_path_buf()), &bytes);
                if self.tabs.len() > before {
                    self.remember(path);
                }
            }
            Err(error) => self.fail(&label, &error),
        }
    }

    fn remember(&mut self, path: &Path) {
        let path = path.to_path_buf();
        self.recent.retain(|known| *known != path);
        self.recent.insert(0, path);
        self.recent.truncate(RECENT_LIMIT);
    }

    fn fail(&mut self, label: &str, error: &dyn std::fmt::Display) {
        let message = format!("Cannot open {label}: {error}");
        self.status = Some(message.clone());
        self.failure = Some(message);
    }

    /// The active tab's document, if a file is open.
    #[must_use]
    pub fn document(&self) -> Option<&Document> {
        self.tabs.get(self.active).map(Tab::document)
    }

    /// The active tab.
    #[must_use]
    pub fn active_tab(&self) -> Option<&Tab> {
        self.tabs.get(self.active)
    }

    /// The number of open tabs.
    #[must_use]
    pub fn tab_count(&self) -> usize {
        self.tabs.len()
    }

    /// The id of the selected object, if exactly one is selected.
    #[must_use]
    pub fn selected_object_id(&self) -> Option<&str> {
        let tab = self.tabs.get(self.active)?;
        (tab.selection.len() == 1)
            .then(|| tab.selection.iter().next().map(String::as_str))
            .flatten()
    }

    /// The last status-bar message.
    #[must_use]
    pub fn status(&self) -> Option<&str> {
        self.status.as_deref()
    }

    /// The window title: "name — MedFlow Studio", with a dot when there are unsaved changes.
    #[must_use]
    pub fn window_title(&self) -> String {
        match self.tabs.get(self.active) {
            Some(tab) if tab.editor.is_dirty() => format!("● {} — {APP_TITLE}", tab.name()),
            Some(tab) => format!("{} — {APP_TITLE}", tab.name()),
            None => APP_TITLE.to_owned(),
        }
    }

    /// Queues an action, as a panel would; it is applied at the end of the next frame (or by
    /// [`EditorApp::apply_pending`]).
    pub fn push(&mut self, action: Action) {
        self.actions.push(action);
    }

    /// Applies the queued actions now (tests drive the editor this way without a window).
    pub fn apply_pending(&mut self, ctx: &egui::Context) {
        let actions = std::mem::take(&mut self.actions);
        if !actions.is_empty() {
            // What the actions changed is drawn on the next frame.
            ctx.request_repaint();
        }
        for action in actions {
            self.apply(ctx, action);
        }
    }

    /// Draws the whole editor into `ui` and applies what the user asked for.
    ///
    /// This is what [`eframe::App::ui`] runs; tests call it through a kittest harness.
    pub fn editor_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.open_dropped_files(&ctx);
        self.poll_dialogs();
        self.read_shortcuts(&ctx);
        self.handle_close_request(&ctx);

        let mut actions = std::mem::take(&mut self.actions);
        egui::Panel::top("menu_bar").show(ui, |ui| {
            panels::menus::menu_bar_ui(ui, &self.recent, self.tabs.get(self.active), &mut actions);
            panels::menus::tab_strip_ui(ui, &self.tabs, self.active, &mut actions);
        });
        let catalog = self.attack.catalog.clone();
        let status_text = self.status.clone();
        let description = self.attack.description.clone();
        let tally = self
            .tabs
            .get_mut(self.active)
            .map(|tab| medflow_core::Tally::of(tab.diagnostics(&catalog)));
        egui::Panel::bottom("status_bar").show(ui, |ui| {
            panels::status_bar_ui(ui, tally.as_ref(), status_text.as_deref(), &description);
        });
        if !self.tabs.is_empty() {
            egui::Panel::bottom("problems")
                .resizable(true)
                .default_size(theme::PROBLEMS_HEIGHT_POINTS)
                .show(ui, |ui| {
                    self.bottom_ui(ui, &catalog, &mut actions);
                });
        }
        egui::Panel::left("library")
            .resizable(true)
            .default_size(theme::LIBRARY_WIDTH_POINTS)
            .show(ui, |ui| {
                let tab = self.tabs.get(self.active);
                panels::library::library_ui(ui, &self.library, tab, &mut actions);
            });
        let active = self.active;
        if let Some(tab) = self.tabs.get_mut(active) {
            egui::Panel::right("inspector")
                .resizable(true)
                .default_size(theme::INSPECTOR_WIDTH_POINTS)
                .show(ui, |ui| {
                    panels::inspector_panel_ui(
                        ui,
                        active,
                        tab,
                        &catalog,
                        self.library.catalogue.as_ref(),
                        &mut actions,
                    );
                });
        }
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(message) = &self.failure {
                panels::failure_ui(ui, message, self.tabs.is_empty());
            }
            match self.tabs.get_mut(self.active) {
                Some(tab) if tab.is_profile() => panels::profile::profile_ui(
                    ui,
                    tab,
                    self.library.catalogue.as_ref(),
                    &mut actions,
                ),
                Some(tab) => canvas::canvas_ui(ui, tab, &catalog, &mut actions),
                None if self.failure.is_none() => panels::empty_state_ui(ui, &mut actions),
                None => {}
            }
        });
        if let Some(tab) = self.tabs.get_mut(self.active) {
            picker_window_ui(&ctx, tab, &catalog, &mut actions);
        }
        self.close_prompt_ui(&ctx, &mut actions);
        self.actions = actions;
        self.apply_pending(&ctx);
        self.update_title(&ctx);
    }

    fn read_shortcuts(&mut self, ctx: &egui::Context) {
        let typing = ctx.egui_wants_keyboard_input();
        // Shortcuts with more modifiers first: egui matches Ctrl+Z against Ctrl+Shift+Z too,
        // so Redo (Ctrl+Shift+Z) must be consumed before Undo (Ctrl+Z) can see it.
        let mut shortcuts: Vec<(MenuCommand, egui::KeyboardShortcut)> = MenuCommand::ALL
            .into_iter()
            .filter(|command| !(typing && command.yields_to_text()))
            .flat_map(|command| {
                command
                    .shortcuts()
                    .into_iter()
                    .map(move |shortcut| (command, shortcut))
            })
            .collect();
        shortcuts.sort_by_key(|(_, shortcut)| {
            let modifiers = shortcut.modifiers;
            std::cmp::Reverse(
                u8::from(modifiers.shift) + u8::from(modifiers.alt) + u8::from(modifiers.command),
            )
        });
        for (command, shortcut) in shortcuts {
            if ctx.input_mut(|input| input.consume_shortcut(&shortcut)) {
                self.actions.push(Action::Menu(command));
            }
        }
    }

    fn handle_close_request(&mut self, ctx: &egui::Context) {
        if !ctx.input(|input| input.viewport().close_requested()) || self.allow_close {
            return;
        }
        if self.tabs.iter().any(|tab| tab.editor.is_dirty()) {
            ctx.send_viewport_cmd(ViewportCommand::CancelClose);
            self.pending_close = Some(PendingClose::Window);
        }
    }

    fn close_prompt_ui(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        let Some(pending) = self.pending_close else {
            return;
        };
        let names: Vec<String> = match pending {
            PendingClose::Tab(index) => self.tabs.get(index).map(Tab::name).into_iter().collect(),
            PendingClose::Window => self
                .tabs
                .iter()
                .filter(|tab| tab.editor.is_dirty())
                .map(Tab::name)
                .collect(),
        };
        let mut answer = None;
        egui::Modal::new(egui::Id::new("unsaved_changes")).show(ctx, |ui| {
            ui.heading("Unsaved changes");
            ui.label(format!(
                "{} {} unsaved changes.",
                names.join(", "),
                if names.len() == 1 { "has" } else { "have" }
            ));
            ui.horizontal(|ui| {
                if ui.button("Save").clicked() {
                    answer = Some(true);
                }
                if ui.button("Discard changes").clicked() {
                    answer = Some(false);
                }
                if ui.button("Cancel").clicked() {
                    self.pending_close = None;
                }
            });
        });
        let Some(save) = answer else {
            return;
        };
        self.pending_close = None;
        match pending {
            PendingClose::Tab(index) => {
                if save {
                    self.active = index;
                    self.save_active(ctx);
                    if self
                        .tabs
                        .get(index)
                        .is_some_and(|tab| !tab.editor.is_dirty())
                    {
                        actions.push(Action::DiscardTab(index));
                    }
                } else {
                    actions.push(Action::DiscardTab(index));
                }
            }
            PendingClose::Window => {
                if save {
                    for index in 0..self.tabs.len() {
                        if self.tabs[index].editor.is_dirty() {
                            self.active = index;
                            self.save_active(ctx);
                        }
                    }
                    if self.tabs.iter().any(|tab| tab.editor.is_dirty()) {
                        return;
                    }
                }
                self.allow_close = true;
                ctx.send_viewport_cmd(ViewportCommand::Close);
            }
        }
    }

    fn open_dropped_files(&mut self, ctx: &egui::Context) {
        let dropped = ctx.input(|input| input.raw.dropped_files.clone());
        for file in dropped {
            let path = file.path();
            if path.as_os_str().is_empty() {
                match file.bytes() {
                    Ok(bytes) => self.open_bytes("dropped file", &bytes),
                    Err(error) => self.fail("dropped file", &error),
                }
            } else {
                self.open_path(path);
            }
        }
    }

    fn poll_dialogs(&mut self) {
        while let Some(result) = self.dialogs.poll() {
            match result {
                DialogResult::Open(paths) => {
                    for path in paths {
                        self.actions.push(Action::Open(path));
                    }
                }
                DialogResult::SaveAs(path) => self.actions.push(Action::SaveTo(path)),
                DialogResult::Cancelled => {}
                DialogResult::Failed(message) => self.status = Some(message),
            }
        }
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let title = self.window_title();
        if self.shown_title.as_deref() != Some(title.as_str()) {
            ctx.send_viewport_cmd(ViewportCommand::Title(title.clone()));
            self.shown_title = Some(title);
        }
    }

    fn save_active(&mut self, ctx: &egui::Context) {
        let Some(tab) = self.tabs.get(self.active) else {
            return;
        };
        if let Some(path) = tab.path.clone() {
            self.save_to(&path);
        } else {
            let name = tab.origin.map_or_else(
                || format!("{}.json", file_stem(&tab.name())),
                |origin| origin.rsplit('/').next().unwrap_or(origin).to_owned(),
            );
            let folder = self.library.folder.clone();
            self.dialogs.save_as(ctx, name, folder);
        }
    }

    fn save_to(&mut self, path: &Path) {
        let Some(tab) = self.tabs.get_mut(self.active) else {
            return;
        };
        let bytes = write_bundle(tab.editor.document());
        match medflow_platform::save_with_backup(path, &bytes) {
            Ok(()) => {
                tab.editor.mark_saved();
                tab.path = Some(path.to_path_buf());
                self.status = Some(format!("Saved {}", path.display()));
                self.remember(path);
                self.library.refresh();
            }
            Err(error) => {
                self.status = Some(format!("Cannot save {}: {error}", path.display()));
            }
        }
    }

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
            Action::SaveTo(path) => self.save_to(&path),
            Action::SelectTab(index) => {
                if index < self.tabs.len() {
                    self.active = index;
                }
            }
            Action::CloseTab(index) => {
                if self
                    .tabs
                    .get(index)
                    .is_some_and(|tab| tab.editor.is_dirty())
                {
                    self.pending_close = Some(PendingClose::Tab(index));
                } else {
                    self.apply(ctx, Action::DiscardTab(index));
                }
            }
            Action::DiscardTab(index) => {
                if index < self.tabs.len() {
                    self.tabs.remove(index);
                    if self.active >= self.tabs.len() {
                        self.active = self.tabs.len().saturating_sub(1);
                    }
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
                let object = new_object(kind, &id, &tab.editor.now());
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
                if let Some(tab) = self.tabs.get(self.active) {
                    let name = format!("{}.json", file_stem(&tab.name()));
                    let folder = tab
                        .path
                        .as_deref()
                        .and_then(Path::parent)
                        .map(Path::to_path_buf)
                        .or_else(|| self.library.folder.clone());
                    self.dialogs.save_as(ctx, name, folder);
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

    /// The bottom panel: problems, coverage or the RACI matrix, with a switch between them.
    fn bottom_ui(&mut self, ui: &mut egui::Ui, catalog: &Catalog, actions: &mut Vec<Action>) {
        use crate::actions::BottomView;
        let problem_count = self
            .tabs
            .get_mut(self.active)
            .map_or(0, |tab| tab.diagnostics(catalog).len());
        ui.horizontal(|ui| {
            for (view, label) in [
                (BottomView::Problems, format!("Problems ({problem_count})")),
                (BottomView::Coverage, "Coverage".to_owned()),
                (BottomView::Raci, "RACI matrix".to_owned()),
            ] {
                let text = egui::RichText::new(label).heading();
                if ui.selectable_label(self.bottom == view, text).clicked() {
                    actions.push(Action::ShowBottom(view));
                }
            }
        });
        ui.separator();
        match self.bottom {
            BottomView::Problems => {
                if let Some(tab) = self.tabs.get_mut(self.active) {
                    panels::problems::problems_ui(ui, tab, catalog, actions);
                }
            }
            BottomView::Coverage => {
                if let Some(tab) = self.tabs.get(self.active) {
                    panels::raci::coverage_ui(ui, tab, actions);
                }
            }
            BottomView::Raci => {
                panels::raci::raci_matrix_ui(
                    ui,
                    &self.tabs,
                    self.active,
                    &mut self.raci_view,
                    actions,
                );
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

/// A file name made from a flow name: letters, digits, spaces, dashes and underscores kept.
fn file_stem(name: &str) -> String {
    let kept: String = name
        .chars()
        .map(|character| {
            if character.is_alphanumeric() || matches!(character, ' ' | '-' | '_') {
                character
            } else {
                '_'
            }
        })
        .collect();
    let trimmed = kept.trim();
    if trimmed.is_empty() {
        "flow".to_owned()
    } else {
        trimmed.to_owned()
    }
}

/// The technique picker, as a window over the editor, for the action it was opened for.
fn picker_window_ui(
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

impl eframe::App for EditorApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.editor_ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, RECENT_KEY, &self.recent);
    }
}
