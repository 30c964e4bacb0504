//! Every error code is produced by some input through the public API, and every policy
//! rule has a negative case. A code added to the table in `src/error.rs` without a case
//! here fails `every_code_has_a_case`; each case's outcome must be its code's class.

mod common;

use common::*;
use httpseal::api::VerifyRequestJson;
use httpseal::job::drive::{self, BlockingHost};
use httpseal::job::{NonceAnswer, NonceRequest, Step, VerifyJob, VerifySetup};
use httpseal::keyfile::key_from_pem;
use httpseal::sigkey::jwt::Jwt;
use httpseal::webbotauth::{
    self, AgentOptions, check_directory_response, parse_directory, parse_signature_agent,
};
use httpseal::{
    ALL_CODES, Algorithm, ComponentId, HttpMessage, JwkSet, Key, Outcome, Policy, Requirement,
    SfRegistry, SignatureParams, Signer, check_content_digest, parse_accept_signature, parse_http1,
    parse_jwk, parse_signatures, signature_base, verify_message,
};
use std::collections::{BTreeMap, BTreeSet};

/// What a case produced: the error code and the outcome it led to.
type Produced = Option<(String, Outcome)>;

type Case = (&'static str, Box<dyn Fn() -> Produced>);

fn err<T>(r: httpseal::Result<T>) -> Produced {
    r.err().map(|e| (e.code().to_string(), Outcome::of(&e)))
}

fn verdict_of(v: httpseal::Verdict) -> Produced {
    let outcome = v.verdict;
    v.error.map(|e| (e.code().to_string(), outcome))
}

fn verdict_code(v: httpseal::Verdict) -> Option<String> {
    v.error.map(|e| e.code().to_string())
}

fn req(headers: &[(&str, &str)]) -> HttpMessage {
    let mut m = HttpMessage::request("POST", "https://example.com/p?a=1&a=2&b=3").unwrap();
    for (n, v) in headers {
        m.push_header(n, v);
    }
    m
}

fn base(msg: &dyn httpseal::Message, input: &str) -> httpseal::Result<String> {
    signature_base(msg, &SignatureParams::parse(input)?, &SfRegistry::new())
}

/// A request signed with the B.1.4 Ed25519 key under `params`.
fn signed(params: &str) -> (HttpMessage, JwkSet) {
    let key = rfc_key("test-key-ed25519");
    let mut msg = req(&[(
        "Content-Digest",
        "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:",
    )])
    .with_body(&b"{\"hello\": \"world\"}"[..]);
    let p = SignatureParams::parse(params).unwrap();
    let b = signature_base(&msg, &p, &SfRegistry::new()).unwrap();
    let sig = key.sign(Algorithm::Ed25519, b.as_bytes(), None).unwrap();
    msg.push_header("Signature-Input", &format!("sig1={params}"));
    msg.push_header(
        "Signature",
        &format!("sig1=:{}:", httpseal::b64::encode(&sig)),
    );
    (msg, JwkSet::from_keys([key.to_public()]))
}

/// Verifies [`signed`] under `policy` (with the test keys allowed: the cases are about the
/// other rules).
fn verify_with(policy: Policy, params: &str, now: u64) -> Produced {
    let (msg, keys) = signed(params);
    let v = verify_message(&allowing_test_keys(policy), &msg, &keys, now, None);
    assert_ne!(v.verdict, Outcome::Verified, "{params}");
    verdict_of(v)
}

fn cases() -> Vec<Case> {
    let big = "x".repeat(httpseal::limits::MAX_SIGNATURE_HEADER_BYTES + 1);
    vec![
        (
            "header_too_large",
            Box::new(move || {
                err(parse_signatures(&req(&[
                    ("Signature-Input", &big),
                    ("Signature", "a=:AA==:"),
                ])))
            }),
        ),
        (
            "malformed_signature_input",
            Box::new(|| {
                err(parse_signatures(&req(&[
                    ("Signature-Input", "sig1=(\"@method\""),
                    ("Signature", "sig1=:AA==:"),
                ])))
            }),
        ),
        (
            "malformed_signature",
            Box::new(|| {
                err(parse_signatures(&req(&[
                    ("Signature-Input", "sig1=()"),
                    ("Signature", "sig1=\"not bytes\""),
                ])))
            }),
        ),
        (
            "malformed_accept_signature",
            Box::new(|| err(parse_accept_signature("sig1=:AA==:"))),
        ),
        (
            "missing_signature_value",
            Box::new(|| err(parse_signatures(&req(&[("Signature-Input", "sig1=()")])))),
        ),
        (
            "missing_signature_input",
            Box::new(|| {
                err(parse_signatures(&req(&[
                    ("Signature-Input", "sig1=()"),
                    ("Signature", "sig1=:AA==:, sig2=:AA==:"),
                ])))
            }),
        ),
        (
            "duplicate_label",
            Box::new(|| {
                err(parse_signatures(&req(&[
                    ("Signature-Input", "sig1=()"),
                    ("Signature-Input", "sig1=()"),
                    ("Signature", "sig1=:AA==:"),
                ])))
            }),
        ),
        (
            "too_many_signatures",
            Box::new(|| {
                let labels: Vec<String> = (0..=httpseal::limits::MAX_SIGNATURES)
                    .map(|i| format!("s{i}=()"))
                    .collect();
                err(parse_signatures(&req(&[
                    ("Signature-Input", &labels.join(", ")),
                    ("Signature", "s0=:AA==:"),
                ])))
            }),
        ),
        (
            "too_many_components",
            Box::new(|| {
                let comps: Vec<String> = (0..=httpseal::limits::MAX_COMPONENTS)
                    .map(|i| format!("\"x{i}\""))
                    .collect();
                err(SignatureParams::parse(&format!("({})", comps.join(" "))))
            }),
        ),
        (
            "invalid_signature_parameter",
            Box::new(|| err(SignatureParams::parse("();created=\"yesterday\""))),
        ),
        (
            "invalid_component",
            Box::new(|| err(ComponentId::parse("Content-Type"))),
        ),
        (
            "duplicate_component",
            Box::new(|| err(base(&req(&[]), "(\"@method\" \"@method\")"))),
        ),
        (
            "unknown_derived_component",
            Box::new(|| err(base(&req(&[]), "(\"@nope\")"))),
        ),
        (
            "unknown_component_parameter",
            Box::new(|| err(base(&req(&[("X", "1")]), "(\"x\";zz)"))),
        ),
        (
            "incompatible_component_parameters",
            Box::new(|| err(base(&req(&[("X", "a=1")]), "(\"x\";bs;key=\"a\")"))),
        ),
        (
            "signature_params_covered",
            Box::new(|| err(base(&req(&[]), "(\"@signature-params\")"))),
        ),
        (
            "missing_field",
            Box::new(|| err(base(&req(&[]), "(\"content-type\")"))),
        ),
        (
            "missing_query_param_name",
            Box::new(|| err(base(&req(&[]), "(\"@query-param\")"))),
        ),
        (
            "query_param_not_found",
            Box::new(|| err(base(&req(&[]), "(\"@query-param\";name=\"zz\")"))),
        ),
        (
            "query_param_repeated",
            Box::new(|| err(base(&req(&[]), "(\"@query-param\";name=\"a\")"))),
        ),
        (
            "dictionary_key_not_found",
            Box::new(|| err(base(&req(&[("X", "a=1")]), "(\"x\";key=\"b\")"))),
        ),
        (
            "unknown_structured_field",
            Box::new(|| err(base(&req(&[("X", "a=1")]), "(\"x\";sf)"))),
        ),
        (
            "malformed_field",
            Box::new(|| err(base(&req(&[("Priority", "u=(")]), "(\"priority\";sf)"))),
        ),
        (
            "req_on_request",
            Box::new(|| err(base(&req(&[]), "(\"@method\";req)"))),
        ),
        (
            "missing_related_request",
            Box::new(|| {
                err(base(
                    &HttpMessage::response(200).unwrap(),
                    "(\"@method\";req)",
                ))
            }),
        ),
        (
            "component_not_applicable",
            Box::new(|| err(base(&req(&[]), "(\"@status\")"))),
        ),
        (
            "invalid_component_value",
            Box::new(|| err(base(&req(&[("X", "caf\u{e9}")]), "(\"x\")"))),
        ),
        (
            "signature_base_too_large",
            Box::new(|| {
                let v = "v".repeat(15_000);
                let fields: Vec<(String, String)> =
                    (0..5).map(|i| (format!("x{i}"), v.clone())).collect();
                let refs: Vec<(&str, &str)> = fields
                    .iter()
                    .map(|(n, v)| (n.as_str(), v.as_str()))
                    .collect();
                err(base(&req(&refs), "(\"x0\" \"x1\" \"x2\" \"x3\" \"x4\")"))
            }),
        ),
        (
            "component_value_too_large",
            Box::new(|| err(base(&req(&[("X", &"v".repeat(20_000))]), "(\"x\")"))),
        ),
        (
            "unsupported_algorithm",
            Box::new(|| err(rfc_key("test-key-ed25519").resolve_algorithm(Some("rsa-sha1")))),
        ),
        (
            "algorithm_mismatch",
            Box::new(|| err(rfc_key("test-key-ed25519").resolve_algorithm(Some("hmac-sha256")))),
        ),
        (
            "invalid_key",
            Box::new(|| err(Key::ed25519_public(&[0; 31]))),
        ),
        (
            "unsupported_key",
            Box::new(|| err(parse_jwk("{\"kty\":\"OKP\",\"crv\":\"X448\",\"x\":\"AA\"}"))),
        ),
        (
            "malformed_jwk",
            Box::new(|| {
                err(parse_jwk(
                    "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"!!\"}",
                ))
            }),
        ),
        (
            "unknown_key",
            Box::new(|| {
                err(JwkSet::from_keys([rfc_key("test-key-ed25519")])
                    .find(Some("nope"))
                    .map(|_| ()))
            }),
        ),
        (
            "ambiguous_key",
            Box::new(|| {
                err(
                    JwkSet::from_keys([rfc_key("test-key-ed25519"), rfc_key("test-key-ecc-p256")])
                        .find(None)
                        .map(|_| ()),
                )
            }),
        ),
        (
            "invalid_signature",
            Box::new(|| {
                err(rfc_key("test-key-ed25519").verify(Algorithm::Ed25519, b"base", &[0; 64]))
            }),
        ),
        (
            "entropy_required",
            Box::new(|| {
                err(rfc_key("test-key-rsa-pss").sign(Algorithm::RsaPssSha512, b"base", None))
            }),
        ),
        (
            "not_a_private_key",
            Box::new(|| err(Signer::new(&rfc_key("test-key-ed25519").to_public()).map(|_| ()))),
        ),
        (
            "malformed_content_digest",
            Box::new(|| {
                // RFC 9530 prints this value with one '=' too many; it must be refused.
                err(check_content_digest(
                    "sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg==:",
                    b"{\"hello\": \"world\"}\n",
                ))
            }),
        ),
        (
            "unsupported_digest_algorithm",
            Box::new(|| err(check_content_digest("md5=:AAAAAAAAAAAAAAAAAAAAAA==:", b""))),
        ),
        (
            "content_digest_mismatch",
            Box::new(|| {
                err(check_content_digest(
                    "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:",
                    b"other",
                ))
            }),
        ),
        (
            "no_signature",
            Box::new(|| {
                verdict_of(verify_message(
                    &Policy::default(),
                    &req(&[]),
                    &JwkSet::default(),
                    0,
                    None,
                ))
            }),
        ),
        (
            "no_applicable_signature",
            Box::new(|| {
                verify_with(
                    Policy {
                        tag: Some("t".into()),
                        ..Policy::default()
                    },
                    "(\"@method\")",
                    0,
                )
            }),
        ),
        (
            "label_not_found",
            Box::new(|| {
                verify_with(
                    Policy {
                        label: Some("zz".into()),
                        ..Policy::default()
                    },
                    "(\"@method\")",
                    0,
                )
            }),
        ),
        (
            "tag_mismatch",
            Box::new(|| {
                verify_with(
                    Policy {
                        label: Some("sig1".into()),
                        tag: Some("t".into()),
                        ..Policy::default()
                    },
                    "(\"@method\");tag=\"u\"",
                    0,
                )
            }),
        ),
        (
            "missing_created",
            Box::new(|| {
                verify_with(
                    Policy {
                        require_created: true,
                        ..Policy::default()
                    },
                    "(\"@method\")",
                    0,
                )
            }),
        ),
        (
            "missing_expires",
            Box::new(|| {
                verify_with(
                    Policy {
                        require_expires: true,
                        ..Policy::default()
                    },
                    "(\"@method\")",
                    0,
                )
            }),
        ),
        (
            "missing_keyid",
            Box::new(|| {
                verify_with(
                    Policy {
                        require_keyid: true,
                        ..Policy::default()
                    },
                    "(\"@method\")",
                    0,
                )
            }),
        ),
        (
            "created_in_future",
            Box::new(|| verify_with(Policy::default(), "(\"@method\");created=1061", 1000)),
        ),
        (
            "expired",
            Box::new(|| verify_with(Policy::default(), "(\"@method\");expires=939", 1000)),
        ),
        (
            "signature_too_old",
            Box::new(|| {
                verify_with(
                    Policy {
                        max_age: Some(100),
                        ..Policy::default()
                    },
                    "(\"@method\");created=839",
                    1000,
                )
            }),
        ),
        (
            "lifetime_too_long",
            Box::new(|| {
                verify_with(
                    Policy {
                        max_lifetime: Some(10),
                        ..Policy::default()
                    },
                    "(\"@method\");created=990;expires=1001",
                    1000,
                )
            }),
        ),
        (
            "expires_before_created",
            Box::new(|| {
                verify_with(
                    Policy::default(),
                    "(\"@method\");created=1000;expires=999",
                    1000,
                )
            }),
        ),
        (
            "missing_required_component",
            Box::new(|| {
                verify_with(
                    Policy {
                        required: vec![Requirement::any_of(["@path"]).unwrap()],
                        ..Policy::default()
                    },
                    "(\"@method\")",
                    0,
                )
            }),
        ),
        (
            "algorithm_not_allowed",
            Box::new(|| {
                verify_with(
                    Policy {
                        allowed_algorithms: Some(vec![Algorithm::RsaPssSha512]),
                        ..Policy::default()
                    },
                    "(\"@method\")",
                    0,
                )
            }),
        ),
        (
            "nonce_required",
            Box::new(|| {
                verify_with(
                    Policy {
                        require_nonce: true,
                        ..Policy::default()
                    },
                    "(\"@method\")",
                    0,
                )
            }),
        ),
        (
            "nonce_replayed",
            Box::new(|| {
                struct Seen;
                impl httpseal::NonceCheck for Seen {
                    fn check_and_record(&self, _: &str, _: u64) -> bool {
                        false
                    }
                }
                let (msg, keys) = signed("(\"@method\");nonce=\"n\"");
                verdict_of(verify_message(
                    &allowing_test_keys(Policy::default()),
                    &msg,
                    &keys,
                    0,
                    Some(&Seen),
                ))
            }),
        ),
        (
            "unusable_signature_agent",
            Box::new(|| {
                err(
                    parse_signature_agent("a=\"https://a.test\";type=zz").unwrap()[0]
                        .locate(AgentOptions::default()),
                )
            }),
        ),
        (
            "ambiguous_signature_agent",
            Box::new(|| {
                let msg = req(&[(
                    "Signature-Agent",
                    "a=\"https://a.test\", b=\"https://b.test\"",
                )]);
                err(webbotauth::covered_member(
                    &msg,
                    "sig1",
                    &[ComponentId::parse("signature-agent").unwrap()],
                ))
            }),
        ),
        (
            "directory_unavailable",
            Box::new(|| {
                // The typed cause (`fetch_status`) inside the verdict's error.
                let url = "https://a.test/.well-known/http-message-signatures-directory";
                err(check_directory_response(404, Some("application/json")).map_err(|f| f.at(url)))
            }),
        ),
        (
            "invalid_directory",
            Box::new(|| err(parse_directory(b"{\"nokeys\":[]}", 0))),
        ),
        (
            "keyid_not_thumbprint",
            Box::new(|| {
                let (msg, keys) = signed("(\"@method\");keyid=\"test-key-ed25519\"");
                let policy = Policy {
                    keyid_is_thumbprint: true,
                    ..Policy::default()
                };
                verdict_of(verify_message(
                    &allowing_test_keys(policy),
                    &msg,
                    &keys,
                    0,
                    None,
                ))
            }),
        ),
        (
            "malformed_signature_key",
            Box::new(|| err(httpseal::sigkey::parse_signature_key("sig=jwks"))),
        ),
        (
            "unsupported_scheme",
            Box::new(|| err(httpseal::sigkey::parse_signature_key("sig=magic"))),
        ),
        ("invalid_jwt", Box::new(|| err(Jwt::decode("a.b")))),
        (
            "expired_jwt",
            Box::new(|| {
                let claims = httpseal::b64::url_encode(b"{\"exp\":5}");
                let header = httpseal::b64::url_encode(b"{\"alg\":\"EdDSA\"}");
                err(Jwt::decode(&format!("{header}.{claims}.AA"))
                    .unwrap()
                    .check_times(100, 0))
            }),
        ),
        (
            "issuer_mismatch",
            Box::new(|| {
                use httpseal::sigkey::{ResolveOptions, Scheme, resolve};
                let docs = BTreeMap::from([(
                    "https://i.test/.well-known/c".to_string(),
                    b"{\"issuer\":\"https://other.test\"}".to_vec(),
                )]);
                let scheme = Scheme::JwksUri {
                    id: "https://i.test".into(),
                    dwk: "c".into(),
                    kid: "k".into(),
                };
                err(resolve(&scheme, &docs, ResolveOptions::default()))
            }),
        ),
        (
            "malformed_message",
            Box::new(|| err(parse_http1(b"GET\r\n\r\n", "https"))),
        ),
        (
            "invalid_url",
            Box::new(|| err(HttpMessage::request("GET", "/relative"))),
        ),
        (
            "test_key",
            Box::new(|| {
                // The B.1.4 key is refused by default (draft -01 §6.8).
                let (msg, keys) = signed("(\"@method\")");
                verdict_of(verify_message(&Policy::default(), &msg, &keys, 0, None))
            }),
        ),
        (
            "incomplete_coverage",
            Box::new(|| {
                // The outer signature covers the inner one's bytes, not its parameters
                // (draft -01 §5.2.2).
                let key = Key::ed25519_private(&[3; 32]).unwrap();
                let mut msg = req(&[]);
                Signer::new(&key)
                    .unwrap()
                    .label("inner")
                    .unwrap()
                    .components(["@method"])
                    .unwrap()
                    .sign(&msg, None)
                    .unwrap()
                    .apply_to(&mut msg)
                    .unwrap();
                Signer::new(&key)
                    .unwrap()
                    .label("outer")
                    .unwrap()
                    .components(["@method", "signature;key=\"inner\""])
                    .unwrap()
                    .sign(&msg, None)
                    .unwrap()
                    .apply_to(&mut msg)
                    .unwrap();
                let policy = Policy {
                    nested_coverage: true,
                    label: Some("outer".into()),
                    ..Policy::default()
                };
                let keys = JwkSet::from_keys([key.to_public()]);
                verdict_of(verify_message(&policy, &msg, &keys, 0, None))
            }),
        ),
        (
            "replay_check_unavailable",
            Box::new(|| {
                struct BrokenStore;
                impl BlockingHost for BrokenStore {
                    fn nonce(&mut self, _: &NonceRequest<'_>) -> NonceAnswer {
                        NonceAnswer::Unavailable("the store is down".into())
                    }
                }
                let (msg, keys) = signed("(\"@method\");nonce=\"n\"");
                let mut setup =
                    VerifySetup::new(allowing_test_keys(Policy::default()), 0).known(&keys);
                setup.nonces = true;
                verdict_of(drive::run(
                    &mut VerifyJob::new(msg, setup),
                    &mut BrokenStore,
                ))
            }),
        ),
        (
            "host_answer_missing",
            Box::new(|| {
                let (msg, keys) = signed("(\"@method\")");
                let setup = VerifySetup::new(allowing_test_keys(Policy::default()), 0).known(&keys);
                let mut job = VerifyJob::new(msg, setup);
                // The host takes the check and never answers it.
                assert!(matches!(job.next(), Step::Check(_)));
                assert!(matches!(job.next(), Step::Wait));
                job.abandon();
                assert!(matches!(job.next(), Step::Done));
                verdict_of(job.into_verdict().unwrap())
            }),
        ),
        (
            "limit_exceeded",
            Box::new(|| err(parse_jwk(&" ".repeat(httpseal::limits::MAX_JWKS_BYTES + 1)))),
        ),
    ]
}

#[test]
fn each_case_produces_its_code_and_outcome() {
    for (code, case) in cases() {
        let declared = ALL_CODES
            .iter()
            .find(|c| c.code == code)
            .unwrap_or_else(|| panic!("case {code}: not in ALL_CODES"));
        let (got, outcome) = case().unwrap_or_else(|| panic!("case {code}: no error"));
        assert_eq!(got, code, "case {code}");
        assert_eq!(
            outcome,
            Outcome::from(declared.class),
            "case {code}: the outcome is not its declared class"
        );
    }
}

#[test]
fn every_code_has_a_case() {
    let defined: BTreeSet<&str> = ALL_CODES.iter().map(|c| c.code).collect();
    assert_eq!(defined.len(), ALL_CODES.len(), "a code is declared twice");
    let cases = cases();
    let covered: BTreeSet<&str> = cases.iter().map(|(c, _)| *c).collect();
    assert_eq!(covered.len(), cases.len(), "a code has two cases");
    assert_eq!(covered, defined);
}

#[test]
fn policy_boundaries_are_inclusive() {
    let ok = |policy: Policy, params: &str, now: u64| {
        let (msg, keys) = signed(params);
        let v = verify_message(&allowing_test_keys(policy), &msg, &keys, now, None);
        assert_eq!(
            v.verdict,
            Outcome::Verified,
            "{params} at {now}: {:?}",
            v.error
        );
    };
    // Exactly at the skew, exactly at the limits: accepted.
    ok(Policy::default(), "(\"@method\");created=1060", 1000);
    ok(Policy::default(), "(\"@method\");expires=940", 1000);
    ok(
        Policy {
            max_age: Some(100),
            ..Policy::default()
        },
        "(\"@method\");created=840",
        1000,
    );
    ok(
        Policy {
            max_lifetime: Some(10),
            ..Policy::default()
        },
        "(\"@method\");created=990;expires=1000",
        1000,
    );
    ok(
        Policy {
            skew: 0,
            ..Policy::default()
        },
        "(\"@method\");created=1000;expires=1000",
        1000,
    );
    // A required component given as any-of; a requirement with parameters.
    let req_any = Requirement::any_of(["@authority", "@method"]).unwrap();
    ok(
        Policy {
            required: vec![req_any],
            ..Policy::default()
        },
        "(\"@method\")",
        0,
    );
    // The covered content-digest matches the body.
    ok(
        Policy {
            require_digest_for_body: true,
            ..Policy::default()
        },
        "(\"@method\" \"content-digest\")",
        0,
    );
}

#[test]
fn body_rules() {
    let (mut msg, keys) = signed("(\"@method\" \"content-digest\")");
    msg.body = Some(b"tampered".to_vec());
    let v = verify_message(&allowing_test_keys(Policy::default()), &msg, &keys, 0, None);
    assert_eq!(verdict_code(v).as_deref(), Some("content_digest_mismatch"));
    // Digest checking can be turned off (a host that verifies without the body).
    let v = verify_message(
        &allowing_test_keys(Policy {
            check_content_digest: false,
            ..Policy::default()
        }),
        &msg,
        &keys,
        0,
        None,
    );
    assert_eq!(v.verdict, Outcome::Verified);
    // A body the signature does not cover, when the policy requires coverage.
    let (msg, keys) = signed("(\"@method\")");
    let v = verify_message(
        &allowing_test_keys(Policy {
            require_digest_for_body: true,
            ..Policy::default()
        }),
        &msg,
        &keys,
        0,
        None,
    );
    assert_eq!(
        verdict_code(v).as_deref(),
        Some("missing_required_component")
    );
}

#[test]
fn hmac_never_verifies_with_a_public_keys_bytes() {
    // Algorithm confusion: an attacker MACs the base with the verifier's *public* key
    // bytes and claims alg="hmac-sha256". The key is bound to Ed25519, so this fails
    // before any MAC is computed.
    let public = rfc_key("test-key-ed25519").to_public();
    let (mut msg, _) = signed("(\"@method\");alg=\"hmac-sha256\"");
    let x = httpseal::b64::url_decode(public.public_jwk()["x"].as_str().unwrap()).unwrap();
    let mut mac_key = x.clone();
    mac_key.resize(32, 0);
    let forged = Key::hmac(&mac_key)
        .unwrap()
        .sign(
            Algorithm::HmacSha256,
            base(&msg, "(\"@method\");alg=\"hmac-sha256\"")
                .unwrap()
                .as_bytes(),
            None,
        )
        .unwrap();
    msg.remove_header("signature");
    msg.push_header(
        "Signature",
        &format!("sig1=:{}:", httpseal::b64::encode(&forged)),
    );
    let v = verify_message(
        &allowing_test_keys(Policy::default()),
        &msg,
        &JwkSet::from_keys([public]),
        0,
        None,
    );
    assert_eq!(
        (v.verdict, verdict_code(v.clone()).as_deref()),
        (Outcome::Invalid, Some("algorithm_mismatch"))
    );
    // And a PEM public key cannot become an HMAC key either.
    let pem = std::fs::read_to_string(format!(
        "{}/tests/vectors/rfc9421/keys/test-key-ed25519.pub.pem",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    assert_eq!(
        key_from_pem(&pem)
            .unwrap()
            .resolve_algorithm(Some("hmac-sha256"))
            .unwrap_err()
            .code(),
        "algorithm_mismatch"
    );
}

#[test]
fn verify_request_json_errors_name_the_problem() {
    let e =
        VerifyRequestJson::parse("{\"method\":\"GET\",\"url\":\"https://a/\",\"now\":\"soon\"}")
            .unwrap_err();
    assert!(e.to_string().contains("now"), "{e}");
    let _ = AgentOptions::default();
}

#[test]
fn hostile_private_keys_are_errors_not_panics() {
    // ed25519-compact panics on an all-zero seed; the JWK reader must refuse it instead.
    let zero = httpseal::b64::url_encode(&[0; 32]);
    let jwk = format!("{{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"{zero}\",\"d\":\"{zero}\"}}");
    assert_eq!(parse_jwk(&jwk).unwrap_err().code(), "invalid_key");
    assert_eq!(
        Key::ed25519_private(&[0; 32]).unwrap_err().code(),
        "invalid_key"
    );
    // A zero EC scalar and an out-of-range one.
    let ec = |d: &[u8]| {
        format!(
            "{{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"{0}\",\"y\":\"{0}\",\"d\":\"{1}\"}}",
            httpseal::b64::url_encode(&[1; 32]),
            httpseal::b64::url_encode(d)
        )
    };
    assert!(parse_jwk(&ec(&[0; 32])).is_err());
    assert!(parse_jwk(&ec(&[0xff; 32])).is_err());
    assert!(Key::ec_private(&[0; 32]).is_err());
    // Key generation from an all-zero seed.
    assert!(Key::generate(Algorithm::Ed25519, &[0; 32]).is_err());
}
