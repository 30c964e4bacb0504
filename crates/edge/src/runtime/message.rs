//! The incoming request as the core's [`HttpMessage`].

use super::incoming;
use httpseal::HttpMessage;
use worker::worker_sys::web_sys;

/// The request's method, URL and header fields. The body is not read: when a signature's
/// `Content-Digest` must be checked, the verifier job asks for its digests, computed as it
/// streams.
///
/// The target is the request as the client sent it, as an HTTP/1.1 server reconstructs it
/// (RFC 9110 §7.1): `request.url`, except that the authority is the `Host` field's when that
/// names the same host — `request.url` is normalised by the platform (WHATWG drops a default
/// port that a signer may have kept, and signed, in `@target-uri`).
pub fn to_message(req: &web_sys::Request) -> httpseal::Result<HttpMessage> {
    let host = incoming::header(req, "host");
    let mut msg = HttpMessage::request_as_received(&req.method(), &req.url(), host.as_deref())?;
    for (name, value) in incoming::headers(req).entries() {
        msg.try_push_header(&name, &value)?;
    }
    Ok(msg)
}

/// Whether the request carries a signature field at all ([`httpseal::job::SIGNATURE_FIELDS`]):
/// without one it is `unverified` (`no_signature`) whatever else it holds.
pub fn carries_signature(req: &web_sys::Request) -> bool {
    let headers = req.headers();
    httpseal::job::SIGNATURE_FIELDS
        .iter()
        .any(|name| headers.has(name).unwrap_or(true))
}
