//! One error type for the whole core, with a stable machine-readable code per variant.
//!
//! The code (`Error::code`) is part of the public contract: the CLI prints it, the Worker
//! puts it in problem+json bodies and verdicts, the npm package sets it as `err.code`.
//! Codes never change meaning; new failure modes get new codes.
//!
//! Everything about an error is declared once, in the `error_table!` invocation below: the
//! variant, its code, its class (which verdict it leads to), a one-line summary and its
//! message. The enum, [`Error::code`], [`Error::class`], `Display` and [`ALL_CODES`] are
//! generated from it; the README table and the TypeScript `ErrorCode` union are generated
//! from [`ALL_CODES`] (`make error-docs`, checked by `tests/error_table.rs`).

use alloc::string::String;
use core::fmt;

/// Which verdict an error leads to (Web Bot Auth §"Verifier Outcomes").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    /// Something was checked and failed: the verdict is `invalid`.
    Invalid,
    /// Information is missing to decide (no signature, unknown key, no directory): the
    /// verdict is `unverified`.
    Unverified,
}

impl ErrorClass {
    /// The lowercase name of the verdict (`invalid`, `unverified`).
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorClass::Invalid => "invalid",
            ErrorClass::Unverified => "unverified",
        }
    }
}

/// One row of the error table: a stable code, the verdict it leads to and what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorCode {
    /// The stable snake_case code ([`Error::code`]).
    pub code: &'static str,
    /// The verdict it leads to ([`Error::class`]).
    pub class: ErrorClass,
    /// What it means, in one line (the README's error table).
    pub summary: &'static str,
}

/// Generates [`Error`] and everything derived from its table. Each row is an enum variant
/// (tuple fields get a name, used only by the message) followed by its entry:
///
/// ```text
/// /// Rust doc of the variant.
/// Variant(name: Type) => {
///     code: "stable_code", class: Invalid | Unverified,
///     rule: "maxLifetime",                        // optional: the policy setting that decides
///     summary: "one line for the README table",
///     message: "Display text, may use {name}",   // or: |f| an expression writing to f
/// },
/// ```
macro_rules! error_table {
    (
        $(#[$enum_attr:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[$attr:meta])*
                $variant:ident
                $(( $($tuple_field:ident: $tuple_ty:ty),+ $(,)? ))?
                $({ $($field:ident: $field_ty:ty),+ $(,)? })?
                => {
                    code: $code:literal,
                    class: $class:ident,
                    $(rule: $rule:literal,)?
                    summary: $summary:literal,
                    message: $($message:tt)+
                }
            ),+ $(,)?
        }
    ) => {
        $(#[$enum_attr])*
        $vis enum $name {
            $(
                $(#[$attr])*
                $variant $(( $($tuple_ty),+ ))? $({ $($field: $field_ty),+ })?,
            )+
        }

        impl $name {
            /// The stable machine-readable code of this error (snake_case).
            pub fn code(&self) -> &'static str {
                match self {
                    $($name::$variant { .. } => $code,)+
                }
            }

            /// Whether this error makes a verdict `invalid` or `unverified`.
            pub fn class(&self) -> ErrorClass {
                match self {
                    $($name::$variant { .. } => ErrorClass::$class,)+
                }
            }

            /// The policy rule that decided, for errors a rule produces: the name of the
            /// setting that governs it (`maxLifetime`, `tag`, `requiredComponents`, ... as in
            /// the JSON `policy` object), so a verdict can say which rule refused it.
            pub fn rule(&self) -> Option<&'static str> {
                match self {
                    $($name::$variant { .. } => error_rule!($($rule)?),)+
                }
            }
        }

        /// Every error code, in declaration order, with its class and summary.
        pub const ALL_CODES: &[ErrorCode] = &[
            $(ErrorCode { code: $code, class: ErrorClass::$class, summary: $summary },)+
        ];

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    $(
                        $name::$variant $(( $($tuple_field),+ ))? $({ $($field),+ })? => {
                            error_message!(f, $($message)+)
                        }
                    )+
                }
            }
        }
    };
}

