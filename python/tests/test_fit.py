"""Tables that behave like their library's own: ordered tiers, ``keep="all"`` without copies,
the same kind of table back (DuckDB included), program functions on tables and flat rows, and
argument errors in the API's terms."""

from __future__ import annotations

import warnings

import duckdb
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import advocacy
from advocacy import program

MODEL = advocacy.Model.default().with_targets(industries=["software"], segments=["enterprise"])
ORDER = ["not_advocate_material", "not_yet_qualified", "silver", "gold", "platinum"]

# One account of each tier: platinum (95), gold (65), silver (45), not yet qualified (10) and a
# gated one (opted out).
ACCOUNTS = {
    "id": ["p", "g", "s", "n", "x"],
    "nps": [10, 10, 10, 10, 10],
    "health_score": [95.0, 95.0, 95.0, 10.0, 95.0],
    "roi_achieved": [True, True, True, False, True],
    "csm_rapport": [5, 5, 1, 1, 5],
    "engaged_contacts": [5, 5, 0, 0, 5],
    "meeting_engagement": [5, 1, 1, 1, 5],
    "past_advocacy": [2, 1, 0, 0, 2],
    "proactive_feedback": [2, 0, 0, 0, 2],
    "industry": ["software", "retail", "software", "retail", "software"],
    "segment": ["enterprise", "smb", "smb", "smb", "enterprise"],
    "opted_out": [False, False, False, False, True],
}
TIERS = ["platinum", "gold", "silver", "not_yet_qualified", "not_advocate_material"]


@pytest.fixture(autouse=True)
def _quiet() -> None:
    warnings.simplefilter("ignore", advocacy.ColumnWarning)


def test_the_tier_order_comes_from_the_core() -> None:
    assert advocacy.TIERS == tuple(ORDER)
    # The core's tier list is best first (Score.tier names): its reverse.
    assert list(reversed(advocacy.TIERS))[0] == "platinum"


# -- ordered tiers ---------------------------------------------------------------------------

def test_pandas_tier_is_an_ordered_categorical() -> None:
    out = MODEL.score_frame(pd.DataFrame(ACCOUNTS))
    assert out["tier"].tolist() == TIERS
    dtype = out["tier"].dtype
    assert isinstance(dtype, pd.CategoricalDtype) and dtype.ordered
    assert list(dtype.categories) == ORDER
    assert (out["tier"] >= "gold").tolist() == [True, True, False, False, False]
    assert (out["tier"] < "silver").tolist() == [False, False, False, True, True]
    assert out["tier"].max() == "platinum" and out["tier"].min() == "not_advocate_material"
    assert out.sort_values("tier")["id"].tolist() == ["x", "n", "s", "g", "p"]
    # rank and explain_frame too
    ranked = MODEL.rank(pd.DataFrame(ACCOUNTS))
    assert ranked["tier"].dtype.ordered and ranked["tier"].max() == "platinum"
    long = MODEL.explain_frame(pd.DataFrame(ACCOUNTS))
    assert long["tier"].dtype.ordered and list(long["tier"].dtype.categories) == ORDER


def test_polars_tier_is_an_enum() -> None:
    df = pl.DataFrame(ACCOUNTS)
    out = MODEL.score_frame(df)
    assert out.schema["tier"] == pl.Enum(ORDER)
    assert out.filter(pl.col("tier") >= "gold")["id"].to_list() == ["p", "g"]
    # (an unordered Categorical compared with "gold" matched nothing)
    assert out.filter(pl.col("tier") < "gold")["id"].to_list() == ["s", "n", "x"]
    assert out.sort("tier")["id"].to_list() == ["x", "n", "s", "g", "p"]
    assert out["tier"].max() == "platinum"
    for frame in (MODEL.rank(df), MODEL.explain_frame(df), MODEL.score_frame(df.lazy()).collect(),
                  MODEL.rank(df.lazy()).collect(), MODEL.explain_frame(df.lazy()).collect()):
        assert frame.schema["tier"] == pl.Enum(ORDER)
    assert MODEL.score_frame(df.lazy()).collect_schema()["tier"] == pl.Enum(ORDER)


