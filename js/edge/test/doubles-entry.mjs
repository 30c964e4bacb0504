// A test entry for the built Worker (instead of js/edge/entry.mjs) that binds a recording
// double as ANALYTICS. Miniflare's own Analytics Engine binding (analyticsEngineDatasets)
// accepts data points and drops them, so a test cannot see what the Worker wrote; this
// double keeps them in the isolate and answers GET /__doubles/analytics with them (the
// request never reaches the Worker). It refuses what Analytics Engine refuses (its
// documented limits: 20 blobs, 20 doubles, one index of at most 96 bytes, 16 KB of blobs),
// by throwing, as the platform does.
import Worker from "../../../crates/edge/build/index.js";

export { NonceLedger } from "../nonce-ledger.mjs";

const points = [];
const refused = [];
const encoder = new TextEncoder();
const bytes = (v) => (typeof v === "string" ? encoder.encode(v).length : v?.byteLength ?? 0);

const analytics = {
  writeDataPoint(point = {}) {
    const { blobs = [], doubles = [], indexes = [] } = point;
    const why =
      blobs.length > 20 ? "more than 20 blobs"
      : doubles.length > 20 ? "more than 20 doubles"
      : indexes.length > 1 ? "more than one index"
      : indexes.some((i) => bytes(i) > 96) ? "an index longer than 96 bytes"
      : blobs.reduce((n, b) => n + bytes(b), 0) > 16 * 1024 ? "more than 16 KB of blobs"
      : doubles.some((d) => typeof d !== "number") ? "a double that is not a number"
      : null;
    if (why) {
      refused.push({ why, point });
      throw new TypeError(`writeDataPoint: ${why}`);
    }
    points.push(JSON.parse(JSON.stringify(point)));
  },
};

export default {
  async fetch(request, env, ctx) {
    if (new URL(request.url).pathname === "/__doubles/analytics") {
      return Response.json({ points, refused });
    }
    return Worker.fetch(request, { ...env, ANALYTICS: analytics }, ctx);
  },
};
