//! The `httpseal` command line as users call it: exit codes (0 verified, 1 not, 2 usage or
//! unreadable input), the JSON verdict, `curl -H` ready headers, and Web Bot Auth
//! directories served by a local server on 127.0.0.1.

#[path = "../../../tests/common/mod.rs"]
mod common;

use common::vectors;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn httpseal(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_httpseal"))
        .args(args)
        .output()
        .unwrap()
}

fn code(o: &Output) -> i32 {
    o.status.code().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("httpseal-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn write(path: &Path, text: &str) -> String {
    std::fs::write(path, text).unwrap();
    path.to_str().unwrap().to_string()
}

fn vector_path(p: &str) -> String {
    common::vectors_dir().join(p).display().to_string()
}

/// Adds the `Name: value` lines `sign` printed to a request JSON.
fn with_headers(request: &Value, lines: &str) -> Value {
    let mut r = request.clone();
    for line in lines.lines() {
        let (n, v) = line.split_once(": ").unwrap();
        r["headers"].as_array_mut().unwrap().push(json!([n, v]));
    }
    r
}

#[test]
fn keygen_sign_verify_and_exit_codes() {
    let key = tmp("k1.json");
    let public = tmp("k1.pub.json");
    let o = httpseal(&[
        "keygen",
        "--out",
        key.to_str().unwrap(),
        "--public-out",
        public.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{o:?}");
    let jwk: Value = serde_json::from_str(&std::fs::read_to_string(&public).unwrap()).unwrap();
    let thumb = stdout(&httpseal(&["thumbprint", public.to_str().unwrap()]));
    assert_eq!(
        thumb.trim(),
        jwk["kid"].as_str().unwrap(),
        "keygen sets kid to the thumbprint"
    );

    let request = json!({"method": "GET", "url": "https://example.com/a?b=c", "headers": [["Host", "example.com"]]});
    let req = write(&tmp("req.json"), &request.to_string());
    let o = httpseal(&[
        "sign",
        "--key",
        key.to_str().unwrap(),
        "--request",
        &req,
        "--components",
        "@method @authority @path @query-param;name=\"b\"",
    ]);
    assert_eq!(code(&o), 0, "{o:?}");
    let lines = stdout(&o);
    assert!(lines.starts_with("Signature-Input: sig1=(\"@method\" \"@authority\" \"@path\" \"@query-param\";name=\"b\");created="), "{lines}");
    let signed = write(
        &tmp("signed.json"),
        &with_headers(&request, &lines).to_string(),
    );

    let o = httpseal(&[
        "verify",
        "--request",
        &signed,
        "--jwks",
        public.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    let verdict: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(verdict["verdict"], "verified");
    assert_eq!(verdict["components"].as_array().unwrap().len(), 4);
    // Not verified (created in the future at --now 1): exit 1 with the reason.
    let o = httpseal(&[
        "verify",
        "--request",
        &signed,
        "--jwks",
        public.to_str().unwrap(),
        "--now",
        "1",
        "--compact",
    ]);
    assert_eq!(code(&o), 1);
    assert!(stdout(&o).contains("\"code\":\"created_in_future\""));
    // Usage and unreadable input: exit 2.
    assert_eq!(code(&httpseal(&["verify", "--request", &signed])), 2);
    assert_eq!(
        code(&httpseal(&[
            "verify",
            "--request",
            "/nonexistent.json",
            "--jwks",
            public.to_str().unwrap()
        ])),
        2
    );
    assert_eq!(code(&httpseal(&["verify", "--bogus"])), 2);
    assert_eq!(code(&httpseal(&["nope"])), 2);
    assert_eq!(code(&httpseal(&[])), 2);
    let broken = write(&tmp("broken.json"), "{\"method\": \"GET\"");
    assert_eq!(
        code(&httpseal(&[
            "verify",
            "--request",
            &broken,
            "--jwks",
            public.to_str().unwrap()
        ])),
        2
    );
    // --out writes the signed request in the JSON shape verify reads.
    let out = tmp("signed-out.json");
    let o = httpseal(&[
        "sign",
        "--key",
        key.to_str().unwrap(),
        "--request",
        &req,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{o:?}");
    assert_eq!(
        code(&httpseal(&[
            "verify",
            "--request",
            out.to_str().unwrap(),
            "--jwks",
            public.to_str().unwrap()
        ])),
        0
    );
    // curl format.
    let o = httpseal(&[
        "sign",
        "--key",
        key.to_str().unwrap(),
        "--request",
        &req,
        "--format",
        "curl",
    ]);
    assert!(
        stdout(&o).starts_with("-H 'Signature-Input: sig1="),
        "{}",
        stdout(&o)
    );
}

#[test]
fn verifies_an_rfc_message_from_a_log() {
    // A raw HTTP/1.1 message months later: pin the clock, name the key's algorithm.
    let doc = vectors("rfc9421/vectors.json");
    let v = doc["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "S3.1/3.2 sig1 rsa-pss-sha512 (Figure 'example signature base')")
        .unwrap();
    let raw = write(&tmp("s31.http"), v["message"].as_str().unwrap());
    let jwk = vector_path("rfc9421/keys/test-key-rsa-pss.jwk.json");
    // The RFC's keys are published test keys: refused unless the run says it is a test
    // (draft-ietf-webbotauth-httpsig-protocol-01 §6.8).
    let o = httpseal(&[
        "verify",
        "--message",
        &raw,
        "--key",
        &jwk,
        "--key-alg",
        "rsa-pss-sha512",
        "--now",
        "1618884473",
        "--compact",
    ]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    assert!(
        stdout(&o).contains(r#""code":"test_key""#),
        "{}",
        stdout(&o)
    );
    assert!(
        stdout(&o).contains(r#""rule":"allowTestKeys""#),
        "{}",
        stdout(&o)
    );
    let o = httpseal(&[
        "verify",
        "--message",
        &raw,
        "--key",
        &jwk,
        "--key-alg",
        "rsa-pss-sha512",
        "--now",
        "1618884473",
        "--allow-test-keys",
    ]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    // Without the binding, an RSA key's algorithm is not known: not verified, with why.
    let o = httpseal(&[
        "verify",
        "--message",
        &raw,
        "--key",
        &jwk,
        "--now",
        "1618884473",
        "--compact",
    ]);
    assert_eq!(code(&o), 1);
    assert!(stdout(&o).contains("invalid_key"));
    // The PEM with the PSS OID binds itself.
    let pem = vector_path("rfc9421/keys/test-key-rsa-pss.priv.pem");
    assert_eq!(
        code(&httpseal(&[
            "verify",
            "--message",
            &raw,
            "--key",
            &pem,
            "--kid",
            "test-key-rsa-pss",
            "--now",
            "1618884473",
            "--allow-test-keys",
        ])),
        0
    );
    // A PEM has no kid: without --kid it does not match keyid="test-key-rsa-pss".
    let o = httpseal(&[
        "verify",
        "--message",
        &raw,
        "--key",
        &pem,
        "--now",
        "1618884473",
        "--compact",
    ]);
    assert_eq!(code(&o), 1);
    assert!(stdout(&o).contains("unknown_key"));
    // base prints the exact signature base.
    let o = httpseal(&["base", "--message", &raw, "--label", "sig1"]);
    assert_eq!(
        stdout(&o).trim_end_matches('\n'),
        v["signature_base"].as_str().unwrap()
    );
}

fn http_response(extra: &str, body: &str) -> String {
    format!(
        "HTTP/1.1 200 OK\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

#[test]
fn web_bot_auth_directories_end_to_end() {
    let key = tmp("agent.json");
    assert_eq!(
        code(&httpseal(&["keygen", "--out", key.to_str().unwrap()])),
        0
    );
    let dir_http = |authority: &str| {
        let o = httpseal(&[
            "directory",
            "sign",
            key.to_str().unwrap(),
            "--authority",
            authority,
            "--format",
            "json",
        ]);
        assert_eq!(code(&o), 0, "{o:?}");
        let j: Value = serde_json::from_str(&stdout(&o)).unwrap();
        let headers: String = j["headers"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(n, v)| format!("{n}: {}\r\n", v.as_str().unwrap()))
            .collect();
        http_response(&headers, j["body"].as_str().unwrap())
    };
    // Reserve a port, sign for it, then serve on it.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let authority = format!("127.0.0.1:{port}");
    let response = dir_http(&authority);
    let public_set = {
        let o = httpseal(&["directory", "build", key.to_str().unwrap()]);
        stdout(&o).trim().to_string()
    };
    let client_metadata = format!(
        r#"{{"client_id":"http://{authority}/client.json","jwks_uri":"http://{authority}/keys.json"}}"#
    );
    let routes = vec![
        ("/client.json", http_response("Content-Type: application/json\r\n", &client_metadata)),
        ("/keys.json", http_response("Content-Type: application/jwk-set+json\r\n", &public_set)),
        ("/.well-known/http-message-signatures-directory", response.clone()),
        ("/moved", "HTTP/1.1 302 Found\r\nLocation: /.well-known/http-message-signatures-directory\r\nContent-Length: 0\r\n\r\n".to_string()),
        ("/huge", http_response("Content-Type: application/json\r\n", &format!("{{\"keys\":[],\"pad\":\"{}\"}}", "x".repeat(70_000)))),
    ];
    let (served_port, hits) = serve_on(port, routes);
    assert_eq!(served_port, port);

    let base = format!("http://{authority}");
    let url = format!("{base}/.well-known/http-message-signatures-directory");
    let o = httpseal(&["directory", "check", &url, "--allow-http"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    assert!(stdout(&o).contains("\"status\": \"signed\""));
    // http is refused without the development switch; redirects and oversized bodies too.
    assert_eq!(code(&httpseal(&["directory", "check", &url])), 2);
    assert_ne!(
        code(&httpseal(&[
            "directory",
            "check",
            &format!("{base}/moved"),
            "--allow-http"
        ])),
        0
    );
    assert_ne!(
        code(&httpseal(&[
            "directory",
            "check",
            &format!("{base}/huge"),
            "--allow-http"
        ])),
        0
    );

    // An agent signs a request naming its directory; the verifier fetches it.
    let request = json!({"method": "GET", "url": "https://origin.example/page", "headers": []});
    let req = write(&tmp("wba-req.json"), &request.to_string());
    let o = httpseal(&[
        "sign",
        "--key",
        key.to_str().unwrap(),
        "--request",
        &req,
        "--profile",
        "web-bot-auth",
        "--signature-agent",
        &base,
    ]);
    assert_eq!(code(&o), 0, "{o:?}");
    let signed = write(
        &tmp("wba-signed.json"),
        &with_headers(&request, &stdout(&o)).to_string(),
    );
    let before = hits.load(std::sync::atomic::Ordering::SeqCst);
    let o = httpseal(&[
        "verify",
        "--request",
        &signed,
        "--profile",
        "web-bot-auth",
        "--fetch",
        "--allow-http",
        "--compact",
    ]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    let verdict: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(verdict["agent"], url.as_str());
    assert_eq!(hits.load(std::sync::atomic::Ordering::SeqCst), before + 1);
    // Offline: the same directory from a file.
    let body = response.split("\r\n\r\n").nth(1).unwrap();
    let dir_file = write(&tmp("dir.json"), body);
    let o = httpseal(&[
        "verify",
        "--request",
        &signed,
        "--profile",
        "web-bot-auth",
        "--directory",
        &dir_file,
        "--allow-http",
        "--compact",
    ]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    // No keys at all: unverified (exit 1), not an error.
    let o = httpseal(&[
        "verify",
        "--request",
        &signed,
        "--profile",
        "web-bot-auth",
        "--directory",
        &write(&tmp("empty.json"), "{\"keys\":[]}"),
        "--allow-http",
        "--compact",
    ]);
    assert_eq!(code(&o), 1);
    assert!(stdout(&o).contains("\"verdict\":\"unverified\""));
    // A draft -00 client-metadata document that names its JWK Set by reference: two
    // fetches, one identifier (accepted only with --draft-00-members; draft -01 §5.2.1
    // ignores members that carry parameters).
    let cimd_member = format!(r#"sig1="{base}/client.json";type=cimd"#);
    let request = json!({"method": "GET", "url": "https://origin.example/page",
        "headers": [["Signature-Agent", cimd_member]]});
    let req = write(&tmp("cimd-req.json"), &request.to_string());
    let o = httpseal(&[
        "sign",
        "--key",
        key.to_str().unwrap(),
        "--request",
        &req,
        "--profile",
        "web-bot-auth",
        "--components",
        r#"@authority signature-agent;key="sig1""#,
    ]);
    assert_eq!(code(&o), 0, "{o:?}");
    let signed = write(
        &tmp("cimd-signed.json"),
        &with_headers(&request, &stdout(&o)).to_string(),
    );
    let verify_cimd = |extra: &[&str]| {
        let mut args = vec![
            "verify",
            "--request",
            &signed,
            "--profile",
            "web-bot-auth",
            "--fetch",
            "--allow-http",
            "--compact",
        ];
        args.extend_from_slice(extra);
        httpseal(&args)
    };
    let before = hits.load(std::sync::atomic::Ordering::SeqCst);
    let o = verify_cimd(&["--draft-00-members"]);
    assert_eq!(code(&o), 0, "{}", stdout(&o));
    let verdict: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(
        verdict["identifier"],
        format!("{base}/client.json").as_str()
    );
    assert_eq!(hits.load(std::sync::atomic::Ordering::SeqCst), before + 2);
    let o = verify_cimd(&[]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    assert!(
        stdout(&o).contains("unusable_signature_agent"),
        "{}",
        stdout(&o)
    );

    // directory build prints the public JWKs with kid = thumbprint.
    let o = httpseal(&["directory", "build", key.to_str().unwrap()]);
    let d: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(d["keys"][0].get("d").is_none());
}

/// Serves `routes` (path -> raw HTTP response) on 127.0.0.1:`port`; counts requests.
fn serve_on(
    port: u16,
    routes: Vec<(&'static str, String)>,
) -> (u16, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    let listener = TcpListener::bind(("127.0.0.1", port)).unwrap();
    let hits = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).unwrap() == 0 || h == "\r\n" {
                    break;
                }
            }
            let path = line.split(' ').nth(1).unwrap_or("/").to_string();
            let resp = routes
                .iter()
                .find(|(p, _)| *p == path)
                .map(|(_, r)| r.clone())
                .unwrap_or_else(|| "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".into());
            let _ = stream.write_all(resp.as_bytes());
        }
    });
    (port, hits)
}