def test_arrow_tier_is_an_ordered_dictionary() -> None:
    t = pa.table(ACCOUNTS)
    for out in (MODEL.score_frame(t), MODEL.rank(t), MODEL.explain_frame(t),
                MODEL.score_frame(t.to_batches()[0]),
                MODEL.score_frame(pa.RecordBatchReader.from_batches(t.schema, t.to_batches())).read_all()):
        field = out.schema.field("tier")
        assert pa.types.is_dictionary(field.type) and field.type.ordered, field
        col = out.column("tier")
        col = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
        assert col.dictionary.to_pylist() == ORDER
    assert MODEL.score_frame(t).column("tier").to_pylist() == TIERS
    # Sorting by the dictionary codes sorts by tier.
    codes = MODEL.score_frame(t).column("tier").combine_chunks().indices.to_pylist()
    assert codes == [4, 3, 2, 1, 0]


# -- keep="all" ------------------------------------------------------------------------------

def test_keep_all_pyarrow_shares_the_input_buffers() -> None:
    t = pa.table({**ACCOUNTS, "owner": ["kim", "lee", "kim", "ana", "lee"]})
    out = MODEL.score_frame(t, keep="all")
    assert out.column_names[: t.num_columns] == t.column_names
    assert out.column_names[t.num_columns:][:2] == ["score", "tier"]
    for name in ("health_score", "owner", "id"):
        mine = t.column(name).chunk(0).buffers()
        theirs = out.column(name).chunk(0).buffers()
        assert [b.address for b in mine if b is not None] == [b.address for b in theirs if b is not None], name


def test_keep_all_polars_shares_memory() -> None:
    df = pl.DataFrame({**ACCOUNTS, "owner": ["kim", "lee", "kim", "ana", "lee"]})
    out = MODEL.score_frame(df, keep="all")
    assert out.columns[: df.width] == df.columns
    assert np.shares_memory(out["health_score"].to_numpy(), df["health_score"].to_numpy())
    assert out["owner"].to_list() == df["owner"].to_list()
    lazy = MODEL.score_frame(df.lazy(), keep="all").collect()
    assert lazy.columns == out.columns and lazy.equals(out)


def test_keep_all_pandas_shares_memory_and_keeps_the_index() -> None:
    df = pd.DataFrame({**ACCOUNTS, "owner": ["kim", "lee", "kim", "ana", "lee"]}, index=[10, 11, 12, 13, 14])
    out = MODEL.score_frame(df, keep="all")
    assert out.columns.tolist()[: df.shape[1]] == df.columns.tolist()
    assert out.index.tolist() == [10, 11, 12, 13, 14]
    assert np.shares_memory(out["health_score"].to_numpy(), df["health_score"].to_numpy())
    assert out["tier"].tolist() == TIERS
    # The caller's frame is not changed.
    assert "score" not in df.columns


def test_keep_all_in_rank_and_explain() -> None:
    df = pd.DataFrame(ACCOUNTS)
    ranked = MODEL.rank(df, keep="all")
    assert ranked.columns.tolist()[: df.shape[1] + 1] == ["rank", *df.columns]
    scores = MODEL.score_frame(df).set_index("id")["score"]
    assert ranked["score"].tolist() == sorted(scores, reverse=True)
    # Every kept column moved with its row.
    by_id = df.set_index("id")
    for col in ("health_score", "segment", "opted_out"):
        assert ranked[col].tolist() == by_id.loc[ranked["id"], col].tolist()
    long = MODEL.explain_frame(pl.DataFrame(ACCOUNTS), keep="all")
    assert long.columns[: len(ACCOUNTS) + 1] == ["row", *ACCOUNTS]
    assert long.height == 5 * 12


def test_a_clash_with_an_input_column_is_an_error_naming_it() -> None:
    for table in (pd.DataFrame({**ACCOUNTS, "score": 1.0}), pl.DataFrame({**ACCOUNTS, "score": 1.0}),
                  pa.table({**ACCOUNTS, "score": [1.0] * 5})):
        with pytest.raises(advocacy.UsageError) as e:
            MODEL.score_frame(table, keep="all")
        assert e.value.path == "keep" and e.value.code == "duplicate_column"
        assert '"score"' in str(e.value) and "prefix=" in str(e.value)
        with pytest.raises(advocacy.UsageError, match='"score"'):
            MODEL.score_frame(table, keep=["score"])
    with pytest.raises(advocacy.UsageError, match='"tier"'):
        MODEL.explain_frame(pd.DataFrame({**ACCOUNTS, "tier": "x"}), keep="all")
    with pytest.raises(advocacy.UsageError, match='"rank"'):
        MODEL.rank(pd.DataFrame({**ACCOUNTS, "rank": 1}), keep="all")
    # Without keep, nothing clashes (the input column is not returned).
    assert "score" in MODEL.score_frame(pd.DataFrame({**ACCOUNTS, "score": 1.0})).columns


