//! The one door for mutation: every change to a document goes through an [`Editor`] as
//! [`Command`]s grouped in labelled transactions, with one undo/redo history.
//!
//! * A transaction applies all its commands or none (a failing command rolls the others back).
//! * Each transaction records, per object it touched, the object before and after, by position
//!   in the document; undo and redo replay those exactly, whatever the commands were.
//! * A drag or a typing burst is one step: [`Editor::apply_coalescing`] merges a transaction
//!   into the previous one when they share a key and nothing else happened in between.
//! * `modified` is bumped, with the editor's clock, on every object a transaction changes.
//! * Time and new ids come from injectable [`Sources`], so tests are deterministic. Code that
//!   builds commands takes the sources it needs; [`Editor::parts`] lends an editor's own.

mod builders;
mod command;
pub mod templates;

use std::fmt;

pub use builders::{note_about, unrelate};
pub use command::Command;
pub use templates::{NewObject, new_flow_document, new_object, new_relationship};

use crate::model::{Document, StixObject, Timestamp};

/// Why an edit was refused. The document is unchanged when one is returned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// No object has this id.
    #[error("there is no object {0}")]
    UnknownObject(String),
    /// An object with this id already exists.
    #[error("an object with id {0} already exists")]
    DuplicateId(String),
    /// The connection is not allowed; the text says why.
    #[error("{0}")]
    IllegalConnection(String),
    /// The property change is not allowed; the text says why.
    #[error("{0}")]
    IllegalChange(String),
}

/// One object changed by a transaction: `before` and `after` at `index` (`None` = absent).
#[derive(Debug, Clone, PartialEq)]
struct Change {
    index: usize,
    before: Option<StixObject>,
    after: Option<StixObject>,
}

impl Change {
    fn is_replacement(&self) -> bool {
        self.before.is_some() && self.after.is_some()
    }
}

/// A labelled, undoable step.
#[derive(Debug, Clone)]
struct Transaction {
    label: String,
    coalesce_key: Option<String>,
    changes: Vec<Change>,
    /// The state number the document has after this transaction.
    state: u64,
    /// The transaction changed more than node positions (see [`Editor::content_revision`]).
    changes_content: bool,
}

/// Where the current time comes from.
pub type Clock = Box<dyn Fn() -> Timestamp + Send>;
/// Where new UUIDs come from (the random part of `type--UUID`).
pub type IdSource = Box<dyn FnMut() -> String + Send>;

/// A new random id for an object of `type_name`: `type--UUIDv4`.
#[must_use]
pub fn fresh_id(type_name: &str) -> String {
    format!("{type_name}--{}", uuid::Uuid::new_v4())
}

/// The system clock, to the millisecond.
#[must_use]
pub fn system_now() -> Timestamp {
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| {
            i64::try_from(elapsed.as_millis()).unwrap_or(i64::MAX)
        });
    Timestamp::from_unix_millis(millis)
}

/// Where new ids and the current time come from: the system clock and random UUIDs, or
/// injected ones (tests, reproducible output). Usable on its own, without an [`Editor`].
pub struct Sources {
    clock: Clock,
    ids: IdSource,
}

impl fmt::Debug for Sources {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sources").finish_non_exhaustive()
    }
}

impl Default for Sources {
    fn default() -> Self {
        Self::system()
    }
}

impl Sources {
    /// The system clock and random (version 4) UUIDs.
    #[must_use]
    pub fn system() -> Self {
        Self::new(
            Box::new(system_now),
            Box::new(|| uuid::Uuid::new_v4().to_string()),
        )
    }

    /// An injected clock and id source.
    #[must_use]
    pub fn new(clock: Clock, ids: IdSource) -> Self {
        Self { clock, ids }
    }

    /// The current time.
    #[must_use]
    pub fn now(&self) -> Timestamp {
        (self.clock)()
    }

    /// A new id for an object of `type_name`: `type--UUID`.
    pub fn new_id(&mut self, type_name: &str) -> String {
        format!("{type_name}--{}", (self.ids)())
    }
}

/// An open document with its history.
pub struct Editor {
    document: Document,
    undo: Vec<Transaction>,
    redo: Vec<Transaction>,
    /// The last transaction may absorb the next one with the same key.
    coalescing_open: bool,
    next_state: u64,
    saved_state: u64,
    revision: u64,
    content_revision: u64,
    sources: Sources,
}

