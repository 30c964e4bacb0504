// Raw HTTP/1.1 clients for the hostile-input tests and measurements (issue 14): requests
// written to a socket by hand, so that a body can stall part-way, a client can vanish
// mid-upload, and a chunked upload can go on until the Worker answers.
import net from "node:net";
import { createHash } from "node:crypto";
import { signatureHeaders } from "web-bot-auth";
import { Ed25519Signer } from "web-bot-auth/crypto";
import { startWorker, PROBE_ENTRY, ED25519_PRIVATE } from "./helpers.mjs";

/** The authority the raw requests name (Host), and that signatures cover. */
export const HOST = "shop.example";
export const MIB = 1 << 20;

export const now = () => Math.floor(Date.now() / 1000);
export const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
export const sha256 = (bytes) => "sha-256=:" + createHash("sha256").update(bytes).digest("base64") + ":";

/** Starts the Worker through the probe entry: [miniflare, its http://127.0.0.1:port URL]. */
export async function probed(vars) {
  const mf = await startWorker(vars, { scriptPath: PROBE_ENTRY });
  return [mf, await mf.ready];
}

/**
 * The headers of a POST to `https://shop.example{path}` signed the way an agent signs a
 * body: `@method @authority @path content-digest`, by the RFC 9421 Ed25519 test key (in
 * TRUSTED_JWKS), naming `agent` in Signature-Agent when given.
 */
export async function signedPost(path, digest, agent) {
  const signer = await Ed25519Signer.fromJWK(ED25519_PRIVATE);
  const headers = { "content-digest": digest, "content-type": "application/octet-stream" };
  if (agent) headers["signature-agent"] = `"${agent}"`;
  const components = ["@method", "@authority", "@path", "content-digest", ...(agent ? ["signature-agent"] : [])];
  const signed = await signatureHeaders(new Request(`https://${HOST}${path}`, { method: "POST", headers }), signer, {
    created: new Date(now() * 1000), expires: new Date((now() + 300) * 1000), components,
  });
  return { ...headers, signature: signed.Signature, "signature-input": signed["Signature-Input"] };
}

/**
 * Opens a raw connection to the Worker and writes a request head; `response` resolves to
 * the status of the answer, or `null` when the connection closes without one.
 */
export function rawRequest(base, method, path, headers) {
  const socket = net.connect(Number(base.port), base.hostname);
  socket.on("error", () => {});
  let data = "";
  const response = new Promise((ok) => {
    socket.on("data", (d) => {
      data += d.toString("latin1");
      const m = data.match(/^HTTP\/1\.1 (\d{3})/);
      const end = data.indexOf("\r\n\r\n");
      if (!m || end < 0) return;
      const length = Number(data.slice(0, end).match(/content-length: (\d+)/i)?.[1] ?? 0);
      if (data.length - end - 4 >= length) ok({ status: Number(m[1]), text: () => data });
    });
    socket.on("close", () => ok(null));
  });
  const lines = [`${method} ${path} HTTP/1.1`, `Host: ${HOST}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  socket.write(lines.join("\r\n") + "\r\n\r\n");
  return { socket, response, write: (b) => new Promise((ok) => socket.write(b, ok)) };
}


/**
 * The headers of a request that names one agent per signature, as draft -01 writes it
 * (`Signature-Agent` a Dictionary keyed by signature label, each signature covering its
 * own member): `urls.length` signatures, none of which verifies (`keyid="k"`, bytes 0).
 */
export function manyAgents(urls) {
  const created = now();
  const labels = urls.map((_, i) => `a${i}`);
  return {
    "signature-agent": labels.map((l, i) => `${l}="${urls[i]}"`).join(", "),
    "signature-input": labels.map((l) => `${l}=("@authority" "signature-agent";key="${l}");created=${created};expires=${created + 60};keyid="k";tag="web-bot-auth"`).join(", "),
    signature: labels.map((l) => `${l}=:AAAA:`).join(", "),
  };
}

/**
 * POSTs a chunked body of up to `total` bytes to `path`, 64 KiB a chunk, until the Worker
 * answers: {answer, sent} — what it answered (`{status: "closed"}` when it closed the
 * connection without an answer) and how many bytes the client had written by then.
 */
export async function chunkedUntilAnswered(base, path, total) {
  const r = rawRequest(base, "POST", path, { "content-type": "application/json", "transfer-encoding": "chunked" });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  const frame = Buffer.concat([Buffer.from(chunk.length.toString(16) + "\r\n"), chunk, Buffer.from("\r\n")]);
  let sent = 0;
  let answer;
  r.response.then((a) => { answer = a ?? { status: "closed" }; });
  while (sent < total && answer === undefined && !r.socket.destroyed) {
    await Promise.race([r.write(frame), sleep(2000)]);
    sent += chunk.length;
  }
  answer = answer ?? (await Promise.race([r.response, sleep(5000).then(() => ({ status: "none" }))]));
  r.socket.destroy();
  return { answer, sent };
}
