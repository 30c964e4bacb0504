# The npm package `httpseal` (issue 5): the wasm build, pkg/, its Node and Chromium tests,
# the playground's end-to-end test and the JS benchmark. JS tooling lives in js/.

NPM_WASM_TARGET := wasm32-unknown-unknown
NPM_BUILD := build/npm
NPM_CARGO := cargo build -p httpseal-npm --lib --target $(NPM_WASM_TARGET) --no-default-features
NPM_STAMP := js/node_modules/.package-lock.json

SETUP_TARGETS += setup-npm
TEST_TARGETS += test-npm

.PHONY: setup-npm pkg test-npm test-npm-node test-npm-rust bench-npm bench-coldstart bench-browser playground lint-npm

setup-npm: $(NPM_STAMP) ## JS dev tools (npm ci in js/), Chromium, wasm-bindgen-cli 0.2.130
	@js/build/setup-tools.sh

# npm ci only when the lock file changed since the last install.
$(NPM_STAMP): js/package-lock.json js/package.json
	cd js && npm ci --no-audit --no-fund
	@touch $@

# The Ed25519 backend of each wasm build (src/alg/ed25519.rs): `ed25519` is ed25519-compact,
# `ed25519-dalek` ed25519-dalek. In wasm32 dalek verifies in ~0.4x compact's time but adds
# ~27-31 KiB gzip (docs/performance.md, "wasm32"): dalek for the speed-optimised full build,
# compact for the size-optimised Ed25519-only one. Overridable to compare.
NPM_FULL_ED25519 ?= ed25519-dalek
NPM_SMALL_ED25519 ?= ed25519

pkg: $(NPM_STAMP) ## build the npm package into pkg/: all algorithms (speed) + Ed25519-only (size); no downloads
	$(NPM_CARGO) --profile release --features all-algorithms,gateway,$(NPM_FULL_ED25519)
	@mkdir -p $(NPM_BUILD)
	cp target/$(NPM_WASM_TARGET)/release/httpseal_npm.wasm $(NPM_BUILD)/full.wasm
	$(NPM_CARGO) --profile wasm-small --features $(NPM_SMALL_ED25519)
	cp target/$(NPM_WASM_TARGET)/wasm-small/httpseal_npm.wasm $(NPM_BUILD)/ed25519.wasm
	node js/build/build-pkg.mjs $(NPM_BUILD)/full.wasm $(NPM_BUILD)/ed25519.wasm
	node js/build/build-playground.mjs

test-npm: pkg lint-npm test-npm-rust ## Node tests (vectors, API, WebCrypto, directories, gateways, interop, npm pack), Chromium tests, playground e2e
	cd js && node --test --test-reporter=spec test/node/*.test.mjs

test-npm-node: pkg ## only the Node tests (no browser)
	cd js && node --test --test-reporter=spec test/node/api.test.mjs test/node/webcrypto.test.mjs test/node/nodecrypto.test.mjs test/node/directory.test.mjs test/node/interop.test.mjs test/node/gateway.test.mjs test/node/pack.test.mjs

test-npm-rust: ## the bindings' own Rust unit tests (natively: what WebCrypto may check)
	cargo test -p httpseal-npm --lib --no-default-features --features ed25519,gateway

lint-npm: ## clippy on the wasm bindings, both builds (warnings are errors)
	cargo clippy -p httpseal-npm --lib --target $(NPM_WASM_TARGET) --no-default-features --features all-algorithms,gateway,$(NPM_FULL_ED25519) -- -D warnings
	cargo clippy -p httpseal-npm --lib --target $(NPM_WASM_TARGET) --no-default-features --features $(NPM_SMALL_ED25519) -- -D warnings

playground: pkg ## serve the signing playground on http://127.0.0.1:8788/
	node js/test/support/serve.mjs js/playground 8788

bench-npm: pkg ## sign/verify throughput: httpseal vs web-bot-auth vs http-message-signatures
	node js/bench/bench.mjs

bench-coldstart: pkg ## a fresh Node process imports and signs once: httpseal vs web-bot-auth vs http-message-signatures vs node:crypto alone
	node js/bench/coldstart.mjs

bench-browser: pkg ## sign/verify in headless Chromium, one page: httpseal (WebCrypto, wasm) vs web-bot-auth
	node js/bench/browser.mjs
