//! Tables read by the core's column plan: which header (or record key) holds which signal, the
//! id, the name and the observation date (`Model::read_columns`), and the plan's value maps and
//! read options applied to what arrives (`ColumnPlan::read_column` for a batch's columns,
//! `ColumnPlan::read_row` for one record). Nothing here decides how a header or a cell is read;
//! it only hands each value to the core's function for it.

use std::collections::HashMap;

use advocacy_core::{Column, ColumnMapping, ColumnPlan, Model, Record, SignalSpec, Value};
use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::convert::{read_strict, throw, value_from_js};

/// The mapping given as JSON text (none: the automatic matching only), read with the core's
/// rules for JSON input (`read_strict`).
pub fn mapping_of(text: Option<String>) -> Result<ColumnMapping, JsValue> {
    match text {
        None => Ok(ColumnMapping::default()),
        Some(t) => read_strict(&t, ColumnMapping::from_json),
    }
}

/// A table's column plan and the signals it reads.
pub struct TablePlan {
    pub plan: ColumnPlan,
    specs: HashMap<String, SignalSpec>,
}

impl TablePlan {
    /// `Model::read_columns` of these headers; with `check`, also
    /// `ColumnPlan::check_reads_something` (a table that would score every account 0 fails).
    pub fn new(model: &Model, headers: &[String], mapping: ColumnMapping, check: bool) -> Result<TablePlan, JsValue> {
        let plan = model.read_columns(headers, &mapping).map_err(throw)?;
        if check {
            plan.check_reads_something(model).map_err(throw)?;
        }
        let specs = (0..headers.len())
            .filter_map(|i| plan.signal_of(i))
            .filter_map(|s| model.signal(s).map(|spec| (s.to_string(), spec.clone())))
            .collect();
        Ok(TablePlan { plan, specs })
    }

    /// The plan as JSON (the core's `ColumnPlan`).
    pub fn to_json(&self) -> Result<String, JsValue> {
        serde_json::to_string(&self.plan).map_err(|e| crate::convert::internal(&e))
    }

    /// The signal `name` of the plan (`None` for a column the plan does not read as a signal).
    pub fn spec(&self, name: &str) -> Option<&SignalSpec> {
        self.specs.get(name)
    }

    /// Whether the plan's value map reads an empty cell of signal `name` as a value (the core's
    /// `ColumnPlan::map_value`): then a missing cell and an empty text differ.
    pub fn maps_empty(&self, name: &str) -> bool {
        !self.plan.map_value(name, "").is_empty()
    }

    /// A column of signal `name` as the plan reads it (the core's `ColumnPlan::read_column`).
    pub fn read_column<'a>(&self, name: &str, col: Column<'a>) -> Column<'a> {
        match self.specs.get(name) {
            Some(spec) => self.plan.read_column(spec, col),
            None => col,
        }
    }
}

/// Reads records (JS objects) by a plan of their keys, for scoring one of them with the same
/// reading as the batch (internal: the wrapper's `rank` explains its top rows with it).
#[wasm_bindgen]
pub struct RecordReader {
    plan: TablePlan,
    index: HashMap<String, usize>,
}

impl RecordReader {
    pub fn new(model: &Model, headers: Vec<String>, mapping: ColumnMapping) -> Result<RecordReader, JsValue> {
        let plan = TablePlan::new(model, &headers, mapping, false)?;
        let index = headers.into_iter().enumerate().map(|(i, h)| (h, i)).collect();
        Ok(RecordReader { plan, index })
    }

    /// Record `row` of a batch: its own keys as the cells of their columns, read by the core's
    /// `ColumnPlan::read_row` (the id, the signals through the value maps and the cell reading,
    /// the observation date, which marks each value as seen in the `table` on that date, as the
    /// batch's observation column does). Anything but a plain object is the core's
    /// `not_a_record` error, as in `score`.
    pub fn record(&self, model: &Model, row: usize, v: &JsValue) -> Result<Record, advocacy_core::RecordError> {
        if !v.is_object() || Array::is_array(v) || v.is_function() {
            return crate::convert::record_from_js(v);
        }
        let obj: &Object = v.unchecked_ref();
        let mut cells = vec![Value::Null; self.index.len()];
        for entry in Object::entries(obj).iter() {
            let pair: Array = entry.unchecked_into();
            let Some(key) = pair.get(0).as_string() else { continue };
            if let Some(&i) = self.index.get(&key) {
                cells[i] = value_from_js(&pair.get(1));
            }
        }
        Ok(self.plan.plan.read_row(model, row, &cells)?.into_record("table"))
    }
}
