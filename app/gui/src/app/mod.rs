//! [`EditorApp`]: the editor's state and its frame, as an [`eframe::App`].
//!
//! The app holds the open tabs, the ATT&CK catalog, the library folder, recent files and the
//! dialogs in flight. Panels and the canvas draw from this state and push [`Action`]s;
//! [`EditorApp::apply`] carries them out in one place, after the panels are drawn. Only core's
//! edit module changes a document.

mod apply;
mod files;
mod picker_domain;
mod pivots;
mod recovery;
mod simulation;
pub mod tab;

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use eframe::egui::{self, ViewportCommand};
use medflow_core::Document;
use medflow_core::attack::Catalog;
use medflow_platform::CatalogInUse;

use crate::actions::{Action, MenuCommand};
use crate::dialogs::{DialogKind, DialogRequest, DialogResult, Dialogs, NativeDialog};
use crate::tab::Tab;
use crate::{canvas, panels, theme};
use apply::picker_window_ui;
pub(crate) use panels::help::Help;

/// The window title when no file is open.
pub const APP_TITLE: &str = "MedFlow Studio";

/// How many recent files are remembered.
pub(super) const RECENT_LIMIT: usize = 10;

/// The eframe storage key of the recent files.
const RECENT_KEY: &str = "recent_files";

