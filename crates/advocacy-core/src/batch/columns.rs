//! The columns of a batch: Arrow-shaped buffers, borrowed where they can be (`Cow`).

use std::borrow::Cow;

use crate::error::ColumnError;
use crate::signal::Value;

/// A validity bitmap in Arrow's layout: bit `i` (least significant first) set = value present.
#[derive(Clone, Debug)]
pub struct Bitmap<'a> {
    bytes: Cow<'a, [u8]>,
    offset: usize,
}

impl<'a> Bitmap<'a> {
    /// A bitmap over `bytes`, starting at bit `offset`.
    pub fn new(bytes: impl Into<Cow<'a, [u8]>>, offset: usize) -> Self {
        Bitmap { bytes: bytes.into(), offset }
    }
    /// A bitmap from booleans.
    pub fn from_bools(bits: &[bool]) -> Bitmap<'static> {
        let mut bytes = vec![0u8; bits.len().div_ceil(8)];
        for (i, b) in bits.iter().enumerate() {
            if *b {
                bytes[i / 8] |= 1 << (i % 8);
            }
        }
        Bitmap { bytes: Cow::Owned(bytes), offset: 0 }
    }
    /// Bit `i`.
    #[inline(always)]
    pub fn get(&self, i: usize) -> bool {
        let j = i + self.offset;
        self.bytes.get(j / 8).is_some_and(|b| b & (1 << (j % 8)) != 0)
    }
    /// Writes bits `start..start + out.len()` as 1.0 / 0.0 (bits past the end read 0).
    #[inline]
    pub(super) fn expand(&self, start: usize, out: &mut [f64]) {
        let bytes: &[u8] = &self.bytes;
        let first = start + self.offset;
        if first & 7 == 0 {
            // Whole bytes: eight values per byte from a table (chunks start on multiples of 8).
            let (head, tail) = out.split_at_mut(out.len() / 8 * 8);
            for (k, o) in head.chunks_exact_mut(8).enumerate() {
                let byte = bytes.get(first / 8 + k).copied().unwrap_or(0);
                o.copy_from_slice(&EXPANDED[byte as usize]);
            }
            for (k, o) in tail.iter_mut().enumerate() {
                let j = first + head.len() + k;
                let byte = bytes.get(j >> 3).copied().unwrap_or(0);
                *o = ((byte >> (j & 7)) & 1) as f64;
            }
            return;
        }
        for (k, o) in out.iter_mut().enumerate() {
            let j = start + k + self.offset;
            let byte = bytes.get(j >> 3).copied().unwrap_or(0);
            *o = ((byte >> (j & 7)) & 1) as f64;
        }
    }
    pub(super) fn bit_len(&self) -> usize {
        (self.bytes.len() * 8).saturating_sub(self.offset)
    }
}

/// Each byte of a bitmap as its eight bits, least significant first, as 0.0 / 1.0.
static EXPANDED: [[f64; 8]; 256] = {
    let mut t = [[0.0; 8]; 256];
    let mut byte = 0;
    while byte < 256 {
        let mut bit = 0;
        while bit < 8 {
            t[byte][bit] = ((byte >> bit) & 1) as f64;
            bit += 1;
        }
        byte += 1;
    }
    t
};

