//! Signature-Key (draft-hardt-httpbis-signature-key-09): every scheme of the cases file
//! parses; hwk, jkt-jwt, jwks, jwks_uri, jwt and self-jwt resolve and verify; each rule
//! has its negative case.

mod common;

use common::vectors;
use httpseal::sigkey::jwt::sign_jwt;
use httpseal::sigkey::{self, ResolveOptions, Scheme, SignatureKeys, parse_signature_key};
use httpseal::{Algorithm, HttpMessage, Key, Outcome, Policy, Signer, verify_message};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

const NOW: u64 = 1_800_000_000;

fn obj(v: Value) -> Map<String, Value> {
    v.as_object().unwrap().clone()
}

#[test]
fn every_example_of_the_cases_file_parses() {
    let cases = vectors("webbotauth/signature-key-cases.json");
    let mut examples: Vec<String> = vec![];
    for (name, scheme) in cases["schemes"].as_object().unwrap() {
        for key in ["examples", "example"] {
            match &scheme[key] {
                Value::Array(a) => {
                    examples.extend(a.iter().map(|e| e.as_str().unwrap().to_string()))
                }
                Value::String(s) => examples.push(s.clone()),
                _ => {}
            }
        }
        assert!(!examples.is_empty(), "{name}");
    }
    let reply = cases["client_reply_-09"].as_str().unwrap();
    examples.push(
        reply
            .lines()
            .next()
            .unwrap()
            .trim_start_matches("Signature-Key: ")
            .to_string(),
    );
    let mut schemes = std::collections::BTreeSet::new();
    for e in &examples {
        let parsed = parse_signature_key(e).unwrap_or_else(|err| panic!("{e}: {err}"));
        assert_eq!(parsed.len(), 1, "{e}");
        schemes.insert(parsed[0].1.name());
    }
    assert_eq!(schemes.len(), 8, "{schemes:?}");
    // hwk with kid is forbidden; a scheme without its parameters is malformed.
    assert_eq!(
        parse_signature_key("sig=hwk;kty=\"OKP\";kid=\"x\"")
            .unwrap_err()
            .code(),
        "malformed_signature_key"
    );
    assert_eq!(
        parse_signature_key("sig=jwks;url=\"https://a\"")
            .unwrap_err()
            .code(),
        "malformed_signature_key"
    );
    assert_eq!(
        parse_signature_key("sig=nope").unwrap_err().code(),
        "unsupported_scheme"
    );
    assert!(parse_signature_key("sig=\"hwk\"").is_err());
}

/// A request signed by `key` whose Signature-Key member is `member`.
fn signed(key: &Key, member: &str, cover_signature_key: bool) -> HttpMessage {
    let mut msg = HttpMessage::request("POST", "https://resource.example/api?x=1").unwrap();
    msg.push_header("Signature-Key", member);
    let mut components = vec!["@method", "@authority", "@path"];
    if cover_signature_key {
        components.push("signature-key");
    }
    let signed = Signer::new(key)
        .unwrap()
        .label("sig")
        .unwrap()
        .components(components)
        .unwrap()
        .created(NOW)
        .unwrap()
        .sign(&msg, Some(&[3; 32]))
        .unwrap();
    signed.apply_to(&mut msg).unwrap();
    msg
}

fn verify(msg: &HttpMessage, docs: &BTreeMap<String, Vec<u8>>) -> httpseal::Verdict {
    let keys = SignatureKeys {
        documents: docs,
        options: ResolveOptions {
            now: NOW,
            skew: 60,
            allow_http: false,
        },
    };
    verify_message(&Policy::default(), msg, &keys, NOW, None)
}

fn code(v: &httpseal::Verdict) -> String {
    v.error_code().unwrap_or_default().to_string()
}

