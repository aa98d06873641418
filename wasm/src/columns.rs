//! The columnar fast path: JS hands over typed arrays, the core's `Columns` scores them.

use std::borrow::Cow;

use advocacy_core::{Bitmap, Column, ColumnError, Columns, RecordError, Value};
use js_sys::Array;
use wasm_bindgen::prelude::*;

use crate::convert::{record_from_js, throw, usage, value_from_js, ID_FIELD};

/// A batch of columns being filled from JS (internal: the wrapper's `scoreColumns` builds it).
#[wasm_bindgen]
pub struct ColumnBatch {
    pub(crate) columns: Columns<'static>,
    /// Batch elements that are not records, with the core's error for each (by row).
    pub(crate) not_records: Vec<(usize, RecordError)>,
}

fn validity(bits: Option<Vec<u8>>) -> Option<Bitmap<'static>> {
    bits.map(|b| Bitmap::from_bools(&b.iter().map(|x| *x != 0).collect::<Vec<_>>()))
}

/// Splits `joined` into strings of the given UTF-16 lengths (how JS measures them).
pub(crate) fn split_utf16(joined: &str, lens: &[u32]) -> Result<Vec<String>, JsValue> {
    let mut out = Vec::with_capacity(lens.len());
    let mut chars = joined.chars();
    for &want in lens {
        let mut s = String::new();
        let mut got = 0u32;
        while got < want {
            match chars.next() {
                Some(c) => {
                    got += c.len_utf16() as u32;
                    s.push(c);
                }
                None => {
                    return Err(usage(
                        "invalid_column",
                        "strings",
                        "joined text shorter than its lengths",
                        "the lengths of the joined strings",
                    ))
                }
            }
        }
        out.push(s);
    }
    Ok(out)
}

impl ColumnBatch {
    fn add(&mut self, name: &str, len: usize, col: Column<'static>) -> Result<(), JsValue> {
        self.check_length(name, len)?;
        if name == ID_FIELD {
            self.columns.set_ids(col).map_err(throw)
        } else {
            self.columns.add(name, col).map_err(throw)
        }
    }
}

#[wasm_bindgen]
impl ColumnBatch {
    /// An empty batch of `len` rows.
    #[wasm_bindgen(constructor)]
    pub fn new(len: usize) -> ColumnBatch {
        ColumnBatch { columns: Columns::new(len), not_records: Vec::new() }
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

    /// Numbers (NaN = missing). The column named `id` becomes the id column.
    #[wasm_bindgen(js_name = addFloat)]
    pub fn add_float(&mut self, name: &str, values: Vec<f64>) -> Result<(), JsValue> {
        self.add(name, values.len(), Column::Float { values: Cow::Owned(values), validity: None })
    }

    /// 64-bit integers (`BigInt64Array`), with an optional validity mask (1 = present).
    #[wasm_bindgen(js_name = addInt)]
    pub fn add_int(&mut self, name: &str, values: Vec<i64>, valid: Option<Vec<u8>>) -> Result<(), JsValue> {
        self.add(name, values.len(), Column::Int { values: Cow::Owned(values), validity: validity(valid) })
    }

    /// Booleans as 0/1 bytes, with an optional validity mask (1 = present).
    #[wasm_bindgen(js_name = addBool)]
    pub fn add_bool(&mut self, name: &str, values: Vec<u8>, valid: Option<Vec<u8>>) -> Result<(), JsValue> {
        let bits: Vec<bool> = values.iter().map(|x| *x != 0).collect();
        self.add(name, bits.len(), Column::Bool { values: Bitmap::from_bools(&bits), validity: validity(valid) })
    }

    /// Dictionary-encoded text: `keys[i]` indexes the distinct strings, which arrive joined
    /// with their UTF-16 lengths (one string crosses the boundary instead of thousands).
    #[wasm_bindgen(js_name = addDictionary)]
    pub fn add_dictionary(
        &mut self,
        name: &str,
        keys: Vec<u32>,
        joined: &str,
        lens: Vec<u32>,
        valid: Option<Vec<u8>>,
    ) -> Result<(), JsValue> {
        let values: Vec<Cow<'static, str>> = split_utf16(joined, &lens)?.into_iter().map(Cow::Owned).collect();
        self.add(name, keys.len(), Column::Dictionary { keys: Cow::Owned(keys), validity: validity(valid), values })
    }

    /// Loosely typed values (a mix of numbers, text, booleans, nulls), checked like a record's.
    #[wasm_bindgen(js_name = addValues)]
    pub fn add_values(
        &mut self,
        name: &str,
        #[wasm_bindgen(unchecked_param_type = "unknown[]")] values: Array,
    ) -> Result<(), JsValue> {
        let vals: Vec<Value> = values.iter().map(|v| value_from_js(&v)).collect();
        self.add(name, vals.len(), Column::Values(Cow::Owned(vals)))
    }

    /// Flags row `row` as not a record (a batch element that is not an object).
    #[wasm_bindgen(js_name = flagNotARecord)]
    pub fn flag_not_a_record(&mut self, row: usize, #[wasm_bindgen(unchecked_param_type = "unknown")] value: JsValue) {
        if let Err(e) = record_from_js(&value) {
            self.not_records.push((row, e));
        }
    }
}
