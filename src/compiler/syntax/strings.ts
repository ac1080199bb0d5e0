// String literals: the linear scanner the lexer uses for `"..."` and the escape decoder the AST uses.
// The escapes are JSON's: \" \\ \/ \b \f \n \r \t and \uXXXX (exactly four hex digits). A \u escape
// that is half of a surrogate pair must be followed (or preceded) by the other half. Raw control
// characters (U+0000–U+001F, U+007F) must be written as escapes. grammar/vae.ebnf says the same.

/** Where a string literal that starts at `offset` ends (exclusive) and whether its `"` closes it. */
export interface StringScan {
  end: number;
  closed: boolean;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Scans the string literal starting at `text[offset]` (a `"`) in one pass, without a regex (which
 * overflows its backtracking stack on megabyte literals). A string ends at its closing quote; one
 * without a closing quote on its line ends before the line break (or at the end of the text).
 */
export function scanString(text: string, offset: number): StringScan {
  let i = offset + 1;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return { end: i + 1, closed: true };
    if (c === LF || c === CR) return { end: i, closed: false };
    if (c === BACKSLASH) {
      const next = i + 1 < n ? text.charCodeAt(i + 1) : LF;
      i += next === LF || next === CR ? 1 : 2;
    } else i++;
  }
  return { end: n, closed: false };
}

/** A bad piece of a literal: `offset`/`length` are relative to the literal's opening quote. */
export interface StringProblem {
  kind: "escape" | "control";
  offset: number;
  length: number;
  /** The escape as written (`\d`, `\u12`), or the control character's name (`U+0009 (tab)`). */
  text: string;
  hint: string;
}

export interface DecodedString {
  /** The value; bad escapes and control characters are kept as written, so this is never thrown away. */
  value: string;
  /** The first `MAX_STRING_PROBLEMS` problems, in source order. */
  problems: StringProblem[];
  /** How many problems the literal has in all. */
  problemCount: number;
}

/** The most problems one literal reports: a megabyte of `\d` must not make a million diagnostics. */
export const MAX_STRING_PROBLEMS = 100;

/** The one-letter escapes and what each decodes to. */
const simpleEscapes = new Map<string, Escape>(
  Object.entries({
    '"': '"',
    "\\": "\\",
    "/": "/",
    b: "\b",
    f: "\f",
    n: "\n",
    r: "\r",
    t: "\t",
  }).map(([c, value]) => [c, { value, length: 2 }]),
);

/** Escapes for the control characters that have a short one. */
const shortEscape: Record<number, string> = {
  0x08: "\\b",
  0x09: "\\t",
  0x0c: "\\f",
};

const controlNames: Record<number, string> = {
  0x00: "NUL",
  0x09: "tab",
  0x1b: "escape",
  0x7f: "DEL",
};

function hex4(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, "0");
}

function isHexDigit(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) ||
    (code >= 0x41 && code <= 0x46) ||
    (code >= 0x61 && code <= 0x66)
  );
}

/** How many hex digits (at most 4) start at `from`, before `end`. */
function hexRun(raw: string, from: number, end: number): number {
  let n = 0;
  while (n < 4 && from + n < end && isHexDigit(raw.charCodeAt(from + n))) n++;
  return n;
}

function controlProblem(code: number, offset: number): StringProblem {
  const name = controlNames[code];
  const escape = shortEscape[code] ?? `\\u${hex4(code)}`;
  return {
    kind: "control",
    offset,
    length: 1,
    text: `U+${hex4(code)}${name ? ` (${name})` : ""}`,
    hint: `write it as \`${escape}\``,
  };
}

/** One escape, read at a backslash: what it decodes to, how many characters it takes. */
interface Escape {
  value: string;
  length: number;
  /** Set when the escape is bad; its value is then the escape as written. */
  hint?: string;
}

function badEscape(text: string, hint: string): Escape {
  return { value: text, length: text.length, hint };
}

const isHigh = (u: number): boolean => u >= 0xd800 && u <= 0xdbff;
const isLow = (u: number): boolean => u >= 0xdc00 && u <= 0xdfff;

