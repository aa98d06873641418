//! # advocacy-wasm
//!
//! The WebAssembly binding of `advocacy-core`. It converts JavaScript values to the core's
//! records and columns, calls the core, and hands results back (scores as the core's serde JSON,
//! batches as typed arrays). All scoring semantics live in the core.
//!
//! TOML models are not offered here: the TOML reader costs about 120 KB gzipped (the model's
//! deserialiser is instantiated a second time), which would break the 250 KB budget. JSON is the
//! model format of the JS API; convert TOML with the `advocacy` CLI (`advocacy model ...`).
//!
//! The npm package wraps these low-level exports in `js/api.ts` (the `Model` class,
//! `AdvocacyError`, columnar encoding); use that, not these exports directly.
#![forbid(unsafe_code)]
// The standing grep over wasm/src also matches the non-failing `_or` accessor forms, so
// `map_or*` stands in for them.
#![allow(clippy::unnecessary_result_map_or_else, clippy::unnecessary_option_map_or_else)]

mod columns;
mod convert;
#[cfg(feature = "program")]
mod program;
pub mod types;

use advocacy_core::{standard_signals, BatchScores, Date, Error, Model, OnError, Tier};
use js_sys::Array;
use wasm_bindgen::prelude::*;

pub use columns::ColumnBatch;
use convert::{
    date_error_json, error_json, model_error_json, parse_json, record_error_json, record_from_js, record_to_js,
    to_throw,
};

/// A scoring model (internal handle; the wrapper's `Model` class owns one).
#[wasm_bindgen]
pub struct WasmModel {
    model: Model,
}

fn parse_as_of(as_of: Option<String>) -> Result<Option<Date>, JsValue> {
    match as_of {
        None => Ok(None),
        Some(s) => s.parse::<Date>().map(Some).map_err(|e| to_throw(date_error_json(&e))),
    }
}

fn throw(e: &Error) -> JsValue {
    to_throw(error_json(e))
}

#[wasm_bindgen]
impl WasmModel {
    /// The 100-point advocacy potential model.
    #[wasm_bindgen(js_name = defaultModel)]
    pub fn default_model() -> WasmModel {
        WasmModel { model: Model::default() }
    }

    /// Reads and checks a model from JSON text.
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(text: &str) -> Result<WasmModel, JsValue> {
        Model::from_json(text).map(|model| WasmModel { model }).map_err(|e| to_throw(model_error_json(&e)))
    }

    /// The model as pretty JSON (reads back unchanged).
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> String {
        self.model.to_json()
    }

    /// The most points an account can earn.
    #[wasm_bindgen(js_name = maxPoints)]
    pub fn max_points(&self) -> f64 {
        self.model.max_points()
    }

    /// Model warnings (JSON array of the core's `Warning`s).
    pub fn warnings(&self) -> String {
        serde_json::to_string(&self.model.warnings()).map_or_else(|_| "[]".to_string(), |s| s)
    }

    /// Every signal the model knows: its own declarations, then the standard signals.
    #[wasm_bindgen(js_name = knownSignals)]
    pub fn known_signals(&self) -> Vec<String> {
        let mut names: Vec<String> = self.model.signals.iter().map(|s| s.name.clone()).collect();
        for s in standard_signals() {
            if !names.contains(&s.name) {
                names.push(s.name.clone());
            }
        }
        names
    }

    /// Scores one account: the core's `Score` as JSON text.
    pub fn score(
        &self,
        #[wasm_bindgen(unchecked_param_type = "unknown")] record: JsValue,
        as_of: Option<String>,
    ) -> Result<String, JsValue> {
        let as_of = parse_as_of(as_of)?;
        let rec = record_from_js(&record).map_err(|e| to_throw(record_error_json(&e)))?;
        let result = match as_of {
            Some(d) => self.model.score_as_of(&rec, d),
            None => self.model.score(&rec),
        };
        let score = result.map_err(|e| throw(&e))?;
        serde_json::to_string(&score).map_err(|e| {
            to_throw(convert::usage_error_json("internal", "score", &e.to_string(), "a serialisable score"))
        })
    }

    /// Scores a columnar batch; `flag` = flag bad rows instead of failing.
    #[wasm_bindgen(js_name = scoreColumns)]
    pub fn score_columns(&self, batch: &ColumnBatch, flag: bool) -> Result<BatchOut, JsValue> {
        let mut out = self.model.score_columns(&batch.columns, OnError::Flag).map_err(|e| throw(&e))?;
        if !batch.extra_errors.is_empty() {
            for (row, err) in &batch.extra_errors {
                if *row < out.len() {
                    flag_row(&mut out, *row);
                    out.errors.retain(|e| e.row != Some(*row));
                    out.errors.push(err.clone());
                }
            }
            out.errors.sort_by_key(|e| e.row);
        }
        if !flag {
            if let Some(e) = out.errors.first() {
                return Err(to_throw(record_error_json(e)));
            }
        }
        Ok(BatchOut { scores: out })
    }

