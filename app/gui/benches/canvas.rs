//! Canvas frame time: the whole editor drawn headlessly (a plain `egui::Context`, no window, no
//! GPU) on generated flows of 300, 2,000 and 10,000 nodes, zoomed to fit, zoomed in, and
//! while a node is dragged (each frame an edit), zoomed in and at the widest detail, where the
//! links near the dragged node are routed again on every frame.
//! Run with `cargo bench -p medflow-gui --bench canvas`; it prints one table line per
//! (nodes, view) with milliseconds per frame, and the time to open each flow (parse and first
//! frame).
//!
//! A frame is what eframe does each repaint short of painting: `Context::run_ui` with the
//! editor's `editor_ui`, then `Context::tessellate`. Figures are read, never asserted.
#![allow(missing_docs, reason = "bench")]

use std::hint::black_box;
use std::time::{Duration, Instant};

use eframe::egui::{self, Pos2, RawInput, Rect, Vec2};
use medflow_core::edit::{Command, NewObject, new_flow_document, new_object};
use medflow_core::extension::{View, with_position};
use medflow_core::model::Timestamp;
use medflow_core::{Document, StixObject, write_bundle};
use medflow_gui::{Action, EditorApp, MenuCommand};
use serde_json::{Map, Value};

/// The allocator the `medflow` binary ships with, so the figures are the product's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The window the editor is drawn into, in points (one pixel per point).
const SCREEN: Vec2 = Vec2::new(1600.0, 1000.0);
/// Frames run before timing a view (the canvas fits the view on its first frames).
const WARM_UP_FRAMES: usize = 10;
/// `Zoom in` steps (×1.25 each) after fitting: from the fitted scale (0.05–0.11 here) to
/// about 1–2.5, where a handful of nodes fill the canvas.
const ZOOM_IN_STEPS: usize = 14;

/// Nodes per chain: 16 actions, each fourth one followed by the asset it uses.
const CHAIN_NODES: usize = 20;
/// Horizontal distance between actions of a chain, in canvas points.
const STEP_X: f32 = 280.0;
/// Vertical distance between an action and its asset.
const ASSET_Y: f32 = 200.0;
/// Width and height of one chain's cell in the grid of chains.
const CELL_W: f32 = 16.0 * STEP_X + 200.0;
const CELL_H: f32 = 2.0 * ASSET_Y + 40.0;

/// Techniques and their tactics, so node bodies have lines as in real flows.
const TECHNIQUES: [(&str, &str); 4] = [
    ("T1078", "TA0001"),
    ("T1059", "TA0002"),
    ("T1021", "TA0008"),
    ("T1486", "TA0040"),
];

/// The id of generated node `number` (0 is the flow).
fn id(type_name: &str, number: usize) -> String {
    format!("{type_name}--00000000-0000-4000-8000-{number:012}")
}

/// A canvas coordinate from a small count.
#[allow(
    clippy::cast_precision_loss,
    reason = "counts here are below 100,000, exact in f32"
)]
fn coordinate(count: usize) -> f32 {
    count as f32
}

/// Sets `key` of `object` to `value`.
fn with_property(object: &StixObject, key: &str, value: Value) -> StixObject {
    let mut map: Map<String, Value> = object.to_json();
    map.insert(key.to_owned(), value);
    StixObject::from_json(map)
}

