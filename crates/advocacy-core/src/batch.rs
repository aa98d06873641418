//! Columnar batches: score many accounts at once from Arrow-shaped columns.
//!
//! Columns borrow their buffers where they can (`Cow`), so a binding can hand over Arrow
//! buffers without copying. Results are identical to scoring each row with [`Model::score`].

// `x == x` is the branch-free "is not NaN" test the kernels are written with (it vectorises).
#![allow(clippy::eq_op)]

use std::borrow::Cow;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{ColumnError, RecordError, RecordErrorKind};
use crate::model::{Model, ResolvedGate, Rule, Tier, Warning};
use crate::num::{round6, ROUNDER};
use crate::score::total_of;
use crate::signal::{SignalKind, SignalSpec, Value};

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
    fn expand(&self, start: usize, out: &mut [f64]) {
        let bytes: &[u8] = &self.bytes;
        for (k, o) in out.iter_mut().enumerate() {
            let j = start + k + self.offset;
            let byte = bytes.get(j >> 3).copied().unwrap_or(0);
            *o = ((byte >> (j & 7)) & 1) as f64;
        }
    }
    fn bit_len(&self) -> usize {
        (self.bytes.len() * 8).saturating_sub(self.offset)
    }
}

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
    len: usize,
    ids: Option<Column<'a>>,
    columns: Vec<(String, Column<'a>)>,
}

impl<'a> Columns<'a> {
    /// An empty batch of `len` rows.
    pub fn new(len: usize) -> Self {
        Columns { len, ids: None, columns: Vec::new() }
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
    /// The column of a signal.
    pub fn get(&self, name: &str) -> Option<&Column<'a>> {
        self.columns.iter().find(|(n, _)| n == name).map(|(_, c)| c)
    }
    /// The id of row `i`, as text.
    pub fn id(&self, i: usize) -> Option<String> {
        match self.ids.as_ref()?.value(i) {
            Value::Null => None,
            Value::Text(s) => Some(s),
            v => Some(v.to_string()),
        }
    }
}

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

const CHUNK: usize = 8192;
const NO_GATE: u8 = u8::MAX;

