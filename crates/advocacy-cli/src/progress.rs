//! A progress line on stderr for long runs: shown only when stderr is a terminal (or
//! `ADVOCACY_PROGRESS=always`), and only once a run has taken more than a second; redrawn at
//! most five times a second; cleared at the end.

use std::io::{IsTerminal, Read, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A reader that counts the bytes it has read.
pub struct Counting<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// The progress of one run over one input.
pub struct Progress {
    enabled: bool,
    start: Instant,
    last: Option<Instant>,
    /// Bytes read so far (text files) and the file's size, or rows and the file's row count (Parquet).
    done: Arc<AtomicU64>,
    total: Option<u64>,
    unit_is_rows: bool,
    drawn: bool,
}

impl Progress {
    fn new(total: Option<u64>, unit_is_rows: bool) -> Progress {
        let forced = std::env::var("ADVOCACY_PROGRESS").is_ok_and(|v| v == "always");
        Progress {
            enabled: forced || std::io::stderr().is_terminal(),
            start: Instant::now(),
            last: None,
            done: Arc::new(AtomicU64::new(0)),
            total,
            unit_is_rows,
            drawn: false,
        }
    }

    /// Progress over a text file of `size` bytes (if known), and the reader that counts them.
    pub fn over_bytes<R: Read>(inner: R, size: Option<u64>) -> (Progress, Counting<R>) {
        let p = Progress::new(size, false);
        let reader = Counting { inner, read: p.done.clone() };
        (p, reader)
    }

    /// Progress over `rows` rows (a Parquet file's row count).
    pub fn over_rows(rows: u64) -> Progress {
        Progress::new(Some(rows), true)
    }

    /// Rows are done: `rows` in all so far. Redraws the line when it is time.
    pub fn tick(&mut self, rows: usize) {
        if !self.enabled {
            return;
        }
        if self.unit_is_rows {
            self.done.store(rows as u64, Ordering::Relaxed);
        }
        let now = Instant::now();
        if now.duration_since(self.start) < Duration::from_secs(1)
            || self.last.is_some_and(|l| now.duration_since(l) < Duration::from_millis(200))
        {
            return;
        }
        self.last = Some(now);
        let done = self.done.load(Ordering::Relaxed);
        let share = match self.total {
            Some(t) if t > 0 => format!("{:>3}% ", (done.min(t) * 100 / t)),
            _ => String::new(),
        };
        let secs = now.duration_since(self.start).as_secs_f64();
        let line = format!("\r{share}{} rows, {secs:.1} s", group(rows));
        let mut e = std::io::stderr().lock();
        let _ = e.write_all(line.as_bytes()).and_then(|_| e.flush());
        self.drawn = true;
    }

    /// Clears the line.
    pub fn done(&mut self) {
        if self.drawn {
            let mut e = std::io::stderr().lock();
            let _ = e.write_all(b"\r\x1b[K").and_then(|_| e.flush());
            self.drawn = false;
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.done();
    }
}

/// 1234567 as 1,234,567.
fn group(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
