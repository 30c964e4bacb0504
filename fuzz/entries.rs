//! The fuzzed entry points, shared by the `cargo fuzz` targets (`fuzz/fuzz_targets/*.rs`)
//! and the native replay test (`tests/fuzz_regressions.rs`), so that the seed corpus and
//! every crash reproducer run through exactly the same code in `make test`.
//!
//! Each function takes arbitrary bytes. It must never panic; where a round trip is a
//! documented property of the core (a serialised value parses back to itself, a key's own
//! JWK reads back to the same key) it is asserted, so a broken invariant counts as a crash.

use httpseal::api::VerifyRequestJson;
use httpseal::limits::MAX_SIGNATURE_BASE_BYTES;
use httpseal::{
    Algorithm, ComponentId, HttpMessage, JwkSet, Key, NonceCheck, Policy, Profile, SfRegistry,
    SfType, SignatureParams, check_content_digest, jwk_thumbprint, key_from_jwk, parse_http1,
    parse_jwk, parse_signatures, query, signature_base, verify_message,
};

/// A fixed verification time inside the validity of the RFC 9421 and Web Bot Auth vectors.
const NOW: u64 = 1_735_689_600;

/// The RFC 9421 B.1.4 Ed25519 public key and B.1.5 shared secret, so that the seed vectors
/// signed with them reach the verifier's post-crypto checks (Content-Digest, nonce).
fn vector_keys() -> &'static JwkSet {
    static KEYS: std::sync::OnceLock<JwkSet> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        JwkSet::parse(
        r#"{"keys":[
        {"kty":"OKP","crv":"Ed25519","kid":"test-key-ed25519","x":"JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs"},
        {"kty":"oct","kid":"test-shared-secret","k":"uzvJfB4u3N0Jy4T7NZ75MDVcr8zSTInedJtkgcu46YW4XByzNJjxBdtjUkdJPBtbmHhIDi6pcl8jsasjlTMtDQ"}
    ]}"#,
        )
        .expect("the vector keys parse")
    })
}

/// A replay store that has seen every nonce starting with `seen`.
struct Nonces;

impl NonceCheck for Nonces {
    fn check_and_record(&self, nonce: &str, _until: u64) -> bool {
        !nonce.starts_with("seen")
    }
}

/// Structured-field types for the RFC's `sf` and `key` examples, on top of the registry.
fn sf_types() -> SfRegistry {
    SfRegistry::new()
        .with("example-dict", SfType::Dictionary)
        .with("example-list", SfType::List)
        .with("example-item", SfType::Item)
}

/// Target `signatures`: a raw HTTP/1.1 message — for a response, optionally followed by a
/// NUL byte and the request it answers — through `Signature-Input` / `Signature` parsing,
/// the signature base of every signature, and the verifier under one of the profiles.
pub fn signatures(data: &[u8]) {
    let (head, related) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    let Ok(mut msg) = parse_http1(head, "https") else {
        return;
    };
    if let Some(raw) = related
        && !msg.is_request_kind()
        && let Ok(req) = parse_http1(raw, "https")
    {
        msg = msg.with_related_request(req);
    }
    signatures_of(&msg);
    let profile = Profile::ALL[data.len() % Profile::ALL.len()];
    // The vector keys are published test keys, refused by default: allowed here so that
    // the seeds reach the checks after the signature's.
    let policy = Policy {
        allow_test_keys: true,
        ..profile.policy()
    };
    let verdict = verify_message(&policy, &msg, vector_keys(), NOW, Some(&Nonces));
    let _ = verdict.to_json();
}

/// Parses the signatures of `msg` and builds each base, checking the invariants.
fn signatures_of(msg: &HttpMessage) {
    let types = sf_types();
    let Ok(sigs) = parse_signatures(msg) else {
        return;
    };
    for sig in &sigs {
        // The @signature-params line reproduces the member and parses back to itself.
        let line = sig.params.serialize();
        let again =
            SignatureParams::parse(&line).expect("a serialised Signature-Input member parses");
        assert_eq!(again.serialize(), line, "Signature-Input member round trip");
        assert_eq!(again, sig.params);
        if let Ok(base) = signature_base(msg, &sig.params, &types) {
            assert!(base.len() <= MAX_SIGNATURE_BASE_BYTES);
            let last = base.rsplit('\n').next().unwrap_or_default();
            assert_eq!(last, format!("\"@signature-params\": {line}"));
            assert_eq!(base.lines().count(), sig.params.components().len() + 1);
        }
    }
}

/// Target `params`: one `Signature-Input` member value and one component identifier in
/// the form users type, each serialised and parsed back.
pub fn params(data: &[u8]) {
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    if let Ok(p) = SignatureParams::parse(text) {
        let line = p.serialize();
        let again = SignatureParams::parse(&line).expect("serialised params parse");
        assert_eq!(again.serialize(), line);
        assert_eq!(again, p);
        let _ = (
            p.created(),
            p.expires(),
            p.keyid(),
            p.alg(),
            p.nonce(),
            p.tag(),
        );
        for c in p.components() {
            let _ = c.flags();
            let _ = c.identity();
        }
    }
    if let Ok(c) = ComponentId::parse(text) {
        let ser = c.serialize();
        let again = ComponentId::parse(&ser).expect("a serialised component parses");
        assert_eq!(again, c);
        assert_eq!(again.serialize(), ser);
        if c.flags().is_ok() {
            assert_eq!(again.identity(), c.identity());
        }
    }
}

