//! A small, strict splitter for absolute `http(s)` URLs and authorities.
//!
//! The core needs only the generic URI syntax parts (RFC 3986 §3): scheme, authority, path,
//! query. It does not percent-decode or resolve dot segments, because RFC 9421 signs the
//! path and query as sent. A full WHATWG URL parser would be larger than the rest of the
//! core and would "fix" inputs that must be signed byte for byte.

use crate::error::{Error, Result};
use crate::limits::MAX_URL_BYTES;
use alloc::format;
use alloc::string::{String, ToString};

/// The parts of an absolute URL, borrowed from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UrlParts<'a> {
    /// The scheme as written.
    pub scheme: &'a str,
    /// `userinfo@` removed; `host[:port]` as written.
    pub authority: &'a str,
    /// The path as written, possibly empty.
    pub path: &'a str,
    /// The query without `?`, if the URL has a `?`.
    pub query: Option<&'a str>,
}

impl<'a> UrlParts<'a> {
    /// Splits an absolute URL (`scheme://authority/path?query#fragment`); the fragment is
    /// dropped, as it is never sent in a request.
    pub fn parse(url: &'a str) -> Result<Self> {
        if url.len() > MAX_URL_BYTES {
            return Err(Error::InvalidUrl("longer than the limit".to_string()));
        }
        if let Some(c) = url.bytes().find(|b| !(0x21..0x7f).contains(b)) {
            return Err(Error::InvalidUrl(format!(
                "contains a space, control or non-ASCII byte (0x{c:02x}); percent-encode it"
            )));
        }
        let Some((scheme, rest)) = url.split_once("://") else {
            return Err(Error::InvalidUrl(format!("{url:?} is not an absolute URL")));
        };
        if scheme.is_empty()
            || !scheme.as_bytes()[0].is_ascii_alphabetic()
            || !scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b))
        {
            return Err(Error::InvalidUrl(format!("bad scheme {scheme:?}")));
        }
        let rest = rest.split('#').next().unwrap_or_default();
        let auth_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, path_query) = rest.split_at(auth_end);
        let authority = authority
            .rsplit_once('@')
            .map_or(authority, |(_, host)| host);
        if authority.is_empty() {
            return Err(Error::InvalidUrl(format!("{url:?} has no host")));
        }
        let (path, query) = match path_query.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (path_query, None),
        };
        Ok(UrlParts {
            scheme,
            authority,
            path,
            query,
        })
    }
}

/// The default port of a scheme, for the schemes HTTP uses.
pub fn default_port(scheme: &str) -> Option<&'static str> {
    if scheme.eq_ignore_ascii_case("https") || scheme.eq_ignore_ascii_case("wss") {
        Some("443")
    } else if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("ws") {
        Some("80")
    } else {
        None
    }
}

/// Splits `host[:port]` (with IPv6 literals in brackets) into host and optional port.
pub fn split_host_port(authority: &str) -> (&str, Option<&str>) {
    if authority.starts_with('[') {
        if let Some(end) = authority.find(']') {
            let (host, rest) = authority.split_at(end + 1);
            return (host, rest.strip_prefix(':'));
        }
        return (authority, None);
    }
    match authority.rsplit_once(':') {
        Some((host, port)) if port.bytes().all(|b| b.is_ascii_digit()) => (host, Some(port)),
        _ => (authority, None),
    }
}

/// Normalises an authority as RFC 9110 §4.2.3 asks: host lower-cased, default port (and an
/// empty port) omitted.
pub fn normalize_authority(scheme: &str, authority: &str) -> String {
    let (host, port) = split_host_port(authority);
    let mut out = host.to_ascii_lowercase();
    if let Some(port) = port
        && !port.is_empty()
        && Some(port) != default_port(scheme)
    {
        out.push(':');
        out.push_str(port);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_urls() {
        let u = UrlParts::parse("https://user:pw@Example.com:8443/a/b?x=1&y#frag").unwrap();
        assert_eq!(u.scheme, "https");
        assert_eq!(u.authority, "Example.com:8443");
        assert_eq!(u.path, "/a/b");
        assert_eq!(u.query, Some("x=1&y"));
        let u = UrlParts::parse("http://example.com?q").unwrap();
        assert_eq!((u.path, u.query), ("", Some("q")));
        let u = UrlParts::parse("http://example.com").unwrap();
        assert_eq!((u.path, u.query), ("", None));
        assert!(UrlParts::parse("/relative").is_err());
        assert!(UrlParts::parse("https:///nohost").is_err());
        assert!(UrlParts::parse("https://a b/").is_err());
        assert!(UrlParts::parse("1http://x/").is_err());
    }

    #[test]
    fn normalises_authorities() {
        assert_eq!(
            normalize_authority("https", "Example.COM:443"),
            "example.com"
        );
        assert_eq!(normalize_authority("http", "example.com:80"), "example.com");
        assert_eq!(
            normalize_authority("https", "example.com:80"),
            "example.com:80"
        );
        assert_eq!(normalize_authority("https", "example.com:"), "example.com");
        assert_eq!(normalize_authority("HTTPS", "[::1]:443"), "[::1]");
        assert_eq!(normalize_authority("https", "[::1]:8443"), "[::1]:8443");
    }
}
