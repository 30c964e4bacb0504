//! Wall-time benchmarks (criterion): parse + base, full verification of the Web Bot Auth
//! Ed25519 vector E.2.1 at a pinned time, signing — and, on the same request, Cloudflare's
//! `web-bot-auth`, `httpsig`, and the bare `ed25519-dalek` and `ed25519-compact`
//! verifications of the same base (httpseal runs on the build's backend, `common::BACKEND`).
//! See `benches/common/mod.rs` for what each implementation does and `docs/performance.md`
//! for the figures. Run: `make bench` (or `cargo bench -p httpseal-bench --bench verify`).

mod common;

use common::{Cases, EXPIRES, NOW, dalek_verify, floor_verify, httpsig_impl, wba};
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

fn parse_and_base(c: &mut Criterion) {
    let cases = Cases::new();
    let msg = cases.e21.to_httpseal();
    let mut g = c.benchmark_group("E.2.1");
    g.bench_function("httpseal parse+base", |b| {
        b.iter(|| common::httpseal_base(black_box(&msg)))
    });
    g.bench_function("httpseal parse+base+policy", |b| {
        b.iter(|| common::httpseal_parse_base_policy(&cases, black_box(&msg)))
    });
    g.finish();
}

fn verify(c: &mut Criterion) {
    let cases = Cases::new();
    let floor_key = cases.floor_key();
    let dalek_key = cases.dalek_key();
    let ring = wba::keyring(&cases.public_raw);
    let httpsig_key = httpsig_impl::public_key(&cases.public_raw);
    for (group, req, with_httpsig) in [
        ("verify E.2.1", &cases.e21, false),
        ("verify E.2.1 httpsig-order", &cases.e21_httpsig_order, true),
    ] {
        let msg = req.to_httpseal();
        let (base, sig) = common::httpseal_base(&msg);
        let mut g = c.benchmark_group(group);
        g.bench_function("ed25519-dalek (floor)", |b| {
            b.iter(|| assert!(dalek_verify(&dalek_key, black_box(base.as_bytes()), &sig)))
        });
        g.bench_function("ed25519-compact (floor)", |b| {
            b.iter(|| assert!(floor_verify(&floor_key, black_box(base.as_bytes()), &sig)))
        });
        g.bench_function("httpseal", |b| {
            b.iter(|| assert!(common::httpseal_verify(&cases, black_box(&msg))))
        });
        g.bench_function("httpseal incl. HttpMessage", |b| {
            b.iter(|| {
                assert!(common::httpseal_verify(
                    &cases,
                    &black_box(req).to_httpseal()
                ))
            })
        });
        g.bench_function("web-bot-auth", |b| {
            b.iter(|| assert!(wba::verify(&ring, black_box(req))))
        });
        if with_httpsig {
            g.bench_function("httpsig", |b| {
                b.iter(|| assert!(httpsig_impl::verify(&httpsig_key, black_box(req))))
            });
        }
        g.finish();
    }
}

fn sign(c: &mut Criterion) {
    let cases = Cases::new();
    let mut unsigned = cases.e21.to_httpseal();
    unsigned.remove_header("signature-input");
    unsigned.remove_header("signature");
    let (base, _) = common::httpseal_base(&cases.e21.to_httpseal());
    let kp = ed25519_compact::KeyPair::from_seed(ed25519_compact::Seed::new(cases.seed));
    let dalek_sk = ed25519_dalek::SigningKey::from_bytes(&cases.seed);
    let mut g = c.benchmark_group("sign E.2.1");
    g.bench_function("ed25519-dalek (floor)", |b| {
        use ed25519_dalek::Signer;
        b.iter(|| dalek_sk.sign(black_box(base.as_bytes())))
    });
    g.bench_function("ed25519-compact (floor)", |b| {
        b.iter(|| kp.sk.sign(black_box(base.as_bytes()), None))
    });
    g.bench_function("httpseal", |b| {
        b.iter(|| cases.httpseal_sign(black_box(&unsigned)))
    });
    g.bench_function("web-bot-auth", |b| {
        b.iter(|| sign_wba::sign(&cases, black_box(&cases.agent)))
    });
    let httpsig_key = sign_httpsig::key(&cases);
    g.bench_function("httpsig", |b| {
        b.iter(|| sign_httpsig::sign(&cases, &httpsig_key, black_box(&cases.agent)))
    });
    g.finish();
    // Same output as the vector: deterministic Ed25519 over the same base.
    let signed = cases.httpseal_sign(&unsigned);
    assert_eq!(
        signed.signature,
        cases.e21.header("signature"),
        "httpseal re-signs E.2.1 byte for byte"
    );
    let _ = (NOW, EXPIRES);
}

