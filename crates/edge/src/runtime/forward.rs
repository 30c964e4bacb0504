//! Forwarding a request upstream with the verdict header.

use super::incoming;
use crate::config::{Config, Upstream};
use alloc::format;
use httpseal::Verdict;
use httpseal::verify::header_value;
use worker::worker_sys::web_sys;
use worker::{Env, Response, Result};

/// Sends `req` to the configured upstream: every header except any client copy of the
/// verdict header, plus the Worker's own verdict header. Redirects are passed back to the
/// client, not followed.
pub async fn forward(
    req: &web_sys::Request,
    env: &Env,
    config: &Config,
    verdict: &Verdict,
) -> Result<Response> {
    let url = req.url();
    // One copy of the header list on the JS side, instead of a crossing per field.
    let headers = web_sys::Headers::new_with_headers(&req.headers())?;
    headers.delete(&config.verdict_header)?;
    headers.set(&config.verdict_header, &header_value(verdict))?;
    let target = match &config.upstream {
        Upstream::Origin(origin) => {
            let after_scheme = url.split_once("://").map_or("", |(_, r)| r);
            let (host, path) =
                after_scheme.split_at(after_scheme.find('/').unwrap_or(after_scheme.len()));
            headers.delete("host")?;
            headers.set("x-forwarded-host", host)?;
            format!("{origin}{path}")
        }
        Upstream::PassThrough | Upstream::Assets => url,
    };
    let init = web_sys::RequestInit::new();
    init.set_method(&req.method());
    init.set_headers(&headers);
    init.set_redirect(web_sys::RequestRedirect::Manual);
    if let Some(body) = req.body() {
        init.set_body(&body);
    }
    let upstream = web_sys::Request::new_with_str_and_init(&target, &init)?;
    match config.upstream {
        Upstream::Assets => incoming::fetch_binding(env.assets("ASSETS")?, &upstream).await,
        Upstream::PassThrough | Upstream::Origin(_) => incoming::fetch(&upstream).await,
    }
}
