//! The Worker's configuration: `[vars]` in `wrangler.toml` and one secret.
//!
//! Parsed from a lookup function so the rules are tested natively. Every error names the
//! variable it is about; the Worker answers a request with a 500 problem+json carrying that
//! message instead of failing at start-up, so a typo in a dashboard variable is reported
//! where the operator will look, and never crashes the isolate.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::sync::Arc;
use core::fmt;
use httpseal::fetch::{HostClass, classify_host};
use httpseal::gateway::{Mode as GatewayMode, Rules};
use httpseal::{JwkSet, Profile};

/// What the gateway does with a request that is not `verified`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Fail-open: forward every request with a trustworthy verdict header.
    Annotate,
    /// Forward only verified requests; answer 401 / 403 / 429 otherwise.
    Enforce,
    /// No gateway: only `/verify`, the directory and the static pages.
    Api,
}

impl Mode {
    /// The gateway mode, or `None` in `api` mode (no gateway).
    pub fn gateway(self) -> Option<httpseal::gateway::Mode> {
        match self {
            Mode::Annotate => Some(httpseal::gateway::Mode::Annotate),
            Mode::Enforce => Some(httpseal::gateway::Mode::Enforce),
            Mode::Api => None,
        }
    }

    /// The name used in `MODE`.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Annotate => "annotate",
            Mode::Enforce => "enforce",
            Mode::Api => "api",
        }
    }
}

/// Where the gateway forwards requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Upstream {
    /// The request's own URL: the origin behind the Worker's route.
    PassThrough,
    /// The Worker's static assets (the playground and `public/`): a self-contained demo, used by `make dev`.
    Assets,
    /// Another origin (`https://origin.example:8443`): the path and query are kept.
    Origin(String),
}

/// Which implementation checks Ed25519 signature bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ed25519Check {
    /// The platform's WebCrypto (native code in workerd; the default, several times faster).
    WebCrypto,
    /// The core's portable Rust implementation, compiled to wasm (for comparison).
    Wasm,
}

/// Everything the Worker reads from its environment.
#[derive(Debug, Clone)]
pub struct Config {
    /// `MODE`: `annotate` (default), `enforce` or `api`.
    pub mode: Mode,
    /// `PROFILE`: `web-bot-auth` (default), `rfc9421` or `fediverse`.
    pub profile: Profile,
    /// `CLOCK_SKEW_SECONDS` (default 60).
    pub skew: u64,
    /// `MAX_SIGNATURE_LIFETIME_SECONDS` (default 86400): longest `expires - created`.
    pub max_lifetime: u64,
    /// `UPSTREAM_ORIGIN`: empty for pass-through (default), `assets`, or an origin URL.
    pub upstream: Upstream,
    /// `VERDICT_HEADER` (default `HTTPSeal-Verdict`), lower-cased.
    pub verdict_header: String,
    /// `DEV_ALLOW_INSECURE_DIRECTORIES` (default false): fetch directories over http and
    /// from loopback hosts. For local development and tests only.
    pub allow_insecure_directories: bool,
    /// `MAX_CHECKED_BODY_BYTES` (default 1 MiB, at most 8 MiB): the largest body of a signed
    /// request the gateway buffers to check its `Content-Digest`.
    pub max_checked_body: usize,
    /// `ED25519_VERIFIER`: `webcrypto` (default) or `wasm`.
    pub ed25519_check: Ed25519Check,
    /// `TRUSTED_JWKS`: public keys the operator trusts directly (a JWK Set), checked by
    /// `keyid` (the JWK's `kid` or its thumbprint). Empty by default. Shared by every
    /// request of the isolate.
    pub trusted_keys: Arc<JwkSet>,
    /// `ALLOW_TEST_KEYS` (default false): accept the published RFC 9421 test keys. For
    /// tests and demos only.
    pub allow_test_keys: bool,
    /// `ACCEPT_DRAFT00_MEMBERS` (default false): read draft -00 typed `Signature-Agent`
    /// members (`type=directory|jwks_uri|cimd`), which draft -01 says to ignore.
    pub draft00_members: bool,
    /// `MAX_BUFFERED_BYTES` (default [`crate::budget::DEFAULT_MAX_BUFFERED_BYTES`]): the
    /// isolate-wide budget of bytes buffered in wasm for requests in flight.
    pub max_buffered: usize,
    /// `JWKS_URL` (default none): a JWK Set URL the operator trusts (Visa TAP's agent
    /// registry, a partner's keys), fetched and cached like a directory, for signatures that
    /// name no `Signature-Agent`.
    pub jwks_url: Option<String>,
    /// `RULES` (default none): route and agent rules ([`httpseal::gateway::Rules`]), with
    /// `MODE` and `PROFILE` as their defaults.
    pub rules: Rules,
    /// `RATE_LIMIT_RETRY_AFTER_SECONDS` (default 60): the `Retry-After` of a 429 from the
    /// `RATE_LIMITER` binding (its period).
    pub rate_limit_retry_after: u64,
    /// `LOG_SAMPLE_RATE` (default 1): the share of decisions logged as JSON lines, in
    /// millionths (0 to 1 000 000).
    pub log_sample: u32,
    /// The `DASHBOARD_TOKEN` secret: the operator dashboard at `/_httpseal/` is on when set.
    pub dashboard_token: Option<String>,
    /// `ANALYTICS_ACCOUNT_ID` and the `ANALYTICS_API_TOKEN` secret: the dashboard reads
    /// Analytics Engine through its SQL API (else the isolate's own record).
    pub analytics_sql: Option<AnalyticsSql>,
    /// The `OPERATOR_PRIVATE_JWKS` secret: the operator's own private keys, for serving and
    /// signing their directory. `None` when the secret is not set.
    pub operator_keys: Option<JwkSet>,
}

