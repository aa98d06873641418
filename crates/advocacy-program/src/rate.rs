//! [`Rate`]: a share with the counts behind it, as every metric gives it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use advocacy_core::round6;

/// A share: how many of how many.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Rate {
    /// How many did.
    pub count: usize,
    /// Out of how many.
    pub of: usize,
    /// `count / of` (6 decimals), `null` when `of` is 0.
    pub rate: Option<f64>,
}

/// `count` of `of`, with the rate when `of` is not 0.
pub(crate) fn rate(count: usize, of: usize) -> Rate {
    Rate { count, of, rate: (of > 0).then(|| round6(count as f64 / of as f64)) }
}
