//! Cost as work grows (issue 10, target 6): one verification through the core's job, timed
//! against the number of signatures on the request, the size of a covered header, the number
//! of uncovered header lines, the number of keys in the agent's directory (cold: fetched and
//! parsed; warm: the record at hand), and the number of distinct agents in the host's store.
//!
//! Each row is the median of interleaved rounds (every size of a dimension once per round, so
//! a busy machine slows all sizes alike), with its ratio to the smallest size and that ratio
//! divided by the size's growth: a "per unit" near or below 1.0 is linear or better. Where a
//! size passes one of the core's limits (`src/limits.rs`) the request is refused before the
//! expensive work, and the row says so: that is the knee, and it is deliberate.
//!
//!   cargo bench -p httpseal-bench --bench scaling            (make bench-scaling; SCALING_ROUNDS, SCALING_MS)

use httpseal::api::{SignOptions, SignRandomness, sign_request};
use httpseal::fetch::{FetchFailure, FetchedResponse};
use httpseal::job::drive::{self, BlockingHost};
use httpseal::job::{DirectoryAccess, Fetch, Lookup, VerifyJob, VerifySetup};
use httpseal::limits::{MAX_COMPONENT_VALUE_BYTES, MAX_DIRECTORY_KEYS, MAX_SIGNATURES};
use httpseal::webbotauth::{
    self, CachedDirectory, DIRECTORY_MEDIA_TYPE, DirectoryRecord, Freshness, store_key,
};
use httpseal::{HttpMessage, JwkSet, Key, Outcome, Policy, Profile, Verdict};
use std::collections::BTreeMap;
use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;

const NOW: u64 = 1_800_000_000;
const ORIGIN: &str = "https://origin.example.com";

fn key(n: u32) -> Key {
    let mut seed = [0u8; 32];
    seed[..4].copy_from_slice(&n.to_be_bytes());
    seed[31] = 1;
    Key::ed25519_private(&seed).unwrap()
}

fn randomness(n: u32) -> SignRandomness {
    let mut nonce = [0u8; 64];
    nonce[..4].copy_from_slice(&n.to_be_bytes());
    SignRandomness {
        nonce,
        seed: [7; 32],
    }
}

fn agent_url(n: usize) -> String {
    format!("https://agent-{n}.example.com/.well-known/http-message-signatures-directory")
}

/// A Web Bot Auth GET signed by `key`, naming the directory `agent`.
fn agent_request(key: &Key, agent: &str, n: u32) -> HttpMessage {
    let mut msg = HttpMessage::request("GET", &format!("{ORIGIN}/page")).unwrap();
    let opts = SignOptions {
        profile: Some("web-bot-auth".into()),
        signature_agent: Some(agent.into()),
        created: Some(NOW - 1),
        ..SignOptions::default()
    };
    sign_request(&mut msg, key, &opts, NOW, &randomness(n)).unwrap();
    msg
}

/// A directory response whose body is `keys` as a JWK Set, written out by hand so that sizes
/// past the core's own builder limit can be served (a hostile or careless agent's directory).
fn directory_response(keys: &[Key]) -> FetchedResponse {
    let jwks: Vec<String> = keys
        .iter()
        .map(|k| {
            let one = webbotauth::build_directory(&[k.to_public()]).unwrap();
            let start = one.find('[').unwrap() + 1;
            let end = one.rfind(']').unwrap();
            one[start..end].to_string()
        })
        .collect();
    let body = format!("{{\"keys\":[{}]}}", jwks.join(","));
    FetchedResponse {
        status: 200,
        headers: vec![
            ("Content-Type".into(), DIRECTORY_MEDIA_TYPE.into()),
            ("Cache-Control".into(), "max-age=3600".into()),
        ],
        body: body.into_bytes(),
    }
}

fn record_of(response: &FetchedResponse) -> DirectoryRecord {
    let body = String::from_utf8(response.body.clone()).unwrap();
    let freshness = Freshness {
        ttl: 3600,
        shareable: true,
    };
    DirectoryRecord::new(CachedDirectory::fetched(body, freshness, NOW), NOW)
}