/// Where the dashboard reads Analytics Engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnalyticsSql {
    /// The SQL API endpoint (`https://api.cloudflare.com/client/v4/accounts/<id>/analytics_engine/sql`,
    /// or `ANALYTICS_SQL_URL`).
    pub url: String,
    /// The API token (a secret).
    pub token: String,
    /// The dataset the `ANALYTICS` binding writes (`ANALYTICS_DATASET`, default `httpseal`).
    pub dataset: String,
}

/// The names of the variables, as documented in the README (section "Edge verifier").
pub mod vars {
    /// Gateway mode.
    pub const MODE: &str = "MODE";
    /// Verification profile.
    pub const PROFILE: &str = "PROFILE";
    /// Clock skew.
    pub const CLOCK_SKEW: &str = "CLOCK_SKEW_SECONDS";
    /// Maximum signature lifetime.
    pub const MAX_LIFETIME: &str = "MAX_SIGNATURE_LIFETIME_SECONDS";
    /// Upstream origin.
    pub const UPSTREAM: &str = "UPSTREAM_ORIGIN";
    /// Verdict header name.
    pub const VERDICT_HEADER: &str = "VERDICT_HEADER";
    /// Development switch for directory fetches.
    pub const DEV_INSECURE: &str = "DEV_ALLOW_INSECURE_DIRECTORIES";
    /// Directly trusted public keys.
    pub const TRUSTED_JWKS: &str = "TRUSTED_JWKS";
    /// Largest body checked.
    pub const MAX_CHECKED_BODY: &str = "MAX_CHECKED_BODY_BYTES";
    /// Ed25519 implementation.
    pub const ED25519_VERIFIER: &str = "ED25519_VERIFIER";
    /// Accept the published test keys.
    pub const ALLOW_TEST_KEYS: &str = "ALLOW_TEST_KEYS";
    /// Read draft -00 typed Signature-Agent members.
    pub const DRAFT00_MEMBERS: &str = "ACCEPT_DRAFT00_MEMBERS";
    /// The isolate's budget of buffered bytes.
    pub const MAX_BUFFERED: &str = "MAX_BUFFERED_BYTES";
    /// A JWK Set URL the operator trusts.
    pub const JWKS_URL: &str = "JWKS_URL";
    /// Route and agent rules.
    pub const RULES: &str = "RULES";
    /// The Retry-After of rate-limited requests.
    pub const RATE_LIMIT_RETRY_AFTER: &str = "RATE_LIMIT_RETRY_AFTER_SECONDS";
    /// The share of decisions logged.
    pub const LOG_SAMPLE_RATE: &str = "LOG_SAMPLE_RATE";
    /// The dashboard's token (a secret).
    pub const DASHBOARD_TOKEN: &str = "DASHBOARD_TOKEN";
    /// The Cloudflare account whose Analytics Engine the dashboard reads.
    pub const ANALYTICS_ACCOUNT_ID: &str = "ANALYTICS_ACCOUNT_ID";
    /// The API token for the Analytics Engine SQL API (a secret).
    pub const ANALYTICS_API_TOKEN: &str = "ANALYTICS_API_TOKEN";
    /// The Analytics Engine dataset name.
    pub const ANALYTICS_DATASET: &str = "ANALYTICS_DATASET";
    /// Another SQL API endpoint (tests).
    pub const ANALYTICS_SQL_URL: &str = "ANALYTICS_SQL_URL";
    /// The operator's private keys (a secret).
    pub const OPERATOR_JWKS: &str = "OPERATOR_PRIVATE_JWKS";
    /// Every variable the Worker reads, for hosts that snapshot them.
    pub const ALL: [&str; 23] = [
        MODE,
        PROFILE,
        CLOCK_SKEW,
        MAX_LIFETIME,
        UPSTREAM,
        VERDICT_HEADER,
        DEV_INSECURE,
        TRUSTED_JWKS,
        MAX_CHECKED_BODY,
        ED25519_VERIFIER,
        OPERATOR_JWKS,
        ALLOW_TEST_KEYS,
        DRAFT00_MEMBERS,
        MAX_BUFFERED,
        JWKS_URL,
        RULES,
        RATE_LIMIT_RETRY_AFTER,
        LOG_SAMPLE_RATE,
        DASHBOARD_TOKEN,
        ANALYTICS_ACCOUNT_ID,
        ANALYTICS_API_TOKEN,
        ANALYTICS_DATASET,
        ANALYTICS_SQL_URL,
    ];
}

