//! The community's Web Bot Auth negative vectors (ParallaxGrain, CC0-1.0,
//! `tests/vectors/webbotauth/negative/`, its README says where they come from and how
//! httpseal answered them before): seventeen requests that must not verify, one fault
//! each, driven through the verifier job and the simulated host (`tests/common/sim.rs`),
//! one test per vector, each asserting the vector's `expected.outcome` and the httpseal
//! error code that stands for its `expected.reason`.
//!
//! How they are run, and why:
//! - **The clock** is pinned to each vector's `now`.
//! - **Test keys.** Every vector is signed with the RFC 9421 Appendix B.1.4 key, which
//!   draft -01 §6.8 says verifiers "SHOULD reject … when they are detected in key
//!   directories or out-of-band configuration" (httpseal does: `test_key`). A conformance
//!   run must accept it, so `allow_test_keys` is set; [`the_test_key_is_refused_by_default`]
//!   shows what the shipped profile answers instead.
//! - **Lifetime.** Most vectors carry `expires=4889289600` (100 years). The web-bot-auth
//!   profile caps `expires - created` at 24 h, which -01 §5.2 only RECOMMENDS to the signer
//!   ("It is RECOMMENDED that `expires` be no more than 24 hours after `created`"), so the
//!   shipped answer to those vectors is `lifetime_too_long` whatever their fault. Each
//!   test asserts that default answer and, for the vectors with the long lifetime only, the
//!   answer with the cap lifted, which isolates the vector's own fault.
//! - **Directories.** The vectors serve their directory at
//!   `https://signature-agent.test/.well-known/http-message-signatures-directory`. `.test`
//!   is a special-use name (RFC 6761) that httpseal's fetch rules refuse (§6.7 SSRF), so the
//!   vector's response is accepted by the core (`webbotauth::accept`: its status, media
//!   type and body) and handed to the job from the host's store — as `httpseal verify
//!   --directory` does — with the network off ([`the_test_domain_is_not_fetched`]).
//!
//! Section numbers are those of draft-ietf-webbotauth-httpsig-protocol-01
//! (`docs/specs/draft-ietf-webbotauth-httpsig-protocol-01.md`); the vectors cite -00, whose
//! sections 5.2, 5.2.1, 5.2.2, 5.4, 5.5, Appendix B.1 and C.1 are unchanged in -01.

mod common;
#[path = "common/sim.rs"]
mod sim;

use common::{allowing_test_keys, vectors};
use httpseal::fetch::FetchedResponse;
use httpseal::job::DirectoryAccess;
use httpseal::webbotauth::{self, Accepted, AgentLocation, AgentOptions, AgentType};
use httpseal::{HttpMessage, JwkSet, Outcome, Policy, Profile, Verdict};
use serde_json::Value;
use sim::Sim;

const AGENT_DIR: &str =
    "https://signature-agent.test/.well-known/http-message-signatures-directory";

/// The vector whose id is `id`, from its own file (`vectors/NV-xx-<slug>.json`).
fn vector(id: &str) -> Value {
    let dir = common::vectors_dir().join("webbotauth/negative/vectors");
    let file = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .find(|name| name.starts_with(&format!("{id}-")))
        .unwrap_or_else(|| panic!("no vector {id}"));
    vectors(&format!("webbotauth/negative/vectors/{file}"))
}

/// The vector's request as a message.
fn request(v: &Value) -> HttpMessage {
    let r = &v["request"];
    let mut msg =
        HttpMessage::request(r["method"].as_str().unwrap(), r["url"].as_str().unwrap()).unwrap();
    for (name, value) in r["headers"].as_object().unwrap() {
        msg.push_header(name, value.as_str().unwrap());
    }
    match r["body"].as_str() {
        Some(body) => msg.with_body(body.as_bytes().to_vec()),
        None => msg,
    }
}

/// The vector's directory response, accepted by the core as a fetch of its URL would be,
/// and put in the host's store: a sim at the vector's `now`.
fn sim_for(v: &Value) -> Sim {
    let now = v["now"].as_u64().unwrap();
    let mut sim = Sim::at(now);
    if let Some(d) = v["directory"].as_object() {
        let url = d["url"].as_str().unwrap();
        serve_from_store(&mut sim, url, d);
    }
    sim
}

