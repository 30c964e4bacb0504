// The origin behind every benchmarked gateway: a constant tiny answer, so what differs
// between runs is the gateway's own work.
export default {
  fetch(request) {
    return new Response(request.headers.has("httpseal-verdict") ? "ok" : "no verdict", { status: 200 });
  },
};
