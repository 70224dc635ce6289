//! `medflow export raci|coverage`: reports of flows and libraries for people and tools.
//!
//! * `raci`: one row per control across all the files given (a control shared by several
//!   flows, same id, is one row), one column per party, as CSV or a Markdown table.
//! * `coverage`: per flow, each action with the controls that prevent, detect and respond to
//!   it, and how many actions lack prevention or detection; as text or JSON.
//!
//! Folders are searched for flows; a library folder's control catalogue is left out. A file
//! that cannot be read or parsed is named on standard error and makes the exit status 2; the
//! other files are still reported.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::{Subcommand, ValueEnum};
use medflow_core::control::{
    MatrixFilter, MatrixRow, MatrixSort, Party, controls, coverage, raci_matrix,
};
use medflow_core::{Document, ReadLimits};
use medflow_platform::write_atomically;
use serde_json::{Value, json};

use crate::{Format, Status};

/// The `export` subcommands.
#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// The RACI matrix of the controls: one row per control (a control used by several flows
    /// is one row), one column per party (CSP, MDM, HDO, EHR, Patient) holding its letters.
    ///
    /// CSV columns: `control_id`, `control_name`, `kind`, `source`, `fda_category`, `CSP`,
    /// `MDM`, `HDO`, `EHR`, `Patient`, `actions` (the names of the actions the control
    /// addresses, joined by "; ").
    /// Rows are sorted by control name, then id.
    Raci {
        /// Output format.
        #[arg(long, value_enum, default_value_t = TableFormat::Csv)]
        format: TableFormat,
        /// Write the matrix to this file (atomically) instead of standard output. Nothing is
        /// written when an input file cannot be read.
        #[arg(short, long, value_name = "OUT")]
        output: Option<PathBuf>,
        /// Largest file accepted, in bytes.
        #[arg(long, default_value_t = ReadLimits::default().max_bytes)]
        max_bytes: usize,
        /// Flow files, or library folders searched recursively for `*.json` (the control
        /// catalogue, controls.json, left out).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Control coverage per flow: each action with its technique and the controls that
    /// prevent, detect and respond to it, then how many actions lack prevention or detection.
    ///
    /// A report: the exit status is 0 however many actions lack controls (2 when a file cannot
    /// be read).
    Coverage {
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Largest file accepted, in bytes.
        #[arg(long, default_value_t = ReadLimits::default().max_bytes)]
        max_bytes: usize,
        /// Flow files, or library folders searched recursively for `*.json` (the control
        /// catalogue, controls.json, left out).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
}

/// How a table is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TableFormat {
    /// Comma-separated values with a header line, fields quoted as RFC 4180 says, lines ending
    /// in a line feed.
    Csv,
    /// A heading and a Markdown pipe table.
    Markdown,
}

/// The CSV header of the RACI matrix.
const RACI_COLUMNS: [&str; 11] = [
    "control_id",
    "control_name",
    "kind",
    "source",
    "fda_category",
    "CSP",
    "MDM",
    "HDO",
    "EHR",
    "Patient",
    "actions",
];

/// The same columns as people read them, for the Markdown table.
const RACI_LABELS: [&str; 11] = [
    "Control ID",
    "Control",
    "Kind",
    "Source",
    "FDA category",
    "CSP",
    "MDM",
    "HDO",
    "EHR",
    "Patient",
    "Actions",
];

