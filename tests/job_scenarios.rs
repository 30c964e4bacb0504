//! The verifier job driven through a simulated host (`tests/common/sim.rs`), one test per
//! scenario: what the verdict says (outcome, error and cause codes, identifier, proof),
//! what was fetched, and what the store keeps afterwards. Requests are signed by the core
//! (`api::sign_request`, `webbotauth::sign_directory` for signed directories) with keys
//! that are not published test keys, except where the test is about those.
//!
//! Section numbers are those of draft-ietf-webbotauth-httpsig-protocol-01
//! (`docs/specs/draft-ietf-webbotauth-httpsig-protocol-01.md`).

mod common;
#[path = "common/sim.rs"]
mod sim;

use common::rfc_key;
use httpseal::api::{SignOptions, SignRandomness, sign_request};
use httpseal::fetch::{FETCH_TIMEOUT_MS, FetchFailure, FetchPurpose};
use httpseal::job::drive;
use httpseal::job::{Answer, AnswerError, DirectoryAccess, Step, VerifyJob, VerifySetup};
use httpseal::limits::{MAX_DIRECTORIES_PER_REQUEST, MAX_DIRECTORY_BYTES};
use httpseal::webbotauth::{
    self, AgentOptions, FIRST_RETRY_DELAY, MAX_NEGATIVE_TTL, ProofStatus, store_key,
};
use httpseal::{Error, HttpMessage, JwkSet, Key, Outcome, Policy, Verdict};
use sim::{Route, Seen, Sim, directory_body, json_response, signed_directory_response};
use sim::{key, outcome, wba};
use std::sync::atomic::{AtomicU32, Ordering};

const A_ORIGIN: &str = "https://agent-a.example.com";
const A_DIR: &str = "https://agent-a.example.com/.well-known/http-message-signatures-directory";
const B_ORIGIN: &str = "https://agent-b.example.com";
const B_DIR: &str = "https://agent-b.example.com/.well-known/http-message-signatures-directory";

/// The profile reading draft -00 typed members (`draft00Members`).
fn wba_draft00() -> Policy {
    let mut policy = wba();
    policy.signature_agent = Some(AgentOptions {
        draft00_members: true,
        ..AgentOptions::default()
    });
    policy
}

/// Random bytes for one signature: a different nonce every time.
fn randomness() -> SignRandomness {
    static NEXT: AtomicU32 = AtomicU32::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed).to_be_bytes();
    let mut nonce = [0u8; 64];
    nonce[..4].copy_from_slice(&n);
    SignRandomness {
        nonce,
        seed: [7; 32],
    }
}

/// A GET of the origin's page.
fn page() -> HttpMessage {
    HttpMessage::request("GET", "https://origin.example.com/page").unwrap()
}

/// A Web Bot Auth request signed at `now` by `key`, naming the agent URL `agent` in
/// `Signature-Agent` (the core's signing defaults: `@authority` and the member covered,
/// a 60 s lifetime, a random nonce).
fn signed(key: &Key, agent: &str, now: u64) -> HttpMessage {
    let mut msg = page();
    let opts = SignOptions {
        profile: Some("web-bot-auth".into()),
        signature_agent: Some(agent.into()),
        ..SignOptions::default()
    };
    sign_request(&mut msg, key, &opts, now, &randomness()).unwrap();
    msg
}

/// [`signed`] with a `Signature-Agent` value written by hand (members with parameters),
/// its member `label` covered.
fn signed_with_member(key: &Key, field: &str, label: &str, now: u64) -> HttpMessage {
    let mut msg = page();
    msg.push_header("Signature-Agent", field);
    sign_as(
        &mut msg,
        key,
        label,
        &["@authority", &member(label)],
        now,
        None,
    );
    msg
}

/// Adds one signature labelled `label` over `components`.
fn sign_as(
    msg: &mut HttpMessage,
    key: &Key,
    label: &str,
    components: &[&str],
    now: u64,
    nonce: Option<&str>,
) {
    let opts = SignOptions {
        profile: Some("web-bot-auth".into()),
        label: Some(label.into()),
        components: Some(components.iter().map(|c| c.to_string()).collect()),
        nonce: nonce.map(|n| n.into()),
        ..SignOptions::default()
    };
    sign_request(msg, key, &opts, now, &randomness()).unwrap();
}

fn member(label: &str) -> String {
    format!("signature-agent;key=\"{label}\"")
}

/// The cause code inside a `directory_unavailable` verdict.
fn cause(v: &Verdict) -> &str {
    match &v.error {
        Some(Error::DirectoryUnavailable { cause, .. }) => cause.code(),
        other => panic!("not directory_unavailable: {other:?}"),
    }
}

fn is_lookup(s: &Seen) -> bool {
    matches!(s, Seen::Lookup(_))
}

fn is_fetch(s: &Seen) -> bool {
    matches!(s, Seen::Fetch(..))
}

