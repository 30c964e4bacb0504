//! Creating signatures (RFC 9421 §3.1).
//!
//! ```
//! # #[cfg(feature = "ed25519")] {
//! use httpseal::{HttpMessage, Key, Signer};
//! let key = Key::ed25519_private(&[7u8; 32]).unwrap();
//! let mut msg = HttpMessage::request("GET", "https://example.com/a?b=c").unwrap();
//! let signed = Signer::new(&key)
//!     .unwrap()
//!     .components(["@method", "@authority", "@path"]).unwrap()
//!     .created(1_700_000_000).unwrap()
//!     .keyid(&key.thumbprint()).unwrap()
//!     .sign(&msg, None)
//!     .unwrap();
//! signed.apply_to(&mut msg).unwrap();
//! assert!(msg.header("signature-input").unwrap().starts_with("sig1=(\"@method\""));
//! # }
//! ```

use crate::alg::Algorithm;
use crate::base::signature_base;
use crate::component::ComponentId;
use crate::error::{Error, Result};
use crate::http::HttpMessage;
use crate::input::{SignatureParams, check_label, header_members, parse_signatures};
use crate::key::Key;
use crate::message::Message;
use crate::sftypes::SfRegistry;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use sfv::BareItem;

/// Builds one signature: components, parameters, label, then [`Signer::sign`].
#[derive(Debug, Clone)]
pub struct Signer<'k> {
    key: &'k Key,
    alg: Algorithm,
    label: String,
    params: SignatureParams,
    types: SfRegistry,
}

/// The result of signing: the two field members and the base that was signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signed {
    /// The label.
    pub label: String,
    /// The `Signature-Input` member (`label=(...);params`).
    pub signature_input: String,
    /// The `Signature` member (`label=:base64:`).
    pub signature: String,
    /// The signature bytes.
    pub signature_bytes: Vec<u8>,
    /// The signature base that was signed.
    pub base: String,
    /// The algorithm used.
    pub alg: Algorithm,
}

impl<'k> Signer<'k> {
    /// A signer with `key` (which must be private), label `sig1`, no components and no
    /// parameters. The algorithm is the key's; an RSA key must be bound first
    /// ([`Key::with_algorithm`]) or given one with [`Signer::algorithm`].
    pub fn new(key: &'k Key) -> Result<Self> {
        if !key.is_private() {
            return Err(Error::NotAPrivateKey);
        }
        Ok(Signer {
            key,
            alg: key.algorithm().unwrap_or(Algorithm::RsaPssSha512),
            label: "sig1".to_string(),
            params: SignatureParams::new(),
            types: SfRegistry::new(),
        })
    }

    /// Chooses the algorithm; it must fit the key (an RSA key: PSS or v1.5).
    pub fn algorithm(mut self, alg: Algorithm) -> Result<Self> {
        self.alg = self.key.resolve_algorithm(Some(alg.name()))?;
        Ok(self)
    }

    /// Sets the label (a structured-field key: `sig1`, `proxy_sig`, ...).
    pub fn label(mut self, label: &str) -> Result<Self> {
        check_label(label)?;
        self.label = label.to_string();
        Ok(self)
    }