def test_prefix_names_the_computed_columns_apart() -> None:
    df = pd.DataFrame({**ACCOUNTS, "score": 1.0})
    out = MODEL.score_frame(df, keep="all", prefix="adv_")
    assert out["score"].tolist() == [1.0] * 5
    assert out["adv_tier"].tolist() == TIERS and out["adv_tier"].dtype.ordered
    assert [c for c in out.columns if c.startswith("adv_")][:3] == ["adv_score", "adv_tier", "adv_satisfaction"]
    assert MODEL.score_frame(pl.DataFrame(ACCOUNTS), prefix="a_").schema["a_tier"] == pl.Enum(ORDER)
    assert MODEL.rank(pa.table(ACCOUNTS), prefix="a_", select="score").column_names == ["a_rank", "id", "a_score"]
    long = MODEL.explain_frame(pd.DataFrame(ACCOUNTS), prefix="e_")
    assert long.columns[0] == "e_row" and "e_tier" in long.columns


# -- the same kind back: DuckDB --------------------------------------------------------------

def test_duckdb_relation_in_relation_out() -> None:
    con = duckdb.connect()
    con.register("accounts", pa.table(ACCOUNTS))
    rel = con.sql("select * from accounts")
    out = MODEL.score_frame(rel)
    assert isinstance(out, duckdb.DuckDBPyRelation)
    rows = out.fetchall()
    assert [r[0] for r in rows] == ACCOUNTS["id"]
    # It can be read again (each query scores the input again), and queried.
    assert out.fetchall() == rows
    # The tier is an ENUM, worst first: comparisons and sorting follow the tiers.
    assert "ENUM('not_advocate_material', 'not_yet_qualified', 'silver', 'gold', 'platinum')" in str(
        out.types[out.columns.index("tier")])
    # (DuckDB compares an ENUM with text as text: compare with an ENUM value.)
    enum = "enum('" + "', '".join(ORDER) + "')"
    assert out.query("t", f"select id from t where tier >= cast('gold' as {enum})").fetchall() == [("p",), ("g",)]
    assert [r[0] for r in out.order("tier").fetchall()] == ["x", "n", "s", "g", "p"]
    assert out.query("t", "select max(tier), min(tier) from t").fetchall() == [("platinum", "not_advocate_material")]
    assert out.df()["tier"].tolist() == TIERS
    ranked = MODEL.rank(rel, keep="all")
    assert isinstance(ranked, duckdb.DuckDBPyRelation)
    assert ranked.columns[: len(ACCOUNTS) + 1] == ["rank", *ACCOUNTS]
    assert [r[0] for r in ranked.fetchall()] == [1, 2, 3, 4, 5]
    assert isinstance(MODEL.explain_frame(rel), duckdb.DuckDBPyRelation)
    # A relation of DuckDB's default connection too (the result reads it from a connection of
    # its own).
    default = MODEL.score_frame(duckdb.sql("select 'a' as id, 10 as nps"))
    assert default.fetchall() == default.fetchall() and default.fetchall()[0][:3] == ("a", 10.0, "not_yet_qualified")


# -- program functions on tables -------------------------------------------------------------

SIGNALS = {
    "id": ["a", "b", "c", "d"],
    "name": ["Acme", "Bolt", "Core", "Dyn"],
    "total": [85.0, 62.0, 45.0, 20.0],
    "tier": ["platinum", "gold", "silver", "not_yet_qualified"],
    "public_reviews": [2, 0, 0, None],
    "nps": [9, 10, 7, 3],
    "health_score": [95.0, 92.0, 70.0, None],
    "policy": ["open", "open", "approval_required", "prohibited"],
    "active_days_30d": [22, 25, 10, None],
    "roi_achieved": [True, True, False, None],
}


def nested() -> list[dict]:
    out = []
    for i, id_ in enumerate(SIGNALS["id"]):
        signals = {k: SIGNALS[k][i] for k in ("public_reviews", "nps", "health_score", "policy", "active_days_30d", "roi_achieved")
                   if SIGNALS[k][i] is not None}
        out.append({"id": id_, "name": SIGNALS["name"][i], "total": SIGNALS["total"][i],
                    "tier": SIGNALS["tier"][i], "signals": signals})
    return out


