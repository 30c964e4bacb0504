//! What the operator sees: one record per gateway decision — written as a JSON log line
//! (Workers Logs), a data point (the optional Analytics Engine binding) and into the
//! isolate's bounded ring — and the dashboard's summary of them.
//!
//! A record carries the route rule, the verdict, the error code and the rule that decided,
//! the agent's identifier, `keyid`, `alg`, `tag`, where the directory came from (the
//! isolate's memory, KV, a fetch), what the gateway did, and the time the verification took.
//! It never carries signature bytes, nonces, bodies or any header value but those.

use alloc::collections::{BTreeMap, VecDeque};
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use httpseal::{Outcome, Verdict};
use serde::Serialize;

/// Decisions kept in one isolate's ring for the dashboard (each about 300 bytes).
pub const RING_ENTRIES: usize = 4096;
/// Rows of each "top" list on the dashboard.
pub const TOP_ROWS: usize = 10;

/// Where a request's agent directory came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DirectorySource {
    /// No directory was needed (no agent, or its key at hand).
    #[default]
    None,
    /// The isolate's memory.
    Memory,
    /// Workers KV.
    Kv,
    /// A fetch that succeeded.
    Fetch,
    /// A fetch that failed.
    Failed,
}

impl DirectorySource {
    /// The more telling of two sources for one request (a failure over a fetch over KV over
    /// memory over none).
    pub fn max_with(self, other: DirectorySource) -> DirectorySource {
        let rank = |s: DirectorySource| match s {
            DirectorySource::None => 0,
            DirectorySource::Memory => 1,
            DirectorySource::Kv => 2,
            DirectorySource::Fetch => 3,
            DirectorySource::Failed => 4,
        };
        if rank(other) > rank(self) {
            other
        } else {
            self
        }
    }
}

/// What the gateway did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Forwarded upstream with the verdict header.
    Forward,
    /// Answered for the origin (401, 403, 429, 503).
    Reject,
    /// Refused by an agent rule.
    Deny,
    /// Refused by the rate limiter.
    RateLimited,
    /// `POST /verify` answered with the verdict.
    Api,
}

/// One gateway decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DecisionRecord {
    /// UNIX seconds.
    pub time: u64,
    /// The route rule's name.
    pub route: String,
    /// `verified`, `invalid` or `unverified`.
    pub verdict: &'static str,
    /// The error code, when not verified.
    pub code: Option<&'static str>,
    /// The policy rule that refused it, or the agent rule that denied it.
    pub rule: Option<String>,
    /// The agent URL or key thumbprint.
    pub identifier: Option<String>,
    /// The signature's `keyid`.
    pub keyid: Option<String>,
    /// The algorithm.
    pub alg: Option<String>,
    /// The signature's `tag`.
    pub tag: Option<String>,
    /// Where the directory came from.
    pub directory: DirectorySource,
    /// What the gateway did.
    pub action: Action,
    /// The HTTP status answered (0 when forwarded: the origin answers).
    pub status: u16,
    /// Milliseconds from receiving the request to the verdict (the platform's clock, which
    /// advances only across I/O: CPU time itself is not observable in a Worker).
    pub ms: u64,
    /// Signature checks, directory lookups and fetches made.
    pub checks: u32,
    /// Directory lookups.
    pub lookups: u32,
    /// Directory fetches.
    pub fetches: u32,
}

impl DecisionRecord {
    /// The record of `verdict` under `route`.
    pub fn of(verdict: &Verdict, route: &str, time: u64) -> Self {
        DecisionRecord {
            time,
            route: route.to_string(),
            verdict: verdict.verdict.as_str(),
            code: verdict.error_code(),
            rule: verdict
                .error
                .as_ref()
                .and_then(|e| e.rule())
                .map(Into::into),
            identifier: verdict.identifier.clone(),
            keyid: verdict.keyid.clone(),
            alg: verdict.alg.clone(),
            tag: verdict.tag.clone(),
            directory: DirectorySource::None,
            action: Action::Forward,
            status: 0,
            ms: 0,
            checks: 0,
            lookups: 0,
            fetches: 0,
        }
    }

