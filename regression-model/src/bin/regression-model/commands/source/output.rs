//! Where `predict` and `explain` write: stdout; a regular file that appears only once
//! complete (written under a temporary name next to it, then renamed over
//! it); or, straight, whatever else is at the path (a FIFO, a terminal, a
//! device), which a rename would replace by a regular file.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Stdout, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use flate2::Compression;
use flate2::write::GzEncoder;

/// Symbolic links followed before giving up, as Linux's `ELOOP` limit.
const MAX_LINKS: usize = 40;

/// Where the prices go (gzip-compressed when the path ends in `.gz`). A
/// failed run never leaves a file that looks finished, nor its temporary.
pub struct Output {
    sink: Sink,
    /// The path as given, for messages.
    name: String,
    /// For a file written under a temporary name, the rename that
    /// finishes it; still set while the temporary exists, so `Drop`
    /// removes it on every way out, a failed rename included.
    rename: Option<Rename>,
}

struct Rename {
    temporary: PathBuf,
    target: PathBuf,
}

enum Sink {
    Stdout(BufWriter<Stdout>),
    File(BufWriter<File>),
    Gzip(GzEncoder<BufWriter<File>>),
}

/// What writing to a path means, decided before any scoring so that a
/// path that cannot be written fails at once, not after the whole input.
enum Destination {
    /// Not a regular file: written in place, as a shell's `>` would.
    InPlace,
    /// A regular file, or nothing yet: replaced by a rename. The path is
    /// the file a symbolic link points to, so the link stays a link.
    Replace(PathBuf),
}

impl Output {
    /// The output at `path`, or stdout for none or `-`.
    ///
    /// # Errors
    /// When `path` is a directory, or the file (or its temporary) cannot
    /// be opened for writing.
    pub fn create(path: Option<&Path>) -> Result<Output> {
        let Some(path) = path.filter(|p| *p != Path::new("-")) else {
            return Ok(Output {
                sink: Sink::Stdout(BufWriter::with_capacity(1 << 16, std::io::stdout())),
                name: "stdout".to_owned(),
                rename: None,
            });
        };
        let name = path.display().to_string();
        let (file, rename) = match destination(path)? {
            Destination::InPlace => {
                let file = OpenOptions::new()
                    .write(true)
                    .open(path)
                    .with_context(|| format!("cannot write {name}"))?;
                (file, None)
            }
            Destination::Replace(target) => {
                let mut temporary = target.file_name().unwrap_or_default().to_os_string();
                temporary.push(format!(".partial-{}", std::process::id()));
                let temporary = target.with_file_name(temporary);
                let file = File::create(&temporary).with_context(|| {
                    format!("cannot create {} to write {name}", temporary.display())
                })?;
                // A file replaced keeps its permissions, as one written over
                // in place would (a rename gives the new file the default).
                if let Ok(existing) = std::fs::metadata(&target) {
                    file.set_permissions(existing.permissions())
                        .with_context(|| format!("cannot write {name}"))?;
                }
                (file, Some(Rename { temporary, target }))
            }
        };
        let file = BufWriter::with_capacity(1 << 16, file);
        let gzip = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("gz"));
        Ok(Output {
            sink: if gzip {
                Sink::Gzip(GzEncoder::new(file, Compression::default()))
            } else {
                Sink::File(file)
            },
            name,
            rename,
        })
    }

    pub fn write_all(&mut self, bytes: &[u8]) -> Result<()> {
        let written = match &mut self.sink {
            Sink::Stdout(w) => w.write_all(bytes),
            Sink::File(w) => w.write_all(bytes),
            Sink::Gzip(w) => w.write_all(bytes),
        };
        written.with_context(|| format!("cannot write {}", self.name))
    }

    /// Flushes (and ends the gzip stream), then gives a replaced file its
    /// name. A failed rename leaves the target as it was and removes the
    /// temporary.
    pub fn finish(mut self) -> Result<()> {
        let file = match std::mem::replace(&mut self.sink, Sink::Stdout(empty_stdout())) {
            Sink::Stdout(mut w) => return w.flush().context("cannot write to stdout"),
            Sink::File(w) => w.into_inner().map_err(|e| e.into_error()),
            Sink::Gzip(w) => w
                .finish()
                .and_then(|w| w.into_inner().map_err(|e| e.into_error())),
        };
        let file = file.with_context(|| format!("cannot write {}", self.name))?;
        // Written in place: nothing to rename, and a FIFO or a device
        // refuses `fsync` (EINVAL) though everything was written.
        let Some(Rename { temporary, target }) = &self.rename else {
            return Ok(());
        };
        file.sync_all()
            .with_context(|| format!("cannot write {}", self.name))?;
        std::fs::rename(temporary, target).with_context(|| {
            format!(
                "cannot rename {} to {}",
                temporary.display(),
                target.display()
            )
        })?;
        self.rename = None;
        Ok(())
    }
}

/// Refuses a directory; tells a regular file (or none) from anything else,
/// through symbolic links.
fn destination(path: &Path) -> Result<Destination> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => bail!(
            "cannot write {}: it is a directory; name a file to write the prices to",
            path.display()
        ),
        Ok(meta) if !meta.is_file() => Ok(Destination::InPlace),
        // A regular file, or none yet (or an error `File::create` will name).
        _ => Ok(Destination::Replace(link_target(path)?)),
    }
}

/// The path a chain of symbolic links at `path` ends at (`path` itself
/// when it is no link). Unlike `canonicalize`, the end need not exist: a
/// dangling link gets its file created, as writing through it would.
fn link_target(path: &Path) -> Result<PathBuf> {
    let mut at = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        let Ok(next) = std::fs::read_link(&at) else {
            return Ok(at);
        };
        // A relative link is relative to the folder holding it.
        at = match at.parent() {
            Some(dir) => dir.join(next),
            None => next,
        };
    }
    bail!(
        "cannot write {}: more than {MAX_LINKS} symbolic links (a loop?)",
        path.display()
    )
}

fn empty_stdout() -> BufWriter<Stdout> {
    BufWriter::with_capacity(0, std::io::stdout())
}

impl Drop for Output {
    /// A run that ends before [`Output::finish`] completes leaves no
    /// temporary file (a killed process cannot: see the README).
    fn drop(&mut self) {
        if let Some(Rename { temporary, .. }) = self.rename.take() {
            let _ = std::fs::remove_file(temporary);
        }
    }
}
