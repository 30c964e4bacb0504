//! `directory build | sign | check`: host or audit a Web Bot Auth key directory.

use crate::CliError;
use crate::args::Args;
use crate::fetch::fetch;
use crate::io::{load_key, now, random32, read_input};
use httpseal::fetch::{FetchRules, check_fetch_url};
use httpseal::webbotauth::{self, DirectoryProof};
use httpseal::{HttpMessage, JwkSet, Key, Message, parse_http1};
use serde_json::json;
use std::process::ExitCode;

pub fn run(raw: &[String]) -> Result<ExitCode, CliError> {
    let Some((sub, rest)) = raw.split_first() else {
        return Err(CliError::Usage("directory build | sign | check".into()));
    };
    match sub.as_str() {
        "build" => build(rest),
        "sign" => sign(rest),
        "check" => check(rest),
        other => Err(CliError::Usage(format!(
            "unknown directory command {other:?} (build, sign, check)"
        ))),
    }
}

fn keys_from(args: &Args) -> Result<Vec<Key>, CliError> {
    if args.positionals().is_empty() {
        return Err(CliError::Usage(
            "give one or more key files (JWK or PEM)".into(),
        ));
    }
    args.positionals().iter().map(|p| load_key(p)).collect()
}

/// Prints the directory JSON for the public halves of the keys.
fn build(raw: &[String]) -> Result<ExitCode, CliError> {
    let args = Args::parse(raw, &[], &[])?;
    let body = webbotauth::build_directory(&keys_from(&args)?)?;
    println!("{body}");
    Ok(ExitCode::SUCCESS)
}