#[test]
fn hwk_inline_key() {
    let key = Key::ed25519_private(&[4; 32]).unwrap();
    let member = sigkey::hwk_member("sig", &key).unwrap();
    assert!(
        member.starts_with("sig=hwk;kty=\"OKP\";crv=\"Ed25519\";x=\""),
        "{member}"
    );
    let v = verify(&signed(&key, &member, true), &BTreeMap::new());
    assert_eq!(v.verdict, Outcome::Verified, "{:?}", v.error);
    assert_eq!(
        v.agent,
        Some(format!("urn:jkt:sha-256:{}", key.thumbprint()))
    );
    // The field must be covered, so the key choice is signed.
    let v = verify(&signed(&key, &member, false), &BTreeMap::new());
    assert_eq!(
        (v.verdict, code(&v).as_str()),
        (Outcome::Invalid, "missing_required_component")
    );
    // Another key in the field than the one that signed: invalid.
    let other = sigkey::hwk_member("sig", &Key::ed25519_private(&[5; 32]).unwrap()).unwrap();
    let mut swapped = signed(&key, &member, true);
    swapped.remove_header("signature-key");
    swapped.push_header("Signature-Key", &other);
    assert_eq!(verify(&swapped, &BTreeMap::new()).verdict, Outcome::Invalid);
    // An alg that does not fit the key type.
    let bad = member.replace("alg=\"Ed25519\"", "alg=\"ES256\"");
    assert_eq!(
        verify(&signed(&key, &bad, true), &BTreeMap::new()).verdict,
        Outcome::Invalid
    );
    // No member for the signature's label: unverified.
    let v = verify(
        &signed(&key, &member.replacen("sig=", "other=", 1), true),
        &BTreeMap::new(),
    );
    assert_eq!(v.verdict, Outcome::Unverified);
}

fn jkt_jwt(identity: &Key, ephemeral: &Key, typ: &str, iss: Option<String>, exp: u64) -> String {
    let header = obj(
        json!({"typ": typ, "alg": identity.algorithm().unwrap().jose_name(), "jwk": identity.to_public().public_jwk()}),
    );
    let iss = iss.unwrap_or_else(|| format!("urn:jkt:sha-256:{}", identity.thumbprint()));
    let claims = obj(
        json!({"iss": iss, "iat": NOW - 5, "exp": exp, "cnf": {"jwk": ephemeral.to_public().public_jwk()}}),
    );
    sign_jwt(&header, &claims, identity).unwrap()
}

#[test]
fn jkt_jwt_binds_an_ephemeral_key_to_an_identity_key() {
    let identity = Key::generate(Algorithm::EcdsaP256Sha256, &[6; 32]).unwrap();
    let ephemeral = Key::ed25519_private(&[7; 32]).unwrap();
    let token = jkt_jwt(&identity, &ephemeral, "jkt-s256+jwt", None, NOW + 300);
    let v = verify(
        &signed(&ephemeral, &format!("sig=jkt-jwt;jwt=\"{token}\""), true),
        &BTreeMap::new(),
    );
    assert_eq!(v.verdict, Outcome::Verified, "{:?}", v.error);
    assert_eq!(
        v.agent,
        Some(format!("urn:jkt:sha-256:{}", identity.thumbprint()))
    );
    let check = |token: String| {
        code(&verify(
            &signed(&ephemeral, &format!("sig=jkt-jwt;jwt=\"{token}\""), true),
            &BTreeMap::new(),
        ))
    };
    assert_eq!(
        check(jkt_jwt(&identity, &ephemeral, "JWT", None, NOW + 300)),
        "invalid_jwt"
    );
    assert_eq!(
        check(jkt_jwt(
            &identity,
            &ephemeral,
            "jkt-s256+jwt",
            Some("urn:jkt:sha-256:other".into()),
            NOW + 300
        )),
        "invalid_jwt"
    );
    assert_eq!(
        check(jkt_jwt(
            &identity,
            &ephemeral,
            "jkt-s256+jwt",
            None,
            NOW - 3600
        )),
        "expired_jwt"
    );
    // Tampered payload: the identity key's signature no longer verifies.
    let parts: Vec<&str> = token.split('.').collect();
    let forged_claims = httpseal::b64::url_encode(json!({"iss": format!("urn:jkt:sha-256:{}", identity.thumbprint()), "iat": NOW, "exp": NOW + 9, "cnf": {"jwk": Key::ed25519_private(&[8; 32]).unwrap().to_public().public_jwk()}}).to_string().as_bytes());
    assert_eq!(
        check(format!("{}.{}.{}", parts[0], forged_claims, parts[2])),
        "invalid_jwt"
    );
    // The message signed by a key other than cnf.jwk fails.
    let other = Key::ed25519_private(&[9; 32]).unwrap();
    assert_eq!(
        verify(
            &signed(&other, &format!("sig=jkt-jwt;jwt=\"{token}\""), true),
            &BTreeMap::new()
        )
        .verdict,
        Outcome::Invalid
    );
}

