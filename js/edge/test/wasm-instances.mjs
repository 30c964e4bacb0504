// Test builds only (loaded by test/entry-probe.mjs, never by js/edge/entry.mjs): records
// every WebAssembly instance created in the isolate, so a test can read the Worker's wasm
// memory. It must be evaluated before the Worker's module, whose wasm-bindgen glue runs
// `new WebAssembly.Instance(module, imports)` when it loads (and again after a reset).
const Native = WebAssembly.Instance;
const created = [];

class RecordedInstance extends Native {
  constructor(module, imports) {
    super(module, imports);
    if (this.exports.memory instanceof WebAssembly.Memory) created.push(this);
  }
}
WebAssembly.Instance = RecordedInstance;

/** How many wasm instances with a memory were created, and the latest one. */
export function wasmInstances() {
  return { count: created.length, latest: created.at(-1) };
}
