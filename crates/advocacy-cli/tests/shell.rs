//! The command in a shell: completion scripts, the manual page, and `--keep` carrying input
//! columns (the account name by default) into every output format, on both the streamed path
//! (CSV, JSON Lines, Parquet files) and the record path (JSON arrays, stdin, joined sources).

// Tests may stop at the first surprise; the lints are for the shipped binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

use arrow_array::{Array, ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
use arrow_schema::DataType;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ArrowWriter;
use serde_json::Value;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_advocacy"))
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(args: &[&str]) -> Output {
    bin().args(args).current_dir(root()).output().unwrap()
}

fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    text(&out.stdout)
}

fn fails(args: &[&str]) -> String {
    let out = run(args);
    assert_eq!(out.status.code(), Some(2), "{args:?} should fail: {}", text(&out.stdout));
    text(&out.stderr)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("advocacy-cli-shell-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn tmp(name: &str, content: &str) -> String {
    let p = dir().join(name);
    std::fs::write(&p, content).unwrap();
    p.to_str().unwrap().to_string()
}

/// The subcommands `advocacy --help` lists (so a new one is checked too).
fn subcommands() -> Vec<String> {
    let help = ok(&["--help"]);
    let list = help.split("Commands:").nth(1).unwrap().split("Options:").next().unwrap();
    let names: Vec<String> = list
        .lines()
        .filter_map(|l| l.strip_prefix("  ").and_then(|l| l.split_whitespace().next()).map(str::to_string))
        .filter(|n| n != "help")
        .collect();
    assert!(names.len() >= 8 && names.contains(&"score".to_string()), "{names:?}");
    names
}

/// The long options `advocacy ARGS --help` lists.
fn long_options(args: &[&str]) -> Vec<String> {
    let mut a = args.to_vec();
    a.push("--help");
    let help = ok(&a);
    help.lines()
        .filter_map(|l| {
            let l = l.trim_start();
            let l = l.strip_prefix("-h, ").or_else(|| l.strip_prefix("-V, ")).unwrap_or(l);
            l.strip_prefix("--")
                .map(|o| format!("--{}", o.split(|c: char| !(c.is_alphanumeric() || c == '-')).next().unwrap()))
        })
        .collect()
}

// ---- completions and the manual page ------------------------------------------------------------

#[test]
fn completion_scripts_name_the_subcommands() {
    let subs = subcommands();
    let bash = ok(&["completions", "bash"]);
    assert!(bash.contains("_advocacy()"), "the bash script defines its completion function");
    assert!(bash.contains("complete -F _advocacy"), "and registers it for `advocacy`");
    for s in &subs {
        assert!(bash.contains(s.as_str()), "bash completion lacks subcommand {s}");
    }
    assert!(bash.contains("--on-error") && bash.contains("--keep"), "and the options of score");
    // `bash -n` parses the script without running it (when bash is here).
    if let Ok(mut child) = Command::new("bash").arg("-n").stdin(Stdio::piped()).stderr(Stdio::piped()).spawn() {
        child.stdin.take().unwrap().write_all(bash.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "bash -n: {}", text(&out.stderr));
    }
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let script = ok(&["completions", shell]);
        assert!(script.len() > 1000, "{shell}: {script}");
        assert!(script.contains("score") && script.contains("explain"), "{shell} completion names score");
    }
    assert!(ok(&["completions", "zsh"]).starts_with("#compdef advocacy"));
    assert!(ok(&["completions", "fish"]).contains("complete -c advocacy"));
    // Another shell: clap's error listing the ones there are.
    let out = run(&["completions", "tcsh"]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("bash") && text(&out.stderr).contains("fish"), "{}", text(&out.stderr));
}

