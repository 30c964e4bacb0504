//! `HttpMessage`: a plain owned message that implements [`Message`].
//!
//! The CLI, the npm package and the Worker all convert what they receive (JSON, a raw
//! HTTP/1.1 message, a JS `Request`) into this one type, so every host builds signature
//! bases from the same representation.

use crate::error::{Error, Result};
use crate::limits::MAX_FIELD_LINES;
use crate::message::{Message, Section, Target, TargetForm};
use crate::url::UrlParts;
use alloc::boxed::Box;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// The request or response specifics of an [`HttpMessage`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A request.
    Request(RequestLine),
    /// A response with its status code.
    Response(u16),
}

/// Method and target of a request, with the target split into URI parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestLine {
    /// The method, case preserved.
    pub method: String,
    /// The scheme (`https` when unknown).
    pub scheme: String,
    /// The authority (`host[:port]`).
    pub authority: String,
    /// The path as sent.
    pub path: String,
    /// The query without `?`.
    pub query: Option<String>,
    /// The request target as on the request line.
    pub request_target: String,
    /// Its form.
    pub form: TargetForm,
}

/// An owned HTTP message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpMessage {
    /// Request or response.
    pub kind: Kind,
    /// Header field lines in order, names as received.
    pub headers: Vec<(String, String)>,
    /// Trailer field lines in order.
    pub trailers: Vec<(String, String)>,
    /// The content, if known.
    pub body: Option<Vec<u8>>,
    /// For a response: the request it answers.
    pub related_request: Option<Box<HttpMessage>>,
}

impl HttpMessage {
    /// A request for an absolute URL (`https://host/path?query`), in origin form.
    pub fn request(method: &str, url: &str) -> Result<Self> {
        check_method(method)?;
        let parts = UrlParts::parse(url)?;
        let mut request_target = String::from(if parts.path.is_empty() {
            "/"
        } else {
            parts.path
        });
        if let Some(q) = parts.query {
            request_target.push('?');
            request_target.push_str(q);
        }
        Ok(Self::with_kind(Kind::Request(RequestLine {
            method: method.to_string(),
            scheme: parts.scheme.to_string(),
            authority: parts.authority.to_string(),
            path: parts.path.to_string(),
            query: parts.query.map(str::to_string),
            request_target,
            form: TargetForm::Origin,
        })))
    }

    /// A request as a server received it, from the absolute `url` its platform hands over
    /// and the request's `Host` field: the URL, except that the authority is the `Host`
    /// field's when the platform normalised it away ([`crate::url::received_authority`]:
    /// `@target-uri` is the target as received).
    pub fn request_as_received(method: &str, url: &str, host: Option<&str>) -> Result<Self> {
        match (
            url.split_once("://"),
            crate::url::received_authority(url, host),
        ) {
            (Some((scheme, rest)), Some(host)) => {
                let target = rest.find('/').map_or("/", |i| &rest[i..]);
                let target = target.split('#').next().unwrap_or(target);
                Self::request_from_target(method, target, host, scheme)
            }
            _ => Self::request(method, url),
        }
    }

    /// A request from a request line's method and target, as an HTTP/1.1 server sees it.
    /// `host` is the `Host` field value (used for origin and asterisk forms), `scheme` the
    /// scheme the connection used.
    pub fn request_from_target(
        method: &str,
        target: &str,
        host: &str,
        scheme: &str,
    ) -> Result<Self> {
        check_method(method)?;
        if target.is_empty() || target.bytes().any(|b| !(0x21..0x7f).contains(&b)) {
            return Err(Error::MalformedMessage(format!(
                "bad request target {target:?}"
            )));
        }
        let line = if target.starts_with('/') {
            let (path, query) = match target.split_once('?') {
                Some((p, q)) => (p, Some(q.to_string())),
                None => (target, None),
            };
            RequestLine {
                method: method.to_string(),
                scheme: scheme.to_string(),
                authority: host.to_string(),
                path: path.to_string(),
                query,
                request_target: target.to_string(),
                form: TargetForm::Origin,
            }
        } else if target == "*" {
            RequestLine {
                method: method.to_string(),
                scheme: scheme.to_string(),
                authority: host.to_string(),
                path: String::new(),
                query: None,
                request_target: target.to_string(),
                form: TargetForm::Asterisk,
            }
        } else if target.contains("://") {
            let parts = UrlParts::parse(target)?;
            RequestLine {
                method: method.to_string(),
                scheme: parts.scheme.to_string(),
                authority: parts.authority.to_string(),
                path: parts.path.to_string(),
                query: parts.query.map(str::to_string),
                request_target: target.to_string(),
                form: TargetForm::Absolute,
            }
        } else {
            RequestLine {
                method: method.to_string(),
                scheme: scheme.to_string(),
                authority: target.to_string(),
                path: String::new(),
                query: None,
                request_target: target.to_string(),
                form: TargetForm::Authority,
            }
        };
        Ok(Self::with_kind(Kind::Request(line)))
    }