/// Accepts `directory` (`status`, `headers`, `body`) as fetched from `url`, and keeps the
/// record in the sim's store under `url`.
fn serve_from_store(sim: &mut Sim, url: &str, directory: &serde_json::Map<String, Value>) {
    let response = FetchedResponse {
        status: directory["status"].as_u64().unwrap() as u16,
        headers: directory["headers"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(n, v)| (n.clone(), v.as_str().unwrap().to_string()))
            .collect(),
        body: directory["body"].as_str().unwrap().as_bytes().to_vec(),
    };
    let location = AgentLocation {
        kind: if url.contains("/.well-known/") {
            AgentType::Directory
        } else {
            AgentType::JwksUri
        },
        fetch_url: url.into(),
        identifier: url.into(),
    };
    match webbotauth::accept(&location, url, &response, AgentOptions::default(), sim.now) {
        Accepted::Record(record) => sim.keep(url, record, false),
        other => panic!("the vector's directory is not accepted: {other:?}"),
    }
}

/// The shipped web-bot-auth profile, the B.1.4 test key accepted (module docs).
fn shipped() -> Policy {
    allowing_test_keys(Profile::WebBotAuth.policy())
}

/// [`shipped`] with the 24 h lifetime cap lifted (module docs: a signer recommendation).
fn cap_lifted() -> Policy {
    Policy {
        max_lifetime: None,
        ..shipped()
    }
}

/// Runs the vector under `policy`, directories from the host's store only.
fn run(v: &Value, policy: Policy) -> Verdict {
    let mut sim = sim_for(v);
    let msg = request(v);
    let setup = sim.setup(policy).directories(DirectoryAccess::StoreOnly);
    sim.run(&msg, setup)
}

fn answer(v: &Verdict) -> (Outcome, Option<&'static str>) {
    (v.verdict, v.error_code())
}

/// The vector's expected outcome, as httpseal spells it.
fn expected(v: &Value) -> Outcome {
    match v["expected"]["outcome"].as_str().unwrap() {
        "invalid" => Outcome::Invalid,
        "unverified" => Outcome::Unverified,
        other => panic!("{other}"),
    }
}

/// Checks vector `id`: its expected reason is the one named; the shipped profile answers
/// `shipped_code`; with the lifetime cap lifted (only for the vectors with the 100-year
/// lifetime) it answers `lifted_code`. Both answers have the vector's outcome.
fn check(id: &str, reason: &str, shipped_code: &str, lifted_code: Option<&str>) {
    let v = vector(id);
    assert_eq!(v["id"], id);
    assert_eq!(v["expected"]["reason"], reason, "{id}");
    let outcome = expected(&v);
    let got = run(&v, shipped());
    assert_eq!(
        answer(&got),
        (outcome, Some(shipped_code)),
        "{id} shipped: {:?}",
        got.error
    );
    let long_lived = lifetime(&v).is_some_and(|l| l > 24 * 3600);
    match lifted_code {
        Some(code) => {
            assert!(
                long_lived,
                "{id}: the cap is lifted only for 100-year vectors"
            );
            let got = run(&v, cap_lifted());
            assert_eq!(
                answer(&got),
                (outcome, Some(code)),
                "{id} cap lifted: {:?}",
                got.error
            );
        }
        None => assert!(
            !long_lived || shipped_code != "lifetime_too_long",
            "{id}: a lifetime refusal isolates nothing; give the answer with the cap lifted"
        ),
    }
}

/// `expires - created` of the vector's signature, when both are present.
fn lifetime(v: &Value) -> Option<u64> {
    let input = v["request"]["headers"]["Signature-Input"].as_str()?;
    let param = |name: &str| -> Option<u64> {
        let at = input.find(&format!(";{name}="))? + name.len() + 2;
        input[at..]
            .split(|c: char| !c.is_ascii_digit())
            .next()?
            .parse()
            .ok()
    };
    Some(param("expires")? - param("created")?)
}