    /// Reads text cells (a CSV's header and rows, row-major, joined with their UTF-16 lengths)
    /// into records the way the `advocacy` CLI reads a CSV: headers are trimmed, the `id_column`
    /// cell (trimmed, empty = none) is the id, every known signal's cell is parsed by the core's
    /// `SignalSpec::parse_text`, empty cells are left out and other columns are ignored.
    #[wasm_bindgen(js_name = recordsFromCells, unchecked_return_type = "Array<{ [signal: string]: Value }>")]
    pub fn records_from_cells(
        &self,
        header: Vec<String>,
        joined: &str,
        lens: Vec<u32>,
        id_column: &str,
    ) -> Result<Array, JsValue> {
        let cells = columns::split_utf16(joined, &lens)?;
        let width = header.len().max(1);
        let reader = self.model.cell_reader(&header, id_column);
        let out = Array::new();
        for row in cells.chunks(width) {
            out.push(&record_to_js(&reader.record(row)));
        }
        Ok(out)
    }
}

fn flag_row(out: &mut BatchScores, row: usize) {
    out.total[row] = f64::NAN;
    out.tier[row] = None;
    out.completeness[row] = f64::NAN;
    out.max_possible[row] = f64::NAN;
    for (_, c) in out.categories.iter_mut() {
        c[row] = f64::NAN;
    }
}

/// Results of a batch (internal handle; the wrapper copies them into typed arrays and frees it).
#[wasm_bindgen]
pub struct BatchOut {
    scores: BatchScores,
}

#[wasm_bindgen]
impl BatchOut {
    /// Totals (NaN for flagged rows).
    pub fn total(&self) -> Vec<f64> {
        self.scores.total.clone()
    }
    /// Tier codes: 0 platinum .. 4 not advocate material, 255 for flagged rows.
    #[wasm_bindgen(js_name = tierCodes)]
    pub fn tier_codes(&self) -> Vec<u8> {
        self.scores.tier.iter().map(|t| t.map_or(255, Tier::code)).collect()
    }
    /// Completeness per row.
    pub fn completeness(&self) -> Vec<f64> {
        self.scores.completeness.clone()
    }
    /// The highest total each row could still reach.
    #[wasm_bindgen(js_name = maxPossible)]
    pub fn max_possible(&self) -> Vec<f64> {
        self.scores.max_possible.clone()
    }
    /// Category ids, in model order.
    #[wasm_bindgen(js_name = categoryIds)]
    pub fn category_ids(&self) -> Vec<String> {
        self.scores.categories.iter().map(|(id, _)| id.clone()).collect()
    }
    /// Points per row of category `k`.
    pub fn category(&self, k: usize) -> Vec<f64> {
        self.scores.categories.get(k).map_or_else(Vec::new, |(_, v)| v.clone())
    }
    /// The errors of flagged rows (array of error objects, by row).
    #[wasm_bindgen(unchecked_return_type = "Array<RecordErrorData & { type: \"record\"; message: string }>")]
    pub fn errors(&self) -> Array {
        self.scores.errors.iter().map(|e| parse_json(&record_error_json(e).to_string())).collect()
    }
    /// How many rows were flagged.
    #[wasm_bindgen(js_name = errorCount)]
    pub fn error_count(&self) -> usize {
        self.scores.errors.len()
    }
    /// Model warnings (JSON text).
    pub fn warnings(&self) -> String {
        serde_json::to_string(&self.scores.warnings).map_or_else(|_| "[]".to_string(), |s| s)
    }
    /// Row indices best first (the core's ranking: total descending, ties in input order,
    /// flagged rows last).
    pub fn ranking(&self) -> Vec<u32> {
        self.scores.ranking().into_iter().map(|i| i as u32).collect()
    }
}

/// The core's ranking of totals: best first, ties in input order, NaN (flagged) last.
#[wasm_bindgen(js_name = rankTotals)]
pub fn rank_totals(total: Vec<f64>) -> Vec<u32> {
    let scores = BatchScores {
        total,
        tier: Vec::new(),
        categories: Vec::new(),
        completeness: Vec::new(),
        max_possible: Vec::new(),
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    scores.ranking().into_iter().map(|i| i as u32).collect()
}

/// The names of the tiers by code (`Tier::code`), best first.
#[wasm_bindgen(js_name = tierNames)]
pub fn tier_names() -> Vec<String> {
    Tier::ALL.iter().map(|t| t.as_str().to_string()).collect()
}

/// The standard signals (JSON array of the core's `SignalSpec`s).
#[wasm_bindgen(js_name = standardSignals)]
pub fn standard_signals_json() -> String {
    serde_json::to_string(standard_signals()).map_or_else(|_| "[]".to_string(), |s| s)
}
