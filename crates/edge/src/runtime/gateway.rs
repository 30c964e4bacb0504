//! The gateway: verify every request, then forward it with a verdict header or, in
//! `enforce` mode, answer for the origin.

use super::clock::now_seconds;
use super::incoming;
use super::{agent_directories, forward, message, nonce_store, responses, verify_async};
use crate::challenge;
use crate::config::{Config, Upstream, is_loopback_url};
use crate::decision::{Decision, decide};
use crate::problem::Problem;
use crate::verification::{Keys, directory_plan};
use alloc::vec::Vec;
use futures_util::StreamExt;
use httpseal::{Error, Verdict};
use worker::worker_sys::web_sys;
use worker::{Context, Env, Headers, Response, Result};

/// Handles a request in `annotate` or `enforce` mode.
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
    let now = now_seconds();
    let mut verdict = verify_request(req, env, ctx, config, now).await?;
    nonce_store::check_and_record(env, config, &mut verdict, now).await;
    match decide(config.mode, &verdict) {
        Decision::Forward => forward::forward(req, env, config, &verdict).await,
        Decision::Reject { problem, challenge } => {
            let headers = Headers::new();
            if challenge {
                headers.set("accept-signature", &challenge::challenge(&config.policy()))?;
            }
            responses::with_problem_headers(&problem, headers)
        }
    }
}

/// The verdict on `req` under the Worker's policy and keys: `TRUSTED_JWKS`, and under Web
/// Bot Auth the directories of the agents the signatures name.
async fn verify_request(
    req: &web_sys::Request,
    env: &Env,
    ctx: &Context,
    config: &Config,
    now: u64,
) -> Result<Verdict> {
    let mut msg = match message::to_message(req) {
        Ok(m) => m,
        Err(e) => return Ok(Verdict::from_error(&e)),
    };
    let headers = req.headers();
    let signed = headers.has("signature-input")? || headers.has("signature")?;
    if signed && incoming::has_body(req) {
        match read_body_copy(req, config.max_checked_body).await? {
            Some(body) => msg.body = Some(body),
            None => {
                return Ok(Verdict::from_error(&Error::LimitExceeded(
                    "the body is larger than the gateway checks (MAX_CHECKED_BODY_BYTES)",
                )));
            }
        }
    }
    let policy = config.policy();
    let parsed = httpseal::parse_signatures(&msg);
    let plan = directory_plan(
        config.profile,
        &policy,
        &msg,
        parsed.as_deref().unwrap_or_default(),
        config.allow_insecure_directories,
    );
    let directories =
        agent_directories::for_plan(env, ctx, &plan, config.allow_insecure_directories, now).await;
    let keys = Keys {
        known: &config.trusted_keys,
        directories: &directories,
        allow_http: config.allow_insecure_directories,
    };
    let mut verdict = verify_async::verify(
        config.profile,
        &policy,
        &msg,
        parsed,
        &keys,
        now,
        config.ed25519_check,
    )
    .await;
    directories.explain(&mut verdict);
    Ok(verdict)
}

/// Reads a copy of the body (the original stays intact for forwarding); `None` when it is
/// larger than `limit` (`MAX_CHECKED_BODY_BYTES`). Unsigned bodies are never read.
async fn read_body_copy(req: &web_sys::Request, limit: usize) -> Result<Option<Vec<u8>>> {
    let declared = incoming::header(req, "content-length").and_then(|n| n.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Ok(None);
    }
    // A tee: the copy is read here, the original is still whole for forwarding.
    let Some(copy) = req.clone()?.body() else {
        return Ok(Some(Vec::new()));
    };
    let mut stream = worker::ByteStream::from(copy);
    let mut body = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        if body.len() + chunk.len() > limit {
            return Ok(None);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Some(body))
}
