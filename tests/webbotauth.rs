//! Web Bot Auth: the protocol draft's Appendix E vectors, Cloudflare's v1/v2 vectors, the
//! Signature-Agent cases, signed directories, and a negative test for every profile rule.

mod common;
#[path = "common/sim.rs"]
mod sim;

use common::*;
use httpseal::fetch::{FetchFailure, FetchPurpose, FetchRules};
use httpseal::job::{Answer, DirectoryAccess, Step, VerifyJob, VerifySetup};
use httpseal::webbotauth::{
    self, AgentOptions, AgentType, DirectoryProof, ProofStatus, parse_directory,
    parse_signature_agent, sign_directory, verify_directory_response,
};
use httpseal::{
    Error, HttpMessage, JwkSet, Key, Outcome, Policy, Profile, SfRegistry, Verdict, parse_jwk,
    signature_base,
};
use serde_json::{Value, json};
use sim::{Seen, Sim};

const AGENT_DIRECTORY: &str =
    "https://signature-agent.test/.well-known/http-message-signatures-directory";
/// Inside the validity of every vector, including those whose `expires` has passed.
const VECTOR_NOW: u64 = 1_735_690_000;

fn protocol() -> Value {
    vectors("webbotauth/httpsig-protocol-vectors.json")
}

fn ed25519_key() -> Key {
    let k = &protocol()["keys"]["ed25519_rfc9421_B14"]["jwk_private"];
    parse_jwk(&k.to_string()).unwrap()
}

fn rsa_public_key() -> Key {
    let k = &protocol()["keys"]["rsa_pss_rfc9421_B12"];
    parse_jwk(&json!({"kty": "RSA", "n": k["n"], "e": k["e"]}).to_string()).unwrap()
}

