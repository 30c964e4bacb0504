//! `sign`: prints the header lines to add (ready for `curl -H`).

use crate::CliError;
use crate::args::Args;
use crate::io::{bind, load_key, load_message, message_only, now, random_bytes, random32};
use httpseal::api::{SignOptions, SignRandomness, split_components};
use httpseal::job::SignJob;
use std::process::ExitCode;

const VALUED: &[&str] = &[
    "key",
    "key-alg",
    "request",
    "message",
    "scheme",
    "components",
    "label",
    "profile",
    "created",
    "expires",
    "ttl",
    "keyid",
    "tag",
    "nonce",
    "signature-agent",
    "content-digest",
    "format",
    "out",
];
const SWITCHES: &[&str] = &["random-nonce", "no-alg"];

pub fn run(raw: &[String]) -> Result<ExitCode, CliError> {
    let args = Args::parse(raw, VALUED, SWITCHES)?;
    let key_path = args
        .get("key")
        .ok_or_else(|| CliError::Usage("sign needs --key FILE (a private key)".into()))?;
    let key = bind(load_key(key_path)?, args.get("key-alg"))?;
    let (msg, doc) = load_message(&args)?;
    message_only(&doc)?;
    if args.get("nonce").is_some() && args.has("random-nonce") {
        return Err(CliError::Usage(
            "give --nonce or --random-nonce, not both".into(),
        ));
    }
    let opts = SignOptions {
        profile: args.get("profile").map(str::to_string),
        components: args.get("components").map(|l| {
            split_components(l)
                .into_iter()
                .map(str::to_string)
                .collect()
        }),
        label: args.get("label").map(str::to_string),
        created: args.number("created")?,
        expires: args.number("expires")?,
        ttl: args.number("ttl")?,
        nonce: match (args.get("nonce"), args.has("random-nonce")) {
            (Some(n), _) => Some(n.into()),
            (None, true) => Some(true.into()),
            (None, false) => None,
        },
        tag: args.get("tag").map(str::to_string),
        keyid: args.get("keyid").map(str::to_string),
        include_alg: Some(!args.has("no-alg")),
        signature_agent: args.get("signature-agent").map(str::to_string),
        content_digest: args.get("content-digest").map(str::to_string),
        alg: None,
    };
    let mut nonce = [0u8; 64];
    nonce.copy_from_slice(&random_bytes(64)?);
    let random = SignRandomness {
        nonce,
        seed: random32()?,
    };
    // The core's signing job: it prepares the base, the CLI signs with the core's own
    // primitive, the core finishes the fields.
    let job = SignJob::new(msg, &key, &opts, now(), &random)?;
    let signature = job.sign_in_core(&key)?;
    let (msg, out) = job.finish(signature)?;

    if let Some(path) = args.get("out") {
        // The signed request, in the same JSON shape `verify --request` reads.
        let json = serde_json::to_string_pretty(&httpseal::api::MessageJson::from_message(&msg))
            .unwrap_or_default();
        std::fs::write(path, format!("{json}\n"))
            .map_err(|e| CliError::Input(format!("cannot write {path}: {e}")))?;
    }
    match args.get("format").unwrap_or("headers") {
        "headers" => {
            for (n, v) in &out.headers {
                println!("{n}: {v}");
            }
        }
        "curl" => {
            let parts: Vec<String> = out
                .headers
                .iter()
                .map(|(n, v)| format!("-H {}", shell_quote(&format!("{n}: {v}"))))
                .collect();
            println!("{}", parts.join(" "));
        }
        "json" => {
            let mut headers = serde_json::Map::new();
            for (n, v) in &out.headers {
                headers.insert(n.clone(), v.clone().into());
            }
            let json = serde_json::json!({ "headers": headers, "signatureBase": out.base, "alg": out.alg.name() });
            println!(
                "{}",
                serde_json::to_string_pretty(&json).unwrap_or_default()
            );
        }
        other => {
            return Err(CliError::Usage(format!(
                "--format is headers, curl or json, not {other:?}"
            )));
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}
