//! `advocacy._core`: the Python binding of `advocacy-core`.
//!
//! The binding converts values and calls the core; it holds no scoring rules of its own.
//! Tables arrive through the Arrow PyCapsule interface (pyo3-arrow), are scored column by column
//! by `Model::score_columns` without the GIL, and leave as Arrow tables that `advocacy/_frames.py`
//! turns back into the caller's kind of table.

use std::collections::HashMap;

use advocacy_core::{MissingPolicy, Model as CoreModel, ModelErrorKind, OnError, Score as CoreScore, Value};
use arrow_array::{RecordBatch, RecordBatchReader};
use pyo3::exceptions::PyTypeError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use pyo3_arrow::{PyRecordBatch, PyRecordBatchReader, PyTable};

mod arrow_in;
mod convert;
mod errors;
mod frame;
mod html;
mod program;
mod util;

use errors::{core_error, model_error, model_error_new, signal_error, ModelError, SignalError};
use frame::{Args, Fail, Input, Mode};
use util::OrValue;

fn to_py<'py, T: serde::Serialize + ?Sized>(py: Python<'py>, v: &T) -> PyResult<Bound<'py, PyAny>> {
    pythonize::pythonize(py, v).map_err(|e| PyTypeError::new_err(format!("converting a result to Python: {e}")))
}

/// An advocacy scoring model (immutable: the `with_*` methods return new models).
#[pyclass(frozen, module = "advocacy", name = "Model", eq, skip_from_py_object)]
#[derive(Clone, PartialEq)]
pub struct Model {
    inner: CoreModel,
}

/// An account's explained advocacy score.
#[pyclass(frozen, module = "advocacy", name = "Score", eq, skip_from_py_object)]
#[derive(Clone, PartialEq)]
pub struct Score {
    inner: CoreScore,
}

fn text_list(name: &str, v: &Bound<'_, PyAny>) -> PyResult<Vec<String>> {
    if let Ok(s) = v.cast::<PyString>() {
        return Ok(vec![convert::py_str(s)]);
    }
    let iter = v.try_iter().map_err(|_| PyTypeError::new_err(format!("{name}: needs a list of text")))?;
    let mut out = Vec::new();
    for item in iter {
        let item = item?;
        match item.cast::<PyString>() {
            Ok(s) => out.push(convert::py_str(s)),
            Err(_) => return Err(PyTypeError::new_err(format!("{name}: every entry must be text"))),
        }
    }
    Ok(out)
}

fn parse_on_error(on_error: &str) -> PyResult<OnError> {
    match on_error {
        "raise" => Ok(OnError::Fail),
        "flag" => Ok(OnError::Flag),
        other => Err(PyTypeError::new_err(format!("on_error: {other:?}; allowed: \"raise\", \"flag\""))),
    }
}

/// Reads the caller's table into Arrow batches (pyo3-arrow; zero-copy where the producer allows).
fn import_table(obj: &Bound<'_, PyAny>) -> PyResult<(Vec<RecordBatch>, arrow_schema::SchemaRef)> {
    let py = obj.py();
    let bad = |e: PyErr| {
        PyTypeError::new_err(format!(
            "table: could not read it as an Arrow table ({e}); pass a pandas, polars or pyarrow table or an object with __arrow_c_stream__"
        ))
    };
    if obj.hasattr(intern!(py, "__arrow_c_stream__")).or_value(false) {
        let reader: PyRecordBatchReader = obj.extract().map_err(bad)?;
        let reader = reader.into_reader().map_err(bad)?;
        let schema = reader.schema();
        let mut batches = Vec::new();
        for b in reader {
            batches.push(b.map_err(|e| PyTypeError::new_err(format!("table: reading its Arrow stream: {e}")))?);
        }
        return Ok((batches, schema));
    }
    if obj.hasattr(intern!(py, "__arrow_c_array__")).or_value(false) {
        let b: PyRecordBatch = obj.extract().map_err(bad)?;
        let b = b.into_inner();
        let schema = b.schema();
        return Ok((vec![b], schema));
    }
    Err(PyTypeError::new_err(format!(
        "table: needs a pandas, polars or pyarrow table, or an object with __arrow_c_stream__ / __arrow_c_array__; got {}",
        obj.get_type().name().map(|n| n.to_string()).or_value(String::new())
    )))
}

fn fail(py: Python<'_>, f: Fail) -> PyErr {
    match f {
        Fail::Core(e) => core_error(py, &e),
        Fail::Type(m) => PyTypeError::new_err(m),
    }
}

