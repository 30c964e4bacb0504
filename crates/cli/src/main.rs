//! `httpseal`: sign, verify and inspect RFC 9421 HTTP Message Signatures from the shell.
//!
//! Exit codes: 0 success (for `verify`: verified), 1 not verified or the operation failed,
//! 2 usage error or unreadable input.

mod args;
mod base;
mod directory;
mod fetch;
mod io;
mod keygen;
mod sign;
mod verify;

use std::process::ExitCode;

const USAGE: &str = "httpseal — RFC 9421 HTTP Message Signatures and Web Bot Auth

usage:
  httpseal keygen [--alg ALG] [--kid KID] [--out FILE] [--public-out FILE]
  httpseal thumbprint FILE|-
  httpseal sign --key FILE (--request REQ.json | --message RAW.http [--scheme https])
                [--components LIST] [--label sig1] [--profile rfc9421|web-bot-auth]
                [--created UNIX] [--expires UNIX | --ttl SECONDS] [--keyid ID] [--tag TAG]
                [--nonce NONCE | --random-nonce] [--no-alg] [--key-alg ALG]
                [--signature-agent URL] [--content-digest sha-256|sha-512]
                [--format headers|curl|json] [--out SIGNED.json]
  httpseal verify (--request REQ.json | --message RAW.http [--scheme https])
                [--jwks KEYS.json] [--key FILE [--kid ID]] [--jwks-url URL] [--key-alg ALG]
                [--now UNIX] [--profile rfc9421|web-bot-auth|fediverse|visa-tap] [--label L] [--tag T]
                [--skew S] [--max-age S] [--max-lifetime S] [--require LIST]
                [--algorithms LIST] [--allow-test-keys] [--compact]
                web-bot-auth: [--fetch [--allow-http]] [--directory DIR.json]
                              [--draft-00-members]
  httpseal base (--request REQ.json | --message RAW.http) (--label L | --components LIST
                [--created UNIX] [--expires UNIX] [--keyid ID] [--alg ALG] [--nonce N] [--tag T])
  httpseal directory build KEY...
  httpseal directory sign KEY... --authority HOST [--created UNIX] [--expires UNIX | --ttl S]
                [--format http|json]
  httpseal directory check FILE|URL [--authority HOST] [--now UNIX] [--allow-http]
                [--require-signed]

A component is written as inside Signature-Input, quotes optional:
  @method  content-digest  @query-param;name=\"q\"  signature-agent;key=\"sig1\"
LIST separates components by spaces or commas. ALG is a registry name: ed25519,
ecdsa-p256-sha256, ecdsa-p384-sha384, rsa-pss-sha512, rsa-v1_5-sha256, hmac-sha256.
Keys are JWK, JWK Set or PEM/DER (SPKI, PKCS#8, PKCS#1, SEC1). A key matches a
signature when its kid (or --kid) or its JWK thumbprint equals the keyid; without a
keyid, a single key is used. REQ.json is
{\"method\",\"url\",\"headers\":[[name,value],...],\"body\"?} as POST /verify takes it.
";

/// How a command failed.
#[derive(Debug)]
pub enum CliError {
    /// Bad command line (exit 2).
    Usage(String),
    /// Unreadable or malformed input (exit 2).
    Input(String),
    /// The operation failed (exit 1).
    Failed(httpseal::Error),
}

impl From<args::UsageError> for CliError {
    fn from(e: args::UsageError) -> Self {
        CliError::Usage(e.0)
    }
}

impl From<httpseal::Error> for CliError {
    fn from(e: httpseal::Error) -> Self {
        CliError::Failed(e)
    }
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let Some((command, rest)) = argv.split_first() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let result = match command.as_str() {
        "keygen" => keygen::keygen(rest),
        "thumbprint" => keygen::thumbprint(rest),
        "sign" => sign::run(rest),
        "verify" => verify::run(rest),
        "base" => base::run(rest),
        "directory" => directory::run(rest),
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        "--version" | "version" => {
            println!("httpseal {}", env!("CARGO_PKG_VERSION"));
            Ok(ExitCode::SUCCESS)
        }
        other => Err(CliError::Usage(format!("unknown command {other:?}"))),
    };
    match result {
        Ok(code) => code,
        Err(CliError::Usage(msg)) => {
            eprintln!("httpseal: {msg}\nrun `httpseal help` for usage");
            ExitCode::from(2)
        }
        Err(CliError::Input(msg)) => {
            eprintln!("httpseal: {msg}");
            ExitCode::from(2)
        }
        Err(CliError::Failed(e)) => {
            eprintln!("httpseal: {e} ({})", e.code());
            ExitCode::from(1)
        }
    }
}
