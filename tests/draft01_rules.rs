//! Draft -01 rules that `tests/job_scenarios.rs` does not cover yet, through the verifier
//! job and the simulated network (`tests/common/sim.rs`): the legacy `Signature-Agent`
//! string, HMAC under Web Bot Auth, a directory-response proof from the future, and the
//! identifier of a key known by other means.
//!
//! Covered there already, so not repeated here: a failed discovery never evicts a cached
//! record (`stale_on_error_keeps_the_keys_and_backs_off`) while a directory that resolves
//! without the key replaces it (`a_key_removed_on_refresh_stops_verifying`); a trusted key
//! is not held up by its directory (`a_trusted_key_is_not_held_up_by_its_directory`).
//!
//! Section numbers are those of draft-ietf-webbotauth-httpsig-protocol-01
//! (`docs/specs/draft-ietf-webbotauth-httpsig-protocol-01.md`).

#[path = "common/sim.rs"]
mod sim;

use httpseal::api::{SignOptions, SignRandomness, sign_request};
use httpseal::webbotauth::{self, ProofStatus};
use httpseal::{HttpMessage, JwkSet, Key, Outcome, Policy, Profile};
use sim::{Route, Seen, Sim};
use sim::{key, outcome, wba};

const A_ORIGIN: &str = "https://agent-a.example.com";
const A_DIR: &str = "https://agent-a.example.com/.well-known/http-message-signatures-directory";

fn page() -> HttpMessage {
    HttpMessage::request("GET", "https://origin.example.com/page").unwrap()
}

/// Adds a Web Bot Auth signature labelled `label` over `components` (the core's signer: a
/// 60 s lifetime, a nonce, `keyid` the thumbprint, `tag="web-bot-auth"`).
fn sign_as(msg: &mut HttpMessage, key: &Key, label: &str, components: &[&str], now: u64) {
    let opts = SignOptions {
        profile: Some("web-bot-auth".into()),
        label: Some(label.into()),
        components: Some(components.iter().map(|c| c.to_string()).collect()),
        ..SignOptions::default()
    };
    let random = SignRandomness {
        nonce: [label.len() as u8 + key.thumbprint().as_bytes()[0]; 64],
        seed: [0; 32],
    };
    sign_request(msg, key, &opts, now, &random).unwrap();
}

/// §5.2.1: "Earlier versions … defined `Signature-Agent` as a bare String … A verifier MAY
/// accept that form and treat it as a dictionary with a single member whose key is the
/// label of the signature covering it." httpseal takes the MAY (ChatGPT and Shopify send
/// only this form): the string is the member of whichever signature covers it, whatever
/// its label — here `mine`, and two signatures `s1`, `s2` both naming it — when covered as
/// the whole field (`"signature-agent"`). The value is not a Dictionary, so
/// `"signature-agent";key="mine"` cannot be computed (RFC 9421 §2.1.2) and names no member:
/// invalid. The field present but not covered: invalid (§5.2.1 "Its member … MUST be
/// signed as a component").
#[test]
fn the_legacy_string_is_the_covering_signatures_member() {
    let (k1, k2) = (key(1), key(2));
    let mut sim = Sim::default();
    sim.serve_keys(A_DIR, &[&k1, &k2], 3600);
    let legacy = format!("\"{A_ORIGIN}\"");

    let mut msg = page();
    msg.push_header("Signature-Agent", &legacy);
    sign_as(
        &mut msg,
        &k1,
        "mine",
        &["@authority", "signature-agent"],
        sim.now,
    );
    let v = sim.verify(&msg, &wba());
    assert_eq!(outcome(&v), (Outcome::Verified, None));
    assert_eq!(v.label.as_deref(), Some("mine"));
    assert_eq!(v.identifier.as_deref(), Some(A_DIR));

    // Two labels, one string: each signature reads it as its own member.
    let mut msg = page();
    msg.push_header("Signature-Agent", &legacy);
    sign_as(
        &mut msg,
        &k1,
        "s1",
        &["@authority", "signature-agent"],
        sim.now,
    );
    sign_as(
        &mut msg,
        &k2,
        "s2",
        &["@authority", "signature-agent"],
        sim.now,
    );
    for label in ["s1", "s2"] {
        let only = Policy {
            label: Some(label.into()),
            ..wba()
        };
        let v = sim.verify(&msg, &only);
        assert_eq!(outcome(&v), (Outcome::Verified, None), "{label}");
        assert_eq!(v.agent.as_deref(), Some(A_DIR), "{label}");
    }
    assert_eq!(sim.fetched(A_DIR), 1);

    // Covered as a Dictionary member: the string has none. (Signed over a Dictionary
    // field, then sent with the string: the core's signer cannot build that base either.)
    let mut dictionary = page();
    dictionary.push_header("Signature-Agent", &format!("mine={legacy}"));
    sign_as(
        &mut dictionary,
        &k1,
        "mine",
        &["@authority", "signature-agent;key=\"mine\""],
        sim.now,
    );
    let mut msg = page();
    msg.push_header("Signature-Agent", &legacy);
    for name in ["Signature-Input", "Signature"] {
        msg.push_header(name, dictionary.header(name).unwrap());
    }
    let v = sim.verify(&msg, &wba());
    assert_eq!(
        outcome(&v),
        (Outcome::Invalid, Some("dictionary_key_not_found"))
    );

    // Present and not covered.
    let mut msg = page();
    msg.push_header("Signature-Agent", &legacy);
    sign_as(&mut msg, &k1, "mine", &["@authority"], sim.now);
    let v = sim.verify(&msg, &wba());
    assert_eq!(
        outcome(&v),
        (Outcome::Invalid, Some("missing_required_component"))
    );
    assert!(v.error.unwrap().to_string().contains("signature-agent"));
}

