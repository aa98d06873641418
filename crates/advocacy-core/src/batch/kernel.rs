//! The batch kernels: a batch is scored in chunks of [`CHUNK`] rows; per chunk, every criterion
//! adds its points in one branch-free loop over a column read as numbers (NaN = missing), gates
//! close, and simple loops finish the totals, tiers and bounds. The arithmetic is the same, in
//! the same order, as [`Model::score`]'s, so results are bit-identical.

// `x == x` is the branch-free "is not NaN" test the kernels are written with (it vectorises).
#![allow(clippy::eq_op)]

use super::{BatchScores, Bitmap, Column, Columns};
use crate::error::{RecordError, RecordErrorKind};
use crate::model::{Model, ResolvedGate, Rule, Tier};
use crate::num::{round6, ROUNDER};
use crate::score::total_of;
use crate::signal::{is_missing_text, SignalKind, SignalSpec, Value};
use crate::text::same_category;

/// Rows per chunk: the per-chunk arrays stay in cache (measured best of 2048/4096/8192).
const CHUNK: usize = 8192;
/// No gate has closed for the row (yet).
const NO_GATE: u8 = u8::MAX;

/// How a column is read for one criterion or gate.
enum Reading<'r> {
    /// Numbers: `frac_num` applies.
    Number(&'r Rule),
    /// Booleans as 0/1: `frac_bool` applies.
    Bool(&'r Rule),
    /// Text: the share is computed while filling.
    Text(&'r Rule),
}

/// A criterion's or gate's column, with the share each dictionary value earns computed once.
struct Prepared<'c> {
    column: &'c Column<'c>,
    shares: Vec<f64>,
}

/// What a batch needs before its first chunk: its columns matched to the model.
struct Plan<'m, 'c> {
    /// Known columns in signal order (validation order = record validation order), with the
    /// category check of dictionary values done once per column.
    known: Vec<(usize, &'m SignalSpec, &'c Column<'c>, Vec<bool>)>,
    criteria: Vec<Option<Prepared<'c>>>,
    gates: Vec<Option<Prepared<'c>>>,
    /// Some criterion cannot be judged with the model's targets.
    any_not_applicable: bool,
    /// Whole points summed without rescaling are exact: rounding them would change nothing.
    exact: bool,
    /// Per row, the days from its observation date to the as-of date (NaN: no date), when the
    /// batch has both and the model gives maximum ages.
    ages: Option<Vec<f64>>,
    /// Per criterion and per gate: the maximum age of its signal, if the model gives one.
    criterion_max_age: Vec<Option<f64>>,
    gate_max_age: Vec<Option<f64>>,
    /// Points go straight into the chunk's earned points, not into category subtotals: the sums
    /// are exact (any order gives the same total) and no category column is wanted.
    direct: bool,
    /// The points of present signals per row are needed (completeness, the highest possible
    /// total, rescaling); otherwise the kernels do not count them.
    need_present: bool,
}

/// The per-chunk work arrays, allocated once per batch.
struct ChunkBuffers {
    present: Vec<f64>,
    earned: Vec<f64>,
    not_applicable: Vec<f64>,
    category: Vec<Vec<f64>>,
    gate_tier: Vec<u8>,
    scratch: Vec<f64>,
    fresh: Vec<f64>,
}

impl ChunkBuffers {
    /// Buffers for chunks of up to `rows` rows.
    fn new(categories: usize, rows: usize) -> Self {
        ChunkBuffers {
            present: vec![0.0; rows],
            earned: vec![0.0; rows],
            not_applicable: vec![0.0; rows],
            category: vec![vec![0.0; rows]; categories],
            gate_tier: vec![NO_GATE; rows],
            scratch: vec![0.0; rows],
            fresh: vec![0.0; rows],
        }
    }
}

/// Clears `out` for `n` rows, keeping its allocations from an earlier batch. Outputs grow chunk
/// by chunk (no zero-filling of memory that is written anyway).
fn reset(out: &mut BatchScores, model: &Model, n: usize) {
    out.total.clear();
    out.tier.clear();
    out.completeness.clear();
    out.max_possible.clear();
    out.categories.resize_with(model.spec.categories.len(), || (String::new(), Vec::new()));
    for ((id, v), c) in out.categories.iter_mut().zip(&model.spec.categories) {
        id.clone_from(&c.id);
        v.clear();
    }
    out.reserve(n);
    out.errors.clear();
    out.warnings.clone_from(&model.warnings);
}

impl Model {
    pub(crate) fn score_chunks(&self, cols: &Columns<'_>, out: &mut BatchScores) {
        let n = cols.len;
        reset(out, self, n);
        // Text columns of number and boolean signals, read once with the cell rules.
        let parsed = self.parse_text_columns(cols);
        let column = |name: &str| parsed.iter().find(|(n, _)| n == name).map(|(_, c)| c).or_else(|| cols.get(name));
        let mut errs: Vec<(usize, usize, RecordError)> = Vec::new();
        let mut plan = self.plan(&column);
        plan.ages = self.ages(cols, &mut errs);
        let want = cols.outputs();
        plan.direct = plan.exact && !want.categories;
        plan.need_present =
            want.completeness || want.max_possible || self.spec.missing == crate::model::MissingPolicy::Rescale;
        let mut buf = ChunkBuffers::new(self.spec.categories.len(), n.min(CHUNK));
        let mut start = 0;
        while start < n {
            let end = (start + CHUNK).min(n);
            for (k, spec, col, allowed) in &plan.known {
                validate(spec, col, allowed, start, end, *k, cols, &mut errs);
            }
            self.add_criteria(&plan, &mut buf, start, end);
            self.close_gates(&plan, &mut buf, start, end);
            self.finish_chunk(&plan, &mut buf, end - start, want, out);
            start = end;
        }
        flag_rows(out, errs);
    }

    /// The columns of `cols` that hold the model's signals, read once into the columns the
    /// kernels read and owning their buffers: text of number and boolean signals parsed (by
    /// [`SignalSpec::parse_cell`] with the batch's read options), text of category and text
    /// signals dictionary-encoded. Scoring a batch of these gives the same results as scoring
    /// `cols`; the point is to do this part of the work elsewhere (another thread) first.
    ///
    /// ```
    /// use std::borrow::Cow;
    /// use advocacy_core::{Column, Columns, Model, OnError};
    /// let model = Model::default();
    /// let mut text = Columns::new(2);
    /// text.add("nps", Column::Text(vec![Some(Cow::Borrowed("10")), Some(Cow::Borrowed("3"))])).unwrap();
    /// text.add("segment", Column::Text(vec![Some(Cow::Borrowed("Mid-Market")), None])).unwrap();
    /// let parsed = model.parse_columns(&text);
    /// let mut cols = Columns::new(2);
    /// for (name, column) in parsed {
    ///     cols.add(&name, column).unwrap();
    /// }
    /// assert!(matches!(cols.get("nps"), Some(Column::Float { .. })));
    /// let a = model.score_columns(&text, OnError::Fail).unwrap();
    /// let b = model.score_columns(&cols, OnError::Fail).unwrap();
    /// assert_eq!(a.total, b.total);
    /// ```
    pub fn parse_columns(&self, cols: &Columns<'_>) -> Vec<(String, Column<'static>)> {
        let mut parsed: Vec<(String, Column<'static>)> =
            self.parse_text_columns(cols).into_iter().map(|(n, c)| (n, c.into_owned())).collect();
        for spec in &self.signals {
            if !parsed.iter().any(|(n, _)| *n == spec.name) {
                if let Some(c) = cols.get(&spec.name) {
                    parsed.push((spec.name.clone(), c.clone().into_owned()));
                }
            }
        }
        parsed
    }

    /// Text and dictionary columns of number and boolean signals as the columns the kernels read:
    /// each cell (each distinct value, for a dictionary) parsed once by [`SignalSpec::parse_text`].
    fn parse_text_columns<'c>(&self, cols: &'c Columns<'c>) -> Vec<(String, Column<'c>)> {
        let options = cols.read_options();
        let mut out = Vec::new();
        for spec in &self.signals {
            if !(spec.kind.is_numeric() || spec.kind == SignalKind::Bool) {
                // Text of category and text signals: matched once per distinct value.
                if let Some(Column::Text(cells)) = cols.get(&spec.name) {
                    out.push((spec.name.clone(), dictionary_of(cells)));
                }
                continue;
            }
            let values: Vec<Value> = match cols.get(&spec.name) {
                Some(Column::Text(cells)) => {
                    // Fast path: every cell reads as what the kernels want (numbers, or booleans).
                    if let Some(column) = typed_text(spec, cells, options) {
                        out.push((spec.name.clone(), column));
                        continue;
                    }
                    cells.iter().map(|c| c.as_deref().map_or(Value::Null, |t| spec.parse_cell(t, options))).collect()
                }
                Some(Column::Dictionary { keys, validity, values }) => {
                    let parsed: Vec<Value> = values.iter().map(|t| spec.parse_cell(t, options)).collect();
                    let ok = |i: usize| validity.as_ref().is_none_or(|b| b.get(i));
                    keys.iter()
                        .enumerate()
                        .map(|(i, k)| match parsed.get(*k as usize) {
                            // A null row's key means nothing, in range or not.
                            _ if !ok(i) => Value::Null,
                            Some(v) => v.clone(),
                            None => Value::Text(format!("dictionary key {k}")),
                        })
                        .collect()
                }
                _ => continue,
            };
            out.push((spec.name.clone(), typed_column(values)));
        }
        out
    }

    fn plan<'c>(&self, column: &impl Fn(&str) -> Option<&'c Column<'c>>) -> Plan<'_, 'c> {
        let targets = &self.spec.targets;
        let known = self
            .signals
            .iter()
            .enumerate()
            .filter_map(|(k, s)| column(&s.name).map(|c| (k, s, c, dictionary_allowed(s, c))))
            .collect();
        let prepare = |signal: &str, spec: &SignalSpec, rule: &Rule| {
            column(signal).map(|column| {
                let shares: Vec<f64> = match (column, spec.kind) {
                    (Column::Dictionary { values, .. }, SignalKind::Category | SignalKind::Text) => {
                        values.iter().map(|s| text_share(Some(s), rule, targets)).collect()
                    }
                    _ => Vec::new(),
                };
                Prepared { column, shares }
            })
        };
        let criteria =
            self.criteria.iter().map(|rc| prepare(&rc.criterion.signal, &rc.signal, &rc.criterion.rule)).collect();
        let gates = self.gates.iter().map(|rg| prepare(&rg.gate.signal, &rg.signal, &rg.gate.rule)).collect();
        let any_not_applicable = self.criteria.iter().any(|rc| !rc.criterion.rule.can_be_judged(targets));
        let exact = self.spec.missing == crate::model::MissingPolicy::Zero
            && self.criteria.iter().all(|rc| {
                let p = rc.criterion.points;
                p == p.trunc() && p < 1e9 && !matches!(rc.criterion.rule, Rule::Ramp { .. })
            });
        let max_age = |signal: &str| self.spec.max_age_days.get(signal).map(|d| *d as f64);
        let criterion_max_age = self.criteria.iter().map(|rc| max_age(&rc.criterion.signal)).collect();
        let gate_max_age = self.gates.iter().map(|rg| max_age(&rg.gate.signal)).collect();
        Plan {
            known,
            criteria,
            gates,
            any_not_applicable,
            exact,
            ages: None,
            criterion_max_age,
            gate_max_age,
            direct: false,
            need_present: true,
        }
    }

    /// The age of each row's values on the as-of date, in days (NaN: no observation date); `None`
    /// when freshness does not apply (no as-of date, no observation dates or no maximum ages).
    /// Cells that are not dates are errors of their rows (after every signal, in signal order).
    fn ages(&self, cols: &Columns<'_>, errs: &mut Vec<(usize, usize, RecordError)>) -> Option<Vec<f64>> {
        let observed = cols.observed_column()?;
        let mut days = vec![f64::NAN; cols.len];
        let allowed = crate::date::OBSERVED_ALLOWED;
        let mut bad = |i: usize, value: String| {
            let e = RecordError::new(
                RecordErrorKind::WrongType,
                Some(i),
                cols.id(i).as_deref(),
                "observed",
                value,
                allowed,
            );
            errs.push((i, usize::MAX, e));
        };
        let text_days = |t: &str| t.trim().parse::<crate::date::Date>().map(|d| d.to_days() as f64);
        match observed {
            Column::Int { values, validity } => {
                for (i, d) in days.iter_mut().enumerate() {
                    if validity.as_ref().is_none_or(|b| b.get(i)) {
                        *d = values[i] as f64;
                    }
                }
            }
            Column::Dictionary { keys, validity, values } => {
                let parsed: Vec<Option<f64>> = values
                    .iter()
                    .map(|t| if is_missing_text(t.trim()) { Some(f64::NAN) } else { text_days(t).ok() })
                    .collect();
                for (i, d) in days.iter_mut().enumerate() {
                    if validity.as_ref().is_none_or(|b| b.get(i)) {
                        match parsed.get(keys[i] as usize) {
                            Some(Some(x)) => *d = *x,
                            _ => bad(
                                i,
                                Value::Text(values.get(keys[i] as usize).map_or(String::new(), |v| v.to_string()))
                                    .to_string(),
                            ),
                        }
                    }
                }
            }
            other => {
                for (i, d) in days.iter_mut().enumerate() {
                    match other.value(i) {
                        Value::Null => {}
                        Value::Text(t) if is_missing_text(t.trim()) => {}
                        Value::Text(t) => match text_days(&t) {
                            Ok(x) => *d = x,
                            Err(_) => bad(i, Value::Text(t).to_string()),
                        },
                        Value::Number(x) if x.is_nan() => {}
                        v => bad(i, v.to_string()),
                    }
                }
            }
        }
        let as_of = cols.as_of()?;
        if self.spec.max_age_days.is_empty() {
            return None;
        }
        let today = as_of.to_days() as f64;
        for d in days.iter_mut() {
            *d = today - *d;
        }
        Some(days)
    }

    /// Every criterion's points for rows `start..end`, into the category subtotals and `present`.
    fn add_criteria(&self, plan: &Plan, buf: &mut ChunkBuffers, start: usize, end: usize) {
        let len = end - start;
        let targets = &self.spec.targets;
        if plan.need_present {
            buf.present[..len].fill(0.0);
            buf.not_applicable[..len].fill(0.0);
        }
        if plan.direct {
            buf.earned[..len].fill(0.0);
        } else {
            for c in buf.category.iter_mut() {
                c[..len].fill(0.0);
            }
        }
        for ((rc, prep), max_age) in self.criteria.iter().zip(&plan.criteria).zip(&plan.criterion_max_age) {
            let Some(Prepared { column, shares }) = prep else { continue };
            let pts = rc.criterion.points;
            let reading = reading(&rc.signal, &rc.criterion.rule);
            let xs = fill(column, &reading, shares, &rc.signal, targets, start, end, &mut buf.scratch);
            let xs = fresh_only(xs, plan.ages.as_deref(), *max_age, start, &mut buf.fresh);
            let c = if plan.direct { &mut buf.earned[..len] } else { &mut buf.category[rc.category][..len] };
            let p = plan.need_present.then(|| &mut buf.present[..len]);
            let sel = |c: bool| if c { pts } else { 0.0 };
            match reading {
                Reading::Number(rule) => match *rule {
                    // NaN compares false: no separate missing test is needed.
                    Rule::Ge { value } => kernel(xs, c, p, pts, |x| sel(x >= value)),
                    Rule::Gt { value } => kernel(xs, c, p, pts, |x| sel(x > value)),
                    Rule::Le { value } => kernel(xs, c, p, pts, |x| sel(x <= value)),
                    Rule::Lt { value } => kernel(xs, c, p, pts, |x| sel(x < value)),
                    Rule::Between { min, max } => kernel(xs, c, p, pts, |x| sel(x >= min && x <= max)),
                    ref other => kernel(xs, c, p, pts, |x| if x == x { other.frac_num(x) * pts } else { 0.0 }),
                },
                Reading::Bool(Rule::Is { value: true }) => kernel(xs, c, p, pts, |x| sel(x == 1.0)),
                Reading::Bool(Rule::Is { value: false }) => kernel(xs, c, p, pts, |x| sel(x == 0.0)),
                Reading::Bool(rule) => {
                    kernel(xs, c, p, pts, |x| if x == x { rule.frac_bool(x == 1.0) * pts } else { 0.0 })
                }
                Reading::Text(_) => kernel(xs, c, p, pts, |x| if x == x { x * pts } else { 0.0 }),
            }
            if plan.need_present && plan.any_not_applicable && !rc.criterion.rule.can_be_judged(targets) {
                for (a, &x) in buf.not_applicable[..len].iter_mut().zip(xs) {
                    *a += sel(x == x);
                }
            }
        }
    }

    /// The gates for rows `start..end`: the first gate that closes gives the row its tier.
    fn close_gates(&self, plan: &Plan, buf: &mut ChunkBuffers, start: usize, end: usize) {
        let len = end - start;
        buf.gate_tier[..len].fill(NO_GATE);
        for ((ResolvedGate { gate: g, signal: spec, .. }, prep), max_age) in
            self.gates.iter().zip(&plan.gates).zip(&plan.gate_max_age)
        {
            let Some(Prepared { column, shares }) = prep else { continue };
            let reading = reading(spec, &g.rule);
            let xs = fill(column, &reading, shares, spec, &self.spec.targets, start, end, &mut buf.scratch);
            let xs = fresh_only(xs, plan.ages.as_deref(), *max_age, start, &mut buf.fresh);
            let code = g.tier.code();
            let close = |t: &mut u8, hit: bool| *t = if hit && *t == NO_GATE { code } else { *t };
            let ts = buf.gate_tier[..len].iter_mut().zip(xs);
            match reading {
                Reading::Text(_) | Reading::Bool(Rule::Is { value: true }) => ts.for_each(|(t, x)| close(t, *x == 1.0)),
                Reading::Bool(Rule::Is { value: false }) => ts.for_each(|(t, x)| close(t, *x == 0.0)),
                Reading::Number(r) => ts.for_each(|(t, x)| close(t, x == x && r.frac_num(*x) == 1.0)),
                Reading::Bool(r) => ts.for_each(|(t, x)| close(t, x == x && r.frac_bool(*x == 1.0) == 1.0)),
            }
        }
    }

    /// Totals, tiers, completeness and bounds of a chunk's `len` rows, appended to `out`:
    /// simple loops over the chunk's arrays, each of which vectorises.
    fn finish_chunk(
        &self,
        plan: &Plan,
        buf: &mut ChunkBuffers,
        len: usize,
        want: super::Outputs,
        out: &mut BatchScores,
    ) {
        // Earned = the category subtotals added in model order (as `Model::score` does), unless
        // the kernels added the points into it directly (exact sums).
        if !plan.direct {
            buf.earned[..len].fill(0.0);
            for c in &buf.category {
                for (e, v) in buf.earned[..len].iter_mut().zip(&c[..len]) {
                    *e += v;
                }
            }
        }
        let exact = plan.exact;
        let round = |v: f64| if exact { v } else { round6(v) };
        let (max, earnable, policy) = (self.max, self.earnable, self.spec.missing);
        if want.completeness {
            out.completeness.extend(buf.present[..len].iter().map(|p| round6(p / max)));
        }
        if plan.need_present {
            for (p, na) in buf.present[..len].iter_mut().zip(&buf.not_applicable[..len]) {
                // From here on `present` holds the judged points (present and applicable).
                *p -= na;
            }
        }
        let (earned, judged) = (&buf.earned[..len], &buf.present[..len]);
        let from = out.total.len();
        if exact && policy == crate::model::MissingPolicy::Zero {
            // Whole points, not rescaled: the total is the earned points.
            out.total.extend_from_slice(earned);
        } else {
            out.total.extend(earned.iter().zip(judged).map(|(e, j)| round(total_of(policy, *e, *j, max))));
        }
        let tiers = &self.spec.tiers;
        out.tier.extend(
            out.total[from..]
                .iter()
                .zip(&buf.gate_tier[..len])
                .map(|(t, g)| Some(if *g == NO_GATE { tiers.tier(*t) } else { Tier::ALL[*g as usize % 5] })),
        );
        if want.max_possible {
            out.max_possible.extend(
                earned.iter().zip(judged).map(|(e, j)| round(total_of(policy, e + (earnable - j), earnable, max))),
            );
        }
        if want.categories {
            for (k, c) in buf.category.iter().enumerate() {
                if exact {
                    out.categories[k].1.extend_from_slice(&c[..len]);
                } else {
                    out.categories[k].1.extend(c[..len].iter().map(|v| round6(*v)));
                }
            }
        }
    }
}

/// A text column as a dictionary of its distinct values (missing cells as a missing key), so
/// that rules compare each distinct value once.
fn dictionary_of<'c>(cells: &'c [Option<std::borrow::Cow<'c, str>>]) -> Column<'c> {
    use std::borrow::Cow;
    let mut index: std::collections::HashMap<&str, u32, rustc_hash::FxBuildHasher> = Default::default();
    let mut values: Vec<Cow<'c, str>> = vec![Cow::Borrowed("")];
    let keys: Vec<u32> = cells
        .iter()
        .map(|c| match c.as_deref() {
            None => 0,
            Some(t) => *index.entry(t).or_insert_with(|| {
                values.push(Cow::Borrowed(t));
                (values.len() - 1) as u32
            }),
        })
        .collect();
    Column::Dictionary { keys: Cow::Owned(keys), validity: None, values }
}

/// Text cells of a number or boolean signal read straight into a float or boolean column, when
/// every cell reads as one (missing cells as missing); `None` as soon as one does not, so that
/// the caller reads the column as loose values and validation reports that cell.
fn typed_text(
    spec: &SignalSpec,
    cells: &[Option<std::borrow::Cow<'_, str>>],
    options: &crate::signal::ReadOptions,
) -> Option<Column<'static>> {
    if spec.kind == SignalKind::Bool {
        let mut out = Vec::with_capacity(cells.len());
        for c in cells {
            out.push(match c.as_deref().map(|t| spec.parse_cell(t, options)) {
                None | Some(Value::Null) => None,
                Some(Value::Bool(b)) => Some(b),
                Some(_) => return None,
            });
        }
        return Some(Column::from(out));
    }
    let mut out = Vec::with_capacity(cells.len());
    for c in cells {
        out.push(match c.as_deref() {
            None => f64::NAN,
            // The common case, without building a value: a plain decimal number.
            Some(t) => match plain_number(t) {
                Some(x) => x,
                None => match spec.parse_cell(t, options) {
                    Value::Null => f64::NAN,
                    Value::Number(x) => x,
                    _ => return None,
                },
            },
        });
    }
    Some(Column::from(out))
}

/// A cell that is only ASCII digits with at most one `.` inside (`85`, `91.5`): its number, read
/// exactly as `parse_cell` reads it. Anything else (signs, spaces, exponents, `%`, commas,
/// `NA`) is left to `parse_cell`.
#[inline]
fn plain_number(t: &str) -> Option<f64> {
    let b = t.as_bytes();
    if b.is_empty() || b.len() > 15 || b[0] == b'.' || b[b.len() - 1] == b'.' {
        return None;
    }
    // At most 15 digits: the digits as an integer are below 2^53, so exact as a float, and so
    // is every power of ten up to 10^15; one correctly rounded division then gives the correctly
    // rounded value, the same bits as `str::parse` (the classic fast path of decimal reading).
    let mut digits: u64 = 0;
    let mut frac: Option<usize> = None;
    for (i, &c) in b.iter().enumerate() {
        if c == b'.' {
            if frac.is_some() {
                return None;
            }
            frac = Some(b.len() - 1 - i);
        } else if c.is_ascii_digit() {
            digits = digits * 10 + u64::from(c - b'0');
        } else {
            return None;
        }
    }
    const POW10: [f64; 16] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
    Some(match frac {
        None | Some(0) => digits as f64,
        Some(k) => digits as f64 / POW10[k],
    })
}

/// Parsed cells as the fastest column that holds them: numbers as floats (NaN = missing),
/// booleans as a bitmap with validity, and anything that did not parse as loose values, so that
/// validation reports it like a record's.
fn typed_column(values: Vec<Value>) -> Column<'static> {
    let numbers = values.iter().all(|v| matches!(v, Value::Null | Value::Number(_)));
    let bools = values.iter().all(|v| matches!(v, Value::Null | Value::Bool(_)));
    if numbers {
        Column::from(values.iter().map(|v| v.as_f64().unwrap_or(f64::NAN)).collect::<Vec<f64>>())
    } else if bools {
        Column::from(values.iter().map(Value::as_bool).collect::<Vec<Option<bool>>>())
    } else {
        Column::from(values)
    }
}

/// Flags the rows with errors (the first error of each row, in signal order) and keeps them.
fn flag_rows(out: &mut BatchScores, mut errs: Vec<(usize, usize, RecordError)>) {
    errs.sort_by_key(|(row, k, _)| (*row, *k));
    errs.dedup_by_key(|(row, _, _)| *row);
    for (row, _, _) in &errs {
        out.total[*row] = f64::NAN;
        out.tier[*row] = None;
        // Columns the batch did not compute (see `Outputs`) are empty.
        for c in
            [&mut out.completeness, &mut out.max_possible].into_iter().chain(out.categories.iter_mut().map(|(_, c)| c))
        {
            if let Some(v) = c.get_mut(*row) {
                *v = f64::NAN;
            }
        }
    }
    out.errors = errs.into_iter().map(|(_, _, e)| e).collect();
}

/// Adds one criterion's points for a chunk: `got(x)` to its category (or the earned points), and
/// its points to `present` where the value is there, when present points are counted. `xs` is
/// NaN where the signal is missing.
#[inline(always)]
fn kernel(xs: &[f64], cat: &mut [f64], present: Option<&mut [f64]>, pts: f64, got: impl Fn(f64) -> f64) {
    let Some(present) = present else {
        let n = xs.len().min(cat.len());
        let (xs, cat) = (&xs[..n], &mut cat[..n]);
        for i in 0..n {
            cat[i] += got(xs[i]);
        }
        return;
    };
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
        (Column::Dictionary { values: dict, .. }, SignalKind::Category) => {
            dict.iter().map(|s| is_missing_text(s) || spec.values.iter().any(|x| same_category(x, s))).collect()
        }
        (Column::Dictionary { values: dict, .. }, _) => vec![true; dict.len()],
        _ => Vec::new(),
    }
}

