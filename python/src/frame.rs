//! Tables: Arrow batches in, the core's column plan and columnar scoring, Arrow batches out.
//!
//! Everything here runs without the GIL: it gets plain Arrow batches (already imported from the
//! caller's object) and returns Arrow batches. The semantics are the core's: which column holds
//! what (`Model::read_columns`, `ColumnPlan::check_reads_something`), how cells read
//! (`ColumnPlan::read_column`), scoring (`Model::score_pieces`, `Model::score_records`), ids that
//! must be unique across a table or a whole stream (`UniqueIds`, `id_errors`), freshness (the
//! plan's observation date column, handed to the batch with `Columns::set_observed` and
//! `Columns::set_as_of`, and read for records by `ColumnPlan::read_row` and
//! `RowRead::into_record`) and ranking (`BatchScores::top`). Arrow arrays become the core's
//! columns through `advocacy_arrow` (zero-copy where Arrow allows; text of category, text and
//! boolean signals as dictionaries of its distinct values). This module only converts columns,
//! schedules the work on threads and assembles results.

use std::borrow::Cow;
use std::sync::Arc;

use advocacy_arrow::{normalize, observed_array, text_dictionary, to_column, NotUtf8};
use advocacy_core::{
    id_errors, printable, BatchScores, Column, ColumnError, ColumnMapping, ColumnPlan, Columns, Date, ErrorEnvelope,
    Model, ModelError, OnError, Outcome, Outputs, Record, RecordError, RowRead, Score, SignalKind, SignalSpec, Tier,
    UniqueIds, Value, Warning,
};
use arrow_array::builder::StringBuilder;
use arrow_array::types::Int8Type;
use arrow_array::{
    Array, ArrayRef, DictionaryArray, Float64Array, Int64Array, Int8Array, RecordBatch, RecordBatchOptions,
    StringArray, UInt64Array,
};
use arrow_buffer::{NullBuffer, ScalarBuffer};
use arrow_schema::{DataType, Field, Schema, SchemaRef};

use crate::convert::not_utf8_error;

/// What went wrong, before it becomes a Python exception.
pub enum Fail {
    /// A core error (a bad row with `on_error="raise"`, a column plan the core refuses) or an
    /// argument value the binding cannot take, as the envelope its exception is built from.
    Error(Box<ErrorEnvelope>),
    /// A table that cannot be read or a result that cannot be built (becomes `TypeError`).
    Type(String),
}

impl From<RecordError> for Fail {
    fn from(e: RecordError) -> Self {
        Fail::Error(Box::new(e.into()))
    }
}

impl From<ColumnError> for Fail {
    fn from(e: ColumnError) -> Self {
        Fail::Error(Box::new(e.into()))
    }
}

impl From<ModelError> for Fail {
    fn from(e: ModelError) -> Self {
        Fail::Error(Box::new(e.into()))
    }
}

/// An argument value the binding cannot take (a `UsageError`; the core writes the message).
fn usage<T>(code: &str, argument: &str, value: &str, allowed: &str) -> Result<T, Fail> {
    Err(Fail::Error(Box::new(ErrorEnvelope::usage(code, argument, value, allowed))))
}

/// A column that the Arrow import could not carry (a pandas object column of mixed types), read
/// value by value like record fields; one value per table row.
pub struct ObjColumn {
    /// Its position among the table's columns.
    pub position: usize,
    /// Its name.
    pub name: String,
    /// The values (bytes that are not UTF-8 are missing here and listed in `bad`).
    pub values: Vec<Value>,
    /// Rows whose bytes are not UTF-8.
    pub bad: Vec<(usize, NotUtf8)>,
}

/// The caller's table as Arrow batches, plus the columns that had to come as Python values.
pub struct Input {
    /// The batches.
    pub batches: Vec<RecordBatch>,
    /// Their schema.
    pub schema: SchemaRef,
    /// Columns read from Python values instead (whole table length).
    pub objcols: Vec<ObjColumn>,
}

/// Where a column of the table is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Src {
    /// An Arrow column (index in the schema).
    Arrow(usize),
    /// An object column (index in `Input::objcols`).
    Obj(usize),
}

/// What to compute.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// One row per account.
    Score,
    /// One row per account, best first.
    Rank(Option<usize>),
    /// One row per account and criterion.
    Explain,
}

/// Arguments shared by `score_frame`, `rank` and `explain_frame`.
#[derive(Clone)]
pub struct Args {
    /// Fail or flag bad rows.
    pub on_error: OnError,
    /// How columns are read, on top of the automatic matching (the `id_column` argument is in it).
    pub mapping: ColumnMapping,
    /// The id column was named by the `id_column` argument (so it must be a column).
    pub id_argument: bool,
    /// Input columns carried into the result.
    pub keep: Vec<String>,
    /// Every input column is carried into the result, in the table's order (`keep="all"`).
    pub keep_all: bool,
    /// Text put before the name of every computed column (`prefix=`; empty: none).
    pub prefix: String,
    /// Whether the result carries the id and kept columns (false for pandas: Python re-attaches them).
    pub carry: bool,
    /// Add a `__row` column with the input row of each result row.
    pub with_row: bool,
    /// The as-of date: values observed longer ago than the model's maximum age for their signal
    /// count as missing (and, in explain, the revisit dates).
    pub as_of: Option<Date>,
    /// The computed columns to return, by name and in this order (`select=`); `None`: all of them.
    pub select: Option<Vec<String>>,
}

/// A result table and what the caller needs to finish it.
pub struct TableResult {
    /// The result, as batches (a scored table: one per input batch, the carried columns shared
    /// with the input's).
    pub batches: Vec<RecordBatch>,
    /// Their schema.
    pub schema: SchemaRef,
    /// The column plan's warnings (columns read as nothing, mapping entries with no column),
    /// then the model's.
    pub warnings: Vec<Warning>,
    /// Position among the table's columns of the id column, if any.
    pub id_position: Option<usize>,
    /// Positions of the kept columns.
    pub keep_positions: Vec<usize>,
}

impl Input {
    fn num_rows(&self) -> usize {
        self.batches.iter().map(|b| b.num_rows()).sum()
    }

    /// Every column of the table in its order: name and where it is.
    fn headers(&self) -> Result<Vec<(String, Src)>, Fail> {
        let fields = self.schema.fields();
        let total = fields.len() + self.objcols.len();
        let mut out = Vec::with_capacity(total);
        let mut next = 0;
        for pos in 0..total {
            if let Some(k) = self.objcols.iter().position(|o| o.position == pos) {
                out.push((self.objcols[k].name.clone(), Src::Obj(k)));
            } else {
                let f = fields.get(next).ok_or_else(|| Fail::Type("internal: column positions".into()))?;
                out.push((f.name().clone(), Src::Arrow(next)));
                next += 1;
            }
        }
        Ok(out)
    }

    /// A whole column (Arrow columns concatenated over batches; object columns as text).
    fn whole_column(&self, src: Src, name: &str) -> Result<ArrayRef, Fail> {
        match src {
            Src::Arrow(k) => {
                let parts: Vec<&dyn Array> = self.batches.iter().map(|b| b.column(k).as_ref()).collect();
                match parts.len() {
                    0 => Ok(arrow_array::new_empty_array(self.schema.field(k).data_type())),
                    1 => Ok(self.batches[0].column(k).clone()),
                    _ => arrow_select::concat::concat(&parts).map_err(|e| Fail::Type(format!("column `{name}`: {e}"))),
                }
            }
            Src::Obj(k) => {
                let arr: StringArray = self.objcols[k].values.iter().map(value_text).collect();
                Ok(Arc::new(arr))
            }
        }
    }

