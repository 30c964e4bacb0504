//! Document acceptance: how a fetched key document becomes a directory record, with the
//! rules in order —
//! 1. status `200` only (draft -01 §5.5: every other status is a discovery failure, and
//!    redirects are never followed);
//! 2. a JSON media type a directory is served with ([`crate::fetch::DIRECTORY_MEDIA_TYPES`]);
//! 3. the document read as keys ([`read_key_document`]): a JWK Set, a bare JWK (a
//!    compatibility rule: Shopify serves one), or — for draft -00 typed members only — a
//!    Client ID Metadata Document that carries its keys or points at a `jwks_uri`;
//! 4. the response's own signatures ([`verify_directory_response`], with the request that
//!    fetched it for `"@authority";req`): their result is recorded as the record's
//!    [`ProofStatus`]. The keys are used either way (draft -01 Appendix B: "A verifier MAY
//!    use a key obtained by resolving the directory itself whether or not it has valid
//!    proof"): the verifier fetched the URL itself, and the proof only adds a domain binding;
//! 5. freshness from `Cache-Control` ([`directory_freshness`]).

use super::agent::{AgentLocation, AgentOptions, AgentType};
use super::cache::{CachedDirectory, ProofStatus, directory_freshness};
use super::directory::{DirectoryProof, check_directory_response, verify_directory_response};
use super::failure::DiscoveryFailure;
use super::record::DirectoryRecord;
use super::resolve::{KeyDocument, read_key_document};
use crate::error::Error;
use crate::fetch::{FetchFailure, FetchedResponse};
use crate::http::HttpMessage;
use crate::limits::MAX_DIRECTORY_BYTES;
use alloc::boxed::Box;
use alloc::string::String;

/// What a fetched document amounts to.
#[derive(Debug)]
pub enum Accepted {
    /// The keys, as the record to keep (its body is always a JWK Set document).
    Record(DirectoryRecord),
    /// A Client ID Metadata Document naming its JWK Set: fetch this URL next, under the same
    /// rules and the same identifier.
    FetchJwksUri(String),
    /// Not usable: a discovery failure (never evidence against the signer).
    Rejected(DiscoveryFailure),
}

/// Reads `response`, fetched from `url` for `location`, at `now`.
pub fn accept(
    location: &AgentLocation,
    url: &str,
    response: &FetchedResponse,
    options: AgentOptions,
    now: u64,
) -> Accepted {
    match read(location, url, response, options, now) {
        Ok(accepted) => accepted,
        Err(failure) => Accepted::Rejected(failure),
    }
}

fn document(e: Error) -> DiscoveryFailure {
    DiscoveryFailure::Document(Box::new(e))
}

fn read(
    location: &AgentLocation,
    url: &str,
    response: &FetchedResponse,
    options: AgentOptions,
    now: u64,
) -> Result<Accepted, DiscoveryFailure> {
    check_directory_response(response.status, response.header("content-type"))?;
    if response.body.len() > MAX_DIRECTORY_BYTES {
        return Err(DiscoveryFailure::Fetch(FetchFailure::TooLarge {
            limit: MAX_DIRECTORY_BYTES,
        }));
    }
    let kind = location.kind;
    let keys = match read_key_document(kind, &response.body, options, now).map_err(document)? {
        KeyDocument::Keys(keys) => keys,
        KeyDocument::FetchJwksUri(uri) => return Ok(Accepted::FetchJwksUri(uri)),
    };
    let mut signed = HttpMessage::response(response.status)
        .map_err(document)?
        .with_body(response.body.clone())
        .with_related_request(HttpMessage::request("GET", url).map_err(document)?);
    for (name, value) in &response.headers {
        signed.try_push_header(name, value).map_err(document)?;
    }
    let proof = match verify_directory_response(&signed, &keys, now) {
        DirectoryProof::Unsigned => ProofStatus::Absent,
        DirectoryProof::Signed { .. } => ProofStatus::Valid,
        DirectoryProof::Invalid { .. } => ProofStatus::Invalid,
    };
    let body = match kind {
        // A CIMD carries its keys inline: keep just the JWK Set, so every record's body
        // reads the same way.
        AgentType::Cimd => inline_jwks(&response.body).map_err(document)?,
        AgentType::Directory | AgentType::JwksUri => String::from_utf8(response.body.clone())
            .map_err(|_| document(Error::InvalidDirectory("the body is not UTF-8".into())))?,
    };
    let freshness = directory_freshness(response.header("cache-control"));
    let cached = CachedDirectory::fetched(body, freshness, now).with_proof(proof);
    Ok(Accepted::Record(DirectoryRecord::with_keys(cached, keys)))
}

