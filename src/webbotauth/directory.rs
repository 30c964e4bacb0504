//! Key directories: the JWK Set an agent publishes at
//! `/.well-known/http-message-signatures-directory` (or any JWK Set URL), and the
//! signatures a directory response carries to prove possession of its keys (protocol
//! Appendix "Possession Proof on the Directory Response").

use super::{DIRECTORY_MEDIA_TYPE, DIRECTORY_PATH, DIRECTORY_TAG};
use crate::component::{ComponentId, Derived};
use crate::digest::{DigestAlgorithm, content_digest};
use crate::error::{Error, Result};
use crate::http::HttpMessage;
use crate::input::parse_signatures;
use crate::jwk::{Jwk, JwkSet, key_from_jwk};
use crate::key::{Key, KeyType};
use crate::limits::{MAX_DIRECTORY_BYTES, MAX_DIRECTORY_KEYS};
use crate::message::Message;
use crate::verify::{Outcome, Policy, Requirement, verify_signature};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;
use serde_json::{Map, Value};

/// Parses a directory body into the keys a verifier may use at `now`.
///
/// Keys are skipped, with a reason, when: this build cannot use them; they are shared
/// secrets (`oct` — a public directory must never hold one) or private; their `nbf` is in
/// the future or `exp` in the past; their `use` is not `sig`. A `kid` that is not the key's
/// thumbprint is an operator's label (draft -01 §5.5: "A verifier that cannot match `keyid`
/// against `kid` there computes thumbprints instead"): the key is kept, and `keyid` matches
/// its `kid` or its thumbprint. A body that is neither a JWK Set nor — a compatibility rule, as Shopify
/// serves — a single bare JWK is an error.
pub fn parse_directory(body: &[u8], now: u64) -> Result<JwkSet> {
    if body.len() > MAX_DIRECTORY_BYTES {
        return Err(Error::InvalidDirectory(format!(
            "larger than {MAX_DIRECTORY_BYTES} bytes"
        )));
    }
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| Error::InvalidDirectory(format!("not JSON: {e}")))?;
    let single;
    let entries = match (value.get("keys"), value.get("kty")) {
        (Some(Value::Array(entries)), _) => entries.as_slice(),
        (None, Some(_)) => {
            single = [value.clone()];
            &single[..]
        }
        _ => {
            return Err(Error::InvalidDirectory(
                "not a JWK Set (no keys array) nor a single JWK".into(),
            ));
        }
    };
    let mut set = JwkSet::default();
    // The keys' windows: this reading holds until the next `nbf`/`exp` after `now` (and
    // from the last one before it), so a record read once can tell when to read it again.
    let (mut from, mut until, mut windowed) = (0, u64::MAX, false);
    for (i, entry) in entries.iter().enumerate() {
        if i >= MAX_DIRECTORY_KEYS {
            set.push_skipped(
                i,
                Error::LimitExceeded("keys beyond MAX_DIRECTORY_KEYS ignored"),
            );
            break;
        }
        for bound in ["nbf", "exp"].map(|name| entry.get(name).and_then(Value::as_u64)) {
            match bound {
                Some(b) if b <= now => from = from.max(b),
                Some(b) => until = until.min(b),
                None => continue,
            }
            windowed = true;
        }
        match directory_key(entry, now) {
            Ok(key) => set.push(key),
            // A readable key refused by a directory rule is remembered by name, so a
            // signature that names it can be told why it does not verify.
            Err(e) => match entry.as_object().map(key_from_jwk) {
                Some(Ok(key)) => set.push_skipped_key(i, &key, e),
                _ => set.push_skipped(i, e),
            },
        }
    }
    if windowed {
        set.set_window(from, until);
    }
    Ok(set)
}

fn directory_key(entry: &Value, now: u64) -> Result<Key> {
    let Value::Object(jwk) = entry else {
        return Err(Error::MalformedJwk("a key is not an object".into()));
    };
    if jwk.get("kty").and_then(Value::as_str) == Some("oct") {
        return Err(Error::UnsupportedKey(
            "shared secrets do not belong in a public directory".into(),
        ));
    }
    if jwk.contains_key("d") {
        return Err(Error::UnsupportedKey(
            "a directory publishes public keys only".into(),
        ));
    }
    let time = |name: &str| jwk.get(name).and_then(Value::as_u64);
    if let Some(nbf) = time("nbf")
        && nbf > now
    {
        return Err(Error::UnsupportedKey(format!(
            "not valid before {nbf} (its nbf)"
        )));
    }
    if let Some(exp) = time("exp")
        && exp <= now
    {
        return Err(Error::UnsupportedKey(format!("expired at {exp} (its exp)")));
    }
    // A `kid` that is an operator's label stays: `keyid` matches a key's `kid` or its
    // thumbprint ([`JwkSet::find`]), and Web Bot Auth's rule that `keyid` be the thumbprint
    // is checked by its profile.
    key_from_jwk(jwk)
}

