//! Reading message and verify-request documents member by member.
//!
//! Written out rather than derived because the derived form of a verify request (the
//! message's members flattened beside `jwks`, `now`, `profile` and `policy`) makes serde
//! buffer the whole document as untyped content before reading a member of it: the
//! bounds of [`super::HeadersJson`] and [`super::bounded`] would then apply only after
//! a hostile document had been held whole, at several times its size. Here each member
//! is read straight into its bounded reader, an unknown or repeated member is an error,
//! and a related request nests once (a response's `request`, which carries none).

use super::{HeadersJson, MessageJson, PolicyJson, VerifyRequestJson, bounded};
use alloc::boxed::Box;
use alloc::string::String;
use core::fmt;
use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, Visitor};

/// The members of a verify request: a message's ([`MESSAGE_MEMBERS`]), then its own.
const VERIFY_MEMBERS: &[&str] = &[
    "method",
    "url",
    "status",
    "headers",
    "trailers",
    "body",
    "bodyBase64",
    "request",
    "jwks",
    "now",
    "profile",
    "policy",
];

/// The members of a message document.
const MESSAGE_MEMBERS: &[&str] = VERIFY_MEMBERS.split_at(8).0;

/// Which members were seen already (by their index in [`VERIFY_MEMBERS`]).
#[derive(Default)]
struct Seen(u16);

impl Seen {
    fn first<E: serde::de::Error>(&mut self, name: &'static str) -> Result<(), E> {
        let bit = 1 << VERIFY_MEMBERS.iter().position(|m| *m == name).unwrap_or(15);
        if self.0 & bit != 0 {
            return Err(E::duplicate_field(name));
        }
        self.0 |= bit;
        Ok(())
    }
}

/// The static name of a member of `members`, if `name` is one.
fn member(members: &'static [&'static str], name: &str) -> Option<&'static str> {
    members.iter().copied().find(|m| *m == name)
}

/// Reads the value of message member `name` into `msg`. `nested`: `msg` is a related
/// request already, which may not carry another.
fn read_message_member<'de, A: MapAccess<'de>>(
    msg: &mut MessageJson,
    name: &'static str,
    map: &mut A,
    nested: bool,
) -> Result<(), A::Error> {
    match name {
        "method" => msg.method = map.next_value()?,
        "url" => msg.url = map.next_value()?,
        "status" => msg.status = map.next_value()?,
        "headers" => msg.headers = map.next_value::<Option<HeadersJson>>()?.unwrap_or_default(),
        "trailers" => msg.trailers = map.next_value()?,
        "body" => msg.body = map.next_value()?,
        "bodyBase64" => msg.body_base64 = map.next_value()?,
        "request" if nested => {
            return Err(A::Error::custom("a related request cannot carry a request"));
        }
        "request" => msg.request = map.next_value_seed(RelatedRequest)?.map(Box::new),
        _ => unreachable!("{name} is a message member"),
    }
    Ok(())
}

/// A message document; `nested` as for [`read_message_member`].
struct MessageVisitor {
    nested: bool,
}

impl<'de> Visitor<'de> for MessageVisitor {
    type Value = MessageJson;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a message: an object with method and url, or status")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<MessageJson, A::Error> {
        let mut msg = MessageJson::default();
        let mut seen = Seen::default();
        while let Some(name) = map.next_key::<String>()? {
            let Some(name) = member(MESSAGE_MEMBERS, &name) else {
                return Err(A::Error::unknown_field(&name, MESSAGE_MEMBERS));
            };
            seen.first(name)?;
            read_message_member(&mut msg, name, &mut map, self.nested)?;
        }
        Ok(msg)
    }
}

impl<'de> Deserialize<'de> for MessageJson {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(MessageVisitor { nested: false })
    }
}

/// The `request` member of a response: a message that carries no request of its own.
struct RelatedRequest;

impl<'de> DeserializeSeed<'de> for RelatedRequest {
    type Value = Option<MessageJson>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for RelatedRequest {
    type Value = Option<MessageJson>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the request a response answers, or null")
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(MessageVisitor { nested: true }).map(Some)
    }
}

