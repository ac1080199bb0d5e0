// The compiler fuzz test (fast-check, seeded): 20 000 inputs of every class in fuzz/inputs.ts —
// random bytes and unicode, token soups with nasty fragments, mutated and benignly edited
// examples, grammar-shaped random specs — each checked by fuzz/oracle.ts: nothing throws, every
// code is catalogued, every span lies inside the text with the right line/col, a valid spec
// formats into one with the same IR, and no input takes long. `npm run fuzz` runs 100 000.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { inputClasses } from "./fuzz/inputs.js";
import { checkInput } from "./fuzz/oracle.js";

const RUNS = 20_000;
const weights = inputClasses.reduce((s, c) => s + c.weight, 0);
/** A bound per input that only a blow-up reaches: inputs here are at most a few kilobytes and take milliseconds. */
const MAX_MS_PER_INPUT = 2000;

describe(`compiler fuzz: ${RUNS} seeded inputs`, () => {
  inputClasses.forEach((cls, k) => {
    const runs = Math.round((RUNS * cls.weight) / weights);
    it(`${runs} ${cls.name} break none of the oracle's rules`, () => {
      let valid = 0;
      let maxMs = 0;
      fc.assert(
        fc.property(cls.arbitrary, (text) => {
          const verdict = checkInput(text);
          if (verdict.violations.length > 0)
            throw new Error(verdict.violations.join("\n"));
          if (verdict.valid) valid++;
          maxMs = Math.max(maxMs, verdict.ms);
        }),
        { seed: 20261202 + k, numRuns: runs },
      );
      expect(maxMs).toBeLessThan(MAX_MS_PER_INPUT);
      // The benign edits keep every example valid; the other classes mostly reach errors.
      if (cls.name.startsWith("benign")) expect(valid).toBe(runs);
      else expect(valid).toBeLessThan(runs);
    });
  });
});
