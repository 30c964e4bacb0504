//! Structured-field serialisation (RFC 9651 §4.1) of what every verification writes: the
//! component identifiers of the signature base and the `@signature-params` line.
//!
//! `sfv` validated these values when they were parsed or built, so writing them needs no
//! checks: strings are pushed whole unless they hold `"` or `\`, integers are formatted
//! without `core::fmt`. This is several times cheaper than `sfv`'s general serialiser,
//! which pushes strings character by character; the rarer bare items (decimals, byte
//! sequences, dates, display strings) still go through `sfv`. The output is identical
//! (tests/proptests.rs compares the two on generated parameters).

use alloc::string::String;
use sfv::{BareItem, KeyRef, Parameters, RefBareItem};

/// Appends a bare item.
pub(crate) fn bare_item(out: &mut String, item: &BareItem) {
    bare_item_ref(out, item.into());
}

/// Appends a bare item, borrowed (as the parser hands it out, or from an owned one).
pub(crate) fn bare_item_ref(out: &mut String, item: RefBareItem<'_>) {
    match item {
        RefBareItem::String(s) => string(out, s.as_str()),
        RefBareItem::Integer(i) => integer(out, i64::from(i)),
        RefBareItem::Boolean(b) => out.push_str(if b { "?1" } else { "?0" }),
        RefBareItem::Token(t) => out.push_str(t.as_str()),
        other => {
            let _ = sfv::ItemSerializer::with_buffer(out).bare_item(other);
        }
    }
}

/// Appends parameters: `;key` for `true`, `;key=value` otherwise.
pub(crate) fn parameters(out: &mut String, params: &Parameters) {
    parameters_ref(out, params.iter().map(|(k, v)| (&**k, v.into())));
}

/// [`parameters`] from borrowed pairs.
pub(crate) fn parameters_ref<'a>(
    out: &mut String,
    params: impl IntoIterator<Item = (&'a KeyRef, RefBareItem<'a>)>,
) {
    for (key, value) in params {
        out.push(';');
        out.push_str(key.as_str());
        if !matches!(value, RefBareItem::Boolean(true)) {
            out.push('=');
            bare_item_ref(out, value);
        }
    }
}

/// Appends an sf-string (`sfv` guarantees printable ASCII).
pub(crate) fn string(out: &mut String, s: &str) {
    out.push('"');
    if needs_escape(s.as_bytes()) {
        for c in s.chars() {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
    } else {
        out.push_str(s);
    }
    out.push('"');
}

/// Whether `bytes` holds `"` or `\`, eight bytes at a time (the strings of a signature
/// base — keyids, nonces, URLs — are long and almost never need escaping).
fn needs_escape(bytes: &[u8]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    const QUOTE: u64 = u64::from_ne_bytes([b'"'; 8]);
    const BACKSLASH: u64 = u64::from_ne_bytes([b'\\'; 8]);
    // `(v - 0x0101..) & !v & 0x8080..` is non-zero exactly when some byte of `v` is zero
    // (only which bits are set past the first zero byte is inexact, and unused here).
    let has_zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS != 0;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let v = u64::from_ne_bytes(word);
        if has_zero(v ^ QUOTE) || has_zero(v ^ BACKSLASH) {
            return true;
        }
    }
    chunks.remainder().iter().any(|&b| b == b'"' || b == b'\\')
}

/// Appends an integer in decimal.
fn integer(out: &mut String, value: i64) {
    if value < 0 {
        out.push('-');
    }
    let mut n = value.unsigned_abs();
    let mut digits = [0u8; 20];
    let mut start = digits.len();
    loop {
        start -= 1;
        digits[start] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.push_str(core::str::from_utf8(&digits[start..]).unwrap_or_default());
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use sfv::{Decimal, Integer, ItemSerializer};

    fn ours(item: &BareItem) -> String {
        let mut out = String::new();
        bare_item(&mut out, item);
        out
    }

    fn theirs(item: &BareItem) -> String {
        ItemSerializer::new().bare_item(item).finish()
    }

    #[test]
    fn finds_quotes_and_backslashes_anywhere() {
        for len in 0..40 {
            for at in 0..len {
                for special in [b'"', b'\\'] {
                    let mut bytes = alloc::vec![b'a'; len];
                    bytes[at] = special;
                    assert!(needs_escape(&bytes), "{len} {at}");
                    // Neighbours of the special bytes do not trigger it.
                    bytes[at] = special + 1;
                    assert!(!needs_escape(&bytes));
                    bytes[at] = special - 1;
                    assert!(!needs_escape(&bytes));
                }
            }
            assert!(!needs_escape(&alloc::vec![b'~'; len]));
            assert!(!needs_escape(&alloc::vec![b' '; len]));
        }
    }

    #[test]
    fn same_output_as_sfv() {
        let items = [
            BareItem::Integer(Integer::constant(0)),
            BareItem::Integer(Integer::constant(-999_999_999_999_999)),
            BareItem::Integer(Integer::constant(999_999_999_999_999)),
            BareItem::Integer(Integer::constant(1_735_689_600)),
            BareItem::String(sfv::String::from_string("plain".to_string()).unwrap()),
            BareItem::String(sfv::String::from_string(r#"q"u\o"te"#.to_string()).unwrap()),
            BareItem::String(sfv::String::from_string(String::new()).unwrap()),
            BareItem::Boolean(true),
            BareItem::Boolean(false),
            BareItem::Token(sfv::Token::from_string("a:b/c".to_string()).unwrap()),
            BareItem::ByteSequence(alloc::vec![0, 1, 254, 255]),
            BareItem::Decimal(Decimal::from_integer_scaled_1000(Integer::constant(-1500))),
        ];
        for item in &items {
            assert_eq!(ours(item), theirs(item));
        }
    }
}
