//! `Content-Digest` (RFC 9530): create, and check against a body.
//!
//! The field is a Dictionary of Byte Sequences keyed by algorithm. Checking is strict: the
//! byte sequence must be canonical base64 of exactly the digest length (RFC 9530's own
//! examples print one with an extra `=`, which must not pass), every supported algorithm
//! present must match, and a field with no supported algorithm is an error rather than a
//! silent pass. Deprecated algorithms (md5, sha, unixsum, ...) are never trusted.

use crate::b64;
use crate::error::{Error, Result};
use crate::limits::MAX_SIGNATURE_HEADER_BYTES;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use sfv::{BareItem, Dictionary, Item, ListEntry, Parser};
use sha2::{Digest, Sha256, Sha512};

/// A digest algorithm of the Hash Algorithms for HTTP Digest Fields registry that is
/// still "active".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestAlgorithm {
    /// `sha-256`
    Sha256,
    /// `sha-512`
    Sha512,
}

impl DigestAlgorithm {
    /// The registry key.
    pub fn name(self) -> &'static str {
        match self {
            DigestAlgorithm::Sha256 => "sha-256",
            DigestAlgorithm::Sha512 => "sha-512",
        }
    }

    /// Looks up a registry key.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "sha-256" => Some(DigestAlgorithm::Sha256),
            "sha-512" => Some(DigestAlgorithm::Sha512),
            _ => None,
        }
    }

    /// The digest of `body`.
    pub fn digest(self, body: &[u8]) -> Vec<u8> {
        match self {
            DigestAlgorithm::Sha256 => Sha256::digest(body).to_vec(),
            DigestAlgorithm::Sha512 => Sha512::digest(body).to_vec(),
        }
    }
}

/// The `Content-Digest` value for `body` with the given algorithms, in order.
pub fn content_digest(body: &[u8], algorithms: &[DigestAlgorithm]) -> String {
    let mut out = String::new();
    for (i, alg) in algorithms.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&format!(
            "{}=:{}:",
            alg.name(),
            b64::encode(&alg.digest(body))
        ));
    }
    out
}

/// One member of a digest field (`Content-Digest` or `Repr-Digest`, same syntax).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestMember {
    /// The registry key as sent (`sha-256`, `md5`, ...).
    pub name: String,
    /// The algorithm, when it is one this implementation trusts.
    pub algorithm: Option<DigestAlgorithm>,
    /// The digest bytes.
    pub value: Vec<u8>,
}

/// Parses a digest field strictly: a Dictionary of Byte Sequences, and for the trusted
/// algorithms canonical base64 of exactly the digest length.
pub fn parse_digest_field(value: &str) -> Result<Vec<DigestMember>> {
    if value.len() > MAX_SIGNATURE_HEADER_BYTES {
        return Err(Error::HeaderTooLarge {
            field: "content-digest",
        });
    }
    let malformed = |why: String| Error::MalformedContentDigest(why);
    let dict: Dictionary = Parser::new(value)
        .parse_dictionary()
        .map_err(|e| malformed(e.to_string()))?;
    let mut out = Vec::with_capacity(dict.len());
    for (key, entry) in &dict {
        let ListEntry::Item(Item {
            bare_item: BareItem::ByteSequence(bytes),
            ..
        }) = entry
        else {
            return Err(malformed(format!(
                "{} is not a byte sequence",
                key.as_str()
            )));
        };
        let algorithm = DigestAlgorithm::from_name(key.as_str());
        if let Some(alg) = algorithm {
            // sfv decodes leniently (padding, trailing bits); the signed text must be
            // the canonical encoding, so check it is what the field carries.
            let len = alg.digest(b"").len();
            let canonical = format!(":{}:", b64::encode(bytes));
            if bytes.len() != len || !value.contains(canonical.as_str()) {
                return Err(malformed(format!(
                    "{} is not a canonical {len}-byte base64 value",
                    alg.name()
                )));
            }
        }
        out.push(DigestMember {
            name: key.as_str().to_string(),
            algorithm,
            value: bytes.clone(),
        });
    }
    Ok(out)
}

/// Checks a `Content-Digest` value against `body`; returns the algorithms that matched.
/// Every trusted algorithm present must match; at least one must be present.
pub fn check_content_digest(value: &str, body: &[u8]) -> Result<Vec<DigestAlgorithm>> {
    let computed: Vec<(DigestAlgorithm, Vec<u8>)> = digest_algorithms(value)?
        .into_iter()
        .map(|alg| (alg, alg.digest(body)))
        .collect();
    check_content_digest_values(value, &computed)
}

/// The trusted algorithms a `Content-Digest` value carries, to compute over a body that
/// streams ([`BodyHasher`]); an error for a malformed field or one without any.
pub fn digest_algorithms(value: &str) -> Result<Vec<DigestAlgorithm>> {
    let members = parse_digest_field(value)?;
    let mut algs: Vec<DigestAlgorithm> = Vec::new();
    for alg in members.iter().filter_map(|m| m.algorithm) {
        if !algs.contains(&alg) {
            algs.push(alg);
        }
    }
    if algs.is_empty() {
        return Err(no_supported_algorithm(&members));
    }
    Ok(algs)
}