    /// The JSON log line (`{"httpseal":"decision",...}`).
    pub fn log_line(&self) -> String {
        #[derive(Serialize)]
        struct Line<'a> {
            httpseal: &'static str,
            #[serde(flatten)]
            record: &'a DecisionRecord,
        }
        serde_json::to_string(&Line {
            httpseal: "decision",
            record: self,
        })
        .unwrap_or_default()
    }
}

/// Whether the decision numbered `n` is logged at `rate` (millionths): spread evenly, so
/// a rate of 0.1 logs one decision in ten.
pub fn sampled(n: u64, rate: u32) -> bool {
    let rate = u64::from(rate.min(1_000_000));
    (n * rate) % 1_000_000 < rate
}

/// The isolate's last decisions.
#[derive(Debug, Default)]
pub struct Ring {
    entries: VecDeque<DecisionRecord>,
    total: u64,
}

impl Ring {
    /// Adds a record, dropping the oldest past [`RING_ENTRIES`]; returns its number.
    pub fn push(&mut self, record: DecisionRecord) -> u64 {
        if self.entries.len() == RING_ENTRIES {
            self.entries.pop_front();
        }
        self.entries.push_back(record);
        self.total += 1;
        self.total
    }

    /// The records.
    pub fn records(&self) -> impl Iterator<Item = &DecisionRecord> {
        self.entries.iter()
    }
}

/// Counts of each outcome.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Mix {
    /// Verified.
    pub verified: u64,
    /// Invalid.
    pub invalid: u64,
    /// Unverified.
    pub unverified: u64,
}

impl Mix {
    fn add(&mut self, verdict: &str, n: u64) {
        match verdict {
            "verified" => self.verified += n,
            "invalid" => self.invalid += n,
            _ => self.unverified += n,
        }
    }

    fn total(&self) -> u64 {
        self.verified + self.invalid + self.unverified
    }
}

/// One time bucket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bucket {
    /// Its start (UNIX seconds).
    pub t: u64,
    /// What happened in it.
    #[serde(flatten)]
    pub mix: Mix,
}

/// An agent and its verdicts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgentRow {
    /// The identifier.
    pub identifier: String,
    /// Its verdicts.
    #[serde(flatten)]
    pub mix: Mix,
}

/// An error code and how often.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorRow {
    /// The code.
    pub code: String,
    /// How often.
    pub count: u64,
}

/// Where directories came from, and how many fetches failed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DirectoryMix {
    /// From the isolate's memory.
    pub memory: u64,
    /// From KV.
    pub kv: u64,
    /// Fetched.
    pub fetch: u64,
    /// Fetches that failed.
    pub failed: u64,
}

/// What the dashboard shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// When it was made.
    pub now: u64,
    /// `isolate` (this isolate's ring) or `analytics-engine`.
    pub source: &'static str,
    /// The last hour, per minute.
    pub hour: Vec<Bucket>,
    /// The last day, per hour.
    pub day: Vec<Bucket>,
    /// The last day, in all.
    pub totals: Mix,
    /// The agents with the most decisions in the last day.
    pub agents: Vec<AgentRow>,
    /// The most frequent error codes in the last day.
    pub errors: Vec<ErrorRow>,
    /// Directory sources in the last day.
    pub directories: DirectoryMix,
}

/// One row of decisions, as the ring or Analytics Engine gives them (`n` of them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// UNIX seconds.
    pub time: u64,
    /// The outcome.
    pub verdict: String,
    /// The error code.
    pub code: Option<String>,
    /// The identifier.
    pub identifier: Option<String>,
    /// The directory source.
    pub directory: String,
    /// How many decisions the row stands for.
    pub n: u64,
}

impl From<&DecisionRecord> for Row {
    fn from(r: &DecisionRecord) -> Self {
        Row {
            time: r.time,
            verdict: r.verdict.into(),
            code: r.code.map(Into::into),
            identifier: r.identifier.clone(),
            directory: match r.directory {
                DirectorySource::None => "none",
                DirectorySource::Memory => "memory",
                DirectorySource::Kv => "kv",
                DirectorySource::Fetch => "fetch",
                DirectorySource::Failed => "failed",
            }
            .into(),
            n: 1,
        }
    }
}

