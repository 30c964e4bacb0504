// One directory fetch per URL at a time within a module instance (an isolate, a Node
// process), and a cap on fetches in flight for gateways — the Rust Worker's single-flight
// and fetch budget (crates/edge/src/single_flight.rs, budget.rs), in JavaScript.
//
// Waiters never await the first caller's promise: in workerd every request has its own I/O
// context, and a request that waits on a promise only another request can settle may be
// cancelled as hung (or its continuation run in the other request's context). Each waiter
// polls a shared slot between short timers of its own instead, and runs the work itself if
// the first caller has not finished within the work's own deadline (its request went away).

/** Fetches in flight per module instance past which a gateway answers `fetch_busy` (the Worker's MAX_CONCURRENT_FETCHES). */
export const MAX_CONCURRENT_FETCHES = 16;

/** How long a waiter sleeps between looks at the slot, milliseconds (the Worker's WAIT_STEP_MS). */
const WAIT_STEP_MS = 10;

const pause = () => new Promise((ok) => setTimeout(ok, WAIT_STEP_MS));

/**
 * `run(key, work, {limitMs, capped, busy})`: the first caller for `key` runs `work()` (a
 * Promise that never rejects); callers that come while it runs get its result. `limitMs`
 * bounds how long a waiter waits before running the work itself. With `capped`, a first
 * caller that would exceed MAX_CONCURRENT_FETCHES gets `busy` instead of running.
 */
export function createFlights() {
  const slots = new Map();
  let inFlight = 0;
  async function lead(key, work) {
    const slot = { done: false, result: undefined };
    slots.set(key, slot);
    inFlight += 1;
    try {
      slot.result = await work();
      return slot.result;
    } finally {
      slot.done = true;
      inFlight -= 1;
      if (slots.get(key) === slot) slots.delete(key);
    }
  }
  async function run(key, work, { limitMs = 10_000, capped = false, busy } = {}) {
    const running = slots.get(key);
    if (running !== undefined) {
      const deadline = Date.now() + limitMs;
      while (!running.done && Date.now() < deadline) await pause();
      if (running.done) return running.result;
      // The first caller went away: run it here, unless someone else took over meanwhile.
      if (slots.get(key) === running) slots.delete(key);
      return run(key, work, { limitMs, capped, busy });
    }
    if (capped && inFlight >= MAX_CONCURRENT_FETCHES) return busy;
    return lead(key, work);
  }
  return { run, inFlight: () => inFlight };
}
