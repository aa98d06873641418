//! The program's target lists (industries, segments, regions) that `in_target` rules read.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The program's own target lists.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    /// Target industries.
    #[serde(default)]
    pub industries: Vec<String>,
    /// Target segments (`smb`, `mid_market`, `enterprise`).
    #[serde(default)]
    pub segments: Vec<String>,
    /// Target regions.
    #[serde(default)]
    pub regions: Vec<String>,
}

/// Which target list an `in_target` rule reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TargetList {
    /// `targets.industries`
    Industries,
    /// `targets.segments`
    Segments,
    /// `targets.regions`
    Regions,
}

impl TargetList {
    /// The list's name in the model file.
    pub fn name(self) -> &'static str {
        match self {
            TargetList::Industries => "industries",
            TargetList::Segments => "segments",
            TargetList::Regions => "regions",
        }
    }
}

impl Targets {
    /// The list an `in_target` rule reads.
    pub fn list(&self, which: TargetList) -> &[String] {
        match which {
            TargetList::Industries => &self.industries,
            TargetList::Segments => &self.segments,
            TargetList::Regions => &self.regions,
        }
    }

    /// The list an `in_target` rule reads, to change it.
    pub fn list_mut(&mut self, which: TargetList) -> &mut Vec<String> {
        match which {
            TargetList::Industries => &mut self.industries,
            TargetList::Segments => &mut self.segments,
            TargetList::Regions => &mut self.regions,
        }
    }
}
