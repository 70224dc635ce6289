//! [`EditorApp`]: the editor's state and its frame, as an [`eframe::App`].
//!
//! The app holds at most one open file (or the message saying why a file could not be opened)
//! and the transient view state (the selection). Panels draw from it and return what the user
//! asked for; [`EditorApp::editor_ui`] applies those requests in one place.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use eframe::egui::{self, ViewportCommand};
use medflow_core::attack::{Catalog, embedded_domains};
use medflow_core::{Document, ReadLimits, read_bundle};
use medflow_platform::CatalogInUse;

use crate::file::read_file_limited;
use crate::opened::OpenedFile;
use crate::{panels, theme};

/// The window title when no file is open.
pub const APP_TITLE: &str = "MedFlow Studio";

/// What the editor shows.
#[derive(Debug, Default)]
enum FileState {
    /// Nothing is open.
    #[default]
    Empty,
    /// A file was read.
    Opened(Box<OpenedFile>),
    /// A file could not be read.
    Failed {
        /// The file's label.
        label: String,
        /// Why, naming the file.
        message: String,
    },
}

/// The ATT&CK catalog the editor validates against, and how to describe it.
#[derive(Debug, Clone)]
struct AttackKnowledge {
    catalog: Arc<Catalog>,
    /// Which catalog is in use per domain, and any problem loading a user catalog.
    description: String,
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

/// The MedFlow Studio editor (for now a read-only viewer).
#[derive(Debug)]
pub struct EditorApp {
    file: FileState,
    attack: AttackKnowledge,
    /// Index of the selected object in the open document (view state, never saved).
    selected: Option<usize>,
    /// The last title sent to the window, so it is sent only when it changes.
    shown_title: Option<String>,
}

impl Default for EditorApp {
    fn default() -> Self {
        Self {
            file: FileState::Empty,
            attack: AttackKnowledge::built_in(),
            selected: None,
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

    /// Which ATT&CK catalog is in use, as the status bar says it.
    #[must_use]
    pub fn catalog_description(&self) -> &str {
        &self.attack.description
    }

    /// Opens a document from bytes; `label` names it in the title and in error messages.
    ///
    /// A file that cannot be read replaces the open document with a message naming `label`.
    pub fn open_bytes(&mut self, label: &str, bytes: &[u8]) {
        match read_bundle(bytes, &ReadLimits::default()) {
            Ok(outcome) => {
                self.file = FileState::Opened(Box::new(OpenedFile::new(
                    label.to_owned(),
                    outcome.document,
                    outcome.diagnostics,
                    &self.attack.catalog,
                )));
            }
            Err(error) => self.fail(label, &error),
        }
        self.selected = None;
    }

    /// Opens a document file, refusing files over [`ReadLimits::default`] before reading them.
    pub fn open_path(&mut self, path: &Path) {
        let label = path.display().to_string();
        match read_file_limited(path, &ReadLimits::default()) {
            Ok(bytes) => self.open_bytes(&label, &bytes),
            Err(error) => {
                self.fail(&label, &error);
                self.selected = None;
            }
        }
    }

    /// The open document, if a file is open.
    #[must_use]
    pub fn document(&self) -> Option<&Document> {
        match &self.file {
            FileState::Opened(opened) => Some(&opened.document),
            _ => None,
        }
    }

    /// The id of the selected object, if one is selected.
    #[must_use]
    pub fn selected_object_id(&self) -> Option<&str> {
        let index = self.selected?;
        Some(self.document()?.objects.get(index)?.id())
    }

    /// The window title: the product name, and the file name when a file is open.
    #[must_use]
    pub fn window_title(&self) -> String {
        let label = match &self.file {
            FileState::Empty => return APP_TITLE.to_owned(),
            FileState::Opened(opened) => &opened.label,
            FileState::Failed { label, .. } => label,
        };
        let file_name = Path::new(label)
            .file_name()
            .map_or_else(|| label.clone(), |name| name.to_string_lossy().into_owned());
        format!("{APP_TITLE} — {file_name}")
    }

    /// Draws the whole editor into `ui` and handles dropped files and the window title.
    ///
    /// This is what [`eframe::App::ui`] runs; tests call it through a kittest harness.
    pub fn editor_ui(&mut self, ui: &mut egui::Ui) {
        self.open_dropped_files(ui);
        self.update_title(ui);

        let mut select = None;
        egui::Panel::bottom("status_bar").show(ui, |ui| {
            panels::status_bar_ui(ui, &self.attack.description);
        });
        if let FileState::Opened(opened) = &self.file {
            egui::Panel::top("top_bar").show(ui, |ui| panels::top_bar_ui(ui, opened));
            egui::Panel::bottom("problems")
                .resizable(true)
                .default_size(theme::PROBLEMS_HEIGHT_POINTS)
                .show(ui, |ui| select = select.or(panels::problems_ui(ui, opened)));
            egui::Panel::left("object_list")
                .resizable(true)
                .default_size(theme::OBJECT_LIST_WIDTH_POINTS)
                .show(ui, |ui| {
                    select = select.or(panels::object_list_ui(ui, opened, self.selected));
                });
        }
        egui::CentralPanel::default().show(ui, |ui| match &self.file {
            FileState::Empty => panels::empty_state_ui(ui),
            FileState::Opened(opened) => panels::properties_ui(ui, opened, self.selected),
            FileState::Failed { message, .. } => panels::failure_ui(ui, message),
        });
        if select.is_some() {
            self.selected = select;
        }
    }

    fn fail(&mut self, label: &str, error: &dyn std::fmt::Display) {
        self.file = FileState::Failed {
            label: label.to_owned(),
            message: format!("Could not open {label}: {error}"),
        };
    }

    /// Opens the first file dropped on the window this frame.
    fn open_dropped_files(&mut self, ui: &egui::Ui) {
        let dropped = ui.input(|input| input.raw.dropped_files.first().cloned());
        let Some(file) = dropped else {
            return;
        };
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

    fn update_title(&mut self, ui: &egui::Ui) {
        let title = self.window_title();
        if self.shown_title.as_ref() != Some(&title) {
            ui.send_viewport_cmd(ViewportCommand::Title(title.clone()));
            self.shown_title = Some(title);
        }
    }
}

impl eframe::App for EditorApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.editor_ui(ui);
    }
}
