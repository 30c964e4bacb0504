//! Fuzz regression check, cheap enough for `make test` and needing no nightly toolchain:
//! replays the committed seed corpus (`fuzz/seeds/<target>/`) and every crash reproducer
//! found so far (`fuzz/regressions/<target>/`) through the very functions the `cargo fuzz`
//! targets call (`fuzz/entries.rs`). A panic in any of them fails the test.

#[path = "../fuzz/entries.rs"]
#[allow(dead_code)]
mod entries;

use std::path::{Path, PathBuf};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz")
}

/// The files of `dir`, sorted; none when it does not exist.
fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    out.sort();
    out
}

fn replay(target: &str, run: fn(&[u8]), kind: &str) -> usize {
    let inputs = files(&fuzz_dir().join(kind).join(target));
    for path in &inputs {
        let data = std::fs::read(path).unwrap();
        let outcome = std::panic::catch_unwind(|| run(&data));
        assert!(outcome.is_ok(), "{target}: {} panics", path.display());
    }
    inputs.len()
}

#[test]
fn every_fuzz_target_has_a_seed_corpus_and_a_cargo_fuzz_binary() {
    for (target, _) in entries::TARGETS {
        let seeds = files(&fuzz_dir().join("seeds").join(target));
        assert!(!seeds.is_empty(), "fuzz/seeds/{target}/ is empty");
        let bin = fuzz_dir().join("fuzz_targets").join(format!("{target}.rs"));
        let text = std::fs::read_to_string(&bin).unwrap_or_default();
        assert!(
            text.contains(&format!("httpseal_fuzz::{target}(")),
            "{} does not call entries::{target}",
            bin.display()
        );
    }
    assert_eq!(
        files(&fuzz_dir().join("fuzz_targets")).len(),
        entries::TARGETS.len(),
        "a fuzz target without an entry in entries::TARGETS"
    );
}

#[test]
fn seed_corpus_replays_without_panics() {
    let mut total = 0;
    for (target, run) in entries::TARGETS {
        total += replay(target, *run, "seeds");
    }
    assert!(total >= 100, "only {total} seeds");
}

#[test]
fn crash_reproducers_replay_without_panics() {
    for (target, run) in entries::TARGETS {
        replay(target, *run, "regressions");
    }
}
