// The origin behind every benchmarked gateway: a constant tiny answer, so what differs
// between runs is the gateway's own work. It also plays the agent's host: the key
// directory (env.DIRECTORY) at the well-known path, fetched once per gateway isolate.
export default {
  fetch(request, env) {
    if (new URL(request.url).pathname === "/.well-known/http-message-signatures-directory") {
      return new Response(env.DIRECTORY, {
        headers: { "content-type": "application/http-message-signatures-directory+json", "cache-control": "max-age=86400" },
      });
    }
    return new Response(request.headers.has("httpseal-verdict") ? "ok" : "no verdict", { status: 200 });
  },
};
