//! Replay stores for the job's nonce questions: strict with a Durable Object (the optional
//! `NONCE_LEDGER` binding, `js/edge/nonce-ledger.mjs`), else best effort over Workers KV (the
//! optional `NONCES` binding). With both bound, the Durable Object decides and KV is not used
//! for nonces. The key and how long to keep it are the core's ([`httpseal::job::NonceRequest`]).
//!
//! The Durable Object named after the nonce's key sees every use of that nonce in order,
//! from every location, so a replay is always refused. KV is eventually consistent: a write
//! can take up to a minute to be seen in other locations (README, "Replay protection").
//!
//! A store that fails (a read or a write refused, the object unreachable — KV has daily and
//! per-key write limits) is reported to the job as such, never as "new": the verdict is then
//! `unverified` (`replay_check_unavailable`), which `enforce` answers with 503 and
//! `Retry-After` (fail closed) and `annotate` forwards with that verdict.

use alloc::format;

use httpseal::job::NonceAnswer;
use worker::kv::KvStore;
use worker::{Env, ObjectNamespace, console_warn};

/// The binding name of the nonce namespace.
pub const BINDING: &str = "NONCES";
/// The binding name of the Durable Object namespace for strict replay protection.
pub const LEDGER_BINDING: &str = "NONCE_LEDGER";

/// Where nonces are recorded: the Durable Object when it is bound, else KV.
pub enum Store {
    /// Strict: one object per nonce key.
    Ledger(ObjectNamespace),
    /// Best effort.
    Kv(KvStore),
}

impl Store {
    /// The store the environment binds, if any.
    pub fn bound(env: &Env) -> Option<Store> {
        match env.durable_object(LEDGER_BINDING) {
            Ok(ledger) => Some(Store::Ledger(ledger)),
            Err(_) => env.kv(BINDING).ok().map(Store::Kv),
        }
    }

    /// Has `key` been seen? Records it until `until` (UNIX seconds; `ttl` seconds from now)
    /// when it has not.
    pub async fn ask(&self, key: &str, until: u64, ttl: u64) -> NonceAnswer {
        match self {
            Store::Ledger(ledger) => ask_ledger(ledger, key, until).await,
            Store::Kv(kv) => ask_kv(kv, key, ttl).await,
        }
    }
}

async fn ask_kv(kv: &KvStore, key: &str, ttl: u64) -> NonceAnswer {
    match kv.get(key).text().await {
        Ok(Some(_)) => NonceAnswer::Seen,
        Ok(None) => {
            let put = match kv.put(key, "1") {
                Ok(builder) => builder.expiration_ttl(ttl).execute().await,
                Err(e) => Err(e),
            };
            match put {
                Ok(()) => NonceAnswer::New,
                Err(e) => {
                    console_warn!("httpseal: could not record a nonce in KV: {e}");
                    NonceAnswer::Unavailable(format!("the NONCES namespace refused the write: {e}"))
                }
            }
        }
        Err(e) => {
            console_warn!("httpseal: could not read the nonce KV: {e}");
            NonceAnswer::Unavailable(format!("the NONCES namespace could not be read: {e}"))
        }
    }
}

async fn ask_ledger(ledger: &ObjectNamespace, key: &str, until: u64) -> NonceAnswer {
    let answer = match ledger.id_from_name(key).and_then(|id| id.get_stub()) {
        Ok(stub) => {
            stub.fetch_with_str(&format!("https://nonce-ledger/record?until={until}"))
                .await
        }
        Err(e) => Err(e),
    };
    match answer.map(|r| r.status_code()) {
        Ok(409) => NonceAnswer::Seen,
        Ok(201) => NonceAnswer::New,
        Ok(status) => {
            console_warn!("httpseal: the nonce ledger answered {status}");
            NonceAnswer::Unavailable(format!("the nonce ledger answered {status}"))
        }
        Err(e) => {
            console_warn!("httpseal: could not reach the nonce ledger: {e}");
            NonceAnswer::Unavailable(format!("the nonce ledger is unreachable: {e}"))
        }
    }
}