/// The `jwks` member of a Client ID Metadata Document, as JSON text.
fn inline_jwks(body: &[u8]) -> crate::Result<String> {
    let doc: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| Error::InvalidDirectory(alloc::format!("client metadata is not JSON: {e}")))?;
    let jwks = doc
        .get("jwks")
        .ok_or_else(|| Error::InvalidDirectory("client metadata has no jwks".into()))?;
    serde_json::to_string(jwks).map_err(|e| Error::InvalidDirectory(alloc::format!("{e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::webbotauth::{
        AgentMember, DIRECTORY_MEDIA_TYPE, DIRECTORY_PATH, MIN_DIRECTORY_TTL, sign_directory,
    };
    use crate::{Key, key_from_jwk};
    use alloc::format;
    use alloc::string::ToString;
    use alloc::vec::Vec;

    const NOW: u64 = 1_750_000_000;
    const PRIVATE: &str = r#"{"kty":"OKP","crv":"Ed25519","d":"n4Ni-HpISpVObnQMW0wOhCKROaIKqKtW_2ZYb2p9KcU","x":"JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs"}"#;

    fn key() -> Key {
        let v: serde_json::Value = serde_json::from_str(PRIVATE).unwrap();
        key_from_jwk(v.as_object().unwrap()).unwrap()
    }

    fn location(uri: &str) -> AgentLocation {
        AgentMember {
            key: None,
            uri: uri.into(),
            declared_type: None,
        }
        .locate(AgentOptions::default())
        .unwrap()
    }

    fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect()
    }

    /// A directory signed for `authority` by the core, as an agent would serve it.
    fn signed(authority: &str) -> FetchedResponse {
        let r = sign_directory(&[key()], authority, NOW - 10, NOW + 3600, &[7; 32]).unwrap();
        let mut headers = r.headers;
        headers.push(("Cache-Control".into(), "max-age=600".into()));
        FetchedResponse {
            status: 200,
            headers,
            body: r.body.into_bytes(),
        }
    }

    fn record(a: Accepted) -> DirectoryRecord {
        match a {
            Accepted::Record(r) => r,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_signed_directory_is_accepted_with_its_freshness_and_proof() {
        let loc = location("https://agent.example");
        let url = format!("https://agent.example{DIRECTORY_PATH}");
        let r = record(accept(
            &loc,
            &url,
            &signed("agent.example"),
            AgentOptions::default(),
            NOW,
        ));
        assert_eq!(r.keys().unwrap().keys().len(), 1);
        assert_eq!(r.cached().fresh_until, NOW + 600);
        assert!(r.shareable());
        assert_eq!(r.proof(), ProofStatus::Valid);
    }

    #[test]
    fn a_proof_for_another_authority_is_refused_and_the_keys_still_serve() {
        // Draft -01 Appendix B: the proof fails, so there is no domain binding; the keys
        // came from the URL the verifier fetched itself and remain usable.
        let loc = location("https://agent.example");
        let url = format!("https://agent.example{DIRECTORY_PATH}");
        let r = record(accept(
            &loc,
            &url,
            &signed("elsewhere.example"),
            AgentOptions::default(),
            NOW,
        ));
        assert_eq!(r.proof(), ProofStatus::Invalid);
        assert_eq!(r.keys().unwrap().keys().len(), 1);
        // A changed body breaks the covered Content-Digest: the proof fails too.
        let mut changed = signed("agent.example");
        changed.body = String::from_utf8(changed.body)
            .unwrap()
            .replace("sig", "enc")
            .into_bytes();
        let r = record(accept(&loc, &url, &changed, AgentOptions::default(), NOW));
        assert_eq!(r.proof(), ProofStatus::Invalid);
    }

    #[test]
    fn unsigned_directories_are_accepted_and_cache_control_applies() {
        let loc = location("https://agent.example/keys.json");
        let response = FetchedResponse {
            status: 200,
            headers: headers(&[
                ("content-type", "application/jwk-set+json"),
                ("cache-control", "no-store"),
            ]),
            body: br#"{"keys":[{"kty":"OKP","crv":"Ed25519","x":"JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs"}]}"#.to_vec(),
        };
        let r = record(accept(
            &loc,
            "https://agent.example/keys.json",
            &response,
            AgentOptions::default(),
            NOW,
        ));
        assert!(!r.shareable(), "no-store keeps it out of KV");
        assert_eq!(r.cached().fresh_until, NOW + MIN_DIRECTORY_TTL);
        assert_eq!(r.proof(), ProofStatus::Absent);
    }

    #[test]
    fn status_media_type_and_body_errors_are_discovery_failures() {
        let loc = location("https://agent.example");
        let url = "https://agent.example/.well-known/http-message-signatures-directory";
        let cases: [(u16, &str, &str, &str); 5] = [
            (404, DIRECTORY_MEDIA_TYPE, "{}", "fetch_status"),
            (301, DIRECTORY_MEDIA_TYPE, "{}", "fetch_status"),
            (200, "text/html", r#"{"keys":[]}"#, "directory_media_type"),
            (200, DIRECTORY_MEDIA_TYPE, "not json", "invalid_directory"),
            (
                200,
                DIRECTORY_MEDIA_TYPE,
                r#"{"nokeys":1}"#,
                "invalid_directory",
            ),
        ];
        for (status, media, body, code) in cases {
            let response = FetchedResponse {
                status,
                headers: headers(&[("content-type", media)]),
                body: body.as_bytes().to_vec(),
            };
            match accept(&loc, url, &response, AgentOptions::default(), NOW) {
                Accepted::Rejected(f) => assert_eq!(f.code(), code, "{status} {body}: {f}"),
                other => panic!("{status} {body}: {other:?}"),
            }
        }
    }

    #[test]
    fn client_metadata_inline_or_by_reference() {
        let mut loc = location("https://agent.example/client.json");
        loc.kind = AgentType::Cimd;
        let options = AgentOptions {
            draft00_members: true,
            ..AgentOptions::default()
        };
        let url = "https://agent.example/client.json";
        let json = headers(&[("content-type", "application/json")]);
        let response = |body: &str| FetchedResponse {
            status: 200,
            headers: json.clone(),
            body: body.as_bytes().to_vec(),
        };
        let inline = r#"{"client_id":"x","jwks":{"keys":[{"kty":"OKP","crv":"Ed25519","x":"JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs"}]}}"#;
        let r = record(accept(&loc, url, &response(inline), options, NOW));
        assert_eq!(r.keys().unwrap().keys().len(), 1);
        assert!(
            r.cached()
                .body
                .as_deref()
                .unwrap()
                .starts_with(r#"{"keys":"#)
        );
        let by_ref = r#"{"client_id":"x","jwks_uri":"https://keys.example/jwks.json"}"#;
        assert!(matches!(
            accept(&loc, url, &response(by_ref), options, NOW),
            Accepted::FetchJwksUri(u) if u == "https://keys.example/jwks.json"
        ));
        let http = r#"{"client_id":"x","jwks_uri":"http://keys.example/jwks.json"}"#;
        assert!(matches!(
            accept(&loc, url, &response(http), options, NOW),
            Accepted::Rejected(_)
        ));
    }
}
