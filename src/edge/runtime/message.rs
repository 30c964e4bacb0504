//! The incoming `Request` as the core's [`HttpMessage`].

use crate::HttpMessage;
use worker::Request;

/// The request's method, URL and header fields. The body is added by the caller only when
/// a signature needs it (it has to be buffered to be checked).
///
/// The URL is taken as the runtime gives it (`request.url`), so `@path` and `@query` are
/// what the client sent after the platform's WHATWG normalisation.
pub fn to_message(req: &Request) -> crate::Result<HttpMessage> {
    let inner = req.inner();
    let mut msg = HttpMessage::request(&inner.method(), &inner.url())?;
    for (name, value) in req.headers().entries() {
        msg.try_push_header(&name, &value)?;
    }
    Ok(msg)
}
