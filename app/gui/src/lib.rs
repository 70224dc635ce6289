//! MedFlow Studio's desktop editor as a library: [`EditorApp`] and [`run`], which opens it in a
//! native window. For now the editor is a read-only viewer of one Attack Flow file.
//!
//! The thin `medflow` binary calls [`run`]; tests drive [`EditorApp`] through `egui_kittest`
//! without a window.

mod app;
mod file;
mod opened;
mod panels;
mod theme;

use std::path::PathBuf;

use eframe::egui;

pub use app::{APP_TITLE, EditorApp};
pub use panels::EMPTY_STATE_TEXT;

/// Opens the editor in a native window, with `initial_file` open when one is given, and returns
/// when the window is closed.
pub fn run(initial_file: Option<PathBuf>) -> Result<(), eframe::Error> {
    let mut app = EditorApp::with_catalog(medflow_platform::load_catalog());
    if let Some(path) = initial_file {
        app.open_path(&path);
    }
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(app.window_title())
            .with_inner_size(theme::WINDOW_SIZE_POINTS)
            .with_drag_and_drop(true),
        ..eframe::NativeOptions::default()
    };
    eframe::run_native(APP_TITLE, options, Box::new(|_creation| Ok(Box::new(app))))
}
