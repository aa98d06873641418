//! The columnar fast path: JS hands over columns, the core's `Columns` scores them.
//!
//! Large columns are written by JS straight into WebAssembly memory: the batch allocates a
//! buffer (a "slot"), JS fills it through a typed-array view of the module's memory, and the
//! buffer becomes the column without a copy. Allocating a JS typed array per column instead
//! makes V8 run a full garbage collection for each one ("external memory pressure"), and a full
//! collection costs time in proportion to everything the caller holds (a million records):
//! scoring grew with the square of the batch.

use std::borrow::Cow;

use advocacy_core::{Bitmap, Column, ColumnError, Columns, Date, RecordError, Value};
use js_sys::Array;
use wasm_bindgen::prelude::*;

use crate::convert::{record_from_js, throw, usage, value_from_js, ID_FIELD, OBSERVED_FIELD};
use crate::plan::TablePlan;

/// A buffer JS fills through a view of the module's memory.
enum Slot {
    F64(Vec<f64>),
    I64(Vec<i64>),
    U32(Vec<u32>),
    U8(Vec<u8>),
}

/// A batch of columns being filled from JS (internal: the wrapper's `scoreColumns` and
/// `scoreBatch` build it).
#[wasm_bindgen]
pub struct ColumnBatch {
    pub(crate) columns: Columns<'static>,
    /// Batch elements that are not records, with the core's error for each (by row).
    pub(crate) not_records: Vec<(usize, RecordError)>,
    /// How the table's columns are read (set by `WasmModel::planBatch`).
    pub(crate) plan: Option<TablePlan>,
    slots: Vec<Option<Slot>>,
}

/// Splits text joined from JS strings back into them, by their UTF-16 lengths (how JS
/// measures strings), without copying.
pub(crate) struct Utf16Split<'a> {
    rest: &'a str,
    ascii: bool,
}

impl<'a> Utf16Split<'a> {
    pub(crate) fn new(joined: &'a str) -> Self {
        Utf16Split { rest: joined, ascii: joined.is_ascii() }
    }

    /// The next string of `units` UTF-16 code units.
    pub(crate) fn take(&mut self, units: u32) -> Result<&'a str, JsValue> {
        let end = if self.ascii {
            units as usize
        } else {
            let mut got = 0u32;
            let mut end = 0usize;
            for (i, c) in self.rest.char_indices() {
                if got >= units {
                    break;
                }
                got += c.len_utf16() as u32;
                end = i + c.len_utf8();
            }
            if got < units {
                end = usize::MAX;
            }
            end
        };
        match (self.rest.get(..end), self.rest.get(end..)) {
            (Some(head), Some(tail)) => {
                self.rest = tail;
                Ok(head)
            }
            _ => Err(usage(
                "invalid_column",
                "strings",
                "joined text shorter than its lengths",
                "the lengths of the joined strings",
            )),
        }
    }
}

/// Splits `joined` into owned strings of the given UTF-16 lengths.
pub(crate) fn split_utf16(joined: &str, lens: &[u32]) -> Result<Vec<Cow<'static, str>>, JsValue> {
    let mut split = Utf16Split::new(joined);
    lens.iter().map(|&n| split.take(n).map(|s| Cow::Owned(s.to_string()))).collect()
}

impl ColumnBatch {
    fn add(&mut self, name: &str, col: Column<'static>) -> Result<(), JsValue> {
        self.check_length(name, col.len())?;
        self.add_checked(name, col)
    }

    fn take(&mut self, slot: u32) -> Option<Slot> {
        self.slots.get_mut(slot as usize).and_then(Option::take)
    }

    fn take_f64(&mut self, slot: u32) -> Result<Vec<f64>, JsValue> {
        match self.take(slot) {
            Some(Slot::F64(v)) => Ok(v),
            _ => Err(bad_slot()),
        }
    }

    fn take_u32(&mut self, slot: u32) -> Result<Vec<u32>, JsValue> {
        match self.take(slot) {
            Some(Slot::U32(v)) => Ok(v),
            _ => Err(bad_slot()),
        }
    }

    fn take_bits(&mut self, slot: Option<u32>) -> Result<Option<Bitmap<'static>>, JsValue> {
        match slot {
            None => Ok(None),
            Some(s) => match self.take(s) {
                Some(Slot::U8(v)) => Ok(Some(Bitmap::new(v, 0))),
                _ => Err(bad_slot()),
            },
        }
    }

    fn new_slot(&mut self, slot: Slot) -> u32 {
        self.slots.push(Some(slot));
        (self.slots.len() - 1) as u32
    }

    /// The lengths of a u32 slot (the UTF-16 lengths of joined strings).
    pub(crate) fn u32_slot(&self, slot: u32) -> Option<&[u32]> {
        match self.slots.get(slot as usize) {
            Some(Some(Slot::U32(v))) => Some(v),
            _ => None,
        }
    }
}

