//! Operations over results that every surface needs, so that no binding writes them again:
//! ranking, flagging a row, scoring a large table in parallel pieces and joining the results,
//! and the one error envelope the bindings map one to one onto their own error types.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::batch::{BatchScores, Columns, OnError};
use crate::date::DateError;
use crate::error::{ColumnError, Error, ModelError, RecordError};
use crate::model::Model;

/// Row indices of `totals` best first: by total descending, ties in input order, NaN (flagged
/// rows) last. The one ranking every surface uses.
///
/// ```
/// assert_eq!(advocacy_core::rank(&[10.0, f64::NAN, 30.0, 10.0]), vec![2, 0, 3, 1]);
/// ```
pub fn rank(totals: &[f64]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..totals.len()).collect();
    let key = |i: usize| if totals[i].is_nan() { f64::NEG_INFINITY } else { totals[i] };
    // A stable sort keeps ties in input order.
    idx.sort_by(|a, b| key(*b).total_cmp(&key(*a)));
    idx
}

impl BatchScores {
    /// Row indices best first: by total descending, ties in input order, flagged rows last.
    pub fn ranking(&self) -> Vec<usize> {
        rank(&self.total)
    }

    /// The first `n` rows of [`BatchScores::ranking`] (all of them for `None`).
    pub fn top(&self, n: Option<usize>) -> Vec<usize> {
        let mut r = self.ranking();
        if let Some(n) = n {
            r.truncate(n);
        }
        r
    }

    /// Flags row `row` with `error` (found outside the core's own checks, e.g. a value a binding
    /// could not convert): the row loses its score and keeps this error in place of any other.
    ///
    /// ```
    /// use advocacy_core::{Columns, Model, OnError, RecordError, RecordErrorKind};
    /// let mut cols = Columns::new(2);
    /// cols.add("nps", vec![9.0, 10.0]).unwrap();
    /// let mut out = Model::default().score_columns(&cols, OnError::Flag).unwrap();
    /// out.flag_row(1, RecordError::new(RecordErrorKind::WrongType, Some(1), None, "nps", "{}", "an integer"));
    /// assert!(out.total[1].is_nan() && out.tier[1].is_none());
    /// assert_eq!(out.error(1).unwrap().value, "{}");
    /// ```
    pub fn flag_row(&mut self, row: usize, mut error: RecordError) {
        if row >= self.len() {
            return;
        }
        self.total[row] = f64::NAN;
        self.tier[row] = None;
        // Columns the batch did not compute (see `Outputs`) are empty.
        for c in [&mut self.completeness, &mut self.max_possible]
            .into_iter()
            .chain(self.categories.iter_mut().map(|(_, c)| c))
        {
            if let Some(v) = c.get_mut(row) {
                *v = f64::NAN;
            }
        }
        error.row = Some(row);
        match self.errors.binary_search_by_key(&row, |e| e.row.unwrap_or(usize::MAX)) {
            Ok(k) => self.errors[k] = error,
            Err(k) => self.errors.insert(k, error),
        }
    }

    /// The batch as `on_error` wants it: itself with [`OnError::Flag`], or the first flagged
    /// row's error with [`OnError::Fail`].
    pub fn into_result(self, on_error: OnError) -> Result<BatchScores, RecordError> {
        match (on_error, self.errors.first()) {
            (OnError::Fail, Some(e)) => Err(e.clone()),
            _ => Ok(self),
        }
    }

    /// Appends the results of the rows that follow: `next`'s rows become rows
    /// `self.len()..`, its errors are renumbered to match.
    pub fn append(&mut self, next: BatchScores) {
        let offset = self.len();
        if self.categories.len() != next.categories.len() {
            self.categories = next.categories.iter().map(|(id, _)| (id.clone(), Vec::new())).collect();
        }
        self.total.extend(next.total);
        self.tier.extend(next.tier);
        for ((_, a), (_, b)) in self.categories.iter_mut().zip(next.categories) {
            a.extend(b);
        }
        self.completeness.extend(next.completeness);
        self.max_possible.extend(next.max_possible);
        self.errors.extend(next.errors.into_iter().map(|mut e| {
            e.row = e.row.map(|r| r + offset);
            e
        }));
        if self.warnings.is_empty() {
            self.warnings = next.warnings;
        }
    }
}

