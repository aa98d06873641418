//! The fit: a logistic regression of the outcome on the criteria's met fractions, with weights
//! held non-negative (a criterion can only add points) and an L2 penalty, solved by cyclic
//! coordinate descent with one Newton step per coordinate, each projected onto weight >= 0.
//! No randomness and a fixed order: the same examples give the same weights to the last bit.

/// Sweeps at most.
const MAX_SWEEPS: usize = 500;
/// Stop when no weight moved more than this in a sweep.
const TOLERANCE: f64 = 1e-9;

/// The fitted intercept and weights (one per feature, each >= 0).
#[derive(Clone, Debug, PartialEq)]
pub struct Fit {
    /// The intercept (log-odds of a yes with no criterion met).
    pub intercept: f64,
    /// One weight per feature, in log-odds per criterion fully met.
    pub weights: Vec<f64>,
    /// Sweeps run.
    pub sweeps: usize,
}

fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// Fits `outcome ~ intercept + Σ w_j x_j` with `w_j >= 0`, minimising the mean log-loss plus
/// `l2 / 2 · Σ w_j²`. `x` is row-major: `x[i * d + j]` is feature `j` of example `i`.
/// Features in `fixed` get weight 0 and are not fitted.
pub fn fit(x: &[f64], d: usize, outcome: &[bool], l2: f64, fixed: &[bool]) -> Fit {
    let n = outcome.len();
    let nf = n as f64;
    let mut w = vec![0.0; d];
    let yes = outcome.iter().filter(|y| **y).count() as f64;
    // Start at the base rate.
    let rate = (yes / nf).clamp(1e-6, 1.0 - 1e-6);
    let mut b = (rate / (1.0 - rate)).ln();
    let mut z = vec![b; n];
    let mut sweeps = 0;
    while sweeps < MAX_SWEEPS {
        sweeps += 1;
        let mut moved: f64 = 0.0;
        // The intercept: unpenalised, unconstrained.
        let (mut g, mut h) = (0.0, 0.0);
        for i in 0..n {
            let p = sigmoid(z[i]);
            g += p - outcome[i] as u8 as f64;
            h += p * (1.0 - p);
        }
        if h > 0.0 {
            let step = g / h;
            b -= step;
            z.iter_mut().for_each(|zi| *zi -= step);
            moved = moved.max(step.abs());
        }
        for j in 0..d {
            if fixed[j] {
                continue;
            }
            let (mut g, mut h) = (0.0, 0.0);
            for i in 0..n {
                let xij = x[i * d + j];
                if xij == 0.0 {
                    continue;
                }
                let p = sigmoid(z[i]);
                g += (p - outcome[i] as u8 as f64) * xij;
                h += p * (1.0 - p) * xij * xij;
            }
            g = g / nf + l2 * w[j];
            h = h / nf + l2;
            if h <= 0.0 {
                continue;
            }
            let new = (w[j] - g / h).max(0.0);
            let step = new - w[j];
            if step != 0.0 {
                for i in 0..n {
                    z[i] += step * x[i * d + j];
                }
                w[j] = new;
            }
            moved = moved.max(step.abs());
        }
        if moved < TOLERANCE {
            break;
        }
    }
    Fit { intercept: b, weights: w, sweeps }
}

/// Whole points from weights: each feature not `fixed` gets its share of `total` (in proportion
/// to its weight), rounded by largest remainder so that they add up to `total` exactly (ties
/// go to the earlier feature). `None` when every weight is 0.
///
/// ```
/// use advocacy_calibrate::whole_points;
/// assert_eq!(whole_points(&[1.0, 1.0, 1.0], &[false; 3], 10), Some(vec![4, 3, 3]));
/// assert_eq!(whole_points(&[0.0, 0.0], &[false; 2], 10), None);
/// ```
pub fn whole_points(weights: &[f64], fixed: &[bool], total: u64) -> Option<Vec<u64>> {
    let sum: f64 = weights.iter().zip(fixed).filter(|(_, f)| !**f).map(|(w, _)| *w).sum();
    if sum <= 0.0 {
        return None;
    }
    let exact: Vec<f64> =
        weights.iter().zip(fixed).map(|(w, f)| if *f { 0.0 } else { w / sum * total as f64 }).collect();
    let mut points: Vec<u64> = exact.iter().map(|e| e.floor() as u64).collect();
    let given: u64 = points.iter().sum();
    let mut order: Vec<usize> = (0..weights.len()).filter(|j| !fixed[*j]).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (exact[a] - exact[a].floor(), exact[b] - exact[b].floor());
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    for &j in order.iter().take(total.saturating_sub(given) as usize) {
        points[j] += 1;
    }
    Some(points)
}
