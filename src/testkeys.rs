//! The published test keys (RFC 9421 Appendix B.1, reused by the Web Bot Auth drafts'
//! examples and most implementations' tests), by JWK thumbprint. Anyone can sign with them,
//! so a signature under one proves nothing: draft -01 §6.8 says verifiers "SHOULD reject
//! known test keys when they are detected in key directories or out-of-band configuration",
//! and httpseal does unless the policy's `allow_test_keys` is set (tests, conformance runs).

/// (RFC 7638 thumbprint, name) of every known test key.
pub const KNOWN_TEST_KEYS: &[(&str, &str)] = &[
    (
        "BHj8s0GPnMEQtkaULIM-PLgEhLBbuGUQ1vMxmBWZzEo",
        "test-key-rsa (RFC 9421 B.1.1)",
    ),
    (
        "oD0HwocPBSfpNy5W3bpJeyFGY_IQ_YpqxSjQ3Yd-CLA",
        "test-key-rsa-pss (RFC 9421 B.1.2)",
    ),
    (
        "ydQXMtvbsOsZyFir-Y7A8t7fKEM1gbKPvyFkdpu4fvI",
        "test-key-ecc-p256 (RFC 9421 B.1.3)",
    ),
    (
        "poqkLGiymh_W0uP6PZFw-dvez3QJT5SolqXBCW38r0U",
        "test-key-ed25519 (RFC 9421 B.1.4, the Web Bot Auth drafts' example key)",
    ),
    (
        "CB3RFzX-1pAtHPl7fOKnQgQV1gnrFFXGXoObwmcm4rY",
        "test-shared-secret (RFC 9421 B.1.5)",
    ),
];

/// The name of the known test key with this thumbprint.
pub fn known_test_key(thumbprint: &str) -> Option<&'static str> {
    KNOWN_TEST_KEYS
        .iter()
        .find(|(t, _)| *t == thumbprint)
        .map(|(_, name)| *name)
}