/// How many threads a batch of `rows` rows is worth (one on wasm, where there are none).
fn threads_for(pieces: usize) -> usize {
    if cfg!(target_arch = "wasm32") {
        return 1;
    }
    std::thread::available_parallelism().map_or(1, |n| n.get()).min(pieces).max(1)
}

impl Model {
    /// Scores consecutive pieces of one table (Arrow record batches, say) on as many threads as
    /// the machine has (one on wasm) and joins the results in row order, as if the pieces were
    /// one batch: rows and error rows count from the first piece's first row.
    ///
    /// With [`OnError::Fail`] the first bad row of the whole table fails it.
    ///
    /// ```
    /// use advocacy_core::{Columns, Model, OnError};
    /// let piece = |v: Vec<f64>| { let mut c = Columns::new(v.len()); c.add("nps", v).unwrap(); c };
    /// let pieces = vec![piece(vec![9.0, 3.0]), piece(vec![10.0])];
    /// let out = Model::default().score_pieces(&pieces, OnError::Fail).unwrap();
    /// assert_eq!(out.total, vec![10.0, 0.0, 10.0]);
    /// ```
    pub fn score_pieces(&self, pieces: &[Columns<'_>], on_error: OnError) -> Result<BatchScores, RecordError> {
        let threads = threads_for(pieces.len());
        let results: Vec<BatchScores> = if threads <= 1 {
            pieces.iter().map(|p| self.score_piece(p)).collect()
        } else {
            // Contiguous runs of pieces per thread, joined in order.
            let per = pieces.len().div_ceil(threads);
            std::thread::scope(|s| {
                let handles: Vec<_> = pieces
                    .chunks(per)
                    .map(|run| s.spawn(move || run.iter().map(|p| self.score_piece(p)).collect::<Vec<_>>()))
                    .collect();
                handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
            })
        };
        // No pieces at all still gives the model's category columns (empty).
        let categories = self.spec.categories.iter().map(|c| (c.id.clone(), Vec::new())).collect();
        let mut out = BatchScores { categories, ..BatchScores::default() };
        let rows = pieces.iter().map(Columns::len).sum();
        out.reserve(rows);
        for r in results {
            out.append(r);
        }
        if out.warnings.is_empty() {
            out.warnings = self.warnings().to_vec();
        }
        for e in crate::batch::id_problems(pieces) {
            out.flag_row(e.row.unwrap_or(0), e);
        }
        if on_error == OnError::Fail {
            if let Some(e) = out.errors.first() {
                return Err(e.clone());
            }
        }
        Ok(out)
    }

    pub(crate) fn score_piece(&self, piece: &Columns<'_>) -> BatchScores {
        let mut out = BatchScores::default();
        self.score_chunks(piece, &mut out);
        out
    }
}

/// Which part of the library an error comes from.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema, strum::IntoStaticStr, strum::EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorKind {
    /// A bad signal value in a record or row.
    Record,
    /// A bad model.
    Model,
    /// A batch column of the wrong length.
    Column,
    /// A date that could not be read.
    Date,
    /// A bad program input or configuration.
    Program,
    /// An argument a surface could not take (wrong type, unknown option).
    Usage,
}

