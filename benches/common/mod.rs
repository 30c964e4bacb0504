//! The benchmark cases, shared by `benches/verify.rs` (criterion, wall time) and
//! `benches/instructions.rs` (a plain loop for `valgrind --tool=callgrind`).
//!
//! One request: the Web Bot Auth Ed25519 vector E.2.1
//! (`tests/vectors/webbotauth/httpsig-protocol-vectors.json`), verified at a pinned time
//! by httpseal, by Cloudflare's `web-bot-auth` and by `httpsig`, with the bare
//! verification of the same signature base by each Ed25519 backend as the floors:
//! `ed25519-compact`'s `PublicKey::verify` and `ed25519-dalek`'s `Verifier::verify` (the
//! one `web-bot-auth` calls). httpseal itself runs on the backend the build selects
//! ([`BACKEND`]: `ed25519-dalek` with default features, `ed25519-compact` without the
//! `ed25519-dalek` feature).
//!
//! `httpsig` always serialises the signature parameters in its own fixed order
//! (created, expires, nonce, alg, keyid, tag), so it cannot rebuild E.2.1's
//! `@signature-params` line (created, keyid, alg, expires, nonce, tag) and rejects the
//! vector. For a like-for-like comparison the same request is also signed with the same
//! B.1.4 key and the same parameter values in httpsig's order ("E.2.1/httpsig-order");
//! every implementation is measured on that one too. [`Cases::new`] checks that each
//! implementation accepts what it is measured on, so no figure is the cost of a failure.
#![allow(dead_code)]

use httpseal::{
    HttpMessage, JwkSet, Key, LabelledSignature, Outcome, Policy, Profile, SfRegistry, Signer,
    parse_signatures, signature_base, verify_message,
};
use serde_json::Value;

/// The Ed25519 backend httpseal is built with (`src/alg/ed25519.rs`).
pub const BACKEND: &str = if cfg!(feature = "ed25519-dalek") {
    "ed25519-dalek"
} else {
    "ed25519-compact"
};

/// The verification time: E.2.1's `created`.
pub const NOW: u64 = 1_735_689_600;
/// E.2.1's `expires`.
pub const EXPIRES: u64 = 4_889_289_600;

const VECTORS: &str = include_str!("../../tests/vectors/webbotauth/httpsig-protocol-vectors.json");

/// A request as the three libraries' hosts see it.
#[derive(Clone)]
pub struct Request {
    pub method: String,
    pub url: String,
    pub authority: String,
    pub path: String,
    pub headers: Vec<(String, String)>,
}

impl Request {
    fn header_values(&self, name: &str) -> Vec<String> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_string())
            .collect()
    }

    pub fn header(&self, name: &str) -> String {
        self.header_values(name).join(", ")
    }

    /// The owned message httpseal's hosts (CLI, npm, Worker) build from a request.
    pub fn to_httpseal(&self) -> HttpMessage {
        let mut m = HttpMessage::request(&self.method, &self.url).unwrap();
        for (n, v) in &self.headers {
            m.push_header(n, v);
        }
        m
    }
}

/// Everything the benchmarks need, built once.
pub struct Cases {
    /// E.2.1 exactly as published.
    pub e21: Request,
    /// The same request, signed with the parameters in httpsig's order.
    pub e21_httpsig_order: Request,
    /// The B.1.4 private key.
    pub private_key: Key,
    /// The B.1.4 public key as a JWK Set (found by its thumbprint, the `keyid`).
    pub jwks: JwkSet,
    /// The policy: the `web-bot-auth` profile, without its 24 h lifetime cap because the
    /// vector deliberately expires in 2124, and accepting the published test keys (the
    /// vector's B.1.4 key is one, refused by default: draft -01 §6.8).
    pub policy: Policy,
    pub seed: [u8; 32],
    pub public_raw: [u8; 32],
    pub nonce: String,
    pub agent: String,
}

