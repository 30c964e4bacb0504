//! `ed25519` (RFC 8032, RFC 9421 §3.3.6): public keys, key pairs, signing and verification,
//! with one of two backends chosen when the crate is built:
//!
//! - **`compact`**, `ed25519-compact` (small, portable, no SIMD): without the `ed25519-dalek`
//!   feature, as in the npm and edge wasm builds;
//! - **`dalek`**, with the `ed25519-dalek` feature (a default feature): `ed25519-dalek` keys
//!   and signing, and the verification equation evaluated with `curve25519-dalek`
//!   (precomputed tables; its AVX2 backend when the CPU has it), about half the instructions
//!   of `compact` natively.
//!
//! # One verdict, whichever backend
//!
//! Ed25519 verifiers disagree on inputs that only a key's holder (or a weak key) can make
//! (Chalkias, Garillot, Nikolaenko, "Taming the many EdDSAs", 2020). httpseal's verdict is
//! the one `ed25519-compact` 2.6 gives (`PublicKey::verify`), by both backends. A signature
//! `R ‖ S` over `M` under the public key `A` is accepted exactly when:
//!
//! 1. it is 64 bytes long;
//! 2. `S < L`, the order of the base point `B` (no reduction, no 253-bit shortcut);
//! 3. `A` and `R` are each the canonical encoding of a curve point (`y < p`, and no sign bit
//!    on `x = 0`) whose order does not divide 8 ("mixed-order" points, with a non-zero
//!    torsion part, are accepted);
//! 4. `[8](S·B − k·A − R)` is the identity, with `k = SHA-512(R ‖ A ‖ M) mod L` over the
//!    received encodings (the cofactored equation).
//!
//! `compact` is `ed25519-compact`'s own check of exactly these (`sc_reject_noncanonical`;
//! point decoding that refuses a non-canonical `y` and `x = 0` with the sign bit;
//! `has_small_order` on `A`, on `R` and on `S·B − k·A − R`, that is "4P has x = 0"). `dalek`
//! cannot use `ed25519-dalek`'s `verify` (cofactorless; takes non-canonical and small-order
//! keys and small-order `R`) nor `verify_strict` (cofactorless too, so it refuses what only
//! the cofactored equation accepts), so it checks 1–3 itself and evaluates 4 with
//! `curve25519-dalek`: it computes `Q = S·B − k·A` as `ed25519-dalek` does and accepts
//! when `Q` compresses to `R`'s bytes (every RFC 8032 signature; `R` is then canonical,
//! and `Q = R` satisfies 4), which costs what `ed25519-dalek`'s `verify` costs; only for
//! any other signature does it decode `R` and test `Q − R` for small order. The tests below
//! check both against the RFC 8032 vectors, the twelve "Taming the many EdDSAs" cases
//! (`tests/vectors/ed25519/`) and mutated signatures.
//!
//! Rule 3 for `A` depends on the key only: it is decided once, when the key is made
//! ([`PublicKey::is_valid`], also what allows a host primitive to check signatures under it,
//! `crate::PendingCheck::host_may_check`), and a key that fails it verifies nothing.
//!
//! Signing is RFC 8032's deterministic signature in both backends, so both sign byte for
//! byte alike; an all-zero seed is refused by both (`ed25519-compact` cannot use it).

#[cfg(not(feature = "ed25519-dalek"))]
pub(crate) use compact::{KeyPair, PublicKey};
#[cfg(feature = "ed25519-dalek")]
pub(crate) use dalek::{KeyPair, PublicKey};

use crate::error::{Error, Result};
use alloc::vec::Vec;

/// The canonical encodings of the eight points of order dividing 8 on edwards25519:
/// the identity, the point of order 2, the two of order 4 and the four of order 8. A
/// non-canonical encoding is rejected by both kinds of verifier, so these are all the `R`
/// values on which they can disagree for a valid key (`crate::PendingCheck::host_may_check`).
/// An encoding already known to be canonical is of a small-order point exactly when it is
/// one of these.
pub(crate) const SMALL_ORDER_POINTS: [[u8; 32]; 8] = {
    const fn hex(s: &str) -> [u8; 32] {
        let s = s.as_bytes();
        let mut out = [0u8; 32];
        let mut i = 0;
        while i < 32 {
            out[i] = (nibble(s[2 * i]) << 4) | nibble(s[2 * i + 1]);
            i += 1;
        }
        out
    }
    const fn nibble(c: u8) -> u8 {
        match c {
            b'0'..=b'9' => c - b'0',
            _ => c - b'a' + 10,
        }
    }
    [
        hex("0100000000000000000000000000000000000000000000000000000000000000"),
        hex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
        hex("0000000000000000000000000000000000000000000000000000000000000000"),
        hex("0000000000000000000000000000000000000000000000000000000000000080"),
        hex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"),
        hex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85"),
        hex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),
        hex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa"),
    ]
};

