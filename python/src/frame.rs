//! Tables: Arrow batches in, the core's columnar scoring, Arrow batches out.
//!
//! Everything here runs without the GIL: it gets plain Arrow batches (already imported from the
//! caller's object) and returns Arrow batches. Scoring semantics are the core's
//! (`Model::score_pieces`, `BatchScores::top`, `Model::score_records`); this module only
//! converts columns and assembles results.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use advocacy_core::{
    BatchScores, Column, ColumnError, Columns, Date, ErrorEnvelope, Model, OnError, Outcome, Record, RecordError,
    Score, Tier, Value,
};
use arrow_array::builder::StringBuilder;
use arrow_array::types::Int8Type;
use arrow_array::{
    Array, ArrayRef, DictionaryArray, Float64Array, Int64Array, Int8Array, RecordBatch, RecordBatchOptions,
    StringArray, UInt64Array,
};
use arrow_buffer::{NullBuffer, ScalarBuffer};
use arrow_schema::{DataType, Field, Schema, SchemaRef};

use crate::arrow_in::{normalize, to_column};

/// What went wrong, before it becomes a Python exception.
pub enum Fail {
    /// A core error (a bad row with `on_error="raise"`) or an argument value the binding cannot
    /// take, as the envelope its exception is built from.
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

/// An argument value the binding cannot take (a `UsageError`; the core writes the message).
fn usage<T>(code: &str, argument: &str, value: &str, allowed: &str) -> Result<T, Fail> {
    Err(Fail::Error(Box::new(ErrorEnvelope::usage(code, argument, value, allowed))))
}

/// Columns that the Arrow import could not carry (pandas object columns of mixed types),
/// read value by value like record fields; one entry per table row.
pub type ObjColumns = Vec<(String, Vec<Value>)>;

/// The caller's table as Arrow batches, plus the columns that had to come as Python values.
pub struct Input {
    /// The batches.
    pub batches: Vec<RecordBatch>,
    /// Their schema.
    pub schema: SchemaRef,
    /// Columns read from Python values instead (whole table length).
    pub objcols: ObjColumns,
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
    /// The input's id column, if any.
    pub id_column: Option<String>,
    /// Whether a missing id column is an error (it was named by the caller).
    pub id_required: bool,
    /// Input column name -> signal name.
    pub rename: HashMap<String, String>,
    /// Input columns carried into the result.
    pub keep: Vec<String>,
    /// Whether the result carries the id and kept columns (false for pandas: Python re-attaches them).
    pub carry: bool,
    /// Add a `__row` column with the input row of each result row.
    pub with_row: bool,
    /// The as-of date (explain only).
    pub as_of: Option<Date>,
}

impl Input {
    fn num_rows(&self) -> usize {
        self.batches.iter().map(|b| b.num_rows()).sum()
    }

    /// The index of an input column by name.
    fn index_of(&self, name: &str) -> Option<usize> {
        self.schema.fields().iter().position(|f| f.name() == name)
    }

    /// A whole column (Arrow columns concatenated over batches; object columns as text).
    fn whole_column(&self, name: &str) -> Result<Option<ArrayRef>, Fail> {
        if let Some(k) = self.index_of(name) {
            let parts: Vec<&dyn Array> = self.batches.iter().map(|b| b.column(k).as_ref()).collect();
            return match parts.len() {
                0 => Ok(Some(arrow_array::new_empty_array(self.schema.field(k).data_type()))),
                1 => Ok(Some(self.batches[0].column(k).clone())),
                _ => arrow_select::concat::concat(&parts)
                    .map(Some)
                    .map_err(|e| Fail::Type(format!("column `{name}`: {e}"))),
            };
        }
        if let Some((_, vals)) = self.objcols.iter().find(|(n, _)| n == name) {
            let arr: StringArray = vals.iter().map(value_text).collect();
            return Ok(Some(Arc::new(arr)));
        }
        Ok(None)
    }

