//! Numbers as every binding prints and rounds them. The bottom layer: depends on nothing.

/// 1.5 * 2^52: adding and subtracting it rounds any |y| < 2^51 to the nearest whole number.
pub(crate) const ROUNDER: f64 = 6_755_399_441_055_744.0;

/// Rounds to 6 decimals so totals read the same in every language (`79.99999999` never shows).
///
/// Ties round to even. Written with the 1.5 * 2^52 trick rather than `f64::round`, which is a
/// library call on baseline x86-64 and dominated batch time; the result is the same IEEE
/// arithmetic on every platform, wasm included.
///
/// ```
/// assert_eq!(advocacy_core::round6(0.1 + 0.2), 0.3);
/// assert_eq!(advocacy_core::round6(79.999_999_99), 80.0);
/// ```
#[inline(always)]
pub fn round6(x: f64) -> f64 {
    let y = x * 1e6;
    let rounded = ((y + ROUNDER) - ROUNDER) / 1e6 + 0.0;
    // Both sides computed, one picked: no branch, so loops over it vectorise.
    if y.abs() < 2e15 {
        rounded
    } else {
        x + 0.0
    }
}

/// Whether a finite number is whole, without a library call.
#[inline(always)]
pub(crate) fn is_whole(x: f64) -> bool {
    if x.abs() < 2e15 {
        (x + ROUNDER) - ROUNDER == x
    } else {
        x.fract() == 0.0
    }
}

/// Formats a number the way every binding prints it: integers without a fraction, very large
/// and very small magnitudes with an exponent (never 309 digits).
///
/// ```
/// use advocacy_core::fmt_num;
/// assert_eq!(fmt_num(9.0), "9");
/// assert_eq!(fmt_num(85.5), "85.5");
/// assert_eq!(fmt_num(-0.0), "0");
/// assert_eq!(fmt_num(1e308), "1e308");
/// assert_eq!(fmt_num(1.5e-9), "1.5e-9");
/// assert_eq!(fmt_num(f64::INFINITY), "inf");
/// ```
pub fn fmt_num(v: f64) -> String {
    let mut s = String::new();
    write_num(&mut s, v);
    s
}

/// [`fmt_num`], appended to `out` without allocating (what writers of millions of rows use).
///
/// ```
/// let mut s = String::from("score=");
/// advocacy_core::write_num(&mut s, 85.0);
/// s.push(',');
/// advocacy_core::write_num(&mut s, -0.25);
/// assert_eq!(s, "score=85,-0.25");
/// ```
pub fn write_num(out: &mut String, v: f64) {
    use std::fmt::Write;
    let a = v.abs();
    if v.is_finite() && v.fract() == 0.0 && a < 1e15 {
        let n = v as i64;
        if n < 0 {
            out.push('-');
        }
        let mut digits = [0u8; 20];
        let (mut m, mut i) = (n.unsigned_abs(), digits.len());
        loop {
            i -= 1;
            digits[i] = b'0' + (m % 10) as u8;
            m /= 10;
            if m == 0 {
                break;
            }
        }
        for &d in &digits[i..] {
            out.push(d as char);
        }
    } else if v.is_finite() && (a >= 1e15 || (a < 1e-6 && a > 0.0)) {
        let _ = write!(out, "{v:e}");
    } else {
        let _ = write!(out, "{v}");
    }
}