#[test]
fn the_manual_page_covers_every_subcommand_and_option() {
    let page = ok(&["man"]);
    assert!(page.lines().any(|l| l.starts_with(".TH advocacy 1")), "{}", &page[..300.min(page.len())]);
    assert!(page.contains(".SH SYNOPSIS") && page.contains(".SH SUBCOMMANDS"));
    // roff escapes `-` as `\-`.
    let roff = |s: &str| s.replace('-', "\\-");
    for sub in subcommands() {
        assert!(page.contains(&format!(".SH \"ADVOCACY {}\"", sub.to_uppercase())), "no section for {sub}");
        for opt in long_options(&[&sub]) {
            assert!(page.contains(&roff(&opt)), "the page lacks {opt} of {sub}");
        }
    }
    for opt in ["--on-error", "--keep", "--format", "--order", "--source", "--as-of"] {
        assert!(page.contains(&roff(opt)), "{opt}");
    }
    assert!(page.contains(".SH \"ADVOCACY MODEL CHECK\""), "nested subcommands have sections too");
    // `man` reads it (when man is here).
    if let Ok(mut child) = Command::new("man")
        .args(["-l", "-"])
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "100")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        child.stdin.take().unwrap().write_all(page.as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        if out.status.success() {
            let shown = text(&out.stdout);
            assert!(shown.contains("ADVOCACY SCORE") && shown.contains("--on-error"), "{shown}");
        }
    }
    // One page per command with --dir.
    let d = dir().join("man1");
    ok(&["man", "--dir", d.to_str().unwrap()]);
    for sub in subcommands() {
        let p = std::fs::read_to_string(d.join(format!("advocacy-{sub}.1"))).unwrap();
        assert!(
            p.contains(&format!(".TH advocacy-{sub} 1"))
                && p.contains(&format!("advocacy {}", env!("CARGO_PKG_VERSION"))),
            "{sub}: {p}"
        );
        for opt in long_options(&[&sub]) {
            assert!(p.contains(&roff(&opt)), "advocacy-{sub}.1 lacks {opt}");
        }
    }
    let top = std::fs::read_to_string(d.join("advocacy.1")).unwrap();
    assert!(top.contains(".TH advocacy 1") && top.contains("advocacy\\-score(1)"));
    let score = std::fs::read_to_string(d.join("advocacy-score.1")).unwrap();
    assert!(score.contains(&roff("--on-error")) && score.contains(&roff("--keep")));
}

// ---- --keep ---------------------------------------------------------------------------------------

/// Accounts with a name, two other columns to keep (one with an empty cell and a comma) and
/// signals; `z` is flagged with --on-error flag (a bad NPS).
const ACCOUNTS: &str = "Account ID,Account Name,Region,Owner,nps,health_score,csm_rapport\n\
a1,Acme,EU,ann,10,90,5\n\
b2,\"Beta, Inc\",,bob,6,40,2\n\
c3,,APAC,\"cy \"\"the\"\" one\",8,75,4\n\
z9,Zed,NA,zoe,eleven,50,3\n";

/// id -> (name, Region, Owner), empty for none.
fn expected() -> HashMap<&'static str, [&'static str; 3]> {
    HashMap::from([
        ("a1", ["Acme", "EU", "ann"]),
        ("b2", ["Beta, Inc", "", "bob"]),
        ("c3", ["", "APAC", "cy \"the\" one"]),
        ("z9", ["Zed", "NA", "zoe"]),
    ])
}

fn csv_rows(out: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut rdr = csv::ReaderBuilder::new().from_reader(out.as_bytes());
    let header = rdr.headers().unwrap().iter().map(str::to_string).collect();
    let rows = rdr.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    (header, rows)
}

fn json_lines(out: &str) -> Vec<Value> {
    out.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// A Parquet file's columns (name, type) and rows as text (nulls as `None`).
type ParquetRows = (Vec<(String, DataType)>, Vec<Vec<Option<String>>>);

fn parquet_rows(path: &str) -> ParquetRows {
    let reader = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(path).unwrap()).unwrap().build().unwrap();
    let (mut fields, mut rows) = (Vec::new(), Vec::new());
    for batch in reader {
        let batch = batch.unwrap();
        fields = batch.schema().fields().iter().map(|f| (f.name().clone(), f.data_type().clone())).collect();
        for r in 0..batch.num_rows() {
            rows.push(
                (0..batch.num_columns())
                    .map(|c| {
                        let a = batch.column(c);
                        if a.is_null(r) {
                            None
                        } else if let Some(x) = a.as_any().downcast_ref::<Float64Array>() {
                            Some(advocacy_core::fmt_num(x.value(r)))
                        } else if let Some(x) = a.as_any().downcast_ref::<Int64Array>() {
                            Some(x.value(r).to_string())
                        } else {
                            Some(a.as_any().downcast_ref::<StringArray>().unwrap().value(r).to_string())
                        }
                    })
                    .collect(),
            );
        }
    }
    (fields, rows)
}

