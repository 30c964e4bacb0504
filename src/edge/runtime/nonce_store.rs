//! Replay protection over Workers KV (the optional `NONCES` binding).
//!
//! Best effort: KV is eventually consistent, and a write can take up to a minute to be seen
//! in other locations, so two copies of a request that reach different data centres at the
//! same moment can both pass. Within one location a replay is caught once the first write
//! is visible. A Durable Object, which serialises all requests for one key in one place,
//! makes the check strict (README, "Replay protection"). A KV failure never blocks a request: the
//! verdict stays as the signature check left it, and the failure is logged.

use crate::edge::config::Config;
use crate::edge::nonce_key;
use crate::{Error, Verdict};
use alloc::string::ToString;
use worker::{Env, console_warn};

/// The binding name of the nonce namespace.
pub const BINDING: &str = "NONCES";

/// For a verified verdict with a nonce: fail it if the nonce was seen, else record it.
pub async fn check_and_record(env: &Env, config: &Config, verdict: &mut Verdict, now: u64) {
    if !verdict.is_verified() {
        return;
    }
    let Some(nonce) = verdict.nonce.clone() else {
        return;
    };
    let Ok(kv) = env.kv(BINDING) else {
        return;
    };
    let key = nonce_key::kv_key(verdict.keyid.as_deref(), &nonce);
    match kv.get(&key).text().await {
        Ok(Some(_)) => verdict.fail(&Error::NonceReplayed(nonce)),
        Ok(None) => {
            let ttl = nonce_key::ttl(
                verdict.expires,
                verdict.created,
                config.max_lifetime,
                config.skew,
                now,
            );
            let put = match kv.put(&key, "1") {
                Ok(builder) => builder.expiration_ttl(ttl).execute().await,
                Err(e) => Err(e),
            };
            if let Err(e) = put {
                console_warn!("httpseal: could not record a nonce in KV: {e}");
            }
        }
        Err(e) => console_warn!("httpseal: could not read the nonce KV: {e}"),
    }
}