/// How a column is read for one criterion or gate.
enum Enc<'r> {
    /// Numbers: `frac_num` applies.
    Num(&'r Rule),
    /// Booleans as 0/1: `frac_bool` applies.
    Bool(&'r Rule),
    /// Text: the share is computed while filling.
    Text(&'r Rule),
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
        if on_error == OnError::Fail {
            if let Some(e) = out.errors.first() {
                return Err(e.clone());
            }
        }
        Ok(())
    }
}

impl Model {
    pub(crate) fn score_chunks(&self, cols: &Columns<'_>, out: &mut BatchScores) {
        let m = &self.spec;
        let n = cols.len;
        let ncat = m.categories.len();
        // Outputs grow chunk by chunk (no zero-filling of memory that is written anyway) and keep
        // their allocations from an earlier batch.
        out.total.clear();
        out.total.reserve(n);
        out.tier.clear();
        out.tier.reserve(n);
        out.completeness.clear();
        out.completeness.reserve(n);
        out.max_possible.clear();
        out.max_possible.reserve(n);
        out.categories.resize_with(ncat, || (String::new(), Vec::new()));
        for ((id, v), c) in out.categories.iter_mut().zip(&m.categories) {
            id.clone_from(&c.id);
            v.clear();
            v.reserve(n);
        }
        out.errors.clear();
        out.warnings.clone_from(&self.warnings);
        // Known columns in signal order (validation order = record validation order), with the
        // category check of dictionary values done once per column.
        let known: Vec<(usize, &SignalSpec, &Column, Vec<bool>)> = self
            .signals
            .iter()
            .enumerate()
            .filter_map(|(k, s)| cols.get(&s.name).map(|c| (k, s, c, dictionary_allowed(s, c))))
            .collect();
        // Each criterion's and gate's column, with the shares of dictionary values computed once.
        let prepared = |signal: &str, spec: &SignalSpec, rule: &Rule| {
            cols.get(signal).map(|col| {
                let shares: Vec<f64> = match (col, spec.kind) {
                    (Column::Dictionary { values, .. }, SignalKind::Category | SignalKind::Text) => {
                        values.iter().map(|s| text_share(Some(s), rule, &m.targets)).collect()
                    }
                    _ => Vec::new(),
                };
                (col, shares)
            })
        };
        let crits: Vec<_> =
            self.criteria.iter().map(|rc| prepared(&rc.criterion.signal, &rc.signal, &rc.criterion.rule)).collect();
        let gates: Vec<_> = self.gates.iter().map(|rg| prepared(&rg.gate.signal, &rg.signal, &rg.gate.rule)).collect();
        let any_na = self.criteria.iter().any(|rc| !rc.criterion.rule.can_be_judged(&m.targets));
        let mut errs: Vec<(usize, usize, RecordError)> = Vec::new();

        let mut present = vec![0.0f64; CHUNK];
        let mut earned = vec![0.0f64; CHUNK];
        // Whole points summed without rescaling are exact: rounding them would change nothing.
        let exact = m.missing == crate::model::MissingPolicy::Zero
            && self.criteria.iter().all(|rc| {
                let p = rc.criterion.points;
                p == p.trunc() && p < 1e9 && !matches!(rc.criterion.rule, Rule::Ramp { .. })
            });
        let mut not_applicable = vec![0.0f64; CHUNK];
        let mut cat = vec![vec![0.0f64; CHUNK]; ncat];
        let mut gate_tier: Vec<u8> = vec![NO_GATE; CHUNK];
        let mut scratch = vec![0.0f64; CHUNK];

        let mut start = 0;
        while start < n {
            let end = (start + CHUNK).min(n);
            let len = end - start;
            for (k, spec, col, allowed) in &known {
                validate(spec, col, allowed, start, end, *k, cols, &mut errs);
            }
            present[..len].fill(0.0);
            not_applicable[..len].fill(0.0);
            for c in cat.iter_mut() {
                c[..len].fill(0.0);
            }
            for (rc, prep) in self.criteria.iter().zip(&crits) {
                let Some((col, shares)) = prep else { continue };
                let pts = rc.criterion.points;
                let enc = encoding(&rc.signal, &rc.criterion.rule);
                let xs = fill(col, &enc, shares, &rc.signal, &m.targets, start, end, &mut scratch);
                let (c, p) = (&mut cat[rc.category][..len], &mut present[..len]);
                let sel = |c: bool| if c { pts } else { 0.0 };
                match enc {
                    Enc::Num(rule) => match *rule {
                        // NaN compares false: no separate missing test is needed.
                        Rule::Ge { value } => kernel(xs, c, p, pts, |x| sel(x >= value)),
                        Rule::Gt { value } => kernel(xs, c, p, pts, |x| sel(x > value)),
                        Rule::Le { value } => kernel(xs, c, p, pts, |x| sel(x <= value)),
                        Rule::Lt { value } => kernel(xs, c, p, pts, |x| sel(x < value)),
                        Rule::Between { min, max } => kernel(xs, c, p, pts, |x| sel(x >= min && x <= max)),
                        ref other => kernel(xs, c, p, pts, |x| if x == x { other.frac_num(x) * pts } else { 0.0 }),
                    },
                    Enc::Bool(Rule::Is { value: true }) => kernel(xs, c, p, pts, |x| sel(x == 1.0)),
                    Enc::Bool(Rule::Is { value: false }) => kernel(xs, c, p, pts, |x| sel(x == 0.0)),
                    Enc::Bool(rule) => {
                        kernel(xs, c, p, pts, |x| if x == x { rule.frac_bool(x == 1.0) * pts } else { 0.0 })
                    }
                    Enc::Text(_) => kernel(xs, c, p, pts, |x| if x == x { x * pts } else { 0.0 }),
                }
                if any_na && !rc.criterion.rule.can_be_judged(&m.targets) {
                    for (a, &x) in not_applicable[..len].iter_mut().zip(xs) {
                        *a += sel(x == x);
                    }
                }
            }
            // Gates, first closing gate wins (NO_GATE = none yet).
            gate_tier[..len].fill(NO_GATE);
            for (ResolvedGate { gate: g, signal: spec }, prep) in self.gates.iter().zip(&gates) {
                let Some((col, shares)) = prep else { continue };
                let enc = encoding(spec, &g.rule);
                let xs = fill(col, &enc, shares, spec, &m.targets, start, end, &mut scratch);
                let code = g.tier.code();
                let close = |t: &mut u8, hit: bool| *t = if hit && *t == NO_GATE { code } else { *t };
                let ts = gate_tier[..len].iter_mut().zip(xs);
                match enc {
                    Enc::Text(_) | Enc::Bool(Rule::Is { value: true }) => ts.for_each(|(t, x)| close(t, *x == 1.0)),
                    Enc::Bool(Rule::Is { value: false }) => ts.for_each(|(t, x)| close(t, *x == 0.0)),
                    Enc::Num(r) => ts.for_each(|(t, x)| close(t, x == x && r.frac_num(*x) == 1.0)),
                    Enc::Bool(r) => ts.for_each(|(t, x)| close(t, x == x && r.frac_bool(*x == 1.0) == 1.0)),
                }
            }
            // Earned = the category subtotals added in model order (as `Model::score` does).
            earned[..len].fill(0.0);
            for c in &cat {
                for (e, v) in earned[..len].iter_mut().zip(&c[..len]) {
                    *e += v;
                }
            }
            // Finishing the chunk: simple loops over the chunk's arrays, each of which vectorises.
            let round = |v: f64| if exact { v } else { round6(v) };
            let (max, earnable, policy) = (self.max, self.earnable, m.missing);
            out.completeness.extend(present[..len].iter().map(|p| round6(p / max)));
            for (p, na) in present[..len].iter_mut().zip(&not_applicable[..len]) {
                // From here on `present` holds the judged points (present and applicable).
                *p -= na;
            }
            let judged = &present[..len];
            let from = out.total.len();
            out.total.extend(earned[..len].iter().zip(judged).map(|(e, j)| round(total_of(policy, *e, *j, max))));
            let tiers = &m.tiers;
            out.tier.extend(
                out.total[from..]
                    .iter()
                    .zip(&gate_tier[..len])
                    .map(|(t, g)| Some(if *g == NO_GATE { tiers.tier(*t) } else { Tier::ALL[*g as usize % 5] })),
            );
            out.max_possible.extend(
                earned[..len]
                    .iter()
                    .zip(judged)
                    .map(|(e, j)| round(total_of(policy, e + (earnable - j), earnable, max))),
            );
            for (k, c) in cat.iter().enumerate() {
                out.categories[k].1.extend(c[..len].iter().map(|v| round(*v)));
            }
            start = end;
        }
        errs.sort_by_key(|(row, k, _)| (*row, *k));
        errs.dedup_by_key(|(row, _, _)| *row);
        for (row, _, _) in &errs {
            out.total[*row] = f64::NAN;
            out.tier[*row] = None;
            out.completeness[*row] = f64::NAN;
            out.max_possible[*row] = f64::NAN;
            for (_, c) in out.categories.iter_mut() {
                c[*row] = f64::NAN;
            }
        }
        out.errors = errs.into_iter().map(|(_, _, e)| e).collect();
    }
}

/// Adds one criterion's points for a chunk: `got(x)` to its category, its points to `present`
/// where the value is there. `xs` is NaN where the signal is missing.
#[inline(always)]
fn kernel(xs: &[f64], cat: &mut [f64], present: &mut [f64], pts: f64, got: impl Fn(f64) -> f64) {
    let n = xs.len().min(cat.len()).min(present.len());
    let (xs, cat, present) = (&xs[..n], &mut cat[..n], &mut present[..n]);
    for i in 0..n {
        let x = xs[i];
        cat[i] += got(x);
        present[i] += if x == x { pts } else { 0.0 };
    }
}

/// For a dictionary column of a category signal: which dictionary values are allowed.
fn dictionary_allowed(spec: &SignalSpec, col: &Column) -> Vec<bool> {
    match (col, spec.kind) {
        (Column::Dictionary { values: dict, .. }, SignalKind::Category) => dict
            .iter()
            .map(|s| s.trim().is_empty() || spec.values.iter().any(|x| x.eq_ignore_ascii_case(s.trim())))
            .collect(),
        (Column::Dictionary { values: dict, .. }, _) => vec![true; dict.len()],
        _ => Vec::new(),
    }
}

fn encoding<'r>(spec: &SignalSpec, rule: &'r Rule) -> Enc<'r> {
    match spec.kind {
        SignalKind::Number | SignalKind::Integer => Enc::Num(rule),
        SignalKind::Bool => Enc::Bool(rule),
        SignalKind::Category | SignalKind::Text => Enc::Text(rule),
    }
}