    /// Appends covered components written as inside `Signature-Input`, quotes optional:
    /// `@method`, `content-digest`, `@query-param;name="q"`, `signature-agent;key="sig1"`.
    pub fn components<'a>(mut self, components: impl IntoIterator<Item = &'a str>) -> Result<Self> {
        for c in components {
            self.params.push_component(ComponentId::parse(c)?)?;
        }
        Ok(self)
    }

    /// Appends one covered component.
    pub fn component(mut self, c: ComponentId) -> Result<Self> {
        self.params.push_component(c)?;
        Ok(self)
    }

    /// Sets `created`.
    pub fn created(mut self, t: u64) -> Result<Self> {
        self.params.set_integer("created", t)?;
        Ok(self)
    }

    /// Sets `expires`.
    pub fn expires(mut self, t: u64) -> Result<Self> {
        self.params.set_integer("expires", t)?;
        Ok(self)
    }

    /// Sets `nonce`.
    pub fn nonce(mut self, nonce: &str) -> Result<Self> {
        self.params.set_string("nonce", nonce)?;
        Ok(self)
    }

    /// Sets `keyid`.
    pub fn keyid(mut self, keyid: &str) -> Result<Self> {
        self.params.set_string("keyid", keyid)?;
        Ok(self)
    }

    /// Sets `tag`.
    pub fn tag(mut self, tag: &str) -> Result<Self> {
        self.params.set_string("tag", tag)?;
        Ok(self)
    }

    /// Adds the `alg` parameter naming the algorithm in use.
    pub fn alg_param(mut self) -> Result<Self> {
        self.params.set_string("alg", self.alg.name())?;
        Ok(self)
    }

    /// Adds any other parameter (kept in order, signed like the registered ones).
    pub fn param(mut self, name: &str, value: BareItem) -> Result<Self> {
        self.params.set(name, value)?;
        Ok(self)
    }

    /// The structured-field types used for `sf` components.
    pub fn structured_fields(mut self, types: SfRegistry) -> Self {
        self.types = types;
        self
    }

    /// The signature parameters as they stand.
    pub fn params(&self) -> &SignatureParams {
        &self.params
    }

    /// The signature base this signer would sign over `msg`.
    pub fn base(&self, msg: &dyn Message) -> Result<String> {
        signature_base(msg, &self.params, &self.types)
    }

    /// Signs `msg`. `seed` is 32 random bytes from the host, needed by RSA (PSS salt,
    /// blinding); the other algorithms are deterministic.
    pub fn sign(&self, msg: &dyn Message, seed: Option<&[u8; 32]>) -> Result<Signed> {
        let prepared = self.prepare(msg)?;
        let signature = self
            .key
            .sign(prepared.alg, prepared.base.as_bytes(), seed)?;
        prepared.finish(signature)
    }

    /// Everything but the signing itself: for a host that signs the base with its own
    /// primitive (WebCrypto), then calls [`PreparedSignature::finish`].
    pub fn prepare(&self, msg: &dyn Message) -> Result<PreparedSignature> {
        let alg = self.key.resolve_algorithm(Some(self.alg.name()))?;
        if let Some(named) = self.params.alg()
            && named != alg.name()
        {
            return Err(Error::AlgorithmMismatch {
                key: alg.name(),
                parameter: named.into(),
            });
        }
        Ok(PreparedSignature {
            label: self.label.clone(),
            alg,
            base: self.base(msg)?,
            params: self.params.clone(),
        })
    }
}

/// A signature base ready to be signed, and what is needed to attach the signature.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedSignature {
    /// The label.
    pub label: String,
    /// The algorithm to sign with.
    pub alg: Algorithm,
    /// The signature base to sign.
    pub base: String,
    params: SignatureParams,
}

impl PreparedSignature {
    /// Attaches the signature bytes the host produced over [`Self::base`].
    pub fn finish(self, signature_bytes: alloc::vec::Vec<u8>) -> Result<Signed> {
        let (signature_input, signature) =
            header_members(&self.label, &self.params, &signature_bytes)?;
        Ok(Signed {
            label: self.label,
            signature_input,
            signature,
            signature_bytes,
            base: self.base,
            alg: self.alg,
        })
    }
}

impl Signed {
    /// Adds this signature to `msg`, beside any signatures it already carries. A label
    /// already in use is an error (§4.1: labels are unique within a message).
    pub fn apply_to(&self, msg: &mut HttpMessage) -> Result<()> {
        if parse_signatures(msg)?.iter().any(|s| s.label == self.label) {
            return Err(Error::DuplicateLabel(self.label.clone()));
        }
        msg.push_header("Signature-Input", &self.signature_input);
        msg.push_header("Signature", &self.signature);
        Ok(())
    }
}
