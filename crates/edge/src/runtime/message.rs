//! The incoming request as the core's [`HttpMessage`].

use super::incoming;
use httpseal::HttpMessage;
use worker::worker_sys::web_sys;

/// The request's method, URL and header fields. The body is added by the caller only when
/// a signature needs it (it has to be buffered to be checked).
///
/// The URL is taken as the runtime gives it (`request.url`), so `@path` and `@query` are
/// what the client sent after the platform's WHATWG normalisation.
pub fn to_message(req: &web_sys::Request) -> httpseal::Result<HttpMessage> {
    let mut msg = HttpMessage::request(&req.method(), &req.url())?;
    for (name, value) in incoming::headers(req).entries() {
        msg.try_push_header(&name, &value)?;
    }
    Ok(msg)
}
