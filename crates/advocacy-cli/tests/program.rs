//! `advocacy review` and `advocacy match` on the samples.

// Tests may stop at the first surprise; the lints are for the shipped binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_advocacy")).current_dir(root()).args(args).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const REVIEW: &[&str] = &[
    "review",
    "--previous",
    "samples/accounts_previous.csv",
    "--current",
    "samples/accounts.csv",
    "--ledger",
    "samples/ledger.csv",
    "--overrides",
    "samples/overrides.csv",
    "--as-of",
    "2026-11-30",
];

#[test]
fn review_text_report() {
    let (ok, out, err) = run(REVIEW);
    assert!(ok, "{err}");
    for section in [
        "Monthly advocacy review as of 2026-11-30",
        "Tiers (by score; a gate makes an account not advocate material): platinum",
        "Segments (by the program's segment rules, each account in one; 200 in all):",
        "Pipeline stages (from the ledger; not the segments above): identified",
        "Moved up:",
        "Moved down:",
        "Newly qualified:",
        "Dropped out:",
        "New accounts: 3",
        "Gone since last month: 2",
        // Resting accounts are listed with their rule and end date, soonest first.
        "Resting, soonest end first: 23 (10 shown; --all for every one)",
        "ACC-1081 (Orbit Robotics): min_days_between_asks until 2026-12-05",
        // Accounts gone since last month are named from last month's file.
        "ACC-901 (Harbor Foods)",
        "Revisits due:",
        "New promoters:",
        "Health trending up:",
        "Who to ask for what",
        "Thank-yous owed:",
    ] {
        assert!(out.contains(section), "missing {section:?} in:\n{out}");
    }
}

#[test]
fn review_json_matches_the_report() {
    let mut args = REVIEW.to_vec();
    args.extend(["--format", "json", "--top", "5"]);
    let (ok, out, err) = run(&args);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["as_of"], "2026-11-30");
    assert_eq!(v["accounts"], 200);
    assert_eq!(v["previous_accounts"], 199);
    assert_eq!(v["movement"]["new_accounts"].as_array().unwrap().len(), 3);
    assert_eq!(v["movement"]["removed_accounts"], serde_json::json!(["ACC-901", "ACC-902"]));
    assert_eq!(v["suggestions"].as_array().unwrap().len(), 5);
    assert!(v["revisits_due"].as_array().unwrap().iter().all(|r| r["revisit"].as_str().unwrap() <= "2026-11-30"));
    // Thank-yous owed are completed work with no thank-you in the ledger.
    let ledger = std::fs::read_to_string(root().join("samples/ledger.csv")).unwrap();
    for t in v["thanks_owed"].as_array().unwrap() {
        let (acc, act) = (t["account"].as_str().unwrap(), t["activity"].as_str().unwrap());
        assert!(ledger.contains(&format!("{acc},{act},completed,")));
        assert!(!ledger.contains(&format!("{acc},{act},thanked,")), "{acc} {act} was thanked");
    }
    // Nobody suggested is resting: cross-check with the fatigue of each suggested account.
    for s in v["suggestions"].as_array().unwrap() {
        assert_ne!(s["tier"], "not_yet_qualified");
        assert_ne!(s["segment"], "not_advocate_material");
    }
}

#[test]
fn review_without_previous_snapshot() {
    let (ok, out, err) = run(&["review", "--current", "samples/accounts.csv", "--as-of", "2026-11-30"]);
    assert!(ok, "{err}");
    assert!(out.contains("no previous snapshot"), "{out}");
}

