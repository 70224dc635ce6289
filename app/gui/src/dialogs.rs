//! Open and save dialogs: the desktop's own (rfd: the XDG desktop portal, or zenity), or,
//! where the desktop has neither (air-gapped and minimal desktops often have no portal), the
//! built-in one drawn by egui (`egui-file-dialog`).
//!
//! A native dialog runs on its own thread and hands its result back through a channel that the
//! app polls every frame, so the window never freezes. rfd cannot tell "no dialog could be
//! shown" from "the user cancelled", so a native dialog that comes back empty within
//! [`NATIVE_FAILURE_WINDOW`] (faster than anyone can cancel one) counts as one that could not
//! start: the same request is shown again in the built-in dialog, which is used from then on,
//! and [`Dialogs::take_notice`] says so once for the status bar.
//!
//! A save dialog carries a [`SaveRequest`]: which tab it saves (by its key, since tabs may be
//! closed or reordered while the dialog is open) and what follows a successful save (closing
//! the tab, or going on closing the window). Tests use [`Dialogs::scripted`], which records
//! what would be shown instead of showing it, and answer with [`Dialogs::answer`].

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use eframe::egui;
use egui_file_dialog::{DialogState, FileDialog, OpeningMode};

/// A native dialog that returns nothing faster than this could not be shown.
pub const NATIVE_FAILURE_WINDOW: Duration = Duration::from_millis(700);

/// The file types the open dialog offers (Builder files too, so that opening one can say what
/// to do with it).
const OPEN_FILTER: (&str, [&str; 2]) = ("Flows (.json, .afb)", ["json", "afb"]);
/// The file type the save dialog writes.
const SAVE_FILTER: (&str, &str) = ("Attack Flow (STIX JSON)", "json");

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

/// Which dialogs are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DialogKind {
    /// The desktop's own (portal or zenity).
    Native,
    /// The built-in dialog, drawn in the editor's window.
    BuiltIn,
}

impl DialogKind {
    /// How the status bar names it.
    #[must_use]
    pub fn label(self) -> &'static str {
        match self {
            Self::Native => "system file dialog",
            Self::BuiltIn => "built-in file dialog",
        }
    }
}

/// Shows one native dialog for a request and blocks until it is answered (run on a thread).
pub type NativeDialog = Arc<dyn Fn(DialogRequest) -> DialogResult + Send + Sync>;

/// The dialogs in flight.
pub struct Dialogs {
    sender: Sender<(DialogResult, Option<NativeAsked>)>,
    receiver: Receiver<(DialogResult, Option<NativeAsked>)>,
    /// `Some` for a scripted test double: the requests not yet taken by the test.
    scripted: Option<Vec<DialogRequest>>,
    kind: DialogKind,
    native: NativeDialog,
    /// The built-in dialog while it is shown, and what it was asked for.
    built_in: Option<(FileDialog, DialogRequest)>,
    /// A message for the status bar (the switch to the built-in dialog).
    notice: Option<String>,
}

/// A native dialog's request and when it was shown, to tell a failure from a cancel.
#[derive(Debug, Clone)]
pub struct NativeAsked {
    request: DialogRequest,
    shown_at: Instant,
}

impl std::fmt::Debug for Dialogs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dialogs")
            .field("kind", &self.kind)
            .field("scripted", &self.scripted)
            .field("built_in_open", &self.built_in.is_some())
            .finish_non_exhaustive()
    }
}

impl Default for Dialogs {
    fn default() -> Self {
        let kind = if native_dialog_possible() {
            DialogKind::Native
        } else {
            DialogKind::BuiltIn
        };
        Self::with_native(kind, Arc::new(rfd_dialog))
    }
}

/// Whether a native dialog can be shown at all: on Linux and the BSDs it needs a D-Bus session
/// (for the desktop portal) or zenity on the `PATH`.
fn native_dialog_possible() -> bool {
    if !cfg!(all(unix, not(target_os = "macos"))) {
        return true;
    }
    let bus = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some_and(|value| !value.is_empty())
        || std::env::var_os("XDG_RUNTIME_DIR")
            .is_some_and(|folder| std::path::Path::new(&folder).join("bus").exists());
    let zenity = std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|folder| folder.join("zenity").is_file())
    });
    bus || zenity
}

/// The desktop's dialog through rfd, on the calling thread.
fn rfd_dialog(request: DialogRequest) -> DialogResult {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            return DialogResult::Failed(format!("cannot start the file dialog: {error}"));
        }
    };
    runtime.block_on(async move {
        match request {
            DialogRequest::Open { folder } => {
                let mut dialog = rfd::AsyncFileDialog::new()
                    .set_title("Open attack flows")
                    .add_filter(OPEN_FILTER.0, &OPEN_FILTER.1);
                if let Some(folder) = folder {
                    dialog = dialog.set_directory(folder);
                }
                match dialog.pick_files().await {
                    Some(files) if !files.is_empty() => DialogResult::Open(
                        files.iter().map(|file| file.path().to_path_buf()).collect(),
                    ),
                    _ => DialogResult::Cancelled,
                }
            }
            DialogRequest::SaveAs {
                file_name,
                folder,
                request,
            } => {
                let mut dialog = rfd::AsyncFileDialog::new()
                    .set_title("Save attack flow")
                    .add_filter(SAVE_FILTER.0, &[SAVE_FILTER.1])
                    .set_file_name(file_name);
                if let Some(folder) = folder {
                    dialog = dialog.set_directory(folder);
                }
                let path = dialog
                    .save_file()
                    .await
                    .map(|file| file.path().to_path_buf());
                DialogResult::SaveAs { request, path }
            }
        }
    })
}

