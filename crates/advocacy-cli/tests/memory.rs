//! Memory, not time: `advocacy score` on a file of 1,000,000 accounts (186 MB) stays under a
//! stated peak RSS, ranked and in input order, and `explain --json` streams. Reading every row
//! into a record, as the CLI once did, needed about 9 KB a row (8.8 GB here).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::process::{Command, Stdio};

const ROWS: usize = 1_000_000;
/// The bound, for either order: chunks of rows plus about 60 bytes a row for ranking.
const PEAK_MB: i64 = 200;

/// Runs the command (stdout discarded) and returns its stderr.
fn run(args: &[&str], progress: bool) -> String {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_advocacy"));
    if progress {
        cmd.env("ADVOCACY_PROGRESS", "always");
    }
    let out = cmd.args(args).stdout(Stdio::null()).stderr(Stdio::piped()).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{err}");
    err
}

/// The largest peak RSS of the children run so far.
fn peak_rss_mb() -> i64 {
    // SAFETY: getrusage writes one rusage struct that we own.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    assert_eq!(rc, 0);
    usage.ru_maxrss / 1024
}

#[test]
fn scoring_a_large_file_stays_under_the_memory_bound() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let sample = std::fs::read_to_string(root.join("samples/accounts.csv")).unwrap();
    let mut lines = sample.lines();
    let header = lines.next().unwrap();
    let body: Vec<&str> = lines.collect();
    let path = std::env::temp_dir().join(format!("advocacy-memory-{}.csv", std::process::id()));
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    writeln!(f, "{header}").unwrap();
    for i in 0..ROWS {
        let row = body[i % body.len()];
        let rest = row.split_once(',').unwrap().1;
        writeln!(f, "ACC-{i},{rest}").unwrap();
    }
    drop(f);
    let p = path.to_str().unwrap();
    // RUSAGE_CHILDREN reports the largest child so far: measure what needs less first.
    let err = run(&["score", "--format", "csv", "--order", "input", p], false);
    let input_order = peak_rss_mb();
    assert!(input_order < PEAK_MB, "--order input peaked at {input_order} MB");
    // stderr is not a terminal here: no progress line.
    assert!(!err.contains('\r'), "{err}");
    // The progress line, forced: drawn after a second, cleared at the end.
    let err = run(&["score", "--format", "csv", p], true);
    let ranked = peak_rss_mb();
    assert!(ranked < PEAK_MB, "ranked output peaked at {ranked} MB");
    assert!(err.contains("% ") && err.contains(" rows, ") && err.contains("\r\x1b[K"), "{err:?}");
    // explain --json streams too (on the first fifth of the file: explaining is slower).
    // (Written row by row: a child's peak RSS counts the parent's memory at fork.)
    let fifth = std::env::temp_dir().join(format!("advocacy-memory-{}-fifth.csv", std::process::id()));
    {
        use std::io::BufRead;
        let mut out = std::io::BufWriter::new(std::fs::File::create(&fifth).unwrap());
        let input = std::io::BufReader::new(std::fs::File::open(&path).unwrap());
        for line in input.lines().take(ROWS / 5 + 1) {
            writeln!(out, "{}", line.unwrap()).unwrap();
        }
    }
    run(&["explain", "--json", fifth.to_str().unwrap()], false);
    let explain = peak_rss_mb();
    assert!(explain < PEAK_MB, "explain --json peaked at {explain} MB");
    let _ = std::fs::remove_file(&path);
    let _ = std::fs::remove_file(&fifth);
}
