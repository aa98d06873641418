"""Runs the score, model-error, tables and sources files of tests/vectors/ through the Python API
(format: tests/vectors/README.md): score files through Model.score and score_frame, tables
through score_frame (pandas object and string columns, polars Utf8, a LazyFrame collected by the
streaming engine, a pyarrow stream of two-row batches) and explain_frame, sources through
Model.score_sources (lists of dicts or headers and rows, and pandas frames).

Each file of a kind in RUNNERS is one test. The program kinds are run by test_program_vectors.py,
which also fails on any vector kind that neither file runs (so no file is left out silently). To
run a new kind, write a ``run_<kind>(path, vector)`` function and add it to RUNNERS.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Callable

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import advocacy

VECTOR_DIR = Path(__file__).resolve().parents[2] / "tests" / "vectors"
FILES = sorted(VECTOR_DIR.glob("*.json"))


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def model_of(v: dict[str, Any]) -> advocacy.Model:
    base = v.get("model")
    m = json.loads(advocacy.Model.default().to_json()) if base is None else dict(base)
    for k, val in (v.get("model_overrides") or {}).items():
        m[k] = val
    return advocacy.Model.from_json(json.dumps(m))


def matches(expected: Any, actual: Any, path: str = "") -> None:
    """Partial match: every key given must match; arrays of the same length match item by item."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), f"{path}: expected an object, got {actual!r}"
        for k, v in expected.items():
            assert k in actual, f"{path}.{k}: missing in result"
            matches(v, actual[k], f"{path}.{k}")
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected), f"{path}: expected {expected!r}, got {actual!r}"
        for i, (x, y) in enumerate(zip(expected, actual)):
            matches(x, y, f"{path}[{i}]")
    elif isinstance(expected, (int, float)) and not isinstance(expected, bool):
        assert isinstance(actual, (int, float)) and not isinstance(actual, bool) and float(expected) == float(actual), (
            f"{path}: expected {expected!r}, got {actual!r}"
        )
    else:
        assert expected == actual, f"{path}: expected {expected!r}, got {actual!r}"


def error_fields(e: advocacy.AdvocacyError) -> dict[str, Any]:
    names = ("code", "row", "id", "signal", "value", "allowed") if isinstance(e, advocacy.SignalError) else (
        "code", "path", "value", "allowed", "message")
    return {k: getattr(e, k) for k in names}


def flat_record(record: Any) -> Any:
    """A record as the core's Record::from_json sees it: nested values as compact JSON text."""
    if not isinstance(record, dict):
        return record
    out = {}
    for k, v in record.items():
        if isinstance(v, (dict, list)):
            text = json.dumps(v, separators=(",", ":"), ensure_ascii=False)
            v = text[:200] + "..." if len(text) > 200 else text
        out[k] = v
    return out


def typed_arrow_table(records: list[dict[str, Any]]):
    """A pyarrow table with one typed column per signal, or None when a column mixes types."""
    names = sorted({k for r in records for k in r})
    arrays = {}
    for name in names:
        values = [r.get(name) for r in records]
        try:
            arrays[name] = pa.array(values)
        except (pa.ArrowException, TypeError, ValueError, OverflowError):
            return None
    if not names:
        return pa.table({"__n": pa.nulls(len(records))}).drop_columns(["__n"])
    return pa.table(arrays)


def stream_of(table: pa.Table, rows: int = 2) -> pa.RecordBatchReader:
    """A table as a stream of batches of ``rows`` rows (so that ids and row numbers cross batches)."""
    return pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=rows))


def result(out: Any) -> Any:
    """A result read whole: streams read, LazyFrames collected by the streaming engine."""
    if isinstance(out, pa.RecordBatchReader):
        return out.read_all()
    if isinstance(out, pl.LazyFrame):
        return out.collect(engine="streaming")
    return out


