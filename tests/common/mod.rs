//! Shared helpers for the integration tests: loading the standard vectors.
#![allow(dead_code)]

use httpseal::{HttpMessage, parse_http1};
use serde_json::Value;

/// The repository's `tests/vectors/` (these helpers also serve the host crates' tests, whose
/// manifest lives under `crates/`).
pub fn vectors_dir() -> std::path::PathBuf {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .map(|dir| dir.join("tests/vectors"))
        .find(|dir| dir.is_dir())
        .unwrap_or_else(|| panic!("no tests/vectors above {}", manifest.display()))
}

/// Reads a JSON file under `tests/vectors/`.
pub fn vectors(path: &str) -> Value {
    let full = vectors_dir().join(path).display().to_string();
    let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"));
    serde_json::from_str(&text).unwrap()
}

/// Reads a text file under `tests/vectors/`.
pub fn vector_text(path: &str) -> String {
    let full = vectors_dir().join(path).display().to_string();
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

/// The RFC 9421 vectors file.
pub fn rfc9421() -> Value {
    vectors("rfc9421/vectors.json")
}

/// Parses a raw message of the vectors (requests are over https, as in the RFC).
pub fn message(raw: &str) -> HttpMessage {
    parse_http1(raw.as_bytes(), "https").unwrap()
}

/// The message of a vector, with its related request attached when it has one.
pub fn vector_message(v: &Value) -> HttpMessage {
    let msg = message(v["message"].as_str().unwrap());
    match v["related_request"].as_str() {
        Some(req) => msg.with_related_request(message(req)),
        None => msg,
    }
}

#[cfg(feature = "all-algorithms")]
use httpseal::{Algorithm, Key, parse_jwk};

#[cfg(feature = "all-algorithms")]
/// An RFC 9421 Appendix B key by its name, as a private key bound the way the RFC's
/// applications bind it (test-key-rsa-pss is known to be used with RSA-PSS).
pub fn rfc_key(name: &str) -> Key {
    if name == "test-shared-secret" {
        use base64::Engine;
        let secret = base64::engine::general_purpose::STANDARD
            .decode(vector_text("rfc9421/keys/test-shared-secret.b64").trim())
            .unwrap();
        return Key::hmac(&secret).unwrap().with_kid(name);
    }
    let key = parse_jwk(&vector_text(&format!("rfc9421/keys/{name}.jwk.json"))).unwrap();
    if name == "test-key-rsa-pss" {
        key.with_algorithm(Algorithm::RsaPssSha512).unwrap()
    } else {
        key
    }
}

/// `policy` with the published test keys (RFC 9421 B.1.1–B.1.5) accepted: they are refused
/// by default (draft -01 §6.8, `test_key`), and the vectors are signed with them.
pub fn allowing_test_keys(policy: httpseal::Policy) -> httpseal::Policy {
    httpseal::Policy {
        allow_test_keys: true,
        ..policy
    }
}
