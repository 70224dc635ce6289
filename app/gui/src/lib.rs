//! MedFlow Studio's desktop editor as a library: [`EditorApp`] and [`run`], which opens it in a
//! native window.
//!
//! The thin `medflow` binary calls [`run`]; tests drive [`EditorApp`] through `egui_kittest`
//! without a window, or through its actions without drawing at all.

pub mod actions;
mod app;
pub mod canvas;
pub mod dialogs;
mod file;
pub mod panels;
mod theme;

use std::path::PathBuf;

use eframe::egui;

pub use actions::{Action, BottomView, MenuCommand};
pub use app::tab;
pub use app::{APP_TITLE, EditorApp};
pub use dialogs::{AfterSave, DialogKind, DialogRequest, DialogResult};
pub use panels::EMPTY_STATE_TEXT;

/// Opens the editor in a native window, with `initial_file` open when one is given (otherwise
/// the first flow of the library, if any), and returns when the window is closed.
pub fn run(initial_file: Option<PathBuf>) -> Result<(), eframe::Error> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(APP_TITLE)
            .with_inner_size(theme::WINDOW_SIZE_POINTS)
            .with_min_inner_size([800.0, 500.0])
            .with_drag_and_drop(true),
        ..eframe::NativeOptions::default()
    };
    eframe::run_native(
        APP_TITLE,
        options,
        Box::new(move |creation| {
            let mut app = EditorApp::with_catalog(medflow_platform::load_catalog());
            app.restore(creation.storage);
            app.set_library(medflow_platform::find_library_folder());
            if let Some(data) = medflow_platform::data_dir() {
                app.start_recovery(&medflow_platform::recovery::recovery_dir(&data));
            }
            // With no file, the welcome state offers the library, recent files, New, Open.
            if let Some(path) = initial_file {
                app.open_path(&path);
            }
            Ok(Box::new(app))
        }),
    )
}