fn wrong_public_length() -> Error {
    Error::InvalidKey("an Ed25519 public key is 32 bytes".into())
}

/// A 32-byte seed that is not all zeros.
fn check_seed(seed: &[u8]) -> Result<zeroize::Zeroizing<[u8; 32]>> {
    let seed: [u8; 32] = seed
        .try_into()
        .map_err(|_| Error::InvalidKey("an Ed25519 private key is 32 bytes".into()))?;
    let seed = zeroize::Zeroizing::new(seed);
    if seed.iter().all(|&b| b == 0) {
        return Err(Error::InvalidKey("an all-zero Ed25519 private key".into()));
    }
    Ok(seed)
}

/// The `ed25519-compact` backend.
#[cfg_attr(feature = "ed25519-dalek", allow(dead_code))]
pub(crate) mod compact {
    use super::*;

    /// A public key: 32 bytes, and whether they can verify anything (rule 3).
    #[derive(Clone)]
    pub(crate) struct PublicKey {
        key: ed25519_compact::PublicKey,
        valid: bool,
    }

    impl PublicKey {
        /// Any 32 bytes; a key that is not canonical or is of small order is kept (its
        /// JWK and thumbprint exist) but verifies nothing.
        pub(crate) fn from_slice(bytes: &[u8]) -> Result<Self> {
            let key =
                ed25519_compact::PublicKey::from_slice(bytes).map_err(|_| wrong_public_length())?;
            Ok(Self::new(key))
        }

        fn new(key: ed25519_compact::PublicKey) -> Self {
            // The same decoding `ed25519_compact::PublicKey::verify` does on every call.
            let valid = key.validate().is_ok();
            PublicKey { key, valid }
        }

        pub(crate) fn as_bytes(&self) -> &[u8; 32] {
            &self.key
        }

        /// Rule 3 for the key: canonical, and not of small order.
        pub(crate) fn is_valid(&self) -> bool {
            self.valid
        }

        pub(crate) fn verify(&self, message: &[u8], signature: &[u8]) -> Result<()> {
            if !self.valid {
                // `ed25519_compact::PublicKey::verify` would refuse it too, after decoding it.
                return Err(Error::InvalidSignature);
            }
            let sig = ed25519_compact::Signature::from_slice(signature)
                .map_err(|_| Error::InvalidSignature)?;
            self.key
                .verify(message, &sig)
                .map_err(|_| Error::InvalidSignature)
        }
    }

    /// A private key (its seed) with its public key.
    #[derive(Clone)]
    pub(crate) struct KeyPair {
        kp: ed25519_compact::KeyPair,
        pk: PublicKey,
    }

    impl KeyPair {
        pub(crate) fn from_seed(seed: &[u8]) -> Result<Self> {
            let seed = check_seed(seed)?;
            // `KeyPair::from_seed` panics on an all-zero seed, refused above.
            let kp = ed25519_compact::KeyPair::try_from_seed(ed25519_compact::Seed::new(*seed))
                .map_err(|_| Error::InvalidKey("an all-zero Ed25519 private key".into()))?;
            let pk = PublicKey::new(kp.pk);
            Ok(KeyPair { kp, pk })
        }

        pub(crate) fn public(&self) -> &PublicKey {
            &self.pk
        }

        /// The RFC 8032 private key (the seed).
        pub(crate) fn seed(&self) -> &[u8] {
            &self.kp.sk[..32]
        }

        pub(crate) fn sign(&self, message: &[u8]) -> Vec<u8> {
            // No noise: RFC 8032 deterministic signatures, so vectors re-sign byte for byte.
            self.kp.sk.sign(message, None).to_vec()
        }
    }
}

