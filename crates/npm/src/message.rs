//! Reading a message from its JSON form ([`MessageJson`]) plus optional body bytes.
//!
//! The body travels beside the JSON as a `Uint8Array` so that binary bodies need no
//! base64 round trip; a text body may also come inside the JSON as `body`.

use alloc::format;
use alloc::vec::Vec;
use httpseal::api::MessageJson;
use httpseal::error::{Error, Result};
use httpseal::http::HttpMessage;

/// Applies body bytes passed beside the JSON, refusing a second body.
pub fn with_body(mut msg: HttpMessage, body: Option<Vec<u8>>) -> Result<HttpMessage> {
    if let Some(bytes) = body {
        if msg.body.is_some() {
            return Err(Error::MalformedMessage(
                "the message has a body both as text and as bytes".into(),
            ));
        }
        msg.body = Some(bytes);
    }
    Ok(msg)
}

/// Parses a message (request or response) from JSON text.
pub fn read_message(json: &str, body: Option<Vec<u8>>) -> Result<HttpMessage> {
    let parsed: MessageJson = serde_json::from_str(json)
        .map_err(|e| Error::MalformedMessage(format!("invalid message: {e}")))?;
    with_body(parsed.to_message()?, body)
}
