//! The editor's look as data: every colour and spacing value the panels use comes from here.
//!
//! Colours are taken from the active [`egui::Visuals`] where egui already has a fitting role, so
//! light and dark mode both work without a second table.

use eframe::egui::{Color32, Visuals};
use medflow_core::Severity;
use medflow_core::flow::FlowLink;
use medflow_core::scene::NodeKind;

/// Width of the library and outline panel when the window opens, in points.
pub const LIBRARY_WIDTH_POINTS: f32 = 240.0;

/// Width of the inspector when the window opens, in points.
pub const INSPECTOR_WIDTH_POINTS: f32 = 340.0;

/// Height of the problems panel when the window opens, in points.
pub const PROBLEMS_HEIGHT_POINTS: f32 = 160.0;

/// Inner size of the window when it opens, in points.
pub const WINDOW_SIZE_POINTS: [f32; 2] = [1440.0, 900.0];

/// Colour of info diagnostics.
const INFO_COLOR: Color32 = Color32::from_rgb(90, 150, 230);

/// The colour that marks a diagnostic of this severity.
#[must_use]
pub fn severity_color(severity: Severity, visuals: &Visuals) -> Color32 {
    match severity {
        Severity::Error => visuals.error_fg_color,
        Severity::Warning => visuals.warn_fg_color,
        Severity::Info => INFO_COLOR,
    }
}

/// The colour of an error message that replaces the document (a file that could not be read).
#[must_use]
pub fn failure_color(visuals: &Visuals) -> Color32 {
    visuals.error_fg_color
}

/// The kinds of link on the canvas, with their colours, as the legend shows them: one colour
/// per kind, so each reads apart from the others; in the order of [`FlowLink::ALL`].
pub const LINK_KINDS: [(&str, Color32); 8] = [
    ("start", Color32::from_rgb(150, 150, 160)),
    ("effect", Color32::from_rgb(90, 150, 230)),
    ("on true", Color32::from_rgb(80, 180, 100)),
    ("on false", Color32::from_rgb(220, 90, 80)),
    ("asset", Color32::from_rgb(200, 150, 60)),
    ("command", Color32::from_rgb(225, 105, 170)),
    ("object", Color32::from_rgb(160, 110, 200)),
    ("relationship", Color32::from_rgb(120, 170, 170)),
];

/// The colour of a kind of link (its row of [`LINK_KINDS`]).
#[must_use]
pub fn link_color(link: FlowLink) -> Color32 {
    let index = FlowLink::ALL
        .iter()
        .position(|known| *known == link)
        .unwrap_or(LINK_KINDS.len() - 1);
    LINK_KINDS[index].1
}

/// The colour that marks a node's kind (its header and its box in the overview).
#[must_use]
pub fn node_accent(kind: NodeKind) -> Color32 {
    match kind {
        NodeKind::Flow => Color32::from_rgb(150, 150, 160),
        NodeKind::Action => Color32::from_rgb(90, 150, 230),
        NodeKind::Asset => Color32::from_rgb(200, 150, 60),
        NodeKind::Condition => Color32::from_rgb(80, 180, 100),
        NodeKind::Operator => Color32::from_rgb(160, 110, 200),
        NodeKind::Control | NodeKind::Other => Color32::from_rgb(120, 170, 170),
    }
}

/// Text that reads on a fill of `color`: near-black on light colours, near-white on dark.
#[must_use]
pub fn ink_on(color: Color32) -> Color32 {
    let [red, green, blue, _] = color.to_array();
    let luminance = 0.299 * f32::from(red) + 0.587 * f32::from(green) + 0.114 * f32::from(blue);
    if luminance > 140.0 {
        Color32::from_gray(15)
    } else {
        Color32::from_gray(245)
    }
}

/// The outline of selected nodes.
pub const SELECTED_COLOR: Color32 = Color32::from_rgb(255, 190, 60);

/// The fills of the architecture view's lanes, alternating from left to right.
#[must_use]
pub fn lane_fills(visuals: &Visuals) -> [Color32; 2] {
    if visuals.dark_mode {
        [Color32::from_rgb(24, 28, 34), Color32::from_rgb(30, 34, 40)]
    } else {
        [
            Color32::from_rgb(238, 242, 247),
            Color32::from_rgb(246, 248, 251),
        ]
    }
}

/// The outline of the architecture view's lanes.
#[must_use]
pub fn lane_stroke_color(visuals: &Visuals) -> Color32 {
    visuals.widgets.noninteractive.bg_stroke.color
}

/// The colour of a lane's title (its zone's name).
#[must_use]
pub fn lane_title_color(visuals: &Visuals) -> Color32 {
    visuals.weak_text_color()
}

/// The colour of trust boundaries and their names in the architecture view.
#[must_use]
pub fn boundary_color(visuals: &Visuals) -> Color32 {
    if visuals.dark_mode {
        Color32::from_rgb(200, 120, 80)
    } else {
        Color32::from_rgb(176, 92, 48)
    }
}

/// The faint fill of a trust boundary drawn as a region inside a lane.
#[must_use]
pub fn boundary_region_fill(visuals: &Visuals) -> Color32 {
    boundary_color(visuals).gamma_multiply(0.07)
}

/// What a label drawn across a trust boundary's line sits on, so the dashes do not cross it:
/// the canvas's own background.
#[must_use]
pub fn boundary_label_backing(visuals: &Visuals) -> Color32 {
    visuals.extreme_bg_color
}

/// Simulation playback: a step the attack reached (and, for an action, succeeded).
pub const SIM_REACHED: Color32 = Color32::from_rgb(0xE0, 0x4F, 0x3A);
/// Simulation playback: an action an implemented detect control sees.
pub const SIM_DETECTED: Color32 = Color32::from_rgb(0xE8, 0xA3, 0x17);
/// Simulation playback: an action an implemented prevent control blocks.
pub const SIM_BLOCKED: Color32 = Color32::from_rgb(0x2E, 0xA8, 0x5C);
/// Simulation playback: an action on a component the device lacks.
pub const SIM_NOT_APPLICABLE: Color32 = Color32::from_rgb(0x7A, 0x86, 0x99);
/// Simulation playback: a step not reached (yet).
pub const SIM_UNREACHED: Color32 = Color32::from_rgb(0x4A, 0x4F, 0x58);
/// Simulation playback: the path of the chosen impact.
pub const SIM_PATH: Color32 = Color32::from_rgb(0x3D, 0x9B, 0xF5);
