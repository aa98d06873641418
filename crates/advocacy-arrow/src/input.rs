//! Arrow arrays -> core columns.
//!
//! Two steps, because a column borrows from its array: [`normalize`] casts the types the core has
//! no column for (narrow integers, float32, decimals, dictionaries of numbers) into ones it has,
//! and [`to_column`] borrows the buffers: Float64 and Int64 values and every validity bitmap are
//! used in place (zero-copy), text is borrowed string by string, dictionaries keep their keys.
//! Binary columns are text in UTF-8 (borrowed, never their hex form); a cell that is not UTF-8
//! is missing in the column and reported to the caller, which flags its row. Types with no
//! meaning for a signal (dates, lists, structs) become their text form, which the core then
//! rejects under number and boolean signals like any other text.

use std::borrow::Cow;

use advocacy_core::{Bitmap, Column};
use arrow_array::cast::AsArray;
use arrow_array::types::{Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type, UInt32Type, UInt64Type, UInt8Type};
use arrow_array::{Array, ArrayRef, DictionaryArray, PrimitiveArray};
use arrow_buffer::NullBuffer;
use arrow_cast::display::{ArrayFormatter, FormatOptions};
use arrow_schema::DataType;

/// Text cut at 200 characters (with `...`), as values in messages are.
pub fn truncate(s: &str) -> String {
    if s.len() > 200 {
        let cut: String = s.chars().take(200).collect();
        format!("{cut}...")
    } else {
        s.to_string()
    }
}

/// A cell of bytes that are not UTF-8, as an error shows it (`b"..."`, escaped).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotUtf8(pub String);

/// What is allowed instead of bytes that are not UTF-8.
pub const UTF8_ALLOWED: &str = "text in UTF-8";

/// Bytes as text: UTF-8, or the bytes as an error shows them.
pub fn bytes_text(b: &[u8]) -> Result<&str, NotUtf8> {
    std::str::from_utf8(b)
        .map_err(|_| NotUtf8(format!("b\"{}\"", advocacy_core::printable(&b.escape_ascii().to_string(), 80))))
}

/// Cells of a column that could not be read (bytes that are not UTF-8), by row of the array.
pub type BadCells = Vec<(usize, NotUtf8)>;

/// Binary cells as text: UTF-8 borrowed; others missing and listed in `bad`.
fn binary<'a>(cells: impl Iterator<Item = Option<&'a [u8]>>, bad: &mut BadCells) -> Column<'a> {
    let mut out = Vec::new();
    for (i, cell) in cells.enumerate() {
        out.push(match cell.map(bytes_text) {
            None => None,
            Some(Ok(t)) => Some(Cow::Borrowed(t)),
            Some(Err(e)) => {
                bad.push((i, e));
                None
            }
        });
    }
    Column::Text(out)
}

fn is_text(t: &DataType) -> bool {
    matches!(t, DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View)
}

/// Casts an array into a type that [`to_column`] reads directly (cheap `Arc` clone when it already is one).
pub fn normalize(array: &ArrayRef) -> ArrayRef {
    let t = array.data_type();
    let target = match t {
        DataType::Float64 | DataType::Int64 | DataType::Boolean | DataType::Null => return array.clone(),
        t if is_text(t) => return array.clone(),
        DataType::Dictionary(_, v) if is_text(v) => return array.clone(),
        // A dictionary of numbers or booleans: its values decide.
        DataType::Dictionary(_, v) => (**v).clone(),
        DataType::UInt64 => DataType::Float64,
        t if t.is_integer() => DataType::Int64,
        t if t.is_numeric() => DataType::Float64,
        _ => return array.clone(),
    };
    match arrow_cast::cast(array.as_ref(), &target) {
        Ok(a) if a.data_type() != t => normalize(&a),
        _ => array.clone(),
    }
}

