// The playground's behaviour: generate a key, sign the request described by the form, show
// the headers, the signature base and a curl command, and verify a request locally (or with
// the Worker's POST /verify when the page is served by it). All signing logic is the
// httpseal package (the Rust core as wasm); this file only moves values between the page
// and the API.

import * as httpseal from "./vendor/httpseal/dist/full/web/index.js";
import { explainError, explainOutcome } from "./explain.js";
import { compareBases, locateFailure, parseBaseLine, partsOfComponent, requestParts, splitDifference } from "./failure.js";
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
  // The request as signed, to compare with what a verifier receives.
  $("o-method").value = sent.method;
  $("o-url").value = sent.url;
  $("o-headers").value = formatHeaderLines(sent.headers);
  $("o-body").value = sent.body ?? "";
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
  explainFailure(verdict);
}

/** The request of section 5's "as it was signed" fields, or null when they are empty. */
function originalRequest() {
  if (!$("o-url").value.trim() && !$("o-headers").value.trim()) return null;
  const request = { method: $("o-method").value.trim() || "GET", url: $("o-url").value.trim(), headers: parseHeaderLines($("o-headers").value) };
  if ($("o-body").value) request.body = $("o-body").value;
  return request;
}

/** Marks the request parts `keys` (data-part) with `cls`, clearing it elsewhere. */
function markParts(keys, cls) {
  for (const li of $("parts").children) li.classList.toggle(cls, keys.includes(li.dataset.part));
}

/** A base line as code, its differing middle marked when `other` is another version of it. */
function lineCode(line, other) {
  const code = document.createElement("code");
  if (line === null) {
    code.textContent = "(no such line)";
    code.className = "absent";
    return code;
  }
  if (other === null || other === undefined || other === line) {
    code.textContent = line;
    return code;
  }
  const [head, middle, tail] = splitDifference(line, other);
  const mark = document.createElement("mark");
  mark.textContent = middle;
  code.append(head, mark, tail);
  return code;
}

/** Highlights the request parts a base line comes from. */
function showSource(row, parts) {
  for (const tr of $("compare").tBodies[0].rows) tr.classList.toggle("selected", tr === row);
  markParts(parts, "highlight");
  const first = [...$("parts").children].find((li) => parts.includes(li.dataset.part));
  first?.scrollIntoView({ block: "nearest" });
  $("parts").dataset.selected = parts.join(" ");
}

/**
 * For a verdict that is not verified: which component the failure is about (from the
 * error's code, message and rule), the request part by part with that part marked, and the
 * base that was checked next to the one that was signed, differing lines highlighted.
 */
