//! How a fetched key document becomes a cache record, with the core's rules in order:
//! [`check_directory_response`] (status 200, a JSON media type) → [`read_key_document`]
//! (a directory, a JWK Set, or a Client ID Metadata Document that carries its keys or
//! points at a `jwks_uri`) → [`verify_directory_response`] (the response's own
//! signatures, with the request that fetched it for `"@authority";req`) → a record of
//! [`CachedDirectory::fetched`] with the freshness of its `Cache-Control`.
//!
//! Sans-IO: the runtime fetches and hands over status, headers and body; a CIMD that points
//! elsewhere comes back as [`Accepted::FetchJwksUri`] for one more fetch under the same
//! rules. A response whose own signature fails is [`Accepted::Rejected`]: it is not cached
//! (the runtime records a failure instead, [`failure`]).

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use httpseal::webbotauth::{
    AgentLocation, AgentOptions, AgentType, CachedDirectory, DirectoryProof, KeyDocument,
    check_directory_response, directory_freshness, read_key_document, verify_directory_response,
};
use httpseal::{Error, HttpMessage, JwkSet};

/// A fetched document as the fetcher returns it.
#[derive(Debug, Clone, Copy)]
pub struct FetchedDocument<'a> {
    /// The URL that was fetched.
    pub url: &'a str,
    /// The response status.
    pub status: u16,
    /// The response header fields.
    pub headers: &'a [(String, String)],
    /// The response body.
    pub body: &'a [u8],
}

impl FetchedDocument<'_> {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What a fetched document amounts to.
#[derive(Debug)]
pub enum Accepted {
    /// The keys, and the record to cache (its body is always a JWK Set document).
    Keys {
        /// What memory and KV keep.
        record: CachedDirectory,
        /// The keys of `record.body`.
        keys: JwkSet,
    },
    /// A Client ID Metadata Document naming its JWK Set: fetch this URL next (as a
    /// [`AgentType::JwksUri`] location with the same identifier, [`jwks_uri_location`]).
    FetchJwksUri(String),
    /// Not usable; nothing is cached but a failure.
    Rejected(Error),
}

/// Reads `fetched`, the document of `location`, at `now`.
pub fn accept(
    location: &AgentLocation,
    fetched: FetchedDocument<'_>,
    options: AgentOptions,
    now: u64,
) -> Accepted {
    match read(location, fetched, options, now) {
        Ok(accepted) => accepted,
        Err(e) => Accepted::Rejected(failure(fetched.url, &e)),
    }
}

fn read(
    location: &AgentLocation,
    fetched: FetchedDocument<'_>,
    options: AgentOptions,
    now: u64,
) -> httpseal::Result<Accepted> {
    check_directory_response(fetched.status, fetched.header("content-type"))?;
    let keys = match read_key_document(location, fetched.body, options, now)? {
        KeyDocument::Keys(keys) => keys,
        KeyDocument::FetchJwksUri(uri) => return Ok(Accepted::FetchJwksUri(uri)),
    };
    let mut response = HttpMessage::response(fetched.status)?
        .with_body(fetched.body)
        .with_related_request(HttpMessage::request("GET", fetched.url)?);
    for (name, value) in fetched.headers {
        response.try_push_header(name, value)?;
    }
    if let DirectoryProof::Invalid { label, error } =
        verify_directory_response(&response, &keys, now)
    {
        return Err(Error::InvalidDirectory(format!(
            "the response signature {label:?} fails: {} ({})",
            error.message, error.code
        )));
    }
    let body = match location.kind {
        // A CIMD carries its keys inline: keep just the JWK Set, so every record's body
        // reads the same way.
        AgentType::Cimd => inline_jwks(fetched.body)?,
        AgentType::Directory | AgentType::JwksUri => String::from_utf8(fetched.body.to_vec())
            .map_err(|_| Error::InvalidDirectory("the body is not UTF-8".into()))?,
    };
    let freshness = directory_freshness(fetched.header("cache-control"));
    Ok(Accepted::Keys {
        record: CachedDirectory::fetched(body, freshness, now),
        keys,
    })
}

