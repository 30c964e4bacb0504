//! Instruction counts for the headline comparison, repeatable on a noisy shared machine:
//! runs one case N times so that `valgrind --tool=callgrind` can count it. The per-call
//! figure is the difference between two runs (N = 10 and N = 110) divided by 100, which
//! cancels the setup. `scripts/bench-instructions.sh` (`make bench-instructions`) does this
//! for every case.
//!
//! `instructions <case> <iterations>`; without arguments (as `cargo bench` runs it) it
//! lists the cases and runs each once as a check.

mod common;

use common::{Cases, floor_verify, httpsig_impl, wba};
use std::hint::black_box;

const CASES: &[&str] = &[
    "floor",
    "parse_base",
    "parse_base_policy",
    "httpseal",
    "web_bot_auth",
    "floor_httpsig_order",
    "httpseal_httpsig_order",
    "web_bot_auth_httpsig_order",
    "httpsig_httpsig_order",
    "sign_floor",
    "sign_httpseal",
];

fn run(case: &str, n: usize, c: &Cases) {
    let msg = c.e21.to_httpseal();
    let msg2 = c.e21_httpsig_order.to_httpseal();
    let (base, sig) = common::httpseal_base(&msg);
    let (base2, sig2) = common::httpseal_base(&msg2);
    let pk = c.floor_key();
    let ring = wba::keyring(&c.public_raw);
    let hs = httpsig_impl::public_key(&c.public_raw);
    let kp = ed25519_compact::KeyPair::from_seed(ed25519_compact::Seed::new(c.seed));
    let mut unsigned = msg.clone();
    unsigned.remove_header("signature-input");
    unsigned.remove_header("signature");
    for _ in 0..n {
        let ok = match case {
            "floor" => floor_verify(&pk, black_box(base.as_bytes()), &sig),
            "parse_base" => !common::httpseal_base(black_box(&msg)).0.is_empty(),
            "parse_base_policy" => {
                !common::httpseal_parse_base_policy(c, black_box(&msg)).is_empty()
            }
            "httpseal" => common::httpseal_verify(c, black_box(&msg)),
            "web_bot_auth" => wba::verify(&ring, black_box(&c.e21)),
            "floor_httpsig_order" => floor_verify(&pk, black_box(base2.as_bytes()), &sig2),
            "httpseal_httpsig_order" => common::httpseal_verify(c, black_box(&msg2)),
            "web_bot_auth_httpsig_order" => wba::verify(&ring, black_box(&c.e21_httpsig_order)),
            "httpsig_httpsig_order" => httpsig_impl::verify(&hs, black_box(&c.e21_httpsig_order)),
            "sign_floor" => kp.sk.sign(black_box(base.as_bytes()), None).len() == 64,
            "sign_httpseal" => !c.httpseal_sign(black_box(&unsigned)).signature.is_empty(),
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
    match args.as_slice() {
        [case, n] => run(case, n.parse().expect("iterations"), &cases),
        _ => {
            for case in CASES {
                run(case, 1, &cases);
            }
            println!("instructions: every case runs; count them with `make bench-instructions`");
        }
    }
}
