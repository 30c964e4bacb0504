//! `verify`: prints the verdict as JSON; exit 0 verified, 1 not verified.
//!
//! The CLI drives the core's verifier job ([`httpseal::job::VerifyJob`]) with blocking HTTPS:
//! keys from `--jwks`/`--key` are tried first (they attribute the request to no agent);
//! under `--profile web-bot-auth` the agents' directories are then fetched with `--fetch`
//! (or served from a saved `--directory FILE`), looked up by (agent, keyid).

use crate::CliError;
use crate::args::Args;
use crate::fetch::fetch;
use crate::io::{bind, load_key, load_key_set, load_verifiable, now, read_text};
use httpseal::api::{PolicyJson, RequiredJson, Verifiable, split_components};
use httpseal::fetch::{FetchFailure, FetchedResponse};
use httpseal::job::drive::{self, BlockingHost};
use httpseal::job::{DirectoryAccess, Fetch, Lookup, VerifyJob, VerifySetup};
use httpseal::webbotauth::{self, CachedDirectory, DirectoryRecord, directory_freshness};
use httpseal::{JwkSet, Profile};
use std::process::ExitCode;

const VALUED: &[&str] = &[
    "request",
    "message",
    "scheme",
    "jwks",
    "key",
    "key-alg",
    "now",
    "profile",
    "label",
    "tag",
    "skew",
    "max-age",
    "max-lifetime",
    "require",
    "algorithms",
    "directory",
    "kid",
    "jwks-url",
];
const SWITCHES: &[&str] = &[
    "compact",
    "fetch",
    "allow-http",
    "allow-test-keys",
    "draft-00-members",
];

