"""Issue 10 (real data in): headers read by the core's column plan (`columns=`), value maps, the
decimal comma, guard rails (no column the model reads, unmapped columns, unique ids),
`Model.read_columns`, and CRM-style exports."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

import advocacy

FIXTURES = Path(__file__).with_name("fixtures")
MODEL = advocacy.Model.default().with_targets(industries=["software"], segments=["mid_market", "enterprise"])

# The clean form of fixtures/crm_accounts.csv: signal names, typed values, the model's words.
CRM_CLEAN = [
    {"id": "ACC-1", "nps": 10, "health_score": 91.5, "roi_achieved": True, "csm_rapport": 5, "engaged_contacts": 4,
     "segment": "mid_market", "industry": "software", "opted_out": False},
    {"id": "ACC-2", "nps": 9, "health_score": 84, "roi_achieved": True, "csm_rapport": 4, "engaged_contacts": 3,
     "segment": "enterprise", "industry": "healthcare", "opted_out": False},
    {"id": "ACC-3", "nps": 3, "health_score": None, "roi_achieved": False, "csm_rapport": 2, "engaged_contacts": 1,
     "segment": "smb", "industry": "retail", "opted_out": False},
    {"id": "ACC-4", "nps": None, "health_score": 72, "roi_achieved": True, "csm_rapport": 4,
     "engaged_contacts": None, "segment": "mid_market", "industry": "software", "opted_out": True},
    {"id": "ACC-5", "nps": 8, "health_score": 81, "roi_achieved": False, "csm_rapport": 3, "engaged_contacts": 5,
     "segment": "enterprise", "industry": "software", "opted_out": False},
]


def rows(out) -> list[dict]:
    if isinstance(out, pd.DataFrame):
        return out.to_dict("records")
    if isinstance(out, pl.DataFrame):
        return out.to_dicts()
    return out.to_pylist()


def check_scores(out, want: list[advocacy.Score], id_column: str = "id") -> None:
    got = rows(out)
    assert len(got) == len(want)
    for r, s in zip(got, want):
        assert (r[id_column], r["score"], r["tier"], r["completeness"]) == (s.id, s.total, s.tier, s.completeness)
        for c in s.categories:
            assert r[c["id"]] == c["points"]


def test_crm_export_scores_like_the_clean_records() -> None:
    want = [MODEL.score(r) for r in CRM_CLEAN]
    assert [s.total for s in want] == [65.0, 55.0, 0.0, 35.0, 35.0]
    path = FIXTURES / "crm_accounts.csv"
    for table in (pd.read_csv(path), pl.read_csv(path), pacsv.read_csv(path), pd.read_csv(path, dtype=str),
                  pd.read_csv(path, dtype="string[pyarrow]")):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = MODEL.score_frame(table, keep=["Account Name"], columns={"columns": {"Account Owner": "ignore"}})
        check_scores(out, want, id_column="Account ID")
        names = out.columns if not isinstance(out, pa.Table) else out.column_names
        assert list(names[:2]) == ["Account ID", "Account Name"]
        # Notes is not read, and said so; Account Owner is ignored on purpose, silently.
        assert [str(w.message) for w in caught] == ["column `Notes` is not read: it names no signal of the model"]
        assert all(w.category is advocacy.ColumnWarning for w in caught)
    ranked = MODEL.rank(pd.read_csv(path), top=2)
    assert ranked["Account ID"].tolist() == ["ACC-1", "ACC-2"] and ranked["rank"].tolist() == [1, 2]
    long = MODEL.explain_frame(pd.read_csv(path))
    assert long.groupby("row")["points"].sum().tolist() == [s.total for s in want]


def test_mapping_file_value_maps_and_decimal_comma() -> None:
    want = [MODEL.score(r) for r in [
        {"id": "K-1", "nps": 10, "health_score": 91.5, "roi_achieved": True, "csm_rapport": 5,
         "segment": "mid_market", "industry": "software"},
        {"id": "K-2", "nps": 9, "health_score": 84, "roi_achieved": True, "csm_rapport": 4, "segment": "enterprise",
         "industry": "Gesundheitswesen"},
        {"id": "K-3", "nps": 3, "roi_achieved": False, "csm_rapport": 2, "segment": "smb", "industry": "Handel"},
        {"id": "K-4", "health_score": 72.25, "roi_achieved": True, "csm_rapport": 4, "segment": "mid_market",
         "industry": "software"},
    ]]
    csv = FIXTURES / "crm_accounts_de.csv"
    mapping_file = FIXTURES / "crm_accounts_de.columns.toml"
    import tomllib

    mapping = tomllib.loads(mapping_file.read_text(encoding="utf-8"))
    df = pd.read_csv(csv, sep=";")
    for columns in (mapping_file, str(mapping_file), mapping):
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # every column is named: nothing to warn about
            out = MODEL.score_frame(df, columns=columns)
        check_scores(out, want, id_column="Kunden-Nr")
        assert out.attrs["warnings"] == []
    # The same through polars, pyarrow, categorical columns and object columns of mixed types.
    cat = df.astype({"Segment": "category", "ROI erreicht": "category", "Gesundheit": "category"})
    mixed = df.astype(object)
    mixed.loc[0, "Gesundheit"] = 91.5
    for table in (pl.read_csv(csv, separator=";"), pacsv.read_csv(csv, parse_options=pacsv.ParseOptions(delimiter=";")),
                  cat, mixed):
        check_scores(MODEL.score_frame(table, columns=mapping), want, id_column="Kunden-Nr")
    # Without the decimal comma, "91,5" is no number.
    no_comma = {**mapping, "decimal_comma": False}
    with pytest.raises(advocacy.SignalError) as info:
        MODEL.score_frame(df, columns=no_comma)
    assert (info.value.row, info.value.signal, info.value.value) == (0, "health_score", '"91,5"')
    # Without the value map, "Mittelstand" is no segment.
    no_map = {k: v for k, v in mapping.items() if k != "values"}
    with pytest.raises(advocacy.SignalError) as info:
        MODEL.score_frame(df, columns=no_map)
    assert (info.value.signal, info.value.code) == ("roi_achieved", "wrong_type")
    # A JSON mapping file reads the same as the TOML one.
    assert mapping_file.suffix == ".toml"


def test_json_mapping_file(tmp_path: Path) -> None:
    f = tmp_path / "m.json"
    f.write_text(json.dumps({"columns": {"Zufriedenheit": "nps"}, "id": "Kunde"}), encoding="utf-8")
    df = pd.DataFrame({"Kunde": ["a", "b"], "Zufriedenheit": [9, 3]})
    out = MODEL.score_frame(df, columns=f)
    assert out["Kunde"].tolist() == ["a", "b"] and out["score"].tolist() == [10.0, 0.0]
    bad = tmp_path / "bad.toml"
    bad.write_text("[columns]\nZufriedenheit = 3\n", encoding="utf-8")
    with pytest.raises(advocacy.ModelError) as info:
        MODEL.score_frame(df, columns=bad)
    assert info.value.code == "parse" and str(bad) in str(info.value)


def pandas_frame() -> pd.DataFrame:
    df = pd.DataFrame({
        "id": ["a", "b", "c", "d"],
        "nps": pd.array([10, 3, None, 9], dtype="Int64"),
        "health_score": [91.5, None, 85.0, 95.0],
        "roi_achieved": [True, False, None, True],
        "csm_rapport": [5, None, 4, None],
        "engaged_contacts": [4, 0, None, 1],
        "meeting_engagement": [4, None, None, 5],
        "past_advocacy": [2, None, None, 3],
        "segment": pd.Categorical(["enterprise", "smb", None, "mid_market"]),
        "industry": pd.array(["Software", "retail", None, "software"], dtype="string"),
        "policy": [None, None, None, "prohibited"],
        "name": ["A", "B", "C", "D"],
    })
    return df


HEADER_STYLES = {
    "upper": str.upper,
    "title with spaces": lambda c: c.replace("_", " ").title(),
    "kebab": lambda c: c.replace("_", "-"),
    "padded": lambda c: f"  {c.upper()} ",
}


@pytest.mark.parametrize("style", HEADER_STYLES, ids=list(HEADER_STYLES))
def test_renamed_headers_score_the_same(style: str) -> None:
    df = pandas_frame()
    want = MODEL.score_frame(df)
    renamed = df.rename(columns=HEADER_STYLES[style])
    got = MODEL.score_frame(renamed)
    id_name = HEADER_STYLES[style]("id")
    assert got.columns[0] == id_name
    pd.testing.assert_frame_equal(got.drop(columns=[id_name]), want.drop(columns=["id"]))
    assert got[id_name].tolist() == want["id"].tolist()
    # polars and pyarrow too.
    for table in (pl.from_pandas(renamed), pa.Table.from_pandas(renamed, preserve_index=False)):
        out = rows(MODEL.score_frame(table))
        assert [r["score"] for r in out] == want["score"].tolist()
        assert [r[id_name] for r in out] == want["id"].tolist()
    ex = MODEL.explain_frame(renamed)
    assert ex["points"].tolist() == MODEL.explain_frame(df)["points"].tolist()


def test_df_rename_str_upper_scores_like_df() -> None:
    df = pandas_frame()
    a, b = MODEL.score_frame(df), MODEL.score_frame(df.rename(columns=str.upper))
    assert b.columns.tolist() == ["ID"] + a.columns.tolist()[1:]
    assert b.drop(columns="ID").equals(a.drop(columns="id"))
    assert MODEL.rank(df.rename(columns=str.upper))["ID"].tolist() == MODEL.rank(df)["id"].tolist()


def test_text_columns_of_any_kind_score_like_typed_ones() -> None:
    """pandas object/str columns and Dask's string booleans need no parsing in Python."""
    typed = pd.DataFrame({"id": ["a", "b", "c"], "nps": [9, 3, None], "health_score": [85.5, 20.0, None],
                          "roi_achieved": [True, False, None], "opted_out": [False, True, None]})
    want = MODEL.score_frame(typed)["score"].tolist()
    as_text = pd.DataFrame({"id": ["a", "b", "c"], "nps": ["9", "3", None], "health_score": ["85.5", "20", ""],
                            "roi_achieved": ["True", "False", None], "opted_out": ["false", "TRUE", "NA"]})
    for df in (as_text, as_text.astype("string"), as_text.astype("string[pyarrow]"), as_text.astype("category")):
        assert MODEL.score_frame(df)["score"].tolist() == want
    words = as_text.assign(roi_achieved=["Yes", "no", "n/a"], opted_out=["N", "y", None], health_score=["85.5%", "20%", None])
    assert MODEL.score_frame(words)["score"].tolist() == want
    assert MODEL.score_frame(pl.from_pandas(as_text))["score"].to_list() == want


