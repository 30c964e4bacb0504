// Text forms of a request in the playground: "Name: value" header lines and a curl command.

/** "Name: value" lines → [[name, value], ...]; blank lines are skipped. */
export function parseHeaderLines(text) {
  const headers = [];
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (!line) continue;
    const colon = line.indexOf(":");
    if (colon <= 0) throw new Error(`header line ${i + 1} has no "Name: value": ${line}`);
    headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return headers;
}

/** [[name, value], ...] → "Name: value" lines. */
export const formatHeaderLines = (headers) => headers.map(([n, v]) => `${n}: ${v}`).join("\n");

const shellQuote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;

/** A curl command that sends the request with its headers and body. */
export function curlCommand({ method, url, headers, body }) {
  const parts = ["curl"];
  if (method !== "GET") parts.push("-X", shellQuote(method));
  parts.push(shellQuote(url));
  for (const [n, v] of headers) parts.push("\\\n  -H", shellQuote(`${n}: ${v}`));
  if (body) parts.push("\\\n  --data-binary", shellQuote(body));
  return parts.join(" ");
}