/// A configuration variable with a value the Worker cannot use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The variable's name.
    pub variable: &'static str,
    /// What is wrong and what would be right.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.variable, self.message)
    }
}

impl Config {
    /// Reads the configuration; `lookup(name)` returns a variable's value as text, `None`
    /// when it is unset. Empty values mean "the default".
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let err = |variable: &'static str, message: String| ConfigError { variable, message };

        let mode = match get(vars::MODE).as_deref() {
            None | Some("annotate") => Mode::Annotate,
            Some("enforce") => Mode::Enforce,
            Some("api") => Mode::Api,
            Some(other) => {
                return Err(err(
                    vars::MODE,
                    format!("{other:?} is not a mode; use annotate (default), enforce or api"),
                ));
            }
        };
        let profile = match get(vars::PROFILE) {
            None => Profile::WebBotAuth,
            Some(name) => Profile::from_name(&name).map_err(|_| {
                err(
                    vars::PROFILE,
                    format!(
                        "{name:?} is not a profile; use web-bot-auth (default), rfc9421, fediverse or visa-tap"
                    ),
                )
            })?,
        };
        let number = |variable: &'static str,
                      default: u64,
                      max: u64,
                      unit: &str|
         -> Result<u64, ConfigError> {
            match get(variable) {
                None => Ok(default),
                Some(text) => match text.parse::<u64>() {
                    Ok(n) if n <= max => Ok(n),
                    _ => Err(err(
                        variable,
                        format!("{text:?} is not a whole number of {unit} between 0 and {max}"),
                    )),
                },
            }
        };
        use httpseal::gateway::{
            DEFAULT_CLOCK_SKEW_SECONDS, DEFAULT_MAX_LIFETIME_SECONDS, MAX_CHECKED_BODY_LIMIT,
            MAX_CLOCK_SKEW_SECONDS, MAX_MAX_LIFETIME_SECONDS,
        };
        let skew = number(
            vars::CLOCK_SKEW,
            DEFAULT_CLOCK_SKEW_SECONDS,
            MAX_CLOCK_SKEW_SECONDS,
            "seconds",
        )?;
        let max_lifetime = number(
            vars::MAX_LIFETIME,
            DEFAULT_MAX_LIFETIME_SECONDS,
            MAX_MAX_LIFETIME_SECONDS,
            "seconds",
        )?;
        let max_checked_body = number(
            vars::MAX_CHECKED_BODY,
            httpseal::job::DEFAULT_MAX_CHECKED_BODY_BYTES as u64,
            MAX_CHECKED_BODY_LIMIT as u64,
            "bytes",
        )? as usize;
        let upstream = match get(vars::UPSTREAM) {
            None => Upstream::PassThrough,
            Some(v) if v == "assets" => Upstream::Assets,
            Some(v) => Upstream::Origin(parse_origin(&v).map_err(|m| err(vars::UPSTREAM, m))?),
        };
        let verdict_header = match get(vars::VERDICT_HEADER) {
            None => "httpseal-verdict".to_string(),
            Some(name) => httpseal::gateway::verdict_header_name(&name)
                .map_err(|why| err(vars::VERDICT_HEADER, why))?,
        };
        let switch = |variable: &'static str| match get(variable).as_deref() {
            None | Some("false") | Some("0") => Ok(false),
            Some("true") | Some("1") => Ok(true),
            Some(other) => Err(err(variable, format!("{other:?} is not true or false"))),
        };
        let allow_insecure_directories = switch(vars::DEV_INSECURE)?;
        let allow_test_keys = switch(vars::ALLOW_TEST_KEYS)?;
        let draft00_members = switch(vars::DRAFT00_MEMBERS)?;
        let max_buffered = number(
            vars::MAX_BUFFERED,
            crate::budget::DEFAULT_MAX_BUFFERED_BYTES as u64,
            crate::budget::MAX_MAX_BUFFERED_BYTES as u64,
            "bytes",
        )? as usize;
        let jwks_url = match get(vars::JWKS_URL) {
            None => None,
            Some(url) => {
                httpseal::fetch::check_fetch_url(&url, allow_insecure_directories).map_err(|r| {
                    err(
                        vars::JWKS_URL,
                        format!("{url:?} cannot be fetched: {r} ({}); give an https URL of a JWK Set", r.code()),
                    )
                })?;
                Some(url)
            }
        };
        let ed25519_check = match get(vars::ED25519_VERIFIER).as_deref() {
            None | Some("webcrypto") => Ed25519Check::WebCrypto,
            Some("wasm") => Ed25519Check::Wasm,
            Some(other) => {
                return Err(err(
                    vars::ED25519_VERIFIER,
                    format!("{other:?} is not webcrypto (default) or wasm"),
                ));
            }
        };
        let trusted_keys = match get(vars::TRUSTED_JWKS) {
            None => JwkSet::default(),
            Some(text) => {
                let set = strict_jwks(&text).map_err(|m| err(vars::TRUSTED_JWKS, m))?;
                if set.keys().iter().any(|k| k.key.is_private()) {
                    return Err(err(
                        vars::TRUSTED_JWKS,
                        "holds a private key; give public keys here (an operator's own private \
                         keys belong in the OPERATOR_PRIVATE_JWKS secret)"
                            .into(),
                    ));
                }
                set
            }
        };
        let rules = match get(vars::RULES) {
            None => Rules::single(mode.gateway().unwrap_or(GatewayMode::Annotate), profile),
            Some(text) => Rules::parse(
                &text,
                mode.gateway().unwrap_or(GatewayMode::Annotate),
                profile,
            )
            .map_err(|e| err(vars::RULES, e.to_string()))?,
        };
        let rate_limit_retry_after = number(
            vars::RATE_LIMIT_RETRY_AFTER,
            DEFAULT_RATE_LIMIT_RETRY_AFTER_SECONDS,
            MAX_RATE_LIMIT_RETRY_AFTER_SECONDS,
            "seconds",
        )?;
        let log_sample = match get(vars::LOG_SAMPLE_RATE) {
            None => 1_000_000,
            Some(text) => parse_rate(&text).ok_or_else(|| {
                err(
                    vars::LOG_SAMPLE_RATE,
                    format!("{text:?} is not a share between 0 and 1 (e.g. 0.1 logs one decision in ten)"),
                )
            })?,
        };
        let dashboard_token = match get(vars::DASHBOARD_TOKEN) {
            None => None,
            Some(t) if !t.bytes().all(token_byte) => {
                return Err(err(
                    vars::DASHBOARD_TOKEN,
                    "may hold only letters, digits and - . _ ~ + / = (it travels in a URL and \
                     a cookie); use a random hex string (e.g. openssl rand -hex 32)"
                        .into(),
                ));
            }
            Some(t) if t.len() >= MIN_DASHBOARD_TOKEN_BYTES => Some(t),
            Some(_) => {
                return Err(err(
                    vars::DASHBOARD_TOKEN,
                    format!(
                        "is shorter than {MIN_DASHBOARD_TOKEN_BYTES} characters; use a long random secret (e.g. openssl rand -hex 32)"
                    ),
                ));
            }
        };
        let analytics_sql = match (
            get(vars::ANALYTICS_ACCOUNT_ID),
            get(vars::ANALYTICS_API_TOKEN),
        ) {
            (None, None) => None,
            (Some(account), Some(token)) => {
                if !account.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    return Err(err(
                        vars::ANALYTICS_ACCOUNT_ID,
                        format!("{account:?} is not a Cloudflare account id (hexadecimal)"),
                    ));
                }
                let url = get(vars::ANALYTICS_SQL_URL).unwrap_or_else(|| {
                    format!(
                        "https://api.cloudflare.com/client/v4/accounts/{account}/analytics_engine/sql"
                    )
                });
                let dataset = get(vars::ANALYTICS_DATASET).unwrap_or_else(|| "httpseal".into());
                if !dataset
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_')
                {
                    return Err(err(
                        vars::ANALYTICS_DATASET,
                        format!("{dataset:?} is not a dataset name (letters, digits, _)"),
                    ));
                }
                Some(AnalyticsSql {
                    url,
                    token,
                    dataset,
                })
            }
            (Some(_), None) => {
                return Err(err(
                    vars::ANALYTICS_API_TOKEN,
                    "is not set, but ANALYTICS_ACCOUNT_ID is: set both (the token as a secret) or neither".into(),
                ));
            }
            (None, Some(_)) => {
                return Err(err(
                    vars::ANALYTICS_ACCOUNT_ID,
                    "is not set, but ANALYTICS_API_TOKEN is: set both or neither".into(),
                ));
            }
        };
        let operator_keys = match get(vars::OPERATOR_JWKS) {
            None => None,
            Some(text) => {
                let set = strict_jwks(&text).map_err(|m| err(vars::OPERATOR_JWKS, m))?;
                if set.keys().iter().any(|k| !k.key.is_private()) {
                    return Err(err(
                        vars::OPERATOR_JWKS,
                        "every key must be private (with \"d\"): the Worker signs its directory \
                         with them"
                            .into(),
                    ));
                }
                Some(set)
            }
        };
        Ok(Config {
            mode,
            profile,
            skew,
            max_lifetime,
            upstream,
            verdict_header,
            allow_insecure_directories,
            max_checked_body,
            ed25519_check,
            trusted_keys: Arc::new(trusted_keys),
            allow_test_keys,
            draft00_members,
            max_buffered,
            jwks_url,
            rules,
            rate_limit_retry_after,
            log_sample,
            dashboard_token,
            analytics_sql,
            operator_keys,
        })
    }

    /// The gateway's policy: the profile's rules with the configured skew and lifetime.
    pub fn policy(&self) -> httpseal::Policy {
        self.policy_for(self.profile)
    }

    /// Another profile's rules with the configured skew and lifetime (`POST /verify`).
    /// Web Bot Auth's `Signature-Agent` rules follow the development switch, as the
    /// directory fetcher does: `http://` agents only under `DEV_ALLOW_INSECURE_DIRECTORIES`.
    pub fn policy_for(&self, profile: Profile) -> httpseal::Policy {
        let mut policy = httpseal::gateway::route_policy(profile, self.skew, self.max_lifetime);
        policy.allow_test_keys = self.allow_test_keys;
        if policy.signature_agent.is_some() {
            policy.signature_agent = Some(httpseal::webbotauth::AgentOptions {
                allow_http: self.allow_insecure_directories,
                draft00_members: self.draft00_members,
            });
        }
        policy
    }
}

