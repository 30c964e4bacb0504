// An agent that signs its requests the Web Bot Auth way and publishes its key directory.
//
//   node agent.mjs https://site.example/page      sign a GET, print the status and the body
//
// AGENT_JWK: the agent's private JWK (JSON); without it a new key is made for this run.
// AGENT_ORIGIN: where the agent's directory is published (https://agent.example); without it,
// this script serves the directory itself on 127.0.0.1 (development: verifiers need allowHttp).
import { createServer } from "node:http";
import { generateKeyPair, signDirectoryResponse, signedFetch } from "httpseal";

const target = process.argv[2] ?? "http://127.0.0.1:8080/";
const jwk = process.env.AGENT_JWK ? JSON.parse(process.env.AGENT_JWK) : generateKeyPair();

// The key directory, signed by its keys for the host it is served from.
let directory;
let origin = process.env.AGENT_ORIGIN;
if (!origin) {
  directory = createServer((req, res) => {
    if (req.url !== "/.well-known/http-message-signatures-directory") return res.writeHead(404).end();
    const { status, headers, body } = signDirectoryResponse([jwk], { authority: req.headers.host, ttl: 3600 });
    return res.writeHead(status, headers).end(body);
  });
  await new Promise((ok) => directory.listen(0, "127.0.0.1", ok));
  origin = `http://127.0.0.1:${directory.address().port}`;
}

// Signed: Signature-Agent names the directory, the signature covers @authority and it.
const response = await signedFetch(target, { headers: { accept: "application/json, text/plain" } }, jwk, { signatureAgent: origin });
console.log(response.status, (await response.text()).trim());
directory?.close();
process.exitCode = response.ok ? 0 : 1;
