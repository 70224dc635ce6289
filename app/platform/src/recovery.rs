//! Crash recovery: the editor's unsaved work, kept in the data directory while it runs.
//!
//! Each running editor owns a *session* folder under `recovery/` and holds an exclusive lock
//! on its `lock` file for as long as it runs. It writes each tab's unsaved document there
//! ([`RecoverySession::keep`], atomically) and removes it when the tab is saved or closed; a
//! clean exit removes the whole folder ([`RecoverySession::finish`]). After a crash (or a
//! `kill -9`), the operating system releases the lock: the next editor finds the folder
//! unlocked and offers its files back ([`orphaned`]). A session still locked belongs to an
//! editor that is running and is left alone.
//!
//! A kept file is one line of metadata (JSON: where the document was saved, its name, when it
//! was kept) followed by the document's canonical bytes.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::files::write_atomically;

/// The folder of the recovery sessions under a data directory.
#[must_use]
pub fn recovery_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("recovery")
}

const LOCK_FILE: &str = "lock";
const EXTENSION: &str = "recover";

/// What is kept of one tab besides its document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptTab {
    /// The file the tab was opened from or last saved to, if any.
    pub path: Option<PathBuf>,
    /// The tab's name when it was kept.
    pub name: String,
}

/// Unsaved work found from an editor that did not exit cleanly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recovered {
    /// The kept file (to discard it once restored or refused).
    pub file: PathBuf,
    /// Where the document belongs and its name.
    pub tab: KeptTab,
    /// When it was kept, in seconds since 1970.
    pub kept_at: u64,
    /// The document's bytes (a STIX bundle).
    pub bytes: Vec<u8>,
}

impl Recovered {
    /// Deletes the kept file, and its session folder once nothing else is left in it.
    pub fn discard(&self) -> io::Result<()> {
        match fs::remove_file(&self.file) {
            Ok(()) => {}
            Err(error) if error.kind() == io::ErrorKind::NotFound => {}
            Err(error) => return Err(error),
        }
        if let Some(session) = self.file.parent() {
            remove_session_if_done(session);
        }
        Ok(())
    }
}

/// The running editor's session: its folder, locked while the editor runs.
#[derive(Debug)]
pub struct RecoverySession {
    folder: PathBuf,
    /// Held (and locked) until the process ends; the lock is what tells a crash.
    _lock: File,
}

impl RecoverySession {
    /// Starts a session under `root` (see [`recovery_dir`]): a new folder holding a locked
    /// `lock` file.
    pub fn start(root: &Path) -> io::Result<Self> {
        fs::create_dir_all(root)?;
        let stamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_nanos());
        let folder = root.join(format!("session-{}-{stamp}", std::process::id()));
        fs::create_dir(&folder)?;
        let lock = File::create(folder.join(LOCK_FILE))?;
        lock.try_lock().map_err(|error| match error {
            fs::TryLockError::Error(error) => error,
            fs::TryLockError::WouldBlock => {
                io::Error::other("the new recovery session is locked by another process")
            }
        })?;
        Ok(Self {
            folder,
            _lock: lock,
        })
    }

    /// The session's folder.
    #[must_use]
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    fn file_of(&self, key: u64) -> PathBuf {
        self.folder.join(format!("tab-{key}.{EXTENSION}"))
    }

    /// Keeps the unsaved document of the tab with this key (replacing what was kept of it).
    pub fn keep(&self, key: u64, tab: &KeptTab, document: &[u8]) -> io::Result<()> {
        let kept_at = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs());
        let header = serde_json::json!({
            "format": "medflow-recovery-1",
            "path": tab.path.as_deref().map(|path| path.to_string_lossy()),
            "name": tab.name,
            "kept_at": kept_at,
        });
        let mut bytes = header.to_string().into_bytes();
        bytes.push(b'\n');
        bytes.extend_from_slice(document);
        write_atomically(&self.file_of(key), &bytes)
    }

    /// Forgets the tab with this key (saved, or closed without saving).
    pub fn forget(&self, key: u64) -> io::Result<()> {
        match fs::remove_file(self.file_of(key)) {
            Err(error) if error.kind() != io::ErrorKind::NotFound => Err(error),
            _ => Ok(()),
        }
    }

    /// A clean exit: the session folder and everything kept in it are removed.
    pub fn finish(self) -> io::Result<()> {
        fs::remove_dir_all(&self.folder)
    }
}

/// The unsaved work of every session under `root` whose editor is no longer running (its lock
/// can be taken), oldest session first. Sessions of running editors are skipped; files that
/// cannot be read are skipped too (they stay on disk). Empty orphaned sessions are removed.
#[must_use]
pub fn orphaned(root: &Path) -> Vec<Recovered> {
    let Ok(entries) = fs::read_dir(root) else {
        return Vec::new();
    };
    let mut sessions: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.is_dir())
        .collect();
    sessions.sort();
    let mut found = Vec::new();
    for session in sessions {
        if is_running(&session) {
            continue;
        }
        let Ok(files) = fs::read_dir(&session) else {
            continue;
        };
        let mut files: Vec<PathBuf> = files
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| {
                path.extension()
                    .is_some_and(|extension| extension == EXTENSION)
            })
            .collect();
        files.sort();
        for file in files {
            if let Some(recovered) = read_kept(&file) {
                found.push(recovered);
            }
        }
        remove_session_if_done(&session);
    }
    found.sort_by_key(|recovered| recovered.kept_at);
    found
}

