//! # advocacy-wasm
//!
//! The WebAssembly binding of `advocacy-core`. It converts JavaScript values to the core's
//! records and columns, calls the core, and hands results back (scores as the core's serde JSON,
//! batches as typed arrays, errors as the core's `ErrorEnvelope`). All scoring semantics live in
//! the core.
//!
//! TOML models are not offered here: the TOML reader costs about 120 KB gzipped (the model's
//! deserialiser is instantiated a second time), which would break the 250 KB budget. JSON is the
//! model format of the JS API; convert TOML with the `advocacy` CLI (`advocacy model ...`).
//!
//! The npm package wraps these low-level exports in `js/api.ts` (the `Model` class,
//! `AdvocacyError`, columnar encoding); use that, not these exports directly.
#![forbid(unsafe_code)]

mod cells;
mod columns;
mod convert;
mod plan;
#[cfg(feature = "program")]
mod program;
mod sources;

use advocacy_core::{
    printable, standard_signals, BatchScores, Date, ErrorEnvelope, MissingPolicy, Model, ModelSpec, OnError, Tier,
};
use wasm_bindgen::prelude::*;

pub use cells::CellsOut;
pub use columns::ColumnBatch;
use convert::{internal, json_of, read_strict, record_from_js, throw};
pub use plan::RecordReader;
use plan::{mapping_of, TablePlan};

/// A scoring model (internal handle; the wrapper's `Model` class owns one).
#[wasm_bindgen]
pub struct WasmModel {
    model: Model,
}

impl From<Model> for WasmModel {
    fn from(model: Model) -> Self {
        WasmModel { model }
    }
}

fn parse_as_of(as_of: Option<String>) -> Result<Option<Date>, JsValue> {
    as_of.map(|s| s.parse::<Date>().map_err(throw)).transpose()
}

fn to_json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, JsValue> {
    serde_json::to_string(value).map_err(|e| internal(&e))
}

impl WasmModel {
    /// This model's file with field `field` replaced by `patch` (a JS object: the fields it has
    /// replace the model's, the others are kept), read back with the core's reader, so that a
    /// bad value fails with the core's error and its path in the file (`targets.segments`).
    fn spec_with(&self, field: &str, patch: &JsValue) -> Result<ModelSpec, JsValue> {
        let mut file: serde_json::Value = serde_json::from_str(&self.model.to_json()).map_err(|e| internal(&e))?;
        let patch = json_of(patch);
        if let Some(obj) = file.as_object_mut() {
            match (obj.get_mut(field).and_then(|v| v.as_object_mut()), patch) {
                (Some(part), serde_json::Value::Object(p)) => part.extend(p),
                (_, p) => {
                    obj.insert(field.to_string(), p);
                }
            }
        }
        ModelSpec::from_json(&file.to_string()).map_err(throw)
    }
}

#[wasm_bindgen]
impl WasmModel {
    /// The 100-point advocacy potential model.
    #[wasm_bindgen(js_name = defaultModel)]
    pub fn default_model() -> WasmModel {
        Model::default().into()
    }

    /// Reads and checks a model from JSON text (a byte-order mark is skipped; a key given twice
    /// in one object is an error, as everywhere JSON is read: `advocacy_core::parse_json`).
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(text: &str) -> Result<WasmModel, JsValue> {
        read_strict(text, Model::from_json).map(WasmModel::from)
    }

    /// The model as pretty JSON (reads back unchanged).
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> String {
        self.model.to_json()
    }

    /// The model's name.
    pub fn name(&self) -> String {
        self.model.name().to_string()
    }

    /// The most points an account can earn.
    #[wasm_bindgen(js_name = maxPoints)]
    pub fn max_points(&self) -> f64 {
        self.model.max_points()
    }

    /// Model warnings (JSON array of the core's `Warning`s).
    pub fn warnings(&self) -> Result<String, JsValue> {
        to_json(self.model.warnings())
    }

    /// Every signal the model knows (the core's list): its own declarations, then the standard signals.
    #[wasm_bindgen(js_name = knownSignals)]
    pub fn known_signals(&self) -> Vec<String> {
        self.model.known_signals().iter().map(|s| s.name.clone()).collect()
    }

    /// The same signals with their kinds, values and ranges (JSON array of `SignalSpec`s).
    pub fn signals(&self) -> Result<String, JsValue> {
        to_json(self.model.known_signals())
    }

    /// The signals the model's criteria and gates read (`Model::read_signals`).
    #[wasm_bindgen(js_name = readSignals)]
    pub fn read_signals(&self) -> Vec<String> {
        self.model.read_signals().into_iter().map(str::to_string).collect()
    }

    /// `Model::read_columns`: how a table with these headers is read, with the mapping (JSON
    /// text of a `ColumnMapping`) on top of the automatic matching; the `ColumnPlan` as JSON.
    #[wasm_bindgen(js_name = readColumns)]
    pub fn read_columns(&self, headers: Vec<String>, mapping: Option<String>) -> Result<String, JsValue> {
        TablePlan::new(&self.model, &headers, mapping_of(mapping)?, false)?.to_json()
    }

