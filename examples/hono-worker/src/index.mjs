// A Cloudflare Worker on Hono: every request is verified by httpseal (the same core and the
// same answers as the httpseal edge Worker); /api/* lets verified agents only, the rest is
// annotated. Agents' key directories are cached in the isolate and in the DIRECTORY_CACHE KV
// namespace, refreshed in the background (ctx.waitUntil).
import { Hono } from "hono";
import { httpseal } from "httpseal/edge";

const app = new Hono();

app.use(
  "*",
  httpseal((env) => ({
    rules: { routes: [{ name: "api", path: "/api/*", mode: "enforce" }] },
    kv: "DIRECTORY_CACHE",
    // Development only (wrangler dev --var HTTPSEAL_ALLOW_HTTP:true): agents on http://127.0.0.1.
    allowHttp: env.HTTPSEAL_ALLOW_HTTP === "true",
  })),
);

app.get("/", (c) => c.text(`${c.req.header("httpseal-verdict")}\n`));
app.get("/api/hello", (c) => c.json({ hello: c.get("httpseal").identifier }));

export default app;