/// Draft -01 Appendix C.4 (cache behaviour): a fresh record answers the next request from
/// the store; nothing is fetched. A record the job says may be shared is in the shared store
/// too, and another isolate (empty memory) uses it without fetching.
#[test]
fn cache_hit_second_request_fetches_nothing() {
    let ka = key(1);
    let mut sim = Sim::default();
    sim.serve_keys(A_DIR, &[&ka], 3600);
    let v = sim.verify(&signed(&ka, A_ORIGIN, sim.now), &wba());
    assert_eq!(outcome(&v), (Outcome::Verified, None));
    assert_eq!(v.identifier.as_deref(), Some(A_DIR));
    assert_eq!(v.agent.as_deref(), Some(A_DIR));
    assert_eq!(v.directory_proof, Some(ProofStatus::Absent));
    assert_eq!(sim.fetched(A_DIR), 1);
    assert_eq!(sim.stored.len(), 1);
    let stored = &sim.stored[0];
    assert_eq!((stored.url.as_str(), stored.shared), (A_DIR, true));
    assert_eq!(stored.key, store_key(A_DIR));
    assert_eq!(stored.record.cached().fresh_until, sim.now + 3600);
    assert!(sim.shared_record(A_DIR).is_some());

    sim.clear_log();
    sim.advance(600);
    let v = sim.verify(&signed(&ka, A_ORIGIN, sim.now), &wba());
    assert_eq!(outcome(&v), (Outcome::Verified, None));
    assert_eq!(sim.total_fetches(), 0);
    assert_eq!(sim.count(is_lookup), 1);
    assert!(sim.stored.is_empty() && sim.refreshes.is_empty());

    // Another isolate: nothing in memory, the shared copy in KV.
    let mut other = Sim::at(sim.now);
    other.shared = sim.shared.clone();
    let v = other.verify(&signed(&ka, A_ORIGIN, other.now), &wba());
    assert_eq!(outcome(&v), (Outcome::Verified, None));
    assert_eq!(other.total_fetches(), 0);
}

/// Appendix C.4: a stale record's keys are used at once, and the job hands the host a
/// refresh to run after the response; its fetch replaces the record (§4.4: the newer pair
/// wins).
#[test]
fn stale_record_is_used_and_refreshed_in_the_background() {
    let (ka, kb) = (key(1), key(2));
    let mut sim = Sim::default();
    sim.serve_keys(A_DIR, &[&ka], 60);
    assert!(
        sim.verify(&signed(&ka, A_ORIGIN, sim.now), &wba())
            .is_verified()
    );
    let first = sim.record(A_DIR).unwrap().cached().clone();

    sim.advance(61);
    sim.clear_log();
    sim.serve_keys(A_DIR, &[&ka, &kb], 3600);
    let v = sim.verify(&signed(&ka, A_ORIGIN, sim.now), &wba());
    assert_eq!(outcome(&v), (Outcome::Verified, None));
    // The request was not held up: nothing fetched, one refresh handed out.
    assert_eq!(sim.total_fetches(), 0);
    assert_eq!(
        sim.seen,
        [
            Seen::Lookup(A_DIR.into()),
            Seen::Refresh(A_DIR.into()),
            Seen::Check,
            Seen::Nonce
        ]
    );
    assert_eq!(sim.refreshes.len(), 1);
    assert_eq!(sim.refreshes[0].key(), store_key(A_DIR));
    assert_eq!(
        sim.record(A_DIR).unwrap().cached(),
        &first,
        "not replaced yet"
    );

    assert_eq!(sim.run_refreshes(), 1);
    assert_eq!(sim.fetched(A_DIR), 1);
    assert_eq!(sim.stored.len(), 1);
    assert!(sim.stored[0].shared);
    let record = sim.record(A_DIR).unwrap();
    assert_eq!(record.keys().unwrap().keys().len(), 2);
    assert_eq!(record.cached().fetched_at, sim.now);
    assert_eq!(record.cached().fresh_until, sim.now + 3600);

    // The refreshed record serves the new key, without a fetch.
    sim.clear_log();
    let v = sim.verify(&signed(&kb, A_ORIGIN, sim.now), &wba());
    assert_eq!(outcome(&v), (Outcome::Verified, None));
    assert_eq!(sim.total_fetches(), 0);
}

/// §6.10: "A directory that fails to resolve is not evidence and MUST NOT evict a cached
/// entry": a failed refresh keeps the keys (stale-on-error) and backs off (Appendix C.5);
/// inside the back-off the next request fetches nothing and starts no refresh.
#[test]
fn stale_on_error_keeps_the_keys_and_backs_off() {
    let ka = key(1);
    let mut sim = Sim::default();
    sim.serve_keys(A_DIR, &[&ka], 60);
    assert!(
        sim.verify(&signed(&ka, A_ORIGIN, sim.now), &wba())
            .is_verified()
    );
    let shared_before = sim.shared_record(A_DIR).unwrap().to_string();

    sim.advance(61);
    sim.serve(
        A_DIR,
        Route::Fail(FetchFailure::Network("connection reset".into())),
    );
    sim.clear_log();
    let v = sim.verify(&signed(&ka, A_ORIGIN, sim.now), &wba());
    assert_eq!(outcome(&v), (Outcome::Verified, None));
    assert_eq!(sim.run_refreshes(), 1);
    assert_eq!(sim.fetched(A_DIR), 1);
    let failed = &sim.stored[0];
    assert!(!failed.shared, "a failure never goes to the shared store");
    assert!(failed.record.keys().is_some(), "the keys are kept");
    assert_eq!(failed.record.cached().failures, 1);
    assert_eq!(
        failed.record.cached().last_code.as_deref(),
        Some("fetch_failed")
    );
    assert_eq!(
        failed.record.cached().retry_after,
        sim.now + FIRST_RETRY_DELAY
    );
    assert_eq!(sim.shared_record(A_DIR), Some(shared_before.as_str()));

    // Inside the back-off: the keys, no fetch, no refresh.
    sim.advance(FIRST_RETRY_DELAY - 1);
    sim.clear_log();
    let v = sim.verify(&signed(&ka, A_ORIGIN, sim.now), &wba());
    assert_eq!(outcome(&v), (Outcome::Verified, None));
    assert_eq!(sim.total_fetches(), 0);
    assert!(sim.refreshes.is_empty());

    // After it: still verified, and the refresh is due again.
    sim.advance(1);
    let v = sim.verify(&signed(&ka, A_ORIGIN, sim.now), &wba());
    assert!(v.is_verified());
    assert_eq!(sim.refreshes.len(), 1);
}

