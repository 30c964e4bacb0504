//! The signature base (RFC 9421 §2.5): the exact bytes that are signed and verified.

use crate::component::{ComponentId, Derived};
use crate::derived::derived_value;
use crate::error::{Error, Result};
use crate::field::field_value;
use crate::input::SignatureParams;
use crate::limits::MAX_SIGNATURE_BASE_BYTES;
use crate::message::Message;
use crate::sftypes::SfRegistry;
use alloc::string::String;

/// Builds the signature base of `params` over `msg`.
///
/// Fails (never panics) on every condition §2.5 lists: a duplicate component, an unknown
/// derived component or parameter, incompatible parameters, `req` on a request, a missing
/// field, dictionary member or query parameter, a value that is not ASCII.
pub fn signature_base(
    msg: &dyn Message,
    params: &SignatureParams,
    types: &SfRegistry,
) -> Result<String> {
    let mut out = String::with_capacity(512);
    let components = params.components();
    for (i, component) in components.iter().enumerate() {
        if components[..i].iter().any(|c| c.same_component(component)) {
            return Err(Error::DuplicateComponent(component.serialize()));
        }
        let value = component_value(msg, component, types)?;
        component.serialize_into(&mut out);
        out.push_str(": ");
        out.push_str(&value);
        out.push('\n');
        if out.len() > MAX_SIGNATURE_BASE_BYTES {
            return Err(Error::SignatureBaseTooLarge);
        }
    }
    out.push_str("\"@signature-params\": ");
    params.serialize_into(&mut out);
    if out.len() > MAX_SIGNATURE_BASE_BYTES {
        return Err(Error::SignatureBaseTooLarge);
    }
    Ok(out)
}

/// The canonical value of one covered component (§2.5 step 2.4).
pub fn component_value(
    msg: &dyn Message,
    component: &ComponentId,
    types: &SfRegistry,
) -> Result<String> {
    let display = || component.serialize();
    if component.name() == "@signature-params" {
        return Err(Error::SignatureParamsCovered);
    }
    let flags = component.flags()?;
    let context: &dyn Message = if flags.req {
        if msg.is_request() {
            return Err(Error::ReqOnRequest(display()));
        }
        msg.related_request()
            .ok_or_else(|| Error::MissingRelatedRequest(display()))?
    } else {
        msg
    };
    if component.is_derived() {
        let which = Derived::from_name(component.name())
            .ok_or_else(|| Error::UnknownDerivedComponent(component.name().into()))?;
        derived_value(context, which, &flags, &display)
    } else {
        field_value(context, component.name(), &flags, types, &display)
    }
}
