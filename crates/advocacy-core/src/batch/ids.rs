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
/// kept as a 64-bit fingerprint with its first row (32 bits), in small sorted buckets chosen by
/// the fingerprint's top bits, whose number doubles as ids come (12 bytes an id, and about 2
/// more for the buckets: 10,000,000 ids take about 145 MB, with no table doubling on the way
/// and nothing much for a few ids). Two different ids share a fingerprint with a probability
/// of about n²/2⁶⁵ (3·10⁻⁶ for 10,000,000 ids, 3·10⁻¹⁰ for 100,000); the second would then be
/// called a repeat of the first, which its message shows. Rows are counted up to 2³²−1.
///
/// ```
/// use advocacy_core::UniqueIds;
/// let mut ids = UniqueIds::default();
/// assert!(ids.check(2, Some("a")).is_none());
/// let (e, first) = ids.check(5, Some(" a ")).unwrap();
/// assert_eq!((e.kind.code(), e.row, first), ("duplicate_id", Some(5), Some(2)));
/// assert_eq!(ids.check(6, Some("")).unwrap().0.kind.code(), "missing_id");
/// assert!(ids.check(7, Some("b")).is_none());
/// assert_eq!(ids.len(), 2);
/// ```
pub struct UniqueIds {
    /// `1 << bits` buckets; bucket `k` holds the fingerprints whose top `bits` bits are `k`.
    buckets: Vec<Bucket>,
    bits: u32,
    len: usize,
    keys: std::collections::hash_map::RandomState,
}

impl Default for UniqueIds {
    fn default() -> Self {
        UniqueIds { buckets: vec![Bucket::new()], bits: 0, len: 0, keys: Default::default() }
    }
}

/// Buckets hold this many ids on average before their number doubles.
const SPLIT_AT: usize = 64;

/// The ids of one bucket, sorted by fingerprint: each as the fingerprint's high and low 32
/// bits and the first row (one array, so that a look-up touches one small place in memory).
type Bucket = Vec<[u32; 3]>;

fn print_of(e: &[u32; 3]) -> u64 {
    (u64::from(e[0]) << 32) | u64::from(e[1])
}

/// Room for one more, growing by an eighth (not doubling), so that the memory stays within
/// about an eighth of what is kept.
fn make_room(v: &mut Bucket) {
    if v.len() == v.capacity() {
        v.reserve_exact((v.len() / 8).max(2));
    }
}

impl UniqueIds {
    /// Checks the id of `row` (any row numbering: lines of a file, rows of a stream): `None`
    /// when it is the first row with this id, else the row's error and, for a repeated id, the
    /// first row that has it.
    pub fn check(&mut self, row: usize, id: Option<&str>) -> Option<(RecordError, Option<usize>)> {
        use std::hash::BuildHasher;
        let Some(id) = id.map(str::trim).filter(|s| !s.is_empty()) else { return Some((missing(row), None)) };
        let print = self.keys.hash_one(id.as_bytes());
        let k = if self.bits == 0 { 0 } else { (print >> (64 - self.bits)) as usize };
        let bucket = &mut self.buckets[k];
        match bucket.binary_search_by_key(&print, print_of) {
            Ok(k) => {
                let first = bucket[k][2] as usize;
                Some((repeated(row, id, first), Some(first)))
            }
            Err(k) => {
                make_room(bucket);
                bucket.insert(k, [(print >> 32) as u32, print as u32, u32::try_from(row).unwrap_or(u32::MAX)]);
                self.len += 1;
                if self.len > SPLIT_AT << self.bits && self.bits < 40 {
                    self.split();
                }
                None
            }
        }
    }

    /// Doubles the buckets: each splits in two at the next bit of its fingerprints (they are
    /// sorted, so the two halves are the two sides of one point).
    fn split(&mut self) {
        let bits = self.bits + 1;
        let mut next = Vec::with_capacity(self.buckets.len() * 2);
        for mut low in std::mem::take(&mut self.buckets) {
            let at = low.partition_point(|e| (print_of(e) >> (64 - bits)) & 1 == 0);
            let mut high = Vec::with_capacity(low.len() - at + (low.len() - at) / 8);
            high.extend_from_slice(&low[at..]);
            low.truncate(at);
            low.shrink_to(at + at / 8);
            next.push(low);
            next.push(high);
        }
        self.buckets = next;
        self.bits = bits;
    }

    /// How many distinct ids have been seen.
    pub fn len(&self) -> usize {
        self.len
    }

    /// No id has been seen yet.
    pub fn is_empty(&self) -> bool {
        self.len == 0
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

#[cfg(test)]
mod tests {
    use super::UniqueIds;

    /// Through many doublings of the buckets: every new id passes, every repeat names the first
    /// row of its id, and the count is the distinct ids.
    #[test]
    fn repeats_are_found_across_bucket_splits() {
        let mut ids = UniqueIds::default();
        let n = 100_000;
        for i in 0..n {
            assert!(ids.check(i, Some(&format!("ACC-{i}"))).is_none(), "row {i}");
        }
        for i in (0..n).step_by(997) {
            let (e, first) = ids.check(n + i, Some(&format!(" ACC-{i} "))).expect("a repeat");
            assert_eq!((e.kind.code(), first), ("duplicate_id", Some(i)));
            assert!(e.value.contains(&format!("row {i} has it too")), "{}", e.value);
        }
        assert_eq!(ids.len(), n);
        assert!(ids.check(2 * n, Some("ACC-new")).is_none());
    }
}