    /// A response with a status code.
    pub fn response(status: u16) -> Result<Self> {
        if !(100..=999).contains(&status) {
            return Err(Error::MalformedMessage(format!(
                "status {status} is not three digits"
            )));
        }
        Ok(Self::with_kind(Kind::Response(status)))
    }

    fn with_kind(kind: Kind) -> Self {
        HttpMessage {
            kind,
            headers: Vec::new(),
            trailers: Vec::new(),
            body: None,
            related_request: None,
        }
    }

    /// Adds a header field line.
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.push_header(name, value);
        self
    }

    /// Adds a header field line; lines past [`MAX_FIELD_LINES`] are an error.
    pub fn try_push_header(&mut self, name: &str, value: &str) -> Result<()> {
        if self.headers.len() >= MAX_FIELD_LINES {
            return Err(Error::LimitExceeded("too many header lines"));
        }
        self.push_header(name, value);
        Ok(())
    }

    /// Adds a header field line.
    pub fn push_header(&mut self, name: &str, value: &str) {
        self.headers.push((name.to_string(), value.to_string()));
    }

    /// Adds a trailer field line.
    pub fn push_trailer(&mut self, name: &str, value: &str) {
        self.trailers.push((name.to_string(), value.to_string()));
    }

    /// Removes every header line named `name` (case-insensitive).
    pub fn remove_header(&mut self, name: &str) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
    }

    /// Sets the body.
    pub fn with_body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = Some(body.into());
        self
    }

    /// Attaches the request this response answers.
    pub fn with_related_request(mut self, request: HttpMessage) -> Self {
        self.related_request = Some(Box::new(request));
        self
    }

    /// The first value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether this is a request.
    pub fn is_request_kind(&self) -> bool {
        matches!(self.kind, Kind::Request(_))
    }

    /// The request line, if this is a request.
    pub fn request_line(&self) -> Option<&RequestLine> {
        match &self.kind {
            Kind::Request(r) => Some(r),
            Kind::Response(_) => None,
        }
    }
}

fn check_method(method: &str) -> Result<()> {
    let is_tchar = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if method.is_empty() || !method.bytes().all(is_tchar) {
        return Err(Error::MalformedMessage(format!("bad method {method:?}")));
    }
    Ok(())
}

impl Message for HttpMessage {
    fn method(&self) -> Option<&str> {
        self.request_line().map(|r| r.method.as_str())
    }

    fn target(&self) -> Option<Target<'_>> {
        self.request_line().map(|r| Target {
            scheme: &r.scheme,
            authority: &r.authority,
            path: &r.path,
            query: r.query.as_deref(),
            request_target: &r.request_target,
            form: r.form,
        })
    }

    fn status(&self) -> Option<u16> {
        match self.kind {
            Kind::Response(s) => Some(s),
            Kind::Request(_) => None,
        }
    }

    fn visit_fields(&self, section: Section, visit: &mut dyn FnMut(&str, &str)) {
        let lines = match section {
            Section::Header => &self.headers,
            Section::Trailer => &self.trailers,
        };
        for (n, v) in lines {
            visit(n, v);
        }
    }

    fn related_request(&self) -> Option<&dyn Message> {
        self.related_request.as_deref().map(|r| r as &dyn Message)
    }

    fn body(&self) -> Option<&[u8]> {
        self.body.as_deref()
    }
}
