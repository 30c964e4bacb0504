//! Component values of HTTP fields (RFC 9421 §2.1): combining field lines, and the `sf`,
//! `key`, `bs` and `tr` parameters.

use crate::component::ComponentFlags;
use crate::error::{Error, Result};
use crate::limits::MAX_COMPONENT_VALUE_BYTES;
use crate::message::{Message, Section, for_each_value};
use crate::sftypes::{SfRegistry, SfType};
use alloc::borrow::Cow;
use alloc::string::{String, ToString};
use base64::Engine;
use sfv::{Dictionary, FieldType, Item, KeyRef, List, ListEntry, Parser};

/// One field line made canonical (RFC 9421 §2.1 steps 2–3): leading and trailing
/// whitespace stripped, obsolete line folding replaced by a single space.
pub fn canonical_field_value(raw: &str) -> Cow<'_, str> {
    let is_ws = |c: char| matches!(c, ' ' | '\t' | '\r' | '\n');
    let trimmed = raw.trim_matches(is_ws);
    if !trimmed.contains(['\r', '\n']) {
        return Cow::Borrowed(trimmed);
    }
    let mut out = String::with_capacity(trimmed.len());
    for (i, piece) in trimmed.split('\n').enumerate() {
        let piece = piece.trim_end_matches(is_ws);
        if i > 0 {
            out.truncate(out.trim_end_matches([' ', '\t']).len());
            out.push(' ');
            out.push_str(piece.trim_start_matches(is_ws));
        } else {
            out.push_str(piece);
        }
    }
    Cow::Owned(out)
}

/// The component value of the field `name` (lowercase) under `flags`, read from `msg`.
pub(crate) fn field_value(
    msg: &dyn Message,
    name: &str,
    flags: &ComponentFlags,
    types: &SfRegistry,
    display: &dyn Fn() -> String,
) -> Result<String> {
    let section = if flags.tr {
        Section::Trailer
    } else {
        Section::Header
    };
    // The field lines joined with `, ` (§2.1), or for `bs` each line as a Byte Sequence
    // and the List serialised (§2.1.3); nothing more is appended past the size limit.
    let mut out = String::new();
    let mut count = 0usize;
    let mut total = 0usize;
    for_each_value(msg, section, name, &mut |v| {
        let v = canonical_field_value(v);
        total += v.len() + 2;
        count += 1;
        if total > MAX_COMPONENT_VALUE_BYTES {
            return;
        }
        if count > 1 {
            out.push_str(", ");
        }
        if flags.bs {
            out.push(':');
            base64::engine::general_purpose::STANDARD.encode_string(v.as_bytes(), &mut out);
            out.push(':');
        } else {
            out.push_str(&v);
        }
    });
    if count == 0 {
        return Err(Error::MissingField(name.to_string()));
    }
    if total > MAX_COMPONENT_VALUE_BYTES {
        return Err(Error::ComponentValueTooLarge(display()));
    }
    if flags.bs {
        return Ok(out);
    }

    let combined = out;
    let value = if let Some(key) = &flags.key {
        dictionary_member(name, &combined, key, types)?
    } else if flags.sf {
        strict_serialization(name, &combined, types)?
    } else {
        combined
    };
    check_value_chars(&value, display)?;
    Ok(value)
}

/// `key`: one member of a Dictionary field, serialised strictly (§2.1.2). A field whose
/// type is unknown is read as a Dictionary; one known to be another type is an error.
fn dictionary_member(name: &str, combined: &str, key: &str, types: &SfRegistry) -> Result<String> {
    match types.type_of(name) {
        None | Some(SfType::Dictionary) => {}
        Some(_) => {
            return Err(Error::MalformedField {
                field: name.to_string(),
                reason: "key applies only to Dictionary fields".to_string(),
            });
        }
    }
    let dict: Dictionary = parse_field(name, combined)?;
    let not_found = || Error::DictionaryKeyNotFound {
        field: name.to_string(),
        key: key.to_string(),
    };
    let key_ref = KeyRef::from_str(key).map_err(|_| not_found())?;
    let member = dict.get(key_ref).ok_or_else(not_found)?;
    Ok(serialize_entry(member))
}

/// Serialises a Dictionary member value (an Item or an Inner List, with parameters).
pub(crate) fn serialize_entry(entry: &ListEntry) -> String {
    match entry {
        ListEntry::Item(item) => {
            let mut out = String::new();
            crate::sfwrite::bare_item(&mut out, &item.bare_item);
            crate::sfwrite::parameters(&mut out, &item.params);
            out
        }
        ListEntry::InnerList(_) => {
            // A one-member List serialises to exactly that member.
            let mut ser = sfv::ListSerializer::new();
            ser.members(core::iter::once(entry));
            ser.finish().unwrap_or_default()
        }
    }
}

/// `sf`: the whole field re-serialised strictly by its known type (§2.1.1).
fn strict_serialization(name: &str, combined: &str, types: &SfRegistry) -> Result<String> {
    let ty = types
        .type_of(name)
        .ok_or_else(|| Error::UnknownStructuredField(name.to_string()))?;
    Ok(match ty {
        SfType::Dictionary => parse_field::<Dictionary>(name, combined)?
            .serialize()
            .unwrap_or_default(),
        SfType::List => parse_field::<List>(name, combined)?
            .serialize()
            .unwrap_or_default(),
        SfType::Item => parse_field::<Item>(name, combined)?.serialize(),
    })
}

fn parse_field<T: FieldType>(name: &str, value: &str) -> Result<T> {
    T::parse(Parser::new(value)).map_err(|e| Error::MalformedField {
        field: name.to_string(),
        reason: e.to_string(),
    })
}

/// Component values are restricted to visible ASCII, space and tab (§2, §2.5 step 4).
pub(crate) fn check_value_chars(value: &str, display: &dyn Fn() -> String) -> Result<()> {
    if value
        .bytes()
        .all(|b| b == b'\t' || (0x20..0x7f).contains(&b))
    {
        Ok(())
    } else {
        Err(Error::InvalidComponentValue(display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonicalises_lines() {
        assert_eq!(canonical_field_value("  a b  "), "a b");
        assert_eq!(
            canonical_field_value("Obsolete\n    line folding."),
            "Obsolete line folding."
        );
        assert_eq!(canonical_field_value("a  \r\n\t b"), "a b");
        assert_eq!(canonical_field_value(""), "");
        assert_eq!(canonical_field_value("   "), "");
    }
}