/// The `ed25519-dalek` / `curve25519-dalek` backend.
#[cfg(feature = "ed25519-dalek")]
pub(crate) mod dalek {
    use super::*;
    use alloc::boxed::Box;
    use curve25519_dalek::edwards::{CompressedEdwardsY, EdwardsPoint};
    use curve25519_dalek::scalar::Scalar;
    use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
    use sha2::{Digest, Sha512};

    /// A public key: its 32 bytes and, when they pass rule 3, the decompressed point (so a
    /// verification decompresses only `R`). Boxed, as the 160-byte point would make every
    /// [`crate::Key`] that size.
    #[derive(Clone)]
    pub(crate) struct PublicKey {
        bytes: [u8; 32],
        key: Option<Box<VerifyingKey>>,
    }

    /// Whether the `y` of an encoding (its low 255 bits) is below p = 2^255 − 19:
    /// `curve25519-dalek` reduces a larger `y` where `ed25519-compact` refuses it.
    fn y_is_canonical(b: &[u8; 32]) -> bool {
        !(b[0] >= 0xed && b[1..31].iter().all(|&x| x == 0xff) && b[31] & 0x7f == 0x7f)
    }

    /// Rule 3: the point of a canonical encoding, if its order does not divide 8.
    /// `curve25519-dalek` also decodes `x = 0` with the sign bit set (as `x = 0`): those are
    /// the points (0, 1) and (0, −1), of order 1 and 2, so they are refused here as well.
    pub(crate) fn decode_point(bytes: &[u8; 32]) -> Option<EdwardsPoint> {
        if !y_is_canonical(bytes) {
            return None;
        }
        let point = CompressedEdwardsY(*bytes).decompress()?;
        (!point.is_small_order()).then_some(point)
    }

    impl PublicKey {
        /// Any 32 bytes; a key that is not canonical or is of small order is kept (its
        /// JWK and thumbprint exist) but verifies nothing.
        pub(crate) fn from_slice(bytes: &[u8]) -> Result<Self> {
            let bytes: [u8; 32] = bytes.try_into().map_err(|_| wrong_public_length())?;
            let key = VerifyingKey::from_bytes(&bytes)
                .ok()
                .filter(|k| y_is_canonical(&bytes) && !k.is_weak())
                .map(Box::new);
            Ok(PublicKey { bytes, key })
        }

        pub(crate) fn as_bytes(&self) -> &[u8; 32] {
            &self.bytes
        }

        /// Rule 3 for the key: canonical, and not of small order.
        pub(crate) fn is_valid(&self) -> bool {
            self.key.is_some()
        }

        pub(crate) fn verify(&self, message: &[u8], signature: &[u8]) -> Result<()> {
            let (Some(key), Ok(signature)) = (&self.key, <&[u8; 64]>::try_from(signature)) else {
                return Err(Error::InvalidSignature);
            };
            let (r_bytes, s_bytes) = signature.split_at(32);
            let r_bytes: &[u8; 32] = r_bytes.try_into().map_err(|_| Error::InvalidSignature)?;
            let s_bytes: [u8; 32] = s_bytes.try_into().map_err(|_| Error::InvalidSignature)?;
            // Rule 2: S < L.
            let s = Option::<Scalar>::from(Scalar::from_canonical_bytes(s_bytes))
                .ok_or(Error::InvalidSignature)?;
            // Rule 3 for R, first half: not one of the canonical small-order encodings.
            if SMALL_ORDER_POINTS.contains(r_bytes) {
                return Err(Error::InvalidSignature);
            }
            // k = SHA-512(R ‖ A ‖ M) mod L, Q = S·B − k·A.
            let mut hash = Sha512::new();
            hash.update(r_bytes);
            hash.update(self.bytes);
            hash.update(message);
            let mut wide = [0u8; 64];
            wide.copy_from_slice(&hash.finalize());
            let k = Scalar::from_bytes_mod_order_wide(&wide);
            let q = EdwardsPoint::vartime_double_scalar_mul_basepoint(&k, &-key.to_edwards(), &s);
            // Every signature made by RFC 8032 signing: Q = R, so R's encoding is Q's
            // (canonical, as every compression is; not of small order, checked above) and
            // [8](Q − R) = 0. The same comparison as ed25519-dalek's `verify`.
            if q.compress().as_bytes() == r_bytes {
                return Ok(());
            }
            // Otherwise the rest of rule 3 for R (canonical, a point, not of small order)
            // and rule 4 itself: Q − R of small order.
            let r = decode_point(r_bytes).ok_or(Error::InvalidSignature)?;
            if (q - r).is_small_order() {
                Ok(())
            } else {
                Err(Error::InvalidSignature)
            }
        }
    }

