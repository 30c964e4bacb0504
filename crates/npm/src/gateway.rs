//! The gateway bindings behind `httpseal/edge` (a JavaScript Worker, Hono, fetch-style
//! servers) and `httpseal/node` (Node's `http`, Express): every decision the Rust Worker
//! makes about a request, made here by the same core functions, so the JS layer only moves
//! bytes between the platform and these answers.
//!
//! - [`Gateway::new`] reads the options once (mode, profile, policy overrides, the operator's
//!   [`Rules`], trusted keys, the verdict header's name); every mistake throws an `Error`
//!   whose `code` is `invalid_configuration` and whose message names the option or rule.
//! - [`Gateway::verify`] starts the verification of one incoming request under the route its
//!   path selects ([`Rules::route_for`]): a [`VerifyTask`] the JS layer drives like
//!   `verifyRequest`'s, plus the two steps only a gateway answers (the body, streamed when a
//!   signature covers `Content-Digest`; the nonce, when there is a replay store).
//! - [`Gateway::answer`] is what to do with the finished task: the verdict JSON, the verdict
//!   header's value ([`header_value`]) and, when the request is not to be forwarded, the
//!   response — status, header fields and `application/problem+json` body — from
//!   [`gateway::decide`], [`gateway::challenge`] and [`Rules::agent_decision`].
//!
//! The Rust Worker (`crates/edge/src/runtime/gateway.rs`) sets its jobs up the same way: the
//! profile's policy with the gateway's skew and lifetime, the trusted keys first, directories
//! under Web Bot Auth (or with a JWK Set URL), the body only from the host.

use super::error::{JsResult, coded_error};
use super::host;
use super::verify::{VerifyTask, unfinished};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec::Vec;
use httpseal::api::PolicyJson;
use httpseal::error::Error;
use httpseal::gateway::{
    self, AgentDecision, Decision, Mode, PROBLEM_MEDIA_TYPE, Problem, RouteRule, Rules,
};
use httpseal::http::HttpMessage;
use httpseal::job::{
    DirectoryAccess, IdentifierPolicy, SIGNATURE_FIELDS, VerifyJob, VerifySetup, unreadable_request,
};
use httpseal::jwk::JwkSet;
use httpseal::verify::{Policy, VERDICT_HEADER, Verdict, header_value};
use httpseal::webbotauth::AgentOptions;
use httpseal::{Profile, job::DEFAULT_MAX_CHECKED_BODY_BYTES};
use serde::Serialize;
use wasm_bindgen::prelude::wasm_bindgen;

/// An incoming request as the platform hands it over. A Worker or a fetch-style server
/// gives `url` (and the `Host` field, which restores an authority the platform normalised);
/// Node gives the request target as received with the `Host` field and the connection's
/// scheme, as an HTTP/1.1 server reconstructs the target URI (RFC 9110 §7.1).
struct Incoming {
    method: String,
    url: Option<String>,
    target: Option<String>,
    host: Option<String>,
    scheme: Option<String>,
}

/// What each route verifies under, worked out once.
struct Plan {
    policy: Policy,
    identifiers: Vec<IdentifierPolicy>,
    directories: DirectoryAccess,
}

/// A gateway's configuration, read and checked once, shared by every request.
#[wasm_bindgen]
pub struct Gateway {
    rules: Rules,
    /// One per route of `rules.routes()`, in order.
    plans: Vec<Plan>,
    /// `mode: "handler"`: nothing is enforced; the answer carries what `enforce` would say.
    handler: bool,
    trusted: Option<Arc<JwkSet>>,
    jwks_url: Option<String>,
    allow_http: bool,
    max_body: usize,
    header: String,
}

fn config(message: impl core::fmt::Display) -> wasm_bindgen::JsValue {
    coded_error("invalid_configuration", &message.to_string())
}

