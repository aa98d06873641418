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
//! The crate does no I/O: callers read files and pass text or values in.
#![forbid(unsafe_code)]
// Errors carry the record, signal or path, the value and what was allowed, by design; they are
// the cold path, so their size does not matter.
#![allow(clippy::result_large_err)]
#![warn(missing_docs)]

mod batch;
mod date;
mod error;
mod model;
pub mod program;
mod record;
mod score;
mod signal;

pub use batch::{BatchScores, Bitmap, Column, Columns, OnError};
pub use date::Date;
pub use error::{ColumnError, DateError, Error, ModelError, ModelErrorKind, RecordError, RecordErrorKind};
pub use model::{
    default_gates, Category, Criterion, Effort, Gate, MissingPolicy, Model, Outreach, OutreachPlan, Rule, TargetList,
    Targets, Thresholds, Tier, DEFAULT_MODEL_JSON,
};
pub use record::{CellReader, Policy, Record, RenewalOutcome, Segment, Signals};
pub use score::{Bounds, CategoryScore, CriterionScore, GapToNextTier, GateHit, Outcome, Score, Warning};
pub use signal::{fmt_num, standard_signals, SignalKind, SignalSpec, Value};
