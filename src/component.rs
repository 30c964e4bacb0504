//! Component identifiers (RFC 9421 §2): a name — an HTTP field name or an `@`-derived
//! component — and its parameters (`sf`, `key`, `bs`, `req`, `tr`, `name`).
//!
//! Parameter order is preserved exactly as received (it is part of what was signed), but
//! two identifiers that differ only in parameter order are the same component (§2).

use crate::error::{Error, Result};
use crate::limits::MAX_PARAMETERS;
use alloc::borrow::ToOwned;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;
use sfv::{BareItem, FieldType, Item, KeyRef, Parameters, Parser, StringRef};

/// The derived components of RFC 9421 §2.2 (the IANA registry's initial contents).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Derived {
    /// `@method`
    Method,
    /// `@target-uri`
    TargetUri,
    /// `@authority`
    Authority,
    /// `@scheme`
    Scheme,
    /// `@request-target`
    RequestTarget,
    /// `@path`
    Path,
    /// `@query`
    Query,
    /// `@query-param`
    QueryParam,
    /// `@status`
    Status,
}

impl Derived {
    /// The `@`-name as a structured-field string (checked at compile time).
    fn sf_name(self) -> &'static StringRef {
        match self {
            Derived::Method => const { sfv::string_ref("@method") },
            Derived::TargetUri => const { sfv::string_ref("@target-uri") },
            Derived::Authority => const { sfv::string_ref("@authority") },
            Derived::Scheme => const { sfv::string_ref("@scheme") },
            Derived::RequestTarget => const { sfv::string_ref("@request-target") },
            Derived::Path => const { sfv::string_ref("@path") },
            Derived::Query => const { sfv::string_ref("@query") },
            Derived::QueryParam => const { sfv::string_ref("@query-param") },
            Derived::Status => const { sfv::string_ref("@status") },
        }
    }

    /// The `@`-name.
    pub fn name(self) -> &'static str {
        self.sf_name().as_str()
    }

    /// Looks up a derived component by its `@`-name.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "@method" => Derived::Method,
            "@target-uri" => Derived::TargetUri,
            "@authority" => Derived::Authority,
            "@scheme" => Derived::Scheme,
            "@request-target" => Derived::RequestTarget,
            "@path" => Derived::Path,
            "@query" => Derived::Query,
            "@query-param" => Derived::QueryParam,
            "@status" => Derived::Status,
            _ => return None,
        })
    }
}

impl From<Derived> for ComponentId {
    fn from(d: Derived) -> Self {
        ComponentId {
            name: d.sf_name().to_owned(),
            params: Parameters::new(),
        }
    }
}

/// The validated meaning of a component identifier's parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ComponentFlags {
    /// `sf`: strict structured-field serialisation.
    pub sf: bool,
    /// `key`: one Dictionary member.
    pub key: Option<String>,
    /// `bs`: each field line wrapped as a Byte Sequence.
    pub bs: bool,
    /// `req`: taken from the related request.
    pub req: bool,
    /// `tr`: taken from the trailers.
    pub tr: bool,
    /// `name`: the query parameter of `@query-param`.
    pub name: Option<String>,
}

/// A covered component identifier.
#[derive(Debug, Clone, PartialEq)]
pub struct ComponentId {
    name: sfv::String,
    params: Parameters,
}

impl ComponentId {
    /// A component without parameters. The name must be a lowercase field name or an
    /// `@`-name.
    pub fn new(name: &str) -> Result<Self> {
        check_name(name)?;
        Ok(ComponentId {
            name: to_sf_string(name)?,
            params: Parameters::new(),
        })
    }

    /// A component named by a compile-time constant (`const { sfv::string_ref("...") }`).
    pub fn constant(name: &'static StringRef) -> Self {
        ComponentId {
            name: name.to_owned(),
            params: Parameters::new(),
        }
    }

    /// The same component with the `req` flag (taken from the related request).
    pub fn with_req(mut self) -> Self {
        self.params.insert(
            const { sfv::key_ref("req") }.to_owned(),
            BareItem::Boolean(true),
        );
        self
    }

    /// The same component with a boolean flag (`sf`, `bs`, `req`, `tr`) appended.
    pub fn with_flag(mut self, flag: &str) -> Result<Self> {
        let key = KeyRef::from_str(flag).map_err(|_| Error::InvalidComponent(flag.to_string()))?;
        self.params.insert(key.to_owned(), BareItem::Boolean(true));
        Ok(self)
    }

