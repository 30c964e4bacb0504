//! Which handler answers a request.
//!
//! `POST /verify` and the directory path belong to the Worker in every mode (documented as
//! reserved paths). In `api` mode everything else is the static site (`public/`); in the
//! gateway modes everything else is verified and forwarded.

use super::clock::now_seconds;
use super::{env_config, gateway, responses};
use crate::edge::api_request::{MAX_VERIFY_BODY_BYTES, parse_verify_request};
use crate::edge::config::{Config, Mode};
use crate::edge::problem::Problem;
use crate::webbotauth::DIRECTORY_PATH;
use worker::{Env, Headers, Method, Request, Response, Result};

/// The path of the verification API.
pub const VERIFY_PATH: &str = "/verify";

/// Dispatches one request.
pub async fn route(req: Request, env: &Env) -> Result<Response> {
    let loaded = env_config::load(env);
    let config = match loaded.as_ref() {
        Ok(c) => c,
        Err(e) => return responses::problem(&Problem::configuration(e)),
    };
    let path = req.path();
    if path == VERIFY_PATH {
        return verify(req, config).await;
    }
    if path == DIRECTORY_PATH {
        return directory(&req, config);
    }
    match config.mode {
        Mode::Api => env.assets("ASSETS")?.fetch_request(req).await,
        Mode::Annotate | Mode::Enforce => gateway::handle(req, env, config).await,
    }
}

/// `POST /verify`: JSON in, verdict out (200 whatever the verdict; 4xx for bad input).
async fn verify(mut req: Request, config: &Config) -> Result<Response> {
    if req.method() != Method::Post {
        let headers = Headers::new();
        headers.set("allow", "POST")?;
        return responses::with_problem_headers(
            &Problem::new(
                405,
                "method_not_allowed",
                "POST a JSON verify request to /verify (see docs/edge.md)",
            ),
            headers,
        );
    }
    let declared = req
        .headers()
        .get("content-length")?
        .and_then(|n| n.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_VERIFY_BODY_BYTES) {
        return responses::problem(&Problem::new(
            413,
            "request_too_large",
            alloc::format!("the request body is larger than {MAX_VERIFY_BODY_BYTES} bytes"),
        ));
    }
    let body = req.bytes().await?;
    match parse_verify_request(&body, config) {
        Ok(call) => responses::json(&call.verify(config, now_seconds())),
        Err(problem) => responses::problem(&problem),
    }
}

/// `GET /.well-known/http-message-signatures-directory`: the operator's signed directory.
/// Building and signing directories arrives in the core with Web Bot Auth directory
/// support; until then the route says so plainly.
fn directory(req: &Request, config: &Config) -> Result<Response> {
    if !matches!(req.method(), Method::Get | Method::Head) {
        let headers = Headers::new();
        headers.set("allow", "GET, HEAD")?;
        return responses::with_problem_headers(
            &Problem::new(405, "method_not_allowed", "the directory is read with GET"),
            headers,
        );
    }
    let detail = match &config.operator_keys {
        None => {
            "this Worker does not serve a key directory yet: directory signing is not in \
                 this build, and no OPERATOR_PRIVATE_JWKS secret is set"
        }
        Some(_) => {
            "this Worker does not serve its key directory yet: directory signing is not \
                    in this build (the OPERATOR_PRIVATE_JWKS secret is set and valid)"
        }
    };
    responses::problem(&Problem::new(501, "directory_not_implemented", detail))
}