/// A row's rule: `None` unless the row names one.
macro_rules! error_rule {
    () => {
        None
    };
    ($rule:literal) => {
        Some($rule)
    };
}

/// A row's message: a format string over the variant's fields, or `|f| expression` for a
/// message that needs more than one format string.
macro_rules! error_message {
    ($f:ident, $format:literal $(,)?) => {
        write!($f, $format)
    };
    ($f:ident, $format:literal, $($arg:expr),+ $(,)?) => {
        write!($f, $format, $($arg),+)
    };
    ($f:ident, |$formatter:ident| $body:expr $(,)?) => {{
        let $formatter: &mut fmt::Formatter<'_> = $f;
        $body
    }};
}

error_table! {
    /// Everything that can go wrong in parsing, building a signature base, signing or verifying.
    #[derive(Debug, Clone, PartialEq, Eq)]
    #[non_exhaustive]
    #[allow(missing_docs)] // variant fields are described by their variant's doc
    pub enum Error {
        // ---- signature fields ----------------------------------------------------------
        /// A signature-related field is larger than [`crate::limits::MAX_SIGNATURE_HEADER_BYTES`].
        HeaderTooLarge { field: &'static str } => {
            code: "header_too_large", class: Invalid,
            summary: "A signature-related field is larger than the size limit.",
            message: "the {field} field is larger than allowed",
        },
        /// `Signature-Input` is not a valid Dictionary of Inner Lists of strings.
        MalformedSignatureInput(reason: String) => {
            code: "malformed_signature_input", class: Invalid,
            summary: "`Signature-Input` is not a Dictionary of Inner Lists of strings.",
            message: "Signature-Input is malformed: {reason}",
        },
        /// `Signature` is not a valid Dictionary of Byte Sequences.
        MalformedSignature(reason: String) => {
            code: "malformed_signature", class: Invalid,
            summary: "`Signature` is not a Dictionary of Byte Sequences.",
            message: "Signature is malformed: {reason}",
        },
        /// `Accept-Signature` is not a valid Dictionary of Inner Lists.
        MalformedAcceptSignature(reason: String) => {
            code: "malformed_accept_signature", class: Invalid,
            summary: "`Accept-Signature` is not a Dictionary of Inner Lists.",
            message: "Accept-Signature is malformed: {reason}",
        },
        /// A label appears in `Signature-Input` without a `Signature` value.
        MissingSignatureValue(label: String) => {
            code: "missing_signature_value", class: Invalid,
            summary: "A label is in `Signature-Input` but not in `Signature`.",
            message: "label {label:?} is in Signature-Input but has no Signature value",
        },
        /// A label appears in `Signature` without a `Signature-Input` value.
        MissingSignatureInput(label: String) => {
            code: "missing_signature_input", class: Invalid,
            summary: "A label is in `Signature` but not in `Signature-Input`.",
            message: "label {label:?} is in Signature but has no Signature-Input",
        },
        /// The same label appears twice across field lines.
        DuplicateLabel(label: String) => {
            code: "duplicate_label", class: Invalid,
            summary: "The same label appears twice across field lines.",
            message: "label {label:?} appears more than once",
        },
        /// More signatures than [`crate::limits::MAX_SIGNATURES`].
        TooManySignatures => {
            code: "too_many_signatures", class: Invalid,
            summary: "The message carries more signatures than the limit.",
            message: "the message carries too many signatures",
        },
        /// More covered components than [`crate::limits::MAX_COMPONENTS`].
        TooManyComponents => {
            code: "too_many_components", class: Invalid,
            summary: "A signature covers more components than the limit.",
            message: "the signature covers too many components",
        },
        /// A signature parameter has the wrong type or an impossible value.
        InvalidSignatureParameter { name: String, reason: &'static str } => {
            code: "invalid_signature_parameter", class: Invalid,
            summary: "A signature parameter has the wrong type or an impossible value.",
            message: "signature parameter {name:?} is invalid: {reason}",
        },
        /// A covered component identifier is not a valid lowercase string with parameters.
        InvalidComponent(component: String) => {
            code: "invalid_component", class: Invalid,
            summary: "A component identifier is not a lowercase string with valid parameters.",
            message: "invalid component identifier: {component}",
        },

        // ---- signature base ------------------------------------------------------------
        /// The same component identifier (parameters compared unordered) is covered twice.
        DuplicateComponent(component: String) => {
            code: "duplicate_component", class: Invalid,
            summary: "The same component (parameters compared unordered) is covered twice.",
            message: "component {component} is covered more than once",
        },
        /// An `@`-name that is not a registered derived component.
        UnknownDerivedComponent(component: String) => {
            code: "unknown_derived_component", class: Invalid,
            summary: "An `@`-name that is not a registered derived component.",
            message: "unknown derived component {component:?}",
        },
        /// A component parameter that is not understood for this component.
        UnknownComponentParameter { component: String, parameter: String } => {
            code: "unknown_component_parameter", class: Invalid,
            summary: "A component parameter that is not understood for that component.",
            message: "parameter {parameter:?} is not understood on component {component}",
        },
        /// Component parameters that cannot be used together (`bs` with `sf` or `key`).
        IncompatibleComponentParameters(component: String) => {
            code: "incompatible_component_parameters", class: Invalid,
            summary: "Component parameters that cannot be used together (`bs` with `sf` or `key`).",
            message: "component {component} combines parameters that cannot be used together",
        },
        /// `@signature-params` listed as a covered component.
        SignatureParamsCovered => {
            code: "signature_params_covered", class: Invalid,
            summary: "`@signature-params` is listed as a covered component.",
            message: "@signature-params must not be listed as a covered component",
        },
        /// A covered field is absent from the message.
        MissingField(field: String) => {
            code: "missing_field", class: Invalid,
            summary: "A covered field is absent from the message.",
            message: "covered field {field:?} is not in the message",
        },
        /// `@query-param` without its `name` parameter.
        MissingQueryParamName => {
            code: "missing_query_param_name", class: Invalid,
            summary: "`@query-param` without its `name` parameter.",
            message: "@query-param needs a name parameter",
        },
        /// A named query parameter is absent from the query.
        QueryParamNotFound(name: String) => {
            code: "query_param_not_found", class: Invalid,
            summary: "A covered query parameter is absent from the query.",
            message: "query parameter {name:?} is not in the query",
        },
        /// A named query parameter occurs more than once (RFC 9421 §2.2.8 forbids covering it).
        QueryParamRepeated(name: String) => {
            code: "query_param_repeated", class: Invalid,
            summary: "A covered query parameter occurs more than once (RFC 9421 §2.2.8).",
            message: "query parameter {name:?} occurs more than once and cannot be covered",
        },
        /// A `key` names a member absent from the Dictionary field.
        DictionaryKeyNotFound { field: String, key: String } => {
            code: "dictionary_key_not_found", class: Invalid,
            summary: "A `key` parameter names a member absent from the Dictionary field.",
            message: "field {field:?} has no dictionary member {key:?}",
        },
        /// `sf` on a field whose structured type is not known.
        UnknownStructuredField(field: String) => {
            code: "unknown_structured_field", class: Invalid,
            summary: "`sf` on a field whose structured type is not known.",
            message: "field {field:?} is not a known structured field, so sf cannot apply",
        },
        /// A covered field is not a valid structured field of its type.
        MalformedField { field: String, reason: String } => {
            code: "malformed_field", class: Invalid,
            summary: "A covered field is not a valid structured field of its type.",
            message: "field {field:?} is not a valid structured field: {reason}",
        },
        /// `req` used in a signature over a request.
        ReqOnRequest(component: String) => {
            code: "req_on_request", class: Invalid,
            summary: "`req` used in a signature over a request.",
            message: "component {component} uses req, but the message is a request",
        },
        /// `req` used on a response whose request is not available.
        MissingRelatedRequest(component: String) => {
            code: "missing_related_request", class: Invalid,
            summary: "`req` used on a response whose request is not available.",
            message: "component {component} uses req, but the related request is not available",
        },
        /// A derived component that does not apply to this kind of message (`@status` on a
        /// request, `@method` on a response without `req`).
        ComponentNotApplicable(component: String) => {
            code: "component_not_applicable", class: Invalid,
            summary: "A derived component that does not apply to this kind of message (`@status` on a request).",
            message: "component {component} does not apply to this kind of message",
        },
        /// A component value contains a newline or a non-ASCII byte.
        InvalidComponentValue(component: String) => {
            code: "invalid_component_value", class: Invalid,
            summary: "A component value contains a newline or a non-ASCII byte.",
            message: "the value of {component} contains a newline or non-ASCII byte (consider the bs parameter)",
        },
        /// The signature base would exceed [`crate::limits::MAX_SIGNATURE_BASE_BYTES`].
        SignatureBaseTooLarge => {
            code: "signature_base_too_large", class: Invalid,
            summary: "The signature base would be larger than the limit.",
            message: "the signature base is larger than allowed",
        },
        /// A field or derived value exceeds [`crate::limits::MAX_COMPONENT_VALUE_BYTES`].
        ComponentValueTooLarge(component: String) => {
            code: "component_value_too_large", class: Invalid,
            summary: "A field or derived component value is larger than the limit.",
            message: "the value of {component} is larger than allowed",
        },

        // ---- keys and algorithms -------------------------------------------------------
        /// An algorithm name outside the HTTP Signature Algorithms registry, or one not compiled in.
        UnsupportedAlgorithm(algorithm: String) => {
            code: "unsupported_algorithm", class: Invalid,
            summary: "An algorithm outside the HTTP Signature Algorithms registry, or one not compiled in.",
            message: "algorithm {algorithm:?} is not supported",
        },
        /// The `alg` parameter names an algorithm other than the one bound to the key.
        AlgorithmMismatch { key: &'static str, parameter: String } => {
            code: "algorithm_mismatch", class: Invalid,
            summary: "The `alg` parameter names another algorithm than the one bound to the key.",
            message: "the alg parameter says {parameter:?} but the key is bound to {key:?}",
        },
        /// Key material is malformed.
        InvalidKey(reason: String) => {
            code: "invalid_key", class: Invalid,
            summary: "Key material is malformed.",
            message: "invalid key: {reason}",
        },
        /// Key material is well-formed but of a type or size this build does not support.
        UnsupportedKey(reason: String) => {
            code: "unsupported_key", class: Unverified,
            summary: "Key material of a type or size this build does not support.",
            message: "unsupported key: {reason}",
        },
        /// A JWK or JWK Set document is malformed.
        MalformedJwk(reason: String) => {
            code: "malformed_jwk", class: Invalid,
            summary: "A JWK or JWK Set document is malformed.",
            message: "malformed JWK: {reason}",
        },
        /// No key matches the signature's `keyid`.
        UnknownKey(keyid: String) => {
            code: "unknown_key", class: Unverified,
            summary: "No key matches the signature's `keyid`.",
            message: "no key matches keyid {keyid:?}",
        },
        /// No `keyid` and more than one candidate key.
        AmbiguousKey => {
            code: "ambiguous_key", class: Unverified,
            summary: "The signature has no `keyid` and more than one key could apply.",
            message: "the signature has no keyid and more than one key could apply",
        },
        /// The signature bytes do not verify over the signature base.
        InvalidSignature => {
            code: "invalid_signature", class: Invalid,
            summary: "The signature bytes do not verify over the signature base.",
            message: "the signature does not verify over the signature base",
        },
        /// Signing needs random bytes (RSA-PSS salt) and none were supplied.
        EntropyRequired => {
            code: "entropy_required", class: Invalid,
            summary: "Signing needs random bytes (RSA-PSS salt) and none were supplied.",
            message: "this algorithm needs random bytes to sign",
        },
        /// A signing operation was attempted with a public key.
        NotAPrivateKey => {
            code: "not_a_private_key", class: Invalid,
            summary: "Signing was attempted with a public key.",
            message: "signing needs a private key",
        },

        // ---- content digest ------------------------------------------------------------
        /// `Content-Digest` is malformed (not a Dictionary of Byte Sequences, bad padding...).
        MalformedContentDigest(reason: String) => {
            code: "malformed_content_digest", class: Invalid,
            summary: "`Content-Digest` is malformed (not a Dictionary of Byte Sequences, bad padding...).",
            message: "Content-Digest is malformed: {reason}",
        },
        /// `Content-Digest` carries no algorithm this implementation knows.
        UnsupportedDigestAlgorithm(algorithms: String) => {
            code: "unsupported_digest_algorithm", class: Invalid,
            summary: "`Content-Digest` carries no algorithm this implementation knows.",
            message: "Content-Digest has no supported algorithm (saw {algorithms})",
        },
        /// `Content-Digest` does not match the body.
        ContentDigestMismatch(algorithm: String) => {
            code: "content_digest_mismatch", class: Invalid,
            rule: "checkContentDigest",
            summary: "`Content-Digest` does not match the body.",
            message: "Content-Digest {algorithm} does not match the message body",
        },

        // ---- policy --------------------------------------------------------------------
        /// The message carries no `Signature-Input` / `Signature`.
        NoSignature => {
            code: "no_signature", class: Unverified,
            summary: "The message carries no `Signature-Input` / `Signature`.",
            message: "the message carries no Signature-Input and Signature",
        },
        /// No signature in the message is applicable under the policy (label, tag, ...).
        NoApplicableSignature(reason: String) => {
            code: "no_applicable_signature", class: Unverified,
            summary: "No signature in the message is applicable under the policy (label, tag, ...).",
            message: "no applicable signature: {reason}",
        },
        /// The requested label is not in the message.
        LabelNotFound(label: String) => {
            code: "label_not_found", class: Unverified,
            rule: "label",
            summary: "The requested label is not in the message.",
            message: "no signature labelled {label:?}",
        },
        /// `created` is required and absent.
        MissingCreated => {
            code: "missing_created", class: Invalid,
            rule: "requireCreated",
            summary: "`created` is required and absent.",
            message: "the created parameter is required",
        },
        /// `expires` is required and absent.
        MissingExpires => {
            code: "missing_expires", class: Invalid,
            rule: "requireExpires",
            summary: "`expires` is required and absent.",
            message: "the expires parameter is required",
        },
        /// `keyid` is required and absent.
        MissingKeyId => {
            code: "missing_keyid", class: Invalid,
            rule: "requireKeyid",
            summary: "`keyid` is required and absent.",
            message: "the keyid parameter is required",
        },
        /// `created` lies in the future beyond the allowed skew.
        CreatedInFuture { created: u64, now: u64 } => {
            code: "created_in_future", class: Invalid,
            rule: "skew",
            summary: "`created` lies in the future beyond the allowed skew.",
            message: "created {created} is in the future (now {now})",
        },
        /// `expires` has passed (beyond the allowed skew).
        Expired { expires: u64, now: u64 } => {
            code: "expired", class: Invalid,
            rule: "skew",
            summary: "`expires` has passed (beyond the allowed skew).",
            message: "the signature expired at {expires} (now {now})",
        },
        /// `created` is older than the maximum age.
        SignatureTooOld { created: u64, now: u64, max_age: u64 } => {
            code: "signature_too_old", class: Invalid,
            rule: "maxAge",
            summary: "`created` is older than the maximum age.",
            message: "the signature was created at {created}, more than {max_age} s before now ({now})",
        },
        /// `expires - created` exceeds the maximum lifetime.
        LifetimeTooLong { lifetime: u64, max: u64 } => {
            code: "lifetime_too_long", class: Invalid,
            rule: "maxLifetime",
            summary: "`expires - created` exceeds the maximum lifetime.",
            message: "expires - created is {lifetime} s, more than the allowed {max} s",
        },
        /// `expires` is before `created`.
        ExpiresBeforeCreated => {
            code: "expires_before_created", class: Invalid,
            summary: "`expires` is before `created`.",
            message: "expires is before created",
        },
        /// A component the policy requires is not covered.
        MissingRequiredComponent(component: String) => {
            code: "missing_required_component", class: Invalid,
            rule: "requiredComponents",
            summary: "A component the policy requires is not covered.",
            message: "required component {component} is not covered",
        },
        /// The algorithm is not in the policy's allow-list.
        AlgorithmNotAllowed(algorithm: String) => {
            code: "algorithm_not_allowed", class: Invalid,
            rule: "algorithms",
            summary: "The algorithm is not in the policy's allow-list.",
            message: "algorithm {algorithm} is not allowed by the policy",
        },
        /// The `tag` is absent or differs from the expected one.
        TagMismatch { expected: String, found: Option<String> } => {
            code: "tag_mismatch", class: Invalid,
            rule: "tag",
            summary: "The `tag` is absent or differs from the expected one.",
            message: |f| match found {
                Some(found) => write!(f, "tag is {found:?}, expected {expected:?}"),
                None => write!(f, "tag {expected:?} is required"),
            },
        },
        /// The policy requires a `nonce` and there is none.
        NonceRequired => {
            code: "nonce_required", class: Invalid,
            rule: "requireNonce",
            summary: "The policy requires a `nonce` and there is none.",
            message: "a nonce is required",
        },
        /// The nonce was seen before.
        NonceReplayed(nonce: String) => {
            code: "nonce_replayed", class: Invalid,
            rule: "nonce",
            summary: "The nonce was seen before.",
            message: "nonce {nonce:?} was already used",
        },
        /// The nonce could not be checked or recorded (the replay store failed): the
        /// signature verified, but whether it was replayed is unknown.
        ReplayCheckUnavailable(reason: String) => {
            code: "replay_check_unavailable", class: Unverified,
            rule: "nonce",
            summary: "The nonce could not be checked or recorded (the replay store failed), so replay is not ruled out.",
            message: "the nonce could not be checked for replay: {reason}",
        },
        /// The key is one of the published test keys (RFC 9421 Appendix B.1, the Web Bot
        /// Auth drafts' examples), which anyone can sign with.
        TestKeyRefused(name: String) => {
            code: "test_key", class: Invalid,
            rule: "allowTestKeys",
            summary: "The key is a published test key (RFC 9421 B.1.x, the Web Bot Auth examples), refused unless `allowTestKeys`.",
            message: "the signature uses the published test key {name}, which anyone can sign with (set allowTestKeys to accept test keys in tests)",
        },
        /// A signature covers another signature's `Signature` member without covering its
        /// `Signature-Input` member, its `Signature-Agent` member and every component it
        /// covers (Web Bot Auth "Multiple Signatures").
        IncompleteCoverage(reason: String) => {
            code: "incomplete_coverage", class: Invalid,
            rule: "nestedCoverage",
            summary: "A signature covers another signature without covering its `Signature-Input`, its `Signature-Agent` member and all it covers.",
            message: "{reason}",
        },

        // ---- Web Bot Auth --------------------------------------------------------------
        /// The covered `Signature-Agent` member cannot be used (it carries parameters, which
        /// draft -01 §5.2.1 says to ignore; with draft -00 typed members, an unsupported
        /// `type` or `type=directory` on a URL that is not an origin).
        UnusableSignatureAgent(reason: String) => {
            code: "unusable_signature_agent", class: Unverified,
            summary: "The covered `Signature-Agent` member cannot be used (it carries parameters, ignored under draft -01; with `draft00Members`, an unsupported `type` or a directory URL that is not an origin).",
            message: "the Signature-Agent member cannot be used: {reason}",
        },
        /// Which `Signature-Agent` member belongs to the signature is not determined.
        AmbiguousSignatureAgent(reason: String) => {
            code: "ambiguous_signature_agent", class: Invalid,
            summary: "Which `Signature-Agent` member belongs to the signature is not determined.",
            message: "Signature-Agent: {reason}",
        },
        /// The agent's key directory is not available (not fetched, the fetch failed, or the
        /// document is not a directory): not evidence, so the signature stays unverified.
        DirectoryUnavailable { url: String, cause: alloc::boxed::Box<crate::webbotauth::DiscoveryFailure> } => {
            code: "directory_unavailable", class: Unverified,
            summary: "The agent's key directory is not available (not fetched, the fetch failed, or it is not a directory).",
            message: "the key directory {url} is not available ({}: {cause})", cause.code(),
        },
        /// A key directory is malformed or breaks the directory rules.
        InvalidDirectory(reason: String) => {
            code: "invalid_directory", class: Invalid,
            summary: "A key directory is malformed or breaks the directory rules.",
            message: "invalid key directory: {reason}",
        },
        /// `keyid` is not the JWK SHA-256 thumbprint of the key that verified.
        KeyIdNotThumbprint(keyid: String) => {
            code: "keyid_not_thumbprint", class: Invalid,
            rule: "keyidIsThumbprint",
            summary: "`keyid` is not the JWK SHA-256 thumbprint of the key that verified.",
            message: "keyid {keyid:?} is not the JWK SHA-256 thumbprint of the signing key",
        },

        // ---- Signature-Key -------------------------------------------------------------
        /// `Signature-Key` is malformed or a scheme lacks a required parameter.
        MalformedSignatureKey(reason: String) => {
            code: "malformed_signature_key", class: Invalid,
            summary: "`Signature-Key` is malformed or a scheme lacks a required parameter.",
            message: "Signature-Key is malformed: {reason}",
        },
        /// A `Signature-Key` scheme this implementation cannot resolve (`x509`, `cached`).
        UnsupportedSignatureKeyScheme(scheme: String) => {
            code: "unsupported_scheme", class: Unverified,
            summary: "A `Signature-Key` scheme this implementation cannot resolve (`x509`, `cached`).",
            message: "Signature-Key scheme {scheme} is not supported",
        },
        /// A JWT is malformed, has the wrong `typ`, lacks a required claim, or its signature
        /// does not verify.
        InvalidJwt(reason: String) => {
            code: "invalid_jwt", class: Invalid,
            summary: "A JWT is malformed, has the wrong `typ`, lacks a required claim, or does not verify.",
            message: "invalid JWT: {reason}",
        },
        /// A JWT's `exp` has passed.
        ExpiredJwt(exp: u64) => {
            code: "expired_jwt", class: Invalid,
            summary: "A JWT's `exp` has passed.",
            message: "the JWT expired at {exp}",
        },
        /// Key metadata names another issuer than the one asked (or none).
        IssuerMismatch(reason: String) => {
            code: "issuer_mismatch", class: Invalid,
            summary: "Key metadata names another issuer than the one asked (or none).",
            message: "issuer mismatch: {reason}",
        },

        // ---- messages ------------------------------------------------------------------
        /// A raw HTTP message or a JSON request could not be read.
        MalformedMessage(reason: String) => {
            code: "malformed_message", class: Invalid,
            summary: "A raw HTTP message or a JSON request could not be read.",
            message: "malformed message: {reason}",
        },
        /// A URL could not be split into scheme, authority, path and query.
        InvalidUrl(reason: String) => {
            code: "invalid_url", class: Invalid,
            summary: "A URL could not be split into scheme, authority, path and query.",
            message: "invalid URL: {reason}",
        },
        /// The host did not answer a question of the verifier job (a driver bug): nothing
        /// is decided on a missing answer.
        HostAnswerMissing(what: String) => {
            code: "host_answer_missing", class: Unverified,
            summary: "The host did not answer a step of the verifier job (a driver bug); nothing is decided on a missing answer.",
            message: "the host did not answer: {what}",
        },
        /// An input exceeded a named limit.
        LimitExceeded(limit: &'static str) => {
            code: "limit_exceeded", class: Invalid,
            summary: "An input exceeded a named limit.",
            message: "limit exceeded: {limit}",
        },
    }
}

impl core::error::Error for Error {}

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = core::result::Result<T, E>;
