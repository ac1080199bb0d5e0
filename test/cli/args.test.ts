// The `vae` command's flag values, in-process (runVae with captured output): generated bad values
// of every whole-number and choice flag exit 2 with one message that names the flag as the user
// types it, and never a stack trace; good values reach the command (here: a missing file).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RANGES, type IntFlag } from "../../src/cli/flags.js";
import { noStack, vae } from "./in-process.js";

/** Which commands take each whole-number flag, and what else they need. */
const takers: Record<IntFlag, string[][]> = {
  "--epochs": [
    ["train", "x.vae"],
    ["sweep", "x.vae", "--beta", "1"],
  ],
  "--batch": [["train", "x.vae"]],
  "--seed": [
    ["train", "x.vae"],
    ["sample", "run"],
    ["sweep", "x.vae", "--beta", "1"],
  ],
  "--limit": [
    ["train", "x.vae"],
    ["eval", "run"],
    ["sweep", "x.vae", "--beta", "1"],
  ],
  "--iw": [["eval", "run"]],
  "-n": [["sample", "run"]],
};

/** Values no whole-number flag accepts: out of range, signed, fractional, not numbers at all. */
function badInt(flag: IntFlag): fc.Arbitrary<string> {
  const [min, max] = RANGES[flag];
  return fc.oneof(
    fc.integer({ min: -1e9, max: min - 1 }).map(String),
    fc.bigInt({ min: BigInt(max) + 1n, max: 2n ** 200n }).map(String),
    fc.constantFrom(
      "",
      " ",
      "1e400",
      "2^60",
      "1152921504606846976",
      "NaN",
      "Infinity",
      "0x10",
      "1e3",
      "1.5",
      "+3",
      " 3",
      "3 ",
      "½",
      "٣",
    ),
    fc
      .string({ minLength: 1, maxLength: 12 })
      .filter((s) => !/^[0-9]+$/.test(s)),
    fc.double({ noInteger: true, noDefaultInfinity: true }).map(String),
  );
}

describe("whole-number flags", () => {
  it("refuse every bad value with exit 2, naming the flag as typed and the value", async () => {
    const flags = Object.keys(RANGES) as IntFlag[];
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom(...flags)
          .chain((flag) =>
            fc.tuple(
              fc.constant(flag),
              fc.constantFrom(...takers[flag]),
              badInt(flag),
            ),
          ),
        async ([flag, command, value]) => {
          const r = await vae(...command, flag, value);
          expect(r.code).toBe(2);
          expect(
            r.err.startsWith(`vae: ${flag} must be a whole number from `),
            r.err,
          ).toBe(true);
          expect(r.err.split("\n").filter(Boolean)).toHaveLength(1);
          noStack(r.err);
        },
      ),
      { seed: 7, numRuns: 400 },
    );
  });

  it("accept the ends of each range (the command then fails on its missing input, exit 2)", async () => {
    const missing = join(mkdtempSync(join(tmpdir(), "vae-args-")), "none");
    for (const [flag, [min, max]] of Object.entries(RANGES))
      for (const value of [min, max]) {
        const [command, , ...rest] = takers[flag as IntFlag][0]!;
        const r = await vae(
          command!,
          `${missing}.x`,
          ...rest,
          flag,
          String(value),
        );
        expect(r.code, r.err).toBe(2);
        expect(r.err).not.toContain(`${flag} must`);
        expect(r.err).toContain(missing);
        noStack(r.err);
      }
  });
});

describe("choice flags", () => {
  const word = fc.string({ maxLength: 10 });
  it("refuse a value outside the choices with exit 2 and the flag's name", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          word
            .filter((w) => !["wasm", "cpu", "tensorflow"].includes(w))
            .map(
              (w) =>
                [
                  ["train", "x.vae", "--backend", w],
                  "--backend must be one of wasm, cpu, tensorflow",
                ] as const,
            ),
          word
            .filter((w) => w !== "test" && w !== "train")
            .map(
              (w) =>
                [
                  ["eval", "run", "--split", w],
                  "--split must be test or train",
                ] as const,
            ),
          word
            .filter((w) => w !== "ir" && w !== "summary")
            .map(
              (w) =>
                [
                  ["compile", "examples/mnist.vae", "--emit", w],
                  "--emit must be ir or summary",
                ] as const,
            ),
        ),
        async ([args, message]) => {
          const r = await vae(...args);
          expect(r.code).toBe(2);
          expect(r.err.startsWith(`vae: ${message}, not `), r.err).toBe(true);
          noStack(r.err);
        },
      ),
      { seed: 11, numRuns: 150 },
    );
  });

  it("refuse --beta lists with a non-positive, non-numeric, empty or repeated entry", async () => {
    const entry = fc.oneof(
      fc.constantFrom(
        "0",
        "-1",
        "",
        "abc",
        "1e400",
        "Infinity",
        "NaN",
        "1/2",
        "0x1",
      ),
      fc.double({ max: 0, noNaN: true }).map(String),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.double({ min: 1e-6, max: 10, noNaN: true }).map(String), {
          maxLength: 3,
        }),
        entry,
        fc.nat(3),
        async (good, bad, at) => {
          const list = [...good];
          list.splice(Math.min(at, list.length), 0, bad);
          const r = await vae("sweep", "x.vae", "--beta", list.join(","));
          expect(r.code).toBe(2);
          expect(r.err).toMatch(
            /^vae: --beta (must be a comma-separated list|lists )/,
          );
          noStack(r.err);
        },
      ),
      { seed: 13, numRuns: 150 },
    );
    const twice = await vae("sweep", "x.vae", "--beta", "1e-3,0.001");
    expect(twice.err).toBe("vae: --beta lists 0.001 twice, in 1e-3,0.001\n");
  });
});