/// One column of a batch.
#[derive(Clone, Debug)]
pub enum Column<'a> {
    /// Floats; NaN or a cleared validity bit is missing.
    Float {
        /// The values.
        values: Cow<'a, [f64]>,
        /// Which values are present (none: all).
        validity: Option<Bitmap<'a>>,
    },
    /// Integers.
    Int {
        /// The values.
        values: Cow<'a, [i64]>,
        /// Which values are present (none: all).
        validity: Option<Bitmap<'a>>,
    },
    /// Booleans, as a bitmap.
    Bool {
        /// The values.
        values: Bitmap<'a>,
        /// Which values are present (none: all).
        validity: Option<Bitmap<'a>>,
    },
    /// Text; `None` is missing.
    Text(Vec<Option<Cow<'a, str>>>),
    /// Dictionary-encoded text (Arrow dictionaries, pandas categoricals).
    Dictionary {
        /// Index into `values` per row.
        keys: Cow<'a, [u32]>,
        /// Which rows are present (none: all).
        validity: Option<Bitmap<'a>>,
        /// The distinct values.
        values: Vec<Cow<'a, str>>,
    },
    /// Loosely typed values, checked like a record's.
    Values(Cow<'a, [Value]>),
}

impl Column<'_> {
    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            Column::Float { values, .. } => values.len(),
            Column::Int { values, .. } => values.len(),
            Column::Bool { values, .. } => values.bit_len(),
            Column::Text(v) => v.len(),
            Column::Dictionary { keys, .. } => keys.len(),
            Column::Values(v) => v.len(),
        }
    }
    /// True when the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The row's value as a record would carry it (used for ids and for error messages).
    /// Row `i` as an account id, borrowed where the column holds text: the same text as
    /// [`Value::to_id`] gives for [`Column::value`].
    pub fn id_text(&self, i: usize) -> Option<Cow<'_, str>> {
        let valid = |v: &Option<Bitmap>| v.as_ref().is_none_or(|b| b.get(i));
        match self {
            Column::Text(v) => v.get(i).and_then(|s| s.as_deref()).and_then(trimmed).map(Cow::Borrowed),
            Column::Dictionary { keys, validity, values } if valid(validity) => {
                keys.get(i).and_then(|k| values.get(*k as usize)).and_then(|s| trimmed(s)).map(Cow::Borrowed)
            }
            other => other.value(i).to_id().map(Cow::Owned),
        }
    }

    /// Row `i` as a loose value.
    pub fn value(&self, i: usize) -> Value {
        let valid = |v: &Option<Bitmap>| v.as_ref().is_none_or(|b| b.get(i));
        match self {
            Column::Float { values, validity } if valid(validity) => {
                values.get(i).map_or(Value::Null, |v| Value::Number(*v))
            }
            Column::Int { values, validity } if valid(validity) => {
                values.get(i).map_or(Value::Null, |v| Value::Number(*v as f64))
            }
            Column::Bool { values, validity } if valid(validity) => Value::Bool(values.get(i)),
            Column::Text(v) => v.get(i).and_then(|s| s.as_ref()).map_or(Value::Null, |s| Value::Text(s.to_string())),
            Column::Dictionary { keys, validity, values } if valid(validity) => {
                keys.get(i).and_then(|k| values.get(*k as usize)).map_or(Value::Null, |s| Value::Text(s.to_string()))
            }
            Column::Values(v) => v.get(i).cloned().unwrap_or(Value::Null),
            _ => Value::Null,
        }
    }
}

impl Bitmap<'_> {
    /// The bitmap owning its bytes.
    pub fn into_owned(self) -> Bitmap<'static> {
        Bitmap { bytes: Cow::Owned(self.bytes.into_owned()), offset: self.offset }
    }
}

impl Column<'_> {
    /// The column owning its buffers (copied where it borrowed them): a column that can outlive
    /// what it was read from, e.g. to hand it to another thread.
    pub fn into_owned(self) -> Column<'static> {
        let own = |v: Option<Bitmap<'_>>| v.map(Bitmap::into_owned);
        match self {
            Column::Float { values, validity } => {
                Column::Float { values: Cow::Owned(values.into_owned()), validity: own(validity) }
            }
            Column::Int { values, validity } => {
                Column::Int { values: Cow::Owned(values.into_owned()), validity: own(validity) }
            }
            Column::Bool { values, validity } => Column::Bool { values: values.into_owned(), validity: own(validity) },
            Column::Text(cells) => {
                Column::Text(cells.into_iter().map(|c| c.map(|t| Cow::Owned(t.into_owned()))).collect())
            }
            Column::Dictionary { keys, validity, values } => Column::Dictionary {
                keys: Cow::Owned(keys.into_owned()),
                validity: own(validity),
                values: values.into_iter().map(|v| Cow::Owned(v.into_owned())).collect(),
            },
            Column::Values(v) => Column::Values(Cow::Owned(v.into_owned())),
        }
    }
}