impl fmt::Debug for Editor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Editor")
            .field("objects", &self.document.objects.len())
            .field("undo", &self.undo.len())
            .field("redo", &self.redo.len())
            .field("revision", &self.revision)
            .finish_non_exhaustive()
    }
}

impl Editor {
    /// An editor for `document`, with the system clock and random ids. The document counts
    /// as saved.
    #[must_use]
    pub fn new(document: Document) -> Self {
        Self::with(document, Sources::system())
    }

    /// An editor with an injected clock and id source (for tests and reproducible output).
    #[must_use]
    pub fn with_sources(document: Document, clock: Clock, ids: IdSource) -> Self {
        Self::with(document, Sources::new(clock, ids))
    }

    /// An editor taking new ids and times from `sources`.
    #[must_use]
    pub fn with(document: Document, sources: Sources) -> Self {
        Self {
            document,
            undo: Vec::new(),
            redo: Vec::new(),
            coalescing_open: false,
            next_state: 1,
            saved_state: 0,
            revision: 0,
            content_revision: 0,
            sources,
        }
    }

    /// An editor on a new flow named `name` (see [`new_flow_document`]), with the system
    /// clock and random ids. It counts as saved until the first edit.
    #[must_use]
    pub fn new_flow(name: &str) -> Self {
        let mut sources = Sources::system();
        let now = sources.now();
        let document = new_flow_document(name, &mut |type_name| sources.new_id(type_name), &now);
        Self::with(document, sources)
    }

    /// The document.
    #[must_use]
    pub fn document(&self) -> &Document {
        &self.document
    }

    /// A number that changes whenever the document changes (edits, undo, redo); views use it
    /// to know when to rebuild.
    #[must_use]
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// A number that changes whenever the document changes in more than where its nodes sit:
    /// a step made only of [`Command::MoveNodes`] that moved existing objects (a drag, a tidy
    /// layout) leaves it as it is. What does not depend on positions — validation, lists of
    /// nodes — need be worked out again only when it changes. (Positions are written by the
    /// editor only, always as two finite numbers, so no rule depends on them.)
    #[must_use]
    pub fn content_revision(&self) -> u64 {
        self.content_revision
    }

    /// The current time from the editor's clock.
    #[must_use]
    pub fn now(&self) -> Timestamp {
        self.sources.now()
    }

    /// A new id for an object of `type_name`: `type--UUID`.
    pub fn new_id(&mut self, type_name: &str) -> String {
        self.sources.new_id(type_name)
    }

    /// The document to read and the sources to take new ids and times from, at once: what
    /// command builders need.
    ///
    /// ```
    /// # use medflow_core::edit::Editor;
    /// let mut editor = Editor::new_flow("Flow");
    /// let (document, sources) = editor.parts();
    /// let now = sources.now();
    /// let id = sources.new_id("relationship");
    /// let flow = document.flow().map(|flow| flow.common.id.clone()).unwrap_or_default();
    /// let link = medflow_core::edit::new_relationship(&id, "related-to", &flow, &flow, &now);
    /// assert_eq!(link.id(), id);
    /// ```
    pub fn parts(&mut self) -> (&Document, &mut Sources) {
        (&self.document, &mut self.sources)
    }

    fn current_state(&self) -> u64 {
        self.undo.last().map_or(0, |transaction| transaction.state)
    }

    /// True when the document differs from the last saved (or opened) state.
    #[must_use]
    pub fn is_dirty(&self) -> bool {
        self.current_state() != self.saved_state
    }

    /// Records that the document, as it is now, has been saved.
    pub fn mark_saved(&mut self) {
        self.saved_state = self.current_state();
        self.coalescing_open = false;
    }

    /// Records that the document, as it is now, is not saved anywhere (work recovered after
    /// a crash): it stays dirty until saved, whatever is undone or redone.
    pub fn mark_unsaved(&mut self) {
        self.saved_state = u64::MAX;
        self.coalescing_open = false;
    }

    /// The label of the step [`Editor::undo`] would undo.
    #[must_use]
    pub fn undo_label(&self) -> Option<&str> {
        self.undo
            .last()
            .map(|transaction| transaction.label.as_str())
    }

    /// The label of the step [`Editor::redo`] would redo.
    #[must_use]
    pub fn redo_label(&self) -> Option<&str> {
        self.redo
            .last()
            .map(|transaction| transaction.label.as_str())
    }

    /// Ends the current coalescing run: the next edit starts a new undo step even if it has
    /// the same key (e.g. when the user leaves a text field).
    pub fn break_coalescing(&mut self) {
        self.coalescing_open = false;
    }

