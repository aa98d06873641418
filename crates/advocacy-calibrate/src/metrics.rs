//! The figures of a ranking against outcomes: AUC with ties counted half, its DeLong standard
//! error and that of a difference of two AUCs on the same asks, and precision among the best
//! ranked with ties at the cut shared.

/// Midranks (1-based; tied values share the mean of their ranks) of `x`.
fn midranks(x: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..x.len()).collect();
    order.sort_by(|&a, &b| x[a].total_cmp(&x[b]).then(a.cmp(&b)));
    let mut ranks = vec![0.0; x.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && x[order[j + 1]] == x[order[i]] {
            j += 1;
        }
        let r = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            ranks[k] = r;
        }
        i = j + 1;
    }
    ranks
}

/// DeLong's placements: for each yes, the share of noes it outranks (ties half); for each no,
/// the share of yeses that outrank it. `None` when either class is empty.
fn placements(score: &[f64], outcome: &[bool]) -> Option<(Vec<f64>, Vec<f64>)> {
    let pos: Vec<f64> = score.iter().zip(outcome).filter(|(_, y)| **y).map(|(s, _)| *s).collect();
    let neg: Vec<f64> = score.iter().zip(outcome).filter(|(_, y)| !**y).map(|(s, _)| *s).collect();
    let (m, n) = (pos.len() as f64, neg.len() as f64);
    if pos.is_empty() || neg.is_empty() {
        return None;
    }
    let all = midranks(score);
    let (rp, rn) = (midranks(&pos), midranks(&neg));
    let (mut ip, mut ineg) = (0, 0);
    let (mut v10, mut v01) = (Vec::with_capacity(pos.len()), Vec::with_capacity(neg.len()));
    for (r, y) in all.iter().zip(outcome) {
        if *y {
            v10.push((r - rp[ip]) / n);
            ip += 1;
        } else {
            v01.push(1.0 - (r - rn[ineg]) / m);
            ineg += 1;
        }
    }
    Some((v10, v01))
}

/// The area under the ROC curve: the chance that a yes outranks a no, ties counted half.
/// `None` when either class is empty.
///
/// ```
/// use advocacy_calibrate::auc;
/// assert_eq!(auc(&[1.0, 2.0, 3.0, 4.0], &[false, false, true, true]), Some(1.0));
/// assert_eq!(auc(&[1.0, 1.0], &[false, true]), Some(0.5));
/// assert_eq!(auc(&[1.0, 2.0], &[true, true]), None);
/// ```
pub fn auc(score: &[f64], outcome: &[bool]) -> Option<f64> {
    let (v10, _) = placements(score, outcome)?;
    Some(v10.iter().sum::<f64>() / v10.len() as f64)
}

fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

/// Sample covariance of two equally long series (0 with fewer than two items).
fn cov(a: &[f64], b: &[f64]) -> f64 {
    if a.len() < 2 {
        return 0.0;
    }
    let (ma, mb) = (mean(a), mean(b));
    a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum::<f64>() / (a.len() - 1) as f64
}

/// DeLong's standard error of `auc(b) - auc(a)`, two rankings of the same asks.
pub fn auc_difference_se(a: &[f64], b: &[f64], outcome: &[bool]) -> Option<f64> {
    let (a10, a01) = placements(a, outcome)?;
    let (b10, b01) = placements(b, outcome)?;
    let (m, n) = (a10.len() as f64, a01.len() as f64);
    let var = (cov(&a10, &a10) + cov(&b10, &b10) - 2.0 * cov(&a10, &b10)) / m
        + (cov(&a01, &a01) + cov(&b01, &b01) - 2.0 * cov(&a01, &b01)) / n;
    Some(var.max(0.0).sqrt())
}

/// DeLong's standard error of one AUC.
pub fn auc_se(score: &[f64], outcome: &[bool]) -> Option<f64> {
    let (v10, v01) = placements(score, outcome)?;
    let var = cov(&v10, &v10) / v10.len() as f64 + cov(&v01, &v01) / v01.len() as f64;
    Some(var.max(0.0).sqrt())
}

/// Yeses expected among the `k` best ranked: the asks above the cut count whole, and the asks
/// tied at the cut share the places left in proportion (so the order of ties never matters).
///
/// ```
/// use advocacy_calibrate::yes_in_top;
/// // Scores 3, 2, 2, 1: the top 2 are the 3 and one of the two 2s (one yes, one no): 1 + 0.5.
/// assert_eq!(yes_in_top(&[3.0, 2.0, 2.0, 1.0], &[true, true, false, true], 2), 1.5);
/// ```
pub fn yes_in_top(score: &[f64], outcome: &[bool], k: usize) -> f64 {
    let k = k.min(score.len());
    if k == 0 {
        return 0.0;
    }
    let mut s: Vec<f64> = score.to_vec();
    s.sort_by(|a, b| b.total_cmp(a));
    let cut = s[k - 1];
    let above = score.iter().zip(outcome).filter(|(x, _)| **x > cut);
    let (n_above, yes_above) = above.fold((0usize, 0usize), |(n, y), (_, o)| (n + 1, y + *o as usize));
    let tied: Vec<bool> = score.iter().zip(outcome).filter(|(x, _)| **x == cut).map(|(_, o)| *o).collect();
    let yes_tied = tied.iter().filter(|o| **o).count() as f64;
    yes_above as f64 + (k - n_above) as f64 * yes_tied / tied.len() as f64
}
