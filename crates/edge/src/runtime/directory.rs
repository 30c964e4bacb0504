//! Serving the operator's own key directory, signed by the core's
//! [`httpseal::webbotauth::sign_directory`] with the `OPERATOR_PRIVATE_JWKS` keys.
//!
//! Signing costs a signature per key (RSA: milliseconds), so the signed response is kept in
//! the isolate's memory per authority and re-signed when it is half-way to its expiry.

use super::random;
use alloc::rc::Rc;
use alloc::vec::Vec;
use core::cell::RefCell;
use httpseal::job::RecordMemory;
use httpseal::webbotauth::{DirectoryResponse, sign_directory};
use httpseal::{Error, JwkSet, Key};
use worker::{Headers, Response};

/// How long each directory signature is valid.
pub const SIGNATURE_LIFETIME: u64 = 24 * 3600;
/// How long verifiers may cache the directory (`Cache-Control: max-age`).
pub const MAX_AGE: u64 = 3600;
/// Signed directories kept, one per authority the Worker is reached under.
pub const SIGNED_AUTHORITIES: usize = 16;

std::thread_local! {
    static SIGNED: RefCell<RecordMemory<Rc<DirectoryResponse>>> =
        const { RefCell::new(RecordMemory::new(SIGNED_AUTHORITIES)) };
}

/// The signed directory for `authority` (the host it is served on) at `now`.
pub fn signed_directory(
    keys: &JwkSet,
    authority: &str,
    now: u64,
) -> Result<Rc<DirectoryResponse>, Error> {
    if let Some(r) = SIGNED.with_borrow_mut(|c| c.get(authority, now).cloned()) {
        return Ok(r);
    }
    let seed = random::bytes::<32>().map_err(|_| Error::EntropyRequired)?;
    let private: Vec<Key> = keys.keys().iter().map(|k| k.key.clone()).collect();
    let signed = Rc::new(sign_directory(
        &private,
        authority,
        now,
        now + SIGNATURE_LIFETIME,
        &seed,
    )?);
    // Re-signed when half-way to its expiry.
    SIGNED.with_borrow_mut(|c| c.keep(authority, signed.clone(), SIGNATURE_LIFETIME / 2, now));
    Ok(signed)
}

/// The HTTP response for a signed directory (`head`: headers only).
pub fn response(signed: &DirectoryResponse, head: bool) -> worker::Result<Response> {
    let headers = Headers::new();
    for (name, value) in &signed.headers {
        headers.append(name, value)?;
    }
    headers.set(
        "cache-control",
        &alloc::format!("public, max-age={MAX_AGE}"),
    )?;
    let body = if head {
        Vec::new()
    } else {
        signed.body.clone().into_bytes()
    };
    Ok(Response::from_bytes(body)?.with_headers(headers))
}
