// The `vae` command's other argument handling, in-process: `sample -o` refuses names that are not
// .png and folders that do not exist (naming the user's path, never a temp file); commander's own
// errors (unknown flags, missing arguments or values) exit 2; flags left out stay unset; the
// command an interrupted run prints reads back, word for word, in a POSIX shell.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  evalOptions,
  sweepOptions,
  trainOptions,
} from "../../src/cli/options.js";
import { shellWords } from "../../src/cli/interrupt.js";
import { noStack, vae } from "./in-process.js";

describe("vae sample -o", () => {
  const folder = mkdtempSync(join(tmpdir(), "vae-sample-"));
  it("refuses every name that does not end in .png", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.stringMatching(/^[a-z]{1,8}$/),
        fc.constantFrom(
          "",
          ".jpg",
          ".jpeg",
          ".gif",
          ".svg",
          ".PNG.bak",
          ".png.tmp",
          ".pn",
          "png",
        ),
        async (name, ext) => {
          const r = await vae("sample", "run", "-o", join(folder, name + ext));
          expect(r.code).toBe(2);
          expect(r.err).toMatch(
            /^vae: -o must name a \.png file \(vae sample writes PNG images\), not /,
          );
        },
      ),
      { seed: 17, numRuns: 60 },
    );
  });

  it("names the user's folder when it does not exist, never a temp file", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.stringMatching(/^[a-z]{1,6}$/), {
          minLength: 1,
          maxLength: 3,
        }),
        async (parts) => {
          const out = join(folder, "missing", ...parts, "x.png");
          const r = await vae("sample", "run", "-o", out);
          expect(r.code).toBe(2);
          expect(r.err).toBe(
            `vae: -o: cannot write ${out}: no such folder ${join(folder, "missing", ...parts)}\n`,
          );
          expect(r.err).not.toMatch(/\.tmp/);
        },
      ),
      { seed: 19, numRuns: 30 },
    );
  });
});

describe("commander's own errors", () => {
  const commands = [
    "check",
    "compile",
    "fmt",
    "train",
    "eval",
    "sample",
    "sweep",
  ];
  it("unknown flags, missing arguments and missing values exit 2 without a stack", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...commands),
        fc.oneof(
          fc.stringMatching(/^[a-z]{3,9}$/).map((f) => [`--zz${f}`, "x"]),
          fc.constant([] as string[]),
          fc.constantFrom(
            ["--out"],
            ["--epochs"],
            ["-n"],
            ["--beta"],
            ["--emit"],
          ),
        ),
        async (command, extra) => {
          const r = await vae(command, ...extra);
          expect([0, 1, 2, 3]).toContain(r.code);
          expect(r.code).toBe(2);
          expect(r.err).toMatch(/^error: /);
          noStack(r.err);
        },
      ),
      { seed: 23, numRuns: 120 },
    );
    expect((await vae("--help")).code).toBe(0);
    expect((await vae("nosuchcommand")).code).toBe(2);
  });
});

describe("flags left out", () => {
  it("stay unset, so a resumed run keeps its own settings and eval picks its split", () => {
    expect(trainOptions({})).toEqual({
      out: undefined,
      model: undefined,
      epochs: undefined,
      batch: undefined,
      seed: undefined,
      limit: undefined,
      backend: undefined,
      resume: false,
    });
    expect(sweepOptions({ beta: "1" }).backend).toBeUndefined();
    expect(evalOptions({}).split).toBeUndefined();
    expect(evalOptions({ split: "train" }).split).toBe("data");
    expect(evalOptions({ split: "test" }).split).toBe("test");
  });
});

describe("shellWords", () => {
  it("quotes any words so that sh reads them back unchanged", () => {
    const word = fc
      .string({ unit: "binary", maxLength: 12 })
      .filter((w) => !w.includes("\0"));
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 4 }), (words) => {
        const r = spawnSync(
          "sh",
          ["-c", `printf '%s\\0' ${shellWords(words)}`],
          {
            encoding: "utf8",
          },
        );
        expect(r.stdout.split("\0").slice(0, -1)).toEqual(words);
      }),
      { seed: 41, numRuns: 100 },
    );
  });
});
