//! Which URLs a verifier may fetch a key document from, whatever host does the fetching
//! (the Worker, the CLI, the npm package).
//!
//! A `Signature-Agent` URL is chosen by whoever sends the request, so fetching it blindly
//! would let any client make the verifier connect wherever it likes (server-side request
//! forgery). These rules are decided on the URL text alone, before any fetch: `https` only,
//! a DNS name (never an IP literal, in any of the spellings URL parsers accept), no
//! loopback, private-use or single-label names, no userinfo. The development switch
//! (the Worker's `DEV_ALLOW_INSECURE_DIRECTORIES`, the CLI's `--allow-http`, npm's
//! `allowHttp`) admits plain `http` and loopback hosts so tests and `make dev` can serve
//! directories from 127.0.0.1; it never admits private networks.
//!
//! Names that *resolve* to private addresses (DNS rebinding) cannot be seen from the URL.
//! A Worker has no DNS API, and on Cloudflare its subrequests leave through the public edge
//! and cannot reach the operator's private network in any case; a Node or CLI host that runs
//! inside a private network should fetch through an egress proxy.

use alloc::string::{String, ToString};
use core::fmt;

/// Longest host name accepted (RFC 1035).
const MAX_HOST_BYTES: usize = 253;

/// A URL the fetcher may request, split into the parts it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchTarget {
    /// `https` (or `http` under the development switch).
    pub scheme: String,
    /// The lower-cased host, without a trailing dot or brackets.
    pub host: String,
    /// The port, when the URL names one.
    pub port: Option<u16>,
    /// The URL as it will be fetched.
    pub url: String,
}

/// Why a URL may not be fetched. Each has a stable code for logs and verdicts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not an absolute `scheme://host/...` URL, or a character URL parsers rewrite.
    Malformed(String),
    /// A scheme other than `https` (and `http` under the development switch).
    Scheme(String),
    /// `user:password@` in the authority.
    Userinfo,
    /// An IPv4 or IPv6 literal.
    IpLiteral(String),
    /// `localhost`, `*.localhost` or a loopback literal without the development switch.
    Loopback(String),
    /// A name that only resolves inside private networks (`.local`, `.internal`, a single
    /// label, ...).
    PrivateName(String),
}

impl Refusal {
    /// The stable code of this refusal.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::Malformed(_) => "fetch_url_malformed",
            Refusal::Scheme(_) => "fetch_scheme_refused",
            Refusal::Userinfo => "fetch_userinfo_refused",
            Refusal::IpLiteral(_) => "fetch_ip_literal_refused",
            Refusal::Loopback(_) => "fetch_loopback_refused",
            Refusal::PrivateName(_) => "fetch_private_host_refused",
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Malformed(why) => write!(f, "not a fetchable URL: {why}"),
            Refusal::Scheme(s) => write!(
                f,
                "scheme {s:?} refused: directories are fetched over https"
            ),
            Refusal::Userinfo => f.write_str("URLs with user information are refused"),
            Refusal::IpLiteral(h) => write!(
                f,
                "IP literal host {h} refused: directories need a DNS name"
            ),
            Refusal::Loopback(h) => write!(f, "loopback host {h} refused"),
            Refusal::PrivateName(h) => write!(f, "host {h} only resolves in private networks"),
        }
    }
}

/// What kind of host a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HostClass {
    /// A public DNS name.
    Public,
    /// `localhost`, `*.localhost`, `127.0.0.0/8` or `::1`.
    Loopback,
    /// Any other IP literal (IPv4 in any WHATWG spelling, IPv6).
    IpLiteral,
    /// A name that cannot be public: a single label or a special-use / private-use suffix.
    PrivateName,
}

/// Suffixes that never resolve on the public internet (RFC 6761, RFC 6762, RFC 8375, and
/// ICANN's private-use `.internal`), plus the reverse-lookup tree.
const PRIVATE_SUFFIXES: &[&str] = &[
    "local",
    "internal",
    "home.arpa",
    "arpa",
    "test",
    "invalid",
    "example",
    "onion",
    "lan",
    "intranet",
    "corp",
    "localdomain",
];

