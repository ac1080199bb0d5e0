// Golden tests for invalid specs, in the style of stanc3's test/integration/bad: every
// test/golden/bad/<CODE>-<what>.vae renders exactly its .expected (as `vae check` prints it),
// reports the code its name promises, and together the specs cover the whole diagnostic catalog.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { describe, expect, it } from "vitest";
import { allMessages } from "../../src/compiler/diagnostics/catalog.js";
import { readSource } from "../../src/runtime/io/files.js";
import { compile } from "../../src/compiler/driver.js";
import { badDir, expectedPath, renderBad, vaeFiles } from "../golden/golden.js";

const specs = vaeFiles(badDir);
const specName = /^([EW]\d{3})-[a-z0-9]+(?:-[a-z0-9]+)*\.vae$/;
const header = /^[\w.-]+\.vae:\d+:\d+: (error|warning)\[[EW]\d{3}\]: /;
const regenerate =
  "run `npm run golden` and review the diff of test/golden/bad";

const codeOf = (file: string): string =>
  specName.exec(basename(file))?.[1] ?? "";
const expectedText = (file: string): string =>
  readFileSync(expectedPath(file), "utf8");

describe("bad specs (test/golden/bad)", () => {
  it("number at least 40", () => {
    expect(specs.length).toBeGreaterThanOrEqual(40);
  });

  it("are named <CODE>-<what>.vae after a code in the catalog", () => {
    const codes = new Set(allMessages.map((m) => m.code));
    for (const file of specs) {
      expect(basename(file), "spec file name").toMatch(specName);
      expect(
        codes.has(codeOf(file)),
        `${basename(file)}: no code ${codeOf(file)} in the catalog`,
      ).toBe(true);
    }
  });

  it("have no stale .expected file without its spec", () => {
    const stale = readdirSync(badDir)
      .filter((f) => f.endsWith(".expected"))
      .filter(
        (f) => !existsSync(join(badDir, f.replace(/\.expected$/, ".vae"))),
      );
    expect(stale).toEqual([]);
  });

  it("cover every code of the catalog, errors and warnings alike", () => {
    const rendered = specs
      .filter((f) => existsSync(expectedPath(f)))
      .map(expectedText);
    const missing = allMessages
      .map((m) => m.code)
      .filter((code) => !rendered.some((text) => text.includes(`[${code}]`)));
    expect(
      missing,
      `codes that no .expected shows: add a spec for each, then ${regenerate}`,
    ).toEqual([]);
  });

  for (const file of specs) {
    const name = basename(file);
    const code = codeOf(file);

    describe(name, () => {
      it("starts with a `//` comment saying what it exercises", () => {
        const first = readFileSync(file, "utf8").split("\n")[0] ?? "";
        expect(first).toMatch(/^\/\/ \S/);
      });

      it("renders exactly its .expected", () => {
        expect(
          existsSync(expectedPath(file)),
          `missing ${basename(expectedPath(file))}: ${regenerate}`,
        ).toBe(true);
        expect(
          renderBad(file),
          `rendered diagnostics differ from ${basename(expectedPath(file))}: ${regenerate}`,
        ).toBe(expectedText(file));
      });

      it("renders every diagnostic with a `file:line:col: severity[CODE]: message` header", () => {
        const { diagnostics } = compile(readSource(file), name);
        const blocks = renderBad(file)
          .trimEnd()
          .split("\n\n")
          .filter((b) => b !== "");
        expect(blocks).toHaveLength(diagnostics.length);
        blocks.forEach((block, i) => {
          const first = block.split("\n")[0]!;
          expect(first).toMatch(header);
          const d = diagnostics[i]!;
          expect(
            first.startsWith(
              `${name}:${d.span.start.line}:${d.span.start.col}: ${d.severity}[${d.code}]: ${d.message}`,
            ),
          ).toBe(true);
          expect(
            allMessages.find((m) => m.code === d.code)?.severity,
            `${d.code} rendered with the wrong severity`,
          ).toBe(d.severity);
        });
      });

      it(`reports ${code}, the code in its name`, () => {
        expect(renderBad(file)).toContain(
          `${code.startsWith("W") ? "warning" : "error"}[${code}]: `,
        );
      });

      it("reports at least one error or warning", () => {
        expect(
          compile(readFileSync(file, "utf8"), name).diagnostics.length,
        ).toBeGreaterThan(0);
      });
    });
  }
});