impl Cases {
    pub fn new() -> Self {
        let v: Value = serde_json::from_str(VECTORS).unwrap();
        let jwk = &v["keys"]["ed25519_rfc9421_B14"]["jwk_private"];
        let b64 = |s: &Value| {
            use base64::Engine;
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(s.as_str().unwrap())
                .unwrap()
        };
        let seed: [u8; 32] = b64(&jwk["d"]).try_into().unwrap();
        let public_raw: [u8; 32] = b64(&jwk["x"]).try_into().unwrap();
        let private_key = Key::ed25519_private(&seed).unwrap();
        let jwks = JwkSet::from_keys([Key::ed25519_public(&public_raw).unwrap()]);
        let vector = v["vectors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == "E.2.1-ed25519-dictionary")
            .unwrap();
        let field = |k: &str| vector[k].as_str().unwrap().to_string();
        let agent = field("signature_agent");
        let unsigned = Request {
            method: "GET".into(),
            url: v["request"]["target_uri"].as_str().unwrap().into(),
            authority: v["request"]["authority"].as_str().unwrap().into(),
            path: "/path/to/resource".into(),
            headers: vec![("Signature-Agent".into(), agent.clone())],
        };
        let mut e21 = unsigned.clone();
        e21.headers
            .push(("Signature-Input".into(), field("signature_input")));
        e21.headers.push(("Signature".into(), field("signature")));

        let nonce = {
            let input = field("signature_input");
            let start = input.find("nonce=\"").unwrap() + 7;
            input[start..start + input[start..].find('"').unwrap()].to_string()
        };
        let mut policy = Profile::WebBotAuth.policy();
        policy.max_lifetime = None;
        policy.allow_test_keys = true;

        let mut cases = Cases {
            e21,
            e21_httpsig_order: unsigned.clone(),
            private_key,
            jwks,
            policy,
            seed,
            public_raw,
            nonce,
            agent,
        };
        let signed = cases.sign_httpsig_order(&unsigned.to_httpseal());
        let (input, sig) = (signed.signature_input, signed.signature);
        cases
            .e21_httpsig_order
            .headers
            .push(("Signature-Input".into(), input));
        cases
            .e21_httpsig_order
            .headers
            .push(("Signature".into(), sig));
        cases.check();
        cases
    }

    /// Signs like E.2.1 but with httpsig's parameter order.
    fn sign_httpsig_order(&self, msg: &HttpMessage) -> httpseal::Signed {
        Signer::new(&self.private_key)
            .unwrap()
            .label("sig2")
            .unwrap()
            .components(["@authority", "signature-agent;key=\"agent2\""])
            .unwrap()
            .created(NOW)
            .unwrap()
            .expires(EXPIRES)
            .unwrap()
            .nonce(&self.nonce)
            .unwrap()
            .alg_param()
            .unwrap()
            .keyid(&self.private_key.thumbprint())
            .unwrap()
            .tag("web-bot-auth")
            .unwrap()
            .sign(msg, None)
            .unwrap()
    }

    /// Every implementation accepts what it is measured on; httpsig rejects E.2.1.
    fn check(&self) {
        for req in [&self.e21, &self.e21_httpsig_order] {
            assert!(httpseal_verify(self, &req.to_httpseal()));
            assert!(wba::verify(&wba::keyring(&self.public_raw), req));
            let (base, sig) = httpseal_base(&req.to_httpseal());
            assert!(floor_verify(&self.floor_key(), base.as_bytes(), &sig));
            assert!(dalek_verify(&self.dalek_key(), base.as_bytes(), &sig));
            assert!(key_verify(&self.public_key(), base.as_bytes(), &sig));
        }
        let pk = httpsig_impl::public_key(&self.public_raw);
        assert!(httpsig_impl::verify(&pk, &self.e21_httpsig_order));
        assert!(
            !httpsig_impl::verify(&pk, &self.e21),
            "httpsig now keeps parameter order: compare it on E.2.1 itself"
        );
    }

    pub fn floor_key(&self) -> ed25519_compact::PublicKey {
        ed25519_compact::PublicKey::from_slice(&self.public_raw).unwrap()
    }

    pub fn dalek_key(&self) -> ed25519_dalek::VerifyingKey {
        ed25519_dalek::VerifyingKey::from_bytes(&self.public_raw).unwrap()
    }

    /// The public key as httpseal holds it (point decompressed and checked once).
    pub fn public_key(&self) -> Key {
        Key::ed25519_public(&self.public_raw).unwrap()
    }

    /// httpseal signing E.2.1's signature (same components and parameters, same order).
    pub fn httpseal_sign(&self, msg: &HttpMessage) -> httpseal::Signed {
        Signer::new(&self.private_key)
            .unwrap()
            .label("sig2")
            .unwrap()
            .components(["@authority", "signature-agent;key=\"agent2\""])
            .unwrap()
            .created(NOW)
            .unwrap()
            .keyid("poqkLGiymh_W0uP6PZFw-dvez3QJT5SolqXBCW38r0U")
            .unwrap()
            .alg_param()
            .unwrap()
            .expires(EXPIRES)
            .unwrap()
            .nonce(&self.nonce)
            .unwrap()
            .tag("web-bot-auth")
            .unwrap()
            .sign(msg, None)
            .unwrap()
    }
}

/// httpseal end to end: parse, policy, key lookup, base, Ed25519.
pub fn httpseal_verify(cases: &Cases, msg: &HttpMessage) -> bool {
    verify_message(&cases.policy, msg, &cases.jwks, NOW, None).verdict == Outcome::Verified
}

/// What the measured cases use, made once from [`Cases`] outside the measured code: the
/// two requests as httpseal messages, their bases and signature bytes (for the floor), each
/// implementation's key, and E.2.1 without its signature (for signing).
pub struct Prepared {
    pub msg: HttpMessage,
    pub msg2: HttpMessage,
    pub base: String,
    pub sig: Vec<u8>,
    pub base2: String,
    pub sig2: Vec<u8>,
    pub floor_key: ed25519_compact::PublicKey,
    pub dalek_key: ed25519_dalek::VerifyingKey,
    pub key: Key,
    pub dalek_signing: ed25519_dalek::SigningKey,
    pub ring: wba::KeyRing,
    pub httpsig_key: httpsig_impl::PublicKey,
    pub keypair: ed25519_compact::KeyPair,
    pub unsigned: HttpMessage,
}

impl Prepared {
    pub fn new(c: &Cases) -> Self {
        let msg = c.e21.to_httpseal();
        let msg2 = c.e21_httpsig_order.to_httpseal();
        let (base, sig) = httpseal_base(&msg);
        let (base2, sig2) = httpseal_base(&msg2);
        let mut unsigned = msg.clone();
        unsigned.remove_header("signature-input");
        unsigned.remove_header("signature");
        Prepared {
            floor_key: c.floor_key(),
            dalek_key: c.dalek_key(),
            key: c.public_key(),
            dalek_signing: ed25519_dalek::SigningKey::from_bytes(&c.seed),
            ring: wba::keyring(&c.public_raw),
            httpsig_key: httpsig_impl::public_key(&c.public_raw),
            keypair: ed25519_compact::KeyPair::from_seed(ed25519_compact::Seed::new(c.seed)),
            msg,
            msg2,
            base,
            sig,
            base2,
            sig2,
            unsigned,
        }
    }
}

/// httpseal parse + base only (the first signature).
pub fn httpseal_base(msg: &HttpMessage) -> (String, Vec<u8>) {
    let sigs: Vec<LabelledSignature> = parse_signatures(msg).unwrap();
    let sig = &sigs[0];
    (
        signature_base(msg, &sig.params, &SfRegistry::new()).unwrap(),
        sig.signature.clone(),
    )
}

/// httpseal parse + base + policy (everything but the key lookup and the cryptography).
pub fn httpseal_parse_base_policy(cases: &Cases, msg: &HttpMessage) -> String {
    let sigs = parse_signatures(msg).unwrap();
    let sig = &sigs[0];
    cases.policy.check_params(&sig.params, NOW).unwrap();
    signature_base(msg, &sig.params, &cases.policy.structured_fields).unwrap()
}

/// The floor: ed25519-compact over a ready signature base.
pub fn floor_verify(pk: &ed25519_compact::PublicKey, base: &[u8], sig: &[u8]) -> bool {
    ed25519_compact::Signature::from_slice(sig)
        .and_then(|s| pk.verify(base, &s))
        .is_ok()
}

/// The other floor: ed25519-dalek's `verify` (cofactorless, as web-bot-auth uses it).
pub fn dalek_verify(vk: &ed25519_dalek::VerifyingKey, base: &[u8], sig: &[u8]) -> bool {
    use ed25519_dalek::Verifier;
    ed25519_dalek::Signature::from_slice(sig).is_ok_and(|s| vk.verify(base, &s).is_ok())
}

/// httpseal's own Ed25519 check over a ready base (`Key::verify`, the selected backend
/// with its rules): what `verify_message` adds to is this, not the bare floors.
pub fn key_verify(key: &Key, base: &[u8], sig: &[u8]) -> bool {
    key.verify(httpseal::Algorithm::Ed25519, base, sig).is_ok()
}

/// Cloudflare's `web-bot-auth`: the host implements `SignedMessage` (field lookup, and the
/// `key` parameter of `signature-agent`), the library parses, checks its Web Bot Auth
/// rules, builds the base and verifies with ed25519-dalek.
pub mod wba {
    use super::Request;
    use web_bot_auth::WebBotAuthVerifier;
    use web_bot_auth::components::{
        CoveredComponent, DerivedComponent, HTTPField, HTTPFieldParameters,
    };
    use web_bot_auth::keyring::Algorithm;
    pub use web_bot_auth::keyring::KeyRing;
    use web_bot_auth::message_signatures::SignedMessage;

