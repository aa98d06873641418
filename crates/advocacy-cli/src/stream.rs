//! `advocacy score` and `advocacy explain` on files of any size: CSV and JSON Lines are read in chunks of rows straight
//! into the core's columnar batch (text columns, parsed by the core's one cell reading), scored
//! chunk by chunk, and written as they go.
//!
//! Ranked output keeps, per row, only its total and where its formatted line is: the lines
//! themselves go to a temporary file and are read back in rank order. Memory is bounded by the
//! chunk size plus about 60 bytes a row (the rank key, and a 128-bit hash of the id with its
//! line for the duplicate-id check); `--order input` writes each chunk at once.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};

use advocacy_core::write_num;
use advocacy_core::{
    fmt_num, header_key, parse_json, printable, BatchScores, Column, ColumnMapping, ColumnPlan, Columns, Model,
    OnError, Tier, UniqueIds, Value,
};

use crate::keep::{self, Keep, Kept};
use crate::progress::Progress;

/// Rows per chunk: large enough for the batch kernels, small enough to stay in memory.
const CHUNK: usize = 8_192;

/// What `score` writes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// An aligned table for a terminal.
    Table,
    /// CSV.
    Csv,
    /// JSON Lines.
    Jsonl,
}

/// How `score` runs.
pub struct Options<'a> {
    pub mapping: &'a ColumnMapping,
    pub flag: bool,
    pub output: Output,
    pub top: Option<usize>,
    /// Input order (a `row` column) instead of rank order (a `rank` column).
    pub input_order: bool,
    /// The as-of date freshness is judged on (with the file's observation date column).
    pub as_of: Option<advocacy_core::Date>,
    /// Rows are numbered (Parquet) rather than at lines of a text file; set by [`score`].
    pub rows_not_lines: bool,
    /// The input columns carried into the output (`--keep`).
    pub keep: &'a Keep,
    /// Write the value of every signal the model reads after the result columns, as read after
    /// the column mapping (the CSV form only; snapshots, see [`signal_columns`]).
    pub signals: bool,
    /// The language of the table's headings and tier names.
    pub lang: advocacy_program::Lang,
}

/// The signals a model reads (its criteria's, then its gates', each once, in model order) with
/// their kinds: the columns a snapshot writes after `error`, named by signal.
pub fn signal_columns(model: &Model) -> Vec<(String, advocacy_core::SignalKind)> {
    let mut out: Vec<(String, advocacy_core::SignalKind)> = Vec::new();
    let names = model
        .categories()
        .iter()
        .flat_map(|c| c.criteria.iter().map(|k| k.signal.clone()))
        .chain(model.spec().gates.iter().map(|g| g.signal.clone()));
    for name in names {
        if out.iter().any(|(n, _)| *n == name) {
            continue;
        }
        if let Some(spec) = model.signal(&name) {
            out.push((name, spec.kind));
        }
    }
    out
}

/// Refuses signal columns whose names a result column, a leading column (`as_of`) or a kept
/// column already has (compared as headers are, case and punctuation folded): the history
/// readers would read one for the other.
fn check_signal_names(signals: &[(String, advocacy_core::SignalKind)], taken: &[String]) -> Result<(), String> {
    for (name, _) in signals {
        if let Some(t) = taken.iter().find(|t| header_key(t) == header_key(name)) {
            return Err(format!(
                "signal `{}` would be written as a column named like the column `{}` of the snapshot; allowed: \
                 signals whose names differ from the result columns, the category ids, `as_of` and the kept \
                 columns ({})",
                printable(name, 80),
                printable(t, 80),
                taken.join(", ")
            ));
        }
    }
    Ok(())
}

/// The rows waiting for their ranks: each one's total (NaN for flagged rows) and the length of
/// its formatted line in the spill file (12 bytes a row; the lines are in row order there).
#[derive(Default)]
struct Pending {
    totals: Vec<f64>,
    lens: Vec<u32>,
}

impl Pending {
    fn push(&mut self, total: f64, len: usize) {
        // Grown a million rows at a time: never twice the memory the rows need.
        if self.totals.len() == self.totals.capacity() {
            self.totals.reserve_exact(1 << 20);
            self.lens.reserve_exact(1 << 20);
        }
        self.totals.push(total);
        self.lens.push(len as u32);
    }
}

/// How many bytes of formatted lines are held in memory at once when they are put in rank
/// order: at least this, up to a quarter of all the lines (so that a large file needs at most
/// four passes over its spill file), and never more than [`RANK_WINDOW_MAX`].
const RANK_WINDOW_BYTES: u64 = 48 << 20;
const RANK_WINDOW_MAX: u64 = 256 << 20;

/// A chunk of rows: text cells by column, with each row's file line, or why it is broken.
struct Chunk {
    /// Every cell's text, one after the other.
    text: String,
    /// Per row, per column: the cell's span in `text` (`width` spans a row).
    spans: Vec<(u32, u32)>,
    width: usize,
    lines: Vec<usize>,
    broken: Vec<Option<String>>,
}

/// A repeated or empty id of the row on `line`, as the CLI words it (the core's rule).
fn id_problem(ids: &mut UniqueIds, shown: &str, id: Option<&str>, line: usize) -> Option<String> {
    let (e, first) = ids.check(line, id)?;
    Some(match first {
        None => format!("{shown}:{line}: the account id is empty; allowed: a non-empty account id"),
        Some(first) => format!(
            "{shown}:{line}: account id {:?} is also the id on line {first}; allowed: an id no other row has",
            printable(e.id.as_deref().unwrap_or(""), 80)
        ),
    })
}

/// A file opened as a stream of chunks, with its headers read by the column plan.
struct Opened {
    source: Box<dyn RowSource + Send>,
    headers: Vec<String>,
    plan: ColumnPlan,
    shown: String,
    progress: Progress,
}

/// Whether `path` names a Parquet file.
pub fn is_parquet(path: &str) -> bool {
    path.to_ascii_lowercase().ends_with(".parquet")
}

/// The column plan of a file's headers: read, checked to read something, its warnings shown.
fn plan_of(shown: &str, headers: &[String], model: &Model, mapping: &ColumnMapping) -> Result<ColumnPlan, String> {
    let plan = model.read_columns(headers, mapping).map_err(|e| format!("{shown}:1: {e}"))?;
    plan.check_reads_something(model).map_err(|e| format!("{shown}: {e}"))?;
    for w in &plan.warnings {
        eprintln!("warning: {}", printable(&w.message, 400));
    }
    Ok(plan)
}

