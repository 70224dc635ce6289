//! Autosave and crash recovery: the unsaved work of every tab is kept in the data directory
//! every few seconds and when the window loses focus (through
//! [`medflow_platform::recovery`]); after a crash, the next start offers it back, file by
//! file; a clean exit removes it.

use std::path::Path;
use std::time::{Duration, Instant};

use eframe::egui;
use medflow_core::edit::Editor;
use medflow_core::{ReadLimits, read_bundle, write_bundle};
use medflow_platform::recovery::{KeptTab, Recovered, RecoverySession, orphaned};

use super::EditorApp;
use crate::tab::Tab;

/// How often unsaved work is kept.
pub const AUTOSAVE_INTERVAL: Duration = Duration::from_secs(5);

/// The autosave state of the editor.
#[derive(Debug, Default)]
pub(crate) struct Autosave {
    /// The running session, when the data directory could be used.
    session: Option<RecoverySession>,
    /// Per tab key, the revision last kept.
    kept: std::collections::BTreeMap<u64, u64>,
    /// When work was last kept.
    last: Option<Instant>,
    /// Work of a crashed session waiting for the user's answer.
    pub(crate) offers: Vec<Recovered>,
}

impl EditorApp {
    /// Starts keeping unsaved work under `root` (the data directory's `recovery/` folder) and
    /// looks there for the work of an editor that did not exit cleanly, to offer it back.
    pub fn start_recovery(&mut self, root: &Path) {
        self.autosave.offers = orphaned(root);
        match RecoverySession::start(root) {
            Ok(session) => self.autosave.session = Some(session),
            Err(error) => {
                self.status = Some(format!(
                    "Unsaved work cannot be kept for crash recovery in {}: {error}",
                    root.display()
                ));
            }
        }
    }

    /// The unsaved work found from a crashed editor that waits for an answer.
    #[must_use]
    pub fn recovery_offers(&self) -> &[Recovered] {
        &self.autosave.offers
    }

    /// The folder this editor keeps its unsaved work in, if it keeps it.
    #[must_use]
    pub fn recovery_folder(&self) -> Option<&Path> {
        self.autosave.session.as_ref().map(RecoverySession::folder)
    }

    /// A clean exit: everything kept for recovery is removed.
    pub fn finish_recovery(&mut self) {
        if let Some(session) = self.autosave.session.take() {
            let _ = session.finish();
        }
    }

    /// Keeps the unsaved work of every tab when it is due (every [`AUTOSAVE_INTERVAL`], or at
    /// once when `now` is set), and forgets tabs saved or closed since.
    pub(super) fn autosave(&mut self, ctx: &egui::Context, now: bool) {
        let Some(session) = &self.autosave.session else {
            return;
        };
        let pending = self
            .tabs
            .iter()
            .any(|tab| tab.is_dirty() && self.autosave.kept.get(&tab.key) != Some(&tab.revision()));
        let due = now
            || self
                .autosave
                .last
                .is_none_or(|last| last.elapsed() >= AUTOSAVE_INTERVAL);
        if pending && !due {
            // Come back when it is due, even if nothing else happens.
            ctx.request_repaint_after(AUTOSAVE_INTERVAL);
        }
        let open: std::collections::BTreeSet<u64> = self.tabs.iter().map(|tab| tab.key).collect();
        let gone: Vec<u64> = self
            .autosave
            .kept
            .keys()
            .copied()
            .filter(|key| !open.contains(key))
            .collect();
        for key in gone {
            let _ = session.forget(key);
            self.autosave.kept.remove(&key);
        }
        // Saved since kept: forgotten at once (a crash now must not offer saved work).
        let saved: Vec<u64> = self
            .tabs
            .iter()
            .filter(|tab| !tab.is_dirty() && self.autosave.kept.contains_key(&tab.key))
            .map(|tab| tab.key)
            .collect();
        for key in saved {
            let _ = session.forget(key);
            self.autosave.kept.remove(&key);
        }
        if !due || !pending {
            return;
        }
        let mut failure = None;
        for tab in &self.tabs {
            if tab.is_dirty() {
                if self.autosave.kept.get(&tab.key) == Some(&tab.revision()) {
                    continue;
                }
                let kept = KeptTab {
                    path: tab.path.clone().filter(|_| !tab.is_read_only()),
                    name: tab.name(),
                };
                match session.keep(tab.key, &kept, &write_bundle(tab.document())) {
                    Ok(()) => {
                        self.autosave.kept.insert(tab.key, tab.revision());
                    }
                    Err(error) => failure = Some(error),
                }
            } else if self.autosave.kept.remove(&tab.key).is_some() {
                let _ = session.forget(tab.key);
            }
        }
        self.autosave.last = Some(Instant::now());
        if let Some(error) = failure {
            self.status = Some(format!(
                "Unsaved work could not be kept for crash recovery: {error}"
            ));
        }
    }

