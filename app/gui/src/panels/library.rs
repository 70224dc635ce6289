//! The left panel: the flows of the library (the repository's `flows/` folder when there is
//! one, else the copies built into the program), and the outline of the active flow's objects.

use std::path::PathBuf;

use eframe::egui::{self, RichText};

use crate::actions::Action;
use crate::tab::Tab;

/// The library folder and the flow files in it.
#[derive(Debug, Default, Clone)]
pub struct Library {
    /// The folder; `None` when there is none.
    pub folder: Option<PathBuf>,
    /// Its `*.json` files, sorted, searched recursively.
    pub files: Vec<PathBuf>,
    /// With no folder: the flows built into the program (their paths under `flows/`).
    pub built_in: Vec<&'static str>,
    /// The library's control catalogue (`controls.json` beside the flows), when it has one
    /// that reads.
    pub catalogue: Option<medflow_core::Document>,
    /// The library's flows that read, for pivots and use cases.
    pub flows: Vec<(Source, medflow_core::Document)>,
    /// Its use cases (`use-cases/`) that read.
    pub use_cases: Vec<(Source, medflow_core::safety::UseCase)>,
    /// Its example profiles (`profiles/`) that read, with their names.
    pub profiles: Vec<(Source, medflow_core::architecture::Profile)>,
}

/// Where a library file is: on disk, or built into the program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file of the library folder.
    File(PathBuf),
    /// A built-in copy (its path under `flows/`).
    BuiltIn(&'static str),
}

impl Source {
    /// The action opening it in a tab.
    #[must_use]
    pub fn open(&self) -> Action {
        match self {
            Self::File(path) => Action::Open(path.clone()),
            Self::BuiltIn(path) => Action::OpenBuiltIn(path),
        }
    }
}

/// Reads a library file (size-limited); `None` when it cannot be read.
fn read_document(bytes: &[u8]) -> Option<medflow_core::Document> {
    medflow_core::read_bundle(bytes, &medflow_core::ReadLimits::default())
        .ok()
        .map(|outcome| outcome.document)
}

fn read_file(path: &std::path::Path) -> Option<medflow_core::Document> {
    let bytes =
        medflow_platform::read_limited(path, medflow_core::ReadLimits::default().max_bytes).ok()?;
    read_document(&bytes)
}

impl Library {
    /// Lists the flows of `folder`; with none, the built-in library.
    #[must_use]
    pub fn open(folder: Option<PathBuf>) -> Self {
        let built_in = if folder.is_none() {
            medflow_core::library::embedded_flows()
                .map(|flow| flow.path)
                .collect()
        } else {
            Vec::new()
        };
        let mut library = Self {
            folder,
            files: Vec::new(),
            built_in,
            catalogue: None,
            flows: Vec::new(),
            use_cases: Vec::new(),
            profiles: Vec::new(),
        };
        library.refresh();
        library
    }

