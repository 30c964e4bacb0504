//! Reading the free-form parts of a verify request with bounds applied while parsing.
//!
//! A JSON document of at most `MAX_VERIFY_BODY_BYTES` can still cost many times its size
//! once parsed: every `[]` becomes a 32-byte `Value` in a growable vector, every `"a"` a
//! separately allocated `String`. The readers here count what they build and refuse a
//! value past its bound before allocating more, so what a document costs in memory is
//! proportional to the bounds, not to the document.

use crate::limits::{MAX_JSON_VALUE_NODES, MAX_POLICY_LIST_ITEMS};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::cell::Cell;
use core::fmt;
use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// How many nodes a string of `len` bytes counts as.
fn string_nodes(len: usize) -> usize {
    1 + len / 64
}

/// A JSON value of at most [`MAX_JSON_VALUE_NODES`] nodes.
pub fn value<'de, D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
    let left = Cell::new(MAX_JSON_VALUE_NODES);
    BoundedValue { left: &left }.deserialize(d)
}

/// [`value`], kept apart from an absent member: `Some(Value::Null)` for an explicit
/// `null` (a `#[serde(default, deserialize_with)]` member is `None` when absent).
pub fn present_value<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    value(d).map(Some)
}

/// An optional JSON value of at most [`MAX_JSON_VALUE_NODES`] nodes.
pub fn optional_value<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    match value(d)? {
        Value::Null => Ok(None),
        v => Ok(Some(v)),
    }
}

struct BoundedValue<'a> {
    left: &'a Cell<usize>,
}

impl BoundedValue<'_> {
    fn take<E: serde::de::Error>(&self, nodes: usize) -> Result<(), E> {
        match self.left.get().checked_sub(nodes) {
            Some(rest) => {
                self.left.set(rest);
                Ok(())
            }
            None => Err(E::custom(format!(
                "a JSON value larger than MAX_JSON_VALUE_NODES ({MAX_JSON_VALUE_NODES} nodes)"
            ))),
        }
    }
}

impl<'de> DeserializeSeed<'de> for BoundedValue<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for BoundedValue<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Value, E> {
        self.take(1)?;
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Value, E> {
        self.take(1)?;
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Value, E> {
        self.take(1)?;
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        self.take(1)?;
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Value, E> {
        self.take(string_nodes(v.len()))?;
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Value, E> {
        self.take(string_nodes(v.len()))?;
        Ok(Value::String(v))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
        self.take(1)?;
        Ok(Value::Null)
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.take(1)?;
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(BoundedValue { left: self.left })? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.take(1)?;
        let mut out = Map::new();
        while let Some(name) = map.next_key::<String>()? {
            self.take(string_nodes(name.len()))?;
            let v = map.next_value_seed(BoundedValue { left: self.left })?;
            out.insert(name, v);
        }
        Ok(Value::Object(out))
    }
}

/// A list of at most [`MAX_POLICY_LIST_ITEMS`] items, refused at the first one past it.
pub fn list<'de, D, T>(d: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    d.deserialize_seq(ListVisitor(core::marker::PhantomData))
        .map(Some)
}

struct ListVisitor<T>(core::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ListVisitor<T> {
    type Value = Vec<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a list of at most {MAX_POLICY_LIST_ITEMS} items")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        let mut out = Vec::new();
        while let Some(item) = seq.next_element()? {
            if out.len() == MAX_POLICY_LIST_ITEMS {
                return Err(A::Error::custom(format!(
                    "more than MAX_POLICY_LIST_ITEMS ({MAX_POLICY_LIST_ITEMS}) items"
                )));
            }
            out.push(item);
        }
        Ok(out)
    }
}

/// An object of at most [`MAX_POLICY_LIST_ITEMS`] members whose values are strings.
pub fn string_map<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Map<String, Value>>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Map<String, Value>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(
                f,
                "an object of at most {MAX_POLICY_LIST_ITEMS} string members"
            )
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Map::new();
            while let Some((name, v)) = map.next_entry::<String, String>()? {
                if out.len() == MAX_POLICY_LIST_ITEMS {
                    return Err(A::Error::custom(format!(
                        "more than MAX_POLICY_LIST_ITEMS ({MAX_POLICY_LIST_ITEMS}) members"
                    )));
                }
                out.insert(name, Value::String(v));
            }
            Ok(out)
        }
    }
    d.deserialize_map(V).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Value, serde_json::Error> {
        value(&mut serde_json::Deserializer::from_str(text))
    }

    #[test]
    fn values_within_the_bound_are_read_exactly() {
        let text = r#"{"keys":[{"kty":"OKP","x":"abc","n":1,"f":1.5,"t":true,"z":null}],"e":[]}"#;
        assert_eq!(
            read(text).unwrap(),
            serde_json::from_str::<Value>(text).unwrap()
        );
    }

    #[test]
    fn values_past_the_bound_are_refused() {
        let many = alloc::format!("[{}]", alloc::vec!["[]"; MAX_JSON_VALUE_NODES].join(","));
        assert!(
            read(&many)
                .unwrap_err()
                .to_string()
                .contains("MAX_JSON_VALUE_NODES")
        );
        let long = alloc::format!("\"{}\"", "a".repeat(64 * MAX_JSON_VALUE_NODES));
        assert!(read(&long).is_err());
        let fits = alloc::format!("[{}]", alloc::vec!["1"; MAX_JSON_VALUE_NODES - 1].join(","));
        assert!(read(&fits).is_ok());
    }
}