def tables() -> dict[str, object]:
    pdf = pd.DataFrame(SIGNALS)
    return {
        "pandas": pdf,
        "polars": pl.DataFrame(SIGNALS),
        "pyarrow": pa.table(SIGNALS),
        "records": pdf.to_dict("records"),  # NaN for missing numbers
        "polars records": pl.DataFrame(SIGNALS).to_dicts(),
    }


@pytest.mark.parametrize("how", list(tables()))
def test_segments_of_tables_and_flat_rows_match_the_nested_form(how: str) -> None:
    want = program.segments({"accounts": nested()})
    assert [r["segment"] for r in want["results"]] == ["active", "potential", "potential", "not_advocate_material"]
    got = program.segments({"accounts": tables()[how]})
    assert got == want
    assert program.segments(accounts=tables()[how]) == want


def test_a_table_alone_is_the_accounts_of_segments() -> None:
    assert program.segments(pd.DataFrame(SIGNALS)) == program.segments(accounts=nested())


def test_flat_rows_with_headers_as_the_scorer_reads_them() -> None:
    df = pd.DataFrame({"Account ID": SIGNALS["id"], "Account Name": SIGNALS["name"], "Score": SIGNALS["total"],
                       "tier": SIGNALS["tier"], "Public Reviews": SIGNALS["public_reviews"], "NPS": SIGNALS["nps"],
                       "Health Score": SIGNALS["health_score"], "Policy": SIGNALS["policy"],
                       "Active Days": SIGNALS["active_days_30d"], "ROI": SIGNALS["roi_achieved"]})
    df = df.rename(columns={"Score": "score"})
    assert program.segments(accounts=df) == program.segments(accounts=nested())


def test_a_scored_table_feeds_the_review() -> None:
    df = pd.DataFrame(ACCOUNTS)
    now = MODEL.score_frame(df, keep="all")
    before = MODEL.score_frame(df.assign(past_advocacy=0, proactive_feedback=0), keep="all")
    got = program.review(as_of="2026-11-30", previous=before, current=now)
    want_now = [{"id": r["id"], "total": r["score"], "tier": r["tier"]} for r in now.to_dict("records")]
    want_before = [{"id": r["id"], "total": r["score"], "tier": r["tier"]} for r in before.to_dict("records")]
    want = program.review(as_of="2026-11-30", previous=want_before, current=want_now)
    assert got["movement"] == want["movement"]
    assert [m["account"] for m in got["movement"]["moved_up"]] == ["p", "g"]


def test_ledger_and_overrides_as_tables() -> None:
    ledger_rows = [
        {"account": "a", "activity": "conference_speaking", "status": "asked", "date": "2026-01-05"},
        {"account": "a", "activity": "conference_speaking", "status": "completed", "date": "2026-03-10"},
    ]
    overrides = [{"account": "b", "tier": "platinum", "reason": "exec sponsor", "author": "kim",
                  "expires": "2026-12-31"}]
    want = program.match_request(request={"activity": "reference_call"}, accounts=nested(), ledger=ledger_rows,
                                 overrides=overrides, as_of="2026-04-01")
    ledger_df = pd.DataFrame(ledger_rows).assign(date=lambda d: pd.to_datetime(d["date"]))
    for ledger, ov, accounts in (
        (ledger_df, pd.DataFrame(overrides), pd.DataFrame(SIGNALS)),
        (pl.from_pandas(ledger_df), pl.DataFrame(overrides), pl.DataFrame(SIGNALS)),
        (pa.Table.from_pandas(ledger_df), pa.Table.from_pylist(overrides), pa.table(SIGNALS)),
    ):
        got = program.match_request(request={"activity": "reference_call"}, accounts=accounts, ledger=ledger,
                                    overrides=ov, as_of="2026-04-01")
        assert got == want
    fat = program.fatigue(account="a", ledger=pa.Table.from_pandas(ledger_df), as_of="2026-04-01")
    assert fat["resting"] and fat == program.fatigue(account="a", ledger=ledger_rows, as_of="2026-04-01")
    met = program.metrics(ledger=pl.from_pandas(ledger_df), accounts=pd.DataFrame(SIGNALS))
    assert met == program.metrics(ledger=ledger_rows, accounts=nested())
    acc = pd.DataFrame(SIGNALS).iloc[0].to_dict()
    assert program.eligibility(account=acc, as_of="2026-04-01") == program.eligibility(account=nested()[0],
                                                                                      as_of="2026-04-01")