fn bad_slot() -> JsValue {
    usage("internal", "slot", "a buffer used twice or of the wrong type", "a buffer of this batch")
}

#[wasm_bindgen]
impl ColumnBatch {
    /// An empty batch of `len` rows.
    #[wasm_bindgen(constructor)]
    pub fn new(len: usize) -> ColumnBatch {
        ColumnBatch { columns: Columns::new(len), not_records: Vec::new(), plan: None, slots: Vec::new() }
    }

    /// The number of rows.
    pub fn rows(&self) -> usize {
        self.columns.len()
    }

    /// Fails with the core's `ColumnError` unless a column of `len` rows fits the batch: a JS
    /// array has no offset to read from, so its length must be the batch's exactly.
    #[wasm_bindgen(js_name = checkLength)]
    pub fn check_length(&self, name: &str, len: usize) -> Result<(), JsValue> {
        let expected = self.columns.len();
        if len == expected {
            return Ok(());
        }
        Err(throw(ColumnError { column: name.to_string(), len, expected }))
    }

    /// A buffer of `len` floats, all NaN (= missing), for JS to fill; returns its handle.
    #[wasm_bindgen(js_name = slotF64)]
    pub fn slot_f64(&mut self, len: usize) -> u32 {
        self.new_slot(Slot::F64(vec![f64::NAN; len]))
    }

    /// A buffer of `len` 64-bit integers (zero) for JS to fill.
    #[wasm_bindgen(js_name = slotI64)]
    pub fn slot_i64(&mut self, len: usize) -> u32 {
        self.new_slot(Slot::I64(vec![0; len]))
    }

    /// A buffer of `len` u32 (zero) for JS to fill.
    #[wasm_bindgen(js_name = slotU32)]
    pub fn slot_u32(&mut self, len: usize) -> u32 {
        self.new_slot(Slot::U32(vec![0; len]))
    }

    /// A buffer of `len` bytes (zero) for JS to fill: a bitmap in Arrow's layout (bit `i`, least
    /// significant first, of byte `i / 8`).
    #[wasm_bindgen(js_name = slotU8)]
    pub fn slot_u8(&mut self, len: usize) -> u32 {
        self.new_slot(Slot::U8(vec![0; len]))
    }

    /// Where a buffer starts in the module's memory (a byte offset; 0 for no such buffer).
    #[wasm_bindgen(js_name = slotPtr)]
    pub fn slot_ptr(&self, slot: u32) -> usize {
        match self.slots.get(slot as usize) {
            Some(Some(Slot::F64(v))) => v.as_ptr() as usize,
            Some(Some(Slot::I64(v))) => v.as_ptr() as usize,
            Some(Some(Slot::U32(v))) => v.as_ptr() as usize,
            Some(Some(Slot::U8(v))) => v.as_ptr() as usize,
            _ => 0,
        }
    }

    /// Frees a buffer that will not become a column.
    #[wasm_bindgen(js_name = freeSlot)]
    pub fn free_slot(&mut self, slot: u32) {
        self.take(slot);
    }

    /// Numbers from a float buffer (NaN = missing). The column named `id` becomes the id column.
    #[wasm_bindgen(js_name = addFloat)]
    pub fn add_float(&mut self, name: &str, slot: u32) -> Result<(), JsValue> {
        let values = self.take_f64(slot)?;
        self.add(name, Column::Float { values: Cow::Owned(values), validity: None })
    }

    /// 64-bit integers (`BigInt64Array`) from an integer buffer.
    #[wasm_bindgen(js_name = addInt)]
    pub fn add_int(&mut self, name: &str, slot: u32) -> Result<(), JsValue> {
        let values = match self.take(slot) {
            Some(Slot::I64(v)) => v,
            _ => return Err(bad_slot()),
        };
        self.add(name, Column::Int { values: Cow::Owned(values), validity: None })
    }

    /// Booleans from a bitmap buffer, with an optional validity bitmap (bit set = present).
    #[wasm_bindgen(js_name = addBool)]
    pub fn add_bool(&mut self, name: &str, values: u32, valid: Option<u32>) -> Result<(), JsValue> {
        let values = self.take_bits(Some(values))?.unwrap_or_else(|| Bitmap::new(Vec::new(), 0));
        let validity = self.take_bits(valid)?;
        // A bitmap holds whole bytes: its buffer was made for the batch's rows.
        self.add_checked(name, Column::Bool { values, validity })
    }

