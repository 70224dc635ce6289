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