    /// The type a column has in a result.
    fn column_type(&self, src: Src) -> DataType {
        match src {
            Src::Arrow(k) => self.schema.field(k).data_type().clone(),
            Src::Obj(_) => DataType::Utf8,
        }
    }
}

/// A table as loose cells: its headers, its rows (one value per header), and the cells of
/// bytes that are not UTF-8 (row, column, bytes as shown; missing in the rows).
pub type TableCells = (Vec<String>, Vec<Vec<Value>>, Vec<(usize, usize, NotUtf8)>);

impl Input {
    /// The table as loose cells, for the core's `SourceTable`: each Arrow column through the same
    /// import as scoring ([`normalize`], [`to_column`]), read cell by cell with `Column::value`
    /// (numbers, booleans, text; dates and other types as their text); object columns as their
    /// Python values.
    pub fn cells(&self) -> Result<TableCells, Fail> {
        let headers = self.headers()?;
        let n = self.num_rows();
        let mut rows = vec![vec![Value::Null; headers.len()]; n];
        let mut bad = Vec::new();
        for (c, (_, src)) in headers.iter().enumerate() {
            match *src {
                Src::Arrow(k) => {
                    let mut offset = 0;
                    for b in &self.batches {
                        let array = normalize(b.column(k));
                        let (col, cells) = to_column(&array);
                        for i in 0..b.num_rows() {
                            rows[offset + i][c] = col.value(i);
                        }
                        bad.extend(cells.into_iter().map(|(i, shown)| (offset + i, c, shown)));
                        offset += b.num_rows();
                    }
                }
                Src::Obj(k) => {
                    let o = &self.objcols[k];
                    for (row, v) in rows.iter_mut().zip(&o.values) {
                        row[c] = v.clone();
                    }
                    bad.extend(o.bad.iter().map(|(i, shown)| (*i, c, shown.clone())));
                }
            }
        }
        Ok((headers.into_iter().map(|(h, _)| h).collect(), rows, bad))
    }
}

/// A value as text for result tables (`None` when missing).
pub fn value_text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::Number(x) if x.is_nan() => None,
        Value::Number(x) => Some(advocacy_core::fmt_num(*x)),
        Value::Bool(b) => Some(b.to_string()),
        Value::Text(s) => Some(s.clone()),
    }
}

/// One signal column of the plan.
struct SignalColumn<'m> {
    spec: &'m SignalSpec,
    src: Src,
    header: String,
    /// The signal's place in the model's signal order (the order rows are validated in).
    order: usize,
    /// Its position among the table's columns.
    position: usize,
}

/// Which input columns feed which signals and the id: the core's column plan, located.
struct Plan<'m> {
    core: ColumnPlan,
    signals: Vec<SignalColumn<'m>>,
    id: Option<(Src, String, usize)>,
    /// The observation date column (where, header, position).
    observed: Option<(Src, String, usize)>,
    keep: Vec<(Src, String, usize)>,
}

fn plan<'m>(model: &'m Model, input: &Input, args: &Args) -> Result<Plan<'m>, Fail> {
    let headers = input.headers()?;
    let names: Vec<&str> = headers.iter().map(|(n, _)| n.as_str()).collect();
    let core = model.read_columns(&names, &args.mapping)?;
    core.check_reads_something(model)?;
    let id = core.id_column().map(|i| (headers[i].1, headers[i].0.clone(), i));
    let observed = core.observed_column().map(|i| (headers[i].1, headers[i].0.clone(), i));
    if id.is_none() && args.id_argument {
        let name = args.mapping.id.as_deref().unwrap_or("");
        return usage(
            "unknown_column",
            "id_column",
            &format!("{:?}", printable(name, 80)),
            "a column of the table or None",
        );
    }
    let mut keep = Vec::new();
    if args.keep_all {
        keep.extend(headers.iter().enumerate().map(|(i, (name, src))| (*src, name.clone(), i)));
    }
    for k in args.keep.iter().filter(|_| !args.keep_all) {
        let at: Vec<usize> = (0..headers.len()).filter(|&i| headers[i].0 == *k).collect();
        match at.as_slice() {
            [] => {
                return usage(
                    "unknown_column",
                    "keep",
                    &format!("{:?}", printable(k, 80)),
                    "names of columns of the table",
                )
            }
            [i] => {
                if !keep.iter().any(|(_, _, j)| j == i) {
                    keep.push((headers[*i].1, k.clone(), *i));
                }
            }
            _ => {
                let shown = format!("{:?}", printable(k, 80));
                return usage("duplicate_column", "keep", &shown, "the name of exactly one column of the table");
            }
        }
    }
    let mut signals = Vec::new();
    for (i, (header, src)) in headers.iter().enumerate() {
        let Some(name) = core.signal_of(i) else { continue };
        let Some(spec) = model.signal(name) else { continue };
        let order = model.known_signals().iter().position(|s| s.name == spec.name).unwrap_or(usize::MAX);
        signals.push(SignalColumn { spec, src: *src, header: header.clone(), order, position: i });
    }
    Ok(Plan { core, signals, id, observed, keep })
}

/// One piece's prepared (cast) arrays; its columns borrow from them.
struct Prepared {
    /// Per signal column of the plan: the array (Arrow columns) or None (object columns).
    arrays: Vec<Option<ArrayRef>>,
    id: Option<ArrayRef>,
    /// The observation dates (Arrow columns; dates and timestamps as day numbers).
    observed: Option<ArrayRef>,
    rows: usize,
    /// The piece's first row in the table.
    offset: usize,
}

fn prepare(plan: &Plan, batch: &RecordBatch, offset: usize) -> Prepared {
    let array = |src: Src| match src {
        Src::Arrow(k) => Some(normalize(batch.column(k))),
        Src::Obj(_) => None,
    };
    let arrays = plan.signals.iter().map(|s| array(s.src)).collect();
    let id = plan.id.as_ref().and_then(|(src, _, _)| array(*src));
    let observed = plan.observed.as_ref().and_then(|(src, _, _)| match src {
        Src::Arrow(k) => Some(observed_array(batch.column(*k))),
        Src::Obj(_) => None,
    });
    Prepared { arrays, id, observed, rows: batch.num_rows(), offset }
}

/// A cell that could not be read: its table row, the signal (`id` for the id), the column, the
/// signal's place in validation order (the id first) and the bytes as shown.
struct BadCell {
    row: usize,
    signal: String,
    header: String,
    order: usize,
    shown: NotUtf8,
}

/// The columns of one piece that the plan reads, as the table has them (before the plan's value
/// maps): each signal's (by its index in `Plan::signals`), the id's and the observation dates'.
struct Raw<'a> {
    signals: Vec<(usize, Column<'a>)>,
    id: Option<Column<'a>>,
    observed: Option<Column<'a>>,
}

/// Whether text of a signal is handed to the core as a dictionary of its distinct values: the
/// kinds whose rules compare text (categories, text, and booleans read from words).
fn as_dictionary(spec: &SignalSpec) -> bool {
    matches!(spec.kind, SignalKind::Category | SignalKind::Text | SignalKind::Bool)
}