fn jwks_doc(keys: &[Key]) -> Vec<u8> {
    json!({"keys": keys.iter().map(|k| k.to_public().public_jwk()).collect::<Vec<_>>()})
        .to_string()
        .into_bytes()
}

#[test]
fn jwks_scheme_needs_its_document() {
    let key = Key::ed25519_private(&[10; 32]).unwrap().with_kid("key-1");
    let msg = signed(
        &key,
        "sig=jwks;url=\"https://client.example/keys.jwks\";kid=\"key-1\"",
        true,
    );
    let mut docs = BTreeMap::new();
    let v = verify(&msg, &docs);
    assert_eq!(
        (v.verdict, code(&v).as_str()),
        (Outcome::Unverified, "directory_unavailable")
    );
    let opts = ResolveOptions {
        now: NOW,
        skew: 60,
        allow_http: false,
    };
    assert_eq!(
        sigkey::plan(&msg, &docs, opts).unwrap(),
        ["https://client.example/keys.jwks"]
    );
    docs.insert(
        "https://client.example/keys.jwks".to_string(),
        jwks_doc(std::slice::from_ref(&key)),
    );
    let v = verify(&msg, &docs);
    assert_eq!(v.verdict, Outcome::Verified, "{:?}", v.error);
    assert_eq!(v.agent.as_deref(), Some("https://client.example/keys.jwks"));
    assert!(sigkey::plan(&msg, &docs, opts).unwrap().is_empty());
    // The kid must be in the set (it is matched by kid, not thumbprint).
    let v = verify(
        &signed(
            &key,
            "sig=jwks;url=\"https://client.example/keys.jwks\";kid=\"key-2\"",
            true,
        ),
        &docs,
    );
    assert_eq!(code(&v), "unknown_key");
    // https only.
    let v = verify(
        &signed(
            &key,
            "sig=jwks;url=\"http://client.example/keys.jwks\";kid=\"key-1\"",
            true,
        ),
        &docs,
    );
    assert_eq!(code(&v), "invalid_url");
}

#[test]
fn jwks_uri_scheme_checks_the_issuer() {
    let key = Key::ed25519_private(&[11; 32])
        .unwrap()
        .with_kid("key-1")
        .with_algorithm(Algorithm::Ed25519)
        .unwrap();
    let member =
        "sig=jwks_uri;id=\"https://client.example\";dwk=\"example-configuration\";kid=\"key-1\"";
    let msg = signed(&key, member, true);
    let opts = ResolveOptions {
        now: NOW,
        skew: 60,
        allow_http: false,
    };
    let meta_url = "https://client.example/.well-known/example-configuration";
    let mut docs = BTreeMap::new();
    assert_eq!(sigkey::plan(&msg, &docs, opts).unwrap(), [meta_url]);
    docs.insert(
        meta_url.to_string(),
        json!({"issuer": "https://client.example", "jwks_uri": "https://client.example/jwks"})
            .to_string()
            .into_bytes(),
    );
    assert_eq!(
        sigkey::plan(&msg, &docs, opts).unwrap(),
        ["https://client.example/jwks"]
    );
    let mut with_alg = key.to_public().public_jwk();
    with_alg.insert("alg".into(), "Ed25519".into());
    docs.insert(
        "https://client.example/jwks".to_string(),
        json!({"keys": [with_alg]}).to_string().into_bytes(),
    );
    let v = verify(&msg, &docs);
    assert_eq!(v.verdict, Outcome::Verified, "{:?}", v.error);
    assert_eq!(v.agent.as_deref(), Some("https://client.example"));
    // The metadata must name the same issuer, byte for byte.
    let mut wrong = docs.clone();
    wrong.insert(
        meta_url.to_string(),
        json!({"issuer": "https://client.example/", "jwks_uri": "https://client.example/jwks"})
            .to_string()
            .into_bytes(),
    );
    assert_eq!(code(&verify(&msg, &wrong)), "issuer_mismatch");
    wrong.insert(
        meta_url.to_string(),
        json!({"jwks_uri": "https://client.example/jwks"})
            .to_string()
            .into_bytes(),
    );
    assert_eq!(code(&verify(&msg, &wrong)), "issuer_mismatch");
    // The JWK must carry alg.
    let mut no_alg = docs.clone();
    no_alg.insert(
        "https://client.example/jwks".to_string(),
        jwks_doc(std::slice::from_ref(&key)),
    );
    assert_eq!(code(&verify(&msg, &no_alg)), "invalid_key");
}

