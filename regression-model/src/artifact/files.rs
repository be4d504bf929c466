//! Writing an artifact file: atomically, and leaving one model per folder.

use std::path::Path;

use crate::error::{Error, Result};

pub(super) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let io = |source| Error::Io {
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

/// Removes `regression_model_output_v*.postcard` files other than `kept`.
pub(super) fn remove_other_versions(kept: &Path) {
    let dir = kept
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let is_artifact = name.starts_with("regression_model_output_v")
            && (name.ends_with(".postcard") || name.ends_with(".postcard.report.json"));
        if is_artifact && !entry.path().starts_with(kept) {
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