fn no_supported_algorithm(members: &[DigestMember]) -> Error {
    let seen: Vec<&str> = members.iter().map(|m| m.name.as_str()).collect();
    Error::UnsupportedDigestAlgorithm(if seen.is_empty() {
        "nothing".into()
    } else {
        seen.join(", ")
    })
}

/// Checks a `Content-Digest` value against digests computed over the body (by
/// [`BodyHasher`], or a host's native streaming digest): every trusted algorithm present
/// must have been computed and match (compared in constant time).
pub fn check_content_digest_values(
    value: &str,
    computed: &[(DigestAlgorithm, Vec<u8>)],
) -> Result<Vec<DigestAlgorithm>> {
    let members = parse_digest_field(value)?;
    let mut matched = Vec::new();
    for m in &members {
        let Some(alg) = m.algorithm else { continue };
        let ours = computed
            .iter()
            .find(|(a, _)| *a == alg)
            .map(|(_, d)| d.as_slice())
            .ok_or_else(|| {
                Error::ContentDigestMismatch(format!("{} (not computed)", alg.name()))
            })?;
        if subtle::ConstantTimeEq::ct_eq(ours, m.value.as_slice()).into() {
            matched.push(alg);
        } else {
            return Err(Error::ContentDigestMismatch(alg.name().to_string()));
        }
    }
    if matched.is_empty() {
        return Err(no_supported_algorithm(&members));
    }
    Ok(matched)
}

/// Digests computed over a body, one per algorithm.
pub type BodyDigests = Vec<(DigestAlgorithm, Vec<u8>)>;

/// The digests of a body that arrives in chunks: memory O(1) whatever its size, so a host
/// never holds a body to check its `Content-Digest`.
#[derive(Clone)]
pub struct BodyHasher {
    sha256: Option<Sha256>,
    sha512: Option<Sha512>,
    bytes: u64,
}

impl BodyHasher {
    /// A hasher for `algorithms`.
    pub fn new(algorithms: &[DigestAlgorithm]) -> Self {
        BodyHasher {
            sha256: algorithms
                .contains(&DigestAlgorithm::Sha256)
                .then(Sha256::new),
            sha512: algorithms
                .contains(&DigestAlgorithm::Sha512)
                .then(Sha512::new),
            bytes: 0,
        }
    }

    /// Feeds the next chunk.
    pub fn update(&mut self, chunk: &[u8]) {
        self.bytes = self.bytes.saturating_add(chunk.len() as u64);
        if let Some(h) = &mut self.sha256 {
            h.update(chunk);
        }
        if let Some(h) = &mut self.sha512 {
            h.update(chunk);
        }
    }

    /// How many bytes were fed.
    pub fn len(&self) -> u64 {
        self.bytes
    }

    /// Whether nothing was fed yet.
    pub fn is_empty(&self) -> bool {
        self.bytes == 0
    }

    /// The digests, one per algorithm.
    pub fn finish(self) -> Vec<(DigestAlgorithm, Vec<u8>)> {
        let mut out = Vec::new();
        if let Some(h) = self.sha256 {
            out.push((DigestAlgorithm::Sha256, h.finalize().to_vec()));
        }
        if let Some(h) = self.sha512 {
            out.push((DigestAlgorithm::Sha512, h.finalize().to_vec()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_streamed_body_checks_as_a_whole_one() {
        let body = br#"{"hello": "world"}"#;
        let field = content_digest(body, &[DigestAlgorithm::Sha256, DigestAlgorithm::Sha512]);
        let algs = digest_algorithms(&field).unwrap();
        let mut h = BodyHasher::new(&algs);
        for chunk in body.chunks(5) {
            h.update(chunk);
        }
        assert_eq!(h.len(), body.len() as u64);
        assert_eq!(
            check_content_digest_values(&field, &h.finish())
                .unwrap()
                .len(),
            2
        );
        let mut other = BodyHasher::new(&algs);
        other.update(b"other");
        assert!(matches!(
            check_content_digest_values(&field, &other.finish()),
            Err(Error::ContentDigestMismatch(_))
        ));
        assert!(matches!(
            check_content_digest_values(&field, &[]),
            Err(Error::ContentDigestMismatch(_))
        ));
        assert!(matches!(
            digest_algorithms("md5=:AAAA:"),
            Err(Error::UnsupportedDigestAlgorithm(_))
        ));
    }

    #[test]
    fn creates_and_checks() {
        let body = br#"{"hello": "world"}"#;
        let v = content_digest(body, &[DigestAlgorithm::Sha256, DigestAlgorithm::Sha512]);
        assert_eq!(
            v,
            "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:, sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:"
        );
        assert_eq!(check_content_digest(&v, body).unwrap().len(), 2);
        assert!(matches!(
            check_content_digest(&v, b"other"),
            Err(Error::ContentDigestMismatch(_))
        ));
        assert!(matches!(
            check_content_digest("md5=:AAAA:", body),
            Err(Error::UnsupportedDigestAlgorithm(_))
        ));
        assert!(matches!(
            check_content_digest("sha-256=:AAAA:", body),
            Err(Error::MalformedContentDigest(_))
        ));
        assert!(matches!(
            check_content_digest("sha-256=1", body),
            Err(Error::MalformedContentDigest(_))
        ));
        assert!(matches!(
            check_content_digest("", body),
            Err(Error::UnsupportedDigestAlgorithm(_))
        ));
    }
}
