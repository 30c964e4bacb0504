//! `@query-param` (RFC 9421 §2.2.8): WHATWG `application/x-www-form-urlencoded` parsing,
//! then "percent-encode after encoding" with the form-urlencoded percent-encode set.
//!
//! The RFC's examples fix the details: `+` decodes to a space, and a space is re-encoded
//! as `%20` (not `+`); every byte outside ASCII alphanumerics and `*-._` is encoded, with
//! upper-case hex.

use alloc::string::String;
use alloc::vec::Vec;

/// Splits a query into `(name, value)` pairs, each decoded then re-encoded canonically.
pub fn encoded_pairs(query: &str) -> impl Iterator<Item = (String, String)> + '_ {
    query.split('&').filter(|s| !s.is_empty()).map(|pair| {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        (reencode(name), reencode(value))
    })
}

/// Decodes one form-urlencoded string and re-encodes it canonically.
pub fn reencode(raw: &str) -> String {
    encode(&decode_utf8_lossy(&percent_decode_plus(raw)))
}

/// `+` to space, then `%XX` decoded; malformed `%` sequences stay as they are.
fn percent_decode_plus(raw: &str) -> Vec<u8> {
    let b = raw.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let escaped = match (b[i], b.get(i + 1), b.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) => hex(h).zip(hex(l)),
            _ => None,
        };
        match (b[i], escaped) {
            (_, Some((h, l))) => {
                out.push(h << 4 | l);
                i += 2;
            }
            (b'+', None) => out.push(b' '),
            (c, None) => out.push(c),
        }
        i += 1;
    }
    out
}

fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// UTF-8 decode without BOM handling, invalid sequences replaced by U+FFFD (WHATWG).
fn decode_utf8_lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Percent-encodes UTF-8 bytes with the application/x-www-form-urlencoded set, space as `%20`.
pub fn encode(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'*' | b'-' | b'.' | b'_') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_examples() {
        assert_eq!(
            reencode("this%20is%20a%20big%0Amultiline%20value"),
            "this%20is%20a%20big%0Amultiline%20value"
        );
        assert_eq!(reencode("with+plus+whitespace"), "with%20plus%20whitespace");
        assert_eq!(reencode("fa%C3%A7ade%22%3A%20"), "fa%C3%A7ade%22%3A%20");
        assert_eq!(reencode("bat%2Dman"), "bat-man");
        assert_eq!(reencode("a%zz%4"), "a%25zz%254");
        assert_eq!(reencode("%FF"), "%EF%BF%BD");
        assert_eq!(reencode("~!'()"), "%7E%21%27%28%29");
    }

    #[test]
    fn pairs() {
        let p: Vec<_> = encoded_pairs("a=1&&b&c=&=d").collect();
        assert_eq!(
            p,
            [
                ("a".into(), "1".into()),
                ("b".into(), "".into()),
                ("c".into(), "".into()),
                ("".into(), "d".into())
            ]
        );
    }
}
