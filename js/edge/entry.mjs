// The Worker's entry (wrangler.toml `main`): httpseal's fetch handler, built by
// scripts/build-edge.sh into crates/edge/build/ (js/edge/worker-shim.mjs around the wasm), and
// the Durable Object class that makes replay protection strict when a NONCE_LEDGER binding is
// configured.
export { default } from "../../crates/edge/build/index.js";
export { NonceLedger } from "./nonce-ledger.mjs";