/// The chunk as numbers (NaN = missing): the value itself, 0/1 for booleans, the share for text.
/// Values that fail validation are read as best they can be; their rows are flagged anyway.
#[allow(clippy::too_many_arguments)]
fn fill<'c>(
    col: &'c Column,
    enc: &Enc,
    shares: &[f64],
    spec: &SignalSpec,
    targets: &crate::model::Targets,
    start: usize,
    end: usize,
    scratch: &'c mut [f64],
) -> &'c [f64] {
    let len = end - start;
    let out = &mut scratch[..len];
    let ok = |v: &Option<Bitmap>, i: usize| v.as_ref().is_none_or(|b| b.get(i));
    match (col, enc) {
        (Column::Float { values, validity: None }, Enc::Num(_) | Enc::Bool(_)) => return &values[start..end],
        (Column::Float { values, validity }, Enc::Num(_) | Enc::Bool(_)) => {
            for (k, o) in out.iter_mut().enumerate() {
                *o = if ok(validity, start + k) { values[start + k] } else { f64::NAN };
            }
        }
        (Column::Int { values, validity }, Enc::Num(_) | Enc::Bool(_)) => {
            for (k, o) in out.iter_mut().enumerate() {
                *o = if ok(validity, start + k) { values[start + k] as f64 } else { f64::NAN };
            }
        }
        (Column::Bool { values, validity: None }, Enc::Num(_) | Enc::Bool(_)) => {
            values.expand(start, out);
        }
        (Column::Bool { values, validity }, Enc::Num(_) | Enc::Bool(_)) => {
            for (k, o) in out.iter_mut().enumerate() {
                *o = if !ok(validity, start + k) {
                    f64::NAN
                } else if values.get(start + k) {
                    1.0
                } else {
                    0.0
                };
            }
        }
        (Column::Text(v), Enc::Text(rule)) => {
            for (k, o) in out.iter_mut().enumerate() {
                *o = text_share(v[start + k].as_deref(), rule, targets);
            }
        }
        (Column::Dictionary { keys, validity: None, .. }, Enc::Text(_)) => {
            for (o, &key) in out.iter_mut().zip(&keys[start..end]) {
                *o = shares.get(key as usize).copied().unwrap_or(f64::NAN);
            }
        }
        (Column::Dictionary { keys, validity, .. }, Enc::Text(_)) => {
            for (k, o) in out.iter_mut().enumerate() {
                let i = start + k;
                *o = if ok(validity, i) { shares.get(keys[i] as usize).copied().unwrap_or(f64::NAN) } else { f64::NAN };
            }
        }
        (Column::Values(v), enc) => {
            for (k, o) in out.iter_mut().enumerate() {
                *o = match spec.check(&v[start + k]) {
                    Ok(Some(Value::Number(x))) => x,
                    Ok(Some(Value::Bool(true))) => 1.0,
                    Ok(Some(Value::Bool(false))) => 0.0,
                    Ok(Some(Value::Text(s))) => match enc {
                        Enc::Text(rule) => text_share(Some(&s), rule, targets),
                        _ => f64::NAN,
                    },
                    _ => f64::NAN,
                };
            }
        }
        // A column of the wrong kind: every present row is flagged by validation.
        _ => out.fill(f64::NAN),
    }
    out
}

