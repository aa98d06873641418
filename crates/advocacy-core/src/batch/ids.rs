//! Account ids that every row needs: checked across all the pieces of one table.

use super::Columns;
use crate::error::RecordError;

/// Empty and repeated ids of consecutive pieces that require unique ids, with rows counted
/// across the pieces, first row first.
pub(crate) fn id_problems(pieces: &[Columns<'_>]) -> Vec<RecordError> {
    use crate::error::RecordErrorKind as K;
    let mut out = Vec::new();
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut offset = 0;
    for piece in pieces {
        if piece.ids_must_be_unique() {
            for i in 0..piece.len() {
                let row = offset + i;
                match piece.id(i) {
                    None => out.push(RecordError::new(
                        K::MissingId,
                        Some(row),
                        None,
                        "id",
                        "\"\"",
                        "a non-empty account id",
                    )),
                    Some(id) => {
                        if let Some(first) = seen.get(&id) {
                            let value = format!("{:?} (row {first} has it too)", crate::text::printable(&id, 80));
                            out.push(RecordError::new(
                                K::DuplicateId,
                                Some(row),
                                Some(&id),
                                "id",
                                value,
                                "an id no other row has",
                            ));
                        } else {
                            seen.insert(id, row);
                        }
                    }
                }
            }
        }
        offset += piece.len();
    }
    out
}
