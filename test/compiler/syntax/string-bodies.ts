// Generators of string-literal bodies for the string tests: good and bad escapes, control
// characters, non-ASCII text, mixed at random (pieces may merge: `\u12` then `ab` is `\u12ab`).
import fc from "fast-check";

/** Pieces of string bodies: good escapes, bad escapes, control characters and plain text. */
const piece = fc.oneof(
  fc.constantFrom(
    '\\"',
    "\\\\",
    "\\/",
    "\\b",
    "\\f",
    "\\n",
    "\\r",
    "\\t",
    "\\u00e9",
    "\\u0041",
    "\\uD83D\\uDE00",
    "\\ud800",
    "\\udc00",
    "\\d",
    "\\x",
    "\\'",
    "\\a",
    "\\0",
    "\\u12",
    "\\u",
    "\\uzzzz",
    "\\U0041",
    "\\😀",
    "\t",
    "\0",
    "\x1b",
    "\x7f",
    "é",
    "😀",
    "C:",
    " ",
  ),
  fc
    .string({ unit: "grapheme-ascii", maxLength: 4 })
    .map((s) => s.replace(/["\\]/g, "")),
);
export const stringBody = fc
  .array(piece, { maxLength: 12 })
  .map((ps) => ps.join(""));
