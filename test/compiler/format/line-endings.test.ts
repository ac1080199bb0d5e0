// The formatter treats `\n`, `\r\n` and `\r` alike (comments, blank lines) and keeps the file's line
// ending; through Prettier, Prettier's `endOfLine` option decides.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import * as prettier from "prettier";
import { describe, expect, it } from "vitest";
import { formatVae } from "../../../src/compiler/format/format.js";
import plugin from "../../../src/compiler/format/prettier-plugin.js";
import { badDir, examplesDir, vaeFiles } from "../../golden/golden.js";

const specs = [...vaeFiles(examplesDir), ...vaeFiles(badDir)].map((f) =>
  readFileSync(f, "utf8"),
);
type Eol = "\n" | "\r\n" | "\r";
const withEol = (text: string, eol: Eol): string =>
  text.replace(/\r\n?|\n/g, eol);

/** Comments in every place the formatter attaches them, with blank lines between some. */
const commented = `// first
// second

model m { // after the brace
  // own line
  // next own line
  data x : binary[784] // trailing
  /* block
     on two lines */
  latent z : real[2]


  prior p(z) = Normal(0, 1) /* a */ // b
  encoder q(z | x) = DiagNormal(mlp(x, [4], relu))
  decoder p(x | z) = Bernoulli(logits: mlp(z, [4], relu))
}
// last
`;

describe("formatVae with CR and CRLF line endings", () => {
  it.each([
    ["CR", "\r"],
    ["CRLF", "\r\n"],
  ] as const)(
    "formats every example and bad spec in %s as in LF, keeping the line ending",
    (_, eol) => {
      for (const text of [...specs, commented]) {
        const lf = formatVae(withEol(text, "\n"));
        const other = formatVae(withEol(text, eol));
        expect(other.formatted).toBe(
          lf.formatted === undefined ? undefined : withEol(lf.formatted, eol),
        );
        expect(other.diagnostics.map((d) => d.code)).toEqual(
          lf.diagnostics.map((d) => d.code),
        );
      }
    },
  );

  it("keeps consecutive `//` comments of a CR-only file on their own lines", () => {
    const out = formatVae(withEol(commented, "\r")).formatted!;
    const lines = out.split("\r");
    expect(lines.slice(0, 3)).toEqual(["// first", "// second", ""]);
    expect(lines).toContain("  // own line");
    expect(lines).toContain("  // next own line");
    expect(out).not.toContain("\n");
  });

  it("normalises to LF when asked", () => {
    const out = formatVae(withEol(commented, "\r\n"), { endOfLine: "lf" });
    expect(out.formatted).toBe(formatVae(commented).formatted);
  });

  it("formats 300 specs with mixed line endings like their LF form, in the first line's ending", () => {
    fc.assert(
      fc.property(
        fc.nat({ max: specs.length }),
        fc.array(fc.constantFrom<Eol>("\n", "\r", "\r\n"), {
          minLength: 1,
          maxLength: 40,
        }),
        (i, eols) => {
          const lines = (specs[i] ?? commented).split("\n");
          let mixed = lines[0]!;
          for (let k = 1; k < lines.length; k++) {
            const eol = eols[k % eols.length]!;
            const merges = mixed.endsWith("\r") && eol.startsWith("\n");
            mixed += (merges ? "\r" : eol) + lines[k]!;
          }
          const first = /\r\n|\r|\n/.exec(mixed)?.[0] ?? "\n";
          const lf = formatVae(lines.join("\n")).formatted;
          expect(formatVae(mixed).formatted).toBe(
            lf === undefined ? undefined : withEol(lf, first as Eol),
          );
        },
      ),
      { seed: 5001, numRuns: 300 },
    );
  });
});

describe("the prettier plugin with CR and CRLF line endings", () => {
  const lf = formatVae(commented).formatted!;
  it.each([
    ["auto", "\r", "\r"],
    ["auto", "\r\n", "\r\n"],
    ["lf", "\r", "\n"],
    ["crlf", "\r", "\r\n"],
    ["cr", "\n", "\r"],
  ] as const)(
    "endOfLine %j on a file with %j writes %j",
    async (endOfLine, input, output) => {
      const out = await prettier.format(withEol(commented, input), {
        parser: "vae",
        plugins: [plugin],
        endOfLine,
      });
      expect(out).toBe(withEol(lf, output));
    },
  );

  it("reports a syntax error of a CR-only file at its line and column", async () => {
    await expect(
      prettier.format("model m {\r  data x : binary[784\r}\r", {
        parser: "vae",
        plugins: [plugin],
      }),
    ).rejects.toThrow(/expected .*\(3:1\)/);
  });
});