/// The [`Raw`] columns of one piece (borrowing the prepared arrays and the object columns), with
/// the cells it could not read. With `dictionaries`, text columns of the signals
/// [`as_dictionary`] names come as dictionaries of their distinct values.
fn raw_columns<'a>(
    p: &'a Prepared,
    plan: &'a Plan,
    input: &'a Input,
    dictionaries: bool,
    bad: &mut Vec<BadCell>,
) -> Raw<'a> {
    let obj = |k: usize| -> Column<'a> {
        let vals = &input.objcols[k].values;
        Column::Values(Cow::Borrowed(vals.get(p.offset..p.offset + p.rows).unwrap_or(&[])))
    };
    let mut arrow = |a: &'a ArrayRef, signal: &str, header: &str, order: usize| -> Column<'a> {
        let (col, cells) = to_column(a);
        bad.extend(cells.into_iter().map(|(i, shown)| BadCell {
            row: p.offset + i,
            signal: signal.to_string(),
            header: header.to_string(),
            order,
            shown,
        }));
        col
    };
    let mut signals = Vec::with_capacity(plan.signals.len());
    for (k, (s, array)) in plan.signals.iter().zip(&p.arrays).enumerate() {
        let col = match (array, s.src) {
            (Some(a), _) => {
                let dict = if dictionaries && as_dictionary(s.spec) { text_dictionary(a) } else { None };
                match dict {
                    Some(col) => col,
                    None => arrow(a, &s.spec.name, &s.header, s.order.saturating_add(1)),
                }
            }
            (None, Src::Obj(j)) => obj(j),
            (None, Src::Arrow(_)) => continue,
        };
        signals.push((k, col));
    }
    let id = plan.id.as_ref().and_then(|(src, header, _)| match (&p.id, src) {
        (Some(a), _) => Some(arrow(a, "id", header, 0)),
        (None, Src::Obj(j)) => Some(obj(*j)),
        (None, Src::Arrow(_)) => None,
    });
    let observed = plan.observed.as_ref().and_then(|(src, header, _)| match (&p.observed, src) {
        (Some(a), _) => Some(arrow(a, "observed", header, usize::MAX)),
        (None, Src::Obj(j)) => Some(obj(*j)),
        (None, Src::Arrow(_)) => None,
    });
    Raw { signals, id, observed }
}

/// The core columns of one piece: the [`Raw`] columns through the plan's value maps, with its
/// read options, the ids, the observation dates, the as-of date and the result columns to
/// compute. Ids are checked across all
/// pieces by the caller ([`check_ids`]), not per piece.
fn columns<'a>(
    p: &'a Prepared,
    plan: &'a Plan,
    input: &'a Input,
    as_of: Option<Date>,
    outputs: Outputs,
    bad: &mut Vec<BadCell>,
) -> Result<Columns<'a>, Fail> {
    let raw = raw_columns(p, plan, input, true, bad);
    let mut cols = Columns::new(p.rows);
    cols.set_read_options(plan.core.options);
    cols.set_outputs(outputs);
    for (k, col) in raw.signals {
        let spec = plan.signals[k].spec;
        cols.add(&spec.name, plan.core.read_column(spec, col))?;
    }
    if let Some(c) = raw.id {
        cols.set_ids(c)?;
    }
    if let Some(c) = raw.observed {
        cols.set_observed(c)?;
    }
    if let Some(d) = as_of {
        cols.set_as_of(d);
    }
    Ok(cols)
}

/// The cells of the object columns that could not be read.
fn object_bad_cells(plan: &Plan, input: &Input) -> Vec<BadCell> {
    let mut out = Vec::new();
    let mut add = |k: usize, signal: &str, header: &str, order: usize| {
        for (row, shown) in &input.objcols[k].bad {
            out.push(BadCell {
                row: *row,
                signal: signal.to_string(),
                header: header.to_string(),
                order,
                shown: shown.clone(),
            });
        }
    };
    for s in &plan.signals {
        if let Src::Obj(k) = s.src {
            add(k, &s.spec.name, &s.header, s.order.saturating_add(1));
        }
    }
    if let Some((Src::Obj(k), header, _)) = &plan.id {
        add(*k, "id", header, 0);
    }
    if let Some((Src::Obj(k), header, _)) = &plan.observed {
        add(*k, "observed", header, usize::MAX);
    }
    out
}

/// The first unreadable cell of each row (in validation order: the id, then the signals in the
/// model's order), by row.
fn first_bad_per_row(mut bad: Vec<BadCell>) -> Vec<BadCell> {
    bad.sort_by_key(|b| (b.row, b.order));
    bad.dedup_by_key(|b| b.row);
    bad
}

/// Rows per piece: an Arrow batch longer than this is handed to the core as slices of it, so
/// that `Model::score_pieces` can spread a big table over its threads.
const PIECE_ROWS: usize = 64 * 1024;

/// Below this many rows, reading columns and checking ids stay on the calling thread.
const PARALLEL_ROWS: usize = 2 * PIECE_ROWS;

/// The table cut into pieces of at most [`PIECE_ROWS`] rows, prepared.
fn prepare_all(plan: &Plan, input: &Input) -> Vec<Prepared> {
    let mut prepared = Vec::new();
    let mut offset = 0;
    for batch in &input.batches {
        let n = batch.num_rows();
        let mut start = 0;
        while start < n {
            let len = PIECE_ROWS.min(n - start);
            prepared.push(prepare(plan, &batch.slice(start, len), offset + start));
            start += len;
        }
        offset += n;
    }
    prepared
}

/// How many threads to spread `rows` rows over.
fn threads(rows: usize) -> usize {
    if rows < PARALLEL_ROWS {
        return 1;
    }
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Some pieces' core columns, and the cells that could not be read.
type PiecesRead<'a> = (Vec<Result<Columns<'a>, Fail>>, Vec<BadCell>);

/// The core columns of every piece (on as many threads as the machine has, for a big table),
/// with the cells that could not be read.
fn read_pieces<'a>(
    prepared: &'a [Prepared],
    plan: &'a Plan,
    input: &'a Input,
    as_of: Option<Date>,
    outputs: Outputs,
) -> Result<(Vec<Columns<'a>>, Vec<BadCell>), Fail> {
    let rows: usize = prepared.iter().map(|p| p.rows).sum();
    let run = |ps: &'a [Prepared]| -> PiecesRead<'a> {
        let mut bad = Vec::new();
        let cols = ps.iter().map(|p| columns(p, plan, input, as_of, outputs, &mut bad)).collect();
        (cols, bad)
    };
    let parts: Vec<PiecesRead<'a>> = match threads(rows) {
        1 => vec![run(prepared)],
        n => std::thread::scope(|s| {
            let per = prepared.len().div_ceil(n).max(1);
            let handles: Vec<_> = prepared.chunks(per).map(|run_of| s.spawn(move || run(run_of))).collect();
            handles.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
        }),
    };
    let mut pieces = Vec::with_capacity(prepared.len());
    let mut bad = object_bad_cells(plan, input);
    for (cols, b) in parts {
        for c in cols {
            pieces.push(c?);
        }
        bad.extend(b);
    }
    Ok((pieces, bad))
}

