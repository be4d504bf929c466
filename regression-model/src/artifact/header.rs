//! Reading an artifact's header: the magic bytes, the format version, the
//! block lengths and the checksum, then the metadata block in the layout
//! of its format.

use super::{FORMAT_VERSION, HEADER_LEN, MAGIC, Metadata, OLDEST_FORMAT_VERSION, legacy, sha256};
use crate::error::{Error, Result};

/// The checked header fields: metadata and pipeline block lengths.
pub(super) fn lengths(bytes: &[u8]) -> (usize, usize) {
    let meta = u32::from_le_bytes(bytes[10..14].try_into().expect("4 bytes")) as usize;
    let pipeline = u64::from_le_bytes(bytes[14..22].try_into().expect("8 bytes")) as usize;
    (meta, pipeline)
}

/// Checks the header and checksum and decodes only the metadata block.
pub fn read_metadata(bytes: &[u8], origin: &str) -> Result<Metadata> {
    let fail = |problem: String| Error::Artifact {
        path: origin.to_owned(),
        problem,
    };
    if bytes.len() < MAGIC.len() || &bytes[..MAGIC.len()] != MAGIC {
        return Err(fail(
            "not a regression-model artifact (wrong magic bytes)".into(),
        ));
    }
    if bytes.len() < HEADER_LEN {
        return Err(fail(format!(
            "truncated: {} bytes, shorter than the {HEADER_LEN}-byte header",
            bytes.len()
        )));
    }
    let format = u16::from_le_bytes([bytes[8], bytes[9]]);
    if !(OLDEST_FORMAT_VERSION..=FORMAT_VERSION).contains(&format) {
        return Err(fail(format!(
            "format version {format} is not supported (this build reads versions {OLDEST_FORMAT_VERSION} to {FORMAT_VERSION})"
        )));
    }
    let (meta_len, pipeline_len) = lengths(bytes);
    let expected = (HEADER_LEN as u64)
        .saturating_add(meta_len as u64)
        .saturating_add(pipeline_len as u64);
    if (bytes.len() as u64) < expected {
        return Err(fail(format!(
            "truncated: {} bytes, the header announces {expected}",
            bytes.len()
        )));
    }
    if bytes.len() as u64 > expected {
        return Err(fail(format!(
            "{} unexpected bytes after the end of the model",
            bytes.len() as u64 - expected
        )));
    }
    let body = &bytes[HEADER_LEN..];
    if sha256(body) != bytes[22..54] {
        return Err(fail(
            "checksum mismatch: the file is damaged or was modified".into(),
        ));
    }
    let block = &body[..meta_len];
    let metadata = if format < 3 {
        postcard::from_bytes::<legacy::MetadataV2>(block).map(legacy::MetadataV2::upgrade)
    } else {
        postcard::from_bytes::<Metadata>(block)
    };
    let metadata = metadata.map_err(|e| fail(format!("metadata block does not decode: {e}")))?;
    if let Some(summary) = &metadata.training_summary {
        summary
            .check()
            .map_err(|m| fail(format!("training summary: {m}")))?;
    }
    Ok(metadata)
}

/// The format version an artifact's header announces (`None` when the
/// bytes are not an artifact header).
pub fn format_version(bytes: &[u8]) -> Option<u16> {
    (bytes.len() >= HEADER_LEN && &bytes[..MAGIC.len()] == MAGIC)
        .then(|| u16::from_le_bytes([bytes[8], bytes[9]]))
}