/// A Parquet file as a stream of record batches of [`CHUNK`] rows, and its column names.
type ParquetOpened = (parquet::arrow::arrow_reader::ParquetRecordBatchReader, Vec<String>, u64);

fn open_parquet(path: &str) -> Result<ParquetOpened, String> {
    let file = File::open(path).map_err(|e| format!("{path}: {e}"))?;
    let builder = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
        .map_err(|e| format!("{path}: not a Parquet file we can read: {e}"))?;
    let headers = builder.schema().fields().iter().map(|f| f.name().clone()).collect();
    let rows = builder.metadata().file_metadata().num_rows().max(0) as u64;
    let reader = builder.with_batch_size(CHUNK).build().map_err(|e| format!("{path}: {e}"))?;
    Ok((reader, headers, rows))
}

fn open_table(path: &str, model: &Model, mapping: &ColumnMapping) -> Result<Opened, String> {
    let shown = if path == "-" { "<stdin>" } else { path };
    let (mut input, progress) = open(path)?;
    let jsonl = is_jsonl(path, &mut input)?;
    let source: Box<dyn RowSource + Send> = if jsonl {
        Box::new(JsonLines::new(input, shown))
    } else {
        Box::new(CsvRows::new(input, shown, path.to_ascii_lowercase().ends_with(".tsv"))?)
    };
    let headers = source.headers();
    if headers.is_empty() {
        return Err(format!("{shown}: no accounts in the file"));
    }
    let plan = plan_of(shown, &headers, model, mapping)?;
    Ok(Opened { source, headers, plan, shown: shown.to_string(), progress })
}

/// Explains every account of `path` (CSV or JSON Lines; `-` is stdin), one JSON object per line
/// as each chunk is read: the core's explained score, or, with `opts.flag`, `{line, id, error}`
/// for a row that cannot be scored. Returns the number of flagged rows.
pub fn explain(path: &str, model: &Model, opts: &Options, out: &mut dyn Write) -> Result<usize, String> {
    if is_parquet(path) {
        return explain_parquet(path, model, opts, out);
    }
    let mut flagged = 0usize;
    let mut line_buf = Vec::new();
    let mut visit = |line: usize, row: RecordRow, kept: &KeptRow| {
        let scored = row.and_then(|(record, _)| {
            let s = match opts.as_of {
                Some(d) => model.score_as_of(&record, d),
                None => model.score(&record),
            };
            s.map_err(|e| (record.id.clone(), at_line(if path == "-" { "<stdin>" } else { path }, line, e)))
        });
        let kept = (!kept.names.is_empty()).then_some((kept.names, kept.values));
        write_explained(scored, ("line", line), kept, opts.flag, &mut flagged, &mut line_buf, out)
    };
    each_record_with(path, model, opts.mapping, opts.flag, opts.keep, &mut visit)?;
    Ok(flagged)
}

/// Writes one line of `explain --json`: the explained score, or (with `flag`) `{line or row, id,
/// error}` for a row that cannot be scored; without `flag` that row's error ends the run. The
/// kept columns (if any) follow as a `kept` object of output name to text or `null`.
fn write_explained(
    scored: Result<advocacy_core::Score, (Option<String>, String)>,
    (key, at): (&str, usize),
    kept: Option<(&[String], &[Option<String>])>,
    flag: bool,
    flagged: &mut usize,
    buf: &mut Vec<u8>,
    out: &mut dyn Write,
) -> Result<(), String> {
    buf.clear();
    match scored {
        Ok(s) => serde_json::to_writer(&mut *buf, &s).map_err(|e| e.to_string())?,
        Err((_, why)) if !flag => return Err(why),
        Err((id, why)) => {
            eprintln!("flagged: {}", printable(&why, 4000));
            *flagged += 1;
            let v = serde_json::json!({key: at, "id": id, "error": why});
            serde_json::to_writer(&mut *buf, &v).map_err(|e| e.to_string())?;
        }
    }
    if let Some((names, values)) = kept {
        let mut text = String::from_utf8(std::mem::take(buf)).map_err(|e| e.to_string())?;
        keep::append_kept(&mut text, &keep::json_object(names, values));
        *buf = text.into_bytes();
    }
    buf.push(b'\n');
    out.write_all(buf).map_err(|e| e.to_string())
}

/// A row read by [`each_record`]: the account's record (its values marked with the file and
/// their observation date) and name, or the id (if known) and why the row cannot be read.
pub type RecordRow = Result<(advocacy_core::Record, Option<String>), (Option<String>, String)>;

/// The kept columns of a row read by [`each_record_with`]: their output names and the row's
/// text of each.
pub struct KeptRow<'k> {
    pub names: &'k [String],
    pub values: &'k [Option<String>],
}

/// Reads a CSV or JSON Lines file (`-` is stdin) chunk by chunk and hands every row to `visit`
/// with its line, through the column plan (ids checked unique across the file); memory stays
/// bounded by a chunk. Structurally broken rows reach `visit` as errors only with `flag`.
/// Returns the column plan it read the file by.
pub fn each_record(
    path: &str,
    model: &Model,
    mapping: &ColumnMapping,
    flag: bool,
    visit: &mut dyn FnMut(usize, RecordRow) -> Result<(), String>,
) -> Result<ColumnPlan, String> {
    let keep = Keep::Columns(Vec::new());
    each_record_with(path, model, mapping, flag, &keep, &mut |line, row, _| visit(line, row))
}

/// [`each_record`], handing `visit` each row's kept columns (`keep`, resolved against the
/// file's headers) too.
pub fn each_record_with(
    path: &str,
    model: &Model,
    mapping: &ColumnMapping,
    flag: bool,
    keep: &Keep,
    visit: &mut dyn FnMut(usize, RecordRow, &KeptRow) -> Result<(), String>,
) -> Result<ColumnPlan, String> {
    let Opened { mut source, headers, plan, shown, mut progress } = open_table(path, model, mapping)?;
    let kept = Kept::resolve(keep, &[keep::Table { shown: &shown, headers: &headers, plan: &plan }], &[])?;
    let kept_cols = kept.columns_of(0);
    let mut values: Vec<Option<String>> = Vec::with_capacity(kept.len());
    let mut ids = UniqueIds::default();
    let mut rows = 0usize;
    while let Some(chunk) = source.next_chunk(flag, &headers)? {
        for r in 0..chunk.len() {
            let line = chunk.lines[r];
            values.clear();
            values.extend(kept_cols.iter().map(|c| c.and_then(|c| chunk.cell(r, c)).and_then(keep::cell_text)));
            let cells: Vec<Value> = (0..headers.len())
                .map(|c| chunk.cell(r, c).map_or(Value::Null, |t| Value::Text(t.to_string())))
                .collect();
            let row = match chunk.broken(r) {
                Some(why) => Err((None, why.clone())),
                None => plan
                    .read_row(model, rows, &cells)
                    .map_err(|e| (e.id.clone(), at_line(&shown, line, e)))
                    .and_then(|row| {
                        let name = row.name.clone();
                        let record = row.into_record(&shown);
                        let id_error =
                            plan.id_column().and_then(|_| id_problem(&mut ids, &shown, record.id.as_deref(), line));
                        match id_error {
                            Some(why) => Err((record.id.clone(), why)),
                            None => Ok((record, name)),
                        }
                    }),
            };
            rows += 1;
            visit(line, row, &KeptRow { names: &kept.names, values: &values })?;
        }
        progress.tick(rows);
    }
    progress.done();
    if rows == 0 {
        return Err(format!("{shown}: no accounts in the file"));
    }
    Ok(plan)
}

