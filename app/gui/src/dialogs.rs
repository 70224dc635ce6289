//! Native open and save dialogs, asynchronous so the window never freezes: each dialog runs on
//! its own thread and hands its result back through a channel that the app polls every frame.
//!
//! A save dialog carries a [`SaveRequest`]: which tab it saves (by its key, since tabs may be
//! closed or reordered while the dialog is open) and what follows a successful save (closing
//! the tab, or going on closing the window). Tests use [`Dialogs::scripted`], which records
//! what would be shown instead of showing it, and answer with [`Dialogs::answer`].

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};

use eframe::egui;

/// What follows a successful save.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterSave {
    /// Nothing: the tab stays open.
    Nothing,
    /// Close the saved tab (the unsaved-changes prompt of a tab was answered "Save").
    CloseTab,
    /// Go on closing the window (the window's prompt was answered "Save").
    CloseWindow,
}

/// Which tab a save dialog saves and what follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SaveRequest {
    /// The key of the tab to save ([`crate::tab::Tab::key`]).
    pub tab: u64,
    /// What follows a successful save.
    pub then: AfterSave,
}

/// What a dialog returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialogResult {
    /// Files chosen to open.
    Open(Vec<PathBuf>),
    /// The answer to a save dialog: where to save, or `None` when the user cancelled.
    SaveAs {
        /// The request the dialog was shown for.
        request: SaveRequest,
        /// The chosen file.
        path: Option<PathBuf>,
    },
    /// The user closed an open dialog, or no dialog could be shown.
    Cancelled,
    /// The dialog could not run; the text says why.
    Failed(String),
}

/// A dialog the app asked for (recorded by [`Dialogs::scripted`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialogRequest {
    /// The open dialog, starting in `folder`.
    Open {
        /// The folder shown first.
        folder: Option<PathBuf>,
    },
    /// The save dialog with a suggested file name.
    SaveAs {
        /// The suggested file name.
        file_name: String,
        /// The folder shown first.
        folder: Option<PathBuf>,
        /// Which tab it saves and what follows.
        request: SaveRequest,
    },
}

/// The dialogs in flight.
#[derive(Debug)]
pub struct Dialogs {
    sender: Sender<DialogResult>,
    receiver: Receiver<DialogResult>,
    /// `Some` for a scripted test double: the requests not yet taken by the test.
    scripted: Option<Vec<DialogRequest>>,
}

impl Default for Dialogs {
    fn default() -> Self {
        let (sender, receiver) = channel();
        Self {
            sender,
            receiver,
            scripted: None,
        }
    }
}

fn run_dialog<F>(ctx: &egui::Context, sender: Sender<DialogResult>, dialog: F)
where
    F: FnOnce() -> std::pin::Pin<Box<dyn Future<Output = DialogResult> + Send>> + Send + 'static,
{
    let ctx = ctx.clone();
    let error_sender = sender.clone();
    let spawned = std::thread::Builder::new()
        .name("file-dialog".into())
        .spawn(move || {
            let result = match tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            {
                Ok(runtime) => runtime.block_on(dialog()),
                Err(error) => {
                    DialogResult::Failed(format!("cannot start the file dialog: {error}"))
                }
            };
            let _ = sender.send(result);
            ctx.request_repaint();
        });
    if let Err(error) = spawned {
        let _ = error_sender.send(DialogResult::Failed(format!(
            "cannot start the file dialog: {error}"
        )));
    }
}

impl Dialogs {
    /// Dialogs that are never shown: each request is recorded for [`Dialogs::take_requests`]
    /// and answered by [`Dialogs::answer`] (for tests without a desktop).
    #[must_use]
    pub fn scripted() -> Self {
        Self {
            scripted: Some(Vec::new()),
            ..Self::default()
        }
    }

    /// The requests recorded since the last call (scripted dialogs only).
    pub fn take_requests(&mut self) -> Vec<DialogRequest> {
        self.scripted
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// Answers a dialog as the user would; the app reads it on its next frame.
    pub fn answer(&self, result: DialogResult) {
        let _ = self.sender.send(result);
    }

    /// Shows the open dialog (several `.json` files may be chosen).
    pub fn open(&mut self, ctx: &egui::Context, folder: Option<PathBuf>) {
        if let Some(requests) = &mut self.scripted {
            requests.push(DialogRequest::Open { folder });
            return;
        }
        run_dialog(ctx, self.sender.clone(), move || {
            Box::pin(async move {
                let mut dialog = rfd::AsyncFileDialog::new()
                    .set_title("Open attack flows")
                    .add_filter("Attack Flow (STIX JSON)", &["json"]);
                if let Some(folder) = folder {
                    dialog = dialog.set_directory(folder);
                }
                match dialog.pick_files().await {
                    Some(files) if !files.is_empty() => DialogResult::Open(
                        files.iter().map(|file| file.path().to_path_buf()).collect(),
                    ),
                    _ => DialogResult::Cancelled,
                }
            })
        });
    }

    /// Shows the save dialog with a suggested file name, for `request`.
    pub fn save_as(
        &mut self,
        ctx: &egui::Context,
        file_name: String,
        folder: Option<PathBuf>,
        request: SaveRequest,
    ) {
        if let Some(requests) = &mut self.scripted {
            requests.push(DialogRequest::SaveAs {
                file_name,
                folder,
                request,
            });
            return;
        }
        run_dialog(ctx, self.sender.clone(), move || {
            Box::pin(async move {
                let mut dialog = rfd::AsyncFileDialog::new()
                    .set_title("Save attack flow")
                    .add_filter("Attack Flow (STIX JSON)", &["json"])
                    .set_file_name(file_name);
                if let Some(folder) = folder {
                    dialog = dialog.set_directory(folder);
                }
                let path = dialog
                    .save_file()
                    .await
                    .map(|file| file.path().to_path_buf());
                DialogResult::SaveAs { request, path }
            })
        });
    }

    /// A finished dialog's result, if one arrived.
    pub fn poll(&mut self) -> Option<DialogResult> {
        self.receiver.try_recv().ok()
    }
}
