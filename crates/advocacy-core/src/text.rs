//! Comparing text the same way everywhere: trimmed, Unicode case-insensitive (`Énergie` equals
//! `énergie`), and blind to the separators people type (`Mid-Market`, `mid market` and
//! `MID_MARKET` are all `mid_market`). Every rule, target list and category value compares text
//! with [`same_category`]. The bottom layer: depends on nothing.

/// Whether two texts are equal, trimmed and ignoring case (Unicode-aware).
///
/// ```
/// use advocacy_core::same_text;
/// assert!(same_text(" SOFTWARE ", "software"));
/// assert!(same_text("Énergie", "énergie"));
/// assert!(!same_text("soft ware", "software"));
/// ```
pub fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.trim(), b.trim());
    if a.is_ascii() && b.is_ascii() {
        return a.eq_ignore_ascii_case(b);
    }
    a.chars().flat_map(char::to_lowercase).eq(b.chars().flat_map(char::to_lowercase))
}

/// Whether `input` names the value `value` (a category value, a target, a rule's text):
/// [`same_text`], with every run of spaces, hyphens and underscores read as one `_`.
///
/// ```
/// use advocacy_core::same_category;
/// assert!(same_category("mid_market", "Mid-Market"));
/// assert!(same_category("mid_market", " mid  market "));
/// assert!(same_category("mid_market", "MID_MARKET"));
/// assert!(!same_category("mid_market", "midmarket"));
/// assert!(!same_category("mid_market", "mid_market_x"));
/// assert!(same_category("Énergie-Verte", "énergie verte"));
/// ```
pub fn same_category(value: &str, input: &str) -> bool {
    let (a, b) = (value.trim(), input.trim());
    if a.is_ascii() && b.is_ascii() {
        return same_ascii_category(a.as_bytes(), b.as_bytes());
    }
    folded(a).eq(folded(b))
}

/// [`same_category`] for ASCII text, byte by byte, without allocating.
#[inline]
fn same_ascii_category(a: &[u8], b: &[u8]) -> bool {
    let sep = |c: u8| c == b'_' || c == b'-' || c.is_ascii_whitespace();
    // The common case, no separator on either side: equal lengths, then bytes ignoring case.
    if !a.iter().any(|c| sep(*c)) && !b.iter().any(|c| sep(*c)) {
        return a.eq_ignore_ascii_case(b);
    }
    let (mut i, mut j) = (0, 0);
    loop {
        match (a.get(i), b.get(j)) {
            (None, None) => return true,
            (Some(&x), Some(&y)) if sep(x) && sep(y) => {
                while a.get(i).is_some_and(|c| sep(*c)) {
                    i += 1;
                }
                while b.get(j).is_some_and(|c| sep(*c)) {
                    j += 1;
                }
            }
            (Some(&x), Some(&y)) if x.eq_ignore_ascii_case(&y) => {
                i += 1;
                j += 1;
            }
            _ => return false,
        }
    }
}

fn is_separator(c: char) -> bool {
    c == '_' || c == '-' || c.is_whitespace()
}

/// The characters of a category value as compared: lower case, separators as one `_`.
fn folded(s: &str) -> impl Iterator<Item = char> + '_ {
    let mut last_sep = false;
    s.chars()
        .filter_map(move |c| {
            if is_separator(c) {
                let first = !last_sep;
                last_sep = true;
                first.then_some('_')
            } else {
                last_sep = false;
                Some(c)
            }
        })
        .flat_map(char::to_lowercase)
}

/// Text as it may be shown in an error message or a terminal: control characters escaped,
/// at most `max` characters (then `...`).
///
/// ```
/// assert_eq!(advocacy_core::printable("a\u{1b}[31mb", 80), "a\\u{1b}[31mb");
/// assert_eq!(advocacy_core::printable("abcdef", 3), "abc...");
/// ```
pub fn printable(s: &str, max: usize) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i == max {
            out.push_str("...");
            break;
        }
        if c.is_control() {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}
