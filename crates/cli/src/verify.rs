//! `verify`: prints the verdict as JSON; exit 0 verified, 1 not verified.
//!
//! Under `--profile web-bot-auth` keys are looked up by (agent, keyid): from directories
//! fetched with `--fetch` or given with `--directory FILE`; keys from `--jwks`/`--key`
//! still verify, but attribute the request to no agent.

use crate::CliError;
use crate::args::Args;
use crate::fetch::fetch;
use crate::io::{bind, load_key, load_key_set, load_message, now, read_input};
use httpseal::api::{PolicyJson, RequiredJson, split_components};
use httpseal::webbotauth::{self, AgentLocation, AgentOptions, DirectoryProof, KeyDocument};
use httpseal::{HttpMessage, JwkSet, Profile, verify_message};
use std::collections::BTreeMap;
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
];
const SWITCHES: &[&str] = &["compact", "fetch", "allow-http"];

pub fn run(raw: &[String]) -> Result<ExitCode, CliError> {
    let args = Args::parse(raw, VALUED, SWITCHES)?;
    let (msg, doc) = load_message(&args)?;
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
    if known.is_none() && !(wba && (args.has("fetch") || args.get("directory").is_some())) {
        return Err(CliError::Usage(
            "no keys: give --jwks FILE or --key FILE (or jwks in the request JSON); with --profile web-bot-auth, --fetch or --directory FILE".into(),
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

    let verdict = if wba {
        let options = AgentOptions {
            allow_http: args.has("allow-http"),
        };
        policy.signature_agent = Some(options);
        let plan = webbotauth::plan(&policy, &msg, options)?;
        let locations = webbotauth::fetches(&plan);
        let mut directories: BTreeMap<String, JwkSet> = BTreeMap::new();
        if let Some(path) = args.get("directory") {
            let [only] = locations.as_slice() else {
                return Err(CliError::Usage(format!(
                    "--directory needs exactly one agent in the request; it names {}",
                    locations.len()
                )));
            };
            let set = webbotauth::parse_directory(&read_input(path)?, now)
                .map_err(|e| CliError::Input(format!("{path}: {e}")))?;
            directories.insert(only.identifier.clone(), set);
        }
        if args.has("fetch") {
            for location in locations {
                match resolve(location, options, now) {
                    Ok(set) => {
                        directories.insert(location.identifier.clone(), set);
                    }
                    Err(why) => eprintln!("httpseal: {}: {why}", location.fetch_url),
                }
            }
        }
        webbotauth::verify_request(
            &policy,
            &msg,
            &directories,
            known.as_ref(),
            options,
            now,
            None,
        )
    } else {
        let keys = known.unwrap_or_default();
        verify_message(&policy, &msg, &keys, now, None)
    };
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

/// Fetches an agent's keys: the document, its status and media type, a Client ID Metadata
/// Document's `jwks_uri` when needed, and the directory's own signatures when it has any
/// (a directory whose signatures fail is not used).
fn resolve(location: &AgentLocation, options: AgentOptions, now: u64) -> Result<JwkSet, String> {
    let mut url = location.fetch_url.clone();
    for _ in 0..2 {
        let fetched = fetch(&url, options.allow_http).map_err(|e| format!("{e:?}"))?;
        webbotauth::check_directory_response(fetched.status, fetched.content_type.as_deref())
            .map_err(|e| e.to_string())?;
        let doc_location = AgentLocation {
            fetch_url: url.clone(),
            ..location.clone()
        };
        match webbotauth::read_key_document(&doc_location, &fetched.body, options, now)
            .map_err(|e| e.to_string())?
        {
            KeyDocument::FetchJwksUri(next) => {
                url = next;
                continue;
            }
            KeyDocument::Keys(set) => {
                let mut response = HttpMessage::response(200).map_err(|e| e.to_string())?;
                for (n, v) in &fetched.headers {
                    response.push_header(n, v);
                }
                let request = HttpMessage::request("GET", &url).map_err(|e| e.to_string())?;
                let response = response
                    .with_body(fetched.body)
                    .with_related_request(request);
                if let DirectoryProof::Invalid { label, error } =
                    webbotauth::verify_directory_response(&response, &set, now)
                {
                    return Err(format!(
                        "directory signature {label:?} is invalid: {}",
                        error.message
                    ));
                }
                return Ok(set);
            }
        }
    }
    Err("client metadata points at another jwks_uri chain; refusing to follow further".into())
}
