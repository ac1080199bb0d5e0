// Megabyte tokens: a 10 MB string, comment, identifier, number or run of blanks lexes in linear time
// (no regex backtracking stack to overflow), compiles without throwing, and renders a short line.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../../../src/compiler/driver.js";
import { Messages } from "../../../src/compiler/diagnostics/catalog.js";
import { renderDiagnostics } from "../../../src/compiler/diagnostics/render.js";
import { formatVae } from "../../../src/compiler/format/format.js";

const mnist = readFileSync(
  new URL("../../../examples/mnist.vae", import.meta.url),
  "utf8",
);
const MB10 = 10_000_000;
const codes = new Set(Object.values(Messages).map((m) => m.code));
/** Generous: the point is linear time (a quadratic lexer takes hours); the typical run is < 1 s. */
const SECONDS = 4;

/** Replaces the first `from` in mnist.vae (a function replacement: no `$` patterns). */
const edit = (from: string, to: string): string =>
  mnist.replace(from, () => to);

function timed<T>(f: () => T): { value: T; seconds: number } {
  const start = performance.now();
  const value = f();
  return { value, seconds: (performance.now() - start) / 1000 };
}

const cases: [string, () => string, string[]][] = [
  ["a 10 MB string", () => edit('"train"', `"${"a".repeat(MB10)}"`), ["E035"]],
  [
    "a 10 MB string of escapes",
    () => edit('"train"', `"${"\\n\\u00e9".repeat(MB10 / 8)}"`),
    ["E035"],
  ],
  [
    "a 10 MB string with a bad escape at its end",
    () => edit('"train"', `"${"a".repeat(MB10)}\\d"`),
    ["E007"],
  ],
  [
    "a 10 MB unterminated string",
    () => edit('"train"', `"${"a".repeat(MB10)}`),
    ["E004", "E002"],
  ],
  ["a 10 MB block comment", () => `/*${"*".repeat(MB10)}*/\n${mnist}`, []],
  [
    "a 10 MB unterminated block comment",
    () => `${mnist}/*${"a\n".repeat(MB10 / 2)}`,
    ["E005"],
  ],
  ["a 10 MB line comment", () => `${mnist}//${"a".repeat(MB10)}`, []],
  [
    "a 10 MB identifier",
    () => mnist.replace(/mnist_vae/g, () => "m".repeat(MB10)),
    [],
  ],
  ["a 10 MB number", () => edit("[20]", `[${"7".repeat(MB10)}]`), ["E040"]],
  [
    "a 10 MB fraction",
    () => edit("= 128", `= 0.${"0".repeat(MB10)}1`),
    ["E042"],
  ],
  ["10 MB of blanks", () => `${" \t".repeat(MB10 / 2)}${mnist}`, []],
  ["10 MB of CR line breaks", () => `${"\r".repeat(MB10)}${mnist}`, []],
];

describe("10 MB tokens", () => {
  it.each(cases)("%s compiles in linear time", (_, make, expected) => {
    const text = make();
    const { value, seconds } = timed(() => compile(text, "big.vae"));
    expect(value.diagnostics.map((d) => d.code)).toEqual(expected);
    expect(seconds).toBeLessThan(SECONDS);
    const rendered = timed(() =>
      renderDiagnostics(value.diagnostics, "big.vae", text),
    );
    // Messages quote long literals shortened, and long source lines are cut around the caret.
    expect(rendered.value.length).toBeLessThan(2000);
    expect(rendered.seconds).toBeLessThan(SECONDS);
  });

  it("formats a file with a 10 MB comment, keeping the comment", () => {
    const comment = `/*${"x".repeat(MB10)}*/`;
    const { value, seconds } = timed(() => formatVae(`${comment}\n${mnist}`));
    expect(value.formatted?.startsWith(`${comment}\n`)).toBe(true);
    expect(seconds).toBeLessThan(SECONDS);
  });

  it("shows the end of a 10 MB line around the caret", () => {
    const text = edit('"train"', `"${"a".repeat(MB10)}\\d"`);
    const [d] = compile(text, "big.vae").diagnostics;
    const lines = renderDiagnostics([d!], "big.vae", text).split("\n");
    expect(lines[0]).toBe(
      `big.vae:16:${29 + MB10}: error[E007]: invalid escape \`\\d\` in a string literal`,
    );
    const source = lines[2]!;
    const caret = lines[3]!;
    expect(source.startsWith("16 | …aaa")).toBe(true);
    expect(source.endsWith('\\d", binarize: none)')).toBe(true);
    expect(source.length).toBeLessThan(200);
    expect(source.slice(caret.indexOf("^"), caret.lastIndexOf("^") + 1)).toBe(
      "\\d",
    );
  });
});

/** Long runs of the risky token kinds, to check that no mix of them is super-linear. */
const chunk = fc.oneof(
  fc.nat({ max: 50_000 }).map((n) => `"${"ab\\n".repeat(n)}"`),
  fc.nat({ max: 50_000 }).map((n) => `"${"\\".repeat(n)}`),
  fc.nat({ max: 50_000 }).map((n) => `/*${"/*".repeat(n)}`),
  fc.nat({ max: 50_000 }).map((n) => `/*${"*".repeat(n)}*/`),
  fc.nat({ max: 50_000 }).map((n) => `x${"_9".repeat(n)}`),
  fc
    .nat({ max: 50_000 })
    .map((n) => `-${"1".repeat(n)}.${"2".repeat(n)}e-${"3".repeat(n)}`),
  fc.nat({ max: 50_000 }).map((n) => '"'.repeat(n)),
  fc.nat({ max: 50_000 }).map((n) => "\r\n\r".repeat(n)),
);

describe("long runs of risky tokens (fast-check, seeded)", () => {
  it("40 inputs of up to 600 KB compile in linear time to catalogued diagnostics", () => {
    fc.assert(
      fc.property(fc.array(chunk, { minLength: 1, maxLength: 4 }), (chunks) => {
        const text = `${mnist}${chunks.join(" ")}`;
        const { value, seconds } = timed(() => compile(text, "runs.vae"));
        for (const d of value.diagnostics) {
          expect(codes.has(d.code)).toBe(true);
          expect(d.span.end.offset).toBeLessThanOrEqual(text.length);
        }
        expect(seconds).toBeLessThan(SECONDS);
      }),
      { seed: 8001, numRuns: 40 },
    );
  });
});
