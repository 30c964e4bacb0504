// The operator dashboard: reads /_httpseal/api/summary (same origin, the dashboard cookie)
// every 10 seconds and draws it. No framework, nothing from elsewhere: the page runs under
// `default-src 'self'`, so every chart is SVG built here, sized by attributes (no inline
// styles), and every text is set with textContent (identifiers and codes come from requests).

const SUMMARY = "/_httpseal/api/summary";
const REFRESH_MS = 10_000;
const OUTCOMES = ["verified", "invalid", "unverified"];
const SVG = "http://www.w3.org/2000/svg";

const $ = (id) => document.getElementById(id);
const count = new Intl.NumberFormat("en");
const pad = (n) => String(n).padStart(2, "0");
/** `HH:MM` in UTC of UNIX seconds. */
const hhmm = (t) => {
  const d = new Date(t * 1000);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
};
const total = (mix) => mix.verified + mix.invalid + mix.unverified;
const percent = (part, whole) => (whole ? `${((100 * part) / whole).toFixed(part === whole || part === 0 ? 0 : 1)} %` : "");

function el(name, attrs = {}, text) {
  const node = name.startsWith("svg:") ? document.createElementNS(SVG, name.slice(4)) : document.createElement(name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A round axis maximum at or above `n` (1, 2 or 5 × 10^k). */
function niceMax(n) {
  if (n <= 1) return 1;
  const p = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 5, 10]) if (m * p >= n) return m * p;
  return 10 * p;
}

/**
 * Stacked columns over time: one column per bucket, verified at the bottom, then invalid,
 * then unverified. `tick(bucket, i)` says which buckets get a time label.
 */
function columns(buckets, { tick, width = 960, height = 220, describe }) {
  const left = 44;
  const bottom = 24;
  const top = 8;
  const plotW = width - left - 8;
  const plotH = height - top - bottom;
  const max = niceMax(Math.max(0, ...buckets.map(total)));
  const svg = el("svg:svg", { viewBox: `0 0 ${width} ${height}`, role: "img", class: "columns", preserveAspectRatio: "xMidYMid meet" });
  svg.append(el("svg:title", {}, describe));
  for (const frac of [0, 0.5, 1]) {
    const y = top + plotH * (1 - frac);
    svg.append(el("svg:line", { x1: left, x2: width - 8, y1: y, y2: y, class: frac ? "grid" : "axis" }));
    const value = max * frac;
    if (frac === 0 || Number.isInteger(value)) {
      svg.append(el("svg:text", { x: left - 6, y: y + 4, class: "y-label", "text-anchor": "end" }, count.format(value)));
    }
  }
  const step = plotW / buckets.length;
  const gap = Math.min(2, step * 0.2);
  buckets.forEach((b, i) => {
    const x = left + i * step + gap / 2;
    let y = top + plotH;
    const g = el("svg:g", { class: "column" });
    const n = total(b);
    g.append(el("svg:title", {}, `${hhmm(b.t)} UTC — ${count.format(b.verified)} verified, ${count.format(b.invalid)} invalid, ${count.format(b.unverified)} unverified`));
    // A hover target the height of the plot, so empty buckets have a tooltip too.
    g.append(el("svg:rect", { x, y: top, width: step - gap, height: plotH, class: "hover" }));
    for (const outcome of OUTCOMES) {
      if (!b[outcome]) continue;
      const h = (b[outcome] / max) * plotH;
      y -= h;
      g.append(el("svg:rect", { x, y, width: step - gap, height: h, class: outcome }));
    }
    if (n) g.dataset.total = n;
    svg.append(g);
    if (tick(b, i)) {
      svg.append(el("svg:line", { x1: x + (step - gap) / 2, x2: x + (step - gap) / 2, y1: top + plotH, y2: top + plotH + 4, class: "axis" }));
      svg.append(el("svg:text", { x: x + (step - gap) / 2, y: height - 6, class: "x-label", "text-anchor": "middle" }, hhmm(b.t)));
    }
  });
  return svg;
}

/** A horizontal bar of `parts` ([[class, n], ...]) scaled to `max`. */
function bar(parts, max) {
  const svg = el("svg:svg", { viewBox: "0 0 100 10", preserveAspectRatio: "none", class: "bar", "aria-hidden": "true" });
  svg.append(el("svg:rect", { x: 0, y: 0, width: 100, height: 10, class: "track" }));
  let x = 0;
  for (const [cls, n] of parts) {
    if (!n) continue;
    const w = (100 * n) / max;
    svg.append(el("svg:rect", { x, y: 0, width: w, height: 10, class: cls }));
    x += w;
  }
  return svg;
}

/** One row of a bar list: a name, the bar, the numbers in words. */
function barRow(name, parts, max, numbers, { title, code } = {}) {
  const li = el("li");
  const label = el("span", { class: "name", title: title ?? name });
  if (code) label.append(el("code", {}, name));
  else label.textContent = name;
  li.append(label, bar(parts, max), el("span", { class: "numbers" }, numbers));
  return li;
}

function table(target, buckets) {
  const head = el("tr");
  for (const h of ["UTC", ...OUTCOMES, "all"]) head.append(el("th", { scope: "col" }, h));
  const rows = buckets.filter((b) => total(b)).map((b) => {
    const tr = el("tr");
    tr.append(el("th", { scope: "row" }, hhmm(b.t)));
    for (const o of OUTCOMES) tr.append(el("td", {}, count.format(b[o])));
    tr.append(el("td", {}, count.format(total(b))));
    return tr;
  });
  if (!rows.length) {
    const tr = el("tr");
    tr.append(el("td", { colspan: 5 }, "no decisions"));
    rows.push(tr);
  }
  target.replaceChildren(el("thead"), el("tbody"));
  target.tHead.append(head);
  target.tBodies[0].append(...rows);
}