#[wasm_bindgen]
impl Gateway {
    /// Reads the gateway options (the JS layer checked their names and types): `mode`
    /// (`annotate`, `enforce`, `handler`), `profile`, `policy` and `rules` (JSON text),
    /// `verdictHeader`, `trustedJwks` (JSON text), `jwksUrl`, `allowHttp`,
    /// `maxCheckedBodyBytes`. Throws `invalid_configuration` naming what is wrong.
    // One argument per option: a struct crossing as JSON would cost its own deserializer.
    #[allow(clippy::too_many_arguments)]
    #[wasm_bindgen(constructor)]
    pub fn new(
        mode: Option<String>,
        profile: Option<String>,
        policy: Option<String>,
        rules: Option<String>,
        verdict_header: Option<String>,
        trusted_jwks: Option<String>,
        jwks_url: Option<String>,
        allow_http: bool,
        max_checked_body_bytes: Option<f64>,
    ) -> JsResult<Gateway> {
        let (mode, handler) = match mode.as_deref() {
            None | Some("annotate") => (Mode::Annotate, false),
            Some("enforce") => (Mode::Enforce, false),
            Some("handler") => (Mode::Annotate, true),
            Some(other) => {
                return Err(config(format!(
                    "mode: {other:?} is not a mode; use annotate (default), enforce or handler"
                )));
            }
        };
        let profile = match profile.as_deref() {
            None => Profile::WebBotAuth,
            Some(name) => Profile::from_name(name).map_err(|_| {
                config(format!(
                    "profile: {name:?} is not a profile; use web-bot-auth (default), rfc9421, fediverse or visa-tap"
                ))
            })?,
        };
        // The same reader as `verifyRequest`'s policy (no deserializer of its own).
        let overrides: Option<PolicyJson> = match &policy {
            None => None,
            Some(text) => {
                Some(serde_json::from_str(text).map_err(|e| config(format!("policy: {e}")))?)
            }
        };
        let rules = match &rules {
            None => Ok(Rules::single(mode, profile)),
            Some(text) => Rules::parse(text, mode, profile),
        }
        .map_err(|e| config(format!("rules: {e}")))?;
        let mut plans = Vec::new();
        for route in rules.routes() {
            plans.push(plan(
                route,
                overrides.as_ref(),
                allow_http,
                &rules,
                jwks_url.is_some(),
            )?);
        }
        let header = match verdict_header.as_deref() {
            None => VERDICT_HEADER.to_ascii_lowercase(),
            Some(name) => verdict_header_name(name)?,
        };
        let trusted = match &trusted_jwks {
            None => None,
            Some(text) => Some(Arc::new(trusted_keys(text)?)),
        };
        if let Some(url) = &jwks_url {
            httpseal::fetch::check_fetch_url(url, allow_http).map_err(|r| {
                config(format!(
                    "jwksUrl: {url:?} cannot be fetched: {r} ({}); give an https URL of a JWK Set",
                    r.code()
                ))
            })?;
        }
        let max_body = match max_checked_body_bytes {
            None => DEFAULT_MAX_CHECKED_BODY_BYTES,
            Some(n)
                if n >= 0.0 && n.fract() == 0.0 && n <= gateway::MAX_CHECKED_BODY_LIMIT as f64 =>
            {
                n as usize
            }
            Some(n) => {
                return Err(config(format!(
                    "maxCheckedBodyBytes: {n} is not a whole number of bytes between 0 and {}",
                    gateway::MAX_CHECKED_BODY_LIMIT
                )));
            }
        };
        Ok(Gateway {
            rules,
            plans,
            handler,
            trusted,
            jwks_url,
            allow_http,
            max_body,
            header,
        })
    }

    /// The verdict header's name, lower-cased.
    #[wasm_bindgen(js_name = verdictHeader)]
    pub fn verdict_header(&self) -> String {
        self.header.clone()
    }

    /// Starts verifying an incoming request — its method, `url` (Workers, fetch-style
    /// servers) or `target` + `scheme` (Node), the `Host` field, and its field lines as
    /// `[name, value, name, value, …]` — under the route its path selects. `has_body`: the
    /// host can stream a body if a signature's `Content-Digest` needs it; `nonces`: the host
    /// has a replay store; `shared_store`: a directory cache (KV) beside the memory tier. A
    /// request that cannot be read as a message is a verdict (`no_signature` when unsigned,
    /// else `invalid` with the reason), never an exception.
    // Plain arguments: no JSON to write in JS and parse here on every request.
    #[allow(clippy::too_many_arguments)]
    pub fn verify(
        &self,
        method: String,
        url: Option<String>,
        target: Option<String>,
        host: Option<String>,
        scheme: Option<String>,
        headers: Vec<String>,
        has_body: bool,
        nonces: bool,
        shared_store: bool,
    ) -> VerifyTask {
        let req = Incoming {
            method,
            url,
            target,
            host,
            scheme,
        };
        let route = self.route_index(request_path(&req));
        let plan = &self.plans[route];
        let signed = headers.iter().step_by(2).any(|name| {
            SIGNATURE_FIELDS
                .iter()
                .any(|f| name.eq_ignore_ascii_case(f))
        });
        let mut task = if !signed {
            VerifyTask::decided(Verdict::from_error(Error::NoSignature))
        } else {
            match message(&req, headers) {
                Err(e) => VerifyTask::decided(unreadable_request(e, true)),
                Ok(msg) => {
                    let clock = host::now();
                    let mut setup = VerifySetup::new(plan.policy.clone(), clock);
                    if let Some(keys) = &self.trusted {
                        setup = setup.known_set(keys);
                    }
                    setup = setup.directories(plan.directories);
                    setup.jwks_url = self.jwks_url.clone();
                    setup.allow_insecure = self.allow_http;
                    setup.nonces = nonces;
                    setup.body_from_host = has_body;
                    setup.max_body_bytes = self.max_body;
                    setup.identifier_policies = plan.identifiers.clone();
                    let job = VerifyJob::new(msg, setup);
                    VerifyTask::job(job, clock, self.allow_http, shared_store)
                }
            }
        };
        task.route = route;
        task
    }