def test_no_column_the_model_reads_is_an_error() -> None:
    for table in (pd.DataFrame({"Kunde": ["a"], "Zufriedenheit": [9]}), pl.DataFrame({"id": ["a"], "notes": ["x"]}),
                  pa.table({"Account ID": ["a"]}), pd.DataFrame({"id": []})):
        for call in (MODEL.score_frame, MODEL.rank, MODEL.explain_frame):
            with pytest.raises(advocacy.ModelError) as info:
                call(table)
            e = info.value
            assert (e.kind, e.code, e.path) == ("model", "invalid_value", "columns")
            assert "no column holds a signal the model reads" in str(e) and "nps" in e.allowed
    # A signal the model knows but does not read is not enough either.
    with pytest.raises(advocacy.ModelError):
        MODEL.score_frame(pd.DataFrame({"id": ["a"], "tenure_months": [12]}))
    # A mapping that names the column is.
    out = MODEL.score_frame(pd.DataFrame({"Kunde": ["a"], "Zufriedenheit": [9]}),
                            columns={"id": "Kunde", "columns": {"Zufriedenheit": "nps"}})
    assert out["Kunde"].tolist() == ["a"] and out["score"].tolist() == [10.0]


def test_warnings_are_listed_on_the_result() -> None:
    df = pd.DataFrame({"id": ["a"], "nps": [9], "Notes": ["x"], "Owner": ["y"]})
    mapping = {"columns": {"Owner": "ignore", "Customer Health": "health_score"}}
    with pytest.warns(advocacy.ColumnWarning) as caught:
        out = MODEL.score_frame(df, columns=mapping)
    messages = ["column `Notes` is not read: it names no signal of the model",
                "the mapping names column `Customer Health`, which the table does not have"]
    assert [str(w.message) for w in caught] == messages
    codes = [w["code"] for w in out.attrs["warnings"]]
    assert codes == ["unmapped_column", "mapped_column_absent"]
    assert [w["message"] for w in out.attrs["warnings"][:2]] == messages
    with pytest.warns(advocacy.ColumnWarning):
        t = MODEL.score_frame(pa.Table.from_pandas(df, preserve_index=False), columns=mapping)
    assert [w["code"] for w in json.loads(t.schema.metadata[b"advocacy.warnings"])] == codes
    with pytest.warns(advocacy.ColumnWarning):
        b = MODEL.score_frame(pa.RecordBatch.from_pandas(df, preserve_index=False), columns=mapping)
    assert b"advocacy.warnings" in b.schema.metadata
    # A table whose every column is read has none of its own.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = MODEL.score_frame(df[["id", "nps"]])
    assert out.attrs["warnings"] == []
    # The model's own notes (targets not set) come after the columns'.
    notes = advocacy.Model.default().score_frame(df[["id", "nps"]]).attrs["warnings"]
    assert [w["code"] for w in notes] == ["no_targets", "no_targets"]


