//! Which handler answers a request.
//!
//! `POST /verify` and the directory path belong to the Worker in every mode (documented as
//! reserved paths). In `api` mode everything else is the static site (the playground and
//! `public/`); in the gateway modes everything else is verified and forwarded.

use super::clock::now_seconds;
use super::driver::{self, Io};
use super::incoming::{self, BodyRefused};
use super::{dashboard, directory, env_config, gateway, observe, responses};
use crate::api_request::{MAX_VERIFY_BODY_BYTES, parse_verify_request};
use crate::config::Config;
use crate::observe::{Action, DecisionRecord};
use httpseal::api::Verifiable;
use httpseal::gateway::Problem;
use httpseal::job::{DirectoryAccess, VerifyJob, VerifySetup};
use httpseal::webbotauth::DIRECTORY_PATH;
use worker::worker_sys::web_sys;
use worker::{Context, Env, Headers, Response, Result};

/// The path of the verification API.
pub const VERIFY_PATH: &str = "/verify";

/// Dispatches one request.
pub async fn route(req: &web_sys::Request, env: &Env, ctx: &Context) -> Result<Response> {
    let loaded = env_config::load(env);
    let config = match loaded.as_ref() {
        Ok(c) => c,
        Err(e) => return responses::problem(&Problem::configuration(e)),
    };
    let url = req.url();
    let path = incoming::path(&url);
    if path == "/_httpseal" || path.starts_with(dashboard::PREFIX) {
        return dashboard::handle(req, env, config).await;
    }
    if path == VERIFY_PATH {
        return verify(req, env, ctx, config).await;
    }
    if path == DIRECTORY_PATH {
        return directory(req, config);
    }
    match config.mode.gateway() {
        None => incoming::fetch_binding(env.assets("ASSETS")?, req).await,
        Some(_) => gateway::handle(req, env, ctx, config).await,
    }
}

/// `POST /verify`: JSON in, verdict out (200 whatever the verdict; 4xx for bad input).
/// Without `jwks`, Web Bot Auth agents' directories are resolved as the gateway does; with
/// it, nothing is fetched. Nonces are never recorded here (a checking API).
async fn verify(
    req: &web_sys::Request,
    env: &Env,
    ctx: &Context,
    config: &Config,
) -> Result<Response> {
    if req.method() != "POST" {
        let headers = Headers::new();
        headers.set("allow", "POST")?;
        return responses::with_problem_headers(
            &Problem::new(
                405,
                "method_not_allowed",
                "POST a JSON verify request to /verify (see the README, section Edge verifier)",
            ),
            headers,
        );
    }
    let read = incoming::bytes_bounded(
        req,
        MAX_VERIFY_BODY_BYTES,
        driver::budget(),
        config.max_buffered,
    )
    .await?;
    let call = match read {
        Ok((body, _held)) => parse_verify_request(&body, config),
        Err(BodyRefused::TooLarge) => {
            return responses::problem(&Problem::new(
                413,
                "request_too_large",
                alloc::format!("the request body is larger than {MAX_VERIFY_BODY_BYTES} bytes"),
            ));
        }
        Err(BodyRefused::Busy) => {
            return responses::busy(
                "the Worker is buffering as much as it may for requests in flight; retry shortly",
            );
        }
    };
    let call = match call {
        Ok(call) => call,
        Err(problem) => return responses::problem(&problem),
    };
    let clock = now_seconds();
    // Keys the caller supplies are the only ones looked at: nothing is fetched.
    let directories = match &call.jwks {
        Some(_) => DirectoryAccess::None,
        None => httpseal::gateway::directory_access(call.profile, config.jwks_url.is_some()),
    };
    let known = call.jwks.as_ref().unwrap_or(&config.trusted_keys);
    let mut setup = VerifySetup::new(call.policy, call.now.unwrap_or(clock))
        .known_set(known)
        .directories(directories);
    setup.clock = clock;
    if call.jwks.is_none() {
        setup.jwks_url = config.jwks_url.clone();
    }
    setup.allow_insecure = config.allow_insecure_directories;
    let message = match call.message {
        Verifiable::Message(message) => message,
        Verifiable::Judged(verdict) => {
            return answer_verify(env, config, &verdict, clock, Default::default());
        }
    };
    let mut job = VerifyJob::new(message, setup);
    let io = Io {
        env,
        ctx,
        body: None,
        ed25519: config.ed25519_check,
        max_buffered: config.max_buffered,
        clock,
        stats: Default::default(),
    };
    let verdict = driver::drive(&mut job, &io).await;
    answer_verify(env, config, &verdict, clock, io.stats.get())
}

/// The `/verify` answer: the verdict as JSON, and its decision record.
fn answer_verify(
    env: &Env,
    config: &Config,
    verdict: &httpseal::Verdict,
    clock: u64,
    stats: driver::Stats,
) -> Result<Response> {
    let mut record = DecisionRecord::of(verdict, VERIFY_PATH, clock);
    record.action = Action::Api;
    record.status = 200;
    record.directory = stats.directory;
    (record.checks, record.lookups, record.fetches) = (stats.checks, stats.lookups, stats.fetches);
    observe::emit(env, config, record);
    responses::json(verdict)
}

/// `GET /.well-known/http-message-signatures-directory`: the operator's signed directory.
fn directory(req: &web_sys::Request, config: &Config) -> Result<Response> {
    let method = req.method();
    if !matches!(method.as_str(), "GET" | "HEAD") {
        let headers = Headers::new();
        headers.set("allow", "GET, HEAD")?;
        return responses::with_problem_headers(
            &Problem::new(405, "method_not_allowed", "the directory is read with GET"),
            headers,
        );
    }
    let Some(keys) = &config.operator_keys else {
        return responses::problem(&Problem::new(
            404,
            "no_directory",
            "this Worker publishes no key directory: set the OPERATOR_PRIVATE_JWKS secret to \
             serve one (see the README, section Edge verifier)",
        ));
    };
    let authority = authority_of(&req.url());
    match directory::signed_directory(keys, &authority, now_seconds()) {
        Ok(served) => directory::response(&served, method == "HEAD"),
        Err(e) => responses::problem(&Problem::new(500, e.code(), alloc::format!("{e}"))),
    }
}

/// `host[:port]` of an absolute URL.
fn authority_of(url: &str) -> alloc::string::String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())].into()
}
