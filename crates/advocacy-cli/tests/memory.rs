//! Memory, not time: `advocacy score` on a file of 200,000 accounts (37 MB) stays under a
//! stated peak RSS, ranked and in input order. Reading every row into a record, as the CLI once
//! did, needed about 9 KB a row (1.8 GB here).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::process::{Command, Stdio};

const ROWS: usize = 200_000;
/// The bound, for either order: chunks of rows plus about 60 bytes a row for ranking.
const PEAK_MB: i64 = 200;

fn peak_rss_mb_of(args: &[&str]) -> i64 {
    let status = Command::new(env!("CARGO_BIN_EXE_advocacy")).args(args).stdout(Stdio::null()).status().unwrap();
    assert!(status.success());
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
    // RUSAGE_CHILDREN reports the largest child so far: measure the order that needs less first.
    let input_order = peak_rss_mb_of(&["score", "--format", "csv", "--order", "input", p]);
    assert!(input_order < PEAK_MB, "--order input peaked at {input_order} MB");
    let ranked = peak_rss_mb_of(&["score", "--format", "csv", p]);
    assert!(ranked < PEAK_MB, "ranked output peaked at {ranked} MB");
    let _ = std::fs::remove_file(&path);
}
