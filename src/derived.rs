//! Values of the derived components (RFC 9421 §2.2).

use crate::component::{ComponentFlags, Derived};
use crate::error::{Error, Result};
use crate::field::check_value_chars;
use crate::limits::MAX_COMPONENT_VALUE_BYTES;
use crate::message::{Message, Target, TargetForm};
use crate::query::{encoded_pairs, reencode};
use crate::url::normalize_authority;
use alloc::format;
use alloc::string::{String, ToString};

/// The value of derived component `which` in `msg` (already the request for `req`).
pub(crate) fn derived_value(
    msg: &dyn Message,
    which: Derived,
    flags: &ComponentFlags,
    display: &dyn Fn() -> String,
) -> Result<String> {
    let not_applicable = || Error::ComponentNotApplicable(display());
    let target = || msg.target().ok_or_else(not_applicable);
    let value = match which {
        Derived::Status => format!("{:03}", msg.status().ok_or_else(not_applicable)?),
        Derived::Method => msg.method().ok_or_else(not_applicable)?.to_string(),
        Derived::TargetUri => target_uri(&target()?).ok_or_else(not_applicable)?,
        Derived::Authority => {
            let t = target()?;
            if t.authority.is_empty() {
                return Err(not_applicable());
            }
            normalize_authority(t.scheme, t.authority)
        }
        Derived::Scheme => {
            let t = target()?;
            if t.scheme.is_empty() {
                return Err(not_applicable());
            }
            t.scheme.to_ascii_lowercase()
        }
        Derived::RequestTarget => target()?.request_target.to_string(),
        Derived::Path => path(&target()?).to_string(),
        Derived::Query => format!("?{}", target()?.query.unwrap_or_default()),
        Derived::QueryParam => {
            let name = flags.name.as_deref().ok_or(Error::MissingQueryParamName)?;
            // The `name` parameter holds the *encoded* name; compare like with like, and
            // also accept a name whose encoding is not canonical by re-encoding it.
            let wanted = reencode(name);
            let query = target()?.query.unwrap_or_default();
            let mut found = None;
            for (n, v) in encoded_pairs(query) {
                if n == wanted {
                    if found.is_some() {
                        return Err(Error::QueryParamRepeated(name.to_string()));
                    }
                    found = Some(v);
                }
            }
            found.ok_or_else(|| Error::QueryParamNotFound(name.to_string()))?
        }
    };
    if value.len() > MAX_COMPONENT_VALUE_BYTES {
        return Err(Error::ComponentValueTooLarge(display()));
    }
    check_value_chars(&value, display)?;
    Ok(value)
}

/// `@path`: the path as sent, an empty path normalised to `/` (§2.2.6).
fn path<'a>(t: &Target<'a>) -> &'a str {
    if t.path.is_empty() { "/" } else { t.path }
}

/// `@target-uri`: the target URI as received (§2.2.2, RFC 9110 §7.1: scheme, the authority
/// as the request named it, path and query). Only `@authority` is normalised (§2.2.3): a
/// signer that kept `https://example.com:443/` signed the port, and so must the verifier.
fn target_uri(t: &Target<'_>) -> Option<String> {
    if t.scheme.is_empty() || t.authority.is_empty() {
        return None;
    }
    let mut out = format!("{}://{}", t.scheme, t.authority);
    match t.form {
        TargetForm::Origin | TargetForm::Absolute => {
            out.push_str(path(t));
            if let Some(q) = t.query {
                out.push('?');
                out.push_str(q);
            }
        }
        TargetForm::Authority | TargetForm::Asterisk => {}
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::HttpMessage;

    fn value(msg: &HttpMessage, which: Derived) -> String {
        derived_value(msg, which, &ComponentFlags::default(), &|| "x".to_string()).unwrap()
    }

    #[test]
    fn target_uri_is_as_received_and_only_authority_is_normalised() {
        // RFC 9421 §2.2.2 vs §2.2.3: a signer that kept the default port signed it in
        // @target-uri (pyauth's http-message-signatures does), never in @authority.
        let msg = HttpMessage::request("GET", "https://Example.com:443/a?b=c").unwrap();
        assert_eq!(
            value(&msg, Derived::TargetUri),
            "https://Example.com:443/a?b=c"
        );
        assert_eq!(value(&msg, Derived::Authority), "example.com");
        let origin =
            HttpMessage::request_from_target("GET", "/a", "example.com:443", "https").unwrap();
        assert_eq!(
            value(&origin, Derived::TargetUri),
            "https://example.com:443/a"
        );
        assert_eq!(value(&origin, Derived::Authority), "example.com");
        let plain = HttpMessage::request("GET", "https://example.com").unwrap();
        assert_eq!(value(&plain, Derived::TargetUri), "https://example.com/");
    }
}