impl<'de> Deserialize<'de> for VerifyRequestJson {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = VerifyRequestJson;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a verify request: a message object, with jwks, now, profile, policy")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = VerifyRequestJson::default();
                let mut seen = Seen::default();
                while let Some(name) = map.next_key::<String>()? {
                    let Some(name) = member(VERIFY_MEMBERS, &name) else {
                        return Err(A::Error::unknown_field(&name, VERIFY_MEMBERS));
                    };
                    seen.first(name)?;
                    match name {
                        "jwks" => out.jwks = map.next_value_seed(OptionalValue)?,
                        "now" => out.now = map.next_value()?,
                        "profile" => out.profile = map.next_value()?,
                        "policy" => out.policy = map.next_value::<Option<PolicyJson>>()?,
                        _ => read_message_member(&mut out.message, name, &mut map, false)?,
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_map(V)
    }
}

/// A bounded free-form value ([`bounded::optional_value`]) as a map value.
struct OptionalValue;

impl<'de> DeserializeSeed<'de> for OptionalValue {
    type Value = Option<serde_json::Value>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        bounded::optional_value(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    use alloc::string::ToString;

    fn verify(text: &str) -> Result<VerifyRequestJson, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    #[test]
    fn members_are_read_in_any_order() {
        let r = verify(
            r#"{"now":5,"headers":[["a","b"]],"policy":{"skew":3},"url":"https://a/","method":"GET","jwks":null,"profile":"rfc9421"}"#,
        )
        .unwrap();
        assert_eq!(r.now, Some(5));
        assert_eq!(r.message.method.as_deref(), Some("GET"));
        assert_eq!(r.message.headers.lines().unwrap().len(), 1);
        assert_eq!(r.policy.unwrap().skew, Some(3));
        assert!(r.jwks.is_none());
    }

    #[test]
    fn unknown_repeated_and_nested_members_are_refused() {
        assert!(
            verify(r#"{"method":"GET","url":"https://a/","x":1}"#)
                .unwrap_err()
                .contains("unknown field `x`")
        );
        assert!(
            verify(r#"{"method":"GET","method":"PUT"}"#)
                .unwrap_err()
                .contains("duplicate field `method`")
        );
        let nested = r#"{"status":200,"request":{"method":"GET","url":"https://a/","request":{"method":"GET","url":"https://b/"}}}"#;
        assert!(
            verify(nested)
                .unwrap_err()
                .contains("cannot carry a request")
        );
        let ok = r#"{"status":200,"request":{"method":"GET","url":"https://a/"}}"#;
        assert!(verify(ok).unwrap().message.request.is_some());
        // Members of a verify request are not members of a related request.
        let inner = r#"{"status":200,"request":{"method":"GET","url":"https://a/","now":1}}"#;
        assert!(verify(inner).unwrap_err().contains("unknown field `now`"));
    }

    #[test]
    fn a_large_document_is_refused_at_its_bound_not_after_holding_it() {
        // 100 000 tiny arrays in jwks: refused by the node bound while parsing.
        let jwks = format!("[{}]", alloc::vec!["[]"; 100_000].join(","));
        let doc = format!(r#"{{"method":"GET","url":"https://a/","jwks":{jwks}}}"#);
        assert!(verify(&doc).unwrap_err().contains("MAX_JSON_VALUE_NODES"));
        let tags = format!("[{}]", alloc::vec![r#""t""#; 1000].join(","));
        let doc = format!(r#"{{"method":"GET","url":"https://a/","policy":{{"tags":{tags}}}}}"#);
        assert!(verify(&doc).unwrap_err().contains("MAX_POLICY_LIST_ITEMS"));
        let value = format!("[{}]", alloc::vec!["[]"; 100_000].join(","));
        let doc = format!(r#"{{"method":"GET","url":"https://a/","policy":{{"maxAge":{value}}}}}"#);
        assert!(verify(&doc).unwrap_err().contains("MAX_JSON_VALUE_NODES"));
    }
}