#[test]
fn jwt_and_self_jwt_schemes() {
    let issuer_key = Key::generate(Algorithm::EcdsaP256Sha256, &[12; 32])
        .unwrap()
        .with_kid("r1");
    let ephemeral = Key::ed25519_private(&[13; 32]).unwrap();
    let mut docs = BTreeMap::new();
    docs.insert(
        "https://issuer.example/.well-known/aauth-agent.json".to_string(),
        json!({"issuer": "https://issuer.example", "jwks_uri": "https://issuer.example/jwks"})
            .to_string()
            .into_bytes(),
    );
    docs.insert(
        "https://issuer.example/jwks".to_string(),
        jwks_doc(std::slice::from_ref(&issuer_key)),
    );
    let header = obj(json!({"alg": "ES256", "kid": "r1", "typ": "aa-agent+jwt"}));
    let claims = obj(
        json!({"iss": "https://issuer.example", "dwk": "aauth-agent.json", "sub": "agent-7", "iat": NOW, "exp": NOW + 600, "cnf": {"jwk": ephemeral.to_public().public_jwk()}}),
    );
    let token = sign_jwt(&header, &claims, &issuer_key).unwrap();
    let v = verify(
        &signed(&ephemeral, &format!("sig=jwt;jwt=\"{token}\";cache"), true),
        &docs,
    );
    assert_eq!(v.verdict, Outcome::Verified, "{:?}", v.error);
    assert_eq!(v.agent.as_deref(), Some("https://issuer.example"));
    // Without the issuer's documents: unverified, and the plan says what to fetch.
    let v = verify(
        &signed(&ephemeral, &format!("sig=jwt;jwt=\"{token}\""), true),
        &BTreeMap::new(),
    );
    assert_eq!(v.verdict, Outcome::Unverified);
    // self-jwt: the issuer key signs both the JWT and the message; no cnf allowed.
    let mut self_claims = claims.clone();
    self_claims.remove("cnf");
    let self_token = sign_jwt(&header, &self_claims, &issuer_key).unwrap();
    let v = verify(
        &signed(
            &issuer_key,
            &format!("sig=self-jwt;jwt=\"{self_token}\""),
            true,
        ),
        &docs,
    );
    assert_eq!(v.verdict, Outcome::Verified, "{:?}", v.error);
    let v = verify(
        &signed(&issuer_key, &format!("sig=self-jwt;jwt=\"{token}\""), true),
        &docs,
    );
    assert_eq!(code(&v), "invalid_jwt");
}

#[test]
fn x509_and_cached_are_parsed_but_unverified() {
    let key = Key::ed25519_private(&[14; 32]).unwrap();
    for member in [
        "sig=x509;x5u=\"https://client.example/.well-known/cert.pem\";x5t=:bWcoon4QTVn8Q6xiY0ekMD6L8bNLMkuDV2KtvsFc1nM=:",
        "sig=cached;cid=\"2f9c8a1e-a7b3\"",
    ] {
        let v = verify(&signed(&key, member, true), &BTreeMap::new());
        assert_eq!(
            (v.verdict, code(&v).as_str()),
            (Outcome::Unverified, "unsupported_scheme"),
            "{member}"
        );
    }
    assert!(matches!(
        parse_signature_key("sig=cached;cid=\"x\"").unwrap()[0].1,
        Scheme::Cached { .. }
    ));
}
