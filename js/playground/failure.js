// Which part of a request a verification failure is about, and the signature bases line by
// line: what each base line is built from (the method, a piece of the URL, a header, the
// Signature-Input parameters), and where the base the verifier checked differs from the one
// that was signed. Pure functions over the verdict and the request; app.js draws them.

/**
 * The parts of a request, in display order: [{key, label, value}]. Keys: `method`,
 * `scheme`, `authority`, `path`, `query`, `header:<lower-case name>` (one per line, so
 * repeated fields share a key), `body`.
 */
export function requestParts({ method, url, headers, body }) {
  const parts = [{ key: "method", label: "method", value: method }];
  try {
    const u = new URL(url);
    parts.push(
      { key: "scheme", label: "scheme", value: u.protocol.replace(/:$/, "") },
      { key: "authority", label: "authority", value: u.host },
      { key: "path", label: "path", value: u.pathname },
      { key: "query", label: "query", value: u.search || "(none)" },
    );
  } catch {
    parts.push({ key: "url", label: "URL", value: url });
  }
  for (const [name, value] of headers) parts.push({ key: `header:${name.toLowerCase()}`, label: name, value });
  if (body) parts.push({ key: "body", label: "body", value: body });
  return parts;
}

/**
 * One signature base line → {id, name, value}: `id` the serialised component identifier
 * (`"accept"`, `"signature-agent";key="sig1"`), `name` its bare name.
 */
export function parseBaseLine(line) {
  const m = /^("(?:[^"\\]|\\.)*"(?:;[^:]*)?): ?(.*)$/.exec(line);
  if (!m) return { id: line, name: "", value: "" };
  const id = m[1];
  return { id, name: JSON.parse(id.slice(0, id.indexOf('"', 1) + 1)), value: m[2] };
}

/** The request parts a component is derived from (keys of {@link requestParts}). */
export function partsOfComponent(name) {
  switch (name) {
    case "@method": return ["method"];
    case "@scheme": return ["scheme"];
    case "@authority": return ["authority", "header:host"];
    case "@path": return ["path"];
    case "@query":
    case "@query-param": return ["query"];
    case "@request-target": return ["path", "query"];
    case "@target-uri": return ["scheme", "authority", "path", "query", "url"];
    case "@signature-params": return ["header:signature-input"];
    case "@status": return [];
    default: return name.startsWith("@") ? [] : [`header:${name}`];
  }
}

/** A component identifier's bare name (`"accept";sf` → `accept`). */
const componentName = (id) => {
  const m = /^"([^"]*)"/.exec(id.trim());
  return m ? m[1] : id.trim().toLowerCase();
};

const quoted = (message) => [...message.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]);
const numbers = (message) => [...message.matchAll(/\d+/g)].map((m) => Number(m[0]));
const ago = (seconds) => {
  const s = Math.abs(seconds);
  const text = s < 120 ? `${s} s` : s < 7200 ? `${Math.round(s / 60)} min` : s < 172800 ? `${Math.round(s / 3600)} h` : `${Math.round(s / 86400)} days`;
  return text;
};

/**
 * What a failed verdict is about, where the core's error says: {about, detail, parts,
 * param} — `about` the component or field in words, `detail` one sentence with the values,
 * `parts` the request parts to highlight, `param` the Signature-Input parameter concerned.
 * `null` for a verified verdict.
 */
