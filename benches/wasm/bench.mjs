// Times the exports of two builds of benches/wasm (httpseal on ed25519-compact and on
// ed25519-dalek) in one Node process: each round runs a batch of A then B (order swapped
// every round), and the median of the per-round ratios B/A is what a busy machine moves
// least. `node bench.mjs A.wasm B.wasm [rounds]` (scripts/bench-wasm.sh runs it).
import { readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const [pathA, pathB, roundsArg] = process.argv.slice(2);
const ROUNDS = Number(roundsArg ?? 60);

async function load(path) {
  const bytes = readFileSync(path);
  const { instance } = await WebAssembly.instantiate(bytes, {});
  return {
    exports: instance.exports,
    size: statSync(path).size,
    gzip: gzipSync(bytes, { level: 9 }).length,
  };
}

function time(fn, n) {
  const start = process.hrtime.bigint();
  const ok = fn(n);
  const ns = Number(process.hrtime.bigint() - start);
  if (ok !== n) throw new Error(`${fn.name}: ${ok} of ${n}`);
  return ns / n;
}

const median = (v) => [...v].sort((x, y) => x - y)[Math.floor(v.length / 2)];

const a = await load(pathA);
const b = await load(pathB);
console.log(`A ${pathA}: ${a.size} bytes, ${a.gzip} gzip -9`);
console.log(`B ${pathB}: ${b.size} bytes, ${b.gzip} gzip -9`);
console.log('| export | median A | median B | median B/A | IQR of B/A |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const name of ['key_verify_n', 'verify_message_n', 'sign_n']) {
  const fa = a.exports[name];
  const fb = b.exports[name];
  // Warm up (the first call also parses the vector), then batches of about 20 ms.
  time(fa, 20);
  time(fb, 20);
  const per = Math.max(time(fa, 20), time(fb, 20));
  const n = Math.max(1, Math.round(20e6 / per));
  const ra = [];
  const rb = [];
  const ratios = [];
  for (let round = 0; round < ROUNDS; round++) {
    let x;
    let y;
    if (round % 2 === 0) {
      x = time(fa, n);
      y = time(fb, n);
    } else {
      y = time(fb, n);
      x = time(fa, n);
    }
    ra.push(x);
    rb.push(y);
    ratios.push(y / x);
  }
  const sorted = [...ratios].sort((x, y) => x - y);
  const q = (p) => sorted[Math.floor((sorted.length - 1) * p)];
  console.log(
    `| ${name.replace(/_n$/, '')} | ${(median(ra) / 1000).toFixed(1)} µs | ${(median(rb) / 1000).toFixed(1)} µs | ` +
      `${median(ratios).toFixed(3)} | ${q(0.25).toFixed(3)}–${q(0.75).toFixed(3)} |`,
  );
}