/// Classifies a host as written in a URL (lower-cased, brackets kept for IPv6).
pub fn classify_host(host: &str) -> HostClass {
    if let Some(v6) = host.strip_prefix('[') {
        let v6 = v6.strip_suffix(']').unwrap_or(v6);
        return if is_ipv6_loopback(v6) {
            HostClass::Loopback
        } else {
            HostClass::IpLiteral
        };
    }
    let host = host.strip_suffix('.').unwrap_or(host);
    if host == "localhost" || host.ends_with(".localhost") {
        return HostClass::Loopback;
    }
    let last = host.rsplit('.').next().unwrap_or(host);
    if is_numeric_label(last) {
        // WHATWG URL parsers read any host ending in a number as IPv4 (`2130706433`,
        // `0x7f.1`, `0177.0.0.1` all mean 127.0.0.1), so every such host is a literal.
        return match parse_ipv4(host) {
            Some(ip) if ip >> 24 == 127 => HostClass::Loopback,
            _ => HostClass::IpLiteral,
        };
    }
    if !host.contains('.') {
        return HostClass::PrivateName;
    }
    if PRIVATE_SUFFIXES
        .iter()
        .any(|s| host == *s || host.strip_suffix(s).is_some_and(|p| p.ends_with('.')))
    {
        return HostClass::PrivateName;
    }
    HostClass::Public
}

/// Checks `url` against the fetch rules; `allow_insecure` is the development switch.
pub fn check_fetch_url(url: &str, allow_insecure: bool) -> Result<FetchTarget, Refusal> {
    let bad = |why: &str| Refusal::Malformed(why.to_string());
    if url.len() > crate::limits::MAX_URL_BYTES {
        return Err(bad("longer than the limit"));
    }
    if url
        .bytes()
        .any(|b| !(0x21..0x7f).contains(&b) || b == b'\\')
    {
        return Err(bad(
            "contains a space, backslash, control or non-ASCII byte",
        ));
    }
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| bad("not an absolute URL"))?;
    let scheme = scheme.to_ascii_lowercase();
    match scheme.as_str() {
        "https" => {}
        "http" if allow_insecure => {}
        _ => return Err(Refusal::Scheme(scheme)),
    }
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    if authority.contains('@') {
        return Err(Refusal::Userinfo);
    }
    let (host, port) = split_port(authority).ok_or_else(|| bad("bad port"))?;
    if host.is_empty() || host.len() > MAX_HOST_BYTES {
        return Err(bad("empty or overlong host"));
    }
    if host.contains('%') {
        // Parsers percent-decode hosts (`%31%32%37.0.0.1`); refuse rather than guess.
        return Err(bad("percent-encoded host"));
    }
    let host = host.to_ascii_lowercase();
    let valid_name = |h: &str| {
        h.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
    };
    let class = classify_host(&host);
    let name = host.strip_suffix('.').unwrap_or(&host);
    if !host.starts_with('[') && !valid_name(name) {
        return Err(bad("host is not a DNS name"));
    }
    match class {
        HostClass::Public => {}
        HostClass::Loopback if allow_insecure => {}
        HostClass::Loopback => return Err(Refusal::Loopback(host)),
        HostClass::IpLiteral => return Err(Refusal::IpLiteral(host)),
        HostClass::PrivateName => return Err(Refusal::PrivateName(host)),
    }
    Ok(FetchTarget {
        scheme,
        host: name
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string(),
        port,
        url: url.split('#').next().unwrap_or(url).to_string(),
    })
}

