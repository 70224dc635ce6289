//! The real `medflow` binary on input that used to change data silently or hang: a key given
//! twice, what is not a bundle given to `fmt`, UTF-16 text and a byte-order mark, a named
//! pipe among the files, `fmt -o -` and `fmt DIR -o OUT`, usage errors in a pipe, and numbers
//! and a leap second that were rewritten. Each
//! test starts from the variant that exposed the problem.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use std::path::Path;
use std::process::Output;

use common::{fixture, medflow_with_data, text};

fn medflow(args: &[&str], folder: &Path) -> Output {
    medflow_with_data(args, folder, &folder.join(".medflow-data"))
}

/// A temporary folder holding the valid fixture as `flow.json`, and its text.
fn folder_with_valid_flow() -> (tempfile::TempDir, String) {
    let folder = tempfile::tempdir().unwrap();
    let flow = std::fs::read_to_string(fixture("valid-flow.json")).unwrap();
    std::fs::write(folder.path().join("flow.json"), &flow).unwrap();
    (folder, flow)
}

#[test]
fn a_key_given_twice_is_an_error_and_fmt_writes_nothing() {
    let (folder, flow) = folder_with_valid_flow();
    // `"objects": […], "objects": []` made fmt write an empty bundle and exit 0.
    let at = flow.rfind('}').unwrap();
    let doubled = format!("{},\n  \"objects\": []\n}}\n", flow[..at].trim_end());
    std::fs::write(folder.path().join("doubled.json"), &doubled).unwrap();

    let checked = medflow(&["validate", "doubled.json"], folder.path());
    assert_eq!(checked.status.code(), Some(1));
    let report = text(&checked.stdout);
    assert!(
        report.contains("doubled.json: error [read-duplicate-key]: line ")
            && report.contains("the key \"objects\" appears twice in one object"),
        "{report}"
    );

    let formatted = medflow(&["fmt", "doubled.json"], folder.path());
    assert_eq!(formatted.status.code(), Some(2));
    assert!(text(&formatted.stderr).contains("appears twice"));
    assert_eq!(
        std::fs::read_to_string(folder.path().join("doubled.json")).unwrap(),
        doubled
    );
}

#[test]
fn fmt_refuses_what_is_not_a_bundle() {
    let folder = tempfile::tempdir().unwrap();
    // `{}` was written as {"type": "bundle", "id": ""} with exit 0.
    for (name, content) in [
        ("empty.json", "{}\n"),
        ("other.json", "{\"type\": \"foo\", \"objects\": []}\n"),
    ] {
        std::fs::write(folder.path().join(name), content).unwrap();
        let output = medflow(&["fmt", name], folder.path());
        assert_eq!(output.status.code(), Some(2), "{name}");
        let message = text(&output.stderr);
        assert!(
            message.contains(&format!("{name}: not formatted: Not an Attack Flow file")),
            "{message}"
        );
        assert_eq!(
            std::fs::read_to_string(folder.path().join(name)).unwrap(),
            content
        );
        let to_file = medflow(&["fmt", name, "-o", "out.json"], folder.path());
        assert_eq!(to_file.status.code(), Some(2));
        assert!(!folder.path().join("out.json").exists());
    }
}

#[test]
fn utf_16_text_is_named_and_a_byte_order_mark_is_a_warning() {
    let (folder, flow) = folder_with_valid_flow();
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(flow.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    std::fs::write(folder.path().join("utf16.json"), utf16).unwrap();
    let output = medflow(&["validate", "utf16.json"], folder.path());
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stdout).contains(
            "utf16.json: error [read-encoding]: the file is UTF-16; Attack Flow files are UTF-8"
        ),
        "{}",
        text(&output.stdout)
    );

    let marked = [b"\xEF\xBB\xBF".as_slice(), flow.as_bytes()].concat();
    std::fs::write(folder.path().join("marked.json"), &marked).unwrap();
    let output = medflow(&["validate", "marked.json"], folder.path());
    assert!(
        text(&output.stdout).contains("warning [read-byte-order-mark]"),
        "{}",
        text(&output.stdout)
    );
    // fmt writes the file without the mark.
    let formatted = medflow(&["fmt", "marked.json"], folder.path());
    assert_eq!(
        formatted.status.code(),
        Some(0),
        "{}",
        text(&formatted.stderr)
    );
    let written = std::fs::read(folder.path().join("marked.json")).unwrap();
    assert!(written.starts_with(b"{"));
}

