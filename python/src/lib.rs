//! `advocacy._core`: the Python binding of `advocacy-core`.
//!
//! The binding converts values and calls the core; it holds no scoring rules of its own.
//! Arguments are read by `args` (a wrong type is a `TypeError` naming the argument); tables
//! arrive through the Arrow PyCapsule interface (pyo3-arrow), their headers are read by the
//! core's column plan (`Model::read_columns`), and they are scored column by column by
//! `Model::score_pieces` without the GIL, and leave as Arrow tables that `advocacy/_frames.py`
//! turns back into the caller's kind of table.

use advocacy_core::{
    ColumnMapping, MissingPolicy, Model as CoreModel, ModelError as CoreModelError, ModelErrorKind, OnError,
    Score as CoreScore, TargetList,
};
use arrow_array::{RecordBatch, RecordBatchReader};
use pyo3::exceptions::PyTypeError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use pyo3_arrow::{PyRecordBatch, PyRecordBatchReader, PySchema, PyTable};

mod args;
mod convert;
mod errors;
mod frame;
mod html;
mod program;
mod sources;
mod util;

use errors::{AdvocacyError, ModelError, ProgramError, SignalError, UsageError};
use frame::{Args, Fail, Input, Mode, ObjColumn};

fn to_py<'py, T: serde::Serialize + ?Sized>(py: Python<'py>, v: &T) -> PyResult<Bound<'py, PyAny>> {
    pythonize::pythonize(py, v).map_err(|e| PyTypeError::new_err(format!("converting a result to Python: {e}")))
}

/// An advocacy scoring model (immutable: the ``with_*`` methods return new models).
///
/// A model holds categories of criteria (each a rule on one signal, worth some points), tier
/// thresholds, gates, target lists and the missing-data policy. Build one with
/// ``Model.default()``, ``Model.from_file``, ``from_json``, ``from_toml`` or ``from_dict``;
/// score with ``score`` (one account), ``score_frame``, ``rank`` and ``explain_frame`` (tables)
/// or ``score_sources`` (several tables joined by account id). Models compare equal by content
/// and pickle as their JSON.
///
/// Examples
/// --------
/// >>> import advocacy
/// >>> model = advocacy.Model.default().with_targets(industries=["software"])
/// >>> model.tiers
/// {'platinum': 80.0, 'gold': 60.0, 'silver': 40.0}
/// >>> model.score({"id": "a", "industry": "Software", "nps": 10}).total
/// 20.0
#[pyclass(frozen, module = "advocacy", name = "Model", eq, skip_from_py_object)]
#[derive(Clone, PartialEq)]
pub struct Model {
    inner: CoreModel,
}

/// An account's explained advocacy score (immutable), from ``Model.score``.
///
/// Attributes hold the total, the tier (after gates) and the tier the total alone reaches, the
/// gate that forced the tier, each category's and criterion's points, the missing signals and
/// completeness, the bounds once missing signals are known, the gap to the next tier and the
/// outreach plan. ``to_dict`` and ``to_json`` give the core's JSON shape.
///
/// Examples
/// --------
/// >>> import advocacy
/// >>> s = advocacy.Model.default().score({"id": "acme", "nps": 9, "health_score": 85, "roi_achieved": True})
/// >>> s
/// Score(id="acme", total=30, tier="not_yet_qualified", completeness=0.3)
/// >>> s.next_tier["tier"], s.next_tier["points_needed"]
/// ('silver', 10.0)
/// >>> s.criteria[0]["id"], s.criteria[0]["outcome"]
/// ('promoter', 'met')
#[pyclass(frozen, module = "advocacy", name = "Score", eq, skip_from_py_object)]
#[derive(Clone, PartialEq)]
pub struct Score {
    inner: CoreScore,
}

fn parse_on_error(py: Python<'_>, on_error: Option<&Bound<'_, PyAny>>) -> PyResult<OnError> {
    let allowed = "\"raise\", \"flag\"";
    let Some(v) = on_error else { return Ok(OnError::Fail) };
    let text = args::text("on_error", v).map_err(|_| args::type_error("on_error", v, allowed))?;
    match text.as_str() {
        "raise" => Ok(OnError::Fail),
        "flag" => Ok(OnError::Flag),
        other => Err(errors::usage(py, "invalid_argument", "on_error", &format!("{other:?}"), allowed)),
    }
}

/// What `columns=` may be.
const COLUMNS_ALLOWED: &str =
    "a dict shaped like a column mapping (id, name, columns, values, decimal_comma), a path to a .json or .toml mapping file, or None";

/// The `columns=` argument as the core's `ColumnMapping`: None, a dict in its shape, or a
/// path to a .json or .toml file of it (the core reads both and words every error).
fn parse_columns(py: Python<'_>, columns: Option<&Bound<'_, PyAny>>) -> PyResult<ColumnMapping> {
    read_mapping(py, "columns", columns)?.map_err(|e| errors::error(py, &e))
}

/// [`parse_columns`] for argument `argument`: a wrong type is a `TypeError` (the outer error),
/// a mapping that does not read (or a file that cannot be read) the core's model error.
fn read_mapping(
    py: Python<'_>,
    argument: &str,
    columns: Option<&Bound<'_, PyAny>>,
) -> PyResult<Result<ColumnMapping, CoreModelError>> {
    let Some(v) = columns.filter(|v| !v.is_none()) else { return Ok(Ok(ColumnMapping::default())) };
    if convert::mapping_items(v).ok().flatten().is_some() {
        let json = match convert::py_to_json(v, "") {
            Ok(json) => json,
            Err(e) => {
                return Ok(Err(CoreModelError::new(
                    ModelErrorKind::Parse,
                    &e.path,
                    &e.found,
                    convert::JSON_ALLOWED,
                    "the column mapping is not JSON-like data",
                )))
            }
        };
        return Ok(ColumnMapping::from_json(&json.to_string()));
    }
    let is_path = v.is_instance_of::<PyString>() || v.hasattr(intern!(py, "__fspath__")).unwrap_or(false);
    if !is_path {
        return Err(args::type_error(argument, v, COLUMNS_ALLOWED));
    }
    let path = args::path(argument, v).map_err(|_| args::type_error(argument, v, COLUMNS_ALLOWED))?;
    let (text, shown) = match text_file(&path, "a readable column mapping file (.json or .toml)") {
        Ok(read) => read,
        Err(e) => return Ok(Err(e)),
    };
    let is_toml = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    let res = if is_toml { ColumnMapping::from_toml(&text) } else { ColumnMapping::from_json(&text) };
    Ok(res.map_err(|mut e| {
        e.message = format!("{shown}: {}", e.message);
        e
    }))
}

/// A text file's contents and its path as shown; a file that cannot be read is a model error
/// (code `parse`, value = the path), as for model files.
fn read_text_file(py: Python<'_>, path: &std::path::Path, allowed: &str) -> PyResult<(String, String)> {
    text_file(path, allowed).map_err(|e| errors::error(py, &e))
}

/// [`read_text_file`] before the error becomes an exception.
fn text_file(path: &std::path::Path, allowed: &str) -> Result<(String, String), CoreModelError> {
    let shown = path.display().to_string();
    let parse = |value: &str, allowed: &str, description: String| {
        CoreModelError::new(ModelErrorKind::Parse, "", value, allowed, description)
    };
    let bytes = std::fs::read(path).map_err(|e| parse(&shown, allowed, format!("cannot read {shown}: {e}")))?;
    let text =
        String::from_utf8(bytes).map_err(|_| parse(&shown, "UTF-8 text", format!("{shown} is not UTF-8 text")))?;
    Ok((text, shown))
}

/// What `keep=` may be.
const KEEP_ALLOWED: &str = "\"all\" (every column of the table), a column name or a list of column names, or None";

/// The `keep=` argument: None, `"all"` (every column: `(vec![], true)`), a column name or a
/// list of them (a list `["all"]` names a column called `all`).
fn parse_keep(keep: Option<&Bound<'_, PyAny>>) -> PyResult<(Vec<String>, bool)> {
    match keep.filter(|v| !v.is_none()) {
        None => Ok((Vec::new(), false)),
        Some(v) if v.is_instance_of::<PyString>() && args::text("keep", v)? == "all" => Ok((Vec::new(), true)),
        Some(v) => args::text_list("keep", v, KEEP_ALLOWED).map(|k| (k, false)),
    }
}