/// Checks that a key read from untrusted input behaves: its public JWK reads back to the
/// same key, its private JWK too, and a signature it makes verifies.
fn check_key(key: &Key) {
    let thumbprint = key.thumbprint();
    let public = key.public_jwk();
    let back = key_from_jwk(&public).expect("a key's own public JWK reads back");
    assert_eq!(back.thumbprint(), thumbprint);
    assert_eq!(
        jwk_thumbprint(&public).ok().as_deref(),
        Some(thumbprint.as_str())
    );
    if key.is_private() {
        let private = key.private_jwk().expect("a private key has a private JWK");
        let back = key_from_jwk(&private).expect("a key's own private JWK reads back");
        assert_eq!(back.thumbprint(), thumbprint);
        let alg = match key.algorithm() {
            Some(a) => a,
            None => Algorithm::RsaPssSha512,
        };
        let seed = [7u8; 32];
        if let Ok(sig) = key.sign(alg, b"fuzz", Some(&seed)) {
            key.to_public()
                .verify(alg, b"fuzz", &sig)
                .expect("a key verifies its own signature");
        }
    }
}

/// Target `jwk`: a JWK or JWK Set document.
pub fn jwk(data: &[u8]) {
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    if let Ok(key) = parse_jwk(text) {
        check_key(&key);
    }
    if let Ok(set) = JwkSet::parse(text) {
        for k in set.keys() {
            assert_eq!(k.thumbprint, k.key.thumbprint());
            check_key(&k.key);
            let found = set
                .find(Some(&k.thumbprint))
                .expect("a key is found by its thumbprint");
            assert!(found.kid().is_some() || found.thumbprint() == k.thumbprint);
        }
        let _ = set.find(None);
        let _ = set.find(Some("poqkLGiymh_W0uP6PZFw-dvez3QJT5SolqXBCW38r0U"));
        let public = set.to_public_value().to_string();
        let reread = JwkSet::parse(&public).expect("a set's public document parses");
        assert_eq!(reread.keys().len(), set.keys().len());
    }
    if let Ok(serde_json::Value::Object(o)) = serde_json::from_str(text) {
        let _ = jwk_thumbprint(&o);
    }
}

/// Target `content_digest`: a `Content-Digest` value, a NUL byte, then the body.
pub fn content_digest(data: &[u8]) {
    let (value, body) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let Ok(value) = core::str::from_utf8(value) else {
        return;
    };
    if let Ok(algs) = check_content_digest(value, body) {
        assert!(!algs.is_empty());
        let ours = httpseal::content_digest(body, &algs);
        assert_eq!(check_content_digest(&ours, body).ok(), Some(algs));
    }
}

/// Target `keyfile`: a PEM or DER key file.
pub fn keyfile(data: &[u8]) {
    if let Ok(key) = httpseal::keyfile::key_from_file_bytes(data) {
        check_key(&key);
    }
    if let Ok(key) = httpseal::keyfile::key_from_der(data) {
        check_key(&key);
    }
}

/// Target `verify_json`: the body of `POST /verify` / `httpseal verify --request`, through
/// the message, policy and key conversions, then the verifier.
pub fn verify_json(data: &[u8]) {
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    let Ok(req) = VerifyRequestJson::parse(text) else {
        return;
    };
    let Ok(msg) = req.message.to_message() else {
        return;
    };
    signatures_of(&msg);
    let (Ok(policy), Ok(keys)) = (req.policy(), req.jwks()) else {
        return;
    };
    let now = req.now.unwrap_or(NOW);
    let verdict = match &keys {
        Some(keys) => verify_message(&policy, &msg, keys, now, Some(&Nonces)),
        // The vector keys are test keys: allowed, as for `signatures`.
        None => {
            let policy = Policy {
                allow_test_keys: true,
                ..policy
            };
            verify_message(&policy, &msg, vector_keys(), now, Some(&Nonces))
        }
    };
    let _ = verdict.to_json();
}

/// Target `query`: `@query-param` decoding and re-encoding.
pub fn query(data: &[u8]) {
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    let once = query::reencode(text);
    assert_eq!(query::reencode(&once), once, "re-encoding is idempotent");
    assert!(
        once.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"*-._%".contains(&b))
    );
    for (name, value) in query::encoded_pairs(text) {
        assert_eq!(query::reencode(&name), name);
        assert_eq!(query::reencode(&value), value);
    }
}

/// The header values of `name` in a parsed message.
fn header_values<'m>(msg: &'m HttpMessage, name: &str) -> impl Iterator<Item = &'m str> {
    msg.headers
        .iter()
        .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Target `web_bot_auth`: a raw request, optionally a NUL byte and a key directory body,
