// The playground's behaviour: generate a key, sign the request described by the form, show
// the headers, the signature base and a curl command, and verify a request locally (or with
// the Worker's POST /verify when the page is served by it). All signing logic is the
// httpseal package (the Rust core as wasm); this file only moves values between the page
// and the API.

import * as httpseal from "./vendor/httpseal/dist/full/web/index.js";
import { explainError, explainOutcome } from "./explain.js";
import { curlCommand, formatHeaderLines, parseHeaderLines } from "./fields.js";

const $ = (id) => document.getElementById(id);
const pretty = (value) => JSON.stringify(value, null, 2);
let privateJwk = null;

function setStatus(text) {
  $("status").textContent = text;
}

function showKey(jwk) {
  privateJwk = jwk;
  const pub = httpseal.publicJwk(jwk);
  $("thumbprint").textContent = httpseal.jwkThumbprint(jwk);
  $("public-jwk").textContent = pretty(pub);
  $("private-jwk").textContent = pretty(jwk);
  try {
    $("directory").textContent = pretty(httpseal.createDirectory(jwk));
  } catch (err) {
    // A shared secret (hmac-sha256) is never published.
    $("directory").textContent = `(no directory: ${err.message})`;
  }
  $("v-jwks").value = pretty({ keys: [pub] });
  setStatus(`New ${$("alg").value} key ${pub.kid}. Next: sign the request.`);
}

function generate() {
  try {
    showKey(httpseal.generateKeyPair($("alg").value));
  } catch (err) {
    setStatus(`Could not generate a key: ${err.message} (${err.code})`);
  }
}

/** The request described by section 2. */
function requestFromForm() {
  const request = { method: $("method").value.trim() || "GET", url: $("url").value.trim(), headers: parseHeaderLines($("headers").value) };
  const body = $("body").value;
  if (body) request.body = body;
  return request;
}

const optionalNumber = (id) => {
  const text = $(id).value.trim();
  if (!text) return undefined;
  if (!/^\d+$/.test(text)) throw new Error(`${id} must be a whole number of seconds`);
  return Number(text);
};

/** signRequest options from section 3; empty fields are left to the core's defaults. */
function optionsFromForm() {
  const options = { profile: $("profile").value };
  const ticked = [...$("components").querySelectorAll("input:checked")].map((c) => c.value);
  const extra = $("extra-components").value.trim().split(/\s+/).filter(Boolean);
  if (ticked.length || extra.length) {
    const components = [...ticked, ...extra];
    if ($("agent").value.trim()) components.push(`signature-agent;key="${$("label").value.trim() || "sig1"}"`);
    options.components = components;
  }
  const set = (name, value) => {
    if (value !== undefined && value !== "") options[name] = value;
  };
  set("signatureAgent", $("agent").value.trim());
  set("contentDigest", $("digest").value);
  set("label", $("label").value.trim());
  set("created", optionalNumber("created"));
  set("ttl", optionalNumber("ttl"));
  set("tag", $("tag").value.trim());
  if ($("nonce").value === "random") options.nonce = true;
  if ($("nonce").value === "none") options.nonce = false;
  return options;
}

function showSignature(request, added) {
  const list = $("signature-headers");
  list.replaceChildren();
  for (const [name, value] of Object.entries(added)) {
    const dt = document.createElement("dt");
    dt.textContent = name;
    const dd = document.createElement("dd");
    const code = document.createElement("code");
    code.textContent = value;
    dd.append(code);
    list.append(dt, dd);
  }
  const sent = { ...request, headers: [...request.headers, ...Object.entries(added)] };
  const label = /^([^=]+)=/.exec(added["Signature-Input"])[1];
  const base = httpseal.signatureBase(sent, { label });
  $("base").replaceChildren(
    ...base.split("\n").map((line) => {
      const li = document.createElement("li");
      li.textContent = line;
      return li;
    }),
  );
  $("curl").textContent = curlCommand(sent);
  $("v-method").value = sent.method;
  $("v-url").value = sent.url;
  $("v-headers").value = formatHeaderLines(sent.headers);
  $("v-body").value = sent.body ?? "";
}

