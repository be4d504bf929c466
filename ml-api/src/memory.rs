//! Giving memory back after a large request. glibc's allocator keeps the
//! pages a request freed in its arenas for the next allocation: six 8 MiB
//! batches (their bodies, log lines, rows and frames) left the server at
//! 143 MiB of RSS where it had started at 18 MiB, and it never went down.
//! Two settings of glibc fix it (the README's "Memory" section has the
//! measurements):
//!
//! - [`configure`] fixes the mmap threshold at [`MMAP_THRESHOLD_BYTES`].
//!   glibc raises it after each large free (up to 32 MiB), and with it the
//!   size of free heap it keeps untrimmed, so after the first 8 MiB body
//!   every later body buffer, log line and row list came from the heap and
//!   stayed there. Fixed, blocks of 1 MiB and more are mapped on their own
//!   and returned to the kernel when freed.
//! - after a request whose body reached [`TRIM_AFTER_BODY_BYTES`], or
//!   that parsed [`TRIM_AFTER_ROWS`] rows (a 30 KB body of 10,000 empty
//!   records holds 17 MB of rows), `malloc_trim(0)` hands the free pages
//!   inside every arena (the leftovers of many small allocations: cells,
//!   strings, rows) back to the kernel. It runs on the blocking pool, at
//!   most one at a time, so a worker's event loop never waits for it.

use std::sync::atomic::{AtomicBool, Ordering};

/// Bodies at least this large are followed by a trim; smaller requests
/// free too little to be worth the walk over the arenas.
pub const TRIM_AFTER_BODY_BYTES: usize = 1024 * 1024;

/// Requests that parse at least this many rows are followed by a trim,
/// whatever their body's size: a row takes ~1.7 KB however short its
/// record. (100-record batches, the common large request, stay below.)
pub const TRIM_AFTER_ROWS: usize = 1024;

/// Set while a trim runs: requests that end meanwhile need no second one.
static TRIMMING: AtomicBool = AtomicBool::new(false);

/// Set by [`rows_parsed`] for a request of many rows; taken by the next
/// request that finishes (the trim is process-wide, so whichever it is).
static MANY_ROWS: AtomicBool = AtomicBool::new(false);

/// Notes that a request parsed `rows` rows.
pub fn rows_parsed(rows: usize) {
    if rows >= TRIM_AFTER_ROWS {
        MANY_ROWS.store(true, Ordering::Release);
    }
}

/// Called when a request whose body had `body_bytes` bytes is over (its
/// response written): starts a trim if the body was large or a request
/// parsed many rows, and no trim is running. Needs an actix/tokio runtime.
pub fn request_finished(body_bytes: usize) {
    let due = body_bytes >= TRIM_AFTER_BODY_BYTES || MANY_ROWS.load(Ordering::Acquire);
    if !due || TRIMMING.swap(true, Ordering::AcqRel) {
        return;
    }
    MANY_ROWS.store(false, Ordering::Release);
    actix_web::rt::task::spawn_blocking(|| {
        trim();
        TRIMMING.store(false, Ordering::Release);
    });
}

/// Threshold from which allocations are mapped on their own (and given
/// back when freed). Below 1 MiB glibc's heap is faster: at 128 KiB (its
/// initial default), the body, rows and frames of a 100-record batch were
/// mapped and unmapped on every request, and it cost a third more CPU.
pub const MMAP_THRESHOLD_BYTES: usize = 1024 * 1024;

/// Sets the allocator up for [`request_finished`]; call once, first thing
/// in `main`. glibc's own `MALLOC_MMAP_THRESHOLD_`, when set, is the
/// operator's choice and is kept.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn configure() {
    if std::env::var_os("MALLOC_MMAP_THRESHOLD_").is_some() {
        return;
    }
    // SAFETY: `mallopt` changes a parameter of glibc's allocator, which
    // takes its own lock; it has no preconditions. A failure (0) leaves the
    // default, which is only less frugal.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES as libc::c_int);
    }
}

/// Other allocators need no setting up.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn configure() {}

/// Returns the allocator's free pages to the kernel.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn trim() {
    // SAFETY: `malloc_trim` only walks glibc's own arenas under their
    // locks; it has no preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Other allocators (musl's, the system's elsewhere) give memory back on
/// their own.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn trim() {}
