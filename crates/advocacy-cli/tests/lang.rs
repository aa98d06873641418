//! `--lang` (and `ADVOCACY_LANG`): the text outputs in the guides' languages.

// Tests may stop at the first surprise; the lints are for the shipped binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn run_env(args: &[&str], lang_env: Option<&str>) -> (bool, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_advocacy"));
    cmd.current_dir(root()).args(args).env_remove("ADVOCACY_LANG");
    if let Some(l) = lang_env {
        cmd.env("ADVOCACY_LANG", l);
    }
    let out = cmd.output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn run(args: &[&str]) -> (bool, String, String) {
    run_env(args, None)
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
    "--top",
    "5",
];

fn with(base: &[&str], more: &[&str]) -> Vec<String> {
    base.iter().chain(more).map(|s| s.to_string()).collect()
}

fn run_owned(args: &[String]) -> (bool, String, String) {
    run(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

#[test]
fn review_in_german_and_spanish() {
    let (ok, de, err) = run_owned(&with(REVIEW, &["--lang", "de"]));
    assert!(ok, "{err}");
    for heading in [
        "Monatliche Advocacy-Review zum 2026-11-30",
        "Tiers (nach Score; ein Gate stuft einen Account als kein Advocate-Material ein): Platinum",
        "noch nicht qualifiziert",
        "Pipeline-Phasen (aus dem Ledger; nicht die Segmente oben): identifiziert",
        "Aufgestiegen:",
        "Neu qualifiziert:",
        "Seit letztem Monat nicht mehr dabei: 2",
        "Fällig zur erneuten Prüfung:",
        "Wen wofür fragen, Beste zuerst",
        "Ausstehende Dankeschöns:",
        "Aufwand hoch",
        "persönliche Einladung vom Head of Customer Success",
    ] {
        assert!(de.contains(heading), "no {heading:?} in:\n{de}");
    }
    assert!(!de.contains("Monthly advocacy review"), "{de}");

    let (ok, es, err) = run_owned(&with(REVIEW, &["--lang", "es_MX"]));
    assert!(ok, "{err}");
    for heading in [
        "Revisión mensual de advocacy al 2026-11-30",
        "Segmentos (según las reglas de segmento del programa",
        "Etapas del pipeline (del ledger; no los segmentos de arriba): identificada",
        "Subieron de tier:",
        "Cuentas nuevas: 3",
        "Revisitas pendientes:",
        "A quién pedir qué, lo mejor primero",
        "Agradecimientos pendientes:",
        "aún no calificado",
    ] {
        assert!(es.contains(heading), "no {heading:?} in:\n{es}");
    }
}

#[test]
fn review_json_keys_do_not_change_only_texts() {
    let (ok, en, _) = run_owned(&with(REVIEW, &["--format", "json"]));
    assert!(ok);
    let (ok, de, _) = run_owned(&with(REVIEW, &["--format", "json", "--lang", "de"]));
    assert!(ok);
    let (en, de): (serde_json::Value, serde_json::Value) =
        (serde_json::from_str(&en).unwrap(), serde_json::from_str(&de).unwrap());
    fn shape(v: &serde_json::Value) -> serde_json::Value {
        match v {
            serde_json::Value::Object(o) => o.iter().map(|(k, v)| (k.clone(), shape(v))).collect(),
            serde_json::Value::Array(a) => a.iter().map(shape).collect(),
            serde_json::Value::String(_) => serde_json::Value::Null,
            other => other.clone(),
        }
    }
    // Same keys, numbers and booleans; the texts of the suggestions are German.
    assert_eq!(shape(&en), shape(&de));
    assert_eq!(en["tiers"], de["tiers"]);
    assert_eq!(en["suggestions"][0]["account"], de["suggestions"][0]["account"]);
    assert_eq!(en["suggestions"][0]["tier"], de["suggestions"][0]["tier"]);
    assert_ne!(en["suggestions"][0]["invited_by"], de["suggestions"][0]["invited_by"]);
}

#[test]
fn explain_in_german_spanish_and_by_environment() {
    let args = ["explain", "samples/accounts.csv", "--id", "ACC-1000"];
    let (ok, de, err) = run_owned(&with(&args, &["--lang", "DE"]));
    assert!(ok, "{err}");
    for text in [
        "Score 70 / 100   Tier Gold   Vollständigkeit 100%",
        "Zufriedenheit und Erfolg",
        "Beziehungsqualität",
        "Health Score über 80",
        "erreichbar: 70 bis 70 (Gold)",
        "nächster Tier: Platinum braucht 10 Punkte mehr",
        "Ansprache: aktiver Teilnehmer für Standard-Programme; CSM-Einladung; Standard-Benefits",
        "Anfragen jetzt (Katalog und Regeln des Programms; das Ledger wird hier nicht gelesen): ",
        "(keine Ziele gesetzt)",
    ] {
        assert!(de.contains(text), "no {text:?} in:\n{de}");
    }
    // The environment gives the language when --lang does not; --lang wins.
    let (ok, es, _) = run_env(&args, Some("es"));
    assert!(ok);
    assert!(es.contains("Satisfacción y éxito") && es.contains("podría alcanzar: 70 a 70 (gold)"), "{es}");
    let (ok, en, _) =
        run_env(&with(&args, &["--lang", "en"]).iter().map(String::as_str).collect::<Vec<_>>(), Some("es"));
    assert!(ok);
    assert!(en.contains("Satisfaction and success") && en.contains("could reach: 70 to 70 (gold)"), "{en}");
    // English by default, as before.
    let (ok, plain, _) = run(&args);
    assert!(ok);
    assert_eq!(plain, en);
}

#[test]
fn explain_json_labels_follow_the_language_and_scores_do_not() {
    let args = ["explain", "samples/accounts.csv", "--json"];
    let (ok, en, _) = run(&args);
    assert!(ok);
    let (ok, id, _) = run_owned(&with(&args, &["--lang", "id"]));
    assert!(ok);
    let (en, id): (Vec<serde_json::Value>, Vec<serde_json::Value>) = (
        en.lines().map(|l| serde_json::from_str(l).unwrap()).collect(),
        id.lines().map(|l| serde_json::from_str(l).unwrap()).collect(),
    );
    assert_eq!(en.len(), id.len());
    for (a, b) in en.iter().zip(&id) {
        assert_eq!(a["total"], b["total"]);
        assert_eq!(a["tier"], b["tier"]);
        assert_eq!(
            a.as_object().unwrap().keys().collect::<Vec<_>>(),
            b.as_object().unwrap().keys().collect::<Vec<_>>()
        );
    }
    assert_eq!(id[0]["categories"][0]["label"], "Kepuasan dan kesuksesan");
}

#[test]
fn score_table_and_default_model_in_a_language() {
    let (ok, es, err) = run(&["score", "samples/accounts.csv", "--top", "3", "--lang", "es"]);
    assert!(ok, "{err}");
    assert!(es.starts_with("rango  id"), "{es}");
    assert!(es.contains("cuentas mostradas:") && es.contains("aún no calificado"), "{es}");
    let (ok, csv_en, _) = run(&["score", "samples/accounts.csv", "--format", "csv"]);
    assert!(ok);
    let (ok, csv_es, _) = run(&["score", "samples/accounts.csv", "--format", "csv", "--lang", "es"]);
    assert!(ok);
    assert_eq!(csv_en, csv_es, "CSV has no human text: the same in every language");

    let (ok, model, _) = run(&["model", "default", "--lang", "ms"]);
    assert!(ok);
    let m: serde_json::Value = serde_json::from_str(&model).unwrap();
    assert_eq!(m["categories"][3]["label"], "Kesesuaian syarikat");
    assert_eq!(m["categories"][3]["criteria"][0]["points"], 10.0);
    assert_eq!(m["outreach"]["gold"]["invited_by"], "jemputan CSM");
}

#[test]
fn an_unknown_language_is_an_error_naming_the_allowed_ones() {
    for args in [
        vec!["explain", "samples/accounts.csv", "--lang", "xx"],
        vec!["review", "--current", "samples/accounts.csv", "--lang", "pt"],
        vec!["score", "samples/accounts.csv", "--lang", "fr-FR"],
    ] {
        let (ok, _, err) = run(&args);
        assert!(!ok);
        assert!(err.contains("unknown language") && err.contains("allowed: en, id, ms, de, es"), "{err}");
    }
    let (ok, _, err) = run_env(&["score", "samples/accounts.csv"], Some("xx"));
    assert!(!ok);
    assert!(err.contains("allowed: en, id, ms, de, es"), "{err}");
}