/// The summary of `rows` at `now`.
pub fn summarize<'a>(
    rows: impl IntoIterator<Item = &'a Row>,
    now: u64,
    source: &'static str,
) -> Summary {
    // The last bucket is the one `now` falls in.
    let hour_start = (now / 60 * 60).saturating_sub(59 * 60);
    let day_start = (now / 3600 * 3600).saturating_sub(23 * 3600);
    let mut hour: Vec<Bucket> = (0..60)
        .map(|i| Bucket {
            t: hour_start + i * 60,
            mix: Mix::default(),
        })
        .collect();
    let mut day: Vec<Bucket> = (0..24)
        .map(|i| Bucket {
            t: day_start + i * 3600,
            mix: Mix::default(),
        })
        .collect();
    let mut totals = Mix::default();
    let mut agents: BTreeMap<String, Mix> = BTreeMap::new();
    let mut errors: BTreeMap<String, u64> = BTreeMap::new();
    let mut directories = DirectoryMix::default();
    for row in rows {
        if row.time + 86_400 < now || row.time > now {
            continue;
        }
        if row.time >= hour_start {
            let i = ((row.time - hour_start) / 60) as usize;
            if let Some(b) = hour.get_mut(i) {
                b.mix.add(&row.verdict, row.n);
            }
        }
        if row.time >= day_start {
            let i = ((row.time - day_start) / 3600) as usize;
            if let Some(b) = day.get_mut(i) {
                b.mix.add(&row.verdict, row.n);
            }
        }
        totals.add(&row.verdict, row.n);
        if let Some(id) = &row.identifier {
            agents
                .entry(id.clone())
                .or_default()
                .add(&row.verdict, row.n);
        }
        if let Some(code) = &row.code {
            *errors.entry(code.clone()).or_default() += row.n;
        }
        match row.directory.as_str() {
            "memory" => directories.memory += row.n,
            "kv" => directories.kv += row.n,
            "fetch" => directories.fetch += row.n,
            "failed" => directories.failed += row.n,
            _ => {}
        }
    }
    let mut agents: Vec<AgentRow> = agents
        .into_iter()
        .map(|(identifier, mix)| AgentRow { identifier, mix })
        .collect();
    agents.sort_by(|a, b| {
        b.mix
            .total()
            .cmp(&a.mix.total())
            .then(a.identifier.cmp(&b.identifier))
    });
    agents.truncate(TOP_ROWS);
    let mut errors: Vec<ErrorRow> = errors
        .into_iter()
        .map(|(code, count)| ErrorRow { code, count })
        .collect();
    errors.sort_by(|a, b| b.count.cmp(&a.count).then(a.code.cmp(&b.code)));
    errors.truncate(TOP_ROWS);
    Summary {
        now,
        source,
        hour,
        day,
        totals,
        agents,
        errors,
        directories,
    }
}

/// Analytics Engine's limit on a data point's index, bytes.
pub const MAX_INDEX_BYTES: usize = 96;
/// The longest blob a data point carries, bytes: ten blobs stay well under Analytics
/// Engine's 16 KB per data point, whatever length a request's `keyid` claims.
pub const MAX_BLOB_BYTES: usize = 1024;