/// [`explain`] of a Parquet file: each record batch's cells read as loose values (Arrow dates as
/// their `YYYY-MM-DD` text), row by row through the column plan.
fn explain_parquet(path: &str, model: &Model, opts: &Options, out: &mut dyn Write) -> Result<usize, String> {
    let (reader, headers, total) = open_parquet(path)?;
    let plan = plan_of(path, &headers, model, opts.mapping)?;
    let kept = Kept::resolve(opts.keep, &[keep::Table { shown: path, headers: &headers, plan: &plan }], &[])?;
    let kept_cols = kept.columns_of(0);
    let mut values: Vec<Option<String>> = Vec::with_capacity(kept.len());
    let mut progress = Progress::over_rows(total);
    let mut ids = UniqueIds::default();
    let (mut row, mut flagged) = (0usize, 0usize);
    let mut line_buf = Vec::new();
    for batch in reader {
        let batch = batch.map_err(|e| format!("{path}: {e}"))?;
        let arrays: Vec<arrow_array::ArrayRef> = batch.columns().iter().map(advocacy_arrow::normalize).collect();
        let read: Vec<(Column, advocacy_arrow::BadCells)> = arrays.iter().map(advocacy_arrow::to_column).collect();
        for r in 0..batch.num_rows() {
            row += 1;
            let at = format!("{path}: row {row}");
            let bad = read.iter().zip(&headers).find_map(|((_, bad), h)| {
                bad.iter().find(|(i, _)| *i == r).map(|(_, e)| {
                    format!(
                        "{at}: column `{}`: value {} is not text; allowed: {}",
                        printable(h, 80),
                        e.0,
                        advocacy_arrow::UTF8_ALLOWED
                    )
                })
            });
            let cells: Vec<Value> = read.iter().map(|(c, _)| c.value(r)).collect();
            let scored = match bad {
                Some(why) => Err((None, why)),
                None => plan.read_row(model, r, &cells).map_err(|e| (e.id.clone(), format!("{at}: {}", without_row(e)))).and_then(|read| {
                    let record = read.into_record(path);
                    if plan.id_column().is_some() {
                        if let Some((e, first)) = ids.check(row, record.id.as_deref()) {
                            let why = match first {
                                None => format!("{at}: the account id is empty; allowed: a non-empty account id"),
                                Some(first) => format!("{at}: account id {:?} is also the id on row {first}; allowed: an id no other row has", printable(e.id.as_deref().unwrap_or(""), 80)),
                            };
                            return Err((record.id.clone(), why));
                        }
                    }
                    let s = match opts.as_of {
                        Some(d) => model.score_as_of(&record, d),
                        None => model.score(&record),
                    };
                    s.map_err(|e| (record.id.clone(), format!("{at}: {}", without_row(e))))
                }),
            };
            values.clear();
            values.extend(kept_cols.iter().map(|c| c.and_then(|c| read[c].0.id_text(r)).map(|t| t.into_owned())));
            let kept = (!kept.is_empty()).then_some((kept.names.as_slice(), values.as_slice()));
            write_explained(scored, ("row", row), kept, opts.flag, &mut flagged, &mut line_buf, out)?;
        }
        progress.tick(row);
    }
    progress.done();
    if row == 0 {
        return Err(format!("{path}: no accounts in the file"));
    }
    Ok(flagged)
}

/// A row error without its row (the CLI says where it is).
fn without_row(mut e: advocacy_core::RecordError) -> advocacy_core::RecordError {
    e.row = None;
    e
}

/// A row error of the core as the CLI words it: `file:line: ...` (the line instead of the row).
fn at_line(shown: &str, line: usize, mut e: advocacy_core::RecordError) -> String {
    e.row = None;
    format!("{shown}:{line}: {e}")
}

/// Scores `path` (CSV or JSON Lines; `-` is stdin) and writes the result to `out`.
/// Returns the number of flagged rows.
pub fn score(path: &str, model: &Model, opts: &Options, out: &mut dyn Write) -> Result<usize, String> {
    if is_parquet(path) {
        let (reader, headers, total) = open_parquet(path)?;
        let plan = plan_of(path, &headers, model, opts.mapping)?;
        let mut scorer = Scorer::new(model, &plan, opts, path)?;
        let mut progress = Progress::over_rows(total);
        let mut first = 1;
        // Batches are decoded on a second thread while this one scores and writes.
        let done = std::thread::scope(|scope| -> Result<(), String> {
            let (tx, rx) = std::sync::mpsc::sync_channel(2);
            scope.spawn(move || {
                for batch in reader {
                    if tx.send(batch).is_err() {
                        break;
                    }
                }
            });
            for batch in rx {
                let batch = batch.map_err(|e| format!("{path}: {e}"))?;
                scorer.record_batch(&batch, first, out)?;
                first += batch.num_rows();
                progress.tick(first - 1);
            }
            Ok(())
        });
        progress.done();
        done?;
        if first == 1 {
            return Err(format!("{path}: no accounts in the file"));
        }
        return scorer.finish(out);
    }
    let Opened { mut source, headers, plan, shown, mut progress } = open_table(path, model, opts.mapping)?;
    let shown = shown.as_str();
    let mut scorer = Scorer::new(model, &plan, opts, shown)?;
    let mut rows_seen = 0usize;
    // Chunks are read and split into cells on a second thread while this one scores and writes.
    let flag = opts.flag;
    let done = std::thread::scope(|scope| -> Result<(), String> {
        let (tx, rx) = std::sync::mpsc::sync_channel(2);
        let cols = &headers;
        let plan = &plan;
        scope.spawn(move || loop {
            let next = source.next_chunk(flag, cols).map(|c| {
                c.map(|chunk| {
                    let parsed = parse_chunk(model, plan, &chunk);
                    (chunk, parsed)
                })
            });
            let end = !matches!(next, Ok(Some(_)));
            if tx.send(next).is_err() || end {
                break;
            }
        });
        for next in rx {
            let Some((chunk, parsed)) = next? else { break };
            rows_seen += chunk.len();
            scorer.chunk(chunk, parsed, out)?;
            progress.tick(rows_seen);
        }
        Ok(())
    });
    progress.done();
    done?;
    if rows_seen == 0 {
        return Err(format!("{shown}: no accounts in the file"));
    }
    scorer.finish(out)
}

