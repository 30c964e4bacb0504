//! The `Signature-Input` and `Signature` fields (RFC 9421 §4) and the signature parameters
//! (§2.3).
//!
//! Parameters keep their received order and unknown parameters are kept, because the
//! `@signature-params` line must reproduce exactly what the signer serialised.

use crate::component::ComponentId;
use crate::error::{Error, Result};
use crate::limits::{
    MAX_COMPONENTS, MAX_PARAMETERS, MAX_SIGNATURE_BYTES, MAX_SIGNATURE_HEADER_BYTES, MAX_SIGNATURES,
};
use crate::message::{Message, Section, for_each_value};
use alloc::borrow::ToOwned;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use sfv::{
    BareItem, Dictionary, InnerList, Integer, Item, Key, KeyRef, List, ListEntry, Parameters,
    Parser, StringRef,
};

/// A signature's covered components and parameters: one member of `Signature-Input`
/// without its label, and the value of its `@signature-params` line.
#[derive(Debug, Clone, PartialEq)]
pub struct SignatureParams {
    components: Vec<ComponentId>,
    params: Parameters,
}

impl SignatureParams {
    /// Empty: no components, no parameters.
    pub fn new() -> Self {
        SignatureParams {
            components: Vec::new(),
            params: Parameters::new(),
        }
    }

    /// Reads one `Signature-Input` member value (an Inner List of component strings).
    pub fn from_inner_list(list: &InnerList) -> Result<Self> {
        Self::from_owned_inner_list(list.clone())
    }

    /// [`Self::from_inner_list`], taking the list (no copies: the verifier's parse path).
    fn from_owned_inner_list(list: InnerList) -> Result<Self> {
        if list.items.len() > MAX_COMPONENTS {
            return Err(Error::TooManyComponents);
        }
        if list.params.len() > MAX_PARAMETERS {
            return Err(Error::MalformedSignatureInput(
                "too many signature parameters".into(),
            ));
        }
        let mut components = Vec::with_capacity(list.items.len());
        for item in list.items {
            components.push(ComponentId::from_owned_item(item)?);
        }
        let sp = SignatureParams {
            components,
            params: list.params,
        };
        sp.check_parameter_types()?;
        Ok(sp)
    }

    /// Parses a serialised value: `("@method" "@authority");created=1;keyid="k"`.
    pub fn parse(text: &str) -> Result<Self> {
        let list: List = Parser::new(text)
            .parse_list()
            .map_err(|e| Error::MalformedSignatureInput(e.to_string()))?;
        match list.as_slice() {
            [ListEntry::InnerList(_)] => match list.into_iter().next() {
                Some(ListEntry::InnerList(inner)) => Self::from_owned_inner_list(inner),
                _ => Err(Error::MalformedSignatureInput(
                    "expected one inner list".into(),
                )),
            },
            _ => Err(Error::MalformedSignatureInput(
                "expected one inner list".into(),
            )),
        }
    }

    /// The covered components, in order.
    pub fn components(&self) -> &[ComponentId] {
        &self.components
    }

    /// Appends a covered component.
    pub fn push_component(&mut self, c: ComponentId) -> Result<()> {
        if self.components.len() >= MAX_COMPONENTS {
            return Err(Error::TooManyComponents);
        }
        self.components.push(c);
        Ok(())
    }

    /// All parameters in order, including ones this implementation does not know.
    pub fn params(&self) -> &Parameters {
        &self.params
    }

    /// Sets an integer parameter (`created`, `expires`), keeping its position if present.
    pub fn set_integer(&mut self, name: &str, value: u64) -> Result<()> {
        let v = i64::try_from(value)
            .ok()
            .and_then(|v| Integer::try_from(v).ok())
            .ok_or(Error::InvalidSignatureParameter {
                name: name.into(),
                reason: "out of range",
            })?;
        self.set(name, BareItem::Integer(v))
    }

    /// Sets a string parameter (`keyid`, `alg`, `nonce`, `tag`).
    pub fn set_string(&mut self, name: &str, value: &str) -> Result<()> {
        let s = StringRef::from_str(value).map_err(|_| Error::InvalidSignatureParameter {
            name: name.into(),
            reason: "must be printable ASCII",
        })?;
        self.set(name, BareItem::String(s.to_owned()))
    }

    /// Sets any parameter.
    pub fn set(&mut self, name: &str, value: BareItem) -> Result<()> {
        let key = KeyRef::from_str(name).map_err(|_| Error::InvalidSignatureParameter {
            name: name.into(),
            reason: "not a valid parameter name",
        })?;
        if self.params.len() >= MAX_PARAMETERS && !self.params.contains_key(key) {
            return Err(Error::LimitExceeded("too many signature parameters"));
        }
        self.params.insert(key.to_owned(), value);
        self.check_parameter_types()
    }