#[test]
fn the_name_is_kept_by_default_in_every_format() {
    let f = tmp("named.csv", ACCOUNTS);
    let jsonl =
        tmp("named.jsonl", "{\"id\":\"a1\",\"name\":\"Acme\",\"nps\":10}\n{\"id\":\"b2\",\"name\":null,\"nps\":6}\n");
    let flag = ["--on-error", "flag"];
    for order in ["rank", "input"] {
        let first = if order == "rank" { "rank" } else { "row" };
        // CSV: `name` (the Account Name column) right after `id`.
        let (header, rows) = csv_rows(&ok(&["score", &f, "--format", "csv", "--order", order, flag[0], flag[1]]));
        assert_eq!(header[..4], [first, "id", "name", "score"], "{order}");
        for r in &rows {
            assert_eq!(r[2], expected()[r[1].as_str()][0], "{order}: {r:?}");
        }
        // The flagged row keeps its name too.
        let z = rows.iter().find(|r| r[1] == "z9").unwrap();
        assert!(z[2] == "Zed" && z.last().unwrap().contains("nps"), "{z:?}");
        // JSON Lines: `name` after `id`, null when empty.
        for file in [&f, &jsonl] {
            let lines = json_lines(&ok(&["score", file, "--format", "jsonl", "--order", order, flag[0], flag[1]]));
            for l in &lines {
                let keys: Vec<&String> = l.as_object().unwrap().keys().collect();
                assert_eq!(keys[..4], [first, "id", "name", "score"], "{order}: {l}");
                let id = l["id"].as_str().unwrap();
                let want = if file == &f {
                    expected()[id][0]
                } else if id == "a1" {
                    "Acme"
                } else {
                    ""
                };
                if want.is_empty() {
                    assert_eq!(l["name"], Value::Null, "{l}");
                } else {
                    assert_eq!(l["name"], want, "{l}");
                }
            }
        }
        // Parquet: a text column, null when empty.
        let out = dir().join(format!("named-{order}.parquet"));
        ok(&[
            "score",
            &f,
            "--format",
            "parquet",
            "--output",
            out.to_str().unwrap(),
            "--order",
            order,
            flag[0],
            flag[1],
        ]);
        let (fields, rows) = parquet_rows(out.to_str().unwrap());
        assert_eq!(fields[2], ("name".to_string(), DataType::Utf8));
        for r in &rows {
            let want = expected()[r[1].as_deref().unwrap()][0];
            assert_eq!(r[2].as_deref(), Some(want).filter(|w| !w.is_empty()), "{r:?}");
        }
    }
    // The table shows the name as before, and nothing else at the end of its lines.
    let table = ok(&["score", &f, flag[0], flag[1]]);
    let header = table.lines().next().unwrap();
    assert!(header.split_whitespace().take(3).eq(["rank", "id", "name"]) && header.ends_with("complete"), "{header}");
    assert!(table.lines().any(|l| l.contains("a1") && l.contains("Acme") && l.ends_with('%')), "{table}");
    // --keep "" keeps nothing.
    let (header, _) = csv_rows(&ok(&["score", &f, "--format", "csv", "--keep", "", flag[0], flag[1]]));
    assert_eq!(header[..3], ["rank", "id", "score"]);
    let line = ok(&["score", &f, "--format", "jsonl", "--keep", "", flag[0], flag[1]]);
    assert!(!line.contains("\"name\""), "{line}");
    // A file without a name column: nothing kept, the output as before.
    let plain = tmp("plain.csv", "id,nps\na,9\n");
    let (header, _) = csv_rows(&ok(&["score", &plain, "--format", "csv"]));
    assert_eq!(header[..3], ["rank", "id", "score"]);
}

