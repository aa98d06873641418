//! `--format parquet`: the scored rows as a Parquet file, written as they come.
//!
//! The scorer writes its CSV form (a header line, then one line per row, in rank or input
//! order); [`ParquetSink`] reads those lines back in batches into typed Arrow columns (the rank
//! or row and the scores as numbers; id, the kept columns of `--keep` (the columns between `id`
//! and `score`), tier and error as text; empty cells as nulls) and
//! writes each batch as a row group. So the Parquet output has exactly the CSV output's
//! columns and values, and memory stays bounded by one batch.

use std::fs::File;
use std::io::Write;
use std::sync::Arc;

use arrow_array::builder::{BooleanBuilder, Float64Builder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;

/// Rows per row group.
const BATCH: usize = 65_536;

/// What a column of the CSV form holds.
#[derive(Clone, Copy)]
pub enum Kind {
    Whole,
    Number,
    Text,
    Bool,
}

/// The kind of each column of the CSV form's header: the first is the rank or row; the kept
/// columns, between `id` and `score`, are text whatever their names.
fn kinds_of(header: &[String], signals: &[(String, Kind)]) -> Vec<Kind> {
    let score = header.iter().skip(1).position(|h| h == "score").map_or(header.len(), |p| p + 1);
    let error = header.iter().position(|h| h == "error").unwrap_or(header.len());
    header
        .iter()
        .enumerate()
        .map(|(i, name)| match name.as_str() {
            _ if i == 0 => Kind::Whole,
            _ if i > error => signals.iter().find(|(n, _)| n == name).map_or(Kind::Text, |(_, k)| *k),
            _ if i < score => Kind::Text,
            "tier" | "error" => Kind::Text,
            _ => Kind::Number,
        })
        .collect()
}

/// A [`Write`] that takes the CSV form and writes Parquet to a file.
pub struct ParquetSink {
    path: String,
    file: Option<File>,
    writer: Option<ArrowWriter<File>>,
    schema: Option<(SchemaRef, Vec<Kind>)>,
    pending: Vec<u8>,
    lines: usize,
    /// Text columns of one value written in front of the CSV form's (e.g. a snapshot's date).
    leading: Vec<(String, String)>,
    /// The kinds of the signal columns after `error` (a snapshot's signals).
    signals: Vec<(String, Kind)>,
}

impl ParquetSink {
    /// A sink writing to `path` (created or truncated).
    pub fn create(path: &str) -> Result<Self, String> {
        let file = File::create(path).map_err(|e| format!("{path}: {e}"))?;
        Ok(ParquetSink {
            path: path.to_string(),
            file: Some(file),
            writer: None,
            schema: None,
            pending: Vec::new(),
            lines: 0,
            leading: Vec::new(),
            signals: Vec::new(),
        })
    }

    /// Writes a text column `name` holding `value` on every row, in front of the others.
    pub fn with_column(mut self, name: &str, value: &str) -> Self {
        self.leading.push((name.to_string(), value.to_string()));
        self
    }

    /// Types the signal columns after `error` by their signals' kinds (numbers as floats,
    /// booleans as booleans, categories and text as text).
    pub fn with_signals(mut self, signals: &[(String, advocacy_core::SignalKind)]) -> Self {
        use advocacy_core::SignalKind as S;
        self.signals = signals
            .iter()
            .map(|(n, k)| {
                let kind = match k {
                    S::Number | S::Integer => Kind::Number,
                    S::Bool => Kind::Bool,
                    S::Category | S::Text => Kind::Text,
                };
                (n.clone(), kind)
            })
            .collect();
        self
    }

    /// Writes what is left and closes the file.
    pub fn finish(mut self) -> Result<(), String> {
        self.convert(true)?;
        match self.writer.take() {
            Some(w) => w.close().map(|_| ()).map_err(|e| format!("{}: {e}", self.path)),
            None => Err(format!("{}: nothing to write", self.path)),
        }
    }

    /// Turns the complete lines held into a row group once there are enough (or `all`).
    fn convert(&mut self, all: bool) -> Result<(), String> {
        if self.schema.is_none() {
            let Some(end) = self.pending.iter().position(|b| *b == b'\n') else { return Ok(()) };
            let mut rdr = csv::ReaderBuilder::new().has_headers(false).from_reader(&self.pending[..=end]);
            let header: Vec<String> = match rdr.records().next() {
                Some(Ok(r)) => r.iter().map(str::to_string).collect(),
                _ => return Err(format!("{}: no header", self.path)),
            };
            self.pending.drain(..=end);
            let kinds = kinds_of(&header, &self.signals);
            let fields: Vec<Field> = self
                .leading
                .iter()
                .map(|(name, _)| Field::new(name, DataType::Utf8, false))
                .chain(header.iter().zip(&kinds).map(|(h, k)| {
                    let t = match k {
                        Kind::Whole => DataType::Int64,
                        Kind::Number => DataType::Float64,
                        Kind::Text => DataType::Utf8,
                        Kind::Bool => DataType::Boolean,
                    };
                    Field::new(h, t, true)
                }))
                .collect();
            let schema: SchemaRef = Arc::new(Schema::new(fields));
            let props = WriterProperties::builder()
                .set_compression(Compression::ZSTD(ZstdLevel::default()))
                .set_max_row_group_row_count(Some(BATCH))
                .build();
            let file = self.file.take().ok_or("the output file is gone")?;
            let writer =
                ArrowWriter::try_new(file, schema.clone(), Some(props)).map_err(|e| format!("{}: {e}", self.path))?;
            self.writer = Some(writer);
            self.schema = Some((schema, kinds));
        }
        if self.lines < BATCH && !all {
            return Ok(());
        }
        let Some((schema, kinds)) = &self.schema else { return Ok(()) };
        let end = records_end(&self.pending);
        if end == 0 {
            return Ok(());
        }
        let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(&self.pending[..end]);
        let mut cols: Vec<Builder> = kinds.iter().map(|k| Builder::new(*k)).collect();
        let mut rows = 0;
        for rec in rdr.records() {
            let rec = rec.map_err(|e| format!("{}: {e}", self.path))?;
            for (b, cell) in cols.iter_mut().zip(rec.iter().chain(std::iter::repeat(""))) {
                b.push(cell);
            }
            rows += 1;
        }
        let leading = self.leading.iter().map(|(_, v)| -> ArrayRef {
            Arc::new(arrow_array::StringArray::from_iter_values(std::iter::repeat_n(v.as_str(), rows)))
        });
        let arrays: Vec<ArrayRef> = leading.chain(cols.into_iter().map(Builder::finish)).collect();
        let batch = RecordBatch::try_new(schema.clone(), arrays).map_err(|e| format!("{}: {e}", self.path))?;
        if let Some(w) = &mut self.writer {
            w.write(&batch).map_err(|e| format!("{}: {e}", self.path))?;
        }
        self.pending.drain(..end);
        self.lines = 0;
        Ok(())
    }
}

/// The end of the last complete CSV record in `buf` (after its newline, outside quotes).
fn records_end(buf: &[u8]) -> usize {
    let (mut quoted, mut end) = (false, 0);
    for (i, b) in buf.iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' if !quoted => end = i + 1,
            _ => {}
        }
    }
    end
}