def test_shapes_it_does_not_understand_are_errors() -> None:
    # An object of columns (df.to_dict() / to_dict("list")), not a list of rows.
    with pytest.raises(advocacy.ProgramError) as e:
        program.segments({"accounts": pd.DataFrame(SIGNALS).to_dict("list")})
    assert e.value.path == "accounts" and e.value.code == "parse"
    assert e.value.value.startswith('an object with the keys "id", "name"')
    assert "a list of accounts" in e.value.allowed
    with pytest.raises(advocacy.ProgramError) as e:  # {column: {index: value}}: int keys are no JSON
        program.segments({"accounts": pd.DataFrame(SIGNALS).to_dict()})
    assert e.value.path.startswith("accounts") and "key of type int" in str(e.value)
    # Flat rows without an id column: the keys seen and what is accepted.
    with pytest.raises(advocacy.ProgramError) as e:
        program.segments(accounts=[{"customer": "a", "nps": 9}])
    assert e.value.path == "accounts[0]" and e.value.row == 0
    assert '"customer", "nps"' in e.value.value and "no id column" in str(e.value)
    # Items that are no objects.
    with pytest.raises(advocacy.ProgramError, match=r"accounts\[1\]"):
        program.segments(accounts=[{"id": "a"}, "b"])
    with pytest.raises(advocacy.ProgramError) as e:
        program.fatigue(account="a", ledger={"account": ["a"]}, as_of="2026-01-01")
    assert e.value.path == "ledger" and "a list of ledger entries" in e.value.allowed
    # A bad value in a flat row names its place as in the nested form.
    with pytest.raises(advocacy.ProgramError) as e:
        program.segments(accounts=pd.DataFrame({"id": ["a", "b"], "nps": [9, 11]}))
    assert (e.value.path, e.value.row, e.value.id) == ("accounts[1].signals.nps", 1, "b")
    # A table as the whole input of a function with several tables.
    with pytest.raises(TypeError, match=r"argument `input`: value of type DataFrame is not allowed; allowed: a dict"):
        program.review(pd.DataFrame(SIGNALS))
    with pytest.raises(advocacy.UsageError, match="accounts"):
        program.segments({"accounts": []}, accounts=[])


# -- errors in the API's terms ---------------------------------------------------------------

@pytest.mark.parametrize("call,words", [
    (lambda: MODEL.score_frame(pd.DataFrame(ACCOUNTS), keep=True),
     'argument `keep`: value of type bool is not allowed; allowed: "all" (every column of the table), a column name'),
    (lambda: MODEL.score_frame(pd.DataFrame(ACCOUNTS), keep=[1]),
     "argument `keep[0]`: value of type int is not allowed; allowed: text (str)"),
    (lambda: MODEL.score_frame(pd.DataFrame(ACCOUNTS), prefix=1),
     "argument `prefix`: value of type int is not allowed; allowed: text (str) or None"),
    (lambda: MODEL.score_frame(pd.DataFrame(ACCOUNTS), select=3),
     "argument `select`: value of type int is not allowed"),
    (lambda: MODEL.rank(pd.DataFrame(ACCOUNTS), top="3"),
     "argument `top`: value of type str is not allowed; allowed: a whole number >= 0 or None"),
    (lambda: MODEL.score_frame([1, 2]), "argument `table`: value of type list is not allowed"),
    (lambda: MODEL.explain_frame(pd.DataFrame(ACCOUNTS), keep=3.5),
     "argument `keep`: value of type float is not allowed"),
    (lambda: program.segments(42), "argument `input`: value of type int is not allowed"),
])
def test_type_errors_name_the_argument_and_what_is_accepted(call, words: str) -> None:
    with pytest.raises(TypeError) as e:
        call()
    assert words in str(e.value)
    assert "cannot be converted" not in str(e.value)


def test_keep_a_column_named_all() -> None:
    df = pd.DataFrame({"id": ["a"], "nps": [9], "all": ["x"]})
    assert MODEL.score_frame(df, keep=["all"]).columns.tolist()[:2] == ["id", "all"]
    assert MODEL.score_frame(df, keep="all").columns.tolist()[:3] == ["id", "nps", "all"]
