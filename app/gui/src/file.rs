//! Reading a document file from disk with the size limit checked before the bytes are read.
//!
//! The core takes bytes, not paths; this module is the one place the editor touches the file
//! system to get those bytes.

use std::fmt;
use std::io;
use std::path::Path;

use medflow_core::{ReadError, ReadLimits};
use medflow_platform::ReadProblem;

/// Why a file's bytes could not be had.
#[derive(Debug)]
pub enum FileError {
    /// The file system refused (missing file, no permission, a folder, …).
    Io(io::Error),
    /// The file is over the size limit.
    Read(ReadError),
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Io(error) => error.fmt(f),
            Self::Read(error) => error.fmt(f),
        }
    }
}

impl From<io::Error> for FileError {
    fn from(error: io::Error) -> Self {
        Self::Io(error)
    }
}

/// Reads the whole file, refusing it when it is larger than `limits.max_bytes`.
///
/// The size is checked from the metadata first, so a huge file is never loaded; the read itself
/// stops one byte past the limit in case the file grew in between.
pub fn read_file_limited(path: &Path, limits: &ReadLimits) -> Result<Vec<u8>, FileError> {
    medflow_platform::read_limited(path, limits.max_bytes).map_err(|problem| match problem {
        ReadProblem::TooLarge {
            size_bytes,
            limit_bytes,
        } => FileError::Read(ReadError::TooLarge {
            size_bytes,
            limit_bytes,
        }),
        ReadProblem::Io(error) => FileError::Io(error),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_file(name: &str, contents: &[u8]) -> std::path::PathBuf {
        let path = std::env::temp_dir().join(format!("medflow-gui-{}-{name}", std::process::id()));
        std::fs::write(&path, contents).unwrap_or_else(|error| panic!("write failed: {error}"));
        path
    }

    #[test]
    fn files_within_the_limit_are_read_whole() {
        let path = temp_file("small.json", b"{}");
        let bytes = read_file_limited(&path, &ReadLimits::default());
        let _ = std::fs::remove_file(&path);
        assert_eq!(bytes.ok(), Some(b"{}".to_vec()));
    }

    #[test]
    fn files_over_the_limit_are_refused_before_reading() {
        let path = temp_file("large.json", &[b' '; 64]);
        let limits = ReadLimits {
            max_bytes: 10,
            ..ReadLimits::default()
        };
        let error = read_file_limited(&path, &limits);
        let _ = std::fs::remove_file(&path);
        assert!(matches!(
            error,
            Err(FileError::Read(ReadError::TooLarge {
                size_bytes: 64,
                limit_bytes: 10
            }))
        ));
    }

    #[test]
    fn missing_files_are_io_errors() {
        let error = read_file_limited(
            Path::new("/no/such/medflow/file.json"),
            &ReadLimits::default(),
        );
        assert!(matches!(error, Err(FileError::Io(_))));
    }
}
