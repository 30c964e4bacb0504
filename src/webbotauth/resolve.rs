//! From a signed request to keys: the *plan* (which documents a host must fetch) and the
//! key source that looks keys up by (agent URL, keyid) once they are fetched.

use super::agent::{AgentLocation, AgentType, covered_member};
use crate::error::{Error, Result};
use crate::input::{LabelledSignature, parse_signatures};
use crate::jwk::JwkSet;
use crate::message::Message;
use crate::verify::{KeySource, NonceCheck, Policy, ResolvedKey, Verdict, verify_message};
use alloc::borrow::Cow;
use alloc::collections::BTreeMap;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// How agent URLs may be resolved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AgentOptions {
    /// Accept `http://` agent URLs (development only: local directory servers).
    pub allow_http: bool,
}

/// What one signature needs before it can be verified.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlannedSignature {
    /// The signature's label.
    pub label: String,
    /// Its `keyid`.
    pub keyid: Option<String>,
    /// Where its keys are published (`None`: the request names no agent).
    pub location: Option<AgentLocation>,
    /// Why the agent cannot be resolved, when it cannot.
    pub problem: Option<crate::verify::ErrorInfo>,
}

/// The documents to fetch for `msg` under `policy`: one entry per applicable signature.
/// The host fetches each distinct [`AgentLocation::fetch_url`] it does not hold fresh,
/// then verifies with [`AgentKeys`].
pub fn plan(
    policy: &Policy,
    msg: &dyn Message,
    options: AgentOptions,
) -> Result<Vec<PlannedSignature>> {
    Ok(plan_signatures(
        policy,
        msg,
        &parse_signatures(msg)?,
        options,
    ))
}

/// [`plan`] for signatures the host has already parsed (with [`parse_signatures`]), so
/// that a host which then verifies ([`crate::verify::prepare_signatures`]) parses once.
pub fn plan_signatures(
    policy: &Policy,
    msg: &dyn Message,
    sigs: &[LabelledSignature],
    options: AgentOptions,
) -> Vec<PlannedSignature> {
    sigs.iter()
        .filter(|s| policy.applies_to(s))
        .map(|sig| {
            let (location, problem) = match locate(msg, sig, options) {
                Ok(l) => (l, None),
                Err(e) => (None, Some((&e).into())),
            };
            PlannedSignature {
                label: sig.label.clone(),
                keyid: sig.params.keyid().map(Into::into),
                location,
                problem,
            }
        })
        .collect()
}

/// The distinct locations of a plan, in order.
pub fn fetches(plan: &[PlannedSignature]) -> Vec<&AgentLocation> {
    let mut out: Vec<&AgentLocation> = Vec::new();
    for loc in plan.iter().filter_map(|p| p.location.as_ref()) {
        if !out.iter().any(|l| l.fetch_url == loc.fetch_url) {
            out.push(loc);
        }
    }
    out
}

fn locate(
    msg: &dyn Message,
    sig: &LabelledSignature,
    options: AgentOptions,
) -> Result<Option<AgentLocation>> {
    match covered_member(msg, &sig.label, sig.params.components())? {
        Some(member) => member.locate(options.allow_http).map(Some),
        None => Ok(None),
    }
}

/// Resolved key documents, by agent identifier ([`AgentLocation::identifier`]).
pub trait DirectoryStore {
    /// The keys published by the agent `identifier`, if the host holds them.
    fn keys(&self, identifier: &str) -> Option<&JwkSet>;
}

impl DirectoryStore for BTreeMap<String, JwkSet> {
    fn keys(&self, identifier: &str) -> Option<&JwkSet> {
        self.get(identifier)
    }
}

/// Keys for Web Bot Auth signatures: from the directory of the agent the signature
/// covers, looked up by (agent identifier, keyid) — never by keyid alone, so one agent's
/// directory can never vouch for a request that names another. Keys the verifier holds
/// by other means (`known`) verify too, but then no agent URL is attributed.
pub struct AgentKeys<'a> {
    /// Fetched directories.
    pub directories: &'a dyn DirectoryStore,
    /// Keys known out of band (a `/verify` caller's `jwks`, pinned keys).
    pub known: Option<&'a JwkSet>,
    /// Resolution options.
    pub options: AgentOptions,
}

impl KeySource for AgentKeys<'_> {
    fn key_for(&self, sig: &LabelledSignature, msg: &dyn Message) -> Result<ResolvedKey<'_>> {
        let keyid = sig.params.keyid();
        let from_known = || -> Result<ResolvedKey<'_>> {
            let known = self
                .known
                .ok_or_else(|| Error::UnknownKey(keyid.unwrap_or_default().into()))?;
            Ok(ResolvedKey {
                key: Cow::Borrowed(known.find(keyid)?),
                agent: None,
            })
        };
        let Some(location) = locate(msg, sig, self.options)? else {
            return from_known();
        };
        match self.directories.keys(&location.identifier) {
            Some(set) => match set.find(keyid) {
                Ok(key) => Ok(ResolvedKey {
                    key: Cow::Borrowed(key),
                    agent: Some(location.identifier),
                }),
                Err(e) => from_known().map_err(|_| e),
            },
            None => from_known().map_err(|_| Error::DirectoryUnavailable(location.fetch_url)),
        }
    }
}

/// Verifies a Web Bot Auth request with the directories fetched so far.
pub fn verify_request(
    policy: &Policy,
    msg: &dyn Message,
    directories: &dyn DirectoryStore,
    known: Option<&JwkSet>,
    options: AgentOptions,
    now: u64,
    nonces: Option<&dyn NonceCheck>,
) -> Verdict {
    let keys = AgentKeys {
        directories,
        known,
        options,
    };
    verify_message(policy, msg, &keys, now, nonces)
}

/// How a fetched document is turned into keys, by location kind. A Client ID Metadata
/// Document carries its keys inline (`jwks`) or points at them (`jwks_uri`, which the host
/// then fetches as a [`AgentType::JwksUri`] location with the same identifier).
pub enum KeyDocument {
    /// The keys.
    Keys(JwkSet),
    /// Fetch this JWK Set URL next.
    FetchJwksUri(String),
}

/// Reads a fetched document (already checked with
/// [`super::check_directory_response`]) for a location.
pub fn read_key_document(
    location: &AgentLocation,
    body: &[u8],
    options: AgentOptions,
    now: u64,
) -> Result<KeyDocument> {
    match location.kind {
        AgentType::Directory | AgentType::JwksUri => {
            super::parse_directory(body, now).map(KeyDocument::Keys)
        }
        AgentType::Cimd => {
            let doc: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
                Error::InvalidDirectory(alloc::format!("client metadata is not JSON: {e}"))
            })?;
            if let Some(jwks) = doc.get("jwks") {
                let text =
                    serde_json::to_vec(jwks).map_err(|e| Error::InvalidDirectory(e.to_string()))?;
                return super::parse_directory(&text, now).map(KeyDocument::Keys);
            }
            match doc.get("jwks_uri").and_then(serde_json::Value::as_str) {
                Some(uri) => {
                    super::check_agent_url(uri, options.allow_http)?;
                    Ok(KeyDocument::FetchJwksUri(uri.into()))
                }
                None => Err(Error::InvalidDirectory(
                    "client metadata has neither jwks nor jwks_uri".into(),
                )),
            }
        }
    }
}
