//! The `advocacy` command, run as a user would.

// Tests may stop at the first surprise; the lints are for the shipped binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_advocacy"))
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(args: &[&str]) -> Output {
    bin().args(args).current_dir(root()).output().unwrap()
}

fn run_stdin(args: &[&str], input: &str) -> Output {
    let mut child = bin()
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn tmp(name: &str, content: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("advocacy-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, content).unwrap();
    p
}

#[test]
fn scores_the_sample_as_a_ranked_table() {
    let out = run(&["score", "samples/accounts.csv"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    let first = s.lines().nth(1).unwrap();
    assert!(first.trim_start().starts_with("1 "), "{first}");
    assert!(s.contains("200 accounts shown"), "{s}");
    assert!(text(&out.stderr).contains("no target industries are set"));
}

#[test]
fn json_output_is_ranked_and_matches_explain() {
    let out = run(&[
        "score",
        "samples/accounts.csv",
        "--format",
        "json",
        "--target-industries",
        "software,healthcare",
        "--target-segments",
        "enterprise",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.len(), 200);
    for w in rows.windows(2) {
        assert!(w[0]["score"].as_f64() >= w[1]["score"].as_f64());
    }
    for key in [
        "rank",
        "id",
        "score",
        "tier",
        "satisfaction",
        "relationship",
        "willingness",
        "company_fit",
        "completeness",
        "max_possible",
        "error",
    ] {
        assert!(rows[0].get(key).is_some(), "missing {key}");
    }
    // The explanation of the top account agrees with its row.
    let id = rows[0]["id"].as_str().unwrap();
    let out = run(&[
        "explain",
        "samples/accounts.csv",
        "--id",
        id,
        "--json",
        "--target-industries",
        "software,healthcare",
        "--target-segments",
        "enterprise",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["total"], rows[0]["score"]);
    assert_eq!(s["tier"], rows[0]["tier"]);
}

#[test]
fn csv_jsonl_and_stdin_agree() {
    let csv = run(&["score", "samples/accounts.csv", "--format", "csv"]);
    let lines: Vec<String> = text(&csv.stdout).lines().map(str::to_string).collect();
    assert_eq!(
        lines[0],
        "rank,id,name,score,tier,satisfaction,relationship,willingness,company_fit,completeness,max_possible,error"
    );
    assert_eq!(lines.len(), 201);
    let jsonl = run(&["score", "samples/accounts.csv", "--format", "jsonl"]);
    let first: serde_json::Value = serde_json::from_str(text(&jsonl.stdout).lines().next().unwrap()).unwrap();
    let cells: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(first["id"], cells[1]);
    let sample = std::fs::read_to_string(root().join("samples/accounts.csv")).unwrap();
    let piped = run_stdin(&["score", "-", "--format", "csv"], &sample);
    assert_eq!(text(&piped.stdout), text(&csv.stdout));
}

#[test]
fn json_inputs_and_a_toml_model() {
    let jsonl = tmp("a.jsonl", "{\"id\": \"x\", \"nps\": 10, \"health_score\": 90}\n\n{\"id\": 7, \"nps\": 3}\n");
    let out = run(&["score", jsonl.to_str().unwrap(), "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows[0]["id"], "x");
    assert_eq!(rows[0]["score"], 20.0);
    assert_eq!(rows[1]["id"], "7");
    let arr = tmp("a.json", "[{\"id\": \"y\", \"roi_achieved\": true}]");
    let toml = run(&["model", "default", "--format", "toml"]);
    let model = tmp("m.toml", &text(&toml.stdout).replace("missing = \"zero\"", "missing = \"rescale\""));
    let out = run(&["score", arr.to_str().unwrap(), "--model", model.to_str().unwrap(), "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows[0]["score"], 100.0, "rescaled: one present criterion, met");
}

#[test]
fn bad_rows_fail_with_the_line_or_are_flagged() {
    let csv = tmp("bad.csv", "id,nps,health_score\na,9,90\nb,11,90\nc,10,85\n");
    let out = run(&["score", csv.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("bad.csv:3:"), "{err}");
    assert!(err.contains("signal `nps`: value 11 is out of range; allowed: an integer from 0 to 10"), "{err}");
    assert!(err.contains("\"b\""), "{err}");
    let out = run(&["score", csv.to_str().unwrap(), "--on-error", "flag", "--format", "json"]);
    assert!(out.status.success());
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[2]["id"], "b");
    assert!(rows[2]["score"].is_null());
    assert!(rows[2]["error"].as_str().unwrap().contains("out of range"));
    assert_eq!(rows[0]["score"], 20.0);
}

#[test]
fn bad_models_and_options_are_named() {
    let model = tmp(
        "bad.json",
        r#"{"categories":[{"id":"a","criteria":[{"id":"x","signal":"npss","rule":{"op":">=","value":9},"points":10}]}]}"#,
    );
    let out = run(&["model", "check", model.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("categories[0].criteria[0].signal") && err.contains("unknown signal"), "{err}");
    let out = run(&["score", "samples/accounts.csv", "--target-segments", "giant"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("targets.segments[0]"), "{}", text(&out.stderr));
    let out = run(&["score", "samples/accounts.csv", "--as-of", "2026-02-30"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("--as-of"));
    let out = run(&["score", "does/not/exist.csv"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn model_commands() {
    let out = run(&["model", "check", "crates/advocacy-core/models/default.json"]);
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("12 criteria, 100 points"), "{}", text(&out.stdout));
    let out = run(&["model", "default"]);
    let m: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(m["tiers"]["platinum"], 80.0);
    let out = run(&["model", "schema"]);
    let s: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["title"], "Model");
}

#[test]
fn explain_reads_like_a_report() {
    let out = run(&["explain", "samples/accounts.csv", "--id", "ACC-1001", "--as-of", "2026-11-25"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    for needle in [
        "ACC-1001",
        "tier not_yet_qualified",
        "missing signals:",
        "next tier: silver",
        "revisit: 2027-05-25",
        "(no targets set)",
    ] {
        assert!(s.contains(needle), "{needle} not in\n{s}");
    }
    let out = run(&["explain", "samples/accounts.csv", "--id", "nope"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn model_check_lists_every_problem_with_its_value() {
    let model = tmp(
        "many_problems.json",
        r#"{"categories":[{"id":"score","criteria":[
            {"id":"x","signal":"nps","rule":{"op":">=","value":11},"points":5},
            {"id":"y","signal":"health_score","rule":{"op":"ramp","points":[[200,0],[300,1]]},"points":95}]}],
          "gates":[{"id":"g","signal":"opted_out","rule":{"op":"is","value":true},"tier":"platinum"}]}"#,
    );
    let out = run(&["model", "check", model.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    for expected in [
        "categories[0].id: category id `score` would overwrite a result column (value score)",
        "categories[0].criteria[0].rule.value: no value of `nps` can meet this rule (value 11)",
        "categories[0].criteria[1].rule.points: no value of `health_score` can meet this rule (value 200)",
        "gates[0].tier: gate would promote (value platinum)",
        "4 problem(s) found",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in:\n{err}");
    }
}

#[test]
fn ambiguous_input_is_refused_not_guessed() {
    // Two columns with one header: which one would count is a guess.
    let dup = tmp("dup.csv", "id,nps,nps\na,9,\nb,,3\n");
    let out = run(&["score", dup.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains(r#"dup.csv:1: model columns[2]: duplicate column (columns 2 and 3) (value "nps")"#),
        "{}",
        text(&out.stderr)
    );
    // The same key twice in one JSON object.
    let out = run_stdin(&["score", "-"], "{\"id\": \"a\", \"nps\": 9, \"nps\": 3}\n");
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("duplicate key `nps`"), "{}", text(&out.stderr));
    // A byte-order mark in front of JSON on stdin is skipped, not read as an empty CSV.
    let out = run_stdin(&["score", "--format", "csv", "-"], "\u{feff}[{\"id\": \"a\", \"nps\": 9}]");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("1,a,10,"), "{}", text(&out.stdout));
    // No accounts at all says so.
    for (name, content) in
        [("empty.csv", ""), ("header.csv", "id,nps\n"), ("empty.json", "[]"), ("blank.jsonl", "\n\n")]
    {
        let p = tmp(name, content);
        let out = run(&["score", p.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(2), "{name}");
        assert!(text(&out.stderr).contains("no accounts"), "{name}: {}", text(&out.stderr));
    }
}

#[test]
fn broken_rows_are_flagged_and_the_others_kept() {
    let ragged = tmp("ragged.csv", "id,nps\na,9\nb,10,extra\nc,10\n");
    let out = run(&["score", "--format", "csv", ragged.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("ragged.csv:3: the row has 3 cells; allowed: exactly 2"),
        "{}",
        text(&out.stderr)
    );
    let out = run(&["score", "--on-error", "flag", "--format", "csv", ragged.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    assert!(csv.contains("\n1,a,10,") && csv.contains("\n2,c,10,"), "{csv}");
    assert!(csv.contains("ragged.csv:3: the row has 3 cells"), "{csv}");
    let lines =
        tmp("broken.jsonl", "{\"id\": \"a\", \"nps\": 9}\n{\"id\": \"b\", \"nps\": \n{\"id\": \"c\", \"nps\": 10}\n");
    let out = run(&["score", "--on-error", "flag", "--format", "jsonl", lines.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let got = text(&out.stdout);
    assert_eq!(got.lines().count(), 3, "{got}");
    assert!(got.contains("broken.jsonl:2: not valid JSON"), "{got}");
}

#[test]
fn control_characters_never_reach_the_terminal_raw() {
    let p = tmp("ctl.csv", "id,name,nps\n\"a\u{1b}[31m\",\"Evil\u{7}Corp\",9\n");
    let out = run(&["score", p.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(!table.contains('\u{1b}') && !table.contains('\u{7}'), "{table:?}");
    assert!(table.contains("a\\u{1b}[31m"), "{table}");
}

#[test]
fn crm_exports_are_read_by_header_and_never_scored_silently_as_zero() {
    // Headers as a CRM exports them, `Yes`/`No` and `Mid-Market`: the same score as clean columns.
    let crm = tmp(
        "crm.csv",
        "Account ID,Account Name,NPS,Health Score,ROI Achieved,CSM Rapport,Segment\nA-1,Acme,10,85,Yes,5,Mid-Market\n",
    );
    let clean = tmp(
        "clean.csv",
        "id,name,nps,health_score,roi_achieved,csm_rapport,segment\nA-1,Acme,10,85,true,5,mid_market\n",
    );
    let a = run(&["score", "--format", "csv", "--target-segments", "mid_market", crm.to_str().unwrap()]);
    let b = run(&["score", "--format", "csv", "--target-segments", "mid_market", clean.to_str().unwrap()]);
    assert!(a.status.success() && b.status.success(), "{}{}", text(&a.stderr), text(&b.stderr));
    assert_eq!(text(&a.stdout), text(&b.stdout));
    assert!(text(&a.stdout).contains("1,A-1,Acme,45,silver,"), "{}", text(&a.stdout));
    // No column the model reads: an error listing the headers and the expected names.
    let german = tmp("german.csv", "Kunde,Zufriedenheit\nA-1,9\n");
    let out = run(&["score", german.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("no column holds a signal the model reads") && err.contains("Kunde, Zufriedenheit"), "{err}");
    assert!(err.contains("nps, health_score"), "{err}");
    // ... and a mapping file fixes it; unmapped columns are warned about.
    let map = tmp("german.columns.toml", "id = \"Kunde\"\n[columns]\nZufriedenheit = \"nps\"\n");
    let out = run(&["score", "--format", "csv", "--columns", map.to_str().unwrap(), german.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("1,A-1,10,"), "{}", text(&out.stdout));
    let extra = tmp("extra.csv", "id,nps,Owner\nA-1,9,Dana\n");
    let out = run(&["score", extra.to_str().unwrap()]);
    assert!(text(&out.stderr).contains("warning: column `Owner` is not read"), "{}", text(&out.stderr));
}

#[test]
fn value_maps_and_decimal_commas_come_from_the_mapping() {
    let p = tmp("de.csv", "Kundennummer;NPS;Health Score;Segment\nK-1;9;85,5;Commercial\n");
    let map = tmp(
        "de.columns.json",
        r#"{"id": "Kundennummer", "decimal_comma": true, "values": {"segment": {"Commercial": "mid_market"}}}"#,
    );
    // Semicolon files are common where the decimal comma is: read them as TSV-like via a .csv
    // with commas replaced; here the test keeps commas as the delimiter.
    let p2 = tmp("de2.csv", &std::fs::read_to_string(&p).unwrap().replace(';', ",").replace("85,5", "\"85,5\""));
    let out = run(&["explain", "--json", "--columns", map.to_str().unwrap(), p2.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let healthy = v["criteria"].as_array().unwrap().iter().find(|c| c["id"] == "healthy").unwrap();
    assert_eq!(healthy["value"], 85.5);
    let segment = v["criteria"].as_array().unwrap().iter().find(|c| c["signal"] == "segment").unwrap();
    assert_eq!(segment["value"], "mid_market");
    // Without the option, a decimal comma is an error naming the value, never a silent zero.
    let out = run(&["score", "--id-column", "Kundennummer", p2.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("\"85,5\""), "{}", text(&out.stderr));
}

#[test]
fn duplicate_and_empty_ids_name_both_lines() {
    let p = tmp("dupids.csv", "id,nps\nA,9\nB,10\nA,3\n,5\n");
    let out = run(&["score", p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("dupids.csv:4: account id \"A\" is also the id on line 2"),
        "{}",
        text(&out.stderr)
    );
    let out = run(&["score", "--on-error", "flag", "--format", "csv", p.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    assert!(csv.contains("dupids.csv:5: the account id is empty"), "{csv}");
    assert!(csv.contains("\n1,A,10,") && csv.contains("\n2,B,10,"), "{csv}");
}

#[test]
fn the_columns_command_shows_how_each_header_is_read() {
    let out = run(&["columns", "samples/exports/salesforce_accounts.csv"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let t = text(&out.stdout);
    for line in [
        "Account ID",
        "account id",
        "matched by alias \"account_id\"",
        "Health Score",
        "health_score",
        "Account Owner",
        "(ignored)",
    ] {
        assert!(t.contains(line), "missing {line:?} in\n{t}");
    }
}

#[test]
fn several_sources_are_joined_and_every_value_says_where_and_when() {
    let crm = "crm=samples/exports/salesforce_accounts.csv,columns=samples/exports/salesforce_accounts.columns.toml,date=2026-06-30";
    let args = [
        "--source",
        crm,
        "--source",
        "survey=samples/exports/survey_nps.csv",
        "--source",
        "usage=samples/exports/product_usage.csv",
    ];
    let mut cmd = vec!["explain", "--json", "--id", "ACC-1009", "--as-of", "2026-11-30"];
    cmd.extend(args);
    let out = run(&cmd);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let crit = |id: &str| v["criteria"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap().clone();
    // The latest survey answer wins over last year's and over the CRM's copy; both are kept.
    let promoter = crit("promoter");
    assert_eq!(promoter["value"], 10.0);
    assert_eq!(promoter["provenance"]["seen"], serde_json::json!({"source": "survey", "observed": "2026-11-02"}));
    let overruled: Vec<&str> =
        promoter["provenance"]["overruled"].as_array().unwrap().iter().map(|o| o["source"].as_str().unwrap()).collect();
    assert_eq!(overruled, ["survey", "crm"]);
    assert_eq!(crit("healthy")["provenance"]["seen"]["source"], "usage");
    assert_eq!(crit("clear_roi")["provenance"]["seen"], serde_json::json!({"source": "crm", "observed": "2026-06-30"}));
    // The source given first wins under --conflicts source-order.
    let mut cmd = vec!["explain", "--json", "--id", "ACC-1009", "--conflicts", "source-order"];
    cmd.extend(args);
    let out = run(&cmd);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let healthy = v["criteria"].as_array().unwrap().iter().find(|c| c["id"] == "healthy").unwrap();
    assert_eq!(healthy["provenance"]["seen"]["source"], "crm");
    assert_eq!(healthy["value"], 91.5);
}

#[test]
fn a_value_older_than_its_maximum_age_counts_as_missing_and_says_so() {
    let model = tmp("fresh.json", &{
        let mut m: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(root().join("crates/advocacy-core/models/default.json")).unwrap(),
        )
        .unwrap();
        m["max_age_days"] = serde_json::json!({"nps": 180});
        m.to_string()
    });
    let crm = tmp("old_crm.csv", "id,nps,csm_rapport,observed\nA,10,5,2025-09-01\n");
    let src = format!("crm={}", crm.display());
    let out = run(&["explain", "--model", model.to_str().unwrap(), "--as-of", "2026-11-30", "--source", &src]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let t = text(&out.stdout);
    assert!(t.contains("nps: stale, observed 2025-09-01, older than 180 days"), "{t}");
    assert!(t.contains("score 10 / 100"), "{t}");
    // Without an as-of date nothing is stale.
    let out = run(&["explain", "--json", "--model", model.to_str().unwrap(), "--source", &src]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["total"], 20.0);
    // A maximum age for an unknown signal, or of 0 days, is a model error.
    let bad = tmp("fresh_bad.json", &std::fs::read_to_string(&model).unwrap().replace("\"nps\":180", "\"npz\":0"));
    let out = run(&["model", "check", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("max_age_days.npz"), "{}", text(&out.stderr));
}

#[test]
fn five_tools_exports_score_together_in_one_command() {
    let out = run(&[
        "score", "--format", "csv", "--as-of", "2026-11-30", "--target-industries", "software,healthcare",
        "--target-segments", "mid_market,enterprise",
        "--source", "crm=samples/exports/salesforce_accounts.csv,columns=samples/exports/salesforce_accounts.columns.toml,date=2026-06-30",
        "--source", "hubspot=samples/exports/hubspot_companies.csv,columns=samples/exports/hubspot_companies.columns.toml,date=2026-10-01",
        "--source", "survey=samples/exports/survey_nps.csv",
        "--source", "support=samples/exports/support_tickets.csv",
        "--source", "usage=samples/exports/product_usage.csv",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let csv = text(&out.stdout);
    assert_eq!(csv.lines().count(), 5, "{csv}");
    assert!(csv.contains("\n1,ACC-1009,Green Labs,100,platinum,"), "{csv}");
    // The same sources from a sources file.
    let file = run(&[
        "score",
        "--format",
        "csv",
        "--as-of",
        "2026-11-30",
        "--target-industries",
        "software,healthcare",
        "--target-segments",
        "mid_market,enterprise",
        "--sources",
        "samples/exports/sources.toml",
    ]);
    assert!(file.status.success(), "{}", text(&file.stderr));
    assert_eq!(text(&file.stdout), csv);
    let bad = tmp("bad_sources.toml", "[[source]]\nname = \"crm\"\nfile = \"a.csv\"\ndate = \"June\"\n");
    let refused = run(&["score", "--sources", bad.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(
        text(&refused.stderr).contains("source[0].date") && text(&refused.stderr).contains("\"June\""),
        "{}",
        text(&refused.stderr)
    );
    let bad = tmp("bad_sources2.toml", "[[source]]\nname = \"crm\"\nfile = \"a.csv\"\ncolumn = \"x.toml\"\n");
    let refused = run(&["score", "--sources", bad.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(text(&refused.stderr).contains("unknown field `column`"), "{}", text(&refused.stderr));
    // The same accounts as one clean table (each signal's latest value) score the same.
    let clean = run(&[
        "score",
        "--format",
        "csv",
        "--as-of",
        "2026-11-30",
        "--target-industries",
        "software,healthcare",
        "--target-segments",
        "mid_market,enterprise",
        "samples/exports/clean.csv",
    ]);
    assert!(clean.status.success(), "{}", text(&clean.stderr));
    assert_eq!(text(&clean.stdout), csv);
    // The one column read as nothing is the survey's respondent email, named with its file.
    let err = text(&out.stderr);
    let warnings: Vec<&str> = err.lines().filter(|l| l.starts_with("warning: ") && l.contains("column `")).collect();
    assert_eq!(
        warnings,
        ["warning: samples/exports/survey_nps.csv: column `Respondent Email` is not read: it names no signal of the model"],
        "{err}"
    );
}
