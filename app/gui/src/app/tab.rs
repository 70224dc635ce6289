//! One open file: its [`Editor`] (document and history), where it lives on disk, and the view
//! state the user sees it through (selection, canvas camera, open pickers). Only the editor's
//! document is ever saved; everything else here is transient.
//!
//! Panels and the canvas read the document and the history through the tab and push
//! [`crate::actions::Action`]s; only the app (this module's parent) reaches the editor to
//! change the document.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use medflow_core::attack::Catalog;
use medflow_core::edit::Editor;
use medflow_core::{Context, Diagnostic, Document, StixObject, validate};

use crate::canvas::CanvasState;
use crate::panels::inspector::InspectorState;
use crate::panels::picker::TechniquePicker;

/// An open document in a tab.
pub struct Tab {
    /// Tells this tab from every other of the session (set when the app opens it), so an
    /// answer that arrives later (a save dialog) finds its tab even after tabs moved.
    pub key: u64,
    /// The document and its undo history: read by anyone, changed by the app only.
    editor: Editor,
    /// Where it was opened from or last saved to; `None` for a new, never saved flow.
    pub path: Option<PathBuf>,
    /// For a copy of a built-in library flow: its path under `flows/`.
    pub origin: Option<&'static str>,
    /// The reader's warnings when the file was opened (normalisations).
    pub read_diagnostics: Vec<Diagnostic>,
    /// What the file is when it is not an Attack Flow (a Builder `.afb`, other JSON): the tab
    /// is then read-only, says so in a banner, and is never written back to `path`.
    pub foreign: Option<medflow_core::Foreign>,
    /// Selected objects, by id.
    pub selection: BTreeSet<String>,
    /// The canvas's view of the document.
    pub canvas: CanvasState,
    /// The inspector's text buffers.
    pub inspector: InspectorState,
    /// The new custom control being typed in the inspector.
    pub control_draft: crate::panels::controls::NewControlDraft,
    /// The component being typed in the profile panel.
    pub profile_draft: crate::panels::profile::ProfileDraft,
    /// The technique picker, when open, and the action it picks for.
    pub picker: Option<(String, TechniquePicker)>,
    /// The simulation playback drawn over the canvas (set by the app each frame while the
    /// Simulation panel shows a run of this tab).
    pub playback: Option<crate::canvas::Playback>,
    /// Validation results and the revision they belong to, with the name of the object each
    /// concerns ("Action: Valid Accounts"), as the problems list shows it.
    diagnostics: Option<(u64, Vec<Diagnostic>, Vec<String>)>,
    /// The nodes the canvas draws, as the outline lists them (id, "Kind  title"), and the
    /// revision they belong to.
    outline: Option<(u64, Vec<(String, String)>)>,
}

impl std::fmt::Debug for Tab {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tab")
            .field("path", &self.path)
            .field("editor", &self.editor)
            .finish_non_exhaustive()
    }
}

impl Tab {
    /// A tab for a document.
    #[must_use]
    pub fn new(editor: Editor, path: Option<PathBuf>, read_diagnostics: Vec<Diagnostic>) -> Self {
        Self {
            key: 0,
            editor,
            path,
            origin: None,
            read_diagnostics,
            foreign: None,
            selection: BTreeSet::new(),
            canvas: CanvasState::default(),
            inspector: InspectorState::default(),
            control_draft: crate::panels::controls::NewControlDraft::default(),
            profile_draft: crate::panels::profile::ProfileDraft::default(),
            picker: None,
            playback: None,
            diagnostics: None,
            outline: None,
        }
    }

    /// The document.
    #[must_use]
    pub fn document(&self) -> &Document {
        self.editor.document()
    }

    /// The document's editor, to read its history (undo and redo labels, revision).
    #[must_use]
    pub fn editor(&self) -> &Editor {
        &self.editor
    }

    /// The editor, to change the document: the app's alone.
    pub(in crate::app) fn editor_mut(&mut self) -> &mut Editor {
        &mut self.editor
    }

    /// A number that changes whenever the document changes (edits, undo, redo).
    #[must_use]
    pub fn revision(&self) -> u64 {
        self.editor.revision()
    }

    /// Whether the tab shows a file that was not read as a flow: it cannot be edited, and
    /// saving asks for a new name.
    #[must_use]
    pub fn is_read_only(&self) -> bool {
        self.foreign.is_some()
    }

    /// Whether the tab shows an Attack Flow Builder file, which cannot be saved at all until
    /// it is imported (what was read of it is no flow).
    #[must_use]
    pub fn is_builder_file(&self) -> bool {
        self.foreign == Some(medflow_core::Foreign::BuilderFile)
    }

    /// Whether the document has changes that are not saved.
    #[must_use]
    pub fn is_dirty(&self) -> bool {
        self.editor.is_dirty()
    }

    /// The canvas's state and the document it draws, at once.
    pub fn canvas_and_document(&mut self) -> (&mut CanvasState, &Document) {
        (&mut self.canvas, self.editor.document())
    }

    /// The inspector's state and the document it shows, at once.
    pub fn inspector_and_document(&mut self) -> (&mut InspectorState, &Document) {
        (&mut self.inspector, self.editor.document())
    }