def check_batch(file: str, model: advocacy.Model, records: list[dict[str, Any]], results: list[Any],
                ranking: list[int] | None) -> None:
    """score_frame(on_error="flag") over all records equals the one-by-one results, for pandas,
    pyarrow and polars tables, a pyarrow stream of two-row batches and a polars LazyFrame."""
    flat = [flat_record(r) for r in records]
    tables: list[tuple[str, Callable[[], Any]]] = [
        ("pandas", lambda: pd.DataFrame(flat, index=range(len(flat))))]
    typed = typed_arrow_table(flat)
    if typed is not None:
        tables.append(("pyarrow", lambda: typed))
        tables.append(("polars", lambda: pl.from_arrow(typed)))
        tables.append(("pyarrow stream", lambda: stream_of(typed)))
        tables.append(("polars lazy", lambda: pl.from_arrow(typed).lazy()))
    first_error = next((i for i, r in enumerate(results) if isinstance(r, Exception)), None)
    for how, table in tables:
        out = result(model.score_frame(table(), on_error="flag"))
        if how == "pandas":
            rows = out.to_dict("records")
        elif how.startswith("polars"):
            rows = out.to_dicts()
        else:
            rows = out.to_pylist()
        assert len(rows) == len(results), f"{file} ({how}): {len(rows)} rows"
        for i, (row, res) in enumerate(zip(rows, results)):
            what = f"{file} ({how}) row {i}"
            err = row["error"]
            if isinstance(err, float) and math.isnan(err):
                err = None
            if isinstance(res, Exception):
                assert err is not None, f"{what}: not flagged, one by one: {res}"
                # Same code, signal, value and allowed: the message after the row prefix is the same.
                assert err.startswith(f"row {i}"), f"{what}: {err}"
                assert err.split("signal `", 1)[1] == str(res).split("signal `", 1)[1], f"{what}: {err} vs {res}"
                score = row["score"]
                assert score is None or math.isnan(score), f"{what}: flagged row has a score"
                assert row["tier"] is None or (isinstance(row["tier"], float) and math.isnan(row["tier"])), what
            else:
                assert err is None, f"{what}: flagged: {err}"
                s = res
                assert row["score"] == s["total"], f"{what}: total {row['score']} != {s['total']}"
                assert row["tier"] == s["tier"], f"{what}: tier"
                assert row["completeness"] == s["completeness"], f"{what}: completeness"
                assert row["max_possible"] == s["bounds"]["max"], f"{what}: max_possible"
                for c in s["categories"]:
                    assert row[c["id"]] == c["points"], f"{what}: category {c['id']}"
        # on_error="raise": the first bad row (lowest index) is reported.
        if first_error is None:
            result(model.score_frame(table()))
        else:
            with pytest.raises(advocacy.SignalError) as info:
                result(model.score_frame(table()))
            assert info.value.row == first_error, f"{file} ({how}): raise reports row {info.value.row}"
        if ranking is not None:
            ranked = result(model.rank(table(), on_error="flag"))
            if how == "pandas":
                assert list(ranked.index) == ranking, f"{file} ({how}): ranking {list(ranked.index)} != {ranking}"
            elif all("id" in r for r in records):
                ids = ranked["id"].to_list() if how.startswith("polars") else ranked.column("id").to_pylist()
                assert ids == [records[i]["id"] for i in ranking], f"{file} ({how}): ranking"


def run_score(path: Path, v: dict[str, Any]) -> None:
    model = model_of(v)
    as_of = v.get("as_of")
    records: list[dict[str, Any]] = []
    results: list[Any] = []
    for case in v["cases"]:
        name = f"{path.name}: {case.get('name', '?')}"
        record = case["record"]
        records.append(record)
        if "error" in case:
            with pytest.raises(advocacy.SignalError) as info:
                model.score(record, as_of=as_of)
            matches(case["error"], error_fields(info.value), "error")
            assert isinstance(info.value, ValueError)
            results.append(info.value)
            continue
        try:
            score = model.score(record, as_of=as_of)
        except advocacy.SignalError as e:  # pragma: no cover - reported as a failure
            pytest.fail(f"{name}: unexpected error: {e}")
        got = score.to_dict()
        if "expect" in case:
            matches(case["expect"], got, "score")
        assert "score" in case, f"{name}: no `score`; run UPDATE_VECTORS=1 cargo test --test vectors"
        assert got == case["score"], f"{name}: full result differs"
        # Attributes carry the same values as the dict.
        assert score.total == got["total"] and score.tier == got["tier"] and score.id == got["id"]
        assert score.criteria == got["criteria"] and score.bounds == got["bounds"]
        results.append(got)
    check_batch(path.name, model, records, results, v.get("batch_ranking"))


