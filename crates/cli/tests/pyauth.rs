//! The httpseal CLI against a real peer: pyauth's `http-message-signatures` (PyPI), which
//! signs `@target-uri` from the URL as given — `https://example.com:443/path?x=1` keeps its
//! `:443`. RFC 9421 §2.2.2 gives `@target-uri` no normalisation ("the full absolute target
//! URI of the request"), so httpseal takes it as received and verifies; §2.2.3 says
//! `@authority` "MUST be normalized … the default port is omitted", which httpseal does.
//!
//! pyauth before 2.1.0 kept the port in `@authority` too (`urlsplit(url).netloc.lower()`,
//! `resolvers.py` of 2.0.x; `docs/agents.md` "Default ports"): a signature of 2.0.1
//! covering `@authority` fails here, and the test shows why (its base has
//! `"@authority": example.com:443`). Releases from 2.1.0 drop the default port (3.0.0:
//! `get_authority`), so the current release interoperates on `@authority` as well.
//!
//! Set up by `scripts/setup-python-interop.sh` (`make test-interop-python`): the current
//! release with pip, 2.0.1 under `target/interop-python/`. Without python3 or the package
//! the tests say they are skipped and why (on stderr: run with `--nocapture` to see it);
//! `HTTPSEAL_REQUIRE_PYAUTH=1` (the make target sets it) turns a skip into a failure.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// When the signatures are made and checked.
const CREATED: u64 = 1_800_000_000;
const URL: &str = "https://example.com:443/path?x=1";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .unwrap()
        .to_path_buf()
}

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("httpseal-pyauth-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn httpseal(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_httpseal"))
        .args(args)
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// pyauth, one of its installed versions.
struct Pyauth {
    /// `PYTHONPATH` for the version (`None`: the one pip installed).
    path: Option<PathBuf>,
    version: String,
}

impl Pyauth {
    /// The release pip installed, or why it cannot be used.
    fn current() -> Result<Self, String> {
        Self::at(None)
    }

    /// 2.0.1, unpacked by the setup script (or where `HTTPSEAL_PYAUTH_OLD` says).
    fn old() -> Result<Self, String> {
        let dir = std::env::var_os("HTTPSEAL_PYAUTH_OLD")
            .map(PathBuf::from)
            .unwrap_or_else(|| repo().join("target/interop-python/http-message-signatures-2.0.1"));
        if !dir.join("http_message_signatures").is_dir() {
            return Err(format!(
                "http-message-signatures 2.0.1 is not in {}",
                dir.display()
            ));
        }
        Self::at(Some(dir))
    }

    fn at(path: Option<PathBuf>) -> Result<Self, String> {
        let mut p = Pyauth {
            path,
            version: String::new(),
        };
        let o = p
            .run(&["version"])
            .map_err(|e| format!("python3 cannot be run: {e}"))?;
        if !o.status.success() {
            return Err(format!(
                "python3 cannot import http_message_signatures: {}",
                text(&o.stderr).lines().last().unwrap_or_default()
            ));
        }
        p.version = text(&o.stdout).trim().to_string();
        Ok(p)
    }

    fn run(&self, args: &[&str]) -> std::io::Result<Output> {
        let mut cmd = Command::new("python3");
        cmd.arg(repo().join("tests/interop/pyauth.py")).args(args);
        if let Some(p) = &self.path {
            cmd.env("PYTHONPATH", p);
        }
        cmd.output()
    }

    /// Signs `GET URL` over `components` with the private JWK at `key`: the request JSON
    /// for `httpseal verify --request` and the base pyauth signed.
    fn sign(&self, key: &Path, components: &str) -> (Value, String) {
        let created = CREATED.to_string();
        let o = self
            .run(&[
                "sign",
                key.to_str().unwrap(),
                "GET",
                URL,
                components,
                &created,
            ])
            .unwrap();
        assert!(o.status.success(), "pyauth sign: {}", text(&o.stderr));
        let mut request: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(request["pyauthVersion"], self.version.as_str());
        let base = request["pyauthBase"].as_str().unwrap().to_string();
        let fields = request.as_object_mut().unwrap();
        fields.remove("pyauthVersion");
        fields.remove("pyauthBase");
        (request, base)
    }
}

/// The test cannot run: say so, or fail when the run requires pyauth.
fn skipped(test: &str, why: &str) {
    let message = format!(
        "SKIPPED {test}: {why} (install it with scripts/setup-python-interop.sh, or run `make test-interop-python`)"
    );
    assert!(
        std::env::var_os("HTTPSEAL_REQUIRE_PYAUTH").is_none(),
        "{message}; HTTPSEAL_REQUIRE_PYAUTH is set"
    );
    eprintln!("{message}");
}