/// The `prefix=` argument: text (None: no prefix).
fn parse_prefix(prefix: Option<&Bound<'_, PyAny>>) -> PyResult<String> {
    Ok(args::opt_text("prefix", prefix)?.unwrap_or_default())
}

/// Reads the caller's table (argument `argument`) into Arrow batches (pyo3-arrow; zero-copy
/// where the producer allows).
fn import_table(
    obj: &Bound<'_, PyAny>,
    table: &Bound<'_, PyAny>,
    argument: &str,
) -> PyResult<(Vec<RecordBatch>, arrow_schema::SchemaRef)> {
    let py = obj.py();
    let bad = |e: &dyn std::fmt::Display| {
        args::type_error(argument, table, &format!("{TABLE_ALLOWED} (its Arrow data could not be read: {e})"))
    };
    if obj.hasattr(intern!(py, "__arrow_c_stream__")).unwrap_or(false) {
        let reader: PyRecordBatchReader = obj.extract().map_err(|e| bad(&e))?;
        let reader = reader.into_reader().map_err(|e| bad(&e))?;
        let schema = reader.schema();
        let mut batches = Vec::new();
        for b in reader {
            batches.push(b.map_err(|e| bad(&e))?);
        }
        return Ok((batches, schema));
    }
    if obj.hasattr(intern!(py, "__arrow_c_array__")).unwrap_or(false) {
        let b: PyRecordBatch = obj.extract().map_err(|e| bad(&e))?;
        let b = b.into_inner();
        let schema = b.schema();
        return Ok((vec![b], schema));
    }
    Err(args::type_error(argument, table, TABLE_ALLOWED))
}

/// A table made ready by `_frames.prepare`: its kind, an object with the Arrow PyCapsule
/// interface, the pandas columns Arrow could not carry (position, name, Python values), and the
/// caller's table.
type PreparedTable<'py> = (String, Bound<'py, PyAny>, Bound<'py, PyList>, Bound<'py, PyAny>);

/// `_frames.prepare` (pandas through pyarrow, polars as it is, Arrow PyCapsule objects); with
/// `scoring`, streams and LazyFrames unread. `None` when `table` is no table.
fn prepare_table<'py>(table: &Bound<'py, PyAny>, scoring: bool) -> PyResult<Option<PreparedTable<'py>>> {
    let py = table.py();
    let frames = py.import(intern!(py, "advocacy._frames"))?;
    let prepared = frames.call_method1(intern!(py, "prepare"), (table, scoring))?;
    if prepared.is_none() {
        return Ok(None);
    }
    Ok(Some(prepared.extract()?))
}