    /// The same component with a string parameter (`key`, `name`) appended.
    pub fn with_string_param(mut self, param: &str, value: &str) -> Result<Self> {
        let key =
            KeyRef::from_str(param).map_err(|_| Error::InvalidComponent(param.to_string()))?;
        let value = StringRef::from_str(value)
            .map_err(|_| Error::InvalidComponent(alloc::format!("{param}={value:?}")))?;
        self.params
            .insert(key.to_owned(), BareItem::String(value.to_owned()));
        Ok(self)
    }

    /// Reads a component from one item of a `Signature-Input` inner list.
    pub fn from_item(item: &Item) -> Result<Self> {
        Self::from_owned_item(item.clone())
    }

    /// [`Self::from_item`], taking the item (no copies: the verifier's parse path).
    pub(crate) fn from_owned_item(item: Item) -> Result<Self> {
        let Item {
            bare_item: BareItem::String(name),
            params,
        } = item
        else {
            return Err(Error::InvalidComponent(item.serialize()));
        };
        check_name(name.as_str())?;
        if params.len() > MAX_PARAMETERS {
            return Err(Error::InvalidComponent(
                Item::with_params(BareItem::String(name), params).serialize(),
            ));
        }
        Ok(ComponentId { name, params })
    }

    /// Parses the form users type: a component as it appears inside `Signature-Input`,
    /// with or without the quotes around its name: `@method`, `content-digest`,
    /// `@query-param;name="q"`, `"signature-agent";key="sig1"`.
    pub fn parse(text: &str) -> Result<Self> {
        let text = text.trim();
        let quoted;
        let sf_text = if text.starts_with('"') {
            text
        } else {
            let (name, params) = match text.find(';') {
                Some(i) => text.split_at(i),
                None => (text, ""),
            };
            quoted = alloc::format!("\"{name}\"{params}");
            &quoted
        };
        let item: Item = Parser::new(sf_text)
            .parse_item()
            .map_err(|e| Error::InvalidComponent(alloc::format!("{text}: {e}")))?;
        Self::from_item(&item)
    }

    /// The component name (`@method`, `content-type`, ...).
    pub fn name(&self) -> &str {
        self.name.as_str()
    }

    /// The parameters, in received order.
    pub fn params(&self) -> &Parameters {
        &self.params
    }

    /// Whether this is a derived (`@`) component.
    pub fn is_derived(&self) -> bool {
        self.name().starts_with('@')
    }

    /// This component as an sfv Item (string name with parameters).
    pub fn to_item(&self) -> Item {
        Item::with_params(BareItem::String(self.name.clone()), self.params.clone())
    }

    /// The identifier serialised as in a signature base line: `"name";param...`.
    pub fn serialize(&self) -> String {
        let mut out = String::with_capacity(self.name.as_str().len() + 2 + 16 * self.params.len());
        self.serialize_into(&mut out);
        out
    }

    /// Appends [`Self::serialize`]'s text to `out` (no intermediate copies).
    pub fn serialize_into(&self, out: &mut String) {
        crate::sfwrite::string(out, self.name.as_str());
        crate::sfwrite::parameters(out, &self.params);
    }

    /// Whether `self` and `other` are the same component: the same name and the same
    /// parameters, in any order (RFC 9421 §2). Equivalent to comparing [`Self::identity`],
    /// without building it.
    pub fn same_component(&self, other: &ComponentId) -> bool {
        self.name == other.name
            && self.params.len() == other.params.len()
            && self
                .params
                .iter()
                .all(|(k, v)| other.params.get(k) == Some(v))
    }

    /// Validates the parameters for this component and returns their meaning.
    pub fn flags(&self) -> Result<ComponentFlags> {
        let mut flags = ComponentFlags::default();
        let derived = self.is_derived();
        for (key, value) in &self.params {
            let unknown = || Error::UnknownComponentParameter {
                component: self.serialize(),
                parameter: key.as_str().to_string(),
            };
            let flag = || match value {
                BareItem::Boolean(true) => Ok(true),
                _ => Err(unknown()),
            };
            let string = || match value {
                BareItem::String(s) => Ok(s.as_str().to_string()),
                _ => Err(unknown()),
            };
            match key.as_str() {
                "req" => flags.req = flag()?,
                "sf" if !derived => flags.sf = flag()?,
                "bs" if !derived => flags.bs = flag()?,
                "tr" if !derived => flags.tr = flag()?,
                "key" if !derived => flags.key = Some(string()?),
                "name" if self.name() == "@query-param" => flags.name = Some(string()?),
                _ => return Err(unknown()),
            }
        }
        if flags.bs && (flags.sf || flags.key.is_some()) {
            return Err(Error::IncompatibleComponentParameters(self.serialize()));
        }
        Ok(flags)
    }

