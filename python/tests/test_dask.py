"""advocacy.dask: score, explain, segments, eligibility and fatigue of Dask DataFrames on the
threaded and the process schedulers, against the same rows scored locally: bit-identical scores, the same tiers and
dtypes (the meta is the package's own result for an empty frame), the same flagged rows and
errors. Each partition is scored on its own (rows counted from its first row), so the local side
scores the partitions' pandas frames one by one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import dask
import dask.dataframe as dd
import numpy as np
import pandas as pd
import pytest

import advocacy
import advocacy.dask as adask
from advocacy import program

MODEL = (advocacy.Model.default().with_targets(industries=["software"], segments=["enterprise"])
         .with_points("past_advocacy", 12.5).with_missing("rescale"))
SCHEDULERS = ["threads", "processes"]


def accounts(n: int, seed: int = 5, bad: bool = True) -> pd.DataFrame:
    rng = np.random.default_rng(seed)

    def holes(values: Any, share: float = 0.1) -> pd.Series:
        s = pd.Series(values)
        return s.where(rng.random(n) >= share)

    df = pd.DataFrame({
        "id": [f"D-{i}" for i in range(n)],
        "name": [f"Account {i}" for i in range(n)],
        "nps": holes(rng.integers(0, 11, n).astype(float)),
        "health_score": holes(np.round(rng.random(n) * 100, 1)),
        "roi_achieved": pd.array(rng.random(n) < 0.4, dtype="boolean"),
        "csm_rapport": pd.array(rng.integers(1, 6, n), dtype="Int64"),
        "past_advocacy": rng.integers(0, 3, n),
        "public_reviews": rng.integers(0, 3, n),
        "industry": holes(np.array(["software", " Software", "retail", "media"])[rng.integers(0, 4, n)]),
        "segment": pd.Categorical(np.array(["smb", "Mid Market", "enterprise"])[rng.integers(0, 3, n)]),
        "policy": np.array(["open", "approval_required", "prohibited"])[rng.integers(0, 3, n)],
        "active_days_30d": rng.integers(0, 31, n),
    }, index=pd.RangeIndex(100, 100 + n))
    if bad:  # out of range: errors or flagged rows
        for i, v in ((5, 11.0), (333, 14.0)):
            if i < n:
                df.iloc[i, df.columns.get_loc("nps")] = v
    return df


def parts(ddf: dd.DataFrame) -> list[pd.DataFrame]:
    return [ddf.get_partition(i).compute() for i in range(ddf.npartitions)]


def same_frame(got: pd.DataFrame, want: pd.DataFrame) -> None:
    assert list(got.columns) == list(want.columns)
    assert got.index.equals(want.index)
    for name in want.columns:
        g, w = got[name], want[name]
        assert g.dtype == w.dtype, name
        if w.dtype == np.float64:
            assert (g.isna() == w.isna()).all(), name
            assert (g.fillna(0).to_numpy().view(np.uint64) == w.fillna(0).to_numpy().view(np.uint64)).all(), name
        else:
            assert g.astype(object).where(g.notna(), None).tolist() == w.astype(object).where(w.notna(), None).tolist(), name


@pytest.mark.parametrize("scheduler", SCHEDULERS)
def test_score_matches_local_scoring(scheduler: str) -> None:
    ddf = dd.from_pandas(accounts(1200), npartitions=3)
    kw: dict[str, Any] = {"keep": ["name"], "on_error": "flag", "as_of": "2026-11-30"}
    scored = adask.score(ddf, MODEL, **kw)
    # The meta is the package's own result for an empty frame: the tier a categorical.
    assert isinstance(scored.dtypes["tier"], pd.CategoricalDtype)
    assert scored.divisions == ddf.divisions
    got = scored.compute(scheduler=scheduler)
    want = pd.concat([MODEL.score_frame(p, **kw) for p in parts(ddf)])
    same_frame(got, want)
    # Every partition has the meta's dtypes (Dask checks columns, not dtypes).
    assert got.dtypes.to_dict() == scored.dtypes.to_dict()
    flagged = got[got["error"].notna()]
    assert flagged["id"].tolist() == ["D-5", "D-333"] and flagged["score"].isna().all()
    assert len(got) == 1200


def test_select_keep_and_one_partition_is_the_whole_frame() -> None:
    df = accounts(700)
    ddf = dd.from_pandas(df, npartitions=1)
    for kw in ({"on_error": "flag", "select": ["tier", "score"], "keep": "segment"}, {"on_error": "flag"}):
        got = adask.score(ddf, MODEL, **kw).compute(scheduler="threads")
        want = MODEL.score_frame(ddf.compute(), **kw)
        same_frame(got, want)
    got = adask.explain(ddf, MODEL, on_error="flag").compute(scheduler="threads")
    same_frame(got, MODEL.explain_frame(ddf.compute(), on_error="flag"))


@pytest.mark.parametrize("scheduler", SCHEDULERS)
def test_explain_matches_local_explain(scheduler: str) -> None:
    ddf = dd.from_pandas(accounts(300), npartitions=2)
    got = adask.explain(ddf, MODEL, on_error="flag").compute(scheduler=scheduler)
    want = pd.concat([MODEL.explain_frame(p, on_error="flag") for p in parts(ddf)])
    same_frame(got.reset_index(drop=True), want.reset_index(drop=True))


@pytest.mark.parametrize("scheduler", SCHEDULERS)
def test_errors_are_the_package_exceptions(scheduler: str) -> None:
    df = accounts(600)
    df.iloc[5, df.columns.get_loc("nps")] = 9.0  # the one bad row left: D-333, in the second partition
    ddf = dd.from_pandas(df, npartitions=2)
    second = parts(ddf)[1]
    with pytest.raises(advocacy.SignalError) as local_error:
        MODEL.score_frame(second)
    with pytest.raises(advocacy.SignalError) as remote:
        adask.score(ddf, MODEL).compute(scheduler=scheduler)
    assert str(remote.value).startswith(local_error.value.message)
    # The threaded scheduler raises the exception itself; the process scheduler a subclass of it
    # that Dask builds with the original as `.exception`.
    err = getattr(remote.value, "exception", remote.value)
    assert (err.row, err.id, err.signal, err.code) == (local_error.value.row, "D-333", "nps", "out_of_range")
    assert "(in Dask partition 1; rows are counted from its first row)" in getattr(err, "__notes__", [])


def test_arguments_are_checked_before_anything_runs() -> None:
    ddf = dd.from_pandas(accounts(40), npartitions=2)
    with pytest.raises(advocacy.UsageError) as e:
        adask.score(ddf, MODEL, keep=["nope"])
    assert e.value.path == "keep"
    with pytest.raises(advocacy.UsageError):
        adask.score(ddf, MODEL, select=["bogus"])
    with pytest.raises(advocacy.ModelError):
        adask.explain(ddf[["id", "name"]], MODEL)
    with pytest.raises(advocacy.ProgramError):
        adask.segments(ddf, config={"segments": 7})


def test_columns_file(tmp_path: Path) -> None:
    df = pd.DataFrame({"Account ID": ["x1", "x2", "x3", "x4"], "Likelihood": ["9", "10", "4", None],
                       "Tier Of Customer": ["Commercial", "Large", "Commercial", "Large"]})
    path = tmp_path / "columns.toml"
    path.write_text('id = "Account ID"\n[columns]\nLikelihood = "nps"\n"Tier Of Customer" = "segment"\n'
                    '[values.segment]\nCommercial = "mid_market"\nLarge = "enterprise"\n')
    ddf = dd.from_pandas(df, npartitions=1)
    got = adask.score(ddf, MODEL, columns=path).compute(scheduler="processes")
    same_frame(got, MODEL.score_frame(ddf.compute(), columns=path))


@pytest.mark.parametrize("scheduler", SCHEDULERS)
def test_segments_match_the_program(scheduler: str) -> None:
    df = accounts(500, bad=False)[["id", "name", "nps", "health_score", "past_advocacy", "public_reviews", "policy",
                                       "active_days_30d", "roi_achieved"]]
    # The first rows at the program guide's bar and helping unasked: active advocates.
    df.loc[df.index[:20], ["health_score", "active_days_30d", "nps", "public_reviews", "policy"]] = [95.0, 25, 9.0, 1, "open"]
    df.loc[df.index[:20], "roi_achieved"] = True
    ddf = dd.from_pandas(df, npartitions=2)
    got = adask.segments(ddf).compute(scheduler=scheduler)
    assert list(got.columns) == ["account", "segment", "rule", "reason", "evidence"]
    assert got.index.equals(df.index)
    want = []
    for p in parts(ddf):
        accs = []
        for r in p.to_dict("records"):
            sig = {k: v for k, v in r.items() if k not in ("id", "name") and not pd.isna(v)}
            accs.append({"id": r["id"], "name": r["name"], "signals": sig})
        want.extend(program.segments({"accounts": accs})["results"])
    assert got["account"].tolist() == [w["account"] for w in want]
    assert list(zip(got["segment"], got["reason"])) == [(w["segment"], w["reason"]) for w in want]
    assert [json.loads(e) for e in got["evidence"]] == [w["evidence"] for w in want]
    assert {"active", "not_advocate_material"} <= set(got["segment"])


def test_no_probe_rows() -> None:
    # Dask's own probe (fake rows) would fail on a bad id column; the meta makes it unneeded.
    ddf = dd.from_pandas(accounts(20), npartitions=2)
    with dask.config.set(scheduler="threads"):
        scored = adask.score(ddf, MODEL, on_error="flag")
        assert scored._meta.empty and list(scored.columns)[:3] == ["id", "score", "tier"]
        assert len(scored.compute()) == 20


# Eligibility and fatigue: per account, with the whole ledger in the task graph.
PROGRAM_AS_OF = "2026-02-01"
OVERRIDES = [{"account": "p2", "tier": "gold", "reason": "keen sponsor", "author": "kim@csm", "expires": "2026-03-01"}]


def program_accounts() -> pd.DataFrame:
    n = 10
    return pd.DataFrame({
        "id": [f"p{i}" for i in range(n)],
        "total": [90.0 - i for i in range(n)],
        "tier": (["platinum", "gold", "silver", "platinum"] * 3)[:n],
        "communication_comfort": pd.array(([5, 3, None, 4] * 3)[:n], dtype="Int64"),
        "available_hours_month": ([20.0, 4.0, 1.0, 10.0] * 3)[:n],
        "past_advocacy": ([2, 0, 1, 3] * 3)[:n],
    }, index=pd.RangeIndex(50, 50 + n))


def program_ledger() -> pd.DataFrame:
    rows = [
        ("p0", "conference_speaking", "asked", "2025-11-01"),
        ("p0", "conference_speaking", "completed", "2026-01-10"),
        ("p0", "conference_speaking", "thanked", "2026-01-12"),
        ("p1", "survey", "asked", "2026-01-20"),
        ("p5", "case_study", "declined", "2026-01-05"),
        ("p6", "reference_call", "completed", "2026-01-15"),
        ("someone_else", "survey", "asked", "2026-01-30"),
    ]
    return pd.DataFrame({"account": [r[0] for r in rows], "activity": [r[1] for r in rows],
                         "status": [r[2] for r in rows], "date": pd.to_datetime([r[3] for r in rows])})


def read_back(row: dict[str, Any], want: Any) -> dict[str, Any]:
    """A result row read back into the program's output (JSON text cells parsed)."""
    return {k: (json.loads(v) if k != "segment" and isinstance(want.get(k), (list, dict)) else v)
            for k, v in row.items()}


