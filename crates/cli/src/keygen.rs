//! `keygen` and `thumbprint`.

use crate::CliError;
use crate::args::Args;
use crate::io::{random32, read_input};
use httpseal::keyfile::key_from_file_bytes;
use httpseal::{Algorithm, JwkSet, Key};
use std::process::ExitCode;

pub fn keygen(raw: &[String]) -> Result<ExitCode, CliError> {
    let args = Args::parse(raw, &["alg", "kid", "out", "public-out"], &[])?;
    let alg: Algorithm = args
        .get("alg")
        .unwrap_or("ed25519")
        .parse()
        .map_err(|e: httpseal::Error| CliError::Usage(e.to_string()))?;
    let key = Key::generate(alg, &random32()?)?;
    let kid = args
        .get("kid")
        .map_or_else(|| key.thumbprint(), str::to_string);
    let key = key.with_kid(kid);
    let private = serde_json::to_string_pretty(&key.private_jwk()?).unwrap_or_default();
    let public = serde_json::to_string_pretty(&key.to_public().public_jwk()).unwrap_or_default();
    write_or_print(args.get("out"), &private)?;
    if let Some(path) = args.get("public-out") {
        write_or_print(Some(path), &public)?;
    }
    Ok(ExitCode::SUCCESS)
}

fn write_or_print(path: Option<&str>, text: &str) -> Result<(), CliError> {
    match path {
        None | Some("-") => {
            println!("{text}");
            Ok(())
        }
        Some(p) => std::fs::write(p, format!("{text}\n"))
            .map_err(|e| CliError::Input(format!("cannot write {p}: {e}"))),
    }
}

/// Prints the RFC 7638 thumbprint of a key, or of each key of a set (with its kid).
pub fn thumbprint(raw: &[String]) -> Result<ExitCode, CliError> {
    let args = Args::parse(raw, &[], &[])?;
    let [path] = args.positionals() else {
        return Err(CliError::Usage(
            "thumbprint takes one FILE (or - for stdin)".into(),
        ));
    };
    let bytes = read_input(path)?;
    let text = std::str::from_utf8(&bytes).unwrap_or_default().trim_start();
    if text.starts_with('{') || text.starts_with('[') {
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| CliError::Input(format!("{path}: not JSON: {e}")))?;
        if value.get("keys").is_some() || value.is_array() {
            let set =
                JwkSet::from_value(&value).map_err(|e| CliError::Input(format!("{path}: {e}")))?;
            for k in set.keys() {
                println!("{}  {}", k.thumbprint, k.key.kid().unwrap_or("-"));
            }
            for (i, why) in set.skipped() {
                eprintln!("httpseal: key #{i} skipped: {why}");
            }
            return Ok(ExitCode::SUCCESS);
        }
        let jwk = value
            .as_object()
            .ok_or_else(|| CliError::Input(format!("{path}: not a JWK")))?;
        println!(
            "{}",
            httpseal::jwk_thumbprint(jwk).map_err(|e| CliError::Input(format!("{path}: {e}")))?
        );
        return Ok(ExitCode::SUCCESS);
    }
    let key = key_from_file_bytes(&bytes).map_err(|e| CliError::Input(format!("{path}: {e}")))?;
    println!("{}", key.thumbprint());
    Ok(ExitCode::SUCCESS)
}
