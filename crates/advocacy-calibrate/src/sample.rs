//! A synthetic program history with a known outcome model, for trying `calibrate` and for its
//! tests: accounts with the default model's signals, monthly snapshots in which the signals
//! drift, and a ledger of asks answered yes or no with a chance set by known weights per
//! criterion (or by nothing at all: pure noise). Deterministic for a seed.

use advocacy_core::{Date, Model, Record, Value};
use advocacy_program::{LedgerEntry, Status};

use crate::examples::Example;

/// What to generate.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    /// The seed.
    pub seed: u64,
    /// Accounts.
    pub accounts: usize,
    /// Monthly snapshots (month ends, from January 2025).
    pub months: usize,
    /// Asks in the month after each snapshot but the last.
    pub asks_per_month: usize,
    /// The true log-odds weight of each default-model criterion fully met (criterion id,
    /// weight); criteria not listed weigh 0.
    pub weights: Vec<(String, f64)>,
    /// The true intercept (log-odds of a yes with no criterion met).
    pub intercept: f64,
    /// When true the outcome ignores the signals: yes with the chance of the intercept alone.
    pub noise: bool,
}

impl Default for Settings {
    /// 200 accounts, 12 snapshots, 60 asks a month; the outcome driven strongly by being a
    /// promoter, past advocacy and proactive feedback, moderately by CSM rapport and health,
    /// and not at all by the other criteria.
    fn default() -> Self {
        let w = |id: &str, x: f64| (id.to_string(), x);
        Settings {
            seed: 7,
            accounts: 200,
            months: 12,
            asks_per_month: 60,
            weights: vec![
                w("promoter", 2.4),
                w("past_advocacy", 2.0),
                w("proactive_feedback", 1.6),
                w("strong_rapport", 0.8),
                w("healthy", 0.8),
            ],
            intercept: -2.4,
            noise: false,
        }
    }
}

/// A generated history and ledger.
#[derive(Clone, Debug)]
pub struct Sample {
    /// Snapshot days, oldest first.
    pub dates: Vec<Date>,
    /// Each snapshot's accounts, as flat rows of signals (id, name and the signals), by date.
    pub snapshots: Vec<Vec<serde_json::Map<String, serde_json::Value>>>,
    /// The ledger: asks and their answers, by date.
    pub ledger: Vec<LedgerEntry>,
    /// Every ask: the account's row in the snapshot before it, the day, the outcome.
    pub asks: Vec<(usize, usize, Date, bool)>,
}

/// splitmix64: small, fast and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + self.below((hi - lo + 1) as u64) as i64
    }
}

const INDUSTRIES: &[&str] = &["software", "retail", "manufacturing", "healthcare", "finance"];
const SEGMENTS: &[&str] = &["smb", "mid_market", "enterprise"];
const ACTIVITIES: &[&str] = &["survey", "online_review", "case_study", "reference_call"];

/// The last day of month `m` (0 = January 2025).
fn month_end(m: usize) -> Date {
    let (y, mo) = (2025 + (m / 12) as i32, (m % 12) as u32 + 1);
    let (ny, nmo) = if mo == 12 { (y + 1, 1) } else { (y, mo + 1) };
    let first_next: Date = format!("{ny:04}-{nmo:02}-01").parse().unwrap_or_else(|_| Date::from_days(0));
    first_next.add_days(-1)
}

fn step(rng: &mut Rng, x: i64, lo: i64, hi: i64, p: f64) -> i64 {
    if rng.unit() < p {
        (x + if rng.unit() < 0.5 { -1 } else { 1 }).clamp(lo, hi)
    } else {
        x
    }
}

