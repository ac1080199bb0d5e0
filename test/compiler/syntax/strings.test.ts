// String literals: escapes decode like JSON's, bad escapes are E007 and raw control characters E008
// at their exact position, compile() never throws on any literal. Seeded fast-check properties.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../../../src/compiler/driver.js";
import { renderDiagnostics } from "../../../src/compiler/diagnostics/render.js";
import { vaeLexer } from "../../../src/compiler/syntax/lexer.js";
import {
  decodeString,
  MAX_STRING_PROBLEMS,
} from "../../../src/compiler/syntax/strings.js";
import { stringBody as body } from "./string-bodies.js";

const mnist = readFileSync(
  new URL("../../../examples/mnist.vae", import.meta.url),
  "utf8",
);
/** mnist.vae with `literal` as the training split's string (E035 unless it decodes to "train"). */
const withSplit = (literal: string): string =>
  mnist.replace('split: "train"', () => `split: ${literal}`);
const literalOffset = mnist.indexOf('split: "train"') + "split: ".length;

/** Line and column of `offset`, counted independently of the compiler (LF-only texts). */
function lineCol(text: string, offset: number): [number, number] {
  const before = text.slice(0, offset).split("\n");
  return [before.length, before[before.length - 1]!.length + 1];
}

/** A literal for `s` with the escapes JSON.stringify writes, plus DEL escaped (vaec rejects it raw). */
const encode = (s: string): string =>
  JSON.stringify(s).replace(/\x7f/g, "\\u007f");
const loneSurrogate = /\p{Cs}/u;

describe("string literal decoding", () => {
  it("decodes 3 000 encoded strings back to themselves, with no problems", () => {
    fc.assert(
      fc.property(
        fc
          .string({ unit: "binary", maxLength: 40 })
          .filter((s) => !loneSurrogate.test(s)),
        (s) => {
          const literal = encode(s);
          const { tokens, errors } = vaeLexer.tokenize(literal);
          expect(errors).toEqual([]);
          expect(tokens.map((t) => t.tokenType.name)).toEqual([
            "StringLiteral",
          ]);
          const decoded = decodeString(literal);
          expect(decoded.problems).toEqual([]);
          expect(decoded.value).toBe(s);
        },
      ),
      { seed: 7001, numRuns: 3000 },
    );
  });

  it("agrees with JSON.parse on 3 000 mixed literals (except DEL and lone surrogates, which it rejects)", () => {
    fc.assert(
      fc.property(body, (b) => {
        const literal = `"${b}"`;
        let json: string | undefined;
        try {
          json = JSON.parse(literal) as string;
        } catch {
          json = undefined;
        }
        const valid =
          json !== undefined &&
          !b.includes("\x7f") &&
          !loneSurrogate.test(json);
        const decoded = decodeString(literal);
        expect(decoded.problems.length === 0).toBe(valid);
        if (valid) expect(decoded.value).toBe(json);
        for (const p of decoded.problems) {
          const at = literal[p.offset]!;
          if (p.kind === "escape") expect(at).toBe("\\");
          else expect(at.charCodeAt(0) < 0x20 || at === "\x7f").toBe(true);
          expect(literal.slice(p.offset, p.offset + p.length)).toBe(
            p.kind === "escape" ? p.text : at,
          );
        }
      }),
      { seed: 7002, numRuns: 3000 },
    );
  });

  it("reports at most MAX_STRING_PROBLEMS problems per literal but counts them all", () => {
    const decoded = decodeString(`"${"\\d".repeat(1000)}"`);
    expect(decoded.problems).toHaveLength(MAX_STRING_PROBLEMS);
    expect(decoded.problemCount).toBe(1000);
    expect(decoded.value).toBe("\\d".repeat(1000));
  });
});