    /// The flow's name, or the file name, or "Untitled flow".
    #[must_use]
    pub fn name(&self) -> String {
        if let Some(name) = self
            .document()
            .objects
            .iter()
            .find(|object| {
                object.type_name() == "grouping"
                    && medflow_core::architecture::profile_entry(object).is_some()
            })
            .and_then(|root| root.to_json().get("name")?.as_str().map(str::to_owned))
            .filter(|name| !name.trim().is_empty())
        {
            return name;
        }
        if let Some(name) = self
            .document()
            .flow()
            .and_then(|flow| flow.name.as_deref())
            .filter(|name| !name.trim().is_empty())
        {
            return name.to_owned();
        }
        self.path.as_deref().and_then(Path::file_stem).map_or_else(
            || "Untitled flow".to_owned(),
            |stem| stem.to_string_lossy().into_owned(),
        )
    }

    /// Whether the tab holds an architecture profile (shown in the profile panel, not on the
    /// canvas).
    #[must_use]
    pub fn is_profile(&self) -> bool {
        medflow_core::architecture::is_profile(self.document())
    }

    /// The tab's label: the name, with a star when there are unsaved changes.
    #[must_use]
    pub fn label(&self) -> String {
        if self.is_dirty() {
            format!("* {}", self.name())
        } else {
            self.name()
        }
    }

    /// The file on disk is now the document's canonical form: what the reader had to
    /// normalise when it was opened (and reported) is fixed, so those problems go.
    pub fn written_canonically(&mut self) {
        self.read_diagnostics.clear();
        self.diagnostics = None;
    }

    /// The problems of the document, recomputed when it changed (beyond where its nodes sit:
    /// dragging does not validate the whole document on every frame): the reader's warnings and
    /// the validation problems, errors first, then warnings, then notes (in the order found
    /// within each severity).
    pub fn diagnostics(&mut self, catalog: &Catalog) -> &[Diagnostic] {
        let revision = self.editor.content_revision();
        if self
            .diagnostics
            .as_ref()
            .is_none_or(|(known, _, _)| *known != revision)
        {
            let document = self.editor.document();
            // A file that is not an Attack Flow is not judged as one (a Builder file would
            // list thousands of problems, and the reader's normalisations of its objects, which
            // no save can fix, dozens): the reader's words on the file as a whole are enough.
            let mut all: Vec<Diagnostic> = if self.foreign.is_none() {
                let mut all = self.read_diagnostics.clone();
                all.extend(validate(document, &Context::with_catalog(catalog)));
                all
            } else {
                self.read_diagnostics
                    .iter()
                    .filter(|diagnostic| diagnostic.object_id.is_none())
                    .cloned()
                    .collect()
            };
            all.sort_by_key(|diagnostic| std::cmp::Reverse(diagnostic.severity()));
            let named: std::collections::HashMap<&str, &StixObject> = if all.is_empty() {
                std::collections::HashMap::new()
            } else {
                document
                    .objects
                    .iter()
                    .map(|object| (object.id(), object))
                    .collect()
            };
            let subjects = all
                .iter()
                .map(|diagnostic| match diagnostic.object_id.as_deref() {
                    None => "—".to_owned(),
                    Some(id) => named.get(id).map_or_else(
                        || id.to_owned(),
                        |object| medflow_core::scene::subject(object),
                    ),
                })
                .collect();
            self.diagnostics = Some((revision, all, subjects));
        }
        self.diagnostics
            .as_ref()
            .map_or(&[], |(_, diagnostics, _)| diagnostics.as_slice())
    }

    /// The nodes the canvas draws (core's `scene::Structure`), in document order, each with
    /// its outline text ("Action  Valid Accounts"); worked out again only when the document
    /// changed beyond where its nodes sit, since the outline is drawn on every frame.
    pub fn outline(&mut self) -> &[(String, String)] {
        let revision = self.editor.content_revision();
        if self
            .outline
            .as_ref()
            .is_none_or(|(known, _)| *known != revision)
        {
            let rows = medflow_core::scene::Structure::of(self.editor.document())
                .nodes
                .iter()
                .map(|object| {
                    let text = format!(
                        "{}  {}",
                        medflow_core::scene::kind_label(object),
                        medflow_core::scene::title(object)
                    );
                    (object.id().to_owned(), text)
                })
                .collect();
            self.outline = Some((revision, rows));
        }
        self.outline
            .as_ref()
            .map_or(&[], |(_, rows)| rows.as_slice())
    }

    /// The outline ([`Tab::outline`]) and the selection, at once.
    pub fn outline_and_selection(&mut self) -> (&[(String, String)], &BTreeSet<String>) {
        self.outline();
        let rows = self
            .outline
            .as_ref()
            .map_or(&[][..], |(_, rows)| rows.as_slice());
        (rows, &self.selection)
    }

    /// The validation results with, for each, the name of the object it concerns.
    pub fn problems(&mut self, catalog: &Catalog) -> (&[Diagnostic], &[String]) {
        self.diagnostics(catalog);
        self.diagnostics
            .as_ref()
            .map_or((&[], &[]), |(_, diagnostics, subjects)| {
                (diagnostics.as_slice(), subjects.as_slice())
            })
    }

    /// The single selected object, if exactly one is selected and it still exists.
    #[must_use]
    pub fn selected_object(&self) -> Option<&StixObject> {
        if self.selection.len() != 1 {
            return None;
        }
        let id = self.selection.iter().next()?;
        self.document().object(id)
    }

    /// Drops selected ids that no longer exist (after undo or delete).
    pub fn prune_selection(&mut self) {
        let document = self.editor.document();
        self.selection
            .retain(|id| document.objects.iter().any(|object| object.id() == id));
    }
}