/// A prepared table (argument `argument`) as the binding reads it: its Arrow batches, and the
/// pandas columns Arrow could not carry as Python values read one by one. Returns the kind, the
/// input and the caller's table.
fn read_table<'py>(
    prepared: PreparedTable<'py>,
    table: &Bound<'py, PyAny>,
    argument: &str,
) -> PyResult<(String, Input, Bound<'py, PyAny>)> {
    let (kind, arrow_obj, objcols, original) = prepared;
    let (batches, schema) = import_table(&arrow_obj, table, argument)?;
    let mut obj_columns = Vec::new();
    for item in objcols.iter() {
        let (position, name, list): (usize, String, Bound<'py, PyList>) = item.extract()?;
        let mut values = Vec::with_capacity(list.len());
        let mut bad = Vec::new();
        for (i, x) in list.iter().enumerate() {
            match convert::py_to_value(&x) {
                Ok(v) => values.push(v),
                Err(shown) => {
                    values.push(advocacy_core::Value::Null);
                    bad.push((i, shown));
                }
            }
        }
        obj_columns.push(ObjColumn { position, name, values, bad });
    }
    Ok((kind, Input { batches, schema, objcols: obj_columns }, original))
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

/// A model error the binding finds before the core sees the model or mapping (a file it cannot
/// read, a dict it cannot turn into JSON); the core's error type writes the message.
fn model_read_error(py: Python<'_>, path: &str, value: &str, allowed: &str, description: String) -> PyErr {
    errors::error(py, &CoreModelError::new(ModelErrorKind::Parse, path, value, allowed, description))
}

/// What `table` may be.
const TABLE_ALLOWED: &str = "a pandas DataFrame, a polars DataFrame or LazyFrame, a pyarrow Table or RecordBatch, or an object with __arrow_c_stream__ / __arrow_c_array__";

impl Model {
    fn edited(py: Python<'_>, m: Result<CoreModel, CoreModelError>) -> PyResult<Model> {
        m.map(|inner| Model { inner }).map_err(|e| errors::error(py, &e))
    }

    /// score_frame / rank / explain_frame: prepare in Python, score in Rust, finish in Python.
    /// Streams are scored batch by batch and LazyFrames stay lazy (`_frames.stream`,
    /// `_frames.lazy`); ranking and explaining read a stream whole.
    #[allow(clippy::too_many_arguments)]
    fn table_op<'py>(
        slf: &Bound<'py, Self>,
        table: &Bound<'py, PyAny>,
        mode: Mode,
        on_error: Option<&Bound<'py, PyAny>>,
        id_column: Option<&Bound<'py, PyAny>>,
        columns: Option<&Bound<'py, PyAny>>,
        keep: Option<&Bound<'py, PyAny>>,
        as_of: Option<&Bound<'py, PyAny>>,
        select: Option<&Bound<'py, PyAny>>,
        prefix: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let frames = py.import(intern!(py, "advocacy._frames"))?;
        let Some(prepared) = prepare_table(table, true)? else {
            return Err(args::type_error("table", table, TABLE_ALLOWED));
        };
        let on_error_value = parse_on_error(py, on_error)?;
        let id_column_value = args::opt_text("id_column", id_column)?;
        let mut mapping = parse_columns(py, columns)?;
        let (keep_value, keep_all) = parse_keep(keep)?;
        let prefix_value = parse_prefix(prefix)?;
        let as_of_value = convert::py_to_date("as_of", as_of)?;
        let select_value = parse_select(select)?;
        if let Some(id) = &id_column_value {
            if let Some(given) =
                mapping.id.as_ref().filter(|g| advocacy_core::header_key(g) != advocacy_core::header_key(id))
            {
                return Err(errors::usage(
                    py,
                    "invalid_argument",
                    "id_column",
                    &format!("{id:?}"),
                    &format!("the id column of `columns` ({given:?}) or None"),
                ));
            }
            mapping.id = Some(id.clone());
        }
        let pandas = prepared.0 == "pandas";
        let args = Args {
            on_error: on_error_value,
            mapping,
            id_argument: id_column_value.is_some(),
            keep: keep_value,
            keep_all,
            prefix: prefix_value.clone(),
            carry: !pandas,
            with_row: pandas && matches!(mode, Mode::Rank(_)),
            as_of: as_of_value,
            select: select_value,
        };
        let model = &slf.get().inner;
        let kind = prepared.0.clone();
        if kind == "polars_lazy" && mode != Mode::Score {
            // Ranking and explaining need every row: the same call on the collected frame, when
            // the LazyFrame is collected.
            let kwargs = PyDict::new(py);
            for (k, v) in [
                ("on_error", on_error),
                ("id_column", id_column),
                ("columns", columns),
                ("as_of", as_of),
                ("keep", keep),
                ("prefix", prefix),
            ] {
                if let Some(v) = v {
                    kwargs.set_item(k, v)?;
                }
            }
            let name = match mode {
                Mode::Rank(_) => {
                    if let Some(v) = select {
                        kwargs.set_item("select", v)?;
                    }
                    "rank"
                }
                _ => "explain_frame",
            };
            if let Mode::Rank(top) = mode {
                kwargs.set_item("top", top)?;
            }
            let op = py
                .import(intern!(py, "functools"))?
                .getattr(intern!(py, "partial"))?
                .call((slf.getattr(name)?,), Some(&kwargs))?;
            return frames.call_method1(intern!(py, "deferred"), (table, op));
        }
        if (kind == "stream" || kind == "polars_lazy") && mode == Mode::Score {
            let (_, arrow_obj, _, original) = prepared;
            let schema = schema_of(&arrow_obj, table, "table")?;
            let stream = frame::Stream::new(model, schema, args).map_err(|f| fail(py, f))?;
            let warnings = to_py(py, &stream.warnings)?;
            let scorer = Bound::new(py, Scorer { inner: stream })?;
            let how = if kind == "stream" { intern!(py, "stream") } else { intern!(py, "lazy") };
            return frames.call_method1(how, (original, arrow_obj, scorer, warnings, prefix_value));
        }
        let (kind, input, original) = read_table(prepared, table, "table")?;
        let result = py.detach(|| frame::run(model, &input, &args, mode)).map_err(|f| fail(py, f))?;
        let table = PyTable::try_new(result.batches, result.schema)?;
        let table = Bound::new(py, table)?;
        let mode_name = match mode {
            Mode::Score => "score",
            Mode::Rank(_) => "rank",
            Mode::Explain => "explain",
        };
        let warnings = to_py(py, &result.warnings)?;
        // A stream that was ranked or explained is read whole: the result is a table.
        let kind = if kind == "stream" { "arrow".to_string() } else { kind };
        frames.call_method1(
            intern!(py, "finish"),
            (
                kind,
                original,
                table,
                mode_name,
                result.id_position,
                PyTuple::new(py, result.keep_positions)?,
                warnings,
                keep_all,
                prefix_value,
            ),
        )
    }
}

/// The `select=` argument: None, or a column name or a list of them.
fn parse_select(select: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Vec<String>>> {
    match select.filter(|v| !v.is_none()) {
        None => Ok(None),
        Some(v) => args::text_list("select", v, "a result column name or a list of them, or None").map(Some),
    }
}

/// The Arrow schema of a table or stream (`__arrow_c_schema__`, or the schema its stream or
/// array export carries).
fn schema_of(obj: &Bound<'_, PyAny>, table: &Bound<'_, PyAny>, argument: &str) -> PyResult<arrow_schema::SchemaRef> {
    let py = obj.py();
    if let Ok(s) = obj.getattr(intern!(py, "schema")) {
        if let Ok(s) = s.extract::<PySchema>() {
            return Ok(s.into_inner());
        }
    }
    if let Ok(s) = obj.extract::<PySchema>() {
        return Ok(s.into_inner());
    }
    Ok(import_table(obj, table, argument)?.1)
}

/// Scores a stream batch by batch for `_frames.stream` and `_frames.lazy` (internal): the column
/// plan was checked when it was made; every id of the stream must be new.
#[pyclass(module = "advocacy._core", name = "_Scorer")]
pub struct Scorer {
    inner: frame::Stream,
}

#[pymethods]
impl Scorer {
    /// The schema of the scored batches.
    #[getter]
    fn schema(&self) -> PySchema {
        PySchema::new(self.inner.schema())
    }

    /// A scorer of the same stream from its first row (ids not seen yet).
    fn fresh(&self) -> Scorer {
        Scorer { inner: self.inner.fresh() }
    }

    /// Scores the next rows: `batch` is anything with `__arrow_c_array__` or
    /// `__arrow_c_stream__`; returns them scored (an Arrow table, one batch per batch).
    fn score<'py>(&mut self, py: Python<'py>, batch: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        let (batches, _) = import_table(batch, batch, "batch")?;
        let stream = &mut self.inner;
        let out = py.detach(|| stream.score(batches)).map_err(|f| fail(py, f))?;
        Ok(Bound::new(py, PyTable::try_new(out, self.inner.schema())?)?.into_any())
    }
}

#[pymethods]
impl Model {
    /// The 100-point advocacy potential model of the domain guide.
    ///
    /// Four categories (satisfaction, relationship, willingness, company fit) and twelve criteria;
    /// tiers platinum >= 80, gold >= 60, silver >= 40; no target industries, segments or regions
    /// set (see ``with_targets``).
    ///
    /// Parameters
    /// ----------
    /// lang : str, optional
    ///     The language of its name, labels, gate reasons and outreach texts: one of ``LANGS``
    ///     (``"en"``, ``"id"``, ``"ms"``, ``"de"``, ``"es"``; a region such as ``"de-DE"`` is
    ///     accepted). Default English. Scores and tiers are the same in every language.
    ///
    /// Returns
    /// -------
    /// Model
    ///     The default model.
    ///
    /// Raises
    /// ------
    /// UsageError
    ///     An unknown ``lang`` (the message lists the allowed codes).
    ///
    /// Examples
    /// --------
    /// >>> import advocacy
    /// >>> advocacy.Model.default()
    /// Model(name="advocacy potential score", categories=4, criteria=12, max_points=100, missing="zero")
    /// >>> advocacy.Model.default(lang="de").to_dict()["categories"][0]["label"]
    /// 'Zufriedenheit und Erfolg'
    #[staticmethod]
    #[pyo3(signature = (lang=None))]
    fn default(py: Python<'_>, lang: Option<&Bound<'_, PyAny>>) -> PyResult<Model> {
        let lang = lang_arg(py, lang)?;
        Ok(Model { inner: advocacy_program::localize_model(&CoreModel::default(), lang) })
    }

    /// The model with its default English texts in another language.
    ///
    /// The name, description, category and criterion labels, gate reasons and outreach texts that
    /// are still the default model's English ones are replaced; labels of your own stay as
    /// written. Ids, rules, points, thresholds, targets, and so every score and tier, stay the same.
    ///
    /// Parameters
    /// ----------
    /// lang : str
    ///     One of ``LANGS`` (a region such as ``"es_MX"`` is accepted).
    ///
    /// Returns
    /// -------
    /// Model
    ///
    /// Raises
    /// ------
    /// UsageError
    ///     An unknown ``lang``.
    ///
    /// Examples
    /// --------
    /// >>> import advocacy
    /// >>> m = advocacy.Model.default().with_targets(industries=["fintech"]).localized("es")
    /// >>> m.to_dict()["outreach"]["gold"]["invited_by"]
    /// 'invitación del CSM'
    /// >>> m.score({"id": "a", "nps": 10}).total
    /// 10.0
    fn localized(&self, py: Python<'_>, lang: &Bound<'_, PyAny>) -> PyResult<Model> {
        let lang = lang_code(py, args::text("lang", lang)?)?;
        Ok(Model { inner: advocacy_program::localize_model(&self.inner, lang) })
    }

    /// Reads a model from JSON text (the model file's JSON form).
    ///
    /// Parameters
    /// ----------
    /// text : str
    ///     The model as JSON (``Model.to_json`` writes it; ``Model.json_schema`` describes it).
    ///
    /// Returns
    /// -------
    /// Model
    ///
    /// Raises
    /// ------
    /// ModelError
    ///     Text that does not read as a model, with the path of the problem.
    /// TypeError
    ///     ``text`` that is not a str.
    ///
    /// Examples
    /// --------
    /// >>> import advocacy
    /// >>> m = advocacy.Model.default()
    /// >>> advocacy.Model.from_json(m.to_json()) == m
    /// True
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &Bound<'_, PyAny>) -> PyResult<Model> {
        let text = args::text("text", text)?;
        Self::edited(py, CoreModel::from_json(&text))
    }

    /// Reads a model from TOML text (the model file's TOML form).
    ///
    /// Parameters
    /// ----------
    /// text : str
    ///     The model as TOML (``Model.to_toml`` writes it).
    ///
    /// Returns
    /// -------
    /// Model
    ///
    /// Raises
    /// ------
    /// ModelError
    ///     Text that does not read as a model, with the path of the problem.
    /// TypeError
    ///     ``text`` that is not a str.
    ///
    /// Examples
    /// --------
    /// >>> import advocacy
    /// >>> m = advocacy.Model.default()
    /// >>> advocacy.Model.from_toml(m.to_toml()) == m
    /// True
    #[staticmethod]
    fn from_toml(py: Python<'_>, text: &Bound<'_, PyAny>) -> PyResult<Model> {
        let text = args::text("text", text)?;
        Self::edited(py, CoreModel::from_toml(&text))
    }

    /// Reads a model from a dict shaped like the JSON model file.
    ///
    /// Parameters
    /// ----------
    /// data : dict
    ///     The model file's JSON shape (``Model.to_dict`` gives it).
    ///
    /// Returns
    /// -------
    /// Model
    ///
    /// Raises
    /// ------
    /// ModelError
    ///     A dict that does not read as a model (path such as ``categories[0].criteria[2].points``).
    /// TypeError
    ///     ``data`` that is not a mapping.
    ///
    /// Examples
    /// --------
    /// >>> import advocacy
    /// >>> spec = advocacy.Model.default().to_dict()
    /// >>> spec["tiers"]["platinum"] = 90
    /// >>> advocacy.Model.from_dict(spec).tiers["platinum"]
    /// 90.0
    #[staticmethod]
    fn from_dict(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Model> {
        if convert::mapping_items(data).ok().flatten().is_none() {
            return Err(args::type_error("data", data, "a dict shaped like the JSON model file"));
        }
        let json = convert::json_dumps(data).map_err(|e| {
            model_read_error(py, "", "", "a dict shaped like the JSON model file", format!("not a model dict: {e}"))
        })?;
        Self::edited(py, CoreModel::from_json(&json))
    }

    /// Reads a model file: ``.toml`` as TOML, anything else as JSON.
    ///
    /// Parameters
    /// ----------
    /// path : str or os.PathLike
    ///     The file.
    /// format : {"json", "toml"}, optional
    ///     Read the file as this format whatever its extension.
    ///
    /// Returns
    /// -------
    /// Model
    ///
    /// Raises
    /// ------
    /// ModelError
    ///     A file that cannot be read (code ``parse``, ``value`` the path) or is no model.
    /// UsageError
    ///     A ``format`` other than ``"json"`` or ``"toml"``.
    ///
    /// Examples
    /// --------
    /// >>> import advocacy, pathlib, tempfile
    /// >>> path = pathlib.Path(tempfile.mkdtemp()) / "model.toml"
    /// >>> _ = path.write_text(advocacy.Model.default().to_toml())
    /// >>> advocacy.Model.from_file(path).name
    /// 'advocacy potential score'
    #[staticmethod]
    #[pyo3(signature = (path, format=None))]
    fn from_file(py: Python<'_>, path: &Bound<'_, PyAny>, format: Option<&Bound<'_, PyAny>>) -> PyResult<Model> {
        let path = args::path("path", path)?;
        let format = args::opt_text("format", format)?;
        let is_toml = match format.as_deref() {
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
        let (text, _) = read_text_file(py, &path, "a readable model file (.json or .toml)")?;
        if is_toml {
            Self::edited(py, CoreModel::from_toml(&text))
        } else {
            Self::edited(py, CoreModel::from_json(&text))
        }
    }

    /// The model as pretty JSON (``Model.from_json`` reads it back unchanged).
    ///
    /// Returns
    /// -------
    /// str
    ///
    /// Examples
    /// --------
    /// >>> import advocacy, json
    /// >>> json.loads(advocacy.Model.default().to_json())["tiers"]
    /// {'platinum': 80.0, 'gold': 60.0, 'silver': 40.0}
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// New points for the model's criteria, learned from the program's own outcomes.
    ///
    /// Each ask of the ledger whose outcome is known becomes an example, with the account's
    /// signals from the latest snapshot of the history on or before the ask day (never a later
    /// one). A logistic fit with non-negative weights gives whole points at the model's maximum;
    /// time-ordered folds (fit on earlier asks, score later ones) compare them with the current
    /// points. Nothing changes unless the held-out AUC gains 0.02 and 1.96 standard errors, with
    /// 50 yes and 50 no held out. The same computation as ``advocacy calibrate``.
    ///
    /// Parameters
    /// ----------
    /// history : DataFrame, pyarrow Table or list of dict, optional
    ///     The history's long form: one row per account and day with ``as_of``, ``id``,
    ///     ``total`` (or ``score``), ``tier`` and the signals (``pl.read_parquet("DIR/*.parquet")``
    ///     of a folder ``advocacy snapshot`` wrote).
    /// ledger : DataFrame, pyarrow Table or list of dict, optional
    ///     The activity ledger (``account``, ``activity``, ``status``, ``date``), with ``history``.
    /// examples : DataFrame, pyarrow Table or list of dict, optional
    ///     Instead of a history and a ledger: one row per ask with the account id, ``asked``,
    ///     ``outcome``, optionally ``as_of`` (the day of the signals), and the signals.
    /// outcome : {"said_yes", "completed"}, optional
    ///     What counts as a yes, with a ledger (default ``said_yes``).
    /// accounts : DataFrame, pyarrow Table or list of dict, optional
    ///     Today's accounts whose tier moves the report counts (default: the last snapshot).
    /// folds : int, optional
    ///     Time-ordered folds, 2 to 10 (default 5).
    /// thresholds : bool, optional
    ///     Also choose new thresholds for ``>=`` and ``>`` criteria from the data (on each
    ///     fold's training asks), as ``advocacy calibrate --thresholds`` (default False).
    ///
    /// Returns
    /// -------
    /// Calibration
    ///     The report (``.report`` as a dict, ``.model`` the proposed model, ``.changed``); shown
    ///     as HTML with a chart of old and new points in a notebook.
    ///
    /// Raises
    /// ------
    /// ProgramError
    ///     No outcomes, one outcome only, signals from after the ask, bad rows (with their path).
    ///
    /// Examples
    /// --------
    /// >>> import advocacy
    /// >>> rows = [{"id": f"a{i}", "asked": f"2026-01-{i % 28 + 1:02d}", "outcome": i % 3 == 0,
    /// ...          "nps": 10 if i % 3 == 0 else i % 9} for i in range(60)]
    /// >>> c = advocacy.Model.default().calibrate(examples=rows)
    /// >>> c.report["decision"]["code"]
    /// 'too_few_outcomes'
    /// >>> c.model == advocacy.Model.default()
    /// True
    #[pyo3(signature = (history=None, ledger=None, *, examples=None, outcome=None, accounts=None, folds=None, thresholds=None))]
    #[allow(clippy::too_many_arguments)]
    fn calibrate<'py>(
        &self,
        py: Python<'py>,
        history: Option<&Bound<'py, PyAny>>,
        ledger: Option<&Bound<'py, PyAny>>,
        examples: Option<&Bound<'py, PyAny>>,
        outcome: Option<&Bound<'py, PyAny>>,
        accounts: Option<&Bound<'py, PyAny>>,
        folds: Option<&Bound<'py, PyAny>>,
        thresholds: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let thresholds = match thresholds.filter(|v| !v.is_none()) {
            None => false,
            Some(t) => t
                .cast::<pyo3::types::PyBool>()
                .map_err(|_| args::type_error("thresholds", t, "True, False or None"))?
                .is_true(),
        };
        let fields = pyo3::types::PyDict::new(py);
        let model = py.import("json")?.call_method1("loads", (self.inner.to_json(),))?;
        fields.set_item("model", model)?;
        let tables = [("history", history), ("ledger", ledger), ("examples", examples), ("accounts", accounts)];
        for (k, v) in tables {
            if let Some(v) = v.filter(|v| !v.is_none()) {
                program::check_table(k, v)?;
                fields.set_item(k, v)?;
            }
        }
        if let Some(o) = outcome.filter(|v| !v.is_none()) {
            fields.set_item("outcome", args::text("outcome", o)?)?;
        }
        let options = pyo3::types::PyDict::new(py);
        if let Some(f) = folds.filter(|v| !v.is_none()) {
            let allowed = "a whole number of folds from 2 to 10, or None";
            let n = args::whole("folds", f, allowed)?.map_err(|_| args::type_error("folds", f, allowed))?;
            options.set_item("folds", n.max(0))?;
        }
        options.set_item("thresholds", thresholds)?;
        fields.set_item("options", options)?;
        let report = program::calibrate(py, &fields)?;
        py.import("advocacy._calibration")?.getattr("Calibration")?.call1((report,))
    }

    /// The model as TOML (``Model.from_toml`` reads it back unchanged).
    ///
    /// Returns
    /// -------
    /// str
    ///
    /// Examples
    /// --------
    /// >>> import advocacy
    /// >>> "[tiers]" in advocacy.Model.default().to_toml()
    /// True
    fn to_toml(&self) -> String {
        self.inner.to_toml()
    }

    /// The model as a dict, in the JSON model file's shape.
    ///
    /// Returns
    /// -------
    /// dict
    ///
    /// Examples
    /// --------
    /// >>> import advocacy
    /// >>> sorted(advocacy.Model.default().to_dict())[:4]
    /// ['categories', 'description', 'gates', 'missing']
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }

    /// The JSON Schema of the model file.
    ///
    /// Returns
    /// -------
    /// str
    ///     JSON text.
    ///
    /// Examples
    /// --------
    /// >>> import advocacy, json
    /// >>> "properties" in json.loads(advocacy.Model.json_schema())
    /// True
    #[staticmethod]
    fn json_schema() -> String {
        CoreModel::json_schema()
    }

    /// A copy with the program's target lists replaced.
    ///
    /// Parameters
    /// ----------
    /// industries, segments, regions : str or list of str, optional
    ///     The new list (a single str is a list of one); None keeps that list as it is.
    ///
    /// Returns
    /// -------
    /// Model
    ///
    /// Raises
    /// ------
    /// ModelError
    ///     A segment that is not one of ``smb``, ``mid_market``, ``enterprise``.
    /// TypeError
    ///     A value that is neither text nor a list of text.
    ///
    /// Examples
    /// --------
    /// >>> import advocacy
    /// >>> advocacy.Model.default().with_targets(industries=["software"]).targets["industries"]
    /// ['software']
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
                lists.push((list, args::text_list(name, v, "text, a list of text, or None")?));
            }
        }
        let mut m = self.inner.clone();
        for (list, values) in lists {
            m = m.with_target_list(list, values).map_err(|e| errors::error(py, &e))?;
        }
        Ok(Model { inner: m })
    }

    /// A copy with other maximum ages: with an as-of date, a value observed longer ago than
    /// its signal's maximum age counts as missing.
    ///
    /// Parameters
    /// ----------
    /// max_age_days : dict of str to int
    ///     Signal name -> days; ``{}`` removes them all (the model file's ``max_age_days``).
    ///
    /// Returns
    /// -------
    /// Model
    ///
    /// Raises
    /// ------
    /// ModelError
    ///     A signal the model does not know, 0 days, or a value that is no whole number of days
    ///     (path ``max_age_days.<signal>``).
    /// TypeError
    ///     ``max_age_days`` that is not a mapping.
    ///
    /// Examples
    /// --------
    /// >>> import advocacy
    /// >>> advocacy.Model.default().with_max_ages({"nps": 180}).max_age_days
    /// {'nps': 180}
    fn with_max_ages(&self, py: Python<'_>, max_age_days: &Bound<'_, PyAny>) -> PyResult<Model> {
        let allowed = "a dict of signal names to whole numbers of days";
        if convert::mapping_items(max_age_days).ok().flatten().is_none() {
            return Err(args::type_error("max_age_days", max_age_days, allowed));
        }
        let ages = convert::py_to_json(max_age_days, "max_age_days").map_err(|e| {
            model_read_error(py, &e.path, &e.found, allowed, "the maximum ages are not JSON-like data".into())
        })?;
        let mut spec = serde_json::to_value(self.inner.spec()).map_err(|e| PyTypeError::new_err(e.to_string()))?;
        spec["max_age_days"] = ages;
        Self::edited(py, CoreModel::from_json(&spec.to_string()))
    }

    /// A copy with another missing-data policy.
    ///
    /// Parameters
    /// ----------
    /// policy : {"zero", "rescale"}
    ///     ``"zero"``: a missing signal earns 0; ``"rescale"``: totals are scaled to the points
    ///     whose signals are known.
    ///
    /// Returns
    /// -------
    /// Model
    ///
    /// Raises
    /// ------
    /// ModelError
    ///     Another policy name.
    /// TypeError
    ///     ``policy`` that is not a str.
    ///
    /// Examples
    /// --------
    /// >>> import advocacy
    /// >>> advocacy.Model.default().with_missing("rescale").missing
    /// 'rescale'
    fn with_missing(&self, py: Python<'_>, policy: &Bound<'_, PyAny>) -> PyResult<Model> {
        let policy =
            args::text("policy", policy).map_err(|_| args::type_error("policy", policy, "\"zero\", \"rescale\""))?;
        Self::edited(py, MissingPolicy::parse(&policy).and_then(|p| self.inner.with_missing(p)))
    }

    /// A copy where criterion ``criterion_id`` is worth ``points``.
    ///
    /// Parameters
    /// ----------
    /// criterion_id : str
    ///     The criterion's id (``promoter``, ``healthy``, ...; see ``categories``).
    /// points : float
    ///     Its new worth.
    ///
    /// Returns
    /// -------
    /// Model
    ///
    /// Raises
    /// ------
    /// ModelError
    ///     An id the model does not have (code ``unknown_criterion``, path ``criterion``) or bad points.
    /// TypeError
    ///     Arguments of the wrong type.
    ///
    /// Examples
    /// --------
    /// >>> import advocacy
    /// >>> advocacy.Model.default().with_points("promoter", 15).max_points
    /// 105.0
    fn with_points(
        &self,
        py: Python<'_>,
        criterion_id: &Bound<'_, PyAny>,
        points: &Bound<'_, PyAny>,
    ) -> PyResult<Model> {
        let criterion_id = args::text("criterion_id", criterion_id)?;
        let points = args::number("points", points)?;
        Self::edited(py, self.inner.with_points(&criterion_id, points))
    }

    /// A copy with other tier thresholds.
    ///
    /// Parameters
    /// ----------
    /// platinum, gold, silver : float, optional
    ///     The lowest total of each tier; None keeps a threshold as it is.
    ///
    /// Returns
    /// -------
    /// Model
    ///
    /// Raises
    /// ------
    /// ModelError
    ///     Thresholds out of order (platinum > gold > silver is required).
    /// TypeError
    ///     A threshold that is not a number.
    ///
    /// Examples
    /// --------
    /// >>> import advocacy
    /// >>> advocacy.Model.default().with_tiers(platinum=90).tiers
    /// {'platinum': 90.0, 'gold': 60.0, 'silver': 40.0}
    #[pyo3(signature = (platinum=None, gold=None, silver=None))]
    fn with_tiers(
        &self,
        py: Python<'_>,
        platinum: Option<&Bound<'_, PyAny>>,
        gold: Option<&Bound<'_, PyAny>>,
        silver: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Model> {
        let platinum = args::opt_number("platinum", platinum)?;
        let gold = args::opt_number("gold", gold)?;
        let silver = args::opt_number("silver", silver)?;
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

    /// How old a signal's value may be, in days, before it counts as missing (signal -> days).
    #[getter]
    fn max_age_days<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.spec().max_age_days)
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

    /// Notes about the model itself, such as target lists that are not set.
    ///
    /// Returns
    /// -------
    /// list of dict
    ///     ``[{"code", "criterion", "message"}]``.
    ///
    /// Examples
    /// --------
    /// >>> import advocacy
    /// >>> [w["code"] for w in advocacy.Model.default().warnings()][:1]
    /// ['no_targets']
    fn warnings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner.warnings())
    }

    /// Scores one account.
    ///
    /// Parameters
    /// ----------
    /// record : mapping
    ///     Signal names to values (or a pandas row); ``record["id"]`` is the account id. Values are
    ///     read loosely, as table cells are (``"yes"``, ``"9"``, ``"85%"``).
    /// as_of : date or str, optional
    ///     With ``max_age_days`` in the model, values observed longer ago count as missing, and
    ///     not-yet-qualified accounts get a revisit date.
    ///
    /// Returns
    /// -------
    /// Score
    ///
    /// Raises
    /// ------
    /// SignalError
    ///     A bad value (``signal``, ``value`` and ``allowed`` say which and why).
    /// TypeError
    ///     A record that is no mapping.
    ///
    /// Examples
    /// --------
    /// >>> import advocacy
    /// >>> s = advocacy.Model.default().score({"id": "acme", "nps": 9, "health_score": 85, "roi_achieved": True})
    /// >>> s.total, s.tier
    /// (30.0, 'not_yet_qualified')
    #[pyo3(signature = (record, as_of=None))]
    fn score(&self, py: Python<'_>, record: &Bound<'_, PyAny>, as_of: Option<&Bound<'_, PyAny>>) -> PyResult<Score> {
        let rec = convert::py_to_record(&self.inner, record, "id")?.map_err(|e| errors::error(py, &e))?;
        let as_of = convert::py_to_date("as_of", as_of)?;
        let res = match as_of {
            Some(d) => self.inner.score_as_of(&rec, d),
            None => self.inner.score(&rec),
        };
        res.map(|s| Score { inner: s }).map_err(|e| errors::error(py, &e))
    }

    /// Scores a table: one row per account.
    ///
    /// Returns the same kind of table as went in: a pandas or polars DataFrame, a pyarrow Table or
    /// RecordBatch for one; a polars LazyFrame for a LazyFrame (still lazy: scored batch by batch
    /// when collected, with the streaming engine too); a DuckDB relation for a DuckDB relation
    /// (scored as it is read, each time a query reads it; on an in-memory connection of its own); a
    /// ``pyarrow.RecordBatchReader`` for any other Arrow stream (``pyarrow.RecordBatchReader``,
    /// ``pyarrow.dataset`` Dataset or Scanner, anything with ``__arrow_c_stream__``), scored one
    /// batch at a time; a pyarrow Table for an object with only ``__arrow_c_array__``.
    ///
    /// The result has the id column and the ``keep`` columns (with ``keep="all"``: every input
    /// column, in the input's order, the input's own buffers), then ``score``, ``tier``, one column
    /// per category, ``completeness``, ``max_possible`` and ``error``. ``tier`` is ordered, worst
    /// first: ``not_advocate_material < not_yet_qualified < silver < gold < platinum``
    /// (``advocacy.TIERS``): a pandas ordered Categorical, a polars ``Enum``, an Arrow dictionary
    /// marked ordered (a DuckDB ENUM), so that ``tier >= "gold"``, sorting and ``max()`` follow
    /// the tiers.
    ///
    /// Parameters
    /// ----------
    /// table : DataFrame, LazyFrame, pyarrow Table, RecordBatch, DuckDB relation or Arrow stream
    ///     The accounts, one per row. Headers are read by the core's column plan (see
    ///     ``read_columns``): by name and alias, case, spaces and punctuation folded (``NPS``,
    ///     ``Health Score``, ``Account ID``). Every row needs an id no other row has, when the
    ///     table has an id column.
    /// on_error : {"raise", "flag"}, default "raise"
    ///     ``"flag"`` leaves a bad row without a score and with the error's message in ``error``.
    /// id_column : str, optional
    ///     The id column (default: the mapping's, else the first of ``id``, ``Account ID``, ...).
    /// columns : dict or path, optional
    ///     A column mapping (``{"id", "name", "observed", "columns", "values",
    ///     "decimal_comma"}``) or a .json/.toml file of one.
    /// keep : "all", str or list of str, optional
    ///     Input columns to return beside the id: ``"all"`` for every column of the table (the
    ///     input with the result columns added, without copying its buffers), or names.
    /// as_of : date or str, optional
    ///     With an observation date column (``observed``) and the model's ``max_age_days``, values
    ///     older than their signal's maximum age count as missing.
    /// select : str or list of str, optional
    ///     The result columns to return after the id and ``keep`` columns, in this order
    ///     (``["score", "tier"]``), named without the prefix.
    /// prefix : str, optional
    ///     Put before the name of every computed column (``prefix="adv_"``: ``adv_score``,
    ///     ``adv_tier``, ...), for tables that have columns of those names.
    ///
    /// Returns
    /// -------
    /// table
    ///     The input's kind of table (see above); warnings about unread columns are in
    ///     ``df.attrs["warnings"]`` (pandas) or the schema metadata ``b"advocacy.warnings"``.
    ///
    /// Raises
    /// ------
    /// SignalError
    ///     A bad value (with its ``row``), unless ``on_error="flag"``.
    /// ModelError
    ///     A column plan the core refuses: no column the model reads, two columns for one signal,
    ///     a bad mapping.
    /// UsageError
    ///     ``keep``/``id_column`` naming no column; a kept column with the name of a result column
    ///     (``path`` ``keep``: pass ``prefix=``); ``select`` naming no result column; an
    ///     ``on_error`` other than ``"raise"``/``"flag"``.
    /// TypeError
    ///     Arguments of the wrong type (``keep=True``: the message says what is accepted).
    ///
    /// Examples
    /// --------
    /// >>> import advocacy, pandas as pd
    /// >>> model = advocacy.Model.default()
    /// >>> df = pd.DataFrame({"id": ["a", "b", "c"], "NPS": [10, 3, 9], "health_score": [90, 20, 85],
    /// ...                    "roi_achieved": [True, False, True], "csm_rapport": [5, 2, 4]})
    /// >>> out = model.score_frame(df, keep="all")
    /// >>> list(out.columns[:6]), out["score"].tolist()
    /// (['id', 'NPS', 'health_score', 'roi_achieved', 'csm_rapport', 'score'], [40.0, 0.0, 40.0])
    /// >>> out["tier"].max(), (out["tier"] >= "silver").tolist()
    /// ('silver', [True, False, True])
    /// >>> model.score_frame(df, select=["score", "tier"], prefix="adv_").columns.tolist()
    /// ['id', 'adv_score', 'adv_tier']
    #[pyo3(signature = (table, *, on_error=None, id_column=None, columns=None, keep=None, as_of=None, select=None, prefix=None))]
    #[pyo3(
        text_signature = "(self, /, table, *, on_error='raise', id_column=None, columns=None, keep=None, as_of=None, select=None, prefix=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn score_frame<'py>(
        slf: &Bound<'py, Self>,
        table: &Bound<'py, PyAny>,
        on_error: Option<&Bound<'py, PyAny>>,
        id_column: Option<&Bound<'py, PyAny>>,
        columns: Option<&Bound<'py, PyAny>>,
        keep: Option<&Bound<'py, PyAny>>,
        as_of: Option<&Bound<'py, PyAny>>,
        select: Option<&Bound<'py, PyAny>>,
        prefix: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        Self::table_op(slf, table, Mode::Score, on_error, id_column, columns, keep, as_of, select, prefix)
    }

    /// Scores a table and returns the accounts best first, with a ``rank`` column.
    ///
    /// Ties keep input order and flagged rows come last (without a rank). The arguments are
    /// ``score_frame``'s; the result is ``rank``, the id and ``keep`` columns (``keep="all"``:
    /// every input column), then the result columns (``select`` picks them), each computed column
    /// named with ``prefix``; ``tier`` is ordered as in ``score_frame``. A LazyFrame stays lazy; a
    /// stream is read whole (ranking needs every row) and gives a pyarrow Table, a DuckDB relation
    /// gives a DuckDB relation.
    ///
    /// Parameters
    /// ----------
    /// table : DataFrame, LazyFrame, pyarrow Table, RecordBatch, DuckDB relation or Arrow stream
    ///     The accounts.
    /// top : int, optional
    ///     Only the first ``top`` rows.
    /// on_error, id_column, columns, keep, as_of, select, prefix
    ///     As in ``score_frame``.
    ///
    /// Returns
    /// -------
    /// table
    ///     The input's kind of table, best first.
    ///
    /// Raises
    /// ------
    /// SignalError, ModelError, UsageError, TypeError
    ///     As ``score_frame``; ``top`` that is negative raises UsageError, not a whole number TypeError.
    ///
    /// Examples
    /// --------
    /// >>> import advocacy, polars as pl
    /// >>> df = pl.DataFrame({"id": ["a", "b", "c"], "nps": [3, 10, 9], "health_score": [20, 90, 85]})
    /// >>> advocacy.Model.default().rank(df, top=2, select=["score", "tier"]).rows()
    /// [(1, 'b', 20.0, 'not_yet_qualified'), (2, 'c', 20.0, 'not_yet_qualified')]
    #[pyo3(signature = (table, top=None, *, on_error=None, id_column=None, columns=None, keep=None, as_of=None, select=None, prefix=None))]
    #[pyo3(
        text_signature = "(self, /, table, top=None, *, on_error='raise', id_column=None, columns=None, keep=None, as_of=None, select=None, prefix=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn rank<'py>(
        slf: &Bound<'py, Self>,
        table: &Bound<'py, PyAny>,
        top: Option<&Bound<'py, PyAny>>,
        on_error: Option<&Bound<'py, PyAny>>,
        id_column: Option<&Bound<'py, PyAny>>,
        columns: Option<&Bound<'py, PyAny>>,
        keep: Option<&Bound<'py, PyAny>>,
        as_of: Option<&Bound<'py, PyAny>>,
        select: Option<&Bound<'py, PyAny>>,
        prefix: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        let allowed = "a whole number >= 0 or None";
        let top = match top.filter(|t| !t.is_none()) {
            None => None,
            Some(t) => match args::whole("top", t, allowed)? {
                Ok(n) => Some(
                    usize::try_from(n)
                        .map_err(|_| errors::usage(py, "invalid_argument", "top", &n.to_string(), allowed))?,
                ),
                // An int beyond any table's length: all rows.
                Err(text) if !text.starts_with('-') => Some(usize::MAX),
                Err(text) => return Err(errors::usage(py, "invalid_argument", "top", &text, allowed)),
            },
        };
        Self::table_op(slf, table, Mode::Rank(top), on_error, id_column, columns, keep, as_of, select, prefix)
    }

    /// The long form: one row per account and criterion.
    ///
    /// Columns: ``row`` (the input row), the id and ``keep`` columns (``keep="all"``: every input
    /// column), ``category``, ``criterion``, ``label``, ``signal``, ``rule``, ``outcome``,
    /// ``value``, ``points``, ``max``, ``total``, ``tier`` (ordered as in ``score_frame``) and
    /// ``error``, each computed column named with ``prefix``. Columns are read as by
    /// ``score_frame``; with ``as_of``, values older than the model's maximum age count as missing.
    /// A LazyFrame stays lazy; a stream is read whole and gives a pyarrow Table, a DuckDB relation a
    /// DuckDB relation.
    ///
    /// Parameters
    /// ----------
    /// table : DataFrame, LazyFrame, pyarrow Table, RecordBatch, DuckDB relation or Arrow stream
    ///     The accounts.
    /// on_error, id_column, columns, keep, as_of, prefix
    ///     As in ``score_frame``.
    ///
    /// Returns
    /// -------
    /// table
    ///     The input's kind of table, ``len(table) * criteria`` rows.
    ///
    /// Raises
    /// ------
    /// SignalError, ModelError, UsageError, TypeError
    ///     As ``score_frame``.
    ///
    /// Examples
    /// --------
    /// >>> import advocacy, pyarrow as pa
    /// >>> t = pa.table({"id": ["a"], "nps": [10]})
    /// >>> out = advocacy.Model.default().explain_frame(t)
    /// >>> out.num_rows, out.column("outcome")[0].as_py(), out.schema.field("tier").type.ordered
    /// (12, 'met', True)
    #[pyo3(signature = (table, *, on_error=None, id_column=None, columns=None, keep=None, as_of=None, prefix=None))]
    #[pyo3(
        text_signature = "(self, /, table, *, on_error='raise', id_column=None, columns=None, keep=None, as_of=None, prefix=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn explain_frame<'py>(
        slf: &Bound<'py, Self>,
        table: &Bound<'py, PyAny>,
        on_error: Option<&Bound<'py, PyAny>>,
        id_column: Option<&Bound<'py, PyAny>>,
        columns: Option<&Bound<'py, PyAny>>,
        keep: Option<&Bound<'py, PyAny>>,
        as_of: Option<&Bound<'py, PyAny>>,
        prefix: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        Self::table_op(slf, table, Mode::Explain, on_error, id_column, columns, keep, as_of, None, prefix)
    }

    /// Joins several tables of the same accounts by account id and scores every account.
    ///
    /// A CRM export, a survey, support tickets, product usage: each table is read through its own
    /// column plan (as ``score_frame`` reads a table), and each criterion of a score says which
    /// source and date its value came from (``provenance``), what it overruled and whether it was
    /// too old to count (``stale``).
    ///
    /// Parameters
    /// ----------
    /// sources : list of dict, or dict of str to table
    ///     ``[{"name": str, "data": table, "columns": mapping, "date": date}]`` (``columns`` and
    ///     ``date`` optional), or names to tables. A table is a pandas/polars DataFrame, a pyarrow
    ///     Table, an Arrow PyCapsule object, a list of dicts, or ``{"headers": [...], "rows":
    ///     [[...], ...]}``; ``date`` dates the rows that have no observation date of their own.
    /// conflicts : {"latest", "source_order"}, default "latest"
    ///     ``"latest"``: the latest observation wins (on the same date, the source listed first).
    /// as_of : date or str, optional
    ///     Values older than the model's ``max_age_days`` count as missing.
    /// on_error : {"raise", "flag"}, default "raise"
    ///     ``"flag"`` leaves a bad account without a score and with the ``error``.
    ///
    /// Returns
    /// -------
    /// dict
    ///     ``{"accounts": [{"id", "name", "score", "error"}], "warnings": [{"source", "code",
    ///     "message"}]}``, each ``score`` a full explained score (``Score.to_dict``'s shape).
    ///
    /// Raises
    /// ------
    /// ModelError, SignalError
    ///     A source that cannot be read (``path`` ``sources.<name>``, with the ``row``), or a bad
    ///     value unless ``on_error="flag"``.
    /// UsageError
    ///     A source dict with other keys than name, data, columns, date; a bad ``conflicts``.
    ///
    /// Examples
    /// --------
    /// >>> import advocacy
    /// >>> crm = [{"Account ID": "a", "NPS": 6, "CSM Rapport": 5}]
    /// >>> survey = [{"account_id": "a", "nps": 10, "observed": "2026-11-02"}]
    /// >>> out = advocacy.Model.default().score_sources(
    /// ...     [{"name": "crm", "data": crm, "date": "2025-09-01"}, {"name": "survey", "data": survey}])
    /// >>> a = out["accounts"][0]
    /// >>> a["id"], a["score"]["total"]
    /// ('a', 20.0)
    /// >>> nps = next(c for c in a["score"]["criteria"] if c["signal"] == "nps")
    /// >>> nps["value"], nps["provenance"]["seen"]
    /// (10.0, {'source': 'survey', 'observed': '2026-11-02'})
    #[pyo3(signature = (sources, *, conflicts=None, as_of=None, on_error=None))]
    #[pyo3(text_signature = "(self, /, sources, *, conflicts='latest', as_of=None, on_error='raise')")]
    fn score_sources<'py>(
        &self,
        py: Python<'py>,
        sources: &Bound<'py, PyAny>,
        conflicts: Option<&Bound<'py, PyAny>>,
        as_of: Option<&Bound<'py, PyAny>>,
        on_error: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let on_error = parse_on_error(py, on_error)?;
        sources::score_sources(py, &self.inner, sources, conflicts, as_of, on_error)
    }

    /// How each column of a table with these headers (or of this table) is read, without scoring.
    ///
    /// Parameters
    /// ----------
    /// headers : list of str or table
    ///     Column names, or a pandas/polars/pyarrow table.
    /// columns : dict or path, optional
    ///     A column mapping, as ``score_frame``'s ``columns``.
    ///
    /// Returns
    /// -------
    /// list of dict
    ///     One ``{"header", "role", "signal", "reason"}`` per header; ``role`` is ``id``,
    ///     ``name``, ``observed``, ``signal`` or ``ignored``.
    ///
    /// Raises
    /// ------
    /// ModelError
    ///     Where ``score_frame`` would for these headers (two columns for one signal, a bad mapping).
    /// TypeError
    ///     ``headers`` that are neither names nor a table.
    ///
    /// Examples
    /// --------
    /// >>> import advocacy
    /// >>> [(c["header"], c["role"], c["signal"]) for c in advocacy.Model.default().read_columns(["Account ID", "NPS", "notes"])]
    /// [('Account ID', 'id', None), ('NPS', 'signal', 'nps'), ('notes', 'ignored', None)]
    #[pyo3(signature = (headers, columns=None))]
    fn read_columns<'py>(
        &self,
        py: Python<'py>,
        headers: &Bound<'py, PyAny>,
        columns: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let allowed = "a list of column names, or a table (pandas, polars, pyarrow)";
        let frames = py.import(intern!(py, "advocacy._frames"))?;
        let names = frames.call_method1(intern!(py, "headers"), (headers,))?;
        let names = if names.is_none() {
            if headers.is_instance_of::<PyString>() {
                return Err(args::type_error("headers", headers, allowed));
            }
            args::text_list("headers", headers, allowed)?
        } else {
            names.extract::<Vec<String>>()?
        };
        let mapping = parse_columns(py, columns)?;
        let plan = frame::read_columns(&self.inner, &names, &mapping).map_err(|f| fail(py, f))?;
        let out = PyList::empty(py);
        for c in &plan.columns {
            // The core's JSON form of the read (`role` and, for signals, `signal`), every key present.
            let v = serde_json::to_value(c).map_err(|e| PyTypeError::new_err(e.to_string()))?;
            let role = v.get("role").cloned().unwrap_or(serde_json::Value::Null);
            let signal = v.get("signal").cloned().unwrap_or(serde_json::Value::Null);
            let d = serde_json::json!({"header": c.header, "role": role, "signal": signal, "reason": c.reason});
            out.append(to_py(py, &d)?)?;
        }
        Ok(out.into_any())
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
    ///
    /// Returns
    /// -------
    /// dict
    ///
    /// Examples
    /// --------
    /// >>> import advocacy
    /// >>> d = advocacy.Model.default().score({"id": "a", "nps": 9}).to_dict()
    /// >>> d["id"], d["total"], d["tier"]
    /// ('a', 10.0, 'not_yet_qualified')
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(py, &self.inner)
    }
    /// The whole result as JSON text (the core's serialisation).
    ///
    /// Returns
    /// -------
    /// str
    ///
    /// Examples
    /// --------
    /// >>> import advocacy, json
    /// >>> json.loads(advocacy.Model.default().score({"id": "a", "nps": 9}).to_json())["total"]
    /// 10.0
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.inner).map_err(|e| PyTypeError::new_err(e.to_string()))
    }
    fn _repr_html_(&self) -> String {
        html::score_html(&self.inner)
    }

    /// The explanation as text, as ``advocacy explain`` writes it.
    ///
    /// The id (and ``name``), total, tier and completeness, each category and criterion with
    /// its outcome, value, rule and points, then missing signals, the reachable range, the gap to
    /// the next tier, the outreach and the revisit date. Labels and outreach texts are the
    /// model's (see ``Model.localized``); headings and tier names are in ``lang``.
    ///
    /// Parameters
    /// ----------
    /// lang : str, optional
    ///     One of ``LANGS``; default English.
    /// name : str, optional
    ///     The account's name, written after its id.
    ///
    /// Returns
    /// -------
    /// str
    ///
    /// Raises
    /// ------
    /// UsageError
    ///     An unknown ``lang``.
    ///
    /// Examples
    /// --------
    /// >>> import advocacy
    /// >>> s = advocacy.Model.default(lang="de").score({"id": "acme", "nps": 10})
    /// >>> print(s.explain(lang="de").splitlines()[1])
    /// Score 10 / 100   Tier noch nicht qualifiziert   Vollständigkeit 10%
    /// >>> advocacy.Model.default().score({"id": "acme", "nps": 10}).explain().splitlines()[1]
    /// 'score 10 / 100   tier not_yet_qualified   completeness 10%'
    #[pyo3(signature = (lang=None, name=None))]
    fn explain(
        &self,
        py: Python<'_>,
        lang: Option<&Bound<'_, PyAny>>,
        name: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<String> {
        let lang = lang_arg(py, lang)?;
        let name = args::opt_text("name", name)?;
        Ok(advocacy_program::lang::explain_text(&self.inner, name.as_deref(), lang))
    }

    /// A score from its JSON (`Score.to_json`); how scores unpickle.
    #[staticmethod]
    fn _from_json(py: Python<'_>, text: &Bound<'_, PyAny>) -> PyResult<Score> {
        let text = args::text("text", text)?;
        serde_json::from_str::<CoreScore>(&text).map(|inner| Score { inner }).map_err(|_| {
            let shown = format!("{:?}", advocacy_core::printable(&text, 80));
            errors::usage(py, "invalid_argument", "text", &shown, "the JSON of a Score (Score.to_json)")
        })
    }

    /// Pickles as its JSON (so scores travel back from Dask/Spark workers).
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<(Bound<'py, PyAny>, (String,))> {
        let from_json = py.get_type::<Score>().getattr(intern!(py, "_from_json"))?;
        Ok((from_json, (self.to_json()?,)))
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

/// The standard signals of the domain guide, with their kinds and ranges.
///
/// Returns
/// -------
/// list of dict
///     ``[{"name", "kind", "min", "max", "values", "description"}]`` (keys that do not apply
///     are absent).
///
/// Examples
/// --------
/// >>> import advocacy
/// >>> advocacy.standard_signals()[0]
/// {'name': 'nps', 'kind': 'integer', 'min': 0.0, 'max': 10.0, 'description': 'latest Net Promoter Score answer; 9-10 = promoter'}
#[pyfunction]
fn standard_signals(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    to_py(py, advocacy_core::standard_signals())
}

/// A `lang=` argument: None is English, else a code `Lang` reads.
fn lang_arg(py: Python<'_>, v: Option<&Bound<'_, PyAny>>) -> PyResult<advocacy_program::Lang> {
    match args::opt_text("lang", v)? {
        None => Ok(advocacy_program::Lang::En),
        Some(code) => lang_code(py, code),
    }
}

/// A language code `Lang` reads, or a usage error listing the codes.
fn lang_code(py: Python<'_>, code: String) -> PyResult<advocacy_program::Lang> {
    code.parse().map_err(|_| {
        errors::usage(py, "invalid_argument", "lang", &format!("{code:?}"), &advocacy_program::Lang::codes())
    })
}

/// The text of a key in a language (English where the language lacks it).
///
/// The keys are those of the catalogues (``crates/advocacy-program/lang/en.json``): tier,
/// segment, stage and effort names (``"tier.not_yet_qualified"``), the default model's and
/// program's labels, the headings of the text reports, and the message templates
/// (``"message.recruitment"``, ``"message.thank_you"``). A key no catalogue has is returned as
/// it is.
///
/// Parameters
/// ----------
/// key : str
/// lang : str, optional
///     One of ``LANGS``; default English.
///
/// Returns
/// -------
/// str
///
/// Raises
/// ------
/// UsageError
///     An unknown ``lang``.
///
/// Examples
/// --------
/// >>> import advocacy
/// >>> advocacy.text("tier.not_yet_qualified", lang="ms")
/// 'belum layak'
#[pyfunction]
#[pyo3(signature = (key, lang=None))]
fn text(py: Python<'_>, key: &Bound<'_, PyAny>, lang: Option<&Bound<'_, PyAny>>) -> PyResult<String> {
    let key = args::text("key", key)?;
    Ok(advocacy_program::lang::text(lang_arg(py, lang)?, &key).to_string())
}

/// A text with its ``{placeholders}`` filled: the message templates, or any key of ``text``.
///
/// ``message.recruitment`` follows the program guide's recruitment template (placeholders
/// ``name``, ``company``, ``timeframe``, ``outcome``, ``project``, ``commitment``,
/// ``incentive``, ``sender``); ``message.thank_you`` closes the loop after an activity
/// (``name``, ``activity``, ``result``, ``sender``). Placeholders not given stay as they are.
///
/// Parameters
/// ----------
/// key : str
/// lang : str, optional
///     One of ``LANGS``; default English.
/// **values : str
///     The placeholders' values.
///
/// Returns
/// -------
/// str
///
/// Raises
/// ------
/// UsageError
///     An unknown ``lang``.
/// TypeError
///     A value that is not a str.
///
/// Examples
/// --------
/// >>> import advocacy
/// >>> msg = advocacy.message("message.recruitment", lang="id", name="Dana", company="Acme")
/// >>> msg.splitlines()[0]
/// 'Hi Dana,'
/// >>> "bekerja dengan Acme selama {timeframe}" in msg
/// True
#[pyfunction]
#[pyo3(signature = (key, lang=None, **values))]
fn message(
    py: Python<'_>,
    key: &Bound<'_, PyAny>,
    lang: Option<&Bound<'_, PyAny>>,
    values: Option<&Bound<'_, pyo3::types::PyDict>>,
) -> PyResult<String> {
    let key = args::text("key", key)?;
    let lang = lang_arg(py, lang)?;
    let mut given = Vec::new();
    for (k, v) in values.into_iter().flat_map(|d| d.iter()) {
        let k = args::text("values", &k)?;
        let v = args::text(&k, &v)?;
        given.push((k, v));
    }
    let pairs: Vec<(&str, &str)> = given.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    Ok(advocacy_program::lang::message(lang, &key, &pairs))
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
    m.add_function(wrap_pyfunction!(text, m)?)?;
    m.add_function(wrap_pyfunction!(message, m)?)?;
    // The languages of the texts, English first.
    m.add("LANGS", PyTuple::new(py, advocacy_program::Lang::ALL.map(|l| l.code()))?)?;
    // The tiers worst first: the order of every tier column (the core's tier list, read backwards).
    m.add("TIERS", PyTuple::new(py, frame::tiers_worst_first().map(|t| t.as_str()))?)?;
    program::register(m)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