function explainFailure(verdict) {
  const failure = locateFailure(verdict);
  $("failure").hidden = !failure;
  $("explain").hidden = true;
  if (!failure) return;
  $("failure-about").textContent = failure.about;
  $("failure-detail").textContent = failure.detail + (verdict.error.rule ? ` (policy rule: ${verdict.error.rule})` : "");
  let received;
  try {
    const { jwks, profile, now, ...message } = verifyDocument();
    received = message;
  } catch {
    return;
  }
  let original = null;
  let signedBase = null;
  let why = "";
  try {
    original = originalRequest();
    if (original && verdict.label) signedBase = httpseal.signatureBase(original, { label: verdict.label });
  } catch (err) {
    why = `The request as signed gives no base for ${verdict.label}: ${err.message}.`;
  }
  // The base the verifier checked; when it stopped before building one (an expired window,
  // a wrong tag), the same core builds it here from the request received.
  let checkedBase = verdict.signatureBase;
  if (!checkedBase && verdict.label) {
    try {
      checkedBase = httpseal.signatureBase(received, { label: verdict.label });
    } catch {
      checkedBase = null;
    }
  }
  const signedParts = original ? new Map(requestParts(original).map((p) => [p.key + "|" + p.value, p])) : null;
  const originalValues = original ? requestParts(original) : [];

  // The request as checked, part by part; where the signed request had another value, say so.
  $("parts").replaceChildren(...requestParts(received).map((part) => {
    const li = document.createElement("li");
    li.dataset.part = part.key;
    const label = document.createElement("span");
    label.className = "part-label";
    label.textContent = part.label;
    const value = document.createElement("code");
    value.textContent = part.value;
    if (failure.param && part.key === "header:signature-input") {
      const at = part.value.search(new RegExp(`;${failure.param}(=|;|$)`));
      if (at >= 0) {
        const end = part.value.slice(at + 1).search(/;|$/) + at + 1;
        value.replaceChildren(part.value.slice(0, at + 1), Object.assign(document.createElement("mark"), { textContent: part.value.slice(at + 1, end) }), part.value.slice(end));
      }
    }
    li.append(label, value);
    if (signedParts && !signedParts.has(part.key + "|" + part.value)) {
      const was = originalValues.find((p) => p.key === part.key);
      const note = document.createElement("span");
      note.className = "was";
      note.textContent = was ? `signed as: ${was.value}` : "not in the request as signed";
      li.append(note);
    }
    return li;
  }));
  if (failure.missing) {
    const li = document.createElement("li");
    li.dataset.part = `header:${failure.missing}`;
    li.className = "missing";
    li.textContent = `${failure.missing}: (not in the request)`;
    $("parts").append(li);
  }
  markParts(failure.parts, "about");

  const lines = (base, side) => base.split("\n").map((line) => ({ ...parseBaseLine(line), checked: side === "checked" ? line : null, signed: side === "signed" ? line : undefined, differs: false }));
  const rows = checkedBase && signedBase ? compareBases(checkedBase, signedBase)
    : checkedBase ? lines(checkedBase, "checked")
    : signedBase ? lines(signedBase, "signed")
    : [];
  const only = !(checkedBase && signedBase);
  const body = $("compare").tBodies[0];
  body.replaceChildren(...rows.filter((r) => r.checked !== null || r.signed).map((r, i) => {
    const tr = document.createElement("tr");
    tr.dataset.component = r.id;
    if (r.differs) tr.classList.add("differs");
    if (failure.missing && r.name === failure.missing) tr.classList.add("differs");
    const parts = partsOfComponent(r.name);
    const cell = (line, other) => {
      const td = document.createElement("td");
      if (line === undefined) return td;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "line";
      button.title = parts.length ? `from: ${parts.map((p) => p.replace(/^header:/, "")).join(", ")}` : "";
      button.append(lineCode(line, other));
      button.addEventListener("click", () => showSource(tr, parts));
      td.append(button);
      return td;
    };
    const n = document.createElement("td");
    n.textContent = String(i + 1);
    tr.append(n, cell(r.checked, r.signed), cell(r.signed, r.checked));
    return tr;
  }));
  $("compare-signed-h").hidden = only && !!checkedBase;
  for (const tr of body.rows) tr.cells[2].hidden = only && !!checkedBase;
  const changed = rows.filter((r) => r.differs);
  const differing = changed.length;
  if (failure.base && differing) {
    // The core says the bytes do not verify; the comparison says where the request changed.
    const names = changed.map((r) => r.id);
    $("failure-about").textContent = `the signature base: ${names.join(", ")} ${differing > 1 ? "differ" : "differs"} from what was signed`;
    markParts(changed.flatMap((r) => partsOfComponent(r.name)), "about");
  }
  $("compare-hint").textContent = !rows.length ? "No signature base could be built from this request."
    : only && checkedBase ? `The base rebuilt from the request received. ${why || "Fill in \"The request as it was signed\" above to compare it with the base that was signed."}`
    : only ? "The base of the request as it was signed; none can be built from the request received."
    : differing ? `${differing} line${differing > 1 ? "s differ" : " differs"}: the request changed there after it was signed.`
    : failure.base ? "Both bases are identical: the covered components did not change, so the signature was made with another key or its bytes were altered."
    : `Both bases are identical: the covered components did not change; the failure is about ${failure.about}.`;
  $("compare-block").hidden = !rows.length;
  $("parts-hint").textContent = rows.length
    ? "Click a base line to see the part of the request it comes from; the part the failure is about is outlined in red."
    : "The part the failure is about is outlined in red.";
  $("explain").hidden = false;
}

function showVerifyError(err) {
  showVerdict({ verdict: "unverified", components: [], error: { code: err.code ?? "input", message: err.message } }, "input error");
  $("verdict-why").textContent = `The request or keys could not be read: ${err.message}`;
  $("failure").hidden = true;
  $("explain").hidden = true;
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