/// Generates a sample (see [`Settings`]).
pub fn generate(s: &Settings) -> Sample {
    let mut rng = Rng(s.seed);
    let model = Model::default();
    // Initial signals.
    let mut state: Vec<[i64; 12]> = (0..s.accounts)
        .map(|_| {
            [
                rng.range(0, 10),                             // nps
                rng.range(40, 100),                           // health_score
                (rng.unit() < 0.4) as i64,                    // roi_achieved
                rng.range(1, 5),                              // csm_rapport
                rng.range(1, 6),                              // engaged_contacts
                rng.range(1, 5),                              // meeting_engagement
                (rng.unit() < 0.35) as i64 * rng.range(1, 3), // past_advocacy
                (rng.unit() < 0.4) as i64 * rng.range(1, 3),  // proactive_feedback
                rng.range(1, 5),                              // communication_comfort
                rng.below(INDUSTRIES.len() as u64) as i64,    // industry
                rng.below(SEGMENTS.len() as u64) as i64,      // segment
                rng.range(1, 5),                              // brand_strength
            ]
        })
        .collect();
    let mut dates = Vec::new();
    let mut snapshots = Vec::new();
    let mut records: Vec<Vec<Record>> = Vec::new();
    for m in 0..s.months {
        if m > 0 {
            for a in state.iter_mut() {
                a[0] = step(&mut rng, a[0], 0, 10, 0.4);
                a[1] = (a[1] + rng.range(-6, 6)).clamp(0, 100);
                if rng.unit() < 0.05 {
                    a[2] = 1 - a[2];
                }
                a[3] = step(&mut rng, a[3], 1, 5, 0.2);
                a[4] = step(&mut rng, a[4], 1, 8, 0.2);
                a[5] = step(&mut rng, a[5], 1, 5, 0.2);
                if rng.unit() < 0.04 {
                    a[6] += 1;
                }
                a[7] = step(&mut rng, a[7], 0, 4, 0.25);
                a[8] = step(&mut rng, a[8], 1, 5, 0.1);
                a[11] = step(&mut rng, a[11], 1, 5, 0.05);
            }
        }
        let day = month_end(m);
        let mut rows = Vec::new();
        let mut recs = Vec::new();
        for (i, a) in state.iter().enumerate() {
            let mut row = serde_json::Map::new();
            row.insert("id".into(), format!("ACC-{:04}", 1000 + i).into());
            row.insert("name".into(), format!("Account {i}").into());
            let names = [
                "nps",
                "health_score",
                "roi_achieved",
                "csm_rapport",
                "engaged_contacts",
                "meeting_engagement",
                "past_advocacy",
                "proactive_feedback",
                "communication_comfort",
                "industry",
                "segment",
                "brand_strength",
            ];
            let mut rec = Record::new().id(format!("ACC-{:04}", 1000 + i));
            for (k, name) in names.iter().enumerate() {
                let v: Value = match *name {
                    "roi_achieved" => Value::Bool(a[k] == 1),
                    "industry" => Value::Text(INDUSTRIES[a[k] as usize].into()),
                    "segment" => Value::Text(SEGMENTS[a[k] as usize].into()),
                    _ => Value::Number(a[k] as f64),
                };
                let json = match &v {
                    Value::Bool(b) => serde_json::Value::from(*b),
                    Value::Text(t) => serde_json::Value::from(t.clone()),
                    Value::Number(x) => serde_json::Value::from(*x as i64),
                    Value::Null => serde_json::Value::Null,
                };
                row.insert(name.to_string(), json);
                rec = rec.with(name, v);
            }
            rows.push(row);
            recs.push(rec);
        }
        dates.push(day);
        snapshots.push(rows);
        records.push(recs);
    }
    // The unit model: each criterion's share for a record.
    let unit = crate::unit_model(&model).unwrap_or_else(|_| model.clone());
    let weight = |id: &str| s.weights.iter().find(|(k, _)| k == id).map_or(0.0, |(_, w)| *w);
    let mut ledger = Vec::new();
    let mut asks = Vec::new();
    for m in 0..s.months.saturating_sub(1) {
        for _ in 0..s.asks_per_month {
            let i = rng.below(s.accounts as u64) as usize;
            let day = dates[m].add_days(rng.range(1, 27));
            let z = match unit.score(&records[m][i]) {
                Ok(sc) if !s.noise => s.intercept + sc.criteria.iter().map(|c| weight(&c.id) * c.points).sum::<f64>(),
                _ => s.intercept,
            };
            let p = 1.0 / (1.0 + (-z).exp());
            let yes = rng.unit() < p;
            let activity = ACTIVITIES[rng.below(ACTIVITIES.len() as u64) as usize];
            let id = format!("ACC-{:04}", 1000 + i);
            // Skip an ask of the same account and activity within 10 days of another (its
            // answer would fall between the two).
            if ledger.iter().any(|e: &LedgerEntry| {
                e.account == id && e.activity == activity && (e.date.to_days() - day.to_days()).abs() < 10
            }) {
                continue;
            }
            ledger.push(LedgerEntry::new(&id, activity, Status::Asked, day));
            let answer = day.add_days(rng.range(1, 5));
            // Some noes are never answered: they count as no after 30 days.
            if yes {
                ledger.push(LedgerEntry::new(&id, activity, Status::Accepted, answer));
            } else if rng.unit() < 0.7 {
                ledger.push(LedgerEntry::new(&id, activity, Status::Declined, answer));
            }
            asks.push((m, i, day, yes));
        }
    }
    // The last month's days, so that every ask is at least 30 days old by the ledger's end.
    if let Some(last) = dates.last() {
        ledger.push(LedgerEntry::new("ACC-1000", "survey", Status::Thanked, last.add_days(31)));
    }
    ledger.sort_by(|a, b| (a.date, &a.account, &a.activity).cmp(&(b.date, &b.account, &b.activity)));
    Sample { dates, snapshots, ledger, asks }
}