fn open(path: &str) -> Result<(BufReader<Box<dyn Read + Send>>, Progress), String> {
    let (reader, size): (Box<dyn Read + Send>, Option<u64>) = if path == "-" {
        (Box::new(std::io::stdin()), None)
    } else {
        let f = File::open(path).map_err(|e| format!("{path}: {e}"))?;
        let size = f.metadata().ok().map(|m| m.len());
        (Box::new(f), size)
    };
    let (progress, reader) = Progress::over_bytes(reader, size);
    let mut r = BufReader::with_capacity(1 << 20, Box::new(reader) as Box<dyn Read + Send>);
    // A byte-order mark is skipped in every format.
    if r.fill_buf().map_err(|e| format!("{path}: {e}"))?.starts_with(b"\xef\xbb\xbf") {
        r.consume(3);
    }
    Ok((r, progress))
}

/// JSON Lines by extension, or (stdin, other names) by a first character `{`.
fn is_jsonl(path: &str, r: &mut BufReader<Box<dyn Read + Send>>) -> Result<bool, String> {
    let lower = path.to_ascii_lowercase();
    if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") {
        return Ok(true);
    }
    if lower.ends_with(".csv") || lower.ends_with(".tsv") {
        return Ok(false);
    }
    let head = r.fill_buf().map_err(|e| format!("{path}: {e}"))?;
    Ok(head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{'))
}

trait RowSource {
    fn headers(&self) -> Vec<String>;
    fn next_chunk(&mut self, flag: bool, headers: &[String]) -> Result<Option<Chunk>, String>;
}

struct CsvRows {
    reader: csv::Reader<BufReader<Box<dyn Read + Send>>>,
    headers: Vec<String>,
    shown: String,
}

impl CsvRows {
    fn new(input: BufReader<Box<dyn Read + Send>>, shown: &str, tabs: bool) -> Result<Self, String> {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(if tabs { b'\t' } else { b',' })
            .flexible(true)
            .buffer_capacity(1 << 20)
            .from_reader(input);
        let headers: Vec<String> =
            reader.headers().map_err(|e| format!("{shown}:1: {e}"))?.iter().map(str::to_string).collect();
        if headers.is_empty() || (headers.len() == 1 && headers[0].trim().is_empty()) {
            return Err(format!("{shown}: no accounts in the file (it is empty)"));
        }
        Ok(CsvRows { reader, headers, shown: shown.to_string() })
    }
}

impl RowSource for CsvRows {
    fn headers(&self) -> Vec<String> {
        self.headers.clone()
    }
    fn next_chunk(&mut self, flag: bool, headers: &[String]) -> Result<Option<Chunk>, String> {
        let mut chunk = Chunk::new(headers.len());
        let mut record = csv::StringRecord::new();
        while chunk.len() < CHUNK {
            match self.reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    let line = record.position().map_or(0, |p| p.line() as usize);
                    let broken = (record.len() != headers.len()).then(|| {
                        format!(
                            "{}:{line}: the row has {} cells; allowed: exactly {}, one per header",
                            self.shown,
                            record.len(),
                            headers.len()
                        )
                    });
                    if let (Some(why), false) = (&broken, flag) {
                        return Err(why.clone());
                    }
                    if broken.is_some() {
                        chunk.push(line, std::iter::empty::<&str>(), broken);
                    } else {
                        chunk.push(line, record.iter(), None);
                    }
                }
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line() as usize);
                    let why = format!("{}:{line}: {e}", self.shown);
                    if !flag || !matches!(e.kind(), csv::ErrorKind::Utf8 { .. }) {
                        return Err(why);
                    }
                    chunk.push(line, std::iter::empty::<&str>(), Some(why));
                }
            }
        }
        Ok((chunk.len() > 0).then_some(chunk))
    }
}

impl Chunk {
    fn new(width: usize) -> Self {
        Chunk { text: String::new(), spans: Vec::new(), width, lines: Vec::new(), broken: Vec::new() }
    }
    fn len(&self) -> usize {
        self.lines.len()
    }
    fn push<'c>(&mut self, line: usize, cells: impl Iterator<Item = &'c str>, broken: Option<String>) {
        if broken.is_some() && self.broken.is_empty() {
            self.broken = vec![None; self.len()];
        }
        if !self.broken.is_empty() {
            self.broken.push(broken);
        }
        let start = self.spans.len();
        for c in cells.take(self.width) {
            let at = self.text.len() as u32;
            self.text.push_str(c);
            self.spans.push((at, c.len() as u32));
        }
        self.spans.resize(start + self.width, (0, 0));
        self.lines.push(line);
    }
    /// The cell of row `r`, column `c`; `None` when empty.
    fn cell(&self, r: usize, c: usize) -> Option<&str> {
        let (at, len) = *self.spans.get(r * self.width + c)?;
        // A cell starting with a visible ASCII character is not blank (no trim needed to know).
        Some(&self.text[at as usize..(at + len) as usize])
            .filter(|s| s.as_bytes().first().is_some_and(u8::is_ascii_graphic) || !s.trim().is_empty())
    }
    fn broken(&self, i: usize) -> Option<&String> {
        self.broken.get(i).and_then(Option::as_ref)
    }
}

/// JSON Lines: the keys of the first object are the columns (a later key not among them is an
/// error naming its line, since the columns are read once).
struct JsonLines {
    lines: std::io::Lines<BufReader<Box<dyn Read + Send>>>,
    line: usize,
    shown: String,
    headers: Vec<String>,
    first: Option<(usize, Result<serde_json::Value, String>)>,
}