export function locateFailure(verdict) {
  const error = verdict?.error;
  if (!error) return null;
  const { code, message = "" } = error;
  const q = quoted(message);
  const n = numbers(message);
  const param = (name, about, detail) => ({ about, detail, parts: ["header:signature-input"], param: name });
  switch (code) {
    case "missing_field":
    case "malformed_field":
    case "unknown_structured_field":
    case "component_value_too_large":
    case "invalid_component_value": {
      const field = componentName(q[0] ? `"${q[0]}"` : message.replace(/^the value of | contains.*$| is larger.*$/g, ""));
      const missing = code === "missing_field";
      return {
        about: missing ? `the covered field ${field}` : `the covered component ${field}`,
        detail: missing
          ? `The signature covers ${field}, but the request has no ${field} header: it was removed after signing, or never sent.`
          : `The value of ${field} cannot go into the signature base: ${message}.`,
        parts: partsOfComponent(field),
        missing: missing ? field : undefined,
      };
    }
    case "dictionary_key_not_found":
      return {
        about: `member ${q[1]} of the covered field ${q[0]}`,
        detail: `The signature covers the ${q[1]} member of ${q[0]} (key="${q[1]}"), and the field has no such member.`,
        parts: [`header:${q[0]}`],
      };
    case "query_param_not_found":
    case "query_param_repeated":
      return { about: `the query parameter ${q[0]}`, detail: message.charAt(0).toUpperCase() + message.slice(1) + ".", parts: ["query"] };
    case "expired": {
      const [expires, now] = n;
      return param("expires", "the signature's validity window (expires)",
        `expires=${expires} passed ${ago(now - expires)} before the time checked (${now}). Sign again, or verify at an earlier time.`);
    }
    case "created_in_future": {
      const [created, now] = n;
      return param("created", "the signature's validity window (created)",
        `created=${created} is ${ago(created - now)} after the time checked (${now}): the signer's clock is ahead, beyond the allowed skew.`);
    }
    case "signature_too_old": {
      const [created, maxAge, now] = n;
      return param("created", "the signature's age (created)", `created=${created} is more than ${maxAge} s before the time checked (${now}).`);
    }
    case "lifetime_too_long": {
      const [lifetime, max] = n;
      return param("expires", "the signature's lifetime (expires − created)", `expires − created is ${ago(lifetime)} (${lifetime} s), more than the ${max} s this profile allows.`);
    }
    case "expires_before_created":
      return param("expires", "the signature's validity window", "expires is before created.");
    case "missing_created":
    case "missing_expires":
    case "missing_keyid": {
      const name = code.slice("missing_".length);
      return param(name, `the ${name} parameter`, `The profile requires a ${name} parameter in Signature-Input, and the signature has none.`);
    }
    case "tag_mismatch":
    case "no_applicable_signature":
      return param("tag", "the signature's tag", message.charAt(0).toUpperCase() + message.slice(1) + ".");
    case "unknown_key":
    case "ambiguous_key":
    case "keyid_not_thumbprint":
      return param("keyid", "the signature's key (keyid)", message.charAt(0).toUpperCase() + message.slice(1) + ". The keys are checked by keyid.");
    case "algorithm_mismatch":
    case "algorithm_not_allowed":
    case "unsupported_algorithm":
      return param("alg", "the signature's algorithm (alg)", message.charAt(0).toUpperCase() + message.slice(1) + ".");
    case "nonce_required":
    case "nonce_replayed":
      return param("nonce", "the signature's nonce", message.charAt(0).toUpperCase() + message.slice(1) + ".");
    case "missing_required_component": {
      const component = message.replace(/^required component | is not covered$/g, "");
      return {
        about: `the covered components (Signature-Input): ${component} is missing`,
        detail: `The profile requires the signature to cover ${component}; its component list does not include it.`,
        parts: ["header:signature-input", ...partsOfComponent(componentName(component))],
      };
    }
    case "content_digest_mismatch":
      return {
        about: "the body and its Content-Digest",
        detail: `The body's digest is not the one Content-Digest states: the body changed after signing (${message}).`,
        parts: ["header:content-digest", "body"],
      };
    case "malformed_content_digest":
    case "unsupported_digest_algorithm":
      return { about: "the Content-Digest header", detail: message.charAt(0).toUpperCase() + message.slice(1) + ".", parts: ["header:content-digest"] };
    case "malformed_signature_input":
    case "missing_signature_input":
    case "label_not_found":
    case "invalid_signature_parameter":
    case "duplicate_label":
      return { about: "the Signature-Input header", detail: message.charAt(0).toUpperCase() + message.slice(1) + ".", parts: ["header:signature-input"] };
    case "malformed_signature":
    case "missing_signature_value":
      return { about: "the Signature header", detail: message.charAt(0).toUpperCase() + message.slice(1) + ".", parts: ["header:signature"] };
    case "no_signature":
      return { about: "the Signature-Input and Signature headers", detail: "Neither is in the request.", parts: [] };
    case "unusable_signature_agent":
    case "ambiguous_signature_agent":
    case "directory_unavailable":
    case "invalid_directory":
      return { about: "the Signature-Agent header (the agent's key directory)", detail: message.charAt(0).toUpperCase() + message.slice(1) + ".", parts: ["header:signature-agent"] };
    case "header_too_large":
      return { about: `the ${message.replace(/^the | field.*$/g, "")} header`, detail: "It is larger than the verifier accepts.", parts: [`header:${message.replace(/^the | field.*$/g, "").toLowerCase()}`] };
    case "invalid_signature":
      return {
        about: "the signature base (every covered component)",
        detail: "The signature bytes do not verify over the base rebuilt from this request: a covered component differs from what was signed, or another key signed it. Compare the bases below.",
        parts: [],
        base: true,
      };
    default:
      return { about: error.rule ? `the ${error.rule} rule` : code, detail: message, parts: [] };
  }
}

/**
 * The base that was checked next to the one that was signed, line by line, aligned by
 * component: [{id, checked, signed, differs}] (`checked`/`signed` the whole line, or null
 * where that base has no such component).
 */
export function compareBases(checked, signed) {
  const a = checked.split("\n").map((line) => ({ line, ...parseBaseLine(line) }));
  const b = signed.split("\n").map((line) => ({ line, ...parseBaseLine(line) }));
  const byId = new Map(b.map((l) => [l.id, l]));
  const rows = a.map((l) => {
    const other = byId.get(l.id);
    byId.delete(l.id);
    return { id: l.id, name: l.name, checked: l.line, signed: other?.line ?? null, differs: other?.line !== l.line };
  });
  for (const l of byId.values()) rows.push({ id: l.id, name: l.name, checked: null, signed: l.line, differs: true });
  return rows;
}

/** `a` split around where it differs from `b`: [prefix, middle, suffix]. */
export function splitDifference(a, b) {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  return [a.slice(0, start), a.slice(start, a.length - end), a.slice(a.length - end)];
}
