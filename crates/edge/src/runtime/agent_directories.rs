//! Resolving the key directories a request's signatures name (`Signature-Agent`), cached
//! in two tiers: the isolate's memory (bounded, holding the parsed keys) in front of
//! Workers KV (the core's [`httpseal::webbotauth::CachedDirectory`] JSON, expiring after
//! [`DirectoryEntry::storage_ttl`]).
//!
//! Per location of the core's plan ([`httpseal::webbotauth::fetches`]), the entry's
//! [`Step`] decides: use the keys; use stale keys and refresh in the background
//! (`ctx.waitUntil`); report a remembered failure without fetching (negative caching);
//! or fetch. Loading — a KV read, then the SSRF-safe fetch when KV has nothing usable —
//! runs at most once per URL at a time in an isolate ([`SingleFlight`]); concurrent requests
//! for the same URL wait for it. A failed refresh
//! keeps the keys held (stale-on-error); a successful one replaces them, so a key the
//! agent no longer lists is gone.

use super::fetcher::{FetchLimits, fetch_directory};
use crate::directory_document::{
    Accepted, FetchedDocument, accept, jwks_uri_location, unavailable,
};
use crate::directory_entry::{DirectoryEntry, Step, kv_key};
use crate::memory_cache::{Lookup, MemoryCache};
use crate::resolved::Resolved;
use crate::single_flight::SingleFlight;
use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::string::{String, ToString};
use core::cell::RefCell;
use futures_util::future::join_all;
use httpseal::webbotauth::{
    AgentLocation, AgentOptions, AgentType, CachedDirectory, MAX_DIRECTORY_BYTES, PlannedSignature,
    fetches,
};
use httpseal::{Error, JwkSet};
use worker::{Context, Delay, Env, console_warn};

/// The KV binding of the directory cache.
pub const BINDING: &str = "DIRECTORY_CACHE";
/// Directories kept in one isolate's memory (each at most `MAX_DIRECTORY_BYTES`).
pub const MEMORY_ENTRIES: usize = 256;
/// Time for one directory fetch (headers and body), milliseconds.
pub const FETCH_TIMEOUT_MS: u64 = 5_000;

std::thread_local! {
    static MEMORY: RefCell<MemoryCache<Rc<DirectoryEntry>>> =
        RefCell::new(MemoryCache::new(MEMORY_ENTRIES));
    /// Leaked once per isolate, so a request's future can hold it across awaits.
    static FLIGHTS: &'static SingleFlight<Rc<DirectoryEntry>> =
        Box::leak(Box::new(SingleFlight::default()));
}

/// How directories are fetched: the development switch decides both the fetcher's rules
/// and which agent URLs the core accepts.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// The fetcher's limits.
    pub limits: FetchLimits,
    /// The core's agent URL rules.
    pub options: AgentOptions,
}

impl Settings {
    /// The settings under `DEV_ALLOW_INSECURE_DIRECTORIES = allow_insecure`.
    pub fn new(allow_insecure: bool) -> Self {
        Settings {
            limits: FetchLimits {
                max_body_bytes: MAX_DIRECTORY_BYTES,
                timeout_ms: FETCH_TIMEOUT_MS,
                allow_insecure,
            },
            options: AgentOptions {
                allow_http: allow_insecure,
            },
        }
    }
}

/// The directories a verification needs (its [`crate::verification::directory_plan`]),
/// resolved at `now` (the Worker's clock: cache records are never dated by a caller's
/// `now`). An empty plan costs nothing.
pub async fn for_plan(
    env: &Env,
    ctx: &Context,
    plan: &[PlannedSignature],
    allow_insecure: bool,
    now: u64,
) -> Resolved {
    if plan.is_empty() {
        return Resolved::none();
    }
    resolve(env, ctx, plan, Settings::new(allow_insecure), now).await
}

/// The directories `plan` names, resolved at `now`.
pub async fn resolve(
    env: &Env,
    ctx: &Context,
    plan: &[PlannedSignature],
    settings: Settings,
    now: u64,
) -> Resolved {
    let mut resolved = Resolved::for_plan(plan);
    let locations = fetches(plan);
    let found = join_all(
        locations
            .iter()
            .map(|location| keys_for(env, ctx, location, settings, now)),
    )
    .await;
    for (location, keys) in locations.into_iter().zip(found) {
        match keys {
            Ok(keys) => resolved.add(location, keys),
            Err(why) => resolved.fail(location, why),
        }
    }
    resolved
}

/// The keys of one location, or why there are none.
async fn keys_for(
    env: &Env,
    ctx: &Context,
    location: &AgentLocation,
    settings: Settings,
    now: u64,
) -> Result<Rc<JwkSet>, String> {
    let url = location.fetch_url.as_str();
    let held = remembered(url, now);
    let entry = match held.as_ref().map(|e| e.step(now)) {
        Some(Step::Use(keys)) => return Ok(keys),
        Some(Step::Unavailable(why)) => return Err(why),
        Some(Step::UseAndRefresh(keys)) => {
            refresh_in_background(env, ctx, location, held, settings, now);
            return Ok(keys);
        }
        Some(Step::Fetch) | None => {
            let (env, location) = (env.clone(), location.clone());
            let flights = FLIGHTS.with(|f| *f);
            flights
                .run(
                    url,
                    move || load(env, location, held, settings, now, false),
                    pause,
                )
                .await
        }
    };
    match entry.step(now) {
        Step::Use(keys) => Ok(keys),
        // KV had a stale copy: use it now, fetch afterwards.
        Step::UseAndRefresh(keys) => {
            refresh_in_background(env, ctx, location, Some(entry), settings, now);
            Ok(keys)
        }
        Step::Unavailable(why) => Err(why),
        Step::Fetch => Err(unavailable(url, "directory_unavailable", "no usable keys").to_string()),
    }
}