pub(crate) fn run(
    command: ExportCommand,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> io::Result<Status> {
    match command {
        ExportCommand::Raci {
            format,
            output,
            max_bytes,
            paths,
        } => raci(&paths, format, output.as_deref(), max_bytes, stdout, stderr),
        ExportCommand::Coverage {
            format,
            max_bytes,
            paths,
        } => coverage_report(&paths, format, max_bytes, stdout, stderr),
    }
}

/// The flows read, and whether any file could not be (each one named on `stderr`).
pub(crate) fn load(
    paths: &[PathBuf],
    max_bytes: usize,
    stderr: &mut dyn Write,
) -> io::Result<(Vec<(PathBuf, Document)>, bool)> {
    let limits = ReadLimits {
        max_bytes,
        ..ReadLimits::default()
    };
    let mut flows = Vec::new();
    let mut trouble = false;
    for found in medflow_platform::expand_flows(paths) {
        match crate::read_found(found, &limits, stderr)? {
            Some((path, _, outcome)) => flows.push((path, outcome.document)),
            None => trouble = true,
        }
    }
    Ok((flows, trouble))
}

/// The cells of one matrix row, in [`RACI_COLUMNS`] order.
fn cells(row: &MatrixRow) -> Vec<String> {
    let control = &row.control;
    let mut cells = vec![
        control.id.clone(),
        control.name.clone(),
        control
            .kind
            .map(|kind| kind.as_str().to_owned())
            .unwrap_or_default(),
        control
            .source
            .as_ref()
            .map(|source| source.id().to_owned())
            .unwrap_or_default(),
        control
            .fda_category
            .map(|category| category.as_str().to_owned())
            .unwrap_or_default(),
    ];
    cells.extend(Party::ALL.into_iter().map(|party| {
        control
            .raci
            .get(&party)
            .map(ToString::to_string)
            .unwrap_or_default()
    }));
    cells.push(
        row.actions
            .iter()
            .map(|(_, name)| name.as_str())
            .collect::<Vec<_>>()
            .join("; "),
    );
    cells
}

/// The matrix rows of all the flows ([`raci_matrix`]: one per control id, the first
/// definition read wins), sorted by control name then id.
fn raci_rows(flows: &[(PathBuf, Document)]) -> Vec<MatrixRow> {
    let paths: Vec<String> = flows
        .iter()
        .map(|(path, _)| path.display().to_string())
        .collect();
    let named: Vec<(&str, &Document)> = paths
        .iter()
        .zip(flows)
        .map(|(name, (_, document))| (name.as_str(), document))
        .collect();
    raci_matrix(&named, &MatrixFilter::default(), MatrixSort::Name, false)
}

fn raci(
    paths: &[PathBuf],
    format: TableFormat,
    output: Option<&Path>,
    max_bytes: usize,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> io::Result<Status> {
    let (flows, trouble) = load(paths, max_bytes, stderr)?;
    let rows = raci_rows(&flows);
    let text = match format {
        TableFormat::Csv => raci_csv(&rows),
        TableFormat::Markdown => raci_markdown(&rows),
    };
    let Some(target) = output else {
        stdout.write_all(text.as_bytes())?;
        return Ok(if trouble { Status::Trouble } else { Status::Ok });
    };
    if trouble {
        writeln!(
            stderr,
            "{}: not written, because an input file could not be read",
            crate::shown(target)
        )?;
        return Ok(Status::Trouble);
    }
    if let Err(error) = write_atomically(target, text.as_bytes()) {
        writeln!(stderr, "{}: cannot write: {error}", crate::shown(target))?;
        return Ok(Status::Trouble);
    }
    Ok(Status::Ok)
}

/// The matrix as CSV: a header line, then one line per row, each ending in `\n`.
fn raci_csv(rows: &[MatrixRow]) -> String {
    let mut text = RACI_COLUMNS.join(",");
    text.push('\n');
    for row in rows {
        let fields: Vec<String> = cells(row).iter().map(|cell| csv_field(cell)).collect();
        text.push_str(&fields.join(","));
        text.push('\n');
    }
    text
}

/// A CSV field, quoted (with quotes doubled) when it holds a comma, a quote or a line break,
/// or starts or ends with a space.
fn csv_field(cell: &str) -> String {
    let needs_quotes =
        cell.contains([',', '"', '\n', '\r']) || cell.starts_with(' ') || cell.ends_with(' ');
    if needs_quotes {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_owned()
    }
}

/// The matrix as a Markdown heading and pipe table.
fn raci_markdown(rows: &[MatrixRow]) -> String {
    let mut text = String::from("# RACI matrix\n\n");
    let _ = writeln!(text, "| {} |", RACI_LABELS.join(" | "));
    let _ = writeln!(text, "|{}", "---|".repeat(RACI_LABELS.len()));
    for row in rows {
        let escaped: Vec<String> = cells(row).iter().map(|cell| markdown_cell(cell)).collect();
        let _ = writeln!(text, "| {} |", escaped.join(" | "));
    }
    text
}

/// A Markdown table cell: `|` and `\` escaped, line breaks turned into spaces.
fn markdown_cell(cell: &str) -> String {
    let mut escaped = String::with_capacity(cell.len());
    for character in cell.chars() {
        match character {
            '\\' => escaped.push_str("\\\\"),
            '|' => escaped.push_str("\\|"),
            '\r' | '\n' => escaped.push(' '),
            other => escaped.push(other),
        }
    }
    escaped
}

/// One flow's coverage, ready to print.
struct FlowCoverage<'a> {
    path: &'a Path,
    flow: Option<&'a str>,
    actions: Vec<ActionReport>,
}

/// One action and the controls addressing it, by name.
struct ActionReport {
    id: String,
    name: String,
    technique_id: Option<String>,
    /// Prevention, detection and response controls, as `(id, name)`.
    controls: [Vec<(String, String)>; 3],
}

impl FlowCoverage<'_> {
    fn without(&self, slot: usize) -> usize {
        self.actions
            .iter()
            .filter(|action| action.controls[slot].is_empty())
            .count()
    }
}

fn flow_coverage<'a>(path: &'a Path, document: &'a Document) -> FlowCoverage<'a> {
    let control_names: HashMap<String, String> = controls(document)
        .into_iter()
        .map(|control| (control.id, control.name))
        .collect();
    let named = |ids: Vec<String>| -> Vec<(String, String)> {
        ids.into_iter()
            .map(|id| {
                let name = control_names
                    .get(&id)
                    .filter(|name| !name.is_empty())
                    .cloned()
                    .unwrap_or_else(|| id.clone());
                (id, name)
            })
            .collect()
    };
    let actions = coverage(document)
        .into_iter()
        .map(|action| ActionReport {
            name: if action.name.trim().is_empty() {
                action.id.clone()
            } else {
                action.name
            },
            id: action.id,
            technique_id: action.technique_id,
            controls: [
                named(action.prevention),
                named(action.detection),
                named(action.response),
            ],
        })
        .collect();
    FlowCoverage {
        path,
        flow: document.flow().and_then(|flow| flow.name.as_deref()),
        actions,
    }
}

