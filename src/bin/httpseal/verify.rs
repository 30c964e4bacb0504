//! `verify`: prints the verdict as JSON; exit 0 verified, 1 not verified.

use crate::CliError;
use crate::args::Args;
use crate::io::{bind, load_key, load_key_set, load_message, now};
use httpseal::api::{PolicyJson, RequiredJson, split_components};
use httpseal::{JwkSet, Profile, verify_message};
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
    "require",
    "algorithms",
];

pub fn run(raw: &[String]) -> Result<ExitCode, CliError> {
    let args = Args::parse(raw, VALUED, &["compact"])?;
    let (msg, doc) = load_message(&args)?;
    let doc = doc.unwrap_or_default();

    let mut keys = match (args.get("jwks"), args.get("key")) {
        (Some(_), Some(_)) => return Err(CliError::Usage("give --jwks or --key, not both".into())),
        (Some(path), None) => load_key_set(path)?,
        (None, Some(path)) => JwkSet::from_keys([load_key(path)?]),
        (None, None) => match doc.jwks().map_err(|e| CliError::Input(e.to_string()))? {
            Some(set) => set,
            None => {
                return Err(CliError::Usage(
                    "no keys: give --jwks FILE or --key FILE (or jwks in the request JSON)".into(),
                ));
            }
        },
    };
    if let Some(alg) = args.get("key-alg") {
        let bound: Result<Vec<_>, _> = keys
            .keys()
            .iter()
            .map(|k| bind(k.key.clone(), Some(alg)))
            .collect();
        keys = JwkSet::from_keys(bound?);
    }

    let profile = match args.get("profile").or(doc.profile.as_deref()) {
        Some(name) => Profile::from_name(name).map_err(|e| CliError::Usage(e.to_string()))?,
        None => Profile::Rfc9421,
    };
    let mut policy = profile.policy();
    if let Some(p) = &doc.policy {
        p.apply(&mut policy)
            .map_err(|e| CliError::Input(e.to_string()))?;
    }
    let overrides = PolicyJson {
        skew: args.number("skew")?,
        max_age: args.number("max-age")?.map(Into::into),
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
    let verdict = verify_message(&policy, &msg, &keys, now, None);
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