/// A host with a store of records by key and one response for every fetch.
#[derive(Default)]
struct Host {
    store: BTreeMap<String, DirectoryRecord>,
    response: Option<FetchedResponse>,
}

impl BlockingHost for Host {
    fn lookup(&mut self, lookup: &Lookup<'_>) -> Option<DirectoryRecord> {
        self.store.get(lookup.key).cloned()
    }

    fn fetch(&mut self, _fetch: &Fetch<'_>) -> Result<FetchedResponse, FetchFailure> {
        self.response.clone().ok_or(FetchFailure::NotFetched)
    }
}

/// One measured verification: what it is given, and what it must answer.
struct Case {
    size: usize,
    note: String,
    msg: HttpMessage,
    policy: Policy,
    known: Option<Arc<JwkSet>>,
    host: Host,
    expect: Outcome,
}

impl Case {
    fn run(&mut self) -> Verdict {
        let mut setup = VerifySetup::new(self.policy.clone(), NOW);
        setup = match &self.known {
            Some(set) => setup.known_set(set),
            None => setup.directories(DirectoryAccess::Fetch),
        };
        let mut job = VerifyJob::borrowing(&self.msg, setup);
        drive::run(&mut job, &mut self.host)
    }
}

/// `n` signatures on one request, each under its own known key; all but the last are made by
/// another key under the known key's `keyid`, so they fail their check and every one is
/// checked (the worst case: the first signature that verifies wins).
fn signatures(n: usize) -> Case {
    // The signer refuses more than MAX_SIGNATURES; past it, copies of one signed member are
    // added by hand under new labels (what a hostile client would send).
    let extra = n.saturating_sub(MAX_SIGNATURES);
    let keys: Vec<Key> = (0..(n - extra) as u32).map(key).collect();
    let mut msg = HttpMessage::request("GET", &format!("{ORIGIN}/page")).unwrap();
    for (i, k) in keys.iter().enumerate() {
        let signer = if i + 1 == n {
            k.clone()
        } else {
            key(9000 + i as u32)
        };
        let opts = SignOptions {
            profile: Some("rfc9421".into()),
            label: Some(format!("s{i}")),
            created: Some(NOW - 1),
            keyid: Some(k.to_public().thumbprint()),
            ..SignOptions::default()
        };
        sign_request(&mut msg, &signer, &opts, NOW, &randomness(i as u32)).unwrap();
    }
    if extra > 0 {
        let mut one = HttpMessage::request("GET", &format!("{ORIGIN}/page")).unwrap();
        let opts = SignOptions {
            profile: Some("rfc9421".into()),
            label: Some("x".into()),
            created: Some(NOW - 1),
            ..SignOptions::default()
        };
        sign_request(&mut one, &key(7777), &opts, NOW, &randomness(0)).unwrap();
        let (_, input) = one
            .header("Signature-Input")
            .unwrap()
            .split_once('=')
            .unwrap();
        let (_, signature) = one.header("Signature").unwrap().split_once('=').unwrap();
        for j in 0..extra {
            msg.push_header("Signature-Input", &format!("x{j}={input}"));
            msg.push_header("Signature", &format!("x{j}={signature}"));
        }
    }
    let public = JwkSet::from_keys(keys.iter().map(Key::to_public));
    let refused = extra > 0;
    Case {
        size: n,
        note: String::from(if refused {
            "past MAX_SIGNATURES: refused"
        } else {
            ""
        }),
        msg,
        policy: Profile::Rfc9421.policy(),
        known: Some(Arc::new(public)),
        host: Host::default(),
        expect: if refused {
            Outcome::Invalid
        } else {
            Outcome::Verified
        },
    }
}

