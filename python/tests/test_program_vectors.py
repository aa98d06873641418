"""Runs every program vector file (tests/vectors/program_*.json, kinds segments, overrides,
eligibility, fatigue, match, review/movement, metrics, history) through ``advocacy.program``, exactly as
the Rust runner tests/program_vectors.rs does:

- ``expect`` (hand-written, partial) must match: every key given matches, arrays of the same
  length match item by item, numbers compare as numbers;
- ``output`` (the core's full result) must equal the result exactly (int and float kept apart,
  as serde_json compares them);
- ``error`` cases must raise ``advocacy.ProgramError`` whose fields match every key given.

Any vector kind that neither this file nor test_vectors.py runs is a failure, not a skip.
Also: bad input of every shape raises ProgramError (never a crash).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Callable

import pytest

import advocacy
from advocacy import program

VECTOR_DIR = Path(__file__).resolve().parents[2] / "tests" / "vectors"
FILES = sorted(VECTOR_DIR.glob("*.json"))

# One runner per program vector kind (the functions `advocacy_program::json::FUNCTIONS` names).
RUNNERS: dict[str, Callable[[Any], dict[str, Any]]] = {
    "segments": program.segments,
    "overrides": program.overrides,
    "eligibility": program.eligibility,
    "fatigue": program.fatigue,
    "match": program.match_request,
    "review": program.review,
    "movement": program.review,
    "metrics": program.metrics,
    "history": program.history,
    "draft": program.draft,
    "requests": program.requests,
}
REQUIRED_KINDS = (
    "segments",
    "overrides",
    "eligibility",
    "fatigue",
    "match",
    "review",
    "metrics",
    "history",
    "draft",
    "requests",
)
# Kinds test_vectors.py runs (score files, model errors, tables read through score_frame, sources
# joined by score_sources).
SCORE_KINDS = ("score", "model_errors", "tables", "sources")


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def program_files() -> list[Path]:
    return [p for p in FILES if load(p).get("kind") in RUNNERS]


def matches(expected: Any, actual: Any, path: str) -> None:
    """The Rust runner's `matches`: partial objects, same-length arrays, numbers as f64."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for k, v in expected.items():
            assert k in actual, f"{path}.{k}: missing in result"
            matches(v, actual[k], f"{path}.{k}")
        return
    if isinstance(expected, list) and isinstance(actual, list):
        assert len(expected) == len(actual), f"{path}: expected {len(expected)} items, got {len(actual)}: {actual!r}"
        for i, (x, y) in enumerate(zip(expected, actual)):
            matches(x, y, f"{path}[{i}]")
        return
    if is_number(expected) and is_number(actual):
        assert float(expected) == float(actual), f"{path}: expected {expected!r}, got {actual!r}"
        return
    assert same(expected, actual), f"{path}: expected {expected!r}, got {actual!r}"


