"""Model.calibrate: the same numbers as `advocacy calibrate --json` on the same history (the
fixture's report.json is the CLI's output on snapshots of this history, kept current by the
CLI test `the_fixture_report_is_current`)."""

import json
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

import advocacy

FIXTURE = Path(__file__).parent / "fixtures" / "calibrate"


@pytest.fixture(scope="module")
def cli_report():
    return json.loads((FIXTURE / "report.json").read_text())


def _same(report, want):
    for key in ["examples", "criteria", "evaluation", "decision", "today", "model", "warnings", "outcome"]:
        assert report[key] == want[key], key


def test_pandas_history_and_ledger_give_the_cli_numbers(cli_report):
    history = pd.read_csv(FIXTURE / "history.csv")
    ledger = pd.read_csv(FIXTURE / "ledger.csv")
    c = advocacy.Model.default().calibrate(history, ledger)
    _same(c.report, cli_report)
    assert c.changed and c.code == "improved"
    assert c.model != advocacy.Model.default()
    assert c.model.max_points == 100
    assert advocacy.Model.from_json(c.model.to_json()) == c.model
    ev = c.report["evaluation"]
    assert ev["calibrated"]["auc"] > ev["current"]["auc"]


def test_polars_and_plain_rows_give_the_same(cli_report):
    history = pl.read_csv(FIXTURE / "history.csv")
    ledger = pl.read_csv(FIXTURE / "ledger.csv")
    _same(advocacy.Model.default().calibrate(history, ledger).report, cli_report)
    rows = pd.read_csv(FIXTURE / "history.csv").to_dict("records")
    _same(advocacy.Model.default().calibrate(history=rows, ledger=ledger).report, cli_report)


def test_html_view_has_the_chart_and_the_comparison():
    c = advocacy.Model.default().calibrate(pd.read_csv(FIXTURE / "history.csv"), pd.read_csv(FIXTURE / "ledger.csv"))
    h = c._repr_html_()
    assert "<svg" in h and "promoter" in h and "AUC" in h and "improved" in h
    assert "Calibration improved" in repr(c)


def test_bad_input_is_a_program_error():
    m = advocacy.Model.default()
    with pytest.raises(advocacy.ProgramError) as e:
        m.calibrate(examples=[{"id": "a", "asked": "2026-01-10", "as_of": "2026-01-31", "outcome": 1, "nps": 9}])
    assert e.value.path == "examples[0].as_of"
    with pytest.raises(advocacy.ProgramError) as e:
        m.calibrate(examples=[{"id": "a", "asked": "2026-01-10", "outcome": True, "nps": 9}])
    assert "only one outcome" in str(e.value)
    with pytest.raises(advocacy.ProgramError):
        m.calibrate()


VECTORS = Path(__file__).parents[2] / "crates" / "advocacy-calibrate" / "tests" / "vectors"


def _contains(got, want, path):
    if isinstance(want, dict):
        for k, v in want.items():
            _contains(got.get(k), v, f"{path}.{k}")
    elif isinstance(want, list):
        assert len(got) == len(want), path
        for i, (a, b) in enumerate(zip(got, want)):
            _contains(a, b, f"{path}[{i}]")
    else:
        assert got == want, path


@pytest.mark.parametrize("path", sorted(VECTORS.glob("*.json")), ids=lambda p: p.name)
def test_vectors_of_the_figures(path):
    v = json.loads(path.read_text())
    inp = v["input"]
    c = advocacy.Model.default().calibrate(examples=inp["examples"], folds=inp["options"]["folds"])
    _contains(c.report, v["expect"], path.name)


def test_thresholds_option_is_the_cli_option(cli_report):
    history = pd.read_csv(FIXTURE / "history.csv")
    ledger = pd.read_csv(FIXTURE / "ledger.csv")
    c = advocacy.Model.default().calibrate(history, ledger, thresholds=True)
    assert c.report["options"]["thresholds"] is True
    assert all("old_rule" in k for k in c.report["criteria"])
    plain = advocacy.Model.default().calibrate(history, ledger, thresholds=None)
    _same(plain.report, cli_report)
