//! `Accept-Signature` (RFC 9421 §5): a verifier asking for a signature.
//!
//! Its members look like `Signature-Input` members, but `created` and `expires` are bare
//! flags ("please include one") rather than times, so they are read into their own type.

use crate::component::ComponentId;
use crate::error::{Error, Result};
use crate::input::check_label;
use crate::limits::{MAX_COMPONENTS, MAX_SIGNATURE_HEADER_BYTES, MAX_SIGNATURES};
use alloc::borrow::ToOwned;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use sfv::{BareItem, Dictionary, InnerList, KeyRef, ListEntry, Parameters, Parser, StringRef};

/// One requested signature.
#[derive(Debug, Clone, PartialEq)]
pub struct SignatureRequest {
    /// The label the signature must carry.
    pub label: String,
    /// The components it must cover, in order.
    pub components: Vec<ComponentId>,
    /// The requested parameters, in order (`created`, `expires` as flags).
    pub params: Parameters,
}

impl SignatureRequest {
    /// A request for a signature labelled `label` covering `components` (user form).
    pub fn new<'a>(label: &str, components: impl IntoIterator<Item = &'a str>) -> Result<Self> {
        check_label(label)?;
        let components = components
            .into_iter()
            .map(ComponentId::parse)
            .collect::<Result<Vec<_>>>()?;
        if components.len() > MAX_COMPONENTS {
            return Err(Error::TooManyComponents);
        }
        Ok(SignatureRequest {
            label: label.to_string(),
            components,
            params: Parameters::new(),
        })
    }

    /// Asks for `created`.
    pub fn want_created(mut self) -> Self {
        self.params.insert(
            const { sfv::key_ref("created") }.to_owned(),
            BareItem::Boolean(true),
        );
        self
    }

    /// Asks for `expires`.
    pub fn want_expires(mut self) -> Self {
        self.params.insert(
            const { sfv::key_ref("expires") }.to_owned(),
            BareItem::Boolean(true),
        );
        self
    }

    /// Asks for a string parameter: `nonce`, `alg`, `keyid` or `tag`.
    pub fn with(mut self, name: &str, value: &str) -> Result<Self> {
        if !matches!(name, "nonce" | "alg" | "keyid" | "tag") {
            return Err(Error::InvalidSignatureParameter {
                name: name.into(),
                reason: "not a requestable string parameter",
            });
        }
        let v = StringRef::from_str(value).map_err(|_| Error::InvalidSignatureParameter {
            name: name.into(),
            reason: "must be printable ASCII",
        })?;
        let key = KeyRef::from_str(name).map_err(|_| Error::InvalidComponent(name.into()))?;
        self.params
            .insert(key.to_owned(), BareItem::String(v.to_owned()));
        Ok(self)
    }

    fn flag(&self, name: &KeyRef) -> bool {
        matches!(self.params.get(name), Some(BareItem::Boolean(true)))
    }

    fn string(&self, name: &KeyRef) -> Option<&str> {
        crate::input::string_param(&self.params, name)
    }

    /// Whether `created` is requested.
    pub fn wants_created(&self) -> bool {
        self.flag(const { sfv::key_ref("created") })
    }

    /// Whether `expires` is requested.
    pub fn wants_expires(&self) -> bool {
        self.flag(const { sfv::key_ref("expires") })
    }

    /// The requested `nonce`.
    pub fn nonce(&self) -> Option<&str> {
        self.string(const { sfv::key_ref("nonce") })
    }

    /// The requested `alg`.
    pub fn alg(&self) -> Option<&str> {
        self.string(const { sfv::key_ref("alg") })
    }

    /// The requested `keyid`.
    pub fn keyid(&self) -> Option<&str> {
        self.string(const { sfv::key_ref("keyid") })
    }

    /// The requested `tag`.
    pub fn tag(&self) -> Option<&str> {
        self.string(const { sfv::key_ref("tag") })
    }

    fn inner_list(&self) -> InnerList {
        InnerList::with_params(
            self.components.iter().map(ComponentId::to_item).collect(),
            self.params.clone(),
        )
    }
}

