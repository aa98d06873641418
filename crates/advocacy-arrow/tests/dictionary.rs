//! `text_dictionary` reads every row as `to_column` does (value for value, nulls included), for
//! each text type, sliced or not; and the core scores both the same.

// Tests may stop at the first surprise; the lints are for the shipped code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use advocacy_arrow::{text_dictionary, to_column};
use advocacy_core::{Column, Columns, Model, OnError};
use arrow_array::{Array, ArrayRef, LargeStringArray, StringArray, StringViewArray};

fn cells() -> Vec<Option<&'static str>> {
    let words = [
        Some("enterprise"),
        None,
        Some("smb"),
        Some(""),
        Some(" Mid Market "),
        Some("a category longer than twelve bytes"),
        Some("a category longer than twelve bytez"),
        Some("n/a"),
        Some("enterprise"),
        Some("ENTERPRISE"),
        None,
        Some("smb"),
    ];
    (0..300).map(|i| words[(i * 7) % words.len()]).collect()
}

fn arrays() -> Vec<ArrayRef> {
    let c = cells();
    let whole: Vec<ArrayRef> = vec![
        Arc::new(StringArray::from(c.clone())),
        Arc::new(LargeStringArray::from(c.clone())),
        Arc::new(StringViewArray::from(c)),
    ];
    let sliced: Vec<ArrayRef> = whole.iter().map(|a| a.slice(13, 200)).collect();
    whole.into_iter().chain(sliced).collect()
}

#[test]
fn reads_every_row_as_text_does() {
    for a in arrays() {
        let dict = text_dictionary(&a).expect("a text array");
        assert!(matches!(dict, Column::Dictionary { .. }));
        let (text, bad) = to_column(&a);
        assert!(bad.is_empty());
        assert_eq!(dict.len(), a.len());
        for i in 0..a.len() {
            assert_eq!(dict.value(i), text.value(i), "{:?} row {i}", a.data_type());
        }
    }
}

#[test]
fn scores_as_text_does() {
    let m = Model::default().with_target_list(advocacy_core::TargetList::Segments, vec!["enterprise".into()]).unwrap();
    for a in arrays() {
        let run = |col: Column<'_>| {
            let mut cols = Columns::new(a.len());
            cols.add("segment", col).unwrap();
            m.score_columns(&cols, OnError::Flag).unwrap()
        };
        let by_dict = run(text_dictionary(&a).unwrap());
        let by_text = run(to_column(&a).0);
        // Debug text: NaN (flagged rows) equals NaN there.
        assert!(format!("{by_dict:?}") == format!("{by_text:?}"), "{:?}", a.data_type());
        assert!(!by_dict.errors.is_empty(), "the unknown categories are flagged");
    }
}

#[test]
fn other_types_are_not_text() {
    let a: ArrayRef = Arc::new(arrow_array::Int64Array::from(vec![1, 2]));
    assert!(text_dictionary(&a).is_none());
}
