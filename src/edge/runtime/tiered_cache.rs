//! Directory documents cached in two tiers — the isolate's memory in front of Workers KV —
//! with one fetch per URL at a time per isolate.
//!
//! Lookup order: memory (fresh) → KV (fresh) → fetch (single-flight) → on failure, a stale
//! copy from memory or KV. How long a document stays fresh or usable-when-stale, and
//! whether a failure is remembered (negative caching), is decided by the caller's
//! [`Freshness`] function: those are the core's Web Bot Auth caching rules (TTL from
//! `Cache-Control` clamped to [60 s, 24 h], failures ≤ 5 min, no caching of a directory
//! whose own signature fails), kept out of this module so it only moves data.

use super::fetcher::{FetchError, FetchLimits, Fetched, fetch_directory};
use crate::edge::memory_cache::{Lookup, MemoryCache};
use crate::edge::single_flight::SingleFlight;
use alloc::boxed::Box;
use alloc::format;
use alloc::rc::Rc;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::cell::RefCell;
use serde::{Deserialize, Serialize};
use worker::{Env, console_warn};

/// The KV binding of the directory cache.
pub const BINDING: &str = "DIRECTORY_CACHE";
/// Documents kept in one isolate's memory.
pub const MEMORY_ENTRIES: usize = 256;

/// A cached result for one URL: a document, or a remembered failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedEntry {
    /// The URL it was fetched from.
    pub url: String,
    /// When it was fetched (UNIX seconds).
    pub fetched_at: u64,
    /// Serve without refreshing until then.
    pub fresh_until: u64,
    /// Serve when a refresh fails until then.
    pub stale_until: u64,
    /// The document, or the failure's code and message (negative caching).
    pub result: Result<CachedDocument, (String, String)>,
}

/// The parts of a fetched directory that verification needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CachedDocument {
    /// Response header fields (for `Signature`, `Signature-Input`, `Content-Digest`, ...).
    pub headers: Vec<(String, String)>,
    /// The body as text (directories are JSON).
    pub body: String,
}

/// How long to keep a fetch result, in seconds from now; `None`: do not cache it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Freshness {
    /// Fresh lifetime.
    pub fresh_for: u64,
    /// Extra time a copy may be served when a refresh fails.
    pub stale_for: u64,
}

/// Where an answer came from (for logs, metrics and tests).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The isolate's memory.
    Memory,
    /// Workers KV.
    Kv,
    /// A fetch made (or joined) just now.
    Network,
    /// A stale copy, because the refresh failed.
    StaleOnError,
}

crate::edge::std::thread_local! {
    static MEMORY: RefCell<MemoryCache<Rc<CachedEntry>>> =
        RefCell::new(MemoryCache::new(MEMORY_ENTRIES));
    /// Leaked once per isolate, so a request's future can hold it across awaits.
    static FLIGHTS: &'static SingleFlight<Result<Fetched, FetchError>> =
        Box::leak(Box::new(SingleFlight::default()));
}

/// The cached entry for `url`, fetching it when neither tier has a fresh one.
pub async fn get_or_fetch(
    env: &Env,
    url: &str,
    now: u64,
    limits: FetchLimits,
    freshness: impl Fn(&Result<Fetched, FetchError>) -> Option<Freshness>,
) -> (Rc<CachedEntry>, Source) {
    let mut stale: Option<Rc<CachedEntry>> = None;
    match MEMORY.with(|m| m.borrow_mut().get(url, now)) {
        Lookup::Fresh(e) => return (e, Source::Memory),
        Lookup::Stale(e) => stale = Some(e),
        Lookup::Miss => {}
    }
    let kv = env.kv(BINDING).ok();
    let key = kv_key(url);
    if let Some(kv) = &kv {
        match kv.get(&key).json::<CachedEntry>().await {
            Ok(Some(e)) if now < e.fresh_until => {
                let e = Rc::new(e);
                remember(&e, now);
                return (e, Source::Kv);
            }
            Ok(Some(e)) if now < e.stale_until && stale.is_none() => stale = Some(Rc::new(e)),
            Ok(_) => {}
            Err(e) => console_warn!("httpseal: directory cache read failed: {e}"),
        }
    }
    let owned_url = String::from(url);
    let flights = FLIGHTS.with(|f| *f);
    let result = flights
        .run(url, move || async move {
            fetch_directory(&owned_url, limits).await
        })
        .await;
    let keep = freshness(&result);
    if let (Err(_), Some(old)) = (&result, &stale)
        && old.result.is_ok()
    {
        return (old.clone(), Source::StaleOnError);
    }
    let entry = Rc::new(CachedEntry {
        url: url.into(),
        fetched_at: now,
        fresh_until: now + keep.map_or(0, |k| k.fresh_for),
        stale_until: now + keep.map_or(0, |k| k.fresh_for + k.stale_for),
        result: match result {
            Ok(f) => Ok(CachedDocument {
                headers: f.headers,
                body: String::from_utf8_lossy(&f.body).into_owned(),
            }),
            Err(e) => Err((e.code().into(), format!("{e}"))),
        },
    });
    if let Some(k) = keep {
        remember(&entry, now);
        if let Some(kv) = &kv {
            let ttl = (k.fresh_for + k.stale_for).max(crate::edge::nonce_key::MIN_KV_TTL);
            let put = match kv.put(&key, &*entry) {
                Ok(b) => b.expiration_ttl(ttl).execute().await,
                Err(e) => Err(e),
            };
            if let Err(e) = put {
                console_warn!("httpseal: directory cache write failed: {e}");
            }
        }
    }
    (entry, Source::Network)
}

fn remember(entry: &Rc<CachedEntry>, now: u64) {
    MEMORY.with(|m| {
        m.borrow_mut().insert(
            &entry.url,
            entry.clone(),
            entry.fresh_until,
            entry.stale_until,
            now,
        )
    });
}

/// KV keys are at most 512 bytes; URLs may be longer, so they are hashed.
fn kv_key(url: &str) -> String {
    use sha2::{Digest, Sha256};
    format!(
        "dir:{}",
        crate::b64::url_encode(&Sha256::digest(url.as_bytes()))
    )
}
