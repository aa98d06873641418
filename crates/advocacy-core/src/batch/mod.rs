//! Columnar batches: score many accounts at once from Arrow-shaped columns.
//!
//! Columns borrow their buffers where they can (`Cow`), so a binding can hand over Arrow
//! buffers without copying. Results are identical to scoring each row with [`Model::score`].
//! `columns` holds the input side, `kernel` the chunked, vectorisable scoring loops.

mod columns;
mod ids;
mod kernel;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use columns::{Bitmap, Column, Columns};
pub(crate) use ids::id_problems;
pub use ids::{id_errors, UniqueIds};

use crate::error::RecordError;
use crate::model::{Model, Tier, Warning};

/// What to do with a row that has a bad value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OnError {
    /// Fail the whole batch with the first bad row's error.
    #[default]
    Fail,
    /// Flag the bad row (no score, its error kept) and score all the others.
    Flag,
}

/// Which result columns a batch computes besides the totals and tiers (all of them by default).
/// A batch that needs only scores and tiers writes a quarter of the memory.
///
/// ```
/// use advocacy_core::{Columns, Model, OnError, Outputs};
/// let mut cols = Columns::new(2);
/// cols.add("nps", vec![10.0, 3.0]).unwrap();
/// cols.set_outputs(Outputs::SCORE_AND_TIER);
/// let out = Model::default().score_columns(&cols, OnError::Fail).unwrap();
/// assert_eq!(out.total, vec![10.0, 0.0]);
/// assert!(out.completeness.is_empty() && out.max_possible.is_empty());
/// assert!(out.categories.iter().all(|(_, points)| points.is_empty()));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outputs {
    /// Points per category.
    pub categories: bool,
    /// Completeness.
    pub completeness: bool,
    /// The highest total each row could reach.
    pub max_possible: bool,
}

impl Outputs {
    /// Every column.
    pub const ALL: Outputs = Outputs { categories: true, completeness: true, max_possible: true };
    /// Totals and tiers only.
    pub const SCORE_AND_TIER: Outputs = Outputs { categories: false, completeness: false, max_possible: false };
}

impl Default for Outputs {
    fn default() -> Self {
        Outputs::ALL
    }
}

/// Results of a batch, as columns.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BatchScores {
    /// Totals; NaN for flagged rows.
    pub total: Vec<f64>,
    /// Tiers; `None` for flagged rows.
    pub tier: Vec<Option<Tier>>,
    /// Category subtotals `(category id, points per row)`, in model order; NaN for flagged rows.
    pub categories: Vec<(String, Vec<f64>)>,
    /// Completeness per row; NaN for flagged rows.
    pub completeness: Vec<f64>,
    /// The highest total each row could reach once its missing signals are known; NaN for flagged rows.
    pub max_possible: Vec<f64>,
    /// One error per flagged row, sorted by row.
    pub errors: Vec<RecordError>,
    /// Model warnings (e.g. targets not set).
    pub warnings: Vec<Warning>,
}

impl BatchScores {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.total.len()
    }
    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.total.is_empty()
    }
    /// The error of row `i`, if it was flagged.
    pub fn error(&self, i: usize) -> Option<&RecordError> {
        self.errors.binary_search_by_key(&i, |e| e.row.unwrap_or(usize::MAX)).ok().map(|k| &self.errors[k])
    }
    /// Makes room for `rows` more rows in every column.
    pub fn reserve(&mut self, rows: usize) {
        self.total.reserve(rows);
        self.tier.reserve(rows);
        self.completeness.reserve(rows);
        self.max_possible.reserve(rows);
        for (_, c) in self.categories.iter_mut() {
            c.reserve(rows);
        }
    }
}

impl Model {
    /// Scores a columnar batch. Unknown columns are ignored; absent signals are missing.
    ///
    /// With [`OnError::Fail`] the first bad row (lowest index) fails the batch; with
    /// [`OnError::Flag`] bad rows get no score and their error, and every other row is scored.
    pub fn score_columns(&self, columns: &Columns<'_>, on_error: OnError) -> Result<BatchScores, RecordError> {
        let mut out = BatchScores::default();
        self.score_columns_into(columns, on_error, &mut out)?;
        Ok(out)
    }

    /// Like [`Model::score_columns`], writing into `out` and reusing its allocations: the way to
    /// score a stream of batches (e.g. Arrow record batches) without allocating per batch.
    pub fn score_columns_into(
        &self,
        columns: &Columns<'_>,
        on_error: OnError,
        out: &mut BatchScores,
    ) -> Result<(), RecordError> {
        self.score_chunks(columns, out);
        for e in id_problems(std::slice::from_ref(columns)) {
            out.flag_row(e.row.unwrap_or(0), e);
        }
        if on_error == OnError::Fail {
            if let Some(e) = out.errors.first() {
                return Err(e.clone());
            }
        }
        Ok(())
    }
}
