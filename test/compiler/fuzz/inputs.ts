// The fuzz input classes (fast-check arbitraries): random bytes and unicode, token-level mutations
// of the example specs with nasty fragments spliced in (deep nesting, string escapes, extreme
// numbers, odd line endings), benign edits of valid specs, valid specs with one nasty literal,
// and grammar-shaped random specs.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { examplesDir, vaeFiles } from "../../golden/golden.js";
import { grammarSpec } from "./grammar-specs.js";

export const examples = vaeFiles(examplesDir).map((f) =>
  readFileSync(f, "utf8"),
);

/** Splits a text into mutation units: whitespace, comments, strings, numbers, words, symbols. */
export function tokenize(text: string): string[] {
  return (
    text.match(
      /\s+|\/\/[^\r\n]*|\/\*[\s\S]*?\*\/|"(?:[^"\\\r\n]|\\.)*"?|->|-?\d[\w.+-]*|[A-Za-z_]\w*|[\s\S]/g,
    ) ?? []
  );
}

const nest = (open: string, close: string, depth: number, core = "x"): string =>
  open.repeat(depth) + core + close.repeat(depth);

/** Fragments each of which once crashed, hung or misplaced a span somewhere. */
export const nastyFragments: readonly string[] = [
  nest("linear(", ")", 70),
  nest("concat(", ")", 200),
  nest("mlp(", ", [1], relu)", 65),
  nest("[", "]", 300, "1"),
  nest("{ a: ", " }", 80, "1"),
  nest("(", ")", 500),
  "[".repeat(1000),
  ")".repeat(300),
  '"C:\\data\\x.csv"',
  '"\\\'"',
  '"\\u12"',
  '"\\ud83d"',
  '"\\ud83d\\ude00"',
  '"a\tb"',
  '"nul\u0000"',
  '"\\',
  '"unterminated',
  '"\\"',
  "1e308",
  "1e400",
  "-1e400",
  "1e-400",
  "9007199254740993",
  "18446744073709551616",
  "0.0000000000000000000001",
  "-0",
  ".5",
  "5.",
  "1e12",
  "1048577",
  "\r",
  "\r\n",
  "\n\r",
  "\r\r\n\n",
  "// comment\r// comment\r",
  "/* block\r\ncomment */",
  "/* unterminated",
  "\u00e9",
  "\u03b2",
  "\ud83d\ude00",
  "\ud83d",
  "\ufeff",
  "\u00a0",
  "\u200b",
  "\u2028",
  "\u0000",
  "\t",
  "@",
  "a".repeat(300),
  "x".repeat(70) + "y",
];

const words = [
  ..."model train data latent let prior encoder decoder kl beta p q x z h ( ) [ ] { } : , | = -> 0 1 784 real binary linear mlp concat relu Normal DiagNormal Bernoulli learned analytic warmup mnist adam lr views image".split(
    " ",
  ),
  "\n",
  " ",
];

const fragment = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...nastyFragments) },
  { weight: 3, arbitrary: fc.constantFrom(...words) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 6 }) },
);

type Edit =
  | { op: "delete" | "duplicate"; at: number; length: number }
  | { op: "swap"; at: number; other: number }
  | { op: "insert" | "replace"; at: number; text: string };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({
    op: fc.constantFrom("delete" as const, "duplicate" as const),
    at: fc.nat(),
    length: fc.integer({ min: 1, max: 12 }),
  }),
  fc.record({
    op: fc.constant("swap" as const),
    at: fc.nat(),
    other: fc.nat(),
  }),
  fc.record({
    op: fc.constantFrom("insert" as const, "replace" as const),
    at: fc.nat(),
    text: fragment,
  }),
);

function applyEdit(tokens: string[], e: Edit): void {
  const at = e.at % (tokens.length + 1);
  switch (e.op) {
    case "delete":
      tokens.splice(at, e.length);
      return;
    case "duplicate":
      tokens.splice(at, 0, ...tokens.slice(at, at + e.length));
      return;
    case "insert":
      tokens.splice(at, 0, e.text);
      return;
    case "replace":
      tokens.splice(at, 1, e.text);
      return;
    case "swap": {
      if (tokens.length === 0) return;
      const i = at % tokens.length;
      const j = e.other % tokens.length;
      [tokens[i], tokens[j]] = [tokens[j]!, tokens[i]!];
    }
  }
}

