// A node:http server that answers verified agents only: unsigned or unverifiable requests get
// 401 with an Accept-Signature challenge, invalid ones 403 (application/problem+json), as the
// httpseal edge Worker answers them. Agents' key directories are fetched and cached for you.
//
//   PORT=8080 node server.mjs
//   HTTPSEAL_ALLOW_HTTP=true   development only: agents whose directory is on http://127.0.0.1
import { createServer } from "node:http";
import { withVerification } from "httpseal/node";

const server = createServer(
  withVerification(
    (req, res) => {
      // req.httpseal is the verdict: identifier is the agent's directory URL.
      res.setHeader("content-type", "text/plain; charset=utf-8");
      res.end(`hello ${req.httpseal.identifier}\n`);
    },
    { mode: "enforce", cache: new Map(), allowHttp: process.env.HTTPSEAL_ALLOW_HTTP === "true" },
  ),
);
server.listen(Number(process.env.PORT ?? 8080), "127.0.0.1", () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}/`);
});
