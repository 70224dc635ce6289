//! Files on disk: expanding arguments into files, reading with a size limit, and atomic writes.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// One argument expanded: the files found, or the I/O problem that stopped the search.
#[derive(Debug)]
pub enum Found {
    /// A file to process.
    File(PathBuf),
    /// A path that could not be searched.
    Problem(PathBuf, io::Error),
}

/// Expands files and folders (recursively, `*.json` only, sorted) in argument order.
#[must_use]
pub fn expand(paths: &[PathBuf]) -> Vec<Found> {
    let mut found = Vec::new();
    for path in paths {
        match fs::metadata(path) {
            Err(error) => found.push(Found::Problem(path.clone(), error)),
            Ok(metadata) if metadata.is_dir() => walk(path, &mut found),
            Ok(_) => found.push(Found::File(path.clone())),
        }
    }
    found
}

fn walk(folder: &Path, found: &mut Vec<Found>) {
    let entries = match fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(error) => {
            found.push(Found::Problem(folder.to_path_buf(), error));
            return;
        }
    };
    let mut children: Vec<PathBuf> = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) => children.push(entry.path()),
            Err(error) => found.push(Found::Problem(folder.to_path_buf(), error)),
        }
    }
    children.sort();
    for child in children {
        // Symbolic links to folders are not followed, so a link loop cannot hang the walk.
        let is_real_dir = fs::symlink_metadata(&child).is_ok_and(|metadata| metadata.is_dir());
        if is_real_dir {
            walk(&child, found);
        } else if child
            .extension()
            .is_some_and(|extension| extension == "json")
        {
            found.push(Found::File(child));
        }
    }
}

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadProblem {
    /// The file is larger than the limit.
    TooLarge {
        /// Its size.
        size_bytes: u64,
        /// The limit.
        limit_bytes: u64,
    },
    /// The operating system refused.
    Io(io::Error),
}

/// Reads a whole file, refusing (before reading) one larger than `max_bytes`.
pub fn read_limited(path: &Path, max_bytes: usize) -> Result<Vec<u8>, ReadProblem> {
    let file = fs::File::open(path).map_err(ReadProblem::Io)?;
    let size_bytes = file.metadata().map_err(ReadProblem::Io)?.len();
    let limit = max_bytes as u64;
    if size_bytes > limit {
        return Err(ReadProblem::TooLarge {
            size_bytes,
            limit_bytes: limit,
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size_bytes).unwrap_or(0));
    // The file may grow while it is read: take at most one byte over the limit to notice.
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadProblem::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadProblem::TooLarge {
            size_bytes: bytes.len() as u64,
            limit_bytes: limit,
        });
    }
    Ok(bytes)
}

/// Replaces `path` with `bytes` atomically: a temporary file in the same folder is written,
/// synced and renamed over the target, then the folder is synced. The target keeps its
/// permissions. A crash leaves either the old or the new file, never a mix.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut temporary = tempfile::Builder::new()
        .prefix(".medflow-")
        .suffix(".tmp")
        .tempfile_in(&folder)?;
    temporary.write_all(bytes)?;
    temporary.as_file().sync_all()?;
    if let Ok(metadata) = fs::metadata(path) {
        fs::set_permissions(temporary.path(), metadata.permissions())?;
    }
    temporary.persist(path).map_err(|error| error.error)?;
    // Make the rename itself durable. Some platforms cannot open folders; that is not an error.
    if let Ok(directory) = fs::File::open(&folder) {
        let _ = directory.sync_all();
    }
    Ok(())
}

impl std::fmt::Display for ReadProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::TooLarge {
                size_bytes,
                limit_bytes,
            } => write!(
                f,
                "the file is {size_bytes} bytes, over the limit of {limit_bytes} bytes"
            ),
            Self::Io(error) => error.fmt(f),
        }
    }
}

/// The backup kept beside a saved file: `NAME.json.bak`.
#[must_use]
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".bak");
    PathBuf::from(name)
}

/// Saves `bytes` to `path` atomically, first keeping the file's previous content (if any) as
/// [`backup_path`]. Nothing is written when the previous content cannot be kept.
pub fn save_with_backup(path: &Path, bytes: &[u8]) -> io::Result<()> {
    match fs::read(path) {
        Ok(previous) => {
            if previous == bytes {
                return Ok(());
            }
            write_atomically(&backup_path(path), &previous)?;
        }
        Err(error) if error.kind() == io::ErrorKind::NotFound => {}
        Err(error) => return Err(error),
    }
    write_atomically(path, bytes)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    #[test]
    fn saving_keeps_the_previous_version_as_a_backup() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("flow.json");
        save_with_backup(&path, b"first").unwrap();
        assert!(!backup_path(&path).exists(), "nothing to back up yet");
        save_with_backup(&path, b"second").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second");
        assert_eq!(
            fs::read(folder.path().join("flow.json.bak")).unwrap(),
            b"first"
        );
        save_with_backup(&path, b"second").unwrap();
        assert_eq!(
            fs::read(folder.path().join("flow.json.bak")).unwrap(),
            b"first",
            "an unchanged save keeps the older backup"
        );
    }

    #[test]
    fn atomic_write_replaces_content_and_keeps_permissions() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("flow.json");
        fs::write(&path, b"old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        }
        write_atomically(&path, b"new").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"new");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o640);
        }
        let leftovers: Vec<_> = fs::read_dir(folder.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
    }

    #[test]
    fn reading_refuses_files_over_the_limit() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("big.json");
        fs::write(&path, vec![b' '; 100]).unwrap();
        assert!(matches!(
            read_limited(&path, 99),
            Err(ReadProblem::TooLarge {
                size_bytes: 100,
                limit_bytes: 99
            })
        ));
        assert_eq!(
            read_limited(&path, 100).ok().map(|bytes| bytes.len()),
            Some(100)
        );
    }

    #[test]
    fn folders_expand_to_sorted_json_files() {
        let folder = tempfile::tempdir().unwrap();
        fs::create_dir(folder.path().join("sub")).unwrap();
        for name in ["b.json", "a.json", "notes.txt", "sub/c.json"] {
            fs::write(folder.path().join(name), b"{}").unwrap();
        }
        let names: Vec<String> = expand(&[folder.path().to_path_buf()])
            .into_iter()
            .filter_map(|found| match found {
                Found::File(path) => path
                    .strip_prefix(folder.path())
                    .ok()
                    .map(|relative| relative.display().to_string()),
                Found::Problem(..) => None,
            })
            .collect();
        assert_eq!(names, ["a.json", "b.json", "sub/c.json"]);
    }
}
