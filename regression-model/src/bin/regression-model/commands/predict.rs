//! `predict`: the model on a CSV, NDJSON or JSON input, as prices.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::Ordering;

use anyhow::{Context, Result, bail};
use clap::Args;
use regression_model::ChunkReader;

use super::load_model;
use super::report::{LISTED_REJECTIONS, UnknownNames, write_unlisted};
use super::rows::read_json;
use super::score::{ROWS_PER_CHUNK, Scored, Tally, score_rows, score_stream};
use super::shard::Shard;
use super::source::{self, Counter, Format, Output};
use crate::progress::Progress;

#[derive(Args)]
pub struct PredictArgs {
    /// Artifact to use (default: the model this build ships).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Input records: CSV, NDJSON (`.ndjson`, `.jsonl`: one record per
    /// line) or a JSON list (`.json`, read whole); `-` for stdin. A gzip
    /// stream is decompressed, whatever the name. CSV and NDJSON are
    /// scored chunk by chunk, in constant memory.
    #[arg(long)]
    input: PathBuf,
    /// The input's format (default: told by the name; CSV for stdin).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Where to write `Id,SalePrice` (default: stdout); compressed with
    /// gzip when it ends in `.gz`. A file appears only once complete.
    #[arg(long)]
    output: Option<PathBuf>,
    /// Score only part i of n (0 <= i < n) of the input file: parts are
    /// cut at line breaks, only part 0 writes the header line, so the n
    /// outputs concatenated in order are the whole file's output. Row
    /// numbers on stderr then count from the part's first row.
    #[arg(long, value_name = "i/n")]
    shard: Option<Shard>,
    /// Fail (exit 2) when any row is rejected or was priced with a
    /// fallback for a missing input (`imputed`): every price written then
    /// rests on complete inputs.
    #[arg(long)]
    strict: bool,
}

/// Where scored chunks go, in input order: prices to the output, notes
/// and the first rejections to stderr, counts to the tally and the
/// progress display.
struct Sink {
    out: Output,
    /// The header line not written yet: held until the first chunk is
    /// scored, so an input that fails to parse leaves stdout (or a FIFO)
    /// empty, as it leaves no file. One test per chunk of 1,024 rows.
    header: &'static [u8],
    progress: Progress,
    read: Counter,
    tally: Tally,
    unknown: UnknownNames,
    /// Rejection lines written so far, at most [`LISTED_REJECTIONS`].
    listed: usize,
}

impl Sink {
    fn take(&mut self, mut scored: Scored) -> Result<()> {
        self.write_header()?;
        self.out.write_all(scored.prices.as_bytes())?;
        let room = LISTED_REJECTIONS - self.listed;
        for line in scored.rejections.split_inclusive('\n').take(room) {
            scored.report.push_str(line);
            self.listed += 1;
        }
        if !scored.report.is_empty() {
            self.progress.suspend(|| {
                let _ = std::io::stderr().lock().write_all(scored.report.as_bytes());
            });
        }
        self.tally += scored.tally;
        self.unknown.add(scored.unknown, scored.unknown_count);
        let read = self.read.load(Ordering::Relaxed);
        self.progress.update(read, self.tally.rows as u64);
        Ok(())
    }

    fn write_header(&mut self) -> Result<()> {
        if !self.header.is_empty() {
            self.out.write_all(std::mem::take(&mut self.header))?;
        }
        Ok(())
    }
}

fn report_unknown(names: &[String], count: usize) {
    let mut line = String::new();
    super::report::write_unknown(&mut line, names, count);
    let _ = std::io::stderr().lock().write_all(line.as_bytes());
}

pub fn predict(args: PredictArgs) -> Result<ExitCode> {
    let model = load_model(args.model.as_deref())?;
    let stdin = args.input == Path::new("-");
    let format = (args.format).unwrap_or(if stdin {
        Format::Csv
    } else {
        Format::of(&args.input)
    });
    let name = if stdin {
        "stdin".to_owned()
    } else {
        args.input.display().to_string()
    };
    let input = source::open(&args.input, format, args.shard)?;
    let mut sink = Sink {
        out: Output::create(args.output.as_deref())?,
        // Only part 0 of a sharded file has the header.
        header: match args.shard {
            Some(shard) if shard.index != 0 => b"",
            _ => b"Id,SalePrice\n",
        },
        progress: Progress::start("predict", input.total_bytes),
        read: input.read,
        tally: Tally::default(),
        unknown: UnknownNames::default(),
        listed: 0,
    };
    let features = model.pipeline.features();
    let scored = match format {
        Format::Csv => {
            let chunks = ChunkReader::csv(input.reader, Some(&features), ROWS_PER_CHUNK)
                .with_context(|| name.clone())?;
            report_unknown(chunks.unknown().names(), chunks.unknown().count());
            score_stream(&model, chunks, |s| sink.take(s))
        }
        Format::Ndjson => {
            let chunks = ChunkReader::ndjson(input.reader, Some(&features), ROWS_PER_CHUNK);
            score_stream(&model, chunks, |s| sink.take(s))
        }
        Format::Json => read_json(input.reader).and_then(|bytes| {
            let mut first_row = 0;
            regression_model::parse_json_chunks(&bytes, Some(&features), ROWS_PER_CHUNK, |rows| {
                let scored = score_rows(&model, &rows, first_row);
                first_row += rows.rows.len();
                sink.take(scored)
            })
        }),
    };
    scored.with_context(|| name.clone())?;
    if let (Some(lines), Some(shard)) = (input.lines, args.shard)
        && lines.get() != sink.tally.rows as u64
    {
        bail!(
            "part {shard} of {name} has {} lines but {} records: a quoted field holds a line break, and --shard cuts at line breaks; score this file in one process",
            lines.get(),
            sink.tally.rows
        );
    }
    // An input without rows still gets its header.
    sink.write_header()?;
    let Sink {
        out,
        progress,
        tally,
        unknown,
        ..
    } = sink;
    out.finish()?;
    progress.finish();
    report_unknown(&unknown.first, unknown.count);
    let mut unlisted = String::new();
    write_unlisted(&mut unlisted, tally.rejected);
    let _ = std::io::stderr().lock().write_all(unlisted.as_bytes());
    log::info!(
        "model {}: predicted {} of {} rows ({} with a note), rejected {}",
        model.metadata.model_version,
        tally.predicted,
        tally.rows,
        tally.noted,
        tally.rejected
    );
    if args.strict && (tally.rejected > 0 || tally.imputed > 0) {
        eprintln!(
            "error: --strict: {} rows were rejected, {} priced with a fallback for a missing input",
            tally.rejected, tally.imputed
        );
        return Ok(ExitCode::from(2));
    }
    Ok(ExitCode::SUCCESS)
}