def run_model_errors(path: Path, v: dict[str, Any]) -> None:
    for case in v["cases"]:
        name = f"{path.name}: {case.get('name', '?')}"
        model = case["model"]
        with pytest.raises(advocacy.ModelError) as info:
            if case.get("format") == "toml":
                advocacy.Model.from_toml(model)
            elif isinstance(model, str):
                advocacy.Model.from_json(model)
            else:
                advocacy.Model.from_json(json.dumps(model))
        assert isinstance(info.value, ValueError)
        try:
            matches(case["error"], error_fields(info.value), "error")
        except AssertionError as e:
            raise AssertionError(f"{name}: {e} (message: {info.value})") from None
        # Dicts go through the same path as JSON text.
        if case.get("format") != "toml" and isinstance(model, dict):
            with pytest.raises(advocacy.ModelError) as again:
                advocacy.Model.from_dict(model)
            assert error_fields(again.value) == error_fields(info.value), name


def all_fields(e: advocacy.AdvocacyError) -> dict[str, Any]:
    return {k: getattr(e, k) for k in ("kind", "code", "path", "row", "id", "signal", "value", "allowed", "message")}


def is_missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def text_tables(headers: list[str], rows: list[list[str | None]]) -> list[tuple[str, Callable[[], Any]]]:
    """The case's table of text cells as pandas (object columns, pandas' default `str` columns and
    `string` columns with pd.NA), polars (Utf8, eager and lazy) and a pyarrow stream of two-row
    batches; each made anew on each call (a stream is read once)."""
    def polars() -> pl.DataFrame:
        return pl.DataFrame(rows, schema={h: pl.Utf8 for h in headers}, orient="row")

    def arrow() -> pa.Table:
        return pa.table({h: pa.array([r[k] for r in rows], pa.string()) for k, h in enumerate(headers)})

    return [
        ("pandas object", lambda: pd.DataFrame(rows, columns=headers, dtype=object)),
        ("pandas str", lambda: pd.DataFrame(rows, columns=headers, dtype=object).astype("str")),
        ("pandas string", lambda: pd.DataFrame(rows, columns=headers, dtype=object).astype(pd.StringDtype())),
        ("polars", polars),
        ("polars lazy", lambda: polars().lazy()),
        ("pyarrow stream", lambda: stream_of(arrow())),
    ]


def frame_rows(how: str, out: Any) -> list[dict[str, Any]]:
    out = result(out)
    if how.startswith("polars"):
        return out.to_dicts()
    return out.to_pylist() if how.startswith("pyarrow") else out.to_dict("records")


def run_tables(path: Path, v: dict[str, Any]) -> None:
    """Each case through score_frame(on_error="flag", columns=, as_of=) on text frames: every row's
    id, score, tier, completeness and max_possible (flagged rows: the error's message) equal the
    core's `output`; whole-table errors raise with the given fields; `read` is read_columns."""
    for case in v["cases"]:
        name = f"{path.name}: {case.get('name', '?')}"
        model = model_of(case)
        headers, rows = case["headers"], case["rows"]
        columns, as_of = case.get("columns"), case.get("as_of")
        for how, table in text_tables(headers, rows):
            what = f"{name} ({how})"
            if "error" in case:
                with pytest.raises(advocacy.AdvocacyError) as info:
                    model.score_frame(table(), on_error="flag", columns=columns, as_of=as_of)
                try:
                    matches(case["error"], all_fields(info.value), "error")
                except AssertionError as e:
                    raise AssertionError(f"{what}: {e} ({info.value})") from None
                continue
            out = frame_rows(how, model.score_frame(table(), on_error="flag", columns=columns, as_of=as_of))
            want_rows = case["output"]["rows"]
            assert len(out) == len(want_rows), what
            read = model.read_columns(headers, columns=columns)
            id_header = next((r["header"] for r in read if r["role"] == "id"), None)
            for i, (got, want) in enumerate(zip(out, want_rows)):
                at = f"{what} row {i}"
                if id_header is not None:
                    cell = got[id_header]
                    got_id = None if is_missing(cell) else (str(cell).strip() or None)
                    assert got_id == want["id"], f"{at}: id {got_id!r} != {want['id']!r}"
                if "error" in want:
                    assert got["error"] == want["error"]["message"], f"{at}: {got['error']!r}"
                    assert is_missing(got["score"]) and is_missing(got["tier"]), at
                    continue
                assert is_missing(got["error"]), f"{at}: flagged: {got['error']}"
                for key, col in (("total", "score"), ("tier", "tier"), ("completeness", "completeness"),
                                 ("max_possible", "max_possible")):
                    assert got[col] == want[key], f"{at}: {col} {got[col]!r} != {want[key]!r}"
            # explain_frame scores each row as a record, with the same freshness.
            explained = frame_rows(how, model.explain_frame(table(), on_error="flag", columns=columns, as_of=as_of))
            for i, want in enumerate(want_rows):
                mine = [r for r in explained if r["row"] == i]
                assert mine, f"{what}: explain has no row {i}"
                if "error" in want:
                    assert all(r["error"] == want["error"]["message"] for r in mine), f"{what}: explain row {i}"
                else:
                    assert all(r["total"] == want["total"] for r in mine), f"{what}: explain row {i} total"
        if "error" in case:
            continue
        read = model.read_columns(headers, columns=columns)
        by_header = {r["header"]: r for r in read}
        for e in case.get("read", []):
            matches(e, by_header[e["header"]], f"{name}: read[{e['header']!r}]")
        assert len(read) == len(case["output"]["read"]), name
        for want, got in zip(case["output"]["read"], read):
            assert got == {"signal": None, **want}, f"{name}: read {got} != {want}"