#[cfg(unix)]
#[test]
fn a_named_pipe_is_never_opened_and_is_named() {
    let (folder, _) = folder_with_valid_flow();
    // A FIFO called *.json, given or inside a folder, hung validate and fmt for ever.
    let made = std::process::Command::new("mkfifo")
        .arg(folder.path().join("pipe.json"))
        .status();
    assert!(made.is_ok_and(|status| status.success()), "mkfifo");
    for args in [
        &["validate", "."][..],
        &["validate", "pipe.json"][..],
        &["fmt", "--check", "."][..],
    ] {
        let output = medflow(args, folder.path());
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let said = format!("{}{}", text(&output.stdout), text(&output.stderr));
        assert!(
            said.contains("pipe.json") && said.contains("a named pipe, not a regular file"),
            "{args:?}: {said}"
        );
    }
}

#[test]
fn fmt_writes_to_standard_output_with_a_dash_and_explains_one_file_for_o() {
    let (folder, _) = folder_with_valid_flow();
    // `-o -` wrote a file called "-".
    let output = medflow(&["fmt", "flow.json", "-o", "-"], folder.path());
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(!folder.path().join("-").exists(), "no file named -");
    let in_place = medflow(&["fmt", "flow.json"], folder.path());
    assert_eq!(in_place.status.code(), Some(0));
    let canonical = std::fs::read(folder.path().join("flow.json")).unwrap();
    assert_eq!(output.stdout, canonical);

    std::fs::create_dir(folder.path().join("many")).unwrap();
    std::fs::copy(
        fixture("valid-flow.json"),
        folder.path().join("many/a.json"),
    )
    .unwrap();
    let refused = medflow(&["fmt", "many", "-o", "out.json"], folder.path());
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        text(&refused.stderr).contains(
            "-o/--output writes the canonical form of one FILE, but many is a folder (1 \
             file(s)); format a folder in place, without -o"
        ),
        "{}",
        text(&refused.stderr)
    );
    assert!(!folder.path().join("out.json").exists());
}

#[test]
fn usage_errors_in_a_pipe_carry_no_colour() {
    let folder = tempfile::tempdir().unwrap();
    let output = medflow(&["validate", "--no-such-option"], folder.path());
    assert_eq!(output.status.code(), Some(2));
    let message = text(&output.stderr);
    assert!(message.contains("--no-such-option"), "{message}");
    assert!(!message.contains('\u{1b}'), "ANSI escapes in {message:?}");
}

#[cfg(unix)]
#[test]
fn a_line_break_in_a_file_name_keeps_one_problem_per_line() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("two\nlines.json"), "{}").unwrap();
    let output = medflow(&["validate", "."], folder.path());
    assert_eq!(output.status.code(), Some(1));
    let report = text(&output.stdout);
    let lines: Vec<&str> = report.lines().collect();
    // Every problem line names the file, escaped; the last line is the summary.
    assert!(lines.len() >= 2, "{report}");
    for line in &lines[..lines.len() - 1] {
        assert!(line.starts_with("./two\\nlines.json: error ["), "{report}");
    }
    assert!(
        lines[lines.len() - 1].starts_with("1 file checked: "),
        "{report}"
    );
    // JSON output keeps the name as it is.
    let json = medflow(&["validate", "--format", "json", "."], folder.path());
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["files"][0]["path"], "./two\nlines.json");
}

#[test]
fn numbers_and_a_leap_second_are_written_as_they_were() {
    let (folder, flow) = folder_with_valid_flow();
    // 18446744073709551617 became 18446744073709552000.0, -0 became -0.0, and
    // 23:59:60.000Z became the next day's midnight.
    let numbers = "\"x_example_numbers\": [18446744073709551617, \
                   123456789012345678901234567890, -0, 7, 0.1],";
    let changed = flow
        .replacen(
            "\"created\": \"2024-03-05T09:15:00.000Z\",",
            &format!("{numbers} \"created\": \"2024-03-05T09:15:00.000Z\","),
            1,
        )
        .replacen("2024-03-05T09:15:00.000Z", "2016-12-31T23:59:60.000Z", 2);
    assert_ne!(changed, flow);
    std::fs::write(folder.path().join("flow.json"), &changed).unwrap();
    let output = medflow(&["fmt", "flow.json", "-o", "-"], folder.path());
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let written = text(&output.stdout);
    for kept in [
        "18446744073709551617,",
        "123456789012345678901234567890,",
        "-0,",
        "7,",
        "0.1\n",
        "\"2016-12-31T23:59:60.000Z\"",
    ] {
        assert!(written.contains(kept), "{kept} in {written}");
    }
    assert!(!written.contains("2017-01-01T00:00:00.000Z"), "{written}");
}