#[test]
fn match_a_request() {
    let (ok, out, err) = run(&[
        "match",
        "samples/request.json",
        "--accounts",
        "samples/accounts.csv",
        "--ledger",
        "samples/ledger.csv",
        "--as-of",
        "2026-11-30",
        "--format",
        "json",
        "--limit",
        "3",
    ]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let c = v["candidates"].as_array().unwrap();
    assert_eq!(c.len(), 3);
    assert_eq!(c[0]["rank"], 1);
    assert!(c.windows(2).all(|w| w[0]["match_points"].as_f64() >= w[1]["match_points"].as_f64()));
    for x in c {
        assert!(
            ["platinum", "gold"].contains(&x["tier"].as_str().unwrap()),
            "reference calls are moderate effort: {x}"
        );
    }
}

#[test]
fn match_inline_request_text() {
    let (ok, out, err) = run(&[
        "match",
        r#"{"activity": "online_review"}"#,
        "--accounts",
        "samples/accounts.csv",
        "--as-of",
        "2026-11-30",
        "--limit",
        "2",
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("Reference request (activity online_review)"), "{out}");
    assert!(out.contains(" 1. "), "{out}");
}

#[test]
fn errors_name_the_file_line_and_value() {
    let dir = std::env::temp_dir().join(format!("advocacy-cli-program-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("ledger.csv");
    std::fs::write(
        &bad,
        "account,activity,status,date\nACC-1000,survey,asked,2026-01-01\nACC-1000,survey,maybe,2026-01-02\n",
    )
    .unwrap();
    let (ok, _, err) = run(&[
        "review",
        "--current",
        "samples/accounts.csv",
        "--ledger",
        bad.to_str().unwrap(),
        "--as-of",
        "2026-11-30",
    ]);
    assert!(!ok);
    assert!(
        err.contains("ledger.csv:3") && err.contains("\"maybe\"") && err.contains("allowed: asked, accepted"),
        "{err}"
    );

    std::fs::write(&bad, "account,activity,status,date\nACC-1000,keynote,asked,2026-01-01\n").unwrap();
    let (ok, _, err) = run(&[
        "review",
        "--current",
        "samples/accounts.csv",
        "--ledger",
        bad.to_str().unwrap(),
        "--as-of",
        "2026-11-30",
    ]);
    assert!(!ok);
    assert!(err.contains("ledger[0].activity") && err.contains("keynote") && err.contains("online_review"), "{err}");
    // The unknown activity is blamed on the ledger file and its line, not on the accounts file.
    assert!(err.contains("ledger.csv:2: ") && !err.contains("accounts.csv"), "{err}");

    let (ok, _, err) =
        run(&["match", r#"{"activity": "keynote"}"#, "--accounts", "samples/accounts.csv", "--as-of", "2026-11-30"]);
    assert!(!ok);
    assert!(err.contains("request.activity") && err.contains("keynote"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `advocacy metrics`: the program crate's metrics from the command line, the same figures as a
/// report, as JSON and as CSV rows with the counts behind each rate.
#[test]
fn metrics_from_the_command_line() {
    let base =
        ["metrics", "--accounts", "samples/accounts.csv", "--ledger", "samples/ledger.csv", "--as-of", "2026-11-30"];
    let (ok, json, err) = run(&[&base[..], &["--format", "json"]].concat());
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let (count, of) = (v["recruitment"]["count"].as_u64().unwrap(), v["recruitment"]["of"].as_u64().unwrap());
    assert!(of > 0 && count <= of);
    let (ok, text, _) = run(&base);
    assert!(ok);
    assert!(text.contains(&format!("Recruitment: {count} of {of} accounts asked said yes")), "{text}");
    assert!(
        text.contains("Active advocates by score tier, per quarter (the tier in --accounts today;")
            && text.contains("Assets per quarter:"),
        "{text}"
    );
    assert!(text.contains("by effort level of what they did: Tier 1 (low)"), "{text}");
    let (ok, csv_out, _) = run(&[&base[..], &["--format", "csv"]].concat());
    assert!(ok);
    let mut rdr = csv::Reader::from_reader(csv_out.as_bytes());
    assert_eq!(rdr.headers().unwrap(), vec!["metric", "period", "group", "count", "of", "value"]);
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    let rec = rows.iter().find(|r| &r[0] == "recruitment").unwrap();
    assert_eq!((&rec[3], &rec[4]), (count.to_string().as_str(), of.to_string().as_str()));
    // Each quarter's tier rows add up to its active advocates.
    for q in v["active_advocates"].as_array().unwrap() {
        let quarter = q["quarter"].as_str().unwrap();
        let sum: u64 = rows
            .iter()
            .filter(|r| &r[0] == "active_advocates" && &r[1] == quarter)
            .map(|r| r[3].parse::<u64>().unwrap())
            .sum();
        assert_eq!(sum, q["total"].as_u64().unwrap(), "{quarter}");
        let by_effort: u64 = rows
            .iter()
            .filter(|r| &r[0] == "active_advocates_by_effort" && &r[1] == quarter)
            .map(|r| r[3].parse::<u64>().unwrap())
            .sum();
        assert_eq!(by_effort, q["total"].as_u64().unwrap(), "{quarter} by effort");
    }
    let (ok, _, err) = run(&["metrics", "--accounts", "samples/accounts.csv"]);
    assert!(!ok && err.contains("--ledger"), "{err}");
    let (ok, _, err) = run(&["review", "--current", "samples/accounts.csv", "--format", "csv"]);
    assert!(!ok && err.contains("for `advocacy metrics`"), "{err}");
}

/// `metrics --history`: each quarter's active advocates by their tier in that quarter (from the
/// snapshots), and assets against the quarterly goals of the program configuration.
#[test]
fn metrics_with_each_quarters_tiers_and_asset_goals() {
    let dir = std::env::temp_dir().join(format!("advocacy-metrics-history-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let d = dir.to_str().unwrap().to_string();
    for (date, file) in [("2026-06-30", "samples/accounts_previous.csv"), ("2026-11-30", "samples/accounts.csv")] {
        let (ok, _, err) = run(&["snapshot", "--history", &d, "--as-of", date, file]);
        assert!(ok, "{err}");
    }
    let config = dir.join("program.json");
    std::fs::write(&config, r#"{"goals": {"assets_per_quarter": {"case_study": 2, "review": 1}}}"#).unwrap();
    let args = [
        "metrics",
        "--accounts",
        "samples/accounts.csv",
        "--ledger",
        "samples/ledger.csv",
        "--history",
        &d,
        "--config",
        config.to_str().unwrap(),
        "--as-of",
        "2026-11-30",
    ];
    let (ok, json, err) = run(&[&args[..], &["--format", "json"]].concat());
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["tiers_from"], "history");
    // Every quarter with ledger entries has a row per goal; the counts are the assets counted.
    let goals = v["asset_goals"].as_array().unwrap();
    assert!(!goals.is_empty());
    for g in goals {
        let count = v["assets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["quarter"] == g["quarter"] && a["asset"] == g["asset"])
            .map_or(0, |a| a["count"].as_u64().unwrap());
        assert_eq!(g["count"].as_u64().unwrap(), count, "{g}");
        assert_eq!(g["met"].as_bool().unwrap(), count >= g["goal"].as_u64().unwrap(), "{g}");
    }
    // Quarters before the first snapshot have no tier known from the history.
    let q = v["active_advocates"].as_array().unwrap();
    let early = q.iter().find(|q| q["quarter"].as_str().unwrap() < "2026-Q2");
    if let Some(early) = early {
        assert_eq!(early["unknown_tier"], early["total"], "{early}");
    }
    let (ok, text, err) = run(&args);
    assert!(ok, "{err}");
    assert!(text.contains("(each quarter's tier from the history)"), "{text}");
    assert!(text.contains("Assets against the quarterly goals (goals.assets_per_quarter):"), "{text}");
    // A goal for an asset nothing produces is refused with its config path.
    std::fs::write(&config, r#"{"goals": {"assets_per_quarter": {"white_paper": 1}}}"#).unwrap();
    let (ok, _, err) = run(&args);
    assert!(!ok && err.contains("goals.assets_per_quarter.white_paper"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A negotiated or late last renewal means "not now" until the `next_renewal` column's date:
/// `explain` says so with the date, and nothing is asked of it; once the date has passed it is
/// asked again. The program's own columns give no "not read" warning.
#[test]
fn not_now_after_a_hard_renewal_until_the_next_one() {
    let mut rdr = csv::Reader::from_path(root().join("samples/accounts.csv")).unwrap();
    let mut headers = rdr.headers().unwrap().clone();
    let outcome = headers.iter().position(|h| h == "renewal_outcome").unwrap();
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    let negotiated: Vec<String> =
        rows.iter().filter(|r| &r[outcome] == "negotiated").map(|r| r[0].to_string()).take(2).collect();
    headers.push_field("next_renewal");
    let path = std::env::temp_dir().join(format!("advocacy-not-now-{}.csv", std::process::id()));
    let mut w = csv::Writer::from_path(&path).unwrap();
    w.write_record(&headers).unwrap();
    for r in &rows {
        let mut r = r.clone();
        let next = if r[0] == negotiated[0] {
            "2027-03-01"
        } else if r[0] == negotiated[1] {
            "2026-10-01"
        } else {
            ""
        };
        r.push_field(next);
        w.write_record(&r).unwrap();
    }
    w.flush().unwrap();
    let p = path.to_str().unwrap();
    let (ok, text, err) = run(&["explain", "--id", &negotiated[0], p, "--as-of", "2026-11-30"]);
    assert!(ok, "{err}");
    assert!(text.contains("asks now: none (asks.not_now_after_renewal: the last renewal was negotiated"), "{text}");
    assert!(text.contains("no ask until the next renewal on 2027-03-01"), "{text}");
    let (ok, text, _) = run(&["explain", "--id", &negotiated[1], p, "--as-of", "2026-11-30"]);
    assert!(ok && !text.contains("not_now_after_renewal"), "{text}");
    let (ok, out, err) = run(&["review", "--current", p, "--as-of", "2026-11-30", "--format", "json"]);
    assert!(ok, "{err}");
    assert!(!err.contains("next_renewal"), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let asked: Vec<&str> =
        v["suggestions"].as_array().unwrap().iter().map(|s| s["account"].as_str().unwrap()).collect();
    assert!(!asked.contains(&negotiated[0].as_str()));
    let _ = std::fs::remove_file(&path);
}

/// `--enrolment`: the enrolment sheet beside the accounts. A preferred activity is asked for
/// first, an advocate who said no on the qualification call is not asked, and a row for an
/// account that is not in the file is an error naming the sheet's line.
#[test]
fn the_enrolment_sheet_decides_what_is_asked() {
    let (ok, out, err) = run(&[REVIEW, &["--enrolment", "samples/enrolment.csv", "--format", "json"]].concat());
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let s = v["suggestions"].as_array().unwrap();
    let of = |id: &str| s.iter().find(|x| x["account"] == id);
    let green = of("ACC-1009").expect("ACC-1009 is asked");
    assert_eq!(green["activity"], "executive_reference_call", "{green}");
    assert!(green["fit"].as_array().unwrap().iter().any(|f| f == "preferred at enrolment"), "{green}");
    assert!(of("ACC-1015").is_none(), "said no on the call: {:?}", of("ACC-1015"));
    let dir = std::env::temp_dir().join(format!("advocacy-enrolment-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("enrolment.csv");
    std::fs::write(&bad, "account,stage\nACC-1009,enrolled\nACC-9999,enrolled\n").unwrap();
    let (ok, _, err) = run(&[REVIEW, &["--enrolment", bad.to_str().unwrap()]].concat());
    assert!(!ok && err.contains("enrolment.csv:3:") && err.contains("ACC-9999"), "{err}");
    std::fs::write(&bad, "account,stage\nACC-1009,keen\n").unwrap();
    let (ok, _, err) = run(&[REVIEW, &["--enrolment", bad.to_str().unwrap()]].concat());
    assert!(!ok && err.contains("enrolment.csv:2:") && err.contains("keen") && err.contains("identified"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `advocacy draft`: the program guide's invitation filled from the account (its `contact` and
/// `result` columns, tenure, gifts policy) in the language asked; never for an opted-out account.
#[test]
fn drafts_the_invitation_in_the_accounts_language() {
    let mut rdr = csv::Reader::from_path(root().join("samples/accounts.csv")).unwrap();
    let mut headers = rdr.headers().unwrap().clone();
    let rows: Vec<csv::StringRecord> = rdr.records().map(|r| r.unwrap()).collect();
    headers.push_field("contact");
    headers.push_field("result");
    let path = std::env::temp_dir().join(format!("advocacy-draft-{}.csv", std::process::id()));
    let mut w = csv::Writer::from_path(&path).unwrap();
    w.write_record(&headers).unwrap();
    for r in &rows {
        let mut r = r.clone();
        let (contact, result) =
            if &r[0] == "ACC-1009" { ("Ana Ruiz", "Onboarding von sechs Wochen auf neun Tage") } else { ("", "") };
        r.push_field(contact);
        r.push_field(result);
        w.write_record(&r).unwrap();
    }
    w.flush().unwrap();
    let p = path.to_str().unwrap();
    let base = ["draft", "--accounts", p, "--id", "ACC-1009", "--activity", "case_study", "--as-of", "2026-11-30"];
    let (ok, text, err) = run(&[&base[..], &["--lang", "de", "--sender", "Dana Reyes"]].concat());
    assert!(ok, "{err}");
    assert!(text.starts_with("Hallo Ana Ruiz,"), "{text}");
    assert!(text.contains("seit 4 Jahren mit Green Labs") && text.contains("Onboarding von sechs Wochen"), "{text}");
    assert!(text.trim_end().ends_with("Dana Reyes") && !err.contains("contact"), "{text}\n{err}");
    let (ok, json, _) = run(&[&base[..], &["--json", "--kind", "thank_you"]].concat());
    assert!(ok);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!((v["kind"].as_str(), v["lang"].as_str()), (Some("thank_you"), Some("en")));
    let (ok, _, err) = run(&["draft", "--accounts", p, "--id", "ACC-1003", "--activity", "case_study"]);
    assert!(!ok && err.contains("opted out"), "{err}");
    let (ok, _, err) = run(&[&base[..], &["--kind", "hello"]].concat());
    assert!(!ok && err.contains("recruitment, thank_you"), "{err}");
    let _ = std::fs::remove_file(&path);
}

const REQUESTS: &[&str] = &[
    "requests",
    "--requests",
    "samples/requests.csv",
    "--accounts",
    "samples/accounts.csv",
    "--ledger",
    "samples/ledger.csv",
    "--as-of",
    "2026-11-30",
];

#[test]
fn requests_lists_open_requests_with_their_candidates() {
    let (ok, out, err) = run(REQUESTS);
    assert!(ok, "{err}");
    for line in [
        "Requests as of 2026-11-30: 9 in the log, 4 open",
        "By status: open 3, matched 0, asked 1, accepted 0, declined 1, completed 3, cancelled 1",
        "REQ-104 reference_call [asked]: 12 days old, needed by 2026-12-05",
        "  advocate: ACC-1137",
        "REQ-101 reference_call [open]: 10 days old, needed by 2026-12-15, owner Lee Chen",
        "  1. ACC-1009 (Green Labs): platinum tier",
        // At the cap: two reference calls this quarter.
        "not offered: ACC-1072: requests.caps_per_quarter: 2 reference_call requests in 2026-Q4, at the cap of 2; free again from 2027-01-01",
        "not offered: ACC-1137: requests.one_open_request_per_advocate: already on open request REQ-104",
        // The first candidate of REQ-101 is held for it, so REQ-102 gets another one.
        "REQ-102 reference_call [open]",
        "  1. ACC-1015 (Green Media)",
        "not offered: ACC-1009: proposed first for open request REQ-101, needed sooner (held for it)",
    ] {
        assert!(out.contains(line), "missing {line:?} in:\n{out}");
    }
    let mut args = REQUESTS.to_vec();
    args.extend(["--format", "json", "--top", "1"]);
    let (ok, out, err) = run(&args);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let open = v["open"].as_array().unwrap();
    let firsts: Vec<&str> = open.iter().filter_map(|q| q["candidates"][0]["account"].as_str()).collect();
    let mut unique = firsts.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(firsts.len(), 3);
    assert_eq!(unique.len(), firsts.len(), "one advocate proposed twice: {firsts:?}");
}

#[test]
fn match_takes_the_request_log_into_account() {
    let (ok, out, err) = run(&[
        "match",
        r#"{"activity": "reference_call", "industry": "software"}"#,
        "--accounts",
        "samples/accounts.csv",
        "--ledger",
        "samples/ledger.csv",
        "--requests",
        "samples/requests.csv",
        "--as-of",
        "2026-11-30",
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("Not offered (the request log):"), "{out}");
    assert!(out.contains("ACC-1137: requests.one_open_request_per_advocate: already on open request REQ-104"), "{out}");
    assert!(!out.contains(". ACC-1137 "), "{out}");
}

#[test]
fn bad_request_logs_and_deals_name_the_line() {
    let dir = std::env::temp_dir().join(format!("advocacy-requests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let log = dir.join("requests.csv");
    std::fs::write(
        &log,
        "id,kind,created,status\nR1,reference_call,2026-11-01,open\nR2,reference_call,2026-11-02,opn\n",
    )
    .unwrap();
    let (ok, _, err) = run(&["requests", "--requests", log.to_str().unwrap(), "--accounts", "samples/accounts.csv"]);
    assert!(!ok);
    assert!(err.contains("requests.csv:3:") && err.contains("opn") && err.contains("accepted"), "{err}");
    let deals = dir.join("deals.csv");
    std::fs::write(&deals, "id,source,created\nD1,inbound,2026-01-01\nD2,referral,2026-01-02\n").unwrap();
    let (ok, _, err) = run(&["metrics", "--ledger", "samples/ledger.csv", "--deals", deals.to_str().unwrap()]);
    assert!(!ok);
    assert!(err.contains("deals.csv:3:") && err.contains("deals[1].referring_account"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn metrics_report_referrals_and_pipeline_influence() {
    let args = ["metrics", "--ledger", "samples/ledger.csv", "--deals", "samples/deals.csv", "--as-of", "2026-11-30"];
    let (ok, out, err) = run(&args);
    assert!(ok, "{err}");
    for line in [
        "Referrals and deals (16 deals):",
        "  referrals: 5 deals, 4 closed, 3 won (75%), median 49 days to close",
        "  other sources: 11 deals, 8 closed, 3 won (37.5%), median 143 days to close",
        "referral conversion 2x the others'",
        "Pipeline influenced by advocacy (a reference, case study or referral): 11 of 16 deals",
        "Referral chain: 2 customers came through a referral; 2 advocated later, 1 referred others",
        "  ACC-1036 (referred by ACC-1189, D-201 won 2026-03-02)",
    ] {
        assert!(out.contains(line), "missing {line:?} in:\n{out}");
    }
    let (ok, csv, err) = run(&[&args[..], &["--format", "csv"]].concat());
    assert!(ok, "{err}");
    assert!(csv.contains("deal_conversion,,referral,3,4,0.75\n"), "{csv}");
    assert!(csv.contains("referral_conversion_ratio,,,,,2\n"), "{csv}");
    let (ok, json, err) = run(&[&args[..], &["--format", "json"]].concat());
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["referrals"]["pipeline"]["deals"]["count"], 11);
}
