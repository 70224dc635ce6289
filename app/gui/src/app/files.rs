//! Files and tabs: opening (paths, bytes, dropped files, the built-in library), saving
//! (Save, Save As through the asynchronous dialogs, atomically with a backup), and closing
//! tabs and the window through the unsaved-changes prompt.

use std::path::{Path, PathBuf};

use eframe::egui::{self, ViewportCommand};
use medflow_core::edit::{Editor, Sources};
use medflow_core::{ReadLimits, read_bundle, write_bundle};

use super::{EditorApp, PendingClose, RECENT_LIMIT};
use crate::actions::Action;
use crate::dialogs::{AfterSave, DialogResult, SaveRequest};
use crate::file::read_file_limited;
use crate::tab::Tab;

impl EditorApp {
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
        let Some(flow) = medflow_core::library::embedded_flows()
            .chain(medflow_core::library::embedded_profiles())
            .find(|flow| flow.path == path)
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
        let mut sources = Sources::system();
        let now = sources.now();
        let document = medflow_core::architecture::new_profile(
            "New device",
            medflow_core::architecture::Architecture::reference_static(),
            &mut |type_name| sources.new_id(type_name),
            &now,
        );
        self.push_tab(Tab::new(Editor::with(document, sources), None, Vec::new()));
    }

    pub(super) fn push_tab(&mut self, mut tab: Tab) {
        self.next_tab_key += 1;
        tab.key = self.next_tab_key;
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
                let foreign = outcome
                    .foreign
                    .clone()
                    .or_else(|| not_a_flow(&outcome.document));
                let mut tab = Tab::new(Editor::new(outcome.document), path, outcome.diagnostics);
                if foreign.is_some() {
                    self.status = Some(format!(
                        "Opened {label} read-only: it is not an Attack Flow bundle."
                    ));
                }
                tab.foreign = foreign;
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

    pub(super) fn remember(&mut self, path: &Path) {
        self.last_folder = path
            .parent()
            .filter(|folder| !folder.as_os_str().is_empty())
            .map(Path::to_path_buf);
        let path = path.to_path_buf();
        self.recent.retain(|known| *known != path);
        self.recent.insert(0, path);
        self.recent.truncate(RECENT_LIMIT);
    }

    pub(super) fn fail(&mut self, label: &str, error: &dyn std::fmt::Display) {
        let message = format!("Cannot open {label}: {error}");
        self.status = Some(message.clone());
        self.failure = Some(message);
    }

    pub(super) fn open_dropped_files(&mut self, ctx: &egui::Context) {
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

    pub(super) fn handle_close_request(&mut self, ctx: &egui::Context) {
        if !ctx.input(|input| input.viewport().close_requested()) || self.allow_close {
            return;
        }
        if self.tabs.iter().any(Tab::is_dirty) {
            ctx.send_viewport_cmd(ViewportCommand::CancelClose);
            if self.pending_close.is_none() {
                self.pending_close = Some(PendingClose::Window);
            }
        }
    }

    /// The unsaved-changes prompt, while one waits for an answer.
    pub(super) fn close_prompt_ui(&mut self, ctx: &egui::Context) {
        let Some(pending) = self.pending_close else {
            return;
        };
        let names: Vec<String> = match pending {
            PendingClose::Tab(key) => self
                .tab_index(key)
                .map(|index| self.tabs[index].name())
                .into_iter()
                .collect(),
            PendingClose::Window => self
                .tabs
                .iter()
                .filter(|tab| tab.is_dirty())
                .map(Tab::name)
                .collect(),
        };
        if names.is_empty() {
            // The tab went away, or nothing is unsaved any more.
            self.pending_close = None;
            return;
        }
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
        match (pending, save) {
            (PendingClose::Tab(key), true) => self.save_tab(ctx, key, AfterSave::CloseTab),
            (PendingClose::Tab(key), false) => self.discard_tab(key),
            (PendingClose::Window, true) => self.close_window_saving(ctx),
            (PendingClose::Window, false) => self.close_window_now(ctx),
        }
    }

    /// Goes on closing the window after "Save": saves each unsaved tab that has a file,
    /// asks where to save the first one that has none (and comes back here when that save
    /// succeeds), and closes the window once nothing is unsaved.
    fn close_window_saving(&mut self, ctx: &egui::Context) {
        let keys: Vec<u64> = self
            .tabs
            .iter()
            .filter(|tab| tab.is_dirty())
            .map(|tab| tab.key)
            .collect();
        for key in keys {
            let Some(index) = self.tab_index(key) else {
                continue;
            };
            if let Some(path) = self.tabs[index].path.clone() {
                if !self.save_tab_to(key, &path) {
                    // The status bar says why; the window stays open.
                    return;
                }
            } else {
                self.active = index;
                self.ask_save_path(ctx, key, AfterSave::CloseWindow);
                return;
            }
        }
        self.close_window_now(ctx);
    }

    fn close_window_now(&mut self, ctx: &egui::Context) {
        self.allow_close = true;
        ctx.send_viewport_cmd(ViewportCommand::Close);
    }

    /// The position of the tab with this key.
    pub(super) fn tab_index(&self, key: u64) -> Option<usize> {
        self.tabs.iter().position(|tab| tab.key == key)
    }

    /// Closes the tab with this key, dropping unsaved changes.
    pub(super) fn discard_tab(&mut self, key: u64) {
        let Some(index) = self.tab_index(key) else {
            return;
        };
        let active_key = self.tabs.get(self.active).map(|tab| tab.key);
        self.tabs.remove(index);
        self.active = active_key
            .and_then(|active| self.tab_index(active))
            .unwrap_or_else(|| index.min(self.tabs.len().saturating_sub(1)));
    }

    /// Where the open dialog starts: the folder last used, else the library's.
    pub(super) fn dialog_folder(&self) -> Option<PathBuf> {
        self.last_folder
            .clone()
            .filter(|folder| folder.is_dir())
            .or_else(|| self.library.folder.clone())
    }

    pub(super) fn poll_dialogs(&mut self) {
        let results: Vec<DialogResult> = std::iter::from_fn(|| self.dialogs.poll()).collect();
        if let Some(notice) = self.dialogs.take_notice() {
            self.status = Some(notice);
        }
        for result in results {
            match result {
                DialogResult::Open(paths) => {
                    for path in paths {
                        self.actions.push(Action::Open(path));
                    }
                }
                DialogResult::SaveAs {
                    request,
                    path: Some(path),
                } => self.actions.push(Action::SaveTo {
                    tab: request.tab,
                    path,
                    then: request.then,
                }),
                DialogResult::SaveAs {
                    request,
                    path: None,
                } => {
                    if request.then == AfterSave::CloseWindow {
                        self.status = Some("Not closed: a flow was not saved.".to_owned());
                    }
                }
                DialogResult::Cancelled => {}
                DialogResult::Failed(message) => self.status = Some(message),
            }
        }
    }

    /// Saves the active tab: to its file, or through the save dialog when it has none.
    pub(super) fn save_active(&mut self, ctx: &egui::Context) {
        if let Some(key) = self.tabs.get(self.active).map(|tab| tab.key) {
            self.save_tab(ctx, key, AfterSave::Nothing);
        }
    }

    /// Saves the tab with this key to its file (then does `then`), or asks where.
    fn save_tab(&mut self, ctx: &egui::Context, key: u64, then: AfterSave) {
        let Some(index) = self.tab_index(key) else {
            return;
        };
        if self.refuse_builder_save(index) {
            return;
        }
        match self.tabs[index].path.clone() {
            Some(path) if !self.tabs[index].is_read_only() => {
                self.save_tab_then(ctx, key, &path, then);
            }
            _ => self.ask_save_path(ctx, key, then),
        }
    }

    /// Refuses to save a Builder file's tab (what was read of it is not a flow), saying why.
    fn refuse_builder_save(&mut self, index: usize) -> bool {
        if !self.tabs[index].is_builder_file() {
            return false;
        }
        self.status = Some(
            "Nothing saved: an Attack Flow Builder file must be imported to become a flow \
             (the importer comes in a later version)."
                .to_owned(),
        );
        true
    }

    /// Shows the save dialog for the tab with this key, suggesting a file name from its
    /// origin or name, in its folder or the library's.
    pub(super) fn ask_save_path(&mut self, ctx: &egui::Context, key: u64, then: AfterSave) {
        let Some(index) = self.tab_index(key) else {
            return;
        };
        if self.refuse_builder_save(index) {
            return;
        }
        let tab = &self.tabs[index];
        let name = match (&tab.path, tab.origin) {
            // Never suggest writing over a file that was not read as a flow.
            (Some(path), _) if tab.is_read_only() => format!(
                "{}.json",
                path.file_stem().map_or_else(
                    || "flow".to_owned(),
                    |stem| stem.to_string_lossy().into_owned()
                ) + if path
                    .extension()
                    .is_some_and(|extension| extension == "json")
                {
                    "-flow"
                } else {
                    ""
                }
            ),
            (Some(path), _) => path.file_name().map_or_else(
                || "flow.json".to_owned(),
                |name| name.to_string_lossy().into_owned(),
            ),
            (None, Some(origin)) => origin.rsplit('/').next().unwrap_or(origin).to_owned(),
            (None, None) => format!("{}.json", file_stem(&tab.name())),
        };
        let folder = tab
            .path
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .or_else(|| self.dialog_folder());
        self.dialogs
            .save_as(ctx, name, folder, SaveRequest { tab: key, then });
    }

    /// Saves the tab with this key to `path`, then does `then` if the save succeeded.
    pub(super) fn save_tab_then(
        &mut self,
        ctx: &egui::Context,
        key: u64,
        path: &Path,
        then: AfterSave,
    ) {
        if !self.save_tab_to(key, path) {
            return;
        }
        match then {
            AfterSave::Nothing => {}
            AfterSave::CloseTab => self.discard_tab(key),
            AfterSave::CloseWindow => self.close_window_saving(ctx),
        }
    }

    /// Writes the tab with this key to `path` atomically, keeping the previous file as
    /// `NAME.json.bak`; says in the status bar what happened. True when it was saved.
    fn save_tab_to(&mut self, key: u64, path: &Path) -> bool {
        let Some(index) = self.tab_index(key) else {
            return false;
        };
        let tab = &mut self.tabs[index];
        if tab.is_read_only()
            && let Some(source) = &tab.path
            && same_file(source, path)
        {
            self.status = Some(format!(
                "Not saved: {} was not read as an Attack Flow and is never written over; \
                 choose another name.",
                path.display()
            ));
            return false;
        }
        let bytes = write_bundle(tab.document());
        match medflow_platform::save_with_backup(path, &bytes) {
            Ok(()) => {
                tab.editor_mut().mark_saved();
                tab.written_canonically();
                tab.path = Some(path.to_path_buf());
                tab.foreign = None;
                tab.origin = None;
                self.status = Some(format!("Saved {}", path.display()));
                self.remember(path);
                self.library.refresh();
                true
            }
            Err(error) => {
                self.status = Some(format!("Cannot save {}: {error}", path.display()));
                false
            }
        }
    }
}

/// Whether two paths name the same file (through links, and `a/../b` forms).
fn same_file(first: &Path, second: &Path) -> bool {
    if first == second {
        return true;
    }
    match (std::fs::canonicalize(first), std::fs::canonicalize(second)) {
        (Ok(first), Ok(second)) => first == second,
        _ => false,
    }
}

/// Why a STIX bundle is not something the editor writes back: it holds no `attack-flow` and
/// is none of the product's other documents (architecture, profile, control catalogue).
fn not_a_flow(document: &medflow_core::Document) -> Option<medflow_core::Foreign> {
    let is_flow = document.flow().is_some();
    let kind = medflow_core::kind::document_kind(document);
    (!is_flow && kind == medflow_core::kind::DocumentKind::Flow)
        .then(|| medflow_core::Foreign::Other("the bundle holds no attack-flow object".to_owned()))
}

/// A file name made from a flow name: letters, digits, spaces, dashes and underscores kept.
pub(super) fn file_stem(name: &str) -> String {
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