pub fn run(raw: &[String]) -> Result<ExitCode, CliError> {
    let args = Args::parse(raw, VALUED, SWITCHES)?;
    let (read, doc) = load_verifiable(&args)?;
    let doc = doc.unwrap_or_default();

    let profile = match args.get("profile").or(doc.profile.as_deref()) {
        Some(name) => Profile::from_name(name).map_err(|e| CliError::Usage(e.to_string()))?,
        None => Profile::Rfc9421,
    };
    let wba = profile == Profile::WebBotAuth;
    let known = match (args.get("jwks"), args.get("key")) {
        (Some(_), Some(_)) => return Err(CliError::Usage("give --jwks or --key, not both".into())),
        (Some(path), None) => Some(load_key_set(path)?),
        (None, Some(path)) => {
            let key = load_key(path)?;
            Some(JwkSet::from_keys([match args.get("kid") {
                Some(kid) => key.with_kid(kid),
                None => key,
            }]))
        }
        (None, None) => doc.jwks().map_err(|e| CliError::Input(e.to_string()))?,
    };
    if args.get("kid").is_some() && args.get("key").is_none() {
        return Err(CliError::Usage("--kid names the key of --key FILE".into()));
    }
    let known = match (known, args.get("key-alg")) {
        (Some(set), Some(alg)) => {
            let bound: Result<Vec<_>, _> = set
                .keys()
                .iter()
                .map(|k| bind(k.key.clone(), Some(alg)))
                .collect();
            Some(JwkSet::from_keys(bound?))
        }
        (k, _) => k,
    };
    if !wba && (args.has("fetch") || args.get("directory").is_some()) {
        return Err(CliError::Usage(
            "--fetch and --directory resolve Web Bot Auth agents: use --profile web-bot-auth"
                .into(),
        ));
    }
    if known.is_none()
        && args.get("jwks-url").is_none()
        && !(wba && (args.has("fetch") || args.get("directory").is_some()))
    {
        return Err(CliError::Usage(
            "no keys: give --jwks FILE, --key FILE, --jwks-url URL (or jwks in the request JSON); with --profile web-bot-auth, --fetch or --directory FILE".into(),
        ));
    }

    let mut policy = profile.policy();
    if let Some(p) = &doc.policy {
        p.apply(&mut policy)
            .map_err(|e| CliError::Input(e.to_string()))?;
    }
    let overrides = PolicyJson {
        skew: args.number("skew")?,
        max_age: args.number("max-age")?.map(Into::into),
        max_lifetime: args.number("max-lifetime")?.map(Into::into),
        label: args.get("label").map(str::to_string),
        tag: args.get("tag").map(Into::into),
        required_components: args.get("require").map(|list| {
            split_components(list)
                .into_iter()
                .map(|c| RequiredJson::One(c.to_string()))
                .collect()
        }),
        algorithms: args.get("algorithms").map(|list| {
            split_components(list)
                .into_iter()
                .map(str::to_string)
                .collect()
        }),
        ..PolicyJson::default()
    };
    overrides
        .apply(&mut policy)
        .map_err(|e| CliError::Usage(e.to_string()))?;
    let now = args.number("now")?.or(doc.now).unwrap_or_else(now);

    if args.has("allow-test-keys") {
        policy.allow_test_keys = true;
    }
    if wba {
        let options = policy.signature_agent.get_or_insert_default();
        options.allow_http = args.has("allow-http");
        options.draft00_members |= args.has("draft-00-members");
    }
    let saved = match args.get("directory") {
        Some(path) => Some(SavedDirectory::read(path, now)?),
        None => None,
    };
    let directories = match (args.has("fetch"), &saved) {
        (true, _) => DirectoryAccess::Fetch,
        (false, Some(_)) => DirectoryAccess::StoreOnly,
        (false, None) => DirectoryAccess::None,
    };
    let keys = known.unwrap_or_default();
    // The CLI keeps no cache between runs, so records are dated by the verification time.
    let directories = match (args.get("jwks-url"), directories) {
        (Some(_), DirectoryAccess::None) => DirectoryAccess::Fetch,
        (_, access) => access,
    };
    let mut setup = VerifySetup::new(policy, now)
        .known(&keys)
        .directories(directories);
    setup.jwks_url = args.get("jwks-url").map(str::to_string);
    setup.allow_insecure = args.has("allow-http");
    let mut host = CliHost {
        saved,
        named: Vec::new(),
    };
    let verdict = match read {
        Verifiable::Message(msg) => drive::run(&mut VerifyJob::new(msg, setup), &mut host),
        Verifiable::Judged(verdict) => verdict,
    };
    if host.named.len() > 1 && host.saved.is_some() {
        return Err(CliError::Usage(format!(
            "--directory serves one agent, and the request names {}: {}",
            host.named.len(),
            host.named.join(", ")
        )));
    }
    let json = if args.has("compact") {
        serde_json::to_string(&verdict)
    } else {
        serde_json::to_string_pretty(&verdict)
    };
    println!("{}", json.unwrap_or_default());
    Ok(if verdict.is_verified() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// A directory saved to a file (`--directory`), served as the store's record for the one
/// agent the request names.
struct SavedDirectory {
    record: DirectoryRecord,
}

impl SavedDirectory {
    fn read(path: &str, now: u64) -> Result<Self, CliError> {
        let body = read_text(path)?;
        let cached = CachedDirectory::fetched(body, directory_freshness(None), now);
        let record = DirectoryRecord::new(cached, now);
        if record.keys().is_none() {
            return Err(CliError::Input(format!(
                "{path}: {}",
                webbotauth::parse_directory(
                    record
                        .cached()
                        .body
                        .as_deref()
                        .unwrap_or_default()
                        .as_bytes(),
                    now
                )
                .err()
                .map(|e| e.to_string())
                .unwrap_or_else(|| "not a directory".into())
            )));
        }
        Ok(SavedDirectory { record })
    }
}

/// The CLI as the job's host: a saved directory for the store, blocking HTTPS for fetches
/// (`--fetch`), the core's own primitives for checks.
struct CliHost {
    saved: Option<SavedDirectory>,
    /// The directories the job looked up.
    named: Vec<String>,
}

impl BlockingHost for CliHost {
    fn lookup(&mut self, lookup: &Lookup<'_>) -> Option<DirectoryRecord> {
        if !self.named.iter().any(|u| u == lookup.url) {
            self.named.push(lookup.url.to_string());
        }
        match (&self.saved, self.named.len()) {
            (Some(saved), 1) => Some(saved.record.clone()),
            _ => None,
        }
    }

    fn fetch(&mut self, f: &Fetch<'_>) -> Result<FetchedResponse, FetchFailure> {
        let result = fetch(f.url, &f.rules);
        if let Err(e) = &result {
            eprintln!("httpseal: {}: {e} ({})", f.url, e.code());
        }
        result
    }
}
