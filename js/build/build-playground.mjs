// Copies the browser build of the package (pkg/dist/full/web + the JS glue) into
// js/playground/vendor/httpseal/, so js/playground/ is a complete static site: the Worker
// serves it at `/`, and any static file server can serve it offline.

import { cpSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
const pkg = join(root, "pkg");
const vendor = join(root, "js", "playground", "vendor", "httpseal");

rmSync(vendor, { recursive: true, force: true });
mkdirSync(join(vendor, "dist", "full"), { recursive: true });
cpSync(join(pkg, "api.mjs"), join(vendor, "api.mjs"));
cpSync(join(pkg, "dist", "full", "web"), join(vendor, "dist", "full", "web"), { recursive: true });
console.log(`playground: browser build copied to ${vendor}`);
