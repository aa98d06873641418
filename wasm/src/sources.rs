//! Several sources of the same accounts, joined and scored by the core (`Model::score_sources`).
//!
//! The wrapper hands over the JSON form of the core's `SourcesInput`. Each source's mapping
//! (an object, or its JSON text as the other functions take it) and each date are read here by
//! the core's own readers before the whole input is, so that a bad one is the core's error with
//! its path in the mapping, named after its source (`sources.crm.columns.columns.Owner`), not
//! serde's text about the whole input.

use advocacy_core::{ColumnMapping, Date, Error, ModelError, SourceError, SourcesError, SourcesInput};
use serde_json::Value as Json;
use wasm_bindgen::JsValue;

use crate::convert::{internal, read_strict_model, throw};

/// The value to throw for an error of source `name`: the core's envelope of a `SourceError`.
fn source_error(name: &str, error: Error) -> JsValue {
    throw(&SourcesError::Source(SourceError { source_name: name.to_string(), error }))
}

/// A source's mapping read by the core's mapping reader (`ColumnMapping::from_json` with the
/// core's rules for JSON text), its error's path prefixed by the field that holds it.
fn mapping_of(name: &str, given: Json) -> Result<ColumnMapping, JsValue> {
    let text = match given {
        Json::String(t) => t,
        other => other.to_string(),
    };
    read_strict_model(&text, ColumnMapping::from_json).map_err(|mut e: ModelError| {
        e.path = if e.path.is_empty() { "columns".to_string() } else { format!("columns.{}", e.path) };
        source_error(name, e.into())
    })
}

/// The core's `SourcesInput` from its JSON text (written by the wrapper, which has checked the
/// shape of every field; a source's `columns` may also be a mapping's JSON text).
pub fn input_of(text: &str) -> Result<SourcesInput, JsValue> {
    let mut v: Json = serde_json::from_str(text).map_err(|e| internal(&e))?;
    if let Some(Json::String(d)) = v.get("as_of") {
        d.parse::<Date>().map_err(throw)?;
    }
    let mut mappings = Vec::new();
    if let Some(sources) = v.get_mut("sources").and_then(Json::as_array_mut) {
        for s in sources.iter_mut() {
            let name = s.get("name").and_then(Json::as_str).unwrap_or_default().to_string();
            if let Some(Json::String(d)) = s.get("date") {
                d.parse::<Date>().map_err(|e| source_error(&name, e.into()))?;
            }
            let given = s.as_object_mut().and_then(|o| o.remove("columns")).filter(|c| !c.is_null());
            mappings.push(given.map(|m| mapping_of(&name, m)).transpose()?);
        }
    }
    let mut input: SourcesInput = serde_json::from_value(v).map_err(|e| internal(&e))?;
    for (source, mapping) in input.sources.iter_mut().zip(mappings) {
        source.columns = mapping;
    }
    Ok(input)
}
