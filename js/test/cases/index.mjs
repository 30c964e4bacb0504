// Every shared case, in the order they run (Node and Chromium run the same list), and the
// two ways each runs: with the WebCrypto fast path (the default) and with the core's own
// portable primitives only.
import { cases as api } from "./api.mjs";
import { cases as rfc9421 } from "./rfc9421.mjs";
import { cases as sync } from "./sync.mjs";
import { cases as webbotauth } from "./webbotauth.mjs";
import { cases as webcrypto } from "./webcrypto.mjs";

export const allCases = [...rfc9421, ...webbotauth, ...api, ...sync, ...webcrypto];

/**
 * `[prefix, useWebCrypto]`: every case runs once per mode. Node runs a third, its default:
 * node:crypto as the platform primitive (js/test/node/api.test.mjs).
 */
export const MODES = [
  ["webcrypto", true],
  ["wasm", false],
];