    /// Applies `commands` as one undoable step labelled `label`.
    ///
    /// # Errors
    /// The first command's [`EditError`]; the document is then unchanged.
    pub fn apply(
        &mut self,
        label: impl Into<String>,
        commands: Vec<Command>,
    ) -> Result<(), EditError> {
        self.apply_step(label.into(), None, commands)
    }

    /// Like [`Editor::apply`], but merged into the previous step when that step has the same
    /// `key` and nothing else happened since (a drag, a typing burst).
    ///
    /// # Errors
    /// As [`Editor::apply`].
    pub fn apply_coalescing(
        &mut self,
        label: impl Into<String>,
        key: &str,
        commands: Vec<Command>,
    ) -> Result<(), EditError> {
        self.apply_step(label.into(), Some(key.to_owned()), commands)
    }

    fn apply_step(
        &mut self,
        label: String,
        coalesce_key: Option<String>,
        commands: Vec<Command>,
    ) -> Result<(), EditError> {
        let now = self.now();
        let moves_only = commands
            .iter()
            .all(|command| matches!(command, Command::MoveNodes { .. }));
        let mut changes: Vec<Change> = Vec::new();
        for command in commands {
            match command::execute(&mut self.document, command, &now) {
                Ok(mut more) => changes.append(&mut more),
                Err(error) => {
                    revert(&mut self.document, &changes);
                    return Err(error);
                }
            }
        }
        if changes.is_empty() {
            return Ok(());
        }
        // Moving adds the extension's declaration to a document lacking it: that is content.
        let changes_content = !(moves_only && changes.iter().all(Change::is_replacement));
        self.revision += 1;
        if changes_content {
            self.content_revision += 1;
        }
        self.redo.clear();
        if let Some(key) = &coalesce_key
            && self.coalescing_open
            && let Some(last) = self.undo.last_mut()
            && last.coalesce_key.as_deref() == Some(key.as_str())
            && last.state != self.saved_state
            && last.changes.iter().all(Change::is_replacement)
            && changes.iter().all(Change::is_replacement)
        {
            last.changes_content |= changes_content;
            for change in changes {
                match last
                    .changes
                    .iter_mut()
                    .find(|known| known.index == change.index)
                {
                    Some(known) => known.after = change.after,
                    None => last.changes.push(change),
                }
            }
            return Ok(());
        }
        let state = self.next_state;
        self.next_state += 1;
        self.coalescing_open = coalesce_key.is_some();
        self.undo.push(Transaction {
            label,
            coalesce_key,
            changes,
            state,
            changes_content,
        });
        Ok(())
    }

    /// Undoes the last step. Returns false when there is nothing to undo.
    pub fn undo(&mut self) -> bool {
        let Some(transaction) = self.undo.pop() else {
            return false;
        };
        revert(&mut self.document, &transaction.changes);
        if transaction.changes_content {
            self.content_revision += 1;
        }
        self.redo.push(transaction);
        self.coalescing_open = false;
        self.revision += 1;
        true
    }

    /// Redoes the last undone step. Returns false when there is nothing to redo.
    pub fn redo(&mut self) -> bool {
        let Some(transaction) = self.redo.pop() else {
            return false;
        };
        for change in &transaction.changes {
            put(
                &mut self.document,
                change.index,
                change.before.as_ref(),
                change.after.as_ref(),
            );
        }
        if transaction.changes_content {
            self.content_revision += 1;
        }
        self.undo.push(transaction);
        self.coalescing_open = false;
        self.revision += 1;
        true
    }
}

/// Sets the slot at `index` from `from` to `to`: replace, insert or remove.
fn put(document: &mut Document, index: usize, from: Option<&StixObject>, to: Option<&StixObject>) {
    match (from, to) {
        (Some(_), Some(object)) => {
            if let Some(slot) = document.objects.get_mut(index) {
                *slot = object.clone();
            }
        }
        (None, Some(object)) => {
            let at = index.min(document.objects.len());
            document.objects.insert(at, object.clone());
        }
        (Some(_), None) => {
            if index < document.objects.len() {
                document.objects.remove(index);
            }
        }
        (None, None) => {}
    }
}

/// Undoes `changes`, last first.
fn revert(document: &mut Document, changes: &[Change]) {
    for change in changes.iter().rev() {
        put(
            document,
            change.index,
            change.after.as_ref(),
            change.before.as_ref(),
        );
    }
}