/// Every vector of the set has a test here, and each file is the combined file's copy.
#[test]
fn every_vector_is_tested() {
    let all = vectors("webbotauth/negative/web-bot-auth-negative-vectors.json");
    assert_eq!(all["numberOfTests"], 17);
    let ids: Vec<String> = all["testGroups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["tests"].as_array().unwrap())
        .map(|t| {
            let id = t["id"].as_str().unwrap();
            assert_eq!(
                &vector(id),
                t,
                "{id}: the file differs from the combined copy"
            );
            id.to_string()
        })
        .collect();
    let tested = [
        "NV-01", "NV-03", "NV-04", "NV-05", "NV-06", "NV-07", "NV-08", "NV-09", "NV-10", "NV-11",
        "NV-12", "NV-13", "NV-14", "NV-16", "NV-17", "NV-18", "NV-19",
    ];
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(sorted, tested);
    let files = std::fs::read_dir(common::vectors_dir().join("webbotauth/negative/vectors"))
        .unwrap()
        .count();
    assert_eq!(files, tested.len());
}

/// NV-01: covers only `"signature-agent";key="sig1"`. §5.2: "Agents MUST include at least
/// one of the following components: `@authority` … `@target-uri`" (the profile's
/// `requiredComponents`).
#[test]
fn nv01_target_not_covered() {
    check(
        "NV-01",
        "target-not-covered",
        "lifetime_too_long",
        Some("missing_required_component"),
    );
}

/// NV-03: no `expires`. §5.2: "Agents MUST include the following `@signature-params` …
/// `expires`" (`requireExpires`). No lifetime to cap.
#[test]
fn nv03_missing_fields() {
    check("NV-03", "missing-fields", "missing_expires", None);
}

/// NV-04: `now` is past `expires` (RFC 9421 §3.2.1). The lifetime is one hour.
#[test]
fn nv04_expired() {
    check("NV-04", "expired", "expired", None);
}

/// NV-05: `created` an hour ahead of `now`. -01 has a MUST only for a directory response
/// signature (Appendix B.1); for a request it is local policy: httpseal allows 60 s of
/// skew (`skew`). Checked before the lifetime.
#[test]
fn nv05_clock_ahead() {
    check("NV-05", "clock-ahead", "created_in_future", None);
}

/// NV-06: signed over `@authority: other.example`, sent to `example.com` (§5.4 → RFC 9421
/// §3.2): the key is found in the directory and the signature fails. The verdict names no
/// agent: the URL provided a key, but not one that verifies the request (§4.1).
#[test]
fn nv06_bad_signature() {
    check(
        "NV-06",
        "bad-signature",
        "lifetime_too_long",
        Some("invalid_signature"),
    );
    let v = vector("NV-06");
    let got = run(&v, cap_lifted());
    assert_eq!((got.agent, got.directory_proof), (None, None));
    assert_eq!(got.identifier.as_deref(), v["key"]["keyid"].as_str());
}

/// NV-07: the signer used an empty `@path` where RFC 9421 §2.2.6 says `/`. httpseal has no
/// separate canonicalisation reason: the base it builds differs, the signature fails.
#[test]
fn nv07_canonicalization_mismatch() {
    check(
        "NV-07",
        "canonicalization-mismatch",
        "lifetime_too_long",
        Some("invalid_signature"),
    );
}

/// NV-08: the covered `Content-Digest` is not the body's. -01 §5.2 "An Agent that needs one
/// MUST send and cover `Content-Digest`"; httpseal checks a covered digest against the
/// body (`checkContentDigest`), after the signature verified.
#[test]
fn nv08_content_digest_mismatch() {
    check(
        "NV-08",
        "content-digest-mismatch",
        "lifetime_too_long",
        Some("content_digest_mismatch"),
    );
}

/// NV-09: covers `content-digest`, the request has none (RFC 9421 §2.5: the base cannot be
/// built).
#[test]
fn nv09_missing_component() {
    check(
        "NV-09",
        "missing-component",
        "lifetime_too_long",
        Some("missing_field"),
    );
}

/// NV-10: the `Signature-Input` inner list is never closed. §5.4: "if the Origin fails to
/// parse the provided `Signature`, `Signature-Input`, or `Signature-Agent` headers, it MAY
/// respond with status code 400"; the job refuses it before anything else.
#[test]
fn nv10_signature_input_unreadable() {
    check(
        "NV-10",
        "signature-input-unreadable",
        "malformed_signature_input",
        None,
    );
}

/// NV-11: `Signature` carries label `sig9`, `Signature-Input` `sig1` (RFC 9421 §4: every
/// signature needs both).
#[test]
fn nv11_signature_value_unreadable() {
    check(
        "NV-11",
        "signature-value-unreadable",
        "missing_signature_input",
        None,
    );
}

/// NV-12: no `Signature-Agent`, so nowhere to look the key up. With no key: unverified
/// (`unknown_key`) once the cap is lifted — the vector's case. -01 §4.3 adds what the
/// vector does not test: "A verifier that already holds that key verifies the request,
/// and attributes it no further than the holder of that key" — with the B.1.4 key held
/// out of band it verifies, identified by its thumbprint, no agent.
///
/// The shipped answer differs in outcome: the parameters (lifetime) are checked before the
/// key is looked for, and a refused parameter is `invalid`. The vector's `unverified`
/// holds for its fault alone.
#[test]
fn nv12_signature_agent_absent() {
    let v = vector("NV-12");
    assert_eq!(v["expected"]["reason"], "signature-agent-absent");
    assert_eq!(expected(&v), Outcome::Unverified);
    assert_eq!(
        answer(&run(&v, shipped())),
        (Outcome::Invalid, Some("lifetime_too_long"))
    );
    let got = run(&v, cap_lifted());
    assert_eq!(answer(&got), (Outcome::Unverified, Some("unknown_key")));
    assert_eq!(got.agent, None);

    let held = JwkSet::from_value(&v["key"]["jwk"]).unwrap();
    let mut sim = sim_for(&v);
    let msg = request(&v);
    let setup = sim
        .setup(cap_lifted())
        .directories(DirectoryAccess::StoreOnly)
        .known(&held);
    let got = sim.run(&msg, setup);
    assert_eq!(answer(&got), (Outcome::Verified, None));
    assert_eq!(got.identifier.as_deref(), v["key"]["keyid"].as_str());
    assert_eq!(got.agent, None);
}

/// NV-13: two members, covered as bare `"signature-agent"`, none named after the label.
/// §5.2.2: "A verifier MUST NOT attribute a signature to a member that signature does not
/// cover" — which member it covers cannot be told: `ambiguous_signature_agent`, found
/// before the parameters are read, so the cap does not mask it.
#[test]
fn nv13_signature_agent_ambiguous_member() {
    check(
        "NV-13",
        "signature-agent-ambiguous-member",
        "ambiguous_signature_agent",
        None,
    );
}

/// NV-14: covers member `sig1`, the field has only `other` (RFC 9421 §2.1.2; -01 §5.2.1
/// "Its member keyed to the signature label MUST be signed").
#[test]
fn nv14_signature_agent_member_missing() {
    check(
        "NV-14",
        "signature-agent-member-missing",
        "dictionary_key_not_found",
        None,
    );
}

/// NV-16: the member is `http://signature-agent.test`. §5.2.1: "an absolute URI, whose
/// scheme MUST be `https`"; §5.5.1 "The directory MUST be served over HTTPS"
/// (`invalid_url`). Only the development switch (`AgentOptions::allow_http`) accepts it.
#[test]
fn nv16_signature_agent_not_https() {
    check("NV-16", "signature-agent-not-https", "invalid_url", None);
    let v = vector("NV-16");
    let got = run(&v, cap_lifted());
    assert!(got.error.unwrap().to_string().contains("https"));
}

/// NV-17: the member is `https://signature-agent.test/keys`, a URL with a path. **Draft
/// -01 disagrees with the vector.** The vector rests on -00's `directory` type ("The
/// member value MUST be the ASCII serialization of an origin … a verifier MUST ignore a
/// member carrying anything else"), which -01 removed ("Make every `Signature-Agent` value
/// a direct JWK Set URI … Remove the `directory`, `jwks_uri`, and `cimd` discovery types").
/// Under -01 §5.5 "A verifier fetches that URL directly and interprets the response as a
/// JWK Set", and httpseal does: the member is usable, and its outcome is what that URL
/// serves. The vector serves nothing there (`directory: null`): unverified, as the vector
/// expects — but because the directory is unavailable (`directory_unavailable`), not
/// because the member is ignored. When `/keys` serves the key, httpseal's -01 answer is
/// **verified**, identified by that URL (§4.1).
#[test]
fn nv17_signature_agent_not_origin() {
    let v = vector("NV-17");
    assert_eq!(v["expected"]["reason"], "signature-agent-not-origin");
    assert_eq!(expected(&v), Outcome::Unverified);
    assert!(v["directory"].is_null());
    assert_eq!(
        answer(&run(&v, shipped())),
        (Outcome::Invalid, Some("lifetime_too_long"))
    );
    let got = run(&v, cap_lifted());
    assert_eq!(
        answer(&got),
        (Outcome::Unverified, Some("directory_unavailable"))
    );

    // The same request when the JWK Set URL serves the vectors' key.
    let keys_url = "https://signature-agent.test/keys";
    let mut sim = sim_for(&v);
    let jwks = serde_json::json!({ "keys": [v["key"]["jwk"]] }).to_string();
    let directory = serde_json::json!({
        "status": 200,
        "headers": { "Content-Type": "application/jwk-set+json" },
        "body": jwks,
    });
    serve_from_store(&mut sim, keys_url, directory.as_object().unwrap());
    let msg = request(&v);
    let setup = sim
        .setup(cap_lifted())
        .directories(DirectoryAccess::StoreOnly);
    let got = sim.run(&msg, setup);
    assert_eq!(answer(&got), (Outcome::Verified, None), "{:?}", got.error);
    assert_eq!(got.identifier.as_deref(), Some(keys_url));
}

/// NV-18: the `Signature-Agent` string is never closed. §5.2.1: "`Signature-Agent` is a
/// Dictionary Structured Header"; a field that does not parse is `malformed_field`, found
/// before the parameters.
#[test]
fn nv18_signature_agent_unparsable() {
    check(
        "NV-18",
        "signature-agent-unparsable",
        "malformed_field",
        None,
    );
}

/// NV-19: `("@authority" "@authority" …)` (RFC 9421 §2.5: a component appears once). The
/// repetition is found when the base is built, after the parameters: the cap masks it.
#[test]
fn nv19_duplicate_component() {
    check(
        "NV-19",
        "duplicate-component",
        "lifetime_too_long",
        Some("duplicate_component"),
    );
}

/// Why the runs set `allow_test_keys`: with the shipped profile as is, a vector whose
/// fault comes after the key is found (NV-06, cap lifted) is refused for its key instead
/// (§6.8, `test_key`, rule `allowTestKeys`).
#[test]
fn the_test_key_is_refused_by_default() {
    let v = vector("NV-06");
    let policy = Policy {
        max_lifetime: None,
        ..Profile::WebBotAuth.policy()
    };
    let got = run(&v, policy);
    assert_eq!(answer(&got), (Outcome::Invalid, Some("test_key")));
    assert_eq!(got.error.unwrap().rule(), Some("allowTestKeys"));
}

/// Why the directories come from the store: fetching the vectors' directory at
/// `signature-agent.test` is refused by the fetch rules (a special-use name, RFC 6761;
/// §6.7 "prevent directory fetches to private … address ranges") — nothing goes on the
/// wire, and the request is unverified.
#[test]
fn the_test_domain_is_not_fetched() {
    let v = vector("NV-06");
    let mut sim = Sim::at(v["now"].as_u64().unwrap());
    let msg = request(&v);
    let got = sim.verify(&msg, &cap_lifted());
    assert_eq!(
        answer(&got),
        (Outcome::Unverified, Some("directory_unavailable"))
    );
    match &got.error {
        Some(httpseal::Error::DirectoryUnavailable { cause, url }) => {
            assert_eq!(cause.code(), "fetch_private_host_refused");
            assert_eq!(url, AGENT_DIR);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(sim.total_fetches(), 0);
}