    /// Reads the folder again: its flows, and its control catalogue (size-limited; one
    /// that cannot be used is left out, and the problems panel of each flow says nothing of
    /// drift then).
    pub fn refresh(&mut self) {
        self.catalogue = match &self.folder {
            Some(folder) => {
                medflow_platform::read_catalogue(folder, &medflow_core::ReadLimits::default())
                    .ok()
                    .flatten()
            }
            None if !self.built_in.is_empty() => {
                medflow_core::library::embedded_control_catalogue().and_then(|bytes| {
                    medflow_core::read_bundle(bytes, &medflow_core::ReadLimits::default())
                        .ok()
                        .map(|outcome| outcome.document)
                })
            }
            None => None,
        };
        self.files = self
            .folder
            .as_deref()
            .map(medflow_platform::flow_files)
            .unwrap_or_default();
        let (flows, use_cases, profiles): (Vec<_>, Vec<_>, Vec<_>) = match &self.folder {
            Some(folder) => (
                self.files
                    .iter()
                    .filter_map(|path| Some((Source::File(path.clone()), read_file(path)?)))
                    .collect(),
                medflow_platform::use_case_files(folder)
                    .into_iter()
                    .filter_map(|path| {
                        let document = read_file(&path)?;
                        Some((Source::File(path), document))
                    })
                    .collect(),
                medflow_platform::profile_files(folder)
                    .into_iter()
                    .filter_map(|path| {
                        let document = read_file(&path)?;
                        Some((Source::File(path), document))
                    })
                    .collect(),
            ),
            None if !self.built_in.is_empty() => {
                let embedded =
                    |files: &mut dyn Iterator<Item = medflow_core::library::EmbeddedFlow>| {
                        files
                            .filter_map(|file| {
                                Some((Source::BuiltIn(file.path), read_document(file.bytes)?))
                            })
                            .collect::<Vec<_>>()
                    };
                (
                    embedded(&mut medflow_core::library::embedded_flows()),
                    embedded(&mut medflow_core::library::embedded_use_cases()),
                    embedded(&mut medflow_core::library::embedded_profiles()),
                )
            }
            None => (Vec::new(), Vec::new(), Vec::new()),
        };
        self.flows = flows;
        self.use_cases = use_cases
            .into_iter()
            .filter_map(|(source, document)| {
                Some((
                    source,
                    medflow_core::safety::UseCase::from_document(&document).ok()?,
                ))
            })
            .collect();
        self.profiles = profiles
            .into_iter()
            .filter_map(|(source, document)| {
                Some((
                    source,
                    medflow_core::architecture::Profile::from_document(&document).ok()?,
                ))
            })
            .collect();
    }
}

/// Draws the library and the outline.
pub fn library_ui(
    ui: &mut egui::Ui,
    library: &Library,
    tab: Option<&mut Tab>,
    actions: &mut Vec<Action>,
) {
    egui::CollapsingHeader::new("Library")
        .default_open(true)
        .show(ui, |ui| {
            egui::ScrollArea::vertical()
                .id_salt("library_scroll")
                .max_height(ui.available_height() * 0.4)
                .auto_shrink([false, true])
                .show(ui, |ui| {
                    library_files_ui(ui, library, tab.as_deref(), actions);
                });
        });
    if let Some(tab) = tab {
        egui::CollapsingHeader::new("Outline")
            .default_open(true)
            .show(ui, |ui| outline_ui(ui, tab, actions));
    }
}

/// The flows of the library folder; clicking one opens it.
fn library_files_ui(
    ui: &mut egui::Ui,
    library: &Library,
    tab: Option<&Tab>,
    actions: &mut Vec<Action>,
) {
    match &library.folder {
        None if library.built_in.is_empty() => {
            ui.label(RichText::new("No library folder").weak());
        }
        None => {
            ui.label(
                RichText::new("Built-in copies: Save As to keep changes")
                    .weak()
                    .small(),
            );
            for path in &library.built_in {
                let open = tab.is_some_and(|tab| tab.path.is_none() && tab.origin == Some(*path));
                if ui.selectable_label(open, *path).clicked() {
                    actions.push(Action::OpenBuiltIn(path));
                }
            }
        }
        Some(folder) => {
            ui.label(RichText::new(folder.display().to_string()).weak().small());
            if library.files.is_empty() {
                ui.label(RichText::new("No flows yet").weak());
            }
            for path in &library.files {
                let name = path
                    .strip_prefix(folder)
                    .unwrap_or(path)
                    .display()
                    .to_string();
                let open = tab.is_some_and(|tab| tab.path.as_deref() == Some(path));
                if ui.selectable_label(open, name).clicked() {
                    actions.push(Action::Open(path.clone()));
                }
            }
        }
    }
}

/// Every node of the flow, in document order; clicking one selects and reveals it. Only the
/// rows in view are laid out, so a flow of thousands of nodes stays fast.
fn outline_ui(ui: &mut egui::Ui, tab: &mut Tab, actions: &mut Vec<Action>) {
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
    let count = tab.outline().len();
    egui::ScrollArea::vertical()
        .id_salt("outline_scroll")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, count, |ui, rows| {
            let (outline, selection) = tab.outline_and_selection();
            for (id, text) in &outline[rows] {
                let selected = selection.contains(id);
                if ui
                    .add(egui::Button::selectable(selected, text.as_str()).truncate())
                    .clicked()
                {
                    actions.push(Action::Reveal(id.clone()));
                }
            }
        });
}