def same(a: Any, b: Any) -> bool:
    """Exact equality of JSON values, as serde_json's: 1 and 1.0 differ, True and 1 differ."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return bool(a == b)


def source_data(how: str, s: dict[str, Any]) -> Any:
    """A source's rows as the Python API takes them: lists of dicts (or headers and rows), or a
    pandas frame built from the rows."""
    headers, rows = s.get("headers"), s["rows"]
    if how == "lists":
        return rows if headers is None else {"headers": headers, "rows": rows}
    if headers is None:
        return pd.DataFrame(rows)
    return pd.DataFrame(rows, columns=headers)


def run_sources(path: Path, v: dict[str, Any]) -> None:
    """Each case through Model.score_sources: the whole result equals the core's `output`
    (exactly, ints and floats apart), `expect` and `expect_criteria` match, and `error` cases
    raise with the given fields. The data as lists and as pandas frames."""
    for case in v["cases"]:
        name = f"{path.name}: {case.get('name', '?')}"
        model = model_of(case)
        inp = case["input"]
        on_error = {"fail": "raise", "flag": "flag"}[inp.get("on_error", "fail")]
        for how in ("lists", "pandas"):
            what = f"{name} ({how})"
            sources = []
            for s in inp["sources"]:
                entry = {"name": s["name"], "data": source_data(how, s)}
                for k in ("columns", "date"):
                    if k in s:
                        entry[k] = s[k]
                sources.append(entry)
            kwargs = {"conflicts": inp.get("conflicts", "latest"), "as_of": inp.get("as_of"), "on_error": on_error}
            if "error" in case:
                with pytest.raises(advocacy.AdvocacyError) as info:
                    model.score_sources(sources, **kwargs)
                try:
                    matches(case["error"], all_fields(info.value), "error")
                except AssertionError as e:
                    raise AssertionError(f"{what}: {e} ({info.value})") from None
                assert str(info.value) == info.value.message, what
                continue
            out = model.score_sources(sources, **kwargs)
            if "expect" in case:
                try:
                    matches(case["expect"], out, "output")
                except AssertionError as e:
                    raise AssertionError(f"{what}: {e}") from None
            for account, criteria in (case.get("expect_criteria") or {}).items():
                got = next(a for a in out["accounts"] if a["id"] == account)
                for cid, want in criteria.items():
                    c = next(c for c in got["score"]["criteria"] if c["id"] == cid)
                    matches(want, c, f"{what}: {account}.{cid}")
            assert "output" in case, f"{name}: no `output`; run UPDATE_VECTORS=1 cargo test --test source_vectors"
            assert same(out, case["output"]), f"{what}: the result differs from `output`:\n{out}"


# The hook: one runner per vector kind run here.
RUNNERS: dict[str, Callable[[Path, dict[str, Any]], None]] = {
    "score": run_score,
    "model_errors": run_model_errors,
    "tables": run_tables,
    "sources": run_sources,
}

SCORE_FILES = [p for p in FILES if load(p).get("kind") in RUNNERS]


def test_vector_dir_has_files() -> None:
    kinds = [load(p).get("kind") for p in FILES]
    assert kinds.count("score") >= 5 and "model_errors" in kinds, kinds
    assert "tables" in kinds and "sources" in kinds, kinds


@pytest.mark.parametrize("path", SCORE_FILES, ids=[p.name for p in SCORE_FILES])
def test_vector_file(path: Path) -> None:
    v = load(path)
    RUNNERS[v["kind"]](path, v)
