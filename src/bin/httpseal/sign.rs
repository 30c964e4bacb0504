//! `sign`: prints the header lines to add (ready for `curl -H`).

use crate::CliError;
use crate::args::Args;
use crate::io::{bind, load_key, load_message, message_only, now, random_bytes, random32};
use httpseal::api::split_components;
use httpseal::{DigestAlgorithm, HttpMessage, Profile, Signer, b64, content_digest};
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
];
const SWITCHES: &[&str] = &["random-nonce", "no-alg"];

pub fn run(raw: &[String]) -> Result<ExitCode, CliError> {
    let args = Args::parse(raw, VALUED, SWITCHES)?;
    let key_path = args
        .get("key")
        .ok_or_else(|| CliError::Usage("sign needs --key FILE (a private key)".into()))?;
    let key = bind(load_key(key_path)?, args.get("key-alg"))?;
    let (mut msg, doc) = load_message(&args)?;
    message_only(&doc)?;
    let profile = Profile::from_name(args.get("profile").unwrap_or("rfc9421"))
        .map_err(|e| CliError::Usage(e.to_string()))?;
    if profile == Profile::Fediverse {
        return Err(CliError::Usage(
            "sign with --profile fediverse is not a preset; give --components".into(),
        ));
    }
    let wba = profile == Profile::WebBotAuth;
    let label = args.get("label").unwrap_or("sig1");
    let mut added: Vec<(String, String)> = Vec::new();

    // Fields the signature covers must be in the message before the base is built.
    if let Some(url) = args.get("signature-agent") {
        let value = format!("{label}={}", sf_string(url)?);
        msg.push_header("Signature-Agent", &value);
        added.push(("Signature-Agent".into(), value));
    }
    if let Some(alg) = args.get("content-digest") {
        let alg = DigestAlgorithm::from_name(alg).ok_or_else(|| {
            CliError::Usage(format!(
                "--content-digest takes sha-256 or sha-512, not {alg:?}"
            ))
        })?;
        let body = msg.body.clone().unwrap_or_default();
        let value = content_digest(&body, &[alg]);
        msg.remove_header("content-digest");
        msg.push_header("Content-Digest", &value);
        added.push(("Content-Digest".into(), value));
    }

    let components = match args.get("components") {
        Some(list) => split_components(list)
            .into_iter()
            .map(str::to_string)
            .collect(),
        None => default_components(&msg, wba, label, &args),
    };
    let created = args.number("created")?.unwrap_or_else(now);
    let expires = match (args.number("expires")?, args.number("ttl")?) {
        (Some(_), Some(_)) => {
            return Err(CliError::Usage("give --expires or --ttl, not both".into()));
        }
        (Some(e), None) => Some(e),
        (None, Some(ttl)) => Some(created + ttl),
        (None, None) if wba => Some(created + 60),
        (None, None) => None,
    };
    let keyid = match args.get("keyid") {
        Some(k) => k.to_string(),
        None if wba => key.thumbprint(),
        None => key.kid().map_or_else(|| key.thumbprint(), str::to_string),
    };
    let nonce = match (
        args.get("nonce"),
        args.has("random-nonce") || (wba && args.get("nonce").is_none()),
    ) {
        (Some(n), _) => Some(n.to_string()),
        (None, true) => Some(b64::encode(&random_bytes(64)?)),
        (None, false) => None,
    };
    let tag = args
        .get("tag")
        .map(str::to_string)
        .or_else(|| wba.then(|| "web-bot-auth".to_string()));

    // Parameter order as in the Web Bot Auth vectors: created, keyid, alg, expires, nonce, tag.
    let mut signer = Signer::new(&key)?
        .label(label)?
        .components(components.iter().map(String::as_str))?;
    signer = signer.created(created)?.keyid(&keyid)?;
    if !args.has("no-alg") {
        signer = signer.alg_param()?;
    }
    if let Some(e) = expires {
        signer = signer.expires(e)?;
    }
    if let Some(n) = &nonce {
        signer = signer.nonce(n)?;
    }
    if let Some(t) = &tag {
        signer = signer.tag(t)?;
    }
    let signed = signer.sign(&msg, Some(&random32()?))?;
    added.push(("Signature-Input".into(), signed.signature_input.clone()));
    added.push(("Signature".into(), signed.signature.clone()));

    match args.get("format").unwrap_or("headers") {
        "headers" => {
            for (n, v) in &added {
                println!("{n}: {v}");
            }
        }
        "curl" => {
            let parts: Vec<String> = added
                .iter()
                .map(|(n, v)| format!("-H {}", shell_quote(&format!("{n}: {v}"))))
                .collect();
            println!("{}", parts.join(" "));
        }
        "json" => {
            let mut headers = serde_json::Map::new();
            for (n, v) in &added {
                headers.insert(n.clone(), v.clone().into());
            }
            let out = serde_json::json!({ "headers": headers, "signatureBase": signed.base, "alg": signed.alg.name() });
            println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        }
        other => {
            return Err(CliError::Usage(format!(
                "--format is headers, curl or json, not {other:?}"
            )));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Web Bot Auth: `@authority` and the agent's member; otherwise the request's control data.
fn default_components(msg: &HttpMessage, wba: bool, label: &str, args: &Args) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    match msg.request_line() {
        None => out.push("@status".into()),
        Some(_) if wba => out.push("@authority".into()),
        Some(r) => {
            out.extend(["@method", "@authority", "@path"].map(String::from));
            if r.query.is_some() {
                out.push("@query".into());
            }
        }
    }
    if args.get("signature-agent").is_some() {
        out.push(format!("signature-agent;key=\"{label}\""));
    }
    if args.get("content-digest").is_some() {
        out.push("content-digest".into());
    }
    out
}

/// Serialises a URL as a structured-field string.
fn sf_string(text: &str) -> Result<String, CliError> {
    let s = sfv::StringRef::from_str(text)
        .map_err(|_| CliError::Usage(format!("{text:?} cannot be sent in Signature-Agent")))?;
    Ok(sfv::ItemSerializer::new().bare_item(s).finish())
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}
