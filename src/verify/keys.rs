//! Where verification keys come from.

use crate::error::Result;
use crate::input::LabelledSignature;
use crate::jwk::JwkSet;
use crate::key::Key;
use crate::message::Message;
use alloc::borrow::Cow;
use alloc::string::String;

/// Where keys come from. A JWK Set is the simplest source; Web Bot Auth resolves keys per
/// signature agent.
pub trait KeySource {
    /// The key for one signature. `Err(UnknownKey)` leaves the message unverified.
    fn key_for(&self, sig: &LabelledSignature, msg: &dyn Message) -> Result<ResolvedKey<'_>>;
}

/// A key found for a signature, and where it came from.
#[derive(Debug, Clone)]
pub struct ResolvedKey<'a> {
    /// The key (borrowed from a key set, or owned when it came with the request).
    pub key: Cow<'a, Key>,
    /// The signature agent URL the key was published at, when known.
    pub agent: Option<String>,
}

impl KeySource for JwkSet {
    fn key_for(&self, sig: &LabelledSignature, _msg: &dyn Message) -> Result<ResolvedKey<'_>> {
        Ok(ResolvedKey {
            key: Cow::Borrowed(self.find(sig.params.keyid())?),
            agent: None,
        })
    }
}

impl KeySource for Key {
    fn key_for(&self, _sig: &LabelledSignature, _msg: &dyn Message) -> Result<ResolvedKey<'_>> {
        Ok(ResolvedKey {
            key: Cow::Borrowed(self),
            agent: None,
        })
    }
}
