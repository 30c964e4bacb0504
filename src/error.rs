//! One error type for the whole core, with a stable machine-readable code per variant.
//!
//! The code (`Error::code`) is part of the public contract: the CLI prints it, the Worker
//! puts it in problem+json bodies and verdicts, the npm package sets it as `err.code`.
//! Codes never change meaning; new failure modes get new codes.

use alloc::string::String;
use core::fmt;

/// Everything that can go wrong in parsing, building a signature base, signing or verifying.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[allow(missing_docs)] // variant fields are described by their variant's doc
pub enum Error {
    // ---- signature fields --------------------------------------------------------------
    /// A signature-related field is larger than [`crate::limits::MAX_SIGNATURE_HEADER_BYTES`].
    HeaderTooLarge { field: &'static str },
    /// `Signature-Input` is not a valid Dictionary of Inner Lists of strings.
    MalformedSignatureInput(String),
    /// `Signature` is not a valid Dictionary of Byte Sequences.
    MalformedSignature(String),
    /// `Accept-Signature` is not a valid Dictionary of Inner Lists.
    MalformedAcceptSignature(String),
    /// A label appears in `Signature-Input` without a `Signature` value.
    MissingSignatureValue(String),
    /// A label appears in `Signature` without a `Signature-Input` value.
    MissingSignatureInput(String),
    /// The same label appears twice across field lines.
    DuplicateLabel(String),
    /// More signatures than [`crate::limits::MAX_SIGNATURES`].
    TooManySignatures,
    /// More covered components than [`crate::limits::MAX_COMPONENTS`].
    TooManyComponents,
    /// A signature parameter has the wrong type or an impossible value.
    InvalidSignatureParameter { name: String, reason: &'static str },
    /// A covered component identifier is not a valid lowercase string with parameters.
    InvalidComponent(String),

    // ---- signature base ----------------------------------------------------------------
    /// The same component identifier (parameters compared unordered) is covered twice.
    DuplicateComponent(String),
    /// An `@`-name that is not a registered derived component.
    UnknownDerivedComponent(String),
    /// A component parameter that is not understood for this component.
    UnknownComponentParameter {
        component: String,
        parameter: String,
    },
    /// Component parameters that cannot be used together (`bs` with `sf` or `key`).
    IncompatibleComponentParameters(String),
    /// `@signature-params` listed as a covered component.
    SignatureParamsCovered,
    /// A covered field is absent from the message.
    MissingField(String),
    /// `@query-param` without its `name` parameter.
    MissingQueryParamName,
    /// A named query parameter is absent from the query.
    QueryParamNotFound(String),
    /// A named query parameter occurs more than once (RFC 9421 §2.2.8 forbids covering it).
    QueryParamRepeated(String),
    /// A `key` names a member absent from the Dictionary field.
    DictionaryKeyNotFound { field: String, key: String },
    /// `sf` on a field whose structured type is not known.
    UnknownStructuredField(String),
    /// A covered field is not a valid structured field of its type.
    MalformedField { field: String, reason: String },
    /// `req` used in a signature over a request.
    ReqOnRequest(String),
    /// `req` used on a response whose request is not available.
    MissingRelatedRequest(String),
    /// A derived component that does not apply to this kind of message (`@status` on a
    /// request, `@method` on a response without `req`).
    ComponentNotApplicable(String),
    /// A component value contains a newline or a non-ASCII byte.
    InvalidComponentValue(String),
    /// The signature base would exceed [`crate::limits::MAX_SIGNATURE_BASE_BYTES`].
    SignatureBaseTooLarge,
    /// A field or derived value exceeds [`crate::limits::MAX_COMPONENT_VALUE_BYTES`].
    ComponentValueTooLarge(String),

    // ---- keys and algorithms -----------------------------------------------------------
    /// An algorithm name outside the HTTP Signature Algorithms registry, or one not compiled in.
    UnsupportedAlgorithm(String),
    /// The `alg` parameter names an algorithm other than the one bound to the key.
    AlgorithmMismatch {
        key: &'static str,
        parameter: String,
    },
    /// Key material is malformed.
    InvalidKey(String),
    /// Key material is well-formed but of a type or size this build does not support.
    UnsupportedKey(String),
    /// A JWK or JWK Set document is malformed.
    MalformedJwk(String),
    /// No key matches the signature's `keyid`.
    UnknownKey(String),
    /// No `keyid` and more than one candidate key.
    AmbiguousKey,
    /// The signature bytes do not verify over the signature base.
    InvalidSignature,
    /// Signing needs random bytes (RSA-PSS salt) and none were supplied.
    EntropyRequired,
    /// A signing operation was attempted with a public key.
    NotAPrivateKey,

    // ---- content digest ----------------------------------------------------------------
    /// `Content-Digest` is malformed (not a Dictionary of Byte Sequences, bad padding...).
    MalformedContentDigest(String),
    /// `Content-Digest` carries no algorithm this implementation knows.
    UnsupportedDigestAlgorithm(String),
    /// `Content-Digest` does not match the body.
    ContentDigestMismatch(String),

    // ---- policy ------------------------------------------------------------------------
    /// The message carries no `Signature-Input` / `Signature`.
    NoSignature,
    /// No signature in the message is applicable under the policy (label, tag, ...).
    NoApplicableSignature(String),
    /// The requested label is not in the message.
    LabelNotFound(String),
    /// `created` is required and absent.
    MissingCreated,
    /// `expires` is required and absent.
    MissingExpires,
    /// `keyid` is required and absent.
    MissingKeyId,
    /// `created` lies in the future beyond the allowed skew.
    CreatedInFuture { created: u64, now: u64 },
    /// `expires` has passed (beyond the allowed skew).
    Expired { expires: u64, now: u64 },
    /// `created` is older than the maximum age.
    SignatureTooOld {
        created: u64,
        now: u64,
        max_age: u64,
    },
    /// `expires - created` exceeds the maximum lifetime.
    LifetimeTooLong { lifetime: u64, max: u64 },
    /// `expires` is before `created`.
    ExpiresBeforeCreated,
    /// A component the policy requires is not covered.
    MissingRequiredComponent(String),
    /// The algorithm is not in the policy's allow-list.
    AlgorithmNotAllowed(String),
    /// The `tag` is absent or differs from the expected one.
    TagMismatch {
        expected: String,
        found: Option<String>,
    },
    /// The policy requires a `nonce` and there is none.
    NonceRequired,
    /// The nonce was seen before.
    NonceReplayed(String),

    // ---- Web Bot Auth ------------------------------------------------------------------
    /// The covered `Signature-Agent` member cannot be used (unsupported `type`, or
    /// `type=directory` on a URL that is not an origin): the draft says to ignore it.
    UnusableSignatureAgent(String),
    /// Which `Signature-Agent` member belongs to the signature is not determined.
    AmbiguousSignatureAgent(String),
    /// The agent's key directory is not available (not fetched yet, or the fetch failed).
    DirectoryUnavailable(String),
    /// A key directory is malformed or breaks the directory rules.
    InvalidDirectory(String),
    /// `keyid` is not the JWK SHA-256 thumbprint of the key that verified.
    KeyIdNotThumbprint(String),

    // ---- Signature-Key -----------------------------------------------------------------
    /// `Signature-Key` is malformed or a scheme lacks a required parameter.
    MalformedSignatureKey(String),
    /// A `Signature-Key` scheme this implementation cannot resolve (`x509`, `cached`).
    UnsupportedSignatureKeyScheme(String),
    /// A JWT is malformed, has the wrong `typ`, lacks a required claim, or its signature
    /// does not verify.
    InvalidJwt(String),
    /// A JWT's `exp` has passed.
    ExpiredJwt(u64),
    /// Key metadata names another issuer than the one asked (or none).
    IssuerMismatch(String),

    // ---- messages ----------------------------------------------------------------------
    /// A raw HTTP message or a JSON request could not be read.
    MalformedMessage(String),
    /// A URL could not be split into scheme, authority, path and query.
    InvalidUrl(String),
    /// An input exceeded a named limit.
    LimitExceeded(&'static str),
}

impl Error {
    /// The stable machine-readable code of this error (snake_case).
    pub fn code(&self) -> &'static str {
        use Error::*;
        match self {
            HeaderTooLarge { .. } => "header_too_large",
            MalformedSignatureInput(_) => "malformed_signature_input",
            MalformedSignature(_) => "malformed_signature",
            MalformedAcceptSignature(_) => "malformed_accept_signature",
            MissingSignatureValue(_) => "missing_signature_value",
            MissingSignatureInput(_) => "missing_signature_input",
            DuplicateLabel(_) => "duplicate_label",
            TooManySignatures => "too_many_signatures",
            TooManyComponents => "too_many_components",
            InvalidSignatureParameter { .. } => "invalid_signature_parameter",
            InvalidComponent(_) => "invalid_component",
            DuplicateComponent(_) => "duplicate_component",
            UnknownDerivedComponent(_) => "unknown_derived_component",
            UnknownComponentParameter { .. } => "unknown_component_parameter",
            IncompatibleComponentParameters(_) => "incompatible_component_parameters",
            SignatureParamsCovered => "signature_params_covered",
            MissingField(_) => "missing_field",
            MissingQueryParamName => "missing_query_param_name",
            QueryParamNotFound(_) => "query_param_not_found",
            QueryParamRepeated(_) => "query_param_repeated",
            DictionaryKeyNotFound { .. } => "dictionary_key_not_found",
            UnknownStructuredField(_) => "unknown_structured_field",
            MalformedField { .. } => "malformed_field",
            ReqOnRequest(_) => "req_on_request",
            MissingRelatedRequest(_) => "missing_related_request",
            ComponentNotApplicable(_) => "component_not_applicable",
            InvalidComponentValue(_) => "invalid_component_value",
            SignatureBaseTooLarge => "signature_base_too_large",
            ComponentValueTooLarge(_) => "component_value_too_large",
            UnsupportedAlgorithm(_) => "unsupported_algorithm",
            AlgorithmMismatch { .. } => "algorithm_mismatch",
            InvalidKey(_) => "invalid_key",
            UnsupportedKey(_) => "unsupported_key",
            MalformedJwk(_) => "malformed_jwk",
            UnknownKey(_) => "unknown_key",
            AmbiguousKey => "ambiguous_key",
            InvalidSignature => "invalid_signature",
            EntropyRequired => "entropy_required",
            NotAPrivateKey => "not_a_private_key",
            MalformedContentDigest(_) => "malformed_content_digest",
            UnsupportedDigestAlgorithm(_) => "unsupported_digest_algorithm",
            ContentDigestMismatch(_) => "content_digest_mismatch",
            NoSignature => "no_signature",
            NoApplicableSignature(_) => "no_applicable_signature",
            LabelNotFound(_) => "label_not_found",
            MissingCreated => "missing_created",
            MissingExpires => "missing_expires",
            MissingKeyId => "missing_keyid",
            CreatedInFuture { .. } => "created_in_future",
            Expired { .. } => "expired",
            SignatureTooOld { .. } => "signature_too_old",
            LifetimeTooLong { .. } => "lifetime_too_long",
            ExpiresBeforeCreated => "expires_before_created",
            MissingRequiredComponent(_) => "missing_required_component",
            AlgorithmNotAllowed(_) => "algorithm_not_allowed",
            TagMismatch { .. } => "tag_mismatch",
            NonceRequired => "nonce_required",
            NonceReplayed(_) => "nonce_replayed",
            UnusableSignatureAgent(_) => "unusable_signature_agent",
            AmbiguousSignatureAgent(_) => "ambiguous_signature_agent",
            DirectoryUnavailable(_) => "directory_unavailable",
            InvalidDirectory(_) => "invalid_directory",
            KeyIdNotThumbprint(_) => "keyid_not_thumbprint",
            MalformedSignatureKey(_) => "malformed_signature_key",
            UnsupportedSignatureKeyScheme(_) => "unsupported_scheme",
            InvalidJwt(_) => "invalid_jwt",
            ExpiredJwt(_) => "expired_jwt",
            IssuerMismatch(_) => "issuer_mismatch",
            MalformedMessage(_) => "malformed_message",
            InvalidUrl(_) => "invalid_url",
            LimitExceeded(_) => "limit_exceeded",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use Error::*;
        match self {
            HeaderTooLarge { field } => write!(f, "the {field} field is larger than allowed"),
            MalformedSignatureInput(why) => write!(f, "Signature-Input is malformed: {why}"),
            MalformedSignature(why) => write!(f, "Signature is malformed: {why}"),
            MalformedAcceptSignature(why) => write!(f, "Accept-Signature is malformed: {why}"),
            MissingSignatureValue(l) => {
                write!(
                    f,
                    "label {l:?} is in Signature-Input but has no Signature value"
                )
            }
            MissingSignatureInput(l) => {
                write!(f, "label {l:?} is in Signature but has no Signature-Input")
            }
            DuplicateLabel(l) => write!(f, "label {l:?} appears more than once"),
            TooManySignatures => f.write_str("the message carries too many signatures"),
            TooManyComponents => f.write_str("the signature covers too many components"),
            InvalidSignatureParameter { name, reason } => {
                write!(f, "signature parameter {name:?} is invalid: {reason}")
            }
            InvalidComponent(c) => write!(f, "invalid component identifier: {c}"),
            DuplicateComponent(c) => write!(f, "component {c} is covered more than once"),
            UnknownDerivedComponent(c) => write!(f, "unknown derived component {c:?}"),
            UnknownComponentParameter {
                component,
                parameter,
            } => {
                write!(
                    f,
                    "parameter {parameter:?} is not understood on component {component}"
                )
            }
            IncompatibleComponentParameters(c) => {
                write!(
                    f,
                    "component {c} combines parameters that cannot be used together"
                )
            }
            SignatureParamsCovered => {
                f.write_str("@signature-params must not be listed as a covered component")
            }
            MissingField(name) => write!(f, "covered field {name:?} is not in the message"),
            MissingQueryParamName => f.write_str("@query-param needs a name parameter"),
            QueryParamNotFound(n) => write!(f, "query parameter {n:?} is not in the query"),
            QueryParamRepeated(n) => {
                write!(
                    f,
                    "query parameter {n:?} occurs more than once and cannot be covered"
                )
            }
            DictionaryKeyNotFound { field, key } => {
                write!(f, "field {field:?} has no dictionary member {key:?}")
            }
            UnknownStructuredField(name) => {
                write!(
                    f,
                    "field {name:?} is not a known structured field, so sf cannot apply"
                )
            }
            MalformedField { field, reason } => {
                write!(
                    f,
                    "field {field:?} is not a valid structured field: {reason}"
                )
            }
            ReqOnRequest(c) => write!(f, "component {c} uses req, but the message is a request"),
            MissingRelatedRequest(c) => {
                write!(
                    f,
                    "component {c} uses req, but the related request is not available"
                )
            }
            ComponentNotApplicable(c) => {
                write!(f, "component {c} does not apply to this kind of message")
            }
            InvalidComponentValue(c) => write!(
                f,
                "the value of {c} contains a newline or non-ASCII byte (consider the bs parameter)"
            ),
            SignatureBaseTooLarge => f.write_str("the signature base is larger than allowed"),
            ComponentValueTooLarge(c) => write!(f, "the value of {c} is larger than allowed"),
            UnsupportedAlgorithm(a) => write!(f, "algorithm {a:?} is not supported"),
            AlgorithmMismatch { key, parameter } => write!(
                f,
                "the alg parameter says {parameter:?} but the key is bound to {key:?}"
            ),
            InvalidKey(why) => write!(f, "invalid key: {why}"),
            UnsupportedKey(why) => write!(f, "unsupported key: {why}"),
            MalformedJwk(why) => write!(f, "malformed JWK: {why}"),
            UnknownKey(k) => write!(f, "no key matches keyid {k:?}"),
            AmbiguousKey => {
                f.write_str("the signature has no keyid and more than one key could apply")
            }
            InvalidSignature => {
                f.write_str("the signature does not verify over the signature base")
            }
            EntropyRequired => f.write_str("this algorithm needs random bytes to sign"),
            NotAPrivateKey => f.write_str("signing needs a private key"),
            MalformedContentDigest(why) => write!(f, "Content-Digest is malformed: {why}"),
            UnsupportedDigestAlgorithm(a) => {
                write!(f, "Content-Digest has no supported algorithm (saw {a})")
            }
            ContentDigestMismatch(a) => {
                write!(f, "Content-Digest {a} does not match the message body")
            }
            NoSignature => f.write_str("the message carries no Signature-Input and Signature"),
            NoApplicableSignature(why) => write!(f, "no applicable signature: {why}"),
            LabelNotFound(l) => write!(f, "no signature labelled {l:?}"),
            MissingCreated => f.write_str("the created parameter is required"),
            MissingExpires => f.write_str("the expires parameter is required"),
            MissingKeyId => f.write_str("the keyid parameter is required"),
            CreatedInFuture { created, now } => {
                write!(f, "created {created} is in the future (now {now})")
            }
            Expired { expires, now } => write!(f, "the signature expired at {expires} (now {now})"),
            SignatureTooOld {
                created,
                now,
                max_age,
            } => write!(
                f,
                "the signature was created at {created}, more than {max_age} s before now ({now})"
            ),
            LifetimeTooLong { lifetime, max } => {
                write!(
                    f,
                    "expires - created is {lifetime} s, more than the allowed {max} s"
                )
            }
            ExpiresBeforeCreated => f.write_str("expires is before created"),
            MissingRequiredComponent(c) => write!(f, "required component {c} is not covered"),
            AlgorithmNotAllowed(a) => write!(f, "algorithm {a} is not allowed by the policy"),
            TagMismatch {
                expected,
                found: Some(found),
            } => {
                write!(f, "tag is {found:?}, expected {expected:?}")
            }
            TagMismatch {
                expected,
                found: None,
            } => write!(f, "tag {expected:?} is required"),
            NonceRequired => f.write_str("a nonce is required"),
            NonceReplayed(n) => write!(f, "nonce {n:?} was already used"),
            UnusableSignatureAgent(why) => {
                write!(f, "the Signature-Agent member cannot be used: {why}")
            }
            AmbiguousSignatureAgent(why) => write!(f, "Signature-Agent: {why}"),
            DirectoryUnavailable(url) => write!(f, "the key directory {url} is not available"),
            InvalidDirectory(why) => write!(f, "invalid key directory: {why}"),
            KeyIdNotThumbprint(k) => {
                write!(
                    f,
                    "keyid {k:?} is not the JWK SHA-256 thumbprint of the signing key"
                )
            }
            MalformedSignatureKey(why) => write!(f, "Signature-Key is malformed: {why}"),
            UnsupportedSignatureKeyScheme(s) => {
                write!(f, "Signature-Key scheme {s} is not supported")
            }
            InvalidJwt(why) => write!(f, "invalid JWT: {why}"),
            ExpiredJwt(exp) => write!(f, "the JWT expired at {exp}"),
            IssuerMismatch(why) => write!(f, "issuer mismatch: {why}"),
            MalformedMessage(why) => write!(f, "malformed message: {why}"),
            InvalidUrl(why) => write!(f, "invalid URL: {why}"),
            LimitExceeded(what) => write!(f, "limit exceeded: {what}"),
        }
    }
}

impl core::error::Error for Error {}

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = core::result::Result<T, E>;
