# Issue 3: the native CLI against Cloudflare's web-bot-auth@0.1.3, both directions.

TEST_TARGETS += test-interop

.PHONY: test-interop
test-interop: $(NPM_STAMP) ## the httpseal CLI vs npm web-bot-auth@0.1.3 (it signs, we verify; we sign, it verifies)
	cargo build -p httpseal-cli
	cd js && node --test --test-reporter=spec test/cli/*.test.mjs

# Issue 9 item 4: the native CLI against pyauth's http-message-signatures (PyPI), which signs
# @target-uri with the URL's default port (and, before 2.1.0, @authority too).
SETUP_TARGETS += setup-python-interop
TEST_TARGETS += test-interop-python

.PHONY: setup-python-interop test-interop-python
setup-python-interop: ## pyauth http-message-signatures (current with pip --user, 2.0.1 under target/) for the interop test
	@scripts/setup-python-interop.sh

test-interop-python: setup-python-interop ## the httpseal CLI vs pyauth http-message-signatures (:443 in @target-uri; 2.0.1's @authority)
	HTTPSEAL_REQUIRE_PYAUTH=1 cargo test -p httpseal-cli --test pyauth
