// `vae fmt` on every example (the golden good specs): already canonical, idempotent, and the
// formatted text compiles to the same IR as the original (spans aside).
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../../../src/compiler/driver.js";
import { formatVae } from "../../../src/compiler/format/format.js";
import { examplesDir, vaeFiles } from "../../golden/golden.js";

function withoutSpans(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (k, v: unknown) => (k === "span" ? undefined : v)),
  );
}

/** A deliberately messy rendering of a spec: extra spaces and blank lines, different indentation. */
function mess(text: string): string {
  return text
    .split("\n")
    .map((line, i) =>
      i % 2 === 0
        ? `    ${line.replace(/ = /g, "   =   ").replace(/, /g, " ,")}`
        : `${line.trim()}\n`,
    )
    .join("\n");
}

describe("vae fmt on the examples", () => {
  for (const file of vaeFiles(examplesDir)) {
    const text = readFileSync(file, "utf8");
    it(`${basename(file)} is already formatted`, () => {
      expect(formatVae(text).formatted).toBe(text);
    });
    it(`${basename(file)}: formatting a messy copy restores it and keeps the IR`, () => {
      const messy = mess(text);
      expect(messy).not.toBe(text);
      const once = formatVae(messy).formatted!;
      expect(formatVae(once).formatted).toBe(once);
      const original = compile(text, "x.vae").models;
      const reformatted = compile(once, "x.vae").models;
      expect(original).toHaveLength(1);
      expect(withoutSpans(reformatted)).toEqual(withoutSpans(original));
    });
  }
});