/// The flow with `nodes` canvas nodes (the flow object included): chains of actions linked
/// by `effect_refs`, every fourth action using an asset through `asset_refs`, each chain
/// started by the flow. With `positions`, every node carries a saved position (chains on a
/// grid); without, the editor lays the flow out itself when opening it.
fn generated_document(nodes: usize, positions: bool) -> Document {
    let now = Timestamp::from_unix_millis(1_714_557_600_000);
    let mut document = new_flow_document(
        &format!("Generated flow of {nodes} nodes"),
        &mut |type_name: &str| match type_name {
            "attack-flow" => id(type_name, 0),
            "bundle" => id(type_name, nodes),
            // The template's first action is replaced by the generated chains.
            other => id(other, 999_999_999_999),
        },
        &now,
    );
    document
        .objects
        .retain(|object| object.type_name() != "attack-action");

    let chains = (nodes - 1).div_ceil(CHAIN_NODES);
    // Columns of chains so that the grid is about 1.5 times wider than high.
    let mut columns = 1;
    while coordinate(columns) * CELL_W < 1.5 * coordinate(chains.div_ceil(columns)) * CELL_H {
        columns += 1;
    }
    let mut starts = Vec::with_capacity(chains);
    for number in 1..nodes {
        let chain = (number - 1) / CHAIN_NODES;
        let step = (number - 1) % CHAIN_NODES;
        let is_asset = step % 5 == 4;
        // The action an asset hangs under is the one before it.
        let action_index = if is_asset { step - 1 } else { step } - step / 5;
        let at = [
            coordinate(chain % columns) * CELL_W + coordinate(action_index) * STEP_X,
            coordinate(chain / columns) * CELL_H + if is_asset { ASSET_Y } else { 0.0 },
        ];
        let mut object = if is_asset {
            let asset = new_object(NewObject::Asset, &id("attack-asset", number), &now);
            with_property(&asset, "name", Value::from(format!("Asset {number}")))
        } else {
            let action_id = id("attack-action", number);
            if step == 0 {
                starts.push(Value::from(action_id.clone()));
            }
            let (technique, tactic) = TECHNIQUES[number % TECHNIQUES.len()];
            let mut action = new_object(NewObject::Action, &action_id, &now);
            action = with_property(&action, "name", Value::from(format!("Step {number}")));
            action = with_property(&action, "technique_id", Value::from(technique));
            action = with_property(&action, "tactic_id", Value::from(tactic));
            let next_step = if step % 5 == 3 { step + 2 } else { step + 1 };
            let next = number + (next_step - step);
            if next_step < CHAIN_NODES && next < nodes {
                action = with_property(
                    &action,
                    "effect_refs",
                    Value::from(vec![id("attack-action", next)]),
                );
            }
            if step % 5 == 3 && number + 1 < nodes {
                action = with_property(
                    &action,
                    "asset_refs",
                    Value::from(vec![id("attack-asset", number + 1)]),
                );
            }
            action
        };
        if positions {
            object = with_position(&object, View::Flow, at);
        }
        document.objects.push(object);
    }
    for object in &mut document.objects {
        if object.type_name() == "attack-flow" {
            *object = with_property(object, "start_refs", Value::Array(starts.clone()));
            if positions {
                // Left of the first chain, so every node has a saved position.
                *object = with_position(object, View::Flow, [-STEP_X - 100.0, 0.0]);
            }
        }
    }
    document
}

fn raw_input(time: f64) -> RawInput {
    RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, SCREEN)),
        time: Some(time),
        predicted_dt: 1.0 / 60.0,
        ..RawInput::default()
    }
}

/// One measured frame.
#[derive(Debug, Clone, Copy)]
struct Frame {
    /// `run_ui` with the editor.
    ui: Duration,
    /// `tessellate` of its shapes.
    tessellate: Duration,
    /// Shapes egui produced.
    shapes: usize,
    /// Vertices after tessellation.
    vertices: usize,
}

impl Frame {
    fn total(&self) -> Duration {
        self.ui + self.tessellate
    }
}

/// The headless editor: a context, the app, and the clock it is given.
struct Headless {
    ctx: egui::Context,
    app: EditorApp,
    time: f64,
}

impl Headless {
    fn new() -> Self {
        Self {
            ctx: egui::Context::default(),
            app: EditorApp::new(),
            time: 0.0,
        }
    }

    fn frame(&mut self) -> Frame {
        self.time += 1.0 / 60.0;
        let input = raw_input(self.time);
        let app = &mut self.app;
        let started = Instant::now();
        let mut output = self.ctx.run_ui(input, |ui| app.editor_ui(ui));
        let ui = started.elapsed();
        // No renderer here: the font atlas and other textures go nowhere.
        output.textures_delta.clear();
        let shapes = std::mem::take(&mut output.shapes);
        let shape_count = shapes.len();
        let started = Instant::now();
        let primitives = self.ctx.tessellate(shapes, output.pixels_per_point);
        let tessellate = started.elapsed();
        let vertices = primitives
            .iter()
            .map(|clipped| match &clipped.primitive {
                egui::epaint::Primitive::Mesh(mesh) => mesh.vertices.len(),
                egui::epaint::Primitive::Callback(_) => 0,
            })
            .sum();
        black_box(primitives);
        Frame {
            ui,
            tessellate,
            shapes: shape_count,
            vertices,
        }
    }

    /// Whether the canvas shows the overview (zoomed out past readable text).
    fn overview(&self) -> bool {
        self.app
            .active_tab()
            .is_some_and(|tab| tab.canvas.shows_overview())
    }

    /// How the canvas draws the flow now, and at what zoom.
    fn mode(&self) -> String {
        let scale = self
            .app
            .active_tab()
            .map_or(f32::NAN, |tab| tab.canvas.scale());
        let mode = if self.overview() {
            "overview"
        } else {
            "detail (snarl)"
        };
        format!("{mode} ({scale:.2})")
    }

    fn frames(&mut self, count: usize) -> Vec<Frame> {
        (0..count).map(|_| self.frame()).collect()
    }
}

fn milliseconds(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => f64::NAN,
        length if length % 2 == 1 => values[length / 2],
        length => f64::midpoint(values[length / 2 - 1], values[length / 2]),
    }
}