/// Splits `host[:port]`; `None` when the port is not a number in 1..=65535.
fn split_port(authority: &str) -> Option<(&str, Option<u16>)> {
    let (host, port) = if authority.starts_with('[') {
        let end = authority.find(']')? + 1;
        match &authority[end..] {
            "" => (&authority[..end], None),
            p => (&authority[..end], Some(p.strip_prefix(':')?)),
        }
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    match port {
        None | Some("") => Some((host, None)),
        Some(p) if p.bytes().all(|b| b.is_ascii_digit()) && p.len() <= 5 => {
            let n: u32 = p.parse().ok()?;
            (1..=65535).contains(&n).then_some((host, Some(n as u16)))
        }
        Some(_) => None,
    }
}

/// Whether a label is a number as WHATWG's IPv4 parser reads one (decimal, `0x` hex,
/// leading-zero octal).
fn is_numeric_label(label: &str) -> bool {
    if let Some(hex) = label
        .strip_prefix("0x")
        .or_else(|| label.strip_prefix("0X"))
    {
        return hex.bytes().all(|b| b.is_ascii_hexdigit());
    }
    !label.is_empty() && label.bytes().all(|b| b.is_ascii_digit())
}

/// Parses IPv4 the WHATWG way (1–4 parts, each decimal, hex or octal; the last part fills
/// the remaining bytes). `None` for anything that is not a valid address.
fn parse_ipv4(host: &str) -> Option<u32> {
    let parts: alloc::vec::Vec<&str> = host.split('.').collect();
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let mut numbers = alloc::vec::Vec::new();
    for p in &parts {
        let n = if let Some(h) = p.strip_prefix("0x").or_else(|| p.strip_prefix("0X")) {
            if h.is_empty() {
                0
            } else {
                u64::from_str_radix(h, 16).ok()?
            }
        } else if p.len() > 1 && p.starts_with('0') {
            u64::from_str_radix(&p[1..], 8).ok()?
        } else {
            p.parse::<u64>().ok()?
        };
        numbers.push(n);
    }
    let (last, head) = numbers.split_last()?;
    if head.iter().any(|n| *n > 255) || *last >= 256u64.pow(5 - numbers.len() as u32) {
        return None;
    }
    let mut ip = *last;
    for (i, n) in head.iter().enumerate() {
        ip += n << (8 * (3 - i));
    }
    u32::try_from(ip).ok()
}

/// `::1` in its spellings (`::1`, `0:0:0:0:0:0:0:1`, `::0001`).
fn is_ipv6_loopback(addr: &str) -> bool {
    let groups: alloc::vec::Vec<&str> = addr.split(':').collect();
    let Some((last, head)) = groups.split_last() else {
        return false;
    };
    let zero = |g: &&str| g.is_empty() || g.bytes().all(|b| b == b'0');
    let one = last.trim_start_matches('0') == "1";
    one && head.iter().all(zero) && addr.len() >= 3
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    fn refused(url: &str) -> &'static str {
        check_fetch_url(url, false).unwrap_err().code()
    }

    #[test]
    fn public_https_names_pass() {
        let t = check_fetch_url(
            "https://Signature-Agent.example.COM./.well-known/x?y#z",
            false,
        )
        .unwrap();
        assert_eq!(t.scheme, "https");
        assert_eq!(t.host, "signature-agent.example.com");
        assert_eq!(t.port, None);
        assert_eq!(
            t.url,
            "https://Signature-Agent.example.COM./.well-known/x?y"
        );
        assert_eq!(
            check_fetch_url("https://a.b.co:8443/", false).unwrap().port,
            Some(8443)
        );
    }

    #[test]
    fn only_https_without_the_switch() {
        assert_eq!(refused("http://agent.example.com/"), "fetch_scheme_refused");
        assert_eq!(refused("ftp://agent.example.com/"), "fetch_scheme_refused");
        assert_eq!(refused("file:///etc/passwd"), "fetch_scheme_refused");
        assert!(check_fetch_url("http://agent.example.com/", true).is_ok());
    }

    #[test]
    fn every_ipv4_spelling_is_a_literal() {
        for host in [
            "127.0.0.1",
            "2130706433",
            "0x7f.1",
            "0177.0.0.1",
            "127.1",
            "0x7f000001",
        ] {
            assert_eq!(classify_host(host), HostClass::Loopback, "{host}");
            assert_eq!(
                refused(&format!("https://{host}/")),
                "fetch_loopback_refused",
                "{host}"
            );
        }
        for host in [
            "10.0.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "8.8.8.8",
            "1.2.3.999",
            "a.b.1",
        ] {
            assert_eq!(classify_host(host), HostClass::IpLiteral, "{host}");
            assert_eq!(
                refused(&format!("https://{host}/")),
                "fetch_ip_literal_refused",
                "{host}"
            );
        }
    }

    #[test]
    fn ipv6_literals() {
        for host in ["[::1]", "[0:0:0:0:0:0:0:1]", "[::0001]"] {
            assert_eq!(classify_host(host), HostClass::Loopback, "{host}");
        }
        for host in [
            "[fe80::1]",
            "[::ffff:127.0.0.1]",
            "[fd00::1]",
            "[2001:db8::1]",
            "[::]",
        ] {
            assert_eq!(classify_host(host), HostClass::IpLiteral, "{host}");
            assert_eq!(
                refused(&format!("https://{host}/")),
                "fetch_ip_literal_refused",
                "{host}"
            );
        }
        assert_eq!(
            check_fetch_url("http://[::1]:8080/", true).unwrap().port,
            Some(8080)
        );
    }

    #[test]
    fn loopback_and_private_names() {
        assert_eq!(refused("https://localhost/"), "fetch_loopback_refused");
        assert_eq!(refused("https://api.localhost./"), "fetch_loopback_refused");
        for host in [
            "intranet",
            "printer.local",
            "db.internal",
            "x.home.arpa",
            "1.0.0.127.in-addr.arpa",
        ] {
            assert_eq!(
                refused(&format!("https://{host}/")),
                "fetch_private_host_refused",
                "{host}"
            );
        }
        // The switch admits loopback, never private names or other literals.
        assert!(check_fetch_url("http://127.0.0.1:8788/keys", true).is_ok());
        assert!(check_fetch_url("http://localhost:8788/keys", true).is_ok());
        assert_eq!(
            check_fetch_url("http://10.0.0.1/", true)
                .unwrap_err()
                .code(),
            "fetch_ip_literal_refused"
        );
        assert_eq!(
            check_fetch_url("http://db.internal/", true)
                .unwrap_err()
                .code(),
            "fetch_private_host_refused"
        );
    }

    #[test]
    fn tricky_authorities() {
        assert_eq!(
            refused("https://user:pw@agent.example.com/"),
            "fetch_userinfo_refused"
        );
        assert_eq!(
            refused("https://agent.example.com@127.0.0.1/"),
            "fetch_userinfo_refused"
        );
        assert_eq!(refused("https://%31%32%37.0.0.1/"), "fetch_url_malformed");
        assert_eq!(
            refused("https://agent.example.com\\@evil.com/"),
            "fetch_url_malformed"
        );
        assert_eq!(
            refused("https://agent.example.com:0/"),
            "fetch_url_malformed"
        );
        assert_eq!(
            refused("https://agent.example.com:99999/"),
            "fetch_url_malformed"
        );
        assert_eq!(
            refused("https://agent.example.com:80x/"),
            "fetch_url_malformed"
        );
        assert_eq!(
            refused("https://ag ent.example.com/"),
            "fetch_url_malformed"
        );
        assert_eq!(refused("https://bücher.example/"), "fetch_url_malformed");
        assert_eq!(refused("https:///path"), "fetch_url_malformed");
        assert_eq!(refused("agent.example.com/x"), "fetch_url_malformed");
    }

    #[test]
    fn refusals_explain_themselves() {
        let r = check_fetch_url("https://10.1.2.3/", false).unwrap_err();
        assert!(r.to_string().contains("IP literal host 10.1.2.3"), "{r}");
    }
}