/// Starts a refresh that outlives the request, unless one is already running.
fn refresh_in_background(
    env: &Env,
    ctx: &Context,
    location: &AgentLocation,
    held: Option<Rc<DirectoryEntry>>,
    settings: Settings,
    now: u64,
) {
    let flights = FLIGHTS.with(|f| *f);
    if flights.is_running(&location.fetch_url) {
        return;
    }
    let (env, location) = (env.clone(), location.clone());
    ctx.wait_until(async move {
        let url = location.fetch_url.clone();
        flights
            .run(
                &url,
                move || load(env, location, held, settings, now, true),
                pause,
            )
            .await;
    });
}

/// The freshest entry KV or memory has; fetched when neither has a usable one (or, for a
/// refresh, a fresh one). The result is remembered in memory and written to KV.
async fn load(
    env: Env,
    location: AgentLocation,
    held: Option<Rc<DirectoryEntry>>,
    settings: Settings,
    now: u64,
    refresh: bool,
) -> Rc<DirectoryEntry> {
    let url = location.fetch_url.as_str();
    let mut current = held;
    if let Some(stored) = kv_read(&env, url, now).await
        && current.as_ref().is_none_or(|c| stored.is_newer_than(c))
    {
        current = Some(Rc::new(stored));
    }
    if let Some(c) = &current {
        let usable = match c.step(now) {
            Step::Use(_) | Step::Unavailable(_) => true,
            Step::UseAndRefresh(_) => !refresh,
            Step::Fetch => false,
        };
        if usable {
            remember(url, c.clone(), now);
            return c.clone();
        }
    }
    let entry = Rc::new(match fetch_keys(&location, settings, now).await {
        Ok((record, keys)) => DirectoryEntry {
            record,
            keys: Some(Rc::new(keys)),
        },
        Err(e) => {
            console_warn!("httpseal: {e}");
            let previous = current.as_deref();
            DirectoryEntry {
                record: CachedDirectory::failed(previous.map(|p| &p.record), &e, now),
                keys: previous.and_then(|p| p.keys.clone()),
            }
        }
    });
    remember(url, entry.clone(), now);
    kv_write(&env, url, &entry, now).await;
    entry
}

/// Fetches and accepts a location's keys (a CIMD that names a `jwks_uri` costs one more
/// fetch, under the same rules).
async fn fetch_keys(
    location: &AgentLocation,
    settings: Settings,
    now: u64,
) -> Result<(CachedDirectory, JwkSet), Error> {
    let mut current = location.clone();
    loop {
        let url = current.fetch_url.as_str();
        let fetched = fetch_directory(url, settings.limits)
            .await
            .map_err(|e| unavailable(url, e.code(), &alloc::format!("{e}")))?;
        let document = FetchedDocument {
            url,
            status: fetched.status,
            headers: &fetched.headers,
            body: &fetched.body,
        };
        match accept(&current, document, settings.options, now) {
            Accepted::Keys { record, keys } => return Ok((record, keys)),
            Accepted::Rejected(e) => return Err(e),
            Accepted::FetchJwksUri(uri) if current.kind == AgentType::Cimd => {
                current = jwks_uri_location(location, &uri);
            }
            Accepted::FetchJwksUri(_) => {
                return Err(unavailable(
                    url,
                    "invalid_directory",
                    "a JWK Set points elsewhere",
                ));
            }
        }
    }
}

/// How long a request waiting for another one's fetch sleeps between checks (a timer in
/// its own I/O context, see [`SingleFlight`]).
const WAIT_STEP_MS: u64 = 10;

fn pause() -> Delay {
    Delay::from(core::time::Duration::from_millis(WAIT_STEP_MS))
}

fn remembered(url: &str, now: u64) -> Option<Rc<DirectoryEntry>> {
    match MEMORY.with(|m| m.borrow_mut().get(url, now)) {
        Lookup::Fresh(e) | Lookup::Stale(e) => Some(e),
        Lookup::Miss => None,
    }
}

fn remember(url: &str, entry: Rc<DirectoryEntry>, now: u64) {
    let until = now + entry.storage_ttl(now);
    MEMORY.with(|m| m.borrow_mut().insert(url, entry, until, until, now));
}

async fn kv_read(env: &Env, url: &str, now: u64) -> Option<DirectoryEntry> {
    let kv = env.kv(BINDING).ok()?;
    match kv.get(&kv_key(url)).text().await {
        Ok(Some(text)) => match CachedDirectory::from_json(&text) {
            Ok(record) => Some(DirectoryEntry::from_record(record, now)),
            Err(e) => {
                console_warn!("httpseal: ignoring a directory cache entry for {url}: {e}");
                None
            }
        },
        Ok(None) => None,
        Err(e) => {
            console_warn!("httpseal: directory cache read failed: {e}");
            None
        }
    }
}

/// KV metadata of an entry: the URL it caches.
#[derive(serde::Serialize)]
struct Metadata<'a> {
    url: &'a str,
}

async fn kv_write(env: &Env, url: &str, entry: &DirectoryEntry, now: u64) {
    // `no-store` / `private`: memory only.
    if !entry.record.shareable {
        return;
    }
    let Ok(kv) = env.kv(BINDING) else {
        return;
    };
    let put = match kv.put(&kv_key(url), entry.record.to_json()) {
        Ok(builder) => match builder.metadata(Metadata { url }) {
            Ok(builder) => {
                builder
                    .expiration_ttl(entry.storage_ttl(now))
                    .execute()
                    .await
            }
            Err(e) => Err(e),
        },
        Err(e) => Err(e),
    };
    if let Err(e) = put {
        console_warn!("httpseal: directory cache write failed: {e}");
    }
}