    pub struct Msg<'a>(pub &'a Request);

    impl SignedMessage for Msg<'_> {
        fn lookup_component(&self, name: &CoveredComponent) -> Vec<String> {
            let r = self.0;
            match name {
                CoveredComponent::Derived(DerivedComponent::Authority { req: false }) => {
                    vec![r.authority.clone()]
                }
                CoveredComponent::Derived(DerivedComponent::Method { req: false }) => {
                    vec![r.method.clone()]
                }
                CoveredComponent::Derived(DerivedComponent::TargetUri { req: false }) => {
                    vec![r.url.clone()]
                }
                CoveredComponent::Derived(DerivedComponent::Path { req: false }) => {
                    vec![r.path.clone()]
                }
                CoveredComponent::HTTP(HTTPField { name, parameters }) => {
                    let values = r.header_values(name);
                    match parameters.0.as_slice() {
                        [] => values,
                        [HTTPFieldParameters::Key(key)] => values
                            .iter()
                            .filter_map(|v| {
                                sfv::Parser::new(v)
                                    .parse_dictionary::<sfv::Dictionary>()
                                    .ok()
                            })
                            .filter_map(|d| {
                                use sfv::FieldType;
                                match d.get(sfv::KeyRef::from_str(key).ok()?) {
                                    Some(sfv::ListEntry::Item(item)) => Some(item.serialize()),
                                    _ => None,
                                }
                            })
                            .collect(),
                        _ => Vec::new(),
                    }
                }
                _ => Vec::new(),
            }
        }
    }

    pub fn keyring(public: &[u8; 32]) -> KeyRing {
        let mut ring = KeyRing::default();
        ring.import_raw(
            "poqkLGiymh_W0uP6PZFw-dvez3QJT5SolqXBCW38r0U".into(),
            Algorithm::Ed25519,
            public.to_vec(),
        );
        ring
    }

    /// Parse (with the Web Bot Auth label rules), expiry check, base, Ed25519.
    pub fn verify(ring: &KeyRing, req: &Request) -> bool {
        let Ok(verifier) = WebBotAuthVerifier::parse(&Msg(req)) else {
            return false;
        };
        let advisory = verifier
            .get_parsed_label()
            .base
            .parameters
            .details
            .possibly_insecure(|_| false);
        if advisory.is_expired == Some(true) {
            return false;
        }
        verifier.verify(ring, None).is_ok()
    }
}