/// The three kinds of coverage, as the report names them.
const COVERAGE_KINDS: [&str; 3] = ["prevention", "detection", "response"];

fn coverage_report(
    paths: &[PathBuf],
    format: Format,
    max_bytes: usize,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> io::Result<Status> {
    let (flows, trouble) = load(paths, max_bytes, stderr)?;
    let reports: Vec<FlowCoverage<'_>> = flows
        .iter()
        .map(|(path, document)| flow_coverage(path, document))
        .collect();
    match format {
        Format::Text => {
            for report in &reports {
                print_coverage_text(report, stdout)?;
            }
        }
        Format::Json => {
            let files: Vec<Value> = reports.iter().map(coverage_json).collect();
            serde_json::to_writer_pretty(&mut *stdout, &json!({ "files": files }))?;
            writeln!(stdout)?;
        }
    }
    Ok(if trouble { Status::Trouble } else { Status::Ok })
}

fn print_coverage_text(report: &FlowCoverage<'_>, out: &mut dyn Write) -> io::Result<()> {
    let path = crate::shown(report.path);
    writeln!(out, "{path}: {}", report.flow.unwrap_or("(unnamed flow)"))?;
    for action in &report.actions {
        match &action.technique_id {
            Some(technique) => writeln!(out, "  {} ({technique})", action.name)?,
            None => writeln!(out, "  {}", action.name)?,
        }
        for (kind, controls) in COVERAGE_KINDS.iter().zip(&action.controls) {
            let names: Vec<&str> = controls.iter().map(|(_, name)| name.as_str()).collect();
            let listed = if names.is_empty() {
                "none".to_owned()
            } else {
                names.join("; ")
            };
            writeln!(out, "    {kind}: {listed}")?;
        }
    }
    let count = report.actions.len();
    writeln!(
        out,
        "{path}: {count} action{}, {} without prevention, {} without detection",
        if count == 1 { "" } else { "s" },
        report.without(0),
        report.without(1)
    )
}

fn coverage_json(report: &FlowCoverage<'_>) -> Value {
    let controls_json = |controls: &[(String, String)]| -> Value {
        controls
            .iter()
            .map(|(id, name)| json!({ "id": id, "name": name }))
            .collect()
    };
    let actions: Vec<Value> = report
        .actions
        .iter()
        .map(|action| {
            json!({
                "id": action.id,
                "name": action.name,
                "technique_id": action.technique_id,
                "prevention": controls_json(&action.controls[0]),
                "detection": controls_json(&action.controls[1]),
                "response": controls_json(&action.controls[2]),
            })
        })
        .collect();
    json!({
        "path": report.path.display().to_string(),
        "flow": report.flow,
        "actions": actions,
        "without_prevention": report.without(0),
        "without_detection": report.without(1),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;
    use medflow_core::control::{Control, ControlKind, ControlSource, Raci, Roles};

    fn row(name: &str) -> MatrixRow {
        let mut raci = Raci::new();
        raci.insert(Party::Hdo, Roles::parse("RA").unwrap());
        raci.insert(Party::Patient, Roles::parse("I").unwrap());
        MatrixRow {
            control: Control {
                id: "course-of-action--1".to_owned(),
                name: name.to_owned(),
                kind: Some(ControlKind::Prevent),
                fda_category: None,
                source: Some(ControlSource::Mitigation("M1032".to_owned())),
                raci,
                addresses: Vec::new(),
            },
            flows: vec![0],
            copies_differ: false,
            actions: vec![
                ("attack-action--1".to_owned(), "Phish".to_owned()),
                ("attack-action--2".to_owned(), "Log in".to_owned()),
            ],
        }
    }

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field(""), "");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_field(" padded"), "\" padded\"");
    }

    #[test]
    fn a_csv_row_has_one_cell_per_column_with_letters_in_role_order() {
        let csv = raci_csv(&[row("MFA, vendor \"remote\" access")]);
        let mut lines = csv.lines();
        assert_eq!(
            lines.next().unwrap(),
            "control_id,control_name,kind,source,fda_category,CSP,MDM,HDO,EHR,Patient,actions"
        );
        assert_eq!(
            lines.next().unwrap(),
            "course-of-action--1,\"MFA, vendor \"\"remote\"\" access\",prevent,M1032,,,,AR,,I,Phish; Log in"
        );
        assert_eq!(lines.next(), None);
    }

    #[test]
    fn markdown_cells_escape_pipes() {
        assert_eq!(markdown_cell("a|b"), "a\\|b");
        assert_eq!(markdown_cell("a\\b\nc"), "a\\\\b c");
        let table = raci_markdown(&[row("A | B")]);
        assert!(table.starts_with("# RACI matrix\n\n| Control ID | Control |"));
        assert!(table.contains(
            "| course-of-action--1 | A \\| B | prevent | M1032 |  |  |  | AR |  | I | Phish; Log in |\n"
        ));
    }
}
