//! The error table in `src/error.rs` ([`httpseal::ALL_CODES`]) is the one source of the
//! README's "Error codes" table and of the npm package's TypeScript `ErrorCode` union. Both
//! are generated between marker lines; these tests fail, printing the expected text, when
//! either differs from the table.
//!
//! Regenerate both with `make error-docs`, which runs these tests with
//! `HTTPSEAL_WRITE_DOCS=1`: then they rewrite the marked sections instead of comparing.

use httpseal::{ALL_CODES, ErrorClass};
use std::collections::BTreeSet;
use std::path::PathBuf;

const README: &str = "README.md";
const README_MARKERS: (&str, &str) = ("<!-- error-codes:start -->", "<!-- error-codes:end -->");

const TYPESCRIPT: &str = "js/pkg-template/index.d.ts";
const TYPESCRIPT_MARKERS: (&str, &str) = ("// error-codes:start", "// error-codes:end");

/// The README table: one row per code, in declaration order.
fn readme_table() -> String {
    let mut out = String::from("| code | outcome | meaning |\n| --- | --- | --- |\n");
    for c in ALL_CODES {
        out += &format!("| `{}` | {} | {} |\n", c.code, c.class.as_str(), c.summary);
    }
    out
}

/// The TypeScript union of every code, in declaration order.
fn typescript_union() -> String {
    let mut out = String::from(
        "// Generated from the error table in src/error.rs by `make error-docs`: do not edit.\n\
         /**\n \
         * A stable error code (`err.code`, `verdict.error.code`); the README's \"Error codes\"\n \
         * table says what each one means and which verdict it leads to.\n \
         */\n\
         export type ErrorCode =\n",
    );
    for (i, c) in ALL_CODES.iter().enumerate() {
        let end = if i + 1 == ALL_CODES.len() { ";" } else { "" };
        out += &format!("  | \"{}\"{end}\n", c.code);
    }
    out
}

/// Splits `text` into what precedes the start marker line (inclusive), the generated part,
/// and what follows from the end marker line (inclusive).
fn split<'a>(text: &'a str, (start, end): (&str, &str), file: &str) -> (&'a str, &'a str, &'a str) {
    let line_after = |at: usize| text[at..].find('\n').map_or(text.len(), |n| at + n + 1);
    let s = text
        .find(start)
        .unwrap_or_else(|| panic!("{file}: no {start:?} marker"));
    let body = line_after(s);
    let e = text[body..]
        .find(end)
        .map(|n| body + n)
        .unwrap_or_else(|| panic!("{file}: no {end:?} marker after {start:?}"));
    assert!(
        text[..e].ends_with('\n'),
        "{file}: {end:?} must start a line"
    );
    (&text[..body], &text[body..e], &text[e..])
}

/// Compares the marked section of `file` with `expected`, or rewrites it when
/// `HTTPSEAL_WRITE_DOCS=1`.
fn check_or_write(file: &str, markers: (&str, &str), expected: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let (before, current, after) = split(&text, markers, file);
    if std::env::var_os("HTTPSEAL_WRITE_DOCS").is_some_and(|v| v == "1") {
        if current != expected {
            std::fs::write(&path, format!("{before}{expected}{after}")).unwrap();
            eprintln!("error_table: rewrote the error codes in {file}");
        }
        return;
    }
    assert!(
        current == expected,
        "{file} is out of date with the error table in src/error.rs; run `make error-docs`.\n\
         Expected between {:?} and {:?}:\n{expected}",
        markers.0,
        markers.1
    );
}

#[test]
fn readme_table_is_the_error_table() {
    check_or_write(README, README_MARKERS, &readme_table());
}

#[test]
fn typescript_union_is_the_error_table() {
    check_or_write(TYPESCRIPT, TYPESCRIPT_MARKERS, &typescript_union());
}

#[test]
fn typescript_error_types_use_the_union() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(TYPESCRIPT);
    let text = std::fs::read_to_string(path).unwrap();
    // The thrown error and the verdict's error carry a code of the union, not any string.
    assert!(
        text.contains("export interface HttpsealError extends Error {\n  code: ErrorCode;"),
        "HttpsealError.code is typed ErrorCode"
    );
    assert!(
        text.contains("export interface VerdictError {\n  code: ErrorCode;")
            && text.contains("error: VerdictError | null;"),
        "Verdict.error.code is typed ErrorCode"
    );
    assert!(
        !text.contains("code: string"),
        "no code typed as a plain string"
    );
}

#[test]
fn codes_and_summaries_fit_the_generated_docs() {
    let mut seen = BTreeSet::new();
    for c in ALL_CODES {
        assert!(seen.insert(c.code), "{} is declared twice", c.code);
        assert!(
            !c.code.is_empty()
                && c.code
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
            "{:?} is not snake_case",
            c.code
        );
        let s = c.summary;
        assert!(
            s.ends_with('.') && s.starts_with(|ch: char| !ch.is_lowercase()),
            "{}: the summary is a sentence: {s:?}",
            c.code
        );
        assert!(
            !s.contains(['|', '\n', '<']),
            "{}: the summary must fit a line of a Markdown table: {s:?}",
            c.code
        );
    }
}

#[test]
fn the_unverified_codes_are_those_that_lack_information() {
    // Web Bot Auth §"Verifier Outcomes": `unverified` when there is not enough to decide.
    // Changing this list changes verdicts (and the Worker's 401 / 403): do it on purpose.
    let unverified: BTreeSet<&str> = ALL_CODES
        .iter()
        .filter(|c| c.class == ErrorClass::Unverified)
        .map(|c| c.code)
        .collect();
    let expected = BTreeSet::from([
        "no_signature",
        "no_applicable_signature",
        "label_not_found",
        "unknown_key",
        "ambiguous_key",
        "unsupported_key",
        "unusable_signature_agent",
        "directory_unavailable",
        "unsupported_scheme",
        // The verifier job: a replay store that fails leaves replay not ruled out (draft -01
        // Appendix C.6), and a host that never answers leaves the job undecided.
        "replay_check_unavailable",
        "host_answer_missing",
    ]);
    assert_eq!(unverified, expected);
}