    /// Reads the batch's columns by the plan of these headers (the batch's columns are then
    /// added under their signals' names): `read_columns`, and `check_reads_something` (a table
    /// in which no column holds a signal the model reads is an error, never a table of zeros).
    /// Returns the plan as JSON.
    #[wasm_bindgen(js_name = planBatch)]
    pub fn plan_batch(
        &self,
        batch: &mut ColumnBatch,
        headers: Vec<String>,
        mapping: Option<String>,
    ) -> Result<String, JsValue> {
        let plan = TablePlan::new(&self.model, &headers, mapping_of(mapping)?, true)?;
        let json = plan.to_json()?;
        batch.columns.set_read_options(plan.plan.options);
        batch.plan = Some(plan);
        Ok(json)
    }

    /// `Model::score_sources`: several sources of the same accounts (the JSON text of a
    /// `SourcesInput`, see `sources::input_of`) joined by account id and scored; the
    /// `SourceScores` as JSON text. Errors are the core's envelope of a `SourcesError` (a
    /// source's path as `sources.<name>`).
    #[wasm_bindgen(js_name = scoreSources)]
    pub fn score_sources(&self, input: &str) -> Result<String, JsValue> {
        let input = sources::input_of(input)?;
        let out = self.model.score_sources(&input).map_err(|e| throw(&e))?;
        to_json(&out)
    }

    /// A reader of records (JS objects) by the plan of their keys, for `scoreRead`.
    #[wasm_bindgen(js_name = recordReader)]
    pub fn record_reader(&self, keys: Vec<String>, mapping: Option<String>) -> Result<RecordReader, JsValue> {
        RecordReader::new(&self.model, keys, mapping_of(mapping)?)
    }

    /// Scores record `row` of a batch read by `reader` (the core's `Score` as JSON text).
    #[wasm_bindgen(js_name = scoreRead)]
    pub fn score_read(
        &self,
        reader: &RecordReader,
        row: usize,
        #[wasm_bindgen(unchecked_param_type = "unknown")] record: JsValue,
        as_of: Option<String>,
    ) -> Result<String, JsValue> {
        let as_of = parse_as_of(as_of)?;
        let rec = reader.record(&self.model, row, &record).map_err(throw)?;
        self.score_record(&rec, as_of)
    }

    /// `Model::with_points`: a copy where criterion `criterion_id` is worth `points`.
    #[wasm_bindgen(js_name = withPoints)]
    pub fn with_points(&self, criterion_id: &str, points: f64) -> Result<WasmModel, JsValue> {
        self.model.with_points(criterion_id, points).map(WasmModel::from).map_err(throw)
    }

    /// `Model::with_targets`: a copy with the target lists `targets` has replaced, the others kept.
    #[wasm_bindgen(js_name = withTargets)]
    pub fn with_targets(
        &self,
        #[wasm_bindgen(unchecked_param_type = "unknown")] targets: JsValue,
    ) -> Result<WasmModel, JsValue> {
        let spec = self.spec_with("targets", &targets)?;
        self.model.with_targets(spec.targets).map(WasmModel::from).map_err(throw)
    }

    /// `Model::with_tiers`: a copy with the thresholds `tiers` has replaced, the others kept.
    #[wasm_bindgen(js_name = withTiers)]
    pub fn with_tiers(
        &self,
        #[wasm_bindgen(unchecked_param_type = "unknown")] tiers: JsValue,
    ) -> Result<WasmModel, JsValue> {
        let spec = self.spec_with("tiers", &tiers)?;
        self.model.with_tiers(spec.tiers).map(WasmModel::from).map_err(throw)
    }

    /// `Model::with_missing`: a copy with the missing-data policy named `missing`.
    #[wasm_bindgen(js_name = withMissing)]
    pub fn with_missing(&self, missing: &str) -> Result<WasmModel, JsValue> {
        let policy = MissingPolicy::parse(missing).map_err(throw)?;
        self.model.with_missing(policy).map(WasmModel::from).map_err(throw)
    }

    /// Scores one account: the core's `Score` as JSON text.
    pub fn score(
        &self,
        #[wasm_bindgen(unchecked_param_type = "unknown")] record: JsValue,
        as_of: Option<String>,
    ) -> Result<String, JsValue> {
        let as_of = parse_as_of(as_of)?;
        let rec = record_from_js(&record).map_err(throw)?;
        self.score_record(&rec, as_of)
    }

    /// Scores a columnar batch; `flag` = flag bad rows instead of failing. Rows the binding could
    /// not convert (`ColumnBatch::flag_not_a_record`) are flagged with `BatchScores::flag_row`,
    /// then `BatchScores::into_result` fails or keeps the batch.
    #[wasm_bindgen(js_name = scoreColumns)]
    pub fn score_columns(&self, batch: &mut ColumnBatch, flag: bool) -> Result<BatchOut, JsValue> {
        let not_records = std::mem::take(&mut batch.not_records);
        let mut out = self.model.score_columns(&batch.scored()?, OnError::Flag).map_err(throw)?;
        for (row, err) in not_records {
            out.flag_row(row, err);
        }
        let on_error = if flag { OnError::Flag } else { OnError::Fail };
        let scores = out.into_result(on_error).map_err(throw)?;
        let tier_codes = scores.tier.iter().map(|t| t.map_or(255, Tier::code)).collect();
        Ok(BatchOut { scores, tier_codes })
    }