/** Rewrites every line break of a text as `\n`, `\r\n`, `\r`, or a mix of them. */
export const lineEndings = fc.constantFrom("keep", "lf", "crlf", "cr", "mixed");
export function withLineEndings(text: string, style: string): string {
  if (style === "keep") return text;
  const lines = text.split(/\r\n|\r|\n/);
  if (style === "mixed")
    return lines.reduce((s, l, i) => s + ["\n", "\r\n", "\r"][i % 3] + l);
  return lines.join(style === "lf" ? "\n" : style === "crlf" ? "\r\n" : "\r");
}

const example = fc.nat({ max: examples.length - 1 }).map((i) => examples[i]!);

/** An example spec with 1–4 token-level edits and its line endings rewritten. */
export const mutatedExample = fc
  .tuple(example, fc.array(edit, { minLength: 1, maxLength: 4 }), lineEndings)
  .map(([text, edits, style]) => {
    const tokens = tokenize(text);
    for (const e of edits) applyEdit(tokens, e);
    return withLineEndings(tokens.join(""), style);
  });

/** A valid example with harmless edits (whitespace, comments, line endings): it stays valid. */
export const benignExample = fc
  .tuple(
    example,
    fc.array(
      fc.record({
        at: fc.nat(),
        text: fc.constantFrom(
          " ",
          "\t",
          "\n",
          "\r\n",
          "\r",
          "\n\n",
          " // note\n",
          "/* c */",
          "/*\r*/",
        ),
      }),
      { maxLength: 6 },
    ),
    lineEndings,
  )
  .map(([text, inserts, style]) => {
    const tokens = tokenize(text);
    for (const { at, text: t } of inserts) {
      // Only right after whitespace (never after a `//` comment), so no token is split or joined.
      const spaces = tokens.flatMap((tok, i) => (/^\s+$/.test(tok) ? [i] : []));
      if (spaces.length > 0)
        tokens.splice(spaces[at % spaces.length]! + 1, 0, t);
    }
    return withLineEndings(tokens.join(""), style);
  });

/** Literals that each once reached a throw past the parser: escapes, extreme numbers. */
export const nastyStrings = [
  '"C:\\data\\x.csv"',
  '"\\\'"',
  '"\\d"',
  '"\\u12"',
  '"\\ud800"',
  '"a\tb"',
  '"\u0000"',
  '""',
  '"\\u00e9"',
];
export const nastyNumbers = [
  "1e308",
  "1e400",
  "-1e400",
  "1e-400",
  "9007199254740993",
  "1e12",
  "1048577",
  "0",
  "-0",
  "0.5",
  ".5",
  "5.",
  "-1",
  "2e0",
];

/** An example with one literal replaced by a nasty one, so the rest stays valid and reaches the IR. */
export const literalSwap = fc
  .tuple(example, fc.nat(), fc.nat(), lineEndings)
  .map(([text, which, pick, style]) => {
    const tokens = tokenize(text);
    const literals = tokens.flatMap((t, i) => (/^(-?\d|")/.test(t) ? [i] : []));
    const at = literals[which % literals.length]!;
    const pool = tokens[at]!.startsWith('"') ? nastyStrings : nastyNumbers;
    tokens[at] = pool[pick % pool.length]!;
    return withLineEndings(tokens.join(""), style);
  });

/** Random bytes read as Latin-1, random code points, and strings of lone surrogates. */
export const randomText = fc.oneof(
  fc
    .uint8Array({ maxLength: 400 })
    .map((b) => Buffer.from(b).toString("latin1")),
  fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b).toString("utf8")),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc
    .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 100 })
    .map((cs) => String.fromCharCode(...cs)),
);

/** Token soup: language words and nasty fragments in random order. */
export const tokenSoup = fc
  .array(fragment, { maxLength: 60 })
  .map((ws) => ws.join(" "));

export interface InputClass {
  name: string;
  arbitrary: fc.Arbitrary<string>;
  /** Share of the runs. */
  weight: number;
}

export const inputClasses: readonly InputClass[] = [
  { name: "random bytes and unicode", arbitrary: randomText, weight: 4 },
  { name: "token soup with nasty fragments", arbitrary: tokenSoup, weight: 3 },
  { name: "mutated examples", arbitrary: mutatedExample, weight: 5 },
  { name: "benign edits of examples", arbitrary: benignExample, weight: 2 },
  { name: "examples with a nasty literal", arbitrary: literalSwap, weight: 2 },
  { name: "grammar-shaped random specs", arbitrary: grammarSpec, weight: 4 },
];
