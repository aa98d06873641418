//! # advocacy-core
//!
//! Finds a company's best customer advocates: turns account signals (NPS, health, usage,
//! rapport, past advocacy, fit, readiness) into an explained advocacy score, a qualification
//! tier and an outreach recommendation. Models are configuration (JSON or TOML); the default is
//! the 100-point advocacy potential model.
//!
//! ```
//! use advocacy_core::{Model, Record, Tier, Outcome};
//!
//! let model = Model::default();
//! let record = Record::new()
//!     .id("acme")
//!     .with("nps", 9)
//!     .with("health_score", 85.0)
//!     .with("roi_achieved", true)
//!     .with("csm_rapport", 4)
//!     .with("engaged_contacts", 3)
//!     .with("past_advocacy", 1);
//! let score = model.score(&record).unwrap();
//! assert_eq!(score.total, 60.0);
//! assert_eq!(score.tier, Tier::Gold);
//! assert_eq!(score.criteria[0].outcome, Outcome::Met);
//! assert!(score.missing.contains(&"industry".to_string()));
//! ```
//!
//! ## Layers
//!
//! Each layer uses only the ones above it (a test, `tests/layers.rs`, fails on any cycle):
//!
//! 1. `num`, `text`, `date`, `error`: numbers as every binding prints them, text compared the
//!    same way everywhere, calendar dates, the errors;
//! 2. `signal`, `standard`, `record`: signal kinds and values, the one table of standard
//!    signals, account records;
//! 3. `model`: the model file ([`ModelSpec`]), rules, tiers, outreach and the checked [`Model`];
//! 4. `mapping`, `cells`, `score`, `batch`, `ops`: which column holds what, reading text
//!    cells, scoring one account with its
//!    explanation, scoring columnar batches, and the operations over results (ranking,
//!    parallel batches, the error envelope the bindings map one to one).
//!
//! The crate does no I/O and knows nothing of Python or JavaScript: callers read files and
//! pass text or values in. It must never depend on `advocacy-program` or on a binding.
#![forbid(unsafe_code)]
// Errors carry the record, signal or path, the value and what was allowed, by design; they are
// the cold path, so their size does not matter.
#![allow(clippy::result_large_err)]
#![warn(missing_docs)]

mod batch;
mod cells;
mod date;
mod error;
mod join;
mod mapping;
mod model;
mod num;
mod ops;
mod record;
mod score;
mod signal;
mod sources;
mod standard;
mod text;

pub use batch::{id_errors, BatchScores, Bitmap, Column, Columns, OnError, Outputs, UniqueIds};
pub use cells::TableReader;
pub use date::{Date, DateError};
pub use error::{ColumnError, Error, ModelError, ModelErrorKind, RecordError, RecordErrorKind};
pub use join::{
    Joined, RowRead, SourceAccount, SourceError, SourceInput, SourceScores, SourceTable, SourceWarning, SourcesError,
    SourcesInput,
};
pub use mapping::{
    header_key, ColumnMapping, ColumnPlan, ColumnRead, ColumnRole, ID_ALIASES, NAME_ALIASES, OBSERVED_ALIASES,
};
pub use model::{
    default_gates, Category, Criterion, Effort, Gate, MissingPolicy, Model, ModelSpec, Outreach, OutreachPlan, Rule,
    TargetList, Targets, Thresholds, Tier, Warning, DEFAULT_MODEL_JSON, RESERVED_COLUMNS,
};
pub use num::{fmt_num, round6, write_num};
pub use ops::{rank, ErrorEnvelope, ErrorKind};
pub use text::{printable, same_category, same_text};

/// The JSON Schemas of the core's public serde types, by name: the one source the TypeScript
/// declarations and the Python typing of results are generated from.
///
/// ```
/// let s = advocacy_core::json_schemas();
/// assert!(s["Score"]["properties"]["tier"].is_object());
/// ```
pub fn json_schemas() -> serde_json::Value {
    macro_rules! schemas {
        ($($t:ty),*) => { serde_json::json!({ $( stringify!($t): schemars::schema_for!($t) ),* }) };
    }
    schemas!(
        Model,
        Score,
        Warning,
        SignalSpec,
        Signals,
        Record,
        Value,
        ErrorEnvelope,
        RecordError,
        ModelError,
        Tier,
        Outcome,
        Effort,
        OnError,
        SourcesInput,
        SourceScores
    )
}
pub use record::{parse_json, Observation, Overruled, Provenance, Record};
pub use score::{revisit_date, Bounds, CategoryScore, CriterionScore, GapToNextTier, GateHit, Outcome, Score, Stale};
pub use signal::{ReadOptions, SignalKind, SignalSpec, Value};
pub use sources::{join_sources, ConflictRule, Source};
pub use standard::{
    standard_signal, standard_signals, CategoryValue, Policy, RenewalOutcome, Segment, SignalRef, Signals,
    StandardSignal,
};