/// A fresh Ed25519 key (not a published test key): the private JWK for pyauth, the public
/// one for httpseal; `kid` is the thumbprint, which pyauth sends as `keyid`.
fn keygen(name: &str) -> (PathBuf, PathBuf) {
    let (private, public) = (tmp(&format!("{name}.jwk")), tmp(&format!("{name}.pub.jwk")));
    let o = httpseal(&[
        "keygen",
        "--out",
        private.to_str().unwrap(),
        "--public-out",
        public.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{o:?}");
    (private, public)
}

/// `httpseal verify` of `request` with the public key, at the signature's time: the exit
/// code and the verdict.
fn verify(request: &Value, public: &Path, name: &str) -> (i32, Value) {
    let file = tmp(&format!("{name}.json"));
    std::fs::write(&file, request.to_string()).unwrap();
    let now = (CREATED + 1).to_string();
    let o = httpseal(&[
        "verify",
        "--request",
        file.to_str().unwrap(),
        "--jwks",
        public.to_str().unwrap(),
        "--now",
        &now,
        "--compact",
    ]);
    let verdict = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {} {}", text(&o.stdout), text(&o.stderr)));
    (o.status.code().unwrap(), verdict)
}

/// The current pyauth signs `GET https://example.com:443/path?x=1` (sent, as Python's
/// http.client does, with `Host: example.com`) over `@method @target-uri`: pyauth's
/// `@target-uri` keeps `:443`, and httpseal verifies it, building the same base. Covering
/// `@authority` too verifies with the current release, which drops the default port there
/// (RFC 9421 §2.2.3).
#[test]
fn httpseal_verifies_pyauths_target_uri_with_the_default_port() {
    let pyauth = match Pyauth::current() {
        Ok(p) => p,
        Err(why) => {
            return skipped(
                "httpseal_verifies_pyauths_target_uri_with_the_default_port",
                &why,
            );
        }
    };
    let (private, public) = keygen("current");
    let (request, base) = pyauth.sign(&private, "@method @target-uri");
    assert!(
        base.starts_with("\"@method\": GET\n\"@target-uri\": https://example.com:443/path?x=1\n"),
        "{base}"
    );
    let (code, verdict) = verify(&request, &public, "target-uri");
    assert_eq!(
        (code, verdict["verdict"].as_str()),
        (0, Some("verified")),
        "{verdict}"
    );
    assert_eq!(verdict["signatureBase"].as_str(), Some(base.as_str()));

    let (request, base) = pyauth.sign(&private, "@method @target-uri @authority");
    assert!(
        base.contains("\n\"@authority\": example.com\n"),
        "pyauth {}: {base}",
        pyauth.version
    );
    let (code, verdict) = verify(&request, &public, "authority");
    assert_eq!(
        (code, verdict["verdict"].as_str()),
        (0, Some("verified")),
        "{verdict}"
    );
    assert_eq!(verdict["signatureBase"].as_str(), Some(base.as_str()));
}

/// pyauth 2.0.1 signs `@target-uri` the same way (verified), but keeps `:443` in
/// `@authority` too, contrary to RFC 9421 §2.2.3 ("the default port is omitted"): its
/// signature covering `@authority` is `invalid_signature` here. The two bases differ in
/// that one line and nowhere else.
#[test]
fn pyauth_2_0_1_kept_the_default_port_in_authority() {
    let pyauth = match Pyauth::old() {
        Ok(p) => p,
        Err(why) => return skipped("pyauth_2_0_1_kept_the_default_port_in_authority", &why),
    };
    assert_eq!(pyauth.version, "2.0.1");
    let (private, public) = keygen("old");
    let (request, _) = pyauth.sign(&private, "@method @target-uri");
    let (code, verdict) = verify(&request, &public, "old-target-uri");
    assert_eq!(
        (code, verdict["verdict"].as_str()),
        (0, Some("verified")),
        "{verdict}"
    );

    let (request, pyauth_base) = pyauth.sign(&private, "@method @target-uri @authority");
    let (code, verdict) = verify(&request, &public, "old-authority");
    assert_eq!(code, 1, "{verdict}");
    assert_eq!(verdict["verdict"], "invalid");
    assert_eq!(verdict["error"]["code"], "invalid_signature");
    let ours = verdict["signatureBase"].as_str().unwrap();
    let differing: Vec<(&str, &str)> = pyauth_base
        .lines()
        .zip(ours.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(
        differing,
        [(
            "\"@authority\": example.com:443",
            "\"@authority\": example.com"
        )]
    );
}

/// httpseal's own signer keeps the `:443` of the URL in `@target-uri` (and drops it from
/// `@authority`), and the current pyauth verifies what it signed.
#[test]
fn httpseal_keeps_the_default_port_in_target_uri() {
    let (private, public) = keygen("signer");
    let request =
        serde_json::json!({"method": "GET", "url": URL, "headers": [["Host", "example.com"]]});
    let file = tmp("unsigned.json");
    std::fs::write(&file, request.to_string()).unwrap();
    let signed = tmp("signed.json");
    let o = httpseal(&[
        "sign",
        "--key",
        private.to_str().unwrap(),
        "--request",
        file.to_str().unwrap(),
        "--components",
        "@method @target-uri @authority",
        "--format",
        "json",
        "--out",
        signed.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out: Value = serde_json::from_slice(&o.stdout).unwrap();
    let base = out["signatureBase"].as_str().unwrap();
    assert!(
        base.starts_with(
            "\"@method\": GET\n\"@target-uri\": https://example.com:443/path?x=1\n\"@authority\": example.com\n"
        ),
        "{base}"
    );
    let pyauth = match Pyauth::current() {
        Ok(p) => p,
        Err(why) => {
            return skipped(
                "httpseal_keeps_the_default_port_in_target_uri (pyauth's side)",
                &why,
            );
        }
    };
    let o = pyauth
        .run(&["verify", public.to_str().unwrap(), signed.to_str().unwrap()])
        .unwrap();
    assert!(
        o.status.success(),
        "pyauth {} refused httpseal's signature: {} {}",
        pyauth.version,
        text(&o.stdout),
        text(&o.stderr)
    );
}
