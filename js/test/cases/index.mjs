// Every shared case, in the order they run (Node and Chromium run the same list).
import { cases as api } from "./api.mjs";
import { cases as rfc9421 } from "./rfc9421.mjs";
import { cases as webbotauth } from "./webbotauth.mjs";

export const allCases = [...rfc9421, ...webbotauth, ...api];