    /// What to do with a finished task (JSON text): `{"verdict": {…}, "header": "…",
    /// "route": "…", "reject": null | {"status", "headers": [[name, value], …], "body"}}`.
    /// `reject` is the response to send instead of forwarding; under `mode: "handler"` it is
    /// what `enforce` would send, for the handler to use or not.
    pub fn answer(&self, task: &VerifyTask) -> String {
        let fallback;
        let verdict = match task.verdict_ref() {
            Some(v) => v,
            None => {
                fallback = unfinished();
                &fallback
            }
        };
        let route_index = task.route.min(self.plans.len() - 1);
        let route = self
            .rules
            .routes()
            .nth(route_index)
            .unwrap_or_else(|| self.rules.route_for("/"));
        let plan = &self.plans[route_index];
        let mode = if self.handler {
            Mode::Enforce
        } else {
            route.mode
        };
        let reject = match gateway::decide(mode, verdict) {
            Decision::Reject {
                problem,
                challenge,
                retry_after,
            } => Some(Reject::of(
                &problem,
                challenge.then(|| gateway::challenge(&plan.policy)),
                retry_after,
            )),
            Decision::Forward => match self.rules.agent_decision(route, verdict) {
                AgentDecision::Refuse { problem, .. } => Some(Reject::of(&problem, None, None)),
                AgentDecision::Pass => None,
            },
        };
        let rest = serde_json::to_string(&Reply {
            header: header_value(verdict),
            route: &route.name,
            reject,
        })
        .unwrap_or_default();
        // The verdict's own JSON (the contract of `POST /verify`), then the rest.
        format!("{{\"verdict\":{},{}", verdict.to_json(), &rest[1..])
    }

    /// The response for a configuration the JS layer found wrong at request time (a KV
    /// binding named but absent): `500 invalid_configuration` (JSON text `{"status",
    /// "headers", "body"}`), as the Worker answers a bad variable.
    #[wasm_bindgen(js_name = configurationProblem)]
    pub fn configuration_problem(detail: &str) -> String {
        serde_json::to_string(&Reject::of(&Problem::configuration(detail), None, None))
            .unwrap_or_default()
    }

    fn route_index(&self, path: &str) -> usize {
        let chosen = self.rules.route_for(path);
        self.rules
            .routes()
            .position(|r| core::ptr::eq(r, chosen))
            .unwrap_or(self.plans.len() - 1)
    }
}

#[derive(Serialize)]
struct Reply<'a> {
    header: String,
    route: &'a str,
    reject: Option<Reject>,
}

/// A response a gateway sends instead of forwarding.
#[derive(Serialize)]
struct Reject {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: String,
}

impl Reject {
    fn of(problem: &Problem, challenge: Option<String>, retry_after: Option<u64>) -> Self {
        let mut headers = Vec::with_capacity(4);
        headers.push(("content-type", PROBLEM_MEDIA_TYPE.to_string()));
        headers.push(("cache-control", "no-store".to_string()));
        if let Some(c) = challenge {
            headers.push(("accept-signature", c));
        }
        if let Some(s) = retry_after {
            headers.push(("retry-after", s.to_string()));
        }
        Reject {
            status: problem.status,
            headers,
            body: problem.to_json(),
        }
    }
}