impl From<Vec<f64>> for Column<'static> {
    fn from(v: Vec<f64>) -> Self {
        Column::Float { values: Cow::Owned(v), validity: None }
    }
}
impl<'a> From<&'a [f64]> for Column<'a> {
    fn from(v: &'a [f64]) -> Self {
        Column::Float { values: Cow::Borrowed(v), validity: None }
    }
}
impl From<Vec<Option<f64>>> for Column<'static> {
    fn from(v: Vec<Option<f64>>) -> Self {
        Column::Float { values: Cow::Owned(v.iter().map(|x| x.unwrap_or(f64::NAN)).collect()), validity: None }
    }
}
impl From<Vec<i64>> for Column<'static> {
    fn from(v: Vec<i64>) -> Self {
        Column::Int { values: Cow::Owned(v), validity: None }
    }
}
impl From<Vec<Option<bool>>> for Column<'static> {
    fn from(v: Vec<Option<bool>>) -> Self {
        let values: Vec<bool> = v.iter().map(|b| b.unwrap_or(false)).collect();
        let valid: Vec<bool> = v.iter().map(Option::is_some).collect();
        Column::Bool { values: Bitmap::from_bools(&values), validity: Some(Bitmap::from_bools(&valid)) }
    }
}
impl From<Vec<bool>> for Column<'static> {
    fn from(v: Vec<bool>) -> Self {
        Column::Bool { values: Bitmap::from_bools(&v), validity: None }
    }
}
impl From<Vec<Option<String>>> for Column<'static> {
    fn from(v: Vec<Option<String>>) -> Self {
        Column::Text(v.into_iter().map(|s| s.map(Cow::Owned)).collect())
    }
}
impl<'a> From<Vec<Option<&'a str>>> for Column<'a> {
    fn from(v: Vec<Option<&'a str>>) -> Self {
        Column::Text(v.into_iter().map(|s| s.map(Cow::Borrowed)).collect())
    }
}
impl From<Vec<Value>> for Column<'static> {
    fn from(v: Vec<Value>) -> Self {
        Column::Values(Cow::Owned(v))
    }
}

/// A batch of accounts as named columns of equal length.
///
/// ```
/// use advocacy_core::{Columns, Model, OnError, Tier};
/// let mut cols = Columns::new(3);
/// cols.add("nps", vec![10.0, 5.0, f64::NAN]).unwrap();
/// cols.add("roi_achieved", vec![Some(true), Some(false), None]).unwrap();
/// let out = Model::default().score_columns(&cols, OnError::Fail).unwrap();
/// assert_eq!(out.total, vec![20.0, 0.0, 0.0]);
/// assert_eq!(out.tier[0], Some(Tier::NotYetQualified));
/// assert_eq!(out.ranking(), vec![0, 1, 2]);
/// ```
#[derive(Clone, Debug, Default)]
pub struct Columns<'a> {
    pub(super) len: usize,
    ids: Option<Column<'a>>,
    unique_ids: bool,
    options: crate::signal::ReadOptions,
    columns: Vec<(String, Column<'a>)>,
    observed: Option<Column<'a>>,
    as_of: Option<crate::date::Date>,
    outputs: super::Outputs,
}

