// Reads the raw HTTP/1.1 messages of the RFC 9421 vectors into the plain-object message
// shape of the JS API (`{method, url, headers, body}` or `{status, headers, body}`).
// Requests are over https, as in the RFC. Test helper only: no obs-fold, no chunking.

export function parseHttp1(raw) {
  const split = raw.indexOf("\r\n\r\n");
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? undefined : raw.slice(split + 4);
  const [startLine, ...fieldLines] = head.split(/\r?\n/);
  const headers = fieldLines.map((line) => {
    const colon = line.indexOf(":");
    return [line.slice(0, colon), line.slice(colon + 1).trim()];
  });
  const withBody = (msg) => (body ? { ...msg, body } : msg);
  const status = /^HTTP\/1\.1 (\d{3})/.exec(startLine);
  if (status) return withBody({ status: Number(status[1]), headers });
  const [method, target] = startLine.split(" ");
  const host = headers.find(([name]) => name.toLowerCase() === "host")[1];
  return withBody({ method, url: `https://${host}${target}`, headers });
}
