// Errors raised by the JavaScript layer itself carry the same stable codes as the core's
// (`malformed_message`, `malformed_jwk`, ...), so callers branch on `err.code` alone.

/** An `Error` with a stable machine-readable `code`. */
export function codedError(code, message) {
  const err = new Error(message);
  err.code = code;
  return err;
}