/// An observation date column for `Columns::set_observed`: Arrow dates and timestamps as whole
/// day numbers since 1970-01-01 (Int64; a timestamp with a time zone on its date there), text
/// (and binary) as it is; numbers as floats and booleans as they are, which the core refuses as
/// dates (a number is no date), and other types as their text.
pub fn observed_array(array: &ArrayRef) -> ArrayRef {
    let t = array.data_type();
    let cast = |to: &DataType| arrow_cast::cast(array.as_ref(), to);
    match t {
        DataType::Date32 | DataType::Date64 | DataType::Timestamp(_, _) => {
            let days = match t {
                DataType::Date32 => Ok(array.clone()),
                // A zone arrow cannot resolve: the date in UTC.
                DataType::Timestamp(unit, Some(_)) => cast(&DataType::Date32).or_else(|_| {
                    cast(&DataType::Timestamp(*unit, None))
                        .and_then(|a| arrow_cast::cast(a.as_ref(), &DataType::Date32))
                }),
                _ => cast(&DataType::Date32),
            };
            match days.and_then(|d| arrow_cast::cast(d.as_ref(), &DataType::Int64)) {
                Ok(a) => a,
                Err(_) => formatted_array(array),
            }
        }
        t if is_text(t) => array.clone(),
        DataType::Null | DataType::Boolean | DataType::Float64 => array.clone(),
        DataType::Binary | DataType::LargeBinary | DataType::BinaryView | DataType::FixedSizeBinary(_) => array.clone(),
        DataType::Dictionary(_, v) if is_text(v) => array.clone(),
        // A dictionary of other values: its values decide.
        DataType::Dictionary(_, v) => match cast(v) {
            Ok(a) if a.data_type() != t => observed_array(&a),
            _ => formatted_array(array),
        },
        t if t.is_numeric() => cast(&DataType::Float64).unwrap_or_else(|_| formatted_array(array)),
        _ => formatted_array(array),
    }
}

/// An array as text (its Arrow display form, as [`to_column`] shows types it has no column for).
fn formatted_array(array: &ArrayRef) -> ArrayRef {
    let n = array.len();
    let options = FormatOptions::default();
    let fmt = ArrayFormatter::try_new(array.as_ref(), &options);
    let name = format!("<{}>", array.data_type());
    let mut out: Vec<Option<String>> = Vec::with_capacity(n);
    for i in 0..n {
        if array.is_null(i) {
            out.push(None);
            continue;
        }
        out.push(Some(match &fmt {
            Ok(f) => truncate(&f.value(i).to_string()),
            Err(_) => name.clone(),
        }));
    }
    std::sync::Arc::new(arrow_array::StringArray::from(out))
}

/// The validity bitmap of an array, borrowed; `None` when every value is present.
fn validity(nulls: Option<&NullBuffer>) -> Option<Bitmap<'_>> {
    let nulls = nulls.filter(|n| n.null_count() > 0)?;
    let inner = nulls.inner();
    Some(Bitmap::new(Cow::Borrowed(inner.values()), inner.offset()))
}

fn all_missing(n: usize) -> Column<'static> {
    Column::Float { values: Cow::Owned(vec![f64::NAN; n]), validity: None }
}

/// Row `i`'s text form (used for types the core has no column for), `None` when null.
fn formatted(array: &dyn Array) -> Column<'static> {
    let n = array.len();
    let options = FormatOptions::default();
    let fmt = ArrayFormatter::try_new(array, &options);
    let name = format!("<{}>", array.data_type());
    let mut out: Vec<Option<Cow<'static, str>>> = Vec::with_capacity(n);
    for i in 0..n {
        if array.is_null(i) {
            out.push(None);
            continue;
        }
        let text = match &fmt {
            Ok(f) => truncate(&f.value(i).to_string()),
            Err(_) => name.clone(),
        };
        out.push(Some(Cow::Owned(text)));
    }
    Column::Text(out)
}

fn text<'a>(o: Option<&'a str>) -> Cow<'a, str> {
    match o {
        Some(s) => Cow::Borrowed(s),
        None => Cow::Borrowed(""),
    }
}

fn dict_values(values: &ArrayRef) -> Vec<Cow<'_, str>> {
    if let Some(s) = values.as_string_opt::<i32>() {
        s.iter().map(text).collect()
    } else if let Some(s) = values.as_string_opt::<i64>() {
        s.iter().map(text).collect()
    } else if let Some(s) = values.as_string_view_opt() {
        s.iter().map(text).collect()
    } else {
        Vec::new()
    }
}

/// The keys as `u32`; a null row's key (whatever its slot holds, e.g. pandas' -1) is 0, so that
/// it indexes a value like every other row's (the row stays missing by its validity bit).
fn keys_u32<K: arrow_array::types::ArrowDictionaryKeyType>(keys: &PrimitiveArray<K>) -> Vec<u32>
where
    K::Native: TryInto<u32>,
{
    keys.values()
        .iter()
        .enumerate()
        .map(|(i, k)| if keys.is_null(i) { 0 } else { (*k).try_into().unwrap_or(u32::MAX) })
        .collect()
}

fn dictionary<K: arrow_array::types::ArrowDictionaryKeyType>(d: &DictionaryArray<K>) -> Column<'_>
where
    K::Native: TryInto<u32>,
{
    Column::Dictionary {
        keys: Cow::Owned(keys_u32(d.keys())),
        validity: validity(d.keys().nulls()),
        values: dict_values(d.values()),
    }
}