def nulls(v: Any) -> Any:
    return None if not isinstance(v, (list, dict, str, bool)) and pd.isna(v) else v


@pytest.mark.parametrize("scheduler", SCHEDULERS)
def test_eligibility_matches_the_program_per_partition(scheduler: str) -> None:
    df = program_accounts()
    ddf = dd.from_pandas(df, npartitions=3)
    ledger = program_ledger()
    out = adask.eligibility(ddf, ledger=ledger, overrides=OVERRIDES, as_of=PROGRAM_AS_OF)
    got = out.compute(scheduler=scheduler)
    assert list(got.columns) == list(out._meta.columns) and got.index.equals(df.index)
    want = [program.eligibility(account=r, ledger=ledger, overrides=OVERRIDES, as_of=PROGRAM_AS_OF)
            for p in parts(ddf) for r in p.to_dict("records")]
    rows = [{k: nulls(v) for k, v in r.items()} for r in got.to_dict("records")]
    assert len(rows) == len(want) == len(df)
    for g, w in zip(rows, want):
        assert set(g) == set(w)  # every field of the program's output is a column
        g = read_back(g, w)
        assert g.pop("segment") == w["segment"]["segment"]
        assert g == {k: v for k, v in w.items() if k != "segment"}
    p0 = rows[0]
    assert json.loads(p0["eligible"]) == []
    assert all(any(r["rule"] == "rest_after.high" and r["until"] == "2026-04-10" for r in e["reasons"])
               for e in json.loads(p0["excluded"]))
    assert json.loads(rows[3]["eligible"]) != []
    assert rows[2]["tier"] == "gold"