impl Dialogs {
    /// Dialogs of `kind`, showing native ones with `native` (tests give one that fails).
    #[must_use]
    pub fn with_native(kind: DialogKind, native: NativeDialog) -> Self {
        let (sender, receiver) = channel();
        Self {
            sender,
            receiver,
            scripted: None,
            kind,
            native,
            built_in: None,
            notice: None,
        }
    }

    /// Dialogs that are never shown: each request is recorded for [`Dialogs::take_requests`]
    /// and answered by [`Dialogs::answer`] (for tests without a desktop).
    #[must_use]
    pub fn scripted() -> Self {
        Self {
            scripted: Some(Vec::new()),
            ..Self::default()
        }
    }

    /// Which dialogs are shown now.
    #[must_use]
    pub fn kind(&self) -> DialogKind {
        self.kind
    }

    /// Whether the built-in dialog is on screen.
    #[must_use]
    pub fn built_in_open(&self) -> bool {
        self.built_in.is_some()
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
        let _ = self.sender.send((result, None));
    }

    /// A message for the status bar, once.
    pub fn take_notice(&mut self) -> Option<String> {
        self.notice.take()
    }

    /// Shows the open dialog, starting in `folder`.
    pub fn open(&mut self, ctx: &egui::Context, folder: Option<PathBuf>) {
        self.show(ctx, DialogRequest::Open { folder });
    }

    /// Shows the save dialog with a suggested file name, for `request`.
    pub fn save_as(
        &mut self,
        ctx: &egui::Context,
        file_name: String,
        folder: Option<PathBuf>,
        request: SaveRequest,
    ) {
        self.show(
            ctx,
            DialogRequest::SaveAs {
                file_name,
                folder,
                request,
            },
        );
    }

    fn show(&mut self, ctx: &egui::Context, request: DialogRequest) {
        if let Some(requests) = &mut self.scripted {
            requests.push(request);
            return;
        }
        match self.kind {
            DialogKind::BuiltIn => self.show_built_in(request),
            DialogKind::Native => {
                let native = self.native.clone();
                let sender = self.sender.clone();
                let context = ctx.clone();
                let asked = NativeAsked {
                    request: request.clone(),
                    shown_at: Instant::now(),
                };
                let spawned = std::thread::Builder::new()
                    .name("file-dialog".into())
                    .spawn(move || {
                        let result = native(asked.request.clone());
                        let _ = sender.send((result, Some(asked)));
                        context.request_repaint();
                    });
                if spawned.is_err() {
                    self.fall_back(request, "no thread could be started for it");
                }
            }
        }
    }

    /// Uses the built-in dialog from now on, and shows it for `request`.
    fn fall_back(&mut self, request: DialogRequest, why: &str) {
        self.kind = DialogKind::BuiltIn;
        self.notice = Some(format!(
            "The system file dialog could not be shown ({why}): using the built-in one."
        ));
        self.show_built_in(request);
    }

    fn show_built_in(&mut self, request: DialogRequest) {
        let mut dialog = FileDialog::new()
            .id("built_in_file_dialog")
            .opening_mode(OpeningMode::AlwaysInitialDir)
            .default_size([720.0, 460.0]);
        let folder = match &request {
            DialogRequest::Open { folder } | DialogRequest::SaveAs { folder, .. } => folder.clone(),
        };
        if let Some(folder) = folder.filter(|folder| folder.is_dir()) {
            dialog = dialog.initial_directory(folder);
        }
        match &request {
            DialogRequest::Open { .. } => {
                dialog = dialog
                    .title("Open attack flow")
                    .add_file_filter_extensions(OPEN_FILTER.0, OPEN_FILTER.1.to_vec())
                    .default_file_filter(OPEN_FILTER.0);
                dialog.pick_file();
            }
            DialogRequest::SaveAs { file_name, .. } => {
                dialog = dialog
                    .title("Save attack flow")
                    .default_file_name(file_name)
                    .add_save_extension(SAVE_FILTER.0, SAVE_FILTER.1)
                    .default_save_extension(SAVE_FILTER.0);
                dialog.save_file();
            }
        }
        self.built_in = Some((dialog, request));
    }

    /// Draws the built-in dialog while it is shown; its answer arrives through
    /// [`Dialogs::poll`].
    pub fn ui(&mut self, ctx: &egui::Context) {
        let Some((dialog, request)) = &mut self.built_in else {
            return;
        };
        dialog.update(ctx);
        let picked = dialog.take_picked();
        let cancelled = matches!(dialog.state(), DialogState::Cancelled | DialogState::Closed);
        if picked.is_none() && !cancelled {
            return;
        }
        let result = match (request.clone(), picked) {
            (DialogRequest::Open { .. }, Some(path)) => DialogResult::Open(vec![path]),
            (DialogRequest::Open { .. }, None) => DialogResult::Cancelled,
            (DialogRequest::SaveAs { request, .. }, path) => DialogResult::SaveAs { request, path },
        };
        self.built_in = None;
        let _ = self.sender.send((result, None));
        ctx.request_repaint();
    }

    /// A finished dialog's result, if one arrived. A native dialog that came back empty at
    /// once is shown again as the built-in dialog instead.
    pub fn poll(&mut self) -> Option<DialogResult> {
        while let Ok((result, asked)) = self.receiver.try_recv() {
            let empty = matches!(
                result,
                DialogResult::Cancelled
                    | DialogResult::Failed(_)
                    | DialogResult::SaveAs { path: None, .. }
            );
            match asked {
                Some(asked) if empty && asked.shown_at.elapsed() < NATIVE_FAILURE_WINDOW => {
                    let why = match &result {
                        DialogResult::Failed(message) => message.clone(),
                        _ => "no desktop portal or zenity answered".to_owned(),
                    };
                    self.fall_back(asked.request, &why);
                }
                _ => return Some(result),
            }
        }
        None
    }
}
