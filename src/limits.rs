//! Every bound the parsers enforce, in one place.
//!
//! Untrusted input (headers, bodies of key directories, JWKs, raw HTTP messages) is checked
//! against these before any work proportional to its size is done, so a hostile peer cannot
//! make a verifier allocate or loop without bound.

/// Largest combined value of one signature-related field (`Signature-Input`, `Signature`,
/// `Accept-Signature`, `Signature-Agent`, `Signature-Key`), all field lines joined.
pub const MAX_SIGNATURE_HEADER_BYTES: usize = 16 * 1024;

/// Most signatures (labels) considered in one message.
pub const MAX_SIGNATURES: usize = 16;

/// Most covered components in one signature.
pub const MAX_COMPONENTS: usize = 64;

/// Most parameters on one component identifier or one signature.
pub const MAX_PARAMETERS: usize = 16;

/// Largest signature value accepted (bytes, after base64): RSA-8192 is 1024 bytes.
pub const MAX_SIGNATURE_BYTES: usize = 1024;

/// Largest signature base built (bytes). A base is the covered values plus one line each.
pub const MAX_SIGNATURE_BASE_BYTES: usize = 64 * 1024;

/// Largest value of a single covered field (all lines joined) or derived component.
pub const MAX_COMPONENT_VALUE_BYTES: usize = 16 * 1024;

/// Largest JWK or JWK Set document parsed (bytes).
pub const MAX_JWKS_BYTES: usize = 64 * 1024;

/// Most keys read from one JWK Set; further keys are ignored.
pub const MAX_JWKS_KEYS: usize = 32;

/// Smallest RSA modulus accepted, in bits.
pub const MIN_RSA_BITS: usize = 2048;

/// Largest RSA modulus accepted, in bits (keeps the public operation bounded).
pub const MAX_RSA_BITS: usize = 8192;

/// Largest HMAC key accepted, in bytes.
pub const MAX_HMAC_KEY_BYTES: usize = 1024;

/// Smallest HMAC key accepted, in bytes (RFC 9421 B.1.5 uses 64; RFC 2104 asks for at least L=32).
pub const MIN_HMAC_KEY_BYTES: usize = 32;

/// Largest raw HTTP/1.1 message head (start line + fields) parsed.
pub const MAX_MESSAGE_HEAD_BYTES: usize = 64 * 1024;

/// Most field lines in one parsed message section (headers or trailers).
pub const MAX_FIELD_LINES: usize = 256;

/// Largest URL accepted for a request target.
pub const MAX_URL_BYTES: usize = 8 * 1024;

/// Largest PEM or DER key file parsed (bytes).
pub const MAX_KEY_FILE_BYTES: usize = 16 * 1024;

/// Longest `Signature-Agent` URL accepted.
pub const MAX_AGENT_URL_BYTES: usize = 2048;

/// Most members read from one `Signature-Agent` field.
pub const MAX_AGENT_MEMBERS: usize = 16;

/// Largest key directory body accepted (bytes, after content decoding).
pub const MAX_DIRECTORY_BYTES: usize = 64 * 1024;

/// Most keys read from one directory; further keys are ignored.
pub const MAX_DIRECTORY_KEYS: usize = 32;

/// Most directory records a host keeps in its own memory (an isolate's, a wasm
/// instance's: [`crate::job::RecordMemory::directories`]). Each holds at most
/// [`MAX_DIRECTORY_KEYS`] parsed keys; past this many agents, the least recently used one
/// is read again from the shared store (KV) or fetched.
pub const MAX_REMEMBERED_DIRECTORIES: usize = 256;

/// Largest JWT accepted (bytes).
pub const MAX_JWT_BYTES: usize = 8 * 1024;

/// Most members read from one `Signature-Key` field.
pub const MAX_SIGNATURE_KEY_MEMBERS: usize = 16;

/// Most distinct key directories the verifier resolves for one request (each costs a
/// lookup and possibly a fetch). Covers the draft's multiple-signature case (an agent and
/// an intermediary) with room; further directories are `too_many_directories`.
pub const MAX_DIRECTORIES_PER_REQUEST: usize = 4;

/// Most fetches one directory resolution makes: the directory, and for a draft -00 Client
/// ID Metadata Document the JWK Set it names.
pub const MAX_FETCHES_PER_DIRECTORY: usize = 2;

/// Most documents one `Signature-Key` member needs (key metadata, then its JWK Set).
pub const MAX_SIGNATURE_KEY_DOCUMENTS: usize = 2;

/// Most nodes of a free-form JSON value read from a verify request (`jwks`, a policy
/// value): each array, object, number and literal counts one, a string one per 64 bytes.
/// A JWK Set of [`MAX_JWKS_KEYS`] RSA keys fits; a document of a million tiny arrays,
/// which a `serde_json::Value` would hold in more than ten times its size, does not.
pub const MAX_JSON_VALUE_NODES: usize = 8 * 1024;

/// Most entries of a list or map in a verify request's `policy` (`requiredComponents`,
/// `algorithms`, `tags`, `structuredFields`, and the alternatives of one component).
pub const MAX_POLICY_LIST_ITEMS: usize = 64;
