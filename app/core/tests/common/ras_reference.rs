//! RAS-REFERENCE.md, the design document the reference architecture follows, read when it
//! lies beside the repository: its component table and its lists ("Trust boundaries: …;
//! …", "Main data flows: …; …").

use std::path::{Path, PathBuf};

/// The document's text, when it can be read beside the repository.
pub fn text() -> Option<String> {
    let candidates = [
        PathBuf::from("/work/shared/design/RAS-REFERENCE.md"),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/design/RAS-REFERENCE.md"),
    ];
    candidates
        .iter()
        .find_map(|path| std::fs::read_to_string(path).ok())
}

/// The component ids of the table (its second column), in order.
pub fn component_ids(text: &str) -> Vec<String> {
    text.lines()
        .filter(|line| line.trim_start().starts_with('|'))
        .filter_map(|line| {
            let cell = line.split('|').nth(2)?.trim();
            let id = cell.strip_prefix('`')?.strip_suffix('`')?;
            (!id.is_empty() && !id.contains('`')).then(|| id.to_owned())
        })
        .collect()
}

/// The items of the paragraph that starts with `label` (such as `Trust boundaries:`): its
/// text up to the next blank line, without the label and the final full stop, split at
/// semicolons, each with its spaces and line breaks made single spaces.
pub fn list(text: &str, label: &str) -> Option<Vec<String>> {
    let start = text.find(label)? + label.len();
    let rest = &text[start..];
    let paragraph = rest.split("\n\n").next()?;
    let joined = paragraph.split_whitespace().collect::<Vec<_>>().join(" ");
    Some(
        joined
            .trim_end_matches('.')
            .split(';')
            .map(|item| item.trim().to_owned())
            .filter(|item| !item.is_empty())
            .collect(),
    )
}
