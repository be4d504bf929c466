//! A chunk's CSV records, stored flat: reading a record copies its fields
//! into the chunk's buffers instead of allocating per record, so a chunk
//! of a thousand rows is a few allocations, made and freed at once.

/// A chunk's CSV records in flat lists (their bytes, where each field
/// ends, where each record starts) instead of one allocation per record:
/// a chunk is then a few allocations, freed at once.
#[derive(Debug, Clone, Default)]
pub(super) struct Records {
    bytes: Vec<u8>,
    field_ends: Vec<usize>,
    /// Per record: its first field's index in `field_ends`, and its first byte.
    starts: Vec<(usize, usize)>,
    /// Each record's line in the input, for messages.
    pub(super) lines: Vec<u64>,
}

impl Records {
    pub(super) fn len(&self) -> usize {
        self.starts.len()
    }

    pub(super) fn push(&mut self, record: &csv::ByteRecord) {
        self.starts.push((self.field_ends.len(), self.bytes.len()));
        for field in record {
            self.bytes.extend_from_slice(field);
            self.field_ends.push(self.bytes.len());
        }
        self.lines.push(record.position().map_or(0, |p| p.line()));
    }

    /// The `at`th record: its bytes and its fields.
    pub(super) fn record(&self, at: usize) -> Record<'_> {
        let (first_field, first_byte) = self.starts[at];
        let (end_field, end_byte) = match self.starts.get(at + 1) {
            Some(&next) => next,
            None => (self.field_ends.len(), self.bytes.len()),
        };
        Record {
            bytes: &self.bytes[..end_byte],
            start: first_byte,
            ends: &self.field_ends[first_field..end_field],
        }
    }
}

/// One record of [`Records`].
#[derive(Clone, Copy)]
pub(super) struct Record<'r> {
    bytes: &'r [u8],
    start: usize,
    ends: &'r [usize],
}

impl<'r> Record<'r> {
    pub(super) fn len(self) -> usize {
        self.ends.len()
    }

    pub(super) fn field(self, n: usize) -> Option<&'r [u8]> {
        let end = *self.ends.get(n)?;
        let from = if n == 0 { self.start } else { self.ends[n - 1] };
        Some(&self.bytes[from..end])
    }

    pub(super) fn all_bytes(self) -> &'r [u8] {
        &self.bytes[self.start..]
    }
}