impl Model {
    fn check(py: Python<'_>, m: CoreModel) -> PyResult<Model> {
        m.validate().map_err(|e| model_error(py, &e))?;
        Ok(Model { inner: m })
    }

    /// score_frame / rank / explain_frame: prepare in Python, score in Rust, finish in Python.
    #[allow(clippy::too_many_arguments)]
    fn table_op<'py>(
        &self,
        py: Python<'py>,
        table: &Bound<'py, PyAny>,
        mode: Mode,
        on_error: &str,
        id_column: Option<String>,
        rename: Option<HashMap<String, String>>,
        keep: Option<Vec<String>>,
        as_of: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let on_error = parse_on_error(on_error)?;
        let as_of = convert::py_to_date(as_of)?;
        let frames = py.import(intern!(py, "advocacy._frames"))?;
        // (kind, arrow object, {column: [python values]} for columns Arrow could not carry, original)
        let prepared = frames.call_method1(intern!(py, "prepare"), (table,))?;
        let (kind, arrow_obj, objcols, original): (String, Bound<'py, PyAny>, Bound<'py, PyDict>, Bound<'py, PyAny>) =
            prepared.extract()?;
        let (batches, schema) = import_table(&arrow_obj)?;
        let mut obj_columns = Vec::new();
        for (k, v) in objcols.iter() {
            let name: String = k.extract()?;
            let list = v.cast::<PyList>().map_err(|_| PyTypeError::new_err("internal: object column is not a list"))?;
            let vals: Vec<Value> = list.iter().map(|x| convert::py_to_value(&x)).collect();
            obj_columns.push((name, vals));
        }
        let input = Input { batches, schema, objcols: obj_columns };
        let pandas = kind == "pandas";
        let id_required = id_column.as_deref().is_some_and(|c| c != "id");
        let keep_list = keep.clone().or_value(Vec::new());
        let args = Args {
            on_error,
            id_column: id_column.clone(),
            id_required,
            rename: rename.or_value(HashMap::new()),
            keep: keep_list.clone(),
            carry: !pandas,
            with_row: pandas && matches!(mode, Mode::Rank(_)),
            as_of,
        };
        let model = &self.inner;
        let result = py.detach(|| frame::run(model, &input, &args, mode)).map_err(|f| fail(py, f))?;
        let schema = result.schema();
        let table = PyTable::try_new(vec![result], schema)?;
        let table = Bound::new(py, table)?;
        let mode_name = match mode {
            Mode::Score => "score",
            Mode::Rank(_) => "rank",
            Mode::Explain => "explain",
        };
        frames.call_method1(
            intern!(py, "finish"),
            (kind, original, table, mode_name, id_column, PyTuple::new(py, keep_list)?),
        )
    }
}

#[pymethods]
impl Model {
    /// The 100-point advocacy potential model of the domain guide.
    #[staticmethod]
    fn default() -> Model {
        Model { inner: CoreModel::default() }
    }

