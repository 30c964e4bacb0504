// The Worker's entry (wrangler.toml `main`): httpseal's fetch handler, built by
// worker-build into crates/edge/build/, and the Durable Object class that makes replay protection
// strict when a NONCE_LEDGER binding is configured.
export { default } from "../../crates/edge/build/index.js";
export { NonceLedger } from "./nonce-ledger.mjs";
