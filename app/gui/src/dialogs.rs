//! Native open and save dialogs, asynchronous so the window never freezes: each dialog runs on
//! its own thread and hands its result back through a channel that the app polls every frame.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};

use eframe::egui;

/// What a dialog returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialogResult {
    /// Files chosen to open.
    Open(Vec<PathBuf>),
    /// Where to save the active tab.
    SaveAs(PathBuf),
    /// The user closed the dialog, or no dialog could be shown.
    Cancelled,
    /// The dialog could not run; the text says why.
    Failed(String),
}

/// The dialogs in flight.
#[derive(Debug)]
pub struct Dialogs {
    sender: Sender<DialogResult>,
    receiver: Receiver<DialogResult>,
    /// Dialogs shown and not answered yet.
    open_count: usize,
}

impl Default for Dialogs {
    fn default() -> Self {
        let (sender, receiver) = channel();
        Self {
            sender,
            receiver,
            open_count: 0,
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
    /// Shows the open dialog (several `.json` files may be chosen).
    pub fn open(&mut self, ctx: &egui::Context, folder: Option<PathBuf>) {
        self.open_count += 1;
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

    /// Shows the save dialog with a suggested file name.
    pub fn save_as(&mut self, ctx: &egui::Context, file_name: String, folder: Option<PathBuf>) {
        self.open_count += 1;
        run_dialog(ctx, self.sender.clone(), move || {
            Box::pin(async move {
                let mut dialog = rfd::AsyncFileDialog::new()
                    .set_title("Save attack flow")
                    .add_filter("Attack Flow (STIX JSON)", &["json"])
                    .set_file_name(file_name);
                if let Some(folder) = folder {
                    dialog = dialog.set_directory(folder);
                }
                match dialog.save_file().await {
                    Some(file) => DialogResult::SaveAs(file.path().to_path_buf()),
                    None => DialogResult::Cancelled,
                }
            })
        });
    }

    /// A finished dialog's result, if one arrived.
    pub fn poll(&mut self) -> Option<DialogResult> {
        let result = self.receiver.try_recv().ok()?;
        self.open_count = self.open_count.saturating_sub(1);
        Some(result)
    }
}