/// Appendix C.5 (negative caching): a directory that does not resolve is remembered for at
/// most five minutes, retried with a doubling back-off, never fetched inside it, and the
/// failure is never written to the shared store. The signature is unverified (§6.10).
#[test]
fn negative_caching_remembers_a_failed_lookup() {
    let ka = key(1);
    let mut sim = Sim::default();
    sim.serve(
        A_DIR,
        Route::Fail(FetchFailure::Network("no such host".into())),
    );
    let v = sim.verify(&signed(&ka, A_ORIGIN, sim.now), &wba());
    assert_eq!(
        outcome(&v),
        (Outcome::Unverified, Some("directory_unavailable"))
    );
    assert_eq!(cause(&v), "fetch_failed");
    // Never attributed to the URL (§6.10: "MUST NOT attribute the request to that URL"):
    // no agent, and the identifier is the keyid the signature claims.
    assert_eq!(v.agent, None);
    assert_eq!(v.identifier, Some(ka.thumbprint()));
    assert_eq!(sim.fetched(A_DIR), 1);
    assert!(!sim.stored[0].shared);
    assert!(sim.stored[0].ttl <= MAX_NEGATIVE_TTL);
    assert!(sim.shared.is_empty());

    // Inside the back-off: the remembered failure, no fetch.
    sim.advance(FIRST_RETRY_DELAY - 1);
    sim.clear_log();
    let v = sim.verify(&signed(&ka, A_ORIGIN, sim.now), &wba());
    assert_eq!(
        outcome(&v),
        (Outcome::Unverified, Some("directory_unavailable"))
    );
    assert_eq!(cause(&v), "fetch_failed");
    assert!(v.error.as_ref().unwrap().to_string().contains("remembered"));
    assert_eq!(sim.total_fetches(), 0);

    // Each retry doubles the wait, up to five minutes (the failure is kept in memory for
    // five minutes, long enough to be found by the retry).
    let mut delays = vec![];
    for _ in 0..4 {
        let retry_after = sim.record(A_DIR).unwrap().cached().retry_after;
        sim.now = retry_after;
        sim.clear_log();
        sim.verify(&signed(&ka, A_ORIGIN, sim.now), &wba());
        assert_eq!(sim.fetched(A_DIR), 1);
        let record = &sim.stored[0];
        assert!(!record.shared && record.ttl <= MAX_NEGATIVE_TTL);
        delays.push(record.record.cached().retry_after - sim.now);
    }
    assert_eq!(delays, [60, 120, 240, 300]);
    assert!(sim.shared.is_empty());

    // Once the directory resolves, its keys verify and may be shared.
    sim.serve_keys(A_DIR, &[&ka], 3600);
    sim.advance(MAX_NEGATIVE_TTL);
    let v = sim.verify(&signed(&ka, A_ORIGIN, sim.now), &wba());
    assert_eq!(outcome(&v), (Outcome::Verified, None));
    assert!(sim.shared_record(A_DIR).is_some());
}

/// Appendix B.1: "A verifier MAY use a key obtained by resolving the directory itself
/// whether or not it has valid proof." A directory signed for another authority verifies
/// the request; the proof is recorded as invalid (no domain binding).
#[test]
fn forged_directory_proof_keeps_the_keys() {
    let (ka, kb) = (key(1), key(2));
    let mut sim = Sim::default();
    let forged = signed_directory_response(&[&ka], "elsewhere.example.com", sim.now, 3600);
    sim.serve(A_DIR, Route::Respond(forged));
    let v = sim.verify(&signed(&ka, A_ORIGIN, sim.now), &wba());
    assert_eq!(outcome(&v), (Outcome::Verified, None));
    assert_eq!(v.directory_proof, Some(ProofStatus::Invalid));
    assert_eq!(v.identifier.as_deref(), Some(A_DIR));
    assert_eq!(sim.record(A_DIR).unwrap().proof(), ProofStatus::Invalid);
    // For contrast: signed for its own authority, the proof is valid.
    let genuine = signed_directory_response(&[&kb], "agent-b.example.com", sim.now, 3600);
    sim.serve(B_DIR, Route::Respond(genuine));
    let v = sim.verify(&signed(&kb, B_ORIGIN, sim.now), &wba());
    assert_eq!(outcome(&v), (Outcome::Verified, None));
    assert_eq!(v.directory_proof, Some(ProofStatus::Valid));
}

