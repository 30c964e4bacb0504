//! Instruction counts for the headline comparison, repeatable on a noisy shared machine:
//! runs one case N times so that `valgrind --tool=callgrind` can count it. The per-call
//! figure is the difference between two runs (N = 10 and N = 110) divided by 100, which
//! cancels the setup. `scripts/bench-instructions.sh` (`make bench-instructions`) does this
//! for every case. httpseal's cases run on the Ed25519 backend of the build
//! (`common::BACKEND`); `floor` is ed25519-compact's bare verify, `floor_dalek`
//! ed25519-dalek's, `key_verify` httpseal's own `Key::verify` over the same base.
//!
//! `instructions <case> <iterations>`; without arguments (as `cargo bench` runs it) it
//! lists the cases and runs each once as a check.

mod common;

use common::{Cases, Prepared, dalek_verify, floor_verify, httpsig_impl, key_verify, wba};
use std::hint::black_box;

const CASES: &[&str] = &[
    "floor",
    "floor_dalek",
    "key_verify",
    "parse_base",
    "parse_base_policy",
    "httpseal",
    "web_bot_auth",
    "floor_httpsig_order",
    "floor_dalek_httpsig_order",
    "httpseal_httpsig_order",
    "web_bot_auth_httpsig_order",
    "httpsig_httpsig_order",
    "sign_floor",
    "sign_floor_dalek",
    "sign_httpseal",
];

fn run(case: &str, n: usize, c: &Cases, p: &Prepared) {
    for _ in 0..n {
        let ok = match case {
            "floor" => floor_verify(&p.floor_key, black_box(p.base.as_bytes()), &p.sig),
            "floor_dalek" => dalek_verify(&p.dalek_key, black_box(p.base.as_bytes()), &p.sig),
            "key_verify" => key_verify(&p.key, black_box(p.base.as_bytes()), &p.sig),
            "parse_base" => !common::httpseal_base(black_box(&p.msg)).0.is_empty(),
            "parse_base_policy" => {
                !common::httpseal_parse_base_policy(c, black_box(&p.msg)).is_empty()
            }
            "httpseal" => common::httpseal_verify(c, black_box(&p.msg)),
            "web_bot_auth" => wba::verify(&p.ring, black_box(&c.e21)),
            "floor_httpsig_order" => {
                floor_verify(&p.floor_key, black_box(p.base2.as_bytes()), &p.sig2)
            }
            "floor_dalek_httpsig_order" => {
                dalek_verify(&p.dalek_key, black_box(p.base2.as_bytes()), &p.sig2)
            }
            "httpseal_httpsig_order" => common::httpseal_verify(c, black_box(&p.msg2)),
            "web_bot_auth_httpsig_order" => wba::verify(&p.ring, black_box(&c.e21_httpsig_order)),
            "httpsig_httpsig_order" => {
                httpsig_impl::verify(&p.httpsig_key, black_box(&c.e21_httpsig_order))
            }
            "sign_floor" => p.keypair.sk.sign(black_box(p.base.as_bytes()), None).len() == 64,
            "sign_floor_dalek" => {
                use ed25519_dalek::Signer;
                p.dalek_signing
                    .sign(black_box(p.base.as_bytes()))
                    .to_bytes()
                    .len()
                    == 64
            }
            "sign_httpseal" => !c.httpseal_sign(black_box(&p.unsigned)).signature.is_empty(),
            other => panic!("unknown case {other:?}; cases: {CASES:?}"),
        };
        assert!(ok, "{case} failed");
    }
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let cases = Cases::new();
    let prepared = Prepared::new(&cases);
    match args.as_slice() {
        [case, n] => run(case, n.parse().expect("iterations"), &cases, &prepared),
        _ => {
            for case in CASES {
                run(case, 1, &cases, &prepared);
            }
            println!(
                "instructions: every case runs (httpseal on {}); count them with `make bench-instructions`",
                common::BACKEND
            );
        }
    }
}
