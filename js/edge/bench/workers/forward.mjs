// Zero: forward with a verdict header and verify nothing — the harness's own cost per
// request (routing, the forward, the origin), subtracted to get each gateway's verification
// cost.
export default {
  fetch(request, env) {
    const url = new URL(request.url);
    const headers = new Headers(request.headers);
    headers.set("httpseal-verdict", "unchecked");
    return fetch(env.UPSTREAM_ORIGIN + url.pathname + url.search, { method: request.method, headers, redirect: "manual" });
  },
};
