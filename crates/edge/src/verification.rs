//! One verification entry point for the gateway and `POST /verify`, so both apply the
//! same key rules: under the `web-bot-auth` profile, keys are looked up by (agent,
//! keyid) through the core's [`httpseal::webbotauth::verify_request`] — a signature that
//! names a `Signature-Agent` verifies against that agent's directory, or against keys the
//! operator or caller supplied; under the other profiles, against the supplied keys.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use httpseal::input::LabelledSignature;
use httpseal::webbotauth::{
    AgentKeys, AgentOptions, DirectoryStore, PlannedSignature, plan_signatures,
};
use httpseal::{
    JwkSet, KeySource, Message, Policy, Profile, ResolvedKey, Result, Verdict, verify_message,
};

/// What a verification may use besides the message.
pub struct Keys<'a> {
    /// Keys supplied out of band (`TRUSTED_JWKS`, a `/verify` caller's `jwks`).
    pub known: &'a JwkSet,
    /// Agent directories resolved for this message ([`directory_plan`]).
    pub directories: &'a dyn DirectoryStore,
    /// The development switch: `http://` agent URLs allowed.
    pub allow_http: bool,
}

/// No directories: verification with supplied keys only.
pub fn no_directories() -> BTreeMap<String, JwkSet> {
    BTreeMap::new()
}

/// The agent directories verifying `msg` (whose parsed signatures are `sigs`) under
/// `profile` needs (the core's [`httpseal::webbotauth::plan_signatures`]): none unless the
/// profile is Web Bot Auth and the message names a `Signature-Agent`, so unsigned and
/// agent-less requests cost no planning.
pub fn directory_plan(
    profile: Profile,
    policy: &Policy,
    msg: &dyn Message,
    sigs: &[LabelledSignature],
    allow_http: bool,
) -> Vec<PlannedSignature> {
    if profile != Profile::WebBotAuth || !httpseal::message::has_field(msg, "signature-agent") {
        return Vec::new();
    }
    plan_signatures(policy, msg, sigs, AgentOptions { allow_http })
}

/// Where a profile's keys come from.
pub enum Source<'a> {
    /// Web Bot Auth: (agent, keyid) from directories, else the known keys (the core's
    /// [`httpseal::webbotauth::verify_request`] uses the same).
    Agents(AgentKeys<'a>),
    /// Other profiles: the known keys, by keyid.
    Known(&'a JwkSet),
}

impl KeySource for Source<'_> {
    fn key_for(&self, sig: &LabelledSignature, msg: &dyn Message) -> Result<ResolvedKey<'_>> {
        match self {
            Source::Agents(a) => a.key_for(sig, msg),
            Source::Known(k) => k.key_for(sig, msg),
        }
    }
}

/// The key source for `profile`.
pub fn key_source<'a>(profile: Profile, keys: &Keys<'a>) -> Source<'a> {
    match profile {
        Profile::WebBotAuth => Source::Agents(AgentKeys {
            directories: keys.directories,
            known: Some(keys.known),
            options: AgentOptions {
                allow_http: keys.allow_http,
            },
        }),
        Profile::Rfc9421 | Profile::Fediverse => Source::Known(keys.known),
    }
}

/// Verifies `msg` under `profile`'s `policy` at `now`, with the core's own signature check.
pub fn verify(
    profile: Profile,
    policy: &Policy,
    msg: &dyn Message,
    keys: &Keys,
    now: u64,
) -> Verdict {
    verify_message(policy, msg, &key_source(profile, keys), now, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use httpseal::HttpMessage;

    const V: &str = "../../tests/vectors/webbotauth/web_bot_auth_architecture_v2.json";

    fn vector_request(v: &serde_json::Value) -> HttpMessage {
        let mut m = HttpMessage::request("GET", v["target_url"].as_str().unwrap()).unwrap();
        m.push_header("Signature-Input", v["signature_input"].as_str().unwrap());
        m.push_header("Signature", v["signature"].as_str().unwrap());
        if let Some(a) = v["signature_agent"].as_str() {
            m.push_header("Signature-Agent", a);
        }
        m
    }

    fn sigs(msg: &HttpMessage) -> Vec<LabelledSignature> {
        httpseal::parse_signatures(msg).unwrap()
    }

    #[test]
    fn directories_are_planned_for_web_bot_auth_agents_only() {
        let mut msg = HttpMessage::request("GET", "https://site.example/").unwrap();
        msg.push_header(
            "Signature-Input",
            "sig1=(\"@authority\" \"signature-agent\");created=1;expires=2;keyid=\"k\";tag=\"web-bot-auth\"",
        );
        msg.push_header("Signature", "sig1=:AAAA:");
        let policy = Profile::WebBotAuth.policy();
        assert!(directory_plan(Profile::WebBotAuth, &policy, &msg, &sigs(&msg), false).is_empty());
        msg.push_header("Signature-Agent", "\"http://127.0.0.1:9\"");
        let planned = directory_plan(Profile::WebBotAuth, &policy, &msg, &sigs(&msg), true);
        assert_eq!(
            planned[0].location.as_ref().unwrap().fetch_url,
            "http://127.0.0.1:9/.well-known/http-message-signatures-directory"
        );
        let refused = directory_plan(Profile::WebBotAuth, &policy, &msg, &sigs(&msg), false);
        assert!(refused[0].location.is_none() && refused[0].problem.is_some());
        let rfc = Profile::Rfc9421.policy();
        assert!(directory_plan(Profile::Rfc9421, &rfc, &msg, &sigs(&msg), true).is_empty());
    }

    #[test]
    fn web_bot_auth_with_supplied_keys_and_no_directories() {
        extern crate std;
        let text =
            std::fs::read_to_string(alloc::format!("{}/{V}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let vectors: serde_json::Value = serde_json::from_str(&text).unwrap();
        let mut policy = Profile::WebBotAuth.policy();
        policy.max_lifetime = None; // the v2 vectors live until 2124
        let dirs = no_directories();
        let verify_with = |known: &JwkSet, v: &serde_json::Value| {
            let keys = Keys {
                known,
                directories: &dirs,
                allow_http: false,
            };
            verify(
                Profile::WebBotAuth,
                &policy,
                &vector_request(v),
                &keys,
                1_735_690_000,
            )
        };
        for v in vectors.as_array().unwrap() {
            let key = httpseal::key_from_jwk(v["key"].as_object().unwrap())
                .unwrap()
                .to_public();
            let verdict = verify_with(&JwkSet::from_keys([key]), v);
            assert!(verdict.is_verified(), "{:?}", verdict.error);
            assert_eq!(verdict.agent, None, "supplied keys attribute no agent");
            let verdict = verify_with(&JwkSet::default(), v);
            let code = verdict.error.unwrap().code;
            let expected = if v["signature_agent"].is_string() {
                "directory_unavailable"
            } else {
                "unknown_key"
            };
            assert_eq!(code, expected);
        }
    }
}
