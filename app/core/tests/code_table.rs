//! The diagnostic code table in `src/validate/README.md` lists exactly the codes of
//! [`Code::ALL`], in order, each with its severity.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests")]

use medflow_core::Code;

#[test]
fn readme_table_matches_the_codes() {
    let readme = include_str!("../src/validate/README.md");
    let rows: Vec<(String, String)> = readme
        .lines()
        .filter(|line| line.starts_with("| `"))
        .map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            (cells[1].trim_matches('`').to_owned(), cells[2].to_owned())
        })
        .collect();
    let expected: Vec<(String, String)> = Code::ALL
        .iter()
        .map(|code| {
            (
                code.as_str().to_owned(),
                code.severity().as_str().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        rows, expected,
        "src/validate/README.md is out of step with Code::ALL"
    );
}
