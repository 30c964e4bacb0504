# Fuzzing (issue 2, item 5): cargo-fuzz targets in fuzz/, nightly only, NOT part of `make test`.
# `make test` runs the cheap native replay of the seeds and crash reproducers instead
# (tests/fuzz_regressions.rs).

FUZZ_TARGETS := signatures jwk params content_digest keyfile verify_json query web_bot_auth signature_key accept_signature
FUZZ_SECONDS ?= 60
FUZZ_LONG_SECONDS ?= 900

.PHONY: fuzz fuzz-long fuzz-setup fuzz-seeds
fuzz-setup: ## nightly toolchain and cargo-fuzz (idempotent)
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked

fuzz: fuzz-setup ## every fuzz target, FUZZ_SECONDS (60) each, one at a time
	@for t in $(FUZZ_TARGETS); do scripts/fuzz-run.sh $$t $(FUZZ_SECONDS) || exit 1; done

fuzz-long: fuzz-setup ## every fuzz target, FUZZ_LONG_SECONDS (900) each; FUZZ_TARGETS="jwk" for one
	@for t in $(FUZZ_TARGETS); do scripts/fuzz-run.sh $$t $(FUZZ_LONG_SECONDS) || exit 1; done

fuzz-seeds: ## regenerate fuzz/seeds/ from tests/vectors/
	python3 fuzz/make_seeds.py
