# The edge verifier (Cloudflare Worker): build with scripts/build-edge.sh, run with wrangler
# dev, test under workerd (Miniflare) from Node's test runner, measure with scripts/edge-*.
#
# The build drives the pinned tools directly (no worker-build, which takes minutes to compile
# and would download its tools from GitHub): cargo, the installed wasm-bindgen CLI (equal to
# Cargo.lock's wasm-bindgen), and the npm builds of binaryen (wasm-opt) and esbuild pinned
# in js/edge/package.json.

EDGE_JS := js/edge
EDGE_BIN := $(EDGE_JS)/node_modules/.bin
WRANGLER := WRANGLER_SEND_METRICS=false $(CURDIR)/$(EDGE_BIN)/wrangler

# The Worker is the workspace member crates/edge (its features are set in its Cargo.toml:
# no PEM key files, no serde_path_to_error, every algorithm with P-384 checked by WebCrypto),
# built into crates/edge/build/.

SETUP_TARGETS += setup-edge
TEST_TARGETS += lint-edge test-edge

.PHONY: setup-edge site-edge build-edge release-edge lint-edge test-edge test-edge-native test-release-edge dev-edge dev bench-edge-load bench-edge-cpu bench-edge-hostile bench-edge-stall-dev bench-edge-size profile-edge
setup-edge: setup-rust ## the wasm-bindgen CLI (if missing) and the edge's Node tooling
	@scripts/setup-edge.sh

# The Worker's static site (Workers static assets, wrangler.toml [assets]): the signing
# playground with its browser build of the npm package, and public/ (worker.html, the page
# about the Worker and its routes).
EDGE_SITE := target/edge-site
site-edge: pkg ## assemble the Worker's static site (playground + public/) in target/edge-site
	rm -rf $(EDGE_SITE) && mkdir -p $(EDGE_SITE)
	cp -r js/playground/. public/. $(EDGE_SITE)/

# The deployed build drops the wasm name section (about 200 KB, a fifth of the upload);
# `make profile-edge` builds with it.
build-edge: setup-edge site-edge ## build the Worker into crates/edge/build/ (cargo, wasm-bindgen, wasm-opt, esbuild; profile `edge`)
	scripts/build-edge.sh

# A folder deployable with wrangler alone (no Rust toolchain): the built Worker, its entry and
# Durable Object class, the static site, a wrangler.toml without [build], a README; and the
# same as a tarball. Layout: release/edge/README.md.
release-edge: build-edge ## the deployable release: target/release-edge/httpseal-edge/ and httpseal-edge-<version>.tar.gz
	node scripts/release-edge.mjs

lint-edge: ## clippy on the edge feature, natively and for wasm32 (warnings are errors)
	cargo clippy -p httpseal-edge --lib --tests -- -D warnings
	cargo clippy -p httpseal-edge --lib --target wasm32-unknown-unknown -- -D warnings

test-edge-native: ## the edge's pure modules, natively
	cargo test -p httpseal-edge --lib

test-edge: test-edge-native build-edge release-edge setup-npm ## edge unit tests, then the Worker under workerd (Miniflare; Chromium for the playground as the Worker serves it), the release folder under wrangler
	cd $(EDGE_JS) && node --test --test-concurrency=2 test/*.test.mjs

test-release-edge: release-edge ## only the release folder's test: a copy with no Rust on PATH, wrangler deploy --dry-run and wrangler dev
	cd $(EDGE_JS) && node --test test/release.test.mjs

# wrangler dev runs wrangler.toml's [build] command (make build-edge) itself, and again when
# src/ changes.
dev-edge: setup-edge ## wrangler dev at http://localhost:8787 (local KV, no account; upstream = public/)
	$(WRANGLER) dev --port 8787 --ip 127.0.0.1 --var UPSTREAM_ORIGIN:assets --var DEV_ALLOW_INSECURE_DIRECTORIES:true

dev: dev-edge ## run the edge verifier locally

bench-edge-load: build-edge ## 20 000 signed requests at concurrency 32 against wrangler dev (autocannon)
	scripts/edge-load.sh

# wrk (Debian's package) drives the load; installed here, not by make test, which needs none.
WRK_SETUP := command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

bench-edge-cpu: build-edge ## workerd CPU per request (/proc, minus a forward-only Worker): ours vs npm web-bot-auth vs a WebCrypto-only floor
	@$(WRK_SETUP)
	cd $(EDGE_JS) && node bench/cpu.mjs

bench-edge-hostile: build-edge ## issue 14's attacks under workerd: wasm memory high-water mark, answer and time for each
	cd $(EDGE_JS) && node bench/hostile.mjs

bench-edge-stall-dev: build-edge ## 64 stalled signed uploads against wrangler dev, then disconnects: workerd RSS, still up?
	cd $(EDGE_JS) && node bench/stall-dev.mjs

bench-edge-size: build-edge ## gzip size (wrangler deploy --dry-run) and start-up CPU (wrangler check startup)
	scripts/edge-size.sh

# The same build with the wasm name section kept (function names in profiles), in
# target/edge-profiling/; then a V8 CPU profile of the gateway under wrk load. PROFILE_ARGS:
# seconds, how many functions to list, and "agent" for the warm directory path.
PROFILE_ARGS ?= 10 40 agent
profile-edge: setup-edge ## CPU profile of the gateway under load, self time per function
	@$(WRK_SETUP)
	scripts/build-edge.sh --keep-names --out target/edge-profiling
	cd $(EDGE_JS) && node bench/profile.mjs $(CURDIR)/target/edge-profiling $(PROFILE_ARGS)