impl JsonLines {
    fn new(input: BufReader<Box<dyn Read + Send>>, shown: &str) -> Self {
        let mut s =
            JsonLines { lines: input.lines(), line: 0, shown: shown.to_string(), headers: Vec::new(), first: None };
        // The first object's keys name the columns.
        while let Some(Ok(text)) = s.lines.next() {
            s.line += 1;
            if text.trim().is_empty() {
                continue;
            }
            let parsed = parse_json(&text).map_err(|e| format!("{}:{}: not valid JSON: {e}", s.shown, s.line));
            if let Some(o) = parsed.as_ref().ok().and_then(serde_json::Value::as_object) {
                s.headers = o.keys().cloned().collect();
            }
            s.first = Some((s.line, parsed));
            break;
        }
        s
    }

    fn cells(&self, line: usize, v: &serde_json::Value) -> Result<Vec<String>, String> {
        let obj = v.as_object().ok_or_else(|| {
            format!("{}:{line}: the row is not a JSON object; allowed: an object of column names to values", self.shown)
        })?;
        let mut cells = vec![String::new(); self.headers.len()];
        for (k, val) in obj {
            let i = self.headers.iter().position(|h| h == k).ok_or_else(|| {
                format!(
                    "{}:{line}: key {:?} is not among the keys of the first line; allowed: {}",
                    self.shown,
                    printable(k, 60),
                    self.headers.join(", ")
                )
            })?;
            cells[i] = match val {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Number(n) => n.as_f64().map_or_else(|| n.to_string(), fmt_num),
                other => other.to_string(),
            };
        }
        Ok(cells)
    }

    fn take(
        &self,
        line: usize,
        parsed: Result<serde_json::Value, String>,
        flag: bool,
        chunk: &mut Chunk,
    ) -> Result<(), String> {
        match parsed.and_then(|v| self.cells(line, &v)) {
            Ok(cells) => chunk.push(line, cells.iter().map(String::as_str), None),
            Err(why) if flag => chunk.push(line, std::iter::empty::<&str>(), Some(why)),
            Err(why) => return Err(why),
        }
        Ok(())
    }
}

impl RowSource for JsonLines {
    fn headers(&self) -> Vec<String> {
        self.headers.clone()
    }
    fn next_chunk(&mut self, flag: bool, _: &[String]) -> Result<Option<Chunk>, String> {
        let mut chunk = Chunk::new(self.headers.len());
        if let Some((line, parsed)) = self.first.take() {
            self.take(line, parsed, flag, &mut chunk)?;
        }
        while chunk.len() < CHUNK {
            let Some(text) = self.lines.next() else { break };
            self.line += 1;
            let text = text.map_err(|e| format!("{}:{}: {e}", self.shown, self.line))?;
            if text.trim().is_empty() {
                continue;
            }
            let parsed = parse_json(&text).map_err(|e| format!("{}:{}: not valid JSON: {e}", self.shown, self.line));
            self.take(self.line, parsed, flag, &mut chunk)?;
        }
        Ok((chunk.len() > 0).then_some(chunk))
    }
}

/// A chunk's signal columns as the kernels read them (see `Model::parse_columns`): the cells of
/// each signal gathered in one pass over the rows (the chunk is row-major), through the plan's
/// value map, then parsed. Done on the reading thread, so that scoring has less to do.
fn parse_chunk(model: &Model, plan: &ColumnPlan, chunk: &Chunk) -> Vec<(String, Column<'static>)> {
    let n = chunk.len();
    let signals: Vec<(usize, &str)> =
        (0..plan.columns.len()).filter_map(|i| plan.signal_of(i).map(|s| (i, s))).collect();
    let mut texts: Vec<Vec<Option<std::borrow::Cow<str>>>> = signals.iter().map(|_| Vec::with_capacity(n)).collect();
    for r in 0..n {
        for ((c, _), text) in signals.iter().zip(texts.iter_mut()) {
            text.push(chunk.cell(r, *c).map(std::borrow::Cow::Borrowed));
        }
    }
    let mut cols = Columns::new(n);
    cols.set_read_options(plan.options);
    for ((_, signal), text) in signals.iter().zip(texts) {
        // The plan's value map, if it has one for the signal (looked up once per column).
        let column = match model.signal(signal) {
            Some(spec) => plan.read_column(spec, Column::Text(text)),
            None => Column::Text(text),
        };
        let _ = cols.add(signal, column);
    }
    model.parse_columns(&cols)
}

/// Scores chunks and writes or keeps their lines.
struct Scorer<'a> {
    model: &'a Model,
    plan: &'a ColumnPlan,
    opts: &'a Options<'a>,
    shown: String,
    out: BatchScores,
    pending: Pending,
    spill: Option<BufWriter<File>>,
    spill_file: Option<File>,
    written: u64,
    /// 128-bit hashes of the ids seen, with the line of each.
    ids: UniqueIds,
    rows: usize,
    flagged: usize,
    tiers: [usize; 5],
    line_buf: String,
    /// The most points of each category, for the table.
    category_max: Vec<f64>,
    /// The kept columns (`--keep`) and their column in the file.
    kept: Kept,
    kept_cols: Vec<Option<usize>>,
    /// The signals written after the result columns (`Options::signals`).
    signals: Vec<(String, advocacy_core::SignalKind)>,
}

impl<'a> Scorer<'a> {
    fn new(model: &'a Model, plan: &'a ColumnPlan, opts: &'a Options<'a>, shown: &str) -> Result<Self, String> {
        let headers: Vec<String> = plan.columns.iter().map(|c| c.header.clone()).collect();
        let cats: Vec<&str> = model.categories().iter().map(|c| c.id.as_str()).collect();
        let kept =
            Kept::resolve(opts.keep, &[keep::Table { shown, headers: &headers, plan }], &keep::result_columns(&cats))?;
        let kept_cols = kept.columns_of(0);
        let signals = if opts.signals && opts.output == Output::Csv {
            let mut taken = keep::result_columns(&cats);
            taken.push("as_of".into());
            taken.extend(kept.names.iter().cloned());
            let signals = signal_columns(model);
            check_signal_names(&signals, &taken)?;
            signals
        } else {
            Vec::new()
        };
        let (spill, spill_file) = if opts.input_order {
            (None, None)
        } else {
            let f = tempfile().map_err(|e| format!("a temporary file for ranking: {e}"))?;
            let reader = f.try_clone().map_err(|e| format!("a temporary file for ranking: {e}"))?;
            (Some(BufWriter::with_capacity(1 << 20, f)), Some(reader))
        };
        Ok(Scorer {
            model,
            plan,
            opts,
            shown: shown.to_string(),
            out: BatchScores::default(),
            pending: Pending::default(),
            spill,
            spill_file,
            written: 0,
            ids: UniqueIds::default(),
            rows: 0,
            flagged: 0,
            tiers: [0; 5],
            line_buf: String::new(),
            category_max: model.categories().iter().map(|c| c.criteria.iter().map(|k| k.points).sum()).collect(),
            kept,
            kept_cols,
            signals,
        })
    }