    fn has_column(&self, name: &str) -> bool {
        self.index_of(name).is_some() || self.objcols.iter().any(|(n, _)| n == name)
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

/// Which input columns feed which signals, checked for duplicates.
struct Plan {
    /// (signal, input column index) for Arrow columns.
    arrow: Vec<(String, usize)>,
    /// (signal, object column index).
    objs: Vec<(String, usize)>,
    /// The id column: Arrow index or object column index.
    id: Option<Result<usize, usize>>,
}

fn plan(model: &Model, input: &Input, args: &Args) -> Result<Plan, Fail> {
    let target = |name: &str| -> String {
        match args.rename.get(name) {
            Some(s) => s.clone(),
            None => name.to_string(),
        }
    };
    for from in args.rename.keys() {
        if !input.has_column(from) {
            return usage("unknown_column", "rename", &format!("{from:?}"), "names of columns of the table");
        }
    }
    let mut seen: HashMap<String, String> = HashMap::new();
    let mut check = |signal: &str, column: &str| -> Result<(), Fail> {
        if let Some(prev) = seen.insert(signal.to_string(), column.to_string()) {
            return usage(
                "duplicate_signal",
                "rename",
                &format!("{column:?}"),
                &format!("one column per signal (column {prev:?} gives signal {signal:?} too; rename or drop one)"),
            );
        }
        Ok(())
    };
    let mut arrow = Vec::new();
    for (k, f) in input.schema.fields().iter().enumerate() {
        let signal = target(f.name());
        if Some(f.name()) == args.id_column.as_ref() && !args.rename.contains_key(f.name()) {
            continue;
        }
        if model.signal(&signal).is_some() {
            check(&signal, f.name())?;
            arrow.push((signal, k));
        }
    }
    let mut objs = Vec::new();
    for (k, (name, _)) in input.objcols.iter().enumerate() {
        let signal = target(name);
        if Some(name) == args.id_column.as_ref() && !args.rename.contains_key(name) {
            continue;
        }
        if model.signal(&signal).is_some() {
            check(&signal, name)?;
            objs.push((signal, k));
        }
    }
    let id = match &args.id_column {
        None => None,
        Some(name) => match input.index_of(name) {
            Some(k) => Some(Ok(k)),
            None => match input.objcols.iter().position(|(n, _)| n == name) {
                Some(k) => Some(Err(k)),
                None if args.id_required => {
                    return usage("unknown_column", "id_column", &format!("{name:?}"), "a column of the table or None");
                }
                None => None,
            },
        },
    };
    for k in &args.keep {
        if !input.has_column(k) {
            return usage("unknown_column", "keep", &format!("{k:?}"), "names of columns of the table");
        }
    }
    Ok(Plan { arrow, objs, id })
}

/// One batch's prepared (cast) arrays; columns borrow from it.
struct Prepared {
    arrays: Vec<(String, ArrayRef)>,
    id: Option<ArrayRef>,
    rows: usize,
}

fn prepare(plan: &Plan, batch: &RecordBatch) -> Prepared {
    let arrays = plan.arrow.iter().map(|(s, k)| (s.clone(), normalize(batch.column(*k)))).collect();
    let id = match plan.id {
        Some(Ok(k)) => Some(normalize(batch.column(k))),
        _ => None,
    };
    Prepared { arrays, id, rows: batch.num_rows() }
}

/// The core columns of one piece of the table whose first row is row `offset` of the table:
/// its signal columns and its ids (borrowing the prepared arrays and the object columns).
fn columns<'a>(p: &'a Prepared, plan: &Plan, input: &'a Input, offset: usize) -> Result<Columns<'a>, Fail> {
    let part = |k: usize| -> Option<Column<'a>> {
        let (_, vals) = input.objcols.get(k)?;
        Some(Column::Values(Cow::Borrowed(vals.get(offset..offset + p.rows).unwrap_or(&[]))))
    };
    let mut cols = Columns::new(p.rows);
    for (signal, array) in &p.arrays {
        cols.add(signal, to_column(array))?;
    }
    for (signal, k) in &plan.objs {
        if let Some(c) = part(*k) {
            cols.add(signal, c)?;
        }
    }
    let ids = match (&p.id, plan.id) {
        (Some(a), _) => Some(to_column(a)),
        (None, Some(Err(k))) => part(k),
        _ => None,
    };
    if let Some(c) = ids {
        cols.set_ids(c)?;
    }
    Ok(cols)
}

/// Rows per piece: an Arrow batch longer than this is handed to the core as slices of it, so
/// that `Model::score_pieces` can spread a big table over its threads.
const PIECE_ROWS: usize = 64 * 1024;

/// Scores the table: one core `Columns` per Arrow batch (or slice of a long one), scored and
/// joined in row order by `Model::score_pieces`.
fn score_all(model: &Model, input: &Input, plan: &Plan, on_error: OnError) -> Result<BatchScores, Fail> {
    let mut prepared = Vec::new();
    let mut offset = 0;
    for batch in &input.batches {
        let n = batch.num_rows();
        let mut start = 0;
        while start < n {
            let len = PIECE_ROWS.min(n - start);
            prepared.push((prepare(plan, &batch.slice(start, len)), offset + start));
            start += len;
        }
        offset += n;
    }
    let mut pieces = Vec::with_capacity(prepared.len().max(1));
    for (p, offset) in &prepared {
        pieces.push(columns(p, plan, input, *offset)?);
    }
    if pieces.is_empty() {
        // No rows: one empty piece, so that the result still has the model's category columns.
        pieces.push(Columns::new(0));
    }
    Ok(model.score_pieces(&pieces, on_error)?)
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

/// The carried columns (id, kept) as (name, whole array).
fn carried(input: &Input, args: &Args, plan: &Plan) -> Result<Vec<(String, ArrayRef)>, Fail> {
    let mut out = Vec::new();
    if !args.carry {
        return Ok(out);
    }
    if let (Some(name), Some(_)) = (&args.id_column, plan.id) {
        if let Some(a) = input.whole_column(name)? {
            out.push((name.clone(), a));
        }
    }
    for k in &args.keep {
        if out.iter().any(|(n, _)| n == k) {
            continue;
        }
        if let Some(a) = input.whole_column(k)? {
            out.push((k.clone(), a));
        }
    }
    Ok(out)
}

fn batch(fields: Vec<Field>, arrays: Vec<ArrayRef>, rows: usize) -> Result<RecordBatch, Fail> {
    let schema = Arc::new(Schema::new(fields));
    RecordBatch::try_new_with_options(schema, arrays, &RecordBatchOptions::new().with_row_count(Some(rows)))
        .map_err(|e| Fail::Type(format!("building the result: {e}")))
}

fn take(a: &ArrayRef, idx: &UInt64Array) -> Result<ArrayRef, Fail> {
    arrow_select::take::take(a.as_ref(), idx, None).map_err(|e| Fail::Type(format!("ordering the result: {e}")))
}

/// `score_frame` and `rank`: one row per account.
fn score_table(model: &Model, input: &Input, args: &Args, mode: Mode) -> Result<RecordBatch, Fail> {
    let plan = plan(model, input, args)?;
    let scores = score_all(model, input, &plan, args.on_error)?;
    let n = scores.len();
    let carried = carried(input, args, &plan)?;
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

/// `explain_frame`: one row per account and criterion, each account scored by `Model::score_records`.
fn explain_table(model: &Model, input: &Input, args: &Args) -> Result<RecordBatch, Fail> {
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
    let mut records: Vec<Record> = Vec::with_capacity(total_rows);
    let mut offset = 0;
    for b in &input.batches {
        let p = prepare(&plan, b);
        let cols = columns(&p, &plan, input, offset)?;
        let names: Vec<&str> =
            p.arrays.iter().map(|(s, _)| s.as_str()).chain(plan.objs.iter().map(|(s, _)| s.as_str())).collect();
        records.extend((0..p.rows).map(|i| {
            let mut r = Record::new();
            r.id = cols.id(i);
            for name in &names {
                if let Some(c) = cols.get(name) {
                    let v = c.value(i);
                    if !matches!(v, Value::Null) {
                        r.values.insert((*name).to_string(), v);
                    }
                }
            }
            r
        }));
        offset += p.rows;
    }
    let results = model.score_records(&records, args.as_of);
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
    batch(fields, arrays, n)
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
pub fn run(model: &Model, input: &Input, args: &Args, mode: Mode) -> Result<RecordBatch, Fail> {
    match mode {
        Mode::Explain => explain_table(model, input, args),
        m => score_table(model, input, args, m),
    }
}