    /// A private key (its seed) with its public key (the signing key, boxed, keeps its own
    /// copy of the public point).
    #[derive(Clone)]
    pub(crate) struct KeyPair {
        sk: Box<SigningKey>,
        pk: PublicKey,
    }

    impl KeyPair {
        pub(crate) fn from_seed(seed: &[u8]) -> Result<Self> {
            let seed = check_seed(seed)?;
            let sk = Box::new(SigningKey::from_bytes(&seed));
            let pk = PublicKey::from_slice(sk.verifying_key().as_bytes())?;
            Ok(KeyPair { sk, pk })
        }

        pub(crate) fn public(&self) -> &PublicKey {
            &self.pk
        }

        /// The RFC 8032 private key (the seed).
        pub(crate) fn seed(&self) -> &[u8] {
            self.sk.as_bytes()
        }

        pub(crate) fn sign(&self, message: &[u8]) -> Vec<u8> {
            // RFC 8032 deterministic signatures, the same bytes as `compact`.
            self.sk.sign(message).to_bytes().to_vec()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    const RFC8032: &str = include_str!("../../tests/vectors/ed25519/rfc8032.json");
    const SPECCHECK: &str = include_str!("../../tests/vectors/ed25519/speccheck-cases.json");

    /// What `ed25519-compact`'s `PublicKey::verify` (the verifier before there were two
    /// backends) says of the twelve "Taming the many EdDSAs" cases, and so what both
    /// backends must say: only 3 (mixed-order A and R), 4 (the same, passing only the
    /// cofactored equation) and 5 (passing the cofactored equation without pre-reducing
    /// 8·k) verify; small-order A or R (0–2), S ≥ L (6, 7) and non-canonical R (8, 9) or
    /// A (10, 11) do not.
    const SPECCHECK_VERDICTS: [bool; 12] = [
        false, false, false, true, true, true, false, false, false, false, false, false,
    ];

    fn unhex(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    fn field(v: &Value, name: &str) -> Vec<u8> {
        unhex(v[name].as_str().unwrap())
    }

    /// A public key and a signature, from a seed and a message.
    type SignFn = fn(&[u8], &[u8]) -> Option<([u8; 32], Vec<u8>)>;

    /// A backend as the rest of the crate uses it.
    struct Backend {
        name: &'static str,
        verify: fn(&[u8], &[u8], &[u8]) -> bool,
        valid: fn(&[u8]) -> bool,
        sign: SignFn,
    }

    macro_rules! backend {
        ($m:ident) => {
            Backend {
                name: stringify!($m),
                verify: |pk, msg, sig| {
                    $m::PublicKey::from_slice(pk)
                        .unwrap()
                        .verify(msg, sig)
                        .is_ok()
                },
                valid: |pk| $m::PublicKey::from_slice(pk).unwrap().is_valid(),
                sign: |seed, msg| {
                    $m::KeyPair::from_seed(seed)
                        .ok()
                        .map(|kp| (*kp.public().as_bytes(), kp.sign(msg)))
                },
            }
        };
    }

    fn backends() -> Vec<Backend> {
        #[allow(unused_mut)]
        let mut all = alloc::vec![backend!(compact)];
        #[cfg(feature = "ed25519-dalek")]
        all.push(backend!(dalek));
        all
    }

    /// `ed25519-compact` called directly: the verdict as it was before the backends.
    fn reference(pk: &[u8], msg: &[u8], sig: &[u8]) -> bool {
        let (Ok(pk), Ok(sig)) = (
            ed25519_compact::PublicKey::from_slice(pk),
            ed25519_compact::Signature::from_slice(sig),
        ) else {
            return false;
        };
        pk.verify(msg, &sig).is_ok()
    }

    #[test]
    fn the_eight_small_order_points() {
        for (i, p) in SMALL_ORDER_POINTS.iter().enumerate() {
            assert_eq!(
                ed25519_compact::PublicKey::new(*p).validate(),
                Err(ed25519_compact::Error::WeakPublicKey),
                "#{i}"
            );
            assert!(!SMALL_ORDER_POINTS[..i].contains(p), "#{i} is repeated");
        }
    }

    /// The same eight as curve25519-dalek's torsion subgroup, in some order.
    #[cfg(feature = "ed25519-dalek")]
    #[test]
    fn the_eight_small_order_points_are_the_torsion_subgroup() {
        for t in curve25519_dalek::constants::EIGHT_TORSION {
            assert!(SMALL_ORDER_POINTS.contains(t.compress().as_bytes()));
        }
    }

    #[test]
    fn rfc8032_vectors() {
        let doc: Value = serde_json::from_str(RFC8032).unwrap();
        let vectors = doc["vectors"].as_array().unwrap();
        assert_eq!(vectors.len(), 5);
        for v in vectors {
            let name = v["name"].as_str().unwrap();
            let (seed, pk, msg, sig) = (
                field(v, "secret_key"),
                field(v, "public_key"),
                field(v, "message"),
                field(v, "signature"),
            );
            assert!(reference(&pk, &msg, &sig), "{name}");
            for b in backends() {
                let (public, signature) = (b.sign)(&seed, &msg).unwrap();
                assert_eq!(public[..], pk[..], "{name}: {} public key", b.name);
                assert_eq!(signature, sig, "{name}: {} signature", b.name);
                assert!((b.valid)(&pk), "{name}: {}", b.name);
                assert!((b.verify)(&pk, &msg, &sig), "{name}: {} verify", b.name);
                // One flipped bit anywhere (a sample of positions) fails.
                for bit in (0..512).step_by(37) {
                    let mut bad = sig.clone();
                    bad[bit / 8] ^= 1 << (bit % 8);
                    assert!(!(b.verify)(&pk, &msg, &bad), "{name}: {} bit {bit}", b.name);
                }
                let mut other = msg.clone();
                match other.first_mut() {
                    Some(x) => *x ^= 1,
                    None => other.push(0),
                }
                assert!(!(b.verify)(&pk, &other, &sig), "{name}: {}", b.name);
                assert!(!(b.verify)(&pk, &msg, &sig[..63]), "{name}: {}", b.name);
            }
        }
    }

    #[test]
    fn taming_the_many_eddsas() {
        let cases: Vec<Value> = serde_json::from_str(SPECCHECK).unwrap();
        assert_eq!(cases.len(), 12);
        for (i, c) in cases.iter().enumerate() {
            let (pk, msg, sig) = (
                field(c, "pub_key"),
                field(c, "message"),
                field(c, "signature"),
            );
            let want = SPECCHECK_VERDICTS[i];
            assert_eq!(
                reference(&pk, &msg, &sig),
                want,
                "case {i}: ed25519-compact"
            );
            for b in backends() {
                assert_eq!((b.verify)(&pk, &msg, &sig), want, "case {i}: {}", b.name);
            }
        }
    }

    /// Why the `dalek` backend does not call `ed25519-dalek`'s verifiers: on the same twelve
    /// cases `verify` accepts small-order A and R (0–2) and a non-canonical small-order A
    /// (11), and both it and `verify_strict` refuse 4 and 5 (cofactorless).
    #[cfg(feature = "ed25519-dalek")]
    #[test]
    fn ed25519_dalek_verifiers_differ_on_the_same_cases() {
        use ed25519_dalek::{Signature, Verifier, VerifyingKey};
        let cases: Vec<Value> = serde_json::from_str(SPECCHECK).unwrap();
        let (mut plain, mut strict) = (Vec::new(), Vec::new());
        for c in &cases {
            let (pk, msg, sig) = (
                field(c, "pub_key"),
                field(c, "message"),
                field(c, "signature"),
            );
            let key = VerifyingKey::from_bytes(pk[..].try_into().unwrap());
            let sig = Signature::from_slice(&sig).unwrap();
            plain.push(key.as_ref().is_ok_and(|k| k.verify(&msg, &sig).is_ok()));
            strict.push(
                key.as_ref()
                    .is_ok_and(|k| k.verify_strict(&msg, &sig).is_ok()),
            );
        }
        let (v, x) = (true, false);
        assert_eq!(plain, [v, v, v, v, x, x, x, x, x, x, x, v]);
        assert_eq!(strict, [x, x, x, v, x, x, x, x, x, x, x, x]);
    }

    /// The 38 encodings with y ≥ p (y + p for y < 19, either sign bit) and the two of x = 0
    /// with the sign bit are not keys in either backend, as in `ed25519-compact`.
    #[test]
    fn non_canonical_encodings_are_not_valid_keys() {
        let mut encodings = Vec::new();
        for y in 0..19u8 {
            for sign in [0, 0x80] {
                let mut e = [0xff; 32];
                e[0] = 0xed + y;
                e[31] = 0x7f | sign;
                encodings.push(e);
            }
        }
        let mut one = [0u8; 32];
        one[0] = 1;
        let mut minus_one = [0xff; 32];
        minus_one[0] = 0xec;
        for mut e in [one, minus_one] {
            e[31] |= 0x80;
            encodings.push(e);
        }
        for e in encodings {
            assert!(
                ed25519_compact::PublicKey::new(e).validate().is_err(),
                "{e:x?}"
            );
            for b in backends() {
                assert!(!(b.valid)(&e), "{}: {e:x?}", b.name);
            }
        }
    }

    #[test]
    fn the_all_zero_seed_is_refused() {
        for b in backends() {
            assert!((b.sign)(&[0; 32], b"").is_none(), "{}", b.name);
            assert!((b.sign)(&[1; 31], b"").is_none(), "{}", b.name);
        }
    }

    /// Signatures made with curve25519-dalek's arithmetic for the cases random bytes never
    /// reach: a key or an `R` with a torsion part (mixed order), which pass the cofactored
    /// equation and often fail the cofactorless one, then tampered with in one of the ways
    /// verifiers differ on.
    #[cfg(feature = "ed25519-dalek")]
    mod agreement {
        use super::*;
        use curve25519_dalek::constants::EIGHT_TORSION;
        use curve25519_dalek::edwards::EdwardsPoint;
        use curve25519_dalek::scalar::Scalar;
        use proptest::prelude::*;
        use sha2::{Digest, Sha512};

        /// L, little-endian.
        const L: [u8; 32] = [
            0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9,
            0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
        ];

        fn wide(parts: &[&[u8]]) -> Scalar {
            let mut h = Sha512::new();
            for p in parts {
                h.update(p);
            }
            let mut w = [0u8; 64];
            w.copy_from_slice(&h.finalize());
            Scalar::from_bytes_mod_order_wide(&w)
        }

        /// (A, R ‖ S): the RFC 8032 key of `seed` plus the torsion point `ta`, and a
        /// signature over `msg` with the nonce `r·B` plus the torsion point `tr`
        /// (index 0 is the identity: an ordinary signature).
        pub(super) fn forge(
            seed: &[u8; 32],
            nonce: &[u8; 32],
            msg: &[u8],
            ta: usize,
            tr: usize,
        ) -> ([u8; 32], [u8; 64]) {
            let h = Sha512::digest(seed);
            let mut a = [0u8; 32];
            a.copy_from_slice(&h[..32]);
            a[0] &= 248;
            a[31] &= 127;
            a[31] |= 64;
            let a = Scalar::from_bytes_mod_order(a);
            let big_a = (EdwardsPoint::mul_base(&a) + EIGHT_TORSION[ta]).compress();
            let r = wide(&[nonce, msg]);
            let big_r = (EdwardsPoint::mul_base(&r) + EIGHT_TORSION[tr]).compress();
            let k = wide(&[big_r.as_bytes(), big_a.as_bytes(), msg]);
            let s = r + k * a;
            let mut sig = [0u8; 64];
            sig[..32].copy_from_slice(big_r.as_bytes());
            sig[32..].copy_from_slice(s.as_bytes());
            (big_a.to_bytes(), sig)
        }

        /// p + y for y < 19 (a non-canonical `y`), with the sign bit.
        fn non_canonical(y: u8, sign: bool) -> [u8; 32] {
            let mut e = [0xff; 32];
            e[0] = 0xed + y;
            e[31] = 0x7f | (u8::from(sign) << 7);
            e
        }

        fn add_l(s: &mut [u8]) {
            let mut carry = 0u16;
            for (x, l) in s.iter_mut().zip(L) {
                let v = u16::from(*x) + u16::from(l) + carry;
                *x = v as u8;
                carry = v >> 8;
            }
        }

        fn tamper(
            how: u8,
            arg: u64,
            pk: &mut [u8; 32],
            sig: &mut Vec<u8>,
            msg: &mut Vec<u8>,
            noise: &[u8; 32],
        ) {
            let bit = (arg % 256) as usize;
            let flip = |b: &mut [u8]| b[bit / 8] ^= 1 << (bit % 8);
            let small = EIGHT_TORSION[(arg % 8) as usize].compress().to_bytes();
            let odd = non_canonical((arg % 19) as u8, arg & 0x100 != 0);
            // x = 0 with the sign bit: (0, 1) and (0, -1) written the wrong way.
            let mut x0 = if arg & 1 == 0 {
                EIGHT_TORSION[0].compress().to_bytes()
            } else {
                EIGHT_TORSION[4].compress().to_bytes()
            };
            x0[31] |= 0x80;
            match how {
                0 => {}
                1 => flip(pk),
                2 => flip(&mut sig[..32]),
                3 => flip(&mut sig[32..]),
                4 => match msg.first_mut() {
                    Some(x) => *x ^= 1 << (arg % 8),
                    None => msg.push(arg as u8),
                },
                5 => add_l(&mut sig[32..]),
                6 => sig[63] |= 0xe0,
                7 => sig[..32].copy_from_slice(&small),
                8 => *pk = small,
                9 => sig[..32].copy_from_slice(&odd),
                10 => *pk = odd,
                11 => sig[..32].copy_from_slice(&x0),
                12 => *pk = x0,
                13 => sig[..32].copy_from_slice(noise),
                14 => *pk = *noise,
                15 => sig[32..].copy_from_slice(noise),
                16 => sig.truncate((arg % 64) as usize),
                _ => sig.push(arg as u8),
            }
        }

        /// Every key and `R` torsion part, untampered: all verify (cofactored), whichever
        /// backend, and ed25519-dalek's own `verify` refuses some of them.
        #[test]
        fn mixed_order_keys_and_nonces() {
            let mut dalek_refused = 0;
            for ta in 0..8 {
                for tr in 0..8 {
                    let (pk, sig) = forge(&[7; 32], &[ta as u8; 32], b"msg", ta, tr);
                    assert!(reference(&pk, b"msg", &sig), "{ta} {tr}");
                    for b in backends() {
                        assert!((b.verify)(&pk, b"msg", &sig), "{ta} {tr} {}", b.name);
                    }
                    use ed25519_dalek::Verifier;
                    let key = ed25519_dalek::VerifyingKey::from_bytes(&pk).unwrap();
                    let sig = ed25519_dalek::Signature::from_bytes(&sig);
                    dalek_refused += usize::from(key.verify(b"msg", &sig).is_err());
                }
            }
            assert!(dalek_refused > 32, "{dalek_refused}");
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(400))]

            /// The same verdict from `compact`, `dalek` and `ed25519-compact` itself, and
            /// the same key validity, on mutated (key, message, signature) triples.
            #[test]
            fn both_backends_agree(
                seed in any::<[u8; 32]>(),
                nonce in any::<[u8; 32]>(),
                noise in any::<[u8; 32]>(),
                mut msg in proptest::collection::vec(any::<u8>(), 0..40),
                ta in 0usize..8,
                tr in 0usize..8,
                how in 0u8..18,
                arg in any::<u64>(),
            ) {
                let (mut pk, sig) = forge(&seed, &nonce, &msg, ta, tr);
                let mut sig = sig.to_vec();
                tamper(how, arg, &mut pk, &mut sig, &mut msg, &noise);
                let want = reference(&pk, &msg, &sig);
                let want_valid = ed25519_compact::PublicKey::new(pk).validate().is_ok();
                for b in backends() {
                    prop_assert_eq!((b.verify)(&pk, &msg, &sig), want, "{}", b.name);
                    prop_assert_eq!((b.valid)(&pk), want_valid, "{}", b.name);
                }
            }

            /// Both backends derive the same public key and sign the same bytes.
            #[test]
            fn both_backends_sign_alike(seed in any::<[u8; 32]>(), msg in proptest::collection::vec(any::<u8>(), 0..64)) {
                let c = compact::KeyPair::from_seed(&seed).map(|k| (*k.public().as_bytes(), k.sign(&msg), k.seed().to_vec()));
                let d = dalek::KeyPair::from_seed(&seed).map(|k| (*k.public().as_bytes(), k.sign(&msg), k.seed().to_vec()));
                prop_assert_eq!(c.ok(), d.ok());
            }
        }
    }
}
