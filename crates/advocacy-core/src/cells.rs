//! Reading rows of text cells (CSV files, spreadsheets) into records for a model, through the
//! column plan (see [`crate::ColumnPlan`]).

use crate::mapping::{ColumnMapping, ColumnPlan};
use crate::model::Model;
use crate::record::Record;
use crate::signal::{SignalSpec, Value};

/// Reads rows of text cells into records by a [`ColumnPlan`]: the id and name columns, each
/// signal column's cell through the plan's value map and [`SignalSpec::parse_cell`] with the
/// plan's [`crate::ReadOptions`]; empty cells are left out.
///
/// ```
/// use advocacy_core::{ColumnMapping, Model, Value};
/// let model = Model::default();
/// let mapping = ColumnMapping::from_toml("decimal_comma = true\n[values.segment]\nCommercial = \"mid_market\"").unwrap();
/// let reader = model.table_reader(&["Account ID", "Account Name", "Health Score", "Segment"], &mapping).unwrap();
/// let (r, name) = reader.record(&["acme", "Acme GmbH", "85,5", "Commercial"]);
/// assert_eq!(r.id.as_deref(), Some("acme"));
/// assert_eq!(name.as_deref(), Some("Acme GmbH"));
/// assert_eq!(r.get("health_score"), Some(&Value::Number(85.5)));
/// assert_eq!(r.get("segment"), Some(&Value::Text("mid_market".into())));
/// ```
#[derive(Debug)]
pub struct TableReader<'m> {
    plan: ColumnPlan,
    specs: Vec<Option<&'m SignalSpec>>,
}

impl Model {
    /// A [`TableReader`] for rows with these headers, read by `mapping` on top of the automatic
    /// matching (see [`Model::read_columns`]).
    pub fn table_reader<S: AsRef<str>>(
        &self,
        headers: &[S],
        mapping: &ColumnMapping,
    ) -> Result<TableReader<'_>, crate::ModelError> {
        let plan = self.read_columns(headers, mapping)?;
        let specs = (0..headers.len()).map(|i| plan.signal_of(i).and_then(|s| self.signal(s))).collect();
        Ok(TableReader { plan, specs })
    }
}

impl TableReader<'_> {
    /// How each column is read.
    pub fn plan(&self) -> &ColumnPlan {
        &self.plan
    }

    /// One row of cells as a record, and the row's name cell (missing trailing cells are
    /// missing values).
    pub fn record<S: AsRef<str>>(&self, cells: &[S]) -> (Record, Option<String>) {
        let mut rec = Record::new();
        let mut name = None;
        let (id_col, name_col) = (self.plan.id_column(), self.plan.name_column());
        for (i, (cell, spec)) in cells.iter().zip(&self.specs).enumerate() {
            let cell = cell.as_ref();
            if Some(i) == id_col {
                rec.id = Value::Text(cell.to_string()).to_id();
            } else if Some(i) == name_col {
                name = Some(cell.trim()).filter(|s| !s.is_empty()).map(str::to_string);
            } else if let Some(spec) = spec {
                let cell = self.plan.map_value(&spec.name, cell);
                let v = spec.parse_cell(cell, &self.plan.options);
                if v != Value::Null {
                    rec.values.insert(spec.name.clone(), v);
                }
            }
        }
        (rec, name)
    }
}
