//! The signing job: the core prepares the base (every default: components, lifetime, nonce,
//! tag, keyid, `Signature-Agent`, `Content-Digest`), the host signs it — with WebCrypto or
//! `node:crypto` where the platform has the algorithm, or the core's own primitive — and the
//! core finishes the header fields. The CLI, the npm package and the Worker sign this way.

use crate::alg::Algorithm;
use crate::api::{PreparedRequestSignature, SignOptions, SignOutput, SignRandomness};
use crate::error::Result;
use crate::http::HttpMessage;
use crate::key::Key;

/// One request's signature, between its base and its bytes.
#[derive(Debug, Clone)]
pub struct SignJob {
    msg: HttpMessage,
    prepared: PreparedRequestSignature,
    seed: [u8; 32],
}

/// What the host signs.
#[derive(Debug, Clone, Copy)]
pub struct SignStep<'a> {
    /// The algorithm, bound to the key.
    pub alg: Algorithm,
    /// The signature base.
    pub base: &'a [u8],
}

impl SignJob {
    /// Prepares the signature of `msg` with `key` under `options` at `now`, with the
    /// host's random bytes (the nonce, and a seed for the core's RSA-PSS salt).
    pub fn new(
        mut msg: HttpMessage,
        key: &Key,
        options: &SignOptions,
        now: u64,
        random: &SignRandomness,
    ) -> Result<Self> {
        let prepared = crate::api::prepare_sign_request(&mut msg, key, options, now, random)?;
        Ok(SignJob {
            msg,
            prepared,
            seed: random.seed,
        })
    }

    /// What to sign.
    pub fn step(&self) -> SignStep<'_> {
        SignStep {
            alg: self.prepared.signature.alg,
            base: self.prepared.signature.base.as_bytes(),
        }
    }

    /// Signs with the core's own primitive (for algorithms the host lacks).
    pub fn sign_in_core(&self, key: &Key) -> Result<alloc::vec::Vec<u8>> {
        let step = self.step();
        key.sign(step.alg, step.base, Some(&self.seed))
    }

    /// Attaches the host's signature: the signed message and the header fields added.
    pub fn finish(self, signature: alloc::vec::Vec<u8>) -> Result<(HttpMessage, SignOutput)> {
        let mut msg = self.msg;
        let out = self.prepared.finish(&mut msg, signature)?;
        Ok((msg, out))
    }
}