async function sign(event) {
  event.preventDefault();
  $("sign-error").hidden = true;
  if (!privateJwk) generate();
  try {
    const request = requestFromForm();
    const added = await httpseal.signRequest(request, privateJwk, optionsFromForm());
    showSignature(request, added);
    setStatus("Signed. The request is ready to verify in section 5.");
    $("signed").scrollIntoView({ block: "start" });
  } catch (err) {
    $("sign-error").textContent = `Could not sign: ${err.message}${err.code ? ` (${err.code})` : ""}`;
    $("sign-error").hidden = false;
  }
}

/** The verify request of section 5, in the shape of POST /verify. */
function verifyDocument() {
  const doc = {
    method: $("v-method").value.trim(),
    url: $("v-url").value.trim(),
    headers: parseHeaderLines($("v-headers").value),
    jwks: JSON.parse($("v-jwks").value || '{"keys":[]}'),
    profile: $("v-profile").value,
  };
  if ($("v-body").value) doc.body = $("v-body").value;
  const now = optionalNumber("v-now");
  if (now !== undefined) doc.now = now;
  return doc;
}

function showVerdict(verdict, where) {
  const box = $("verdict");
  box.hidden = false;
  box.dataset.verdict = verdict.verdict;
  $("verdict-badge").textContent = `${verdict.verdict.toUpperCase()} (${where})`;
  const why = verdict.error ? `${explainError(verdict.error)} — ${verdict.error.code}: ${verdict.error.message}` : "";
  $("verdict-why").textContent = `${explainOutcome(verdict.verdict)} ${why}`.trim();
  const facts = $("verdict-facts");
  facts.replaceChildren();
  for (const key of ["label", "keyid", "alg", "tag", "created", "expires", "nonce", "agent"]) {
    if (verdict[key] === null || verdict[key] === undefined) continue;
    const dt = document.createElement("dt");
    dt.textContent = key;
    const dd = document.createElement("dd");
    dd.textContent = String(verdict[key]);
    facts.append(dt, dd);
  }
  if (verdict.components.length) {
    const dt = document.createElement("dt");
    dt.textContent = "components";
    const dd = document.createElement("dd");
    dd.textContent = verdict.components.join(" ");
    facts.append(dt, dd);
  }
  $("verdict-base").textContent = verdict.signatureBase ?? "(the base could not be built)";
}

function showVerifyError(err) {
  showVerdict({ verdict: "unverified", components: [], error: { code: err.code ?? "input", message: err.message } }, "input error");
  $("verdict-why").textContent = `The request or keys could not be read: ${err.message}`;
}

async function verifyHere() {
  try {
    const { jwks, profile, now, ...message } = verifyDocument();
    showVerdict(await httpseal.verifyRequest(message, { jwks, profile, now }), "checked in this page");
  } catch (err) {
    showVerifyError(err);
  }
}

async function verifyWithWorker() {
  try {
    const response = await fetch("/verify", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(verifyDocument()) });
    const type = response.headers.get("content-type") ?? "";
    if (!type.includes("json")) throw new Error(`no Worker answered at ${location.origin}/verify (HTTP ${response.status})`);
    showVerdict(await response.json(), "checked by the Worker");
  } catch (err) {
    showVerifyError(err);
  }
}

for (const alg of httpseal.supportedAlgorithms()) {
  const option = document.createElement("option");
  option.value = alg;
  option.textContent = alg;
  $("alg").append(option);
}
$("generate").addEventListener("click", generate);
$("sign-form").addEventListener("submit", sign);
$("verify").addEventListener("click", verifyHere);
$("verify-worker").addEventListener("click", verifyWithWorker);
$("verify-worker").hidden = !location.protocol.startsWith("http");
// The page about the Worker exists only where the Worker serves the playground.
fetch("./worker.html", { method: "HEAD" }).then((r) => { $("worker-link").hidden = !r.ok; }, () => {});
document.body.dataset.ready = "true";
setStatus("Ready. Generate a key to start (it is made in this page and never leaves it).");
