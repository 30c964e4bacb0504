// The shared test data (tests/vectors/, relative to the repository root) that the JS
// tests read, by the name the test cases use. Node reads the files, the browser fetches
// them from the test server.

export const VECTOR_FILES = {
  rfc9421: "tests/vectors/rfc9421/vectors.json",
  protocol: "tests/vectors/webbotauth/httpsig-protocol-vectors.json",
  archV1: "tests/vectors/webbotauth/web_bot_auth_architecture_v1.json",
  archV2: "tests/vectors/webbotauth/web_bot_auth_architecture_v2.json",
  thumbprints: "tests/vectors/webbotauth/jwk_thumbprint_vectors.json",
  rfc9530: "tests/vectors/rfc9421/rfc9530-vectors.json",
  "key:test-key-ecc-p256": "tests/vectors/rfc9421/keys/test-key-ecc-p256.jwk.json",
  "key:test-key-ed25519": "tests/vectors/rfc9421/keys/test-key-ed25519.jwk.json",
  "key:test-key-rsa-pss": "tests/vectors/rfc9421/keys/test-key-rsa-pss.jwk.json",
  "key:test-key-rsa": "tests/vectors/rfc9421/keys/test-key-rsa.jwk.json",
  "text:test-shared-secret": "tests/vectors/rfc9421/keys/test-shared-secret.b64",
};

/** Loads every file with `read(path) -> Promise<string>`. */
export async function loadVectors(read) {
  const out = {};
  for (const [name, path] of Object.entries(VECTOR_FILES)) {
    const text = await read(path);
    out[name] = name.startsWith("text:") ? text.trim() : JSON.parse(text);
  }
  return out;
}
