//! Artifact files: reading one within a size bound, writing one
//! atomically, and leaving one model per folder.

use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

/// The largest artifact read or written. The shipped model takes about
/// 40 KB, the stack 200 KB, a 100-tree forest 3.7 MB. A path that points
/// at something else entirely (a log, `/dev/zero`) must not fill the memory.
pub const MAX_ARTIFACT_BYTES: u64 = 256 * 1024 * 1024;

/// Reads an artifact file, refusing anything but a regular file of at most
/// [`MAX_ARTIFACT_BYTES`].
///
/// # Errors
/// [`Error::Io`] naming `path`: the operating system's error, or
/// `InvalidData` for a device, a folder or an oversized file.
pub fn read_artifact(path: &Path) -> Result<Vec<u8>> {
    read_bounded(path).map_err(|source| Error::Io {
        path: path.into(),
        source,
    })
}

fn read_bounded(path: &Path) -> std::io::Result<Vec<u8>> {
    let invalid = |message: String| std::io::Error::new(std::io::ErrorKind::InvalidData, message);
    let file = std::fs::File::open(path)?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(invalid("not a regular file".into()));
    }
    if metadata.len() > MAX_ARTIFACT_BYTES {
        return Err(oversized(metadata.len()));
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    // The length can change between the check and the read: read one byte
    // more than allowed to notice.
    file.take(MAX_ARTIFACT_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_ARTIFACT_BYTES {
        return Err(oversized(bytes.len() as u64));
    }
    Ok(bytes)
}

fn oversized(len: u64) -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        format!("{len} bytes, more than the {MAX_ARTIFACT_BYTES} that any model artifact takes"),
    )
}

pub(super) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let io = |source| Error::Write {
        path: path.into(),
        source,
    };
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(io)?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("artifact"),
        std::process::id()
    ));
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(io)
}

/// The course's "one model per package folder": after writing a
/// conventionally named artifact (`regression_model_output_v<version>.postcard`),
/// removes the other versions' artifacts and reports in its folder. An
/// artifact written under any other name removes nothing, so `--out
/// trained_models/other.postcard` never deletes the shipped model.
pub(super) fn remove_other_versions(kept: &Path) {
    let Some(kept_name) = kept.file_name().and_then(|n| n.to_str()) else {
        return;
    };
    if !is_versioned_artifact(kept_name) {
        return;
    }
    let kept_report = format!("{kept_name}.report.json");
    let dir = kept
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        // Compared by name within the one folder: paths can spell the same
        // file differently (`./x` from the listing against `x` as given).
        let other = name != kept_name && name != kept_report;
        if other && is_versioned_artifact_or_report(name) {
            match std::fs::remove_file(entry.path()) {
                Ok(()) => log::info!("removed older artifact {}", entry.path().display()),
                Err(e) => log::warn!(
                    "could not remove older artifact {}: {e}",
                    entry.path().display()
                ),
            }
        }
    }
}

fn is_versioned_artifact(name: &str) -> bool {
    name.starts_with("regression_model_output_v") && name.ends_with(".postcard")
}

fn is_versioned_artifact_or_report(name: &str) -> bool {
    is_versioned_artifact(name)
        || name
            .strip_suffix(".report.json")
            .is_some_and(is_versioned_artifact)
}