impl ErrorKind {
    /// Its name (`record`, `model`, ...).
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// Every error of every layer in one shape, for the bindings: Python raises it as an exception
/// with these fields, JavaScript throws it as an `AdvocacyError`. Fields that do not apply are
/// `None`; `message` is the full text, the same in every language.
///
/// ```
/// use advocacy_core::{ErrorEnvelope, ErrorKind, Model, Record};
/// let err = Model::default().score(&Record::new().id("acme").with("nps", 11)).unwrap_err();
/// let env = ErrorEnvelope::from(&err);
/// assert_eq!(env.kind, ErrorKind::Record);
/// assert_eq!(env.code, "out_of_range");
/// assert_eq!(env.signal.as_deref(), Some("nps"));
/// assert_eq!(env.id.as_deref(), Some("acme"));
/// assert_eq!(env.message, err.to_string());
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ErrorEnvelope {
    /// Where it comes from.
    #[serde(rename = "type")]
    pub kind: ErrorKind,
    /// A stable code within the kind (`out_of_range`, `unknown_signal`, `invalid_date`, ...).
    pub code: String,
    /// The config path (model and program errors) or the argument's name (usage errors).
    pub path: Option<String>,
    /// The row in a batch.
    pub row: Option<usize>,
    /// The account id.
    pub id: Option<String>,
    /// The signal (record errors) or the column (column errors).
    pub signal: Option<String>,
    /// The value seen, as text.
    pub value: Option<String>,
    /// What is allowed there.
    pub allowed: Option<String>,
    /// The whole message.
    pub message: String,
}

fn some(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

impl ErrorEnvelope {
    /// An envelope with only a kind, a code and a message.
    pub fn new(kind: ErrorKind, code: impl Into<String>, message: impl Into<String>) -> Self {
        ErrorEnvelope {
            kind,
            code: code.into(),
            path: None,
            row: None,
            id: None,
            signal: None,
            value: None,
            allowed: None,
            message: message.into(),
        }
    }

    /// A usage error: argument `argument` got `value` where `allowed` was expected.
    ///
    /// ```
    /// let e = advocacy_core::ErrorEnvelope::usage("invalid_argument", "onError", "\"Flag\"", "\"fail\" or \"flag\"");
    /// assert_eq!(e.message, "argument `onError`: value \"Flag\" is not allowed; allowed: \"fail\" or \"flag\"");
    /// ```
    pub fn usage(code: &str, argument: &str, value: &str, allowed: &str) -> Self {
        let message = format!("argument `{argument}`: value {value} is not allowed; allowed: {allowed}");
        ErrorEnvelope {
            path: some(argument),
            value: Some(value.to_string()),
            allowed: Some(allowed.to_string()),
            ..ErrorEnvelope::new(ErrorKind::Usage, code, message)
        }
    }

    /// The envelope as JSON text (what the wasm binding hands to JavaScript).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self)
            .unwrap_or_else(|_| format!("{{\"type\":\"usage\",\"code\":\"internal\",\"message\":{:?}}}", self.message))
    }
}

impl From<&RecordError> for ErrorEnvelope {
    fn from(e: &RecordError) -> Self {
        ErrorEnvelope {
            row: e.row,
            id: e.id.clone(),
            signal: some(&e.signal),
            value: Some(e.value.clone()),
            allowed: some(&e.allowed),
            ..ErrorEnvelope::new(ErrorKind::Record, e.kind.code(), e.to_string())
        }
    }
}

impl From<&ModelError> for ErrorEnvelope {
    fn from(e: &ModelError) -> Self {
        ErrorEnvelope {
            path: Some(e.path.clone()),
            value: some(&e.value),
            allowed: some(&e.allowed),
            ..ErrorEnvelope::new(ErrorKind::Model, e.kind.code(), e.to_string())
        }
    }
}

impl From<&ColumnError> for ErrorEnvelope {
    fn from(e: &ColumnError) -> Self {
        ErrorEnvelope {
            signal: Some(e.column.clone()),
            value: Some(e.len.to_string()),
            allowed: Some(format!("exactly {} rows, like the batch", e.expected)),
            ..ErrorEnvelope::new(ErrorKind::Column, "column_length", e.to_string())
        }
    }
}

impl From<&DateError> for ErrorEnvelope {
    fn from(e: &DateError) -> Self {
        ErrorEnvelope {
            value: Some(e.value.clone()),
            allowed: Some("a date YYYY-MM-DD".into()),
            ..ErrorEnvelope::new(ErrorKind::Date, "invalid_date", e.to_string())
        }
    }
}

impl From<&Error> for ErrorEnvelope {
    fn from(e: &Error) -> Self {
        match e {
            Error::Record(e) => e.into(),
            Error::Model(e) => e.into(),
            Error::Column(e) => e.into(),
            Error::Date(e) => e.into(),
        }
    }
}

macro_rules! from_owned {
    ($($t:ty),*) => { $( impl From<$t> for ErrorEnvelope { fn from(e: $t) -> Self { (&e).into() } } )* };
}
from_owned!(RecordError, ModelError, ColumnError, DateError, Error);

impl std::fmt::Display for ErrorEnvelope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ErrorEnvelope {}