/// Checks `--keep Region,Owner` (in that order, after `name` is not kept) in the output of
/// `args` in `format`.
fn check_two_kept(args: &[&str], format: &str, what: &str) {
    let want = expected();
    match format {
        "csv" => {
            let (header, rows) = csv_rows(&ok(args));
            assert_eq!(header[1..5], ["id", "Region", "Owner", "score"], "{what}");
            assert_eq!(rows.len(), 4, "{what}");
            for r in &rows {
                let w = want[r[1].as_str()];
                assert_eq!((r[2].as_str(), r[3].as_str()), (w[1], w[2]), "{what}: {r:?}");
            }
        }
        "jsonl" | "json" => {
            let out = ok(args);
            let rows: Vec<Value> =
                if format == "json" { serde_json::from_str::<Vec<Value>>(&out).unwrap() } else { json_lines(&out) };
            assert_eq!(rows.len(), 4, "{what}");
            for l in &rows {
                let keys: Vec<&String> = l.as_object().unwrap().keys().collect();
                assert_eq!(keys[1..5], ["id", "Region", "Owner", "score"], "{what}: {l}");
                let w = want[l["id"].as_str().unwrap()];
                let j = |s: &str| if s.is_empty() { Value::Null } else { Value::from(s) };
                assert_eq!((&l["Region"], &l["Owner"]), (&j(w[1]), &j(w[2])), "{what}: {l}");
            }
        }
        "parquet" => {
            let out = args[args.iter().position(|a| *a == "--output").unwrap() + 1];
            ok(args);
            let (fields, rows) = parquet_rows(out);
            let names: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
            assert_eq!(names[1..5], ["id", "Region", "Owner", "score"], "{what}");
            assert_eq!((&fields[2].1, &fields[3].1), (&DataType::Utf8, &DataType::Utf8));
            for r in &rows {
                let w = want[r[1].as_deref().unwrap()];
                let p = |s: &'static str| Some(s.to_string()).filter(|s| !s.is_empty());
                assert_eq!((r[2].clone(), r[3].clone()), (p(w[1]), p(w[2])), "{what}: {r:?}");
            }
        }
        "table" => {
            let out = ok(args);
            let mut lines = out.lines();
            let header = lines.next().unwrap();
            let tail = format!("{:<22}  Owner", "Region");
            assert!(header.contains(" name ") && header.ends_with(&tail), "{what}: {header}");
            for l in lines.take(4) {
                let id = l.split_whitespace().nth(1).unwrap();
                let w = want[id];
                // The name in its column; Region and Owner at the end, 22 wide.
                assert!(l.contains(&format!(" {id} ")) && l.contains(w[0]), "{what}: {l}");
                let end = format!("  {:<22}  {}", w[1], w[2]);
                assert!(l.ends_with(end.trim_end()), "{what}: {l:?} should end with {end:?}");
            }
        }
        _ => unreachable!(),
    }
}

