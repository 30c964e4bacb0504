//! The Worker's fetcher: the only code in the Worker that fetches a URL a client chose. It
//! fetches exactly as the core's rules say ([`FetchRules`]): the URL was checked by the core
//! before the job asked (https, a DNS name, no private names); redirects are not followed
//! (`redirect: "manual"`, a 3xx comes back as [`FetchFailure::Redirect`]); the body is
//! streamed and abandoned past the limit; the whole exchange — headers and body — must finish
//! before the timeout, after which the request is aborted.

use alloc::boxed::Box;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use futures_util::StreamExt;
use futures_util::future::{Either, select};
use httpseal::fetch::{FetchFailure, FetchRules, FetchedResponse};
use worker::{
    AbortController, Delay, Fetch, Headers, Method, Request, RequestInit, RequestRedirect,
};

/// Fetches `url` under `rules`.
pub async fn fetch(url: &str, rules: &FetchRules) -> Result<FetchedResponse, FetchFailure> {
    let controller = AbortController::default();
    let signal = controller.signal();
    let exchange = Box::pin(exchange(url, rules, signal));
    let timer = Box::pin(Delay::from(core::time::Duration::from_millis(
        rules.timeout_ms,
    )));
    match select(exchange, timer).await {
        Either::Left((Ok(fetched), _)) => Ok(fetched),
        Either::Left((Err(e), _)) => {
            // Stop whatever is still downloading (an oversized body, a redirect's body).
            controller.abort();
            Err(e)
        }
        Either::Right(((), _)) => {
            controller.abort();
            Err(FetchFailure::Timeout {
                ms: rules.timeout_ms,
            })
        }
    }
}

async fn exchange(
    url: &str,
    rules: &FetchRules,
    signal: worker::AbortSignal,
) -> Result<FetchedResponse, FetchFailure> {
    let net = |e: worker::Error| FetchFailure::Network(e.to_string());
    let headers = Headers::new();
    headers.set("accept", rules.accept).map_err(net)?;
    let mut init = RequestInit::new();
    init.with_method(Method::Get)
        .with_headers(headers)
        .with_redirect(RequestRedirect::Manual);
    let request = Request::new_with_init(url, &init).map_err(net)?;
    let mut response = Fetch::Request(request)
        .send_with_signal(&signal)
        .await
        .map_err(net)?;
    let status = response.status_code();
    let header_list: Vec<(String, String)> = response.headers().entries().collect();
    if (300..400).contains(&status) {
        return Err(FetchFailure::Redirect {
            status,
            location: response.headers().get("location").ok().flatten(),
        });
    }
    let declared = response
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|n| n.parse::<usize>().ok());
    if declared.is_some_and(|n| n > rules.max_body_bytes) {
        return Err(FetchFailure::TooLarge {
            limit: rules.max_body_bytes,
        });
    }
    let mut body = Vec::new();
    let mut stream = response.stream().map_err(net)?;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(net)?;
        if body.len() + chunk.len() > rules.max_body_bytes {
            // Dropping the stream cancels the rest of the download.
            return Err(FetchFailure::TooLarge {
                limit: rules.max_body_bytes,
            });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(FetchedResponse {
        status,
        headers: header_list,
        body,
    })
}
