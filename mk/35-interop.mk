# Issue 3: the native CLI against Cloudflare's web-bot-auth@0.1.3, both directions.

TEST_TARGETS += test-interop

.PHONY: test-interop
test-interop: $(NPM_STAMP) ## the httpseal CLI vs npm web-bot-auth@0.1.3 (it signs, we verify; we sign, it verifies)
	cargo build -p httpseal-cli
	cd js && node --test --test-reporter=spec test/cli/*.test.mjs