/// The eframe storage key of the folder last opened from or saved to.
const FOLDER_KEY: &str = "last_folder";

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
            .get_or_init(|| Arc::new(Catalog::built_in()))
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
    /// Closing one tab (by its key).
    Tab(u64),
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
    /// The folder a file was last opened from or saved to: where the dialogs start.
    last_folder: Option<PathBuf>,
    /// The folder of the flow library and its flow files.
    library: panels::library::Library,
    /// What the bottom panel shows.
    bottom: crate::actions::BottomView,
    /// The RACI matrix's filters and sort order.
    raci_view: panels::raci::RaciView,
    /// The Simulation panel's choices, last run and playback.
    simulation: panels::simulation::SimulationView,
    /// The use case the coverage panel shows (its id), else the active flow alone.
    coverage_use_case: Option<String>,
    /// The last message for the status bar (errors, refused edits).
    status: Option<String>,
    /// The message as last seen, and the tab and content revision it was said in.
    status_said: (Option<String>, Option<(u64, u64)>),
    /// A file that could not be opened, shown until another file opens.
    failure: Option<String>,
    pending_close: Option<PendingClose>,
    /// The key the last opened tab got.
    next_tab_key: u64,
    /// The window may close now (the user answered the unsaved-changes prompt).
    allow_close: bool,
    actions: Vec<Action>,
    /// The last title sent to the window, so it is sent only when it changes.
    shown_title: Option<String>,
    /// Unsaved work kept for crash recovery, and work recovered from a crash.
    autosave: recovery::Autosave,
    /// The Help window that is open.
    help: Option<Help>,
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
            last_folder: None,
            library: panels::library::Library::default(),
            bottom: crate::actions::BottomView::default(),
            raci_view: panels::raci::RaciView::default(),
            simulation: panels::simulation::SimulationView::default(),
            coverage_use_case: None,
            status: None,
            status_said: (None, None),
            failure: None,
            pending_close: None,
            next_tab_key: 0,
            allow_close: false,
            actions: Vec::new(),
            shown_title: None,
            autosave: recovery::Autosave::default(),
            help: None,
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

    /// Restores the recent files from eframe's storage.
    pub fn restore(&mut self, storage: Option<&dyn eframe::Storage>) {
        if let Some(recent) =
            storage.and_then(|storage| eframe::get_value::<Vec<PathBuf>>(storage, RECENT_KEY))
        {
            self.recent = recent;
            self.recent.truncate(RECENT_LIMIT);
        }
        if let Some(folder) =
            storage.and_then(|storage| eframe::get_value::<PathBuf>(storage, FOLDER_KEY))
        {
            self.last_folder = Some(folder);
        }
    }

    /// Which ATT&CK catalog is in use, as the status bar says it.
    #[must_use]
    pub fn catalog_description(&self) -> &str {
        &self.attack.description
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

    /// The open tabs, in order.
    #[must_use]
    pub fn tabs(&self) -> &[Tab] {
        &self.tabs
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

    /// Recently opened or saved files, newest first (File → Open recent).
    #[must_use]
    pub fn recent_files(&self) -> &[PathBuf] {
        &self.recent
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
            Some(tab) if tab.is_dirty() => format!("● {} — {APP_TITLE}", tab.name()),
            Some(tab) => format!("{} — {APP_TITLE}", tab.name()),
            None => APP_TITLE.to_owned(),
        }
    }

    /// Queues an action, as a panel would; it is applied at the end of the next frame (or by
    /// [`EditorApp::apply_pending`]).
    pub fn push(&mut self, action: Action) {
        self.actions.push(action);
    }

    /// Replaces the native dialogs with a scripted double: the dialogs the editor asks for
    /// are recorded ([`EditorApp::take_dialog_requests`]) and answered by
    /// [`EditorApp::answer_dialog`], so tests run the open and save paths without a desktop.
    pub fn use_scripted_dialogs(&mut self) {
        self.dialogs = Dialogs::scripted();
    }

    /// Shows dialogs of `kind`, native ones through `native` (tests give one that fails, as
    /// on a desktop with no portal).
    pub fn use_native_dialogs(&mut self, kind: DialogKind, native: NativeDialog) {
        self.dialogs = Dialogs::with_native(kind, native);
    }

    /// Which file dialogs the editor shows now.
    #[must_use]
    pub fn dialog_kind(&self) -> DialogKind {
        self.dialogs.kind()
    }

    /// The dialogs asked for since the last call (scripted dialogs only).
    pub fn take_dialog_requests(&mut self) -> Vec<DialogRequest> {
        self.dialogs.take_requests()
    }

    /// Answers a dialog as the user would; the editor reads the answer on its next frame.
    pub fn answer_dialog(&self, result: DialogResult) {
        self.dialogs.answer(result);
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
        self.status_bar(ui, &catalog);
        if !self.tabs.is_empty() {
            egui::Panel::bottom("problems")
                .resizable(true)
                .default_size(theme::PROBLEMS_HEIGHT_POINTS)
                .show(ui, |ui| {
                    fill_panel(ui);
                    self.bottom_ui(ui, &catalog, &mut actions);
                });
        }
        egui::Panel::left("library")
            .resizable(true)
            .default_size(theme::LIBRARY_WIDTH_POINTS)
            .show(ui, |ui| {
                fill_panel(ui);
                let tab = self.tabs.get_mut(self.active);
                panels::library::library_ui(ui, &self.library, tab, &mut actions);
            });
        let active = self.active;
        let others = self.pivot_flows();
        if let Some(tab) = self.tabs.get_mut(active) {
            egui::Panel::right("inspector")
                .resizable(true)
                .default_size(theme::INSPECTOR_WIDTH_POINTS)
                .show(ui, |ui| {
                    fill_panel(ui);
                    panels::inspector_panel_ui(
                        ui,
                        active,
                        tab,
                        &catalog,
                        self.library.catalogue.as_ref(),
                        &others,
                        &mut actions,
                    );
                });
        }
        let playback = (self.bottom == crate::actions::BottomView::Simulation)
            .then(|| self.playback())
            .flatten();
        if let Some(tab) = self.tabs.get_mut(self.active) {
            tab.playback = playback;
        }
        egui::CentralPanel::default().show(ui, |ui| {
            if let Some(message) = &self.failure {
                panels::failure_ui(ui, message, self.tabs.is_empty());
            }
            if let Some(foreign) = self
                .tabs
                .get(self.active)
                .and_then(|tab| tab.foreign.as_ref())
            {
                panels::read_only_banner_ui(ui, foreign, &mut actions);
            }
            match self.tabs.get_mut(self.active) {
                Some(tab) if tab.is_profile() => panels::profile::profile_ui(
                    ui,
                    tab,
                    self.library.catalogue.as_ref(),
                    &mut actions,
                ),
                Some(tab) => canvas::canvas_ui(ui, tab, &catalog, &mut actions),
                None if self.failure.is_none() => {
                    panels::help::welcome_ui(ui, &self.library, &self.recent, &mut actions);
                }
                None => {}
            }
        });
        if let Some(tab) = self.tabs.get_mut(self.active) {
            picker_window_ui(&ctx, tab, &catalog, &mut actions);
        }
        self.actions = actions;
        self.dialogs.ui(&ctx);
        panels::help::help_ui(&ctx, &mut self.help);
        self.close_prompt_ui(&ctx);
        self.recovery_ui(&ctx);
        self.apply_pending(&ctx);
        self.update_title(&ctx);
        let focus_lost = ctx.input(|input| {
            input
                .events
                .iter()
                .any(|event| matches!(event, egui::Event::WindowFocused(false)))
        });
        self.autosave(&ctx, focus_lost);
        self.age_status();
    }

    /// Clears the status message once its context changed: another tab, or an edit since it
    /// was said (a refusal stays until the user does something else).
    fn age_status(&mut self) {
        let context = self
            .tabs
            .get(self.active)
            .map(|tab| (tab.key, tab.editor().content_revision()));
        if self.status != self.status_said.0 {
            self.status_said = (self.status.clone(), context);
        } else if self.status.is_some() && self.status_said.1 != context {
            self.status = None;
            self.status_said = (None, context);
        }
    }

    /// The status bar at the bottom of the window.
    fn status_bar(&mut self, ui: &mut egui::Ui, catalog: &Catalog) {
        let status_text = self.status.clone();
        let description = self.attack.description.clone();
        let tally = self
            .tabs
            .get_mut(self.active)
            .map(|tab| medflow_core::Tally::of(tab.diagnostics(catalog)));
        let (zoom_percent, selected) = self.tabs.get(self.active).map_or((None, 0), |tab| {
            (
                (!tab.is_profile()).then(|| tab.canvas.scale() * 100.0),
                tab.selection.len(),
            )
        });
        egui::Panel::bottom("status_bar").show(ui, |ui| {
            panels::status_bar_ui(
                ui,
                &panels::StatusLine {
                    tally: tally.as_ref(),
                    message: status_text.as_deref(),
                    zoom_percent,
                    selected,
                    dialogs: self.dialogs.kind().label(),
                    catalog: &description,
                },
            );
        });
    }

    fn read_shortcuts(&mut self, ctx: &egui::Context) {
        let typing = ctx.egui_wants_keyboard_input();
        // Escape belongs to a dialog, prompt or window while one is open.
        let window_open = self.dialogs.built_in_open()
            || self.pending_close.is_some()
            || !self.autosave.offers.is_empty()
            || self.help.is_some()
            || egui::Popup::is_any_open(ctx);
        // Shortcuts with more modifiers first: egui matches Ctrl+Z against Ctrl+Shift+Z too,
        // so Redo (Ctrl+Shift+Z) must be consumed before Undo (Ctrl+Z) can see it.
        let mut shortcuts: Vec<(MenuCommand, egui::KeyboardShortcut)> = MenuCommand::ALL
            .into_iter()
            .filter(|command| !(typing && command.yields_to_text()))
            .filter(|command| !(window_open && *command == MenuCommand::SelectNone))
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

    fn update_title(&mut self, ctx: &egui::Context) {
        let title = self.window_title();
        if self.shown_title.as_deref() != Some(title.as_str()) {
            ctx.send_viewport_cmd(ViewportCommand::Title(title.clone()));
            self.shown_title = Some(title);
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
                (BottomView::Simulation, "Simulation".to_owned()),
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
                let use_cases = self.use_case_filters();
                let mut chosen = self.coverage_use_case.take();
                let flows = if chosen.is_some() {
                    self.library_flow_list()
                } else {
                    Vec::new()
                };
                if let Some(tab) = self.tabs.get(self.active) {
                    panels::raci::coverage_ui(ui, tab, &mut chosen, &use_cases, &flows, actions);
                }
                self.coverage_use_case = chosen;
            }
            BottomView::Raci => {
                let use_cases = self.use_case_filters();
                panels::raci::raci_matrix_ui(
                    ui,
                    &self.tabs,
                    self.active,
                    &mut self.raci_view,
                    &use_cases,
                    actions,
                );
            }
            BottomView::Simulation => {
                let positions: Vec<(u64, usize)> = self
                    .tabs
                    .iter()
                    .enumerate()
                    .map(|(index, tab)| (tab.key, index))
                    .collect();
                let choices = self.simulation_choices(&positions);
                panels::simulation::simulation_ui(ui, &mut self.simulation, &choices, actions);
            }
        }
    }
}

/// Makes a side or bottom panel's contents take the panel's whole size. An egui panel keeps
/// the size its contents took, so a panel showing one short line (no selection, no problems)
/// would otherwise shrink to it and stay that small.
fn fill_panel(ui: &mut egui::Ui) {
    ui.set_min_size(ui.available_size());
}

impl eframe::App for EditorApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.editor_ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, RECENT_KEY, &self.recent);
        if let Some(folder) = &self.last_folder {
            eframe::set_value(storage, FOLDER_KEY, folder);
        }
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.finish_recovery();
    }
}