/// The share a text value earns: NaN when missing, 0 when not applicable.
#[inline]
fn text_share(s: Option<&str>, rule: &Rule, targets: &crate::model::Targets) -> f64 {
    match s.map(str::trim) {
        None | Some("") => f64::NAN,
        Some(t) => rule.frac_text(t, targets).unwrap_or(0.0),
    }
}

/// Checks a chunk of one known column, pushing `(row, signal order, error)` for bad rows.
#[allow(clippy::too_many_arguments)]
fn validate(
    spec: &SignalSpec,
    col: &Column,
    allowed: &[bool],
    start: usize,
    end: usize,
    order: usize,
    cols: &Columns,
    errs: &mut Vec<(usize, usize, RecordError)>,
) {
    let mut push = |i: usize, value: Value, kind: RecordErrorKind| {
        errs.push((
            i,
            order,
            RecordError {
                kind,
                row: Some(i),
                id: cols.id(i),
                signal: spec.name.clone(),
                value: value.to_string(),
                allowed: spec.allowed(),
            },
        ));
    };
    let ok = |v: &Option<Bitmap>, i: usize| v.as_ref().is_none_or(|b| b.get(i));
    let numeric = spec.kind.is_numeric();
    let is_bool = matches!(spec.kind, SignalKind::Bool);
    match col {
        Column::Float { values, validity } if numeric => {
            let lo = spec.min.unwrap_or(f64::MIN);
            let hi = spec.max.unwrap_or(f64::MAX);
            let int = matches!(spec.kind, SignalKind::Integer);
            let chunk = &values[start..end];
            // Fast path: one branch-free pass that only tells whether anything in the chunk may be
            // off (whole numbers beyond 2^51 may be flagged here; the exact check below clears them).
            let mut bad = 0u32;
            if int {
                for &x in chunk {
                    bad |= (((x < lo) | (x > hi) | ((x + ROUNDER) - ROUNDER != x)) & (x == x)) as u32;
                }
            } else {
                for &x in chunk {
                    bad |= (((x < lo) | (x > hi)) & (x == x)) as u32;
                }
            }
            let any_bad = bad != 0;
            if any_bad {
                for (k, &x) in chunk.iter().enumerate() {
                    if ok(validity, start + k) {
                        if let Err(kind) = spec.check_number(x) {
                            push(start + k, Value::Number(x), kind);
                        }
                    }
                }
            }
        }
        Column::Int { values, validity } if numeric => {
            for (k, &x) in values[start..end].iter().enumerate() {
                if ok(validity, start + k) {
                    if let Err(kind) = spec.check_number(x as f64) {
                        push(start + k, Value::Number(x as f64), kind);
                    }
                }
            }
        }
        Column::Float { values, validity } if is_bool => {
            for (k, &x) in values[start..end].iter().enumerate() {
                if ok(validity, start + k) && !(x.is_nan() || x == 0.0 || x == 1.0) {
                    push(start + k, Value::Number(x), RecordErrorKind::WrongType);
                }
            }
        }
        Column::Int { values, validity } if is_bool => {
            for (k, &x) in values[start..end].iter().enumerate() {
                if ok(validity, start + k) && !(x == 0 || x == 1) {
                    push(start + k, Value::Number(x as f64), RecordErrorKind::WrongType);
                }
            }
        }
        Column::Bool { .. } if is_bool => {}
        Column::Text(v) if !numeric && !is_bool => {
            if let (SignalKind::Category, values) = (spec.kind, &spec.values) {
                for (k, s) in v[start..end].iter().enumerate() {
                    if let Some(s) = s {
                        let t = s.trim();
                        if !t.is_empty() && !values.iter().any(|x| x.eq_ignore_ascii_case(t)) {
                            push(start + k, Value::Text(s.to_string()), RecordErrorKind::UnknownCategory);
                        }
                    }
                }
            }
        }
        Column::Dictionary { keys, validity, values: dict } if !numeric && !is_bool => {
            // Every dictionary value allowed and every key in range: nothing to look at per row.
            let keys_in_range = keys[start..end].iter().fold(0u32, |m, &k| m.max(k)) < dict.len() as u32;
            if keys_in_range && allowed.iter().all(|a| *a) {
                return;
            }
            for (k, &key) in keys[start..end].iter().enumerate() {
                if ok(validity, start + k) {
                    match allowed.get(key as usize) {
                        Some(true) => {}
                        Some(false) => push(
                            start + k,
                            Value::Text(dict[key as usize].to_string()),
                            RecordErrorKind::UnknownCategory,
                        ),
                        None => {
                            push(start + k, Value::Text(format!("dictionary key {key}")), RecordErrorKind::WrongType)
                        }
                    }
                }
            }
        }
        Column::Values(v) => {
            for (k, raw) in v[start..end].iter().enumerate() {
                if let Err(kind) = spec.check(raw) {
                    push(start + k, raw.clone(), kind);
                }
            }
        }
        // Wrong kind of column for the signal: every present value is an error.
        other => {
            for i in start..end {
                let v = other.value(i);
                if let Value::Number(x) = v {
                    if x.is_nan() {
                        continue;
                    }
                }
                if let Err(kind) = spec.check(&v) {
                    push(i, v, kind);
                }
            }
        }
    }
}
