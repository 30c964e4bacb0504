// Turning what a JavaScript caller has (a WHATWG Request or Response, or a plain
// `{method, url, headers, body}` object with headers as pairs, a record or a Headers) into
// the one JSON shape the core reads (`httpseal::api::MessageJson`). Nothing here decides
// anything about signatures: the core does.

import { codedError } from "./errors.js";

const fetchLike = (x) =>
  x !== null &&
  typeof x === "object" &&
  typeof x.arrayBuffer === "function" &&
  typeof x.clone === "function" &&
  x.headers !== null &&
  typeof x.headers === "object" &&
  typeof x.headers.get === "function";

/** Whether `x` is a WHATWG `Request` (duck-typed: undici's, a browser's, workerd's). */
export const isFetchRequest = (x) =>
  fetchLike(x) && typeof x.method === "string" && typeof x.url === "string";

/** Whether `x` is a WHATWG `Response`. */
export const isFetchResponse = (x) => fetchLike(x) && typeof x.status === "number";

/** Header fields as `[[name, value], ...]` or a record (the core accepts both). */
function headerFields(headers) {
  if (headers === undefined || headers === null) return [];
  if (Array.isArray(headers)) return headers.map((pair) => Array.from(pair, String));
  if (typeof headers !== "object") {
    throw codedError("malformed_message", "headers must be [[name, value], ...], an object or a Headers");
  }
  if (typeof headers[Symbol.iterator] === "function") {
    // Headers, Map, or any iterable of pairs.
    return Array.from(headers, (pair) => Array.from(pair, String));
  }
  return headers;
}

/** Body bytes of a BufferSource, or undefined. */
function bodyBytes(body) {
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  return undefined;
}

function base64(bytes) {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
}

/**
 * Describes a message without reading any stream: `json` is the core's shape, `bytes`
 * body bytes to pass beside it, `stream` a Request/Response whose body must be read
 * (asynchronously) if the body is needed.
 */
export function describeMessage(input) {
  if (input === null || typeof input !== "object") {
    throw codedError("malformed_message", "a message is a Request, a Response or an object {method, url, headers, body?}");
  }
  if (isFetchRequest(input)) {
    return {
      json: { method: input.method, url: input.url, headers: headerFields(input.headers) },
      stream: input.body === null ? undefined : input,
    };
  }
  if (isFetchResponse(input)) {
    return {
      json: { status: input.status, headers: headerFields(input.headers) },
      stream: input.body === null ? undefined : input,
    };
  }
  const { headers, body, request, url, ...rest } = input;
  const json = { ...rest, headers: headerFields(headers) };
  if (url !== undefined) json.url = String(url);
  let bytes;
  if (typeof body === "string") json.body = body;
  else if (body !== undefined && body !== null) {
    bytes = bodyBytes(body);
    if (bytes === undefined) {
      throw codedError("malformed_message", "body must be a string, a Uint8Array, an ArrayBuffer or a typed array");
    }
  }
  if (request !== undefined && request !== null) {
    // The related request of a response only contributes `;req` components, never its
    // body to the base; its bytes (if any) travel as base64 for completeness.
    const related = describeMessage(request);
    if (related.bytes) related.json.bodyBase64 = base64(related.bytes);
    json.request = related.json;
  }
  return { json, bytes };
}

/** The message JSON and its body bytes, reading a Request/Response body when `needBody`. */
export async function readMessage(input, needBody) {
  const described = describeMessage(input);
  if (!needBody || described.stream === undefined) return described;
  if (described.stream.bodyUsed) {
    throw codedError("malformed_message", "the body was already read; pass request.clone()");
  }
  const buffer = await described.stream.clone().arrayBuffer();
  return { json: described.json, bytes: new Uint8Array(buffer) };
}