    /// Reads text cells (a CSV's header and rows, row-major, joined, with their UTF-16 lengths in
    /// a u32 buffer of `lens_batch`) with the core's `TableReader` (the header plan of
    /// `read_columns` with the mapping, each cell through the plan's value map and the cell
    /// reading), the way the `advocacy` CLI reads a CSV. Fails when no column holds a signal the
    /// model reads.
    #[wasm_bindgen(js_name = recordsFromCells)]
    pub fn records_from_cells(
        &self,
        header: Vec<String>,
        joined: &str,
        lens_batch: &ColumnBatch,
        lens: u32,
        mapping: Option<String>,
    ) -> Result<CellsOut, JsValue> {
        let mapping = mapping_of(mapping)?;
        let reader = self.model.table_reader(&header, &mapping).map_err(throw)?;
        reader.plan().check_reads_something(&self.model).map_err(throw)?;
        let lens = lens_batch.u32_slot(lens).unwrap_or(&[]);
        cells::read(&reader, header.len(), joined, lens)
    }
}

impl WasmModel {
    fn score_record(&self, rec: &advocacy_core::Record, as_of: Option<Date>) -> Result<String, JsValue> {
        let score = match as_of {
            Some(d) => self.model.score_as_of(rec, d),
            None => self.model.score(rec),
        }
        .map_err(throw)?;
        to_json(&score)
    }
}

/// Results of a batch (internal handle; the wrapper copies them into typed arrays and frees it).
#[wasm_bindgen]
pub struct BatchOut {
    scores: BatchScores,
    /// Tier codes (`Tier::code`), 255 for flagged rows.
    tier_codes: Vec<u8>,
}

#[wasm_bindgen]
impl BatchOut {
    /// The number of rows.
    pub fn rows(&self) -> usize {
        self.scores.len()
    }
    /// Where each number column starts in the module's memory (byte offsets of `rows()` f64
    /// each): totals, completeness, the highest possible totals, then each category's points.
    /// JS copies them straight into one buffer of its own (one copy, one allocation there).
    #[wasm_bindgen(js_name = columnPtrs)]
    pub fn column_ptrs(&self) -> Vec<u32> {
        let s = &self.scores;
        let mut out = vec![s.total.as_ptr() as u32, s.completeness.as_ptr() as u32, s.max_possible.as_ptr() as u32];
        out.extend(s.categories.iter().map(|(_, c)| c.as_ptr() as u32));
        out
    }
    /// Where the tier codes (`Tier::code`, 255 for flagged rows; `rows()` bytes) start.
    #[wasm_bindgen(js_name = tierCodesPtr)]
    pub fn tier_codes_ptr(&self) -> u32 {
        self.tier_codes.as_ptr() as u32
    }
    /// Category ids, in model order.
    #[wasm_bindgen(js_name = categoryIds)]
    pub fn category_ids(&self) -> Vec<String> {
        self.scores.categories.iter().map(|(id, _)| id.clone()).collect()
    }
    /// The errors of flagged rows, by row (JSON array of the core's `ErrorEnvelope`s).
    pub fn errors(&self) -> Result<String, JsValue> {
        to_json(&self.scores.errors.iter().map(ErrorEnvelope::from).collect::<Vec<_>>())
    }
    /// Model warnings (JSON array of the core's `Warning`s).
    pub fn warnings(&self) -> Result<String, JsValue> {
        to_json(&self.scores.warnings)
    }
}

/// `advocacy_core::rank`: row indices of `total` best first (ties in input order, NaN last).
#[wasm_bindgen(js_name = rankTotals)]
pub fn rank_totals(total: Vec<f64>) -> Vec<u32> {
    advocacy_core::rank(&total).into_iter().map(|i| i as u32).collect()
}

/// The names of the tiers by code (`Tier::ALL`), best first.
#[wasm_bindgen(js_name = tierNames)]
pub fn tier_names() -> Vec<String> {
    Tier::ALL.iter().map(|t| t.as_str().to_string()).collect()
}

/// The standard signals (JSON array of the core's `SignalSpec`s).
#[wasm_bindgen(js_name = standardSignals)]
pub fn standard_signals_json() -> Result<String, JsValue> {
    to_json(standard_signals())
}

/// `ErrorEnvelope::usage`: the JSON of the error for an argument the JS wrapper cannot take (the
/// argument and the value as `printable` shows them: control characters escaped, at most 200
/// characters).
#[wasm_bindgen(js_name = usageError)]
pub fn usage_error(code: &str, argument: &str, value: &str, allowed: &str) -> String {
    ErrorEnvelope::usage(code, &printable(argument, 200), &printable(value, 200), allowed).to_json()
}
