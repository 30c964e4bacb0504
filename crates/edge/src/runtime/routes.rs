//! Which handler answers a request.
//!
//! `POST /verify` and the directory path belong to the Worker in every mode (documented as
//! reserved paths). In `api` mode everything else is the static site (the playground and `public/`); in the
//! gateway modes everything else is verified and forwarded.

use super::clock::now_seconds;
use super::incoming;
use super::{agent_directories, directory, env_config, gateway, responses, verify_async};
use crate::api_request::{MAX_VERIFY_BODY_BYTES, parse_verify_request};
use crate::config::{Config, Mode};
use crate::problem::Problem;
use crate::verification::directory_plan;
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
    if path == VERIFY_PATH {
        return verify(req, env, ctx, config).await;
    }
    if path == DIRECTORY_PATH {
        return directory(req, config);
    }
    match config.mode {
        Mode::Api => incoming::fetch_binding(env.assets("ASSETS")?, req).await,
        Mode::Annotate | Mode::Enforce => gateway::handle(req, env, ctx, config).await,
    }
}

/// `POST /verify`: JSON in, verdict out (200 whatever the verdict; 4xx for bad input).
/// Without `jwks`, Web Bot Auth agents' directories are resolved as the gateway does.
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
    let declared = incoming::header(req, "content-length").and_then(|n| n.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_VERIFY_BODY_BYTES) {
        return responses::problem(&Problem::new(
            413,
            "request_too_large",
            alloc::format!("the request body is larger than {MAX_VERIFY_BODY_BYTES} bytes"),
        ));
    }
    let body = incoming::bytes(req).await?;
    match parse_verify_request(&body, config) {
        Ok(call) => {
            let clock = now_seconds();
            let parsed = httpseal::parse_signatures(&call.message);
            // With the caller's own keys, nothing is fetched.
            let plan = match call.jwks {
                Some(_) => alloc::vec::Vec::new(),
                None => directory_plan(
                    call.profile,
                    &call.policy,
                    &call.message,
                    parsed.as_deref().unwrap_or_default(),
                    config.allow_insecure_directories,
                ),
            };
            let directories = agent_directories::for_plan(
                env,
                ctx,
                &plan,
                config.allow_insecure_directories,
                clock,
            )
            .await;
            let mut verdict = verify_async::verify(
                call.profile,
                &call.policy,
                &call.message,
                parsed,
                &call.keys(config, &directories),
                call.now.unwrap_or(clock),
                config.ed25519_check,
            )
            .await;
            directories.explain(&mut verdict);
            responses::json(&verdict)
        }
        Err(problem) => responses::problem(&problem),
    }
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
