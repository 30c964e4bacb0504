# httpseal — the two front-door commands:
#   make dev    run the edge verifier locally (wrangler dev, local KV, no account)
#   make test   set up whatever is missing, then run every test the project has
#
# Each area adds its own targets in mk/<area>.mk and registers them in SETUP_TARGETS /
# TEST_TARGETS, so `make test` grows with the project without one big recipe.

SHELL := /bin/bash
.DEFAULT_GOAL := help
export CARGO_TERM_COLOR ?= never

SETUP_TARGETS :=
TEST_TARGETS :=

include $(sort $(wildcard mk/*.mk))

.PHONY: help setup test dev
help: ## list the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

setup: $(SETUP_TARGETS) ## install what the tests need (idempotent)

test: setup ## run every test (Rust, wasm, npm in Node and Chromium, workerd)
	@$(MAKE) --no-print-directory $(TEST_TARGETS)
	@echo "make test: all test suites passed"