    /// A key under which two identifiers compare equal exactly when they are the same
    /// component: the name and the parameters, sorted (RFC 9421 §2).
    pub fn identity(&self) -> String {
        let mut params: Vec<String> = self
            .params
            .iter()
            .map(|(k, v)| {
                sfv::ItemSerializer::new()
                    .bare_item(true)
                    .parameter(k, v)
                    .finish()
            })
            .collect();
        params.sort_unstable();
        let mut out = self.name().to_string();
        for p in params {
            out.push_str(&p);
        }
        out
    }
}

impl fmt::Display for ComponentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.serialize())
    }
}

fn to_sf_string(name: &str) -> Result<sfv::String> {
    StringRef::from_str(name)
        .map(StringRef::to_owned)
        .map_err(|_| Error::InvalidComponent(name.to_string()))
}

/// Checks that a component name is an `@`-name or a lowercase field name (RFC 9421 §2.1
/// requires lowercased field names; §2.2 reserves `@`).
fn check_name(name: &str) -> Result<()> {
    let body = name.strip_prefix('@').unwrap_or(name);
    let ok_char =
        |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b"!#$%&'*+-.^_`|~".contains(&b);
    if body.is_empty() || !body.bytes().all(ok_char) {
        return Err(Error::InvalidComponent(alloc::format!(
            "{name:?} is not a lowercase field name or @-derived component name"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_user_forms() {
        let c = ComponentId::parse("@query-param;name=\"q\"").unwrap();
        assert_eq!(c.name(), "@query-param");
        assert_eq!(c.serialize(), "\"@query-param\";name=\"q\"");
        assert_eq!(c.flags().unwrap().name.as_deref(), Some("q"));
        let c = ComponentId::parse("\"signature-agent\";key=\"sig1\"").unwrap();
        assert_eq!(c.flags().unwrap().key.as_deref(), Some("sig1"));
        assert_eq!(
            ComponentId::parse("content-digest").unwrap().serialize(),
            "\"content-digest\""
        );
        assert!(ComponentId::parse("Content-Type").is_err());
        assert!(ComponentId::parse("").is_err());
        assert!(ComponentId::parse("@").is_err());
        assert!(ComponentId::parse("a b").is_err());
    }

    #[test]
    fn validates_parameters() {
        let p = |s: &str| ComponentId::parse(s).unwrap().flags();
        assert!(p("x;sf;key=\"a\"").is_ok());
        assert!(matches!(
            p("x;bs;sf"),
            Err(Error::IncompatibleComponentParameters(_))
        ));
        assert!(matches!(
            p("x;bs;key=\"a\""),
            Err(Error::IncompatibleComponentParameters(_))
        ));
        assert!(matches!(
            p("@method;sf"),
            Err(Error::UnknownComponentParameter { .. })
        ));
        assert!(matches!(
            p("x;foo"),
            Err(Error::UnknownComponentParameter { .. })
        ));
        assert!(matches!(
            p("x;sf=?0"),
            Err(Error::UnknownComponentParameter { .. })
        ));
        assert!(matches!(
            p("x;key=1"),
            Err(Error::UnknownComponentParameter { .. })
        ));
        assert!(matches!(
            p("x;name=\"a\""),
            Err(Error::UnknownComponentParameter { .. })
        ));
        assert!(p("@method;req").unwrap().req);
    }

    #[test]
    fn identity_ignores_parameter_order() {
        let a = ComponentId::parse("x;sf;req").unwrap();
        let b = ComponentId::parse("x;req;sf").unwrap();
        assert_ne!(a.serialize(), b.serialize());
        assert_eq!(a.identity(), b.identity());
        assert_ne!(a.identity(), ComponentId::parse("x;sf").unwrap().identity());
        assert!(a.same_component(&b));
        assert!(!a.same_component(&ComponentId::parse("x;sf").unwrap()));
        assert!(!a.same_component(&ComponentId::parse("x;sf;req=?0").unwrap()));
        assert!(!a.same_component(&ComponentId::parse("y;sf;req").unwrap()));
        assert_eq!(a.serialize(), a.to_item().serialize());
    }
}