/// The core column of a [`normalize`]d array, borrowing its buffers, and the cells it could
/// not read.
pub fn to_column(array: &ArrayRef) -> (Column<'_>, BadCells) {
    let mut bad = Vec::new();
    let col = match array.data_type() {
        DataType::Binary => match array.as_binary_opt::<i32>() {
            Some(a) => binary(a.iter(), &mut bad),
            None => formatted(array.as_ref()),
        },
        DataType::LargeBinary => match array.as_binary_opt::<i64>() {
            Some(a) => binary(a.iter(), &mut bad),
            None => formatted(array.as_ref()),
        },
        DataType::BinaryView => match array.as_binary_view_opt() {
            Some(a) => binary(a.iter(), &mut bad),
            None => formatted(array.as_ref()),
        },
        DataType::FixedSizeBinary(_) => match array.as_fixed_size_binary_opt() {
            Some(a) => binary(a.iter(), &mut bad),
            None => formatted(array.as_ref()),
        },
        _ => typed_column(array),
    };
    (col, bad)
}

fn typed_column(array: &ArrayRef) -> Column<'_> {
    let n = array.len();
    match array.data_type() {
        DataType::Null => all_missing(n),
        DataType::Float64 => match array.as_primitive_opt::<arrow_array::types::Float64Type>() {
            Some(a) => Column::Float { values: Cow::Borrowed(&a.values()[..]), validity: validity(a.nulls()) },
            None => formatted(array.as_ref()),
        },
        DataType::Int64 => match array.as_primitive_opt::<Int64Type>() {
            Some(a) => Column::Int { values: Cow::Borrowed(&a.values()[..]), validity: validity(a.nulls()) },
            None => formatted(array.as_ref()),
        },
        DataType::Boolean => match array.as_boolean_opt() {
            Some(a) => {
                let v = a.values();
                Column::Bool {
                    values: Bitmap::new(Cow::Borrowed(v.values()), v.offset()),
                    validity: validity(a.nulls()),
                }
            }
            None => formatted(array.as_ref()),
        },
        DataType::Utf8 => match array.as_string_opt::<i32>() {
            Some(a) => Column::Text(a.iter().map(|o| o.map(Cow::Borrowed)).collect()),
            None => formatted(array.as_ref()),
        },
        DataType::LargeUtf8 => match array.as_string_opt::<i64>() {
            Some(a) => Column::Text(a.iter().map(|o| o.map(Cow::Borrowed)).collect()),
            None => formatted(array.as_ref()),
        },
        DataType::Utf8View => match array.as_string_view_opt() {
            Some(a) => Column::Text(a.iter().map(|o| o.map(Cow::Borrowed)).collect()),
            None => formatted(array.as_ref()),
        },
        DataType::Dictionary(k, v) if is_text(v) => {
            let any = array.as_any();
            let col = match **k {
                DataType::UInt32 => any.downcast_ref::<DictionaryArray<UInt32Type>>().map(|d| {
                    let keys = d.keys();
                    let n = d.values().len();
                    // Borrowed as they are, unless a null row's slot holds a key out of range.
                    let clean = (0..keys.len()).all(|i| keys.is_valid(i) || (keys.values()[i] as usize) < n.max(1));
                    Column::Dictionary {
                        keys: if clean { Cow::Borrowed(&keys.values()[..]) } else { Cow::Owned(keys_u32(keys)) },
                        validity: validity(keys.nulls()),
                        values: dict_values(d.values()),
                    }
                }),
                DataType::Int8 => any.downcast_ref::<DictionaryArray<Int8Type>>().map(dictionary),
                DataType::Int16 => any.downcast_ref::<DictionaryArray<Int16Type>>().map(dictionary),
                DataType::Int32 => any.downcast_ref::<DictionaryArray<Int32Type>>().map(dictionary),
                DataType::Int64 => any.downcast_ref::<DictionaryArray<Int64Type>>().map(dictionary),
                DataType::UInt8 => any.downcast_ref::<DictionaryArray<UInt8Type>>().map(dictionary),
                DataType::UInt16 => any.downcast_ref::<DictionaryArray<UInt16Type>>().map(dictionary),
                DataType::UInt64 => any.downcast_ref::<DictionaryArray<UInt64Type>>().map(dictionary),
                _ => None,
            };
            match col {
                Some(c) => c,
                None => formatted(array.as_ref()),
            }
        }
        _ => formatted(array.as_ref()),
    }
}