function sumLine(buckets, unit) {
  const all = buckets.reduce((s, b) => s + total(b), 0);
  const peak = buckets.reduce((best, b) => (total(b) > total(best) ? b : best), buckets[0]);
  if (!all) return `No decisions in this window.`;
  return `${count.format(all)} decisions: ${OUTCOMES.map((o) => `${count.format(buckets.reduce((s, b) => s + b[o], 0))} ${o}`).join(", ")}. Busiest ${unit}: ${hhmm(peak.t)} UTC (${count.format(total(peak))}).`;
}

function render(s) {
  const all = total(s.totals);
  for (const o of OUTCOMES) {
    $(`total-${o}`).textContent = count.format(s.totals[o]);
    $(`share-${o}`).textContent = percent(s.totals[o], all);
  }
  $("total-all").textContent = count.format(all);
  $("share-all").textContent = all ? "100 %" : "";

  $("hour-chart").replaceChildren(columns(s.hour, {
    tick: (b) => b.t % 600 === 0,
    describe: `Decisions per minute over the last hour: ${sumLine(s.hour, "minute")}`,
  }));
  $("hour-sum").textContent = sumLine(s.hour, "minute");
  table($("hour-table"), s.hour);
  $("day-chart").replaceChildren(columns(s.day, {
    tick: (b) => b.t % (3 * 3600) === 0,
    describe: `Decisions per hour over the last day: ${sumLine(s.day, "hour")}`,
  }));
  $("day-sum").textContent = sumLine(s.day, "hour");
  table($("day-table"), s.day);

  const agentMax = Math.max(1, ...s.agents.map(total));
  $("agents").replaceChildren(...(s.agents.length
    ? s.agents.map((a) => barRow(a.identifier, OUTCOMES.map((o) => [o, a[o]]), agentMax,
      `${count.format(total(a))}: ${OUTCOMES.filter((o) => a[o]).map((o) => `${count.format(a[o])} ${o}`).join(", ")}`))
    : [el("li", { class: "empty" }, "No agents in the last day.")]));

  const errorMax = Math.max(1, ...s.errors.map((e) => e.count));
  $("errors").replaceChildren(...(s.errors.length
    ? s.errors.map((e) => barRow(e.code, [["error", e.count]], errorMax, count.format(e.count), { code: true }))
    : [el("li", { class: "empty" }, "No errors in the last day.")]));

  const d = s.directories;
  const sources = [["memory", "isolate memory"], ["kv", "Workers KV"], ["fetch", "fetched"], ["failed", "fetch failed"]];
  const dirMax = Math.max(1, ...sources.map(([k]) => d[k]));
  $("directories").replaceChildren(...sources.map(([k, name]) => barRow(name, [[`dir-${k}`, d[k]]], dirMax, count.format(d[k]))));
  const lookedUp = d.memory + d.kv + d.fetch + d.failed;
  $("fetch-failures").textContent = lookedUp
    ? `${count.format(d.failed)} of ${count.format(d.fetch + d.failed)} directory fetches failed; ${count.format(d.memory + d.kv)} requests were served from a cache.`
    : "No request needed an agent directory in the last day.";

  const source = $("source");
  source.textContent = s.source;
  source.dataset.source = s.source;
  $("source-note").textContent = s.source === "analytics-engine"
    ? "From Workers Analytics Engine (every isolate and location, sampled rows weighted)."
    : "From this isolate's memory only (its last 4096 decisions): one isolate in one location. Set ANALYTICS_ACCOUNT_ID and the ANALYTICS_API_TOKEN secret to read Analytics Engine instead.";
  const asOf = $("as-of");
  asOf.dateTime = new Date(s.now * 1000).toISOString();
  asOf.textContent = `${new Date(s.now * 1000).toISOString().replace("T", " ").slice(0, 19)} UTC`;
}

let paused = false;
let timer = null;
let lastGood = null;

function problem(text) {
  const p = $("problem");
  p.hidden = !text;
  p.textContent = text ?? "";
}

async function refresh() {
  try {
    const response = await fetch(SUMMARY, { credentials: "same-origin", cache: "no-store", headers: { accept: "application/json" } });
    if (response.status === 404) {
      document.body.dataset.state = "signed-out";
      problem("The dashboard no longer accepts this browser's session. Open /_httpseal/?token=… again with the DASHBOARD_TOKEN secret.");
      return;
    }
    const body = await response.json().catch(() => null);
    if (!response.ok || !body) {
      throw new Error(body?.detail ?? `the summary API answered HTTP ${response.status}`);
    }
    render(body);
    lastGood = body.now;
    problem(null);
    document.body.dataset.state = "ready";
    document.body.dataset.updated = String(body.now);
  } catch (err) {
    document.body.dataset.state = lastGood ? "stale" : "error";
    problem(`Could not refresh: ${err.message}.${lastGood ? ` Showing the numbers of ${hhmm(lastGood)} UTC.` : ""}`);
  }
}

function schedule() {
  clearInterval(timer);
  timer = paused || document.hidden ? null : setInterval(refresh, REFRESH_MS);
  $("refresh-state").textContent = paused ? "paused" : document.hidden ? "paused while hidden" : "every 10 s";
}

$("pause").addEventListener("click", () => {
  paused = !paused;
  $("pause").setAttribute("aria-pressed", String(paused));
  $("pause").textContent = paused ? "Resume" : "Pause";
  if (!paused) refresh();
  schedule();
});
document.addEventListener("visibilitychange", () => {
  if (!document.hidden && !paused) refresh();
  schedule();
});

refresh();
schedule();
