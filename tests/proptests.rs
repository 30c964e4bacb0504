//! Property tests: parse/serialise round trips of the signature fields and component
//! identifiers, `@query-param` re-encoding, sign → verify over generated messages, and
//! hostile header bytes. Case counts are chosen so the whole file runs in a few seconds in
//! a debug build (it is part of `make test`).

use httpseal::input::header_members;
use httpseal::{
    ComponentId, Derived, HttpMessage, Key, Outcome, Policy, Profile, SfRegistry, SfType,
    SignatureParams, Signer, parse_http1, parse_signatures, query, signature_base, verify_message,
};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use sfv::{BareItem, Decimal, FieldType, Integer};

// ---------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------

/// A structured-field key (parameter name, label): `lcalpha / "*"` then `lcalpha / DIGIT /
/// "_" / "-" / "." / "*"`.
fn sf_key() -> impl Strategy<Value = String> {
    "[a-z*][a-z0-9_.*-]{0,7}"
}

/// An sf-string's content: printable ASCII, including `"` and `\` (which need escaping).
fn sf_string() -> impl Strategy<Value = String> {
    "[ -~]{0,16}"
}

/// A lowercase field name (a token).
fn field_name() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9!#$%&'*+.^_`|~-]{0,11}"
}

const DERIVED: [Derived; 9] = [
    Derived::Method,
    Derived::TargetUri,
    Derived::Authority,
    Derived::Scheme,
    Derived::RequestTarget,
    Derived::Path,
    Derived::Query,
    Derived::QueryParam,
    Derived::Status,
];

/// A component parameter as the API sets it: a flag or a string value.
#[derive(Debug, Clone)]
enum CParam {
    Flag(String),
    Str(String, String),
}

fn component_param() -> impl Strategy<Value = CParam> {
    prop_oneof![
        select(vec!["sf", "bs", "req", "tr"]).prop_map(|s| CParam::Flag(s.to_string())),
        sf_key().prop_map(CParam::Flag),
        (select(vec!["key", "name"]), sf_string()).prop_map(|(k, v)| CParam::Str(k.into(), v)),
        (sf_key(), sf_string()).prop_map(|(k, v)| CParam::Str(k, v)),
    ]
}

/// Any component identifier: a derived or field name with up to four parameters, known
/// or not (round trips must hold even for identifiers the base would reject).
fn component() -> impl Strategy<Value = ComponentId> {
    let name = prop_oneof![
        select(DERIVED.to_vec()).prop_map(|d| d.name().to_string()),
        field_name(),
    ];
    (name, vec(component_param(), 0..4)).prop_map(|(name, params)| {
        let mut c = ComponentId::new(&name).unwrap();
        for p in params {
            c = match p {
                CParam::Flag(f) => c.with_flag(&f).unwrap(),
                CParam::Str(k, v) => c.with_string_param(&k, &v).unwrap(),
            };
        }
        c
    })
}

/// Any bare item, for parameters this implementation does not know.
fn bare_item() -> impl Strategy<Value = BareItem> {
    prop_oneof![
        (-999_999_999_999_999i64..=999_999_999_999_999)
            .prop_map(|i| BareItem::Integer(Integer::try_from(i).unwrap())),
        (-999_999_999_999_999i64..=999_999_999_999_999).prop_map(|i| BareItem::Decimal(
            Decimal::from_integer_scaled_1000(Integer::try_from(i).unwrap())
        )),
        sf_string().prop_map(|s| BareItem::String(sfv::String::from_string(s).unwrap())),
        "[A-Za-z*][A-Za-z0-9:/!#$%&'*+.^_`|~-]{0,10}"
            .prop_map(|s| BareItem::Token(sfv::Token::from_string(s).unwrap())),
        any::<bool>().prop_map(BareItem::Boolean),
        vec(any::<u8>(), 0..24).prop_map(BareItem::ByteSequence),
    ]
}

