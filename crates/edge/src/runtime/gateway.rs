//! The gateway: verify every request under its route rule, then forward it with a verdict
//! header or answer for the origin, as the core's gateway decisions say (the mode's answer,
//! agent rules, the rate limit), and record the decision.

use super::clock::now_seconds;
use super::driver::{self, Io, Stats};
use super::{forward, message, nonce_store, observe, responses};
use crate::config::{Config, Upstream, is_loopback_url};
use crate::observe::{Action, DecisionRecord};
use httpseal::gateway::{AgentDecision, Decision, Problem, RouteRule, Rules, challenge, decide};
use httpseal::job::{VerifyJob, VerifySetup, unreadable_request};
use httpseal::{Error, Policy, Verdict};
use worker::js_sys::{self, Function, Reflect};
use worker::wasm_bindgen::{JsCast, JsValue};
use worker::wasm_bindgen_futures::JsFuture;
use worker::worker_sys::web_sys;
use worker::{Context, Env, Headers, Response, Result};

/// Handles a request in the gateway modes: the route rule for its path says the mode, the
/// profile and the overrides; agent rules and the rate limiter apply to verified agents.
pub async fn handle(
    req: &web_sys::Request,
    env: &Env,
    ctx: &Context,
    config: &Config,
) -> Result<Response> {
    let url = req.url();
    if config.upstream == Upstream::PassThrough && is_loopback_url(&url) {
        return responses::problem(&Problem::new(
            502,
            "no_upstream",
            "UPSTREAM_ORIGIN is empty (pass the request through to the origin behind the \
             Worker's route), but this request came to a loopback address, where no such \
             origin exists and the request would come back to the Worker: set UPSTREAM_ORIGIN \
             to an origin URL, or to \"assets\" to serve the static site (make dev does)",
        ));
    }
    let route = config.rules.route_for(super::incoming::path(&url));
    let started = worker::Date::now().as_millis();
    let (verdict, stats) = verify(req, env, ctx, config, route).await;
    let mut record = DecisionRecord::of(&verdict, &route.name, started / 1000);
    record.ms = worker::Date::now().as_millis().saturating_sub(started);
    record.directory = stats.directory;
    (record.checks, record.lookups, record.fetches) = (stats.checks, stats.lookups, stats.fetches);
    let response = match config.rules.agent_decision(route, &verdict) {
        AgentDecision::Refuse { problem, rule } => {
            record.action = Action::Deny;
            record.status = problem.status;
            record.code = None;
            record.rule = Some(rule);
            responses::problem(&problem)
        }
        AgentDecision::Pass => match rate_limited(env, config, route, &verdict).await {
            Some(problem) => {
                record.action = Action::RateLimited;
                record.status = problem.status;
                let headers = Headers::new();
                headers.set(
                    "retry-after",
                    &alloc::format!("{}", config.rate_limit_retry_after),
                )?;
                responses::with_problem_headers(&problem, headers)
            }
            None => match decide(route.mode, &verdict) {
                Decision::Forward => forward::forward(req, env, config, &verdict).await,
                Decision::Reject {
                    problem,
                    challenge: with_challenge,
                    retry_after,
                } => {
                    record.action = Action::Reject;
                    record.status = problem.status;
                    let headers = Headers::new();
                    if with_challenge {
                        headers
                            .set("accept-signature", &challenge(&route_policy(config, route)))?;
                    }
                    if let Some(seconds) = retry_after {
                        headers.set("retry-after", &alloc::format!("{seconds}"))?;
                    }
                    responses::with_problem_headers(&problem, headers)
                }
            },
        },
    };
    observe::emit(env, config, record);
    response
}

/// The rate limiter's answer for a verified agent on a route that rate-limits: a 429
/// problem when the agent is over its limit (the `RATE_LIMITER` binding, Workers Rate
/// Limiting). Without the binding, nothing is limited.
async fn rate_limited(
    env: &Env,
    config: &Config,
    route: &RouteRule,
    verdict: &Verdict,
) -> Option<Problem> {
    let key = config.rules.rate_limit_key(route, verdict)?;
    let limiter = observe::binding(env, RATE_LIMITER_BINDING)?;
    let limit: Function = Reflect::get(&limiter, &JsValue::from_str("limit"))
        .ok()?
        .dyn_into()
        .ok()?;
    let options = js_sys::Object::new();
    Reflect::set(
        &options,
        &JsValue::from_str("key"),
        &JsValue::from_str(&key),
    )
    .ok()?;
    let promise: js_sys::Promise = limit.call1(&limiter, &options).ok()?.dyn_into().ok()?;
    let outcome = JsFuture::from(promise).await.ok()?;
    let success = Reflect::get(&outcome, &JsValue::from_str("success"))
        .ok()?
        .as_bool()?;
    (!success).then(|| Rules::rate_limited(route, verdict, config.rate_limit_retry_after))
}

/// The binding of the Workers Rate Limiting API.
pub const RATE_LIMITER_BINDING: &str = "RATE_LIMITER";

/// A route's policy: its profile's rules with the Worker's settings, then its overrides.
pub fn route_policy(config: &Config, route: &RouteRule) -> Policy {
    let mut policy = config.policy_for(route.profile);
    if let Some(overrides) = &route.overrides {
        // Checked when the rules were read.
        let _ = overrides.apply(&mut policy);
    }
    policy
}

/// The verdict on `req` under `route`: the core's verifier job, with the Worker's trusted
/// keys, its agents' directories (under Web Bot Auth), the request's body when a signature
/// needs its digest, and the replay store.
async fn verify(
    req: &web_sys::Request,
    env: &Env,
    ctx: &Context,
    config: &Config,
    route: &RouteRule,
) -> (Verdict, Stats) {
    if !message::carries_signature(req) {
        return (Verdict::from_error(Error::NoSignature), Stats::default());
    }
    let msg = match message::to_message(req) {
        Ok(m) => m,
        Err(e) => return (unreadable_request(e, true), Stats::default()),
    };
    let clock = now_seconds();
    let policy = route_policy(config, route);
    let identifier_policies = config
        .rules
        .identifier_policies(&policy)
        .unwrap_or_default();
    let mut setup = VerifySetup::new(policy, clock)
        .known_set(&config.trusted_keys)
        .directories(httpseal::gateway::directory_access(
            route.profile,
            config.jwks_url.is_some(),
        ));
    setup.identifier_policies = identifier_policies;
    setup.jwks_url = config.jwks_url.clone();
    setup.allow_insecure = config.allow_insecure_directories;
    setup.nonces = nonce_store::Store::bound(env).is_some();
    setup.body_from_host = super::incoming::has_body(req);
    setup.max_body_bytes = config.max_checked_body;
    let mut job = VerifyJob::new(msg, setup);
    let io = Io {
        env,
        ctx,
        body: Some(req),
        ed25519: config.ed25519_check,
        max_buffered: config.max_buffered,
        clock,
        stats: Default::default(),
    };
    let verdict = driver::drive(&mut job, &io).await;
    (verdict, io.stats.get())
}
