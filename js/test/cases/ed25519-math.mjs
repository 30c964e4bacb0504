// Just enough edwards25519 arithmetic (BigInt, test code only: slow, not constant-time) to
// build the Ed25519 signatures on which verifiers disagree: a small-order R, an R off by a
// small-order point, a small-order public key. Hashing uses crypto.subtle (Node and
// browsers alike).

const P = 2n ** 255n - 19n;
/** The order of the prime-order subgroup. */
const L = 2n ** 252n + 27742317777372353535851937790883648493n;

const mod = (a, m = P) => ((a % m) + m) % m;

function pow(base, exp, m = P) {
  let result = 1n;
  let b = mod(base, m);
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % m;
    b = (b * b) % m;
  }
  return result;
}

const inv = (a) => pow(a, P - 2n);
const D = mod(-121665n * inv(121666n));
const SQRT_M1 = pow(2n, (P - 1n) / 4n);

function leInt(bytes) {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
  return n;
}

function leBytes(n, length = 32) {
  const out = new Uint8Array(length);
  let rest = n;
  for (let i = 0; i < length; i++) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return out;
}

/** RFC 8032 §5.1.2: y little-endian, the sign of x in the top bit. */
function encode([x, y]) {
  const bytes = leBytes(y);
  bytes[31] |= Number(x & 1n) << 7;
  return bytes;
}

/** The base point B (RFC 8032 §5.1): y = 4/5, x the even root. */
function basePoint() {
  const y = mod(4n * inv(5n));
  const x2 = mod((y * y - 1n) * inv(D * y * y + 1n));
  let x = pow(x2, (P + 3n) / 8n);
  if (mod(x * x) !== x2) x = mod(x * SQRT_M1);
  if (x & 1n) x = P - x;
  return [x, y];
}

const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

async function sha512(...parts) {
  return new Uint8Array(await crypto.subtle.digest("SHA-512", concat(...parts)));
}

/** The secret scalar a of a 32-byte seed (RFC 8032 §5.1.5: clamped SHA-512 half). */
async function secretScalar(seed) {
  const h = await sha512(seed);
  h[0] &= 248;
  h[31] &= 127;
  h[31] |= 64;
  return leInt(h.subarray(0, 32));
}

/** The encoding of the identity, a point of order 1 (the smallest small-order point). */
export const IDENTITY = encode([0n, 1n]);
/** The encoding of the base point B. */
export const BASE = encode(basePoint());
/** B + (0, -1): the base point plus the point of order 2, i.e. (-x, -y). */
export const BASE_PLUS_ORDER_2 = (() => {
  const [x, y] = basePoint();
  return encode([mod(-x), mod(-y)]);
})();

/** A signature `R ‖ s` with s = r + H(R ‖ A ‖ M)·a (mod L) for the given R and r. */
export async function signWithR(seed, publicKey, message, R, r) {
  const a = await secretScalar(seed);
  const h = mod(leInt(await sha512(R, publicKey, message)), L);
  return concat(R, leBytes(mod(r + h * a, L)));
}

/** `R ‖ s` for a scalar s given as a number. */
export const rawSignature = (R, s) => concat(R, leBytes(BigInt(s)));