fn mean(values: &[f64]) -> f64 {
    let count = u32::try_from(values.len()).unwrap_or(u32::MAX);
    values.iter().sum::<f64>() / f64::from(count)
}

/// A table line for a view.
struct ViewFigures {
    frames: usize,
    median: f64,
    mean: f64,
    ui_median: f64,
    tessellate_median: f64,
    shapes: usize,
    vertices: usize,
}

fn figures(frames: &[Frame]) -> ViewFigures {
    let totals: Vec<f64> = frames
        .iter()
        .map(|frame| milliseconds(frame.total()))
        .collect();
    ViewFigures {
        frames: frames.len(),
        median: median(totals.clone()),
        mean: mean(&totals),
        ui_median: median(frames.iter().map(|frame| milliseconds(frame.ui)).collect()),
        tessellate_median: median(
            frames
                .iter()
                .map(|frame| milliseconds(frame.tessellate))
                .collect(),
        ),
        shapes: frames.last().map_or(0, |frame| frame.shapes),
        vertices: frames.last().map_or(0, |frame| frame.vertices),
    }
}

/// What opening one flow cost.
struct OpenFigures {
    bytes: usize,
    parse: Duration,
    first_frame: Duration,
}

/// Opens `bytes` in `editor` and draws its first frame; the context is warmed up first, so
/// the font atlas is not counted.
fn open(editor: &mut Headless, label: &str, bytes: &[u8]) -> OpenFigures {
    editor.frames(2);
    let started = Instant::now();
    editor.app.open_bytes(label, bytes);
    let parse = started.elapsed();
    let first_frame = editor.frame().total();
    if editor.app.tab_count() != 1 {
        eprintln!(
            "{label}: did not open: {}",
            editor.app.status().unwrap_or("no message")
        );
    }
    OpenFigures {
        bytes: bytes.len(),
        parse,
        first_frame,
    }
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg").map_or_else(
        |_| "unknown".to_owned(),
        |text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        },
    )
}

/// Frame figures for the three views of the open flow: zoomed to fit, the detailed view at
/// its widest (the first zoom-in step past the overview, where snarl draws the most nodes),
/// and zoomed in; each with how the canvas drew it.
fn measure_views(
    editor: &mut Headless,
    timed_frames: usize,
) -> Vec<(&'static str, String, ViewFigures)> {
    editor.app.push(Action::Menu(MenuCommand::ZoomToFit));
    editor.frames(WARM_UP_FRAMES);
    let fit = figures(&editor.frames(timed_frames));
    let fit_mode = editor.mode();

    // The detailed view at its widest: the first zoom-in step past the overview, where
    // snarl draws the most nodes.
    let mut steps = 0;
    while editor.overview() && steps < ZOOM_IN_STEPS {
        editor.app.push(Action::Menu(MenuCommand::ZoomIn));
        editor.frames(2);
        steps += 1;
    }
    editor.frames(WARM_UP_FRAMES);
    let widest = figures(&editor.frames(timed_frames));
    let widest_mode = editor.mode();

    // Dragging the action nearest the middle of the view at that zoom: the links near it
    // are routed again on every frame.
    let middle = editor.app.active_tab().map(|tab| {
        let canvas = &tab.canvas;
        let centre = canvas.screen_rect().center();
        tab.document()
            .objects
            .iter()
            .filter(|object| object.type_name() == "attack-action")
            .filter_map(|object| {
                let rect = canvas.node_screen_rect(object.id())?;
                Some(((rect.center() - centre).length(), object.id().to_owned()))
            })
            .min_by(|a, b| a.0.total_cmp(&b.0))
    });
    let dragging_widest = match middle.flatten() {
        Some((_, id)) => {
            let at = editor
                .app
                .document()
                .and_then(|document| document.object(&id))
                .and_then(|object| medflow_core::extension::position(object, View::Flow))
                .unwrap_or_default();
            let frames: Vec<Frame> = (0..WARM_UP_FRAMES + timed_frames)
                .map(|step| {
                    #[allow(clippy::cast_precision_loss, reason = "a few frames")]
                    let offset = (step % 40) as f32 * 4.0;
                    editor.app.push(Action::Edit {
                        label: "Move 1 node".to_owned(),
                        coalesce_key: Some("canvas-drag".to_owned()),
                        commands: vec![Command::MoveNodes {
                            view: View::Flow,
                            moves: vec![(id.clone(), [at[0] + offset, at[1] + offset / 2.0])],
                        }],
                    });
                    editor.frame()
                })
                .collect();
            figures(&frames[WARM_UP_FRAMES..])
        }
        None => figures(&editor.frames(timed_frames)),
    };
    let dragging_widest_mode = editor.mode();

    for _ in steps..ZOOM_IN_STEPS {
        editor.app.push(Action::Menu(MenuCommand::ZoomIn));
    }
    editor.frames(WARM_UP_FRAMES);
    let zoomed = figures(&editor.frames(timed_frames));
    let zoomed_mode = editor.mode();

    // Dragging a node, zoomed in: every frame moves it a little (one coalesced step, as a
    // drag is), so every frame applies an edit and the canvas rebuilds its scene from the
    // changed document.
    let dragged = editor
        .app
        .document()
        .and_then(|document| {
            document
                .objects
                .iter()
                .find(|object| object.type_name() == "attack-action")
        })
        .map(|object| object.id().to_owned())
        .unwrap_or_default();
    let drag = |editor: &mut Headless, count: usize, from: usize| -> Vec<Frame> {
        (from..from + count)
            .map(|step| {
                let offset = coordinate(step);
                editor.app.push(Action::Edit {
                    label: "Move 1 node".to_owned(),
                    coalesce_key: Some("canvas-drag".to_owned()),
                    commands: vec![Command::MoveNodes {
                        view: View::Flow,
                        moves: vec![(dragged.clone(), [offset, offset])],
                    }],
                });
                editor.frame()
            })
            .collect()
    };
    drag(editor, WARM_UP_FRAMES, 0);
    let dragging = figures(&drag(editor, timed_frames, WARM_UP_FRAMES));
    let dragging_mode = editor.mode();

    vec![
        ("zoomed to fit", fit_mode, fit),
        ("widest detail", widest_mode, widest),
        ("dragging, widest", dragging_widest_mode, dragging_widest),
        ("zoomed in", zoomed_mode, zoomed),
        ("dragging", dragging_mode, dragging),
    ]
}

