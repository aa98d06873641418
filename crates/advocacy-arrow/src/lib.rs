//! Arrow in and out of `advocacy-core`, for every surface that holds Arrow data (the CLI's
//! Parquet files, the Python binding's frames): a record batch read by the core's column plan
//! into the core's columnar batch, borrowing Arrow's buffers where it can.
//!
//! This crate knows Arrow and the core, and nothing of files, Python or JavaScript.
//!
//! ```
//! use std::sync::Arc;
//! use advocacy_core::{ColumnMapping, Model, OnError};
//! use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
//!
//! let batch = RecordBatch::try_from_iter([
//!     ("Account ID", Arc::new(StringArray::from(vec!["a", "b"])) as ArrayRef),
//!     ("NPS", Arc::new(Float64Array::from(vec![10.0, 3.0])) as ArrayRef),
//! ]).unwrap();
//! let model = Model::default();
//! let headers: Vec<String> = batch.schema().fields().iter().map(|f| f.name().clone()).collect();
//! let plan = model.read_columns(&headers, &ColumnMapping::default()).unwrap();
//! let arrays = advocacy_arrow::prepare(&batch, &plan);
//! let read = advocacy_arrow::columns(&model, &plan, &arrays);
//! let out = model.score_columns(&read.columns, OnError::Flag).unwrap();
//! assert_eq!(out.total, vec![10.0, 0.0]);
//! assert_eq!(read.columns.id(1).as_deref(), Some("b"));
//! ```
#![forbid(unsafe_code)]

mod input;

pub use input::{
    bytes_text, normalize, observed_array, text_dictionary, to_column, truncate, BadCells, NotUtf8, UTF8_ALLOWED,
};

use advocacy_core::{ColumnPlan, Columns, Model};
use arrow_array::{ArrayRef, RecordBatch};

/// The batch's arrays as the core reads them: each [`normalize`]d, the observation date column
/// as day numbers ([`observed_array`]). Keep them alive while [`columns`] borrows them.
pub fn prepare(batch: &RecordBatch, plan: &ColumnPlan) -> Vec<ArrayRef> {
    let observed = plan.observed_column();
    batch
        .columns()
        .iter()
        .enumerate()
        .map(|(i, a)| if Some(i) == observed { observed_array(a) } else { normalize(a) })
        .collect()
}

/// A record batch read for a model: its columnar batch, and the cells that could not be read
/// (bytes that are not UTF-8), as `(row, column index, shown)`.
pub struct ReadBatch<'a> {
    /// The columns of the signals the plan reads (value maps applied), the ids, the observation
    /// dates and the plan's read options. Whether every row needs an id of its own is the
    /// caller's to say (`Columns::require_unique_ids`, or a check across a whole stream).
    pub columns: Columns<'a>,
    /// Unreadable cells: the caller flags their rows.
    pub bad: Vec<(usize, usize, NotUtf8)>,
}

/// The columns of [`prepare`]d arrays, by the column plan: borrowed where Arrow allows
/// (Float64, Int64, booleans and validity bitmaps in place; text string by string).
pub fn columns<'a>(model: &Model, plan: &ColumnPlan, arrays: &'a [ArrayRef]) -> ReadBatch<'a> {
    let n = arrays.first().map_or(0, |a| a.len());
    let mut cols = Columns::new(n);
    let mut bad = Vec::new();
    let mut column = |i: usize| {
        let (c, b) = to_column(&arrays[i]);
        bad.extend(b.into_iter().map(|(row, e)| (row, i, e)));
        c
    };
    for i in 0..arrays.len().min(plan.columns.len()) {
        if let Some(spec) = plan.signal_of(i).and_then(|s| model.signal(s)) {
            let c = plan.read_column(spec, column(i));
            // Lengths match: every array of a record batch has its rows.
            let _ = cols.add(&spec.name, c);
        }
    }
    if let Some(i) = plan.id_column().filter(|i| *i < arrays.len()) {
        let _ = cols.set_ids(column(i));
    }
    if let Some(i) = plan.observed_column().filter(|i| *i < arrays.len()) {
        let _ = cols.set_observed(column(i));
    }
    cols.set_read_options(plan.options);
    ReadBatch { columns: cols, bad }
}