/// web-bot-auth's signer: its own parameter order, `created` from the wall clock.
mod sign_wba {
    use super::common::Cases;
    use indexmap::IndexMap;
    use std::time::Duration;
    use web_bot_auth::components::{
        CoveredComponent, DerivedComponent, HTTPField, HTTPFieldParameters, HTTPFieldParametersSet,
    };
    use web_bot_auth::keyring::Algorithm;
    use web_bot_auth::message_signatures::{MessageSigner, UnsignedMessage};

    struct Out<'a> {
        agent_member: &'a str,
        headers: Option<(String, String)>,
    }

    impl UnsignedMessage for Out<'_> {
        fn fetch_components_to_cover(&self) -> IndexMap<CoveredComponent, String> {
            IndexMap::from_iter([
                (
                    CoveredComponent::Derived(DerivedComponent::Authority { req: false }),
                    "example.com".to_string(),
                ),
                (
                    CoveredComponent::HTTP(HTTPField {
                        name: "signature-agent".into(),
                        parameters: HTTPFieldParametersSet(vec![HTTPFieldParameters::Key(
                            "agent2".into(),
                        )]),
                    }),
                    self.agent_member.to_string(),
                ),
            ])
        }

        fn register_header_contents(&mut self, input: String, signature: String) {
            self.headers = Some((format!("sig2={input}"), format!("sig2={signature}")));
        }
    }

    pub fn sign(cases: &Cases, agent: &str) -> (String, String) {
        let member = &agent[agent.find('=').unwrap() + 1..];
        let mut out = Out {
            agent_member: member,
            headers: None,
        };
        MessageSigner {
            keyid: "poqkLGiymh_W0uP6PZFw-dvez3QJT5SolqXBCW38r0U".into(),
            nonce: cases.nonce.clone(),
            tag: "web-bot-auth".into(),
        }
        .generate_signature_headers_content(
            &mut out,
            Duration::from_secs(3600),
            Algorithm::Ed25519,
            &cases.seed,
        )
        .unwrap();
        out.headers.unwrap()
    }
}

/// httpsig's signer: parameters, component lines supplied by the host, base, headers.
mod sign_httpsig {
    use super::common::{Cases, EXPIRES, NOW};
    use httpsig::prelude::message_component::{HttpMessageComponent, HttpMessageComponentId};
    use httpsig::prelude::{AlgorithmName, HttpSignatureBase, HttpSignatureParams, SecretKey};

    pub fn key(cases: &Cases) -> SecretKey {
        SecretKey::from_bytes(&AlgorithmName::Ed25519, &cases.seed).unwrap()
    }

    pub fn sign(cases: &Cases, sk: &SecretKey, agent: &str) -> (String, String) {
        let ids = [
            HttpMessageComponentId::try_from("@authority").unwrap(),
            HttpMessageComponentId::try_from("\"signature-agent\";key=\"agent2\"").unwrap(),
        ];
        let mut params = HttpSignatureParams::try_new(&ids).unwrap();
        params
            .set_created(NOW)
            .set_expires(EXPIRES)
            .set_nonce(&cases.nonce)
            .set_alg(&AlgorithmName::Ed25519)
            .set_keyid("poqkLGiymh_W0uP6PZFw-dvez3QJT5SolqXBCW38r0U")
            .set_tag("web-bot-auth");
        let lines = [
            HttpMessageComponent::try_from((&ids[0], ["example.com".to_string()].as_slice()))
                .unwrap(),
            HttpMessageComponent::try_from((&ids[1], [agent.to_string()].as_slice())).unwrap(),
        ];
        let base = HttpSignatureBase::try_new(&lines, &params).unwrap();
        let headers = base.build_signature_headers(sk, Some("sig2")).unwrap();
        (
            headers.signature_input_header_value(),
            headers.signature_header_value(),
        )
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_secs(2))
        .measurement_time(std::time::Duration::from_secs(5));
    targets = parse_and_base, verify, sign
}
criterion_main!(benches);