    fn integer(&self, name: &KeyRef) -> Option<u64> {
        match param(&self.params, name) {
            Some(BareItem::Integer(i)) => u64::try_from(i64::from(*i)).ok(),
            _ => None,
        }
    }

    fn string(&self, name: &KeyRef) -> Option<&str> {
        string_param(&self.params, name)
    }

    /// `created`, a UNIX time.
    pub fn created(&self) -> Option<u64> {
        self.integer(const { sfv::key_ref("created") })
    }

    /// `expires`, a UNIX time.
    pub fn expires(&self) -> Option<u64> {
        self.integer(const { sfv::key_ref("expires") })
    }

    /// `nonce`.
    pub fn nonce(&self) -> Option<&str> {
        self.string(const { sfv::key_ref("nonce") })
    }

    /// `alg`, an HTTP Signature Algorithms registry name.
    pub fn alg(&self) -> Option<&str> {
        self.string(const { sfv::key_ref("alg") })
    }

    /// `keyid`.
    pub fn keyid(&self) -> Option<&str> {
        self.string(const { sfv::key_ref("keyid") })
    }

    /// `tag`.
    pub fn tag(&self) -> Option<&str> {
        self.string(const { sfv::key_ref("tag") })
    }

    /// The registered parameters must have their registered types (§2.3, §6.3).
    fn check_parameter_types(&self) -> Result<()> {
        for (key, value) in &self.params {
            let name = key.as_str();
            let reason = match (name, value) {
                ("created" | "expires", BareItem::Integer(i)) if i64::from(*i) >= 0 => continue,
                ("created" | "expires", _) => "must be a non-negative integer",
                ("nonce" | "alg" | "keyid" | "tag", BareItem::String(_)) => continue,
                ("nonce" | "alg" | "keyid" | "tag", _) => "must be a string",
                _ => continue,
            };
            return Err(Error::InvalidSignatureParameter {
                name: name.to_string(),
                reason,
            });
        }
        Ok(())
    }

    /// The value as an Inner List.
    pub fn to_inner_list(&self) -> InnerList {
        InnerList::with_params(
            self.components.iter().map(ComponentId::to_item).collect(),
            self.params.clone(),
        )
    }

    /// The serialised value: the `@signature-params` line's value and the
    /// `Signature-Input` member value.
    pub fn serialize(&self) -> String {
        let mut out = String::new();
        self.serialize_into(&mut out);
        out
    }

    /// Appends [`Self::serialize`]'s text to `out` (no intermediate copies).
    pub fn serialize_into(&self, out: &mut String) {
        out.push('(');
        for (i, c) in self.components.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            c.serialize_into(out);
        }
        out.push(')');
        crate::sfwrite::parameters(out, &self.params);
    }
}

impl Default for SignatureParams {
    fn default() -> Self {
        Self::new()
    }
}

/// The parameter `name`. A linear scan: there are at most [`MAX_PARAMETERS`], and it
/// saves hashing the name on each of the dozen lookups a verification makes.
fn param<'a>(params: &'a Parameters, name: &KeyRef) -> Option<&'a BareItem> {
    params
        .iter()
        .find(|(k, _)| k.as_str() == name.as_str())
        .map(|(_, v)| v)
}

/// A string parameter's value, when it is present and a string.
pub(crate) fn string_param<'a>(params: &'a Parameters, name: &KeyRef) -> Option<&'a str> {
    match param(params, name) {
        Some(BareItem::String(s)) => Some(s.as_str()),
        _ => None,
    }
}

/// One labelled signature found in a message.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelledSignature {
    /// The label (the Dictionary key in both fields).
    pub label: String,
    /// Covered components and parameters.
    pub params: SignatureParams,
    /// The signature bytes.
    pub signature: Vec<u8>,
}

/// Reads every field line of `name` into one combined value, bounded.
pub(crate) fn combined_field(msg: &dyn Message, name: &'static str) -> Result<Option<String>> {
    let mut out = String::new();
    Ok(combine(msg, name, Some(&mut out))?.map(|_| out))
}

/// Walks the field lines of `name` as [`combined_field`] joins them (trimmed, `, ` between)
/// and enforces [`MAX_SIGNATURE_HEADER_BYTES`]; appends the combined value to `out` when
/// given. Returns the combined length, or `None` when the field is absent.
fn combine(
    msg: &dyn Message,
    name: &'static str,
    mut out: Option<&mut String>,
) -> Result<Option<usize>> {
    let mut len: Option<usize> = None;
    let mut too_large = false;
    for_each_value(msg, Section::Header, name, &mut |v| {
        let n = len.get_or_insert(0);
        if *n + v.len() + 2 > MAX_SIGNATURE_HEADER_BYTES {
            too_large = true;
            return;
        }
        let v = v.trim();
        if *n != 0 {
            *n += 2;
            if let Some(o) = out.as_deref_mut() {
                o.push_str(", ");
            }
        }
        *n += v.len();
        if let Some(o) = out.as_deref_mut() {
            o.push_str(v);
        }
    });
    if too_large {
        return Err(Error::HeaderTooLarge { field: name });
    }
    Ok(len)
}

