# The edge verifier (Cloudflare Worker): build with worker-build, run with wrangler dev,
# test under workerd (Miniflare) from Node's test runner, measure with scripts/edge-*.
#
# worker-build would download wasm-bindgen, wasm-opt and esbuild from GitHub; we hand it
# the installed wasm-bindgen (which must equal the crate's pinned 0.2.130) and the npm
# builds of binaryen and esbuild pinned in js/edge/package.json.

EDGE_JS := js/edge
EDGE_BIN := $(EDGE_JS)/node_modules/.bin
WORKER_BUILD_VERSION := 0.8.7
EDGE_TOOLS := WASM_BINDGEN_BIN="$$(command -v wasm-bindgen)" \
	WASM_OPT_BIN="$(CURDIR)/$(EDGE_BIN)/wasm-opt" \
	ESBUILD_BIN="$(CURDIR)/$(EDGE_BIN)/esbuild"
WRANGLER := WRANGLER_SEND_METRICS=false $(CURDIR)/$(EDGE_BIN)/wrangler

# The Worker is the workspace member crates/edge (its features are set in its Cargo.toml:
# no PEM key files, no serde_path_to_error, every algorithm with P-384 checked by WebCrypto).
EDGE_CRATE := crates/edge
EDGE_BUILD := $(EDGE_CRATE)/build

SETUP_TARGETS += setup-edge
TEST_TARGETS += lint-edge test-edge

.PHONY: setup-edge site-edge build-edge lint-edge test-edge test-edge-native dev-edge dev bench-edge-load bench-edge-cpu bench-edge-size profile-edge
setup-edge: setup-rust ## worker-build 0.8.7 (if missing) and the edge's Node tooling
	@scripts/setup-edge.sh $(WORKER_BUILD_VERSION)

# worker-build keeps the wasm name section (readable stack traces in `wrangler tail`); it is
# about 160 KB, a fifth of the upload, so the deployed build drops it. Profile with
# `worker-build --profiling` instead.
WASM_FEATURES := $(addprefix --enable-,mutable-globals sign-ext nontrapping-float-to-int bulk-memory multivalue reference-types exception-handling)

# The Worker's static site (Workers static assets, wrangler.toml [assets]): the signing
# playground with its browser build of the npm package, and public/ (worker.html, the page
# about the Worker and its routes).
EDGE_SITE := target/edge-site
site-edge: pkg ## assemble the Worker's static site (playground + public/) in target/edge-site
	rm -rf $(EDGE_SITE) && mkdir -p $(EDGE_SITE)
	cp -r js/playground/. public/. $(EDGE_SITE)/

build-edge: setup-edge site-edge ## build the Worker (build/) with worker-build, size-optimised profile `edge`
	$(EDGE_TOOLS) worker-build --profile edge $(EDGE_CRATE)
	$(EDGE_BIN)/wasm-opt $(WASM_FEATURES) --strip-debug --strip-producers $(EDGE_BUILD)/index_bg.wasm -o $(EDGE_BUILD)/index_bg.wasm

lint-edge: ## clippy on the edge feature, natively and for wasm32 (warnings are errors)
	cargo clippy -p httpseal-edge --lib --tests -- -D warnings
	cargo clippy -p httpseal-edge --lib --target wasm32-unknown-unknown -- -D warnings

test-edge-native: ## the edge's pure modules, natively
	cargo test -p httpseal-edge --lib

test-edge: test-edge-native build-edge setup-npm ## edge unit tests, then the Worker under workerd (Miniflare; Chromium for the playground as the Worker serves it)
	cd $(EDGE_JS) && node --test --test-concurrency=1 test/*.test.mjs

# wrangler dev runs wrangler.toml's [build] command (make build-edge) itself, and again when
# src/ changes.
dev-edge: setup-edge ## wrangler dev at http://localhost:8787 (local KV, no account; upstream = public/)
	$(WRANGLER) dev --port 8787 --ip 127.0.0.1 --var UPSTREAM_ORIGIN:assets --var DEV_ALLOW_INSECURE_DIRECTORIES:true

dev: dev-edge ## run the edge verifier locally

bench-edge-load: build-edge ## 20 000 signed requests at concurrency 32 against wrangler dev (autocannon)
	scripts/edge-load.sh

bench-edge-cpu: build-edge ## CPU per request: ours vs npm web-bot-auth vs a WebCrypto-only floor
	cd $(EDGE_JS) && node bench/cpu.mjs

bench-edge-size: build-edge ## gzip size (wrangler deploy --dry-run) and start-up CPU (wrangler check startup)
	scripts/edge-size.sh

# The same build with the wasm name section kept (function names in profiles), in
# target/edge-profiling/; then a V8 CPU profile of the gateway under wrk load. PROFILE_ARGS:
# seconds, how many functions to list, and "agent" for the warm directory path.
PROFILE_ARGS ?= 10 40 agent
profile-edge: setup-edge ## CPU profile of the gateway under load, self time per function
	$(EDGE_TOOLS) worker-build --profile edge $(EDGE_CRATE)
	rm -rf target/edge-profiling && cp -r $(EDGE_BUILD) target/edge-profiling
	cd $(EDGE_JS) && node bench/profile.mjs $(CURDIR)/target/edge-profiling $(PROFILE_ARGS)
