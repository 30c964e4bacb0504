//! Reading a raw HTTP/1.1 message (as captured in a log or printed in an RFC) into an
//! [`HttpMessage`].
//!
//! Lenient where captures differ (bare LF line endings, obs-fold), strict where ambiguity
//! would change what is signed (field names, start line, chunk sizes). Bounded by
//! [`MAX_MESSAGE_HEAD_BYTES`] and [`MAX_FIELD_LINES`].

use crate::error::{Error, Result};
use crate::field::canonical_field_value;
use crate::http::HttpMessage;
use crate::limits::{MAX_FIELD_LINES, MAX_MESSAGE_HEAD_BYTES};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

/// Parses a raw HTTP/1.1 request or response. `scheme` is the scheme the request arrived
/// over (a raw message does not say); it is ignored for responses.
pub fn parse_http1(raw: &[u8], scheme: &str) -> Result<HttpMessage> {
    let mut lines = LineReader { buf: raw, pos: 0 };
    let start = lines.next_line()?.ok_or_else(|| bad("empty message"))?;
    let start = core::str::from_utf8(start).map_err(|_| bad("start line is not ASCII"))?;
    let mut fields: Vec<(String, String)> = Vec::new();
    read_fields(&mut lines, &mut fields)?;
    if lines.pos > MAX_MESSAGE_HEAD_BYTES {
        return Err(Error::LimitExceeded(
            "message head larger than MAX_MESSAGE_HEAD_BYTES",
        ));
    }

    let mut msg = if let Some(rest) = start.strip_prefix("HTTP/") {
        let mut it = rest.splitn(3, ' ');
        let _version = it.next();
        let status = it.next().unwrap_or_default();
        if status.len() != 3 || !status.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad(&format!("bad status line {start:?}")));
        }
        HttpMessage::response(status.parse().map_err(|_| bad("bad status"))?)?
    } else {
        let mut it = start.split(' ');
        let (Some(method), Some(target), Some(version), None) =
            (it.next(), it.next(), it.next(), it.next())
        else {
            return Err(bad(&format!("bad request line {start:?}")));
        };
        if !version.starts_with("HTTP/") {
            return Err(bad(&format!("bad request line {start:?}")));
        }
        let host = fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("host"))
            .map(|(_, v)| v.as_str())
            .unwrap_or_default();
        HttpMessage::request_from_target(method, target, host, scheme)?
    };
    msg.headers = fields;

    let rest = &raw[lines.pos..];
    let chunked = msg
        .header("transfer-encoding")
        .is_some_and(|te| te.to_ascii_lowercase().trim_end().ends_with("chunked"));
    if chunked {
        let (body, trailers) = read_chunked(rest)?;
        msg.body = Some(body);
        msg.trailers = trailers;
    } else if !rest.is_empty() || msg.header("content-length").is_some() {
        let len = match msg.header("content-length") {
            Some(cl) => cl
                .trim()
                .parse::<usize>()
                .map_err(|_| bad("bad Content-Length"))?,
            None => rest.len(),
        };
        msg.body = Some(rest[..len.min(rest.len())].to_vec());
    }
    Ok(msg)
}

fn bad(why: &str) -> Error {
    Error::MalformedMessage(why.to_string())
}

/// Splits on LF, dropping an optional CR before it.
struct LineReader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> LineReader<'a> {
    /// The next line without its terminator; `None` at the end of input.
    fn next_line(&mut self) -> Result<Option<&'a [u8]>> {
        if self.pos >= self.buf.len() {
            return Ok(None);
        }
        let rest = &self.buf[self.pos..];
        let (line, advance) = match rest.iter().position(|&b| b == b'\n') {
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        self.pos += advance;
        Ok(Some(line.strip_suffix(b"\r").unwrap_or(line)))
    }

    fn peek_is_continuation(&self) -> bool {
        matches!(self.buf.get(self.pos), Some(b' ' | b'\t'))
    }
}