/// through `Signature-Agent` parsing and the verifier job under the Web Bot Auth profile,
/// with that body served (status 200, the directory media type) for every directory the
/// job fetches: once with the vector keys known (looked up first), once with none, so
/// that the directory path runs whatever the signature.
pub fn web_bot_auth(data: &[u8]) {
    use httpseal::fetch::{FetchFailure, FetchedResponse};
    use httpseal::job::drive::{self, BlockingHost};
    use httpseal::job::{
        DirectoryAccess, Fetch, NonceAnswer, NonceRequest, VerifyJob, VerifySetup,
    };
    use httpseal::webbotauth::{AgentOptions, DIRECTORY_MEDIA_TYPE, parse_signature_agent};

    /// Serves the fuzzed body for every fetch; nonces as [`Nonces`] answers them.
    struct Served<'a>(Option<&'a [u8]>);

    impl BlockingHost for Served<'_> {
        fn fetch(&mut self, _: &Fetch<'_>) -> Result<FetchedResponse, FetchFailure> {
            let body = self.0.ok_or(FetchFailure::NotFetched)?;
            Ok(FetchedResponse {
                status: 200,
                headers: vec![("content-type".into(), DIRECTORY_MEDIA_TYPE.into())],
                body: body.to_vec(),
            })
        }

        fn nonce(&mut self, nonce: &NonceRequest<'_>) -> NonceAnswer {
            if Nonces.check_and_record(nonce.key, nonce.until) {
                NonceAnswer::New
            } else {
                NonceAnswer::Seen
            }
        }
    }

    let (head, body) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], Some(&data[i + 1..])),
        None => (data, None),
    };
    let Ok(msg) = parse_http1(head, "https") else {
        return;
    };
    let options = AgentOptions {
        allow_http: data.len().is_multiple_of(2),
        draft00_members: data.len().is_multiple_of(3),
    };
    for value in header_values(&msg, "signature-agent") {
        if let Ok(members) = parse_signature_agent(value) {
            for m in members {
                let _ = m.locate(options);
                let _ = m.validate(options);
            }
        }
    }
    let mut policy = Profile::WebBotAuth.policy();
    policy.signature_agent = Some(options);
    // The vector keys are published test keys: allowed, so the seeds get past them.
    policy.allow_test_keys = true;
    for known in [Some(vector_keys()), None] {
        let mut setup = VerifySetup::new(policy.clone(), NOW).directories(DirectoryAccess::Fetch);
        if let Some(keys) = known {
            setup = setup.known(keys);
        }
        setup.nonces = true;
        let mut job = VerifyJob::borrowing(&msg, setup);
        let verdict = drive::run(&mut job, &mut Served(body));
        let _ = verdict.to_json();
    }
}

/// Target `signature_key`: a raw request, then up to two documents (each after a NUL
/// byte) served for the URLs `Signature-Key` resolution asks for, through scheme parsing,
/// JWT decoding, key resolution and verification.
pub fn signature_key(data: &[u8]) {
    use httpseal::sigkey::{ResolveOptions, SignatureKeys, parse_signature_key, plan, resolve};
    let mut parts = data.split(|&b| b == 0);
    let Some(Ok(msg)) = parts.next().map(|h| parse_http1(h, "https")) else {
        return;
    };
    let options = ResolveOptions {
        now: NOW,
        skew: 60,
        allow_http: false,
    };
    let mut docs: std::collections::BTreeMap<String, Vec<u8>> = Default::default();
    for _round in 0..2 {
        if let Ok(urls) = plan(&msg, &docs, options) {
            for url in urls {
                if let Some(body) = parts.next() {
                    docs.insert(url, body.to_vec());
                }
            }
        }
    }
    for value in header_values(&msg, "signature-key") {
        if let Ok(schemes) = parse_signature_key(value) {
            for (_, scheme) in schemes {
                let _ = resolve(&scheme, &docs, options);
            }
        }
    }
    let keys = SignatureKeys {
        documents: &docs,
        options,
    };
    let verdict = verify_message(&Policy::default(), &msg, &keys, NOW, Some(&Nonces));
    let _ = verdict.to_json();
}

/// Target `accept_signature`: an `Accept-Signature` value, parsed, rebuilt and parsed
/// again to the same requests.
pub fn accept_signature(data: &[u8]) {
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    if let Ok(requests) = httpseal::parse_accept_signature(text) {
        let rebuilt = httpseal::accept_signature(&requests).expect("parsed requests rebuild");
        let again = httpseal::parse_accept_signature(&rebuilt).expect("a rebuilt field parses");
        assert_eq!(again, requests);
    }
}

/// A fuzz target: its name and its entry point.
pub type Target = (&'static str, fn(&[u8]));

/// Every target by name, as the fuzz crate and the replay test know them.
pub const TARGETS: &[Target] = &[
    ("signatures", signatures),
    ("params", params),
    ("jwk", jwk),
    ("content_digest", content_digest),
    ("keyfile", keyfile),
    ("verify_json", verify_json),
    ("query", query),
    ("web_bot_auth", web_bot_auth),
    ("signature_key", signature_key),
    ("accept_signature", accept_signature),
];