/// §6.7: "Verifiers SHOULD reject responses exceeding a defined byte limit". A host that
/// enforces the fetch rules answers too-large; a body over 64 KiB handed over anyway is
/// refused by the core itself. Either way a discovery failure, not shared.
#[test]
fn oversized_directories_are_refused() {
    let ka = key(1);
    let mut sim = Sim::default();
    let mut big = json_response(&directory_body(&[&ka]), 3600);
    big.body
        .extend(std::iter::repeat_n(b' ', MAX_DIRECTORY_BYTES));
    assert!(big.body.len() > MAX_DIRECTORY_BYTES);
    // The sim, following the rules, answers FetchFailure::TooLarge.
    sim.serve(A_DIR, Route::Respond(big.clone()));
    let v = sim.verify(&signed(&ka, A_ORIGIN, sim.now), &wba());
    assert_eq!(
        outcome(&v),
        (Outcome::Unverified, Some("directory_unavailable"))
    );
    assert_eq!(cause(&v), "fetch_too_large");
    assert_eq!((v.agent, v.identifier), (None, Some(ka.thumbprint())));
    assert_eq!(sim.fetched(A_DIR), 1);
    // A host that hands the whole body over: the core refuses it.
    sim.serve(B_DIR, Route::Raw(big));
    let v = sim.verify(&signed(&ka, B_ORIGIN, sim.now), &wba());
    assert_eq!(
        outcome(&v),
        (Outcome::Unverified, Some("directory_unavailable"))
    );
    assert_eq!(cause(&v), "fetch_too_large");
    assert_eq!(sim.fetched(B_DIR), 1);
    assert!(sim.record(B_DIR).unwrap().keys().is_none());
    assert!(sim.stored.iter().all(|s| !s.shared));
    assert!(sim.shared.is_empty());
}

/// §5.5: "A verifier MUST treat all other HTTP status codes as discovery failures and MUST
/// NOT automatically follow HTTP redirects." The sim reports the 3xx as a redirect failure;
/// a host that hands the 3xx over gets a status failure. The target is never fetched.
#[test]
fn redirects_are_never_followed() {
    let ka = key(1);
    let elsewhere = "https://keys.example.com/jwks.json";
    let mut sim = Sim::default();
    sim.serve_keys(elsewhere, &[&ka], 3600);
    sim.serve(
        A_DIR,
        Route::Respond(sim::status_response(302, Some(elsewhere))),
    );
    let v = sim.verify(&signed(&ka, A_ORIGIN, sim.now), &wba());
    assert_eq!(
        outcome(&v),
        (Outcome::Unverified, Some("directory_unavailable"))
    );
    assert_eq!(cause(&v), "fetch_redirect_refused");
    assert_eq!((v.agent, v.identifier), (None, Some(ka.thumbprint())));
    assert_eq!(sim.fetched(A_DIR), 1);
    sim.serve(
        B_DIR,
        Route::Raw(sim::status_response(301, Some(elsewhere))),
    );
    let v = sim.verify(&signed(&ka, B_ORIGIN, sim.now), &wba());
    assert_eq!(cause(&v), "fetch_status");
    assert_eq!(sim.fetched(elsewhere), 0);
    assert!(sim.shared.is_empty());
}

/// §6.7 ("apply a wall-clock timeout"): a fetch that times out is a discovery failure; the
/// signature is unverified and the failure stays in memory.
#[test]
fn a_timeout_is_a_discovery_failure() {
    let ka = key(1);
    let mut sim = Sim::default();
    sim.serve(
        A_DIR,
        Route::Fail(FetchFailure::Timeout {
            ms: FETCH_TIMEOUT_MS,
        }),
    );
    let v = sim.verify(&signed(&ka, A_ORIGIN, sim.now), &wba());
    assert_eq!(
        outcome(&v),
        (Outcome::Unverified, Some("directory_unavailable"))
    );
    assert_eq!(cause(&v), "fetch_timeout");
    assert_eq!((v.agent, v.identifier), (None, Some(ka.thumbprint())));
    assert_eq!(sim.fetched(A_DIR), 1);
    assert!(!sim.stored[0].shared);
    assert_eq!(
        sim.record(A_DIR).unwrap().cached().last_code.as_deref(),
        Some("fetch_timeout")
    );
    assert!(sim.shared.is_empty());
}