enum Builder {
    Whole(Int64Builder),
    Number(Float64Builder),
    Text(StringBuilder),
    Bool(BooleanBuilder),
}

impl Builder {
    fn new(k: Kind) -> Self {
        match k {
            Kind::Whole => Builder::Whole(Int64Builder::with_capacity(BATCH)),
            Kind::Number => Builder::Number(Float64Builder::with_capacity(BATCH)),
            Kind::Text => Builder::Text(StringBuilder::with_capacity(BATCH, BATCH * 8)),
            Kind::Bool => Builder::Bool(BooleanBuilder::with_capacity(BATCH)),
        }
    }
    fn push(&mut self, cell: &str) {
        match self {
            Builder::Whole(b) => b.append_option(cell.parse::<i64>().ok()),
            Builder::Number(b) => b.append_option(cell.parse::<f64>().ok()),
            Builder::Text(b) if cell.is_empty() => b.append_null(),
            Builder::Text(b) => b.append_value(cell),
            Builder::Bool(b) => b.append_option(match cell {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            }),
        }
    }
    fn finish(self) -> ArrayRef {
        match self {
            Builder::Whole(mut b) => Arc::new(b.finish()),
            Builder::Number(mut b) => Arc::new(b.finish()),
            Builder::Text(mut b) => Arc::new(b.finish()),
            Builder::Bool(mut b) => Arc::new(b.finish()),
        }
    }
}

impl Write for ParquetSink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.lines += buf.iter().filter(|b| **b == b'\n').count();
        self.pending.extend_from_slice(buf);
        self.convert(false).map_err(std::io::Error::other)?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
