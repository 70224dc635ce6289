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

/// What a path that is not a regular file is, in words ("a named pipe", …).
fn not_regular(file_type: fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
    }
    if file_type.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

/// Reads a whole file, refusing (before reading) one larger than `max_bytes`. Only regular
/// files (or links to them) are opened: a named pipe would block the read until something
/// writes to it, a device may never end.
pub fn read_limited(path: &Path, max_bytes: usize) -> Result<Vec<u8>, ReadProblem> {
    let file_type = fs::metadata(path).map_err(ReadProblem::Io)?.file_type();
    if !file_type.is_file() {
        let what = not_regular(file_type);
        return Err(ReadProblem::Io(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{what}, not a regular file; it is not read"),
        )));
    }
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
/// synced and renamed over the target, then the folder is synced. A crash leaves either the
/// old or the new file, never a mix.
///
/// The target keeps its permissions; a new file gets the user's default (read and write for
/// all, less the umask: typically 0644). A symbolic link is written through (the file it
/// points to is replaced, the link stays), and anything that is not a regular file (a folder,
/// a device, a pipe) is refused.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let target = save_target(path)?;
    let mode = fs::metadata(&target)
        .ok()
        .map(|metadata| metadata.permissions());
    write_with_permissions(&target, bytes, mode)
}

/// Where saving `path` writes: the path itself, or for a symbolic link the file it points to
/// (which may not exist yet). Refuses what is not a regular file.
fn save_target(path: &Path) -> io::Result<PathBuf> {
    let target = match fs::symlink_metadata(path) {
        Ok(metadata) if metadata.file_type().is_symlink() => {
            if let Ok(resolved) = fs::canonicalize(path) {
                resolved
            } else {
                // A dangling link: create the file it names, relative to the link's folder.
                let link = fs::read_link(path)?;
                path.parent()
                    .map_or(link.clone(), |parent| parent.join(link))
            }
        }
        Ok(_) => path.to_path_buf(),
        Err(error) if error.kind() == io::ErrorKind::NotFound => path.to_path_buf(),
        Err(error) => return Err(error),
    };
    match fs::metadata(&target) {
        Ok(metadata) if !metadata.is_file() => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} is not a regular file", target.display()),
        )),
        _ => Ok(target),
    }
}

/// Writes `bytes` to `path` through a temporary file renamed over it. `permissions`: what the
/// file gets; `None` for the user's default of a new file.
fn write_with_permissions(
    path: &Path,
    bytes: &[u8],
    permissions: Option<fs::Permissions>,
) -> io::Result<()> {
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".medflow-").suffix(".tmp");
    // Created with the target's mode, or 0666, less the umask (the temporary file's own
    // default, 0600, would make every new file private); a private file is never readable by
    // others, even for a moment.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(
            permissions
                .clone()
                .unwrap_or_else(|| fs::Permissions::from_mode(0o666)),
        );
    }
    let mut temporary = builder.tempfile_in(&folder)?;
    temporary.write_all(bytes)?;
    temporary.as_file().sync_all()?;
    if let Some(permissions) = permissions {
        fs::set_permissions(temporary.path(), permissions)?;
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
/// [`backup_path`], with the file's permissions. Nothing is written when the previous content
/// cannot be kept. A symbolic link is saved through, and its target is backed up beside it.
pub fn save_with_backup(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let target = save_target(path)?;
    match fs::read(&target) {
        Ok(previous) => {
            if previous == bytes {
                return Ok(());
            }
            let permissions = fs::metadata(&target)?.permissions();
            let backup = save_target(&backup_path(&target))?;
            write_with_permissions(&backup, &previous, Some(permissions.clone()))?;
            write_with_permissions(&target, bytes, Some(permissions))
        }
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            write_with_permissions(&target, bytes, None)
        }
        Err(error) => Err(error),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_are_read() {
        let folder = tempfile::tempdir().unwrap();
        let refused = |path: &Path| match read_limited(path, 1024) {
            Err(ReadProblem::Io(error)) => error.to_string(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            refused(folder.path()),
            "a folder, not a regular file; it is not read"
        );
        #[cfg(unix)]
        {
            // The variant that exposed it: a named pipe called *.json hung validate and fmt.
            let fifo = folder.path().join("pipe.json");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status();
            assert!(made.is_ok_and(|status| status.success()), "mkfifo");
            assert_eq!(
                refused(&fifo),
                "a named pipe, not a regular file; it is not read"
            );
            let link = folder.path().join("link.json");
            let file = folder.path().join("file.json");
            fs::write(&file, b"{}").unwrap();
            std::os::unix::fs::symlink(&file, &link).unwrap();
            assert_eq!(read_limited(&link, 1024).unwrap(), b"{}");
        }
    }

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

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[cfg(unix)]
    #[test]
    fn new_files_get_the_umask_default_and_saves_keep_the_mode() {
        use std::os::unix::fs::PermissionsExt;
        let folder = tempfile::tempdir().unwrap();
        // What this process's umask makes of 0666, read off a file made the usual way.
        let probe = folder.path().join("probe");
        fs::File::create(&probe).unwrap();
        let default = mode(&probe);
        let path = folder.path().join("flow.json");
        save_with_backup(&path, b"first").unwrap();
        assert_eq!(mode(&path), default, "a new file gets the user's default");
        assert_ne!(mode(&path), 0o600, "not the temporary file's private mode");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o664)).unwrap();
        save_with_backup(&path, b"second").unwrap();
        assert_eq!(mode(&path), 0o664, "a saved file keeps its mode");
        assert_eq!(
            mode(&backup_path(&path)),
            0o664,
            "the backup has the file's mode"
        );
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        save_with_backup(&path, b"third").unwrap();
        assert_eq!(mode(&path), 0o640);
        assert_eq!(
            mode(&backup_path(&path)),
            0o640,
            "an older backup takes the new mode"
        );
    }

    #[cfg(unix)]
    #[test]
    fn links_are_saved_through_and_devices_refused() {
        let folder = tempfile::tempdir().unwrap();
        let real = folder.path().join("real.json");
        fs::write(&real, b"old").unwrap();
        let link = folder.path().join("link.json");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        save_with_backup(&link, b"new").unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink(),
            "the link stays a link"
        );
        assert_eq!(fs::read(&real).unwrap(), b"new", "its target was written");
        assert_eq!(fs::read(backup_path(&real)).unwrap(), b"old");
        let error = save_with_backup(Path::new("/dev/null"), b"x").unwrap_err();
        assert!(error.to_string().contains("not a regular file"), "{error}");
        let error = write_atomically(folder.path(), b"x").unwrap_err();
        assert!(error.to_string().contains("not a regular file"), "{error}");
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