fn reading<'r>(spec: &SignalSpec, rule: &'r Rule) -> Reading<'r> {
    match spec.kind {
        SignalKind::Number | SignalKind::Integer => Reading::Number(rule),
        SignalKind::Bool => Reading::Bool(rule),
        SignalKind::Category | SignalKind::Text => Reading::Text(rule),
    }
}

/// The chunk as numbers (NaN = missing): the value itself, 0/1 for booleans, the share for text.
/// Values that fail validation are read as best they can be; their rows are flagged anyway.
#[allow(clippy::too_many_arguments)]
fn fill<'c>(
    col: &'c Column,
    reading: &Reading,
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
    match (col, reading) {
        (Column::Float { values, validity: None }, Reading::Number(_) | Reading::Bool(_)) => {
            return &values[start..end]
        }
        (Column::Float { values, validity }, Reading::Number(_) | Reading::Bool(_)) => {
            for (k, o) in out.iter_mut().enumerate() {
                *o = if ok(validity, start + k) { values[start + k] } else { f64::NAN };
            }
        }
        (Column::Int { values, validity }, Reading::Number(_) | Reading::Bool(_)) => {
            for (k, o) in out.iter_mut().enumerate() {
                *o = if ok(validity, start + k) { values[start + k] as f64 } else { f64::NAN };
            }
        }
        (Column::Bool { values, validity: None }, Reading::Number(_) | Reading::Bool(_)) => {
            values.expand(start, out);
        }
        (Column::Bool { values, validity }, Reading::Number(_) | Reading::Bool(_)) => {
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
        (Column::Text(v), Reading::Text(rule)) => {
            for (k, o) in out.iter_mut().enumerate() {
                *o = text_share(v[start + k].as_deref(), rule, targets);
            }
        }
        (Column::Dictionary { keys, validity: None, .. }, Reading::Text(_)) => {
            for (o, &key) in out.iter_mut().zip(&keys[start..end]) {
                *o = shares.get(key as usize).copied().unwrap_or(f64::NAN);
            }
        }
        (Column::Dictionary { keys, validity, .. }, Reading::Text(_)) => {
            for (k, o) in out.iter_mut().enumerate() {
                let i = start + k;
                *o = if ok(validity, i) { shares.get(keys[i] as usize).copied().unwrap_or(f64::NAN) } else { f64::NAN };
            }
        }
        (Column::Values(v), reading) => {
            for (k, o) in out.iter_mut().enumerate() {
                *o = match spec.check(&v[start + k]) {
                    Ok(Some(Value::Number(x))) => x,
                    Ok(Some(Value::Bool(true))) => 1.0,
                    Ok(Some(Value::Bool(false))) => 0.0,
                    Ok(Some(Value::Text(s))) => match reading {
                        Reading::Text(rule) => text_share(Some(&s), rule, targets),
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

/// A chunk's values with the stale ones (older than `max_age` days on the as-of date) as missing;
/// `xs` itself when freshness does not apply to the signal.
#[inline]
fn fresh_only<'x>(
    xs: &'x [f64],
    ages: Option<&[f64]>,
    max_age: Option<f64>,
    start: usize,
    out: &'x mut [f64],
) -> &'x [f64] {
    let (Some(ages), Some(max_age)) = (ages, max_age) else { return xs };
    let out = &mut out[..xs.len()];
    for ((o, &x), &age) in out.iter_mut().zip(xs).zip(&ages[start..start + xs.len()]) {
        // NaN ages (no date) compare false: the value counts.
        *o = if age > max_age { f64::NAN } else { x };
    }
    out
}

/// The share a text value earns: NaN when missing, 0 when not applicable.
#[inline]
fn text_share(s: Option<&str>, rule: &Rule, targets: &crate::model::Targets) -> f64 {
    match s.map(str::trim) {
        None => f64::NAN,
        Some(t) if is_missing_text(t) => f64::NAN,
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
            // off: the smallest and largest value, and for integers the largest distance to the
            // nearest whole number (NaN compares false, so missing values are
            // passed over; whole numbers beyond 2^51 may be flagged here, the exact check below
            // clears them). Written as compare-and-select, each line is one vector min or max.
            const LANES: usize = 8;
            let (mut min, mut max, mut off) = ([f64::INFINITY; LANES], [f64::NEG_INFINITY; LANES], [0.0f64; LANES]);
            let lanes = chunk.chunks_exact(LANES);
            let rest = lanes.remainder();
            for xs in lanes {
                for l in 0..LANES {
                    let x = xs[l];
                    min[l] = if x < min[l] { x } else { min[l] };
                    max[l] = if x > max[l] { x } else { max[l] };
                    if int {
                        // The distance itself, not its square: a tiny fraction's square is 0.
                        let d = (((x + ROUNDER) - ROUNDER) - x).abs();
                        off[l] = if d > off[l] { d } else { off[l] };
                    }
                }
            }
            for &x in rest {
                min[0] = if x < min[0] { x } else { min[0] };
                max[0] = if x > max[0] { x } else { max[0] };
                let d = (((x + ROUNDER) - ROUNDER) - x).abs();
                off[0] = if int && d > off[0] { d } else { off[0] };
            }
            let min = min.iter().fold(f64::INFINITY, |m, &x| m.min(x));
            let max = max.iter().fold(f64::NEG_INFINITY, |m, &x| m.max(x));
            let off = off.iter().fold(0.0f64, |m, &x| m.max(x));
            let any_bad = min < lo || max > hi || off != 0.0;
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
                        if !is_missing_text(t) && !values.iter().any(|x| same_category(x, t)) {
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

#[cfg(test)]
mod tests {
    use super::plain_number;

    /// The fast reading of plain decimals gives the same bits as `str::parse` for every shape
    /// it takes (1 to 15 characters, the dot anywhere inside), and declines everything else.
    #[test]
    fn plain_numbers_read_as_str_parse_reads_them() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..200_000 {
            let len = 1 + (next() % 15) as usize;
            let mut s: String = (0..len).map(|_| char::from(b'0' + (next() % 10) as u8)).collect();
            if len >= 3 && next() % 3 > 0 {
                let at = 1 + (next() as usize % (len - 2));
                s.replace_range(at..at + 1, ".");
            }
            let want: f64 = s.parse().unwrap();
            assert_eq!(plain_number(&s).map(f64::to_bits), Some(want.to_bits()), "{s}");
        }
        for s in ["", ".5", "5.", "1.2.3", "-1", "+1", "1e3", " 1", "1,5", "NA", "1234567890123456", "0x10"] {
            assert_eq!(plain_number(s), None, "{s:?}");
        }
        assert_eq!(plain_number("999999999999999"), Some(999_999_999_999_999.0));
        assert_eq!(plain_number("0.1"), Some(0.1));
        assert_eq!(plain_number("91.50"), Some(91.5));
    }
}
