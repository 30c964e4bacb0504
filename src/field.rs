//! Component values of HTTP fields (RFC 9421 §2.1): combining field lines, and the `sf`,
//! `key`, `bs` and `tr` parameters.

use crate::component::ComponentFlags;
use crate::error::{Error, Result};
use crate::limits::MAX_COMPONENT_VALUE_BYTES;
use crate::message::{Message, Section, for_each_value};
use crate::sftypes::{SfRegistry, SfType};
use alloc::borrow::Cow;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use base64::Engine;
use core::convert::Infallible;
use sfv::visitor::{
    DictionaryVisitor, EntryVisitor, Ignored, InnerListVisitor, ItemVisitor, ParameterVisitor,
};
use sfv::{
    BareItemFromInput, Dictionary, FieldType, Item, KeyRef, List, ListEntry, Parser, RefBareItem,
};

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
    let not_found = || Error::DictionaryKeyNotFound {
        field: name.to_string(),
        key: key.to_string(),
    };
    let Ok(key_ref) = KeyRef::from_str(key) else {
        // Not a possible key: report a malformed field first, as parsing would.
        parse_field::<Dictionary>(name, combined)?;
        return Err(not_found());
    };
    // Parse without building the Dictionary: keep only the wanted member, borrowed.
    let mut finder = FindMember {
        key: key_ref,
        item: None,
        inner_list: false,
    };
    Parser::new(combined)
        .parse_dictionary_with_visitor(&mut finder)
        .map_err(|e| Error::MalformedField {
            field: name.to_string(),
            reason: e.to_string(),
        })?;
    if finder.inner_list {
        // Rare: let sfv build it and serialise the Inner List.
        let dict: Dictionary = parse_field(name, combined)?;
        return Ok(serialize_entry(dict.get(key_ref).ok_or_else(not_found)?));
    }
    let (bare, params) = finder.item.ok_or_else(not_found)?;
    let mut out = String::new();
    crate::sfwrite::bare_item_ref(&mut out, RefBareItem::from(&bare));
    crate::sfwrite::parameters_ref(
        &mut out,
        params.iter().map(|(k, v)| (*k, RefBareItem::from(v))),
    );
    Ok(out)
}

/// A Dictionary visitor that keeps the member named `key` as the parser hands it out: an
/// Item (bare item and parameters, borrowed) or the fact that it is an Inner List. Like a
/// parsed Dictionary, the last occurrence of a key wins, and so does the last occurrence
/// of a parameter name (in the position of its first, RFC 9651 §4.2.2 and §4.2.3.2).
struct FindMember<'k, 'de> {
    key: &'k KeyRef,
    item: Option<MemberItem<'de>>,
    inner_list: bool,
}

type MemberItem<'de> = (
    BareItemFromInput<'de>,
    Vec<(&'de KeyRef, BareItemFromInput<'de>)>,
);

impl<'de> DictionaryVisitor<'de> for &mut FindMember<'_, 'de> {
    type Out = ();
    type Error = Infallible;

    fn entry(
        &mut self,
        key: &'de KeyRef,
    ) -> core::result::Result<impl EntryVisitor<'de>, Infallible> {
        Ok((key == self.key).then_some(MemberSlot {
            item: &mut self.item,
            inner_list: &mut self.inner_list,
        }))
    }

    fn finish(self) -> core::result::Result<(), Infallible> {
        Ok(())
    }
}

struct MemberSlot<'a, 'de> {
    item: &'a mut Option<MemberItem<'de>>,
    inner_list: &'a mut bool,
}

impl<'de> EntryVisitor<'de> for MemberSlot<'_, 'de> {
    type Error = Infallible;

    fn item(self) -> core::result::Result<impl ItemVisitor<'de>, Infallible> {
        Ok(self)
    }

    fn inner_list(self) -> core::result::Result<impl InnerListVisitor<'de>, Infallible> {
        *self.item = None;
        *self.inner_list = true;
        Ok(Ignored)
    }
}

impl<'de> ItemVisitor<'de> for MemberSlot<'_, 'de> {
    type Out = ();
    type Error = Infallible;

    fn bare_item(
        self,
        bare_item: BareItemFromInput<'de>,
    ) -> core::result::Result<impl ParameterVisitor<'de, Out = ()>, Infallible> {
        *self.inner_list = false;
        let (_, params) = self.item.insert((bare_item, Vec::new()));
        Ok(MemberParams(params))
    }
}

struct MemberParams<'a, 'de>(&'a mut Vec<(&'de KeyRef, BareItemFromInput<'de>)>);

impl<'de> ParameterVisitor<'de> for MemberParams<'_, 'de> {
    type Out = ();
    type Error = Infallible;

    fn parameter(
        &mut self,
        key: &'de KeyRef,
        value: BareItemFromInput<'de>,
    ) -> core::result::Result<(), Infallible> {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => *v = value,
            None => self.0.push((key, value)),
        }
        Ok(())
    }

    fn finish(self) -> core::result::Result<(), Infallible> {
        Ok(())
    }
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
