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

/// The error of a row without an id.
fn missing(row: usize) -> RecordError {
    RecordError::new(K::MissingId, Some(row), None, "id", "\"\"", "a non-empty account id")
}

/// The error of a row whose id row `first` has too.
fn repeated(row: usize, id: &str, first: usize) -> RecordError {
    let value = format!("{:?} (row {first} has it too)", printable(id, 80));
    RecordError::new(K::DuplicateId, Some(row), Some(id), "id", value, "an id no other row has")
}

impl<'a> IdCheck<'a> {
    fn row(&mut self, row: usize, id: Option<Cow<'a, str>>) -> Option<RecordError> {
        match id {
            None => Some(missing(row)),
            Some(id) => match self.seen.get(&id) {
                Some(first) => Some(repeated(row, &id, *first)),
                None => {
                    self.seen.insert(id, row);
                    None
                }
            },
        }
    }
}

/// The same rule as [`id_errors`] for a stream of rows too large to keep its ids: each id is
/// kept as a 96-bit fingerprint with its first row (16 bytes an id), so 10,000,000 ids take
/// about 270 MB of table instead of the ids themselves. Two different ids share a fingerprint
/// with a probability of about n²/2⁹⁷ (10⁻¹⁵ for 10,000,000 ids). Rows are counted up to 2³²−1.
///
/// ```
/// use advocacy_core::UniqueIds;
/// let mut ids = UniqueIds::default();
/// assert!(ids.check(2, Some("a")).is_none());
/// let (e, first) = ids.check(5, Some(" a ")).unwrap();
/// assert_eq!((e.kind.code(), e.row, first), ("duplicate_id", Some(5), Some(2)));
/// assert_eq!(ids.check(6, Some("")).unwrap().0.kind.code(), "missing_id");
/// assert!(ids.check(7, Some("b")).is_none());
/// ```
#[derive(Default)]
pub struct UniqueIds {
    /// 64 bits of one hash -> (32 bits of another, the first row).
    seen: HashMap<u64, (u32, u32), rustc_hash::FxBuildHasher>,
    keys: std::collections::hash_map::RandomState,
}

impl UniqueIds {
    /// Checks the id of `row` (any row numbering: lines of a file, rows of a stream): `None`
    /// when it is the first row with this id, else the row's error and, for a repeated id, the
    /// first row that has it.
    pub fn check(&mut self, row: usize, id: Option<&str>) -> Option<(RecordError, Option<usize>)> {
        use std::collections::hash_map::Entry;
        use std::hash::{BuildHasher, Hasher};
        let Some(id) = id.map(str::trim).filter(|s| !s.is_empty()) else { return Some((missing(row), None)) };
        let mut a = self.keys.build_hasher();
        a.write(id.as_bytes());
        let mut b = self.keys.build_hasher();
        b.write_u8(0x5a);
        b.write(id.as_bytes());
        let check = b.finish() as u32;
        match self.seen.entry(a.finish()) {
            Entry::Occupied(e) if e.get().0 == check => {
                let first = e.get().1 as usize;
                Some((repeated(row, id, first), Some(first)))
            }
            // The same 64 bits but another id: keep the first (a later repeat of this id is then
            // not recognised; the chance is about n²/2⁶⁵ for a pair, ~10⁻⁶ at 10,000,000 ids).
            Entry::Occupied(_) => None,
            Entry::Vacant(v) => {
                v.insert((check, u32::try_from(row).unwrap_or(u32::MAX)));
                None
            }
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
