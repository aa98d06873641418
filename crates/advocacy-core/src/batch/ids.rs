//! Account ids that every row needs: checked across all the pieces of one table.

use std::borrow::Cow;
use std::collections::HashMap;

use super::Columns;
use crate::error::{RecordError, RecordErrorKind as K};
use crate::text::printable;

/// Tracks ids row by row: the first row of each id, to name it when the id comes back. Ids
/// are borrowed from the columns they come from for as long as the check runs.
#[derive(Default)]
struct IdCheck<'a> {
    seen: HashMap<Cow<'a, str>, usize, rustc_hash::FxBuildHasher>,
}

impl<'a> IdCheck<'a> {
    fn row(&mut self, row: usize, id: Option<Cow<'a, str>>) -> Option<RecordError> {
        match id {
            None => Some(RecordError::new(K::MissingId, Some(row), None, "id", "\"\"", "a non-empty account id")),
            Some(id) => match self.seen.get(&id) {
                Some(first) => {
                    let value = format!("{:?} (row {first} has it too)", printable(&id, 80));
                    Some(RecordError::new(K::DuplicateId, Some(row), Some(&id), "id", value, "an id no other row has"))
                }
                None => {
                    self.seen.insert(id, row);
                    None
                }
            },
        }
    }
}

/// Empty and repeated ids of a table's rows, in row order: `missing_id` for an empty id,
/// `duplicate_id` (naming the first row) for an id seen before.
///
/// ```
/// let errors = advocacy_core::id_errors([Some("a"), None, Some(" a ")]);
/// assert_eq!(errors[0].kind.code(), "missing_id");
/// assert_eq!((errors[1].row, errors[1].value.as_str()), (Some(2), "\"a\" (row 0 has it too)"));
/// ```
pub fn id_errors<'a>(ids: impl IntoIterator<Item = Option<&'a str>>) -> Vec<RecordError> {
    let mut check = IdCheck::default();
    ids.into_iter()
        .enumerate()
        .filter_map(|(row, id)| check.row(row, id.map(str::trim).filter(|s| !s.is_empty()).map(Cow::Borrowed)))
        .collect()
}

/// [`id_errors`] of consecutive pieces that require unique ids, rows counted across the pieces.
pub(crate) fn id_problems(pieces: &[Columns<'_>]) -> Vec<RecordError> {
    let mut check = IdCheck::default();
    let mut out = Vec::new();
    let mut offset = 0;
    for piece in pieces {
        if let (true, Some(ids)) = (piece.ids_must_be_unique(), piece.id_column()) {
            check.seen.reserve(piece.len());
            out.extend((0..piece.len()).filter_map(|i| check.row(offset + i, ids.id_text(i))));
        }
        offset += piece.len();
    }
    out
}