/// A signature parameter: a registered one with its registered type, or an unknown one.
#[derive(Debug, Clone)]
enum SParam {
    Int(&'static str, u64),
    Str(&'static str, String),
    Other(String, BareItem),
}

fn sig_param() -> impl Strategy<Value = SParam> {
    prop_oneof![
        (
            select(vec!["created", "expires"]),
            0u64..=999_999_999_999_999
        )
            .prop_map(|(n, v)| SParam::Int(n, v)),
        (select(vec!["keyid", "alg", "nonce", "tag"]), sf_string())
            .prop_map(|(n, v)| SParam::Str(n, v)),
        (sf_key(), bare_item())
            .prop_filter("registered names have their own types", |(k, _)| {
                !["created", "expires", "keyid", "alg", "nonce", "tag"].contains(&k.as_str())
            })
            .prop_map(|(k, v)| SParam::Other(k, v)),
    ]
}

fn signature_params() -> impl Strategy<Value = SignatureParams> {
    (vec(component(), 0..8), vec(sig_param(), 0..7)).prop_map(|(components, params)| {
        let mut p = SignatureParams::new();
        for c in components {
            p.push_component(c).unwrap();
        }
        for sp in params {
            match sp {
                SParam::Int(n, v) => p.set_integer(n, v).unwrap(),
                SParam::Str(n, v) => p.set_string(n, &v).unwrap(),
                SParam::Other(n, v) => p.set(&n, v).unwrap(),
            }
        }
        p
    })
}

// ---------------------------------------------------------------------------------------
// Round trips
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// A `Signature-Input` member value parses back to the same parameters, in the same
    /// order (the `@signature-params` line depends on it).
    #[test]
    fn signature_params_round_trip(p in signature_params()) {
        let text = p.serialize();
        let back = SignatureParams::parse(&text).unwrap();
        prop_assert_eq!(back.serialize(), text);
        prop_assert_eq!(back.components(), p.components());
        prop_assert!(back.params().iter().eq(p.params().iter()), "parameter order kept");
    }

    /// httpseal's own serialiser (used for every signature base) writes exactly what
    /// `sfv`'s general one writes, for every kind of parameter value.
    #[test]
    fn serialisation_matches_sfv(p in signature_params()) {
        let mut ser = sfv::ListSerializer::new();
        ser.members([&sfv::ListEntry::InnerList(p.to_inner_list())]);
        prop_assert_eq!(p.serialize(), ser.finish().unwrap());
        for c in p.components() {
            prop_assert_eq!(c.serialize(), c.to_item().serialize());
        }
    }

    /// A component identifier parses back from its serialisation, and from the form users
    /// type (no quotes around the name).
    #[test]
    fn component_id_round_trip(c in component()) {
        let text = c.serialize();
        prop_assert_eq!(ComponentId::parse(&text).unwrap(), c.clone());
        let user_form = format!("{}{}", c.name(), &text[c.name().len() + 2..]);
        prop_assert_eq!(ComponentId::parse(&user_form).unwrap(), c.clone());
        prop_assert_eq!(c.to_string(), text);
    }

    /// Generated `Signature-Input` and `Signature` fields — one line or one line per
    /// signature — parse into the same labels, parameters and signature bytes, in order.
    #[test]
    fn signature_fields_parse_into_the_same_signatures(
        sigs in vec((sf_key(), signature_params(), vec(any::<u8>(), 0..96)), 1..5),
        one_line in any::<bool>(),
    ) {
        let mut seen = std::collections::HashSet::new();
        let sigs: Vec<_> = sigs.into_iter().filter(|(l, _, _)| seen.insert(l.clone())).collect();
        let mut msg = HttpMessage::request("GET", "https://example.com/").unwrap();
        let members: Vec<(String, String)> = sigs
            .iter()
            .map(|(label, params, bytes)| header_members(label, params, bytes).unwrap())
            .collect();
        if one_line {
            let inputs: Vec<&str> = members.iter().map(|(i, _)| i.as_str()).collect();
            let values: Vec<&str> = members.iter().map(|(_, s)| s.as_str()).collect();
            msg.push_header("Signature-Input", &inputs.join(", "));
            msg.push_header("Signature", &values.join(", "));
        } else {
            for (i, s) in &members {
                msg.push_header("signature-input", i);
                msg.push_header("SIGNATURE", s);
            }
        }
        let parsed = parse_signatures(&msg).unwrap();
        prop_assert_eq!(parsed.len(), sigs.len());
        for (got, (label, params, bytes)) in parsed.iter().zip(&sigs) {
            prop_assert_eq!(&got.label, label);
            prop_assert_eq!(got.params.serialize(), params.serialize());
            prop_assert_eq!(&got.signature, bytes);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Dictionary members (`key`)
// ---------------------------------------------------------------------------------------

/// Dictionary-ish field values: members with items and inner lists, repeated keys and
/// repeated parameters, and some garbage.
fn dictionary_text() -> impl Strategy<Value = String> {
    let key = select(vec!["a", "b", "c", "agent2"]);
    let value = prop_oneof![
        Just("".to_string()),
        (-99i64..99).prop_map(|i| format!("={i}")),
        "[ -!#-\\[\\]-~]{0,8}".prop_map(|s| format!("=\"{s}\"")),
        Just("=tok/en".to_string()),
        Just("=:AQID:".to_string()),
        Just("=?0".to_string()),
        Just("=1.5".to_string()),
        Just("=(a \"b\" 1);p".to_string()),
        Just("=%\"d%C3%A9j\"".to_string()),
    ];
    let param = (
        select(vec!["x", "y"]),
        prop_oneof![
            Just(String::new()),
            Just("=2".to_string()),
            Just("=\"s\"".to_string())
        ],
    )
        .prop_map(|(k, v)| format!(";{k}{v}"));
    let member =
        (key, value, vec(param, 0..3)).prop_map(|(k, v, p)| format!("{k}{v}{}", p.concat()));
    prop_oneof![
        9 => vec(member, 1..5).prop_map(|m| m.join(", ")),
        1 => "[ -~]{0,20}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// A `key` component's value is exactly the member `sfv` finds in the parsed
    /// Dictionary, serialised by `sfv` (RFC 9421 §2.1.2), or an error when there is none.
    #[test]
    fn dictionary_member_matches_sfv(value in dictionary_text(), key in select(vec!["a", "b", "agent2", "zz"])) {
        let msg = HttpMessage::request("GET", "https://example.com/").unwrap().with_header("Example-Dict", &value);
        let component = ComponentId::parse(&format!("example-dict;key=\"{key}\"")).unwrap();
        let ours = httpseal::component_value(&msg, &component, &SfRegistry::new());
        let theirs = sfv::Parser::new(value.trim())
            .parse_dictionary::<sfv::Dictionary>()
            .ok()
            .and_then(|d| d.get(sfv::KeyRef::from_str(key).unwrap()).cloned())
            .map(|entry| {
                let mut ser = sfv::ListSerializer::new();
                ser.members([&entry]);
                ser.finish().unwrap()
            });
        prop_assert_eq!(ours.ok(), theirs);
    }
}

// ---------------------------------------------------------------------------------------
// @query-param re-encoding
// ---------------------------------------------------------------------------------------

/// Query text heavy in what matters: `%XX` (valid, invalid, truncated), `+`, `&`, `=`,
/// non-ASCII.
fn query_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        vec(
            prop_oneof![
                "%[0-9A-Fa-f]{2}",
                "%[0-9A-Za-z]{0,2}",
                "[+&= a-zA-Z0-9*._~!'()-]",
                "[\u{80}-\u{10FFFF}]",
            ],
            0..24
        )
        .prop_map(|v| v.concat()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Re-encoding is idempotent and its output uses only the unreserved set plus `%XX`.
    #[test]
    fn query_reencode_is_idempotent(raw in query_text()) {
        let once = query::reencode(&raw);
        prop_assert_eq!(query::reencode(&once), once.clone());
        prop_assert!(once.bytes().all(|b| b.is_ascii_alphanumeric() || b"*-._%".contains(&b)));
        for (name, value) in query::encoded_pairs(&raw) {
            prop_assert_eq!(query::reencode(&name), name.clone());
            prop_assert_eq!(query::reencode(&value), value.clone());
        }
    }

    /// Encoding then re-encoding a decoded value gives back the encoding (decode ∘ encode
    /// is the identity on text).
    #[test]
    fn query_encode_then_reencode(text in any::<String>()) {
        let encoded = query::encode(&text);
        prop_assert_eq!(query::reencode(&encoded), encoded);
    }
}

// ---------------------------------------------------------------------------------------
// Sign → verify
// ---------------------------------------------------------------------------------------

/// A generated request and the components it can cover.
#[derive(Debug, Clone)]
struct GenRequest {
    method: String,
    url: String,
    query_names: Vec<String>,
    headers: Vec<(String, String)>,
}

fn request() -> impl Strategy<Value = GenRequest> {
    let method = select(vec![
        "GET", "POST", "PUT", "DELETE", "PATCH", "get", "OPTIONS",
    ]);
    let host = prop_oneof![
        Just("example.com".to_string()),
        Just("EXAMPLE.org:8443".to_string()),
        Just("example.net:443".to_string()),
        "[a-z]{1,8}\\.test",
    ];
    let path = vec("[A-Za-z0-9._~%!$&'()*+,;=:@-]{0,6}", 0..4);
    let query = vec(("[a-z]{1,5}", "[A-Za-z0-9%+._-]{0,8}"), 0..4);
    let value = "[ -~]{0,24}";
    let headers = vec((field_name(), value), 0..5);
    (method, host, path, query, headers).prop_map(|(method, host, path, query, headers)| {
        let mut url = format!("https://{host}/{}", path.join("/"));
        let mut query_names = Vec::new();
        if !query.is_empty() {
            let pairs: Vec<String> = query
                .iter()
                .filter(|(n, _)| {
                    !query_names.contains(n) && {
                        query_names.push(n.clone());
                        true
                    }
                })
                .map(|(n, v)| format!("{n}={v}"))
                .collect();
            url.push('?');
            url.push_str(&pairs.join("&"));
        }
        let mut names = Vec::new();
        let headers = headers
            .into_iter()
            .filter(|(n, _)| {
                !n.starts_with("signature") && n != "example-dict" && !names.contains(n) && {
                    names.push(n.clone());
                    true
                }
            })
            .collect();
        GenRequest {
            method: method.to_string(),
            url,
            query_names,
            headers,
        }
    })
}

/// A request, the components to cover (each applicable to it) and the parameters.
fn signing_case()
-> impl Strategy<Value = (GenRequest, Vec<String>, u64, Option<u64>, Option<String>)> {
    request().prop_flat_map(|req| {
        let mut choices: Vec<String> = [
            "@method",
            "@target-uri",
            "@authority",
            "@scheme",
            "@request-target",
            "@path",
            "@query",
        ]
        .map(String::from)
        .to_vec();
        for n in &req.query_names {
            choices.push(format!("@query-param;name=\"{n}\""));
        }
        for (n, _) in &req.headers {
            choices.push(n.clone());
            choices.push(format!("{n};bs"));
        }
        choices.push("example-dict;key=\"b\"".into());
        choices.push("example-dict;sf".into());
        let n = choices.len();
        (
            Just(req),
            proptest::sample::subsequence(choices, 0..=n.min(8)),
            1_600_000_000u64..1_900_000_000,
            proptest::option::of(1u64..100_000),
            proptest::option::of("[ -~]{1,20}"),
        )
            .prop_map(|(req, comps, created, ttl, nonce)| {
                (req, comps, created, ttl.map(|t| created + t), nonce)
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// A signature made over any applicable components verifies, with the same base; and
    /// changing the value of a covered field makes it invalid.
    #[test]
    fn sign_then_verify(
        (req, comps, created, expires, nonce) in signing_case(),
        seed in any::<[u8; 32]>(),
    ) {
        let key = Key::ed25519_private(&seed).unwrap();
        let mut msg = HttpMessage::request(&req.method, &req.url).unwrap();
        for (n, v) in &req.headers {
            msg.push_header(n, v);
        }
        msg.push_header("Example-Dict", "a=1, b=2;x=1;y=2, c=(a b c)");
        let types = SfRegistry::new().with("example-dict", SfType::Dictionary);

        let mut signer = Signer::new(&key)
            .unwrap()
            .structured_fields(types.clone())
            .components(comps.iter().map(String::as_str))
            .unwrap()
            .created(created)
            .unwrap()
            .keyid(&key.thumbprint())
            .unwrap()
            .alg_param()
            .unwrap();
        if let Some(e) = expires {
            signer = signer.expires(e).unwrap();
        }
        if let Some(n) = &nonce {
            signer = signer.nonce(n).unwrap();
        }
        let signed = signer.sign(&msg, None).unwrap();
        signed.apply_to(&mut msg).unwrap();

        let policy = Policy { structured_fields: types, ..Policy::default() };
        let public = key.to_public();
        let verdict = verify_message(&policy, &msg, &public, created, None);
        prop_assert_eq!(verdict.verdict, Outcome::Verified, "{:?}", verdict.error);
        prop_assert_eq!(verdict.signature_base.as_deref(), Some(signed.base.as_str()));
        prop_assert_eq!(verdict.components.len(), comps.len());

        // Tamper with the first covered plain header (if any): the signature must fail.
        if let Some(name) = comps.iter().find(|c| req.headers.iter().any(|(n, _)| n == *c)) {
            let mut tampered = msg.clone();
            for (n, v) in tampered.headers.iter_mut() {
                if n == name {
                    v.push('X');
                }
            }
            let verdict = verify_message(&policy, &tampered, &public, created, None);
            prop_assert_eq!(verdict.verdict, Outcome::Invalid);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Key thumbprints (computed once, when a key is made)
// ---------------------------------------------------------------------------------------

/// The thumbprint a key carries is the RFC 7638 thumbprint of its public JWK, whatever was
/// done to the key since (public half, kid, algorithm binding).
fn check_thumbprint(key: &Key) -> Result<(), TestCaseError> {
    let expected = httpseal::jwk_thumbprint(&key.public_jwk()).unwrap();
    prop_assert_eq!(key.thumbprint(), expected.clone());
    prop_assert_eq!(key.to_public().thumbprint(), expected.clone());
    prop_assert_eq!(key.clone().with_kid("k").thumbprint(), expected);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn cached_thumbprint_is_the_jwk_thumbprint(
        seed in any::<[u8; 32]>(),
        alg in select(vec![
            httpseal::Algorithm::Ed25519,
            httpseal::Algorithm::EcdsaP256Sha256,
            httpseal::Algorithm::EcdsaP384Sha384,
            httpseal::Algorithm::HmacSha256,
        ]),
    ) {
        if let Ok(key) = Key::generate(alg, &seed) {
            check_thumbprint(&key)?;
        }
    }
}

#[test]
fn cached_thumbprint_of_rsa_keys() {
    for name in ["test-key-rsa", "test-key-rsa-pss"] {
        let path = format!(
            "{}/tests/vectors/rfc9421/keys/{name}.jwk.json",
            env!("CARGO_MANIFEST_DIR")
        );
        let key = httpseal::parse_jwk(&std::fs::read_to_string(path).unwrap()).unwrap();
        check_thumbprint(&key).unwrap();
        let bound = key
            .with_algorithm(httpseal::Algorithm::RsaPssSha512)
            .unwrap();
        check_thumbprint(&bound).unwrap();
    }
}

// ---------------------------------------------------------------------------------------
// Hostile input
// ---------------------------------------------------------------------------------------

/// Header values built from the characters signature fields use, plus arbitrary text.
fn hostile_value() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        vec(
            prop_oneof![
                Just("sig1=".to_string()),
                Just("(\"@method\" \"@authority\";req \"x\";key=\"a\")".to_string()),
                Just(";created=1".to_string()),
                Just(";keyid=\"k\"".to_string()),
                Just(":AAAA:".to_string()),
                Just(", ".to_string()),
                "[ -~]{0,6}",
            ],
            0..12
        )
        .prop_map(|v| v.concat()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Arbitrary bytes as a raw message never panic, whatever step they reach.
    #[test]
    fn arbitrary_message_bytes_never_panic(bytes in vec(any::<u8>(), 0..512)) {
        if let Ok(msg) = parse_http1(&bytes, "https")
            && let Ok(sigs) = parse_signatures(&msg)
        {
            for s in &sigs {
                let _ = signature_base(&msg, &s.params, &SfRegistry::new());
            }
        }
    }

    /// Arbitrary values of the signature fields (and of the fields they cover) never panic
    /// the parser, the base or the verifier.
    #[test]
    fn arbitrary_header_values_never_panic(
        input in hostile_value(),
        signature in hostile_value(),
        other in vec((prop_oneof![Just("x".to_string()), field_name()], hostile_value()), 0..4),
        profile in select(Profile::ALL.to_vec()),
    ) {
        let mut msg = HttpMessage::request("GET", "https://example.com/p?q=1").unwrap();
        msg.push_header("Signature-Input", &input);
        msg.push_header("Signature", &signature);
        for (n, v) in &other {
            msg.push_header(n, v);
        }
        if let Ok(sigs) = parse_signatures(&msg) {
            for s in &sigs {
                let _ = signature_base(&msg, &s.params, &SfRegistry::new());
            }
        }
        let key = Key::ed25519_public(&[0x3b; 32]);
        if let Ok(key) = key {
            let v = verify_message(&profile.policy(), &msg, &key, 1_700_000_000, None);
            prop_assert!(v.verdict != Outcome::Verified);
        }
    }
}