/// Serialises requests as an `Accept-Signature` field value.
pub fn accept_signature(requests: &[SignatureRequest]) -> Result<String> {
    let mut dict = Dictionary::new();
    for r in requests {
        let key = check_label(&r.label)?.to_owned();
        if dict
            .insert(key, ListEntry::InnerList(r.inner_list()))
            .is_some()
        {
            return Err(Error::DuplicateLabel(r.label.clone()));
        }
    }
    Ok(sfv::FieldType::serialize(&dict).unwrap_or_default())
}

/// Parses an `Accept-Signature` field value.
pub fn parse_accept_signature(value: &str) -> Result<Vec<SignatureRequest>> {
    let malformed = |why: String| Error::MalformedAcceptSignature(why);
    if value.len() > MAX_SIGNATURE_HEADER_BYTES {
        return Err(Error::HeaderTooLarge {
            field: "accept-signature",
        });
    }
    let dict: Dictionary = Parser::new(value)
        .parse_dictionary()
        .map_err(|e| malformed(e.to_string()))?;
    if dict.len() > MAX_SIGNATURES {
        return Err(Error::TooManySignatures);
    }
    let mut out = Vec::with_capacity(dict.len());
    for (label, entry) in &dict {
        let ListEntry::InnerList(inner) = entry else {
            return Err(malformed(alloc::format!(
                "member {:?} is not an inner list",
                label.as_str()
            )));
        };
        if inner.items.len() > MAX_COMPONENTS {
            return Err(Error::TooManyComponents);
        }
        let components = inner
            .items
            .iter()
            .map(ComponentId::from_item)
            .collect::<Result<Vec<_>>>()?;
        for (name, value) in &inner.params {
            let ok = match name.as_str() {
                "created" | "expires" => matches!(value, BareItem::Boolean(true)),
                "nonce" | "alg" | "keyid" | "tag" => matches!(value, BareItem::String(_)),
                _ => true,
            };
            if !ok {
                return Err(malformed(alloc::format!(
                    "parameter {} has the wrong type",
                    name.as_str()
                )));
            }
        }
        out.push(SignatureRequest {
            label: label.as_str().to_string(),
            components,
            params: inner.params.clone(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_example_round_trips() {
        let text = "sig1=(\"@method\" \"@target-uri\" \"@authority\" \"content-digest\" \"cache-control\");keyid=\"test-key-rsa-pss\";created;tag=\"app-123\"";
        let reqs = parse_accept_signature(text).unwrap();
        assert_eq!(reqs.len(), 1);
        let r = &reqs[0];
        assert_eq!(r.components.len(), 5);
        assert!(r.wants_created() && !r.wants_expires());
        assert_eq!(
            (r.keyid(), r.tag(), r.nonce()),
            (Some("test-key-rsa-pss"), Some("app-123"), None)
        );
        assert_eq!(accept_signature(&reqs).unwrap(), text);
        let built = SignatureRequest::new(
            "sig1",
            [
                "@method",
                "@target-uri",
                "@authority",
                "content-digest",
                "cache-control",
            ],
        )
        .unwrap()
        .with("keyid", "test-key-rsa-pss")
        .unwrap()
        .want_created()
        .with("tag", "app-123")
        .unwrap();
        assert_eq!(accept_signature(&[built]).unwrap(), text);
    }

    #[test]
    fn rejects_malformed() {
        assert!(parse_accept_signature("sig1=1").is_err());
        assert!(parse_accept_signature("sig1=();created=5").is_err());
        assert!(parse_accept_signature("sig1=();tag=1").is_err());
        assert!(parse_accept_signature("sig1=(\"Bad\")").is_err());
        assert!(SignatureRequest::new("Bad", ["@method"]).is_err());
        assert!(
            SignatureRequest::new("a", ["@method"])
                .unwrap()
                .with("created", "1")
                .is_err()
        );
        let r = SignatureRequest::new("a", ["@method"]).unwrap();
        assert!(accept_signature(&[r.clone(), r]).is_err());
    }
}