    /// Opens recovered work in a new tab, unsaved, belonging to the file it came from; the kept
    /// copy is then removed (this editor keeps its own from now on).
    pub fn restore_recovered(&mut self, index: usize) {
        if index >= self.autosave.offers.len() {
            return;
        }
        let recovered = self.autosave.offers.remove(index);
        match read_bundle(&recovered.bytes, &ReadLimits::default()) {
            Ok(outcome) => {
                let mut editor = Editor::new(outcome.document);
                editor.mark_unsaved();
                let tab = Tab::new(editor, recovered.tab.path.clone(), outcome.diagnostics);
                self.push_tab(tab);
                self.status = Some(format!(
                    "Restored the unsaved work of {}: save it to keep it.",
                    recovered.tab.name
                ));
                let _ = recovered.discard();
                // Keep it at once under this session, so a second crash loses nothing.
                self.autosave.last = None;
            }
            Err(error) => {
                self.status = Some(format!(
                    "Cannot restore {} (kept in {}): {error}",
                    recovered.tab.name,
                    recovered.file.display()
                ));
            }
        }
    }

    /// Deletes recovered work the user does not want.
    pub fn discard_recovered(&mut self, index: usize) {
        if index < self.autosave.offers.len() {
            let recovered = self.autosave.offers.remove(index);
            if let Err(error) = recovered.discard() {
                self.status = Some(format!(
                    "Cannot delete {}: {error}",
                    recovered.file.display()
                ));
            }
        }
    }

    /// The window offering recovered work back, file by file.
    pub(super) fn recovery_ui(&mut self, ctx: &egui::Context) {
        if self.autosave.offers.is_empty() {
            return;
        }
        let mut restore = None;
        let mut discard = None;
        let mut all = None;
        egui::Modal::new(egui::Id::new("recover_unsaved_work")).show(ctx, |ui| {
            ui.heading("Recover unsaved work");
            ui.label("MedFlow Studio did not exit cleanly last time. This unsaved work was kept:");
            ui.add_space(6.0);
            egui::Grid::new("recovered_files")
                .num_columns(4)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    for (index, recovered) in self.autosave.offers.iter().enumerate() {
                        ui.label(egui::RichText::new(&recovered.tab.name).strong());
                        ui.label(recovered.tab.path.as_deref().map_or_else(
                            || "never saved".to_owned(),
                            |path| path.display().to_string(),
                        ));
                        if ui.button("Restore").clicked() {
                            restore = Some(index);
                        }
                        if ui.button("Discard").clicked() {
                            discard = Some(index);
                        }
                        ui.end_row();
                    }
                });
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                if ui.button("Restore all").clicked() {
                    all = Some(true);
                }
                if ui.button("Discard all").clicked() {
                    all = Some(false);
                }
            });
        });
        if let Some(index) = restore {
            self.restore_recovered(index);
        } else if let Some(index) = discard {
            self.discard_recovered(index);
        } else if let Some(restore_all) = all {
            while !self.autosave.offers.is_empty() {
                if restore_all {
                    self.restore_recovered(0);
                } else {
                    self.discard_recovered(0);
                }
            }
        }
    }
}