/// One covered header whose value is `bytes` long. Past `MAX_COMPONENT_VALUE_BYTES` the signer
/// refuses it, so the request is signed over a short value that is then replaced: what a client
/// sending an oversized field would present.
fn covered_header(bytes: usize) -> Case {
    let k = key(1);
    let fits = bytes + 2 <= MAX_COMPONENT_VALUE_BYTES;
    let mut msg = HttpMessage::request("GET", &format!("{ORIGIN}/page")).unwrap();
    msg.push_header("X-Payload", &"a".repeat(if fits { bytes } else { 64 }));
    let opts = SignOptions {
        profile: Some("rfc9421".into()),
        components: Some(vec![
            "@method".into(),
            "@authority".into(),
            "x-payload".into(),
        ]),
        created: Some(NOW - 1),
        ..SignOptions::default()
    };
    sign_request(&mut msg, &k, &opts, NOW, &randomness(1)).unwrap();
    if !fits {
        msg.remove_header("X-Payload");
        msg.push_header("X-Payload", &"a".repeat(bytes));
    }
    Case {
        size: bytes,
        note: String::from(if fits {
            ""
        } else {
            "past MAX_COMPONENT_VALUE_BYTES: refused"
        }),
        msg,
        policy: Profile::Rfc9421.policy(),
        known: Some(Arc::new(JwkSet::from_keys([k.to_public()]))),
        host: Host::default(),
        expect: if fits {
            Outcome::Verified
        } else {
            Outcome::Invalid
        },
    }
}

/// A signed request with `lines` uncovered header lines besides its own. (`MAX_FIELD_LINES`
/// bounds the lines a host's message parser accepts, JSON or HTTP/1; a message built in code,
/// as here, is not parsed, so every size verifies.)
fn uncovered_lines(lines: usize) -> Case {
    let k = key(1);
    let mut msg = HttpMessage::request("GET", &format!("{ORIGIN}/page")).unwrap();
    for i in 0..lines {
        msg.push_header(&format!("X-Extra-{i}"), "some value of a typical length");
    }
    let opts = SignOptions {
        profile: Some("rfc9421".into()),
        created: Some(NOW - 1),
        ..SignOptions::default()
    };
    sign_request(&mut msg, &k, &opts, NOW, &randomness(1)).unwrap();
    Case {
        size: lines,
        note: String::new(),
        msg,
        policy: Profile::Rfc9421.policy(),
        known: Some(Arc::new(JwkSet::from_keys([k.to_public()]))),
        host: Host::default(),
        expect: Outcome::Verified,
    }
}

/// The agent's directory holds `n` keys, the signing key last. Cold: fetched and parsed on
/// every request; warm: the record is in the host's store.
fn directory_keys(n: usize, warm: bool) -> Case {
    let keys: Vec<Key> = (0..n as u32).map(|i| key(1000 + i)).collect();
    let signer = keys.last().unwrap();
    let agent = agent_url(0);
    let msg = agent_request(signer, &agent, 1);
    let response = directory_response(&keys);
    let mut host = Host::default();
    if warm {
        host.store.insert(store_key(&agent), record_of(&response));
    } else {
        host.response = Some(response);
    }
    // Keys past MAX_DIRECTORY_KEYS are not read: the signer (last) is then absent.
    let past = n > MAX_DIRECTORY_KEYS;
    Case {
        size: n,
        note: String::from(if past {
            "past MAX_DIRECTORY_KEYS: the last key is not read"
        } else {
            ""
        }),
        msg,
        policy: Profile::WebBotAuth.policy(),
        known: None,
        host,
        expect: if past {
            Outcome::Unverified
        } else {
            Outcome::Verified
        },
    }
}

/// The host's store holds `n` agents' directories; the request is from one of them.
fn agents_in_store(n: usize) -> Case {
    let mut host = Host::default();
    for i in 0..n {
        let k = key(5000 + i as u32);
        host.store.insert(
            store_key(&agent_url(i)),
            record_of(&directory_response(&[k])),
        );
    }
    let chosen = n / 2;
    let msg = agent_request(&key(5000 + chosen as u32), &agent_url(chosen), 1);
    Case {
        size: n,
        note: String::new(),
        msg,
        policy: Profile::WebBotAuth.policy(),
        known: None,
        host,
        expect: Outcome::Verified,
    }
}

/// Nanoseconds per run of `case`, over about `ms` milliseconds.
fn time(case: &mut Case, ms: u128) -> f64 {
    let mut n = 0u64;
    let start = Instant::now();
    while start.elapsed().as_millis() < ms {
        for _ in 0..8 {
            black_box(case.run());
        }
        n += 8;
    }
    start.elapsed().as_nanos() as f64 / n as f64
}

