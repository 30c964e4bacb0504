//! `base`: prints the signature base of a signature in the message, or of new parameters.

use crate::CliError;
use crate::args::Args;
use crate::io::load_message;
use httpseal::api::parse_component_list;
use httpseal::{SfRegistry, SignatureParams, parse_signatures, signature_base};
use std::process::ExitCode;

const VALUED: &[&str] = &[
    "request",
    "message",
    "scheme",
    "label",
    "components",
    "created",
    "expires",
    "keyid",
    "alg",
    "nonce",
    "tag",
];

pub fn run(raw: &[String]) -> Result<ExitCode, CliError> {
    let args = Args::parse(raw, VALUED, &[])?;
    let (msg, _) = load_message(&args)?;
    let params = match (args.get("label"), args.get("components")) {
        (Some(label), None) => {
            let sigs = parse_signatures(&msg)?;
            sigs.into_iter()
                .find(|s| s.label == label)
                .ok_or_else(|| httpseal::Error::LabelNotFound(label.to_string()))?
                .params
        }
        (None, Some(list)) => {
            let mut p = SignatureParams::new();
            for c in parse_component_list(list)? {
                p.push_component(c)?;
            }
            for name in ["created", "expires"] {
                if let Some(v) = args.number(name)? {
                    p.set_integer(name, v)?;
                }
            }
            for name in ["keyid", "alg", "nonce", "tag"] {
                if let Some(v) = args.get(name) {
                    p.set_string(name, v)?;
                }
            }
            p
        }
        _ => {
            return Err(CliError::Usage(
                "base needs --label L (a signature in the message) or --components LIST".into(),
            ));
        }
    };
    println!("{}", signature_base(&msg, &params, &SfRegistry::new())?);
    Ok(ExitCode::SUCCESS)
}
