//! `httpseal verify` says who and why: the JSON verdict it prints carries the identifier
//! (the agent's directory URL, or the key's JWK thumbprint for a key given with
//! `--jwks`/`--key`) and, for a refusal, `error.code` and `error.rule` — the setting that
//! refused it (`maxLifetime`, `tag`, `allowTestKeys`, `requireNonce`), with the exit code 1.
//! (`nonce`, a replay, needs a replay store, which the CLI does not keep: see
//! `tests/verdict_reasons.rs` for it.)

#[path = "../../../tests/common/mod.rs"]
mod common;

use serde_json::{Value, json};
use std::process::Command;

const CREATED: &str = "1800000000";
const NOW: &str = "1800000010";

fn tmp(name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("httpseal-verdict-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name).display().to_string()
}

fn httpseal(args: &[&str]) -> (i32, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_httpseal"))
        .args(args)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        o.status.code() != Some(2),
        "usage or input error: {args:?}: {stderr}"
    );
    (
        o.status.code().unwrap(),
        String::from_utf8(o.stdout).unwrap(),
    )
}

/// Signs the request with `key` and `flags`, at `CREATED`: the signed request's file.
fn sign(key: &str, name: &str, flags: &[&str]) -> String {
    let request =
        json!({"method": "GET", "url": "https://origin.example/product/1", "headers": []});
    let unsigned = tmp(&format!("{name}.unsigned.json"));
    std::fs::write(&unsigned, request.to_string()).unwrap();
    let signed = tmp(&format!("{name}.json"));
    let mut args = vec![
        "sign",
        "--key",
        key,
        "--request",
        &unsigned,
        "--created",
        CREATED,
        "--out",
        &signed,
    ];
    args.extend_from_slice(flags);
    let (code, out) = httpseal(&args);
    assert_eq!(code, 0, "{out}");
    signed
}

/// Verifies `signed` at `NOW` with `flags`: the exit code and the verdict.
fn verify(signed: &str, flags: &[&str]) -> (i32, Value) {
    let mut args = vec!["verify", "--request", signed, "--now", NOW, "--compact"];
    args.extend_from_slice(flags);
    let (code, out) = httpseal(&args);
    (code, serde_json::from_str(&out).unwrap())
}

fn keygen(name: &str) -> (String, String, String) {
    let (private, public) = (tmp(&format!("{name}.jwk")), tmp(&format!("{name}.pub.jwk")));
    let (code, _) = httpseal(&["keygen", "--out", &private, "--public-out", &public]);
    assert_eq!(code, 0);
    let (_, thumbprint) = httpseal(&["thumbprint", &public]);
    (private, public, thumbprint.trim().to_string())
}

/// Verified: the identifier is the thumbprint for a key given on the command line (draft
/// -01 §4.3), the well-known URL a bare-origin `Signature-Agent` resolves to for a key
/// from the agent's directory (§4.1), with `agent` and `directoryProof`.
#[test]
fn verified_verdicts_name_the_identifier() {
    let (private, public, thumbprint) = keygen("agent");
    let plain = sign(&private, "plain", &["--profile", "web-bot-auth"]);
    let (code, v) = verify(&plain, &["--profile", "web-bot-auth", "--jwks", &public]);
    assert_eq!((code, v["verdict"].as_str()), (0, Some("verified")), "{v}");
    assert_eq!(v["identifier"], thumbprint.as_str());
    assert_eq!(v["agent"], Value::Null);

    let agent = sign(
        &private,
        "with-agent",
        &[
            "--profile",
            "web-bot-auth",
            "--signature-agent",
            "https://agent.example.com",
        ],
    );
    let (_, directory) = httpseal(&["directory", "build", &private]);
    let saved = tmp("directory.json");
    std::fs::write(&saved, directory).unwrap();
    let (code, v) = verify(
        &agent,
        &["--profile", "web-bot-auth", "--directory", &saved],
    );
    assert_eq!((code, v["verdict"].as_str()), (0, Some("verified")), "{v}");
    let url = "https://agent.example.com/.well-known/http-message-signatures-directory";
    assert_eq!(v["identifier"], url);
    assert_eq!(v["agent"], url);
    assert_eq!(v["directoryProof"], "absent");
}