def test_ids_must_be_unique_when_there_is_an_id_column() -> None:
    df = pd.DataFrame({"Account ID": ["a", "b", "a", "", None, "  ", "c"], "nps": [9, 9, 10, 9, 9, 9, 9]})
    with pytest.raises(advocacy.SignalError) as info:
        MODEL.score_frame(df)
    e = info.value
    assert (e.code, e.row, e.id, e.signal, e.value) == ("duplicate_id", 2, "a", "id", '"a" (row 0 has it too)')
    assert str(e) == 'row 2 (id "a"): signal `id`: value "a" (row 0 has it too) is the id of another row too; ' \
                     "allowed: an id no other row has"
    out = MODEL.score_frame(df, on_error="flag")
    assert out["score"].tolist()[:2] == [10.0, 10.0] and out["score"].tolist()[-1] == 10.0
    assert out["score"].isna().tolist() == [False, False, True, True, True, True, False]
    assert out["error"].iloc[3].startswith("row 3: signal `id`: value \"\" is empty")
    ranked = MODEL.rank(df, on_error="flag")
    assert ranked["Account ID"].tolist()[:3] == ["a", "b", "c"] and ranked["rank"].isna().sum() == 4
    ex = MODEL.explain_frame(df, on_error="flag")
    assert ex.groupby("row")["error"].first().notna().tolist() == [False, False, True, True, True, True, False]
    with pytest.raises(advocacy.SignalError) as info:
        MODEL.explain_frame(df)
    assert (info.value.code, info.value.row) == ("duplicate_id", 2)
    # Across the chunks of a pyarrow table and the pieces of a big table.
    t = pa.concat_tables([pa.table({"id": ["x", "y"], "nps": [1, 2]}), pa.table({"id": ["z", "x"], "nps": [3, 4]})])
    assert t.column("id").num_chunks == 2
    with pytest.raises(advocacy.SignalError) as info:
        MODEL.score_frame(t)
    assert (info.value.code, info.value.row, info.value.value) == ("duplicate_id", 3, '"x" (row 0 has it too)')
    n = 70_000
    big = pl.DataFrame({"id": [f"r{i}" for i in range(n - 1)] + ["r5"], "nps": np.arange(n) % 11})
    with pytest.raises(advocacy.SignalError) as info:
        MODEL.score_frame(big)
    assert (info.value.code, info.value.row, info.value.id) == ("duplicate_id", n - 1, "r5")
    # No id column: nothing to be unique.
    assert MODEL.score_frame(pd.DataFrame({"nps": [9, 9]}))["score"].tolist() == [10.0, 10.0]