/// Checks the status and media type of a fetched key document. Only `200` is a directory
/// (draft -01 §5.5: other statuses are discovery failures, redirects are not followed); the
/// body must be JSON: the directory media type, `application/jwk-set+json` or
/// `application/json`.
pub fn check_directory_response(
    status: u16,
    content_type: Option<&str>,
) -> core::result::Result<(), super::DiscoveryFailure> {
    if status != 200 {
        return Err(super::DiscoveryFailure::Status(status));
    }
    let media = content_type
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if crate::fetch::DIRECTORY_MEDIA_TYPES.contains(&media.as_str()) {
        Ok(())
    } else {
        Err(super::DiscoveryFailure::MediaType(media))
    }
}

/// One key as published in a directory: `kty`, `crv`, `kid` (= thumbprint), the public
/// members, `alg` as a registry name for RSA, and `"use": "sig"`.
pub fn directory_jwk(key: &Key) -> Jwk {
    let public = key.to_public().public_jwk();
    let mut out = Map::new();
    for name in ["kty", "crv"] {
        if let Some(v) = public.get(name) {
            out.insert(name.into(), v.clone());
        }
    }
    out.insert("kid".into(), Value::String(key.thumbprint()));
    for (name, v) in &public {
        if !matches!(name.as_str(), "kty" | "crv" | "kid" | "alg") {
            out.insert(name.clone(), v.clone());
        }
    }
    if key.key_type() == KeyType::Rsa
        && let Some(alg) = key.algorithm()
    {
        out.insert("alg".into(), Value::String(alg.name().into()));
    }
    out.insert("use".into(), Value::String("sig".into()));
    out
}

/// A directory body (compact JSON) publishing the public halves of `keys`.
pub fn build_directory(keys: &[Key]) -> Result<String> {
    if keys.iter().any(|k| k.key_type() == KeyType::Oct) {
        return Err(Error::UnsupportedKey(
            "shared secrets do not belong in a public directory".into(),
        ));
    }
    let keys: Vec<Value> = keys
        .iter()
        .map(|k| Value::Object(directory_jwk(k)))
        .collect();
    let mut doc = Map::new();
    doc.insert("keys".into(), Value::Array(keys));
    serde_json::to_string(&Value::Object(doc)).map_err(|e| Error::InvalidDirectory(e.to_string()))
}

/// Default lifetime of a directory response signature (`expires - created`), seconds.
/// Deployment guidance: redistributors republish on their own schedule, so a short
/// lifetime buys no faster revocation and costs availability; a day is a safe default.
pub const DEFAULT_DIRECTORY_SIGNATURE_TTL: u64 = 24 * 3600;

/// A signed directory response, ready to serve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryResponse {
    /// The body (the directory JSON).
    pub body: String,
    /// `Content-Type`, `Content-Digest`, `Signature-Input`, `Signature`.
    pub headers: Vec<(String, String)>,
}

fn content_digest_component() -> ComponentId {
    ComponentId::constant(const { sfv::string_ref("content-digest") })
}

/// The label of the `i`-th key's signature: `binding`, `binding2`, `binding3`, ...
fn binding_label(i: usize) -> String {
    if i == 0 {
        "binding".into()
    } else {
        format!("binding{}", i + 1)
    }
}

/// Builds and signs the directory response for `authority` (the host serving it): one
/// signature per key over `("@authority";req "content-digest")` with `created`,
/// `expires`, `keyid` (the thumbprint) and `tag="http-message-signatures-directory"`.
/// `seed` is randomness for RSA keys.
pub fn sign_directory(
    keys: &[Key],
    authority: &str,
    created: u64,
    expires: u64,
    seed: &[u8; 32],
) -> Result<DirectoryResponse> {
    if keys.is_empty() {
        return Err(Error::InvalidDirectory(
            "a directory needs at least one key".into(),
        ));
    }
    if expires <= created {
        return Err(Error::ExpiresBeforeCreated);
    }
    let body = build_directory(keys)?;
    let digest = content_digest(body.as_bytes(), &[DigestAlgorithm::Sha256]);
    let request = HttpMessage::request("GET", &format!("https://{authority}{DIRECTORY_PATH}"))?;
    let mut response = HttpMessage::response(200)?
        .with_header("Content-Type", DIRECTORY_MEDIA_TYPE)
        .with_header("Content-Digest", &digest)
        .with_body(body.as_bytes())
        .with_related_request(request);
    for (i, key) in keys.iter().enumerate() {
        let signed = crate::Signer::new(key)?
            .label(&binding_label(i))?
            .component(ComponentId::from(Derived::Authority).with_req())?
            .component(content_digest_component())?
            .created(created)?
            .expires(expires)?
            .keyid(&key.thumbprint())?
            .tag(DIRECTORY_TAG)?
            .sign(&response, Some(seed))?;
        signed.apply_to(&mut response)?;
    }
    Ok(DirectoryResponse {
        body,
        headers: response.headers,
    })
}