impl Sample {
    /// The history's long rows: each snapshot's rows with `as_of`, `total` and `tier` (scored
    /// by the default model).
    pub fn history_rows(&self) -> Vec<serde_json::Value> {
        let model = Model::default();
        let mut out = Vec::new();
        for (day, rows) in self.dates.iter().zip(&self.snapshots) {
            for row in rows {
                let mut r = row.clone();
                let rec: Record = serde_json::from_value(serde_json::Value::Object(row.clone())).unwrap_or_default();
                let (total, tier) = match model.score(&rec) {
                    Ok(s) => (s.total, s.tier.as_str()),
                    Err(_) => (0.0, "not_yet_qualified"),
                };
                r.insert("as_of".into(), day.to_string().into());
                r.insert("total".into(), total.into());
                r.insert("tier".into(), tier.into());
                out.push(serde_json::Value::Object(r));
            }
        }
        out
    }

    /// The asks as examples, with the signals of the snapshot before each (sorted by day).
    pub fn examples(&self) -> Vec<Example> {
        let mut out: Vec<Example> = self
            .asks
            .iter()
            .map(|&(m, i, day, yes)| {
                let row = serde_json::Value::Object(self.snapshots[m][i].clone());
                let mut record: Record = serde_json::from_value(row).unwrap_or_default();
                record.values.remove("name");
                Example {
                    account: record.id.clone().unwrap_or_default(),
                    asked: day,
                    as_of: self.dates[m],
                    record,
                    outcome: yes,
                }
            })
            .collect();
        out.sort_by(|a, b| (a.asked, &a.account).cmp(&(b.asked, &b.account)));
        out
    }

    /// The ledger as CSV (`account,activity,status,date`).
    pub fn ledger_csv(&self) -> String {
        let mut s = String::from("account,activity,status,date\n");
        for e in &self.ledger {
            s.push_str(&format!("{},{},{},{}\n", e.account, e.activity, e.status.as_str(), e.date));
        }
        s
    }

    /// Snapshot `k`'s accounts as CSV (the columns of the rows, in their order).
    pub fn snapshot_csv(&self, k: usize) -> String {
        let rows = &self.snapshots[k];
        let Some(first) = rows.first() else { return String::new() };
        let keys: Vec<&String> = first.keys().collect();
        let mut s = keys.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(",");
        s.push('\n');
        for r in rows {
            let cells: Vec<String> = keys
                .iter()
                .map(|k| match &r[k.as_str()] {
                    serde_json::Value::String(t) => t.clone(),
                    serde_json::Value::Null => String::new(),
                    v => v.to_string(),
                })
                .collect();
            s.push_str(&cells.join(","));
            s.push('\n');
        }
        s
    }
}