def test_read_columns() -> None:
    headers = ["Account ID", "Account Name", "NPS", "Health Score", "ROI Achieved", "Segment", "Notes", "Owner"]
    reads = MODEL.read_columns(headers)
    assert [(r["header"], r["role"], r["signal"]) for r in reads] == [
        ("Account ID", "id", None), ("Account Name", "name", None), ("NPS", "signal", "nps"),
        ("Health Score", "signal", "health_score"), ("ROI Achieved", "signal", "roi_achieved"),
        ("Segment", "signal", "segment"), ("Notes", "ignored", None), ("Owner", "ignored", None)]
    assert all(set(r) == {"header", "role", "signal", "reason"} and r["reason"] for r in reads)
    assert reads[6]["reason"] == "not a signal of the model"
    mapped = MODEL.read_columns(headers, columns={"columns": {"Owner": "ignore", "Notes": "proactive_feedback"}})
    assert (mapped[6]["role"], mapped[6]["signal"]) == ("signal", "proactive_feedback")
    assert mapped[7]["role"] == "ignored" and mapped[7]["reason"] != reads[7]["reason"]
    # A table's own headers, of every kind; nothing is scored.
    df = pd.read_csv(FIXTURES / "crm_accounts.csv")
    for table in (df, pl.from_pandas(df), pl.from_pandas(df).lazy(), pa.Table.from_pandas(df)):
        assert [r["header"] for r in MODEL.read_columns(table)] == list(df.columns)
    assert MODEL.read_columns(("nps", "nps_score"), columns={"columns": {"nps_score": "ignore"}})[1]["role"] == "ignored"
    assert MODEL.read_columns([]) == []
    # The core's errors.
    with pytest.raises(advocacy.ModelError, match="two columns would give `nps`"):
        MODEL.read_columns(["NPS", "nps"])
    with pytest.raises(advocacy.ModelError) as info:
        MODEL.read_columns(["x"], columns={"columns": {"x": "no_such_signal"}})
    assert (info.value.code, info.value.path) == ("unknown_signal", "columns.x")