/// Refused: exit 1, the error's code and rule, and the identifier.
#[test]
fn refusals_name_the_rule() {
    let (private, public, thumbprint) = keygen("refused");
    let check = |v: &Value, code: &str, rule: &str, identifier: &str| {
        assert_eq!(v["verdict"], "invalid", "{v}");
        assert_eq!(v["error"]["code"], code, "{v}");
        assert_eq!(v["error"]["rule"], rule, "{v}");
        assert_eq!(v["identifier"], identifier, "{v}");
    };

    // Two days, where the web-bot-auth profile allows 24 h (§5.2 recommends it).
    let long = sign(
        &private,
        "long",
        &["--profile", "web-bot-auth", "--ttl", "172800"],
    );
    let (code, v) = verify(&long, &["--profile", "web-bot-auth", "--jwks", &public]);
    assert_eq!(code, 1);
    check(&v, "lifetime_too_long", "maxLifetime", &thumbprint);

    // The signature asked for by label, with another tag than the one asked for.
    let (code, v) = verify(
        &long,
        &[
            "--jwks",
            &public,
            "--label",
            "sig1",
            "--tag",
            "agent-browser-auth",
        ],
    );
    assert_eq!(code, 1);
    check(&v, "tag_mismatch", "tag", &thumbprint);

    // The RFC 9421 B.1.4 key (draft -01 §6.8), accepted only with --allow-test-keys.
    let b14 = common::vectors_dir()
        .join("rfc9421/keys/test-key-ed25519.jwk.json")
        .display()
        .to_string();
    let test_signed = sign(&b14, "b14", &["--profile", "web-bot-auth"]);
    let flags = ["--profile", "web-bot-auth", "--jwks", b14.as_str()];
    let (code, v) = verify(&test_signed, &flags);
    assert_eq!(code, 1);
    check(
        &v,
        "test_key",
        "allowTestKeys",
        "poqkLGiymh_W0uP6PZFw-dvez3QJT5SolqXBCW38r0U",
    );
    let (code, v) = verify(
        &test_signed,
        &[flags.as_slice(), &["--allow-test-keys"]].concat(),
    );
    assert_eq!((code, v["verdict"].as_str()), (0, Some("verified")), "{v}");

    // Visa TAP without a nonce (the profile requires one), the key given by its kid.
    let tap = sign(
        &private,
        "tap",
        &[
            "--label",
            "sig2",
            "--tag",
            "agent-browser-auth",
            "--components",
            "@authority @path",
            "--ttl",
            "480",
            "--keyid",
            "primary-ed25519",
        ],
    );
    let (code, v) = verify(
        &tap,
        &[
            "--profile",
            "visa-tap",
            "--key",
            &public,
            "--kid",
            "primary-ed25519",
        ],
    );
    assert_eq!(code, 1);
    check(&v, "nonce_required", "requireNonce", &thumbprint);
}

/// A request past a limit of what httpseal reads (here 300 header lines) is judged as the
/// Worker judges it: `unverified` when unsigned, `invalid` naming the limit when signed —
/// a verdict and exit 1, not an input error.
#[test]
fn requests_beyond_the_limits_are_judged() {
    let key = common::vectors_dir()
        .join("rfc9421/keys/test-key-ed25519.jwk.json")
        .display()
        .to_string();
    let lines: Vec<Value> = (0..300).map(|i| json!([format!("x-{i}"), "v"])).collect();
    let unsigned = tmp("many-lines.json");
    let request = json!({"method": "GET", "url": "https://a.example/", "headers": lines});
    std::fs::write(&unsigned, request.to_string()).unwrap();
    let (code, out) = httpseal(&["verify", "--request", &unsigned, "--key", &key]);
    assert_eq!(code, 1);
    let verdict: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(verdict["verdict"], "unverified");
    assert_eq!(verdict["error"]["code"], "no_signature");

    let mut lines = lines;
    lines[299] = json!(["Signature", "sig1=:AA==:"]);
    let signed = tmp("many-lines-signed.json");
    let request = json!({"method": "GET", "url": "https://a.example/", "headers": lines});
    std::fs::write(&signed, request.to_string()).unwrap();
    let (code, out) = httpseal(&["verify", "--request", &signed, "--key", &key]);
    assert_eq!(code, 1);
    let verdict: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(verdict["verdict"], "invalid");
    assert_eq!(verdict["error"]["code"], "limit_exceeded");
    assert!(
        verdict["error"]["message"]
            .as_str()
            .unwrap()
            .contains("MAX_FIELD_LINES")
    );
}
