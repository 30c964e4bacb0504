// Headless Debian Chromium driven by playwright-core (no browser download: the system
// binary), with a throw-away profile.

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Launches Chromium with a fresh profile directory (playwright passes it as
 * --user-data-dir). Resolves to `{context, close}`.
 */
export async function launchChromium(viewport = { width: 1280, height: 900 }) {
  const profile = mkdtempSync(join(tmpdir(), "httpseal-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-sync",
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