/// What a directory response's own signatures prove.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase", tag = "status")]
pub enum DirectoryProof {
    /// No directory signature (they are RECOMMENDED, not required).
    Unsigned,
    /// Every directory signature verified; these keys (thumbprints) are proven.
    Signed {
        /// Thumbprints of the keys whose signature verified.
        keys: Vec<String>,
    },
    /// A directory signature failed: the directory proves nothing about who controls its
    /// keys. Its keys are still used to verify the agent's requests (draft -01 Appendix B:
    /// the proof is optional), and the record says the proof failed.
    Invalid {
        /// The label of the failing signature.
        label: String,
        /// Why.
        error: crate::verify::ErrorInfo,
    },
}

/// The rules for a directory response signature: the directory tag, `created` and
/// `expires` present (and `created` not in the future), `"@authority";req` and
/// `content-digest` covered and the digest matching the body, `keyid` = the thumbprint
/// of a key the directory itself lists.
pub fn directory_signature_policy() -> Policy {
    Policy {
        tag: Some(DIRECTORY_TAG.into()),
        require_created: true,
        require_expires: true,
        require_keyid: true,
        keyid_is_thumbprint: true,
        required: vec![
            Requirement {
                any_of: vec![ComponentId::from(Derived::Authority).with_req()],
            },
            Requirement {
                any_of: vec![content_digest_component()],
            },
        ],
        check_content_digest: true,
        // A test key in a directory is refused where it would matter — when it verifies a
        // request; the proof only says the directory's server holds its keys.
        allow_test_keys: true,
        ..Policy::default()
    }
}

/// Checks the signatures of a directory `response` (with its body and the request it
/// answered, which gives `@authority`) against the `keys` the directory lists.
pub fn verify_directory_response(
    response: &dyn Message,
    keys: &JwkSet,
    now: u64,
) -> DirectoryProof {
    let invalid = |label: &str, e: &Error| DirectoryProof::Invalid {
        label: label.into(),
        error: e.into(),
    };
    if response.body().is_none() {
        return invalid(
            "",
            &Error::InvalidDirectory("the response body is needed to check Content-Digest".into()),
        );
    }
    let sigs = match parse_signatures(response) {
        Ok(s) => s,
        Err(e) => return invalid("", &e),
    };
    let policy = directory_signature_policy();
    let mut proven = Vec::new();
    for sig in sigs
        .iter()
        .filter(|s| s.params.tag() == Some(DIRECTORY_TAG))
    {
        let verdict = verify_signature(&policy, response, sig, keys, now, None);
        match (verdict.verdict, verdict.error) {
            (Outcome::Verified, _) => {
                proven.push(sig.params.keyid().unwrap_or_default().to_string())
            }
            (_, Some(error)) => {
                return DirectoryProof::Invalid {
                    label: sig.label.clone(),
                    error: (&error).into(),
                };
            }
            (_, None) => return invalid(&sig.label, &Error::InvalidSignature),
        }
    }
    if proven.is_empty() {
        DirectoryProof::Unsigned
    } else {
        DirectoryProof::Signed { keys: proven }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_key_is_remembered_by_name() {
        let x = "JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs";
        let body = format!(
            r#"{{"keys":[{{"kty":"OKP","crv":"Ed25519","x":"{x}","kid":"label-1","exp":100}},
                {{"kty":"OKP","crv":"Ed25519","use":"enc","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}},
                {{"kty":"EC"}}]}}"#
        );
        let set = parse_directory(body.as_bytes(), 100).unwrap();
        assert!(set.is_empty());
        assert_eq!(set.skipped().len(), 3);
        let thumbprint = "poqkLGiymh_W0uP6PZFw-dvez3QJT5SolqXBCW38r0U";
        let why = set.skipped_key(thumbprint, false).unwrap();
        assert!(why.to_string().contains("expired at 100"), "{why}");
        assert!(set.skipped_key("label-1", false).is_none());
        assert!(set.skipped_key("label-1", true).is_some());
        assert!(set.skipped_key("unknown", true).is_none());
    }
}