/// A route's policy: the profile's, with the gateway's skew and lifetime (the Worker's
/// defaults), the development switch on
/// `Signature-Agent`, then the gateway-wide `policy`, then the route's own overrides. Its
/// directories follow the Worker's rule: Web Bot Auth resolves `Signature-Agent`, any profile
/// resolves a configured JWK Set URL.
fn plan(
    route: &RouteRule,
    overrides: Option<&PolicyJson>,
    allow_http: bool,
    rules: &Rules,
    jwks_url: bool,
) -> JsResult<Plan> {
    // As the Worker's `Config::policy_for` with its defaults.
    let mut policy = gateway::route_policy(
        route.profile,
        gateway::DEFAULT_CLOCK_SKEW_SECONDS,
        gateway::DEFAULT_MAX_LIFETIME_SECONDS,
    );
    if let Some(options) = policy.signature_agent.as_mut() {
        *options = AgentOptions {
            allow_http,
            draft00_members: false,
        };
    }
    if let Some(o) = overrides {
        o.apply(&mut policy)
            .map_err(|e| config(format!("policy (route {:?}): {e}", route.name)))?;
    }
    if let Some(o) = &route.overrides {
        o.apply(&mut policy)
            .map_err(|e| config(format!("rules: {}: policy: {e}", route.name)))?;
    }
    let identifiers = rules
        .identifier_policies(&policy)
        .map_err(|e| config(format!("rules: agents: policy: {e}")))?;
    let directories = gateway::directory_access(route.profile, jwks_url);
    Ok(Plan {
        policy,
        identifiers,
        directories,
    })
}

/// A verdict header name (the core's rule, [`gateway::verdict_header_name`]), lower-cased.
fn verdict_header_name(name: &str) -> JsResult<String> {
    gateway::verdict_header_name(name).map_err(|why| config(format!("verdictHeader: {why}")))
}

/// Trusted keys: every key usable and public (configuration never silently drops a key).
fn trusted_keys(text: &str) -> JsResult<JwkSet> {
    let set =
        JwkSet::parse(text).map_err(|e| config(format!("trustedJwks: not a JWK Set: {e}")))?;
    if let Some((index, why)) = set.skipped().first() {
        return Err(config(format!(
            "trustedJwks: key {index} cannot be used: {why}"
        )));
    }
    if set.is_empty() {
        return Err(config("trustedJwks: the JWK Set has no keys"));
    }
    if set.keys().iter().any(|k| k.key.is_private()) {
        return Err(config(
            "trustedJwks: holds a private key; give the public keys (publicJwk(jwk))",
        ));
    }
    Ok(set)
}

/// The path rules match: the URL's or the request target's, without query or fragment.
fn request_path(req: &Incoming) -> &str {
    let text = req.url.as_deref().or(req.target.as_deref()).unwrap_or("/");
    let rest = match text.split_once("://") {
        Some((_, r)) => r.find('/').map_or("/", |i| &r[i..]),
        None => text,
    };
    &rest[..rest.find(['?', '#']).unwrap_or(rest.len())]
}

/// The core's message for an incoming request, with the target URI as received.
fn message(req: &Incoming, lines: Vec<String>) -> httpseal::Result<HttpMessage> {
    let mut msg = match (&req.url, &req.target) {
        (Some(url), _) => HttpMessage::request_as_received(&req.method, url, req.host.as_deref())?,
        (None, Some(target)) => {
            let host = req
                .host
                .as_deref()
                .ok_or_else(|| Error::MalformedMessage("the request has no Host field".into()))?;
            let scheme = req.scheme.as_deref().unwrap_or("http");
            HttpMessage::request_from_target(&req.method, target, host, scheme)?
        }
        (None, None) => {
            return Err(Error::MalformedMessage(
                "an incoming request needs a url or a target".into(),
            ));
        }
    };
    let mut fields = lines.iter();
    while let (Some(name), Some(value)) = (fields.next(), fields.next()) {
        msg.try_push_header(name, value)?;
    }
    Ok(msg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_for_routes() {
        let req = |url: Option<&str>, target: Option<&str>| Incoming {
            method: "GET".into(),
            url: url.map(String::from),
            target: target.map(String::from),
            host: None,
            scheme: None,
        };
        assert_eq!(
            request_path(&req(Some("https://a.example/x/y?q#f"), None)),
            "/x/y"
        );
        assert_eq!(request_path(&req(Some("https://a.example"), None)), "/");
        assert_eq!(request_path(&req(None, Some("/api/v1?x=1"))), "/api/v1");
        assert_eq!(request_path(&req(None, Some("http://a.example/p"))), "/p");
    }

    #[test]
    fn verdict_header_names() {
        assert_eq!(
            verdict_header_name("X-Agent-Verdict").ok().as_deref(),
            Some("x-agent-verdict")
        );
    }

    #[test]
    fn messages_keep_the_target_as_received() {
        let req = Incoming {
            method: "GET".into(),
            url: None,
            target: Some("/items?x=1".into()),
            host: Some("Shop.Example:443".into()),
            scheme: Some("https".into()),
        };
        let msg = message(&req, Vec::new()).unwrap();
        let json = httpseal::api::MessageJson::from_message(&msg);
        assert_eq!(
            json.url.as_deref(),
            Some("https://Shop.Example:443/items?x=1")
        );
    }
}