def is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def same(a: Any, b: Any) -> bool:
    """Exact equality of JSON values, as serde_json's: 1 and 1.0 differ, True and 1 differ."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return bool(a == b)


def first_difference(want: Any, got: Any, path: str = "output") -> str:
    if type(want) is not type(got):
        return f"{path}: {want!r} ({type(want).__name__}) vs {got!r} ({type(got).__name__})"
    if isinstance(want, dict):
        for k in sorted(set(want) | set(got)):
            if k not in got or k not in want:
                return f"{path}.{k}: only in {'the file' if k in want else 'the result'}"
            if not same(want[k], got[k]):
                return first_difference(want[k], got[k], f"{path}.{k}")
    if isinstance(want, list):
        if len(want) != len(got):
            return f"{path}: {len(want)} items in the file, {len(got)} in the result"
        for i, (x, y) in enumerate(zip(want, got)):
            if not same(x, y):
                return first_difference(x, y, f"{path}[{i}]")
    return f"{path}: {want!r} vs {got!r}"


def error_fields(e: program.ProgramError) -> dict[str, Any]:
    return {k: getattr(e, k) for k in ("code", "path", "row", "id", "value", "allowed", "message")}


def run_case(kind: str, name: str, case: dict[str, Any]) -> None:
    fn = RUNNERS[kind]
    if "error" in case:
        try:
            got = fn(case["input"])
        except program.ProgramError as e:
            assert isinstance(e, ValueError) and isinstance(e, advocacy.ProgramError)
            assert str(e), f"{name}: empty message"
            try:
                matches(case["error"], error_fields(e), "error")
            except AssertionError as m:
                raise AssertionError(f"{name}: {m} (error: {e})") from None
            return
        pytest.fail(f"{name}: expected an error, got {got!r}")
    try:
        out = fn(case["input"])
    except program.ProgramError as e:
        pytest.fail(f"{name}: unexpected error: {e}")
    if "expect" in case:
        try:
            matches(case["expect"], out, "output")
        except AssertionError as m:
            raise AssertionError(f"{name}: {m}") from None
    assert "output" in case, f"{name}: no `output` (run UPDATE_VECTORS=1 cargo test --test program_vectors)"
    assert same(out, case["output"]), f"{name}: output differs from the file: {first_difference(case['output'], out)}"


@pytest.mark.parametrize("path", program_files(), ids=lambda p: p.name)
def test_program_vector_file(path: Path) -> None:
    v = load(path)
    kind = v["kind"]
    cases = v.get("cases")
    assert cases, f"{path.name}: no cases"
    failures = []
    for case in cases:
        name = f"{path.name}: {case.get('name', '?')}"
        try:
            run_case(kind, name, case)
        except AssertionError as e:
            failures.append(str(e))
        except pytest.fail.Exception as e:
            failures.append(str(e))
    assert not failures, f"{len(failures)} failing cases:\n" + "\n".join(failures)


def test_every_vector_kind_has_a_runner() -> None:
    """No vector file is left unrun: its kind is run here or by test_vectors.py."""
    kinds: dict[str, list[str]] = {}
    for p in FILES:
        kind = load(p).get("kind")
        assert isinstance(kind, str) and kind, f"{p.name}: no `kind`"
        kinds.setdefault(kind, []).append(p.name)
    unrun = {k: f for k, f in kinds.items() if k not in RUNNERS and k not in SCORE_KINDS}
    assert not unrun, f"vector kinds with no Python runner: {unrun}"
    for p in FILES:
        if p.name.startswith("program_"):
            assert load(p)["kind"] in RUNNERS, f"{p.name}: a program file of a kind with no runner"
    for k in REQUIRED_KINDS:
        assert k in kinds, f"no vector file of kind {k}"
    ran = sum(len(load(p)["cases"]) for p in program_files())
    assert ran >= 30, f"only {ran} program cases"


def test_score_kinds_are_run_by_test_vectors() -> None:
    """The kinds left to test_vectors.py have a runner there."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("_score_vectors", Path(__file__).with_name("test_vectors.py"))
    assert spec is not None and spec.loader is not None
    score_vectors = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score_vectors)
    for k in SCORE_KINDS:
        assert k in score_vectors.RUNNERS, k


# ---------------------------------------------------------------------------------------------
# Bad input: always a ProgramError (a ValueError) with a code and a path, never a crash.

FUNCTIONS = [
    program.segments,
    program.overrides,
    program.eligibility,
    program.fatigue,
    program.match_request,
    program.review,
    program.metrics,
]