describe("string literals in a spec", () => {
  it("never make compile() throw and put E007/E008 exactly at the escape (2 000 literals)", () => {
    fc.assert(
      fc.property(body, (b) => {
        const literal = `"${b}"`;
        const text = withSplit(literal);
        const { diagnostics } = compile(text, "s.vae");
        const expected = decodeString(literal).problems.map((p) => {
          const [line, col] = lineCol(text, literalOffset + p.offset);
          return `${p.kind === "escape" ? "E007" : "E008"} ${line}:${col}`;
        });
        const lexical = diagnostics
          .filter((d) => d.code === "E007" || d.code === "E008")
          .map((d) => `${d.code} ${d.span.start.line}:${d.span.start.col}`);
        expect(lexical).toEqual(expected);
        for (const d of diagnostics) {
          expect(d.span.end.offset).toBeLessThanOrEqual(text.length);
          if (d.code === "E007" || d.code === "E008")
            expect(d.hint).toBeTypeOf("string");
        }
        if (expected.length === 0 && JSON.parse(literal) === "train")
          expect(diagnostics).toEqual([]);
      }),
      { seed: 7003, numRuns: 2000 },
    );
  });

  const cases: [string, string, string[]][] = [
    [
      "a Windows path",
      '"C:\\data\\x.csv"',
      [
        "invalid escape `\\d` in a string literal|write `\\\\` for a backslash, or use `/` in paths",
        "invalid escape `\\x` in a string literal|write `\\\\` for a backslash, or use `/` in paths",
      ],
    ],
    [
      "an escaped apostrophe",
      '"it\\\'s"',
      [
        "invalid escape `\\'` in a string literal|write `'` without a backslash",
      ],
    ],
    [
      "a short \\u escape",
      '"\\u12"',
      [
        "invalid escape `\\u12` in a string literal|`\\u` takes exactly four hex digits, e.g. `\\u00e9`",
      ],
    ],
    [
      "a \\u escape with non-hex digits",
      '"\\u00zz"',
      [
        "invalid escape `\\u00` in a string literal|`\\u` takes exactly four hex digits, e.g. `\\u00e9`",
      ],
    ],
    [
      "a lone surrogate",
      '"\\ud800x"',
      [
        "invalid escape `\\ud800` in a string literal|a surrogate half must be paired, e.g. `\\ud83d\\ude00`; or write the character itself",
      ],
    ],
    [
      "a raw tab",
      '"tr\tain"',
      ["control character U+0009 (tab) in a string literal|write it as `\\t`"],
    ],
    [
      "a raw NUL",
      '"\0"',
      [
        "control character U+0000 (NUL) in a string literal|write it as `\\u0000`",
      ],
    ],
    [
      "a raw DEL",
      '"\x7f"',
      [
        "control character U+007F (DEL) in a string literal|write it as `\\u007F`",
      ],
    ],
  ];
  it.each(cases)("reports %s", (_, literal, expected) => {
    const { diagnostics } = compile(withSplit(literal), "s.vae");
    const lexical = diagnostics.filter((d) => /^E00[78]$/.test(d.code));
    expect(lexical.map((d) => `${d.message}|${d.hint}`)).toEqual(expected);
  });

  it("renders E007 with a caret under the escape", () => {
    const text = withSplit('"C:\\data"');
    const rendered = renderDiagnostics(
      compile(text, "s.vae").diagnostics,
      "s.vae",
      text,
    );
    expect(rendered).toBe(
      [
        "s.vae:16:31: error[E007]: invalid escape `\\d` in a string literal",
        "   |",
        '16 |   data      = mnist(split: "C:\\data", binarize: none)',
        "   |                               ^^",
        "   = hint: write `\\\\` for a backslash, or use `/` in paths",
      ].join("\n"),
    );
  });

  it("decodes good escapes into the value the checker sees", () => {
    for (const literal of ['"tr\\u0061in"', '"\\u0074rain"', '"trai\\u006E"']) {
      expect(compile(withSplit(literal)).diagnostics).toEqual([]);
    }
    // A well-formed pair is one character, so this is a valid string (just not a split name).
    const { diagnostics } = compile(withSplit('"\\uD83D\\uDE00"'));
    expect(diagnostics.map((d) => d.code)).toEqual(["E035"]);
  });

  it('reports bad escapes inside an unterminated string too, with a hint about `\\"`', () => {
    const { diagnostics } = compile(withSplit('"C:\\data\\"'));
    expect(diagnostics.map((d) => d.code).slice(0, 2)).toEqual([
      "E004",
      "E007",
    ]);
    expect(diagnostics[0]!.hint).toContain(
      'end a string with a backslash as `\\\\"`',
    );
  });
});
