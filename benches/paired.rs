//! Paired wall-time ratios, for a shared, noisy machine: criterion measures each function
//! for seconds at a time, so load that comes and goes between two benchmarks shows up as a
//! difference between them. Here the two sides of each comparison run in alternating short
//! batches (about 2 ms each, order swapped every round), and the ratio is taken per round;
//! the median over hundreds of rounds is what the load cannot move much.
//!
//! `cargo bench -p httpseal-bench --bench paired` (`make bench-paired`). The instruction counts of
//! `benches/instructions.rs` remain the exactly repeatable figures.

mod common;

use common::{Cases, Prepared, dalek_verify, floor_verify, httpsig_impl, key_verify, wba};
use std::hint::black_box;
use std::time::Instant;

const ROUNDS: usize = 400;

fn time(f: &mut dyn FnMut(), n: u32) -> f64 {
    let start = Instant::now();
    for _ in 0..n {
        f();
    }
    start.elapsed().as_nanos() as f64 / f64::from(n)
}

/// Median and interquartile range of time(b) / time(a), and the median time of each.
fn paired(a: &mut dyn FnMut(), b: &mut dyn FnMut()) -> (f64, f64, f64, f64, f64) {
    // Batch size for about 2 ms per side.
    let per = time(a, 50).max(time(b, 50));
    let n = ((2_000_000.0 / per) as u32).clamp(1, 100_000);
    let (mut ratios, mut ta, mut tb) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        let (x, y) = if round % 2 == 0 {
            let x = time(a, n);
            (x, time(b, n))
        } else {
            let y = time(b, n);
            (time(a, n), y)
        };
        ratios.push(y / x);
        ta.push(x);
        tb.push(y);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    ratios.sort_by(f64::total_cmp);
    let q = |p: f64| ratios[((ratios.len() - 1) as f64 * p) as usize];
    (
        median(&mut ratios.clone()),
        q(0.25),
        q(0.75),
        median(&mut ta),
        median(&mut tb),
    )
}

fn main() {
    let c = Cases::new();
    let Prepared {
        msg,
        msg2,
        base,
        sig,
        base2,
        sig2,
        floor_key: pk,
        dalek_key: dk,
        key,
        dalek_signing: dsk,
        ring,
        httpsig_key: hs,
        keypair: kp,
        unsigned,
    } = Prepared::new(&c);
    println!("httpseal's Ed25519 backend: {}\n", common::BACKEND);

    let mut floor = || assert!(floor_verify(&pk, black_box(base.as_bytes()), &sig));
    let mut floor2 = || assert!(floor_verify(&pk, black_box(base2.as_bytes()), &sig2));
    let mut dalek = || assert!(dalek_verify(&dk, black_box(base.as_bytes()), &sig));
    let mut dalek2 = || assert!(dalek_verify(&dk, black_box(base2.as_bytes()), &sig2));
    let mut key_check = || assert!(key_verify(&key, black_box(base.as_bytes()), &sig));
    let mut sign_dalek = || {
        use ed25519_dalek::Signer;
        assert_eq!(dsk.sign(black_box(base.as_bytes())).to_bytes().len(), 64)
    };
    // parse + base + policy, then the same Ed25519 verification as the floor.
    let mut pbp_then_verify = || {
        let b = common::httpseal_parse_base_policy(&c, black_box(&msg));
        assert!(floor_verify(&pk, b.as_bytes(), &sig));
    };
    let mut httpseal = || assert!(common::httpseal_verify(&c, black_box(&msg)));
    let mut httpseal2 = || assert!(common::httpseal_verify(&c, black_box(&msg2)));
    let mut web_bot_auth = || assert!(wba::verify(&ring, black_box(&c.e21)));
    let mut httpsig = || assert!(httpsig_impl::verify(&hs, black_box(&c.e21_httpsig_order)));
    let mut sign_floor = || assert_eq!(kp.sk.sign(black_box(base.as_bytes()), None).len(), 64);
    let mut sign_httpseal = || assert!(!c.httpseal_sign(black_box(&unsigned)).signature.is_empty());

    let mut pbp = || assert!(!common::httpseal_parse_base_policy(&c, black_box(&msg)).is_empty());
    let rows = [
        (
            "ed25519-compact verify",
            "ed25519-dalek verify",
            paired(&mut floor, &mut dalek),
        ),
        (
            "ed25519-dalek verify",
            "httpseal Key::verify (the backend's check)",
            paired(&mut dalek, &mut key_check),
        ),
        (
            "ed25519-dalek verify",
            "httpseal verify_message",
            paired(&mut dalek, &mut httpseal),
        ),
        (
            "ed25519-compact verify",
            "parse+base+policy alone (B/A = the overhead)",
            paired(&mut floor, &mut pbp),
        ),
        (
            "ed25519-compact verify",
            "parse+base+policy, then the same verify",
            paired(&mut floor, &mut pbp_then_verify),
        ),
        (
            "ed25519-compact verify",
            "httpseal verify_message",
            paired(&mut floor, &mut httpseal),
        ),
        (
            "httpseal verify_message",
            "web-bot-auth",
            paired(&mut httpseal, &mut web_bot_auth),
        ),
        (
            "ed25519-compact verify (httpsig order)",
            "httpseal verify_message (httpsig order)",
            paired(&mut floor2, &mut httpseal2),
        ),
        (
            "ed25519-dalek verify (httpsig order)",
            "httpseal verify_message (httpsig order)",
            paired(&mut dalek2, &mut httpseal2),
        ),
        (
            "httpseal verify_message (httpsig order)",
            "httpsig",
            paired(&mut httpseal2, &mut httpsig),
        ),
        (
            "ed25519-compact sign",
            "httpseal sign",
            paired(&mut sign_floor, &mut sign_httpseal),
        ),
        (
            "ed25519-dalek sign",
            "httpseal sign",
            paired(&mut sign_dalek, &mut sign_httpseal),
        ),
    ];
    println!("| A | B | median B/A | IQR of B/A | median A | median B |");
    println!("| --- | --- | ---: | ---: | ---: | ---: |");
    for (a, b, (r, lo, hi, ta, tb)) in rows {
        println!(
            "| {a} | {b} | {r:.3} | {lo:.3}–{hi:.3} | {:.2} µs | {:.2} µs |",
            ta / 1000.0,
            tb / 1000.0
        );
    }
}