/// Agent directories a verifier holds, by URL.
type Dirs = Vec<(&'static str, Vec<Key>)>;

/// The agent's directory as a verifier holds it after fetching. The vectors' agent,
/// `signature-agent.test`, is a name the fetch rules never send a request to (a reserved
/// TLD), so its directory is in the host's store, as an earlier fetch left it.
fn directory_of(keys: &[Key]) -> Dirs {
    vec![(AGENT_DIRECTORY, keys.to_vec())]
}

/// A simulated host at `now` whose store holds `dirs`, fresh.
fn host_with(dirs: &Dirs, now: u64) -> Sim {
    let mut sim = Sim::at(now);
    for (url, keys) in dirs {
        let keys: Vec<&Key> = keys.iter().collect();
        sim.keep_keys(url, &keys, 3600);
    }
    sim
}

/// Verifies a Web Bot Auth request through the verifier job, with the directories in
/// `dirs` already in the host's store and `known` keys trusted (looked up first), no
/// replay store.
fn verify_request(
    policy: &Policy,
    msg: &HttpMessage,
    dirs: &Dirs,
    known: Option<&JwkSet>,
    now: u64,
) -> Verdict {
    let mut sim = host_with(dirs, now);
    let mut setup = sim.setup(policy.clone());
    setup.nonces = false;
    if let Some(keys) = known {
        setup = setup.known(keys);
    }
    sim.run(msg, setup)
}

fn request(url: &str, headers: &[(&str, &str)]) -> HttpMessage {
    let mut m = HttpMessage::request("GET", url).unwrap();
    for (n, v) in headers {
        m.push_header(n, v);
    }
    m
}

fn signed_request(v: &Value) -> HttpMessage {
    let mut headers = vec![];
    if let Some(agent) = v["signature_agent"].as_str() {
        headers.push(("Signature-Agent", agent));
    }
    headers.push(("Signature-Input", v["signature_input"].as_str().unwrap()));
    headers.push(("Signature", v["signature"].as_str().unwrap()));
    request("https://example.com/path/to/resource", &headers)
}

/// The web-bot-auth profile, with the published test keys accepted: the draft's vectors
/// and these tests sign with RFC 9421 B.1.4 (and B.1.2), which the profile refuses by
/// default (draft -01 §6.8; `the_drafts_test_keys_are_refused_by_default`).
fn wba() -> httpseal::Policy {
    allowing_test_keys(Profile::WebBotAuth.policy())
}

/// The profile with the 24 h lifetime rule relaxed: the protocol's E.1.1/E.2.1 and
/// Cloudflare's v2 vectors are signed with `expires` 100 years after `created`.
fn wba_long_lived() -> httpseal::Policy {
    httpseal::Policy {
        max_lifetime: None,
        ..wba()
    }
}

#[test]
fn protocol_request_vectors_verify_through_the_directory() {
    let doc = protocol();
    let dirs = directory_of(&[ed25519_key().to_public(), rsa_public_key()]);
    let mut count = 0;
    for v in doc["vectors"].as_array().unwrap() {
        let id = v["id"].as_str().unwrap();
        if id.starts_with("E.2.3") {
            continue; // the directory response, below
        }
        let msg = signed_request(v);
        let sig = &httpseal::parse_signatures(&msg).unwrap()[0];
        let base = signature_base(&msg, &sig.params, &SfRegistry::new()).unwrap();
        assert_eq!(base, v["signature_base"].as_str().unwrap(), "{id}");
        let verdict = verify_request(&wba_long_lived(), &msg, &dirs, None, VECTOR_NOW);
        assert_eq!(
            verdict.verdict,
            Outcome::Verified,
            "{id}: {:?}",
            verdict.error
        );
        // Under the default profile, the 100-year lifetime of E.x.1 breaks the 24 h rule.
        let strict = verify_request(&wba(), &msg, &dirs, None, VECTOR_NOW);
        let lifetime = v["signature_input"]
            .as_str()
            .unwrap()
            .contains("expires=4889289600");
        assert_eq!(strict.is_verified(), !lifetime, "{id}");
        if lifetime {
            assert_eq!(strict.error_code(), Some("lifetime_too_long"));
        }
        assert_eq!(verdict.agent.as_deref(), Some(AGENT_DIRECTORY), "{id}");
        // The identifier is the URL the key came from (draft -01 §4.1); the directory in
        // the store carried no response signature.
        assert_eq!(verdict.identifier.as_deref(), Some(AGENT_DIRECTORY), "{id}");
        assert_eq!(verdict.directory_proof, Some(ProofStatus::Absent), "{id}");
        assert_eq!(
            verdict.alg.as_deref(),
            Some(v["alg"].as_str().unwrap()),
            "{id}"
        );
        count += 1;
    }
    assert_eq!(count, 4);
}

#[test]
fn ed25519_protocol_vectors_resign_byte_for_byte() {
    let key = ed25519_key();
    for v in protocol()["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["alg"] == "ed25519")
    {
        let sig = key
            .sign(
                httpseal::Algorithm::Ed25519,
                v["signature_base"].as_str().unwrap().as_bytes(),
                None,
            )
            .unwrap();
        let expected = v["signature"].as_str().unwrap();
        let b64 = expected.split(":").nth(1).unwrap();
        assert_eq!(httpseal::b64::encode(&sig), b64, "{}", v["id"]);
    }
}

#[test]
fn expired_vectors_are_refused_at_todays_date() {
    let dirs = directory_of(&[ed25519_key().to_public()]);
    let v = protocol()["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == "E.2.2-ed25519-legacy-sf-string")
        .unwrap()
        .clone();
    let verdict = verify_request(&wba(), &signed_request(&v), &dirs, None, 1_795_000_000);
    assert_eq!(verdict.verdict, Outcome::Invalid);
    assert_eq!(verdict.error_code(), Some("expired"));
}

#[test]
fn the_drafts_test_keys_are_refused_by_default() {
    // Draft -01 §6.8: "Verifiers SHOULD reject known test keys when they are detected in
    // key directories or out-of-band configuration." Every vector of the draft is signed
    // with RFC 9421 B.1.4 (Ed25519) or B.1.2 (RSA-PSS).
    let dirs = directory_of(&[ed25519_key().to_public(), rsa_public_key()]);
    let refusing = httpseal::Policy {
        max_lifetime: None,
        ..Profile::WebBotAuth.policy()
    };
    for v in protocol()["vectors"].as_array().unwrap() {
        let id = v["id"].as_str().unwrap();
        if id.starts_with("E.2.3") {
            continue;
        }
        let verdict = verify_request(&refusing, &signed_request(v), &dirs, None, VECTOR_NOW);
        assert_eq!(
            (verdict.verdict, verdict.error_code()),
            (Outcome::Invalid, Some("test_key")),
            "{id}"
        );
        let message = verdict.error.unwrap().to_string();
        assert!(
            message.contains("test key") && message.contains("allowTestKeys"),
            "{id}: {message}"
        );
    }
}

fn directory_vector() -> Value {
    protocol()["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == "E.2.3-signed-directory-response")
        .unwrap()
        .clone()
}

fn directory_response(v: &Value, body: &str) -> HttpMessage {
    let req = httpseal::parse_http1(v["request"].as_str().unwrap().as_bytes(), "https").unwrap();
    HttpMessage::response(200)
        .unwrap()
        .with_header("Content-Type", webbotauth::DIRECTORY_MEDIA_TYPE)
        .with_header("Content-Digest", v["content_digest"].as_str().unwrap())
        .with_header("Signature-Input", v["signature_input"].as_str().unwrap())
        .with_header("Signature", v["signature"].as_str().unwrap())
        .with_body(body.as_bytes())
        .with_related_request(req)
}

#[test]
fn signed_directory_response_e23_verifies() {
    let v = directory_vector();
    let body = v["response_body_exact_no_trailing_newline"]
        .as_str()
        .unwrap();
    let keys = parse_directory(body.as_bytes(), VECTOR_NOW).unwrap();
    assert_eq!(keys.keys().len(), 1);
    let resp = directory_response(&v, body);
    let sig = &httpseal::parse_signatures(&resp).unwrap()[0];
    assert_eq!(
        signature_base(&resp, &sig.params, &SfRegistry::new()).unwrap(),
        v["signature_base"].as_str().unwrap()
    );
    assert_eq!(
        verify_directory_response(&resp, &keys, 1_795_000_000),
        DirectoryProof::Signed {
            keys: vec!["poqkLGiymh_W0uP6PZFw-dvez3QJT5SolqXBCW38r0U".into()]
        }
    );
    // A body that was changed no longer matches its Content-Digest: the proof is invalid.
    let tampered = directory_response(&v, &body.replace("sig", "enc"));
    match verify_directory_response(&tampered, &keys, 1_795_000_000) {
        DirectoryProof::Invalid { error, .. } => assert_eq!(error.code, "content_digest_mismatch"),
        other => panic!("{other:?}"),
    }
    // Created in the future: a verifier must reject it.
    match verify_directory_response(&resp, &keys, 1_700_000_000) {
        DirectoryProof::Invalid { error, .. } => assert_eq!(error.code, "created_in_future"),
        other => panic!("{other:?}"),
    }
    // Served under another authority, the binding fails.
    let mut moved = directory_response(&v, body);
    moved.related_request = Some(Box::new(request(
        "https://elsewhere.test/.well-known/http-message-signatures-directory",
        &[],
    )));
    assert!(matches!(
        verify_directory_response(&moved, &keys, 1_795_000_000),
        DirectoryProof::Invalid { .. }
    ));
    // A directory without signatures is unsigned, not invalid.
    let unsigned = HttpMessage::response(200)
        .unwrap()
        .with_body(body.as_bytes())
        .with_related_request(request("https://signature-agent.test/", &[]));
    assert_eq!(
        verify_directory_response(&unsigned, &keys, 1_795_000_000),
        DirectoryProof::Unsigned
    );
}

#[test]
fn directory_is_built_and_signed_exactly_as_e23() {
    let v = directory_vector();
    let signed = sign_directory(
        &[ed25519_key()],
        "signature-agent.test",
        1_735_689_600,
        4_889_289_600,
        &[0; 32],
    )
    .unwrap();
    assert_eq!(
        signed.body,
        v["response_body_exact_no_trailing_newline"]
            .as_str()
            .unwrap()
    );
    let header = |n: &str| {
        signed
            .headers
            .iter()
            .find(|(h, _)| h.eq_ignore_ascii_case(n))
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(header("content-digest"), v["content_digest"].as_str());
    assert_eq!(header("signature-input"), v["signature_input"].as_str());
    assert_eq!(header("signature"), v["signature"].as_str());
    assert_eq!(
        header("content-type"),
        Some(webbotauth::DIRECTORY_MEDIA_TYPE)
    );
}

#[test]
fn multi_key_directories_carry_one_signature_per_key() {
    let keys = [
        Key::ed25519_private(&[1; 32]).unwrap(),
        Key::ed25519_private(&[2; 32]).unwrap(),
    ];
    let signed = sign_directory(&keys, "agent.example", 1_000, 2_000, &[0; 32]).unwrap();
    let mut resp = HttpMessage::response(200)
        .unwrap()
        .with_body(signed.body.as_bytes());
    for (n, v) in &signed.headers {
        resp.push_header(n, v);
    }
    let resp = resp.with_related_request(request(
        "https://agent.example/.well-known/http-message-signatures-directory",
        &[],
    ));
    let set = parse_directory(signed.body.as_bytes(), 1_500).unwrap();
    match verify_directory_response(&resp, &set, 1_500) {
        DirectoryProof::Signed { keys: proven } => {
            assert_eq!(proven, [keys[0].thumbprint(), keys[1].thumbprint()])
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn directory_parsing_rules() {
    let k = ed25519_key().to_public();
    let mut good = webbotauth::directory_jwk(&k);
    let doc = |keys: Vec<Value>| json!({ "keys": keys }).to_string();
    // A kid that is not the thumbprint (the draft's own example kid NFcW... is not) is an
    // operator's label: draft -01 §5.5 ("A verifier that cannot match `keyid` against `kid`
    // there computes thumbprints instead") keeps the key. Where keyid must be the
    // thumbprint (Web Bot Auth) the job looks keys up by thumbprint only, so the label never
    // selects the key; elsewhere (an operator's JWK Set, Visa TAP) keyid names the kid.
    // (Before -01, httpseal skipped such keys with keyid_not_thumbprint.)
    let mut wrong_kid = good.clone();
    wrong_kid.insert(
        "kid".into(),
        "NFcWBst6DXG-N35nHdzMrioWntdzNZghQSkjHNMMSjw".into(),
    );
    let set = parse_directory(doc(vec![Value::Object(wrong_kid)]).as_bytes(), VECTOR_NOW).unwrap();
    assert_eq!(set.keys().len(), 1);
    assert!(set.skipped().is_empty());
    assert_eq!(
        set.find(Some(&k.thumbprint())).unwrap().thumbprint(),
        k.thumbprint()
    );
    assert_eq!(
        set.find_thumbprint("NFcWBst6DXG-N35nHdzMrioWntdzNZghQSkjHNMMSjw")
            .unwrap_err()
            .code(),
        "unknown_key",
        "by thumbprint, the label never selects the key"
    );
    assert_eq!(
        set.find(Some("NFcWBst6DXG-N35nHdzMrioWntdzNZghQSkjHNMMSjw"))
            .unwrap()
            .thumbprint(),
        k.thumbprint(),
        "by keyid, the kid names it"
    );
    // Shared secrets and private keys never belong in a directory.
    let oct = json!({"kty": "oct", "k": httpseal::b64::url_encode(&[7; 32])});
    let private = Value::Object(ed25519_key().private_jwk().unwrap());
    let set = parse_directory(doc(vec![oct, private]).as_bytes(), VECTOR_NOW).unwrap();
    assert!(set.is_empty());
    // nbf / exp windows.
    good.insert("nbf".into(), json!(VECTOR_NOW + 10));
    assert!(
        parse_directory(
            doc(vec![Value::Object(good.clone())]).as_bytes(),
            VECTOR_NOW
        )
        .unwrap()
        .is_empty()
    );
    good.insert("nbf".into(), json!(VECTOR_NOW - 10));
    good.insert("exp".into(), json!(VECTOR_NOW - 1));
    assert!(
        parse_directory(
            doc(vec![Value::Object(good.clone())]).as_bytes(),
            VECTOR_NOW
        )
        .unwrap()
        .is_empty()
    );
    good.insert("exp".into(), json!(VECTOR_NOW + 100));
    assert_eq!(
        parse_directory(
            doc(vec![Value::Object(good.clone())]).as_bytes(),
            VECTOR_NOW
        )
        .unwrap()
        .keys()
        .len(),
        1
    );
    // Unknown key types are skipped, not fatal.
    let x448 = json!({"kty": "OKP", "crv": "X448", "x": "AAAA"});
    assert_eq!(
        parse_directory(
            doc(vec![x448, Value::Object(good.clone())]).as_bytes(),
            VECTOR_NOW
        )
        .unwrap()
        .keys()
        .len(),
        1
    );
    // Limits: body size and key count.
    let big = " ".repeat(webbotauth::MAX_DIRECTORY_BYTES + 1);
    assert_eq!(
        parse_directory(big.as_bytes(), 0).unwrap_err().code(),
        "invalid_directory"
    );
    let many: Vec<Value> = (0..webbotauth::MAX_DIRECTORY_KEYS + 5)
        .map(|_| Value::Object(good.clone()))
        .collect();
    let set = parse_directory(doc(many).as_bytes(), VECTOR_NOW).unwrap();
    assert_eq!(set.keys().len(), webbotauth::MAX_DIRECTORY_KEYS);
    assert!(parse_directory(b"[]", 0).is_err());
    assert!(parse_directory(b"{\"keys\": 1}", 0).is_err());
    // A single bare JWK (no keys array) is a one-key directory: a compatibility rule for
    // what Shopify serves (draft -01 §5.5.1 asks for a JWK Set).
    let bare = Value::Object(good.clone()).to_string();
    assert_eq!(
        parse_directory(bare.as_bytes(), VECTOR_NOW)
            .unwrap()
            .keys()
            .len(),
        1
    );
    // Status and media type of the fetched document.
    assert!(
        webbotauth::check_directory_response(
            200,
            Some("application/http-message-signatures-directory+json; charset=utf-8")
        )
        .is_ok()
    );
    assert!(webbotauth::check_directory_response(200, Some("application/json")).is_ok());
    // A failed check is a typed discovery failure (the cause inside the verdict's
    // directory_unavailable), never evidence against the signer (draft -01 §6.10): a 3xx is a
    // status failure (§5.5: never followed), and an HTML page is no directory.
    let redirect = webbotauth::check_directory_response(301, Some("application/json")).unwrap_err();
    assert_eq!(redirect.code(), "fetch_status");
    assert_eq!(redirect.at(AGENT_DIRECTORY).code(), "directory_unavailable");
    let html = webbotauth::check_directory_response(200, Some("text/html")).unwrap_err();
    assert_eq!(html.code(), "directory_media_type");
    assert_eq!(Outcome::of(&html.at(AGENT_DIRECTORY)), Outcome::Unverified);
}

#[test]
fn cloudflare_v1_and_v2_vectors() {
    for file in [
        "web_bot_auth_architecture_v1.json",
        "web_bot_auth_architecture_v2.json",
    ] {
        for v in vectors(&format!("webbotauth/{file}")).as_array().unwrap() {
            let key = parse_jwk(&v["key"].to_string()).unwrap();
            let known = JwkSet::from_keys([key.to_public()]);
            let dirs = directory_of(&[key.to_public()]);
            let msg = signed_request(v);
            let now = v["created_ms"].as_u64().unwrap() / 1000 + 10;
            let verdict = verify_request(&wba_long_lived(), &msg, &dirs, Some(&known), now);
            assert_eq!(
                verdict.verdict,
                Outcome::Verified,
                "{file} {}: {:?}",
                v["label"],
                verdict.error
            );
            // A key the verifier holds is looked up before any directory, and attributes
            // the request no further than its holder: no agent, the thumbprint as the
            // identifier (draft -01 §4.3, §6.10). Before the verifier job, a key found in
            // both was attributed to the agent.
            assert_eq!(verdict.agent, None, "{file} {}", v["label"]);
            assert_eq!(verdict.identifier, Some(key.thumbprint()));
            assert_eq!(verdict.nonce.as_deref(), v["nonce"].as_str());
            // Through the directory alone, a request that names its agent is attributed
            // to it (§4.1); one that names none is unverified.
            let has_agent = v.get("signature_agent").is_some();
            let by_directory = verify_request(&wba_long_lived(), &msg, &dirs, None, now);
            assert_eq!(
                by_directory.is_verified(),
                has_agent,
                "{file} {}",
                v["label"]
            );
            assert_eq!(
                by_directory.agent.is_some(),
                has_agent,
                "{file} {}",
                v["label"]
            );
            // Without any keys the same request is unverified, never invalid.
            let none = verify_request(&wba_long_lived(), &msg, &Dirs::new(), None, now);
            assert_eq!(none.verdict, Outcome::Unverified, "{file}");
        }
    }
}

#[test]
fn signature_agent_forms() {
    let default = AgentOptions::default();
    let draft00 = AgentOptions {
        draft00_members: true,
        ..default
    };
    for case in vectors("webbotauth/web_bot_auth_signature_agent_v1.json")
        .as_array()
        .unwrap()
    {
        let members = parse_signature_agent(case["header"].as_str().unwrap()).unwrap();
        let entries = case["entries"].as_array().unwrap();
        assert_eq!(members.len(), entries.len());
        for (m, e) in members.iter().zip(entries) {
            assert_eq!(m.key.as_deref(), e["label"].as_str());
            assert_eq!(m.uri, e["uri"].as_str().unwrap());
            // These are draft -00 forms: a typed member is read only with draft00Members.
            let loc = m.locate(draft00).unwrap();
            let kind = match e["type"].as_str().unwrap() {
                "directory" => AgentType::Directory,
                "jwks_uri" => AgentType::JwksUri,
                _ => AgentType::Cimd,
            };
            assert_eq!(loc.kind, kind, "{}", case["name"]);
            // Draft -01 §5.2.1: "A verifier MUST ignore a member that carries parameters."
            match m.declared_type {
                None => assert_eq!(m.locate(default).unwrap(), loc, "{}", case["name"]),
                Some(_) => assert_eq!(
                    m.locate(default).unwrap_err().code(),
                    "unusable_signature_agent",
                    "{}",
                    case["name"]
                ),
            }
        }
    }
    let cases = vectors("webbotauth/signature-agent-cases.json");
    let by_header = |h: &str| {
        cases["cases"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["header"] == h)
            .unwrap()
            .clone()
    };
    // Origin-only: the well-known directory.
    let c = by_header("sig1=\"https://signature-agent.test\"");
    let loc = parse_signature_agent(c["header"].as_str().unwrap()).unwrap()[0]
        .locate(default)
        .unwrap();
    assert_eq!(loc.fetch_url, c["fetch_meunier02"].as_str().unwrap());
    // A URL with a path and no type: fetched directly as a JWK Set (the WG copy's reading).
    let loc = parse_signature_agent("sig1=\"https://signature-agent.test/jwks.json\"").unwrap()[0]
        .locate(default)
        .unwrap();
    assert_eq!(
        (loc.kind, loc.fetch_url.as_str()),
        (AgentType::JwksUri, "https://signature-agent.test/jwks.json")
    );
    // Legacy sf-string, and several members.
    let legacy = parse_signature_agent("\"https://signature-agent.test\"").unwrap();
    assert_eq!((legacy.len(), legacy[0].key.as_deref()), (1, None));
    assert_eq!(
        parse_signature_agent(
            "agent=\"https://agent.alice.example\", browser=\"https://browser.example\""
        )
        .unwrap()
        .len(),
        2
    );
    // Draft -01 §5.2.1: a member that carries parameters is ignored, whatever they are
    // (before -01, unknown parameters were ignored and the member used). With draft -00
    // typed members read, parameters other than a known `type` still make it unusable.
    for header in [
        "g=\"https://agent.bot.goog\";foo=1",
        "g=\"https://agent.bot.goog\";type=other",
    ] {
        let m = &parse_signature_agent(header).unwrap()[0];
        for options in [default, draft00] {
            assert_eq!(
                m.locate(options).unwrap_err().code(),
                "unusable_signature_agent",
                "{header} {options:?}"
            );
        }
    }
    let m = &parse_signature_agent("g=\"https://agent.bot.goog\"").unwrap()[0];
    assert_eq!(m.locate(default).unwrap().kind, AgentType::Directory);
    // data: URIs (directory-00 and earlier) are refused.
    assert!(
        parse_signature_agent(&format!(
            "my_test={}",
            "\"data:application/http-message-signatures-directory;utf8,{}\""
        ))
        .unwrap()[0]
            .locate(default)
            .is_err()
    );
}

/// Signs a Web Bot Auth request with the B.1.4 key, covering what `components` says.
fn wba_request(agent_header: Option<&str>, components: &str, extra: &str) -> HttpMessage {
    let key = ed25519_key();
    let input = format!(
        "({components});created={};keyid=\"{}\";alg=\"ed25519\";expires={}{extra};tag=\"web-bot-auth\"",
        VECTOR_NOW - 10,
        key.thumbprint(),
        VECTOR_NOW + 50
    );
    signed_by(&key, agent_header, &input)
}

/// A GET signed by `key` (with its own algorithm) under the `Signature-Input` member
/// value `input`, labelled `sig1`, with an optional `Signature-Agent`.
fn signed_by(key: &Key, agent_header: Option<&str>, input: &str) -> HttpMessage {
    let mut msg = request("https://example.com/path/to/resource", &[]);
    if let Some(a) = agent_header {
        msg.push_header("Signature-Agent", a);
    }
    let params = httpseal::SignatureParams::parse(input).unwrap();
    let base = signature_base(&msg, &params, &SfRegistry::new()).unwrap();
    let sig = key
        .sign(key.algorithm().unwrap(), base.as_bytes(), None)
        .unwrap();
    msg.push_header("Signature-Input", &format!("sig1={input}"));
    msg.push_header(
        "Signature",
        &format!("sig1=:{}:", httpseal::b64::encode(&sig)),
    );
    msg
}

fn verdict_of(msg: &HttpMessage) -> httpseal::Verdict {
    verdict_under(&wba(), msg)
}

/// [`verdict_of`] under another policy.
fn verdict_under(policy: &Policy, msg: &HttpMessage) -> httpseal::Verdict {
    verify_request(
        policy,
        msg,
        &directory_of(&[ed25519_key().to_public()]),
        None,
        VECTOR_NOW,
    )
}

/// The profile reading draft -00 typed members (`draft00Members`).
fn wba_draft00() -> Policy {
    let mut policy = wba();
    policy.signature_agent = Some(AgentOptions {
        draft00_members: true,
        ..AgentOptions::default()
    });
    policy
}

fn code(v: &httpseal::Verdict) -> String {
    v.error_code().unwrap_or_default().to_string()
}

#[test]
fn negative_signature_agent_cases() {
    let agent = Some("agent2=\"https://signature-agent.test\"");
    // The good case, for contrast.
    let ok = wba_request(
        agent,
        "\"@authority\" \"signature-agent\";key=\"agent2\"",
        "",
    );
    assert_eq!(verdict_of(&ok).verdict, Outcome::Verified);
    // NV-12: no Signature-Agent (and no key known otherwise) -> unverified.
    let v = verdict_of(&wba_request(None, "\"@authority\"", ""));
    assert_eq!(
        (v.verdict, code(&v).as_str()),
        (Outcome::Unverified, "unknown_key")
    );
    // NV-13: several members, the signature names none.
    let two = Some("a=\"https://signature-agent.test\", b=\"https://other.test\"");
    let v = verdict_of(&wba_request(two, "\"@authority\" \"signature-agent\"", ""));
    assert_eq!(
        (v.verdict, code(&v).as_str()),
        (Outcome::Invalid, "ambiguous_signature_agent")
    );
    // NV-14: the covered member is absent (an intermediary renamed it).
    let mut renamed = wba_request(
        Some("zzz=\"https://signature-agent.test\""),
        "\"@authority\" \"signature-agent\";key=\"zzz\"",
        "",
    );
    renamed.remove_header("signature-agent");
    renamed.push_header("Signature-Agent", "agent2=\"https://signature-agent.test\"");
    let v = verdict_of(&renamed);
    assert_eq!(
        (v.verdict, code(&v).as_str()),
        (Outcome::Invalid, "dictionary_key_not_found")
    );
    // NV-16: not https.
    let v = verdict_of(&wba_request(
        Some("agent2=\"http://signature-agent.test\""),
        "\"@authority\" \"signature-agent\";key=\"agent2\"",
        "",
    ));
    assert_eq!(
        (v.verdict, code(&v).as_str()),
        (Outcome::Invalid, "invalid_url")
    );
    // NV-17: type=directory with a path -> member ignored -> unverified. Under draft -01
    // any member with a parameter is ignored (§5.2.1); with draft -00 typed members read,
    // type=directory on a URL that is not an origin makes it unusable, as before.
    let nv17 = wba_request(
        Some("agent2=\"https://signature-agent.test/x\";type=directory"),
        "\"@authority\" \"signature-agent\";key=\"agent2\"",
        "",
    );
    for policy in [wba(), wba_draft00()] {
        let v = verdict_under(&policy, &nv17);
        assert_eq!(
            (v.verdict, code(&v).as_str()),
            (Outcome::Unverified, "unusable_signature_agent")
        );
    }
    // Draft -01 §5.2.1: the same member typed as draft -00's default, `type=directory` on
    // the origin, is ignored under -01 and resolves with draft00Members.
    let typed = wba_request(
        Some("agent2=\"https://signature-agent.test\";type=directory"),
        "\"@authority\" \"signature-agent\";key=\"agent2\"",
        "",
    );
    assert_eq!(code(&verdict_of(&typed)), "unusable_signature_agent");
    assert!(verdict_under(&wba_draft00(), &typed).is_verified());
    // NV-18: not a structured field.
    let v = verdict_of(&wba_request(Some("agent2=https://x"), "\"@authority\"", ""));
    assert_eq!(v.verdict, Outcome::Invalid);
    // The field is present but its member is not covered.
    let v = verdict_of(&wba_request(agent, "\"@authority\"", ""));
    assert_eq!(
        (v.verdict, code(&v).as_str()),
        (Outcome::Invalid, "missing_required_component")
    );
    // The agent is resolved by (URL, keyid): a directory of another agent never vouches.
    let other = Some("agent2=\"https://impostor.test\"");
    let v = verdict_of(&wba_request(
        other,
        "\"@authority\" \"signature-agent\";key=\"agent2\"",
        "",
    ));
    assert_eq!(
        (v.verdict, code(&v).as_str()),
        (Outcome::Unverified, "directory_unavailable")
    );
    // A signature covering two members picks the one keyed by its own label.
    let both = Some("sig1=\"https://signature-agent.test\", other=\"https://other.test\"");
    let v = verdict_of(&wba_request(
        both,
        "\"@authority\" \"signature-agent\";key=\"other\" \"signature-agent\";key=\"sig1\"",
        "",
    ));
    assert_eq!(v.verdict, Outcome::Verified, "{:?}", v.error);
}

#[test]
fn the_job_asks_for_what_it_needs() {
    let cover = "\"@authority\" \"signature-agent\";key=\"agent2\"";
    let setup = || VerifySetup::new(wba(), VECTOR_NOW).directories(DirectoryAccess::Fetch);
    // The member's origin is normalised (case, default port) into the well-known URL, which
    // the job looks up in the host's store, once.
    let msg = wba_request(
        Some("agent2=\"https://Signature-Agent.test:443\""),
        cover,
        "",
    );
    let mut job = VerifyJob::new(msg, setup());
    let id = match job.next() {
        Step::Lookup(l) => {
            assert_eq!(
                (l.url, l.key),
                (
                    AGENT_DIRECTORY,
                    webbotauth::store_key(AGENT_DIRECTORY).as_str()
                )
            );
            l.id
        }
        other => panic!("{other:?}"),
    };
    job.answer(Answer::Lookup { id, record: None }).unwrap();
    // A reserved name (.test) is never fetched (draft -01 §6.7): the failure is kept in the
    // host's memory only, and the request is unverified.
    match job.next() {
        Step::Store(s) => assert_eq!((s.url.as_str(), s.shared), (AGENT_DIRECTORY, false)),
        other => panic!("{other:?}"),
    }
    assert!(matches!(job.next(), Step::Done));
    let v = job.verdict().unwrap();
    assert_eq!(v.error_code(), Some("directory_unavailable"));
    match &v.error {
        Some(Error::DirectoryUnavailable { url, cause }) => {
            assert_eq!(url, AGENT_DIRECTORY);
            assert_eq!(cause.code(), "fetch_private_host_refused");
        }
        other => panic!("{other:?}"),
    }
    // A public origin: looked up, then fetched under the core's rules.
    let url = "https://agent.example.com/.well-known/http-message-signatures-directory";
    let msg = wba_request(Some("agent2=\"https://Agent.Example.com:443\""), cover, "");
    let mut job = VerifyJob::new(msg, setup());
    let id = match job.next() {
        Step::Lookup(l) => l.id,
        other => panic!("{other:?}"),
    };
    job.answer(Answer::Lookup { id, record: None }).unwrap();
    let id = match job.next() {
        Step::Fetch(f) => {
            assert_eq!(f.url, url);
            assert_eq!(f.purpose, FetchPurpose::AgentDirectory);
            assert_eq!(f.rules, FetchRules::key_document(false));
            assert_eq!(f.key, webbotauth::store_key(url));
            f.id
        }
        other => panic!("{other:?}"),
    };
    job.answer(Answer::Fetch {
        id,
        result: Err(FetchFailure::Timeout { ms: 5000 }),
    })
    .unwrap();
    assert!(matches!(job.next(), Step::Store(s) if !s.shared));
    assert!(matches!(job.next(), Step::Done));
    assert_eq!(job.verdict().unwrap().verdict, Outcome::Unverified);
    // Signatures without the web-bot-auth tag need nothing: the job is done at once.
    let other = request(
        "https://a.test/",
        &[
            ("Signature-Input", "x=();tag=\"other\""),
            ("Signature", "x=::"),
        ],
    );
    let mut job = VerifyJob::new(other, setup());
    assert!(matches!(job.next(), Step::Done));
    assert_eq!(
        job.verdict().unwrap().error_code(),
        Some("no_applicable_signature")
    );
}

#[test]
fn profile_rules_each_have_a_negative_test() {
    let agent = Some("agent2=\"https://signature-agent.test\"");
    let cover = "\"@authority\" \"signature-agent\";key=\"agent2\"";
    // tag: a signature without the web-bot-auth tag does not apply -> unverified.
    let mut msg = wba_request(agent, cover, "");
    let input = msg
        .header("signature-input")
        .unwrap()
        .replace(";tag=\"web-bot-auth\"", ";tag=\"other\"");
    msg.remove_header("signature-input");
    msg.push_header("Signature-Input", &input);
    let v = verdict_of(&msg);
    assert_eq!(
        (v.verdict, code(&v).as_str()),
        (Outcome::Unverified, "no_applicable_signature")
    );
    // @authority or @target-uri must be covered.
    let v = verdict_of(&wba_request(
        agent,
        "\"@path\" \"signature-agent\";key=\"agent2\"",
        "",
    ));
    assert_eq!(code(&v), "missing_required_component");
    assert_eq!(
        verdict_of(&wba_request(
            agent,
            "\"@target-uri\" \"signature-agent\";key=\"agent2\"",
            ""
        ))
        .verdict,
        Outcome::Verified
    );
    // created / expires required, lifetime at most 24 h.
    let policy = wba();
    let p = |input: &str| httpseal::SignatureParams::parse(input).unwrap();
    let base = "(\"@authority\");keyid=\"k\";tag=\"web-bot-auth\"";
    assert_eq!(
        policy
            .check_params(&p(&format!("{base};expires=10")), 5)
            .unwrap_err()
            .code(),
        "missing_created"
    );
    assert_eq!(
        policy
            .check_params(&p(&format!("{base};created=1")), 5)
            .unwrap_err()
            .code(),
        "missing_expires"
    );
    assert_eq!(
        policy
            .check_params(&p(&format!("{base};created=1;expires={}", 1 + 86_401)), 5)
            .unwrap_err()
            .code(),
        "lifetime_too_long"
    );
    assert!(
        policy
            .check_params(&p(&format!("{base};created=1;expires={}", 1 + 86_400)), 5)
            .is_ok()
    );
    assert_eq!(
        policy
            .check_params(
                &p("(\"@authority\");created=1;expires=9;tag=\"web-bot-auth\""),
                5
            )
            .unwrap_err()
            .code(),
        "missing_keyid"
    );
    // keyid must be the thumbprint of the key.
    let key = ed25519_key().with_kid("my-key");
    let known = JwkSet::from_keys([key.to_public()]);
    let input = format!(
        "(\"@authority\");created={VECTOR_NOW};keyid=\"my-key\";expires={};tag=\"web-bot-auth\"",
        VECTOR_NOW + 9
    );
    let msg = signed_by(&key, None, &input);
    let v = verify_request(&wba(), &msg, &Dirs::new(), Some(&known), VECTOR_NOW);
    assert_eq!(code(&v), "keyid_not_thumbprint");
    // HMAC is refused.
    let secret = Key::hmac(&[5; 32]).unwrap();
    let known = JwkSet::from_keys([secret.clone()]);
    let input = format!(
        "(\"@authority\");created={VECTOR_NOW};keyid=\"{}\";expires={};tag=\"web-bot-auth\"",
        secret.thumbprint(),
        VECTOR_NOW + 9
    );
    let msg = signed_by(&secret, None, &input);
    let v = verify_request(&wba(), &msg, &Dirs::new(), Some(&known), VECTOR_NOW);
    assert_eq!(code(&v), "algorithm_not_allowed");
    // The same request verifies under rfc9421, which allows HMAC: the refusal is the profile's.
    let v = verify_request(
        &Profile::Rfc9421.policy(),
        &msg,
        &Dirs::new(),
        Some(&known),
        VECTOR_NOW,
    );
    assert_eq!(v.verdict, Outcome::Verified);
}

#[test]
fn nonce_replay_through_the_replay_store() {
    let msg = wba_request(
        Some("agent2=\"https://signature-agent.test\""),
        "\"@authority\" \"signature-agent\";key=\"agent2\"",
        ";nonce=\"n-1\"",
    );
    let dirs = directory_of(&[ed25519_key().to_public()]);
    // One host, one replay store, the same request twice.
    let mut host = host_with(&dirs, VECTOR_NOW);
    let first = host.verify(&msg, &wba());
    assert_eq!(first.verdict, Outcome::Verified);
    let second = host.verify(&msg, &wba());
    assert_eq!(
        (second.verdict, code(&second).as_str()),
        (Outcome::Invalid, "nonce_replayed")
    );
    // A forged request never records its nonce: the replay store is not even asked.
    let mut host = host_with(&dirs, VECTOR_NOW);
    let mut forged = msg.clone();
    forged.remove_header("signature");
    forged.push_header(
        "Signature",
        &format!("sig1=:{}:", httpseal::b64::encode(&[0; 64])),
    );
    assert_eq!(code(&host.verify(&forged, &wba())), "invalid_signature");
    assert!(host.nonces.is_empty());
    assert_eq!(host.count(|s| matches!(s, Seen::Nonce)), 0);
    // With require_nonce, a signature without one fails.
    let mut policy = wba();
    policy.require_nonce = true;
    let plain = wba_request(
        Some("agent2=\"https://signature-agent.test\""),
        "\"@authority\" \"signature-agent\";key=\"agent2\"",
        "",
    );
    let v = verify_request(&policy, &plain, &dirs, None, VECTOR_NOW);
    assert_eq!(code(&v), "nonce_required");
}

#[test]
fn any_one_valid_label_verifies_the_request() {
    let good = wba_request(
        Some("agent2=\"https://signature-agent.test\""),
        "\"@authority\" \"signature-agent\";key=\"agent2\"",
        "",
    );
    let mut msg = request(
        "https://example.com/path/to/resource",
        &[("Signature-Agent", "agent2=\"https://signature-agent.test\"")],
    );
    // A broken signature first, then the good one under another label.
    msg.push_header(
        "Signature-Input",
        &good
            .header("signature-input")
            .unwrap()
            .replacen("sig1=", "bad=", 1),
    );
    msg.push_header(
        "Signature",
        &format!("bad=:{}:", httpseal::b64::encode(&[1; 64])),
    );
    msg.push_header("Signature-Input", good.header("signature-input").unwrap());
    msg.push_header("Signature", good.header("signature").unwrap());
    let v = verdict_of(&msg);
    assert_eq!(
        (v.verdict, v.label.as_deref()),
        (Outcome::Verified, Some("sig1"))
    );
    // Without the good one, the failure of the bad one is reported.
    let mut only_bad = msg.clone();
    only_bad.headers.truncate(3);
    let v = verdict_of(&only_bad);
    assert_eq!(
        (v.verdict, code(&v).as_str()),
        (Outcome::Invalid, "invalid_signature")
    );
}

#[test]
fn cimd_documents() {
    // Client ID Metadata Documents are a draft -00 member type: draft -01 §5.2.1 ignores
    // the member (it carries a parameter) unless draft -00 typed members are read.
    let member = &parse_signature_agent("a=\"https://agent.test/card\";type=cimd").unwrap()[0];
    assert_eq!(
        member.locate(AgentOptions::default()).unwrap_err().code(),
        "unusable_signature_agent"
    );
    let draft00 = AgentOptions {
        draft00_members: true,
        ..AgentOptions::default()
    };
    let loc = member.locate(draft00).unwrap();
    assert_eq!(loc.kind, AgentType::Cimd);
    let jwks = webbotauth::build_directory(&[ed25519_key().to_public()]).unwrap();
    let inline = format!("{{\"client_id\":\"https://agent.test/card\",\"jwks\":{jwks}}}");
    match webbotauth::read_key_document(loc.kind, inline.as_bytes(), draft00, VECTOR_NOW).unwrap() {
        webbotauth::KeyDocument::Keys(set) => assert_eq!(set.keys().len(), 1),
        _ => panic!("expected inline keys"),
    }
    let by_ref =
        br#"{"client_id":"https://agent.test/card","jwks_uri":"https://agent.test/jwks.json"}"#;
    match webbotauth::read_key_document(loc.kind, by_ref, draft00, VECTOR_NOW).unwrap() {
        webbotauth::KeyDocument::FetchJwksUri(u) => assert_eq!(u, "https://agent.test/jwks.json"),
        _ => panic!("expected a jwks_uri"),
    }
    assert!(webbotauth::read_key_document(loc.kind, b"{}", draft00, VECTOR_NOW).is_err());
    let _ = Error::NoSignature;
}

#[test]
fn agent_rules_hold_whatever_the_key_source() {
    // A host that verifies against a plain JWK Set (the npm package, POST /verify with
    // jwks) gets the same Signature-Agent rules as one that resolves directories.
    let known = JwkSet::from_keys([ed25519_key().to_public()]);
    let plain = |msg: &HttpMessage| httpseal::verify_message(&wba(), msg, &known, VECTOR_NOW, None);
    let agent = Some("agent2=\"https://signature-agent.test\"");
    assert!(
        plain(&wba_request(
            agent,
            "\"@authority\" \"signature-agent\";key=\"agent2\"",
            ""
        ))
        .is_verified()
    );
    // The field is present and its member is not covered.
    let v = plain(&wba_request(agent, "\"@authority\"", ""));
    assert_eq!(
        (v.verdict, code(&v).as_str()),
        (Outcome::Invalid, "missing_required_component")
    );
    // Not https.
    let http = Some("agent2=\"http://signature-agent.test\"");
    let v = plain(&wba_request(
        http,
        "\"@authority\" \"signature-agent\";key=\"agent2\"",
        "",
    ));
    assert_eq!(code(&v), "invalid_url");
    // ...unless the development switch is on.
    let mut dev = wba();
    dev.signature_agent = Some(AgentOptions {
        allow_http: true,
        ..AgentOptions::default()
    });
    let msg = wba_request(
        http,
        "\"@authority\" \"signature-agent\";key=\"agent2\"",
        "",
    );
    assert!(httpseal::verify_message(&dev, &msg, &known, VECTOR_NOW, None).is_verified());
    // Several members, none named.
    let two = Some("a=\"https://signature-agent.test\", b=\"https://other.test\"");
    assert_eq!(
        code(&plain(&wba_request(
            two,
            "\"@authority\" \"signature-agent\"",
            ""
        ))),
        "ambiguous_signature_agent"
    );
    // A member with parameters is ignored (draft -01 §5.2.1) whatever the key source: the
    // signature names no usable member, so it is unverified even with its key at hand.
    let typed = Some("agent2=\"https://signature-agent.test\";type=directory");
    let v = plain(&wba_request(
        typed,
        "\"@authority\" \"signature-agent\";key=\"agent2\"",
        "",
    ));
    assert_eq!(
        (v.verdict, code(&v).as_str()),
        (Outcome::Unverified, "unusable_signature_agent")
    );
}