fn median(xs: &mut [f64]) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

fn dimension(name: &str, unit: &str, mut cases: Vec<Case>, rounds: usize, ms: u128) {
    for case in &mut cases {
        let verdict = case.run();
        if case.expect == Outcome::Verified {
            assert_eq!(
                verdict.verdict,
                Outcome::Verified,
                "{name} at {}: {verdict:?}",
                case.size
            );
        } else {
            // Past a limit: refused, whichever way the core classes it.
            assert_ne!(
                verdict.verdict,
                Outcome::Verified,
                "{name} at {}: {verdict:?}",
                case.size
            );
            let code = verdict.error.as_ref().map(|e| e.code()).unwrap_or("none");
            case.note = format!("{} ({:?}, {code})", case.note, verdict.verdict);
        }
    }
    let mut samples: Vec<Vec<f64>> = vec![Vec::new(); cases.len()];
    for _ in 0..rounds {
        for (i, case) in cases.iter_mut().enumerate() {
            samples[i].push(time(case, ms));
        }
    }
    let first = median(&mut samples[0].clone());
    let base = cases[0].size.max(1) as f64;
    println!("\n{name}");
    println!("| {unit} | µs per verify, median (min-max) | × smallest | per unit of growth | |");
    println!("| ---: | ---: | ---: | ---: | --- |");
    for (case, s) in cases.iter().zip(&mut samples) {
        let (lo, hi) = (
            s.iter().copied().fold(f64::INFINITY, f64::min),
            s.iter().copied().fold(0.0, f64::max),
        );
        let m = median(s);
        let ratio = m / first;
        let growth = case.size.max(1) as f64 / base;
        println!(
            "| {} | {:.1} ({:.1}-{:.1}) | {:.2} | {:.2} | {} |",
            case.size,
            m / 1e3,
            lo / 1e3,
            hi / 1e3,
            ratio,
            ratio / growth,
            case.note
        );
    }
}

fn main() {
    let rounds: usize = std::env::var("SCALING_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let ms: u128 = std::env::var("SCALING_MS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    println!(
        "Cost as work grows: one verification through the job (native, {} backend), {rounds} interleaved rounds of {ms} ms per size",
        if cfg!(feature = "ed25519-dalek") {
            "ed25519-dalek"
        } else {
            "ed25519-compact"
        }
    );
    let sizes = [1, 2, 4, 8, 16, 32];
    dimension(
        "Signatures on the request (all keys known, only the last signature valid: every one checked)",
        "signatures",
        sizes.iter().map(|&n| signatures(n)).collect(),
        rounds,
        ms,
    );
    let payload = [
        64,
        1024,
        4096,
        8192,
        MAX_COMPONENT_VALUE_BYTES - 1,
        64 * 1024,
    ];
    dimension(
        "Size of one covered header field (bytes)",
        "bytes",
        payload.iter().map(|&b| covered_header(b)).collect(),
        rounds,
        ms,
    );
    dimension(
        "Uncovered header lines on a signed request",
        "lines",
        [1, 8, 32, 128, 256, 1024]
            .iter()
            .map(|&n| uncovered_lines(n))
            .collect(),
        rounds,
        ms,
    );
    let keys = [1, 4, 16, 32, 64, 256];
    dimension(
        "Keys in the agent's directory, cold (fetched and parsed on every request; the signer last)",
        "keys",
        keys.iter().map(|&n| directory_keys(n, false)).collect(),
        rounds,
        ms,
    );
    dimension(
        "Keys in the agent's directory, warm (the record in the host's store; the signer last)",
        "keys",
        keys.iter().map(|&n| directory_keys(n, true)).collect(),
        rounds,
        ms,
    );
    dimension(
        "Distinct agents in the host's store (a BTreeMap, as the Worker's isolate cache)",
        "agents",
        [1, 10, 100, 1000, 10_000]
            .iter()
            .map(|&n| agents_in_store(n))
            .collect(),
        rounds,
        ms,
    );
}