@pytest.mark.parametrize("scheduler", SCHEDULERS)
def test_fatigue_matches_the_program_per_partition(scheduler: str) -> None:
    df = program_accounts()
    ddf = dd.from_pandas(df[["id"]], npartitions=2)
    ledger = program_ledger()
    out = adask.fatigue(ddf, ledger=ledger, as_of=PROGRAM_AS_OF)
    assert list(out._meta.columns) == ["account", "resting", "resting_until", "refusals", "refused_activities",
                                       "thanks_owed"]
    got = out.compute(scheduler=scheduler)
    assert got.index.equals(df.index)
    want = [program.fatigue(account=i, ledger=ledger, as_of=PROGRAM_AS_OF) for i in df["id"]]
    rows = [{k: nulls(v) for k, v in r.items()} for r in got.to_dict("records")]
    assert [read_back(g, w) for g, w in zip(rows, want)] == want
    assert (rows[0]["resting"], rows[0]["resting_until"]) == (True, "2026-04-10")
    assert [(r["rule"], r["until"]) for r in json.loads(rows[0]["refusals"])][0] == ("rest_after.high", "2026-04-10")


@pytest.mark.parametrize("scheduler", SCHEDULERS)
def test_a_bad_account_raises_the_package_error(scheduler: str) -> None:
    df = pd.DataFrame({"id": ["a", "b", "c", "d"], "available_hours_month": [3.0, 2.0, 1.0, -1.0]})
    with pytest.raises(program.ProgramError) as local_error:
        program.eligibility(account=df.to_dict("records")[3], as_of=PROGRAM_AS_OF)
    with pytest.raises(program.ProgramError) as remote:
        adask.eligibility(dd.from_pandas(df, npartitions=2), as_of=PROGRAM_AS_OF).compute(scheduler=scheduler)
    err = getattr(remote.value, "exception", remote.value)
    assert str(err) == str(local_error.value) and err.path == local_error.value.path
    assert "(in Dask partition 1, its row 1)" in getattr(err, "__notes__", [])


