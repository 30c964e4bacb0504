# The Rust workspace: the core (the root package) and its hosts (crates/cli, crates/edge,
# crates/npm): toolchain, native tests, lints, the wasm32 portability build, the CLI.

SINGLE_FAMILIES := ed25519 ed25519-dalek ecdsa-p256 ecdsa-p384 rsa hmac ed25519,host-keys

SETUP_TARGETS += setup-rust
# wasm-check is not in make test: `make pkg` (test-npm) builds the core for wasm32 with only
# ed25519 as well, in release, as the npm package's small build.
TEST_TARGETS += test-rust lint

.PHONY: setup-rust test-rust lint wasm-check cli bench fuzz error-docs
setup-rust: ## rustup target for wasm32
	@scripts/setup-rust.sh

test-rust: ## native unit, vector, property and CLI tests
	cargo test --features all-algorithms
	cargo test -p httpseal-cli
	cargo test --no-default-features --features ed25519 --lib
	cargo test --no-default-features --features ed25519,host-keys --test host_keys

lint: ## rustfmt and clippy, warnings are errors
	cargo fmt --all -- --check
	@# The benchmarks (benches/, httpseal-bench) are linted by `make lint-bench`, which CI runs
	@# after `make test`: their dependencies (criterion, two peers) cost ~30 s to check.
	cargo clippy --workspace --exclude httpseal-bench --all-targets --all-features -- -D warnings
	@# Each algorithm family alone builds without warnings too (cfg-gated code paths).
	for f in $(SINGLE_FAMILIES); do cargo clippy --lib --no-default-features --features $$f -- -D warnings || exit 1; done

wasm-check: ## the core builds for wasm32 with only ed25519 (issue 2, portability)
	cargo build --lib --target wasm32-unknown-unknown --no-default-features --features ed25519

cli: ## build the httpseal CLI (target/release/httpseal)
	cargo build --release -p httpseal-cli

error-docs: ## regenerate the README error table and the TypeScript ErrorCode union from src/error.rs
	HTTPSEAL_WRITE_DOCS=1 cargo test --features all-algorithms --test error_table -- --nocapture