/// Client ID Metadata Documents by reference: a draft -00 member type (`type=cimd`). With
/// draft00Members the document's `jwks_uri` is fetched next, under the same identifier;
/// without it, draft -01 §5.2.1 ignores the member ("A verifier MUST ignore a member that
/// carries parameters").
#[test]
fn client_metadata_by_reference() {
    let ka = key(1);
    let card = "https://agent-a.example.com/client.json";
    let jwks = "https://keys.agent-a.example.com/jwks.json";
    let mut sim = Sim::default();
    let metadata = format!(r#"{{"client_id":"{card}","jwks_uri":"{jwks}"}}"#);
    sim.serve(card, Route::Respond(json_response(&metadata, 3600)));
    sim.serve_keys(jwks, &[&ka], 3600);
    let field = format!("sig1=\"{card}\";type=cimd");
    let v = sim.verify(
        &signed_with_member(&ka, &field, "sig1", sim.now),
        &wba_draft00(),
    );
    assert_eq!(outcome(&v), (Outcome::Verified, None));
    assert_eq!(v.identifier.as_deref(), Some(card));
    assert_eq!((sim.fetched(card), sim.fetched(jwks)), (1, 1));
    let fetches: Vec<&Seen> = sim.seen.iter().filter(|s| is_fetch(s)).collect();
    assert_eq!(
        fetches,
        [
            &Seen::Fetch(card.into(), FetchPurpose::AgentDirectory),
            &Seen::Fetch(jwks.into(), FetchPurpose::ClientMetadataJwks)
        ]
    );
    // One record, under the member's URL.
    assert_eq!(sim.stored.len(), 1);
    assert_eq!(sim.stored[0].key, store_key(card));

    // Draft -01: the member is ignored; nothing is looked up or fetched.
    let mut sim = Sim::default();
    sim.serve(card, Route::Respond(json_response(&metadata, 3600)));
    let v = sim.verify(&signed_with_member(&ka, &field, "sig1", sim.now), &wba());
    assert_eq!(
        outcome(&v),
        (Outcome::Unverified, Some("unusable_signature_agent"))
    );
    assert!(sim.seen.iter().all(|s| !is_lookup(s) && !is_fetch(s)));
}

/// §6.10: "A directory that resolves and does not contain the key is evidence … and
/// replaces it": after a successful refresh without the key, its signatures stop
/// verifying (unknown_key, unverified).
#[test]
fn a_key_removed_on_refresh_stops_verifying() {
    let (k1, k2) = (key(1), key(2));
    let mut sim = Sim::default();
    sim.serve_keys(A_DIR, &[&k1, &k2], 60);
    assert!(
        sim.verify(&signed(&k2, A_ORIGIN, sim.now), &wba())
            .is_verified()
    );
    sim.serve_keys(A_DIR, &[&k1], 60);
    sim.advance(61);
    // Stale: still verifies while the refresh runs.
    assert!(
        sim.verify(&signed(&k2, A_ORIGIN, sim.now), &wba())
            .is_verified()
    );
    assert_eq!(sim.run_refreshes(), 1);
    let v = sim.verify(&signed(&k2, A_ORIGIN, sim.now), &wba());
    assert_eq!(outcome(&v), (Outcome::Unverified, Some("unknown_key")));
    assert_eq!(v.agent, None);
    // The other key still does.
    assert!(
        sim.verify(&signed(&k1, A_ORIGIN, sim.now), &wba())
            .is_verified()
    );
}

/// §5.4: "Key lookup MUST be keyed on the (URL, key) pair, not on the key alone." Agent A's
/// directory, in the store, never verifies a request naming agent B, even for the same
/// `keyid` — nor does a kid label in B's directory that reads like A's key's thumbprint.
#[test]
fn keys_are_looked_up_by_url_and_keyid() {
    let (ka, kb) = (key(1), key(2));
    let mut sim = Sim::default();
    sim.serve_keys(A_DIR, &[&ka], 3600);
    assert!(
        sim.verify(&signed(&ka, A_ORIGIN, sim.now), &wba())
            .is_verified()
    );
    let mut jwk = webbotauth::directory_jwk(&kb);
    jwk.insert("kid".into(), ka.thumbprint().into());
    let b_directory = serde_json::json!({ "keys": [jwk] }).to_string();
    sim.serve(B_DIR, Route::Respond(json_response(&b_directory, 3600)));
    sim.clear_log();
    // Signed by A's key, naming B.
    let v = sim.verify(&signed(&ka, B_ORIGIN, sim.now), &wba());
    assert_eq!(outcome(&v), (Outcome::Unverified, Some("unknown_key")));
    assert_eq!(v.keyid, Some(ka.thumbprint()));
    assert_eq!((v.agent, v.identifier), (None, Some(ka.thumbprint())));
    assert_eq!(sim.seen.iter().filter(|s| is_lookup(s)).count(), 1);
    assert_eq!(sim.seen[0], Seen::Lookup(B_DIR.into()));
    assert_eq!(sim.fetched(A_DIR), 0);
}

/// RFC 9421 §7.2.2 (draft -01 §5.2.3): the same nonce twice is a replay (invalid); a replay
/// store that fails leaves replay not ruled out, so the request is unverified (Appendix
/// C.6: "the verifier should not treat signature validation as evidence that replay was
/// detected or prevented").
#[test]
fn replayed_nonces_and_a_failing_replay_store() {
    let ka = key(1);
    let mut sim = Sim::default();
    sim.serve_keys(A_DIR, &[&ka], 3600);
    let mut msg = page();
    msg.push_header("Signature-Agent", &format!("sig1=\"{A_ORIGIN}\""));
    sign_as(
        &mut msg,
        &ka,
        "sig1",
        &["@authority", &member("sig1")],
        sim.now,
        Some("n-1"),
    );
    assert!(sim.verify(&msg, &wba()).is_verified());
    assert_eq!(sim.nonces.len(), 1);
    let v = sim.verify(&msg, &wba());
    assert_eq!(outcome(&v), (Outcome::Invalid, Some("nonce_replayed")));

    sim.replay_store_down = Some("the Durable Object is unreachable".into());
    let v = sim.verify(&signed(&ka, A_ORIGIN, sim.now), &wba());
    assert_eq!(
        outcome(&v),
        (Outcome::Unverified, Some("replay_check_unavailable"))
    );
    assert!(v.error.unwrap().to_string().contains("unreachable"));
}

/// §4.3 / §6.10: a verifier that holds the key by other means verifies the request, with the
/// thumbprint as the identifier. Keys at hand come first: no directory is looked up, so an
/// agent whose URL would hang holds nothing up.
#[test]
fn a_trusted_key_is_not_held_up_by_its_directory() {
    let ka = key(1);
    let mut sim = Sim::default();
    sim.serve(A_DIR, Route::Hang);
    let trusted = JwkSet::from_keys([ka.to_public()]);
    let msg = signed(&ka, A_ORIGIN, sim.now);
    let setup = sim.setup(wba()).known(&trusted);
    let v = sim.run(&msg, setup);
    assert_eq!(outcome(&v), (Outcome::Verified, None));
    assert_eq!(v.identifier, Some(ka.thumbprint()));
    assert_eq!((v.agent, v.directory_proof), (None, None));
    assert_eq!(sim.seen, [Seen::Check, Seen::Nonce]);
}

/// Appendix C.3 (bounded directory fetches): a request resolves at most
/// MAX_DIRECTORIES_PER_REQUEST distinct directories; the fifth agent is neither looked up
/// nor fetched, although its directory would verify its signature.
#[test]
fn too_many_directories() {
    let keys: Vec<Key> = (1..=5).map(key).collect();
    let stranger = key(9);
    let origin = |i: usize| format!("https://agent-{i}.example.com");
    let dir = |i: usize| {
        format!(
            "{}/.well-known/http-message-signatures-directory",
            origin(i)
        )
    };
    let mut sim = Sim::default();
    let mut msg = page();
    let members: Vec<String> = (1..=5).map(|i| format!("s{i}=\"{}\"", origin(i))).collect();
    msg.push_header("Signature-Agent", &members.join(", "));
    for (i, k) in keys.iter().enumerate() {
        let label = format!("s{}", i + 1);
        sign_as(
            &mut msg,
            k,
            &label,
            &["@authority", &member(&label)],
            sim.now,
            None,
        );
        // The first four directories do not list their signer's key; the fifth does.
        let listed = if i < 4 { &stranger } else { k };
        sim.serve_keys(&dir(i + 1), &[listed], 3600);
    }
    let v = sim.verify(&msg, &wba());
    assert_eq!(v.verdict, Outcome::Unverified);
    // The verdict is about the first signature (no signature verified; §"Verifier Outcomes":
    // the first unverifiable one is reported).
    assert_eq!(
        (v.label.as_deref(), v.error_code()),
        (Some("s1"), Some("unknown_key"))
    );
    assert_eq!(sim.total_fetches(), MAX_DIRECTORIES_PER_REQUEST);
    assert_eq!(sim.count(is_lookup), MAX_DIRECTORIES_PER_REQUEST);
    assert_eq!(sim.fetched(&dir(5)), 0);
    assert!(sim.seen.iter().all(|s| *s != Seen::Lookup(dir(5))));
    // The fifth signature alone needs one directory, and verifies.
    let mut alone = wba();
    alone.label = Some("s5".into());
    assert!(sim.verify(&msg, &alone).is_verified());
}

/// A host that never answers a step: the job waits, the host gives up, and the verdict is
/// unverified with host_answer_missing — nothing is decided on a missing answer.
#[test]
fn a_missing_answer_is_reported() {
    let ka = key(1);
    let msg = signed(&ka, A_ORIGIN, 1_800_000_000);
    let setup = VerifySetup::new(wba(), 1_800_000_000).directories(DirectoryAccess::Fetch);
    let mut job = VerifyJob::new(msg, setup);
    let lookup = match job.next() {
        Step::Lookup(l) => l.id,
        other => panic!("{other:?}"),
    };
    // The host takes the lookup and drops it.
    assert!(matches!(job.next(), Step::Wait));
    assert!(matches!(job.next(), Step::Wait));
    job.abandon();
    assert!(matches!(job.next(), Step::Done));
    let v = job.verdict().unwrap();
    assert_eq!(
        outcome(v),
        (Outcome::Unverified, Some("host_answer_missing"))
    );
    assert_eq!(v.label.as_deref(), Some("sig1"));
    assert_eq!(
        (v.agent.clone(), v.identifier.clone()),
        (None, Some(ka.thumbprint()))
    );
    assert!(
        v.error
            .as_ref()
            .unwrap()
            .to_string()
            .contains(&lookup.to_string())
    );
    // A late answer is refused: the job is over.
    assert_eq!(
        job.answer(Answer::Lookup {
            id: lookup,
            record: None
        }),
        Err(AnswerError::NotWaiting(lookup))
    );
    // drive::run meets a Wait with nothing of its own outstanding (a step taken before it
    // was called, and dropped): it abandons the job rather than guess.
    let mut sim = Sim::default();
    let msg = signed(&ka, A_ORIGIN, sim.now);
    let mut job = VerifyJob::new(msg, sim.setup(wba()));
    assert!(matches!(job.next(), Step::Lookup(_)));
    let v = drive::run(&mut job, &mut sim);
    assert_eq!(
        outcome(&v),
        (Outcome::Unverified, Some("host_answer_missing"))
    );
    assert!(sim.seen.is_empty(), "nothing was asked of the host");
}

/// RFC 9530 `Content-Digest` with the body streamed by the host (`Step::Digest`): asked only
/// once the signature bytes verified (a forged request never makes the host read a body),
/// matching digests pass, others fail.
#[test]
fn body_digests_through_the_digest_step() {
    let ka = key(1);
    let body = b"{\"order\": 42}".repeat(300);
    let mut sim = Sim::default();
    sim.serve_keys(A_DIR, &[&ka], 3600);
    let request = |sim: &Sim, digest: &str| {
        let mut msg = page().with_body(body.clone());
        let opts = SignOptions {
            profile: Some("web-bot-auth".into()),
            signature_agent: Some(A_ORIGIN.into()),
            content_digest: Some(digest.into()),
            ..SignOptions::default()
        };
        sign_request(&mut msg, &ka, &opts, sim.now, &randomness()).unwrap();
        // The host streams the body; the message does not carry it.
        msg.body = None;
        msg
    };
    sim.body = Some(body.clone());
    for digest in ["sha-256", "sha-512"] {
        sim.clear_log();
        let v = sim.verify(&request(&sim, digest), &wba());
        assert_eq!(outcome(&v), (Outcome::Verified, None), "{digest}");
        let checked = sim.seen.iter().position(|s| *s == Seen::Check).unwrap();
        let digested = sim.seen.iter().position(|s| *s == Seen::Digest).unwrap();
        assert!(checked < digested, "{:?}", sim.seen);
        assert_eq!(sim.count(|s| *s == Seen::Digest), 1);
    }
    // Another body than the signed one.
    sim.body = Some(b"{\"order\": 43}".to_vec());
    let v = sim.verify(&request(&sim, "sha-256"), &wba());
    assert_eq!(
        outcome(&v),
        (Outcome::Invalid, Some("content_digest_mismatch"))
    );
    // A body larger than the host may read for a digest: refused, not guessed.
    sim.body = Some(body.clone());
    let msg = request(&sim, "sha-256");
    let mut setup = sim.setup(wba());
    setup.max_body_bytes = body.len() - 1;
    let v = sim.run(&msg, setup);
    assert_eq!(outcome(&v), (Outcome::Invalid, Some("limit_exceeded")));
    // A bad signature never asks for the body.
    sim.body = Some(body.clone());
    let mut forged = request(&sim, "sha-256");
    forged.remove_header("signature");
    forged.push_header(
        "Signature",
        &format!("sig1=:{}:", httpseal::b64::encode(&[1; 64])),
    );
    sim.clear_log();
    let v = sim.verify(&forged, &wba());
    assert_eq!(outcome(&v), (Outcome::Invalid, Some("invalid_signature")));
    assert_eq!(sim.count(|s| *s == Seen::Digest), 0);
}

/// §6.8: "Verifiers SHOULD reject known test keys when they are detected in key directories
/// or out-of-band configuration." The RFC 9421 B.1.4 key, which every Web Bot Auth example
/// uses, is refused with a message that says how to accept it; `allow_test_keys` accepts it.
#[test]
fn published_test_keys_are_refused_by_default() {
    let test_key = rfc_key("test-key-ed25519");
    let mut sim = Sim::default();
    sim.serve_keys(A_DIR, &[&test_key], 3600);
    let v = sim.verify(&signed(&test_key, A_ORIGIN, sim.now), &wba());
    assert_eq!(outcome(&v), (Outcome::Invalid, Some("test_key")));
    let error = v.error.unwrap();
    assert_eq!(error.rule(), Some("allowTestKeys"));
    let message = error.to_string();
    assert!(
        message.contains("RFC 9421 B.1.4") && message.contains("allowTestKeys"),
        "{message}"
    );
    let allowing = Policy {
        allow_test_keys: true,
        ..wba()
    };
    let v = sim.verify(&signed(&test_key, A_ORIGIN, sim.now), &allowing);
    assert_eq!(outcome(&v), (Outcome::Verified, None));
}

/// §5.2.2: "A signer that covers `"signature";key=X` MUST also cover
/// `"signature-input";key=X`, and MUST cover every component identifier listed in
/// `"signature-input";key=X`" (and X's `Signature-Agent` member): the web-bot-auth profile
/// refuses an outer signature that covers less (incomplete_coverage).
#[test]
fn nested_signatures_must_cover_the_inner_one() {
    let (ka, kb) = (key(1), key(2));
    let mut sim = Sim::default();
    sim.serve_keys(A_DIR, &[&ka], 3600);
    let mut outer_only = wba();
    outer_only.label = Some("outer".into());
    let now = sim.now;
    let nested = |outer: &[&str]| {
        let mut msg = page();
        msg.push_header(
            "Signature-Agent",
            &format!("inner=\"{B_ORIGIN}\", outer=\"{A_ORIGIN}\""),
        );
        sign_as(
            &mut msg,
            &kb,
            "inner",
            &["@authority", &member("inner")],
            now,
            None,
        );
        let mut components = vec!["@authority", "signature;key=\"inner\""];
        components.extend_from_slice(outer);
        sign_as(&mut msg, &ka, "outer", &components, now, None);
        msg
    };
    let outer_member = member("outer");
    let incomplete = [
        // Not the inner signature's parameters.
        vec![outer_member.as_str()],
        // Not the inner signature's Signature-Agent member.
        vec![outer_member.as_str(), "signature-input;key=\"inner\""],
    ];
    for outer in incomplete {
        let v = sim.verify(&nested(&outer), &outer_only);
        assert_eq!(
            outcome(&v),
            (Outcome::Invalid, Some("incomplete_coverage")),
            "{outer:?}"
        );
        assert_eq!(v.error.unwrap().rule(), Some("nestedCoverage"));
    }
    let complete = [
        outer_member.as_str(),
        "signature-input;key=\"inner\"",
        "signature-agent;key=\"inner\"",
    ];
    let v = sim.verify(&nested(&complete), &outer_only);
    assert_eq!(outcome(&v), (Outcome::Verified, None));
    assert_eq!(v.label.as_deref(), Some("outer"));
}

/// §5.5: "Identifiers are compared after normalization as described in Section 6.2.2 of URI
/// and Section 6.2.3 of URI": two spellings of one JWK Set URL are one identifier, and the
/// verifier keeps one record for it.
#[test]
fn two_spellings_of_one_jwk_set_url_are_one_identifier() {
    let ka = key(1);
    let plain = "https://agent-a.example.com/keys/jwks.json";
    let spelled = "https://Agent-A.Example.com:443/keys/./%6Aw%6Bs.json";
    let mut sim = Sim::default();
    sim.serve_keys(plain, &[&ka], 3600);
    sim.serve_keys(spelled, &[&ka], 3600);
    let first = sim.verify(&signed(&ka, plain, sim.now), &wba());
    let second = sim.verify(&signed(&ka, spelled, sim.now), &wba());
    assert!(first.is_verified() && second.is_verified());
    assert_eq!(first.identifier.as_deref(), Some(plain));
    assert_eq!(second.identifier, first.identifier);
    assert_eq!(second.agent, first.agent);
    assert_eq!(sim.total_fetches(), 1, "{:?}", sim.fetches);
    assert_eq!(sim.memory.len(), 1);
}

/// §5.2.1: "Dictionary members MUST NOT carry parameters. A verifier MUST ignore a member
/// that carries parameters." Such a signature names no usable member: unverified, and no
/// directory is looked up. With draft00Members, draft -00's `type=directory` works.
#[test]
fn members_with_parameters_are_ignored() {
    let ka = key(1);
    let mut sim = Sim::default();
    sim.serve_keys(A_DIR, &[&ka], 3600);
    for field in [
        format!("sig1=\"{A_ORIGIN}\";type=directory"),
        format!("sig1=\"{A_ORIGIN}\";foo=1"),
    ] {
        sim.clear_log();
        let v = sim.verify(&signed_with_member(&ka, &field, "sig1", sim.now), &wba());
        assert_eq!(
            outcome(&v),
            (Outcome::Unverified, Some("unusable_signature_agent")),
            "{field}"
        );
        assert!(v.error.unwrap().to_string().contains("§5.2.1"));
        assert!(sim.seen.iter().all(|s| !is_lookup(s) && !is_fetch(s)));
    }
    let typed = format!("sig1=\"{A_ORIGIN}\";type=directory");
    let msg = signed_with_member(&ka, &typed, "sig1", sim.now);
    assert!(sim.verify(&msg, &wba_draft00()).is_verified());
    let other = format!("sig1=\"{A_ORIGIN}\";foo=1");
    let msg = signed_with_member(&ka, &other, "sig1", sim.now);
    assert_eq!(
        sim.verify(&msg, &wba_draft00()).error_code(),
        Some("unusable_signature_agent")
    );
}

/// §5.5.1 asks for a JWK Set; Shopify serves a single bare JWK. It is read as a one-key
/// directory (a compatibility rule).
#[test]
fn a_bare_jwk_is_a_one_key_directory() {
    let ka = key(1);
    let url = "https://agent-a.example.com/jwk.json";
    let bare = serde_json::Value::Object(webbotauth::directory_jwk(&ka)).to_string();
    let mut sim = Sim::default();
    sim.serve(url, Route::Respond(json_response(&bare, 3600)));
    let v = sim.verify(&signed(&ka, url, sim.now), &wba());
    assert_eq!(outcome(&v), (Outcome::Verified, None));
    assert_eq!(v.identifier.as_deref(), Some(url));
    // The record keeps it; the next request reads it from the store.
    assert_eq!(sim.record(url).unwrap().keys().unwrap().keys().len(), 1);
}

/// §5.5: at a JWK Set URL, "`kid` is an operator-chosen label. A verifier that cannot match
/// `keyid` against `kid` there computes thumbprints instead." A directory whose `kid` is a
/// label still verifies, by thumbprint (before -01 httpseal dropped such keys).
#[test]
fn kid_labels_are_matched_by_thumbprint() {
    let ka = key(1);
    let mut jwk = webbotauth::directory_jwk(&ka);
    jwk.insert("kid".into(), "prod-2026-11".into());
    let body = serde_json::json!({ "keys": [jwk] }).to_string();
    let mut sim = Sim::default();
    sim.serve(A_DIR, Route::Respond(json_response(&body, 3600)));
    let v = sim.verify(&signed(&ka, A_ORIGIN, sim.now), &wba());
    assert_eq!(outcome(&v), (Outcome::Verified, None));
    assert_eq!(v.keyid, Some(ka.thumbprint()));
    // The label itself never selects the key: a signature naming it is refused by the
    // profile (keyid must be the thumbprint) and is not found in the directory.
    let mut msg = page();
    let opts = SignOptions {
        profile: Some("web-bot-auth".into()),
        signature_agent: Some(A_ORIGIN.into()),
        keyid: Some("prod-2026-11".into()),
        ..SignOptions::default()
    };
    sign_request(&mut msg, &ka, &opts, sim.now, &randomness()).unwrap();
    let v = sim.verify(&msg, &wba());
    assert_eq!(outcome(&v), (Outcome::Unverified, Some("unknown_key")));
}