@pytest.mark.parametrize("fn", FUNCTIONS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("bad", [None, 3, "text", [1, 2], b"bytes", (("a", 1),)], ids=repr)
def test_not_a_dict_is_type_error(fn: Callable[[Any], Any], bad: Any) -> None:
    with pytest.raises(TypeError, match="argument `input`: value of type"):
        fn(bad)


@pytest.mark.parametrize("fn", FUNCTIONS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("bad", [{}, {"nope": 1}], ids=repr)
def test_bad_shapes_raise_program_error(fn: Callable[[Any], Any], bad: Any) -> None:
    with pytest.raises(program.ProgramError) as info:
        fn(bad)
    e = info.value
    assert isinstance(e, ValueError)
    assert e.code == "parse", (e.code, str(e))
    assert str(e)


def test_python_values_read_as_their_json() -> None:
    # Dates are their ISO text; numpy scalars their values.
    import numpy as np

    out = program.fatigue({"account": "a", "ledger": [], "as_of": dt.date(2026, 1, 1)})
    assert out["resting"] is False
    bar = {"health_score": np.float64(95), "active_days_30d": np.int64(22), "roi_achieved": np.bool_(True)}
    seg = program.segments({"accounts": [{"id": "a", "signals": {"public_reviews": np.int64(2), "nps": np.float64(9), **bar}}]})
    assert seg["results"][0]["segment"] == "active"
    with pytest.raises(program.ProgramError) as info:
        program.segments({"accounts": [{"id": "a", "signals": {"nps": object()}}]})
    assert (info.value.code, info.value.path, info.value.value) == ("parse", "accounts[0].signals.nps", "object")
    with pytest.raises(program.ProgramError) as info:
        program.segments({"accounts": [{"id": "a", "signals": {"industry": b"\xff"}}]})
    assert info.value.path == "accounts[0].signals.industry" and "xff" in info.value.value


def test_whole_floats_read_like_model_score() -> None:
    """5.0 for an integer signal is 5, as Model.score reads it; 9.5 is still refused."""
    ints = {"accounts": [{"id": "a", "signals": {"public_reviews": 2, "nps": 9}}]}
    floats = {"accounts": [{"id": "a", "signals": {"public_reviews": 2.0, "nps": 9.0}}]}
    assert program.segments(floats) == program.segments(ints)
    assert advocacy.Model.default().score({"nps": 9.0}).total == advocacy.Model.default().score({"nps": 9}).total
    with pytest.raises(program.ProgramError) as info:
        program.segments({"accounts": [{"id": "a", "signals": {"nps": 9.5}}]})
    assert info.value.path == "accounts[0].signals.nps"
    led = [{"account": "a", "activity": "case_study", "status": "completed", "date": "2026-01-10"}]
    cfg = {"fatigue": {"max_asks": {"count": 3.0, "window_days": 90.0}}}
    a = program.fatigue({"account": "a", "ledger": led, "as_of": "2026-02-01", "config": cfg})
    cfg_int = {"fatigue": {"max_asks": {"count": 3, "window_days": 90}}}
    assert a == program.fatigue({"account": "a", "ledger": led, "as_of": "2026-02-01", "config": cfg_int})


def test_booleans_are_only_booleans() -> None:
    """A bool field takes True/False only: "no" is never read as true (a truthy string)."""
    for bad in ("no", "maybe", 2, [1]):
        with pytest.raises(program.ProgramError) as info:
            program.segments({"accounts": [{"id": "a", "signals": {"roi_achieved": bad}}]})
        assert info.value.path == "accounts[0].signals.roi_achieved", bad


def test_missing_field_names_it() -> None:
    with pytest.raises(program.ProgramError) as info:
        program.fatigue({"account": "a", "ledger": []})
    assert info.value.code == "parse"
    assert "as_of" in str(info.value)
    with pytest.raises(program.ProgramError) as info:
        program.match_request({"accounts": [], "as_of": "2026-01-01"})
    assert info.value.code == "parse" and "request" in str(info.value)


def test_wrong_types_name_the_path() -> None:
    with pytest.raises(program.ProgramError) as info:
        program.segments({"accounts": "not a list"})
    assert (info.value.code, info.value.path) == ("parse", "accounts")
    with pytest.raises(program.ProgramError) as info:
        program.fatigue({"account": "a", "ledger": [{"account": "a", "activity": "case_study",
                                                      "status": "asked", "date": "2026-13-01"}], "as_of": "2026-01-01"})
    assert (info.value.code, info.value.path) == ("parse", "ledger[0].date")
    with pytest.raises(program.ProgramError) as info:
        program.segments({"accounts": [{"id": "a", "signals": {"nps": 11}}]})
    e = info.value
    assert (e.code, e.path, e.row, e.id, e.value, e.allowed) == (
        "out_of_range", "accounts[0].signals.nps", 0, "a", "11", "an integer from 0 to 10")
    with pytest.raises(program.ProgramError) as info:
        program.fatigue({"account": "a", "ledger": [], "as_of": "2026-01-01", "config": {"fatigue": {"max_asks": {"count": 0, "window_days": 90}}}})
    assert (info.value.code, info.value.path, info.value.value) == ("invalid_value", "config.fatigue.max_asks.count", "0")


def test_huge_and_odd_numbers_do_not_crash() -> None:
    for v in (10**40, -(10**40), float("inf"), float("nan"), True):
        try:
            program.segments({"accounts": [{"id": "a", "total": v, "signals": {"nps": 9}}]})
        except program.ProgramError as e:
            assert e.code and str(e)


def test_error_class_is_exported_and_has_defaults() -> None:
    assert advocacy.ProgramError is program.ProgramError
    assert issubclass(advocacy.ProgramError, advocacy.AdvocacyError) and issubclass(advocacy.ProgramError, ValueError)
    e = advocacy.ProgramError("raised by hand")
    assert (e.kind, e.code, e.path, e.row, e.id, e.value, e.allowed) == ("program", "", None, None, None, None, None)


@pytest.mark.parametrize("bad", [None, 3, "text", b"bytes", (("a", 1),)], ids=repr)
def test_history_not_a_dict_list_or_table_is_type_error(bad: Any) -> None:
    with pytest.raises(TypeError, match="argument `input`: value of type"):
        program.history(bad)


@pytest.mark.parametrize("bad", [{}, {"nope": 1}, [1, 2], {"rows": {"as_of": ["2026-01-31"]}}], ids=repr)
def test_history_bad_shapes_raise_program_error(bad: Any) -> None:
    with pytest.raises(program.ProgramError) as info:
        program.history(bad)
    assert info.value.code == "parse", (info.value.code, str(info.value))


HISTORY = [
    {"as_of": "2026-02-28", "id": "a", "total": 45, "tier": "silver", "health_score": 70.5},
    {"as_of": "2026-03-31", "id": "a", "total": 35, "tier": "not_yet_qualified", "health_score": 60.0},
    {"as_of": "2026-03-31", "id": "b", "total": 62, "tier": "gold", "health_score": None},
    {"as_of": "2026-05-31", "id": "a", "total": 37, "tier": "not_yet_qualified", "health_score": 61.0},
    {"as_of": "2026-06-30", "id": "a", "total": 44, "tier": "silver", "health_score": 66.0},
    {"as_of": "2026-06-30", "id": "b", "total": 70, "tier": "gold", "health_score": 80.0},
]


def test_history_reads_long_frames_with_an_as_of_column() -> None:
    """pandas (text and datetime64 dates), polars (Date) and pyarrow long tables give the result
    of the plain rows, as the whole input and as ``rows=``."""
    import pandas as pd
    import polars as pl
    import pyarrow as pa

    want = program.history(HISTORY)
    assert want == program.history({"rows": HISTORY}) == program.history(rows=HISTORY)
    assert [p["revisit"] for p in want["accounts"][0]["timeline"]] == [None, "2026-09-30", "2026-09-30", None]
    assert want["accounts"][1]["gaps"] == ["2026-05-31"]
    df = pd.DataFrame(HISTORY)
    assert program.history(df) == want
    dated = df.assign(as_of=pd.to_datetime(df["as_of"]))
    assert program.history(rows=dated) == want
    pl_df = pl.DataFrame(HISTORY).with_columns(pl.col("as_of").str.to_date())
    assert program.history(pl_df) == want
    assert program.history(pa.Table.from_pandas(df, preserve_index=False)) == want
    snapshots = {"snapshots": [
        {"as_of": d, "accounts": [{k: v for k, v in r.items() if k != "as_of"} for r in HISTORY if r["as_of"] == d]}
        for d in sorted({r["as_of"] for r in HISTORY})
    ]}
    assert program.history(snapshots) == want
    up = lambda out: [(t["account"], t["change"]) for t in out["trending_up"]]  # noqa: E731
    assert up(program.history(df, window_days=92)) == [("a", 9.0), ("b", 8.0)]
    assert up(program.history(df, window_days=30)) == [("a", 7.0)]
    assert up(program.history(df, window_days=92, min_change=8.5)) == [("a", 9.0)]


def test_history_errors_name_the_row() -> None:
    rows = [*HISTORY, {"as_of": "2026-03-31", "id": "a", "total": 36, "tier": "not_yet_qualified"}]
    with pytest.raises(program.ProgramError) as info:
        program.history(rows)
    e = info.value
    assert (e.code, e.path, e.row, e.id, e.value) == ("duplicate", "rows[6].id", 6, "a", "a")
    assert "rows[1]" in e.allowed


def test_program_errors_carry_the_envelope() -> None:
    with pytest.raises(program.ProgramError) as info:
        program.segments({"accounts": [{"id": "a", "signals": {"nps": 11}}]})
    e = info.value
    assert (e.kind, e.signal, str(e)) == ("program", None, e.message)
    assert e.message.startswith('account "a", accounts[0].signals.nps: ')


def test_results_are_plain_data() -> None:
    out = program.fatigue({
        "account": "acme",
        "ledger": [{"account": "acme", "activity": "conference_speaking", "status": "completed", "date": "2026-03-10"}],
        "as_of": "2026-04-01",
    })
    assert type(out) is dict and out["resting"] is True
    assert out["refusals"][0]["until"] == "2026-06-08"
    json.dumps(out)  # JSON-ready as is
    schemas = json.loads(program.json_schemas())
    assert "FatigueInput" in schemas and "Metrics" in schemas


def test_docstring_examples_run() -> None:
    """The examples in advocacy/program.pyi and advocacy/program.py are run (doctest)."""
    import ast
    import doctest

    stub = Path(program.__file__).with_suffix(".pyi")
    tree = ast.parse(stub.read_text(encoding="utf-8"))
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    nodes = [tree, *(n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef)))]
    examples = 0
    for node in nodes:
        doc = ast.get_docstring(node, clean=True)
        if not doc:
            continue
        name = getattr(node, "name", "program.pyi")
        t = parser.get_doctest(doc, {}, name, str(stub), 0)
        examples += len(t.examples)
        runner.run(t)
    assert examples >= 8
    results = doctest.testmod(program, optionflags=doctest.ELLIPSIS)
    assert results.attempted > 0
    assert runner.summarize(verbose=False).failed == 0 and results.failed == 0


def test_an_enrolment_sheet_as_a_table() -> None:
    # The sheet beside the accounts, as a frame: the same answers as its rows as dicts.
    import pandas as pd

    account = {"id": "e1", "total": 65, "tier": "gold",
               "signals": {"communication_comfort": 5, "available_hours_month": 20, "policy": "open",
                           "gifts_allowed": True, "past_advocacy": 1}}
    sheet = pd.DataFrame({"account": ["e1"], "prefers": ["guest_blog_post"], "on_camera": ["no"],
                          "max_asks_per_quarter": [2]})
    out = program.eligibility(account=account, enrolment=sheet, as_of="2026-11-20")
    assert out == program.eligibility(account=account, enrolment=sheet.to_dict("records"), as_of="2026-11-20")
    assert out["eligible"][0]["activity"] == "guest_blog_post"
    assert out["eligible"][0]["fit"] == ["preferred at enrolment"]
    assert {x["activity"] for x in out["excluded"] if x["reasons"][0]["code"] == "enrolment"} >= {"video_testimonial"}
    with pytest.raises(program.ProgramError) as info:
        program.eligibility(account=account, enrolment=pd.DataFrame({"account": ["nobody"]}), as_of="2026-11-20")
    assert info.value.path == "enrolment[0].account"