/// Reads field lines up to the empty line (or end of input), unfolding obs-fold.
fn read_fields(lines: &mut LineReader<'_>, out: &mut Vec<(String, String)>) -> Result<()> {
    while let Some(line) = lines.next_line()? {
        if line.is_empty() {
            break;
        }
        if lines.pos > MAX_MESSAGE_HEAD_BYTES {
            return Err(Error::LimitExceeded(
                "message head larger than MAX_MESSAGE_HEAD_BYTES",
            ));
        }
        let line = core::str::from_utf8(line).map_err(|_| bad("field line is not UTF-8"))?;
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| bad(&format!("no colon in {line:?}")))?;
        if name.is_empty() || !name.bytes().all(is_tchar) {
            return Err(bad(&format!("bad field name {name:?}")));
        }
        let mut value = String::from(value);
        while lines.peek_is_continuation() {
            let cont = lines.next_line()?.unwrap_or_default();
            value.push('\n');
            value.push_str(core::str::from_utf8(cont).map_err(|_| bad("field line is not UTF-8"))?);
        }
        if out.len() >= MAX_FIELD_LINES {
            return Err(Error::LimitExceeded(
                "more field lines than MAX_FIELD_LINES",
            ));
        }
        out.push((name.to_string(), canonical_field_value(&value).into_owned()));
    }
    Ok(())
}

fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Field lines as (name, value) pairs.
type FieldLines = Vec<(String, String)>;

/// Decodes a chunked body and its trailer section.
fn read_chunked(raw: &[u8]) -> Result<(Vec<u8>, FieldLines)> {
    let mut lines = LineReader { buf: raw, pos: 0 };
    let mut body = Vec::new();
    loop {
        let size_line = lines
            .next_line()?
            .ok_or_else(|| bad("chunked body ends early"))?;
        let size_line = core::str::from_utf8(size_line).map_err(|_| bad("bad chunk size"))?;
        let hex = size_line.split(';').next().unwrap_or_default().trim();
        if hex.is_empty() || hex.len() > 8 {
            return Err(bad(&format!("bad chunk size {size_line:?}")));
        }
        let size = usize::from_str_radix(hex, 16).map_err(|_| bad("bad chunk size"))?;
        if size == 0 {
            break;
        }
        let data = raw
            .get(lines.pos..lines.pos + size)
            .ok_or_else(|| bad("chunk is truncated"))?;
        body.extend_from_slice(data);
        lines.pos += size;
        // The CRLF (or LF) after the chunk data.
        match lines.next_line()? {
            Some([]) | None => {}
            Some(_) => return Err(bad("chunk data longer than its size")),
        }
    }
    let mut trailers = Vec::new();
    read_fields(&mut lines, &mut trailers)?;
    Ok((body, trailers))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::{Message, Section};

    #[test]
    fn parses_request_with_fold_and_body() {
        let raw = b"POST /foo?a=b HTTP/1.1\r\nHost: Example.com\r\nX-Fold: one\r\n   two\r\nContent-Length: 2\r\n\r\nhi";
        let m = parse_http1(raw, "https").unwrap();
        assert_eq!(m.method(), Some("POST"));
        let t = m.target().unwrap();
        assert_eq!(
            (t.authority, t.path, t.query),
            ("Example.com", "/foo", Some("a=b"))
        );
        assert_eq!(m.header("x-fold"), Some("one two"));
        assert_eq!(m.body.as_deref(), Some(&b"hi"[..]));
    }

    #[test]
    fn parses_chunked_response_with_trailers() {
        let raw = b"HTTP/1.1 200 OK\nTransfer-Encoding: chunked\nTrailer: Expires\n\n4\nHTTP\n7\nMessage\na\nSignatures\n0\nExpires: Wed, 9 Nov 2022 07:28:00 GMT";
        let m = parse_http1(raw, "https").unwrap();
        assert_eq!(m.status(), Some(200));
        assert_eq!(m.body.as_deref(), Some(&b"HTTPMessageSignatures"[..]));
        let mut seen = alloc::vec::Vec::new();
        m.visit_fields(Section::Trailer, &mut |n, v| {
            seen.push((n.to_string(), v.to_string()))
        });
        assert_eq!(
            seen,
            [(
                "Expires".to_string(),
                "Wed, 9 Nov 2022 07:28:00 GMT".to_string()
            )]
        );
    }

    #[test]
    fn rejects_garbage() {
        assert!(parse_http1(b"", "https").is_err());
        assert!(parse_http1(b"GET / HTTP/1.1\r\nBad Name: x\r\n\r\n", "https").is_err());
        assert!(parse_http1(b"GET /\r\n\r\n", "https").is_err());
        assert!(parse_http1(b"HTTP/1.1 20 OK\r\n\r\n", "https").is_err());
        assert!(
            parse_http1(
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                "https"
            )
            .is_err()
        );
    }
}