/// Whether the editor owning `session` still runs (it holds the lock).
fn is_running(session: &Path) -> bool {
    let Ok(lock) = File::open(session.join(LOCK_FILE)) else {
        // No lock file: a session folder being made right now, or not ours.
        return true;
    };
    match lock.try_lock() {
        Ok(()) => {
            let _ = lock.unlock();
            false
        }
        Err(_) => true,
    }
}

fn read_kept(file: &Path) -> Option<Recovered> {
    let bytes = fs::read(file).ok()?;
    let newline = bytes.iter().position(|byte| *byte == b'\n')?;
    let header: serde_json::Value = serde_json::from_slice(&bytes[..newline]).ok()?;
    if header.get("format")?.as_str()? != "medflow-recovery-1" {
        return None;
    }
    Some(Recovered {
        file: file.to_path_buf(),
        tab: KeptTab {
            path: header
                .get("path")
                .and_then(serde_json::Value::as_str)
                .map(PathBuf::from),
            name: header
                .get("name")
                .and_then(serde_json::Value::as_str)
                .unwrap_or("Untitled flow")
                .to_owned(),
        },
        kept_at: header
            .get("kept_at")
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0),
        bytes: bytes[newline + 1..].to_vec(),
    })
}

/// Removes an orphaned session folder that holds nothing to recover any more.
fn remove_session_if_done(session: &Path) {
    let Ok(entries) = fs::read_dir(session) else {
        return;
    };
    let holds_work = entries
        .filter_map(Result::ok)
        .any(|entry| entry.file_name() != LOCK_FILE);
    if !holds_work && !is_running(session) {
        let _ = fs::remove_dir_all(session);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests")]
mod tests {
    use super::*;

    fn tab(name: &str) -> KeptTab {
        KeptTab {
            path: Some(PathBuf::from(format!("/flows/{name}.json"))),
            name: name.to_owned(),
        }
    }

    #[test]
    fn a_running_session_is_not_offered_and_a_clean_exit_leaves_nothing() {
        let data = tempfile::tempdir().unwrap();
        let root = recovery_dir(data.path());
        let session = RecoverySession::start(&root).unwrap();
        session
            .keep(1, &tab("first"), b"{\"type\": \"bundle\"}")
            .unwrap();
        assert!(orphaned(&root).is_empty(), "its editor still runs");
        session.finish().unwrap();
        assert!(orphaned(&root).is_empty());
        assert_eq!(
            fs::read_dir(&root).unwrap().count(),
            0,
            "nothing left behind"
        );
    }

    #[test]
    fn work_of_a_session_whose_lock_is_gone_is_offered_then_discarded() {
        let data = tempfile::tempdir().unwrap();
        let root = recovery_dir(data.path());
        let session = RecoverySession::start(&root).unwrap();
        session.keep(1, &tab("first"), b"one").unwrap();
        session.keep(2, &tab("second"), b"two").unwrap();
        session.keep(2, &tab("second"), b"two, later").unwrap();
        session.keep(3, &tab("closed"), b"three").unwrap();
        session.forget(3).unwrap();
        let folder = session.folder().to_path_buf();
        // Dropping the session without finishing it is what a crash leaves: the lock goes
        // with the process's file, the folder stays.
        drop(session);
        let found = orphaned(&root);
        let kept: Vec<(&str, &[u8])> = found
            .iter()
            .map(|recovered| (recovered.tab.name.as_str(), recovered.bytes.as_slice()))
            .collect();
        assert_eq!(
            kept,
            [("first", &b"one"[..]), ("second", &b"two, later"[..])]
        );
        assert_eq!(
            found[0].tab.path.as_deref(),
            Some(Path::new("/flows/first.json"))
        );
        found[0].discard().unwrap();
        assert!(folder.exists(), "the second file is still there");
        found[1].discard().unwrap();
        assert!(!folder.exists(), "the emptied session is removed");
        assert!(orphaned(&root).is_empty());
    }

    #[test]
    fn unreadable_kept_files_are_skipped_not_lost() {
        let data = tempfile::tempdir().unwrap();
        let root = recovery_dir(data.path());
        let session = RecoverySession::start(&root).unwrap();
        let folder = session.folder().to_path_buf();
        drop(session);
        fs::write(folder.join("tab-9.recover"), b"not a header").unwrap();
        assert!(orphaned(&root).is_empty());
        assert!(folder.join("tab-9.recover").exists(), "left on disk");
    }
}