/// `httpsig` (junkurihara/httpsig-rs, the framework-free core of httpsig-hyper): the host
/// reads the two fields and supplies each covered component's field values, the library
/// parses, builds the base and verifies with ed25519-compact.
pub mod httpsig_impl {
    use super::Request;
    pub use httpsig::prelude::PublicKey;
    use httpsig::prelude::message_component::{
        DerivedComponentName, HttpMessageComponent, HttpMessageComponentName,
    };
    use httpsig::prelude::{AlgorithmName, HttpSignatureBase, HttpSignatureHeaders};

    pub fn public_key(raw: &[u8; 32]) -> PublicKey {
        PublicKey::from_bytes(&AlgorithmName::Ed25519, raw).unwrap()
    }

    pub fn verify(pk: &PublicKey, req: &Request) -> bool {
        let Ok(map) = HttpSignatureHeaders::try_parse(
            &req.header("signature"),
            &req.header("signature-input"),
        ) else {
            return false;
        };
        let Some(headers) = map.get("sig2") else {
            return false;
        };
        let params = headers.signature_params();
        let lines: Result<Vec<HttpMessageComponent>, _> = params
            .covered_components
            .iter()
            .map(|id| {
                let values = match &id.name {
                    HttpMessageComponentName::Derived(DerivedComponentName::Authority) => {
                        vec![req.authority.clone()]
                    }
                    HttpMessageComponentName::Derived(DerivedComponentName::Method) => {
                        vec![req.method.clone()]
                    }
                    HttpMessageComponentName::Derived(_) => Vec::new(),
                    HttpMessageComponentName::HttpField(name) => req.header_values(name),
                };
                HttpMessageComponent::try_from((id, values.as_slice()))
            })
            .collect();
        let Ok(lines) = lines else { return false };
        let Ok(base) = HttpSignatureBase::try_new(&lines, params) else {
            return false;
        };
        base.verify_signature_headers(pk, headers).is_ok()
    }
}
