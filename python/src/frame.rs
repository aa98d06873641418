//! Tables: Arrow batches in, the core's column plan and columnar scoring, Arrow batches out.
//!
//! Everything here runs without the GIL: it gets plain Arrow batches (already imported from the
//! caller's object) and returns Arrow batches. The semantics are the core's: which column holds
//! what (`Model::read_columns`, `ColumnPlan::check_reads_something`), how cells read
//! (`ColumnPlan::read_column`), scoring (`Model::score_pieces` with
//! `Columns::require_unique_ids`, `Model::score_records`, `id_errors`), freshness (the plan's
//! observation date column, handed to the batch with `Columns::set_observed` and
//! `Columns::set_as_of`, and read for records by `ColumnPlan::read_row` and
//! `RowRead::into_record`) and ranking (`BatchScores::top`). This module only converts columns
//! and assembles results.

use std::borrow::Cow;
use std::sync::Arc;

use advocacy_core::{
    id_errors, printable, BatchScores, Column, ColumnError, ColumnMapping, ColumnPlan, Columns, Date, ErrorEnvelope,
    Model, ModelError, OnError, Outcome, Record, RecordError, RowRead, Score, SignalSpec, Tier, Value, Warning,
};
use arrow_array::builder::StringBuilder;
use arrow_array::types::Int8Type;
use arrow_array::{
    Array, ArrayRef, DictionaryArray, Float64Array, Int64Array, Int8Array, RecordBatch, RecordBatchOptions,
    StringArray, UInt64Array,
};
use arrow_buffer::{NullBuffer, ScalarBuffer};
use arrow_schema::{DataType, Field, Schema, SchemaRef};

use crate::arrow_in::{normalize, observed_array, to_column};
use crate::convert::{not_utf8_error, NotUtf8};

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
pub struct Args {
    /// Fail or flag bad rows.
    pub on_error: OnError,
    /// How columns are read, on top of the automatic matching (the `id_column` argument is in it).
    pub mapping: ColumnMapping,
    /// The id column was named by the `id_column` argument (so it must be a column).
    pub id_argument: bool,
    /// Input columns carried into the result.
    pub keep: Vec<String>,
    /// Whether the result carries the id and kept columns (false for pandas: Python re-attaches them).
    pub carry: bool,
    /// Add a `__row` column with the input row of each result row.
    pub with_row: bool,
    /// The as-of date: values observed longer ago than the model's maximum age for their signal
    /// count as missing (and, in explain, the revisit dates).
    pub as_of: Option<Date>,
}