impl<'a> Columns<'a> {
    /// An empty batch of `len` rows.
    pub fn new(len: usize) -> Self {
        Columns {
            len,
            ids: None,
            unique_ids: false,
            options: crate::signal::ReadOptions::default(),
            columns: Vec::new(),
            observed: None,
            as_of: None,
            outputs: super::Outputs::ALL,
        }
    }
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.len
    }
    /// True when there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    /// Adds (or replaces) a column; its length must match the batch.
    pub fn add(&mut self, name: &str, column: impl Into<Column<'a>>) -> Result<(), ColumnError> {
        let column = column.into();
        if column.len() < self.len {
            return Err(ColumnError { column: name.to_string(), len: column.len(), expected: self.len });
        }
        self.columns.retain(|(n, _)| n != name);
        self.columns.push((name.to_string(), column));
        Ok(())
    }
    /// Sets the id column, used in results and error messages.
    pub fn set_ids(&mut self, column: impl Into<Column<'a>>) -> Result<(), ColumnError> {
        let column = column.into();
        if column.len() < self.len {
            return Err(ColumnError { column: "id".into(), len: column.len(), expected: self.len });
        }
        self.ids = Some(column);
        Ok(())
    }
    /// Makes every row need an id of its own: an empty id, or one another row has too, is an
    /// error of the row (`missing_id`, `duplicate_id`), checked across all the pieces of
    /// [`crate::Model::score_pieces`].
    ///
    /// ```
    /// use advocacy_core::{Columns, Model, OnError};
    /// let mut cols = Columns::new(3);
    /// cols.set_ids(vec![Some("a".to_string()), Some("b".into()), Some("a".into())]).unwrap();
    /// cols.require_unique_ids();
    /// let out = Model::default().score_columns(&cols, OnError::Flag).unwrap();
    /// let e = out.error(2).unwrap();
    /// assert_eq!((e.kind.code(), e.value.as_str()), ("duplicate_id", "\"a\" (row 0 has it too)"));
    /// ```
    pub fn require_unique_ids(&mut self) {
        self.unique_ids = true;
    }
    /// How text cells of number and boolean signals are read (a decimal comma, ...).
    pub fn set_read_options(&mut self, options: crate::signal::ReadOptions) {
        self.options = options;
    }
    /// How text cells are read.
    pub fn read_options(&self) -> &crate::signal::ReadOptions {
        &self.options
    }
    /// Sets the column of the dates each row's values were observed: text as `YYYY-MM-DD`, or
    /// whole numbers as days since 1970-01-01 (Arrow's `date32`); missing cells have no date.
    /// Scored with [`Columns::set_as_of`], a value older than the model's maximum age for its
    /// signal counts as missing, as [`crate::Model::score_as_of`] counts it for a record whose
    /// values were observed on that date. A cell that is not a date is an error of its row
    /// (signal `observed`).
    ///
    /// ```
    /// use advocacy_core::{Columns, Model, OnError};
    /// let model = Model::default().with_max_ages([("nps".to_string(), 180)].into()).unwrap();
    /// let mut cols = Columns::new(2);
    /// cols.add("nps", vec![10.0, 10.0]).unwrap();
    /// cols.set_observed(vec![Some("2026-10-01".to_string()), Some("2025-01-01".into())]).unwrap();
    /// cols.set_as_of("2026-11-30".parse().unwrap());
    /// let out = model.score_columns(&cols, OnError::Fail).unwrap();
    /// assert_eq!(out.total, vec![10.0, 0.0]); // the second NPS is stale: missing
    /// ```
    pub fn set_observed(&mut self, column: impl Into<Column<'a>>) -> Result<(), ColumnError> {
        let column = column.into();
        if column.len() < self.len {
            return Err(ColumnError { column: "observed".into(), len: column.len(), expected: self.len });
        }
        self.observed = Some(column);
        Ok(())
    }
    /// Which result columns to compute besides totals and tiers (default: all; see
    /// [`crate::Outputs`]).
    pub fn set_outputs(&mut self, outputs: super::Outputs) {
        self.outputs = outputs;
    }
    /// Which result columns are computed.
    pub fn outputs(&self) -> super::Outputs {
        self.outputs
    }
    /// The as-of date freshness is judged on (see [`Columns::set_observed`]).
    pub fn set_as_of(&mut self, as_of: crate::date::Date) {
        self.as_of = Some(as_of);
    }
    /// The observation date column, if set.
    pub fn observed_column(&self) -> Option<&Column<'a>> {
        self.observed.as_ref()
    }
    /// The as-of date, if set.
    pub fn as_of(&self) -> Option<crate::date::Date> {
        self.as_of
    }
    /// Whether every row needs an id of its own.
    pub fn ids_must_be_unique(&self) -> bool {
        self.unique_ids
    }
    /// The column of a signal.
    pub fn get(&self, name: &str) -> Option<&Column<'a>> {
        self.columns.iter().find(|(n, _)| n == name).map(|(_, c)| c)
    }
    /// The id column, if set.
    pub fn id_column(&self) -> Option<&Column<'a>> {
        self.ids.as_ref()
    }
    /// The id of row `i`, as text.
    pub fn id(&self, i: usize) -> Option<String> {
        self.ids.as_ref()?.value(i).to_id()
    }
}

/// Text trimmed, `None` when nothing is left.
fn trimmed(s: &str) -> Option<&str> {
    Some(s.trim()).filter(|s| !s.is_empty())
}
