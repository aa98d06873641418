//! Records from text cells (a CSV's rows), read by the core's `TableReader`, handed to JS as
//! columns in the module's memory. JS builds the record objects from views of these buffers:
//! building them here, property by property across the boundary, made V8 collect garbage in
//! proportion to everything built so far (400,000 rows took 72 s).

use std::collections::HashMap;

use advocacy_core::{TableReader, Value};
use wasm_bindgen::prelude::*;

use crate::columns::Utf16Split;

/// What a cell read as (`CellsOut::tags`).
const MISSING: u8 = 0;
const NUMBER: u8 = 1;
const TRUE: u8 = 2;
const FALSE: u8 = 3;
const TEXT: u8 = 4;

/// The records of a table as a row-major grid of the id (when the table has an id column) and
/// the signal columns: per cell a tag (0 missing, 1 number, 2 true, 3 false, 4 text) and a
/// number (the value, or the index of the text in `texts`). Internal: the wrapper's
/// `recordsFromCells` reads it and frees it.
#[wasm_bindgen]
pub struct CellsOut {
    names: Vec<String>,
    has_id: bool,
    rows: usize,
    tags: Vec<u8>,
    nums: Vec<f64>,
    texts: String,
    text_lens: Vec<u32>,
}

#[wasm_bindgen]
impl CellsOut {
    /// The signal of each column, in header order (after the id, if any).
    pub fn names(&self) -> Vec<String> {
        self.names.clone()
    }
    /// Whether the first column is the id.
    #[wasm_bindgen(js_name = hasId)]
    pub fn has_id(&self) -> bool {
        self.has_id
    }
    /// The number of records.
    pub fn rows(&self) -> usize {
        self.rows
    }
    /// Where the tags start in the module's memory (`rows × columns` bytes).
    #[wasm_bindgen(js_name = tagsPtr)]
    pub fn tags_ptr(&self) -> usize {
        self.tags.as_ptr() as usize
    }
    /// Where the numbers start (`rows × columns` f64).
    #[wasm_bindgen(js_name = numsPtr)]
    pub fn nums_ptr(&self) -> usize {
        self.nums.as_ptr() as usize
    }
    /// The texts, joined (each distinct signal text once; every id).
    pub fn texts(&self) -> String {
        self.texts.clone()
    }
    /// Where the texts' UTF-16 lengths start (`textCount()` u32).
    #[wasm_bindgen(js_name = textLensPtr)]
    pub fn text_lens_ptr(&self) -> usize {
        self.text_lens.as_ptr() as usize
    }
    /// How many texts there are.
    #[wasm_bindgen(js_name = textCount)]
    pub fn text_count(&self) -> usize {
        self.text_lens.len()
    }
}

struct Texts {
    joined: String,
    lens: Vec<u32>,
    index: HashMap<String, u32>,
}

impl Texts {
    fn push(&mut self, s: &str) -> f64 {
        self.joined.push_str(s);
        self.lens.push(s.encode_utf16().count() as u32);
        (self.lens.len() - 1) as f64
    }
    fn shared(&mut self, s: &str) -> f64 {
        if let Some(&k) = self.index.get(s) {
            return k as f64;
        }
        let k = self.push(s);
        self.index.insert(s.to_string(), k as u32);
        k
    }
}

/// Reads the rows of `width` cells (joined, with their UTF-16 lengths) with `reader`.
pub fn read(reader: &TableReader<'_>, width: usize, joined: &str, lens: &[u32]) -> Result<CellsOut, JsValue> {
    let plan = reader.plan();
    let signals: Vec<String> = (0..width).filter_map(|i| plan.signal_of(i).map(str::to_string)).collect();
    let has_id = plan.id_column().is_some();
    let cols = signals.len() + usize::from(has_id);
    let rows = lens.len().checked_div(width).unwrap_or(0);
    let mut tags = Vec::with_capacity(rows * cols);
    let mut nums = Vec::with_capacity(rows * cols);
    let mut texts = Texts { joined: String::new(), lens: Vec::new(), index: HashMap::new() };
    let mut split = Utf16Split::new(joined);
    let mut row: Vec<&str> = Vec::with_capacity(width);
    for chunk in lens.chunks_exact(width.max(1)).take(rows) {
        row.clear();
        for &n in chunk {
            row.push(split.take(n)?);
        }
        let (rec, _name) = reader.record(&row);
        if has_id {
            match &rec.id {
                Some(id) => {
                    tags.push(TEXT);
                    nums.push(texts.push(id));
                }
                None => {
                    tags.push(MISSING);
                    nums.push(0.0);
                }
            }
        }
        for s in &signals {
            let (tag, num) = match rec.values.get(s) {
                None | Some(Value::Null) => (MISSING, 0.0),
                Some(Value::Number(x)) => (NUMBER, *x),
                Some(Value::Bool(true)) => (TRUE, 0.0),
                Some(Value::Bool(false)) => (FALSE, 0.0),
                Some(Value::Text(t)) => (TEXT, texts.shared(t)),
            };
            tags.push(tag);
            nums.push(num);
        }
    }
    Ok(CellsOut { names: signals, has_id, rows, tags, nums, texts: texts.joined, text_lens: texts.lens })
}
