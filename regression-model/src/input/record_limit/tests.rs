use super::*;

/// Reads `text` through a [`RecordLimit`], `step` bytes per read.
fn read_in_steps(text: &[u8], step: usize) -> io::Result<Vec<u8>> {
    struct Steps<'t>(&'t [u8], usize);
    impl Read for Steps<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.0.len().min(self.1).min(buf.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }
    let mut out = Vec::new();
    RecordLimit::new(Steps(text, step)).read_to_end(&mut out)?;
    Ok(out)
}

/// The line a read failed on, when it failed for a record too long.
fn too_long_at(result: io::Result<Vec<u8>>) -> Option<u64> {
    let error = result.err()?;
    assert_eq!(error.kind(), io::ErrorKind::InvalidData);
    let too_long = error.get_ref()?.downcast_ref::<RecordTooLong>()?;
    Some(too_long.line)
}

const LIMIT: usize = MAX_RECORD_BYTES as usize;

#[test]
fn records_up_to_the_limit_pass_and_a_longer_one_fails_naming_its_line() {
    let ok = format!("{}\n{}\n", "a".repeat(LIMIT), "b".repeat(10));
    assert_eq!(
        read_in_steps(ok.as_bytes(), 1 << 16).unwrap(),
        ok.as_bytes()
    );

    let long = format!("a\nb\n{}", "c".repeat(LIMIT + 1));
    assert_eq!(
        too_long_at(read_in_steps(long.as_bytes(), 1 << 16)),
        Some(3)
    );
}

#[test]
fn a_quoted_field_left_open_over_many_short_lines_fails_at_the_line_it_opened_on() {
    // The audit's repro: every line is short, the record never ends.
    let mut open = b"Id,Street\n1,Pave\n2,\"".to_vec();
    while open.len() <= LIMIT + 64 {
        open.extend_from_slice(b"aaaa\n");
    }
    assert_eq!(too_long_at(read_in_steps(&open, 1 << 16)), Some(3));
    assert_eq!(too_long_at(read_in_steps(&open, 7)), Some(3));
}

#[test]
fn closed_quoted_fields_with_line_breaks_and_escaped_quotes_end_their_records() {
    // Many records, each with quoted line breaks, `""` escapes and a
    // closed field: together far past the limit, each one short.
    let record = "1,\"a\n\"\"b\"\"\nc\",\"\"\n";
    let text = format!("Id,Street\n{}", record.repeat(LIMIT / record.len() + 100));
    assert_eq!(
        read_in_steps(text.as_bytes(), 1 << 16).unwrap(),
        text.as_bytes()
    );
}

#[test]
fn a_quote_inside_an_unquoted_field_is_data_and_opens_nothing() {
    // As for the CSV reader: `ab"c` is four characters, not an open quote;
    // nor is a byte after a closed quoted field (`"x"y"`).
    let text = format!(
        "Id,Street\n1,ab\"c\n2,\"x\"y\"\n{}",
        "3,Pave\n".repeat(LIMIT / 7 + 100)
    );
    assert_eq!(
        read_in_steps(text.as_bytes(), 1 << 16).unwrap(),
        text.as_bytes()
    );
}

#[test]
fn carriage_returns_end_records_too() {
    let text = format!("Id,Street\r{}", "1,Pave\r".repeat(LIMIT / 7 + 100));
    assert!(read_in_steps(text.as_bytes(), 1 << 16).is_ok());
}

#[test]
fn the_state_is_the_same_however_the_reads_split_the_input() {
    let text = b"Id,\"S\"\"t\"\r\n1,\"a\n,b\"\"\",x\"y\n\"\"\n2,\"open\nstill\"\"\n";
    let whole = {
        let mut limit = RecordLimit::new(());
        limit.scan(text).unwrap();
        limit
    };
    for step in 1..text.len() {
        let mut limit = RecordLimit::new(());
        text.chunks(step).for_each(|c| limit.scan(c).unwrap());
        let state = |l: &RecordLimit<()>| (l.record_bytes, l.breaks, l.record_line, l.quoting);
        assert_eq!(state(&limit), state(&whole), "reads of {step} bytes");
    }
    // The last record (line 5) is still open: its quote never closed.
    assert_eq!((whole.record_line, whole.quoting), (5, Quoting::Inside));
}
