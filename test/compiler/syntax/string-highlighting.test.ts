// The TextMate grammar's string patterns mark exactly the escapes and control characters the
// compiler rejects (E007, E008), on generated literals.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeString } from "../../../src/compiler/syntax/strings.js";
import { stringBody as body } from "./string-bodies.js";

describe("the TextMate grammar", () => {
  const tm = JSON.parse(
    readFileSync(
      new URL("../../../grammar/vae.tmLanguage.json", import.meta.url),
      "utf8",
    ),
  ) as {
    repository: { strings: { patterns: { name: string; match: string }[] } };
  };
  const patterns = tm.repository.strings.patterns.map((p) => ({
    illegal: p.name.startsWith("invalid."),
    re: new RegExp(p.match, "y"),
  }));

  /** Offsets TextMate marks invalid in a string body: at each position the first pattern that matches wins. */
  function illegalOffsets(literal: string): number[] {
    const out: number[] = [];
    let i = 1;
    while (i < literal.length - 1) {
      const hit = patterns.find((p) => {
        p.re.lastIndex = i;
        return p.re.test(literal);
      });
      if (hit === undefined) {
        i++;
        continue;
      }
      if (hit.illegal) out.push(i);
      i = hit.re.lastIndex;
    }
    return out;
  }

  it("marks exactly the escapes and control characters the compiler rejects (1 000 literals)", () => {
    // TextMate cannot pair surrogate halves, so leave \uD800-\uDFFF escapes out of this comparison.
    const noSurrogates = body.filter((b) => !/\\u[dD][89a-fA-F]/.test(b));
    fc.assert(
      fc.property(noSurrogates, (b) => {
        const literal = `"${b}"`;
        expect(illegalOffsets(literal)).toEqual(
          decodeString(literal).problems.map((p) => p.offset),
        );
      }),
      { seed: 7004, numRuns: 1000 },
    );
  });
});