    /// Reads a model from JSON text.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Model> {
        CoreModel::from_json(text).map(|m| Model { inner: m }).map_err(|e| model_error(py, &e))
    }

    /// Reads a model from TOML text.
    #[staticmethod]
    fn from_toml(py: Python<'_>, text: &str) -> PyResult<Model> {
        CoreModel::from_toml(text).map(|m| Model { inner: m }).map_err(|e| model_error(py, &e))
    }

    /// Reads a model from a dict shaped like the JSON model file.
    #[staticmethod]
    fn from_dict(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Model> {
        let json = convert::nested_text_full(data).map_err(|e| {
            model_error_new(
                py,
                ModelErrorKind::Parse,
                "",
                "",
                "a dict shaped like the JSON model file",
                &format!("not a model dict: {e}"),
            )
        })?;
        Self::from_json(py, &json)
    }

    /// Reads a model file: `.toml` as TOML, anything else as JSON (or `format="json"|"toml"`).
    #[staticmethod]
    #[pyo3(signature = (path, format=None))]
    fn from_file(py: Python<'_>, path: std::path::PathBuf, format: Option<&str>) -> PyResult<Model> {
        let shown = path.display().to_string();
        let text = std::fs::read(&path).map_err(|e| {
            model_error_new(
                py,
                ModelErrorKind::Parse,
                "",
                &shown,
                "a readable model file (.json or .toml)",
                &format!("cannot read {shown}: {e}"),
            )
        })?;
        let text = String::from_utf8(text).map_err(|_| {
            model_error_new(py, ModelErrorKind::Parse, "", &shown, "UTF-8 text", &format!("{shown} is not UTF-8 text"))
        })?;
        let is_toml = match format {
            Some("toml") => true,
            Some("json") => false,
            Some(other) => {
                return Err(PyTypeError::new_err(format!("format: {other:?}; allowed: \"json\", \"toml\", None")))
            }
            None => path.extension().is_some_and(|e| e.eq_ignore_ascii_case("toml")),
        };
        if is_toml {
            Self::from_toml(py, &text)
        } else {
            Self::from_json(py, &text)
        }
    }

    /// The model as pretty JSON (`Model.from_json` reads it back unchanged).
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The model as TOML (`Model.from_toml` reads it back unchanged).
    fn to_toml(&self) -> String {
        self.inner.to_toml()
    }

    /// The model as a dict (the JSON model file's shape).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    /// The JSON Schema of the model file.
    #[staticmethod]
    fn json_schema() -> String {
        CoreModel::json_schema()
    }

    /// A copy with the program's target lists replaced (`None` keeps a list as it is).
    #[pyo3(signature = (industries=None, segments=None, regions=None))]
    fn with_targets(
        &self,
        py: Python<'_>,
        industries: Option<&Bound<'_, PyAny>>,
        segments: Option<&Bound<'_, PyAny>>,
        regions: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Model> {
        let mut m = self.inner.clone();
        if let Some(v) = industries.filter(|v| !v.is_none()) {
            m.targets.industries = text_list("industries", v)?;
        }
        if let Some(v) = segments.filter(|v| !v.is_none()) {
            m.targets.segments = text_list("segments", v)?;
        }
        if let Some(v) = regions.filter(|v| !v.is_none()) {
            m.targets.regions = text_list("regions", v)?;
        }
        Self::check(py, m)
    }

    /// A copy with another missing-data policy: "zero" (missing earns 0) or "rescale".
    fn with_missing(&self, py: Python<'_>, policy: &str) -> PyResult<Model> {
        let mut m = self.inner.clone();
        m.missing = match policy {
            "zero" => MissingPolicy::Zero,
            "rescale" => MissingPolicy::Rescale,
            other => {
                return Err(model_error_new(
                    py,
                    ModelErrorKind::InvalidValue,
                    "missing",
                    &format!("{other:?}"),
                    "zero, rescale",
                    "unknown missing-data policy",
                ))
            }
        };
        Self::check(py, m)
    }

    /// A copy where criterion `criterion_id` is worth `points`.
    fn with_points(&self, py: Python<'_>, criterion_id: &str, points: f64) -> PyResult<Model> {
        let mut m = self.inner.clone();
        let ids: Vec<String> = m.categories.iter().flat_map(|c| c.criteria.iter().map(|k| k.id.clone())).collect();
        let found = m.categories.iter_mut().flat_map(|c| c.criteria.iter_mut()).find(|k| k.id == criterion_id);
        match found {
            Some(k) => k.points = points,
            None => {
                return Err(model_error_new(
                    py,
                    ModelErrorKind::InvalidValue,
                    "categories[].criteria[].id",
                    criterion_id,
                    &ids.join(", "),
                    "unknown criterion",
                ))
            }
        }
        Self::check(py, m)
    }

    /// A copy with other tier thresholds (`None` keeps one as it is).
    #[pyo3(signature = (platinum=None, gold=None, silver=None))]
    fn with_tiers(
        &self,
        py: Python<'_>,
        platinum: Option<f64>,
        gold: Option<f64>,
        silver: Option<f64>,
    ) -> PyResult<Model> {
        let mut m = self.inner.clone();
        if let Some(v) = platinum {
            m.tiers.platinum = v;
        }
        if let Some(v) = gold {
            m.tiers.gold = v;
        }
        if let Some(v) = silver {
            m.tiers.silver = v;
        }
        Self::check(py, m)
    }

    /// The model's name.
    #[getter]
    fn name(&self) -> String {
        self.inner.name.clone()
    }

    /// What the model is for.
    #[getter]
    fn description(&self) -> String {
        self.inner.description.clone()
    }

    /// The missing-data policy: "zero" or "rescale".
    #[getter]
    fn missing(&self) -> &'static str {
        match self.inner.missing {
            MissingPolicy::Zero => "zero",
            MissingPolicy::Rescale => "rescale",
        }
    }

    /// The program's targets: {"industries": [...], "segments": [...], "regions": [...]}.
    #[getter]
    fn targets<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.targets)
    }

    /// Tier thresholds: {"platinum": 80, "gold": 60, "silver": 40}.
    #[getter]
    fn tiers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.tiers)
    }

    /// The categories with their criteria, as dicts.
    #[getter]
    fn categories<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.categories)
    }

    /// The most points an account can earn.
    #[getter]
    fn max_points(&self) -> f64 {
        self.inner.max_points()
    }

    /// Every signal the model knows (its own first, then the standard ones), as dicts.
    #[getter]
    fn signals<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let mut all: Vec<&advocacy_core::SignalSpec> = self.inner.signals.iter().collect();
        for s in advocacy_core::standard_signals() {
            if !all.iter().any(|x| x.name == s.name) {
                all.push(s);
            }
        }
        to_py(py, &all)
    }

    /// Notes about the model itself (e.g. target lists that are not set), as dicts.
    fn warnings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.warnings())
    }

    /// Scores one account (a mapping of signal names to values; its "id" is the account id).
    #[pyo3(signature = (record, as_of=None))]
    fn score(&self, py: Python<'_>, record: &Bound<'_, PyAny>, as_of: Option<&Bound<'_, PyAny>>) -> PyResult<Score> {
        let as_of = convert::py_to_date(as_of)?;
        let rec = convert::py_to_record(record, "id")?.map_err(|e| signal_error(py, &e))?;
        let res = match as_of {
            Some(d) => self.inner.score_as_of(&rec, d),
            None => self.inner.score(&rec),
        };
        res.map(|s| Score { inner: s }).map_err(|e| core_error(py, &e))
    }

    /// Scores a table: one row per account with the id column, score, tier, one column per
    /// category, completeness, max_possible and error. Returns the caller's kind of table.
    #[pyo3(signature = (table, *, on_error="raise", id_column=Some("id".to_string()), rename=None, keep=None))]
    #[pyo3(text_signature = "(self, /, table, *, on_error='raise', id_column='id', rename=None, keep=None)")]
    fn score_frame<'py>(
        &self,
        py: Python<'py>,
        table: &Bound<'py, PyAny>,
        on_error: &str,
        id_column: Option<String>,
        rename: Option<HashMap<String, String>>,
        keep: Option<Vec<String>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.table_op(py, table, Mode::Score, on_error, id_column, rename, keep, None)
    }

    /// Scores a table and returns the accounts best first (ties in input order, flagged rows
    /// last), the first `top` of them when given, with a `rank` column.
    #[pyo3(signature = (table, top=None, *, on_error="raise", id_column=Some("id".to_string()), rename=None, keep=None))]
    #[pyo3(text_signature = "(self, /, table, top=None, *, on_error='raise', id_column='id', rename=None, keep=None)")]
    #[allow(clippy::too_many_arguments)]
    fn rank<'py>(
        &self,
        py: Python<'py>,
        table: &Bound<'py, PyAny>,
        top: Option<&Bound<'py, PyAny>>,
        on_error: &str,
        id_column: Option<String>,
        rename: Option<HashMap<String, String>>,
        keep: Option<Vec<String>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let top = match top {
            None => None,
            Some(t) if t.is_none() => None,
            Some(t) => {
                if t.cast::<pyo3::types::PyBool>().is_ok() {
                    return Err(PyTypeError::new_err("top: needs a whole number >= 0 or None"));
                }
                let n: i64 = t.extract().map_err(|_| PyTypeError::new_err("top: needs a whole number >= 0 or None"))?;
                if n < 0 {
                    return Err(PyTypeError::new_err("top: needs a whole number >= 0 or None"));
                }
                Some(n as usize)
            }
        };
        self.table_op(py, table, Mode::Rank(top), on_error, id_column, rename, keep, None)
    }

    /// The long form: one row per account and criterion (row, id, category, criterion, label,
    /// signal, rule, outcome, value, points, max, total, tier, error).
    #[pyo3(signature = (table, *, on_error="raise", id_column=Some("id".to_string()), rename=None, as_of=None))]
    #[pyo3(text_signature = "(self, /, table, *, on_error='raise', id_column='id', rename=None, as_of=None)")]
    #[allow(clippy::too_many_arguments)]
    fn explain_frame<'py>(
        &self,
        py: Python<'py>,
        table: &Bound<'py, PyAny>,
        on_error: &str,
        id_column: Option<String>,
        rename: Option<HashMap<String, String>>,
        as_of: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.table_op(py, table, Mode::Explain, on_error, id_column, rename, None, as_of)
    }

    fn _repr_html_(&self) -> String {
        html::model_html(&self.inner)
    }

    /// Pickles as its JSON (so models travel to Dask/Spark workers).
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        let from_json = py.get_type::<Model>().getattr(intern!(py, "from_json"))?;
        Ok((from_json, (self.inner.to_json(),)))
    }

    fn __repr__(&self) -> String {
        let n: usize = self.inner.categories.iter().map(|c| c.criteria.len()).sum();
        format!(
            "Model(name={:?}, categories={}, criteria={}, max_points={}, missing={:?})",
            self.inner.name,
            self.inner.categories.len(),
            n,
            advocacy_core::fmt_num(self.inner.max_points()),
            self.missing()
        )
    }
}

