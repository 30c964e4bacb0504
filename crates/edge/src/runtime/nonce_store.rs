//! Replay protection: strict with a Durable Object (the optional `NONCE_LEDGER` binding,
//! `js/edge/nonce-ledger.mjs`), else best effort over Workers KV (the optional `NONCES`
//! binding). With both bound, the Durable Object decides and KV is not used for nonces.
//!
//! The Durable Object named after the nonce's key sees every use of that nonce in order,
//! from every location, so a replay is always refused. Its cost is a round trip to the
//! object's location on each verified request that carries a nonce.
//!
//! KV is best effort: it is eventually consistent, and a write can take up to a minute to be seen
//! in other locations, so two copies of a request that reach different data centres at the
//! same moment can both pass. Within one location a replay is caught once the first write
//! is visible. A Durable Object, which serialises all requests for one key in one place,
//! makes the check strict (README, "Replay protection"). A KV failure never blocks a request: the
//! verdict stays as the signature check left it, and the failure is logged.

use crate::config::Config;
use crate::nonce_key;
use alloc::format;
use alloc::string::ToString;
use httpseal::{Error, Verdict};
use worker::kv::KvStore;
use worker::{Env, ObjectNamespace, console_warn};

/// The binding name of the nonce namespace.
pub const BINDING: &str = "NONCES";
/// The binding name of the Durable Object namespace for strict replay protection.
pub const LEDGER_BINDING: &str = "NONCE_LEDGER";

/// For a verified verdict with a nonce: fail it if the nonce was seen, else record it.
pub async fn check_and_record(env: &Env, config: &Config, verdict: &mut Verdict, now: u64) {
    if !verdict.is_verified() {
        return;
    }
    let Some(nonce) = verdict.nonce.clone() else {
        return;
    };
    // Without a binding there is nothing to check: return before hashing anything.
    let store = match env.durable_object(LEDGER_BINDING) {
        Ok(ledger) => Store::Ledger(ledger),
        Err(_) => match env.kv(BINDING) {
            Ok(kv) => Store::Kv(kv),
            Err(_) => return,
        },
    };
    let key = nonce_key::kv_key(verdict.keyid.as_deref(), &nonce);
    let ttl = nonce_key::ttl(
        verdict.expires,
        verdict.created,
        config.max_lifetime,
        config.skew,
        now,
    );
    let replayed = match store {
        Store::Ledger(ledger) => ledger_says_replayed(&ledger, &key, now.saturating_add(ttl)).await,
        Store::Kv(kv) => kv_says_replayed(&kv, &key, ttl).await,
    };
    if replayed {
        verdict.fail(&Error::NonceReplayed(nonce));
    }
}

/// Where nonces are recorded: the Durable Object when it is bound, else KV.
enum Store {
    Ledger(ObjectNamespace),
    Kv(KvStore),
}

/// Looks the nonce up in KV and records it for `ttl` seconds when it is new: `true` when
/// it was already there. A KV failure is logged and lets the request through.
async fn kv_says_replayed(kv: &KvStore, key: &str, ttl: u64) -> bool {
    match kv.get(key).text().await {
        Ok(Some(_)) => true,
        Ok(None) => {
            let put = match kv.put(key, "1") {
                Ok(builder) => builder.expiration_ttl(ttl).execute().await,
                Err(e) => Err(e),
            };
            if let Err(e) = put {
                console_warn!("httpseal: could not record a nonce in KV: {e}");
            }
            false
        }
        Err(e) => {
            console_warn!("httpseal: could not read the nonce KV: {e}");
            false
        }
    }
}

/// Asks the nonce's Durable Object to record it until `until` (UNIX seconds): `true` when it
/// was already recorded. A failure to reach the object is logged and lets the request
/// through, like a KV failure.
async fn ledger_says_replayed(ledger: &ObjectNamespace, key: &str, until: u64) -> bool {
    let answer = match ledger.id_from_name(key).and_then(|id| id.get_stub()) {
        Ok(stub) => {
            stub.fetch_with_str(&format!("https://nonce-ledger/record?until={until}"))
                .await
        }
        Err(e) => Err(e),
    };
    match answer.map(|r| r.status_code()) {
        Ok(409) => true,
        Ok(201) => false,
        Ok(status) => {
            console_warn!("httpseal: the nonce ledger answered {status}");
            false
        }
        Err(e) => {
            console_warn!("httpseal: could not reach the nonce ledger: {e}");
            false
        }
    }
}