/// A text array (Utf8, LargeUtf8, Utf8View) as a dictionary of its distinct values, read straight
/// from Arrow's buffers: one key per row (`u32`), the values borrowed, the validity bitmap used in
/// place. Rules that compare text (categories, target lists, value maps, text parsed as numbers
/// or booleans) then look at each distinct value once instead of at every row, and no per-row
/// text column is built. `None` for other types (read them with [`to_column`]).
///
/// The dictionary is a representation only: a value may appear in it more than once (short
/// Utf8View strings are told apart by their 16-byte view, which holds them whole), and the core
/// reads a dictionary column exactly as it reads the same text row by row.
pub fn text_dictionary(array: &ArrayRef) -> Option<Column<'_>> {
    // Text arrays have no logical nulls beyond their validity bitmap; a null row keeps key 0.
    let nulls = array.nulls().filter(|n| n.null_count() > 0);
    let mut keys = vec![0u32; array.len()];
    let mut dict = Dict::default();
    match array.data_type() {
        DataType::Utf8 => {
            let a = array.as_string_opt::<i32>()?;
            each_valid(&mut keys, nulls, |i| dict.text(a.value(i)));
        }
        DataType::LargeUtf8 => {
            let a = array.as_string_opt::<i64>()?;
            each_valid(&mut keys, nulls, |i| dict.text(a.value(i)));
        }
        DataType::Utf8View => {
            let a = array.as_string_view_opt()?;
            let views = a.views();
            each_valid(&mut keys, nulls, |i| {
                let view = views[i];
                // The low 32 bits are the length; up to 12 bytes live in the view itself.
                if (view as u32) <= 12 {
                    dict.short(view, || a.value(i))
                } else {
                    dict.text(a.value(i))
                }
            });
        }
        _ => return None,
    }
    Some(Column::Dictionary { keys: Cow::Owned(keys), validity: validity(nulls), values: dict.values })
}

/// `keys[i] = key(i)` for the rows that are not null.
#[inline(always)]
fn each_valid(keys: &mut [u32], nulls: Option<&NullBuffer>, mut key: impl FnMut(usize) -> u32) {
    match nulls {
        None => keys.iter_mut().enumerate().for_each(|(i, k)| *k = key(i)),
        Some(nb) => nb.valid_indices().for_each(|i| keys[i] = key(i)),
    }
}

/// Slots of [`Dict`]'s cache of recent values (a power of two).
const CACHE: usize = 64;

/// The distinct values seen so far; value 0 is the empty text, which null rows point at. Before
/// its hash maps, a small cache by length and first bytes answers for the few values a column of
/// categories has (checked against the whole text, so it is never wrong, only sometimes missed).
struct Dict<'a> {
    values: Vec<Cow<'a, str>>,
    by_text: std::collections::HashMap<&'a str, u32, rustc_hash::FxBuildHasher>,
    by_view: std::collections::HashMap<u128, u32, rustc_hash::FxBuildHasher>,
    /// (tag, key + 1) by slot; 0 is an empty slot.
    text_cache: [(u64, u32); CACHE],
    /// (view, key + 1) by slot.
    view_cache: [(u128, u32); CACHE],
}

impl Default for Dict<'_> {
    fn default() -> Self {
        Dict {
            values: vec![Cow::Borrowed("")],
            by_text: Default::default(),
            by_view: Default::default(),
            text_cache: [(0, 0); CACHE],
            view_cache: [(0, 0); CACHE],
        }
    }
}

/// A cache slot of a 64-bit tag.
#[inline(always)]
fn slot(tag: u64) -> usize {
    (tag.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58) as usize % CACHE
}

impl<'a> Dict<'a> {
    fn push(values: &mut Vec<Cow<'a, str>>, s: &'a str) -> u32 {
        values.push(Cow::Borrowed(s));
        (values.len() - 1) as u32
    }
    #[inline(always)]
    fn text(&mut self, s: &'a str) -> u32 {
        let b = s.as_bytes();
        // Up to 7 bytes and the length: the tag is the text itself; else its start and length.
        let head = match b.get(..8) {
            Some(h) => u64::from_le_bytes([h[0], h[1], h[2], h[3], h[4], h[5], h[6], 0]),
            None => b.iter().rev().fold(0u64, |acc, &c| (acc << 8) | c as u64),
        };
        let tag = head | ((b.len().min(255) as u64) << 56);
        let at = slot(tag);
        let (t, k) = self.text_cache[at];
        if k != 0 && t == tag && (b.len() <= 7 || self.values.get(k as usize - 1).is_some_and(|v| v.as_ref() == s)) {
            return k - 1;
        }
        let values = &mut self.values;
        let key = *self.by_text.entry(s).or_insert_with(|| Self::push(values, s));
        self.text_cache[at] = (tag, key + 1);
        key
    }
    #[inline(always)]
    fn short(&mut self, view: u128, s: impl FnOnce() -> &'a str) -> u32 {
        let at = slot(view as u64 ^ (view >> 64) as u64);
        let (v, k) = self.view_cache[at];
        if k != 0 && v == view {
            return k - 1;
        }
        let values = &mut self.values;
        let key = *self.by_view.entry(view).or_insert_with(|| Self::push(values, s()));
        self.view_cache[at] = (view, key + 1);
        key
    }
}
