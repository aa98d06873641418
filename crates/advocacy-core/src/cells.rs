//! Reading rows of text cells (CSV files, spreadsheets) into records for a model.

use crate::model::Model;
use crate::record::Record;
use crate::signal::{SignalSpec, Value};

/// Reads rows of text cells (a CSV file, a spreadsheet) into records for one model, the same way
/// everywhere: headers are trimmed, the id column's cell (trimmed, empty = none) is the id, each
/// known signal's cell is parsed by [`crate::SignalSpec::parse_text`], empty cells are left out
/// and other columns are ignored.
///
/// ```
/// use advocacy_core::{Model, Value};
/// let model = Model::default();
/// let reader = model.cell_reader(&["id", " nps ", "roi_achieved", "notes"], "id");
/// let r = reader.record(&["acme", "9", "yes", "anything"]);
/// assert_eq!(r.id.as_deref(), Some("acme"));
/// assert_eq!(r.get("nps"), Some(&Value::Number(9.0)));
/// assert_eq!(r.get("roi_achieved"), Some(&Value::Bool(true)));
/// assert!(r.get("notes").is_none());
/// ```
#[derive(Debug)]
pub struct CellReader<'m> {
    names: Vec<String>,
    specs: Vec<Option<&'m SignalSpec>>,
    id_column: String,
}

impl Model {
    /// A [`CellReader`] for rows with these headers.
    pub fn cell_reader<S: AsRef<str>>(&self, headers: &[S], id_column: &str) -> CellReader<'_> {
        let names: Vec<String> = headers.iter().map(|h| h.as_ref().trim().to_string()).collect();
        let specs = names.iter().map(|h| if h == id_column { None } else { self.signal(h) }).collect();
        CellReader { names, specs, id_column: id_column.to_string() }
    }
}

impl CellReader<'_> {
    /// The trimmed headers.
    pub fn headers(&self) -> &[String] {
        &self.names
    }
    /// Whether a header is a signal of the model.
    pub fn is_signal(&self, column: usize) -> bool {
        self.specs.get(column).is_some_and(Option::is_some)
    }
    /// One row of cells as a record (missing trailing cells are missing values).
    pub fn record<S: AsRef<str>>(&self, cells: &[S]) -> Record {
        let mut rec = Record::new();
        for ((h, cell), spec) in self.names.iter().zip(cells).zip(&self.specs) {
            let cell = cell.as_ref();
            if *h == self.id_column {
                let id = cell.trim();
                rec.id = (!id.is_empty()).then(|| id.to_string());
            } else if let Some(spec) = spec {
                let v = spec.parse_text(cell);
                if v != Value::Null {
                    rec.values.insert(h.clone(), v);
                }
            }
        }
        rec
    }
}