/// A result table and what the caller needs to finish it.
pub struct TableResult {
    /// The result.
    pub batch: RecordBatch,
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
    for k in &args.keep {
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

/// The [`Raw`] columns of one piece (borrowing the prepared arrays and the object columns), with
/// the cells it could not read.
fn raw_columns<'a>(p: &'a Prepared, plan: &'a Plan, input: &'a Input, bad: &mut Vec<BadCell>) -> Raw<'a> {
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
            (Some(a), _) => arrow(a, &s.spec.name, &s.header, s.order.saturating_add(1)),
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
/// read options, ids that must be unique, the observation dates and the as-of date.
fn columns<'a>(
    p: &'a Prepared,
    plan: &'a Plan,
    input: &'a Input,
    as_of: Option<Date>,
    bad: &mut Vec<BadCell>,
) -> Result<Columns<'a>, Fail> {
    let raw = raw_columns(p, plan, input, bad);
    let mut cols = Columns::new(p.rows);
    cols.set_read_options(plan.core.options);
    for (k, col) in raw.signals {
        let spec = plan.signals[k].spec;
        cols.add(&spec.name, plan.core.read_column(spec, col))?;
    }
    if let Some(c) = raw.id {
        cols.set_ids(c)?;
        cols.require_unique_ids();
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

/// The id of table row `row`, from the piece that holds it.
fn id_of(pieces: &[Columns<'_>], prepared: &[Prepared], row: usize) -> Option<String> {
    let k = prepared.iter().position(|p| row >= p.offset && row < p.offset + p.rows)?;
    pieces.get(k)?.id(row - prepared[k].offset)
}

/// Scores the table: one core `Columns` per piece, scored and joined in row order by
/// `Model::score_pieces` (ids unique across the pieces when there is an id column); rows with a
/// cell that could not be read are flagged with that cell's error.
fn score_all(model: &Model, input: &Input, plan: &Plan, args: &Args) -> Result<BatchScores, Fail> {
    let on_error = args.on_error;
    let prepared = prepare_all(plan, input);
    let mut bad = object_bad_cells(plan, input);
    let mut pieces = Vec::with_capacity(prepared.len());
    for p in &prepared {
        pieces.push(columns(p, plan, input, args.as_of, &mut bad)?);
    }
    let mut scores = model.score_pieces(&pieces, OnError::Flag)?;
    for b in first_bad_per_row(bad) {
        let id = id_of(&pieces, &prepared, b.row);
        scores.flag_row(b.row, not_utf8_error(Some(b.row), id.as_deref(), &b.signal, &b.shown, Some(&b.header)));
    }
    if on_error == OnError::Fail {
        if let Some(e) = scores.errors.first() {
            return Err(e.clone().into());
        }
    }
    Ok(scores)
}

/// The carried columns (id, kept) as (name, whole array).
fn carried(input: &Input, args: &Args, plan: &Plan) -> Result<Vec<(String, ArrayRef)>, Fail> {
    let mut out = Vec::new();
    if !args.carry {
        return Ok(out);
    }
    let id = plan.id.iter().map(|(s, n, i)| (*s, n, *i));
    let keep = plan.keep.iter().filter(|(_, _, i)| plan.id.as_ref().is_none_or(|(_, _, j)| j != i));
    for (src, name, _) in id.chain(keep.map(|(s, n, i)| (*s, n, *i))) {
        out.push((name.clone(), input.whole_column(src, name)?));
    }
    Ok(out)
}

/// The warnings of a result: the column plan's, then the model's.
fn warnings(plan: &Plan, model: &[Warning]) -> Vec<Warning> {
    plan.core.warnings.iter().chain(model).cloned().collect()
}

fn result_of(batch: RecordBatch, plan: &Plan, model_warnings: &[Warning]) -> TableResult {
    TableResult {
        batch,
        warnings: warnings(plan, model_warnings),
        id_position: plan.id.as_ref().map(|(_, _, i)| *i),
        keep_positions: plan.keep.iter().map(|(_, _, i)| *i).collect(),
    }
}

/// `score_frame` and `rank`: one row per account.
fn score_table(model: &Model, input: &Input, args: &Args, mode: Mode) -> Result<TableResult, Fail> {
    let plan = plan(model, input, args)?;
    let scores = score_all(model, input, &plan, args)?;
    let model_warnings = scores.warnings.clone();
    let batch = score_batch(input, args, &plan, scores, mode)?;
    Ok(result_of(batch, &plan, &model_warnings))
}

fn score_batch(input: &Input, args: &Args, plan: &Plan, scores: BatchScores, mode: Mode) -> Result<RecordBatch, Fail> {
    let n = scores.len();
    let carried = carried(input, args, plan)?;
    let mut taken: Vec<String> = carried.iter().map(|(n, _)| n.clone()).collect();
    taken.extend(["score", "tier", "completeness", "max_possible", "error", "rank", "__row"].map(String::from));
    let cat_names = category_names(&scores, &taken);

    let nulls = if scores.errors.is_empty() {
        None
    } else {
        Some(NullBuffer::from(scores.tier.iter().map(Option::is_some).collect::<Vec<bool>>()))
    };
    let errors: StringArray = if scores.errors.is_empty() {
        StringArray::new_null(n)
    } else {
        let mut b = StringBuilder::with_capacity(n, scores.errors.len() * 64);
        let mut next = scores.errors.iter().peekable();
        for i in 0..n {
            match next.peek() {
                Some(e) if e.row == Some(i) => {
                    // The core's text of the error (the message its envelope carries).
                    b.append_value(e.to_string());
                    next.next();
                }
                _ => b.append_null(),
            }
        }
        b.finish()
    };
    let order: Option<Vec<usize>> = match mode {
        Mode::Rank(top) => Some(scores.top(top)),
        _ => None,
    };

    let mut fields = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    for (name, a) in &carried {
        fields.push(Field::new(name, a.data_type().clone(), true));
        arrays.push(a.clone());
    }
    let tier = tier_array(&scores.tier)?;
    fields.push(Field::new("score", DataType::Float64, true));
    arrays.push(f64_array(scores.total, &nulls));
    fields.push(Field::new("tier", tier_type(), true));
    arrays.push(tier);
    for ((_, vals), name) in scores.categories.into_iter().zip(&cat_names) {
        fields.push(Field::new(name, DataType::Float64, true));
        arrays.push(f64_array(vals, &nulls));
    }
    fields.push(Field::new("completeness", DataType::Float64, true));
    arrays.push(f64_array(scores.completeness, &nulls));
    fields.push(Field::new("max_possible", DataType::Float64, true));
    arrays.push(f64_array(scores.max_possible, &nulls));
    fields.push(Field::new("error", DataType::Utf8, true));
    arrays.push(Arc::new(errors));

    let Some(order) = order else {
        if args.with_row {
            fields.push(Field::new("__row", DataType::UInt64, false));
            arrays.push(Arc::new(UInt64Array::from_iter_values(0..n as u64)));
        }
        return batch(fields, arrays, n);
    };
    // Ranked: reorder every column, then number the scored rows 1, 2, 3 (flagged rows get none).
    let idx = UInt64Array::from_iter_values(order.iter().map(|i| *i as u64));
    let mut ranked = Vec::with_capacity(arrays.len() + 2);
    let score_col = carried.len();
    for a in &arrays {
        ranked.push(take(a, &idx)?);
    }
    let rank: Int64Array = {
        let scored = ranked.get(score_col).map(|a| a.nulls().cloned());
        let valid = |i: usize| match &scored {
            Some(Some(nb)) => nb.is_valid(i),
            _ => true,
        };
        (0..order.len()).map(|i| valid(i).then_some(i as i64 + 1)).collect()
    };
    fields.insert(0, Field::new("rank", DataType::Int64, true));
    ranked.insert(0, Arc::new(rank));
    if args.with_row {
        fields.push(Field::new("__row", DataType::UInt64, false));
        ranked.push(Arc::new(idx));
    }
    batch(fields, ranked, order.len())
}

/// (category, criterion, label, signal, rule in words, points) of one criterion.
type CritFacts = (String, String, String, String, String, f64);

/// `explain_frame`: one row per account and criterion, each account scored by
/// `Model::score_records`; empty and repeated ids (`id_errors`) and unreadable cells are the
/// errors of their rows, as in `score_frame`.
fn explain_table(model: &Model, input: &Input, args: &Args) -> Result<TableResult, Fail> {
    let plan = plan(model, input, args)?;
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
        let raw = raw_columns(p, &plan, input, &mut bad);
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

    let mut fields = vec![Field::new("row", DataType::UInt64, false)];
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
        fields.push(Field::new(name, DataType::Utf8, true));
        arrays.push(Arc::new(a));
    }
    fields.push(Field::new("outcome", DataType::Utf8, true));
    arrays.push(Arc::new(outcome));
    fields.push(Field::new("value", DataType::Utf8, true));
    arrays.push(Arc::new(value.finish()));
    fields.push(Field::new("points", DataType::Float64, true));
    arrays.push(Arc::new(points));
    fields.push(Field::new("max", DataType::Float64, true));
    arrays.push(Arc::new(maxes));
    fields.push(Field::new("total", DataType::Float64, true));
    arrays.push(Arc::new(total));
    fields.push(Field::new("tier", tier_type(), true));
    arrays.push(tier_array(&tier)?);
    fields.push(Field::new("error", DataType::Utf8, true));
    arrays.push(Arc::new(error.finish()));
    let out = batch(fields, arrays, n)?;
    Ok(result_of(out, &plan, model.warnings()))
}

fn f64_array(values: Vec<f64>, nulls: &Option<NullBuffer>) -> ArrayRef {
    Arc::new(Float64Array::new(ScalarBuffer::from(values), nulls.clone()))
}

fn tier_array(tiers: &[Option<Tier>]) -> Result<ArrayRef, Fail> {
    let keys: Int8Array = tiers.iter().map(|t| t.map(|t| t.code() as i8)).collect();
    let values = StringArray::from_iter_values(Tier::ALL.iter().map(|t| t.as_str()));
    let dict = DictionaryArray::<Int8Type>::try_new(keys, Arc::new(values)).map_err(|e| Fail::Type(e.to_string()))?;
    Ok(Arc::new(dict))
}

fn tier_type() -> DataType {
    DataType::Dictionary(Box::new(DataType::Int8), Box::new(DataType::Utf8))
}

/// Picks output names for categories that do not clash with the other result columns.
fn category_names(scores: &BatchScores, taken: &[String]) -> Vec<String> {
    let mut used: Vec<String> = taken.to_vec();
    let mut out = Vec::new();
    for (id, _) in &scores.categories {
        let mut name = id.clone();
        while used.contains(&name) {
            name = format!("category_{name}");
        }
        used.push(name.clone());
        out.push(name);
    }
    out
}

fn batch(fields: Vec<Field>, arrays: Vec<ArrayRef>, rows: usize) -> Result<RecordBatch, Fail> {
    let schema = Arc::new(Schema::new(fields));
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