fn main() {
    // `cargo bench` passes `--bench`; a filter argument picks sizes ("300", "2000", …).
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|argument| !argument.starts_with('-'))
        .collect();
    let sizes: [(usize, usize); 3] = [(300, 30), (2_000, 30), (10_000, 5)];
    println!(
        "canvas frame time: editor {}×{} points, {WARM_UP_FRAMES} warm-up frames per view, \
         {ZOOM_IN_STEPS} zoom-in steps; load average {}",
        SCREEN.x,
        SCREEN.y,
        load_average()
    );
    let mut opens = Vec::new();
    let mut views = Vec::new();
    for (nodes, timed_frames) in sizes {
        if !filters.is_empty() && !filters.iter().any(|filter| *filter == nodes.to_string()) {
            continue;
        }
        let bytes = write_bundle(&generated_document(nodes, true));
        let mut editor = Headless::new();
        let opened = open(&mut editor, &format!("{nodes} nodes"), &bytes);

        let measured = measure_views(&mut editor, timed_frames);

        // The same flow without saved positions: opening it runs the automatic layout.
        let unplaced = write_bundle(&generated_document(nodes, false));
        let mut fresh = Headless::new();
        let laid_out = open(
            &mut fresh,
            &format!("{nodes} nodes, no positions"),
            &unplaced,
        );

        eprintln!("{nodes} nodes done (load average {})", load_average());
        opens.push((nodes, opened, laid_out));
        views.extend(
            measured
                .into_iter()
                .map(|(view, mode, figures)| (nodes, view, mode, figures)),
        );
    }

    println!();
    println!(
        "{:>7}  {:<16} {:<22} {:>6}  {:>10}  {:>10}  {:>9}  {:>11}  {:>7}  {:>9}",
        "nodes",
        "view",
        "drawn as (zoom)",
        "frames",
        "median ms",
        "mean ms",
        "ui ms",
        "tessell. ms",
        "shapes",
        "vertices"
    );
    for (nodes, view, mode, figures) in &views {
        println!(
            "{nodes:>7}  {view:<16} {mode:<22} {:>6}  {:>10.2}  {:>10.2}  {:>9.2}  {:>11.2}  {:>7}  {:>9}",
            figures.frames,
            figures.median,
            figures.mean,
            figures.ui_median,
            figures.tessellate_median,
            figures.shapes,
            figures.vertices
        );
    }
    println!();
    println!(
        "{:>7}  {:>9}  {:>10}  {:>14}  {:>10}  {:>26}",
        "nodes",
        "bundle KB",
        "parse ms",
        "first frame ms",
        "open ms",
        "open ms, no saved positions"
    );
    for (nodes, opened, laid_out) in &opens {
        println!(
            "{nodes:>7}  {:>9}  {:>10.1}  {:>14.1}  {:>10.1}  {:>26.1}",
            opened.bytes / 1024,
            milliseconds(opened.parse),
            milliseconds(opened.first_frame),
            milliseconds(opened.parse + opened.first_frame),
            milliseconds(laid_out.parse + laid_out.first_frame)
        );
    }
    println!();
    println!("load average at the end: {}", load_average());
}