/** The `\uXXXX` at `i` (four hex digits checked), pairing surrogate halves; a lone half is bad. */
function unicodeEscape(raw: string, i: number, end: number): Escape {
  const unit = parseInt(raw.slice(i + 2, i + 6), 16);
  if (!isHigh(unit) && !isLow(unit))
    return { value: String.fromCharCode(unit), length: 6 };
  if (
    isHigh(unit) &&
    raw.startsWith("\\u", i + 6) &&
    hexRun(raw, i + 8, end) === 4
  ) {
    const low = parseInt(raw.slice(i + 8, i + 12), 16);
    if (isLow(low))
      return { value: String.fromCharCode(unit, low), length: 12 };
  }
  return badEscape(
    raw.slice(i, i + 6),
    "a surrogate half must be paired, e.g. `\\ud83d\\ude00`; or write the character itself",
  );
}

/** Reads the escape at `raw[i]` (a backslash) of a literal whose body ends at `end`. */
function readEscape(raw: string, i: number, end: number): Escape {
  if (i + 1 >= end) return badEscape("\\", "write `\\\\` for a backslash");
  const next = raw[i + 1]!;
  const simple = simpleEscapes.get(next);
  if (simple !== undefined) return simple;
  if (next === "u") {
    const digits = hexRun(raw, i + 2, end);
    if (digits === 4) return unicodeEscape(raw, i, end);
    return badEscape(
      raw.slice(i, i + 2 + digits),
      "`\\u` takes exactly four hex digits, e.g. `\\u00e9`",
    );
  }
  // Quote a character outside the BMP whole, not half of its surrogate pair.
  const text = raw.slice(i, i + (raw.codePointAt(i + 1)! > 0xffff ? 3 : 2));
  return badEscape(
    text,
    next === "'"
      ? "write `'` without a backslash"
      : "write `\\\\` for a backslash, or use `/` in paths",
  );
}

/** A backslash or a control character: a literal without one decodes to its text. */
const special = /[\\\x00-\x1f\x7f]/;

function isControl(code: number): boolean {
  return code < 0x20 || code === 0x7f;
}

/** The string of the first `n` UTF-16 code units in `units`, converted in chunks (bounded arguments). */
function unitsToString(units: Uint16Array, n: number): string {
  const chunks: string[] = [];
  for (let i = 0; i < n; i += 8192) {
    // apply takes the typed array as it is; a spread would iterate it element by element.
    const chunk = units.subarray(i, Math.min(n, i + 8192));
    chunks.push(String.fromCharCode.apply(null, chunk as unknown as number[]));
  }
  return chunks.join("");
}

/** Decodes a literal as the lexer matched it (quotes included; the closing one may be missing). */
export function decodeString(raw: string): DecodedString {
  const scan = scanString(raw, 0);
  const closed = scan.closed && scan.end === raw.length;
  const end = closed ? raw.length - 1 : raw.length;
  const problems: StringProblem[] = [];
  if (!special.test(raw))
    return { value: raw.slice(1, end), problems, problemCount: 0 };
  let problemCount = 0;
  const report = (problem: () => StringProblem): void => {
    problemCount++;
    if (problems.length < MAX_STRING_PROBLEMS) problems.push(problem());
  };
  // Every escape decodes to at most as many code units as it is written with.
  const units = new Uint16Array(end);
  let n = 0;
  let i = 1;
  while (i < end) {
    const code = raw.charCodeAt(i);
    if (code !== BACKSLASH) {
      if (isControl(code)) report(() => controlProblem(code, i));
      units[n++] = code;
      i++;
      continue;
    }
    const { value, length, hint } = readEscape(raw, i, end);
    if (hint !== undefined) {
      const offset = i;
      report(() => ({ kind: "escape", offset, length, text: value, hint }));
    }
    for (let k = 0; k < value.length; k++) units[n++] = value.charCodeAt(k);
    i += length;
  }
  return { value: unitsToString(units, n), problems, problemCount };
}
