//! `advocacy._core`: the Python binding of `advocacy-core`.
//!
//! The binding converts values and calls the core; it holds no scoring rules of its own.
//! Tables arrive through the Arrow PyCapsule interface (pyo3-arrow), are scored column by column
//! by `Model::score_columns` without the GIL, and leave as Arrow tables that `advocacy/_frames.py`
//! turns back into the caller's kind of table.

use std::collections::HashMap;

use advocacy_core::{
    MissingPolicy, Model as CoreModel, ModelError as CoreModelError, ModelErrorKind, OnError, Score as CoreScore,
    TargetList, Value,
};
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

use errors::{AdvocacyError, ModelError, ProgramError, SignalError, UsageError};
use frame::{Args, Fail, Input, Mode};

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

fn parse_on_error(py: Python<'_>, on_error: &str) -> PyResult<OnError> {
    match on_error {
        "raise" => Ok(OnError::Fail),
        "flag" => Ok(OnError::Flag),
        other => Err(errors::usage(py, "invalid_argument", "on_error", &format!("{other:?}"), "\"raise\", \"flag\"")),
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
    if obj.hasattr(intern!(py, "__arrow_c_stream__")).unwrap_or(false) {
        let reader: PyRecordBatchReader = obj.extract().map_err(bad)?;
        let reader = reader.into_reader().map_err(bad)?;
        let schema = reader.schema();
        let mut batches = Vec::new();
        for b in reader {
            batches.push(b.map_err(|e| PyTypeError::new_err(format!("table: reading its Arrow stream: {e}")))?);
        }
        return Ok((batches, schema));
    }
    if obj.hasattr(intern!(py, "__arrow_c_array__")).unwrap_or(false) {
        let b: PyRecordBatch = obj.extract().map_err(bad)?;
        let b = b.into_inner();
        let schema = b.schema();
        return Ok((vec![b], schema));
    }
    Err(PyTypeError::new_err(format!(
        "table: needs a pandas, polars or pyarrow table, or an object with __arrow_c_stream__ / __arrow_c_array__; got {}",
        obj.get_type().name().map(|n| n.to_string()).unwrap_or_default()
    )))
}

fn fail(py: Python<'_>, f: Fail) -> PyErr {
    match f {
        Fail::Error(e) => errors::raise(py, &e),
        Fail::Type(m) => PyTypeError::new_err(m),
    }
}

/// A missing-data policy's name, as the model file spells it (the core's serde name).
fn policy_name(p: MissingPolicy) -> String {
    match serde_json::to_value(p) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// A model error the binding finds before the core sees the model (a file it cannot read, a
/// dict it cannot turn into JSON); the core's error type writes the message.
fn model_read_error(py: Python<'_>, value: &str, allowed: &str, description: String) -> PyErr {
    errors::error(py, &CoreModelError::new(ModelErrorKind::Parse, "", value, allowed, description))
}

impl Model {
    fn edited(py: Python<'_>, m: Result<CoreModel, CoreModelError>) -> PyResult<Model> {
        m.map(|inner| Model { inner }).map_err(|e| errors::error(py, &e))
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
        let on_error = parse_on_error(py, on_error)?;
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
        let keep_list = keep.clone().unwrap_or_default();
        let args = Args {
            on_error,
            id_column: id_column.clone(),
            id_required,
            rename: rename.unwrap_or_default(),
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
        Self::edited(py, CoreModel::from_json(text))
    }

    /// Reads a model from TOML text.
    #[staticmethod]
    fn from_toml(py: Python<'_>, text: &str) -> PyResult<Model> {
        Self::edited(py, CoreModel::from_toml(text))
    }

    /// Reads a model from a dict shaped like the JSON model file.
    #[staticmethod]
    fn from_dict(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Model> {
        let json = convert::nested_text_full(data).map_err(|e| {
            model_read_error(py, "", "a dict shaped like the JSON model file", format!("not a model dict: {e}"))
        })?;
        Self::from_json(py, &json)
    }

    /// Reads a model file: `.toml` as TOML, anything else as JSON (or `format="json"|"toml"`).
    #[staticmethod]
    #[pyo3(signature = (path, format=None))]
    fn from_file(py: Python<'_>, path: std::path::PathBuf, format: Option<&str>) -> PyResult<Model> {
        let shown = path.display().to_string();
        let is_toml = match format {
            Some("toml") => true,
            Some("json") => false,
            Some(other) => {
                return Err(errors::usage(
                    py,
                    "invalid_argument",
                    "format",
                    &format!("{other:?}"),
                    "\"json\", \"toml\", None",
                ))
            }
            None => path.extension().is_some_and(|e| e.eq_ignore_ascii_case("toml")),
        };
        let text = std::fs::read(&path).map_err(|e| {
            model_read_error(py, &shown, "a readable model file (.json or .toml)", format!("cannot read {shown}: {e}"))
        })?;
        let text = String::from_utf8(text)
            .map_err(|_| model_read_error(py, &shown, "UTF-8 text", format!("{shown} is not UTF-8 text")))?;
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
        let mut lists = Vec::new();
        for (list, name, v) in [
            (TargetList::Industries, "industries", industries),
            (TargetList::Segments, "segments", segments),
            (TargetList::Regions, "regions", regions),
        ] {
            if let Some(v) = v.filter(|v| !v.is_none()) {
                lists.push((list, text_list(name, v)?));
            }
        }
        let mut m = self.inner.clone();
        for (list, values) in lists {
            m = m.with_target_list(list, values).map_err(|e| errors::error(py, &e))?;
        }
        Ok(Model { inner: m })
    }

    /// A copy with another missing-data policy: "zero" (missing earns 0) or "rescale".
    fn with_missing(&self, py: Python<'_>, policy: &str) -> PyResult<Model> {
        Self::edited(py, MissingPolicy::parse(policy).and_then(|p| self.inner.with_missing(p)))
    }

    /// A copy where criterion `criterion_id` is worth `points`.
    fn with_points(&self, py: Python<'_>, criterion_id: &str, points: f64) -> PyResult<Model> {
        Self::edited(py, self.inner.with_points(criterion_id, points))
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
        let mut t = *self.inner.tiers();
        t.platinum = platinum.unwrap_or(t.platinum);
        t.gold = gold.unwrap_or(t.gold);
        t.silver = silver.unwrap_or(t.silver);
        Self::edited(py, self.inner.with_tiers(t))
    }

    /// The model's name.
    #[getter]
    fn name(&self) -> &str {
        self.inner.name()
    }

    /// What the model is for.
    #[getter]
    fn description(&self) -> &str {
        &self.inner.spec().description
    }

    /// The missing-data policy: "zero" or "rescale".
    #[getter]
    fn missing(&self) -> String {
        policy_name(self.inner.missing())
    }

    /// The program's targets: {"industries": [...], "segments": [...], "regions": [...]}.
    #[getter]
    fn targets<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, self.inner.targets())
    }

    /// Tier thresholds: {"platinum": 80, "gold": 60, "silver": 40}.
    #[getter]
    fn tiers<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, self.inner.tiers())
    }

    /// The categories with their criteria, as dicts.
    #[getter]
    fn categories<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, self.inner.categories())
    }

    /// The most points an account can earn.
    #[getter]
    fn max_points(&self) -> f64 {
        self.inner.max_points()
    }

    /// Every signal the model knows (its own first, then the standard ones), as dicts.
    #[getter]
    fn signals<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, self.inner.known_signals())
    }

    /// Notes about the model itself (e.g. target lists that are not set), as dicts.
    fn warnings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.warnings())
    }

    /// Scores one account (a mapping of signal names to values; its "id" is the account id).
    #[pyo3(signature = (record, as_of=None))]
    fn score(&self, py: Python<'_>, record: &Bound<'_, PyAny>, as_of: Option<&Bound<'_, PyAny>>) -> PyResult<Score> {
        let as_of = convert::py_to_date(as_of)?;
        let rec = convert::py_to_record(record, "id")?.map_err(|e| errors::error(py, &e))?;
        let res = match as_of {
            Some(d) => self.inner.score_as_of(&rec, d),
            None => self.inner.score(&rec),
        };
        res.map(|s| Score { inner: s }).map_err(|e| errors::error(py, &e))
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
                let n = usize::try_from(n).map_err(|_| {
                    errors::usage(py, "invalid_argument", "top", &n.to_string(), "a whole number >= 0 or None")
                })?;
                Some(n)
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
        let categories = self.inner.categories();
        let n: usize = categories.iter().map(|c| c.criteria.len()).sum();
        let missing = policy_name(self.inner.missing());
        format!(
            "Model(name={:?}, categories={}, criteria={}, max_points={}, missing={missing:?})",
            self.inner.name(),
            categories.len(),
            n,
            advocacy_core::fmt_num(self.inner.max_points()),
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
    m.add("AdvocacyError", py.get_type::<AdvocacyError>())?;
    m.add("SignalError", py.get_type::<SignalError>())?;
    m.add("ModelError", py.get_type::<ModelError>())?;
    m.add("ProgramError", py.get_type::<ProgramError>())?;
    m.add("UsageError", py.get_type::<UsageError>())?;
    m.add_function(wrap_pyfunction!(standard_signals, m)?)?;
    program::register(m)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
