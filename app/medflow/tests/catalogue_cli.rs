//! `medflow catalogue` with the real binary: the shipped library's README is what the
//! command writes; `--check` tells an up-to-date README from a stale one; a library with a
//! file that cannot be read, or a path that is not a folder, gives status 2 and writes
//! nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

mod common;

use std::path::{Path, PathBuf};

use common::{medflow_with_data, text};

fn library() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../flows")
}

fn medflow(args: &[&str], folder: &Path) -> std::process::Output {
    medflow_with_data(args, folder, &folder.join("data"))
}

/// A copy of the shipped library in `folder/flows`.
fn copy_library(folder: &Path) -> PathBuf {
    let copy = folder.join("flows");
    for entry in walk(&library()) {
        let relative = entry.strip_prefix(library()).unwrap();
        let target = copy.join(relative);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&entry, &target).unwrap();
    }
    copy
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else {
            found.push(path);
        }
    }
    found
}

#[test]
fn the_shipped_readme_is_what_the_command_writes_and_check_tells_stale_from_current() {
    let folder = tempfile::tempdir().unwrap();
    let copy = copy_library(folder.path());
    let copy_text = copy.to_string_lossy().into_owned();

    let printed = medflow(&["catalogue", &copy_text], folder.path());
    assert_eq!(printed.status.code(), Some(0), "{}", text(&printed.stderr));
    assert_eq!(
        printed.stdout,
        std::fs::read(library().join("README.md")).unwrap(),
        "standard output is the shipped README"
    );

    let checked = medflow(&["catalogue", "--check", &copy_text], folder.path());
    assert_eq!(checked.status.code(), Some(0), "{}", text(&checked.stdout));
    assert!(text(&checked.stdout).contains("up to date"));

    // A flow renamed in its file: the README no longer says what the files hold.
    let flow = copy.join("wannacry-worm-operating-theatres.json");
    let renamed = std::fs::read_to_string(&flow)
        .unwrap()
        .replace("WannaCry-style worm", "Self-spreading worm");
    std::fs::write(&flow, renamed).unwrap();
    let stale = medflow(&["catalogue", "--check", &copy_text], folder.path());
    assert_eq!(stale.status.code(), Some(1), "{}", text(&stale.stdout));
    assert!(text(&stale.stdout).contains("out of date"));

    let readme = copy.join("README.md");
    let readme_text = readme.to_string_lossy().into_owned();
    let written = medflow(
        &["catalogue", &copy_text, "-o", &readme_text],
        folder.path(),
    );
    assert_eq!(written.status.code(), Some(0), "{}", text(&written.stderr));
    assert!(
        text(&written.stdout).contains("22 flows"),
        "{}",
        text(&written.stdout)
    );
    assert!(
        std::fs::read_to_string(&readme)
            .unwrap()
            .contains("[Self-spreading worm locks theatre and imaging workstations]")
    );
    let checked = medflow(&["catalogue", "--check", &copy_text], folder.path());
    assert_eq!(checked.status.code(), Some(0));
}

#[test]
fn a_file_that_cannot_be_read_or_a_path_that_is_no_folder_gives_status_2() {
    let folder = tempfile::tempdir().unwrap();
    let copy = copy_library(folder.path());
    let copy_text = copy.to_string_lossy().into_owned();
    std::fs::write(copy.join("broken.json"), "{\"type\": \"bundle\",").unwrap();
    let readme = folder.path().join("README.md");
    let output = medflow(
        &["catalogue", &copy_text, "-o", &readme.to_string_lossy()],
        folder.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("broken.json"),
        "{}",
        text(&output.stderr)
    );
    assert!(!readme.exists(), "nothing written on partial input");

    let file = copy.join("controls.json");
    let output = medflow(&["catalogue", &file.to_string_lossy()], folder.path());
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("not a folder"));
}