/// Ids that every row needs, checked across a whole table or a whole stream of batches with the
/// core's [`UniqueIds`], the rows seen so far, and each id's first row.
///
/// The ids are spread over [`ID_PARTS`] checks by a hash of the id's text (the core's text of
/// it, `Column::id_text`), so that the same id always meets the same check: each check sees its
/// ids in row order and is small enough to stay in cache, and the checks run on several threads.
/// The errors are those of one check over every row.
pub struct StreamIds {
    parts: Vec<UniqueIds>,
    /// Rows before the next batch.
    pub rows: usize,
}

/// How many [`UniqueIds`] checks a stream's ids are spread over.
const ID_PARTS: usize = 256;

impl Default for StreamIds {
    fn default() -> Self {
        StreamIds { parts: (0..ID_PARTS).map(|_| UniqueIds::default()).collect(), rows: 0 }
    }
}

/// The ids of some rows that go to one check, in row order: their text one after the other
/// (copied, so that the check reads them in order from one place), and each row with the end of
/// its id in `text`.
#[derive(Default)]
struct IdPart {
    text: String,
    rows: Vec<(usize, usize)>,
}

/// The ids of a run of pieces by check, and the errors of its rows without an id.
type Spread = (Vec<IdPart>, Vec<(usize, RecordError)>);