/// Shortest dashboard token accepted.
pub const MIN_DASHBOARD_TOKEN_BYTES: usize = 16;

/// `RATE_LIMIT_RETRY_AFTER_SECONDS` unset: the `Retry-After` of a 429 (a typical limiter period).
pub const DEFAULT_RATE_LIMIT_RETRY_AFTER_SECONDS: u64 = 60;
/// The longest `RATE_LIMIT_RETRY_AFTER_SECONDS` accepted (a day).
pub const MAX_RATE_LIMIT_RETRY_AFTER_SECONDS: u64 = 86_400;

/// A byte a dashboard token may hold: it comes as `?token=` (not percent-decoded) and is
/// set as a cookie value, so nothing either would change or cut (`%`, `&`, `#`, `;`, `,`,
/// quotes, spaces). Hex and base64 tokens pass.
fn token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-._~+/=".contains(&b)
}

/// A share between 0 and 1 (`1`, `0.25`, `.5`), in millionths; `None` for anything else.
fn parse_rate(text: &str) -> Option<u32> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.len() > 1
        || fraction.len() > 6
        || !(whole.bytes().chain(fraction.bytes())).all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let whole: u32 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let mut millionths: u32 = 0;
    for (i, b) in fraction.bytes().enumerate() {
        millionths += u32::from(b - b'0') * 10u32.pow(5 - i as u32);
    }
    let rate = whole * 1_000_000 + millionths;
    (rate <= 1_000_000 && !(whole == 0 && fraction.is_empty() && text.is_empty())).then_some(rate)
}

