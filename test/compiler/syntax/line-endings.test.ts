// `\n`, `\r\n` and `\r` are line breaks alike: positions agree with chevrotain's, and every example
// and golden bad spec gives the same diagnostics and the same rendered lines with any line ending.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../../../src/compiler/driver.js";
import { renderDiagnostics } from "../../../src/compiler/diagnostics/render.js";
import {
  lineText,
  positionAt,
  splitLines,
} from "../../../src/compiler/span.js";
import { vaeLexer } from "../../../src/compiler/syntax/lexer.js";
import { badDir, examplesDir, vaeFiles } from "../../golden/golden.js";

const specs = [...vaeFiles(examplesDir), ...vaeFiles(badDir)].map((f) => ({
  name: basename(f),
  text: readFileSync(f, "utf8").replace(/^\uFEFF/, ""),
}));

type Eol = "\n" | "\r\n" | "\r";
const withEol = (text: string, eol: Eol): string =>
  text.replace(/\r\n?|\n/g, eol);

/** What a reader sees of the diagnostics: code, position, message, hint. */
function seen(text: string, name: string): string[] {
  return compile(text, name).diagnostics.map(
    (d) =>
      `${d.code} ${d.span.start.line}:${d.span.start.col}-${d.span.end.line}:${d.span.end.col} ${d.message} | ${d.hint ?? ""}`,
  );
}

describe("positions", () => {
  const piece = fc.constantFrom(
    "\n",
    "\r",
    "\r\n",
    "\n\r",
    " ",
    "\t",
    "model",
    "x",
    "12",
    '"s"',
    '"open',
    "// c",
    "/* a\r\nb\rc\nd */",
    "/* open",
    "{",
    "é",
    "😀",
    "$",
  );
  it("agree with chevrotain's token positions on 2 000 texts with mixed line breaks", () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const text = pieces.join("");
        const lexed = vaeLexer.tokenize(text);
        const all = [...lexed.tokens, ...(lexed.groups["comments"] ?? [])];
        for (const t of all) {
          const start = positionAt(text, t.startOffset);
          expect([start.line, start.col]).toEqual([t.startLine, t.startColumn]);
          // Chevrotain places the `\n` of a closing CRLF oddly; only skipped or dropped tokens
          // (blanks, an unterminated comment) can end in a line break, and no span uses their end.
          if (/[\r\n]$/.test(t.image)) continue;
          const last = positionAt(text, t.endOffset!);
          expect([last.line, last.col]).toEqual([t.endLine, t.endColumn]);
        }
        const lines = splitLines(text);
        lines.forEach((line, i) => expect(lineText(text, i + 1)).toBe(line));
        expect(lineText(text, lines.length + 1)).toBe("");
      }),
      { seed: 6001, numRuns: 2000 },
    );
  });

  it("count a lone CR, an LF and a CRLF as one line break each", () => {
    const text = "a\rb\nc\r\nd";
    expect(
      ["a", "b", "c", "d"].map((c) => positionAt(text, text.indexOf(c))),
    ).toEqual([
      { offset: 0, line: 1, col: 1 },
      { offset: 2, line: 2, col: 1 },
      { offset: 4, line: 3, col: 1 },
      { offset: 7, line: 4, col: 1 },
    ]);
  });
});

describe("diagnostics with CR and CRLF line endings", () => {
  it.each(specs.map((s) => [s.name, s] as const))(
    "%s: same diagnostics and rendered lines as with LF",
    (name, { text }) => {
      const lf = withEol(text, "\n");
      const expected = seen(lf, name);
      const rendered = renderDiagnostics(
        compile(lf, name).diagnostics,
        name,
        lf,
      );
      for (const eol of ["\r", "\r\n"] as const) {
        const other = withEol(text, eol);
        expect(seen(other, name)).toEqual(expected);
        expect(
          renderDiagnostics(compile(other, name).diagnostics, name, other),
        ).toBe(rendered);
      }
    },
  );

  it("are the same for 300 specs with a random line ending on each line", () => {
    fc.assert(
      fc.property(
        fc.nat({ max: specs.length - 1 }),
        fc.array(fc.constantFrom<Eol>("\n", "\r", "\r\n"), {
          minLength: 1,
          maxLength: 64,
        }),
        (i, eols) => {
          const { name, text } = specs[i]!;
          const lines = splitLines(text);
          let mixed = lines[0]!;
          for (let k = 1; k < lines.length; k++) {
            // A CR, then an empty line's LF, would read as one CRLF: keep the line with a CR.
            const eol = eols[k % eols.length]!;
            const merges = mixed.endsWith("\r") && eol.startsWith("\n");
            mixed += (merges ? "\r" : eol) + lines[k]!;
          }
          const lf = lines.join("\n");
          expect(seen(mixed, name)).toEqual(seen(lf, name));
          expect(
            renderDiagnostics(compile(mixed, name).diagnostics, name, mixed),
          ).toBe(renderDiagnostics(compile(lf, name).diagnostics, name, lf));
        },
      ),
      { seed: 6002, numRuns: 300 },
    );
  });

  it("render the source line, not an empty one, for a CR-only file", () => {
    const text = "model m {\r  data x : binary[78.5]\r}\r";
    const e042 = compile(text, "cr.vae").diagnostics.filter(
      (d) => d.code === "E042",
    );
    expect(renderDiagnostics(e042, "cr.vae", text).split("\n")).toEqual([
      "cr.vae:2:19: error[E042]: a width must be an integer, found 78.5",
      "  |",
      "2 |   data x : binary[78.5]",
      `  | ${" ".repeat(18)}^^^^`,
    ]);
  });
});
