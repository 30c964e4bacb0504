//! The SSRF-safe directory fetcher: the only code in the Worker that fetches a URL a
//! client chose (a `Signature-Agent` directory).
//!
//! Before the fetch, [`crate::ssrf::check_fetch_url`] decides from the URL alone
//! (https, DNS names only, no loopback or private names). During it: redirects are not
//! followed (`redirect: "manual"`, a 3xx is an error — a redirect could lead anywhere the
//! URL check would refuse), the body is streamed and abandoned past the size limit, and
//! the whole exchange — headers and body — must finish before the timeout, after which
//! the request is aborted.

use crate::ssrf::{Refusal, check_fetch_url};
use alloc::boxed::Box;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;
use futures_util::StreamExt;
use futures_util::future::{Either, select};
use httpseal::webbotauth::DIRECTORY_MEDIA_TYPE;
use worker::{
    AbortController, Delay, Fetch, Headers, Method, Request, RequestInit, RequestRedirect,
};

/// Limits of one fetch.
#[derive(Debug, Clone, Copy)]
pub struct FetchLimits {
    /// Largest body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Time for the whole exchange, in milliseconds.
    pub timeout_ms: u64,
    /// The development switch: admit http and loopback hosts.
    pub allow_insecure: bool,
}

impl Default for FetchLimits {
    /// 64 KiB (the core's directory limit) within 5 seconds, https only.
    fn default() -> Self {
        FetchLimits {
            max_body_bytes: httpseal::limits::MAX_DIRECTORY_BYTES,
            timeout_ms: 5_000,
            allow_insecure: false,
        }
    }
}

/// A fetched document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// The final URL (always the requested one: redirects are refused).
    pub url: String,
    /// The status (2xx).
    pub status: u16,
    /// Response header fields, lower-case names (`cache-control`, `signature`, ...).
    pub headers: Vec<(String, String)>,
    /// The body, at most the limit.
    pub body: Vec<u8>,
}

impl Fetched {
    /// The first value of a header field.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Why a fetch failed. Each has a stable code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// The URL breaks the SSRF rules; nothing was sent.
    Refused(Refusal),
    /// The server answered with a redirect.
    Redirect {
        /// The 3xx status.
        status: u16,
        /// Where it pointed.
        location: Option<String>,
    },
    /// The server answered with a non-2xx status.
    Status(u16),
    /// The body is larger than the limit.
    TooLarge {
        /// The limit, in bytes.
        limit: usize,
    },
    /// The exchange took longer than the timeout.
    Timeout {
        /// The timeout, in milliseconds.
        ms: u64,
    },
    /// The network or the platform failed.
    Network(String),
}

impl FetchError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            FetchError::Refused(r) => r.code(),
            FetchError::Redirect { .. } => "fetch_redirect_refused",
            FetchError::Status(_) => "fetch_status",
            FetchError::TooLarge { .. } => "fetch_too_large",
            FetchError::Timeout { .. } => "fetch_timeout",
            FetchError::Network(_) => "fetch_failed",
        }
    }
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::Refused(r) => r.fmt(f),
            FetchError::Redirect { status, location } => write!(
                f,
                "the server answered {status} (redirect to {}); redirects are not followed",
                location.as_deref().unwrap_or("nowhere")
            ),
            FetchError::Status(s) => write!(f, "the server answered {s}"),
            FetchError::TooLarge { limit } => write!(f, "the body is larger than {limit} bytes"),
            FetchError::Timeout { ms } => write!(f, "no complete answer within {ms} ms"),
            FetchError::Network(why) => write!(f, "fetch failed: {why}"),
        }
    }
}

/// Fetches `url` as a key directory under `limits`.
pub async fn fetch_directory(url: &str, limits: FetchLimits) -> Result<Fetched, FetchError> {
    let target = check_fetch_url(url, limits.allow_insecure).map_err(FetchError::Refused)?;
    let controller = AbortController::default();
    let signal = controller.signal();
    let exchange = Box::pin(exchange(target.url, limits.max_body_bytes, signal));
    let timer = Box::pin(Delay::from(core::time::Duration::from_millis(
        limits.timeout_ms,
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
            Err(FetchError::Timeout {
                ms: limits.timeout_ms,
            })
        }
    }
}

async fn exchange(
    url: String,
    max_body_bytes: usize,
    signal: worker::AbortSignal,
) -> Result<Fetched, FetchError> {
    let net = |e: worker::Error| FetchError::Network(e.to_string());
    let headers = Headers::new();
    headers
        .set(
            "accept",
            &format!(
                "{DIRECTORY_MEDIA_TYPE}, application/jwk-set+json;q=0.9, application/json;q=0.8"
            ),
        )
        .map_err(net)?;
    let mut init = RequestInit::new();
    init.with_method(Method::Get)
        .with_headers(headers)
        .with_redirect(RequestRedirect::Manual);
    let request = Request::new_with_init(&url, &init).map_err(net)?;
    let mut response = Fetch::Request(request)
        .send_with_signal(&signal)
        .await
        .map_err(net)?;
    let status = response.status_code();
    let header_list: Vec<(String, String)> = response.headers().entries().collect();
    if (300..400).contains(&status) {
        return Err(FetchError::Redirect {
            status,
            location: response.headers().get("location").ok().flatten(),
        });
    }
    if !(200..300).contains(&status) {
        return Err(FetchError::Status(status));
    }
    let declared = response
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|n| n.parse::<usize>().ok());
    if declared.is_some_and(|n| n > max_body_bytes) {
        return Err(FetchError::TooLarge {
            limit: max_body_bytes,
        });
    }
    let mut body = Vec::new();
    let mut stream = response.stream().map_err(net)?;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(net)?;
        if body.len() + chunk.len() > max_body_bytes {
            // Dropping the stream cancels the rest of the download.
            return Err(FetchError::TooLarge {
                limit: max_body_bytes,
            });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Fetched {
        url,
        status,
        headers: header_list,
        body,
    })
}
