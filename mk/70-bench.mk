# Benchmarks (issue 2, item 6): criterion wall time and callgrind instruction counts.
# NOT part of `make test`; figures and how to read them: docs/performance.md.

.PHONY: lint-bench bench bench-instructions bench-paired bench-wasm bench-scaling bench-compare
lint-bench: ## rustfmt and clippy on the benchmarks' package (benches/; CI runs it after make test)
	cargo fmt -p httpseal-bench -- --check
	cargo clippy -p httpseal-bench --all-targets --all-features -- -D warnings

bench: ## criterion: parse+base, verify E.2.1 (httpseal, web-bot-auth, httpsig, ed25519-dalek, ed25519-compact), sign
	cargo bench -p httpseal-bench --bench verify
	@python3 scripts/bench-table.py

bench-instructions: ## callgrind instruction counts per call for the same cases (needs valgrind)
	nice scripts/bench-instructions.sh

bench-paired: ## wall-time ratios from alternating short batches (robust to a busy machine)
	cargo bench -p httpseal-bench --bench paired

bench-wasm: ## the two Ed25519 backends compiled to wasm32, timed in Node (benches/wasm)
	nice scripts/bench-wasm.sh

bench-scaling: ## cost as work grows: signatures, header size and lines, directory keys (cold, warm), agents in the store
	cargo bench -p httpseal-bench --bench scaling

bench-compare: pkg build-edge ## issue 10's whole side-by-side table (Node, Chromium, Worker CPU and size, native): build/bench-compare.md
	@$(WRK_SETUP)
	scripts/bench-compare.sh