def test_program_arguments_are_checked_before_anything_runs() -> None:
    ddf = dd.from_pandas(program_accounts(), npartitions=2)
    bad = program_ledger()
    bad.loc[3, "status"] = "maybe"
    with pytest.raises(program.ProgramError) as local_error:
        program.fatigue(account="p0", ledger=bad, as_of=PROGRAM_AS_OF)
    for f in (adask.fatigue, adask.eligibility):
        with pytest.raises(program.ProgramError) as e:
            f(ddf, ledger=bad, as_of=PROGRAM_AS_OF)
        assert e.value.path == "ledger[3].status" and str(e.value) == str(local_error.value)
    with pytest.raises(program.ProgramError):
        adask.eligibility(ddf, as_of="someday")
    with pytest.raises(program.ProgramError):
        adask.fatigue(ddf, ledger=[], as_of=PROGRAM_AS_OF, config={"fatigue": {"max_asks": {"count": 0}}})


def test_program_examples_run() -> None:
    import doctest

    for f in (adask.eligibility, adask.fatigue):
        test = doctest.DocTestParser().get_doctest(f.__doc__ or "", {}, f.__name__, None, 0)
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
        out: list[str] = []
        with dask.config.set(scheduler="threads"):
            runner.run(test, out=out.append)
        assert runner.failures == 0 and runner.tries > 0, "".join(out)