#[pymethods]
impl Score {
    /// The account id, when the record had one.
    #[getter]
    fn id(&self) -> Option<String> {
        self.inner.id.clone()
    }
    /// The total, on the model's scale.
    #[getter]
    fn total(&self) -> f64 {
        self.inner.total
    }
    /// The model's maximum.
    #[getter]
    fn max(&self) -> f64 {
        self.inner.max
    }
    /// The tier after gates ("platinum", "gold", "silver", "not_yet_qualified", "not_advocate_material").
    #[getter]
    fn tier(&self) -> &'static str {
        self.inner.tier.as_str()
    }
    /// The tier the total alone reaches.
    #[getter]
    fn score_tier(&self) -> &'static str {
        self.inner.score_tier.as_str()
    }
    /// The gate that overrode the tier (dict) or None.
    #[getter]
    fn gate<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.gate)
    }
    /// Category subtotals (list of dicts: id, label, points, max).
    #[getter]
    fn categories<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.categories)
    }
    /// Every criterion's result (list of dicts: id, label, category, signal, rule, outcome, value, points, max).
    #[getter]
    fn criteria<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.criteria)
    }
    /// Signals the model reads that the record lacks.
    #[getter]
    fn missing(&self) -> Vec<String> {
        self.inner.missing.clone()
    }
    /// Share of the model's points whose signals were present (0..1).
    #[getter]
    fn completeness(&self) -> f64 {
        self.inner.completeness
    }
    /// Where the total could land once missing signals are known (dict: min, max, tiers).
    #[getter]
    fn bounds<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.bounds)
    }
    /// The gap to the next tier (dict: tier, points_needed, criteria, reachable) or None.
    #[getter]
    fn next_tier<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.next_tier)
    }
    /// How to approach the account (dict: who, invited_by, benefits, asks, max_effort).
    #[getter]
    fn outreach<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.outreach)
    }
    /// When to look again ("YYYY-MM-DD"), for not-yet-qualified accounts scored with as_of.
    #[getter]
    fn revisit(&self) -> Option<String> {
        self.inner.revisit.map(|d| d.to_string())
    }
    /// Notes such as unset targets (list of dicts: code, criterion, message).
    #[getter]
    fn warnings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.warnings)
    }
    /// The whole result as a dict, in the core's JSON shape.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }
    /// The whole result as JSON text (the core's serialisation).
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.inner).map_err(|e| PyTypeError::new_err(e.to_string()))
    }
    fn _repr_html_(&self) -> String {
        html::score_html(&self.inner)
    }
    fn __repr__(&self) -> String {
        format!(
            "Score(id={}, total={}, tier={:?}, completeness={})",
            match &self.inner.id {
                Some(i) => format!("{i:?}"),
                None => "None".into(),
            },
            advocacy_core::fmt_num(self.inner.total),
            self.inner.tier.as_str(),
            self.inner.completeness
        )
    }
}

/// The standard signals (name, kind, min, max, values, description) as dicts.
#[pyfunction]
fn standard_signals(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    to_py(py, advocacy_core::standard_signals())
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    errors::init_types(py)?;
    m.add_class::<Model>()?;
    m.add_class::<Score>()?;
    m.add("SignalError", py.get_type::<SignalError>())?;
    m.add("ModelError", py.get_type::<ModelError>())?;
    m.add_function(wrap_pyfunction!(standard_signals, m)?)?;
    program::register(m)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