    /// Dictionary-encoded text: `keys[i]` (a u32 buffer) indexes the distinct strings, which
    /// arrive joined with their UTF-16 lengths; an optional validity bitmap.
    #[wasm_bindgen(js_name = addDictionary)]
    pub fn add_dictionary(
        &mut self,
        name: &str,
        keys: u32,
        joined: &str,
        lens: Vec<u32>,
        valid: Option<u32>,
    ) -> Result<(), JsValue> {
        let values = split_utf16(joined, &lens)?;
        let keys = self.take_u32(keys)?;
        let validity = self.take_bits(valid)?;
        self.add(name, Column::Dictionary { keys: Cow::Owned(keys), validity, values })
    }

    /// Text, one string per row, joined, with their UTF-16 lengths in a u32 buffer and a
    /// validity bitmap (bit clear = missing).
    #[wasm_bindgen(js_name = addText)]
    pub fn add_text(&mut self, name: &str, joined: &str, lens: u32, valid: Option<u32>) -> Result<(), JsValue> {
        let lens = self.take_u32(lens)?;
        let validity = self.take_bits(valid)?;
        let mut split = Utf16Split::new(joined);
        let mut cells = Vec::with_capacity(lens.len());
        for (i, &n) in lens.iter().enumerate() {
            let s = split.take(n)?;
            let present = validity.as_ref().is_none_or(|b| b.get(i));
            cells.push(present.then(|| Cow::Owned(s.to_string())));
        }
        self.add(name, Column::Text(cells))
    }

    /// Loosely typed values (a mix of numbers, text, booleans, nulls), checked like a record's.
    #[wasm_bindgen(js_name = addValues)]
    pub fn add_values(
        &mut self,
        name: &str,
        #[wasm_bindgen(unchecked_param_type = "unknown[]")] values: Array,
    ) -> Result<(), JsValue> {
        let vals: Vec<Value> = values.iter().map(|v| value_from_js(&v)).collect();
        self.add(name, Column::Values(Cow::Owned(vals)))
    }

    /// The as-of date freshness is judged on (`Columns::set_as_of`): with an observation date
    /// column, a value older than the model's maximum age for its signal counts as missing.
    #[wasm_bindgen(js_name = setAsOf)]
    pub fn set_as_of(&mut self, as_of: &str) -> Result<(), JsValue> {
        self.columns.set_as_of(as_of.parse::<Date>().map_err(throw)?);
        Ok(())
    }

    /// Flags row `row` as not a record (a batch element that is not an object).
    #[wasm_bindgen(js_name = flagNotARecord)]
    pub fn flag_not_a_record(&mut self, row: usize, #[wasm_bindgen(unchecked_param_type = "unknown")] value: JsValue) {
        if let Err(e) = record_from_js(&value) {
            self.not_records.push((row, e));
        }
    }
}

impl ColumnBatch {
    /// Adds a column whose length fits the batch; the column named `id` becomes the id column
    /// and every row then needs an id of its own (the core's `require_unique_ids`); the column
    /// named `observed` becomes the observation dates (`Columns::set_observed`: text as
    /// YYYY-MM-DD, integers as days since 1970-01-01). Neither name can be a signal's column:
    /// the core's column plan reads such a header as the id or the observation date.
    fn add_checked(&mut self, name: &str, col: Column<'static>) -> Result<(), JsValue> {
        if name == ID_FIELD {
            self.columns.set_ids(col).map_err(throw)?;
            // A table with ids: every row needs one of its own (the core's rule).
            self.columns.require_unique_ids();
            return Ok(());
        }
        if name == OBSERVED_FIELD {
            return self.columns.set_observed(col).map_err(throw);
        }
        let col = match &self.plan {
            Some(p) => p.read_column(name, col),
            None => col,
        };
        self.columns.add(name, col).map_err(throw)
    }
}

/// Makes the module's memory at least `bytes` larger than what is in use, in one step: a batch
/// that then allocates its buffers one by one grows the memory once, not once per buffer (every
/// growth costs the caller's JS heap a full garbage collection).
#[wasm_bindgen]
pub fn reserve(bytes: usize) {
    // `try_reserve`: memory the machine cannot give is not an abort (a trap); the batch then
    // grows the memory as it goes.
    let mut room: Vec<u8> = Vec::new();
    if room.try_reserve_exact(bytes).is_ok() {
        std::hint::black_box(&room);
    }
}