/// `text` cut to at most `max` bytes, at a character boundary.
fn clip(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The Analytics Engine data point of a record: blobs (route, verdict, code, identifier,
/// keyid, alg, tag, directory, action, rule), doubles (1 — the count —, ms, checks,
/// fetches, status), the identifier (or route) as the sampling index.
///
/// Analytics Engine refuses a data point whose index is longer than 96 bytes or whose
/// blobs exceed 16 KB, and the identifier and `keyid` of an unverified request are whatever
/// it claims: the index is cut to [`MAX_INDEX_BYTES`] and each blob to [`MAX_BLOB_BYTES`],
/// so every decision is counted.
pub fn data_point(r: &DecisionRecord) -> serde_json::Value {
    let s = |v: &Option<String>| clip(v.as_deref().unwrap_or(""), MAX_BLOB_BYTES).to_string();
    let directory = serde_json::to_value(r.directory).unwrap_or_default();
    let action = serde_json::to_value(r.action).unwrap_or_default();
    let index = r.identifier.as_deref().unwrap_or(&r.route);
    serde_json::json!({
        "blobs": [
            clip(&r.route, MAX_BLOB_BYTES), r.verdict, r.code.unwrap_or(""), s(&r.identifier),
            s(&r.keyid), s(&r.alg), s(&r.tag), directory, action, s(&r.rule),
        ],
        "doubles": [1, r.ms, r.checks, r.fetches, r.status],
        "indexes": [clip(index, MAX_INDEX_BYTES)],
    })
}

/// The Analytics Engine SQL that gives the dashboard's rows for the last day, grouped by
/// minute (`blob2` verdict, `blob3` code, `blob4` identifier, `blob8` directory; `_sample_interval`
/// weights sampled rows).
pub fn analytics_query(dataset: &str) -> String {
    alloc::format!(
        "SELECT toUInt32(toStartOfMinute(timestamp)) AS t, blob2 AS verdict, blob3 AS code, \
         blob4 AS identifier, blob8 AS directory, SUM(_sample_interval) AS n \
         FROM {dataset} WHERE timestamp > NOW() - INTERVAL '1' DAY \
         GROUP BY t, verdict, code, identifier, directory ORDER BY t FORMAT JSON"
    )
}

/// Reads the rows of an Analytics Engine SQL answer (`{"data": [{"t", "verdict", "code",
/// "identifier", "directory", "n"}, ...]}`).
pub fn analytics_rows(json: &str) -> Result<Vec<Row>, String> {
    let v: serde_json::Value =
        serde_json::from_str(json).map_err(|e| alloc::format!("not JSON: {e}"))?;
    let data = v
        .get("data")
        .and_then(|d| d.as_array())
        .ok_or("no data array")?;
    let text = |r: &serde_json::Value, k: &str| {
        r.get(k)
            .and_then(|x| x.as_str())
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let number = |r: &serde_json::Value, k: &str| {
        r.get(k)
            .and_then(|x| {
                x.as_u64()
                    .or_else(|| x.as_str().and_then(|s| s.parse().ok()))
            })
            .unwrap_or(0)
    };
    Ok(data
        .iter()
        .map(|r| Row {
            time: number(r, "t"),
            verdict: text(r, "verdict").unwrap_or_else(|| "unverified".into()),
            code: text(r, "code"),
            identifier: text(r, "identifier"),
            directory: text(r, "directory").unwrap_or_else(|| "none".into()),
            n: number(r, "n").max(1),
        })
        .collect())
}

/// Whether `given` is the dashboard token, compared in constant time (the length is not a
/// secret: tokens are long random strings).
pub fn token_matches(given: &[u8], token: &str) -> bool {
    use subtle::ConstantTimeEq;
    given.len() == token.len() && bool::from(given.ct_eq(token.as_bytes()))
}

/// The outcome name of a verdict (for callers that only have an [`Outcome`]).
pub fn outcome_name(o: Outcome) -> &'static str {
    o.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;
    use httpseal::Error;

    fn record(
        verdict: &'static str,
        code: Option<&'static str>,
        id: Option<&str>,
        time: u64,
    ) -> DecisionRecord {
        DecisionRecord {
            time,
            route: "default".into(),
            verdict,
            code,
            rule: None,
            identifier: id.map(Into::into),
            keyid: None,
            alg: None,
            tag: None,
            directory: DirectorySource::Memory,
            action: Action::Forward,
            status: 0,
            ms: 3,
            checks: 1,
            lookups: 1,
            fetches: 0,
        }
    }

    #[test]
    fn log_lines_never_carry_signatures_or_nonces() {
        let mut v = Verdict::from_error(Error::NonceReplayed("secret-nonce".into()));
        v.nonce = Some("secret-nonce".into());
        v.signature_base = Some("\"@signature-params\": ...nonce=\"secret-nonce\"".into());
        v.keyid = Some("k".into());
        let line = DecisionRecord::of(&v, "api", 100).log_line();
        assert!(line.starts_with(r#"{"httpseal":"decision","time":100,"route":"api","verdict":"invalid","code":"nonce_replayed","rule":"nonce""#), "{line}");
        assert!(!line.contains("secret-nonce"), "{line}");
        assert!(line.contains(r#""keyid":"k""#));
    }

    #[test]
    fn sampling_is_even() {
        assert_eq!((1..=100).filter(|n| sampled(*n, 100_000)).count(), 10);
        assert_eq!((1..=100).filter(|n| sampled(*n, 1_000_000)).count(), 100);
        assert_eq!((1..=100).filter(|n| sampled(*n, 0)).count(), 0);
    }

    #[test]
    fn the_ring_is_bounded() {
        let mut ring = Ring::default();
        for i in 0..(RING_ENTRIES as u64 + 10) {
            ring.push(record("verified", None, None, i));
        }
        assert_eq!(ring.records().count(), RING_ENTRIES);
        assert_eq!(ring.records().next().unwrap().time, 10);
    }

    #[test]
    fn summaries_bucket_rank_and_count() {
        let now = 1_800_000_000;
        let records = [
            record("verified", None, Some("https://a.example/"), now - 30),
            record("verified", None, Some("https://a.example/"), now - 90),
            record(
                "invalid",
                Some("expired"),
                Some("https://b.example/"),
                now - 7200,
            ),
            record("unverified", Some("no_signature"), None, now - 10),
            record("unverified", Some("no_signature"), None, now - 100_000),
        ];
        let rows: Vec<Row> = records.iter().map(Row::from).collect();
        let s = summarize(&rows, now, "isolate");
        assert_eq!(s.hour.len(), 60);
        assert_eq!(s.day.len(), 24);
        assert_eq!(
            s.totals,
            Mix {
                verified: 2,
                invalid: 1,
                unverified: 1
            },
            "older than a day is left out"
        );
        assert_eq!(s.hour.iter().map(|b| b.mix.total()).sum::<u64>(), 3);
        assert_eq!(s.day.iter().map(|b| b.mix.total()).sum::<u64>(), 4);
        // now is on a minute: now - 30 falls in the minute before it, now - 90 in the one
        // before that, and the last bucket (the minute of now) is still empty.
        assert_eq!((s.hour[57].mix.verified, s.hour[58].mix.verified), (1, 1));
        assert_eq!(s.hour[59].t, now);
        assert_eq!(s.agents[0].identifier, "https://a.example/");
        assert_eq!(s.agents[0].mix.verified, 2);
        assert_eq!(
            s.errors[0],
            ErrorRow {
                code: "expired".into(),
                count: 1
            },
            "ties by code"
        );
        assert_eq!(s.errors.len(), 2);
        assert_eq!(s.directories.memory, 4);
        let json = serde_json::to_string(&s).unwrap();
        assert!(json.contains(r#""source":"isolate""#));
    }

    #[test]
    fn analytics_engine_rows_and_points() {
        let answer = r#"{"meta":[],"data":[{"t":1800000000,"verdict":"verified","code":"","identifier":"https://a.example/","directory":"kv","n":"40"}],"rows":1}"#;
        let rows = analytics_rows(answer).unwrap();
        assert_eq!(rows[0].n, 40);
        assert_eq!(rows[0].code, None);
        assert!(analytics_rows("{}").is_err());
        assert!(analytics_query("httpseal").contains("FROM httpseal"));
        let p = data_point(&record(
            "invalid",
            Some("expired"),
            Some("https://a.example/"),
            5,
        ));
        assert_eq!(p["blobs"][1], "invalid");
        assert_eq!(p["blobs"][2], "expired");
        assert_eq!(p["indexes"][0], "https://a.example/");
    }

    #[test]
    fn data_points_fit_analytics_engine_limits() {
        let long = alloc::format!("https://{}.example/{}", "a".repeat(100), "é".repeat(900));
        let mut r = record("unverified", Some("unknown_key"), Some(&long), 5);
        r.keyid = Some(long.clone());
        let p = data_point(&r);
        let index = p["indexes"][0].as_str().unwrap();
        assert_eq!(index.len(), MAX_INDEX_BYTES);
        assert!(long.starts_with(index));
        let blobs: usize = p["blobs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b.as_str().unwrap().len())
            .sum();
        assert!(blobs <= 16 * 1024, "{blobs} bytes of blobs");
        let id = p["blobs"][3].as_str().unwrap();
        assert!(
            id.len() <= MAX_BLOB_BYTES && long.starts_with(id),
            "cut at a character"
        );
        let short = data_point(&record("verified", None, None, 5));
        assert_eq!(
            short["indexes"][0], "default",
            "the route when no identifier"
        );
    }

    #[test]
    fn tokens_compare_whole() {
        assert!(token_matches(b"0123456789abcdef", "0123456789abcdef"));
        assert!(!token_matches(b"0123456789abcdeF", "0123456789abcdef"));
        assert!(!token_matches(b"0123456789abcde", "0123456789abcdef"));
        assert!(!token_matches(b"", "0123456789abcdef"));
    }
}