    /// The kept columns the table shows at the end of its lines (the name has its own column).
    fn table_extras(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.kept.len()).filter(move |k| Some(*k) != self.kept.name_slot)
    }

    fn header(&self, out: &mut dyn Write) -> Result<(), String> {
        let cats: Vec<&str> = self.model.categories().iter().map(|c| c.id.as_str()).collect();
        let first = if self.opts.input_order { "row" } else { "rank" };
        let text = match self.opts.output {
            Output::Csv => {
                let mut s = format!("{first},id,");
                for k in &self.kept.names {
                    csv_field(&mut s, k);
                    s.push(',');
                }
                s.push_str(&format!("score,tier,{},completeness,max_possible,error", cats.join(",")));
                for (name, _) in &self.signals {
                    s.push(',');
                    csv_field(&mut s, name);
                }
                s.push('\n');
                s
            }
            Output::Table => {
                let t = |key| advocacy_program::lang::text(self.opts.lang, key);
                let first = t(if self.opts.input_order { "table.row" } else { "table.rank" });
                let mut s = format!(
                    "{first:>4}  {:<12} {:<22} {:>6}  {:<21}",
                    t("table.id"),
                    t("table.name"),
                    t("table.score"),
                    t("table.tier")
                );
                for c in &cats {
                    s.push_str(&format!(" {:>12}", short(c, 12)));
                }
                s.push_str(&format!(" {:>8}", t("table.complete")));
                for k in self.table_extras() {
                    s.push_str(&format!("  {:<22}", short(&self.kept.names[k], 22)));
                }
                s.truncate(s.trim_end().len());
                s.push('\n');
                s
            }
            Output::Jsonl => String::new(),
        };
        out.write_all(text.as_bytes()).map_err(|e| e.to_string())
    }

    fn chunk(
        &mut self,
        chunk: Chunk,
        parsed: Vec<(String, Column<'static>)>,
        out: &mut dyn Write,
    ) -> Result<(), String> {
        if self.rows == 0 {
            self.header(out)?;
        }
        let n = chunk.len();
        let mut cols = Columns::new(n);
        cols.set_read_options(self.plan.options);
        let cell = |r: usize, c: usize| chunk.cell(r, c);
        if let Some(ic) = self.plan.id_column() {
            let ids: Vec<Option<&str>> = (0..n).map(|r| cell(r, ic)).collect();
            cols.set_ids(ids).map_err(|e| e.to_string())?;
        }
        if let Some(oc) = self.plan.observed_column() {
            let dates: Vec<Option<&str>> = (0..n).map(|r| cell(r, oc)).collect();
            cols.set_observed(dates).map_err(|e| e.to_string())?;
        }
        if let Some(d) = self.opts.as_of {
            cols.set_as_of(d);
        }
        for (signal, column) in parsed {
            cols.add(&signal, column).map_err(|e| e.to_string())?;
        }
        let broken: Vec<Option<String>> = (0..n).map(|r| chunk.broken(r).cloned()).collect();
        let names: Vec<Option<&str>> = match self.plan.name_column() {
            Some(c) => (0..n).map(|r| cell(r, c)).collect(),
            None => Vec::new(),
        };
        let kept: Vec<Option<&str>> =
            (0..n).flat_map(|r| self.kept_cols.iter().map(move |c| c.and_then(|c| cell(r, c)))).collect();
        self.rows_of(&cols, &chunk.lines, broken, &names, &kept, out)
    }

    /// Scores one record batch of a Parquet file; `first` is the row number of its first row.
    fn record_batch(
        &mut self,
        batch: &arrow_array::RecordBatch,
        first: usize,
        out: &mut dyn Write,
    ) -> Result<(), String> {
        if self.rows == 0 {
            self.header(out)?;
        }
        let n = batch.num_rows();
        let arrays = advocacy_arrow::prepare(batch, self.plan);
        let mut read = advocacy_arrow::columns(self.model, self.plan, &arrays);
        if let Some(d) = self.opts.as_of {
            read.columns.set_as_of(d);
        }
        let rows: Vec<usize> = (first..first + n).collect();
        let mut broken: Vec<Option<String>> = vec![None; n];
        for (r, c, shown) in read.bad {
            let header = self.plan.columns.get(c).map_or("", |h| h.header.as_str());
            broken[r].get_or_insert_with(|| {
                format!(
                    "{}: column `{}`: value {} is not text; allowed: {}",
                    self.place(rows[r]),
                    printable(header, 80),
                    shown.0,
                    advocacy_arrow::UTF8_ALLOWED
                )
            });
        }
        let name_column = self.plan.name_column().map(|c| advocacy_arrow::to_column(&arrays[c]).0);
        let name_text: Vec<Option<String>> = match &name_column {
            Some(col) => (0..n).map(|r| col.id_text(r).map(|t| t.into_owned())).collect(),
            None => Vec::new(),
        };
        let names: Vec<Option<&str>> = name_text.iter().map(Option::as_deref).collect();
        // Kept columns as text (dates as `YYYY-MM-DD`), from the batch's own arrays.
        let kept_columns: Vec<Option<Column>> = self
            .kept_cols
            .iter()
            .map(|c| c.map(|c| advocacy_arrow::to_column(&advocacy_arrow::normalize(batch.column(c))).0.into_owned()))
            .collect();
        let kept_text: Vec<Option<String>> = (0..n)
            .flat_map(|r| {
                kept_columns.iter().map(move |c| c.as_ref().and_then(|c| c.id_text(r)).map(|t| t.into_owned()))
            })
            .collect();
        let kept: Vec<Option<&str>> = kept_text.iter().map(Option::as_deref).collect();
        self.rows_of(&read.columns, &rows, broken, &names, &kept, out)
    }

    /// Where row `line` is, in messages: `file:line` for text files, `file: row N` for Parquet.
    fn place(&self, line: usize) -> String {
        if self.opts.rows_not_lines {
            format!("{}: row {line}", self.shown)
        } else {
            format!("{}:{line}", self.shown)
        }
    }

    /// Scores a batch of rows (`lines`: where each is; `broken`: why a row could not be read;
    /// `names`: the name cells, or empty; `kept`: the kept cells, row after row) and writes or
    /// keeps their lines.
    fn rows_of(
        &mut self,
        cols: &Columns<'_>,
        lines: &[usize],
        broken: Vec<Option<String>>,
        names: &[Option<&str>],
        kept: &[Option<&str>],
        out: &mut dyn Write,
    ) -> Result<(), String> {
        let n = cols.len();
        self.model.score_columns_into(cols, OnError::Flag, &mut self.out).map_err(|e| e.to_string())?;
        let mut errors: Vec<Option<String>> = vec![None; n];
        for e in &self.out.errors {
            if let Some(r) = e.row {
                let mut e = e.clone();
                e.row = None;
                errors[r] = Some(format!("{}: {e}", self.place(lines[r])));
            }
        }
        for (r, (slot, broken)) in errors.iter_mut().zip(broken).enumerate() {
            if broken.is_some() {
                *slot = broken;
            } else if slot.is_none() && self.plan.id_column().is_some() {
                *slot = self.check_id(cols.id(r), lines[r]);
            }
        }
        if !self.opts.flag {
            if let Some(why) = errors.iter().flatten().next() {
                return Err(why.clone());
            }
        }
        for (r, error) in errors.iter().enumerate() {
            let id = cols.id(r).unwrap_or_default();
            let name = names.get(r).copied().flatten().unwrap_or("");
            let total = if error.is_some() { f64::NAN } else { self.out.total[r] };
            match error {
                Some(why) => {
                    eprintln!("flagged: {}", printable(why, 4000));
                    self.flagged += 1;
                }
                None => {
                    if let Some(t) = self.out.tier[r] {
                        self.tiers[t.code() as usize] += 1;
                    }
                }
            }
            self.rows += 1;
            let width = self.kept.len();
            self.format_row(r, &id, name, &kept[r * width..(r + 1) * width], error.as_deref());
            if !self.signals.is_empty() {
                self.line_buf.pop();
                for (signal, _) in &self.signals {
                    self.line_buf.push(',');
                    let raw = if error.is_some() {
                        Value::Null
                    } else {
                        cols.get(signal).map_or(Value::Null, |c| c.value(r))
                    };
                    // The clean value, as the score read it (NaN and empty text are missing).
                    let value = match self.model.signal(signal) {
                        Some(spec) => spec.check(&raw).ok().flatten().unwrap_or(Value::Null),
                        None => raw,
                    };
                    match value {
                        Value::Null => {}
                        Value::Number(x) => write_num(&mut self.line_buf, x),
                        Value::Bool(b) => self.line_buf.push_str(if b { "true" } else { "false" }),
                        Value::Text(t) => csv_field(&mut self.line_buf, &t),
                    }
                }
                self.line_buf.push('\n');
            }
            if self.opts.input_order {
                let prefix = self.prefix(self.rows);
                out.write_all(prefix.as_bytes())
                    .and_then(|_| out.write_all(self.line_buf.as_bytes()))
                    .map_err(|e| e.to_string())?;
            } else if let Some(spill) = &mut self.spill {
                spill.write_all(self.line_buf.as_bytes()).map_err(|e| e.to_string())?;
                self.pending.push(total, self.line_buf.len());
                self.written += self.line_buf.len() as u64;
            }
        }
        Ok(())
    }

    /// The duplicate-id check across the whole stream, on 128-bit hashes of the ids.
    fn check_id(&mut self, id: Option<String>, line: usize) -> Option<String> {
        let (e, first) = self.ids.check(line, id.as_deref())?;
        let unit = if self.opts.rows_not_lines { "row" } else { "line" };
        Some(match first {
            None => format!("{}: the account id is empty; allowed: a non-empty account id", self.place(line)),
            Some(first) => format!(
                "{}: account id {:?} is also the id on {unit} {first}; allowed: an id no other row has",
                self.place(line),
                printable(e.id.as_deref().unwrap_or(""), 80)
            ),
        })
    }

    /// The row's text after its rank (or row) field, in `line_buf`.
    fn format_row(&mut self, r: usize, id: &str, name: &str, kept: &[Option<&str>], error: Option<&str>) {
        let b = &self.out;
        let s = &mut self.line_buf;
        s.clear();
        let kept_cell = |k: usize| kept.get(k).copied().flatten().map_or("", str::trim);
        match self.opts.output {
            Output::Csv => {
                csv_field(s, id);
                for k in 0..kept.len() {
                    s.push(',');
                    csv_field(s, kept_cell(k));
                }
                match error {
                    None => {
                        s.push(',');
                        write_num(s, b.total[r]);
                        s.push(',');
                        s.push_str(b.tier[r].map_or("", Tier::as_str));
                        for (_, v) in &b.categories {
                            s.push(',');
                            write_num(s, v[r]);
                        }
                        s.push(',');
                        write_num(s, b.completeness[r]);
                        s.push(',');
                        write_num(s, b.max_possible[r]);
                        s.push(',');
                    }
                    Some(e) => {
                        for _ in 0..(2 + b.categories.len() + 2) {
                            s.push(',');
                        }
                        s.push(',');
                        csv_field(s, e);
                    }
                }
                s.push('\n');
            }
            Output::Jsonl => {
                let mut o = serde_json::Map::new();
                o.insert("id".into(), if id.is_empty() { serde_json::Value::Null } else { id.into() });
                for (k, key) in self.kept.names.iter().enumerate() {
                    let v = kept_cell(k);
                    o.insert(key.clone(), if v.is_empty() { serde_json::Value::Null } else { v.into() });
                }
                let num = |v: f64| serde_json::Value::from(v);
                match error {
                    None => {
                        o.insert("score".into(), num(b.total[r]));
                        o.insert("tier".into(), b.tier[r].map_or(serde_json::Value::Null, |t| t.as_str().into()));
                        for (c, v) in &b.categories {
                            o.insert(c.clone(), num(v[r]));
                        }
                        o.insert("completeness".into(), num(b.completeness[r]));
                        o.insert("max_possible".into(), num(b.max_possible[r]));
                        o.insert("error".into(), serde_json::Value::Null);
                    }
                    Some(e) => {
                        for k in ["score", "tier"]
                            .into_iter()
                            .map(String::from)
                            .chain(b.categories.iter().map(|(c, _)| c.clone()))
                            .chain(["completeness".into(), "max_possible".into()])
                        {
                            o.insert(k, serde_json::Value::Null);
                        }
                        o.insert("error".into(), e.into());
                    }
                }
                // The rank (or row) key is written in front of these fields.
                let text = serde_json::Value::Object(o).to_string();
                s.push_str(&text[1..]);
                s.push('\n');
            }
            Output::Table => {
                s.push_str(&format!("{:<12} {:<22} ", short(id, 12), short(name, 22)));
                match error {
                    None => {
                        let tier = b.tier[r].map_or("", |tier| crate::tier_text(self.opts.lang, tier));
                        s.push_str(&format!("{:>6}  {:<21}", fmt_num(b.total[r]), tier));
                        for ((_, v), max) in b.categories.iter().zip(&self.category_max) {
                            s.push_str(&format!(" {:>12}", format!("{}/{}", fmt_num(v[r]), fmt_num(*max))));
                        }
                        s.push_str(&format!(" {:>7}%", fmt_num((b.completeness[r] * 100.0).round())));
                    }
                    Some(e) => s.push_str(&format!("{:>6}  error: {}", "-", printable(e, 4000))),
                }
                for k in (0..self.kept.len()).filter(|k| Some(*k) != self.kept.name_slot) {
                    s.push_str(&format!("  {:<22}", short(kept_cell(k), 22)));
                }
                s.truncate(s.trim_end().len());
                s.push('\n');
            }
        }
    }

    fn prefix(&self, n: usize) -> String {
        match self.opts.output {
            Output::Csv => {
                let mut s = String::with_capacity(12);
                write_num(&mut s, n as f64);
                s.push(',');
                s
            }
            Output::Jsonl => format!("{{\"{}\":{n},", if self.opts.input_order { "row" } else { "rank" }),
            Output::Table => format!("{n:>4}  "),
        }
    }

    /// Writes the spilled lines in rank order (total descending, ties in input order, flagged
    /// rows last; the first `--top` only), reading the spill file only front to back: the rank
    /// positions are cut into windows of about [`RANK_WINDOW_BYTES`] of lines, and each pass over
    /// the file picks the lines of one window into memory and writes them in order. Returns the
    /// number of rows written.
    fn rank_order(&mut self, out: &mut dyn Write) -> Result<usize, String> {
        let order = advocacy_core::rank(&self.pending.totals);
        let shown = self.opts.top.map_or(order.len(), |n| n.min(order.len()));
        // Each row's position in the output (u32::MAX: not shown).
        let mut position = vec![u32::MAX; order.len()];
        for (k, &i) in order[..shown].iter().enumerate() {
            position[i] = k as u32;
        }
        drop(order);
        let lens = &self.pending.lens;
        let shown_bytes: u64 = (0..lens.len()).filter(|&i| position[i] != u32::MAX).map(|i| lens[i] as u64).sum();
        // ADVOCACY_RANK_WINDOW_BYTES: a smaller window, for the tests of many windows.
        let window = std::env::var("ADVOCACY_RANK_WINDOW_BYTES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| (shown_bytes / 4).clamp(RANK_WINDOW_BYTES, RANK_WINDOW_MAX));
        let windows = shown_bytes.div_ceil(window.max(1)).max(1) as usize;
        let per_window = shown.div_ceil(windows).max(1);
        let mut file = self.spill_file.take().ok_or("the ranking's temporary file is gone")?;
        let mut w = BufWriter::with_capacity(1 << 20, &mut *out);
        for win in 0..windows {
            let (lo, hi) = (win * per_window, ((win + 1) * per_window).min(shown));
            if lo >= hi {
                break;
            }
            // (start in `held`, length) of each line of the window, by position.
            let mut slots = vec![(0usize, 0u32); hi - lo];
            let mut held: Vec<u8> = Vec::new();
            file.seek(SeekFrom::Start(0)).map_err(|e| e.to_string())?;
            let mut reader = BufReader::with_capacity(1 << 20, &mut file);
            for (i, &len) in lens.iter().enumerate() {
                let p = position[i] as usize;
                if position[i] != u32::MAX && (lo..hi).contains(&p) {
                    slots[p - lo] = (held.len(), len);
                    let at = held.len();
                    held.resize(at + len as usize, 0);
                    reader.read_exact(&mut held[at..]).map_err(|e| e.to_string())?;
                } else {
                    // Skipped: within the reader's buffer, or a seek beyond it.
                    reader.seek_relative(len as i64).map_err(|e| e.to_string())?;
                }
            }
            for (k, (at, len)) in slots.iter().enumerate() {
                w.write_all(self.prefix(lo + k + 1).as_bytes())
                    .and_then(|_| w.write_all(&held[*at..*at + *len as usize]))
                    .map_err(|e| e.to_string())?;
            }
        }
        w.flush().map_err(|e| e.to_string())?;
        Ok(shown)
    }

    fn finish(mut self, out: &mut dyn Write) -> Result<usize, String> {
        if !self.opts.input_order {
            if let Some(spill) = self.spill.take() {
                spill.into_inner().map_err(|e| e.to_string())?;
            }
            let shown = self.rank_order(out)?;
            if self.opts.output == Output::Table {
                let lang = self.opts.lang;
                let summary: Vec<String> = Tier::ALL
                    .iter()
                    .zip(self.tiers)
                    .filter(|(_, n)| *n > 0)
                    .map(|(&tier, n)| format!("{} {n}", crate::tier_text(lang, tier)))
                    .collect();
                let values = [("count", shown.to_string()), ("tiers", summary.join(", "))];
                let values: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let _ = writeln!(out, "\n{}", advocacy_program::lang::message(lang, "table.shown", &values));
            }
        }
        Ok(self.flagged)
    }
}

/// Appends a CSV field, quoted when it must be.
fn csv_field(s: &mut String, field: &str) {
    if field.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r')) {
        s.push('"');
        s.push_str(&field.replace('"', "\"\""));
        s.push('"');
    } else {
        s.push_str(field);
    }
}

/// Text for a terminal cell: control characters escaped, at most `n` characters.
fn short(s: &str, n: usize) -> String {
    let s = printable(s, n + 1);
    if s.chars().count() <= n {
        s
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

/// An anonymous temporary file, removed when closed.
fn tempfile() -> std::io::Result<File> {
    let dir = std::env::temp_dir();
    for i in 0..100u32 {
        let path = dir.join(format!("advocacy-rank-{}-{i}", std::process::id()));
        match std::fs::OpenOptions::new().read(true).write(true).create_new(true).open(&path) {
            Ok(f) => {
                // Unlinked at once: the open handle keeps it until the command ends.
                let _ = std::fs::remove_file(&path);
                return Ok(f);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other("no free temporary file name"))
}