#[test]
fn two_kept_columns_in_every_format_and_order() {
    let f = tmp("two.csv", ACCOUNTS);
    let json = tmp("two.json", &csv_as_json(ACCOUNTS));
    let keep = ["--keep", "region, OWNER", "--on-error", "flag"];
    for order in ["rank", "input"] {
        for format in ["csv", "jsonl", "parquet", "table"] {
            let out = dir().join(format!("two-{order}.parquet"));
            let mut args = vec!["score", f.as_str(), "--format", format, "--order", order];
            args.extend(keep);
            if format == "parquet" {
                args.extend(["--output", out.to_str().unwrap()]);
            }
            check_two_kept(&args, format, &format!("stream {format} {order}"));
        }
    }
    // The record path: a JSON array file (every format), stdin, and --format json of a CSV.
    for format in ["csv", "jsonl", "json", "parquet", "table"] {
        let out = dir().join("two-json.parquet");
        let mut args = vec!["score", json.as_str(), "--format", format];
        args.extend(keep);
        if format == "parquet" {
            args.extend(["--output", out.to_str().unwrap()]);
        }
        check_two_kept(&args, format, &format!("record {format}"));
    }
    let mut args = vec!["score", f.as_str(), "--format", "json"];
    args.extend(keep);
    check_two_kept(&args, "json", "csv as json");
    let mut child = bin()
        .args(["score", "-", "--format", "csv", "--keep", "Region,Owner", "--on-error", "flag"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(ACCOUNTS.as_bytes()).unwrap();
    let piped = child.wait_with_output().unwrap();
    assert!(piped.status.success(), "{}", text(&piped.stderr));
    let mut args = vec!["score", f.as_str(), "--format", "csv"];
    args.extend(keep);
    // The same rows (the error messages name the file or <stdin>).
    let firsts = |s: &str| csv_rows(s).1.into_iter().map(|r| r[..6].to_vec()).collect::<Vec<_>>();
    assert_eq!(firsts(&text(&piped.stdout)), firsts(&ok(&args)), "stdin and the file agree");
    // The name kept with them, by the word `name` (the Account Name column), first.
    let (header, rows) =
        csv_rows(&ok(&["score", &f, "--format", "csv", "--keep", "name,Region", "--on-error", "flag"]));
    assert_eq!(header[1..5], ["id", "name", "Region", "score"]);
    assert!(rows.iter().any(|r| r[1] == "b2" && r[2] == "Beta, Inc" && r[3].is_empty()), "{rows:?}");
    // --top shows the kept columns of the rows it shows.
    let (_, rows) =
        csv_rows(&ok(&["score", &f, "--format", "csv", "--keep", "Owner", "--top", "1", "--on-error", "flag"]));
    assert_eq!((rows.len(), rows[0][1].as_str(), rows[0][2].as_str()), (1, "a1", "ann"));
}

/// The CSV accounts as a JSON array of objects (numbers as numbers, empty cells left out).
fn csv_as_json(csv_text: &str) -> String {
    let (header, rows) = csv_rows(csv_text);
    let objs: Vec<Value> = rows
        .iter()
        .map(|r| {
            let mut o = serde_json::Map::new();
            for (h, c) in header.iter().zip(r) {
                if c.is_empty() {
                    continue;
                }
                o.insert(h.clone(), c.parse::<f64>().map_or_else(|_| Value::from(c.as_str()), Value::from));
            }
            Value::Object(o)
        })
        .collect();
    serde_json::to_string(&objs).unwrap()
}

#[test]
fn kept_columns_of_a_parquet_file_are_text() {
    let batch = RecordBatch::try_from_iter([
        ("id", Arc::new(StringArray::from(vec!["a", "b"])) as ArrayRef),
        ("name", Arc::new(StringArray::from(vec![Some("Acme"), None])) as ArrayRef),
        ("zip", Arc::new(Int64Array::from(vec![Some(1010), Some(7)])) as ArrayRef),
        ("nps", Arc::new(Float64Array::from(vec![9.0, 3.0])) as ArrayRef),
    ])
    .unwrap();
    let p = dir().join("kept-in.parquet");
    let mut w = ArrowWriter::try_new(std::fs::File::create(&p).unwrap(), batch.schema(), None).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
    let p = p.to_str().unwrap();
    for order in ["rank", "input"] {
        let (header, rows) = csv_rows(&ok(&["score", p, "--format", "csv", "--keep", "name,zip", "--order", order]));
        assert_eq!(header[1..4], ["id", "name", "zip"]);
        assert_eq!(rows[0][1..4], ["a", "Acme", "1010"], "{order}");
        assert_eq!(rows[1][1..4], ["b", "", "7"], "{order}");
        let out = dir().join("kept-out.parquet");
        ok(&[
            "score",
            p,
            "--format",
            "parquet",
            "--output",
            out.to_str().unwrap(),
            "--keep",
            "name,zip",
            "--order",
            order,
        ]);
        let (fields, rows) = parquet_rows(out.to_str().unwrap());
        assert_eq!((&fields[2].1, &fields[3].1), (&DataType::Utf8, &DataType::Utf8));
        assert_eq!(rows[1][2..4], [None, Some("7".to_string())]);
    }
    // Explained with the name by default.
    let lines = json_lines(&ok(&["explain", p, "--json"]));
    assert_eq!(lines[0]["kept"], serde_json::json!({"name": "Acme"}));
    assert_eq!(lines[1]["kept"], serde_json::json!({"name": null}));
}

#[test]
fn unknown_and_clashing_kept_columns_are_errors() {
    let f = tmp("errs.csv", ACCOUNTS);
    let json = tmp("errs.json", &csv_as_json(ACCOUNTS));
    for file in [&f, &json] {
        // An unknown header: named, with the file's headers listed.
        let e = fails(&["score", file, "--keep", "Region,Regoin"]);
        assert!(e.contains("\"Regoin\"") && e.contains(file.as_str()), "{e}");
        assert!(e.contains("Account ID, Account Name, Region, Owner, nps"), "{e}");
        let e = fails(&["explain", file, "--json", "--keep", "nope"]);
        assert!(e.contains("\"nope\""), "{e}");
    }
    // A kept column written as a result column: named, whatever the format.
    let clash =
        tmp("clash.csv", "id,name,nps,Tier,Score,satisfaction,Completeness,error,rank,row\na,Acme,9,x,1,2,3,4,5,6\n");
    let clash_json = tmp("clash.json", &csv_as_json(&std::fs::read_to_string(&clash).unwrap()));
    for file in [&clash, &clash_json] {
        for col in ["Tier", "score", "satisfaction", "completeness", "error", "rank", "row", "id"] {
            for format in ["csv", "jsonl", "table"] {
                let e = fails(&["score", file, "--keep", col, "--format", format]);
                assert!(e.contains("--keep") && e.contains("result column"), "{col}: {e}");
                assert!(e.to_lowercase().contains(&format!("`{}`", col.to_lowercase())), "{col}: {e}");
            }
        }
        // Columns that do not clash are fine, and explain's `kept` object cannot clash.
        ok(&["score", file, "--keep", "name"]);
        let lines = json_lines(&ok(&["explain", file, "--json", "--keep", "Tier,Score"]));
        assert_eq!(lines[0]["kept"], serde_json::json!({"Tier": "x", "Score": "1"}));
    }
}

#[test]
fn joined_sources_keep_columns_from_the_first_source_that_has_them() {
    // crm has no name column; hubspot's `Company name` is the name. Owner is in both: crm's
    // wins, hubspot's fills in where crm has no value or no row.
    let crm = tmp("crm.csv", "id,nps,Owner\na1,9,ann\nb2,6,\nc3,8,cy\n");
    let hub = tmp(
        "hub.csv",
        "Record ID,Company name,health_score,owner,Region\na1,Acme,80,zed,EU\nb2,Beta,50,bob,\nd4,Delta,70,dan,NA\n",
    );
    let (crm_s, hub_s) = (format!("crm={crm}"), format!("hub={hub}"));
    let src = ["--source", crm_s.as_str(), "--source", hub_s.as_str()];
    let want: HashMap<&str, [&str; 4]> = HashMap::from([
        ("a1", ["Acme", "ann", "EU", ""]),
        ("b2", ["Beta", "bob", "", ""]),
        ("c3", ["", "cy", "", ""]),
        ("d4", ["Delta", "dan", "NA", ""]),
    ]);
    // The name by default.
    let mut args = vec!["score", "--format", "csv"];
    args.extend(src);
    let (header, rows) = csv_rows(&ok(&args));
    assert_eq!(header[1..4], ["id", "name", "score"]);
    for r in &rows {
        assert_eq!(r[2], want[r[1].as_str()][0], "{r:?}");
    }
    // Three kept columns, in every format.
    for format in ["csv", "jsonl", "json"] {
        let mut args = vec!["score", "--format", format, "--keep", "name,owner,region"];
        args.extend(src);
        let out = ok(&args);
        let rows: Vec<Value> = match format {
            "csv" => {
                let (header, rows) = csv_rows(&out);
                assert_eq!(header[1..5], ["id", "name", "Owner", "Region"]);
                rows.iter()
                    .map(|r| {
                        let e = |s: &str| if s.is_empty() { Value::Null } else { Value::from(s) };
                        serde_json::json!({"id": r[1], "name": e(&r[2]), "Owner": e(&r[3]), "Region": e(&r[4])})
                    })
                    .collect()
            }
            "json" => serde_json::from_str(&out).unwrap(),
            _ => json_lines(&out),
        };
        assert_eq!(rows.len(), 4, "{format}");
        for l in &rows {
            let w = want[l["id"].as_str().unwrap()];
            let e = |s: &str| if s.is_empty() { Value::Null } else { Value::from(s) };
            assert_eq!([&l["name"], &l["Owner"], &l["Region"]], [&e(w[0]), &e(w[1]), &e(w[2])], "{format}: {l}");
        }
    }
    let mut args = vec!["score", "--format", "table", "--keep", "owner"];
    args.extend(src);
    let table = ok(&args);
    assert!(table.lines().next().unwrap().ends_with("  Owner"), "{table}");
    assert!(table.lines().any(|l| l.contains(" a1 ") && l.ends_with("  ann")), "{table}");
    // A column no source has: named, with every source's headers.
    let mut args = vec!["score", "--keep", "segment"];
    args.extend(src);
    let e = fails(&args);
    assert!(
        e.contains("\"segment\"") && e.contains(&format!("{crm}: id, nps, Owner")) && e.contains("Company name"),
        "{e}"
    );
    // Explained: the `kept` object.
    let mut args = vec!["explain", "--json", "--keep", "owner,region"];
    args.extend(src);
    for l in json_lines(&ok(&args)) {
        let w = want[l["id"].as_str().unwrap()];
        let e = |s: &str| if s.is_empty() { Value::Null } else { Value::from(s) };
        assert_eq!(l["kept"], serde_json::json!({"Owner": e(w[1]), "Region": e(w[2])}), "{l}");
    }
}

#[test]
fn explain_json_carries_the_kept_columns() {
    let f = tmp("explain.csv", ACCOUNTS);
    let json = tmp("explain.json", &csv_as_json(ACCOUNTS));
    let want = expected();
    for file in [&f, &json] {
        // By default the name; flagged lines carry it too.
        let lines = json_lines(&ok(&["explain", file, "--json", "--on-error", "flag"]));
        assert_eq!(lines.len(), 4);
        for l in &lines {
            let w = want[l["id"].as_str().unwrap()];
            let name = if w[0].is_empty() { Value::Null } else { Value::from(w[0]) };
            assert_eq!(l["kept"], serde_json::json!({"name": name}), "{file}: {l}");
        }
        assert!(lines.iter().any(|l| l["id"] == "z9" && l["error"].is_string()), "{lines:?}");
        // Two columns, in the order asked; --keep "" leaves the key out.
        let lines = json_lines(&ok(&["explain", file, "--json", "--on-error", "flag", "--keep", "Owner,Region"]));
        let keys: Vec<&String> = lines[0]["kept"].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["Owner", "Region"]);
        assert_eq!(lines[1]["kept"], serde_json::json!({"Owner": "bob", "Region": null}));
        let lines = json_lines(&ok(&["explain", file, "--json", "--on-error", "flag", "--keep", ""]));
        assert!(lines.iter().all(|l| l.get("kept").is_none()));
        // One account, pretty.
        let one: Value =
            serde_json::from_str(&ok(&["explain", file, "--json", "--id", "c3", "--keep", "region"])).unwrap();
        assert_eq!(one["kept"], serde_json::json!({"Region": "APAC"}));
        assert_eq!(one["id"], "c3");
    }
}

#[test]
fn the_readme_documents_the_shell_features() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    for s in [
        "advocacy completions bash",
        "advocacy completions zsh",
        "advocacy completions fish",
        "advocacy man | man -l -",
        "--keep",
        "NO_COLOR",
    ] {
        assert!(readme.contains(s), "README.md lacks {s:?}");
    }
}
