//! Reading the CLI's inputs (messages, keys), the clock and randomness: the host side of
//! the sans-IO core.

use crate::CliError;
use crate::args::Args;
use httpseal::api::{Verifiable, VerifyRequestJson};
use httpseal::keyfile::key_from_file_bytes;
use httpseal::{Algorithm, HttpMessage, JwkSet, Key, parse_http1, parse_jwk};
use std::io::Read;

/// Largest input file read (messages, key sets).
const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

/// Reads a file, or stdin for `-`.
pub fn read_input(path: &str) -> Result<Vec<u8>, CliError> {
    let mut buf = Vec::new();
    let result = if path == "-" {
        std::io::stdin().take(MAX_INPUT_BYTES).read_to_end(&mut buf)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(MAX_INPUT_BYTES).read_to_end(&mut buf))
    };
    result.map_err(|e| CliError::Input(format!("cannot read {path}: {e}")))?;
    Ok(buf)
}

pub fn read_text(path: &str) -> Result<String, CliError> {
    String::from_utf8(read_input(path)?)
        .map_err(|_| CliError::Input(format!("{path} is not UTF-8 text")))
}

/// The message named by `--request FILE` (JSON) or `--message FILE` (raw HTTP/1.1, with
/// `--scheme`), and the whole JSON document when it was one (it may carry verify options).
pub fn load_message(args: &Args) -> Result<(HttpMessage, Option<VerifyRequestJson>), CliError> {
    match load_verifiable(args)? {
        (Verifiable::Message(msg), doc) => Ok((msg, doc)),
        (Verifiable::Judged(verdict), _) => Err(CliError::Input(format!(
            "{}: {}",
            args.get("request").unwrap_or_default(),
            verdict.error.map(|e| e.to_string()).unwrap_or_default()
        ))),
    }
}

/// As [`load_message`], for `verify`: a JSON request beyond a limit of what httpseal reads
/// is judged rather than refused ([`httpseal::api::MessageJson::to_verifiable`]), as the
/// Worker judges it.
pub fn load_verifiable(args: &Args) -> Result<(Verifiable, Option<VerifyRequestJson>), CliError> {
    match (args.get("request"), args.get("message")) {
        (Some(path), None) => {
            let text = read_text(path)?;
            let doc = VerifyRequestJson::parse(&text)
                .map_err(|e| CliError::Input(format!("{path}: {e}")))?;
            let read = doc
                .message
                .to_verifiable()
                .map_err(|e| CliError::Input(format!("{path}: {e}")))?;
            Ok((read, Some(doc)))
        }
        (None, Some(path)) => {
            let raw = read_input(path)?;
            let scheme = args.get("scheme").unwrap_or("https");
            let msg =
                parse_http1(&raw, scheme).map_err(|e| CliError::Input(format!("{path}: {e}")))?;
            Ok((Verifiable::Message(msg), None))
        }
        (Some(_), Some(_)) => Err(CliError::Usage(
            "give --request or --message, not both".into(),
        )),
        (None, None) => Err(CliError::Usage(
            "give the message with --request FILE.json or --message FILE.http".into(),
        )),
    }
}

/// A request JSON without verify options (for `sign` and `base`).
pub fn message_only(doc: &Option<VerifyRequestJson>) -> Result<(), CliError> {
    if let Some(d) = doc
        && (d.jwks.is_some() || d.now.is_some() || d.profile.is_some() || d.policy.is_some())
    {
        return Err(CliError::Usage(
            "jwks/now/profile/policy belong to verify requests".into(),
        ));
    }
    Ok(())
}

/// Reads one key file: JWK (JSON) or PEM / DER.
pub fn load_key(path: &str) -> Result<Key, CliError> {
    let bytes = read_input(path)?;
    let text = std::str::from_utf8(&bytes).unwrap_or_default();
    let result = if text.trim_start().starts_with('{') {
        parse_jwk(text)
    } else {
        key_from_file_bytes(&bytes)
    };
    result.map_err(|e| CliError::Input(format!("{path}: {e}")))
}

/// Reads a JWK Set file (or one JWK, an array of JWKs, or a PEM/DER key).
pub fn load_key_set(path: &str) -> Result<JwkSet, CliError> {
    let bytes = read_input(path)?;
    let text = std::str::from_utf8(&bytes).unwrap_or_default().trim_start();
    if text.starts_with('{') || text.starts_with('[') {
        JwkSet::parse(text).map_err(|e| CliError::Input(format!("{path}: {e}")))
    } else {
        Ok(JwkSet::from_keys([load_key(path)?]))
    }
}

/// Binds unbound RSA keys to `--key-alg` when given.
pub fn bind(key: Key, alg: Option<&str>) -> Result<Key, CliError> {
    match alg {
        None => Ok(key),
        Some(name) => {
            let alg: Algorithm = name
                .parse()
                .map_err(|e: httpseal::Error| CliError::Usage(e.to_string()))?;
            if key.algorithm().is_some_and(|a| a != alg) {
                return Err(CliError::Usage(format!(
                    "--key-alg {alg} disagrees with the key's own algorithm"
                )));
            }
            key.with_algorithm(alg)
                .map_err(|e| CliError::Usage(e.to_string()))
        }
    }
}

/// The current UNIX time.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// 32 bytes from the operating system's CSPRNG.
pub fn random32() -> Result<[u8; 32], CliError> {
    let mut b = [0u8; 32];
    getrandom::getrandom(&mut b).map_err(|e| CliError::Input(format!("no randomness: {e}")))?;
    Ok(b)
}

/// `n` random bytes.
pub fn random_bytes(n: usize) -> Result<Vec<u8>, CliError> {
    let mut b = vec![0u8; n];
    getrandom::getrandom(&mut b).map_err(|e| CliError::Input(format!("no randomness: {e}")))?;
    Ok(b)
}