/// The `jwks` member of a Client ID Metadata Document, as JSON text.
fn inline_jwks(body: &[u8]) -> httpseal::Result<String> {
    let doc: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| Error::InvalidDirectory(format!("client metadata is not JSON: {e}")))?;
    let jwks = doc
        .get("jwks")
        .ok_or_else(|| Error::InvalidDirectory("client metadata has no jwks".into()))?;
    serde_json::to_string(jwks).map_err(|e| Error::InvalidDirectory(e.to_string()))
}

/// The location a CIMD's `jwks_uri` is read as: a JWK Set, under the CIMD's identifier
/// (keys are looked up by the agent the signature names, not by where they were found).
pub fn jwks_uri_location(cimd: &AgentLocation, uri: &str) -> AgentLocation {
    AgentLocation {
        kind: AgentType::JwksUri,
        fetch_url: uri.into(),
        identifier: cimd.identifier.clone(),
    }
}

/// The error recorded for a failed lookup of `url`: `directory_unavailable`, whose message
/// names the URL and the underlying code and reason (it is what verdicts report while the
/// failure is remembered, in this isolate and, through KV, in others).
pub fn failure(url: &str, cause: &Error) -> Error {
    unavailable(url, cause.code(), &cause.to_string())
}

/// [`failure`] for a cause that is not a core error (a refused or failed fetch).
pub fn unavailable(url: &str, code: &str, reason: &str) -> Error {
    Error::DirectoryUnavailable(format!("{url} ({code}: {reason})"))
}