/// A run of pieces (each with its index) sorted into the checks by their ids (the core's text of
/// each, `Column::id_text`), and the errors of the rows without an id (the core's own
/// `missing_id`); rows count as in [`check_ids`].
fn spread_ids(run: &[(usize, &Columns<'_>)], starts: &[usize], offset: usize) -> Spread {
    use std::hash::BuildHasher;
    let hasher = rustc_hash::FxBuildHasher;
    // Room for an even share of the rows (and ids of a dozen bytes) in each check, so that the
    // buffers seldom grow.
    let rows: usize = run.iter().map(|(_, p)| p.len()).sum();
    let share = rows / ID_PARTS + rows / ID_PARTS / 4 + 16;
    let mut parts: Vec<IdPart> = (0..ID_PARTS)
        .map(|_| IdPart { text: String::with_capacity(share * 12), rows: Vec::with_capacity(share) })
        .collect();
    let mut missing = Vec::new();
    // A row without an id is an error whatever came before: a check of its own says which.
    let mut probe = UniqueIds::default();
    for (k, piece) in run {
        let Some(col) = piece.id_column() else { continue };
        for i in 0..piece.len() {
            let row = starts[*k] + i;
            match col.id_text(i) {
                Some(id) => {
                    let part = &mut parts[(hasher.hash_one(id.as_ref()) as usize) % ID_PARTS];
                    part.text.push_str(&id);
                    part.rows.push((row, part.text.len()));
                }
                None => missing.extend(probe.check(offset + row, None).map(|(e, _)| (row, e))),
            }
        }
    }
    (parts, missing)
}

/// The id errors of the pieces' rows (row numbers from the first piece's first row, as the
/// errors' own rows are), checked in row order against every id `ids` has seen; the rows count
/// on by the pieces' length.
fn check_ids(pieces: &[Columns<'_>], ids: &mut StreamIds) -> Vec<(usize, RecordError)> {
    let offset = ids.rows;
    let rows: usize = pieces.iter().map(Columns::len).sum();
    ids.rows += rows;
    // The first row of each piece.
    let mut starts = Vec::with_capacity(pieces.len());
    let mut at = 0;
    for p in pieces {
        starts.push(at);
        at += p.len();
    }
    let n = threads(rows);
    // 1. Each thread sorts a run of pieces' rows into the checks.
    let indexed: Vec<(usize, &Columns<'_>)> = pieces.iter().enumerate().collect();
    let spreads: Vec<Spread> = if n <= 1 {
        vec![spread_ids(&indexed, &starts, offset)]
    } else {
        let per = indexed.len().div_ceil(n).max(1);
        let starts = &starts;
        std::thread::scope(|s| {
            let handles: Vec<_> =
                indexed.chunks(per).map(|run| s.spawn(move || spread_ids(run, starts, offset))).collect();
            handles.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
        })
    };
    // 2. Each check goes through its rows in row order (the runs are consecutive).
    let check = |k: usize, seen: &mut UniqueIds| -> Vec<(usize, RecordError)> {
        let mut out = Vec::new();
        for (parts, _) in &spreads {
            let part = &parts[k];
            let mut from = 0;
            for &(row, to) in &part.rows {
                if let Some((e, _)) = seen.check(offset + row, part.text.get(from..to)) {
                    out.push((row, e));
                }
                from = to;
            }
        }
        out
    };
    let mut errors: Vec<(usize, RecordError)> = spreads.iter().flat_map(|(_, m)| m.iter().cloned()).collect();
    if n <= 1 {
        for (k, seen) in ids.parts.iter_mut().enumerate() {
            errors.extend(check(k, seen));
        }
    } else {
        let per = ID_PARTS.div_ceil(n);
        let found: Vec<Vec<(usize, RecordError)>> = std::thread::scope(|s| {
            let check = &check;
            let handles: Vec<_> = ids
                .parts
                .chunks_mut(per)
                .enumerate()
                .map(|(c, seen)| {
                    s.spawn(move || {
                        let mut out = Vec::new();
                        for (j, u) in seen.iter_mut().enumerate() {
                            out.extend(check(c * per + j, u));
                        }
                        out
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
        });
        errors.extend(found.into_iter().flatten());
    }
    errors.sort_by_key(|(row, _)| *row);
    errors
}

/// Scores rows: one core `Columns` per piece, scored and joined in row order by
/// `Model::score_pieces`; ids (when the table has an id column) checked against `ids` on a
/// thread of their own meanwhile; rows with a cell that could not be read are flagged with that
/// cell's error. Rows and errors count from `ids.rows` (the rows of a stream before these).
fn score_rows(
    model: &Model,
    input: &Input,
    plan: &Plan,
    args: &Args,
    ids: &mut StreamIds,
) -> Result<BatchScores, Fail> {
    let offset = ids.rows;
    let prepared = prepare_all(plan, input);
    let outputs = wanted(model, args, plan)?;
    let (pieces, bad) = read_pieces(&prepared, plan, input, args.as_of, outputs)?;
    let rows: usize = pieces.iter().map(Columns::len).sum();
    let check = plan.id.is_some();
    let (scores, id_errs) = if check && threads(rows) > 1 {
        std::thread::scope(|s| {
            let pieces = &pieces;
            let handle = s.spawn(move || check_ids(pieces, ids));
            let scores = model.score_pieces(pieces, OnError::Flag);
            (scores, handle.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
        })
    } else {
        let scores = model.score_pieces(&pieces, OnError::Flag);
        let errs = if check { check_ids(&pieces, ids) } else { Vec::new() };
        if !check {
            ids.rows += rows;
        }
        (scores, errs)
    };
    let mut scores = scores?;
    // Id errors take a row's place over its value errors, unreadable cells over both (as the
    // core's own order of checks for one record).
    for (row, e) in id_errs {
        scores.flag_row(row, e);
    }
    for b in first_bad_per_row(bad) {
        let id = id_of(&pieces, &prepared, b.row);
        let e = not_utf8_error(Some(b.row), id.as_deref(), &b.signal, &b.shown, Some(&b.header));
        scores.flag_row(b.row, e);
    }
    if offset > 0 {
        for e in &mut scores.errors {
            e.row = e.row.map(|r| r + offset);
        }
    }
    if args.on_error == OnError::Fail {
        if let Some(e) = scores.errors.first() {
            return Err(e.clone().into());
        }
    }
    Ok(scores)
}

/// The id of table row `row`, from the piece that holds it.
fn id_of(pieces: &[Columns<'_>], prepared: &[Prepared], row: usize) -> Option<String> {
    let k = prepared.iter().position(|p| row >= p.offset && row < p.offset + p.rows)?;
    pieces.get(k)?.id(row - prepared[k].offset)
}

/// The carried columns (id, kept) whose arrays the result holds: none when the caller attaches
/// them itself (pandas), else [`carried_names`].
fn carried_columns(args: &Args, plan: &Plan) -> Vec<(String, Src)> {
    if !args.carry {
        return Vec::new();
    }
    carried_names(args, plan)
}

/// The columns the caller gets back from the input, in their order in the result: the id, then
/// the `keep` columns; with `keep="all"`, every column in the table's order.
fn carried_names(args: &Args, plan: &Plan) -> Vec<(String, Src)> {
    if args.keep_all {
        return plan.keep.iter().map(|(s, n, _)| (n.clone(), *s)).collect();
    }
    let id = plan.id.iter().map(|(s, n, _)| (n.clone(), *s));
    let keep = plan.keep.iter().filter(|(_, _, i)| plan.id.as_ref().is_none_or(|(_, _, j)| j != i));
    id.chain(keep.map(|(s, n, _)| (n.clone(), *s))).collect()
}

/// A carried column whose name a computed column has: a usage error naming it (argument `keep`,
/// or `id_column` for the id column), which `prefix=` resolves.
fn check_clash(args: &Args, plan: &Plan, computed: &[String]) -> Result<(), Fail> {
    for (name, _) in carried_names(args, plan) {
        if computed.contains(&name) {
            let argument = if args.keep_all || args.keep.contains(&name) { "keep" } else { "id_column" };
            return usage(
                "duplicate_column",
                argument,
                &format!("{:?} (a column of the table that the result also computes)", printable(&name, 80)),
                &format!(
                    "columns whose names the result does not compute ({}), or prefix= to name the computed columns apart (prefix=\"advocacy_\" gives advocacy_score, advocacy_tier, ...)",
                    computed.join(", ")
                ),
            );
        }
    }
    Ok(())
}

/// The carried columns (id, kept) as (name, whole array).
fn carried(input: &Input, args: &Args, plan: &Plan) -> Result<Vec<(String, ArrayRef)>, Fail> {
    carried_columns(args, plan).into_iter().map(|(n, s)| input.whole_column(s, &n).map(|a| (n, a))).collect()
}

/// The warnings of a result: the column plan's, then the model's.
fn warnings(plan: &Plan, model: &[Warning]) -> Vec<Warning> {
    plan.core.warnings.iter().chain(model).cloned().collect()
}

fn result_of(batches: Vec<RecordBatch>, schema: SchemaRef, plan: &Plan, model_warnings: &[Warning]) -> TableResult {
    TableResult {
        batches,
        schema,
        warnings: warnings(plan, model_warnings),
        id_position: plan.id.as_ref().map(|(_, _, i)| *i),
        keep_positions: plan.keep.iter().map(|(_, _, i)| *i).collect(),
    }
}

/// A computed column of a scored table.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Out {
    Score,
    Tier,
    /// A category subtotal (index in the model's categories).
    Category(usize),
    Completeness,
    MaxPossible,
    Error,
}

/// The computed columns of a scored table (`mode` Score or Rank), named (categories under
/// names that do not clash with the carried columns or the other result columns), in
/// `select`'s order when given (`select` names them without the prefix), each name with
/// `prefix` before it. A carried column with the name of a computed one is an error
/// ([`check_clash`]).
fn outputs(model: &Model, args: &Args, plan: &Plan, mode: Mode) -> Result<Vec<(String, Out)>, Fail> {
    let p = &args.prefix;
    let mut used: Vec<String> = carried_names(args, plan).into_iter().map(|(n, _)| n).collect();
    used.extend(["score", "tier", "completeness", "max_possible", "error", "rank", "__row"].map(|f| format!("{p}{f}")));
    let mut all = vec![("score".to_string(), Out::Score), ("tier".to_string(), Out::Tier)];
    for (k, c) in model.categories().iter().enumerate() {
        let mut name = c.id.clone();
        while used.contains(&format!("{p}{name}")) {
            name = format!("category_{name}");
        }
        used.push(format!("{p}{name}"));
        all.push((name, Out::Category(k)));
    }
    all.extend([
        ("completeness".to_string(), Out::Completeness),
        ("max_possible".to_string(), Out::MaxPossible),
        ("error".to_string(), Out::Error),
    ]);
    let chosen = match &args.select {
        None => all,
        Some(select) => {
            let names: Vec<&str> = all.iter().map(|(n, _)| n.as_str()).collect();
            let allowed = format!("a list of result columns: {}", names.join(", "));
            let mut out = Vec::with_capacity(select.len());
            for s in select {
                match all.iter().find(|(n, _)| n == s) {
                    Some(_) if out.iter().any(|(n, _): &(String, Out)| n == s) => {
                        return usage("duplicate_column", "select", &format!("{:?}", printable(s, 80)), &allowed)
                    }
                    Some(c) => out.push(c.clone()),
                    None => return usage("unknown_column", "select", &format!("{:?}", printable(s, 80)), &allowed),
                }
            }
            out
        }
    };
    let chosen: Vec<(String, Out)> = chosen.into_iter().map(|(n, o)| (format!("{p}{n}"), o)).collect();
    let mut names: Vec<String> = chosen.iter().map(|(n, _)| n.clone()).collect();
    if matches!(mode, Mode::Rank(_)) {
        names.insert(0, format!("{p}rank"));
    }
    check_clash(args, plan, &names)?;
    Ok(chosen)
}

/// The result columns the core computes besides totals and tiers: those `select` asks for.
fn wanted(model: &Model, args: &Args, plan: &Plan) -> Result<Outputs, Fail> {
    if args.select.is_none() {
        return Ok(Outputs::ALL);
    }
    let outs = outputs(model, args, plan, Mode::Score)?;
    let has = |f: &dyn Fn(Out) -> bool| outs.iter().any(|(_, o)| f(*o));
    Ok(Outputs {
        categories: has(&|o| matches!(o, Out::Category(_))),
        completeness: has(&|o| o == Out::Completeness),
        max_possible: has(&|o| o == Out::MaxPossible),
    })
}

fn out_field(name: &str, o: Out) -> Field {
    match o {
        Out::Tier => tier_field(name),
        Out::Error => Field::new(name, DataType::Utf8, true),
        _ => Field::new(name, DataType::Float64, true),
    }
}

/// The schema of a scored table (`mode` Score or Rank): the rank, the carried columns, the
/// computed ones, and the input row for pandas rankings.
fn score_schema(input: &Input, args: &Args, plan: &Plan, outs: &[(String, Out)], mode: Mode) -> SchemaRef {
    let mut fields = Vec::new();
    if matches!(mode, Mode::Rank(_)) {
        fields.push(Field::new(format!("{}rank", args.prefix), DataType::Int64, true));
    }
    for (name, src) in carried_columns(args, plan) {
        fields.push(Field::new(name, input.column_type(src), true));
    }
    for (name, o) in outs {
        fields.push(out_field(name, *o));
    }
    if args.with_row {
        fields.push(Field::new("__row", DataType::UInt64, false));
    }
    Arc::new(Schema::new(fields))
}

/// The computed columns of scored rows as whole arrays, in `outs`' order; the rows' errors count
/// from `first_row` (a stream's rows before them).
fn computed(scores: BatchScores, outs: &[(String, Out)], first_row: usize) -> Result<Vec<ArrayRef>, Fail> {
    let n = scores.len();
    let nulls = if scores.errors.is_empty() {
        None
    } else {
        Some(NullBuffer::from(scores.tier.iter().map(Option::is_some).collect::<Vec<bool>>()))
    };
    let wants = |o: Out| outs.iter().any(|(_, x)| *x == o);
    let errors: Option<ArrayRef> = wants(Out::Error).then(|| -> ArrayRef {
        if scores.errors.is_empty() {
            return Arc::new(StringArray::new_null(n));
        }
        let mut b = StringBuilder::with_capacity(n, scores.errors.len() * 64);
        let mut next = scores.errors.iter().peekable();
        for i in 0..n {
            match next.peek() {
                Some(e) if e.row == Some(first_row + i) => {
                    // The core's text of the error (the message its envelope carries).
                    b.append_value(e.to_string());
                    next.next();
                }
                _ => b.append_null(),
            }
        }
        Arc::new(b.finish())
    });
    let tier = if wants(Out::Tier) { Some(tier_array(&scores.tier)?) } else { None };
    let BatchScores { total, categories, completeness, max_possible, .. } = scores;
    let mut total = Some(total);
    let mut completeness = Some(completeness);
    let mut max_possible = Some(max_possible);
    let mut categories: Vec<Option<Vec<f64>>> = categories.into_iter().map(|(_, v)| Some(v)).collect();
    let mut out = Vec::with_capacity(outs.len());
    for (_, o) in outs {
        let f = |v: Option<Vec<f64>>| f64_array(v.unwrap_or_default(), &nulls);
        out.push(match o {
            Out::Score => f(total.take()),
            Out::Tier => tier.clone().ok_or_else(|| Fail::Type("internal: tier".into()))?,
            Out::Category(k) => f(categories.get_mut(*k).and_then(Option::take)),
            Out::Completeness => f(completeness.take()),
            Out::MaxPossible => f(max_possible.take()),
            Out::Error => errors.clone().ok_or_else(|| Fail::Type("internal: error".into()))?,
        });
    }
    Ok(out)
}

/// `score_frame` and `rank`: one row per account.
fn score_table(model: &Model, input: &Input, args: &Args, mode: Mode) -> Result<TableResult, Fail> {
    let plan = plan(model, input, args)?;
    let mut ids = StreamIds::default();
    let scores = score_rows(model, input, &plan, args, &mut ids)?;
    let model_warnings = scores.warnings.clone();
    let (batches, schema) = match mode {
        Mode::Rank(top) => rank_batch(input, args, &plan, model, scores, top)?,
        _ => score_batches(input, args, &plan, model, scores, 0)?,
    };
    Ok(result_of(batches, schema, &plan, &model_warnings))
}

/// Scored rows as one result batch per input batch: the carried columns are the input's own
/// arrays, the computed ones slices of whole arrays (no copy either way).
fn score_batches(
    input: &Input,
    args: &Args,
    plan: &Plan,
    model: &Model,
    scores: BatchScores,
    first_row: usize,
) -> Result<(Vec<RecordBatch>, SchemaRef), Fail> {
    let carried = carried_columns(args, plan);
    let outs = outputs(model, args, plan, Mode::Score)?;
    let schema = score_schema(input, args, plan, &outs, Mode::Score);
    let n = scores.len();
    let arrays = computed(scores, &outs, first_row)?;
    let row_numbers: Option<ArrayRef> =
        args.with_row.then(|| Arc::new(UInt64Array::from_iter_values(0..n as u64)) as ArrayRef);
    // Object columns are whole-table columns: sliced like the computed ones.
    let mut whole: Vec<Option<ArrayRef>> = Vec::with_capacity(carried.len());
    for (name, src) in &carried {
        whole.push(match src {
            Src::Obj(_) => Some(input.whole_column(*src, name)?),
            Src::Arrow(_) => None,
        });
    }
    let mut out = Vec::with_capacity(input.batches.len().max(1));
    let mut start = 0;
    let parts: Vec<(Option<&RecordBatch>, usize)> = if input.batches.is_empty() {
        vec![(None, 0)]
    } else {
        input.batches.iter().map(|b| (Some(b), b.num_rows())).collect()
    };
    for (b, len) in parts {
        let mut cols: Vec<ArrayRef> = Vec::with_capacity(schema.fields().len());
        for ((_, src), w) in carried.iter().zip(&whole) {
            cols.push(match (src, b, w) {
                (Src::Arrow(k), Some(b), _) => b.column(*k).clone(),
                (Src::Arrow(k), None, _) => arrow_array::new_empty_array(input.schema.field(*k).data_type()),
                (Src::Obj(_), _, Some(w)) => w.slice(start, len),
                (Src::Obj(_), _, None) => return Err(Fail::Type("internal: carried column".into())),
            });
        }
        cols.extend(arrays.iter().map(|a| a.slice(start, len)));
        if let Some(r) = &row_numbers {
            cols.push(r.slice(start, len));
        }
        out.push(batch_of(schema.clone(), cols, len)?);
        start += len;
    }
    Ok((out, schema))
}

/// Ranked: every column reordered best first, the scored rows numbered 1, 2, 3 (flagged rows
/// get none), the first `top` rows when given.
fn rank_batch(
    input: &Input,
    args: &Args,
    plan: &Plan,
    model: &Model,
    scores: BatchScores,
    top: Option<usize>,
) -> Result<(Vec<RecordBatch>, SchemaRef), Fail> {
    let carried = carried(input, args, plan)?;
    let outs = outputs(model, args, plan, Mode::Rank(top))?;
    let schema = score_schema(input, args, plan, &outs, Mode::Rank(top));
    let order = scores.top(top);
    // Which rows were scored, before the columns (which may leave out the score) are built.
    let scored: Vec<bool> = scores.tier.iter().map(Option::is_some).collect();
    let arrays = computed(scores, &outs, 0)?;
    let idx = UInt64Array::from_iter_values(order.iter().map(|i| *i as u64));
    let rank: Int64Array = order
        .iter()
        .enumerate()
        .map(|(k, i)| scored.get(*i).copied().unwrap_or(false).then_some(k as i64 + 1))
        .collect();
    let mut cols: Vec<ArrayRef> = vec![Arc::new(rank)];
    for (_, a) in &carried {
        cols.push(take(a, &idx)?);
    }
    for a in &arrays {
        cols.push(take(a, &idx)?);
    }
    if args.with_row {
        cols.push(Arc::new(idx));
    }
    Ok((vec![batch_of(schema.clone(), cols, order.len())?], schema))
}

/// Scores a stream batch by batch: the column plan of its schema, checked once, and the ids seen
/// so far (every row of the stream needs an id no earlier row has). Each call scores the next
/// consecutive rows; rows and errors count from the stream's first row.
pub struct Stream {
    model: Model,
    args: Args,
    schema: SchemaRef,
    ids: StreamIds,
    out_schema: SchemaRef,
    /// The column plan's warnings, then the model's.
    pub warnings: Vec<Warning>,
}

impl Stream {
    /// A stream of batches of `schema` (its column plan checked now: the errors a table of it
    /// would raise are raised here).
    pub fn new(model: &Model, schema: SchemaRef, mut args: Args) -> Result<Stream, Fail> {
        args.carry = true;
        args.with_row = false;
        let input = Input { batches: Vec::new(), schema: schema.clone(), objcols: Vec::new() };
        let plan = plan(model, &input, &args)?;
        let outs = outputs(model, &args, &plan, Mode::Score)?;
        let out_schema = score_schema(&input, &args, &plan, &outs, Mode::Score);
        let warnings = warnings(&plan, model.warnings());
        Ok(Stream { model: model.clone(), args, schema, ids: StreamIds::default(), out_schema, warnings })
    }

    /// The same stream, from its first row again.
    pub fn fresh(&self) -> Stream {
        Stream {
            model: self.model.clone(),
            args: self.args.clone(),
            schema: self.schema.clone(),
            ids: StreamIds::default(),
            out_schema: self.out_schema.clone(),
            warnings: self.warnings.clone(),
        }
    }

    /// The schema of the scored batches.
    pub fn schema(&self) -> SchemaRef {
        self.out_schema.clone()
    }

    /// Scores the next rows of the stream (one result batch per batch given).
    pub fn score(&mut self, batches: Vec<RecordBatch>) -> Result<Vec<RecordBatch>, Fail> {
        let names = |s: &Schema| s.fields().iter().map(|f| f.name().clone()).collect::<Vec<_>>();
        let mut out = Vec::with_capacity(batches.len());
        for b in batches {
            if names(&b.schema()) != names(&self.schema) {
                return Err(Fail::Type(format!(
                    "a batch of the stream has other columns ({}) than its schema ({})",
                    names(&b.schema()).join(", "),
                    names(&self.schema).join(", ")
                )));
            }
            let input = Input { batches: vec![b], schema: self.schema.clone(), objcols: Vec::new() };
            let plan = plan(&self.model, &input, &self.args)?;
            let first_row = self.ids.rows;
            let scores = score_rows(&self.model, &input, &plan, &self.args, &mut self.ids)?;
            let (batches, _) = score_batches(&input, &self.args, &plan, &self.model, scores, first_row)?;
            out.extend(batches);
        }
        Ok(out)
    }
}

/// (category, criterion, label, signal, rule in words, points) of one criterion.
type CritFacts = (String, String, String, String, String, f64);

/// `explain_frame`: one row per account and criterion, each account scored by
/// `Model::score_records`; empty and repeated ids (`id_errors`) and unreadable cells are the
/// errors of their rows, as in `score_frame`.
fn explain_table(model: &Model, input: &Input, args: &Args) -> Result<TableResult, Fail> {
    let plan = plan(model, input, args)?;
    let p = &args.prefix;
    let named = |n: &str| format!("{p}{n}");
    check_clash(args, &plan, &EXPLAIN_COLUMNS.map(named))?;
    let ncrit: usize = model.categories().iter().map(|c| c.criteria.len()).sum();
    // Static per-criterion facts, used for flagged rows too.
    let crit: Vec<CritFacts> = model
        .categories()
        .iter()
        .flat_map(|c| {
            c.criteria.iter().map(move |k| {
                (c.id.clone(), k.id.clone(), k.label.clone(), k.signal.clone(), k.rule.describe(), k.points)
            })
        })
        .collect();
    let total_rows = input.num_rows();
    let cap = total_rows.saturating_mul(ncrit);
    let mut row = Vec::with_capacity(cap);
    let mut outcome: Vec<Option<&'static str>> = Vec::with_capacity(cap);
    let mut value = StringBuilder::new();
    let mut points: Vec<Option<f64>> = Vec::with_capacity(cap);
    let mut total: Vec<Option<f64>> = Vec::with_capacity(cap);
    let mut tier: Vec<Option<Tier>> = Vec::with_capacity(cap);
    let mut error = StringBuilder::new();

    // Every row as a record, then the core scores them one by one (rows count from the table's first).
    let prepared = prepare_all(&plan, input);
    let mut bad = object_bad_cells(&plan, input);
    let mut records: Vec<Record> = Vec::with_capacity(total_rows);
    // Errors of reading a row: observation dates that are not dates (an error of the row once its
    // values pass, as in the batch).
    let mut bad_dates: Vec<(usize, RecordError)> = Vec::new();
    let width = plan.core.columns.len();
    let observed_at = plan.observed.as_ref().map(|(_, _, i)| *i);
    for p in &prepared {
        let raw = raw_columns(p, &plan, input, false, &mut bad);
        for i in 0..p.rows {
            let row = p.offset + i;
            // The row's cells as the table has them, read by the core's plan into a record
            // (value maps, read options), then its observation date alone.
            let mut cells = vec![Value::Null; width];
            for (k, col) in &raw.signals {
                cells[plan.signals[*k].position] = col.value(i);
            }
            let mut read = match plan.core.read_row(model, row, &cells) {
                Ok(read) => read,
                Err(e) => {
                    bad_dates.push((row, e));
                    RowRead::default()
                }
            };
            // The id as the batch has it (`Columns::id`).
            read.record.id = raw.id.as_ref().and_then(|c| c.value(i).to_id());
            if let (Some(col), Some(at)) = (&raw.observed, observed_at) {
                let mut only = vec![Value::Null; width];
                only[at] = match (col, col.value(i)) {
                    // Arrow dates, as day numbers.
                    (Column::Int { .. }, Value::Number(days)) => Value::Text(Date::from_days(days as i64).to_string()),
                    (_, v) => v,
                };
                match plan.core.read_row(model, row, &only) {
                    Ok(dated) => read.observed = dated.observed,
                    Err(mut e) => {
                        e.id.clone_from(&read.record.id);
                        bad_dates.push((row, e));
                    }
                }
            }
            // Each value seen on the row's date, so that scoring as of a date can tell stale ones.
            records.push(read.into_record("table"));
        }
    }
    let mut results = model.score_records(&records, args.as_of);
    for (k, e) in bad_dates {
        if let Some(slot) = results.get_mut(k).filter(|r| r.is_ok()) {
            *slot = Err(e);
        }
    }
    if plan.id.is_some() {
        for e in id_errors(records.iter().map(|r| r.id.as_deref())) {
            if let Some(k) = e.row {
                if let Some(slot) = results.get_mut(k) {
                    *slot = Err(e);
                }
            }
        }
    }
    for b in first_bad_per_row(bad) {
        if let Some(slot) = results.get_mut(b.row) {
            let id = records.get(b.row).and_then(|r| r.id.as_deref());
            *slot = Err(not_utf8_error(Some(b.row), id, &b.signal, &b.shown, Some(&b.header)));
        }
    }
    drop(records);
    if args.on_error == OnError::Fail {
        if let Some(Err(e)) = results.iter().find(|r| r.is_err()) {
            return Err(e.clone().into());
        }
    }
    for (i, res) in results.into_iter().enumerate() {
        match res {
            Ok(s) => {
                push_score(&s, i, &mut row, &mut outcome, &mut value, &mut points, &mut total, &mut tier, &mut error)
            }
            Err(e) => {
                // The core's text of the error (the message its envelope carries).
                let msg = e.to_string();
                for _ in 0..ncrit {
                    row.push(i as u64);
                    outcome.push(None);
                    value.append_null();
                    points.push(None);
                    total.push(None);
                    tier.push(None);
                    error.append_value(&msg);
                }
            }
        }
    }
    let n = row.len();
    let rows_of: Vec<usize> = row.iter().map(|r| *r as usize).collect();
    let text = |f: &dyn Fn(&CritFacts) -> &str| -> StringArray {
        (0..n).map(|k| crit.get(k % ncrit.max(1)).map(|c| f(c).to_string())).collect()
    };
    let category = text(&|c| &c.0);
    let criterion = text(&|c| &c.1);
    let label = text(&|c| &c.2);
    let signal = text(&|c| &c.3);
    let rule = text(&|c| &c.4);
    let maxes: Float64Array = (0..n).map(|k| crit.get(k % ncrit.max(1)).map(|c| c.5)).collect();
    let outcome: StringArray = outcome.into_iter().collect();
    let points: Float64Array = points.into_iter().collect();
    let total: Float64Array = total.into_iter().collect();
    let row_arr = UInt64Array::from(row);

    let mut fields = vec![Field::new(named("row"), DataType::UInt64, false)];
    let mut arrays: Vec<ArrayRef> = vec![Arc::new(row_arr.clone())];
    if args.carry {
        for (name, a) in carried(input, args, &plan)? {
            let idx = UInt64Array::from_iter_values(rows_of.iter().map(|r| *r as u64));
            fields.push(Field::new(&name, a.data_type().clone(), true));
            arrays.push(take(&a, &idx)?);
        }
    }
    for (name, a) in
        [("category", category), ("criterion", criterion), ("label", label), ("signal", signal), ("rule", rule)]
    {
        fields.push(Field::new(named(name), DataType::Utf8, true));
        arrays.push(Arc::new(a));
    }
    fields.push(Field::new(named("outcome"), DataType::Utf8, true));
    arrays.push(Arc::new(outcome));
    fields.push(Field::new(named("value"), DataType::Utf8, true));
    arrays.push(Arc::new(value.finish()));
    fields.push(Field::new(named("points"), DataType::Float64, true));
    arrays.push(Arc::new(points));
    fields.push(Field::new(named("max"), DataType::Float64, true));
    arrays.push(Arc::new(maxes));
    fields.push(Field::new(named("total"), DataType::Float64, true));
    arrays.push(Arc::new(total));
    fields.push(tier_field(&named("tier")));
    arrays.push(tier_array(&tier)?);
    fields.push(Field::new(named("error"), DataType::Utf8, true));
    arrays.push(Arc::new(error.finish()));
    let out = batch(fields, arrays, n)?;
    let schema = out.schema();
    Ok(result_of(vec![out], schema, &plan, model.warnings()))
}

fn f64_array(values: Vec<f64>, nulls: &Option<NullBuffer>) -> ArrayRef {
    Arc::new(Float64Array::new(ScalarBuffer::from(values), nulls.clone()))
}

/// The columns of `explain_frame`'s long form, as named without a prefix.
const EXPLAIN_COLUMNS: [&str; 13] = [
    "row",
    "category",
    "criterion",
    "label",
    "signal",
    "rule",
    "outcome",
    "value",
    "points",
    "max",
    "total",
    "tier",
    "error",
];

/// The tiers worst first: the order of a tier column (the core's tier list, best first, read
/// backwards), so that `not_advocate_material < not_yet_qualified < silver < gold < platinum`.
pub fn tiers_worst_first() -> impl ExactSizeIterator<Item = Tier> {
    Tier::ALL.into_iter().rev()
}

/// A tier column: an Arrow dictionary of every tier, worst first, its keys each row's tier's
/// place in that order (so that sorting by key sorts by tier).
fn tier_array(tiers: &[Option<Tier>]) -> Result<ArrayRef, Fail> {
    let last = Tier::ALL.len() - 1;
    let keys: Int8Array = tiers.iter().map(|t| t.map(|t| (last - t.code() as usize) as i8)).collect();
    let values = StringArray::from_iter_values(tiers_worst_first().map(Tier::as_str));
    let dict = DictionaryArray::<Int8Type>::try_new(keys, Arc::new(values)).map_err(|e| Fail::Type(e.to_string()))?;
    Ok(Arc::new(dict))
}

/// The field of a tier column: a dictionary marked ordered (pandas reads it as an ordered
/// Categorical, DuckDB as an ENUM; polars gets an Enum from the binding).
fn tier_field(name: &str) -> Field {
    Field::new(name, DataType::Dictionary(Box::new(DataType::Int8), Box::new(DataType::Utf8)), true)
        .with_dict_is_ordered(true)
}

fn batch(fields: Vec<Field>, arrays: Vec<ArrayRef>, rows: usize) -> Result<RecordBatch, Fail> {
    let schema = Arc::new(Schema::new(fields));
    RecordBatch::try_new_with_options(schema, arrays, &RecordBatchOptions::new().with_row_count(Some(rows)))
        .map_err(|e| Fail::Type(format!("building the result: {e}")))
}

fn batch_of(schema: SchemaRef, arrays: Vec<ArrayRef>, rows: usize) -> Result<RecordBatch, Fail> {
    RecordBatch::try_new_with_options(schema, arrays, &RecordBatchOptions::new().with_row_count(Some(rows)))
        .map_err(|e| Fail::Type(format!("building the result: {e}")))
}

fn take(a: &ArrayRef, idx: &UInt64Array) -> Result<ArrayRef, Fail> {
    arrow_select::take::take(a.as_ref(), idx, None).map_err(|e| Fail::Type(format!("ordering the result: {e}")))
}

fn outcome_str(o: Outcome) -> &'static str {
    match o {
        Outcome::Met => "met",
        Outcome::Partial => "partial",
        Outcome::NotMet => "not_met",
        Outcome::Missing => "missing",
        Outcome::NotApplicable => "not_applicable",
    }
}

#[allow(clippy::too_many_arguments)]
fn push_score(
    s: &Score,
    i: usize,
    row: &mut Vec<u64>,
    outcome: &mut Vec<Option<&'static str>>,
    value: &mut StringBuilder,
    points: &mut Vec<Option<f64>>,
    total: &mut Vec<Option<f64>>,
    tier: &mut Vec<Option<Tier>>,
    error: &mut StringBuilder,
) {
    for c in &s.criteria {
        row.push(i as u64);
        outcome.push(Some(outcome_str(c.outcome)));
        match value_text(&c.value) {
            Some(t) => value.append_value(t),
            None => value.append_null(),
        }
        points.push(Some(c.points));
        total.push(Some(s.total));
        tier.push(Some(s.tier));
        error.append_null();
    }
}

/// Runs one of the table operations (call it without the GIL).
pub fn run(model: &Model, input: &Input, args: &Args, mode: Mode) -> Result<TableResult, Fail> {
    match mode {
        Mode::Explain => explain_table(model, input, args),
        m => score_table(model, input, args, m),
    }
}

/// How a table with these headers is read (`Model.read_columns`): the core's column plan.
pub fn read_columns(model: &Model, headers: &[String], mapping: &ColumnMapping) -> Result<ColumnPlan, Fail> {
    Ok(model.read_columns(headers, mapping)?)
}
