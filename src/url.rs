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

/// The authority a request was sent to, when a host's URL lost it: the `Host` field, when
/// it names the host `url` names and differs from the URL's authority.
///
/// `@target-uri` is the target URI as received (RFC 9421 §2.2.2). Platforms hand a host a
/// URL normalised the WHATWG way, which drops a default port — but a signer that kept
/// `https://shop.example:443/` signed the port, and the `Host` field still says what the
/// client sent. A `Host` naming another host (a local proxy's own address) is not the
/// client's authority and is ignored.
pub fn received_authority<'a>(url: &str, host: Option<&'a str>) -> Option<&'a str> {
    let host = host?.trim();
    let rest = url.split_once("://")?.1;
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let name = |a: &str| split_host_port(a).0.to_ascii_lowercase();
    (name(host) == name(authority) && host != authority).then_some(host)
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

/// An agent identifier: the URL without query and fragment, normalised as draft -01 §5.5
/// asks ("compared after normalization as described in Section 6.2.2 of URI and Section 6.2.3
/// of URI"), so that two spellings of one key set give one identifier:
/// - §6.2.2.1 case: scheme and host lower-cased, percent-encoding hex digits upper-cased;
/// - §6.2.2.2 percent-encoding: octets of unreserved characters (`ALPHA DIGIT - . _ ~`)
///   decoded;
/// - §6.2.2.3 path segments: `.` and `..` removed (RFC 3986 §5.2.4);
/// - §6.2.3 scheme-based: the default port (and an empty port) dropped, an empty path
///   written `/`.
pub fn normalize_identifier(url: &str) -> Result<String> {
    let parts = UrlParts::parse(url)?;
    let scheme = parts.scheme.to_ascii_lowercase();
    let mut out = format!(
        "{scheme}://{}",
        normalize_authority(&scheme, parts.authority)
    );
    let path = normalize_percent_encoding(parts.path);
    let path = remove_dot_segments(&path);
    if path.is_empty() {
        out.push('/');
    } else {
        out.push_str(&path);
    }
    Ok(out)
}

/// RFC 3986 §6.2.2.1–6.2.2.2 on a path: upper-case hex digits, unreserved octets decoded.
fn normalize_percent_encoding(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = String::with_capacity(path.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied(),
            bytes.get(i + 2).copied(),
        ) {
            (b'%', Some(h), Some(l)) if hex(h).is_some() && hex(l).is_some() => {
                let octet = (hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8;
                if octet.is_ascii_alphanumeric() || b"-._~".contains(&octet) {
                    out.push(octet as char);
                } else {
                    out.push('%');
                    out.push(h.to_ascii_uppercase() as char);
                    out.push(l.to_ascii_uppercase() as char);
                }
                i += 3;
            }
            (b, _, _) => {
                out.push(b as char);
                i += 1;
            }
        }
    }
    out
}

/// RFC 3986 §5.2.4, remove_dot_segments.
fn remove_dot_segments(path: &str) -> String {
    let mut input = path;
    let mut out = String::with_capacity(path.len());
    while !input.is_empty() {
        if let Some(rest) = input.strip_prefix("../") {
            input = rest;
        } else if let Some(rest) = input.strip_prefix("./") {
            input = rest;
        } else if input.starts_with("/./") {
            input = &input[2..];
        } else if input == "/." {
            input = "/";
        } else if input.starts_with("/../") || input == "/.." {
            input = if input == "/.." { "/" } else { &input[3..] };
            let cut = out.rfind('/').unwrap_or(0);
            out.truncate(cut);
        } else if input == "." || input == ".." {
            input = "";
        } else {
            let start = usize::from(input.starts_with('/'));
            let end = input[start..].find('/').map_or(input.len(), |i| i + start);
            out.push_str(&input[..end]);
            input = &input[end..];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_host_field_restores_what_the_url_normalised() {
        let url = "https://shop.example/items?x=1";
        assert_eq!(
            received_authority(url, Some("shop.example:443")),
            Some("shop.example:443")
        );
        assert_eq!(
            received_authority(url, Some("Shop.Example")),
            Some("Shop.Example")
        );
        assert_eq!(
            received_authority(url, Some("shop.example")),
            None,
            "nothing to restore"
        );
        assert_eq!(
            received_authority(url, Some("127.0.0.1:43693")),
            None,
            "a proxy's address"
        );
        assert_eq!(received_authority(url, None), None);
        assert_eq!(
            received_authority("https://[::1]:8443/", Some("[::1]:8443")),
            None
        );
    }

    #[test]
    fn identifiers_are_normalised_per_rfc3986_6_2() {
        let n = |u: &str| normalize_identifier(u).unwrap();
        // §6.2.2.1 case, §6.2.3 default port and empty path.
        assert_eq!(n("HTTPS://Agent.Example:443"), "https://agent.example/");
        assert_eq!(n("https://agent.example:"), "https://agent.example/");
        assert_eq!(
            n("https://agent.example:8443/k"),
            "https://agent.example:8443/k"
        );
        // §6.2.2.1 percent-encoding case, §6.2.2.2 unreserved octets decoded.
        assert_eq!(
            n("https://a.example/%7euser/%2f%41"),
            "https://a.example/~user/%2FA"
        );
        // §6.2.2.3 dot segments (RFC 3986 §5.2.4 examples).
        assert_eq!(
            n("https://a.example/a/b/c/./../../g"),
            "https://a.example/a/g"
        );
        assert_eq!(
            n("https://a.example/mid/content=5/../6"),
            "https://a.example/mid/6"
        );
        assert_eq!(
            n("https://a.example/../keys.json"),
            "https://a.example/keys.json"
        );
        // Query and fragment are not part of the identifier (draft -01 §5.5).
        assert_eq!(
            n("https://a.example/keys.json?v=2#x"),
            "https://a.example/keys.json"
        );
        // Two spellings of one key set are one identifier.
        assert_eq!(
            n("https://A.example:443/./keys/%6Aw%6Bs.json"),
            n("https://a.example/keys/jwks.json")
        );
    }

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