/// A JWK Set in which every key must be usable: configuration should not silently drop keys.
fn strict_jwks(text: &str) -> Result<JwkSet, String> {
    let set = JwkSet::parse(text).map_err(|e| format!("not a JWK Set: {e}"))?;
    if let Some((index, why)) = set.skipped().first() {
        return Err(format!("key {index} cannot be used: {why}"));
    }
    if set.is_empty() {
        return Err("the JWK Set has no keys".into());
    }
    Ok(set)
}

/// `scheme://host[:port]` with an optional trailing `/`, returned without it.
fn parse_origin(text: &str) -> Result<String, String> {
    let usage = "use an origin such as https://origin.example.com, \"assets\", or leave it empty \
                 to pass requests through";
    let (scheme, rest) = text
        .split_once("://")
        .ok_or_else(|| format!("{text:?} is not a URL; {usage}"))?;
    if !matches!(scheme, "http" | "https") {
        return Err(format!("scheme {scheme:?} is not http or https; {usage}"));
    }
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    if authority.is_empty() || authority.contains(['/', '?', '#', '@', ' ']) {
        return Err(format!(
            "{text:?} must be an origin only (no path, query or user information); {usage}"
        ));
    }
    Ok(format!("{scheme}://{authority}"))
}

/// Whether a request URL's host is a loopback name: pass-through has no origin to reach
/// from `wrangler dev`, and would send the request back to the Worker itself.
pub fn is_loopback_url(url: &str) -> bool {
    let Some((_, rest)) = url.split_once("://") else {
        return false;
    };
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let host = match authority.strip_prefix('[') {
        Some(v6) => &authority[..v6.find(']').map_or(authority.len(), |i| i + 2)],
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
    };
    classify_host(&host.to_ascii_lowercase()) == HostClass::Loopback
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    fn config(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(move |name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        })
    }

    const ED25519_PUBLIC: &str =
        r#"{"kty":"OKP","crv":"Ed25519","x":"JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs"}"#;
    const ED25519_PRIVATE: &str = r#"{"kty":"OKP","crv":"Ed25519","d":"n4Ni-HpISpVObnQMW0wOhCKROaIKqKtW_2ZYb2p9KcU","x":"JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs"}"#;

    #[test]
    fn defaults() {
        let c = config(&[]).unwrap();
        assert_eq!(c.mode, Mode::Annotate);
        assert_eq!(c.profile, Profile::WebBotAuth);
        assert_eq!((c.skew, c.max_lifetime), (60, 86_400));
        assert_eq!(c.upstream, Upstream::PassThrough);
        assert_eq!(c.verdict_header, "httpseal-verdict");
        assert!(!c.allow_insecure_directories);
        assert_eq!(c.ed25519_check, Ed25519Check::WebCrypto);
        assert_eq!(c.max_checked_body, 1 << 20);
        assert!(c.trusted_keys.is_empty());
        assert!(c.operator_keys.is_none());
        // Empty strings (as `[vars]` declares them) mean the default too.
        let c = config(&[("MODE", ""), ("UPSTREAM_ORIGIN", " ")]).unwrap();
        assert_eq!(
            (c.mode, c.upstream),
            (Mode::Annotate, Upstream::PassThrough)
        );
    }

    #[test]
    fn values() {
        let c = config(&[
            ("MODE", "enforce"),
            ("PROFILE", "rfc9421"),
            ("CLOCK_SKEW_SECONDS", "5"),
            ("MAX_SIGNATURE_LIFETIME_SECONDS", "300"),
            ("UPSTREAM_ORIGIN", "https://origin.example:8443/"),
            ("VERDICT_HEADER", "X-Agent-Verdict"),
            ("DEV_ALLOW_INSECURE_DIRECTORIES", "true"),
            ("ED25519_VERIFIER", "wasm"),
            ("TRUSTED_JWKS", ED25519_PUBLIC),
            ("OPERATOR_PRIVATE_JWKS", ED25519_PRIVATE),
        ])
        .unwrap();
        assert_eq!(c.mode, Mode::Enforce);
        assert_eq!(c.profile, Profile::Rfc9421);
        assert_eq!(
            c.upstream,
            Upstream::Origin("https://origin.example:8443".into())
        );
        assert_eq!(c.verdict_header, "x-agent-verdict");
        assert!(c.allow_insecure_directories);
        assert_eq!(c.ed25519_check, Ed25519Check::Wasm);
        assert_eq!(c.trusted_keys.keys().len(), 1);
        assert_eq!(c.operator_keys.as_ref().unwrap().keys().len(), 1);
        let p = c.policy();
        assert_eq!((p.skew, p.max_lifetime), (5, Some(300)));
        assert_eq!(
            p.signature_agent, None,
            "rfc9421 has no Signature-Agent rules"
        );
        // A profile's own stricter lifetime stays (Visa TAP: 8 minutes), whatever the
        // Worker-wide setting; the setting applies where the profile leaves it open.
        let defaults = Config::from_lookup(|_| None).unwrap();
        assert_eq!(
            defaults.policy_for(Profile::VisaTap).max_lifetime,
            Some(480)
        );
        assert_eq!(
            defaults.policy_for(Profile::Rfc9421).max_lifetime,
            Some(86_400)
        );
        let wba = c.policy_for(Profile::WebBotAuth).signature_agent;
        assert_eq!(
            wba.map(|o| o.allow_http),
            Some(true),
            "the dev switch reaches the policy"
        );
        let default = config(&[]).unwrap().policy().signature_agent;
        assert_eq!(default.map(|o| o.allow_http), Some(false));
        assert_eq!(
            config(&[("UPSTREAM_ORIGIN", "assets")]).unwrap().upstream,
            Upstream::Assets
        );
    }

    #[test]
    fn each_error_names_its_variable() {
        let cases: &[(&str, &str, &str)] = &[
            ("MODE", "block", "annotate (default), enforce or api"),
            ("PROFILE", "webbotauth", "web-bot-auth (default)"),
            ("CLOCK_SKEW_SECONDS", "-1", "whole number"),
            ("CLOCK_SKEW_SECONDS", "99999", "between 0 and 3600"),
            ("MAX_SIGNATURE_LIFETIME_SECONDS", "1h", "whole number"),
            ("UPSTREAM_ORIGIN", "origin.example", "not a URL"),
            (
                "UPSTREAM_ORIGIN",
                "ftp://origin.example",
                "not http or https",
            ),
            (
                "UPSTREAM_ORIGIN",
                "https://origin.example/app",
                "origin only",
            ),
            ("VERDICT_HEADER", "bad header", "valid header name"),
            (
                "VERDICT_HEADER",
                "Signature-Input",
                "verification or HTTP itself uses",
            ),
            ("DEV_ALLOW_INSECURE_DIRECTORIES", "yes", "true or false"),
            ("ED25519_VERIFIER", "native", "webcrypto (default) or wasm"),
            (
                "MAX_CHECKED_BODY_BYTES",
                "9000000",
                "bytes between 0 and 8388608",
            ),
            ("TRUSTED_JWKS", "{", "not a JWK Set"),
            ("TRUSTED_JWKS", r#"{"keys":[]}"#, "no keys"),
            (
                "TRUSTED_JWKS",
                r#"{"keys":[{"kty":"OKP","crv":"X448","x":"AA"}]}"#,
                "key 0",
            ),
            ("TRUSTED_JWKS", ED25519_PRIVATE, "holds a private key"),
            ("OPERATOR_PRIVATE_JWKS", ED25519_PUBLIC, "must be private"),
            (
                "RULES",
                r#"{"routes":[{"path":"/a","mode":"block"}]}"#,
                "routes[0]: mode",
            ),
            ("LOG_SAMPLE_RATE", "2", "between 0 and 1"),
            ("DASHBOARD_TOKEN", "short", "shorter than"),
            (
                "DASHBOARD_TOKEN",
                "0123456789abcdef;0123",
                "only letters, digits",
            ),
            ("DASHBOARD_TOKEN", "0123456789 abcdef0123", "only letters"),
            (
                "JWKS_URL",
                "http://keys.example/jwks.json",
                "cannot be fetched",
            ),
        ];
        for (var, value, says) in cases {
            let e = config(&[(var, value)]).unwrap_err();
            assert_eq!(e.variable, *var, "{var}={value}");
            assert!(e.to_string().contains(says), "{var}={value}: {e}");
            assert!(e.to_string().starts_with(var), "{e}");
        }
    }

    #[test]
    fn operator_settings() {
        let c = config(&[
            (
                "RULES",
                r#"{"routes":[{"path":"/api/*","mode":"enforce"}]}"#,
            ),
            ("LOG_SAMPLE_RATE", "0.25"),
            ("DASHBOARD_TOKEN", "0123456789abcdef0123"),
            ("ANALYTICS_ACCOUNT_ID", "abc123"),
            ("ANALYTICS_API_TOKEN", "secret"),
        ])
        .unwrap();
        assert_eq!(c.rules.route_for("/api/x").mode, GatewayMode::Enforce);
        assert_eq!(c.rules.route_for("/").mode, GatewayMode::Annotate);
        assert_eq!(c.log_sample, 250_000);
        assert!(c.dashboard_token.is_some());
        let base64 = config(&[("DASHBOARD_TOKEN", "q3+/Zm9vYmFyYmF6cXV4MTIz=")]).unwrap();
        assert!(base64.dashboard_token.is_some(), "base64 tokens pass");
        let sql = c.analytics_sql.unwrap();
        assert!(
            sql.url.ends_with("/accounts/abc123/analytics_engine/sql"),
            "{}",
            sql.url
        );
        assert_eq!(sql.dataset, "httpseal");
        let d = config(&[]).unwrap();
        assert_eq!((d.log_sample, d.rate_limit_retry_after), (1_000_000, 60));
        assert!(d.dashboard_token.is_none() && d.analytics_sql.is_none());
        let half = config(&[("ANALYTICS_ACCOUNT_ID", "abc")]).unwrap_err();
        assert_eq!(
            half.variable, "ANALYTICS_API_TOKEN",
            "the missing half is named"
        );
        assert_eq!(parse_rate("1"), Some(1_000_000));
        assert_eq!(parse_rate(".5"), Some(500_000));
        assert_eq!(parse_rate("0"), Some(0));
        for bad in ["2", "1.5", "-0.1", "0.1234567", "abc", "", "0.a"] {
            assert_eq!(parse_rate(bad), None, "{bad}");
        }
    }

    #[test]
    fn loopback_urls() {
        assert!(is_loopback_url("http://localhost:8787/x"));
        assert!(is_loopback_url("http://127.0.0.1:8787/"));
        assert!(is_loopback_url("http://[::1]:8787/"));
        assert!(!is_loopback_url("https://example.com/"));
        assert!(!is_loopback_url("https://example.com:8787/"));
    }
}
