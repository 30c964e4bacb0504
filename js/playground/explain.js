// Verdicts in plain words: what each outcome and error code means for the person reading
// it. The code and the core's own message are always shown too.

const OUTCOMES = {
  verified: "Verified: the signature is valid for this request and key, and it meets the profile's rules.",
  invalid: "Invalid: a signature is present, but it does not hold for this request.",
  unverified: "Unverified: there is not enough to decide (no signature, or no key for it).",
};

const CODES = {
  invalid_signature:
    "The signature does not match what was signed. A covered component changed after signing (a header, the method, the URL), or a different key signed it.",
  content_digest_mismatch: "The body is not the one the Content-Digest header describes: the body changed after signing.",
  expired: "The signature's expires time has passed. Sign again (Web Bot Auth signatures live for a minute by default).",
  created_in_future: "The signature claims to be created in the future: the signer's clock is ahead of the verifier's.",
  signature_too_old: "The signature was created longer ago than the verifier accepts.",
  lifetime_too_long: "The time between created and expires is longer than the profile allows (24 hours for Web Bot Auth).",
  unknown_key: "No key in the key set matches the signature's keyid. Add the signer's public key (its directory) to the keys.",
  ambiguous_key: "The signature has no keyid and several keys could apply.",
  no_signature: "The request carries no Signature-Input and Signature headers.",
  no_applicable_signature: "There are signatures, but none that this profile looks at (for Web Bot Auth: tag=\"web-bot-auth\").",
  label_not_found: "No signature has the requested label.",
  missing_field: "A header the signature covers is not in the request.",
  missing_required_component: "The signature does not cover a component the profile requires (Web Bot Auth: @authority or @target-uri).",
  missing_created: "The profile requires a created parameter and the signature has none.",
  missing_expires: "The profile requires an expires parameter and the signature has none.",
  missing_keyid: "The profile requires a keyid parameter and the signature has none.",
  algorithm_not_allowed: "The key's algorithm is not allowed by this profile (Web Bot Auth refuses shared secrets).",
  algorithm_mismatch: "The signature's alg parameter names a different algorithm than the key's.",
  malformed_signature_input: "The Signature-Input header is not valid structured-field syntax.",
  malformed_signature: "The Signature header is not valid structured-field syntax.",
  missing_signature_value: "A label in Signature-Input has no matching entry in Signature.",
  missing_signature_input: "A label in Signature has no matching entry in Signature-Input.",
  nonce_required: "The profile requires a nonce and the signature has none.",
};

/** The outcome in words. */
export const explainOutcome = (verdict) => OUTCOMES[verdict] ?? verdict;

/** The error in words (falls back to the core's message). */
export const explainError = (error) => (error ? CODES[error.code] ?? error.message : "");