/// Header fields as the fetcher collects them, for tests and callers building a
/// [`FetchedDocument`] by hand.
pub fn header_list(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use httpseal::webbotauth::{
        AgentMember, DIRECTORY_MEDIA_TYPE, DIRECTORY_PATH, MIN_DIRECTORY_TTL, sign_directory,
    };
    use httpseal::{Key, key_from_jwk};

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
        .locate(false)
        .unwrap()
    }

    /// A directory signed for `authority` by the core, as an agent would serve it.
    fn signed(authority: &str) -> (Vec<(String, String)>, String) {
        let r = sign_directory(&[key()], authority, NOW - 10, NOW + 3600, &[7; 32]).unwrap();
        let mut headers = r.headers;
        headers.push(("Cache-Control".into(), "max-age=600".into()));
        (headers, r.body)
    }

    fn fetched<'a>(
        url: &'a str,
        headers: &'a [(String, String)],
        body: &'a str,
    ) -> FetchedDocument<'a> {
        FetchedDocument {
            url,
            status: 200,
            headers,
            body: body.as_bytes(),
        }
    }

    #[test]
    fn a_signed_directory_is_accepted_with_its_freshness() {
        let loc = location("https://agent.example");
        let (headers, body) = signed("agent.example");
        let url = format!("https://agent.example{DIRECTORY_PATH}");
        match accept(
            &loc,
            fetched(&url, &headers, &body),
            AgentOptions::default(),
            NOW,
        ) {
            Accepted::Keys { record, keys } => {
                assert_eq!(keys.keys().len(), 1);
                assert_eq!(record.body.as_deref(), Some(body.as_str()));
                assert_eq!(record.fresh_until, NOW + 600);
                assert!(record.shareable);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_directory_signed_for_another_authority_is_rejected() {
        let loc = location("https://agent.example");
        let (headers, body) = signed("elsewhere.example");
        let url = format!("https://agent.example{DIRECTORY_PATH}");
        match accept(
            &loc,
            fetched(&url, &headers, &body),
            AgentOptions::default(),
            NOW,
        ) {
            Accepted::Rejected(e) => {
                assert_eq!(e.code(), "directory_unavailable");
                let text = e.to_string();
                assert!(text.contains(&url), "{text}");
                assert!(text.contains("invalid_directory"), "{text}");
                assert!(text.contains("\"binding\""), "{text}");
            }
            other => panic!("{other:?}"),
        }
        // A changed body breaks the covered Content-Digest.
        let (headers, body) = signed("agent.example");
        let changed = body.replace("sig", "enc");
        assert!(matches!(
            accept(
                &loc,
                fetched(&url, &headers, &changed),
                AgentOptions::default(),
                NOW
            ),
            Accepted::Rejected(_)
        ));
    }

    #[test]
    fn unsigned_directories_are_accepted_and_cache_control_applies() {
        let loc = location("https://agent.example/keys.json");
        let body = r#"{"keys":[{"kty":"OKP","crv":"Ed25519","x":"JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs"}]}"#;
        let headers = header_list(&[
            ("content-type", "application/jwk-set+json"),
            ("cache-control", "no-store"),
        ]);
        match accept(
            &loc,
            fetched("https://agent.example/keys.json", &headers, body),
            AgentOptions::default(),
            NOW,
        ) {
            Accepted::Keys { record, .. } => {
                assert!(!record.shareable, "no-store keeps it out of KV");
                assert_eq!(record.fresh_until, NOW + MIN_DIRECTORY_TTL);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn status_media_type_and_body_errors_are_rejections() {
        let loc = location("https://agent.example");
        let url = "https://agent.example/.well-known/http-message-signatures-directory";
        let json = header_list(&[("content-type", DIRECTORY_MEDIA_TYPE)]);
        let html = header_list(&[("content-type", "text/html")]);
        type Headers<'a> = &'a [(String, String)];
        let cases: [(u16, Headers, &str, &str); 4] = [
            (404, &json, "{}", "status 404"),
            (200, &html, r#"{"keys":[]}"#, "text/html"),
            (200, &json, "not json", "not JSON"),
            (200, &json, r#"{"nokeys":1}"#, "no keys array"),
        ];
        for (status, headers, body, says) in cases {
            let f = FetchedDocument {
                url,
                status,
                headers,
                body: body.as_bytes(),
            };
            match accept(&loc, f, AgentOptions::default(), NOW) {
                Accepted::Rejected(e) => assert!(e.to_string().contains(says), "{e}"),
                other => panic!("{status} {body}: {other:?}"),
            }
        }
    }

    #[test]
    fn client_metadata_inline_or_by_reference() {
        let mut loc = location("https://agent.example/client.json");
        loc.kind = AgentType::Cimd;
        let json = header_list(&[("content-type", "application/json")]);
        let url = "https://agent.example/client.json";
        let inline = r#"{"client_id":"x","jwks":{"keys":[{"kty":"OKP","crv":"Ed25519","x":"JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs"}]}}"#;
        match accept(
            &loc,
            fetched(url, &json, inline),
            AgentOptions::default(),
            NOW,
        ) {
            Accepted::Keys { record, keys } => {
                assert_eq!(keys.keys().len(), 1);
                let body = record.body.unwrap();
                assert!(body.starts_with(r#"{"keys":"#), "{body}");
            }
            other => panic!("{other:?}"),
        }
        let by_ref = r#"{"client_id":"x","jwks_uri":"https://keys.example/jwks.json"}"#;
        match accept(
            &loc,
            fetched(url, &json, by_ref),
            AgentOptions::default(),
            NOW,
        ) {
            Accepted::FetchJwksUri(uri) => {
                assert_eq!(uri, "https://keys.example/jwks.json");
                let next = jwks_uri_location(&loc, &uri);
                assert_eq!(next.kind, AgentType::JwksUri);
                assert_eq!(next.identifier, loc.identifier);
            }
            other => panic!("{other:?}"),
        }
        let http = r#"{"client_id":"x","jwks_uri":"http://keys.example/jwks.json"}"#;
        assert!(matches!(
            accept(
                &loc,
                fetched(url, &json, http),
                AgentOptions::default(),
                NOW
            ),
            Accepted::Rejected(_)
        ));
    }
}
