//! Every bound is a named constant in the README's limits table: the constants of
//! `src/limits.rs`, and the other bounds named here, must each appear there.

use std::path::Path;

fn read(path: &str) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The `pub const NAME` declarations of a file.
fn constants(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("pub const "))
        .filter_map(|l| l.split(':').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn every_limit_is_in_the_readme() {
    let readme = read("README.md");
    let table = readme
        .split("## Limits")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("a Limits section");
    let mut names = constants(&read("src/limits.rs"));
    assert!(names.len() >= 20, "{names:?}");
    // Bounds that live next to the rule they bound.
    for (file, wanted) in [
        ("src/fetch/mod.rs", &["FETCH_TIMEOUT_MS"][..]),
        (
            "src/webbotauth/cache.rs",
            &[
                "MIN_DIRECTORY_TTL",
                "DEFAULT_DIRECTORY_TTL",
                "MAX_DIRECTORY_TTL",
                "FIRST_RETRY_DELAY",
                "MAX_NEGATIVE_TTL",
                "MAX_STALE",
            ],
        ),
        (
            "src/verify/replay.rs",
            &["DEFAULT_REPLAY_WINDOW", "MIN_REPLAY_TTL"],
        ),
        ("src/job/verify.rs", &["DEFAULT_MAX_CHECKED_BODY_BYTES"]),
        ("src/gateway/rules.rs", &["MAX_RULES", "MAX_PATTERN_BYTES"]),
        ("crates/edge/src/api_request.rs", &["MAX_VERIFY_BODY_BYTES"]),
        (
            "crates/edge/src/budget.rs",
            &[
                "DEFAULT_MAX_BUFFERED_BYTES",
                "MAX_MAX_BUFFERED_BYTES",
                "MAX_CONCURRENT_FETCHES",
            ],
        ),
        ("crates/edge/src/runtime/chunks.rs", &["HASH_SLICE_BYTES"]),
        ("crates/edge/src/observe.rs", &["RING_ENTRIES"]),
        ("crates/edge/src/config.rs", &["MIN_DASHBOARD_TOKEN_BYTES"]),
    ] {
        let declared = constants(&read(file));
        for name in wanted {
            assert!(
                declared.iter().any(|d| d == name),
                "{file} declares no {name}"
            );
            names.push((*name).to_string());
        }
    }
    let missing: Vec<&String> = names
        .iter()
        .filter(|n| !table.contains(&format!("`{n}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "not in the README's limits table: {missing:?}"
    );
}
