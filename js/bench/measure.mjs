// Timing shared by the JS benchmarks (bench.mjs in Node, browser/page.mjs in Chromium): one
// operation at a time, awaited, so a Promise-returning and a synchronous function compare fairly.

/** Runs `fn` for 300 ms so that the JIT and the wasm tiers settle. */
export async function warm(fn) {
  const until = performance.now() + 300;
  while (performance.now() < until) await fn();
}

/** ops/s of `fn` over `seconds`. */
export async function measure(fn, seconds) {
  let n = 0;
  const start = performance.now();
  const until = start + seconds * 1000;
  while (performance.now() < until) {
    for (let i = 0; i < 10; i++) await fn();
    n += 10;
  }
  return (n * 1000) / (performance.now() - start);
}

/** The median of `xs`. */
export function median(xs) {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
