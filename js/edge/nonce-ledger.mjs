// Strict replay protection: a Durable Object that records one nonce. The Worker names the
// object after the nonce's key (SHA-256 of keyid and nonce, `idFromName`), so every use of
// a nonce, from any location, reaches the same single-threaded object; its storage is
// strongly consistent and its input gate holds other requests while it reads and writes,
// so "seen before?" and "record it" happen as one step. The record is deleted by an alarm
// when the signature can no longer be accepted.
//
// Written in JavaScript because the rule is four lines and workers-rs' Durable Object
// macros assume a std crate (httpseal's core is no_std); the decision stays with the
// Worker (crates/edge/src/runtime/nonce_store.rs), which only asks "record, or refuse?".
//
//   GET https://nonce-ledger/record?until=<unix seconds>
//     201 recorded (first use) | 409 replayed (recorded and not yet expired) | 400 bad input

export class NonceLedger {
  constructor(state) {
    this.storage = state.storage;
  }

  async fetch(request) {
    const until = Number(new URL(request.url).searchParams.get("until"));
    if (!Number.isSafeInteger(until) || until <= 0) {
      return new Response("until must be a positive integer (unix seconds)", { status: 400 });
    }
    const now = Math.floor(Date.now() / 1000);
    const seen = await this.storage.get("until");
    if (seen !== undefined && seen >= now) return new Response("replayed", { status: 409 });
    await this.storage.put("until", until);
    await this.storage.setAlarm(until * 1000);
    return new Response("recorded", { status: 201 });
  }

  async alarm() {
    await this.storage.deleteAll();
  }
}
