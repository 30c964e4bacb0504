// A static file server on 127.0.0.1 for the browser tests and the playground: serves one
// directory, or several under URL prefixes. Read-only, no directory listings, no path
// escapes.
//
//   node js/test/support/serve.mjs DIR [PORT]      (PORT 0 = any free port)

import { createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".txt": "text/plain; charset=utf-8",
  ".b64": "text/plain; charset=utf-8",
};

/** `/echo`: answers with the request as the server received it (for signedFetch tests). */
function echo(req, res) {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const headers = [];
    for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i].toLowerCase(), req.rawHeaders[i + 1]]);
    const seen = { method: req.method, url: `http://${req.headers.host}${req.url}`, headers, body: Buffer.concat(chunks).toString("utf8") };
    res.writeHead(200, { "content-type": "application/json", "access-control-allow-origin": "*" }).end(JSON.stringify(seen));
  });
}

/**
 * `/directory/<name>`: `PUT` keeps the body, `GET` serves it as a key directory (for
 * verifyRequest's directory resolution, in Node and in the browser), and `GET …?hits` says
 * how many times it was served.
 */
function directory(req, res, directories, name, query) {
  if (req.method === "PUT") {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      directories.set(name, { body: Buffer.concat(chunks), hits: 0 });
      res.writeHead(204).end();
    });
    return;
  }
  const entry = directories.get(name);
  if (query === "hits") {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ hits: entry?.hits ?? 0 }));
  } else if (entry === undefined) {
    res.writeHead(404).end();
  } else {
    entry.hits += 1;
    res.writeHead(200, { "content-type": "application/http-message-signatures-directory+json" }).end(entry.body);
  }
}

/**
 * Starts a server. `mounts` maps a URL prefix ("/" or "/pkg/") to a directory; `/echo`
 * echoes requests back; `/directory/<name>` serves key directories. Resolves to `{url, close}`.
 */
export function serveStatic(mounts, port = 0) {
  const table = Object.entries(mounts)
    .map(([prefix, dir]) => [prefix, resolve(dir)])
    .sort((a, b) => b[0].length - a[0].length);
  const directories = new Map();
  const server = createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    const path = decodeURIComponent(url.pathname);
    if (path === "/echo") {
      echo(req, res);
      return;
    }
    if (path.startsWith("/directory/")) {
      directory(req, res, directories, path.slice("/directory/".length), url.search.slice(1));
      return;
    }
    const mount = table.find(([prefix]) => path.startsWith(prefix));
    if (!mount || (req.method !== "GET" && req.method !== "HEAD")) {
      res.writeHead(404).end();
      return;
    }
    const [prefix, dir] = mount;
    let file = resolve(join(dir, path.slice(prefix.length)));
    if (file !== dir && !file.startsWith(dir + sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if (statSync(file).isDirectory()) file = join(file, "index.html");
      const size = statSync(file).size;
      res.writeHead(200, {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "content-length": size,
        "cache-control": "no-store",
      });
      if (req.method === "HEAD") res.end();
      else createReadStream(file).pipe(res);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((ok) => {
    server.listen(port, "127.0.0.1", () => {
      const { port: bound } = server.address();
      ok({ url: `http://127.0.0.1:${bound}`, close: () => new Promise((done) => server.close(done)) });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dir, port = "0"] = process.argv.slice(2);
  const { url } = await serveStatic({ "/": dir }, Number(port));
  console.log(`serving ${dir} on ${url}/`);
}
