// What the Node test files share: the built package (both builds, through their Node ESM
// entries), the vectors, and a local echo server.

import { readFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadVectors } from "../support/vector-files.mjs";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const PKG = join(ROOT, "pkg");

export const httpseal = await import(join(PKG, "dist", "full", "node", "index.mjs"));
export const small = await import(join(PKG, "dist", "ed25519", "node", "index.mjs"));
export const vectors = await loadVectors((path) => readFile(join(ROOT, path), "utf8"));
