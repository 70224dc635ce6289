//! The left panel: the flows of the library (the repository's `flows/` folder when there is
//! one, else the copies built into the program), and the outline of the active flow's objects.

use std::path::PathBuf;

use eframe::egui::{self, RichText};
use medflow_core::safety::{Category, Origin, document_flow_meta};

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
    /// Every flow by category, for the welcome page: worked out when the library is read,
    /// not on every frame.
    groups: Vec<(Option<Category>, Vec<Entry>)>,
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

/// A library flow as the welcome page lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Where it is.
    pub source: Source,
    /// Its file, under the library folder.
    pub file: String,
    /// The flow's name; the file's when the flow has none or does not read.
    pub title: String,
    /// Realized or theoretical, when the flow says.
    pub origin: Option<Origin>,
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
            groups: Vec::new(),
        };
        library.refresh();
        library
    }

    /// The name of the library flow at `source`, when it reads and has one.
    #[must_use]
    pub fn title_of(&self, source: &Source) -> Option<&str> {
        self.groups
            .iter()
            .flat_map(|(_, entries)| entries)
            .find(|entry| entry.source == *source && entry.title != entry.file)
            .map(|entry| entry.title.as_str())
    }

    /// Every flow of the library, grouped by category in the order of the ten categories,
    /// by title within each; the flows that state no category, or do not read, come last,
    /// under `None`.
    #[must_use]
    pub fn by_category(&self) -> &[(Option<Category>, Vec<Entry>)] {
        &self.groups
    }

    fn group_by_category(&self) -> Vec<(Option<Category>, Vec<Entry>)> {
        let sources: Vec<(Source, String)> = match &self.folder {
            Some(folder) => self
                .files
                .iter()
                .map(|path| {
                    let file = path.strip_prefix(folder).unwrap_or(path);
                    (Source::File(path.clone()), file.display().to_string())
                })
                .collect(),
            None => self
                .built_in
                .iter()
                .map(|path| (Source::BuiltIn(path), (*path).to_owned()))
                .collect(),
        };
        let mut groups: Vec<(Option<Category>, Vec<Entry>)> = Category::ALL
            .iter()
            .map(|category| (Some(*category), Vec::new()))
            .chain([(None, Vec::new())])
            .collect();
        for (source, file) in sources {
            let document = self
                .flows
                .iter()
                .find(|(flow, _)| *flow == source)
                .map(|(_, document)| document);
            let meta = document.map(document_flow_meta).unwrap_or_default();
            let title = document
                .and_then(medflow_core::Document::flow)
                .and_then(|flow| flow.name.clone())
                .filter(|name| !name.trim().is_empty())
                .unwrap_or_else(|| file.clone());
            if let Some((_, entries)) = groups
                .iter_mut()
                .find(|(category, _)| *category == meta.category)
            {
                entries.push(Entry {
                    source,
                    file,
                    title,
                    origin: meta.origin,
                });
            }
        }
        groups.retain(|(_, entries)| !entries.is_empty());
        for (_, entries) in &mut groups {
            entries.sort_by(|a, b| a.title.cmp(&b.title).then_with(|| a.file.cmp(&b.file)));
        }
        groups
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
        self.groups = self.group_by_category();
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
                let label = ui.selectable_label(open, *path);
                let label = match library.title_of(&Source::BuiltIn(path)) {
                    Some(title) => label.on_hover_text(title),
                    None => label,
                };
                if label.clicked() {
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
                let label = ui.selectable_label(open, name);
                let label = match library.title_of(&Source::File(path.clone())) {
                    Some(title) => label.on_hover_text(title),
                    None => label,
                };
                if label.clicked() {
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::*;

    #[test]
    fn the_built_in_library_is_listed_by_category_under_the_flows_names() {
        let library = Library::open(None);
        let groups = library.by_category();
        // In the order of the ten categories, each flow once, under its own name.
        let order: Vec<Option<Category>> = groups.iter().map(|(category, _)| *category).collect();
        let expected: Vec<Option<Category>> = Category::ALL
            .iter()
            .copied()
            .map(Some)
            .filter(|category| order.contains(category))
            .collect();
        assert_eq!(order, expected);
        let entries: Vec<&Entry> = groups.iter().flat_map(|(_, entries)| entries).collect();
        assert_eq!(entries.len(), library.built_in.len());
        let ransomware = entries
            .iter()
            .find(|entry| entry.file == "vendor-remote-access-ransomware.json")
            .unwrap();
        assert_eq!(
            ransomware.title,
            "Vendor remote access to ransomware that halts robotic surgery"
        );
        assert_eq!(ransomware.origin, Some(Origin::Realized));
        assert_eq!(
            ransomware.source,
            Source::BuiltIn("vendor-remote-access-ransomware.json")
        );
        let availability = &groups
            .iter()
            .find(|(category, _)| *category == Some(Category::Availability))
            .unwrap()
            .1;
        assert!(availability.contains(ransomware));
        assert!(
            availability
                .windows(2)
                .all(|pair| pair[0].title <= pair[1].title),
            "by title within a category"
        );
    }

    #[test]
    fn a_flow_without_category_or_that_does_not_read_is_listed_last_by_its_file() {
        let folder = tempfile::tempdir().unwrap();
        let flow = medflow_core::library::embedded_flows()
            .find(|flow| flow.path == "vendor-remote-access-ransomware.json")
            .unwrap();
        let text = std::str::from_utf8(flow.bytes).unwrap();
        std::fs::write(folder.path().join("with.json"), text).unwrap();
        let without = text.replace("\"category\": \"availability\",", "");
        assert_ne!(without, text);
        std::fs::write(folder.path().join("without.json"), without).unwrap();
        std::fs::write(folder.path().join("broken.json"), "{\"type\": \"bundle\"").unwrap();
        let library = Library::open(Some(folder.path().to_path_buf()));
        let groups = library.by_category();
        let listed: Vec<(Option<Category>, Vec<&str>)> = groups
            .iter()
            .map(|(category, entries)| {
                (
                    *category,
                    entries.iter().map(|entry| entry.title.as_str()).collect(),
                )
            })
            .collect();
        let name = "Vendor remote access to ransomware that halts robotic surgery";
        assert_eq!(
            listed,
            [
                (Some(Category::Availability), vec![name]),
                (None, vec![name, "broken.json"]),
            ]
        );
        let last = &groups[1].1;
        assert_eq!(last[0].file, "without.json");
        assert_eq!(last[1].origin, None);
        assert_eq!(
            last[1].source,
            Source::File(folder.path().join("broken.json"))
        );
    }
}
