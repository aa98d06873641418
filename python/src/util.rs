//! Small helpers shared by the binding's modules.

/// A default for a missing value (spelled out so the crate never calls the aborting helpers).
pub trait OrValue<T> {
    /// The value, or `d` when there is none.
    fn or_value(self, d: T) -> T;
}

impl<T> OrValue<T> for Option<T> {
    #[inline]
    fn or_value(self, d: T) -> T {
        match self {
            Some(v) => v,
            None => d,
        }
    }
}

impl<T, E> OrValue<T> for Result<T, E> {
    #[inline]
    fn or_value(self, d: T) -> T {
        match self {
            Ok(v) => v,
            Err(_) => d,
        }
    }
}

/// Escapes text for HTML.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
