//! Exports for `bench.mjs`: the Web Bot Auth vector E.2.1 verified by httpseal
//! (`verify_message`), httpseal's Ed25519 check alone over the ready base (`key_verify`),
//! and an Ed25519 signature over it (`sign`), each `n` times. Which Ed25519 backend runs is
//! the feature this module was built with (`compact` or `dalek`). Plain `extern "C"`
//! functions, so the module needs no JavaScript glue.

use base64::Engine;
use httpseal::{
    Algorithm, HttpMessage, JwkSet, Key, Outcome, Policy, Profile, SfRegistry, parse_signatures,
    signature_base, verify_message,
};
use serde_json::Value;
use std::sync::OnceLock;

const VECTORS: &str =
    include_str!("../../../tests/vectors/webbotauth/httpsig-protocol-vectors.json");
/// E.2.1's `created`.
const NOW: u64 = 1_735_689_600;

struct State {
    msg: HttpMessage,
    jwks: JwkSet,
    policy: Policy,
    public: Key,
    private: Key,
    base: Vec<u8>,
    signature: Vec<u8>,
}

fn state() -> &'static State {
    static STATE: OnceLock<State> = OnceLock::new();
    STATE.get_or_init(|| {
        let v: Value = serde_json::from_str(VECTORS).unwrap();
        let jwk = &v["keys"]["ed25519_rfc9421_B14"]["jwk_private"];
        let b64 = |s: &Value| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(s.as_str().unwrap())
                .unwrap()
        };
        let private = Key::ed25519_private(&b64(&jwk["d"])).unwrap();
        let public = Key::ed25519_public(&b64(&jwk["x"])).unwrap();
        let vector = v["vectors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == "E.2.1-ed25519-dictionary")
            .unwrap();
        let field = |k: &str| vector[k].as_str().unwrap().to_string();
        let mut msg =
            HttpMessage::request("GET", v["request"]["target_uri"].as_str().unwrap()).unwrap();
        msg.push_header("Signature-Agent", &field("signature_agent"));
        msg.push_header("Signature-Input", &field("signature_input"));
        msg.push_header("Signature", &field("signature"));
        let sigs = parse_signatures(&msg).unwrap();
        let base = signature_base(&msg, &sigs[0].params, &SfRegistry::new()).unwrap();
        let mut policy = Profile::WebBotAuth.policy();
        policy.max_lifetime = None;
        let state = State {
            jwks: JwkSet::from_keys([public.clone()]),
            policy,
            base: base.into_bytes(),
            signature: sigs[0].signature.clone(),
            msg,
            public,
            private,
        };
        assert_eq!(
            verify_message(&state.policy, &state.msg, &state.jwks, NOW, None).verdict,
            Outcome::Verified
        );
        state
    })
}

/// `verify_message` on E.2.1, `n` times; the number verified.
#[unsafe(no_mangle)]
pub extern "C" fn verify_message_n(n: u32) -> u32 {
    let s = state();
    (0..n)
        .filter(|_| {
            verify_message(&s.policy, &s.msg, &s.jwks, NOW, None).verdict == Outcome::Verified
        })
        .count() as u32
}

/// `Key::verify` over E.2.1's base, `n` times; the number verified.
#[unsafe(no_mangle)]
pub extern "C" fn key_verify_n(n: u32) -> u32 {
    let s = state();
    (0..n)
        .filter(|_| {
            s.public
                .verify(Algorithm::Ed25519, &s.base, &s.signature)
                .is_ok()
        })
        .count() as u32
}

/// `Key::sign` of E.2.1's base, `n` times; the number that re-made the vector's signature.
#[unsafe(no_mangle)]
pub extern "C" fn sign_n(n: u32) -> u32 {
    let s = state();
    (0..n)
        .filter(|_| s.private.sign(Algorithm::Ed25519, &s.base, None).unwrap() == s.signature)
        .count() as u32
}