/// Parses a Dictionary field line by line so that a label repeated across lines is caught
/// (§4.1: labels MUST be unique across all field values).
fn parse_dictionary_lines(
    msg: &dyn Message,
    name: &'static str,
    malformed: fn(String) -> Error,
) -> Result<Option<Vec<(Key, ListEntry)>>> {
    if combine(msg, name, None)?.is_none() {
        return Ok(None);
    }
    let mut members: Vec<(Key, ListEntry)> = Vec::new();
    let mut failure = None;
    for_each_value(msg, Section::Header, name, &mut |line| {
        if failure.is_some() {
            return;
        }
        match Parser::new(line.trim()).parse_dictionary::<Dictionary>() {
            Err(e) => failure = Some(malformed(e.to_string())),
            Ok(dict) => {
                for (k, v) in dict {
                    if members.iter().any(|(seen, _)| *seen == k) {
                        failure = Some(Error::DuplicateLabel(k.as_str().to_string()));
                        return;
                    }
                    if members.len() >= MAX_SIGNATURES {
                        failure = Some(Error::TooManySignatures);
                        return;
                    }
                    members.push((k, v));
                }
            }
        }
    });
    match failure {
        Some(e) => Err(e),
        None => Ok(Some(members)),
    }
}

/// Every labelled signature in the message, in `Signature-Input` order. `Ok(empty)` when
/// the message carries neither field.
pub fn parse_signatures(msg: &dyn Message) -> Result<Vec<LabelledSignature>> {
    let inputs = parse_dictionary_lines(msg, "signature-input", Error::MalformedSignatureInput)?;
    let values = parse_dictionary_lines(msg, "signature", Error::MalformedSignature)?;
    let (inputs, mut values) = match (inputs, values) {
        (None, None) => return Ok(Vec::new()),
        (i, v) => (i.unwrap_or_default(), v.unwrap_or_default()),
    };
    for (label, _) in &values {
        if !inputs.iter().any(|(l, _)| l == label) {
            return Err(Error::MissingSignatureInput(label.as_str().to_string()));
        }
    }
    let mut out = Vec::with_capacity(inputs.len());
    for (label, entry) in inputs {
        let ListEntry::InnerList(inner) = entry else {
            return Err(Error::MalformedSignatureInput(alloc::format!(
                "member {:?} is not an inner list",
                label.as_str()
            )));
        };
        let params = SignatureParams::from_owned_inner_list(inner)?;
        // Labels are unique (parse_dictionary_lines), so each value is taken once.
        let signature = match values.iter_mut().find(|(l, _)| *l == label) {
            Some((
                _,
                ListEntry::Item(Item {
                    bare_item: BareItem::ByteSequence(b),
                    ..
                }),
            )) => core::mem::take(b),
            Some(_) => {
                return Err(Error::MalformedSignature(alloc::format!(
                    "member {:?} is not a byte sequence",
                    label.as_str()
                )));
            }
            None => return Err(Error::MissingSignatureValue(label.as_str().to_string())),
        };
        if signature.len() > MAX_SIGNATURE_BYTES {
            return Err(Error::MalformedSignature("signature value too long".into()));
        }
        out.push(LabelledSignature {
            label: label.as_str().to_string(),
            params,
            signature,
        });
    }
    Ok(out)
}

/// Checks a label is a valid Dictionary key (`sig1`, `proxy_sig`, ...).
pub fn check_label(label: &str) -> Result<&KeyRef> {
    KeyRef::from_str(label).map_err(|_| Error::InvalidSignatureParameter {
        name: "label".to_string(),
        reason: "not a valid structured-field key (lowercase, digits, _-.*)",
    })
}

/// The `Signature-Input` and `Signature` member strings for one signature:
/// `label=(...);params` and `label=:base64:`.
pub fn header_members(
    label: &str,
    params: &SignatureParams,
    signature: &[u8],
) -> Result<(String, String)> {
    let key = check_label(label)?;
    // A Dictionary with one Inner List member serialises as `key=(...);params`.
    let mut input = String::from(key.as_str());
    input.push('=');
    params.serialize_into(&mut input);
    let mut sig = sfv::DictSerializer::new();
    sig.bare_item(key, signature);
    Ok((input, sig.finish().unwrap_or_default()))
}
