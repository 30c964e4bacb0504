//! `application/problem+json` bodies (RFC 9457) for every answer that is not a success.
//!
//! Each carries the stable error `code` as an extension member, so clients branch on the
//! code and people read `detail`.

use alloc::string::String;
use serde::Serialize;

/// The media type of problem bodies.
pub const MEDIA_TYPE: &str = "application/problem+json";

/// One problem: an HTTP status, a stable code and a human explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// Always `about:blank`: the status and `code` say everything (RFC 9457 §4.2.1).
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The status phrase.
    pub title: &'static str,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong, for people.
    pub detail: String,
    /// What went wrong, for programs: a core [`crate::Error::code`] or a gateway code.
    pub code: String,
}

impl Problem {
    /// A problem with `status`, `code` and `detail`.
    pub fn new(status: u16, code: impl Into<String>, detail: impl Into<String>) -> Self {
        Problem {
            kind: "about:blank",
            title: title(status),
            status,
            detail: detail.into(),
            code: code.into(),
        }
    }

    /// A 400 for input that `POST /verify` cannot read.
    pub fn bad_request(detail: impl Into<String>) -> Self {
        Problem::new(400, "bad_request", detail)
    }

    /// A 500 naming a misconfigured setting (`MODE: "block" is not a mode; ...`).
    pub fn configuration(error: impl core::fmt::Display) -> Self {
        Problem::new(500, "invalid_configuration", alloc::format!("{error}"))
    }

    /// The JSON body.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The reason phrase of the statuses a gateway produces.
pub fn title(status: u16) -> &'static str {
    match status {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Content Too Large",
        415 => "Unsupported Media Type",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_rfc9457_members_and_the_code() {
        let p = Problem::new(403, "invalid_signature", "the signature does not verify");
        let v: serde_json::Value = serde_json::from_str(&p.to_json()).unwrap();
        assert_eq!(v["type"], "about:blank");
        assert_eq!(v["title"], "Forbidden");
        assert_eq!(v["status"], 403);
        assert_eq!(v["code"], "invalid_signature");
        assert_eq!(v["detail"], "the signature does not verify");
    }
}
