//! Forwarding a request upstream with the verdict header.

use crate::Verdict;
use crate::edge::config::{Config, Upstream};
use crate::edge::verdict_header::header_value;
use alloc::format;
use worker::{
    Env, Fetch, Headers, Method, Request, RequestInit, RequestRedirect, Response, Result,
};

/// Sends `req` to the configured upstream: every header except any client copy of the
/// verdict header, plus the Worker's own verdict header. Redirects are passed back to the
/// client, not followed.
pub async fn forward(
    req: Request,
    env: &Env,
    config: &Config,
    verdict: &Verdict,
) -> Result<Response> {
    let inner = req.inner();
    let url = inner.url();
    let headers = Headers::new();
    for (name, value) in req.headers().entries() {
        let rewritten_host = matches!(config.upstream, Upstream::Origin(_)) && name == "host";
        if name != config.verdict_header && !rewritten_host {
            headers.append(&name, &value)?;
        }
    }
    headers.set(&config.verdict_header, &header_value(verdict))?;
    let target = match &config.upstream {
        Upstream::Origin(origin) => {
            let after_scheme = url.split_once("://").map_or("", |(_, r)| r);
            let (host, path) =
                after_scheme.split_at(after_scheme.find('/').unwrap_or(after_scheme.len()));
            headers.set("x-forwarded-host", host)?;
            format!("{origin}{path}")
        }
        Upstream::PassThrough | Upstream::Assets => url,
    };
    let mut init = RequestInit::new();
    init.with_method(Method::from(inner.method()))
        .with_headers(headers)
        .with_redirect(RequestRedirect::Manual)
        .with_body(inner.body().map(Into::into));
    let upstream_req = Request::new_with_init(&target, &init)?;
    match config.upstream {
        Upstream::Assets => env.assets("ASSETS")?.fetch_request(upstream_req).await,
        Upstream::PassThrough | Upstream::Origin(_) => Fetch::Request(upstream_req).send().await,
    }
}
