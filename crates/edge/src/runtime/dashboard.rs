//! The operator dashboard at `/_httpseal/`: off unless the `DASHBOARD_TOKEN` secret is set,
//! and `404` to anyone without the token (compared in constant time). The token comes as
//! `?token=` once (answered with a cookie and a redirect that drops it from the URL), then
//! as that cookie, or as `Authorization: Bearer`. The page, its script, style and icon are
//! static assets (`public/_httpseal/`), reachable only through this route; the numbers come from
//! `/_httpseal/api/summary`: Analytics Engine through its SQL API when configured, else this
//! isolate's ring (what `make dev` shows). It never shows signatures, nonces or bodies.

use super::{clock, incoming, observe, responses};
use crate::config::Config;
use crate::observe::{analytics_query, analytics_rows, summarize, token_matches};
use alloc::format;
use alloc::string::String;
use httpseal::gateway::Problem;
use worker::worker_sys::web_sys;
use worker::{Env, Fetch, Headers, Method, Request, RequestInit, Response, Result};

/// The dashboard's path prefix (reserved in every mode).
pub const PREFIX: &str = "/_httpseal/";
const COOKIE: &str = "httpseal_dashboard";

/// Answers a request under [`PREFIX`] (or the bare `/_httpseal`).
pub async fn handle(req: &web_sys::Request, env: &Env, config: &Config) -> Result<Response> {
    let not_found = || responses::problem(&Problem::new(404, "not_found", "no such resource"));
    let Some(token) = &config.dashboard_token else {
        return not_found();
    };
    let url = req.url();
    let path = incoming::path(&url);
    if let Some(given) = query_token(&url) {
        if !token_matches(given.as_bytes(), token) {
            return not_found();
        }
        // Trade the token in the URL for a cookie, and drop it from the address bar.
        let headers = Headers::new();
        headers.set("location", PREFIX)?;
        headers.set(
            "set-cookie",
            &format!("{COOKIE}={given}; Path=/_httpseal; HttpOnly; Secure; SameSite=Strict"),
        )?;
        headers.set("cache-control", "no-store")?;
        return Ok(Response::empty()?.with_status(303).with_headers(headers));
    }
    if !presented(req).is_some_and(|t| token_matches(t.as_bytes(), token)) {
        return not_found();
    }
    match path {
        // The directory, not `index.html`: the assets answer that with a redirect to it.
        "/_httpseal" | "/_httpseal/" | "/_httpseal/index.html" => asset(req, env, "").await,
        "/_httpseal/dashboard.js" => asset(req, env, "dashboard.js").await,
        "/_httpseal/dashboard.css" => asset(req, env, "dashboard.css").await,
        // Its own icon, so that browsers do not ask the gateway for /favicon.ico.
        "/_httpseal/favicon.svg" => asset(req, env, "favicon.svg").await,
        "/_httpseal/api/summary" => summary(config).await,
        _ => not_found(),
    }
}

/// The token in `?token=`.
fn query_token(url: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or(query);
    query
        .split('&')
        .find_map(|p| p.strip_prefix("token="))
        .map(Into::into)
}

/// The token the request presents: the cookie, or `Authorization: Bearer`.
fn presented(req: &web_sys::Request) -> Option<String> {
    if let Some(auth) = incoming::header(req, "authorization")
        && let Some(t) = auth.strip_prefix("Bearer ")
    {
        return Some(t.trim().into());
    }
    let cookies = incoming::header(req, "cookie")?;
    cookies
        .split(';')
        .find_map(|c| c.trim().strip_prefix(&format!("{COOKIE}=")).map(Into::into))
}

/// A static asset of the dashboard, from the Worker's assets.
async fn asset(req: &web_sys::Request, env: &Env, name: &str) -> Result<Response> {
    let url = req.url();
    // scheme://authority: the first `/` after the scheme's `//`.
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let origin = &url[..url[after_scheme..]
        .find('/')
        .map_or(url.len(), |i| after_scheme + i)];
    let inner = web_sys::Request::new_with_str(&format!("{origin}/_httpseal/{name}"))?;
    let response = incoming::fetch_binding(env.assets("ASSETS")?, &inner).await?;
    let headers = Headers::new();
    for (k, v) in response.headers().entries() {
        headers.set(&k, &v)?;
    }
    headers.set("cache-control", "no-store")?;
    headers.set("x-frame-options", "DENY")?;
    headers.set(
        "content-security-policy",
        "default-src 'self'; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
    )?;
    Ok(response.with_headers(headers))
}

/// `/_httpseal/api/summary`: the last hour and day.
async fn summary(config: &Config) -> Result<Response> {
    let now = clock::now_seconds();
    let summary = match &config.analytics_sql {
        Some(sql) => {
            let headers = Headers::new();
            headers.set("authorization", &format!("Bearer {}", sql.token))?;
            let mut init = RequestInit::new();
            init.with_method(Method::Post)
                .with_headers(headers)
                .with_body(Some(analytics_query(&sql.dataset).into()));
            let unavailable = |why: String| {
                responses::problem(&Problem::new(
                    502,
                    "analytics_unavailable",
                    format!("the Analytics Engine SQL API could not be read: {why}"),
                ))
            };
            // A network failure is the SQL API's, not the Worker's: 502, not 500.
            let mut answer = match Fetch::Request(Request::new_with_init(&sql.url, &init)?)
                .send()
                .await
            {
                Ok(answer) => answer,
                Err(e) => return unavailable(format!("{e}")),
            };
            let text = match answer.text().await {
                Ok(text) => text,
                Err(e) => return unavailable(format!("{e}")),
            };
            match analytics_rows(&text) {
                Ok(rows) => summarize(&rows, now, "analytics-engine"),
                Err(why) => {
                    return responses::problem(&Problem::new(
                        502,
                        "analytics_unavailable",
                        format!(
                            "the Analytics Engine SQL API answered {}: {why}",
                            answer.status_code()
                        ),
                    ));
                }
            }
        }
        None => summarize(&observe::ring_rows(), now, "isolate"),
    };
    responses::json(&summary)
}
