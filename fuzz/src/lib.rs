//! The checks behind the fuzz targets (see `checks.rs`).
pub mod checks;