/// §6.4: "Implementations MUST NOT use shared HMAC defined in Section 3.3.3 of
/// HTTP-MESSAGE-SIGNATURES." A request signed with `hmac-sha256` under a key the verifier
/// holds (a directory can never hold one: `oct` keys are skipped) is refused by the
/// web-bot-auth profile's algorithm list: `algorithm_not_allowed`, rule `algorithms`. The
/// same request verifies under the plain RFC 9421 profile, so the refusal is the profile's.
#[cfg(feature = "hmac")]
#[test]
fn hmac_is_refused_under_web_bot_auth() {
    let secret = Key::hmac(&[0x5e; 32]).unwrap();
    let sim_now = 1_800_000_000;
    let mut msg = page();
    let opts = SignOptions {
        tag: Some("web-bot-auth".into()),
        components: Some(vec!["@authority".into()]),
        keyid: Some(secret.thumbprint()),
        ttl: Some(60),
        ..SignOptions::default()
    };
    let random = SignRandomness {
        nonce: [1; 64],
        seed: [0; 32],
    };
    sign_request(&mut msg, &secret, &opts, sim_now, &random).unwrap();
    assert!(
        msg.header("signature-input")
            .unwrap()
            .contains("alg=\"hmac-sha256\"")
    );
    let held = JwkSet::from_keys([secret]);
    let mut sim = Sim::at(sim_now);
    let setup = sim.setup(wba()).known(&held);
    let v = sim.run(&msg, setup);
    assert_eq!(
        outcome(&v),
        (Outcome::Invalid, Some("algorithm_not_allowed"))
    );
    assert_eq!(
        v.error.as_ref().and_then(httpseal::Error::rule),
        Some("algorithms")
    );
    assert!(v.error.unwrap().to_string().contains("hmac-sha256"));
    let setup = sim.setup(Profile::Rfc9421.policy()).known(&held);
    assert!(sim.run(&msg, setup).is_verified());
}

/// Appendix B.1: "A verifier MUST reject a directory response signature whose `created` is
/// in the future" — the proof is invalid — and "A verifier MAY use a key obtained by
/// resolving the directory itself whether or not it has valid proof": the keys still
/// verify, with `directoryProof: invalid` (no domain binding). A proof made within the
/// clock skew the profile tolerates (60 s) is not "in the future".
#[test]
fn a_directory_proof_from_the_future_is_invalid_and_the_keys_still_serve() {
    let ka = key(1);
    let mut sim = Sim::default();
    let now = sim.now;
    let signed = |created: u64| {
        let d = webbotauth::sign_directory(
            std::slice::from_ref(&ka),
            "agent-a.example.com",
            created,
            created + 3600,
            &[0; 32],
        )
        .unwrap();
        let mut headers = d.headers;
        headers.push(("Cache-Control".into(), "max-age=3600".into()));
        httpseal::fetch::FetchedResponse {
            status: 200,
            headers,
            body: d.body.into_bytes(),
        }
    };
    let mut msg = page();
    let opts = SignOptions {
        profile: Some("web-bot-auth".into()),
        signature_agent: Some(A_ORIGIN.into()),
        ..SignOptions::default()
    };
    let random = SignRandomness {
        nonce: [2; 64],
        seed: [0; 32],
    };
    sign_request(&mut msg, &ka, &opts, now, &random).unwrap();

    sim.serve(A_DIR, Route::Respond(signed(now + 3600)));
    let mut setup = sim.setup(wba());
    setup.nonces = false;
    let v = sim.run(&msg, setup);
    assert_eq!(outcome(&v), (Outcome::Verified, None));
    assert_eq!(v.directory_proof, Some(ProofStatus::Invalid));
    assert_eq!(sim.record(A_DIR).unwrap().proof(), ProofStatus::Invalid);
    assert!(
        sim.record(A_DIR).unwrap().keys().is_some(),
        "the keys are kept"
    );

    let mut sim = Sim::at(now);
    sim.serve(A_DIR, Route::Respond(signed(now + 30)));
    let mut setup = sim.setup(wba());
    setup.nonces = false;
    let v = sim.run(&msg, setup);
    assert_eq!(v.directory_proof, Some(ProofStatus::Valid));
}

/// §4.3 and §6.10: a verifier that holds the key by other means "verifies the request,
/// and attributes it no further than the holder of that key … in which case the
/// identifier is the thumbprint". With no `Signature-Agent` (a request that names no URL),
/// and with a key whose `kid` is an operator's label: the identifier is the key's JWK
/// thumbprint (RFC 7638) — never the label — and no agent is named, no directory proof
/// reported, nothing looked up.
#[test]
fn a_key_known_by_other_means_is_identified_by_its_thumbprint() {
    let ka = key(1);
    let held = JwkSet::from_keys([ka.to_public().with_kid("partner-key-2026")]);
    let mut sim = Sim::default();
    let mut msg = page();
    sign_as(&mut msg, &ka, "sig1", &["@authority"], sim.now);
    assert!(msg.header("signature-agent").is_none());
    let setup = sim.setup(wba()).known(&held);
    let v = sim.run(&msg, setup);
    assert_eq!(outcome(&v), (Outcome::Verified, None));
    assert_eq!(v.identifier, Some(ka.thumbprint()));
    assert_eq!((v.agent, v.directory_proof), (None, None));
    assert_eq!(sim.seen, [Seen::Check, Seen::Nonce]);
    // Without the key: unverified, the identifier the keyid the signature claims.
    let v = sim.verify(&msg, &wba());
    assert_eq!(outcome(&v), (Outcome::Unverified, Some("unknown_key")));
    assert_eq!(v.identifier, Some(ka.thumbprint()));
}
