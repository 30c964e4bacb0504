//! The `Message` view: the only thing the core needs to know about an HTTP message.
//!
//! Every host (the CLI's owned message, the Worker's `Request`, the npm package's JS
//! objects) implements this small trait, and the core never sees anything else. That keeps
//! the core free of any HTTP library and of I/O: a message is just data to read.

/// Which section of a message a field is read from (RFC 9421 §2.1.4, the `tr` parameter).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// The header section.
    Header,
    /// The trailer section.
    Trailer,
}

/// The form of a request target as sent on an HTTP/1.1 request line (RFC 9112 §3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetForm {
    /// `/path?query`
    Origin,
    /// `https://host/path?query`
    Absolute,
    /// `host:port` (CONNECT)
    Authority,
    /// `*` (server-wide OPTIONS)
    Asterisk,
}

/// The target URI of a request, split into the parts the derived components read.
///
/// Values are as received: derived components apply their own normalisation (lower-cased
/// host, default port dropped, empty path as `/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target<'a> {
    /// The URI scheme (`https`, `http`), any case.
    pub scheme: &'a str,
    /// The authority (`host[:port]`) from the URL, the absolute-form target or `Host`.
    pub authority: &'a str,
    /// The path, percent-encoding untouched; may be empty.
    pub path: &'a str,
    /// The query without its `?`; `None` when the URI has no `?` at all.
    pub query: Option<&'a str>,
    /// The request target exactly as on the request line.
    pub request_target: &'a str,
    /// The form of `request_target`.
    pub form: TargetForm,
}

/// A read-only view of an HTTP message, request or response.
pub trait Message {
    /// The method of a request; `None` for a response.
    fn method(&self) -> Option<&str>;

    /// The target URI of a request; `None` for a response.
    fn target(&self) -> Option<Target<'_>>;

    /// The status code of a response; `None` for a request.
    fn status(&self) -> Option<u16>;

    /// Calls `visit(name, value)` for every field line of `section`, in message order.
    /// Names may be in any case; values are as received (the core trims and unfolds them).
    fn visit_fields(&self, section: Section, visit: &mut dyn FnMut(&str, &str));

    /// For a response: the request it answers, used by components with the `req` flag.
    fn related_request(&self) -> Option<&dyn Message> {
        None
    }

    /// The message content, when the host has it (used to check `Content-Digest`).
    fn body(&self) -> Option<&[u8]> {
        None
    }

    /// Whether this message is a request.
    fn is_request(&self) -> bool {
        self.method().is_some()
    }
}

/// Calls `visit` with each value of the field `name` (case-insensitive) in `section`.
pub(crate) fn for_each_value<'m>(
    msg: &'m dyn Message,
    section: Section,
    name: &str,
    visit: &mut dyn FnMut(&str),
) {
    msg.visit_fields(section, &mut |n, v| {
        if n.eq_ignore_ascii_case(name) {
            visit(v)
        }
    });
}

/// Whether the field `name` (case-insensitive) is present in the header section.
pub fn has_field(msg: &dyn Message, name: &str) -> bool {
    let mut found = false;
    for_each_value(msg, Section::Header, name, &mut |_| found = true);
    found
}