def test_value_maps_on_every_kind_of_text_column() -> None:
    mapping = {"values": {"roi_achieved": {"Ja": "yes", "Nein": "no"}, "segment": {"Konzern": "enterprise"},
                          "industry": {"Softwareentwicklung": "software"}}}
    raw = {"id": ["a", "b", "c"], "roi_achieved": ["Ja", "Nein", None], "segment": ["Konzern", "smb", None],
           "industry": ["Softwareentwicklung", "retail", "Software"]}
    want = [25.0, 0.0, 10.0]
    df = pd.DataFrame(raw)
    for table in (df, df.astype("category"), df.astype("string"), pl.DataFrame(raw),
                  pl.DataFrame(raw).with_columns(pl.col("segment").cast(pl.Categorical)), pa.table(raw),
                  df.assign(roi_achieved=pd.array(["Ja", False, None], dtype=object))):
        out = rows(MODEL.score_frame(table, columns=mapping))
        assert [r["score"] for r in out] == want, type(table)
    # Value maps change text cells only, and only of their signal.
    with pytest.raises(advocacy.SignalError) as info:
        MODEL.score_frame(df, columns={"values": {"segment": {"Ja": "yes"}}})
    assert info.value.signal == "roi_achieved"
    ex = MODEL.explain_frame(df, columns=mapping)
    assert ex.groupby("row")["points"].sum().tolist() == want
