# The examples people copy (examples/): a Hono Worker, a Node server and an agent. Each is
# installed with its pinned dependencies from the registry (httpseal itself from pkg/), then
# examples/examples.test.mjs runs them against each other on 127.0.0.1 — the agent signs, the
# Node server verifies; the Hono Worker, bundled for workerd, verifies under Miniflare (js/edge's).

EXAMPLES := agent node-server hono-worker
EXAMPLE_STAMPS := $(foreach e,$(EXAMPLES),examples/$(e)/node_modules/.package-lock.json)

TEST_TARGETS += test-examples

.PHONY: test-examples

# npm install again only when an example's package.json changed; --omit=dev leaves wrangler
# (the Hono Worker's own dev tool) out: the test uses js/edge's Miniflare and esbuild.
examples/%/node_modules/.package-lock.json: examples/%/package.json
	cd examples/$* && npm install --no-audit --no-fund --omit=dev --loglevel=error
	@touch $@

test-examples: pkg setup-edge $(EXAMPLE_STAMPS) ## run the examples against each other (agent -> Node server, agent -> Hono Worker under Miniflare)
	node --test --test-reporter=spec examples/examples.test.mjs