/// Prints a signed directory response (private keys needed: one signature per key).
fn sign(raw: &[String]) -> Result<ExitCode, CliError> {
    let args = Args::parse(
        raw,
        &["authority", "created", "expires", "ttl", "format"],
        &[],
    )?;
    let authority = args.get("authority").ok_or_else(|| {
        CliError::Usage("directory sign needs --authority HOST (the host serving it)".into())
    })?;
    let keys = keys_from(&args)?;
    let created = args.number("created")?.unwrap_or_else(now);
    let expires = match (args.number("expires")?, args.number("ttl")?) {
        (Some(_), Some(_)) => {
            return Err(CliError::Usage("give --expires or --ttl, not both".into()));
        }
        (Some(e), None) => e,
        (None, ttl) => created + ttl.unwrap_or(webbotauth::DEFAULT_DIRECTORY_SIGNATURE_TTL),
    };
    let signed = webbotauth::sign_directory(&keys, authority, created, expires, &random32()?)?;
    match args.get("format").unwrap_or("http") {
        "http" => {
            println!("HTTP/1.1 200 OK");
            for (n, v) in &signed.headers {
                println!("{n}: {v}");
            }
            println!("Content-Length: {}\n\n{}", signed.body.len(), signed.body);
        }
        "json" => {
            let headers: serde_json::Map<String, serde_json::Value> = signed
                .headers
                .iter()
                .map(|(n, v)| (n.clone(), v.clone().into()))
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&json!({"headers": headers, "body": signed.body}))
                    .unwrap_or_default()
            );
        }
        other => {
            return Err(CliError::Usage(format!(
                "--format is http or json, not {other:?}"
            )));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Validates a directory (URL, raw HTTP response file, or bare JSON file) and its
/// signatures; prints a JSON report; exit 0 when it is usable.
fn check(raw: &[String]) -> Result<ExitCode, CliError> {
    let args = Args::parse(
        raw,
        &["authority", "now"],
        &["allow-http", "require-signed"],
    )?;
    let [source] = args.positionals() else {
        return Err(CliError::Usage(
            "directory check takes one FILE or URL".into(),
        ));
    };
    let now = args.number("now")?.unwrap_or_else(now);
    let (response, status, content_type, authority) = if source.starts_with("https://")
        || source.starts_with("http://")
    {
        let rules = FetchRules::key_document(args.has("allow-http"));
        check_fetch_url(source, rules.allow_insecure)
            .map_err(|e| CliError::Input(format!("{source}: {e} ({})", e.code())))?;
        let fetched = fetch(source, &rules)
            .map_err(|e| CliError::Input(format!("cannot fetch {source}: {e} ({})", e.code())))?;
        let content_type = fetched.header("content-type").map(str::to_string);
        let parts =
            httpseal::url::UrlParts::parse(source).map_err(|e| CliError::Input(e.to_string()))?;
        let mut msg = HttpMessage::response(fetched.status.clamp(100, 999))
            .map_err(|e| CliError::Input(e.to_string()))?;
        for (n, v) in &fetched.headers {
            msg.push_header(n, v);
        }
        let msg = msg.with_body(fetched.body);
        (
            msg,
            fetched.status,
            content_type,
            Some(args.get("authority").unwrap_or(parts.authority).to_string()),
        )
    } else {
        let bytes = read_input(source)?;
        if bytes.starts_with(b"HTTP/") {
            let msg = parse_http1(&bytes, "https")
                .map_err(|e| CliError::Input(format!("{source}: {e}")))?;
            let status = msg.status().unwrap_or(0);
            let ct = msg.header("content-type").map(str::to_string);
            (msg, status, ct, args.get("authority").map(str::to_string))
        } else {
            let msg = HttpMessage::response(200)
                .map_err(|e| CliError::Input(e.to_string()))?
                .with_body(bytes);
            (
                msg,
                200,
                Some(webbotauth::DIRECTORY_MEDIA_TYPE.to_string()),
                args.get("authority").map(str::to_string),
            )
        }
    };
    let mut problems: Vec<String> = Vec::new();
    if let Err(e) = webbotauth::check_directory_response(status, content_type.as_deref()) {
        problems.push(format!("{e} ({})", e.code()));
    }
    let body = response.body().unwrap_or_default().to_vec();
    let keys = match webbotauth::parse_directory(&body, now) {
        Ok(k) => k,
        Err(e) => {
            problems.push(format!("{e} ({})", e.code()));
            JwkSet::default()
        }
    };
    if keys.is_empty() {
        problems.push("no usable key".into());
    }
    let has_signatures = response.header("signature").is_some();
    let proof = match (&authority, has_signatures) {
        (_, false) => DirectoryProof::Unsigned,
        (None, true) => {
            return Err(CliError::Usage(
                "the directory is signed: give --authority HOST to check its signatures".into(),
            ));
        }
        (Some(host), true) => {
            let request = HttpMessage::request(
                "GET",
                &format!("https://{host}{}", webbotauth::DIRECTORY_PATH),
            )
            .map_err(|e| CliError::Input(e.to_string()))?;
            let response = response.clone().with_related_request(request);
            webbotauth::verify_directory_response(&response, &keys, now)
        }
    };
    match &proof {
        DirectoryProof::Invalid { label, error } => problems.push(format!(
            "signature {label:?}: {} ({})",
            error.message, error.code
        )),
        DirectoryProof::Unsigned if args.has("require-signed") => {
            problems.push("the directory carries no signature".into())
        }
        _ => {}
    }
    let freshness = webbotauth::directory_freshness(response.header("cache-control"));
    let report = json!({
        "source": source,
        "valid": problems.is_empty(),
        "problems": problems,
        "status": status,
        "contentType": content_type,
        "freshness": freshness,
        "keys": keys.keys().iter().map(|k| json!({"thumbprint": k.thumbprint, "kid": k.key.kid(), "alg": k.key.algorithm().map(|a| a.name())})).collect::<Vec<_>>(),
        "skipped": keys.skipped().iter().map(|(i, e)| json!({"index": i, "code": e.code(), "message": e.to_string()})).collect::<Vec<_>>(),
        "signatures": proof,
    });
    println!(
        "{}",
        serde_json::to_string_pretty(&report).unwrap_or_default()
    );
    Ok(if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
