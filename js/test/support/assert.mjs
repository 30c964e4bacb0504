// The few assertions the shared test cases use, with node:assert/strict's names, for the
// browser (Node runs the same cases with node:assert/strict itself).

function fail(message, detail) {
  throw new Error(detail ? `${message}\n${detail}` : message);
}

const show = (v) => {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
};

function same(a, b) {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && same(a[k], b[k]));
}

export const assert = {
  ok(value, message) {
    if (!value) fail(message ?? "expected a truthy value", show(value));
  },
  equal(actual, expected, message) {
    if (!Object.is(actual, expected)) fail(message ?? "values differ", `actual:   ${show(actual)}\nexpected: ${show(expected)}`);
  },
  notEqual(actual, expected, message) {
    if (Object.is(actual, expected)) fail(message ?? "values are equal", show(actual));
  },
  deepEqual(actual, expected, message) {
    if (!same(actual, expected)) fail(message ?? "structures differ", `actual:   ${show(actual)}\nexpected: ${show(expected)}`);
  },
  match(text, regex, message) {
    if (!regex.test(text)) fail(message ?? `${show(text)} does not match ${regex}`);
  },
  throws(fn, expected, message) {
    try {
      fn();
    } catch (err) {
      checkError(err, expected, message);
      return;
    }
    fail(message ?? "expected an exception");
  },
  async rejects(promiseOrFn, expected, message) {
    try {
      await (typeof promiseOrFn === "function" ? promiseOrFn() : promiseOrFn);
    } catch (err) {
      checkError(err, expected, message);
      return;
    }
    fail(message ?? "expected a rejection");
  },
};

function checkError(err, expected, message) {
  if (expected === undefined) return;
  if (typeof expected === "function") {
    if (!expected(err)) fail(message ?? "the error does not match", `${err && err.code}: ${err && err.message}`);
    return;
  }
  for (const [key, want] of Object.entries(expected)) {
    const got = err[key];
    const okay = want instanceof RegExp ? want.test(got) : Object.is(got, want);
    if (!okay) fail(message ?? `error.${key} differs`, `actual:   ${show(got)}\nexpected: ${show(want)}`);
  }
}
