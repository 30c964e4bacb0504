//! The verdict says who and why: the JSON verdict (`Verdict::to_json`, what `POST /verify`,
//! the npm package and the CLI print) and the verdict header
//! (`httpseal::verify::header_value`, what the Worker and the npm middleware hand the
//! origin) carry the identifier — the agent URL, or a key's thumbprint — and, for a
//! refusal, the error code and `error.rule`, the policy setting that refused it. Driven
//! through the verifier job and the simulated host (`tests/common/sim.rs`).
//!
//! Section numbers are those of draft-ietf-webbotauth-httpsig-protocol-01
//! (`docs/specs/draft-ietf-webbotauth-httpsig-protocol-01.md`).

mod common;
#[path = "common/sim.rs"]
mod sim;

use common::vector_text;
use httpseal::api::{SignOptions, SignRandomness, sign_request};
use httpseal::verify::header_value;
use httpseal::{HttpMessage, JwkSet, Key, Outcome, Profile, Verdict, parse_jwk};
use serde_json::Value;
use sim::Sim;
use sim::{key, wba};

const A_ORIGIN: &str = "https://agent-a.example.com";
const A_DIR: &str = "https://agent-a.example.com/.well-known/http-message-signatures-directory";

/// The verdict as JSON.
fn json_of(v: &Verdict) -> Value {
    serde_json::from_str(&v.to_json()).unwrap()
}

/// The verdict header's parameters, in order (`name=value`, values unquoted).
fn header_params(v: &Verdict) -> Vec<(String, String)> {
    let header = header_value(v);
    let mut parts = header.split(';');
    assert_eq!(parts.next(), Some(v.verdict.as_str()), "{header}");
    parts
        .map(|p| {
            let (n, value) = p.split_once('=').unwrap();
            (n.to_string(), value.trim_matches('"').to_string())
        })
        .collect()
}

fn param(v: &Verdict, name: &str) -> Option<String> {
    header_params(v)
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, value)| value)
}

/// A GET signed at `now` by `key` under `opts` (the core's signer, one nonce per `n`).
fn signed(key: &Key, opts: SignOptions, now: u64, n: u8) -> HttpMessage {
    let mut msg = HttpMessage::request("GET", "https://origin.example.com/page").unwrap();
    let random = SignRandomness {
        nonce: [n; 64],
        seed: [0; 32],
    };
    sign_request(&mut msg, key, &opts, now, &random).unwrap();
    msg
}

fn wba_opts(agent: Option<&str>) -> SignOptions {
    SignOptions {
        profile: Some("web-bot-auth".into()),
        signature_agent: agent.map(Into::into),
        ..SignOptions::default()
    }
}

/// §4.1 ("The identifier is the URL the verifier fetched") and §4.3 ("the identifier is
/// then the `keyid` thumbprint"): a verified verdict names its identifier in the JSON and
/// in the header — the directory URL for a key resolved from `Signature-Agent` (with
/// `agent` and `directoryProof`), the key's JWK thumbprint for a key the verifier holds
/// (no `agent`). No error, no rule.
#[test]
fn verified_verdicts_name_their_identifier() {
    let ka = key(1);
    let mut sim = Sim::default();
    sim.serve_keys(A_DIR, &[&ka], 3600);
    let v = sim.verify(&signed(&ka, wba_opts(Some(A_ORIGIN)), sim.now, 1), &wba());
    assert_eq!(v.verdict, Outcome::Verified);
    let j = json_of(&v);
    assert_eq!(j["identifier"], A_DIR);
    assert_eq!(j["agent"], A_DIR);
    assert_eq!(j["directoryProof"], "absent");
    assert_eq!(j["error"], Value::Null);
    assert_eq!(param(&v, "identifier").as_deref(), Some(A_DIR));
    assert_eq!(param(&v, "agent").as_deref(), Some(A_DIR));
    assert_eq!((param(&v, "error"), param(&v, "rule")), (None, None));

    let held = JwkSet::from_keys([ka.to_public().with_kid("partner-label")]);
    let msg = signed(&ka, wba_opts(None), sim.now, 2);
    let setup = sim.setup(wba()).known(&held);
    let v = sim.run(&msg, setup);
    assert_eq!(v.verdict, Outcome::Verified);
    let j = json_of(&v);
    assert_eq!(j["identifier"], ka.thumbprint().as_str());
    assert_eq!(
        (&j["agent"], &j["directoryProof"]),
        (&Value::Null, &Value::Null)
    );
    assert_eq!(param(&v, "identifier"), Some(ka.thumbprint()));
    assert_eq!(param(&v, "agent"), None);
}

/// One refusal per rule, each in the JSON (`error.code`, `error.rule`, `error.message`) and
/// the header (`error`, `rule`), with its identifier:
/// - `maxLifetime`: a two-day signature (§5.2 recommends at most 24 h; the profile caps it);
/// - `tag`: a Visa TAP `sig2` tagged `web-bot-auth` (the profile asks for `sig2` by label);
/// - `requireNonce`: a TAP signature without a nonce;
/// - `allowTestKeys`: the RFC 9421 B.1.4 key, published in a directory (§6.8);
/// - `nonce`: the same signature twice (RFC 9421 §7.2.2).
///
/// A signature refused before its bytes verified names no URL (§4.1: the URL becomes an
/// identifier once "it provides a key that verifies the request"): its identifier is the
/// `keyid` it claims. A replayed one verified, so it keeps the agent's URL: the refusal is
/// the replay policy's, not a doubt about who signed.
#[test]
fn refusals_name_the_rule_that_refused() {
    let ka = key(1);
    let mut sim = Sim::default();
    let now = sim.now;
    sim.serve_keys(A_DIR, &[&ka], 3600);
    let mut cases: Vec<(&str, Verdict, &str, &str, String)> = Vec::new();

    let long = SignOptions {
        ttl: Some(2 * 86_400),
        ..wba_opts(Some(A_ORIGIN))
    };
    let v = sim.verify(&signed(&ka, long, now, 3), &wba());
    cases.push((
        "maxLifetime",
        v,
        "lifetime_too_long",
        "172800",
        ka.thumbprint(),
    ));

    let tap = |tag: &str, nonce: Option<bool>| SignOptions {
        label: Some("sig2".into()),
        components: Some(vec!["@authority".into(), "@path".into()]),
        tag: Some(tag.into()),
        keyid: Some("primary-ed25519".into()),
        ttl: Some(480),
        nonce: nonce.map(Value::Bool),
        ..SignOptions::default()
    };
    let registry = JwkSet::from_keys([ka.to_public().with_kid("primary-ed25519")]);
    // Refused before any key is chosen, the identifier is the claimed `keyid` (the
    // registry's label); once the held key is chosen, its thumbprint (§4.3).
    let cases_tap = [
        (
            tap("web-bot-auth", Some(true)),
            "tag",
            "tag_mismatch",
            "agent-browser-auth",
            "primary-ed25519".to_string(),
        ),
        (
            tap("agent-browser-auth", None),
            "requireNonce",
            "nonce_required",
            "nonce",
            ka.thumbprint(),
        ),
    ];
    for (opts, rule, code, says, identifier) in cases_tap {
        let msg = signed(&ka, opts, now, 4);
        let setup = sim.setup(Profile::VisaTap.policy()).known(&registry);
        let v = sim.run(&msg, setup);
        cases.push((rule, v, code, says, identifier));
    }

    let b14 = parse_jwk(&vector_text("rfc9421/keys/test-key-ed25519.jwk.json")).unwrap();
    let test_dir = "https://test-agent.example.com/.well-known/http-message-signatures-directory";
    sim.serve_keys(test_dir, &[&b14], 3600);
    let msg = signed(
        &b14,
        wba_opts(Some("https://test-agent.example.com")),
        now,
        5,
    );
    let v = sim.verify(&msg, &wba());
    cases.push(("allowTestKeys", v, "test_key", "B.1.4", b14.thumbprint()));

    let msg = signed(&ka, wba_opts(Some(A_ORIGIN)), now, 6);
    assert!(sim.verify(&msg, &wba()).is_verified());
    let v = sim.verify(&msg, &wba());
    cases.push(("nonce", v, "nonce_replayed", "already used", A_DIR.into()));

    for (rule, v, code, says, identifier) in cases {
        assert_eq!(v.verdict, Outcome::Invalid, "{rule}");
        let j = json_of(&v);
        assert_eq!(j["error"]["code"], code, "{rule}");
        assert_eq!(j["error"]["rule"], rule, "{code}");
        let message = j["error"]["message"].as_str().unwrap();
        assert!(message.contains(says), "{rule}: {message}");
        assert_eq!(j["identifier"], identifier.as_str(), "{rule}");
        assert_eq!(param(&v, "error").as_deref(), Some(code), "{rule}");
        assert_eq!(param(&v, "rule").as_deref(), Some(rule), "{code}");
        assert_eq!(param(&v, "identifier"), Some(identifier.clone()), "{rule}");
        let attributed = identifier.starts_with("https://");
        assert_eq!(param(&v, "agent").is_some(), attributed, "{rule}");
    }
}

/// A forged signature naming a key the agent's directory lists (anyone can copy the
/// public `keyid`): `invalid_signature` — not a policy setting, so no `rule` — and no URL:
/// no `agent`, no `directoryProof`, the identifier the `keyid` claimed, in the JSON and in
/// the header (§4.1: "Until then, verifiers MUST NOT attach policy to it").
#[test]
fn a_forged_signature_names_no_url() {
    let ka = key(1);
    let mut sim = Sim::default();
    sim.serve_keys(A_DIR, &[&ka], 3600);
    let mut msg = signed(&ka, wba_opts(Some(A_ORIGIN)), sim.now, 7);
    msg.remove_header("signature");
    msg.push_header(
        "Signature",
        &format!("sig1=:{}:", httpseal::b64::encode(&[1; 64])),
    );
    let v = sim.verify(&msg, &wba());
    assert_eq!(
        (v.verdict, v.error_code()),
        (Outcome::Invalid, Some("invalid_signature"))
    );
    assert_eq!(
        sim.fetched(A_DIR),
        1,
        "the key was looked up in the directory"
    );
    let j = json_of(&v);
    assert_eq!(j["error"].get("rule"), None);
    assert_eq!(j["identifier"], ka.thumbprint().as_str());
    assert_eq!(
        (&j["agent"], &j["directoryProof"]),
        (&Value::Null, &Value::Null)
    );
    assert_eq!(
        header_params(&v),
        [
            ("label", "sig1".to_string()),
            ("keyid", ka.thumbprint()),
            ("alg", "ed25519".into()),
            ("tag", "web-bot-auth".into()),
            ("identifier", ka.thumbprint()),
            ("error", "invalid_signature".into()),
        ]
        .map(|(n, v)| (n.to_string(), v))
    );
}
